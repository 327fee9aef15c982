"""The staff's forms: a dialogue held, an area's dialogue themes and candidate problems (Swedish and
English only: the residents' forms are in `forms`)."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lofte.core.widgets import DayInput
from lofte.observations.models import Category
from lofte.places.models import Area

from .models import CandidateProblem, Dialogue, Theme

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class DialogueForm(forms.ModelForm[Dialogue]):
    """A dialogue that was held: when, where, how, with whom. Participants are counted by group, one
    group a line ("boende: 34"), as they were counted in the room."""

    participants = forms.CharField(
        label=_("Participants by group"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One group a line with its count, e.g. “residents: 40”."),
    )

    class Meta:
        model = Dialogue
        fields = ["held_on", "place", "format", "languages", "interpreted", "participants", "organisations", "notes"]
        widgets = {
            "held_on": DayInput(),
            "organisations": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, area: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = area.organisations.all()  # type: ignore[attr-defined]
        if self.instance.pk and not self.is_bound:
            self.initial["participants"] = "\n".join(f"{g}: {n}" for g, n in self.instance.participants.items())

    def clean_participants(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for number, line in enumerate((self.cleaned_data.get("participants") or "").splitlines(), start=1):
            if not line.strip():
                continue
            group, colon, count = line.rpartition(":")
            group = group.strip()
            if not colon or not group or not count.strip().isdigit() or int(count) >= 100_000:
                raise forms.ValidationError(
                    _("Line %(n)d: write a group and its count, e.g. “residents: 40” (got “%(line)s”).")
                    % {"n": number, "line": line.strip()[:60]}
                )
            if group in counts:
                raise forms.ValidationError(
                    _("Line %(n)d: %(group)s is counted twice.") % {"n": number, "group": group}
                )
            counts[group] = int(count)
        return counts


def _unique_in_area(form: forms.ModelForm[Any], area: Area, message: "StrOrPromise") -> str:
    """The form's `name`, refused when another row of the area has it (letter case aside)."""
    name: str = form.cleaned_data["name"].strip()
    rows = type(form.instance)._default_manager.filter(area=area, name__iexact=name)
    if rows.exclude(pk=form.instance.pk).exists():
        raise forms.ValidationError(message)
    return name


class ThemeForm(forms.ModelForm[Theme]):
    """A dialogue theme of an area, which statements are filed under."""

    class Meta:
        model = Theme
        fields = ["name", "name_en"]

    def __init__(self, *args: Any, area: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.area = area

    def clean_name(self) -> str:
        return _unique_in_area(self, self.area, _("The area already has a theme of that name."))


class CandidateForm(forms.ModelForm[CandidateProblem]):
    """A row of the evidence matrix: the problem and the survey question, incident types and themes
    that measure it, chosen from what the area has."""

    incident_types = forms.MultipleChoiceField(
        label=_("incident types"), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = CandidateProblem
        fields = ["name", "name_en", "survey_item", "incident_types", "themes", "observation_categories"]
        widgets = {"themes": forms.CheckboxSelectMultiple, "observation_categories": forms.CheckboxSelectMultiple}

    def __init__(
        self, *args: Any, area: Area, questions: list[tuple[str, str]], types: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.area = area
        # A type or question kept from before stays choosable, so that saving never drops it silently.
        kept_types = [t for t in (self.instance.incident_types or []) if t not in types]
        self.fields["incident_types"].choices = [(t, t) for t in sorted([*types, *kept_types])]  # type: ignore[attr-defined]
        code = self.instance.survey_item
        kept = [(code, code)] if code and code not in dict(questions) else []
        self.fields["survey_item"] = forms.ChoiceField(
            label=_("survey question"), required=False, choices=[("", _("none")), *questions, *kept]
        )
        self.fields["themes"].queryset = Theme.objects.filter(area=area)  # type: ignore[attr-defined]
        self.fields["observation_categories"].queryset = (  # type: ignore[attr-defined]
            Category.objects.select_related("parent")
        )

    def clean_name(self) -> str:
        return _unique_in_area(self, self.area, _("The area already has a candidate problem of that name."))
