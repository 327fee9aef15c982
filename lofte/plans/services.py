"""Making, referring, deciding and publishing a situation report and its action plan: one checked path
for the staff pages, the API and the commands.

The flow (lag 2023:196 §§ 4–5; prop. 2022/23:43): a draft is written and its figures generated →
sent to the police and partners for comments (kept, each with how it was taken into account) →
decided by the body that decides it (date, reference number), which freezes its figures → published.
A decided version is never changed: a new version starts from it.
"""

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lofte.accounts.models import Organisation
from lofte.core.personal_data import personal_data
from lofte.core.problems import InputProblem
from lofte.observations.models import Action, Category
from lofte.observations.permissions import actions as action_policy
from lofte.places.models import Area
from lofte.places.permissions import areas as area_policy
from lofte.promises.models import Promise
from lofte.promises.permissions import promises as promise_policy

from . import figures
from .models import WRITTEN, Measure, ReferenceValue, ReferralComment, SituationReport
from .permissions import reports as policy

Status = SituationReport.Status


class PlanError(InputProblem):
    """A change to a situation report or its plan that cannot be stored."""


def owning_organisations(user: Any) -> QuerySet[Organisation]:
    """The municipalities' organisations in whose name `user` may make a situation report."""
    return policy.organisations_for(user, "add")


def reportable_areas(user: Any) -> QuerySet[Area]:
    """The areas `user` may build a report on: those whose situation picture they may read."""
    return area_policy.visible(user, "situation").order_by("name")


def create(
    user: Any,
    *,
    organisation: Organisation | int,
    area: Area | str,
    year: int,
    title: str,
    municipality_code: str,
    municipality_name: str,
    parts: list[Area | str] | None = None,
    comparison_area: Area | str | None = None,
    partners: list[Organisation | int] | None = None,
    review_months: int = 12,
) -> SituationReport:
    """A new draft (version 1) for the area and year; its figures are generated at once."""
    owner = owning_organisations(user).filter(pk=_pk(organisation)).first()
    if owner is None:
        raise PlanError("organisation", _("You make situation reports for no such municipality."), 403)
    report = SituationReport(organisation=owner, version=1, review_months=review_months)
    report.area = _area(user, area, "area")
    if SituationReport.objects.filter(area=report.area, year=year).exists():
        raise PlanError("year", _("This area already has a report for the year: start a new version of it."))
    _fields(report, year=year, title=title, municipality_code=municipality_code, municipality_name=municipality_name)
    report.comparison_area = _area(user, comparison_area, "comparison_area") if comparison_area else None
    with transaction.atomic():
        report.stamp(user)
        report.save()
        report.parts.set([_area(user, part, "parts") for part in parts or []])
        report.partners.set(_partners(report, partners or []))
    return refresh(user, report)


def _area(user: Any, area: Area | str, field: str) -> Area:
    code = area.code if isinstance(area, Area) else area
    found = reportable_areas(user).filter(code=code).first()
    if found is None:
        raise PlanError(field, _("No such area among those whose situation picture you may read."))
    return found


def _partners(report: SituationReport, ids: list[Organisation | int]) -> list[Organisation]:
    """The organisations the report is made with: those that hold its area, the owner excepted."""
    wanted: set[int] = {_pk(o) for o in ids}
    found = list(report.area.organisations.exclude(pk=report.organisation_id).filter(pk__in=wanted))
    if len(found) != len(wanted - {report.organisation_id}):
        raise PlanError("partners", _("A partner must be an organisation that holds the area."))
    return found


