from django.contrib import admin

from lofte.accounts.admin_base import AuditedAdmin, PolicyAdmin

from .models import Action, Category, Observation


@admin.register(Category)
class CategoryAdmin(PolicyAdmin):
    """The site's list of categories: superusers keep it (a category in use cannot be removed)."""

    readonly_fields = ()
    list_display = ("code", "name", "name_en", "parent", "position", "active")
    list_filter = ("active",)


@admin.register(Observation)
class ObservationAdmin(AuditedAdmin):
    list_display = ("occurred_on", "category", "area", "organisation", "count", "source")
    list_filter = ("category", "source")
    choice_actions = {"area": "view", "place": "view", "organisation": "view"}


@admin.register(Action)
class ActionAdmin(AuditedAdmin):
    list_display = ("title", "area", "organisation", "status", "due", "done_on")
    list_filter = ("status",)
    choice_actions = {"area": "view", "place": "view", "organisation": "view", "observations": "view"}
