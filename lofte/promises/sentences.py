"""The outcome evaluation's results as sentences in the page's language: the pure core's wording
(`lofte.analysis.wording`, the one place each method's sentence is written) with Django's translations
and the page's number format, so that a Swedish report never reads half in English. Each function
takes the pure core's frozen result (`lofte.analysis.evaluation`), never a dict."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from lofte.analysis import wording
from lofte.analysis.evaluation import DidResult, EventStudyResult, ItsResult, SyntheticControlResult, WddResult
from lofte.analysis.promise_check import CheckResult, Finding
from lofte.core.templatetags.lofte import decimal

from .outcomes import NOTES

if TYPE_CHECKING:
    from .outcomes import HarmOutcome, OutcomeComparison


def number(value: float, places: int = 2) -> str:
    """`value` with `places` decimals in the page's language, a true minus when negative: the same
    numbers the report's tables write (the `decimal` template filter)."""
    return decimal(value, places)


def did(result: DidResult) -> str:
    return wording.did(result, _=gettext, number=number)


def wdd(result: WddResult) -> str:
    return wording.wdd(result, _=gettext, number=number)


def its(result: ItsResult) -> str:
    return wording.its(result, _=gettext, number=number)


def event_study(result: EventStudyResult) -> str:
    return wording.event_study(result, _=gettext, number=number)


def synthetic(result: SyntheticControlResult) -> str:
    """The sentence with the donor areas' names marked as Swedish on a page in another language (they
    are names from the police's data): marks go around each name, then the escaped sentence gets them."""
    text = wording.synthetic(result, _=gettext, number=number, name=lambda area: f"\x02{area}\x03")
    if (get_language() or "sv") == "sv":
        return text.replace("\x02", "").replace("\x03", "")
    html = str(escape(text)).replace("\x02", '<span lang="sv" dir="ltr">').replace("\x03", "</span>")
    return mark_safe(html)  # noqa: S308  (escaped above; the marks are ours)


def harm(result: "HarmOutcome") -> str:
    return wording.harm(result, unit=result.unit, _=gettext, number=number)


def finding(found: Finding) -> str:
    """What the promise check found, in the page's language ("0,027" and "i löftets period" on a
    Swedish page)."""
    return wording.check(found.key, found.numbers, _=gettext, number=number)


def check_result(result: CheckResult) -> dict[str, Any]:
    """The check as the API answers it: `CheckResult.to_dict()` with each message in the request's
    language."""
    return {"ok": result.ok, "findings": [found.to_dict() | {"message": finding(found)} for found in result.findings]}


def note(comparison: "OutcomeComparison", threshold: int) -> str:
    """Why nothing was evaluated (the texts are `outcomes.NOTES`, the API's too), in the page's language."""
    if comparison.reason not in NOTES:
        return ""
    return gettext(NOTES[comparison.reason]) % {"n": threshold}


# Each result of an OutcomeComparison by its field's name, and the function that says it.
MAKERS: tuple[tuple[str, Callable[[Any], str]], ...] = (
    ("did", did),
    ("wdd", wdd),
    ("its", its),
    ("event_study", event_study),
    ("synthetic", synthetic),
    ("harm", harm),
)


def of(comparison: "OutcomeComparison", threshold: int) -> dict[str, str]:
    """Every result of an OutcomeComparison that is there, as a sentence by name, and the note."""
    found = {name: make(getattr(comparison, name)) for name, make in MAKERS if getattr(comparison, name)}
    return found | {"note": note(comparison, threshold)}
