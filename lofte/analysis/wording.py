"""The one sentence of each evaluation method, written once for every language.

Each function reads a result of `lofte.analysis.evaluation` (its numbers and its verdict) and returns
the sentence that says what it means. The pure core calls them with the defaults, English words and
plain numbers, for the API and the command line; the pages call them with Django's ``gettext`` as
``_`` and the page's number format as ``number``, so that a Swedish report says the same in Swedish.
The messages are marked ``_(...)``, so ``lofte makemessages`` finds them here.

``number(value, places)`` writes a number with ``places`` decimals; ``_`` translates a message.
"""

from collections.abc import Callable
from math import exp, floor, log10
from typing import Any

from .vocabulary import Change

Translate = Callable[[str], str]
Number = Callable[[float, int], str]


def english(message: str) -> str:
    return message


def plain(value: float, places: int = 2) -> str:
    return f"{value:.{places}f}"


def _signed(number: Number, value: float, places: int = 0) -> str:
    return ("+" if value > 0 else "") + number(value, places)


def _percent_off(number: Number, ratio: float) -> str:
    off = 100 * abs(1 - ratio)
    # 98.7 % fewer is not "100 % fewer": whole per cent, but never rounded up to all of them.
    return number(off, 1) if 99.5 <= off < 100 else number(off, 0)


def _ratio(number: Number, value: float) -> str:
    """A ratio with two decimals, or with two significant digits below 0.1 (0.013, not 0.00)."""
    if value == 0 or value >= 0.1 or value != value:
        return number(value, 2)
    places = 1 - int(floor(log10(value)))
    return number(value, min(places, 6))


def _p(number: Number, p: float) -> str:
    return "< " + number(0.001, 3) if p < 0.001 else number(p, 3)


def did(result: Any, *, level: float = 0.95, _: Translate = english, number: Number = plain) -> str:
    """A difference-in-differences: a rate ratio (Poisson, negative binomial) or a difference in
    counts per unit and period (OLS)."""
    verdict = Change(result.verdict)
    if result.separated:
        return _(
            "No incidents in the area after the start: rate ratio 0 (%(level)s %% interval 0 to %(high)s, p "
            "%(p)s; the more cautious of an exact and a likelihood-ratio test): %(words)s."
        ) % {
            "level": number(100 * level, 0),
            "high": _ratio(number, result.rate_ratio_high),
            "p": _p(number, result.p),
            "words": _("fewer than the comparison predicts")
            if verdict == Change.DECREASE
            else _("no measurable change compared with the comparison"),
        }
    if result.rate_ratio is not None:
        off = _percent_off(number, result.rate_ratio)
        words = {
            Change.DECREASE: _("%(p)s %% fewer than the comparison predicts") % {"p": off},
            Change.INCREASE: _("%(p)s %% more than the comparison predicts") % {"p": off},
            Change.NONE: _("no measurable change compared with the comparison"),
        }[verdict]
        return _(
            "Rate ratio %(ratio)s (%(level)s %% interval %(low)s to %(high)s): %(words)s. The data could detect a "
            "rate ratio of %(detectable)s or below."
        ) % {
            "ratio": _ratio(number, result.rate_ratio),
            "level": number(100 * level, 0),
            "low": _ratio(number, result.rate_ratio_low),
            "high": _ratio(number, result.rate_ratio_high),
            "words": words,
            "detectable": number(exp(-result.detectable), 2),
        }
    words = {
        Change.DECREASE: _("a decrease beyond the comparison's change"),
        Change.INCREASE: _("an increase beyond the comparison's change"),
        Change.NONE: _("no measurable change compared with the comparison"),
    }[verdict]
    return _(
        "%(estimate)s per unit and period (%(level)s %% interval %(low)s to %(high)s): %(words)s. The data could "
        "detect a difference of %(detectable)s or more."
    ) % {
        "estimate": _signed(number, result.estimate, 2),
        "level": number(100 * level, 0),
        "low": _signed(number, result.ci_low, 2),
        "high": _signed(number, result.ci_high, 2),
        "words": words,
        "detectable": number(result.detectable, 2),
    }


