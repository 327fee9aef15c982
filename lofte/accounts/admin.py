from django.contrib import admin
from django.db import models
from django.db.models import Model
from django.http import HttpRequest

from .admin_base import AuditedAdmin, PolicyInline
from .models import ApiToken, Membership, Organisation


class MembershipInline(PolicyInline, admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("user", "role")


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ("name", "kind", "region", "municipality")
    list_filter = ("kind", "region")
    search_fields = ("name",)
    filter_horizontal = ("areas",)
    inlines = [MembershipInline]
    # Linking an area opens its incidents to the organisation: administrators choose among the areas of
    # organisations where they are administrators or owners (places.links); others by a superuser.
    choice_actions = {"areas": "link"}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # a website typed without a scheme


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ("user", "organisation", "role")
    list_filter = ("role", "organisation")
    choice_actions = {"organisation": "change"}


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued with `lofte issue-token`; here they can only be seen and revoked."""

    list_display = ("name", "user", "prefix", "created_at", "last_used_at")
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
