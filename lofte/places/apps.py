from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "lofte.places"
    label = "places"
    verbose_name = _("Areas and places")
