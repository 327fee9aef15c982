from django.contrib import admin

from lofte.accounts.admin_base import PolicyAdmin

from .models import AccessLog

# Support cases are deliberately not in the admin: administrators must not read them.


@admin.register(AccessLog)
class AccessLogAdmin(PolicyAdmin):
    """Administrators read the log of who opened their organisation's cases; nobody can change it."""

    list_display = ("at", "username", "action", "case_ref", "organisation", "detail")
    list_filter = ("action",)
    search_fields = ("username", "case_ref")
    readonly_fields = ()
