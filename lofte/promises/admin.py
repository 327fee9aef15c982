from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from lofte.accounts.admin_base import AuditedAdmin, PolicyInline

from .models import Commitment, Promise, Update
from .permissions import promises


class CommitmentInline(PolicyInline, admin.StackedInline[Commitment, Promise]):
    model = Commitment
    extra = 0
    fields = (
        "position",
        "text",
        "text_en",
        "responsible",
        "kind",
        "metric",
        "comparator",
        "target_value",
        "unit",
        "unit_en",
        "places",
        "filter_category",
        "filter_kind",
        "automatic_only",
        "measure",
        "due_date",
        "done_date",
        "outcome_item",
    )
    raw_id_fields = ("outcome_item",)
    filter_horizontal = ("responsible", "places")


@admin.register(Promise)
class PromiseAdmin(AuditedAdmin):
    list_display = ("title", "area", "period_start", "period_end", "status")
    list_filter = ("status", "area")
    search_fields = ("title", "problem")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("parties",)
    inlines = [CommitmentInline]
    choice_actions = {"area": "change"}

    def get_readonly_fields(self, request: HttpRequest, obj: Promise | None = None) -> tuple[str, ...]:
        # An organisation becomes a party only by accepting an invitation (promises.invitations); a
        # superuser, who sets up the site, may still name parties here.
        # Control and donor areas likewise: they are changed in the planning pages, among the areas the
        # promise may compare with (planning.comparable_areas).
        fixed = () if request.user.is_superuser else ("parties", "control_areas", "donor_areas")
        return (*super().get_readonly_fields(request, obj), *fixed)

    def save_related(self, request: HttpRequest, form: ModelForm[Promise], formsets: list[Any], change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if not change and not request.user.is_superuser:  # a new promise is its creator's organisations'
            owned = promises.organisations_for(request.user, "add").filter(areas=form.instance.area)
            form.instance.parties.set(owned)


@admin.register(Update)
class UpdateAdmin(AuditedAdmin):
    list_display = ("published_on", "commitment")
    date_hierarchy = "published_on"
    choice_actions = {"commitment": "change"}
