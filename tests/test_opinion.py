"""Opinion groups (pol.is's method, lofte.analysis.opinion): planted groups are recovered, consensus is
found, a fixed seed gives the same answer, the silhouette is scikit-learn's, the groups of recorded
pol.is conversations are found again, and bad votes are refused by their line."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from lofte.analysis.opinion import (
    KChoice,
    group_consensus,
    in_conversation,
    opinion_groups,
    silhouette,
    smooth_k,
    sparsity_aware_projection,
    vote_matrix,
    weighted_kmeans,
)

POLIS = Path(__file__).parent / "vendor" / "polis"


def planted(n=240, statements=24, groups=3, *, seen=0.7, noise=0.1, seed=1):
    """Votes of `n` participants in `groups` planted groups; statements 0 and 1 every group agrees with."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, groups, n)
    prefs = rng.choice([-1, 1], size=(groups, statements))
    prefs[:, :2] = 1
    people, items, votes = [], [], []
    for i in range(n):
        for j in range(statements):
            if rng.random() < seen:
                vote = prefs[truth[i], j] if rng.random() > noise else rng.choice([-1, 0, 1])
                people.append(f"p{i:03d}"), items.append(f"s{j:02d}"), votes.append(int(vote))
    return truth, prefs, (people, items, votes)


def test_it_recovers_planted_groups_and_their_consensus():
    truth, prefs, votes = planted()
    found = opinion_groups(*votes, seed=0)
    assert found.k == 3
    labels = {p: g for p, g in zip(found.participants, found.labels)}
    pairs = {(int(truth[int(p[1:])]), g) for p, g in labels.items()}
    assert len(pairs) == 3  # each planted group is exactly one found group
    assert {"s00", "s01"} <= set(found.consensus)
    agreed_by_all = {f"s{j:02d}" for j in range(prefs.shape[1]) if (prefs[:, j] == 1).all()}
    assert set(found.consensus) == agreed_by_all  # and nothing that one group rejects
    assert found.silhouette > 0.5


def test_representative_statements_are_those_a_group_takes_apart():
    truth, prefs, votes = planted()
    found = opinion_groups(*votes, seed=0)
    for group, reps in enumerate(found.representative):
        members = [int(p[1:]) for p in found.groups[group]]
        planted_group = int(np.bincount(truth[members]).argmax())
        others = [g for g in range(prefs.shape[0]) if g != planted_group]
        for rep in reps:
            j = int(rep.statement[1:])
            mine = prefs[planted_group, j]
            assert rep.direction == ("agree" if mine == 1 else "disagree")
            assert any(prefs[g, j] != mine for g in others)  # the rest does not all share it
            if rep.best_agree:  # pol.is puts the group's best agreed statement first, set apart or not
                assert rep.direction == "agree" and rep.share > 0.5
                continue
            assert rep.p < 0.10 and rep.share > 0.5 and rep.ratio > 1 and rep.share_z > 1.2816


def test_a_fixed_seed_gives_the_same_groups():
    _, _, votes = planted(seed=4)
    assert opinion_groups(*votes, seed=7).to_dict() == opinion_groups(*votes, seed=7).to_dict()


def test_participants_with_few_votes_are_left_out():
    _, _, (people, items, votes) = planted(n=60, statements=10, seed=2)
    people, items, votes = people + ["late", "late"], items + ["s00", "s01"], votes + [1, 1]
    found = opinion_groups(people, items, votes, min_votes=5, seed=0)
    assert "late" in found.left_out and "late" not in found.participants


def test_the_silhouette_is_scikit_learns():
    metrics = pytest.importorskip("sklearn.metrics")
    _, _, votes = planted(n=150, groups=4, seed=3)
    found = opinion_groups(*votes, seed=0)
    x, labels = np.array(found.coordinates), np.array(found.labels)
    assert silhouette(x, labels, chunk=37) == pytest.approx(metrics.silhouette_score(x, labels), abs=1e-12)


def test_bad_votes_are_refused_by_their_row():
    with pytest.raises(ValueError, match="row 1: vote 2"):
        vote_matrix(["a", "a"], ["s1", "s2"], [1, 2])
    with pytest.raises(ValueError, match="row 2: a second vote of 'a' on statement 's1'"):
        vote_matrix(["a", "b", "a"], ["s1", "s1", "s1"], [1, 1, -1])
    with pytest.raises(ValueError, match="voted alike"):
        opinion_groups([f"p{i}" for i in range(10) for _ in range(8)], [f"s{j}" for _ in range(10) for j in range(8)],
                       [1] * 80)  # fmt: skip


