"""The seizure form of the officer's phone page; `services.log_seizure` validates and stores it (the
amount above zero, automatic only for weapons: the same rules as the API's)."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lofte.core.widgets import DayInput
from lofte.places.models import Place

from .models import Seizure


class SeizureForm(forms.Form):
    prefix = "seizure"  # the page has a unit of its own (the patrol's call sign)
    place = forms.ModelChoiceField(label=_("Place"), queryset=Place.objects.none())
    date = forms.DateField(label=_("Date"), widget=DayInput())
    category = forms.ChoiceField(label=_("Category"), choices=Seizure.Category.choices)
    kind = forms.CharField(label=_("Kind"), max_length=100, help_text=_("e.g. pistol, cannabis"))
    # A text field in the page's format ("45,5" in Swedish); phones show their decimal keypad for it.
    quantity = forms.DecimalField(label=_("Amount"), max_digits=12, decimal_places=3, localize=True,
                                  widget=forms.TextInput(attrs={"inputmode": "decimal"}))  # fmt: skip
    unit = forms.ChoiceField(label=_("Unit"), choices=Seizure.QuantityUnit.choices)
    automatic = forms.BooleanField(label=_("Automatic weapon"), required=False)
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args: Any, places: QuerySet[Place], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        field = self.fields["place"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = places
