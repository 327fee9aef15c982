from django.contrib import admin

from lofte.accounts.admin_base import AuditedAdmin, PolicyAdmin

from .models import CandidateProblem, Dialogue, OpinionExercise, OpinionStatement, Statement, Theme

# What is added here shows on the area's public pages (statements, themes, exercises) or its evidence
# matrix: only in the areas of the user's own organisations where they are owners or analysts, as on
# the pages (the admin would otherwise offer every area of the site).
EDITABLE_AREAS = {"area": "change"}


@admin.register(Theme)
class ThemeAdmin(PolicyAdmin):
    """The areas' themes: edited here until the evidence matrix has a page for them."""

    list_display = ("name", "name_en", "area")
    list_filter = ("area",)
    readonly_fields = ()
    choice_actions = EDITABLE_AREAS


@admin.register(Dialogue)
class DialogueAdmin(AuditedAdmin):
    list_display = ("held_on", "place", "format", "area")
    choice_actions = EDITABLE_AREAS


@admin.register(Statement)
class StatementAdmin(PolicyAdmin):
    list_display = ("text", "area", "status", "created_at")
    list_filter = ("status", "area")
    readonly_fields = ("created_at", "moderated_at", "moderated_by")
    choice_actions = {**EDITABLE_AREAS, "themes": "change"}


@admin.register(CandidateProblem)
class CandidateProblemAdmin(PolicyAdmin):
    """The evidence matrix's mapping: a problem, its survey question, incident types and themes."""

    list_display = ("name", "area", "survey_item")
    readonly_fields = ()
    filter_horizontal = ("themes",)
    choice_actions = {**EDITABLE_AREAS, "themes": "change"}


class OpinionStatementInline(admin.TabularInline[OpinionStatement, OpinionExercise]):
    model = OpinionStatement
    extra = 3
    fields = ("text", "text_en")


@admin.register(OpinionExercise)
class OpinionExerciseAdmin(AuditedAdmin):
    list_display = ("title", "area", "is_open")
    inlines = [OpinionStatementInline]
    choice_actions = EDITABLE_AREAS
