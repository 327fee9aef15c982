"""Texts written by users, in the residents' languages (Arabic, Somali, Persian).

A model lists the fields residents read in `translated_fields`; each translation is a `Translation`
row that remembers the Swedish text it translates, so that a changed Swedish text shows as Swedish
(marked so) until it is translated again rather than as an outdated translation. A translator works
on a list of `Text`s (a promise's, say): on a page side by side with the Swedish, or in a PO file
(`export_po`, `import_po`) that Poedit, Weblate or any gettext tool opens. A draft is a PO entry marked
fuzzy; a translator who clears the mark accepts it.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import translation as django_translation
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .models import Translation
from .problems import InputProblem

# Every language of the site but Swedish (the fields) and English (their `_en` variants).
RESIDENT_LANGUAGES = tuple(code for code, _name in settings.LANGUAGES if code not in ("sv", "en"))

_CACHE = "_lofte_translations"
# A translation of a text field without a length of its own (a problem statement, an update) is at most
# this long: ten times the longest such Swedish text in the demo, and no page is flooded.
LONGEST_TEXT = 10_000


def _cache(obj: Any) -> dict[str, dict[str, tuple[str, str]]]:
    return obj.__dict__.setdefault(_CACHE, {})


def prefetch(objects: Iterable[Any], language: str) -> None:
    """Read the translations into `language` of all `objects` (of one model) in one query, so that a
    page listing many asks the database once."""
    objects = [obj for obj in objects if language not in _cache(obj)]
    if not objects or language not in RESIDENT_LANGUAGES:
        return
    by_pk = {obj.pk: obj for obj in objects}
    for obj in objects:
        _cache(obj)[language] = {}
    rows = Translation.objects.filter(
        content_type=ContentType.objects.get_for_model(objects[0]), object_id__in=by_pk, language=language
    ).values_list("object_id", "field", "text", "source")
    for object_id, field, text, source in rows:
        _cache(by_pk[object_id])[language][field] = (text, source)


def translated(obj: Any, field: str, language: str) -> str:
    """`obj`'s `field` in `language`, or "" where it has no translation or the Swedish text has changed
    since it was translated."""
    if language not in RESIDENT_LANGUAGES or obj.pk is None:
        return ""
    prefetch([obj], language)
    text, source = _cache(obj)[language].get(field, ("", ""))
    return text if source == (getattr(obj, field) or "") else ""


def localized(obj: Any, name: str) -> str:
    """A text field written by users, in the page's language.

    Swedish is the field itself; English is its `<name>_en` variant where the model has one; Arabic,
    Somali and Persian are `Translation` rows (`lofte.core.translations`). Where the page's language
    has no text the Swedish one comes back as a `SwedishFallback`, which templates mark up as Swedish
    (its `lang` and direction, and a note that it exists only in Swedish); to Python it is a plain str.
    """
    value = getattr(obj, name)
    swedish = value if isinstance(value, str) else ""
    language = django_translation.get_language() or settings.LANGUAGE_CODE
    if language == "sv":
        return swedish
    text = getattr(obj, f"{name}_en", "") if language == "en" else translated(obj, name, language)
    if text or not swedish:
        return text or ""
    return SwedishFallback(swedish, name=name in getattr(obj, "proper_names", ()))


class SwedishFallback(str):
    """A user's Swedish text shown on a page in another language, for want of a translation.

    In a template it becomes `<span lang="sv" dir="ltr">` (a screen reader reads it with a Swedish
    voice, and its full stops stay at its own end in a right-to-left page) and a note, in the page's
    language, that the text exists only in Swedish; a place's name (`name=True`) is its name in any
    language and gets no note. Slicing, joining or formatting it gives a plain str."""

    name: bool

    def __new__(cls, text: str, *, name: bool = False) -> "SwedishFallback":
        obj = super().__new__(cls, text)
        obj.name = name
        return obj

    def __html__(self) -> str:
        return str(as_swedish(escape(str(self)), note=not self.name))


def as_swedish(html: str, *, note: bool = True, block: bool = False) -> SafeString:
    """Escaped `html` marked as Swedish (`lang` and direction), inline or as a block, with the note in
    the page's language that it exists only in Swedish: the one markup of a Swedish fallback."""
    if block:
        marked = format_html('<div lang="sv" dir="ltr">{}</div>', mark_safe(html))  # noqa: S308  (escaped)
    else:
        marked = format_html('<span lang="sv" dir="ltr">{}</span>', mark_safe(html))  # noqa: S308  (escaped)
    if not note:
        return marked
    said = format_html('<small class="only-sv">({})</small>', django_translation.gettext("only in Swedish"))
    return format_html("{}<p>{}</p>" if block else "{} {}", marked, said)


