"""Many survey estimates at once: every level of every item, overall and per domain.

`survey.mean` handles one estimate at a time and mirrors R's algorithm step by step; this
module gives the same numbers for thousands of estimates by exploiting that the variance
only needs sums per adjustment cell and per PSU. With x the linearised values and the
post-stratification/raking steps j (cells G_j, sum weights a_j, multipliers b_j), the
adjusted values are x = x0 - sum_j b_j G_j M_j, so each step's cell sums are
S_k - sum_j C_kj M_j with C_kj = G_k' diag(a_k b_j) G_j fixed by the design, and the PSU
totals are H' x0 - sum_j P_j M_j with P_j = H' diag(b_j) G_j. Per estimate only sums over
the domain's own respondents remain. Designs whose later stages carry a population size
(two-stage variance) fall back to `survey.mean`.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from . import survey as sv
from .types import ArrayLike, BoolArray, FloatArray, IntArray

if TYPE_CHECKING:  # scipy is imported where it is used: loading it takes 0.7 s
    from scipy import sparse


def _indicator(codes: IntArray, size: int | None = None) -> Any:
    from scipy import sparse

    n = len(codes)
    size = int(codes.max()) + 1 if size is None else size
    return sparse.csr_array((np.ones(n), (np.arange(n), codes)), shape=(n, size))


@dataclass
class _Prepared:
    steps: list[tuple[Any, ...]]  # (cells, a, b, denominators, iterations-block id)
    blocks: list[tuple[int, int, int]]  # [(first step, last step, iterations)]
    C: dict[tuple[int, int], Any]
    psu: IntArray
    n_psu: int
    psu_stratum: IntArray
    scale: np.ndarray  # per PSU: (1 - f) n_h / (n_h - 1), 0 for strata without variance
    offsets: np.ndarray  # where each step's cells start in the stacked arrays
    C_rows: list[Any]  # per step k: [C_k0 | C_k1 | ...]
    P_all: Any  # [P_0 | P_1 | ...]
    strata_of_psu: "sparse.csr_array"  # PSU x stratum indicator
    psus_per_stratum: FloatArray


def _prepare(d: sv.Design) -> _Prepared:
    steps: list[tuple[Any, ...]] = []
    blocks: list[tuple[int, int, int]] = []
    for adjustment in d.adjustments:
        if adjustment[0] == "poststratify":
            _, cells, psw, oldw = adjustment
            blocks.append((len(steps), len(steps) + 1, 1))
            steps.append((cells, oldw / psw, psw, np.bincount(cells, weights=oldw)))
        else:
            first = len(steps)
            for cells, psw in adjustment[1]:
                steps.append((cells, 1 / psw, psw, np.bincount(cells).astype(float)))
            blocks.append((first, len(steps), 10))
    psu = d.clusters[:, 0]
    n_psu = int(psu.max()) + 1
    H = _indicator(psu, n_psu)
    G = [_indicator(cells) for cells, _, _, _ in steps]
    C = {
        (k, j): (G[k].T @ (G[j].multiply((steps[k][1] * steps[j][2])[:, None]))).toarray()
        for k in range(len(steps))
        for j in range(len(steps))
    }
    P = [(H.T @ G[j].multiply(steps[j][2][:, None])).toarray() for j in range(len(steps))]
    sizes = [g.shape[1] for g in G]
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
    C_rows = [np.hstack([C[(k, j)] for j in range(len(steps))]) for k in range(len(steps))] if steps else []
    P_all = np.hstack(P) if steps else np.zeros((n_psu, 0))
    psu_stratum = np.zeros(n_psu, dtype=np.int64)
    psu_stratum[psu] = d.strata[:, 0]
    scale = np.zeros(n_psu)
    for h in np.unique(psu_stratum):
        members = psu_stratum == h
        n_h = int(members.sum())
        f = (
            1.0
            if d.popsize is None
            else (d.popsize[psu_stratum[psu] == h, 0][0] - n_h) / d.popsize[psu_stratum[psu] == h, 0][0]
        )
        if f < 1e-7:
            continue
        if n_h == 1:
            if d.lonely_psu == "fail":
                raise sv.DesignError(
                    f"stratum {h} has only one sampling unit: merge strata, or use lonely_psu='certainty'"
                )
            continue
        scale[members] = f * n_h / (n_h - 1)
    strata_of_psu = _indicator(psu_stratum)
    psus_per_stratum = np.bincount(psu_stratum).astype(float)
    return _Prepared(
        steps, blocks, C, psu, n_psu, psu_stratum, scale, offsets, C_rows, P_all, strata_of_psu, psus_per_stratum
    )


def _variances(
    prep: _Prepared,
    rows: IntArray,
    w: FloatArray,
    dom: IntArray,
    n_domains: int,
    codes: IntArray,
    n_levels: int,
    numbers: FloatArray | None = None,
    *,
    with_all: bool = False,
) -> tuple[Any, FloatArray]:
    """Estimates and variances of the totals of x0 = z * (y - estimate) for every level (y = 1 for
    the level, else 0) and, with `numbers`, for their mean, in every domain at once.

    rows : indexes of the answering respondents; w : their weights; dom : their domain codes
    0..n_domains-1 (z = w / the domain's total weight); codes : their level codes
    0..n_levels-1; numbers : their numeric answers or None; with_all : add the whole population
    as one more domain (last). Its sums are the domains' sums weighted by their share of the
    weight, so it costs no extra pass over the respondents.
    Returns (estimates, variances), each of shape (domains, L). Domains and levels together
    form the columns of one set of matrix products, so that an item costs one pass whatever
    the number of domains.
    """
    D, L = n_domains, n_levels + (numbers is not None)
    E = D + bool(with_all)
    totals = np.bincount(dom, weights=w, minlength=D)
    z = w / totals[dom]
    est = np.bincount(dom * n_levels + codes, weights=z, minlength=D * n_levels).reshape(D, n_levels)
    if numbers is not None:
        est = np.column_stack([est, np.bincount(dom, weights=z * numbers, minlength=D)])
        zn = z * numbers
    share = totals / totals.sum()
    if with_all:
        est = np.vstack([est, share @ est])

    def sums(keys: IntArray, size: int, weights: FloatArray) -> Any:
        """Sums over `keys` of weights * x0 for every (domain, level) column, as a (size, E * L) array."""
        cell = dom * size + keys
        zw = weights * z
        by_level = np.bincount(cell * n_levels + codes, weights=zw, minlength=D * size * n_levels).reshape(
            D, size, n_levels
        )
        plain = np.bincount(cell, weights=zw, minlength=D * size).reshape(D, size)
        parts = [by_level, plain]
        if numbers is not None:
            parts.append(np.bincount(cell, weights=weights * zn, minlength=D * size).reshape(D, size))
        if with_all:
            parts = [np.concatenate([part, np.tensordot(share, part, axes=1)[None]]) for part in parts]
        out = parts[0] - parts[1][:, :, None] * est[:, None, :n_levels]
        if numbers is not None:
            mean_column = parts[2] - parts[1] * est[:, -1][:, None]
            out = np.concatenate([out, mean_column[:, :, None]], axis=2)
        return out.transpose(1, 0, 2).reshape(size, E * L)

    T = sums(prep.psu[rows], prep.n_psu, np.ones(len(rows)))
    if prep.steps:
        S = [sums(cells[rows], prep.C[(k, k)].shape[0], a[rows]) for k, (cells, a, _, _) in enumerate(prep.steps)]
        # All steps' accumulated cell means in one stacked array; step k owns rows offsets[k]:offsets[k+1].
        M = np.zeros((prep.offsets[-1], E * L))
        for first, last, iterations in prep.blocks:
            for _ in range(iterations):
                for k in range(first, last):
                    total = S[k] - prep.C_rows[k] @ M
                    M[prep.offsets[k] : prep.offsets[k + 1]] += total / prep.steps[k][3][:, None]
        T = T - prep.P_all @ M
    means = (prep.strata_of_psu.T @ T) / prep.psus_per_stratum[:, None]
    centred = T - means[prep.psu_stratum]
    var = np.maximum((prep.scale[:, None] * centred**2).sum(axis=0), 0.0)
    return est, var.reshape(E, L)


def _levels(values: ArrayLike) -> tuple[list[Any], bool, BoolArray, IntArray, Any]:
    """(levels, numeric?, missing mask, level code per respondent (-1 if missing), numeric values or None).

    Missing answers are NaN, None or ''. Factorising first keeps the per-answer work in C;
    only the few distinct answers are looked at in Python.
    """
    import pandas as pd

    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    texts = [str(u).strip() for u in uniques]
    blank = [k for k, t in enumerate(texts) if t == ""]
    if blank:  # an empty answer is no answer
        keep = np.ones(len(texts), dtype=bool)
        keep[blank] = False
        renumber = np.cumsum(keep) - 1
        codes = np.where((codes < 0) | ~keep[np.maximum(codes, 0)], -1, renumber[np.maximum(codes, 0)])
        texts = [t for k, t in enumerate(texts) if keep[k]]
    keys: list[Any]
    try:
        keys = [float(t) for t in texts]
        numeric = True
    except ValueError:
        keys, numeric = list(texts), False
    order = sorted(range(len(keys)), key=lambda k: keys[k])
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    codes = np.where(codes < 0, -1, rank[np.maximum(codes, 0)] if len(rank) else -1)
    missing = codes < 0
    levels = [keys[k] for k in order]
    numbers = (
        np.where(missing, np.nan, np.asarray(levels, dtype=float)[np.maximum(codes, 0)]) if numeric and levels else None
    )
    return levels, numeric, missing, codes, numbers


def estimate_table(
    d: sv.Design,
    items: Mapping[str, ArrayLike],
    *,
    domains: ArrayLike | None = None,
    ci: str = "logit",
    level: float = 0.95,
) -> list[dict[str, Any]]:
    """Proportions of every level of every item (and the mean of numeric items), overall and per domain.

    Parameters
    ----------
    d : survey.Design
    items : {name: values per respondent}; missing answers are left out of that item
    domains : values per respondent (e.g. area); estimates for each value besides "all"
    ci : "logit", "korn-graubard" or "wald" for proportions; means get a normal interval

    Returns
    -------
    list of dict rows: item, level, domain, estimate, se, ci_low, ci_high, n, deff
    """
    from scipy import stats

    if d.popsize is not None and d.clusters.shape[1] > 1 and d.popsize.shape[1] > 1:
        return _slow_table(d, items, domains=domains, ci=ci, level=level)
    prep = _prepare(d)
    alpha = 1 - level
    z_normal = stats.norm.ppf(1 - alpha / 2)
    if domains is None:
        labels, domain_codes = ["all"], np.zeros(d.n, dtype=np.int64)
    else:
        import pandas as pd

        codes, uniques = pd.factorize(pd.Series(domains, dtype=object), sort=True)
        labels, domain_codes = [str(label) for label in uniques], codes.astype(np.int64)
    with_all = domains is not None
    D = len(labels)
    # Output order: the whole population first, then the domains.
    order = ([(D, "all")] if with_all else []) + list(enumerate(labels))
    n_strata = len(prep.psus_per_stratum)
    out = []
    for name, values in items.items():
        levels, numeric, missing, codes, numbers = _levels(values)
        rows = np.flatnonzero(~missing)
        if len(rows) == 0:
            continue
        w, psu, dom = d.weights[rows], prep.psu[rows], domain_codes[rows]
        est, var = _variances(
            prep, rows, w, dom, D, codes[rows], len(levels), numbers[rows] if numeric else None, with_all=with_all
        )
        n = np.bincount(dom, minlength=D)
        totals = np.bincount(dom, weights=w, minlength=D)
        # R's degf over the answering respondents of a domain: its PSUs minus its strata.
        psus = np.bincount(dom * prep.n_psu + psu, minlength=D * prep.n_psu).reshape(D, -1) > 0
        strata = np.bincount(dom * n_strata + prep.psu_stratum[psu], minlength=D * n_strata).reshape(D, -1) > 0
        df = psus.sum(axis=1) - strata.sum(axis=1)
        if with_all:
            n, totals = np.append(n, len(rows)), np.append(totals, w.sum())
            df = np.append(df, psus.any(axis=0).sum() - strata.any(axis=0).sum())
        if numeric:
            own_mean = est[dom, -1]
            spreads = np.bincount(dom, weights=w / totals[dom] * (numbers[rows] - own_mean) ** 2, minlength=D)
            if with_all:
                spreads = np.append(spreads, np.sum(w / w.sum() * (numbers[rows] - est[D, -1]) ** 2))
        for di, domain_name in order:
            if n[di] == 0:
                continue
            size, total = int(n[di]), float(totals[di])
            for k, label in enumerate(list(levels) + (["mean"] if numeric else [])):
                p, se = float(est[di, k]), float(np.sqrt(var[di, k]))
                is_mean = label == "mean"
                # The weighted variance of the answer: p(1 - p) for a level, the spread for the mean.
                spread = float(spreads[di]) if is_mean else p * (1 - p)
                srs = (
                    spread * size / (size - 1) * (total - size) / (total * size) if size > 1 and total > size else None
                )
                deff = float(var[di, k] / srs) if srs else None
                e = sv.Estimate(p, se, size, deff, int(df[di]), p - z_normal * se, p + z_normal * se)
                if not is_mean:
                    e = sv.interval(e, ci=ci, level=level)
                out.append(
                    {
                        "item": name,
                        "level": _plain(label),
                        "domain": domain_name,
                        "estimate": e.estimate,
                        "se": e.se,
                        "ci_low": e.ci_low,
                        "ci_high": e.ci_high,
                        "n": size,
                        "deff": e.deff,
                    }
                )
    return out


def _row(item: str, level: Any, domain: str, e: sv.Estimate) -> dict[str, Any]:
    return {
        "item": item,
        "level": level,
        "domain": domain,
        "estimate": e.estimate,
        "se": e.se,
        "ci_low": e.ci_low,
        "ci_high": e.ci_high,
        "n": e.n,
        "deff": e.deff,
    }


def _plain(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _slow_table(
    d: sv.Design, items: Mapping[str, ArrayLike], *, domains: ArrayLike | None, ci: str, level: float
) -> list[dict[str, Any]]:
    out = []
    domain_sets = [("all", None)]
    if domains is not None:
        labels = np.asarray(domains, dtype=object)
        domain_sets += [(str(v), labels == v) for v in sorted(set(labels.tolist()), key=str)]
    for name, values in items.items():
        levels, numeric, missing, codes, numbers = _levels(values)
        for domain_name, in_domain in domain_sets:
            for k, lv in enumerate(levels):
                y = np.where(missing, np.nan, (codes == k).astype(float))
                e = sv.proportion(d, y, domain=in_domain, ci=ci, level=level)
                out.append(_row(name, _plain(lv), domain_name, e))
            if numeric:
                e = sv.mean(d, numbers, domain=in_domain, level=level)
                out.append(_row(name, "mean", domain_name, e))
    return out
