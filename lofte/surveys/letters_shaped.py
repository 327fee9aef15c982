"""Invitation and reminder letters in Arabic, Persian or Somali, laid out by WeasyPrint: Pango and
HarfBuzz shape Arabic script (which ReportLab's letters in `letters` cannot), the page runs right to
left where the language does, and the PDF is tagged (PDF/UA-1) with its language, so that the text
extracts and is read aloud in reading order. The layout is the Swedish letter's: the address where a
C5/C4 window envelope shows it, the code and its QR code at the foot."""

import math
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from reportlab.graphics.barcode import qrencoder

from lofte.surveys.models import Invitation, Wave

from .letters import TEXTS, LetterError, code_of, recipients, text_of

LANGUAGES = ("ar", "fa", "so")
# Marks around the names and addresses in a paragraph, made into isolating elements once it is escaped.
_NAME, _LINK, _END = "\x02", "\x04", "\x03"


def _html(text: str) -> SafeString:
    html = str(escape(text))
    html = html.replace(_NAME, '<bdi lang="sv" dir="ltr">').replace(_LINK, '<bdi dir="ltr">').replace(_END, "</bdi>")
    return mark_safe(html)  # noqa: S308  (escaped above; the marks are ours)


def qr_svg(data: str, *, quiet: int = 4) -> SafeString:
    """`data` as a QR code (error correction L, as on the Swedish letter) in an SVG of one path."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.L)
    code.addData(data)
    code.make()
    size = code.getModuleCount() + 2 * quiet
    runs = []
    for row, modules in enumerate(code.modules):
        column = 0
        while column < len(modules):
            if modules[column]:
                start = column
                while column < len(modules) and modules[column]:
                    column += 1
                runs.append(f"M{start + quiet} {row + quiet}h{column - start}v1h-{column - start}z")
            else:
                column += 1
    return mark_safe(  # noqa: S308  (numbers only)
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" role="img" aria-hidden="true">'
        f'<path d="{"".join(runs)}"/></svg>'
    )


def write(
    out: str | Path | BinaryIO | Any,
    wave: Wave,
    invitations: Iterable[Invitation],
    *,
    language: str,
    kind: str = "invite",
    today: date | None = None,
) -> None:
    """Write one letter per invitation in `language` to `out` (a path or a binary file)."""
    if language not in LANGUAGES:
        raise LetterError(f"letters are written in Swedish and English, or in {', '.join(LANGUAGES)}")
    from weasyprint import HTML

    with translation.override(language):
        url = settings.LOFTE_PUBLIC_URL.rstrip("/") + reverse("survey-start")
        title, paragraphs = text_of(
            wave, kind, url, language, day=date_format(wave.closes_on, "DATE_FORMAT"),
            name=lambda text: f"{_NAME}{text}{_END}", link=lambda text: f"{_LINK}{text}{_END}",
        )  # fmt: skip
        letters = []
        for invitation in invitations:
            code = code_of(wave, invitation)
            letters.append({"invitation": invitation, "code": code, "qr": qr_svg(f"{url}#{code}")})
        organisations = [org for org in wave.survey.organisations.all() if org.contact_phone or org.contact_email]
        html = render_to_string("surveys/letter.html", {
            "language": language, "direction": "rtl" if language in settings.LANGUAGES_BIDI else "ltr",
            "title": title, "paragraphs": [_html(p) for p in paragraphs], "letters": letters,
            "today": (today or date.today()).isoformat(), "survey": wave.survey, "wave": wave,
            "contact_label": TEXTS["contact"][language], "code_label": TEXTS["code"][language],
            "organisations": organisations,
        })  # fmt: skip
    HTML(string=html, base_url=settings.LOFTE_PUBLIC_URL).write_pdf(out, pdf_variant="pdf/ua-1")


# Letters laid out a second, for the survey page's estimate: 33 on a quiet two-core server (WeasyPrint
# lays out whole pages, a fifth of ReportLab's pace; docs/benchmarks.md), a third of that while it
# serves others.
PACE = 10


def seconds_for(letters: int) -> int:
    """About how many seconds writing `letters` letters takes (at least one)."""
    return max(1, math.ceil(letters / PACE))


def send(out: str | Path | BinaryIO | Any, wave: Wave, kind: str, language: str) -> int:
    """Write the letters of `kind` for `wave` in `language` to `out`, note the day on reminded
    invitations, and return how many letters there are. Raises LetterError."""
    invitations = list(recipients(wave, kind))
    write(out, wave, invitations, language=language, kind=kind)
    if kind == "remind":
        wave.invitations.filter(pk__in=[i.pk for i in invitations]).update(reminded_on=timezone.localdate())
    return len(invitations)
