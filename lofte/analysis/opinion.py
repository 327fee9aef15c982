"""Opinion groups, as pol.is finds them: residents vote agree (1), disagree (-1) or pass (0) on short
statements; the votes are placed on two principal components, clustered, and each group's
representative statements and the statements every group agrees with are named.

The method is pol.is's (compdemocracy/polis, `math/src/polismath/math`: conversation.clj, pca.clj,
clusters.clj, repness.clj, stats.clj), computed in one batch where pol.is updates as votes arrive:

1. the vote matrix (participants x statements), a statement a participant has not seen left empty.
   Participants *in the conversation* are those with at least `min(min_votes, statements)` votes;
   while fewer than 15 are, the most active of the rest fill up to 15 (pol.is's greedy rule);
2. principal components of every participant's votes, each empty cell taking its statement's mean
   vote (pca.clj computes them by power iteration; the singular value decomposition here gives the
   axes it converges to);
3. each participant's projection uses only the statements they voted on and is scaled by
   sqrt(statements / own votes), so that someone who voted on few statements is not drawn to the
   centre (pol.is's *sparsity-aware* projection);
4. base clusters: k-means with `base_k` (100) clusters of the participants in the conversation (every
   distinct position its own base cluster where there are at most that many);
5. groups: weighted k-means (weights: the base clusters' sizes) of the base clusters' centres for each
   k from 2 to min(5, 2 + base clusters / 12), each from `n_init` seeded k-means++ starts, iterated
   until no assignment changes (pol.is starts from the first k distinct points, which makes its
   answer depend on the order of the ids; here the points are put in a fixed order first);
6. k with the highest mean silhouette of the base clusters; pol.is's smoother keeps the previous k
   until another k has been best `k_buffer` (4) times in a row (`previous` carries that state from
   one computation to the next; without it the best k is taken);
7. representative statements by repness.clj: per group and statement the smoothed shares
   pa = (1 + agrees) / (2 + votes), the z-test of pa against one half and the two-proportion z-test
   of the group against everybody else; a statement represents the group when both tests pass
   (one-sided, `alpha`, 0.10 as pol.is's `z-sig-90?`) for agree or for disagree, ranked by
   repness x its test x share x its test, with the group's best agreed statement first (pol.is's
   `best-agree`), at most `top` of them, agreements before disagreements; where none passes, the
   best one is given;
8. consensus (pol.is's group-informed consensus): a statement that every group agrees with clearly,
   in every group pa above one half with its z-test passing and at least `min_group_votes` votes,
   scored by the product of the groups' pa and listed by that score.
"""

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .types import ArrayLike

VOTES = (-1, 0, 1)
GREEDY_PARTICIPANTS = 15  # pol.is's `greedy-n`: fill the conversation up to this many with the most active


@dataclass(frozen=True)
class Representative:
    """A statement that sets a group apart (repness.clj's `finalize-cmt-stats`)."""

    statement: Any
    direction: str  # "agree" or "disagree"
    share: float  # the group's smoothed share, (1 + n_success) / (2 + n_trials)
    share_rest: float  # everybody else's
    ratio: float  # share / share_rest (pol.is's repness)
    z: float  # two-proportion z of the group against the rest (pol.is's repness-test)
    p: float  # its one-sided p
    share_z: float = 0.0  # z of the group's share against one half (pol.is's p-test)
    n_success: int = 0  # the group's votes in `direction`
    n_trials: int = 0  # the group's votes on the statement, passes included
    best_agree: bool = False  # the group's best agreed statement, put first as pol.is does


@dataclass(frozen=True)
class KChoice:
    """pol.is's k smoother: the last best k, how many times in a row it was best, and the k shown."""

    last_k: int
    last_k_count: int
    smoothed_k: int


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
    consensus_scores: list[float] = field(default_factory=list)  # group-informed consensus, as `consensus`
    base_clusters: int = 0
    k_choice: KChoice | None = None  # the smoother's state, to pass as `previous` next time

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


def in_conversation(matrix: np.ndarray, min_votes: int) -> np.ndarray:
    """Which participants are clustered (pol.is's `in-conv`): at least min(min_votes, statements)
    votes; while fewer than 15 are, the most active others up to 15 (ties by row)."""
    counts = (~np.isnan(matrix)).sum(axis=1)
    chosen = counts >= min(min_votes, matrix.shape[1])
    missing = GREEDY_PARTICIPANTS - int(chosen.sum())
    if missing > 0:
        others = np.flatnonzero(~chosen & (counts > 0))
        chosen[others[np.argsort(-counts[others], kind="stable")][:missing]] = True
    return np.asarray(chosen, dtype=bool)


