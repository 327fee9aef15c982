"""Every user-facing string is in every shipped catalogue, and templates hold no text outside
translation tags: a page never shows a sentence in the wrong language.

English is the source language (the msgids). Swedish translates every string the code and templates
use; Arabic, Somali and Persian every string of the residents' pages and the questionnaire (staff
pages are in Swedish and English). A fuzzy guess counts as missing."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.template.base import Lexer, TokenType
from django.test import override_settings

from lofte.core.translations import DRAFT_MARK

PACKAGE = Path(__file__).resolve().parent.parent / "lofte"
SHIPPED = sorted(p.name for p in (PACKAGE / "locale").iterdir() if (p / "LC_MESSAGES" / "django.po").exists())

# The residents' pages: Arabic, Somali and Persian translate these; Swedish translates everything.
RESIDENTS = (
    "core/templates/base.html", "core/templates/core/", "core/templates/403.html", "core/templates/404.html",
    "core/templates/500.html", "promises/templates/promises/index.html", "promises/templates/promises/detail.html",
    "promises/templates/promises/_outputs.html", "promises/templates/promises/_parties.html",
    "promises/templates/promises/outcome.html", "promises/templates/promises/history.html",
    "surveys/templates/surveys/start.html",
    "surveys/templates/surveys/page.html", "surveys/templates/surveys/thanks.html",
    "surveys/templates/surveys/results.html", "surveys/templates/surveys/estimate.html",
    "core/templatetags/lofte.py", "surveys/views_answer.py", "surveys/answering.py",
    "dialogues/templates/dialogues/speak_up.html", "dialogues/forms.py", "dialogues/services.py", "dialogues/views.py",
    "dialogues/templates/dialogues/vote.html", "dialogues/templates/dialogues/groups.html", "dialogues/opinions.py",
    "dialogues/views_opinion.py", "promises/templates/promises/area.html", "promises/templates/promises/_verdict.html",
    "observations/templates/observations/resident_form.html",
    "observations/templates/observations/resident_reports.html",
    "observations/templates/observations/resident_feedback_email.txt", "observations/forms_residents.py",
    "observations/residents.py", "observations/views_residents.py", "observations/categories.py",
    "promises/templates/promises/_report_body.html", "promises/templates/promises/report.html",
    "promises/templates/promises/_tally.html", "promises/report.py", "promises/sentences.py", "promises/outcomes.py",
    "core/translations.py", "analysis/wording.py",
)  # fmt: skip
EVERYTHING = ("sv",)

# Text a template may hold as it is: the name of the product, language names written in their own
# language (a language switch), and symbols.
ALLOWED = {
    "Löfte",
    "Svenska",
    "English",
    "العربية",
    "Soomaali",
    "فارسی",
    "min",
    "m",
    "n",
    "x",
}  # units, n =, suppressed


def _catalogue_of_the_sources(tmp_path, language):
    """The catalogue makemessages makes of today's code and templates, in a copy of the package (the
    shipped catalogue's translations carried over), so that the real one is not touched."""
    copy = tmp_path / "lofte"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "vendor", "data", "*.mo", "*.js"))
    cwd = os.getcwd()
    try:
        os.chdir(copy)
        with override_settings(LOCALE_PATHS=[str(copy / "locale")]):
            call_command("makemessages", locale=[language], no_obsolete=True, verbosity=0)
    finally:
        os.chdir(cwd)
    return copy / "locale" / language / "LC_MESSAGES" / "django.po"


def _untranslated(po, scope):
    """The msgids of `po` used in `scope` (source paths; None: anywhere) that are fuzzy or lack a
    translation. The file is first rewritten by msgcat so that every string is on one line."""
    text = subprocess.run(["msgcat", "--no-wrap", str(po)], capture_output=True, text=True, check=True).stdout
    missing = []
    for entry in text.split("\n\n")[1:]:  # the first is the header
        refs = " ".join(re.findall(r"^#: (.*)$", entry, flags=re.M))
        if scope is not None and not any(part in refs for part in scope):
            continue
        msgid = re.search(r'^msgid "(.*)"$', entry, flags=re.M)
        translations = re.findall(r'^msgstr(?:\[\d+\])? "(.*)"$', entry, flags=re.M)
        if msgid and ("#, fuzzy" in entry or not translations or "" in translations):
            missing.append(msgid.group(1))
    return missing


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is not installed (apt-get install gettext)")
@pytest.mark.parametrize("language", SHIPPED)
def test_every_string_is_translated_in_every_shipped_catalogue(tmp_path, language):
    po = _catalogue_of_the_sources(tmp_path, language)
    missing = _untranslated(po, None if language in EVERYTHING else RESIDENTS)
    assert missing == [], f"{language}: {len(missing)} strings without a translation, e.g. {missing[:5]}"
    # A draft (a string no translator has checked) stays marked through `make messages`: the mark is a
    # translator comment, which the translator removes on accepting it.
    shipped = PACKAGE / "locale" / language / "LC_MESSAGES" / "django.po"
    assert po.read_text(encoding="utf-8").count(DRAFT_MARK) == shipped.read_text(encoding="utf-8").count(DRAFT_MARK)
    if language not in EVERYTHING:
        assert shipped.read_text(encoding="utf-8").count(DRAFT_MARK) > 0


def test_the_residents_languages_are_shipped():
    assert {"sv", "ar", "so", "fa"} <= set(SHIPPED)


def _visible_text(source):
    """Text of a template outside translation tags, comments, scripts and styles, with the markup
    taken out."""
    text, inside = [], 0
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0]
            if name in ("blocktranslate", "blocktrans", "comment"):
                inside += 1
            elif name in ("endblocktranslate", "endblocktrans", "endcomment"):
                inside -= 1
        elif token.token_type == TokenType.TEXT and not inside:
            text.append(token.contents)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", " ".join(text), flags=re.S)
    html = re.sub(r"<[^>]*>|&[a-z]+;|&#\d+;", " ", re.sub(r"<[^<>]*$|^[^<>]*>", " ", html))
    return [w for w in re.findall(r"[^\W\d_][\w'’-]*", html) if w not in ALLOWED]


def test_templates_have_no_text_outside_translation_tags():
    found = {}
    for path in sorted(PACKAGE.rglob("templates/**/*.html")):
        if "admin" in path.parts:
            continue
        words = _visible_text(path.read_text(encoding="utf-8"))
        if words:
            found[str(path.relative_to(PACKAGE))] = words[:8]
    assert found == {}, "text outside translation tags:\n" + "\n".join(f"{k}: {v}" for k, v in found.items())
