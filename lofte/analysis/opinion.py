"""Opinion groups, as pol.is finds them: residents vote agree (1), disagree (-1) or pass (0) on short
statements; those with enough votes are placed on two principal components and clustered, and each
group's distinctive statements and the statements every group agrees with are named.

The method (pol.is's, simplified where the papers leave a choice open):

1. the vote matrix (participants x statements), a statement a participant has not seen left empty;
   participants with fewer than `min_votes` votes are left out of the clustering;
2. each empty cell takes its statement's mean vote (mean imputation);
3. principal component analysis (centred, by SVD) to two components;
4. k-means for k = 2..5 on the two components (k-means++ starts, `n_init` of them, from `seed`), the k
   with the highest mean silhouette chosen;
5. per group and statement: the agree (and disagree) share among the group's voters, smoothed as
   (1 + agrees) / (2 + voters); representativeness is that share over the same share among everybody
   else, and a statement represents the group when the two-proportion z-test of group against the
   rest is significant (one-sided, `alpha`) and the group's share is above one half;
6. consensus: statements that more than half of every group's voters agree with (each group with at
   least `min_group_votes` voters on it).
"""

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .types import ArrayLike

VOTES = (-1, 0, 1)


@dataclass(frozen=True)
class Representative:
    statement: Any
    direction: str  # "agree" or "disagree"
    share: float  # the group's (smoothed) share
    share_rest: float  # everybody else's
    ratio: float
    z: float
    p: float


@dataclass(frozen=True)
class OpinionGroups:
    """The groups of an opinion exercise. `groups` lists participant ids per group; `coordinates`
    the clustered participants' two components (same order as `participants`)."""

    k: int
    silhouette: float
    participants: list[Any]  # the clustered participants, in the order of `labels` and `coordinates`
    labels: list[int]
    coordinates: list[tuple[float, float]]
    groups: list[list[Any]]
    representative: list[list[Representative]]
    consensus: list[Any]
    left_out: list[Any] = field(default_factory=list)  # participants with too few votes
    silhouettes: dict[int, float] = field(default_factory=dict)  # mean silhouette of each k tried

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["representative"] = [[r.statement for r in reps] for reps in self.representative]
        out["representative_detail"] = [[asdict(r) for r in reps] for reps in self.representative]
        return out


def vote_matrix(
    participants: ArrayLike, statements: ArrayLike, votes: ArrayLike
) -> tuple[list[Any], list[Any], np.ndarray]:
    """(participant ids, statement ids, matrix) with NaN where a participant did not vote. A vote
    outside 1/0/-1 or a second vote on the same statement is a ValueError naming its row (from 0)."""
    p = np.asarray(participants)
    s = np.asarray(statements)
    v = np.asarray(votes, dtype=float)
    if not (len(p) == len(s) == len(v)):
        raise ValueError("participants, statements and votes: need the same length")
    bad = ~np.isin(v, VOTES)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ValueError(f"row {row}: vote {v[row]:g} is not 1 (agree), -1 (disagree) or 0 (pass)")
    people, pi = np.unique(p, return_inverse=True)
    items, si = np.unique(s, return_inverse=True)
    cell = pi * len(items) + si
    seen, first = np.unique(cell, return_index=True)
    if len(seen) < len(cell):
        twice = np.setdiff1d(np.arange(len(cell)), first)[0]
        raise ValueError(f"row {int(twice)}: a second vote of '{p[twice]}' on statement '{s[twice]}'")
    matrix = np.full((len(people), len(items)), np.nan)
    matrix[pi, si] = v
    return people.tolist(), items.tolist(), matrix


def _components(matrix: np.ndarray) -> np.ndarray:
    """Mean-impute each statement's empty cells, centre, and project on the first two principal axes."""
    means = np.nanmean(np.where(np.isnan(matrix).all(axis=0), 0.0, matrix), axis=0)
    filled = np.where(np.isnan(matrix), means, matrix)
    centred = filled - filled.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    axes = vt[:2]
    # Fix each axis's sign (the SVD's is arbitrary): its largest loading positive, so that the same
    # votes give the same picture every time.
    axes = axes * np.sign(axes[np.arange(len(axes)), np.abs(axes).argmax(axis=1)])[:, None]
    coords = centred @ axes.T
    return coords if coords.shape[1] == 2 else np.column_stack([coords, np.zeros(len(coords))])


def _kmeans(x: np.ndarray, k: int, rng: np.random.Generator, n_init: int) -> np.ndarray:
    from scipy.cluster.vq import kmeans2

    best, best_inertia = None, np.inf
    for _ in range(n_init):
        centres, labels = kmeans2(x, k, minit="++", seed=rng)
        inertia = float(((x - centres[labels]) ** 2).sum())
        if inertia < best_inertia and len(np.unique(labels)) == k:
            best, best_inertia = labels, inertia
    if best is None:
        raise ValueError(f"k-means found no {k} groups")
    return np.asarray(best)


