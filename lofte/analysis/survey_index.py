"""Indexes built from several survey items, such as the police's problem index.

The police's exact formula is not public, so an index is data: which items, what each answer
scores, how items are weighted, and how many must be answered for a respondent to count.
"""

from collections.abc import Mapping, Sequence

import numpy as np

from .types import FloatArray


def index_scores(
    answers: Mapping[str, Sequence[object]],
    *,
    scores: Mapping[object, float],
    weights: Mapping[str, float] | None = None,
    min_answered: int = 1,
) -> FloatArray:
    """Each respondent's index: the weighted mean of the scores of the items they answered.

    Parameters
    ----------
    answers : {item: answer per respondent}; answers not in `scores` (blank, "don't know") are no answer
    scores : {answer: score}, e.g. {"1": 0, "2": 1, "3": 2, "4": 3}
    weights : {item: weight}; items not named weigh 1
    min_answered : respondents who answered fewer items get NaN (no index)

    Returns
    -------
    float array, NaN where the respondent has no index
    """
    weights = weights or {}
    table = {str(k): float(v) for k, v in scores.items()}
    names = list(answers)
    if not names:
        raise ValueError("an index needs at least one item")
    n = len(answers[names[0]])
    total, weight_sum, answered = np.zeros(n), np.zeros(n), np.zeros(n, dtype=int)
    for name in names:
        values = answers[name]
        if len(values) != n:
            raise ValueError(f"item {name!r} has {len(values)} answers, expected {n}")
        score = np.array([table.get(str(v).strip(), np.nan) if v is not None else np.nan for v in values])
        has = np.isfinite(score)
        w = float(weights.get(name, 1.0))
        total += np.where(has, w * score, 0.0)
        weight_sum += np.where(has, w, 0.0)
        answered += has
    with np.errstate(invalid="ignore", divide="ignore"):
        index = total / weight_sum
    return np.where((answered >= min_answered) & (weight_sum > 0), index, np.nan)
