"""Small-count suppression as every page, export and API applies it (DESIGN.md section 7)."""

from collections.abc import Sequence

from django.conf import settings

from lofte.analysis.suppression import suppress_small_counts


def visible_counts(values: Sequence[float], *, full: bool = False) -> list[int | None]:
    """Counts as they may be shown: all of them with `full` (analysts), else None where 0 < n < the threshold."""
    if full:
        return [int(v) for v in values]
    shown = suppress_small_counts(values, threshold=settings.LOFTE_SMALL_COUNT_THRESHOLD)
    return [None if v != v else int(v) for v in shown]