def _pk(obj: Any) -> int:
    """The primary key of a model instance or of an id given as it is (a form's or the API's)."""
    value = obj.pk if hasattr(obj, "pk") else obj
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _fields(report: SituationReport, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(report, name, value.strip() if isinstance(value, str) else value)
    try:
        report.full_clean(exclude=["organisation", "area", "previous", "comparison_area"])
    except Exception as exc:  # ValidationError: name its first field
        errors = getattr(exc, "message_dict", {"report": [str(exc)]})
        field, messages = next(iter(errors.items()))
        raise PlanError(field, messages[0]) from exc


def _editable(user: Any, report: SituationReport) -> None:
    if not policy.can(user, "change", report):
        raise PlanError("report", _("Only the municipality's owners and analysts change the report."), 403)
    if report.is_decided:
        raise PlanError("status", _("A decided report is not changed: start a new version of it."), 409)


def configure(
    user: Any,
    report: SituationReport,
    *,
    parts: list[Area | str],
    comparison_area: Area | str | None,
    partners: list[Organisation | int],
) -> SituationReport:
    """Change what a draft covers and who it is made with; its figures are generated again."""
    _editable(user, report)
    with transaction.atomic():
        report.comparison_area = _area(user, comparison_area, "comparison_area") if comparison_area else None
        report.stamp(user)
        report.save()
        report.parts.set([_area(user, part, "parts") for part in parts])
        report.partners.set(_partners(report, partners))
    return refresh(user, report)


def write(user: Any, report: SituationReport, **texts: str) -> SituationReport:
    """Store the written sections given (summary, consequences, …; see `models.WRITTEN`)."""
    _editable(user, report)
    allowed = {key for key, _heading, _law in WRITTEN} | {"title", "review_months"}
    unknown = set(texts) - allowed
    if unknown:
        raise PlanError(sorted(unknown)[0], _("No such section."))
    for key, text in texts.items():
        if isinstance(text, str) and (found := personal_data(text)):
            raise PlanError(
                key, _("Remove the personal data (%(what)s): the report is public.") % {"what": _(" and ").join(found)}
            )
    _fields(report, **texts)
    report.stamp(user)
    report.save()
    return report


def refresh(user: Any, report: SituationReport) -> SituationReport:
    """Generate the figures again from the data as it is now (not once the report is decided)."""
    _editable(user, report)
    found = figures.generate(report)
    found["mapping"]["references"] = figures.compare_references(report, found, report.references.all())
    report.figures, report.figures_at = found, timezone.now()
    report.save(update_fields=["figures", "figures_at", "changed_at"])
    return report


def refer(user: Any, report: SituationReport) -> SituationReport:
    """Send the draft to the partners for comments."""
    _editable(user, report)
    if not policy.can(user, "decide", report):
        raise PlanError("status", _("The municipality's owners send the report out for comments."), 403)
    if report.status != Status.DRAFT:
        raise PlanError("status", _("Only a draft is sent out for comments."), 409)
    if not report.partners.exists():
        raise PlanError("partners", _("Name the police or a partner to comment on it first."))
    report.status = Status.REFERRAL
    report.stamp(user)
    report.save()
    return report


def comment(user: Any, report: SituationReport, *, organisation: Organisation | int, text: str) -> ReferralComment:
    """A partner's (or the owner's) comment on a report out for comments."""
    if report.status != Status.REFERRAL:
        raise PlanError("status", _("Comments are made while the report is out for comments."), 409)
    allowed = policy.organisations_for(user, "comment").filter(pk=_pk(organisation))
    member = allowed.filter(pk__in=[report.organisation_id, *report.partners.values_list("pk", flat=True)]).first()
    if member is None or not policy.can(user, "comment", report):
        raise PlanError("organisation", _("You comment for no organisation the report is made with."), 403)
    text = (text or "").strip()
    if not text or len(text) > 5000:
        raise PlanError("text", _("A comment has 1 to 5 000 characters."))
    if found := personal_data(text):
        raise PlanError(
            "text",
            _("Remove the personal data (%(what)s): comments are kept with the report.")
            % {"what": _(" and ").join(found)},
        )
    return ReferralComment.objects.create(report=report, organisation=member, author=user, text=text)


def answer(user: Any, found: ReferralComment, *, text: str) -> ReferralComment:
    """Say how a comment was taken into account."""
    _editable(user, found.report)
    found.answer = (text or "").strip()[:5000]
    found.save(update_fields=["answer"])
    return found


def decide(user: Any, report: SituationReport, *, body: str, on: date, reference_number: str) -> SituationReport:
    """Record the decision: the figures are frozen as they are and the version is kept."""
    if not policy.can(user, "decide", report):
        raise PlanError("report", _("Only the municipality's owners and administrators record the decision."), 403)
    if report.is_decided:
        raise PlanError("status", _("This version is decided already."), 409)
    if not report.figures:
        raise PlanError("figures", _("Generate the figures first."))
    body, reference_number = (body or "").strip(), (reference_number or "").strip()
    if not body:
        raise PlanError("decided_by_body", _("Name the body that decided it (e.g. Kommunfullmäktige)."))
    if not reference_number:
        raise PlanError("reference_number", _("Give the decision's reference number."))
    if on > timezone.localdate():
        raise PlanError("decided_on", _("A decision is recorded once it is made: the date is in the future."))
    report.status, report.decided_by_body, report.decided_on = Status.DECIDED, body[:200], on
    report.reference_number = reference_number[:100]
    report.stamp(user)
    report.save()
    return report


def publish(user: Any, report: SituationReport) -> SituationReport:
    if not policy.can(user, "decide", report):
        raise PlanError("report", _("Only the municipality's owners and administrators publish the report."), 403)
    if report.status != Status.DECIDED:
        raise PlanError("status", _("A report is published once it is decided."), 409)
    report.status, report.published_at = Status.PUBLISHED, timezone.now()
    report.stamp(user)
    report.save()
    return report


@transaction.atomic
def new_version(user: Any, report: SituationReport) -> SituationReport:
    """A new draft from the latest decided version: its texts, parts, partners, reference values and
    measures (their links kept); the figures are generated anew."""
    if not policy.can(user, "change", report):
        raise PlanError("report", _("Only the municipality's owners and analysts start a new version."), 403)
    versions = SituationReport.objects.select_for_update().filter(area=report.area, year=report.year)
    latest = versions.order_by("-version").first()
    assert latest is not None
    if not latest.is_decided:
        raise PlanError("status", _("Version %(n)s is not decided yet: go on with it.") % {"n": latest.version}, 409)
    copy = SituationReport.objects.get(pk=latest.pk)
    copy.pk, copy.id = None, None
    copy._state.adding = True
    copy.version, copy.previous, copy.status = latest.version + 1, latest, Status.DRAFT
    copy.decided_by_body, copy.decided_on, copy.reference_number = "", None, ""
    copy.published_at = copy.reminded_at = copy.figures_at = None
    copy.figures = None
    copy.created_by = None
    copy.stamp(user)
    copy.save()
    copy.parts.set(latest.parts.all())
    copy.partners.set(latest.partners.all())
    for ref in latest.references.all():
        ref.pk = None
        ref.report = copy
        ref.save()
    for measure in latest.measures.all():
        measure.pk = None
        measure.report = copy
        measure.save()
    return refresh(user, copy)


def add_reference(user: Any, report: SituationReport, **fields: Any) -> ReferenceValue:
    _editable(user, report)
    ref = ReferenceValue(report=report)
    _set_reference(ref, fields)
    _compare_references(report)
    return ref


def remove_reference(user: Any, ref: ReferenceValue) -> None:
    _editable(user, ref.report)
    ref.delete()
    _compare_references(ref.report)


def _compare_references(report: SituationReport) -> None:
    """Put the reference values beside the report's figures (without generating them again)."""
    if report.figures:
        compared = figures.compare_references(report, report.figures, report.references.all())
        report.figures["mapping"]["references"] = compared
        report.save(update_fields=["figures"])


def _set_reference(ref: ReferenceValue, fields: dict[str, Any]) -> None:
    for name in ("label", "kind", "incident_type", "survey_item", "value", "year", "source", "url"):
        if name in fields:
            value = fields[name]
            setattr(ref, name, value.strip() if isinstance(value, str) else value)
    try:
        ref.full_clean(exclude=["report"])
    except Exception as exc:
        errors = getattr(exc, "message_dict", {"reference": [str(exc)]})
        field, messages = next(iter(errors.items()))
        raise PlanError(field, messages[0]) from exc
    for name in ("label", "source"):
        if found := personal_data(getattr(ref, name)):
            raise PlanError(
                name, _("Remove the personal data (%(what)s): the report is public.") % {"what": _(" and ").join(found)}
            )
    if ref.kind == ReferenceValue.Kind.SURVEY_SHARE and not 0 <= ref.value <= 100:
        raise PlanError("value", _("A share is given in per cent, 0 to 100."))
    if ref.kind == ReferenceValue.Kind.INCIDENTS_PER_1000 and ref.value < 0:
        raise PlanError("value", _("A rate is not negative."))
    ref.save()


MEASURE_FIELDS = ("title", "problem", "cause", "function", "starts", "ends", "cost_sek", "follow_up",
                  "incident_types", "status", "status_note")  # fmt: skip


def add_measure(user: Any, report: SituationReport, **fields: Any) -> Measure:
    _editable(user, report)
    return _saved_measure(user, Measure(report=report), fields)


def change_measure(user: Any, measure: Measure, **fields: Any) -> Measure:
    """Change a measure; its status and status note may change after the decision too (the follow-up)."""
    if measure.report.is_decided and set(fields) - {"status", "status_note"}:
        raise PlanError("status", _("A decided plan's measures change only in status: start a new version."), 409)
    if not policy.can(user, "change", measure.report):
        raise PlanError("report", _("Only the municipality's owners and analysts change the plan."), 403)
    return _saved_measure(user, measure, fields)


def remove_measure(user: Any, measure: Measure) -> None:
    _editable(user, measure.report)
    measure.delete()


def _saved_measure(user: Any, measure: Measure, fields: dict[str, Any]) -> Measure:
    report = measure.report
    for name in MEASURE_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(measure, name, value.strip() if isinstance(value, str) else value)
    if "responsible" in fields:
        measure.responsible = _responsible(report, fields["responsible"])
    if "observation_category" in fields:
        code = fields["observation_category"]
        measure.observation_category = Category.objects.filter(code=code).first() if code else None
        if code and measure.observation_category is None:
            raise PlanError("observation_category", _("No such category of observations."))
    if "promise" in fields:
        measure.promise = _promise(user, report, fields["promise"])
    if "action" in fields:
        measure.action = _action(user, report, fields["action"])
    if not isinstance(measure.incident_types, list) or not all(isinstance(t, str) for t in measure.incident_types):
        raise PlanError("incident_types", _("A list of incident types."))
    if measure.starts and measure.ends and measure.ends < measure.starts:
        raise PlanError("ends", _("A measure ends after it starts."))
    for name in ("title", "problem", "cause", "function", "follow_up", "status_note"):
        if found := personal_data(getattr(measure, name)):
            raise PlanError(
                name, _("Remove the personal data (%(what)s): the plan is public.") % {"what": _(" and ").join(found)}
            )
    try:
        measure.full_clean(exclude=["report", "responsible", "promise", "action", "observation_category"])
    except Exception as exc:
        errors = getattr(exc, "message_dict", {"measure": [str(exc)]})
        field, messages = next(iter(errors.items()))
        raise PlanError(field, messages[0]) from exc
    measure.stamp(user)
    measure.save()
    return measure


def _responsible(report: SituationReport, organisation: Organisation | int | None) -> Organisation | None:
    if organisation in (None, ""):
        return None
    pk = _pk(organisation)
    allowed = [report.organisation_id, *report.partners.values_list("pk", flat=True)]
    found = Organisation.objects.filter(pk=pk, pk__in=allowed).first()
    if found is None:
        raise PlanError("responsible", _("The responsible organisation is the owner or one of the partners."))
    return found


def _promise(user: Any, report: SituationReport, promise: Promise | int | None) -> Promise | None:
    """A citizen promise as a measure: one the user may read, in the report's area or its parts."""
    if promise in (None, ""):
        return None
    pk = _pk(promise)
    areas = [report.area_id, *report.parts.values_list("pk", flat=True)]
    found = promise_policy.visible(user).filter(pk=pk, area__in=areas).first()
    if found is None:
        raise PlanError("promise", _("No such citizen promise in the report's area."))
    return found


def _action(user: Any, report: SituationReport, action: Action | int | None) -> Action | None:
    if action in (None, ""):
        return None
    pk = _pk(action)
    areas = [report.area_id, *report.parts.values_list("pk", flat=True)]
    found = action_policy.visible(user).filter(pk=pk, area__in=areas).first()
    if found is None:
        raise PlanError("action", _("No such action in the report's area."))
    return found
