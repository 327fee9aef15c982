"""Areas (a promise's territory) and places (its hot spots)."""

from typing import Any

import shapely
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from shapely.geometry import Point, shape

from lofte.core.models import Audited

from . import geometry


def validate_polygon(value: Any) -> None:
    try:
        geom = shape(value)
    except Exception as exc:
        raise ValidationError(_("Not a GeoJSON geometry: %(error)s"), params={"error": exc}) from exc
    if geom.geom_type not in ("Polygon", "MultiPolygon") or geom.is_empty:
        raise ValidationError(_("Expected a GeoJSON Polygon or MultiPolygon."))
    vertices = int(shapely.get_num_coordinates(geom))
    if vertices > settings.LOFTE_MAX_OUTLINE_VERTICES:
        raise ValidationError(
            _("The outline has %(count)s vertices; at most %(limit)s (simplify it)."),
            params={"count": vertices, "limit": settings.LOFTE_MAX_OUTLINE_VERTICES},
        )
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        raise ValidationError(_("The outline is not a valid polygon: %(reason)s."), params={"reason": reason})
    min_lon, min_lat, max_lon, max_lat = geom.bounds
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise ValidationError(_("Coordinates must be WGS84 longitude/latitude."))


class Area(Audited):
    # What residents read, in their language (lofte.core.translations).
    translated_fields = ("name",)
    proper_names = ("name",)

    class Category(models.TextChoices):
        VULNERABLE = "utsatt", _("vulnerable area")
        ESPECIALLY_VULNERABLE = "sarskilt_utsatt", _("especially vulnerable area")
        RISK = "riskomrade", _("risk area")
        DISTRICT = "district", _("district")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=50, unique=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.OTHER)
    polygon = models.JSONField(_("polygon"), validators=[validate_polygon], help_text=_("GeoJSON in WGS84."))
    min_lon = models.FloatField(editable=False)
    min_lat = models.FloatField(editable=False)
    max_lon = models.FloatField(editable=False)
    max_lat = models.FloatField(editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.min_lon, self.min_lat, self.max_lon, self.max_lat = geometry.bbox_of(self.polygon)
        super().save(*args, **kwargs)

    def contains(self, lon: float, lat: float) -> bool:
        return geometry.contains_lonlat(self.polygon, lon, lat)


class Place(Audited):
    """A hot spot: a polygon, or a point with a radius in metres."""

    # What residents read, in their language (lofte.core.translations).
    translated_fields = ("name",)
    proper_names = ("name",)

    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="places")
    name = models.CharField(_("name"), max_length=200)
    polygon = models.JSONField(_("polygon"), null=True, blank=True, validators=[validate_polygon])
    lon = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    lat = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    radius_m = models.PositiveIntegerField(_("radius (metres)"), null=True, blank=True)
    is_control = models.BooleanField(
        _("control place"),
        default=False,
        help_text=_("A comparison place that gets no extra activity."),
    )

    class Meta:
        ordering = ["area__name", "name"]
        unique_together = [("area", "name")]
        verbose_name = _("place")
        verbose_name_plural = _("places")

    def __str__(self) -> str:
        return self.name

    def centre(self) -> tuple[float | None, float | None]:
        """(lon, lat) of the place's centre (None when the place has neither outline nor point yet)."""
        if self.polygon:
            c = shape(self.polygon).centroid
            return c.x, c.y
        return self.lon, self.lat

    def clean(self) -> None:
        has_point = self.lon is not None and self.lat is not None
        if not self.polygon and not has_point:
            raise ValidationError(_("Give either a polygon or a point with a radius."))
        if has_point and not self.polygon and not self.radius_m:
            raise ValidationError({"radius_m": _("A point place needs a radius in metres.")})
        if self.area_id and (self.polygon or has_point):
            area_shape = shape(self.area.polygon)
            inside = (
                area_shape.intersects(shape(self.polygon))
                if self.polygon
                else area_shape.covers(Point(self.lon, self.lat))
            )
            if not inside:
                raise ValidationError({"area": _("The place lies outside its area.")})


class Population(models.Model):
    """Residents of an area in a year (SCB's or the municipality's figures): rates per 1 000 residents."""

    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="population")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    residents = models.PositiveIntegerField(_("residents"))
    source = models.CharField(_("source"), max_length=200, help_text=_("e.g. SCB, Folkmängd per region 2016"))
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["area", "year"]
        verbose_name = _("population")
        verbose_name_plural = _("population")
        constraints = [models.UniqueConstraint(fields=["area", "year"], name="population_once_per_area_year")]

    def __str__(self) -> str:
        return f"{self.area} {self.year}: {self.residents}"
