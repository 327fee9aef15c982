"""Charts drawn on the server as SVG (matplotlib), so that a page and its printed copy show the same and
text stays text. Each app draws its own charts with these two helpers."""

import html
import io
import itertools
import re
import textwrap
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")  # no display: files only
# Names typed by users (an area, a place) reach titles and legends: "$" must never start TeX, whose
# parser raises on "Area $\\foo{$" and broke that promise's report for everyone.
matplotlib.rcParams["text.parse_math"] = False

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from lofte.core.translations import SwedishFallback  # noqa: E402

_figures = itertools.count(1)


def wrapped(title: str, width: float) -> str:
    """`title` broken into lines that fit `width` inches at 10 pt. SVG text does not wrap, and a page
    or a PDF cut a long title off at the figure's edge ("… med 95 % inte")."""
    return textwrap.fill(title, width=max(20, int(width * 11)), break_long_words=False)


def new_axes(size: tuple[float, float], title: str) -> tuple[Figure, Axes]:
    """A figure of `size` inches with one plain axes titled `title` (text kept as SVG text)."""
    plt.rcParams["svg.fonttype"] = "none"
    figure, axes = plt.subplots(figsize=size, dpi=100)
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_title(wrapped(title, size[0]), fontsize=10, loc="left")
    return figure, axes


def figure_svg(figure: Figure, *, texts: Sequence[str] = ()) -> str:
    """The figure as SVG markup (for the page), closed afterwards. Its ids get a prefix of their own:
    matplotlib numbers them from one in every figure, and a page holds several. Those of `texts` that
    are Swedish fallbacks (a name or a label without a translation) get lang="sv" on the text element
    that draws them, as they would on the page."""
    try:
        figure.tight_layout()
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    finally:
        plt.close(figure)
    svg = out.getvalue()
    prefix = f"c{next(_figures)}-"
    svg = re.sub(r'(\bid="|url\(#|href="#)', lambda m: m.group(1) + prefix, svg)
    for text in {str(t) for t in texts if isinstance(t, SwedishFallback)}:
        drawn = re.escape(html.escape(text, quote=False))
        svg = re.sub(rf"(<text\b[^>]*)>({drawn})</text>", r'\1 lang="sv">\2</text>', svg)
    return svg[svg.index("<svg") :]
