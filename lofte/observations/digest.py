"""The weekly picture by e-mail: every Monday, to each member who asked for an area's, last week's picture.

`lofte send-weekly-digests` runs it (a timer, docs/deploy.md). A subscription remembers the last week
it sent, so a second run in the same week sends nothing again and a run missed one Monday catches up
with the latest week only. Whether the member may still read the area's situation picture is asked
at each sending: one who left the organisation gets nothing, and the wish is dropped.
"""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lofte.incidents.disclosure import disclosure_for
from lofte.places.permissions import areas

from . import weekly
from .models import WeeklyDigest

log = logging.getLogger(__name__)


def send_due(*, today: date | None = None) -> int:
    """Send last week's picture to every subscription that has not had it; the number sent."""
    monday = weekly.monday_of(today or timezone.localdate()) - timedelta(days=7)
    due = WeeklyDigest.objects.filter(Q(last_week_sent=None) | Q(last_week_sent__lt=monday))
    sent = 0
    for wish in due.select_related("user", "area").order_by("pk"):
        user, area = wish.user, wish.area
        if not (user.is_active and areas.can(user, "situation", area)):
            wish.delete()
            continue
        if user.email:
            with translation.override(settings.LANGUAGE_CODE):
                send_mail(*_message(user, area, monday), None, [user.email])
            sent += 1
        WeeklyDigest.objects.filter(pk=wish.pk).update(last_week_sent=monday)
    log.info("weekly digests sent: %s (week %s)", sent, weekly.week_label(monday))
    return sent


def _message(user: object, area: object, monday: date) -> tuple[str, str]:
    found = weekly.week_picture(area, monday)  # type: ignore[arg-type]
    rows = weekly.shown_rows(found, disclosure_for(user, area))  # type: ignore[arg-type]
    names = weekly.labels(r["code"] for r in rows if r["kind"] == weekly.OBSERVATION)
    for row in rows:
        row["label"] = names.get(row["code"], row["code"])
    page = reverse("area-week", args=[found.area_code]) + f"?week={found.label}"
    context = {
        "area": area,
        "week": found.label,
        "monday": found.monday,
        "sunday": found.sunday,
        "unusual": [r for r in rows if r["unusual"]],
        "observations": sum(r["count"] or 0 for r in rows if r["kind"] == weekly.OBSERVATION),
        "link": settings.LOFTE_PUBLIC_URL.rstrip("/") + page,
    }
    subject = _("The week in %(area)s: %(week)s") % {"area": area, "week": found.label}
    return subject, render_to_string("observations/digest_email.txt", context)
