from django.contrib import admin

from lofte.accounts.models import Role
from lofte.core.admin import has_role

from .models import AccessLog

# Support cases are deliberately not in the admin: administrators must not read them.


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Administrators read the log of who opened which case; nobody can change it."""

    list_display = ("at", "username", "action", "case_ref", "detail")
    list_filter = ("action",)
    search_fields = ("username", "case_ref")

    def has_module_permission(self, request):
        return request.user.is_staff and has_role(request.user, Role.ADMIN)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
