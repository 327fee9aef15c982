from django.contrib import admin

from lofte.core.admin import AuditedAdmin, PolicyInline

from .models import Commitment, Promise, Update


class CommitmentInline(PolicyInline, admin.StackedInline):
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


@admin.register(Update)
class UpdateAdmin(AuditedAdmin):
    list_display = ("published_on", "commitment")
    date_hierarchy = "published_on"
    choice_actions = {"commitment": "change"}
