from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from lofte.accounts.admin_base import AuditedAdmin, PolicyInline

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

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # An outline opens the incidents inside it to the area's organisations (places.reach): only a
        # superuser redraws a linked area here. (An area added here is linked to no organisation, so
        # it opens nothing; owners draw new areas in the planning pages, cut to their own.)
        fixed = () if request.user.is_superuser or obj is None else ("polygon",)
        return (*super().get_readonly_fields(request, obj), *fixed)


@admin.register(Place)
class PlaceAdmin(AuditedAdmin):
    list_display = ("name", "area", "radius_m", "is_control")
    list_filter = ("area", "is_control")
    search_fields = ("name",)
    choice_actions = {"area": "change"}