@dataclass(frozen=True)
class Text:
    """One field of one object as a translator sees it: the Swedish text and its translation."""

    obj: Any
    field: str
    label: str  # what the text is, in the staff page's language: "Commitment 2", "Update 3 May"
    translation: Translation | None

    @property
    def key(self) -> str:
        """The text's name in forms and PO files: `app.model:pk:field`."""
        return f"{self.obj._meta.label_lower}:{self.obj.pk}:{self.field}"

    @property
    def swedish(self) -> str:
        return getattr(self.obj, self.field) or ""

    @property
    def state(self) -> str:
        """missing, outdated (the Swedish text changed since), draft or accepted."""
        if self.translation is None:
            return "missing"
        if self.translation.source != self.swedish:
            return "outdated"
        return self.translation.status

    @property
    def needs_work(self) -> bool:
        return self.state != Translation.Status.ACCEPTED


def texts(items: Sequence[tuple[Any, str, str]], language: str) -> list[Text]:
    """The `Text`s of `items` — (object, field, label) — in `language`, with their translations read in
    one query per model. Empty Swedish texts have nothing to translate and are left out."""
    _check_language(language)
    typed = [
        (obj, field, label, ContentType.objects.get_for_model(obj).pk)
        for obj, field, label in items
        if (getattr(obj, field) or "").strip()
    ]
    by_type: dict[int, set[int]] = {}
    for obj, _field, _label, type_id in typed:
        by_type.setdefault(type_id, set()).add(obj.pk)
    query = models.Q(pk__in=[])
    for type_id, pks in by_type.items():
        query |= models.Q(content_type_id=type_id, object_id__in=pks)
    found = {(row.content_type_id, row.object_id, row.field): row
             for row in Translation.objects.filter(query, language=language)}  # fmt: skip
    return [Text(obj, field, label, found.get((type_id, obj.pk, field))) for obj, field, label, type_id in typed]


def _check_language(language: str) -> None:
    if language not in RESIDENT_LANGUAGES:
        raise InputProblem("language", _("Texts are translated into %(languages)s.") % {
            "languages": ", ".join(RESIDENT_LANGUAGES)})  # fmt: skip


@transaction.atomic
def save(user: Any, text: Text, language: str, translation: str, *, accept: bool) -> str:
    """Store `translation` of `text` (an empty one removes it), as accepted by a translator or as a
    draft. Returns what happened: "saved", "removed" or "unchanged"."""
    _check_language(language)
    translation = translation.strip()
    content_type = ContentType.objects.get_for_model(text.obj)
    rows = Translation.objects.filter(
        content_type=content_type, object_id=text.obj.pk, field=text.field, language=language
    )
    if not translation:
        return "removed" if rows.delete()[0] else "unchanged"
    longest = text.obj._meta.get_field(text.field).max_length or LONGEST_TEXT
    if len(translation) > longest:
        raise InputProblem(f"t:{text.key}", _("%(what)s: a translation of at most %(n)s characters, please.") % {
            "what": text.label, "n": longest})  # fmt: skip
    status = Translation.Status.ACCEPTED if accept else Translation.Status.DRAFT
    row = rows.first()
    if row is not None and (row.text, row.source, row.status) == (translation, text.swedish, status):
        return "unchanged"
    Translation.objects.update_or_create(
        content_type=content_type, object_id=text.obj.pk, field=text.field, language=language,
        defaults={"text": translation, "source": text.swedish, "status": status, "changed_by": user},
    )  # fmt: skip
    _cache(text.obj).pop(language, None)
    return "saved"


