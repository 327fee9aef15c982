"""Forms of the staff pages for planning a promise: they render and parse; `planning` validates and stores."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lofte.accounts.models import Organisation
from lofte.core.widgets import DayInput
from lofte.incidents.picture import period_choices
from lofte.observations.models import Category
from lofte.places.models import Area, Place
from lofte.surveys.models import Item, Wave

from .invitations import invitable
from .models import Commitment, Promise

# The metric catalogue: what each metric counts, in words, beside the form.
METRIC_HELP = {
    Commitment.Metric.PATROL_VISITS: _(
        "Patrol visits at the chosen places (or every place of the area) in the period."
    ),
    Commitment.Metric.PATROL_VISITS_PER_DAY: _("Patrol visits per day on average over the period so far."),
    Commitment.Metric.PATROL_MINUTES: _("Minutes of patrol presence at the places, summed."),
    Commitment.Metric.KOPER_SHARE: _(
        "Share of visits lasting 10–16 minutes, the dose that deters longest (Koper); write 0.6 for 60 %."
    ),
    Commitment.Metric.SEIZURES: _("Seizures in the area: their number, pieces or weight, by category and kind."),
    Commitment.Metric.ACTIVITIES: _(
        "Activities logged in the area, such as information meetings or field work; with the kind est_action, "
        "the actions of the shared situation picture done in the area."
    ),
    Commitment.Metric.SUPPORT_CASES: _("Support cases started by the parties (published as counts only)."),
}
DATE = DayInput()


def reason_field() -> forms.CharField:
    """Why a published promise changes: asked for its targets, dates and outcome links, and shown with
    the change on its public history."""
    return forms.CharField(
        label=_("Reason for the change (public)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "The promise is published: every change is shown on its public history. Changes to targets, dates "
            "and outcome links need a reason."
        ),
    )


class PromiseForm(forms.ModelForm[Promise]):
    outcome_incident_types = forms.MultipleChoiceField(
        label=_("Outcome: incident types"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=Promise._meta.get_field("outcome_incident_types").help_text,
    )
    outcome_observation_categories = forms.MultipleChoiceField(
        label=_("Outcome: observation categories"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=Promise._meta.get_field("outcome_observation_categories").help_text,
    )
    reason = reason_field()

    class Meta:
        model = Promise
        fields = [
            "title",
            "title_en",
            "problem",
            "problem_en",
            "rationale",
            "rationale_en",
            "period_start",
            "period_end",
            "outcome_incident_types",
            "outcome_observation_categories",
            "control_areas",
            "donor_areas",
            "buffer_m",
            "min_visit_minutes",
            "baseline_wave",
            "follow_up_wave",
            "next_steps",
            "next_steps_en",
        ]
        widgets = {
            "control_areas": forms.CheckboxSelectMultiple,
            "donor_areas": forms.CheckboxSelectMultiple,
            "period_start": DATE,
            "period_end": DATE,
            "problem": forms.Textarea(attrs={"rows": 4}),
            "problem_en": forms.Textarea(attrs={"rows": 4}),
            "rationale": forms.Textarea(attrs={"rows": 4}),
            "rationale_en": forms.Textarea(attrs={"rows": 4}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
            "next_steps_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: Any | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .planning import comparable_areas

        for name in ("control_areas", "donor_areas"):
            self.fields[name].queryset = comparable_areas(self.instance, user)  # type: ignore[attr-defined]
        self.fields["buffer_m"].required = False
        waves = Wave.objects.filter(survey__area=self.instance.area_id).select_related("survey")
        for name in ("baseline_wave", "follow_up_wave"):
            self.fields[name].queryset = waves  # type: ignore[attr-defined]
            self.fields[name].empty_label = _("The survey's own choice")  # type: ignore[attr-defined]
        types = period_choices(self.instance.area).types
        chosen = self.instance.outcome_incident_types or []
        self.fields["outcome_incident_types"].choices = [(t, t) for t in sorted(set(types) | set(chosen))]  # type: ignore[attr-defined]
        self.fields["outcome_observation_categories"].choices = [  # type: ignore[attr-defined]
            (c.code, c.local_label()) for c in Category.objects.select_related("parent")
        ]
        if self.instance.status == Promise.Status.DRAFT:
            del self.fields["reason"]

    def clean_buffer_m(self) -> int:
        return self.cleaned_data.get("buffer_m") or self.instance.buffer_m or 250


class CommitmentForm(forms.ModelForm[Commitment]):
    reason = reason_field()

    class Meta:
        model = Commitment
        fields = [
            "text",
            "text_en",
            "responsible",
            "kind",
            "metric",
            "comparator",
            "target_value",
            "unit",
            "unit_en",
            "places",
            "filter_category",
            "filter_kind",
            "automatic_only",
            "measure",
            "due_date",
            "done_date",
            "outcome_item",
            "outcome_expected_change",
        ]
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "text_en": forms.Textarea(attrs={"rows": 3}),
                   "responsible": forms.CheckboxSelectMultiple, "places": forms.CheckboxSelectMultiple,
                   "due_date": DATE, "done_date": DATE}  # fmt: skip

    def __init__(self, *args: Any, promise: Promise, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.promise = promise
        self.fields["responsible"].queryset = promise.parties.all()  # type: ignore[attr-defined]
        self.fields["responsible"].required = False  # a draft may lack it: the promise check says so
        self.fields["places"].queryset = Place.objects.filter(area=promise.area)  # type: ignore[attr-defined]
        items = Item.objects.filter(survey__area=promise.area, background=False).select_related("survey")
        self.fields["outcome_item"].queryset = items  # type: ignore[attr-defined]
        # The question as residents read it, not its code.
        self.fields["outcome_item"].label_from_instance = _question  # type: ignore[attr-defined]
        if promise.status == Promise.Status.DRAFT or self.instance.pk is None:  # a new commitment: no change to explain
            del self.fields["reason"]

    def _post_clean(self) -> None:
        pass  # the model's rules run in `planning`, which names the field of each problem

    def values(self) -> dict[str, Any]:
        """The cleaned values as `planning` takes them (ids for the relations)."""
        data = dict(self.cleaned_data)
        data["responsible"] = [org.pk for org in data["responsible"]]
        data["places"] = [place.pk for place in data["places"]]
        data["outcome_item"] = data["outcome_item"].pk if data["outcome_item"] else None
        return data


def _question(item: Item) -> str:
    return f"{item.survey.local_name()}: {item.text()}"


class UpdateForm(forms.Form):
    published_on = forms.DateField(label=_("Published on"), widget=DATE)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    text_en = forms.CharField(label=_("Text (English)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
                              required=False)  # fmt: skip


class NewPromiseForm(forms.Form):
    """A new promise: an area of the user's organisations or an uploaded outline, then the promise."""

    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(), required=False,
                                  help_text=_("An area of your organisations, or upload a new one below."))  # fmt: skip
    area_file = forms.FileField(
        label=_("New area: outline (GeoJSON, GeoPackage or zipped Shapefile)"),
        required=False,
        help_text=_("A Polygon or MultiPolygon in any coordinate system the file names (e.g. SWEREF 99 TM)."),
    )
    area_feature = forms.IntegerField(
        label=_("Feature number"),
        required=False,
        min_value=1,
        help_text=_("Which feature of the file (default: the first)."),
    )
    area_name = forms.CharField(label=_("New area: name"), required=False, max_length=200,
                                help_text=_("Empty: the name the file gives the area (e.g. NAMN)."))  # fmt: skip
    area_code = forms.SlugField(label=_("New area: code"), required=False, max_length=50,
                                help_text=_("Empty: the file's code for it (e.g. OMRADESKOD)."))  # fmt: skip
    area_crs = forms.CharField(label=_("Coordinate system, if the file does not say"), required=False, max_length=50,
                               help_text=_("e.g. EPSG:3006"))  # fmt: skip
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    partners = forms.ModelMultipleChoiceField(
        label=_("Invite other parties"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Organisations that share an area with yours. Each is invited: it becomes a party, and shares the "
            "promise's area, when one of its owners accepts."
        ),
    )
    slug = forms.SlugField(
        label=_("Public address"), max_length=100, help_text=_("The page will be /loften/<address>/.")
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    problem = forms.CharField(label=_("Problem statement"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20_000)
    problem_en = forms.CharField(label=_("Problem statement (English)"), widget=forms.Textarea(attrs={"rows": 4}),
                                 max_length=20_000, required=False)  # fmt: skip
    period_start = forms.DateField(label=_("Period start"), widget=DATE)
    period_end = forms.DateField(label=_("Period end"), widget=DATE)
    previous = forms.ModelChoiceField(
        label=_("Follows on from"), queryset=Promise.objects.none(), required=False,
        help_text=_("Start from an earlier promise of the area: its outcome links, problem triangle and the causes "
                    "its kept commitments did not settle."),
    )  # fmt: skip

    def __init__(self, *args: Any, owned: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(organisations__in=owned).distinct()  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = owned  # type: ignore[attr-defined]
        self.fields["previous"].queryset = Promise.objects.filter(parties__in=owned).distinct()  # type: ignore[attr-defined]
        self.fields["partners"].queryset = invitable(owned)  # type: ignore[attr-defined]
        if len(owned) == 1:
            self.fields["organisation"].initial = owned[0]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("previous") and not data.get("area") and not data.get("area_file"):
            data["area"] = data["previous"].area
        if not data.get("area") and not data.get("area_file"):
            self.add_error("area", _("Choose an area or upload an outline."))
        return data


class PlaceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    lon = forms.FloatField(
        label=_("Longitude"),
        min_value=-180,
        max_value=180,
        required=False,
        help_text=_("Click the map to place the point, or draw the place's outline on it."),
    )
    lat = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90, required=False)
    radius_m = forms.IntegerField(label=_("Radius (metres)"), min_value=10, max_value=2000, initial=75, required=False)
    polygon = forms.JSONField(required=False, widget=forms.HiddenInput)
    is_control = forms.BooleanField(label=_("Control place (gets no extra activity)"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("polygon"):
            data["lon"] = data["lat"] = data["radius_m"] = None  # an outline: no point
        elif data.get("lon") is None or data.get("lat") is None:
            self.add_error("lon", _("Click the map to place the point, or draw an outline."))
        return data