def run(tmp_path, text, *extra):
    votes = tmp_path / "votes.csv"
    votes.write_text(text, encoding="utf-8")
    command = [sys.executable, "-m", "lofte.cli", "opinion-groups", str(votes), *extra]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


@pytest.mark.slow  # a child process: not in `make test-fast`
def test_the_command_writes_the_groups_as_json(tmp_path):
    _, _, (people, items, votes) = planted(n=90, seed=5)
    text = "participant,statement,vote\n" + "".join(f"{p},{s},{v}\n" for p, s, v in zip(people, items, votes))
    out = tmp_path / "groups.json"
    answer = run(tmp_path, text, "--out", str(out))
    assert answer.returncode == 0, answer.stderr
    found = json.loads(out.read_text(encoding="utf-8"))
    assert {"k", "silhouette", "groups", "consensus", "representative"} <= set(found)
    assert len(found["groups"]) == found["k"] == len(found["representative"])
    assert "groups (" in answer.stdout


@pytest.mark.slow  # child processes: not in `make test-fast`
@pytest.mark.parametrize(
    ("text", "extra", "message"),
    [
        ("participant,statement,vote\na,s1,1\na,s2,2\n", (), "line 3: column vote: '2'"),
        ("participant,statement,vote\na,s1,1\nb,s1,1\na,s1,-1\n", (), "line 4: a second vote of 'a'"),
        ("participant,statement,vote\na,s1,1\na,s9,1\n", ("--statements", "LIST"), "line 3: column statement: 's9'"),
        ("participant,statement\na,s1\n", (), "no column 'vote'"),
    ],
)
def test_the_command_names_the_line_of_a_bad_vote(tmp_path, text, extra, message):
    listed = tmp_path / "statements.csv"
    listed.write_text("statement\ns1\ns2\n", encoding="utf-8")
    extra = tuple(str(listed) if e == "LIST" else e for e in extra)
    answer = run(tmp_path, text, *extra)
    assert answer.returncode == 2
    assert message in answer.stderr
    assert "Traceback" not in answer.stderr


