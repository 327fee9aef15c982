"""Areas drawn twice: the same code or the same outline uploaded again as a new area. A coordinator
who could not find an area made a second "Hisings Backa", with a public page and a survey of its own;
a new area is refused while one like it exists, with a pointer to the one to choose."""

from typing import Any

from lofte.places.geometry import bbox_of, same_outline
from lofte.places.models import Area


def area_with_outline(polygon: dict[str, Any]) -> Area | None:
    """A stored area whose outline covers the same ground as `polygon` (GeoJSON in WGS84), if any."""
    min_lon, min_lat, max_lon, max_lat = bbox_of(polygon)
    overlapping = Area.objects.filter(
        min_lon__lte=max_lon, max_lon__gte=min_lon, min_lat__lte=max_lat, max_lat__gte=min_lat
    ).only("pk", "name", "code", "polygon")
    return next((area for area in overlapping if same_outline(area.polygon, polygon)), None)
