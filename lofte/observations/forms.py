"""The phone form for an observation: it renders and parses; `services.report` validates and stores."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lofte.core.widgets import DayInput
from lofte.places.models import Place

from .categories import choices
from .models import MAX_COUNT, Observation
from .services import reporting_areas, reporting_organisations


class ObservationForm(forms.Form):
    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Reporting for"), queryset=None)
    category = forms.ChoiceField(label=_("What did you see?"))
    occurred_on = forms.DateField(label=_("Day"), widget=DayInput())
    part_of_day = forms.ChoiceField(
        label=_("Part of the day"), required=False, choices=[("", "–"), *Observation.PartOfDay.choices]
    )
    place: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Place"), queryset=None, required=False, empty_label=_("A point instead")
    )
    lon = forms.FloatField(label=_("Longitude"), required=False, widget=forms.HiddenInput)
    lat = forms.FloatField(label=_("Latitude"), required=False, widget=forms.HiddenInput)
    count = forms.IntegerField(
        label=_("How many"), min_value=1, max_value=MAX_COUNT, initial=1,
        help_text=Observation._meta.get_field("count").help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )  # fmt: skip
    description = forms.CharField(
        label=_("Description (optional)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What happened, not who: no names, personal identity numbers or phone numbers. Your "
                    "organisation's partners in the area read it."),
    )  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"occurred_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        organisations = reporting_organisations(user)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations
        if len(only := list(organisations[:2])) == 1:
            field.initial = only[0].pk
            field.widget = forms.HiddenInput()
        self.fields["category"].choices = choices()  # type: ignore[attr-defined]
        places = self.fields["place"]
        assert isinstance(places, forms.ModelChoiceField)
        places.queryset = Place.objects.filter(area__in=reporting_areas(user)).order_by("name")
        places.queryset = places.queryset.select_related("area")
        places.label_from_instance = _place  # type: ignore[method-assign,assignment]

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["organisation"] = data["organisation"].pk
        data["place"] = data["place"].pk if data["place"] else None
        return data


def _place(place: Place) -> str:
    return f"{place.name} ({place.area.name})"
