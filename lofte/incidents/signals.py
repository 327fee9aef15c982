"""Incidents keep the area and place their point lies in: when an area or a place is added, moved or
removed, the incidents around it are located again (`locate.relocate`), so that "the incidents of an
area" (`inside.py`) stays true without anyone remembering to run `lofte locate-incidents`."""

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from lofte.places.models import Area, Place

from .locate import bounds_of, relocate

PLACE_GEOMETRY = ("area_id", "polygon", "lon", "lat", "radius_m")


@receiver(pre_save, sender=Area)
@receiver(pre_save, sender=Place)
def remember_old_outline(sender: type[Area] | type[Place], instance: Area | Place, **kwargs: Any) -> None:
    """Keep what the row was before this save, to tell whether its geometry changed."""
    stored = sender.objects.filter(pk=instance.pk).first() if instance.pk else None
    instance._stored = stored  # type: ignore[union-attr]  # read by the post_save receivers below


@receiver(post_save, sender=Area)
def area_saved(sender: type[Area], instance: Area, created: bool, **kwargs: Any) -> None:
    old = getattr(instance, "_stored", None)
    if created or old is None or old.polygon != instance.polygon:
        relocate(bounds=bounds_of(instance.polygon, old.polygon if old else None))


@receiver(post_save, sender=Place)
def place_saved(sender: type[Place], instance: Place, created: bool, **kwargs: Any) -> None:
    old = getattr(instance, "_stored", None)
    if created or old is None or any(getattr(old, f) != getattr(instance, f) for f in PLACE_GEOMETRY):
        relocate(bounds=bounds_of(instance.area.polygon, old.area.polygon if old else None))


@receiver(post_delete, sender=Area)
def area_deleted(sender: type[Area], instance: Area, **kwargs: Any) -> None:
    relocate(bounds=bounds_of(instance.polygon))  # its incidents may lie in an area around it


@receiver(post_delete, sender=Place)
def place_deleted(sender: type[Place], instance: Place, **kwargs: Any) -> None:
    area = Area.objects.filter(pk=instance.area_id).first()  # gone too when the area was deleted
    if area is not None:
        relocate(bounds=bounds_of(area.polygon))
