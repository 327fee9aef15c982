"""From stored responses to weighted estimates and wave comparisons (the one boundary between
the survey models and `lofte.analysis.survey`)."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lofte.analysis import survey as sv
from lofte.analysis.survey import Design, Estimate
from lofte.analysis.survey_index import index_scores
from lofte.analysis.survey_table import estimate_table
from lofte.analysis.vocabulary import Change, Verdict, WaveKind
from lofte.core.kept import kept
from lofte.surveys.models import Response

from .models import Item, Survey, Wave, in_language
from .permissions import surveys as policy

INDEX = "problem_index"
CACHE_VERSION = 2  # raise when WaveEstimates changes shape: shared caches outlive a deployment


@dataclass(frozen=True)
class WaveEstimate:
    """One wave's estimate of an indicator share (or the index mean) in one domain, with its 95 % interval;
    only `n` when `suppressed` (from fewer answers than LOFTE_SURVEY_MIN_ANSWERS)."""

    n: int
    estimate: float | None = None
    se: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    deff: float | None = None
    suppressed: bool = False

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> "WaveEstimate":
        """From a row of `estimate_table` (or an Estimate's dict)."""
        return cls(row["n"], row["estimate"], row["se"], row["ci_low"], row["ci_high"], row["deff"])

    def shown(self, minimum: int) -> "WaveEstimate":
        """As published: suppressed below `minimum` answers."""
        return self if self.n >= minimum else WaveEstimate(self.n, suppressed=True)


@dataclass
class WaveEstimates:
    rows: dict[tuple[str, str], WaveEstimate]  # (item code, domain) -> the indicator share, or the index mean
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ResultRow:
    """One question (or the index) in one domain: both waves and, when both have enough answers, the
    comparison and its verdict."""

    code: str
    text: str
    indicator: str
    domain: str  # "all" for the whole area
    base: WaveEstimate | None
    follow: WaveEstimate | None
    comparison: sv.Comparison | None = None
    verdict: Verdict | None = None

    @property
    def is_index(self) -> bool:
        return self.code == INDEX


@dataclass(frozen=True)
class ItemOutcome:
    """A commitment's outcome question on the promise page: pending until both waves exist."""

    item: Item
    base: Wave | None
    follow: Wave | None  # the latest follow-up
    row: ResultRow | None = None  # the whole area's row
    answered: bool = True  # False while a wave the promise names has no answers yet

    @property
    def pending(self) -> bool:
        return self.base is None or self.follow is None or not self.answered

    @property
    def survey(self) -> Survey:
        return self.item.survey


def _design(wave: Wave, responses: Sequence[Response], notes: list[str]) -> Design:
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


def indicator_answers(item: Item, answers: Iterable[str | None]) -> list[str | None]:
    """'1' when the answer is one of the item's indicator answers, '0' for any other real answer,
    None for no answer or "don't know"."""
    missing, valid, hit = item.missing_values(), item.values(), set(item.indicator)
    out = []
    for a in answers:
        out.append(None if a in ("", None) or a in missing or a not in valid else "1" if a in hit else "0")
    return out


def wave_estimates(
    wave: Wave, items: Iterable[Item], *, index: Mapping[str, Any] | None = None, level: float = 0.95
) -> WaveEstimates:
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

    def compute() -> WaveEstimates:
        return _wave_estimates(wave, items, index=index, level=level)

    return kept(f"wave-estimates:v{CACHE_VERSION}", inputs, compute, None)


def _wave_estimates(
    wave: Wave, items: Iterable[Item], *, index: Mapping[str, Any] | None, level: float
) -> WaveEstimates:
    responses = list(wave.responses.all())
    notes: list[str] = []
    if len(responses) < 2:
        return WaveEstimates({}, [_("%(wave)s: fewer than two responses") % {"wave": wave.label}])
    d = _design(wave, responses, notes)
    columns: dict[str, np.ndarray] = {}
    for item in items:
        if item.indicator:
            answers = indicator_answers(item, [r.answers.get(item.code) for r in responses])
            columns[item.code] = np.array(answers, dtype=object)
    strata = np.array([r.stratum or "–" for r in responses], dtype=object)
    domains = sorted(set(strata)) if len(set(strata)) > 1 else []
    rows = {}
    for row in estimate_table(d, columns, domains=strata if domains else None, level=level):
        if row["level"] == 1:
            rows[(row["item"], row["domain"])] = WaveEstimate.of(row)
        elif row["level"] == 0 and (row["item"], row["domain"]) not in rows:
            # Nobody gave an indicator answer: the share is 0, with the interval of its complement.
            complement = {"estimate": 1 - row["estimate"], "ci_low": 1 - row["ci_high"], "ci_high": 1 - row["ci_low"]}
            rows[(row["item"], row["domain"])] = WaveEstimate.of({**row, **complement})
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
                rows[(INDEX, domain)] = WaveEstimate.of(e.to_dict())
    return WaveEstimates(rows, notes)


def _estimate(row: WaveEstimate) -> Estimate:
    assert row.estimate is not None and row.se is not None  # compared only when not suppressed
    return sv.Estimate(row.estimate, row.se, row.n, row.deff, 0)


def verdict(comparison: sv.Comparison, better: str) -> Verdict:
    """ "better", "worse" or "none": a change counts only when its interval excludes zero and it is
    at least the design's minimum detectable difference (DESIGN.md section 3, step 5)."""
    if comparison.verdict == Change.NONE or abs(comparison.diff) < comparison.mdd:
        return Verdict.NONE
    if not better:
        return Verdict.CHANGE
    up = comparison.verdict == Change.INCREASE
    return Verdict.BETTER if up == (better == "higher") else Verdict.WORSE


def comparison_table(
    base: WaveEstimates, follow: WaveEstimates, items: Iterable[Item], *, index: Mapping[str, Any] | None = None
) -> list[ResultRow]:
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
            comparison = None
            if b and f and b.n >= minimum and f.n >= minimum:
                comparison = sv.compare(_estimate(b), _estimate(f))
            out.append(
                ResultRow(
                    code,
                    text,
                    indicator,
                    domain,
                    None if b is None else b.shown(minimum),
                    None if f is None else f.shown(minimum),
                    comparison,
                    None if comparison is None else verdict(comparison, better),
                )
            )
    return out


def waves_to_compare(
    survey: Survey, *, base: Wave | None = None, follow: Wave | None = None
) -> tuple[Wave | None, Wave | None]:
    """The waves to compare: `base` and `follow` where a promise names them, else the first answered
    baseline and the latest answered follow-up after it, else the latest two answered waves (either may
    be None). A wave planned for later, or one whose answers have not come in, never replaces the
    results already published: an empty 2027 wave made the page compare 2014 with nothing (issue 24).
    A named wave is kept even before it is answered: the promise is judged on the waves it named."""
    if base is not None and follow is not None:
        return base, follow
    today = timezone.localdate()
    answered = [w for w in survey.waves.annotate(answers=Count("responses")) if w.answers and w.opens_on <= today]
    if base is None:
        base = next((w for w in answered if w.kind == WaveKind.BASELINE), None)
    if follow is None:
        later = [w for w in answered if base is None or w.opens_on > base.opens_on]
        follow = next((w for w in reversed(later) if w.kind == WaveKind.FOLLOW_UP), None)
    if base is None and follow is None and len(answered) >= 2:  # waves of kind "other" only
        base, follow = answered[-2], answered[-1]
    return base, follow


@dataclass
class SurveyComparison:
    base: Wave | None  # the baseline wave
    follow: Wave | None  # the latest follow-up wave
    rows: list[ResultRow]  # none while a wave is missing
    notes: list[str]  # how the waves were weighted, where it matters


def compare_waves(
    survey: Survey, items: Iterable[Item] | None = None, *, waves: tuple[Wave | None, Wave | None] = (None, None)
) -> SurveyComparison:
    """The baseline against the latest follow-up (or the `waves` a promise names): for `items`, or for
    every question with its indicator plus the survey's problem index."""
    base, follow = waves_to_compare(survey, base=waves[0], follow=waves[1])
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


def item_outcome(item: Item, user: Any, *, waves: tuple[Wave | None, Wave | None] = (None, None)) -> ItemOutcome | None:
    """The whole-area row of `item` between its survey's baseline and follow-up (or the `waves` the
    promise names), for the promise page (pending while a wave is missing or unanswered); None when
    `user` may not see the survey's results."""
    survey = item.survey
    if not policy.can(user, "results", survey):
        return None
    comparison = compare_waves(survey, [item], waves=waves)
    rows = [r for r in comparison.rows if r.domain == "all"]
    named = [w for w in (comparison.base, comparison.follow) if w is not None and w in waves]
    answered = all(w.responses.exists() for w in named)
    return ItemOutcome(item, comparison.base, comparison.follow, rows[0] if rows else None, answered)
