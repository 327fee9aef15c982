"""From stored responses to weighted estimates and wave comparisons (the one boundary between
the survey models and `lofte.analysis.survey`)."""

import hashlib
import json
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lofte.analysis import survey as sv
from lofte.analysis.survey_index import index_scores
from lofte.analysis.survey_table import estimate_table
from lofte.analysis.vocabulary import Change, Verdict, WaveKind

from .models import in_language

INDEX = "problem_index"


@dataclass
class WaveEstimates:
    rows: dict  # (item code, domain) -> row of estimate_table (the indicator share, or the index mean)
    notes: list = field(default_factory=list)


def _design(wave, responses, notes):
    """Stratum weights N_h / r_h (the design weight times the non-response adjustment within the
    stratum) with the finite-population correction, then raking to age group and sex."""
    strata = np.array([r.stratum for r in responses], dtype=object)
    known = wave.strata or {}
    if known and all(s in known for s in strata):
        responded = {s: int((strata == s).sum()) for s in set(strata)}
        population = np.array([known[s]["population"] for s in strata], dtype=float)
        weights = population / np.array([responded[s] for s in strata], dtype=float)
        d = sv.design(weights=weights, strata=strata, popsize=population, lonely_psu="certainty")
    else:
        notes.append(_("unweighted: the responses have no strata of a drawn sample"))
        d = sv.design(weights=np.ones(len(responses)))
    margins = {k: v for k, v in (wave.margins or {}).items() if k in ("age_group", "sex")}
    if margins:
        columns = [(np.array([r.answers.get(k, "") for r in responses], dtype=object), m) for k, m in margins.items()]
        if all(all(v in m for v in values) for values, m in columns):
            try:
                d = sv.rake(d, columns, max_iter=50, epsilon=1e-6)
            except sv.DesignError as exc:
                notes.append(_("not raked to age group and sex: %(reason)s") % {"reason": exc})
        else:
            notes.append(_("weighted by area only: some respondents did not give their age group or sex"))
    return d


def indicator_answers(item, answers):
    """'1' when the answer is one of the item's indicator answers, '0' for any other real answer,
    None for no answer or "don't know"."""
    missing, valid, hit = item.missing_values(), item.values(), set(item.indicator)
    out = []
    for a in answers:
        out.append(None if a in ("", None) or a in missing or a not in valid else "1" if a in hit else "0")
    return out


def wave_estimates(wave, items, *, index=None, level=0.95):
    """Indicator shares (and the index mean) for a wave, overall and per stratum (area).

    Weighting a wave (raking included) takes a while, so results are cached under a key made of
    everything they depend on: the wave's ``changed_at`` (touched whenever its responses change, see
    ``Wave.responses_changed``), the questions' definitions, the index, the level and the language
    of the notes. A changed input gives a new key; nothing has to be invalidated by hand."""
    inputs = [
        wave.pk,
        wave.changed_at.isoformat(),
        [(i.code, i.indicator, i.options) for i in items],
        index,
        level,
        get_language(),
    ]
    key = "lofte:wave-estimates:" + hashlib.sha256(json.dumps(inputs, default=str).encode()).hexdigest()
    estimates = cache.get(key)
    if estimates is None:
        estimates = _wave_estimates(wave, items, index=index, level=level)
        cache.set(key, estimates, timeout=None)
    return estimates


def _wave_estimates(wave, items, *, index, level):
    responses = list(wave.responses.all())
    notes: list[str] = []
    if len(responses) < 2:
        return WaveEstimates({}, [_("%(wave)s: fewer than two responses") % {"wave": wave.label}])
    d = _design(wave, responses, notes)
    columns = {}
    for item in items:
        if item.indicator:
            columns[item.code] = indicator_answers(item, [r.answers.get(item.code) for r in responses])
    strata = np.array([r.stratum or "–" for r in responses], dtype=object)
    domains = sorted(set(strata)) if len(set(strata)) > 1 else []
    rows = {}
    for row in estimate_table(d, columns, domains=strata if domains else None, level=level):
        if row["level"] == 1:
            rows[(row["item"], row["domain"])] = row
        elif row["level"] == 0 and (row["item"], row["domain"]) not in rows:
            # Nobody gave an indicator answer: the share is 0, with the interval of its complement.
            rows[(row["item"], row["domain"])] = {
                **row,
                "level": 1,
                "estimate": 1 - row["estimate"],
                "ci_low": 1 - row["ci_high"],
                "ci_high": 1 - row["ci_low"],
            }
    if index and index.get("items"):
        scores = index_scores(
            {code: [r.answers.get(code) for r in responses] for code in index["items"]},
            scores=index["scores"],
            weights=index.get("weights"),
            min_answered=index.get("min_answered", 1),
        )
        for domain in ["all"] + domains:
            inside = None if domain == "all" else strata == domain
            if np.isfinite(scores[inside] if inside is not None else scores).sum() >= 2:
                e = sv.mean(d, scores, domain=inside, level=level)
                rows[(INDEX, domain)] = {"item": INDEX, "level": "mean", "domain": domain, **e.to_dict()}
    return WaveEstimates(rows, notes)


