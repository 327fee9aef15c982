"""Printable invitation and reminder letters (PDF, A4, one page per person).

The address sits where a C5/C4 window envelope shows it. The QR code carries the survey's
address with the code after "#": a browser never sends the part after "#" to the server, so
codes do not end up in web server logs; the answering page copies it into the code field.
"""

import itertools
import math
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from reportlab.graphics.barcode import qrencoder
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.pdfgen.canvas import Canvas

from lofte.surveys.models import Invitation, Wave

from . import codes

Mark = Callable[[str], str]

TEXTS: dict[str, dict[str, Any]] = {
    "invite": {
        "sv": (
            "Hur trygg känner du dig i ditt område?",
            "Du är en av dem som lottats ut att svara på en enkät om trygghet i {area}. {organisations} "
            "använder svaren för att välja och följa upp medborgarlöftet i området. Det tar omkring "
            "tio minuter. Dina svar är frivilliga{anonymous}.",
        ),
        "en": (
            "How safe do you feel in your area?",
            "You are one of the people chosen at random to answer a survey about safety in {area}. "
            "{organisations} use the answers to choose and follow up the citizen promise in the area. "
            "It takes about ten minutes. Answering is voluntary{anonymous}.",
        ),
        "ar": (
            "ما مدى شعورك بالأمان في منطقتك؟",
            "أنت واحد من الأشخاص الذين اختيروا عشوائياً للإجابة عن استطلاع حول الأمان في {area}. تستخدم "
            "{organisations} الإجابات لاختيار وعد المواطنين في المنطقة ومتابعته. يستغرق ذلك نحو عشر دقائق. "
            "الإجابة طوعية{anonymous}.",
        ),
        "fa": (
            "در محله‌ی خود چقدر احساس امنیت می‌کنید؟",
            "شما یکی از افرادی هستید که به‌طور تصادفی برای پاسخ به یک نظرسنجی درباره‌ی امنیت در {area} انتخاب "
            "شده‌اید. {organisations} از پاسخ‌ها برای انتخاب و پیگیری تعهد به شهروندان در این منطقه استفاده "
            "می‌کنند. پاسخ دادن حدود ده دقیقه طول می‌کشد. پاسخ دادن داوطلبانه است{anonymous}.",
        ),
        "so": (
            "Intee in le ayaad ammaan ku dareentaa aaggaaga?",
            "Waxaad ka mid tahay dadka si nasiib ah loo doortay si ay uga jawaabaan sahan ku saabsan amniga "
            "{area}. {organisations} waxay jawaabaha u isticmaalaan inay doortaan oo dabagal ku sameeyaan "
            "ballanqaadka muwaadiniinta ee aagga. Waxay qaadataa qiyaastii toban daqiiqo. Ka jawaabiddu waa "
            "ikhtiyaari{anonymous}.",
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
        "ar": (
            "تذكير: ما مدى شعورك بالأمان في منطقتك؟",
            "قبل بضعة أسابيع تلقيت دعوة للإجابة عن استطلاع حول الأمان في {area}. إذا كنت قد أجبت بالفعل: شكراً "
            "لك! وإن لم تكن قد أجبت، فإجابتك ما زالت مهمة.",
        ),
        "fa": (
            "یادآوری: در محله‌ی خود چقدر احساس امنیت می‌کنید؟",
            "چند هفته پیش از شما دعوت شد تا به یک نظرسنجی درباره‌ی امنیت در {area} پاسخ دهید. اگر پاسخ داده‌اید: "
            "سپاسگزاریم! اگر نه، پاسخ شما هنوز ارزشمند است.",
        ),
        "so": (
            "Xusuusin: intee in le ayaad ammaan ku dareentaa aaggaaga?",
            "Dhowr toddobaad ka hor waxaa lagugu casuumay inaad ka jawaabto sahan ku saabsan amniga {area}. "
            "Haddii aad horay u jawaabtay: mahadsanid! Haddii kale, jawaabtaadu weli waa muhiim.",
        ),
    },
    "anonymous": {
        "sv": " och anonyma: ingen kan se vad just du har svarat",
        "en": " and anonymous: nobody can see what you answered",
        "ar": " ومجهولة الهوية: لا يستطيع أحد أن يرى ما أجبت به أنت تحديداً",
        "fa": " و بی‌نام: هیچ‌کس نمی‌تواند ببیند شما چه پاسخی داده‌اید",
        "so": " oo qarsoodi ah: qofna ma arki karo waxaad adigu ka jawaabtay",
    },
    "protected": {
        "sv": "Svaren sparas utan namn och redovisas bara för grupper med minst {n} svar. Mer om hur "
        "svaren skyddas: {privacy}",
        "en": "Answers are stored without names and reported only for groups of at least {n}. How answers "
        "are protected: {privacy}",
        "ar": "تُحفَظ الإجابات من دون أسماء ولا تُعرض إلا لمجموعات من {n} على الأقل. كيف تُحمى الإجابات: {privacy}",
        "fa": "پاسخ‌ها بدون نام ذخیره می‌شوند و فقط برای گروه‌هایی با دست‌کم {n} پاسخ گزارش می‌شوند. چگونگی "
        "حفاظت از پاسخ‌ها: {privacy}",
        "so": "Jawaabaha waxaa lagu kaydiyaa magac la'aan, waxaana lagu warbixiyaa oo keliya kooxo ugu yaraan {n} "
        "ah. Sida jawaabaha loo ilaaliyo: {privacy}",
    },
    "contact": {"sv": "Frågor", "en": "Questions", "ar": "أسئلة", "fa": "پرسش‌ها", "so": "Su'aalo"},
    "how": {
        "sv": "Gå till {url} och skriv in din kod, eller skanna QR-koden.",
        "en": "Go to {url} and type in your code, or scan the QR code.",
        "ar": "اذهب إلى {url} واكتب رمزك، أو امسح رمز QR.",
        "fa": "به {url} بروید و کد خود را وارد کنید، یا کد QR را اسکن کنید.",
        "so": "Tag {url} oo qor koodhkaaga, ama iskaan garee koodhka QR.",
    },
    "code": {"sv": "Din kod", "en": "Your code", "ar": "رمزك", "fa": "کد شما", "so": "Koodhkaaga"},
    "closes": {
        "sv": "Enkäten är öppen till och med {day}.",
        "en": "The survey is open until {day}.",
        "ar": "الاستطلاع مفتوح حتى {day}.",
        "fa": "نظرسنجی تا {day} باز است.",
        "so": "Sahanku wuu furan yahay ilaa {day}.",
    },
    "and": {"sv": " och ", "en": " and ", "ar": " و", "fa": " و ", "so": " iyo "},
}


# Somali is written in Latin letters and prints with the letter's fonts; Arabic and Persian need a
# text shaper that ReportLab lacks, so their readers find the questionnaire by the web page's
# language switch.
SOMALI_LINE = "Su'aalaha af-Soomaali: {url}"


def survey_url() -> str:
    return settings.LOFTE_PUBLIC_URL.rstrip("/") + reverse("survey-start")


def _paragraph(
    pdf: Canvas, text: str, x: float, y: float, width: float, size: float = 11, leading: float = 15, draw: bool = True
) -> float:
    """Write `text` wrapped to `width` from `y` down; the `y` below it (with `draw` False: measure only)."""
    words, line = text.split(), ""
    for word in words:
        trial = f"{line} {word}".strip()
        if pdf.stringWidth(trial, "Helvetica", size) > width:
            if draw:
                pdf.drawString(x, y, line)
            y, line = y - leading, word
        else:
            line = trial
    if line and draw:
        pdf.drawString(x, y, line)
    return y - leading * 1.6


def _letter_size(pdf: Canvas, blocks: list[tuple[str, list[str]]], top: float, bottom: float) -> float:
    """The largest font (11, 10 or 9 pt) in which the letter's (title, paragraphs) blocks, written
    from `top` down, end above `bottom`, where the contact line and the code are."""
    return next((s for s in (11, 10) if _letter_text_at(pdf, blocks, top, s, draw=False) >= bottom), 9)


def _letter_text_at(pdf: Canvas, blocks: list[tuple[str, list[str]]], y: float, size: float, *, draw: bool) -> float:
    for title, paragraphs in blocks:
        if draw:
            pdf.setFont("Helvetica-Bold", size + 2)
            pdf.drawString(20 * mm, y, title)
            pdf.setFont("Helvetica", size)
        y -= 8 * mm
        for text in paragraphs:
            y = _paragraph(pdf, text, 20 * mm, y, 170 * mm, size=size, leading=size * 1.35, draw=draw)
    return y


def _listed(names: list[str], last: str) -> str:
    """'A', 'A och B', 'A, B och C'."""
    return last.join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)


