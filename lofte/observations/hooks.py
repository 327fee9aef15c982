"""The answers ``observations`` gives to the lower apps' questions (``lofte.core.hooks``)."""

from datetime import date
from typing import Any

from lofte.core import hooks
from lofte.incidents.disclosure import Disclosure
from lofte.places.models import Area

from . import picture
from .models import Action
from .permissions import actions as action_policy
from .permissions import observations as observation_policy
from .weekly import labels


@hooks.register("area_observations")
def area_observations(user: Any, area: Area, start: date, end: date, disclosure: Disclosure) -> dict[str, Any] | None:
    """The partners' observations on the situation page: reports per category and month, protected
    by the same small-count rule as the incidents' table beside them, their trend, and their points
    (observations describe public places, not victims: every member of the area's organisations sees
    them, as on the week's page). None when the user sees none of the area's observations."""
    if not observation_policy.visible(user).filter(area=area).exists():
        return None
    found = picture.months(area, start, end)
    names = labels(code for code, _ in found.rows)
    table = (
        disclosure.table_of([c for c, _ in found.rows], [r for _, r in found.rows], found.months)
        if found.rows
        else None
    )
    located = picture.points(area, start, end)
    for feature in located["features"]:
        feature["properties"]["type"] = names.get(feature["properties"]["type"], feature["properties"]["type"])
    rows = [(names.get(row.type or "", row.type), row) for row in table.rows] if table else []
    return {"months": found.months, "rows": rows, "table": table, "trend": found.trend, "points": located,
            "actions": _actions(user, area, start, end)}  # fmt: skip


def _actions(user: Any, area: Area, start: date, end: date) -> list[dict[str, Any]]:
    """The area's actions at a place that are open, or were done during the period, for the map."""
    rows = action_policy.visible(user).filter(area=area, place__isnull=False).exclude(done_on__gt=end)
    rows = rows.exclude(done_on__lt=start).exclude(status=Action.Status.DECLINED).select_related("place")
    out = []
    for action in rows.order_by("pk")[:500]:
        assert action.place is not None  # filtered above
        lon, lat = action.place.centre()
        if lon is not None and lat is not None:
            out.append({"name": f"{action.title} ({action.get_status_display()})", "lon": lon, "lat": lat})
    return out
