from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lofte.core.widgets import DayInput
from lofte.ingest.survey_responses import FORMATS
from lofte.surveys.models import Survey

from . import itembank
from .models import Wave


class SampleForm(forms.Form):
    wave: forms.ModelChoiceField[Wave] = forms.ModelChoiceField(queryset=None, label=_("Wave"))
    frame = forms.FileField(label=_("Sampling frame (CSV: id, age, sex, area, address)"))
    size = forms.IntegerField(label=_("People to invite"), min_value=1, max_value=1_000_000)
    allocation = forms.ChoiceField(
        label=_("Allocation"),
        choices=[("proportional", _("proportional to the areas")), ("equal", _("equal per area"))],
    )
    seed = forms.IntegerField(label=_("Seed (write it down: the same seed gives the same sample)"))

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["wave"].queryset = survey.waves.filter(invitations__isnull=True).distinct()  # type: ignore[attr-defined]


class ResponsesForm(forms.Form):
    wave: forms.ModelChoiceField[Wave] = forms.ModelChoiceField(queryset=None, label=_("Wave"))
    file = forms.FileField(label=_("Responses (CSV export)"))
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            (f, {"limesurvey": "LimeSurvey", "kobo": "KoboToolbox", "csv": _("CSV with a mapping")}[f]) for f in FORMATS
        ],
    )
    mapping = forms.FileField(label=_("Mapping (TOML, optional for LimeSurvey and KoboToolbox)"), required=False)

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["wave"].queryset = survey.waves.all()  # type: ignore[attr-defined]


class WaveForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Wave.Kind.choices)
    label = forms.CharField(label=_("Label"), max_length=100, help_text=_("e.g. autumn 2027"))
    label_en = forms.CharField(label=_("Label (English)"), max_length=100, required=False)
    opens_on = forms.DateField(label=_("Opens on"), widget=DayInput())
    closes_on = forms.DateField(label=_("Closes on"), widget=DayInput())


class BankItemsForm(forms.Form):
    codes = forms.MultipleChoiceField(label=_("Questions from the item bank"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        have = set(survey.items.values_list("code", flat=True))
        self.fields["codes"].choices = [  # type: ignore[attr-defined]
            (item["code"], item["texts"].get("sv") or item["code"])
            for item in itembank.items()
            if item["code"] not in have
        ]


class ItemForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=50, help_text=_("Short, for the results and exports."))
    section = forms.SlugField(label=_("Section"), max_length=50, required=False)
    text_sv = forms.CharField(label=_("Question (Swedish)"), max_length=1000)
    text_en = forms.CharField(label=_("Question (English)"), max_length=1000, required=False)
    options = forms.CharField(
        label=_("Answers"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_('One per line: value; Swedish; English (add "; missing" for an answer such as "don\'t know").'),
    )
    indicator = forms.CharField(label=_("Indicator answers"), required=False, max_length=200,
                                help_text=_("The values that count, comma-separated, e.g. 3,4."))  # fmt: skip
    better = forms.ChoiceField(label=_("An improvement is"), required=False,
                               choices=[("", "–"), ("lower", _("lower")), ("higher", _("higher"))])  # fmt: skip

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["indicator"] = [v.strip() for v in data["indicator"].split(",") if v.strip()]
        return data


class SurveyForm(forms.Form):
    """A new survey: its name, its area and the organisation that runs it (among those the user may
    start surveys for)."""

    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("e.g. Trygghetsundersökning Biskopsgården"))
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=_("Organisation"))
    area: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=_("Area"))
    anonymous = forms.BooleanField(
        label=_("Anonymous"),
        required=False,
        initial=True,
        help_text=_("Nothing links a code to its answers; no reminders to those who have not answered."),
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        from lofte.places.models import Area

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["area"].queryset = Area.objects.filter(organisations__in=organisations).distinct()  # type: ignore[attr-defined]
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0]


class SurveyDetailsForm(forms.Form):
    """A survey's name, and whether its results are public."""

    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    published = forms.BooleanField(
        label=_("The results are public"),
        required=False,
        help_text=_("Anyone may then read the results page, with small counts hidden; the answers stay private."),
    )
