"""The action form of the staff pages: it renders and parses; `actions` checks and stores."""

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lofte.core.widgets import DayInput
from lofte.places.models import Area

from .models import Action, Category, Observation
from .permissions import observations as observation_policy

RECENT_WEEKS = 8  # observations offered to link: the last eight weeks', and those linked already


class ActionForm(forms.Form):
    title = forms.CharField(label=_("What is to be done"), max_length=200)
    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Responsible organisation"), queryset=None
    )
    category = forms.ChoiceField(label=_("The kind of problem it answers"), required=False)
    place: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Place"), queryset=None, required=False, empty_label=_("The area as a whole")
    )
    observations: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Observations it answers"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    due = forms.DateField(label=_("Due"), required=False, widget=DayInput())
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)
    done_on = forms.DateField(label=_("Done on"), required=False, widget=DayInput())
    public_note = forms.CharField(
        label=_("Note for the reporters"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=Action._meta.get_field("public_note").help_text,
    )  # fmt: skip

    def __init__(self, *args: Any, user: Any, area: Area, action: Action | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ModelChoiceField)
        organisation.queryset = area.organisations.order_by("name")
        self.fields["category"].choices = [("", "–")] + [  # type: ignore[attr-defined]
            (c.code, c.local_label()) for c in Category.objects.select_related("parent")
        ]
        place = self.fields["place"]
        assert isinstance(place, forms.ModelChoiceField)
        place.queryset = area.places.order_by("name")
        since = timezone.localdate() - timedelta(weeks=RECENT_WEEKS)
        offered = observation_policy.visible(user).filter(area=area, occurred_on__gte=since)
        if action is not None and action.pk:
            offered = offered | observation_policy.visible(user).filter(actions=action)
        linked = self.fields["observations"]
        assert isinstance(linked, forms.ModelMultipleChoiceField)
        linked.queryset = offered.distinct().select_related("category__parent", "place").order_by("-occurred_on")
        linked.label_from_instance = _observation  # type: ignore[method-assign,assignment]

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["organisation"] = data["organisation"].pk
        data["place"] = data["place"].pk if data["place"] else None
        data["observations"] = [o.pk for o in data["observations"]]
        return data


def _observation(o: Observation) -> str:
    where = f", {o.place.name}" if o.place else ""
    return f"{o.occurred_on:%Y-%m-%d} {o.category.local_label()}{where}"