def _blocks(wave: Wave, kind: str, url: str) -> list[tuple[str, list[str]]]:
    """The letter's text in Swedish and English: (title, paragraphs) per language."""
    return [text_of(wave, kind, url, language, day=wave.closes_on.isoformat()) for language in ("sv", "en")]


def text_of(
    wave: Wave, kind: str, url: str, language: str, *, day: str, name: Mark = str, link: Mark = str
) -> tuple[str, list[str]]:
    """The letter's (title, paragraphs) in `language`, sending the reader to `url` until `day`. `name`
    writes a Swedish name (the area's, the organisations'), `link` an address: a letter in a script
    written right to left isolates them."""
    survey = wave.survey
    names = [name(org.name) for org in survey.organisations.all()]
    privacy = settings.LOFTE_PUBLIC_URL.rstrip("/")
    with translation.override(language):
        joined = _listed(names, TEXTS["and"][language])
        title, body = TEXTS[kind][language]
        anonymous = TEXTS["anonymous"][language] if survey.anonymous else ""
        area = name(survey.area.name)
        paragraphs = [body.format(area=area, anonymous=anonymous, organisations=joined or "Löfte")]
        if kind == "invite":
            paragraphs.append(
                TEXTS["protected"][language].format(
                    n=settings.LOFTE_SURVEY_MIN_ANSWERS, privacy=link(privacy + reverse("privacy"))
                )
            )
        paragraphs.append(TEXTS["how"][language].format(url=link(url)))
        paragraphs.append(TEXTS["closes"][language].format(day=day))
    return title, paragraphs


