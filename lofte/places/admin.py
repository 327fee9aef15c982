from django.contrib import admin

from lofte.core.admin import AuditedAdmin, PolicyInline

from .models import Area, Place


class PlaceInline(PolicyInline, admin.TabularInline):
    model = Place
    extra = 0
    fields = ("name", "lon", "lat", "radius_m", "is_control")


@admin.register(Area)
class AreaAdmin(AuditedAdmin):
    list_display = ("name", "code", "category")
    list_filter = ("category",)
    search_fields = ("name", "code")
    inlines = [PlaceInline]


@admin.register(Place)
class PlaceAdmin(AuditedAdmin):
    list_display = ("name", "area", "radius_m", "is_control")
    list_filter = ("area", "is_control")
    search_fields = ("name",)
    choice_actions = {"area": "change"}
