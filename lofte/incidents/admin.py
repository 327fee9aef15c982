from django.contrib import admin

from .models import HarmWeight


@admin.register(HarmWeight)
class HarmWeightAdmin(admin.ModelAdmin[HarmWeight]):
    list_display = ("type", "weight", "unit", "source", "dated")
    search_fields = ("type",)
