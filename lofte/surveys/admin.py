from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from lofte.accounts.admin_base import AuditedAdmin, PolicyInline

from . import itembank
from .models import Item, Survey, Wave
from .permissions import surveys as policy

# Invitations (addresses) and responses are deliberately not in the admin: the pages and the
# commands are the only ways to them, and they show counts, not people.


class ItemInline(PolicyInline, admin.StackedInline[Item, Survey]):
    model = Item
    extra = 0
    fields = (
        "position",
        "code",
        "section",
        "section_texts",
        "texts",
        "options",
        "indicator",
        "indicator_texts",
        "better",
        "background",
    )


class WaveInline(PolicyInline, admin.TabularInline[Wave, Survey]):
    model = Wave
    extra = 0
    fields = ("kind", "label", "opens_on", "closes_on")


@admin.register(Survey)
class SurveyAdmin(AuditedAdmin):
    list_display = ("name", "area", "anonymous", "published")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("organisations",)
    inlines = [WaveInline, ItemInline]
    actions = ["add_item_bank"]
    choice_actions = {"area": "change"}

    @admin.action(description=_("Add the standard item bank's questions"))
    def add_item_bank(self, request: HttpRequest, queryset: QuerySet[Survey]) -> None:
        for survey in queryset:
            if not policy.can(request.user, "run", survey):
                continue
            have = set(survey.items.values_list("code", flat=True))
            missing = [item["code"] for item in itembank.items() if item["code"] not in have]
            itembank.add_to(survey, missing)
            self.message_user(
                request,
                _("%(survey)s: %(n)d questions added") % {"survey": survey, "n": len(missing)},
                messages.SUCCESS,
            )
