from django.contrib import admin

from lofte.accounts.admin_base import AuditedAdmin

from .models import Activity, Patrol, Seizure, StreetPrice, Unit


class RecordAdmin(AuditedAdmin):
    """Activity records: places and areas to choose are those of the user's organisations."""

    choice_actions = {"place": "use", "area": "use", "unit": "log"}


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ("call_sign", "organisation", "active")
    list_filter = ("organisation", "active")
    choice_actions = {"organisation": "change"}


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
    list_display = ("substance", "unit", "low", "high", "valid_from", "source")
    list_filter = ("substance",)
