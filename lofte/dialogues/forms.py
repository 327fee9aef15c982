from django import forms
from django.utils.translation import gettext_lazy as _

from .services import MAX_LENGTH


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("What do you want the police and the municipality to know about safety here?"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("No names, addresses or telephone numbers: a member reads every statement before it is shown."),
    )
