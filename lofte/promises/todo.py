"""What needs doing for a promise: the staff dashboard's list, from the progress and the dates.

Reviews of citizen promises found that residents heard little once a promise was made; these are
the reminders that keep a promise followed up: milestones coming due, targets behind their pace,
commitments nobody has written an update about, a draft the check still finds vague.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Max
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lofte.analysis.progress import Progress
from lofte.analysis.vocabulary import Status
from lofte.promises.models import Promise

DUE_SOON_DAYS = 30
QUIET_DAYS = 60  # a commitment without an update for this long, while the promise runs


@dataclass(frozen=True)
class ToDo:
    kind: str  # "overdue", "due", "behind", "quiet", "check"
    text: str
    commitment: object | None = None  # the Commitment, when it is about one


def todo(promise: Promise, progress: Mapping[int, Progress], today: date, *, findings: int = 0) -> list[ToDo]:
    """What needs doing for `promise`, most urgent first. `progress`: {commitment id: Progress}."""
    commitments = list(promise.commitments.all())
    latest = dict(promise.commitments.annotate(last=Max("updates__published_on")).values_list("pk", "last"))
    running = promise.is_public and promise.period_start <= today <= promise.period_end
    items = []
    if promise.status == promise.Status.DRAFT and findings:
        items.append(ToDo("check", _("The promise check has %(n)s findings.") % {"n": findings}))
    for c in commitments:
        if c.kind == c.Kind.MILESTONE and c.due_date and not c.done_date:
            if c.due_date < today:
                items.append(ToDo("overdue", _("Overdue since %(day)s.") % {"day": _day(c.due_date)}, c))
            elif c.due_date <= today + timedelta(days=DUE_SOON_DAYS):
                items.append(ToDo("due", _("Due on %(day)s.") % {"day": _day(c.due_date)}, c))
        state = progress.get(c.pk)
        if running and c.kind == c.Kind.TARGET and state is not None and state.status == Status.BEHIND:
            items.append(ToDo("behind", _("Behind the pace the target needs."), c))
        last = latest.get(c.pk) or promise.period_start
        finished = c.kind == c.Kind.MILESTONE and c.done_date is not None
        if running and not finished and (today - last).days >= QUIET_DAYS:
            items.append(ToDo("quiet", _("No update for residents for %(n)s days.") % {"n": (today - last).days}, c))
    order = ["check", "overdue", "due", "behind", "quiet"]
    return sorted(items, key=lambda item: order.index(item.kind))


def _day(day: date) -> str:
    return date_format(day, "DATE_FORMAT")