def _estimate(row):
    return sv.Estimate(row["estimate"], row["se"], row["n"], row["deff"], 0)


def verdict(comparison, better):
    """ "better", "worse" or "none": a change counts only when its interval excludes zero and it is
    at least the design's minimum detectable difference (DESIGN.md section 3, step 5)."""
    if comparison.verdict == Change.NONE or abs(comparison.diff) < comparison.mdd:
        return Verdict.NONE
    if not better:
        return Verdict.CHANGE
    up = comparison.verdict == Change.INCREASE
    return Verdict.BETTER if up == (better == "higher") else Verdict.WORSE


def comparison_table(base, follow, items, *, index=None):
    """Rows for the result page: per item and domain, both waves and the comparison."""
    minimum = settings.LOFTE_SURVEY_MIN_ANSWERS
    entries = [(i.code, i.text(), i.indicator_text(), i.better) for i in items if i.indicator]
    if index and index.get("items"):
        name = in_language({k: v for k, v in index.items() if k in ("sv", "en")} or {"sv": INDEX})
        entries.append((INDEX, name, "", index.get("better", "")))
    domains = sorted({domain for (code, domain) in list(base.rows) + list(follow.rows)}, key=lambda d: (d != "all", d))
    out = []
    for code, text, indicator, better in entries:
        for domain in domains:
            b, f = base.rows.get((code, domain)), follow.rows.get((code, domain))
            if b is None and f is None:
                continue  # a question nobody answered in either wave (not asked, or added later)
            row = {
                "code": code,
                "text": text,
                "indicator": indicator,
                "domain": domain,
                "base": b,
                "follow": f,
                "comparison": None,
                "verdict": None,
                "is_index": code == INDEX,
            }
            if b and b["n"] < minimum:
                row["base"] = {"suppressed": True, "n": b["n"]}
            if f and f["n"] < minimum:
                row["follow"] = {"suppressed": True, "n": f["n"]}
            if b and f and b["n"] >= minimum and f["n"] >= minimum:
                c = sv.compare(_estimate(b), _estimate(f))
                row["comparison"], row["verdict"] = c, verdict(c, better)
            out.append(row)
    return out


def waves_to_compare(survey):
    """The baseline and the latest follow-up wave of a survey (either may be None)."""
    waves = list(survey.waves.all())
    base = next((w for w in waves if w.kind == WaveKind.BASELINE), None)
    follow = next((w for w in reversed(waves) if w.kind == WaveKind.FOLLOW_UP), None)
    return base, follow


@dataclass
class SurveyComparison:
    base: object  # the baseline wave, or None
    follow: object  # the latest follow-up wave, or None
    rows: list  # comparison_table rows; none while a wave is missing
    notes: list  # how the waves were weighted, where it matters


def compare_waves(survey, items=None):
    """The baseline against the latest follow-up: for `items`, or for every question with its
    indicator plus the survey's problem index."""
    base, follow = waves_to_compare(survey)
    if base is None or follow is None:
        return SurveyComparison(base, follow, [], [])
    index = survey.problem_index if items is None else None
    items = list(survey.items.filter(background=False)) if items is None else items
    estimates = [wave_estimates(w, items, index=index) for w in (base, follow)]
    return SurveyComparison(
        base,
        follow,
        comparison_table(estimates[0], estimates[1], items, index=index),
        sorted({n for e in estimates for n in e.notes}),
    )


def item_outcome(item, user):
    """The whole-area row of `item` between its survey's baseline and follow-up, for the promise
    page: None when `user` may not see the survey's results or a wave is missing."""
    from .permissions import surveys as policy

    survey = item.survey
    if not policy.can(user, "results", survey):
        return None
    comparison = compare_waves(survey, [item])
    if comparison.base is None or comparison.follow is None:
        return {"item": item, "pending": True, "base": comparison.base, "follow": comparison.follow}
    rows = [r for r in comparison.rows if r["domain"] == "all"]
    return {
        "item": item,
        "pending": False,
        "row": rows[0] if rows else None,
        "base": comparison.base,
        "follow": comparison.follow,
        "survey": survey,
    }
