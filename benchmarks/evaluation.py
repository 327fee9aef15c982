"""Benchmark: difference-in-differences (Poisson) on 10 000 units x 36 months, against statsmodels'
formula interface fitted directly on the same panel (the peer; Löfte calls statsmodels' GLM on arrays).

    .venv/bin/python benchmarks/evaluation.py [--units 10000] [--months 36] [--repeat 3]

Target (issue 13): at most 5 s on the reference machine.
"""

import argparse
import platform
import time

import numpy as np
import pandas as pd


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import statsmodels.api as sm
    import statsmodels.formula.api as smf

    from lofte.analysis.evaluation import did

    rng = np.random.default_rng(1)
    unit = np.repeat(np.arange(args.units), args.months)
    month = np.tile(np.arange(args.months), args.units)
    treated = (unit < args.units // 10).astype(int)
    post = (month >= args.months // 2).astype(int)
    y = rng.poisson(4 * np.exp(0.2 * treated - 0.1 * post - 0.15 * treated * post))
    frame = pd.DataFrame({"y": y, "treated": treated, "post": post})

    def best(run):
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            result = run()
            times.append(time.perf_counter() - start)
        return min(times), result

    ours, result = best(lambda: did(y, treated, post, unit=unit, model="poisson"))
    poisson = sm.families.Poisson()
    peer, _ = best(lambda: smf.glm("y ~ treated * post", frame, family=poisson).fit())
    print(f"# {platform.machine()}, {platform.python_version()}, {len(y):,} observations")
    print(f"Löfte did(poisson): {ours:.2f} s; statsmodels formula GLM: {peer:.2f} s; ratio {ours / peer:.2f}")
    print(result.sentence)


if __name__ == "__main__":
    main()