def _qr(pdf: Canvas, data: str, x: float, y: float, size: float, *, quiet: int = 4) -> None:
    """Draw `data` as a QR code (error correction L) in the square of `size` points at (`x`, `y`),
    with a margin of `quiet` modules. One filled path of the dark runs: ReportLab's widget encodes
    the code twice and draws each run as a shape of its own, 80 % of a letter's time."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.L)
    code.addData(data)
    code.make()
    box = size / (code.getModuleCount() + 2 * quiet)
    path = pdf.beginPath()
    for row, modules in enumerate(code.modules):
        column = 0
        for dark, run in itertools.groupby(bool(module) for module in modules):
            length = len(list(run))
            if dark:
                path.rect(x + (column + quiet) * box, y + size - (row + quiet + 1) * box, length * box, box)
            column += length
    pdf.drawPath(path, stroke=0, fill=1)


class LetterError(ValueError):
    pass


def code_of(wave: Wave, invitation: Invitation) -> str:
    """The invitation's single-use code, made again from the wave's salt and the server's key."""
    code = codes.code_for(wave.code_salt, invitation.number)
    if codes.digest(code) != invitation.digest:
        raise LetterError(
            "the server's secret key (LOFTE_SECRET_KEY) has changed since this sample was drawn: "
            "its codes cannot be printed again; restore the key or draw a new sample"
        )
    return code


def recipients(wave: Wave, kind: str) -> QuerySet[Invitation]:
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


def write(
    out: str | Path | BinaryIO | HttpResponse,
    wave: Wave,
    invitations: Iterable[Invitation],
    *,
    kind: str = "invite",
    today: date | None = None,
    compress: bool = True,
) -> None:
    """Write one letter per invitation to `out` (a path or a binary file)."""
    url = survey_url()
    with translation.override("so"):
        somali_url = settings.LOFTE_PUBLIC_URL.rstrip("/") + reverse("survey-start")
    blocks = _blocks(wave, kind, url)
    organisations = list(wave.survey.organisations.all())
    contacts = " · ".join(
        f"{org.name} {org.contact_phone or org.contact_email}" for org in organisations
        if org.contact_phone or org.contact_email
    )  # fmt: skip
    pdf = canvas.Canvas(out, pagesize=A4, pageCompression=1 if compress else 0)
    pdf.setTitle(f"{wave.survey.name} – {wave.label}")
    width, height = A4
    size = _letter_size(pdf, blocks, height - 95 * mm, 72 * mm)  # the same text on every letter
    for invitation in invitations:
        code = code_of(wave, invitation)
        y = height - 45 * mm
        pdf.setFont("Helvetica", 11)
        for line in (invitation.address or "").splitlines():
            pdf.drawString(25 * mm, y, line.strip())
            y -= 5 * mm
        pdf.drawRightString(width - 20 * mm, height - 20 * mm, (today or date.today()).isoformat())
        pdf.drawRightString(width - 20 * mm, height - 26 * mm, f"#{invitation.number}")
        _letter_text_at(pdf, blocks, height - 95 * mm, size, draw=True)
        pdf.setFont("Helvetica", 9)
        pdf.drawString(20 * mm, 67 * mm, SOMALI_LINE.format(url=somali_url))
        if contacts:
            pdf.setFont("Helvetica", 9)
            pdf.drawString(20 * mm, 62 * mm, f"{TEXTS['contact']['sv']} / {TEXTS['contact']['en']}: {contacts}")
        pdf.setFont("Helvetica", 11)
        pdf.drawString(20 * mm, 55 * mm, f"{TEXTS['code']['sv']} / {TEXTS['code']['en']}:")
        pdf.setFont("Courier-Bold", 24)
        pdf.drawString(20 * mm, 43 * mm, code)
        _qr(pdf, f"{url}#{code}", width - 60 * mm, 25 * mm, 40 * mm)
        pdf.setFont("Helvetica", 9)
        pdf.drawString(20 * mm, 20 * mm, wave.survey.name)
        pdf.showPage()
    pdf.save()


# Letters written a second, for the survey page's estimate: 66 on a quiet two-core server
# (docs/benchmarks.md), a third of that while it serves others.
PACE = 20


def seconds_for(letters: int) -> int:
    """About how many seconds writing `letters` letters takes (at least one)."""
    return max(1, math.ceil(letters / PACE))


def send(out: str | Path | BinaryIO | HttpResponse, wave: Wave, kind: str) -> int:
    """Write the letters of `kind` ("invite" or "remind") for `wave` to `out`, note the day on
    reminded invitations, and return how many letters there are. Raises LetterError."""
    invitations = list(recipients(wave, kind))
    write(out, wave, invitations, kind=kind)
    if kind == "remind":
        wave.invitations.filter(pk__in=[i.pk for i in invitations]).update(reminded_on=timezone.localdate())
    return len(invitations)
