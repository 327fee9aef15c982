"""Charts of the report, drawn on the server as SVG (matplotlib) so that the page and a printed copy
show the same. Text stays text (searchable, and read out by screen readers beside the data table)."""

import io

import matplotlib

matplotlib.use("Agg")  # no display: files only

import matplotlib.pyplot as plt  # noqa: E402

PROMISE, CONTROL, PERIOD = "#a1262b", "#1f4e8c", "#f1e3c4"


def monthly_svg(months, target, control, *, start, title, labels):
    """Monthly counts of the area and its control areas, the promise's months shaded.

    `start` is the index of the promise's first month; `labels` = (area, control, months axis, counts
    axis) in the page's language."""
    plt.rcParams["svg.fonttype"] = "none"
    figure, axes = plt.subplots(figsize=(7.5, 3.2), dpi=100)
    try:
        x = range(len(months))
        axes.axvspan(start - 0.5, len(months) - 0.5, color=PERIOD, zorder=0)
        axes.plot(x, target, color=PROMISE, linewidth=2, label=labels[0])
        axes.plot(x, control, color=CONTROL, linewidth=1.5, linestyle="--", label=labels[1])
        ticks = list(range(0, len(months), max(1, len(months) // 8)))
        axes.set_xticks(ticks, [months[i] for i in ticks], rotation=0, fontsize=8)
        axes.set_xlabel(labels[2], fontsize=9)
        axes.set_ylabel(labels[3], fontsize=9)
        axes.set_ylim(bottom=0)
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(frameon=False, fontsize=8, loc="upper right")
        axes.set_title(title, fontsize=10, loc="left")
        figure.tight_layout()
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    finally:
        plt.close(figure)
    svg = out.getvalue()
    return svg[svg.index("<svg") :]  # the markup only: it goes into the page
