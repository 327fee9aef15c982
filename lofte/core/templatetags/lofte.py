import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import template
from django.template import Context
from django.template.defaultfilters import floatformat, linebreaksbr
from django.urls import translate_url
from django.utils.formats import number_format
from django.utils.html import escape, linebreaks, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lofte.analysis.vocabulary import Status, Verdict
from lofte.core.translations import SwedishFallback, as_swedish, localized

register = template.Library()

STATUS_LABELS: dict[str, Any] = {
    Status.KEPT: _("kept"),
    Status.PARTLY_KEPT: _("partly kept"),
    Status.NOT_KEPT: _("not kept"),
    Status.ON_TRACK: _("on track"),
    Status.BEHIND: _("behind"),
    Status.NOT_STARTED: _("not started"),
    Status.UNMEASURABLE: _("not measurable"),
}


VERDICT_LABELS: dict[str, Any] = {
    Verdict.BETTER: _("improvement"),
    Verdict.WORSE: _("deterioration"),
    Verdict.CHANGE: _("measurable change"),
    Verdict.NONE: _("no measurable change"),
}


@register.filter
def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


@register.filter
def verdict_label(verdict: str) -> str:
    """A survey change in words; no verdict (a wave or an estimate missing) reads as no measurable change."""
    return VERDICT_LABELS.get(verdict, VERDICT_LABELS[Verdict.NONE])


@register.filter
def amount(value: float | Decimal | None) -> str:
    """A number with at most two decimals and no trailing zeros, grouped for the language: 2,78 / 2,5 / 1 016."""
    if value is None:
        return ""
    value = round(float(value), 2)
    decimals = 0 if value == round(value) else 1 if value == round(value, 1) else 2
    return floatformat(value, f"{decimals}g")


@register.filter
def recorded(value: str) -> str:
    """A value as a public record keeps it (text), numbers written for the language: 2.5 → 2,5."""
    if re.fullmatch(r"-?\d+(\.\d+)?", value or ""):
        return number_format(Decimal(value), use_l10n=True) if len(value) < 16 else value
    return value


@register.filter
def signed_percent(share: float | None) -> str:
    """A relative change as a signed percentage with one decimal: +2,1 % / −0,4 %."""
    if share is None:
        return ""
    value = float(share) * 100
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    return f"{sign}{floatformat(abs(value), 1)} %"


@register.filter
def hours(minutes: float) -> str:
    """Minutes as whole hours, grouped for the language."""
    return floatformat(float(minutes) / 60, "0g")


@register.filter
def msek(value: float) -> str:
    """SEK as millions with one decimal: 9 512 000 -> 9,5."""
    return floatformat(float(value) / 1e6, 1)


@register.filter
def sek(value: float) -> str:
    """SEK below a million, to two significant figures with the page's grouping: 4 512 -> 4 500."""
    value = float(value)
    if value <= 0:
        return floatformat(0, "0g")
    digits = max(0, len(str(int(value))) - 2)
    return floatformat(round(value, -digits), "0g")


@register.filter
def percent(share: float | None) -> int:
    """A share as a whole percentage for progress bars, capped at 100."""
    if share is None:
        return 0
    return max(0, min(100, round(float(share) * 100)))


@register.simple_tag(takes_context=True)
def url_in(context: Context, language: str) -> str:
    """The current page's address in another language."""
    request = context["request"]
    return translate_url(request.get_full_path(), language)


@register.filter
def share(value: float | None) -> str:
    """A proportion as a percentage with one decimal: 0.234 -> 23,4 %."""
    if value is None:
        return ""
    return f"{share_number(value)} %"


@register.filter
def points(value: float | None) -> str:
    """A difference of proportions in signed percentage points: +3,2 / −1,0."""
    if value is None:
        return ""
    value = float(value) * 100
    sign = "+" if value > 0.05 else "−" if value < -0.05 else "±"
    return f"{sign}{floatformat(abs(value), 1)}"


@register.filter
def decimal(value: float | Decimal | str | None, places: int = 2) -> str:
    """A number with `places` decimals for the language, negative with a true minus: −0,08."""
    if value is None or value == "":
        return ""
    text = floatformat(value, places)
    return "−" + text[1:] if text.startswith("-") else text


@register.filter
def size_points(value: float | None) -> str | SafeString:
    """The size of a difference of proportions in percentage points, unsigned: 6,3."""
    if value is None:
        return ""
    return share_number(abs(float(value)))


@register.filter
def ci_left(value: float | None, scale: int = 1) -> str:
    """Where a value in [0, scale] sits on a 0–100 % bar, as a CSS number (always a decimal point)."""
    if value is None:
        return "0"
    return f"{max(0.0, min(100.0, float(value) / float(scale) * 100)):.2f}"


@register.filter
def share_number(value: float | None) -> str:
    """A proportion as a percentage number without the sign: 0.234 -> 23,4 (for ranges)."""
    if value is None:
        return ""
    return floatformat(float(value) * 100, 1)


@register.filter
def paragraphs(text: str) -> str | SafeString:
    """Plain text an administrator wrote: paragraphs at empty lines, a line starting with "## " a
    heading. Everything is escaped: no markup from the text reaches the page."""
    parts = []
    for block in str(text).replace("\r\n", "\n").split("\n\n"):
        block = block.strip()
        if block.startswith("## "):
            parts.append(f"<h2>{escape(block[3:].strip())}</h2>")
        elif block:
            parts.append(linebreaks(block, autoescape=True))
    return _as_swedish_where_fallback(text, "\n".join(parts), block=True)


@register.filter
def lines(text: str) -> str | SafeString:
    """A user's text with its line breaks kept (`linebreaksbr`), and a Swedish text shown for want of
    a translation still marked as Swedish."""
    return _as_swedish_where_fallback(text, linebreaksbr(str(text), autoescape=True))


@register.filter(is_safe=True)
def plain_title(html: str) -> str:
    """A page's <title> holds text only: a Swedish fallback's markup and note come off."""
    return strip_tags(re.sub(r'\s*<small class="only-sv">.*?</small>', "", str(html)))


@register.filter
def plain(value: object) -> str:
    """A user's text as plain text, for an attribute: a Swedish fallback's markup would break it."""
    return str(value)


@register.filter
def in_swedish(value: str | list[str] | tuple[str, ...]) -> str | SafeString:
    """Swedish data shown as it is (the police's incident types, say), a list joined with commas: on a
    page in another language marked as Swedish, so that it is read with a Swedish voice."""
    text = ", ".join(value) if isinstance(value, list | tuple) else str(value)
    if (get_language() or "sv") == "sv":
        return text
    return as_swedish(escape(text), note=False)


@register.filter
def local(obj: Any, field: str) -> str:
    """`obj`'s user-written `field` in the page's language (`lofte.core.models.localized`)."""
    return localized(obj, field) if obj is not None else ""


def _as_swedish_where_fallback(text: object, html: str, *, block: bool = False) -> SafeString:
    if not isinstance(text, SwedishFallback):
        return mark_safe(html)  # noqa: S308  (escaped above)
    return as_swedish(html, block=block)


@register.filter
def get_item(mapping: Mapping[Any, Any] | None, key: object) -> Any:
    """mapping[key] in a template (None when it is not there)."""
    return mapping.get(key) if mapping else None
