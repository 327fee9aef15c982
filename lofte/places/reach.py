"""How far a new outline may reach: never past the areas its organisation already holds.

An area opens the incidents inside its outline to the members of its organisations, so an owner who
could draw any outline could read another police area's incidents by drawing over it (DESIGN.md
section 7). A new outline is therefore cut to the areas its organisation holds: slivers outside
(two sources of the same boundary rarely agree to the metre) are cut off, an outline that reaches
further is refused in words. A superuser, who sets up organisations and their areas, may draw any.
"""

from collections.abc import Iterable
from typing import Any

import shapely
from django.utils.translation import gettext as _
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from lofte.accounts.models import Organisation
from lofte.core.problems import InputProblem

from .geometry import to_metric

# The share of a new outline that may lie outside its organisation's areas and is cut off.
SLIVER = 0.01


class OutOfReach(InputProblem):
    """An outline that reaches past the areas of its organisation."""


def held_outline(organisations: Iterable[Organisation]) -> BaseGeometry | None:
    """The union of the outlines of the areas `organisations` hold (a shapely geometry, WGS84), or None."""
    from .models import Area

    outlines = [shape(polygon) for polygon in Area.objects.filter(organisations__in=organisations)
                .distinct().values_list("polygon", flat=True)]  # fmt: skip
    return shapely.union_all(outlines) if outlines else None


def within_held_areas(
    user: Any, polygon: dict[str, Any], organisations: Iterable[Organisation], *, field: str = "polygon"
) -> dict[str, Any]:
    """`polygon` (GeoJSON, WGS84) cut to the areas `organisations` hold; unchanged for a superuser.

    Raises OutOfReach on `field` when the organisations hold no area or more than a sliver of the
    outline lies outside theirs."""
    if user.is_superuser:
        return polygon
    held = held_outline(organisations)
    if held is None:
        raise OutOfReach(
            field, _("Your organisation holds no area yet: ask the site's administrator to add the area it works in.")
        )
    outline = shape(polygon)
    inside = outline.intersection(held)
    outside_share = 1 - to_metric(inside).area / max(to_metric(outline).area, 1e-9)
    if outside_share > SLIVER:
        raise OutOfReach(
            field,
            _("%(share)s %% of the outline lies outside your organisation's areas. Draw it inside them, or ask the "
              "site's administrator to add the wider area.") % {"share": f"{100 * outside_share:.0f}"},
        )  # fmt: skip
    if outside_share <= 0:
        return polygon
    polygons = [g for g in getattr(inside, "geoms", [inside]) if g.geom_type in ("Polygon", "MultiPolygon")]
    return dict(mapping(shapely.union_all(polygons)))
