"""A reminder when a municipality's decided situation report is older than the period it set
(`SituationReport.review_months`): its owners and administrators get one e-mail per version, so that
the lägesbild and the action plan are reviewed rather than left to age (`lofte remind-situation-reports`,
run daily)."""

import logging
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lofte.accounts.models import Role

from .models import SituationReport

log = logging.getLogger(__name__)


def months_later(day: date, months: int) -> date:
    """The same day `months` later (the month's last day where it is shorter)."""
    import calendar

    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due(today: date) -> list[SituationReport]:
    """The latest decided version of each area's latest report, older than its review period and not
    yet reminded of."""
    decided = SituationReport.objects.filter(
        status__in=[SituationReport.Status.DECIDED, SituationReport.Status.PUBLISHED]
    )
    latest_years = decided.values("area").annotate(year=Max("year"))
    found = []
    for row in latest_years:
        report = decided.filter(area=row["area"], year=row["year"]).order_by("-version").first()
        if report is None or report.decided_on is None or report.reminded_at is not None:
            continue
        if SituationReport.objects.filter(area=report.area, year__gt=report.year).exists():
            continue  # a newer report is being made
        if months_later(report.decided_on, report.review_months) <= today:
            found.append(report)
    return found


def send_due(*, today: date | None = None) -> int:
    """E-mail the owners and administrators of each report that is due; the number of e-mails sent."""
    today = today or timezone.localdate()
    sent = 0
    for report in due(today):
        people = get_user_model().objects.filter(
            is_active=True, memberships__organisation=report.organisation,
            memberships__role__in=[Role.OWNER, Role.ADMIN],
        ).exclude(email="").distinct()  # fmt: skip
        link = settings.LOFTE_PUBLIC_URL.rstrip("/") + reverse("plan-report", args=[report.pk])
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Time to review the situation report: %(title)s") % {"title": report.title}
            body = _(
                "%(title)s (version %(version)s) was decided on %(day)s, more than %(months)s months ago. "
                "Review the situation report and the action plan: start a new version from the decided one, "
                "or a report for a new year."
            ) % {"title": report.title, "version": report.version, "day": report.decided_on,
                 "months": report.review_months}  # fmt: skip
            body = f"{body}\n\n{link}\n"
        for person in people:
            send_mail(subject, body, None, [person.email])
            sent += 1
        SituationReport.objects.filter(pk=report.pk).update(reminded_at=timezone.now())
    log.info("situation report reminders sent: %s", sent)
    return sent
