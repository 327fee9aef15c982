from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "lofte.incidents"
    label = "incidents"
    verbose_name = _("Incidents")

    def ready(self) -> None:
        from . import signals  # noqa: F401 (connects the receivers)
