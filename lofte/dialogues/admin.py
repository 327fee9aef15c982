from django.contrib import admin

from lofte.core.admin import AuditedAdmin, PolicyAdmin

from .models import CandidateProblem, Dialogue, OpinionExercise, OpinionStatement, Statement, Theme


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


@admin.register(CandidateProblem)
class CandidateProblemAdmin(PolicyAdmin):
    """The evidence matrix's mapping: a problem, its survey question, incident types and themes."""

    list_display = ("name", "area", "survey_item")
    readonly_fields = ()
    filter_horizontal = ("themes",)


class OpinionStatementInline(admin.TabularInline):
    model = OpinionStatement
    extra = 3
    fields = ("text", "text_en")


@admin.register(OpinionExercise)
class OpinionExerciseAdmin(AuditedAdmin):
    list_display = ("title", "area", "is_open")
    inlines = [OpinionStatementInline]
