from django.contrib import admin

from lofte.core.admin import AuditedAdmin, PolicyAdmin

from .models import Dialogue, Statement, Theme


@admin.register(Theme)
class ThemeAdmin(PolicyAdmin):
    """The areas' themes: edited here until the evidence matrix has a page for them."""

    list_display = ("name", "name_en", "area")
    list_filter = ("area",)
    readonly_fields = ()


@admin.register(Dialogue)
class DialogueAdmin(AuditedAdmin):
    list_display = ("held_on", "place", "format", "area")


@admin.register(Statement)
class StatementAdmin(PolicyAdmin):
    list_display = ("text", "area", "status", "created_at")
    list_filter = ("status", "area")
    readonly_fields = ("created_at", "moderated_at", "moderated_by")
