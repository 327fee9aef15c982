from django.contrib import admin

from lofte.accounts.models import Role
from lofte.core.admin import AuditedAdmin

from .models import Area, Place


class PlaceInline(admin.TabularInline):
    model = Place
    extra = 0
    fields = ("name", "lon", "lat", "radius_m", "is_control")


@admin.register(Area)
class AreaAdmin(AuditedAdmin):
    editor_roles = (Role.OWNER, Role.ANALYST)
    list_display = ("name", "code", "category")
    list_filter = ("category",)
    search_fields = ("name", "code")
    inlines = [PlaceInline]


@admin.register(Place)
class PlaceAdmin(AuditedAdmin):
    editor_roles = (Role.OWNER, Role.ANALYST)
    list_display = ("name", "area", "radius_m", "is_control")
    list_filter = ("area", "is_control")
    search_fields = ("name",)
