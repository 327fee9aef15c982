"""The staff pages of a situation report: the list, a new one, the working version with its flow
(texts, figures, reference values, comments, decision, publication, new version) and its measures."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .document import document, follow_up_context
from .forms import (
    CommentForm,
    CoverageForm,
    DecisionForm,
    MeasureForm,
    NewReportForm,
    ReferenceForm,
    TextsForm,
    measure_initial,
)
from .models import Measure, ReferenceValue, ReferralComment, SituationReport
from .permissions import reports as policy
from .render import pdf_response


def get_report(user: Any, pk: int, action: str = "view") -> SituationReport:
    """The report `user` may do `action` to: 404 when they may not even see it, 403 when they may see it."""
    report = get_object_or_404(policy.visible(user).select_related("area", "organisation", "previous"), pk=pk)
    if action != "view" and not policy.can(user, action, report):
        raise PermissionDenied
    return report


def _refused(request: HttpRequest, error: services.PlanError) -> None:
    error.forbid()
    messages.error(request, error.message)


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, "view"):
        raise PermissionDenied
    rows = policy.visible(request.user).select_related("area", "organisation")
    may_add = services.owning_organisations(request.user).exists()
    return render(request, "plans/list.html", {"rows": rows, "may_add": may_add})


@login_required
def report_new(request: HttpRequest) -> HttpResponse:
    if not services.owning_organisations(request.user).exists():
        raise PermissionDenied
    form = NewReportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.create(request.user, **form.values())
        except services.PlanError as error:
            error.forbid()
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The draft is made and its figures generated."))
            return redirect("plan-report", pk=report.pk)
    return render(request, "plans/new.html", {"form": form})


@login_required
def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report(request.user, pk)
    may = {action: policy.can(request.user, action, report) for action in ("change", "decide", "comment")}
    ctx = document(report, staff=may["change"]) | {
        "may": may,
        "reference_form": ReferenceForm() if may["change"] and not report.is_decided else None,
        "comment_form": (
            CommentForm(user=request.user, report=report)
            if may["comment"] and report.status == SituationReport.Status.REFERRAL
            else None
        ),
        "decision_form": DecisionForm() if may["decide"] and not report.is_decided else None,
        "references": list(report.references.all()),
        "versions": SituationReport.objects.filter(area=report.area, year=report.year).order_by("version"),
    }
    return render(request, "plans/report.html", ctx)


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report(request.user, pk)
    return pdf_response(request, report, staff=True)


@login_required
def report_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    """The follow-up of a decided plan in the year after its report, as it stands today."""
    report = get_report(request.user, pk)
    return render(request, "plans/follow_up.html", follow_up_context(report))


@login_required
def report_coverage(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report(request.user, pk, "change")
    if report.is_decided:
        messages.error(request, _("A decided report is not changed: start a new version of it."))
        return redirect("plan-report", pk=report.pk)
    initial = {"parts": [a.code for a in report.parts.all()], "partners": list(report.partners.all()),
               "comparison_area": report.comparison_area.code if report.comparison_area else ""}  # fmt: skip
    form = CoverageForm(request.POST or None, user=request.user, report=report, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.configure(request.user, report, **form.values())
        except services.PlanError as error:
            error.forbid()
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Saved; the figures are generated again."))
            return redirect("plan-report", pk=report.pk)
    return render(request, "plans/coverage.html", {"form": form, "report": report})


@login_required
def report_texts(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report(request.user, pk, "change")
    if report.is_decided:
        messages.error(request, _("A decided report is not changed: start a new version of it."))
        return redirect("plan-report", pk=report.pk)
    form = TextsForm(request.POST or None, instance=SituationReport.objects.get(pk=report.pk))
    if request.method == "POST" and form.is_valid():
        try:
            fields = {name: form.cleaned_data[name] for name in TextsForm.Meta.fields}
            services.write(request.user, report, **fields)
        except services.PlanError as error:
            error.forbid()
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The texts are saved."))
            return redirect("plan-report", pk=report.pk)
    return render(request, "plans/texts.html", {"form": form, "report": report})


@login_required
@require_POST
def report_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """One step of the flow: figures (generate again), refer, publish, new version."""
    report = get_report(request.user, pk)
    steps = {
        "figures": (services.refresh, _("The figures are generated again from the data as it is now.")),
        "refer": (services.refer, _("The report is out for comments.")),
        "publish": (services.publish, _("The report is published.")),
        "version": (services.new_version, _("A new version is started from the decided one.")),
    }
    if step not in steps:
        raise PermissionDenied
    call, done = steps[step]
    try:
        found = call(request.user, report)
    except services.PlanError as error:
        _refused(request, error)
        return redirect("plan-report", pk=report.pk)
    messages.success(request, done)
    return redirect("plan-report", pk=found.pk)


@login_required
@require_POST
def report_decide(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report(request.user, pk, "decide")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the body, the date and the reference number of the decision."))
        return redirect("plan-report", pk=report.pk)
    try:
        services.decide(request.user, report, body=form.cleaned_data["body"], on=form.cleaned_data["on"],
                        reference_number=form.cleaned_data["reference_number"])  # fmt: skip
    except services.PlanError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The decision is recorded; the figures are kept as they are."))
    return redirect("plan-report", pk=report.pk)


@login_required
@require_POST
def report_comment(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report(request.user, pk, "comment")
    form = CommentForm(request.POST, user=request.user, report=report)
    if not form.is_valid():
        messages.error(request, _("Choose the organisation you comment for and write the comment."))
        return redirect("plan-report", pk=report.pk)
    try:
        services.comment(request.user, report, organisation=form.cleaned_data["organisation"],
                         text=form.cleaned_data["text"])  # fmt: skip
    except services.PlanError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The comment is kept with the report."))
    return redirect("plan-report", pk=report.pk)


@login_required
@require_POST
def comment_answer(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(ReferralComment, pk=pk, report__in=policy.visible(request.user))
    try:
        services.answer(request.user, found, text=request.POST.get("answer", ""))
    except services.PlanError as error:
        _refused(request, error)
    return redirect("plan-report", pk=found.report_id)


@login_required
@require_POST
def reference_add(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report(request.user, pk, "change")
    form = ReferenceForm(request.POST)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        messages.error(request, f"{form.fields[field].label if field in form.fields else ''}: {errors[0]}")
        return redirect("plan-report", pk=report.pk)
    try:
        services.add_reference(request.user, report, **form.cleaned_data)
    except services.PlanError as error:
        _refused(request, error)
    return redirect("plan-report", pk=report.pk)


@login_required
@require_POST
def reference_remove(request: HttpRequest, pk: int) -> HttpResponse:
    ref = get_object_or_404(ReferenceValue, pk=pk, report__in=policy.visible(request.user))
    try:
        services.remove_reference(request.user, ref)
    except services.PlanError as error:
        _refused(request, error)
    return redirect("plan-report", pk=ref.report_id)


@login_required
def measure_new(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report(request.user, pk, "change")
    form = MeasureForm(request.POST or None, user=request.user, report=report)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_measure(request.user, report, **form.values())
        except services.PlanError as error:
            error.forbid()
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The measure is added to the plan."))
            return redirect("plan-report", pk=report.pk)
    return render(request, "plans/measure.html", {"form": form, "report": report, "measure": None})


@login_required
def measure_page(request: HttpRequest, pk: int) -> HttpResponse:
    measure = get_object_or_404(
        Measure.objects.select_related("report"), pk=pk, report__in=policy.visible(request.user, "change")
    )
    report = measure.report
    form = MeasureForm(request.POST or None, user=request.user, report=report, initial=measure_initial(measure))
    if request.method == "POST" and request.POST.get("remove"):
        try:
            services.remove_measure(request.user, measure)
        except services.PlanError as error:
            _refused(request, error)
            return redirect("plan-measure", pk=measure.pk)
        messages.success(request, _("The measure is removed from the plan."))
        return redirect("plan-report", pk=report.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_measure(request.user, measure, **form.values())
        except services.PlanError as error:
            error.forbid()
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The measure is saved."))
            return redirect("plan-report", pk=report.pk)
    return render(request, "plans/measure.html", {"form": form, "report": report, "measure": measure})