def silhouette(x: np.ndarray, labels: np.ndarray, *, chunk: int = 2048) -> float:
    """Mean silhouette of a clustering (Euclidean), computed in chunks of rows."""
    from scipy.spatial.distance import cdist

    k = int(labels.max()) + 1
    sizes = np.bincount(labels, minlength=k)
    onehot = np.eye(k)[labels]  # participants x groups: distance sums per group by one product
    scores = np.empty(len(x))
    for start in range(0, len(x), chunk):
        block = x[start : start + chunk]
        sums = cdist(block, x) @ onehot
        own = labels[start : start + chunk]
        rows = np.arange(len(block))
        a = sums[rows, own] / np.maximum(sizes[own] - 1, 1)
        others = sums / sizes
        others[rows, own] = np.inf
        b = others.min(axis=1)
        s = (b - a) / np.maximum(a, b)
        s[sizes[own] == 1] = 0.0  # sklearn's convention for a group of one
        scores[start : start + chunk] = np.nan_to_num(s)
    return float(scores.mean())


def _representative(
    matrix: np.ndarray, labels: np.ndarray, statements: list[Any], group: int, alpha: float
) -> list[Representative]:
    from scipy import stats

    voted = ~np.isnan(matrix)
    inside, rest = labels == group, labels != group
    found = []
    for direction, value in (("agree", 1), ("disagree", -1)):
        hits = matrix == value
        n_in, n_rest = voted[inside].sum(axis=0), voted[rest].sum(axis=0)
        h_in, h_rest = hits[inside].sum(axis=0), hits[rest].sum(axis=0)
        share, share_rest = (1 + h_in) / (2 + n_in), (1 + h_rest) / (2 + n_rest)
        pooled = (h_in + h_rest) / np.maximum(n_in + n_rest, 1)
        se = np.sqrt(pooled * (1 - pooled) * (1 / np.maximum(n_in, 1) + 1 / np.maximum(n_rest, 1)))
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(se > 0, (h_in / np.maximum(n_in, 1) - h_rest / np.maximum(n_rest, 1)) / se, 0.0)
        p = stats.norm.sf(z)
        for j in np.flatnonzero((p < alpha) & (share > 0.5) & (n_in > 0)):
            found.append(Representative(statements[j], direction, float(share[j]), float(share_rest[j]),
                                        float(share[j] / share_rest[j]), float(z[j]), float(p[j])))  # fmt: skip
    return sorted(found, key=lambda r: (-r.ratio * r.share, str(r.statement)))


def opinion_groups(
    participants: ArrayLike,
    statements: ArrayLike,
    votes: ArrayLike,
    *,
    min_votes: int = 7,
    ks: tuple[int, ...] = (2, 3, 4, 5),
    n_init: int = 10,
    alpha: float = 0.05,
    min_group_votes: int = 3,
    top: int = 5,
    seed: int = 0,
) -> OpinionGroups:
    """Opinion groups from one row per vote: participant id, statement id, vote (1 agree, -1 disagree,
    0 pass). See the module's text for the method; `top` limits each group's representative
    statements."""
    people, items, matrix = vote_matrix(participants, statements, votes)
    counted = (~np.isnan(matrix)).sum(axis=1) >= min_votes
    kept = matrix[counted]
    clustered = [person for person, keep in zip(people, counted) if keep]
    left_out = [person for person, keep in zip(people, counted) if not keep]
    if len(clustered) < max(3, min(ks) + 1):
        raise ValueError(f"too few participants with at least {min_votes} votes ({len(clustered)}) to find groups")
    x = _components(kept)
    if np.allclose(x, 0):
        raise ValueError("every participant voted alike: there are no groups to find")
    rng = np.random.default_rng(seed)
    tried: dict[int, tuple[float, np.ndarray]] = {}
    for k in ks:
        if k >= len(clustered) or len(np.unique(x, axis=0)) < k:
            continue
        try:
            labels = _kmeans(x, k, rng, n_init)
        except ValueError:
            continue
        tried[k] = (silhouette(x, labels), labels)
    if not tried:
        raise ValueError(f"no k of {list(ks)} gives distinct groups")
    k = max(tried, key=lambda key: (tried[key][0], -key))
    score, labels = tried[k]
    # Number the groups by size, largest first, so that group 0 is the same group run after run.
    order = np.argsort(-np.bincount(labels, minlength=k), kind="stable")
    labels = np.argsort(order)[labels]
    groups = [[clustered[i] for i in np.flatnonzero(labels == g)] for g in range(k)]
    representative = [_representative(kept, labels, items, g, alpha)[:top] for g in range(k)]
    voted, agrees = ~np.isnan(kept), kept == 1
    consensus = []
    for j, statement in enumerate(items):
        per_group = [(agrees[labels == g, j].sum(), voted[labels == g, j].sum()) for g in range(k)]
        if all(n >= min_group_votes and a / n > 0.5 for a, n in per_group):
            consensus.append(statement)
    return OpinionGroups(
        k=k,
        silhouette=score,
        participants=clustered,
        labels=labels.tolist(),
        coordinates=[(float(a), float(b)) for a, b in x],
        groups=groups,
        representative=representative,
        consensus=consensus,
        left_out=left_out,
        silhouettes={key: value[0] for key, value in tried.items()},
    )
