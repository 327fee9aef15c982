from typing import Any

from django.apps import AppConfig, apps
from django.db.models.signals import post_delete


class CoreConfig(AppConfig):
    name = "lofte.core"
    label = "core"
    verbose_name = "Löfte"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deployment checks)

        # A deleted promise, commitment or place takes its translations with it.
        for model in apps.get_models():
            if getattr(model, "translated_fields", ()):
                post_delete.connect(_forget_translations, sender=model, weak=False)


def _forget_translations(sender: Any, instance: Any, **kwargs: Any) -> None:
    from django.contrib.contenttypes.models import ContentType  # noqa: PLC0415

    from .models import Translation  # noqa: PLC0415

    Translation.objects.filter(content_type=ContentType.objects.get_for_model(sender), object_id=instance.pk).delete()