def export_po(items: Sequence[Text], language: str, *, title: str) -> bytes:
    """A PO file of `items` for a translator: the Swedish text as msgid, the translation as msgstr
    (fuzzy while it is a draft or its Swedish text has changed), the text's key as msgctxt and what it
    is as a comment."""
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": title,
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Source-Language": "sv",
    }
    for item in items:
        entry = polib.POEntry(
            msgctxt=item.key, msgid=item.swedish, msgstr=item.translation.text if item.translation else "",
            comment=item.label,
        )  # fmt: skip
        if item.translation is not None and item.state != Translation.Status.ACCEPTED:
            entry.flags.append("fuzzy")
        po.append(entry)
    return str(po).encode()


@dataclass(frozen=True)
class Imported:
    saved: int
    removed: int
    unchanged: int


@transaction.atomic
def import_po(user: Any, data: bytes, items: Sequence[Text], language: str, *, filename: str) -> Imported:
    """Store the translations of a PO file made by `export_po` and filled in by a translator: an entry
    without the fuzzy mark is accepted, a fuzzy one stays a draft, an empty one is left alone. Every
    entry must name a text of `items` (nothing outside what the person may translate) and carry its
    current Swedish text; otherwise nothing is stored and the problem names the file and line."""
    _check_language(language)
    try:
        content = data.decode("utf-8")
        # polib reads a string that names an existing file as that file's path: a one-line upload such as
        # "/etc/passwd" would read a server file. A PO file has lines.
        if "\n" not in content:
            raise ValueError(_("it has a single line"))
        po = polib.pofile(content, wrapwidth=0)
    except (UnicodeDecodeError, OSError, ValueError) as error:
        raise InputProblem(
            "file", _("%(file)s is not a PO file: %(error)s") % {"file": filename, "error": error}
        ) from error
    declared = po.metadata.get("Language", "").strip()
    if declared and declared.replace("_", "-").split("-")[0] != language:
        raise InputProblem("file", _("%(file)s holds translations into %(found)s, not %(language)s.") % {
            "file": filename, "found": declared, "language": language})  # fmt: skip
    known = {item.key: item for item in items}
    counts = {"saved": 0, "removed": 0, "unchanged": 0}
    for entry in po:
        if entry.obsolete:
            continue
        where = f"{filename}, line {entry.linenum}"
        item = known.get(entry.msgctxt or "")
        if item is None:
            raise InputProblem("file", _("%(where)s: msgctxt %(key)s names no text of this list.") % {
                "where": where, "key": entry.msgctxt or "(empty)"})  # fmt: skip
        if entry.msgid != item.swedish:
            raise InputProblem("file", _(
                "%(where)s: the Swedish text of %(key)s has changed since the file was made; "
                "export the file again.") % {"where": where, "key": item.key})  # fmt: skip
        if not entry.msgstr.strip():
            continue
        counts[save(user, item, language, entry.msgstr, accept="fuzzy" not in entry.flags)] += 1
    return Imported(**counts)


# The mark a translator removes from a catalogue entry on checking it: makemessages keeps translator
# comments, so a draft stays marked until someone who reads the language has accepted it.
DRAFT_MARK = "draft: not yet checked by a translator"


@dataclass(frozen=True)
class Progress:
    """How far a language has come: the interface's strings and the users' texts."""

    language: str
    strings: int
    translated: int
    drafts: int
    texts: int  # users' texts translated into the language
    text_drafts: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "language": self.language, "strings": self.strings, "translated": self.translated,
            "drafts": self.drafts, "texts": self.texts, "text_drafts": self.text_drafts,
        }  # fmt: skip


def progress(language: str) -> Progress:
    """The catalogue's strings (translated, of them drafts) and the users' texts in `language`."""
    _check_language(language)
    po = polib.pofile(str(Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"))
    entries = [e for e in po if not e.obsolete]
    translated = [e for e in entries if e.translated() and "fuzzy" not in e.flags]
    rows = Translation.objects.filter(language=language)
    return Progress(
        language, len(entries), len(translated), sum(DRAFT_MARK in (e.tcomment or "") for e in translated),
        rows.count(), rows.filter(status=Translation.Status.DRAFT).count(),
    )  # fmt: skip
