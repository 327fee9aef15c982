from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lofte.core import bounds
from lofte.core.widgets import DayInput

from .models import CaseEvent, SupportCase


class CaseForm(forms.ModelForm):
    identifier = forms.CharField(
        label=_("Identifier for matching (optional)"),
        required=False,
        max_length=100,
        help_text=_("Only a keyed hash of it is stored, to recognise the same person later."),
    )

    class Meta:
        model = SupportCase
        fields = ["organisation", "pseudonym", "started_on", "status"]
        widgets = {"started_on": DayInput()}

    def __init__(self, *args: Any, organisations: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        if not settings.LOFTE_CASE_KEY:
            del self.fields["identifier"]

    def clean_started_on(self) -> date:
        started = self.cleaned_data["started_on"]
        if problem := bounds.out_of_range(started):
            raise forms.ValidationError(problem)
        return started

    def clean_pseudonym(self) -> str:
        value = self.cleaned_data["pseudonym"].strip()
        digits = sum(ch.isdigit() for ch in value)
        if digits >= 6:
            raise forms.ValidationError(_("That looks like an identity number: use a pseudonym."))
        return value


class EventForm(forms.ModelForm):
    class Meta:
        model = CaseEvent
        fields = ["date", "kind", "contact_kind", "status", "note"]
        widgets = {"date": DayInput(), "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, case: SupportCase | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case

    def clean_date(self) -> date:
        day = self.cleaned_data["date"]
        if problem := bounds.out_of_range(day):
            raise forms.ValidationError(problem)
        if self.case is not None and day < self.case.started_on:
            raise forms.ValidationError(_("The case started on %(day)s.") % {"day": self.case.started_on})
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == CaseEvent.Kind.STATUS and not data.get("status"):
            self.add_error("status", _("A status change needs the new status."))
        if data.get("kind") == CaseEvent.Kind.CONTACT and not data.get("contact_kind"):
            self.add_error("contact_kind", _("Say what kind of contact it was."))
        return data
