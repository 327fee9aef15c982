"""The outcome evaluation's results as sentences in the page's language: the pure core's wording
(`lofte.analysis.wording`, the one place each method's sentence is written) with Django's translations
and the page's number format, so that a Swedish report never reads half in English. Each function
takes the pure core's frozen result (`lofte.analysis.evaluation`), never a dict."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext

from lofte.analysis import wording
from lofte.analysis.evaluation import DidResult, EventStudyResult, ItsResult, SyntheticControlResult, WddResult
from lofte.core.templatetags.lofte import decimal

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
    return wording.synthetic(result, _=gettext, number=number)


def harm(result: "HarmOutcome") -> str:
    return wording.harm(result, unit=result.unit, _=gettext, number=number)


def note(comparison: "OutcomeComparison", threshold: int) -> str:
    """Why nothing was evaluated."""
    return {
        "not_started": gettext("The promise has not started."),
        "no_comparison": gettext("Choose the incident types and control areas to compare with."),
        "too_few": gettext(
            "Too few incidents to evaluate (fewer than %(n)s in a period): no verdict, and no counts shown."
        )
        % {"n": threshold},
    }.get(comparison.reason, "")


def of(comparison: "OutcomeComparison", threshold: int) -> dict[str, str]:
    """Every result of an OutcomeComparison that is there, as a sentence by name, and the note."""
    found = {"note": note(comparison, threshold)}
    if comparison.did:
        found["did"] = did(comparison.did)
    if comparison.wdd:
        found["wdd"] = wdd(comparison.wdd)
    if comparison.its:
        found["its"] = its(comparison.its)
    if comparison.event_study:
        found["event_study"] = event_study(comparison.event_study)
    if comparison.synthetic:
        found["synthetic"] = synthetic(comparison.synthetic)
    if comparison.harm:
        found["harm"] = harm(comparison.harm)
    return found
