from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lofte.core"
    label = "core"
    verbose_name = "Löfte"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deployment checks)