def sparsity_aware_projection(matrix: np.ndarray) -> np.ndarray:
    """Every participant on the first two principal axes (pca.clj): empty cells take their statement's
    mean, each projection sums only the statements voted on and is scaled by sqrt(statements / votes)."""
    seen = ~np.isnan(matrix)
    with np.errstate(invalid="ignore"):
        means = np.where(seen.any(axis=0), np.nanmean(np.where(seen.any(axis=0), matrix, 0.0), axis=0), 0.0)
    centred = np.where(seen, matrix - means, 0.0)  # an imputed cell is its statement's mean: 0 once centred
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    axes = vt[:2]
    # Fix each axis's sign (the SVD's is arbitrary): its largest loading positive, so that the same
    # votes give the same picture every time.
    axes = axes * np.sign(axes[np.arange(len(axes)), np.abs(axes).argmax(axis=1)])[:, None]
    coords = centred @ axes.T
    if coords.shape[1] < 2:
        coords = np.column_stack([coords, np.zeros(len(coords))])
    scale = np.sqrt(matrix.shape[1] / np.maximum(seen.sum(axis=1), 1))
    projected: np.ndarray = coords * scale[:, None]
    return projected


def _plus_plus(x: np.ndarray, weights: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """k-means++ starts (Arthur & Vassilvitskii 2007), each point drawn by weight x squared distance."""
    centres = [x[rng.choice(len(x), p=weights / weights.sum())]]
    for _ in range(1, k):
        d2 = ((x[:, None, :] - np.asarray(centres)[None]) ** 2).sum(axis=2).min(axis=1)
        mass = weights * d2
        if mass.sum() <= 0:
            break
        centres.append(x[rng.choice(len(x), p=mass / mass.sum())])
    return np.asarray(centres, dtype=float)


def weighted_kmeans(
    x: np.ndarray, k: int, *, weights: np.ndarray | None = None, n_init: int = 10, seed: int = 0,
    max_iter: int = 300,
) -> tuple[np.ndarray, np.ndarray, float]:  # fmt: skip
    """(labels, centres, weighted within-group sum of squares) of the best of `n_init` k-means++
    starts, each iterated until no point changes group. The points are taken in a fixed
    (lexicographic) order, so that the answer does not depend on the order they came in. A ValueError
    when no start gives `k` non-empty groups or none converges in `max_iter` steps."""
    x = np.asarray(x, dtype=float)
    w = np.ones(len(x)) if weights is None else np.asarray(weights, dtype=float)
    order = np.lexsort(x.T[::-1])
    xs, ws = x[order], w[order]
    rng = np.random.default_rng(seed)
    best: tuple[np.ndarray, np.ndarray, float] | None = None
    for _ in range(n_init):
        centres = _plus_plus(xs, ws, k, rng)
        if len(centres) < k:
            continue
        labels = np.full(len(xs), -1)
        for _step in range(max_iter):
            d2 = ((xs[:, None, :] - centres[None]) ** 2).sum(axis=2)
            new = d2.argmin(axis=1)
            if (new == labels).all():
                break
            labels = new
            for j in range(k):
                member = labels == j
                if member.any():
                    centres[j] = np.average(xs[member], axis=0, weights=ws[member])
        else:
            continue  # not converged: not a candidate
        if len(np.unique(labels)) < k:
            continue
        inertia = float((ws * d2[np.arange(len(xs)), labels]).sum())
        if best is None or inertia < best[2] - 1e-12:
            best = (labels, centres.copy(), inertia)
    if best is None:
        raise ValueError(f"k-means found no {k} groups")
    labels = np.empty(len(x), dtype=int)
    labels[order] = best[0]
    return labels, best[1], best[2]


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
        s[sizes[own] == 1] = 0.0  # sklearn's convention for a group of one (and pol.is's)
        scores[start : start + chunk] = np.nan_to_num(s)
    return float(scores.mean())


def smooth_k(best_k: int, previous: KChoice | None, *, buffer: int = 4) -> KChoice:
    """pol.is's `group-k-smoother`: the k shown changes only once another k has been best `buffer`
    times in a row."""
    count = previous.last_k_count + 1 if previous is not None and previous.last_k == best_k else 1
    shown = best_k if count >= buffer or previous is None else previous.smoothed_k
    return KChoice(last_k=best_k, last_k_count=count, smoothed_k=shown)


def _prop_z(success: np.ndarray, n: np.ndarray) -> np.ndarray:
    """stats.clj's `prop-test`: z of (1 + success) / (1 + n) against one half."""
    z: np.ndarray = 2 * np.sqrt(n + 1) * ((success + 1) / (n + 1) - 0.5)
    return z


def _two_prop_z(s_in: np.ndarray, s_out: np.ndarray, n_in: np.ndarray, n_out: np.ndarray) -> np.ndarray:
    """stats.clj's `two-prop-test`, each count plus one; 0 where the pooled share is 1."""
    s_in, s_out, n_in, n_out = s_in + 1, s_out + 1, n_in + 1, n_out + 1
    pooled = (s_in + s_out) / (n_in + n_out)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (s_in / n_in - s_out / n_out) / np.sqrt(pooled * (1 - pooled) * (1 / n_in + 1 / n_out))
    return np.where(pooled >= 1, 0.0, np.nan_to_num(z))


def _group_counts(matrix: np.ndarray, labels: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per group and statement: agrees, disagrees and votes (passes included)."""
    onehot = np.eye(k)[labels].T  # groups x participants
    return onehot @ (matrix == 1), onehot @ (matrix == -1), onehot @ ~np.isnan(matrix)


def representative_statements(
    matrix: np.ndarray, labels: np.ndarray, statements: list[Any], *, alpha: float = 0.10, top: int = 5
) -> list[list[Representative]]:
    """Each group's representative statements, by repness.clj's `select-rep-comments`."""
    from scipy import stats

    k = int(labels.max()) + 1
    z_crit = float(stats.norm.isf(alpha))
    na, nd, ns = _group_counts(matrix, labels, k)
    na_rest, nd_rest, ns_rest = na.sum(axis=0) - na, nd.sum(axis=0) - nd, ns.sum(axis=0) - ns
    pa, pd = (1 + na) / (2 + ns), (1 + nd) / (2 + ns)
    pat, pdt = _prop_z(na, ns), _prop_z(nd, ns)
    ra, rd = pa / ((1 + na_rest) / (2 + ns_rest)), pd / ((1 + nd_rest) / (2 + ns_rest))
    rat, rdt = _two_prop_z(na, na_rest, ns, ns_rest), _two_prop_z(nd, nd_rest, ns, ns_rest)

    def final(g: int, j: int, *, best_agree: bool = False) -> Representative:
        agree = best_agree or rat[g, j] > rdt[g, j]
        n, p, ratio, z, pz = (na, pa, ra, rat, pat) if agree else (nd, pd, rd, rdt, pdt)
        rest = (1 + (na_rest if agree else nd_rest)[g, j]) / (2 + ns_rest[g, j])
        return Representative(statements[j], "agree" if agree else "disagree", float(p[g, j]), float(rest),
                              float(ratio[g, j]), float(z[g, j]), float(stats.norm.sf(z[g, j])), float(pz[g, j]),
                              int(n[g, j]), int(ns[g, j]), best_agree)  # fmt: skip

    def metric(r: Representative) -> float:
        return r.ratio * r.z * r.share * r.share_z

    chosen = []
    for g in range(k):
        sufficient, best, best_z, best_agree = [], None, None, None
        for j in range(len(statements)):
            if (rat[g, j] > z_crit and pat[g, j] > z_crit) or (rdt[g, j] > z_crit and pdt[g, j] > z_crit):
                sufficient.append(j)
            if not sufficient and (best_z is None or max(rat[g, j], rdt[g, j]) > best_z):
                best, best_z = j, max(rat[g, j], rdt[g, j])
            if _beats_best_agree(g, j, best_agree, na, nd, ra, rat, pa, pat, z_crit):
                best_agree = j
        # pol.is puts its best agreed statement first; said here only where most of the group agrees.
        head = [final(g, best_agree, best_agree=True)] if best_agree is not None and pa[g, best_agree] > 0.5 else []
        shown = bool(head)
        if not sufficient:
            chosen.append(head or ([final(g, best)] if best is not None else []))
            continue
        ranked = sorted((final(g, j) for j in sufficient if not (shown and j == best_agree)), key=lambda r: -metric(r))
        picked = (head + ranked)[:top]
        chosen.append([r for r in picked if r.direction == "agree"] + [r for r in picked if r.direction != "agree"])
    return chosen


def _beats_best_agree(
    g: int, j: int, best: int | None, na: np.ndarray, nd: np.ndarray, ra: np.ndarray, rat: np.ndarray,
    pa: np.ndarray, pat: np.ndarray, z_crit: float,
) -> bool:  # fmt: skip
    """repness.clj's `beats-best-agr?`."""
    if na[g, j] == 0 and nd[g, j] == 0:
        return False
    if best is not None and ra[g, best] > 1.0:
        return bool(
            ra[g, j] * rat[g, j] * pa[g, j] * pat[g, j] > ra[g, best] * rat[g, best] * pa[g, best] * pat[g, best]
        )
    if best is not None:
        return bool(pa[g, j] * pat[g, j] > pa[g, best] * pat[g, best])
    return bool(pat[g, j] > z_crit or (ra[g, j] > 1.0 and pa[g, j] > 0.5))


def group_consensus(
    matrix: np.ndarray, labels: np.ndarray, statements: list[Any], *, alpha: float = 0.10, min_group_votes: int = 3
) -> list[tuple[Any, float]]:
    """(statement, group-informed consensus) for the statements every group agrees with clearly,
    highest score first."""
    from scipy import stats

    k = int(labels.max()) + 1
    na, _, ns = _group_counts(matrix, labels, k)
    pa, pat = (1 + na) / (2 + ns), _prop_z(na, ns)
    clear = ((pa > 0.5) & (pat > stats.norm.isf(alpha)) & (ns >= min_group_votes)).all(axis=0)
    score = pa.prod(axis=0)
    found = [(statements[j], float(score[j])) for j in np.flatnonzero(clear)]
    return sorted(found, key=lambda pair: (-pair[1], str(pair[0])))


def opinion_groups(
    participants: ArrayLike,
    statements: ArrayLike,
    votes: ArrayLike,
    *,
    min_votes: int = 7,
    ks: tuple[int, ...] = (2, 3, 4, 5),
    n_init: int = 10,
    alpha: float = 0.10,
    min_group_votes: int = 3,
    top: int = 5,
    seed: int = 0,
    base_k: int = 100,
    previous: KChoice | None = None,
    k_buffer: int = 4,
) -> OpinionGroups:
    """Opinion groups from one row per vote: participant id, statement id, vote (1 agree, -1 disagree,
    0 pass). See the module's text for the method; `top` limits each group's representative
    statements; `previous` is the last result's `k_choice`."""
    people, items, matrix = vote_matrix(participants, statements, votes)
    counted = in_conversation(matrix, min_votes)
    clustered = [person for person, keep in zip(people, counted) if keep]
    left_out = [person for person, keep in zip(people, counted) if not keep]
    if len(clustered) < max(3, min(ks) + 1):
        raise ValueError(f"too few participants with at least {min_votes} votes ({len(clustered)}) to find groups")
    x = sparsity_aware_projection(matrix)[counted]
    if np.allclose(x, 0):
        raise ValueError("every participant voted alike: there are no groups to find")
    points, member_of, counts = np.unique(x, axis=0, return_inverse=True, return_counts=True)
    member_of = member_of.ravel()
    if len(points) > base_k:
        base_labels, base_centres, _ = weighted_kmeans(points, base_k, weights=counts, n_init=n_init, seed=seed)
        base_sizes = np.bincount(base_labels, weights=counts, minlength=base_k)
        member_of = base_labels[member_of]
        points, counts = base_centres, base_sizes
    max_k = min(max(ks), 2 + len(points) // 12)
    tried: dict[int, tuple[float, np.ndarray]] = {}
    for k in (k for k in ks if k <= max_k and k <= len(points)):
        try:
            labels, _, _ = weighted_kmeans(points, k, weights=counts, n_init=n_init, seed=seed)
        except ValueError:
            continue
        tried[k] = (silhouette(points, labels), labels)
    if not tried:
        raise ValueError(f"no k of {list(ks)} gives distinct groups")
    best_k = max(tried, key=lambda key: (tried[key][0], -key))
    choice = smooth_k(best_k, previous, buffer=k_buffer)
    k = choice.smoothed_k if choice.smoothed_k in tried else best_k
    score, base_labels = tried[k]
    labels = base_labels[member_of]
    # Number the groups by size, largest first, so that group 0 is the same group run after run.
    sizes = np.bincount(labels, minlength=k)
    order = np.lexsort((np.arange(k), -sizes))
    labels = np.argsort(order)[labels]
    kept = matrix[counted]
    consensus = group_consensus(kept, labels, items, alpha=alpha, min_group_votes=min_group_votes)
    return OpinionGroups(
        k=k,
        silhouette=score,
        participants=clustered,
        labels=labels.tolist(),
        coordinates=[(float(a), float(b)) for a, b in x],
        groups=[[clustered[i] for i in np.flatnonzero(labels == g)] for g in range(k)],
        representative=representative_statements(kept, labels, items, alpha=alpha, top=top),
        consensus=[statement for statement, _ in consensus],
        left_out=left_out,
        silhouettes={key: value[0] for key, value in tried.items()},
        consensus_scores=[score for _, score in consensus],
        base_clusters=len(points),
        k_choice=choice,
    )
