from django.contrib import admin

from lofte.core.admin import AuditedAdmin

from . import policies
from .models import ApiToken, Membership, Organisation, Role


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("user", "role")


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    editor_roles = (Role.ADMIN,)
    list_display = ("name", "kind")
    search_fields = ("name",)
    filter_horizontal = ("areas",)
    inlines = [MembershipInline]

    def may_change(self, request, obj):
        return policies.organisations.managed(request.user).filter(pk=obj.pk).exists()

    def has_add_permission(self, request):
        return request.user.is_superuser


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    editor_roles = (Role.ADMIN,)
    list_display = ("user", "organisation", "role")
    list_filter = ("role", "organisation")

    def visible(self, request, queryset):
        if request.user.is_superuser:
            return queryset
        return queryset.filter(organisation__in=policies.organisations.managed(request.user))

    def may_change(self, request, obj):
        return self.visible(request, Membership.objects.filter(pk=obj.pk)).exists()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            kwargs["queryset"] = policies.organisations.managed(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued with `lofte issue-token`; here they can only be seen and revoked."""

    list_display = ("name", "user", "prefix", "created_at", "last_used_at")
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at")

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

