"""Form widgets shared by the apps' forms."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class DayInput(forms.DateInput):
    """A day written as 2016-03-01, in a text field.

    The browser's own date field writes and reads days in the browser's language, not the page's: a
    Swedish page showed "mm/dd/yyyy" in an English Chromium (issue 24). The ISO form is how Swedish
    dates are written anyway, reads the same on every page, and is what the forms and the API take.
    Left to right even on Arabic and Persian pages, where the digits and dashes would otherwise turn. No
    numeric keyboard: a phone's has no dash.
    """

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {
            "pattern": r"\d{4}-\d{2}-\d{2}",
            "maxlength": "10",
            "size": "10",
            "placeholder": _("YYYY-MM-DD"),
            "title": _("A day written as 2016-03-01"),
            "autocomplete": "off",
            "dir": "ltr",
        }
        super().__init__(attrs=defaults | (attrs or {}), format="%Y-%m-%d")


class LocalizedSelect(forms.Select):
    """A select whose labels are users' texts in the page's language (`localized`): an option shown in
    Swedish for want of a translation says so with lang="sv" (an option holds text only, so the mark
    goes on the option itself)."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from .translations import SwedishFallback  # noqa: PLC0415

        option = super().create_option(*args, **kwargs)
        if isinstance(option["label"], SwedishFallback):
            option["attrs"] = {**option["attrs"], "lang": "sv", "dir": "ltr"}
            option["label"] = str(option["label"])
        return option
