"""Residents' reports of unsafe places: the public form, moderation, follow-up and its feedback.

No account: a report needs a category, a point inside the area (or one of its places) and a short
text without contact details or personal data, and one address may send at most LIMIT_PER_HOUR. The
e-mail address a resident may leave is used only to say what became of the report, kept encrypted,
and deleted LOFTE_RESIDENT_CONTACT_DAYS after the report (`purge_contacts`). Nothing is shown to the
public before an owner or analyst of the area's organisations has published it; a published report
shows its status (reported, under review, action planned, done, declined with a reason) and the
action taken, as FixMyStreet's do.
"""

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lofte.core.limits import count_in_hour
from lofte.core.personal_data import contact_details, personal_data
from lofte.core.problems import InputProblem
from lofte.places.models import Area, Place

from .models import Action, Category, ResidentReport
from .permissions import resident_reports as policy

LIMIT_PER_HOUR = 5
MAX_LENGTH = 1000
log = logging.getLogger(__name__)


def submit(
    address: str,
    area: Area,
    *,
    category: str,
    text: str,
    place: int | None = None,
    lon: float | None = None,
    lat: float | None = None,
    contact: str = "",
    language: str = "",
) -> ResidentReport:
    """A resident's report on the area's public form, waiting for moderation; InputProblem naming the
    field when it is refused (429 when the address has sent too many this hour)."""
    found = Category.objects.filter(code=category, active=True).first()
    if found is None:
        raise InputProblem("category", _("Choose what kind of problem it is."))
    text = " ".join((text or "").split())
    if not text:
        raise InputProblem("text", _("Write what makes the place unsafe."))
    if len(text) > MAX_LENGTH:
        raise InputProblem("text", _("At most %(n)s characters.") % {"n": MAX_LENGTH})
    if contact_details(text) or personal_data(text):
        raise InputProblem(
            "text", _("Leave out names, links, e-mail addresses and telephone numbers: reports are shown publicly.")
        )
    spot = Place.objects.filter(pk=place, area=area).first() if place else None
    if place and spot is None:
        raise InputProblem("place", _("Choose one of the area's places, or a point on the map."))
    if spot is not None:
        lon, lat = spot.centre()
    if lon is None or lat is None:
        raise InputProblem("place", _("Choose a place, or mark the point on the map."))
    if not area.contains(lon, lat):
        raise InputProblem("place", _("The point is outside the area: mark a point inside its outline."))
    contact = (contact or "").strip()
    if contact:
        try:
            validate_email(contact)
        except ValidationError:
            raise InputProblem("contact", _("Give an e-mail address, or leave the field empty.")) from None
    if count_in_hour(f"resident-reports:{address}") > LIMIT_PER_HOUR:
        raise InputProblem("text", _("You have sent several reports in a short time. Try again in an hour."), 429)
    return ResidentReport.objects.create(
        area=area, category=found, place=spot, lon=lon, lat=lat, text=text, contact=contact,
        language=language[:10],
    )  # fmt: skip


def moderate(user: Any, report: ResidentReport, *, publish: bool) -> ResidentReport:
    if not policy.can(user, "moderate", report):
        raise InputProblem("report", _("Only owners and analysts of the area's organisations moderate."), 403)
    report.moderation = ResidentReport.Moderation.PUBLISHED if publish else ResidentReport.Moderation.REJECTED
    report.moderated_at, report.moderated_by = timezone.now(), user
    report.save(update_fields=["moderation", "moderated_at", "moderated_by"])
    return report


def follow_up(user: Any, report: ResidentReport, *, status: str, note: str = "", action: int | None = None) -> bool:
    """Set the report's status, public note and action; tell the resident by e-mail when they left an
    address and the status changed. Returns whether an e-mail was sent."""
    if not policy.can(user, "moderate", report):
        raise InputProblem("report", _("Only owners and analysts of the area's organisations follow up."), 403)
    if status not in ResidentReport.Status.values:
        raise InputProblem("status", _("No such status: %(status)s.") % {"status": status})
    note = " ".join((note or "").split())
    if status == ResidentReport.Status.DECLINED and not note:
        raise InputProblem("status_note", _("Say why: the resident and the public read it."))
    if contact_details(note) or personal_data(note):
        raise InputProblem("status_note", _("The note is public: leave out names, numbers and addresses."))
    taken = None
    if action:
        taken = Action.objects.filter(pk=action, area=report.area).first()
        if taken is None:
            raise InputProblem("action", _("No such action in the area."))
    changed = status != report.status
    report.status, report.status_note, report.action = status, note, taken
    report.save(update_fields=["status", "status_note", "action"])
    if changed and report.contact:
        _tell(report)
        return True
    return False


def _tell(report: ResidentReport) -> None:
    """E-mail the resident what became of their report, in the language they wrote it in."""
    language = report.language if report.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    with translation.override(language):
        link = settings.LOFTE_PUBLIC_URL.rstrip("/") + reverse("resident-reports", args=[report.area.code])
        context = {"report": report, "link": f"{link}#report-{report.pk}", "days": settings.LOFTE_RESIDENT_CONTACT_DAYS}
        subject = _("Your report in %(area)s: %(status)s") % {
            "area": report.area.name, "status": report.get_status_display()
        }  # fmt: skip
        send_mail(
            subject, render_to_string("observations/resident_feedback_email.txt", context), None, [report.contact]
        )


def purge_contacts(*, now: Any = None) -> int:
    """Delete the e-mail addresses of reports older than LOFTE_RESIDENT_CONTACT_DAYS; the number deleted."""
    before = (now or timezone.now()) - timedelta(days=settings.LOFTE_RESIDENT_CONTACT_DAYS)
    purged = ResidentReport.objects.filter(created_at__lt=before).exclude(contact="").update(contact="")
    log.info("resident contacts deleted: %s", purged)
    return purged
