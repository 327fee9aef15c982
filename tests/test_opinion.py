"""Opinion groups (pol.is's method, lofte.analysis.opinion): planted groups are recovered, consensus is
found, a fixed seed gives the same answer, the silhouette is scikit-learn's, and bad votes are refused
by their line."""

import json
import subprocess
import sys

import numpy as np
import pytest

from lofte.analysis.opinion import opinion_groups, silhouette, vote_matrix


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
            assert rep.p < 0.05 and rep.share > 0.5 and rep.ratio > 1


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
