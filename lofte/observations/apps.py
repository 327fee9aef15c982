from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservationsConfig(AppConfig):
    name = "lofte.observations"
    label = "observations"
    verbose_name = _("Observations")

    def ready(self) -> None:
        from . import hooks  # noqa: F401 (answers the lower apps' questions, lofte.core.hooks)
