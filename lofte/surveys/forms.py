from django import forms
from django.utils.translation import gettext_lazy as _

from lofte.ingest.survey_responses import FORMATS


class SampleForm(forms.Form):
    wave: forms.ModelChoiceField = forms.ModelChoiceField(queryset=None, label=_("Wave"))
    frame = forms.FileField(label=_("Sampling frame (CSV: id, age, sex, area, address)"))
    size = forms.IntegerField(label=_("People to invite"), min_value=1, max_value=1_000_000)
    allocation = forms.ChoiceField(
        label=_("Allocation"),
        choices=[("proportional", _("proportional to the areas")), ("equal", _("equal per area"))],
    )
    seed = forms.IntegerField(label=_("Seed (write it down: the same seed gives the same sample)"))

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wave"].queryset = survey.waves.filter(invitations__isnull=True).distinct()  # type: ignore[attr-defined]


class ResponsesForm(forms.Form):
    wave: forms.ModelChoiceField = forms.ModelChoiceField(queryset=None, label=_("Wave"))
    file = forms.FileField(label=_("Responses (CSV export)"))
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            (f, {"limesurvey": "LimeSurvey", "kobo": "KoboToolbox", "csv": _("CSV with a mapping")}[f]) for f in FORMATS
        ],
    )
    mapping = forms.FileField(label=_("Mapping (TOML, optional for LimeSurvey and KoboToolbox)"), required=False)

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wave"].queryset = survey.waves.all()  # type: ignore[attr-defined]
