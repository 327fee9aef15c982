from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lofte.places.models import Area

from .models import Dialogue
from .services import MAX_LENGTH


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("What do you want the police and the municipality to know about safety here?"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("No names, addresses or telephone numbers: a member reads every statement before it is shown."),
    )


class DialogueForm(forms.ModelForm[Dialogue]):
    class Meta:
        model = Dialogue
        fields = ["held_on", "place", "format", "languages", "interpreted", "participants", "organisations", "notes"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "organisations": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, area: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = area.organisations.all()  # type: ignore[attr-defined]

    def clean_participants(self) -> dict[str, int]:
        value = self.cleaned_data.get("participants") or {}
        if not isinstance(value, dict) or not all(isinstance(n, int) and 0 <= n < 100_000 for n in value.values()):
            raise forms.ValidationError(_('Give counts by group, e.g. {"residents": 40}.'))
        return value
