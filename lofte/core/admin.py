"""The admin of the site's own pages (superusers only; the policy admin base is in
``lofte/accounts/admin_base.py``): each page's text, and its Arabic, Somali and Persian versions."""

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline

from .models import SitePage, Translation
from .translations import RESIDENT_LANGUAGES


class PageTranslationForm(forms.ModelForm):
    language = forms.ChoiceField(choices=[(code, code) for code in RESIDENT_LANGUAGES])

    class Meta:
        model = Translation
        fields = ("language", "text", "status")


class PageTranslationInline(GenericTabularInline):
    """The page's text in the residents' languages; each translates the Swedish text as it is saved."""

    model = Translation
    form = PageTranslationForm
    ct_fk_field = "object_id"
    extra = 0


@admin.register(SitePage)
class SitePageAdmin(admin.ModelAdmin):
    list_display = ("key", "changed_at")
    inlines = [PageTranslationInline]

    def save_formset(self, request: Any, form: Any, formset: Any, change: bool) -> None:
        rows = formset.save(commit=False)
        for row in rows:
            row.field, row.source, row.changed_by = "body", form.instance.body, request.user
            row.save()
        for row in formset.deleted_objects:
            row.delete()
