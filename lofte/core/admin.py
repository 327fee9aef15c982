"""Admin base class: audit stamping, and permissions from memberships instead of Django's
per-model permission table, so that the admin asks the same policies as the pages and the API.
"""

from django.contrib import admin

from lofte.accounts.models import Membership

AUDIT_FIELDS = ("created_at", "created_by", "changed_at", "changed_by")


def has_role(user, *roles):
    return user.is_active and (
        user.is_superuser or Membership.objects.filter(user=user, role__in=roles).exists()
    )


class AuditedAdmin(admin.ModelAdmin):
    """Subclasses set `editor_roles` and may narrow `visible()` and `may_change()`."""

    editor_roles = ()
    readonly_fields = AUDIT_FIELDS

    def visible(self, request, queryset):
        return queryset

    def may_change(self, request, obj):
        return True

    def get_queryset(self, request):
        return self.visible(request, super().get_queryset(request))

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and (
            obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()
        )

    def has_add_permission(self, request):
        return request.user.is_staff and has_role(request.user, *self.editor_roles)

    def has_change_permission(self, request, obj=None):
        if not (request.user.is_staff and has_role(request.user, *self.editor_roles)):
            return False
        return obj is None or request.user.is_superuser or self.may_change(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        obj.stamp(request.user)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for obj in formset.save(commit=False):
            if hasattr(obj, "stamp"):
                obj.stamp(request.user)
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()
