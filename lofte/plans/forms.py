"""The situation report's forms: they render and parse; `services` checks and stores."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lofte.accounts.models import Organisation
from lofte.core.widgets import DayInput
from lofte.incidents.picture import period_choices
from lofte.observations.models import Category
from lofte.observations.permissions import actions as action_policy
from lofte.promises.permissions import promises as promise_policy

from . import services
from .models import WRITTEN, Measure, ReferenceValue, SituationReport


def _choices(field: forms.Field, choices: list[tuple[Any, str]]) -> None:
    field.choices = choices  # type: ignore[attr-defined]


class NewReportForm(forms.Form):
    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Owning organisation"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    municipality_code = forms.CharField(
        label=_("Municipality code"), max_length=4, help_text=_("SCB's four digits: Göteborg is 1480.")
    )
    municipality_name = forms.CharField(label=_("Municipality"), max_length=100)
    area = forms.ChoiceField(label=_("Area covered"), help_text=SituationReport._meta.get_field("area").help_text)
    parts = forms.MultipleChoiceField(
        label=_("Parts"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=SituationReport._meta.get_field("parts").help_text,
    )  # fmt: skip
    comparison_area = forms.ChoiceField(
        label=_("Compared with"), required=False, help_text=SituationReport._meta.get_field("comparison_area").help_text
    )
    partners: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Made together with"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Organisations that hold the area: the police and the partners who comment on it."),
    )  # fmt: skip
    review_months = forms.IntegerField(label=_("Review after (months)"), min_value=1, max_value=60, initial=12)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = services.owning_organisations(user)  # type: ignore[attr-defined]
        areas = [(a.code, a.name) for a in services.reportable_areas(user)]
        _choices(self.fields["area"], areas)
        _choices(self.fields["parts"], areas)
        _choices(self.fields["comparison_area"], [("", "–"), *areas])
        held = Organisation.objects.filter(areas__in=services.reportable_areas(user)).distinct().order_by("name")
        self.fields["partners"].queryset = held  # type: ignore[attr-defined]
        self.fields["year"].initial = timezone.localdate().year - 1

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["partners"] = [o.pk for o in data["partners"]]
        data["comparison_area"] = data["comparison_area"] or None
        return data


class CoverageForm(forms.Form):
    """What a draft covers and who it is made with (the owner, area and year stay)."""

    parts = forms.MultipleChoiceField(
        label=_("Parts"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=SituationReport._meta.get_field("parts").help_text,
    )  # fmt: skip
    comparison_area = forms.ChoiceField(
        label=_("Compared with"), required=False, help_text=SituationReport._meta.get_field("comparison_area").help_text
    )
    partners: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Made together with"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Organisations that hold the area: the police and the partners who comment on it."),
    )  # fmt: skip

    def __init__(self, *args: Any, user: Any, report: SituationReport, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = [(a.code, a.name) for a in services.reportable_areas(user)]
        _choices(self.fields["parts"], areas)
        _choices(self.fields["comparison_area"], [("", "–"), *areas])
        holders = report.area.organisations.exclude(pk=report.organisation_id).order_by("name")
        self.fields["partners"].queryset = holders  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["partners"] = [o.pk for o in data["partners"]]
        data["comparison_area"] = data["comparison_area"] or None
        return data


class TextsForm(forms.ModelForm):
    class Meta:
        model = SituationReport
        fields = ["title", *(key for key, _heading, _law in WRITTEN), "review_months"]
        widgets = {key: forms.Textarea(attrs={"rows": 6}) for key, _heading, _law in WRITTEN}


class DecisionForm(forms.Form):
    body = forms.CharField(label=_("Decided by"), max_length=200, help_text=_("e.g. Kommunfullmäktige"))
    on = forms.DateField(label=_("Decided on"), widget=DayInput())
    reference_number = forms.CharField(label=_("Reference number"), max_length=100)


class ReferenceForm(forms.ModelForm):
    url = forms.URLField(label=_("Link to the source"), required=False, assume_scheme="https")

    class Meta:
        model = ReferenceValue
        fields = ["label", "kind", "incident_type", "survey_item", "value", "year", "source", "url"]


class CommentForm(forms.Form):
    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("For"), queryset=None)
    text = forms.CharField(label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, user: Any, report: SituationReport, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mine = services.policy.organisations_for(user, "comment")
        involved = [report.organisation_id, *report.partners.values_list("pk", flat=True)]
        self.fields["organisation"].queryset = mine.filter(pk__in=involved)  # type: ignore[attr-defined]


class MeasureForm(forms.Form):
    title = forms.CharField(label=_("Measure"), max_length=200)
    problem = forms.CharField(label=_("Problem it answers"), max_length=300)
    cause = forms.CharField(label=_("Cause it answers"), max_length=300, required=False)
    responsible = forms.ChoiceField(label=_("Responsible organisation"), required=False)
    function = forms.CharField(label=_("Responsible function"), max_length=200, required=False)
    starts = forms.DateField(label=_("Starts"), required=False, widget=DayInput())
    ends = forms.DateField(label=_("Ends"), required=False, widget=DayInput())
    cost_sek = forms.IntegerField(label=_("Cost (SEK)"), min_value=0, required=False)
    follow_up = forms.CharField(
        label=_("How it is followed up"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    incident_types = forms.MultipleChoiceField(
        label=_("Indicator: incident types"), required=False, widget=forms.CheckboxSelectMultiple
    )
    observation_category = forms.ChoiceField(label=_("Indicator: observations of"), required=False)
    promise = forms.ChoiceField(label=_("Citizen promise"), required=False)
    action = forms.ChoiceField(label=_("Action of the shared situation picture"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=Measure.Status.choices)
    status_note = forms.CharField(
        label=_("Status note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, user: Any, report: SituationReport, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        involved = Organisation.objects.filter(
            pk__in=[report.organisation_id, *report.partners.values_list("pk", flat=True)]
        ).order_by("name")
        _choices(self.fields["responsible"], [("", "–"), *((o.pk, o.name) for o in involved)])
        areas = [report.area_id, *report.parts.values_list("pk", flat=True)]
        _choices(self.fields["incident_types"], [(t, t) for t in period_choices(report.area).types])
        categories = [(c.code, c.local_label()) for c in Category.objects.select_related("parent")]
        _choices(self.fields["observation_category"], [("", "–"), *categories])
        promises = promise_policy.visible(user).filter(area__in=areas).order_by("-period_start")
        _choices(self.fields["promise"], [("", "–"), *((p.pk, p.title) for p in promises)])
        actions = action_policy.visible(user).filter(area__in=areas).order_by("-pk")[:200]
        _choices(self.fields["action"], [("", "–"), *((a.pk, a.title) for a in actions)])
        if report.is_decided:  # the follow-up: only the status changes
            for name, field in self.fields.items():
                if name not in ("status", "status_note"):
                    field.disabled = True

    def values(self) -> dict[str, Any]:
        data = {name: value for name, value in self.cleaned_data.items() if not self.fields[name].disabled}
        for name in ("responsible", "promise", "action"):
            if name in data:
                data[name] = int(data[name]) if data[name] else None
        return data


def measure_initial(measure: Measure) -> dict[str, Any]:
    return {
        "title": measure.title, "problem": measure.problem, "cause": measure.cause,
        "responsible": measure.responsible_id or "", "function": measure.function, "starts": measure.starts,
        "ends": measure.ends, "cost_sek": measure.cost_sek, "follow_up": measure.follow_up,
        "incident_types": measure.incident_types,
        "observation_category": measure.observation_category.code if measure.observation_category else "",
        "promise": measure.promise_id or "", "action": measure.action_id or "", "status": measure.status,
        "status_note": measure.status_note,
    }  # fmt: skip
