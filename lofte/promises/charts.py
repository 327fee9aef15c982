"""Charts of the report, drawn on the server as SVG (matplotlib) so that the page and a printed copy
show the same. Text stays text (searchable, and read out by screen readers beside the data table).
Every chart has a table of the same numbers beside it in the report."""

import matplotlib

from lofte.promises.outcomes import HotSpotCells  # noqa: E402

matplotlib.use("Agg")  # no display: files only

from collections.abc import Callable, Sequence  # noqa: E402
from typing import Any  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from lofte.core.svg import figure_svg as _svg  # noqa: E402
from lofte.core.svg import new_axes as _axes  # noqa: E402
from lofte.core.svg import wrapped  # noqa: E402

PROMISE, CONTROL, PERIOD, BASE = "#a1262b", "#1f4e8c", "#f1e3c4", "#6b6b6b"
HOT, COLD = ("#fcbba1", "#fb6a4a", "#a50f15"), ("#c6dbef", "#6baed6", "#08519c")  # 90, 95, 99 %


def monthly_svg(
    months: Sequence[str],
    target: Sequence[float],
    control: Sequence[float],
    *,
    start: int,
    title: str,
    labels: Sequence[str],
    dashed: str = "--",
) -> str:
    """Monthly counts of the area and a comparison (control areas, or its synthetic twin), the
    promise's months shaded.

    `start` is the index of the promise's first month; `labels` = (area, comparison, months axis,
    counts axis) in the page's language."""
    figure, axes = _axes((7.5, 3.2), title)
    x = range(len(months))
    axes.axvspan(start - 0.5, len(months) - 0.5, color=PERIOD, zorder=0)
    axes.plot(x, target, color=PROMISE, linewidth=2, label=labels[0])
    axes.plot(x, control, color=CONTROL, linewidth=1.5, linestyle=dashed, label=labels[1])
    ticks = list(range(0, len(months), max(1, len(months) // 8)))
    axes.set_xticks(ticks, [months[i] for i in ticks], rotation=0, fontsize=8)
    axes.set_xlabel(labels[2], fontsize=9)
    axes.set_ylabel(labels[3], fontsize=9)
    axes.set_ylim(bottom=0)
    axes.legend(frameon=False, fontsize=8, loc="upper right")
    return _svg(figure, texts=(title, *labels))


def event_svg(
    relative: Sequence[int],
    ratio: Sequence[float],
    low: Sequence[float],
    high: Sequence[float],
    *,
    title: str,
    labels: Sequence[str],
    number: Callable[[float], str] = str,
) -> str:
    """Rate ratios of the area against the control areas quarter by quarter, with 95 % intervals;
    the quarter before the start is the reference (1). `labels` = (quarters axis, ratio axis);
    `number` writes a tick's value in the page's language."""
    figure, axes = _axes((7.5, 3.0), title)
    axes.axvspan(-0.5, max(relative) + 0.5, color=PERIOD, zorder=0)
    axes.axhline(1, color=BASE, linewidth=1)
    r, lo, hi = np.asarray(ratio), np.asarray(low), np.asarray(high)
    axes.errorbar(relative, r, yerr=[r - lo, hi - r], fmt="o", color=PROMISE, capsize=3)
    axes.plot([-1], [1], "o", mfc="white", color=PROMISE)
    axes.set_xticks(range(min(relative), max(relative) + 1))
    axes.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: number(round(v, 2))))
    axes.set_xlabel(labels[0], fontsize=9)
    axes.set_ylabel(labels[1], fontsize=9)
    return _svg(figure)


def survey_svg(
    questions: Sequence[str],
    base: Sequence[tuple[float | None, float | None, float | None]],
    follow: Sequence[tuple[float | None, float | None, float | None]],
    *,
    title: str,
    labels: Sequence[str],
) -> str:
    """Shares (0–1) at the baseline and the follow-up per question, each (estimate, low, high), as
    dots with 95 % intervals. `labels` = (baseline, follow-up, share axis)."""
    figure, axes = _axes((7.5, 0.9 + 0.55 * len(questions)), title)
    y = np.arange(len(questions))[::-1]
    for offset, values, colour, label in ((0.12, base, BASE, labels[0]), (-0.12, follow, CONTROL, labels[1])):
        estimate, low, high = (np.array([_percent(v[k]) for v in values]) for k in range(3))
        axes.errorbar(estimate, y + offset, xerr=[estimate - low, high - estimate], fmt="o", color=colour,
                      capsize=3, label=label)  # fmt: skip
    axes.set_yticks(y, [q if len(q) <= 48 else q[:47] + "…" for q in questions], fontsize=8)
    axes.set_xlim(0, 100)
    axes.set_xlabel(labels[2], fontsize=9)
    axes.legend(frameon=False, fontsize=8, loc="lower right")
    return _svg(figure, texts=(title, *labels))


def _percent(share: float | None) -> float:
    return np.nan if share is None else 100 * share


def hotspot_svg(outline: Any, maps: Sequence[HotSpotCells], *, titles: Sequence[str], legend: Sequence[str]) -> str:
    """The area's hot and cold spots in two periods side by side: `outline` is a shapely polygon in
    metres, `maps` two `outcomes.HotSpotCells` (cells of [column, row, class]); `legend` names
    (hot spot, cold spot)."""
    plt.rcParams["svg.fonttype"] = "none"
    figure, panes = plt.subplots(1, 2, figsize=(7.5, 3.6), dpi=100)
    polygons = getattr(outline, "geoms", [outline])
    for axes, found, title in zip(panes, maps, titles):
        for c, r, klass in found.cells:
            colour = (HOT if klass > 0 else COLD)[abs(klass) - 1]
            x, y = found.x0 + c * found.cell, found.y0 + r * found.cell
            axes.add_patch(plt.Rectangle((x, y), found.cell, found.cell, color=colour, linewidth=0))
        for polygon in polygons:
            axes.plot(*polygon.exterior.xy, color="#222222", linewidth=1)
        axes.set_aspect("equal")
        axes.set_axis_off()
        axes.set_title(wrapped(title, 7.5 / 2), fontsize=10, loc="left")
    figure.legend(handles=[Patch(color=HOT[2], label=legend[0]), Patch(color=COLD[2], label=legend[1])],
                  frameon=False, fontsize=8, loc="lower center", ncol=2)  # fmt: skip
    return _svg(figure)