def recorded(name):
    """(participants, statements, votes) and pol.is's group of each participant it clustered."""
    with open(POLIS / f"{name}-participants-votes.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    statements = [column for column in rows[0] if column.isdigit()]
    people, items, votes, groups = [], [], [], {}
    for row in rows:
        if row["group-id"]:
            groups[row["participant"]] = int(row["group-id"])
        for statement in statements:
            if row[statement]:
                people.append(row["participant"]), items.append(int(statement)), votes.append(int(row[statement]))
    return (people, items, votes), groups


def adjusted_rand(a, b):
    from scipy.special import comb

    _, a = np.unique(a, return_inverse=True)
    _, b = np.unique(b, return_inverse=True)
    table = np.zeros((a.max() + 1, b.max() + 1))
    np.add.at(table, (a, b), 1)
    pairs, rows, columns = comb(table, 2).sum(), comb(table.sum(1), 2).sum(), comb(table.sum(0), 2).sum()
    expected = rows * columns / comb(len(a), 2)
    return (pairs - expected) / ((rows + columns) / 2 - expected)


def test_the_adjusted_rand_index_is_scikit_learns():
    metrics = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, 3, 200), rng.integers(0, 4, 200)
    b[:120] = a[:120]
    assert adjusted_rand(a, b) == pytest.approx(metrics.adjusted_rand_score(a, b), abs=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_it_finds_the_groups_pol_is_recorded_for_a_conversation(seed):
    votes, polis = recorded("brexit-consensus")
    found = opinion_groups(*votes, seed=seed)
    assert found.k == len(set(polis.values())) == 2
    ours = dict(zip(found.participants, found.labels))
    both = [p for p in polis if p in ours]
    assert len(both) >= 0.95 * len(polis)  # pol.is keeps a participant in once in; a few voted on removed statements
    assert adjusted_rand([polis[p] for p in both], [ours[p] for p in both]) >= 0.85
    # The statements every group agrees with, from our groups and from pol.is's: the same but for a
    # few near the threshold (groups that differ by a few voters move a borderline statement).
    people, items, matrix = vote_matrix(*votes)
    rows = [people.index(p) for p in both]
    labels = np.unique([polis[p] for p in both], return_inverse=True)[1].ravel()
    theirs = {statement for statement, _ in group_consensus(matrix[rows], labels, items)}
    assert len(theirs) >= 15 and len(set(found.consensus) ^ theirs) <= 3


def test_on_a_small_conversation_its_groups_fit_the_votes_at_least_as_well_as_pol_is_recorded_ones():
    """pol.is updates its groups as votes arrive, each update starting from the last: on the 24
    clustered voters of london.youth.policing its recorded groups (18, 3 and 3 voters) are not a
    k-means optimum of the final votes. Löfte's, computed in one batch, fit them better."""
    votes, polis = recorded("london-youth-policing")
    people, _, matrix = vote_matrix(*votes)
    counted = in_conversation(matrix, 7)
    assert {p for p, keep in zip(people, counted) if keep} == set(polis)  # pol.is's rule for who is clustered
    x = sparsity_aware_projection(matrix)[counted]
    clustered = [p for p, keep in zip(people, counted) if keep]

    def within(labels):
        labels = np.asarray(labels)
        return sum(((x[labels == g] - x[labels == g].mean(axis=0)) ** 2).sum() for g in np.unique(labels))

    found = opinion_groups(*votes, seed=0, ks=(3,))
    assert within(found.labels) <= within([polis[p] for p in clustered])
    assert found.silhouette > silhouette(x, np.unique([polis[p] for p in clustered], return_inverse=True)[1].ravel())


def test_renaming_participants_and_statements_changes_no_group():
    truth, _, (people, items, votes) = planted(n=120, groups=3, seed=5)
    found = opinion_groups(people, items, votes, seed=0)
    rng = np.random.default_rng(9)
    renamed = {p: f"x{v}" for p, v in zip(sorted(set(people)), rng.permutation(len(set(people))))}
    restated = {s: f"t{v}" for s, v in zip(sorted(set(items)), rng.permutation(len(set(items))))}
    again = opinion_groups([renamed[p] for p in people], [restated[s] for s in items], votes, seed=0)
    assert again.k == found.k
    before = {frozenset(renamed[p] for p in group) for group in found.groups}
    assert {frozenset(group) for group in again.groups} == before
    assert {restated[s] for s in found.consensus} == set(again.consensus)


def test_k_means_runs_until_no_point_changes_group():
    rng = np.random.default_rng(3)
    x = np.vstack([rng.normal(c, 0.6, size=(80, 2)) for c in ((0, 0), (3, 0), (0, 3), (3, 3))])
    weights = rng.integers(1, 4, len(x)).astype(float)
    labels, centres, inertia = weighted_kmeans(x, 4, weights=weights, n_init=5, seed=1)
    nearest = ((x[:, None, :] - centres[None]) ** 2).sum(axis=2).argmin(axis=1)
    assert (nearest == labels).all()  # a fixed point: every point with its nearest centre
    for g in range(4):
        assert centres[g] == pytest.approx(np.average(x[labels == g], axis=0, weights=weights[labels == g]))
    assert inertia == pytest.approx(float((weights * ((x - centres[labels]) ** 2).sum(axis=1)).sum()))


def test_the_k_shown_changes_only_after_another_k_was_best_four_times_in_a_row():
    state = smooth_k(3, None)
    assert state == KChoice(last_k=3, last_k_count=1, smoothed_k=3)
    for count in (1, 2, 3):
        state = smooth_k(2, state)
        assert (state.last_k_count, state.smoothed_k) == (count, 3)
    assert smooth_k(2, state).smoothed_k == 2
    assert smooth_k(4, smooth_k(2, state)).smoothed_k == 2  # one new best is not enough


def test_a_participant_who_voted_on_few_statements_is_pushed_out_from_the_centre():
    """pol.is's sparsity-aware projection: the same votes on fewer statements, scaled by
    sqrt(statements / votes)."""
    _, _, matrix = vote_matrix(*planted(n=60, statements=16, seed=6)[2])
    sparse = matrix.copy()
    sparse[0, 8:] = np.nan
    full, few = sparsity_aware_projection(matrix), sparsity_aware_projection(sparse)
    seen = ~np.isnan(sparse[0])
    assert np.isfinite(few).all()
    assert np.linalg.norm(few[0]) > 0
    assert seen.sum() < 16 and full.shape == few.shape
