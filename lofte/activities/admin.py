from django.contrib import admin

from lofte.accounts import policies
from lofte.accounts.models import Role
from lofte.accounts.policies import organisations_where
from lofte.core.admin import AuditedAdmin

from .models import Activity, Patrol, Seizure, StreetPrice, Unit


class RecordAdmin(AuditedAdmin):
    """Activity records: visible by the activity policy, changed by their organisation's owners."""

    editor_roles = (Role.OWNER, Role.OFFICER)

    def visible(self, request, queryset):
        visible = policies.activities.visible(request.user, self.model)
        return queryset.filter(pk__in=visible.values("pk"))

    def may_change(self, request, obj):
        owners = organisations_where(request.user, Role.OWNER)
        orgs = [obj.organisation] if hasattr(obj, "organisation") else list(obj.organisations.all())
        return obj.created_by_id == request.user.pk or any(o in owners for o in orgs)


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    editor_roles = (Role.OWNER, Role.ADMIN)
    list_display = ("call_sign", "organisation", "active")
    list_filter = ("organisation", "active")


@admin.register(Patrol)
class PatrolAdmin(RecordAdmin):
    list_display = ("place", "start", "end", "organisation", "unit", "source", "auto_closed")
    list_filter = ("source", "auto_closed", "organisation", "place")
    date_hierarchy = "start"


@admin.register(Seizure)
class SeizureAdmin(RecordAdmin):
    list_display = ("date", "category", "kind", "automatic", "quantity", "unit", "area")
    list_filter = ("category", "automatic")
    date_hierarchy = "date"


@admin.register(Activity)
class ActivityAdmin(RecordAdmin):
    list_display = ("start", "kind", "title", "area", "participants")
    list_filter = ("kind",)
    date_hierarchy = "start"


@admin.register(StreetPrice)
class StreetPriceAdmin(AuditedAdmin):
    editor_roles = (Role.OWNER, Role.ANALYST)
    list_display = ("substance", "unit", "low", "high", "valid_from", "source")
    list_filter = ("substance",)