def wdd(result: Any, *, _: Translate = english, number: Number = plain) -> str:
    """A weighted displacement difference, with the weighted displacement quotient of the ring."""
    words = {
        Change.DECREASE: _("fewer incidents than the comparison predicts"),
        Change.INCREASE: _("more incidents than the comparison predicts"),
        Change.NONE: _("no measurable change"),
    }[Change(result.verdict)]
    text = _("WDD %(wdd)s incidents (negative: fewer; standard error %(se)s, p %(p)s): %(words)s.") % {
        "wdd": _signed(number, result.wdd),
        "se": number(result.se, 1),
        "p": number(result.p, 3),
        "words": words,
    }
    text += _dispersion_note(result.dispersion, _, number)
    # Bowers & Johnson (2003): the quotient means something only where the area improved, and a ring's
    # change is no displacement of an effect that is within the noise.
    if result.success is not None and result.success >= 0:
        text += " " + _("The area did not improve against its control, so the ring's change is not read as "
                        "displacement or diffusion.")  # fmt: skip
    elif result.wdq is not None and Change(result.local_verdict) != Change.DECREASE:
        text += " " + _("The area's own change is within the noise, so the ring's change is not read as "
                        "displacement or diffusion.")  # fmt: skip
    elif result.wdq is not None:
        text += " " + _("WDQ %(wdq)s (%(moved)s).") % {"wdq": number(result.wdq, 2), "moved": _wdq_words(result.wdq, _)}
    if result.tne is not None:
        text += " " + _("Total net effect %(tne)s incidents in the area and the ring (positive: prevented).") % {
            "tne": _signed(number, result.tne)
        }
    detect = _("The data could detect a difference of %(n)s incidents or more.") % {"n": number(result.detectable, 0)}
    return text + " " + detect


def _dispersion_note(dispersion: float, _: Translate, number: Number) -> str:
    """What a WDD's widened standard error allows for (nothing where the counts are about Poisson)."""
    if dispersion <= 1.05:
        return ""
    return " " + _("The standard error allows for monthly counts that vary %(d)s times as much as chance.") % {
        "d": number(dispersion, 1)
    }


def _wdq_words(wdq: float, _: Translate) -> str:
    """Bowers & Johnson's (2003) reading of a WDQ where the area improved."""
    if wdq > 1:
        return _("diffusion of benefits to the ring, larger than the effect in the area")
    if wdq > 0:
        return _("diffusion of benefits to the ring")
    if wdq == 0:
        return _("no change in the ring")
    if wdq >= -1:
        return _("displacement to the ring, smaller than the effect in the area")
    return _("displacement to the ring, larger than the effect in the area: a net loss")


def its(result: Any, *, level: float = 0.95, _: Translate = english, number: Number = plain) -> str:
    """An interrupted time series: the change of level at the start and of the slope after it."""
    off = _percent_off(number, result.level_ratio)
    words = {
        Change.DECREASE: _("%(p)s %% fewer at the start than the trend before predicts") % {"p": off},
        Change.INCREASE: _("%(p)s %% more at the start than the trend before predicts") % {"p": off},
        Change.NONE: _("no measurable change in level"),
    }[Change(result.verdict)]
    return _(
        "Level ratio %(ratio)s (%(level)s %% interval %(low)s to %(high)s): %(words)s; the slope changed by "
        "%(slope)s %% a month (p %(p)s). The data could detect a level ratio of %(detectable)s or below."
    ) % {
        "ratio": number(result.level_ratio, 2),
        "level": number(100 * level, 0),
        "low": number(result.level_ratio_low, 2),
        "high": number(result.level_ratio_high, 2),
        "words": words,
        "slope": _signed(number, 100 * (exp(result.slope_change) - 1), 1),
        "p": number(result.p_slope, 3),
        "detectable": number(exp(-result.detectable), 2),
    }


def event_study(result: Any, *, _: Translate = english, number: Number = plain) -> str:
    """The leads of an event study together: did the area and its comparison move apart before?"""
    p = result.pretrend_p
    if p is None:
        return _("Too few periods before the start to look for earlier differences.")
    if p < 0.05:
        return _(
            "Before the start the area and the control areas already moved apart (earlier quarters together: "
            "p %(p)s): the comparison's assumption of parallel trends is doubtful."
        ) % {"p": number(p, 3)}
    return _("No sign that the area and the control areas moved apart before the start (p %(p)s).") % {
        "p": number(p, 2)
    }


