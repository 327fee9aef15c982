"""The residents' form for an unsafe place: it renders and parses; `residents.submit` checks and stores."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from lofte.core.translations import localized
from lofte.core.widgets import LocalizedSelect
from lofte.places.models import Area

from .categories import choices
from .residents import MAX_LENGTH


class ResidentReportForm(forms.Form):
    category = forms.ChoiceField(label=_("What kind of problem is it?"))
    place: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Where"), queryset=None, required=False, empty_label=_("The point I mark on the map"),
        widget=LocalizedSelect,
    )  # fmt: skip
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("What makes the place unsafe?"), max_length=MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("No names, addresses or telephone numbers: a member reads every report before it is shown."),
    )  # fmt: skip
    contact = forms.EmailField(
        label=_("Your e-mail address (optional)"), required=False,
    )  # fmt: skip

    def __init__(self, *args: Any, area: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = choices()  # type: ignore[attr-defined]
        place = self.fields["place"]
        assert isinstance(place, forms.ModelChoiceField)
        place.queryset = area.places.order_by("name")
        place.label_from_instance = lambda found: localized(found, "name")  # type: ignore[method-assign,assignment]
        # In the page's language: a help text formatted when the module is read is in the server's.
        self.fields["contact"].help_text = _(
            "Only to tell you what became of your report; it is never shown, and is deleted after %(days)s days."
        ) % {"days": settings.LOFTE_RESIDENT_CONTACT_DAYS}

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["place"] = data["place"].pk if data["place"] else None
        return data
