from django.contrib import admin

from lofte.accounts import policies
from lofte.accounts.models import Role
from lofte.core.admin import AuditedAdmin

from .models import Commitment, Promise, Update


class CommitmentInline(admin.StackedInline):
    model = Commitment
    extra = 0
    fields = (
        "position", "text", "text_en", "responsible", "kind", "metric", "comparator",
        "target_value", "unit", "unit_en", "places", "filter_category", "filter_kind",
        "automatic_only", "measure", "due_date", "done_date", "outcome_item",
    )
    raw_id_fields = ("outcome_item",)
    filter_horizontal = ("responsible", "places")


@admin.register(Promise)
class PromiseAdmin(AuditedAdmin):
    editor_roles = (Role.OWNER,)
    list_display = ("title", "area", "period_start", "period_end", "status")
    list_filter = ("status", "area")
    search_fields = ("title", "problem")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("parties",)
    inlines = [CommitmentInline]

    def visible(self, request, queryset):
        return queryset.filter(pk__in=policies.promises.visible(request.user).values("pk"))

    def may_change(self, request, obj):
        return policies.promises.can_edit(request.user, obj)


@admin.register(Update)
class UpdateAdmin(AuditedAdmin):
    editor_roles = (Role.OWNER,)
    list_display = ("published_on", "commitment")
    date_hierarchy = "published_on"

    def visible(self, request, queryset):
        return queryset.filter(commitment__promise__in=policies.promises.visible(request.user))

    def may_change(self, request, obj):
        return policies.promises.can_edit(request.user, obj.commitment.promise)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "commitment":
            kwargs["queryset"] = Commitment.objects.filter(
                promise__in=policies.promises.editable(request.user)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