def synthetic(result: Any, *, _: Translate = english, number: Number = plain, name: Callable[[str], str] = str) -> str:
    """A synthetic control: the gap to the weighted mix of donors, and its placebo rank (`name` writes
    a donor area's name: a page marks it as the language it is in)."""
    top = sorted(((w, n) for n, w in result.weights.items() if w >= 0.01), reverse=True)[:5]
    mix = ", ".join(f"{name(area)} {number(w, 2)}" for w, area in top)
    change = number(100 * abs(result.relative_change), 0)
    words = {
        Change.DECREASE: _("%(p)s %% fewer than its synthetic twin") % {"p": change},
        Change.INCREASE: _("%(p)s %% more than its synthetic twin") % {"p": change},
        Change.NONE: _("no measurable change: other areas moved as much by chance"),
    }[Change(result.verdict)]
    areas = result.placebos + 1
    text = _(
        "After the start the area had %(gap)s incidents a month against its synthetic twin (%(mix)s): %(words)s "
        "(rank %(rank)s of %(areas)s, p %(p)s). With %(areas)s areas the smallest p possible is %(smallest)s."
    ) % {
        "gap": _signed(number, result.mean_gap, 1),
        "mix": mix,
        "words": words,
        "rank": result.rank,
        "areas": areas,
        "p": number(result.p, 2),
        "smallest": number(1 / areas, 2),
    }
    if result.placebos_excluded:
        text += " " + _(
            "%(n)s other areas are left out of the ranking: before the start their mix fitted them more than "
            "%(k)s times worse than the area's (mean squared error)."
        ) % {"n": result.placebos_excluded, "k": number(result.pre_fit_filter, 0)}
    return text


def harm(result: Any, *, unit: str, _: Translate = english, number: Number = plain) -> str:
    """A harm-weighted WDD in the weights' `unit` (e.g. days of imprisonment)."""
    words = {
        Change.DECREASE: _("less harm than the comparison predicts"),
        Change.INCREASE: _("more harm than the comparison predicts"),
        Change.NONE: _("no measurable change in harm"),
    }[Change(result.verdict)]
    text = _("Harm-weighted WDD %(wdd)s %(unit)s (standard error %(se)s, p %(p)s): %(words)s.") % {
        "wdd": _signed(number, result.wdd),
        "unit": unit,
        "se": number(result.se, 0),
        "p": number(result.p, 3),
        "words": words,
    }
    text += _dispersion_note(result.dispersion, _, number)
    if result.unweighted_types:
        text += " " + _("Without a weight, left out: %(types)s.") % {"types": ", ".join(result.unweighted_types)}
    return text


def _about(number: Number, value: float) -> str:
    """Two significant digits, whole numbers as such: 2, 0.027, 7.7, 120."""
    if value == int(value) or abs(value) >= 10:
        return number(value, 0)
    return number(value, max(0, 1 - int(floor(log10(abs(value))))))


def check(key: str, numbers: dict[str, Any], *, _: Translate = english, number: Number = plain) -> str:
    """The promise check's sentence `key` (a finding of `lofte.analysis.promise_check`) with its
    `numbers`; texts (a survey question's name) are written as they are."""
    values = {name: value if isinstance(value, str) else _about(number, value) for name, value in numbers.items()}
    texts = {
        "no_commitments": _("Add at least one commitment: what will you do?"),
        "no_outcome": _(
            "Link at least one outcome: a survey question or the incident types the problem is about, so "
            "that the follow-up can say whether the promise helped."
        ),
        "no_responsible": _("Name the organisation responsible for this commitment."),
        "no_due_date": _("Give the milestone a due date."),
        "due_outside_period": _(
            "The due date lies outside the promise's period: move it inside, or change the period."
        ),
        "no_metric": _("Choose a metric Löfte can count, or make this a milestone with a due date."),
        "no_target_value": _("Give the target a value."),
        "no_places": _("Add the places this patrol target applies to: the area has no places yet."),
        "share_above_one": _("A share is at most 1 (100 %%): write 0.6 for 60 %%."),
        "minutes_above_period": _(
            "More patrol minutes than the period has, even with a patrol at every place all day."
        ),
        "nothing_logged_day": _(
            "Nothing of this kind has been logged here lately, and the target needs %(target)s a day: plan "
            "who will do it, or set a target the period can reach."
        ),
        "nothing_logged_period": _(
            "Nothing of this kind has been logged here lately, and the target needs %(target)s in the "
            "promise's period: plan who will do it, or set a target the period can reach."
        ),
        "pace_day": _(
            "The target needs %(target)s a day, more than %(factor)s times the recent %(recent)s a day: plan "
            "the extra work, or lower the target."
        ),
        "pace_period": _(
            "The target needs %(target)s in the promise's period, more than %(factor)s times the %(recent)s "
            "the recent pace would give: plan the extra work, or lower the target."
        ),
        "no_baseline": _("The survey of '%(item)s' has no baseline wave: without one, no change can be shown."),
        "no_expected_change": _(
            "Say how much you expect '%(item)s' to change (percentage points), so it can be checked."
        ),
        "undetectable": _(
            "An expected change of %(expected)s percentage points in '%(item)s' is smaller than the "
            "%(detectable)s points the survey can detect: ask more residents, or expect no measurable change."
        ),
        "no_cause": _("Link the causes this commitment addresses: a commitment no cause calls for is hard to defend."),
    }
    return texts[key] % values
