import math
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lofte.core.bounds import DATE_VALIDATORS
from lofte.core.widgets import DayInput
from lofte.places.models import Area

from .situation import Filters, default_start

VIEWER_MIN_CELL = 50  # metres: the automatic grid never goes finer either
VIEWER_MAX_BANDWIDTH = 2000  # metres


class SituationFilterForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, validators=DATE_VALIDATORS, widget=DayInput())
    end = forms.DateField(label=_("To"), required=False, validators=DATE_VALIDATORS, widget=DayInput())
    type = forms.MultipleChoiceField(label=_("Types"), required=False, widget=forms.SelectMultiple(attrs={"size": 6}))
    cell = forms.FloatField(label=_("Cell (m)"), required=False, min_value=10, max_value=5000)
    bandwidth = forms.FloatField(label=_("Bandwidth (m)"), required=False, min_value=10, max_value=20000)

    def __init__(
        self,
        *args: Any,
        types: Iterable[str] = (),
        default_end: date | None = None,
        default_period: tuple[date, date] | None = None,
        analyst: bool = False,
        area: Area | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.area = area  # for the cap on grid cells
        if not analyst:
            # Fine grids and wide kernels cost seconds per view; they are analysts' tools.
            self.fields["cell"].validators.append(MinValueValidator(VIEWER_MIN_CELL))
            self.fields["bandwidth"].validators.append(MaxValueValidator(VIEWER_MAX_BANDWIDTH))
        self.fields["type"].choices = [(t, t) for t in types]  # type: ignore[attr-defined]
        self.default_end = default_end or timezone.localdate()
        self.default_period = default_period  # (start, end) when neither is given: the area's promise

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        if self.default_period and not data.get("start") and not data.get("end"):
            data["start"], data["end"] = self.default_period
        end = data.get("end") or self.default_end
        start = data.get("start") or default_start(end)
        if start > end:
            self.add_error("start", _("The period must start before it ends."))
        if (end - start) > timedelta(days=366 * 20):
            self.add_error("start", _("Choose a period of at most twenty years."))
        data["start"], data["end"] = start, end
        self._check_grid(data.get("cell"))
        return data

    def _check_grid(self, cell: float | None) -> None:
        """A grid of at most LOFTE_MAX_GRID_CELLS over the area's extent: a fine grid over a city took
        minutes and gigabytes for one request."""
        if not cell or self.area is None:
            return
        width, height = metric_extent(self.area)  # only when a cell size is asked for
        cells = math.ceil(width / cell) * math.ceil(height / cell)
        limit = settings.LOFTE_MAX_GRID_CELLS
        if cells > limit:
            smallest = math.ceil(math.sqrt(width * height / limit) / 10) * 10
            self.add_error("cell", _("A grid of %(cell)s m cells over this area has %(cells)s cells; at most %(limit)s "
                                     "are drawn. Choose %(smallest)s m or more.")
                           % {"cell": f"{cell:g}", "cells": cells, "limit": limit, "smallest": smallest})  # fmt: skip

    def filters(self) -> Filters:
        return Filters(
            start=self.cleaned_data["start"],
            end=self.cleaned_data["end"],
            types=tuple(self.cleaned_data.get("type") or ()),
        )


def metric_extent(area: Area) -> tuple[float, float]:
    """(width, height) of the area's outline in metres."""
    from shapely.geometry import shape

    from lofte.places.geometry import to_metric

    xmin, ymin, xmax, ymax = to_metric(shape(area.polygon)).bounds
    return xmax - xmin, ymax - ymin
