"""Benchmark: opinion groups for 5 000 participants x 300 statements (each participant sees about 30 %),
against the same steps done with scikit-learn (PCA, KMeans with n_init=10, silhouette_score) in the
same process. Target (issue 16): at most 2 s.

    .venv/bin/python benchmarks/opinion.py [--repeat 3]
"""

import argparse
import platform
import time

import numpy as np

from lofte.analysis.opinion import opinion_groups


def votes(n=5000, statements=300, groups=4, seed=1):
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, groups, n)
    prefs = rng.choice([-1, 1], size=(groups, statements))
    people, items = np.nonzero(rng.random((n, statements)) < 0.3)
    v = prefs[truth[people], items]
    noise = rng.random(len(v)) < 0.2
    v[noise] = rng.choice([-1, 0, 1], size=int(noise.sum()))
    return people, items, v


def with_sklearn(people, items, v):
    """The peer: the same matrix, imputation and k choice with scikit-learn's building blocks."""
    from sklearn.cluster import KMeans
    from sklearn.decomposition import PCA
    from sklearn.metrics import silhouette_score

    matrix = np.full((people.max() + 1, items.max() + 1), np.nan)
    matrix[people, items] = v
    matrix = matrix[(~np.isnan(matrix)).sum(axis=1) >= 7]
    filled = np.where(np.isnan(matrix), np.nanmean(matrix, axis=0), matrix)
    x = PCA(n_components=2).fit_transform(filled)
    scores = {}
    for k in (2, 3, 4, 5):
        labels = KMeans(k, n_init=10, random_state=0).fit_predict(x)
        scores[k] = silhouette_score(x, labels)
    return max(scores, key=lambda k: scores[k])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = votes()
    print(f"# {platform.machine()}, {__import__('os').cpu_count()} cores, Python {platform.python_version()}")
    print(f"{len(data[0])} votes")
    timings: dict[str, list[float]] = {"lofte": [], "scikit-learn": []}
    for _ in range(args.repeat):
        started = time.perf_counter()
        found = opinion_groups(*data, seed=0)
        timings["lofte"].append(time.perf_counter() - started)
        started = time.perf_counter()
        k = with_sklearn(*data)
        timings["scikit-learn"].append(time.perf_counter() - started)
    assert found.k == k, (found.k, k)
    for name, values in timings.items():
        print(f"{name}: best {min(values):.2f} s, worst {max(values):.2f} s (k = {found.k})")
    print(f"ratio lofte / scikit-learn (best): {min(timings['lofte']) / min(timings['scikit-learn']):.2f}")


if __name__ == "__main__":
    main()
