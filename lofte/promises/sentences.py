"""The outcome evaluation's results as sentences in the page's language. The pure core writes an
English sentence into each result (for the API and the command line); pages write their own from the
same numbers, so that a Swedish report never reads half in English."""

from math import exp

from django.utils.translation import gettext as _

from lofte.analysis.vocabulary import Change
from lofte.core.templatetags.lofte import decimal

# `value` with `places` decimals in the page's language, a true minus when negative: the same
# numbers the report's tables write (the `decimal` template filter).
number = decimal


def signed(value, places=0):
    return ("+" if value > 0 else "") + number(value, places)


def _percent_off(ratio):
    return number(100 * abs(1 - ratio), 0)


def did(result):
    """A Poisson difference-in-differences (its rate ratio and interval)."""
    ratio = result["rate_ratio"]
    words = {
        Change.DECREASE: _("%(p)s %% fewer than the comparison predicts") % {"p": _percent_off(ratio)},
        Change.INCREASE: _("%(p)s %% more than the comparison predicts") % {"p": _percent_off(ratio)},
        Change.NONE: _("no measurable change compared with the comparison"),
    }[Change(result["verdict"])]
    return _(
        "Rate ratio %(ratio)s (95 %% interval %(low)s to %(high)s): %(words)s. The data could detect a rate "
        "ratio of %(detectable)s or below."
    ) % {
        "ratio": number(ratio),
        "low": number(result["rate_ratio_low"]),
        "high": number(result["rate_ratio_high"]),
        "words": words,
        "detectable": number(exp(-result["detectable"])),
    }


def wdd(result):
    words = {
        Change.DECREASE: _("fewer incidents than the comparison predicts"),
        Change.INCREASE: _("more incidents than the comparison predicts"),
        Change.NONE: _("no measurable change"),
    }[Change(result["verdict"])]
    text = _("WDD %(wdd)s incidents (standard error %(se)s, p %(p)s): %(words)s.") % {
        "wdd": signed(result["wdd"]),
        "se": number(result["se"], 1),
        "p": number(result["p"], 3),
        "words": words,
    }
    if result["wdq"] is not None:
        moved = _("diffusion of benefits to the ring") if result["wdq"] > 0 else _("displacement to the ring")
        text += " " + _("WDQ %(wdq)s (%(moved)s).") % {"wdq": number(result["wdq"]), "moved": moved}
    return (
        text
        + " "
        + _("The data could detect a difference of %(n)s incidents or more.") % {"n": number(result["detectable"], 0)}
    )


def its(result):
    ratio = result["level_ratio"]
    words = {
        Change.DECREASE: _("%(p)s %% fewer at the start than the trend before predicts") % {"p": _percent_off(ratio)},
        Change.INCREASE: _("%(p)s %% more at the start than the trend before predicts") % {"p": _percent_off(ratio)},
        Change.NONE: _("no measurable change in level"),
    }[Change(result["verdict"])]
    return _(
        "Level ratio %(ratio)s (95 %% interval %(low)s to %(high)s): %(words)s; the slope changed by %(slope)s %% a "
        "month (p %(p)s). The data could detect a level ratio of %(detectable)s or below."
    ) % {
        "ratio": number(ratio),
        "low": number(result["level_ratio_low"]),
        "high": number(result["level_ratio_high"]),
        "words": words,
        "slope": signed(100 * (exp(result["slope_change"]) - 1), 1),
        "p": number(result["p_slope"], 3),
        "detectable": number(exp(-result["detectable"])),
    }


def event_study(result):
    p = result["pretrend_p"]
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


def synthetic(result):
    top = sorted(((w, n) for n, w in result["weights"].items() if w >= 0.01), reverse=True)[:5]
    mix = ", ".join(f"{name} {number(w)}" for w, name in top)
    relative = result["relative_change"]
    words = {
        Change.DECREASE: _("%(p)s %% fewer than its synthetic twin") % {"p": number(100 * abs(relative), 0)},
        Change.INCREASE: _("%(p)s %% more than its synthetic twin") % {"p": number(100 * abs(relative), 0)},
        Change.NONE: _("no measurable change: other areas moved as much by chance"),
    }[Change(result["verdict"])]
    areas = result["placebos"] + 1
    return _(
        "After the start the area had %(gap)s incidents a month against its synthetic twin (%(mix)s): %(words)s "
        "(rank %(rank)s of %(areas)s, p %(p)s). With %(areas)s areas the smallest p possible is %(smallest)s."
    ) % {
        "gap": signed(result["mean_gap"], 1),
        "mix": mix,
        "words": words,
        "rank": result["rank"],
        "areas": areas,
        "p": number(result["p"]),
        "smallest": number(1 / areas),
    }


def harm(result):
    words = {
        Change.DECREASE: _("less harm than the comparison predicts"),
        Change.INCREASE: _("more harm than the comparison predicts"),
        Change.NONE: _("no measurable change in harm"),
    }[Change(result["verdict"])]
    text = _("Harm-weighted WDD %(wdd)s %(unit)s (standard error %(se)s, p %(p)s): %(words)s.") % {
        "wdd": signed(result["wdd"]),
        "unit": result["unit"],
        "se": number(result["se"], 0),
        "p": number(result["p"], 3),
        "words": words,
    }
    if result["unweighted_types"]:
        text += " " + _("Without a weight, left out: %(types)s.") % {"types": ", ".join(result["unweighted_types"])}
    return text


def note(comparison, threshold):
    """Why nothing was evaluated."""
    return {
        "not_started": _("The promise has not started."),
        "no_comparison": _("Choose the incident types and control areas to compare with."),
        "too_few": _("Too few incidents to evaluate (fewer than %(n)s in a period): no verdict, and no counts shown.")
        % {"n": threshold},
    }.get(comparison.reason, "")


def of(comparison, threshold):
    """Every result of an OutcomeComparison that is there, as a sentence by name, and the note."""
    makers = {"did": did, "wdd": wdd, "its": its, "event_study": event_study, "synthetic": synthetic, "harm": harm}
    found = {name: make(getattr(comparison, name)) for name, make in makers.items() if getattr(comparison, name)}
    return found | {"note": note(comparison, threshold)}
