"""Printable invitation and reminder letters (PDF, A4, one page per person).

The address sits where a C5/C4 window envelope shows it. The QR code carries the survey's
address with the code after "#": a browser never sends the part after "#" to the server, so
codes do not end up in web server logs; the answering page copies it into the code field.
"""

from datetime import date
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from . import codes

TEXTS: dict[str, dict[str, Any]] = {
    "invite": {
        "sv": (
            "Hur trygg känner du dig i ditt område?",
            "Du är en av dem som lottats ut att svara på en enkät om trygghet i {area}. Polisen och "
            "kommunen använder svaren för att följa upp medborgarlöftet i området. Det tar omkring "
            "tio minuter. Dina svar är frivilliga{anonymous}.",
        ),
        "en": (
            "How safe do you feel in your area?",
            "You are one of the people chosen at random to answer a survey about safety in {area}. The "
            "police and the municipality use the answers to follow up the citizen promise in the area. "
            "It takes about ten minutes. Answering is voluntary{anonymous}.",
        ),
    },
    "remind": {
        "sv": (
            "Påminnelse: hur trygg känner du dig i ditt område?",
            "För några veckor sedan fick du en inbjudan att svara på en enkät om trygghet i {area}. "
            "Om du redan har svarat: tack! Annars är ditt svar fortfarande värdefullt.",
        ),
        "en": (
            "Reminder: how safe do you feel in your area?",
            "A few weeks ago you were invited to answer a survey about safety in {area}. If you have "
            "already answered: thank you! If not, your answer still matters.",
        ),
    },
    "anonymous": {
        "sv": " och anonyma: ingen kan se vad just du har svarat",
        "en": " and anonymous: nobody can see what you answered",
    },
    "how": {
        "sv": "Gå till {url} och skriv in din kod, eller skanna QR-koden.",
        "en": "Go to {url} and type in your code, or scan the QR code.",
    },
    "code": {"sv": "Din kod", "en": "Your code"},
    "closes": {"sv": "Enkäten är öppen till och med {day}.", "en": "The survey is open until {day}."},
}


def survey_url():
    return settings.LOFTE_PUBLIC_URL.rstrip("/") + reverse("survey-start")


def _paragraph(pdf, text, x, y, width, size=11, leading=15):
    words, line = text.split(), ""
    for word in words:
        trial = f"{line} {word}".strip()
        if pdf.stringWidth(trial, "Helvetica", size) > width:
            pdf.drawString(x, y, line)
            y, line = y - leading, word
        else:
            line = trial
    if line:
        pdf.drawString(x, y, line)
    return y - leading * 1.6


def _qr(pdf, data, x, y, size):
    widget = QrCodeWidget(data)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, pdf, x, y)


class LetterError(ValueError):
    pass


def recipients(wave, kind):
    """Everyone invited; for reminders, those who have not answered (not in anonymous surveys,
    where who has answered is deliberately not something the letters may act on)."""
    invitations = wave.invitations.order_by("number")
    if kind == "remind":
        if wave.survey.anonymous:
            raise LetterError(
                "reminders need a survey that is not anonymous: in an anonymous survey, send "
                "the reminder to everyone in the sample instead"
            )
        invitations = invitations.filter(used=False)
    return invitations


def write(out, wave, invitations, *, kind="invite", today=None, compress=True):
    """Write one letter per invitation to `out` (a path or a binary file)."""
    url = survey_url()
    area = wave.survey.area.name
    pdf = canvas.Canvas(out, pagesize=A4, pageCompression=1 if compress else 0)
    pdf.setTitle(f"{wave.survey.name} – {wave.label}")
    width, height = A4
    for invitation in invitations:
        code = codes.code_for(wave.code_salt, invitation.number)
        if codes.digest(code) != invitation.digest:
            raise LetterError(
                "the server's secret key (LOFTE_SECRET_KEY) has changed since this sample was drawn: "
                "its codes cannot be printed again; restore the key or draw a new sample"
            )
        y = height - 45 * mm
        pdf.setFont("Helvetica", 11)
        for line in (invitation.address or "").splitlines():
            pdf.drawString(25 * mm, y, line.strip())
            y -= 5 * mm
        pdf.drawRightString(width - 20 * mm, height - 20 * mm, (today or date.today()).isoformat())
        pdf.drawRightString(width - 20 * mm, height - 26 * mm, f"#{invitation.number}")
        y = height - 95 * mm
        for language in ("sv", "en"):
            with translation.override(language):
                title, body = TEXTS[kind][language]
                anonymous = TEXTS["anonymous"][language] if wave.survey.anonymous else ""
                pdf.setFont("Helvetica-Bold", 13)
                pdf.drawString(20 * mm, y, title)
                pdf.setFont("Helvetica", 11)
                y = _paragraph(pdf, body.format(area=area, anonymous=anonymous), 20 * mm, y - 8 * mm, 170 * mm)
                y = _paragraph(pdf, TEXTS["how"][language].format(url=url), 20 * mm, y, 170 * mm)
                y = _paragraph(
                    pdf, TEXTS["closes"][language].format(day=wave.closes_on.isoformat()), 20 * mm, y, 170 * mm
                )
        pdf.setFont("Helvetica", 11)
        pdf.drawString(20 * mm, 55 * mm, f"{TEXTS['code']['sv']} / {TEXTS['code']['en']}:")
        pdf.setFont("Courier-Bold", 24)
        pdf.drawString(20 * mm, 43 * mm, code)
        _qr(pdf, f"{url}#{code}", width - 60 * mm, 25 * mm, 40 * mm)
        pdf.setFont("Helvetica", 9)
        pdf.drawString(20 * mm, 20 * mm, wave.survey.name)
        pdf.showPage()
    pdf.save()


def send(out, wave, kind):
    """Write the letters of `kind` ("invite" or "remind") for `wave` to `out`, note the day on
    reminded invitations, and return how many letters there are. Raises LetterError."""
    invitations = list(recipients(wave, kind))
    write(out, wave, invitations, kind=kind)
    if kind == "remind":
        wave.invitations.filter(pk__in=[i.pk for i in invitations]).update(reminded_on=timezone.localdate())
    return len(invitations)
