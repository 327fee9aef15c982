"""The admin of the site's own pages (superusers only; the policy admin base is in
``lofte/accounts/admin_base.py``)."""

from django.contrib import admin

from .models import SitePage


@admin.register(SitePage)
class SitePageAdmin(admin.ModelAdmin):
    list_display = ("key", "changed_at")
