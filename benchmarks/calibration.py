"""Calibration: how often a method says "measurable change" when nothing changed (issue 22, step 1).

The first method here is the synthetic control with placebo-in-space p (`synthetic_control`): areas'
monthly Poisson counts with a shared seasonal pattern and trend and no effect at the start; the
share of verdicts that are not "no measurable change" is the false-positive share, which should be
at most the level (5 %) where the design allows a p that small at all (with J donors the smallest
p is 1/(J+1), so with 9 donors no verdict is ever a change). Also the mean time per evaluation
(J + 1 weight fits).

    .venv/bin/python benchmarks/calibration.py [--simulations 200] [--seed 1]

The interrupted time series (`its`) joins it (`--method its`): one area's monthly counts with no
change at the start, as independent Poisson counts, overdispersed counts (gamma-Poisson, variance
twice the mean at 20 a month) and counts whose log-mean follows an AR(1) process (rho 0.5, sd 0.1).
The other methods join the grid below.

    .venv/bin/python benchmarks/calibration.py --method its [--simulations 1000]

The report's Poisson DiD joins it too (`--method did`): an area and 1, 4 or 9 control areas, 24 + 12
months, counts whose variance is 1, 3 or 10 times their mean, no effect.

The event study's "already moved apart" (`--method event`: an area and 1 or 4 control areas, monthly
counts with a quarter's terms, 24 + 12 months) and the WDD with the areas' monthly dispersion
(`--method wdd`: an area and a control, 12 + 12 months) on the same three variances.

The situation page's and the evidence matrix's monthly trend (`--method trend [--without-season]`:
6 to 36 months, Poisson, overdispersed, autocorrelated and seasonal counts) and the survey page's
comparison of two waves (`--method survey`: stratified samples raked to age and sex), each with the
coverage of its intervals and, with a planted fall, its power.
"""

import argparse
import platform
import time

import numpy as np

from lofte.analysis.evaluation import did, event_study, its, monthly_dispersion, synthetic_control, wdd
from lofte.analysis.vocabulary import Change

DESIGNS = [  # (months before, months after, donors, mean count a month)
    (12, 12, 19, 5),
    (24, 12, 19, 5),
    (36, 12, 19, 5),
    (24, 12, 19, 30),
    (24, 6, 19, 30),
    (24, 12, 9, 30),
]


def simulate(rng, before, after, donors, level):
    """(target, donor rows): areas of different sizes sharing a season and a trend, no effect."""
    months = before + after
    season = 1 + 0.25 * np.sin(2 * np.pi * np.arange(months) / 12)
    trend = np.exp(rng.normal(0, 0.01) * np.arange(months))
    sizes = rng.uniform(0.6, 1.6, donors + 1)
    counts = rng.poisson(level * sizes[:, None] * season * trend)
    return counts[0], counts[1:]


ITS_DESIGNS = [(14, 6), (16, 8), (24, 12), (36, 12), (48, 24)]  # months before, after


def its_counts(rng, months, kind, *, seasonal, mean=20.0):
    """One area's monthly counts, no change: "poisson", "overdispersed" or "autocorrelated"; with a
    season when `seasonal`."""
    season = 1 + 0.25 * np.sin(2 * np.pi * np.arange(months) / 12) if seasonal else np.ones(months)
    mu = mean * season
    if kind == "overdispersed":
        mu = rng.gamma(mean, 1.0, months) * season  # variance of the counts: mean + mean = 2 x mean
    elif kind == "autocorrelated":
        noise = np.zeros(months)
        for k in range(1, months):
            noise[k] = 0.5 * noise[k - 1] + rng.normal(0, 0.1)
        mu = mu * np.exp(noise)
    return rng.poisson(mu)


def its_grid(args):
    if args.planted:
        return its_planted(args)
    rng = np.random.default_rng(args.seed)
    print(f"interrupted time series, {args.simulations} simulations a design, no change; {platform.processor() or ''}")
    print("before after | poisson | overdispersed | autocorrelated | s per evaluation")
    for before, after in ITS_DESIGNS:
        months = np.arange(before + after)
        # As the report: seasonal terms from two years before the start on; shorter series have no season.
        seasonal = months % 12 + 1 if before >= 24 else None
        shares, started = [], time.perf_counter()
        for kind in ("poisson", "overdispersed", "autocorrelated"):
            changes = 0
            for _ in range(args.simulations):
                counts = its_counts(rng, len(months), kind, seasonal=seasonal is not None)
                changes += its(counts, start=before, month_of_year=seasonal).verdict != Change.NONE
            shares.append(changes / args.simulations)
        seconds = (time.perf_counter() - started) / (3 * args.simulations)
        print(f"{before:6} {after:5} | {shares[0]:7.3f} | {shares[1]:13.3f} | {shares[2]:14.3f} | {seconds:.4f}")


PLANTED = 0.8  # --planted: the area's counts 20 % lower from the start on


def _shares(values):
    return " / ".join(f"{v:.3f}" for v in values)


def its_planted(args):
    """The interrupted time series with a level fall of 20 % at the start: the share of 95 % intervals
    of the level ratio that hold 0.8 (coverage) and the share called a decrease (power)."""
    rng = np.random.default_rng(args.seed)
    print(f"interrupted time series, {args.simulations} simulations a design, the level 20 % lower from the start")
    print("before after | coverage: poisson / overdispersed / autocorrelated | power: the same")
    for before, after in ITS_DESIGNS:
        months = np.arange(before + after)
        seasonal = months % 12 + 1 if before >= 24 else None
        covered, found = [], []
        for kind in ("poisson", "overdispersed", "autocorrelated"):
            inside = seen = 0
            for _ in range(args.simulations):
                counts = its_counts(rng, len(months), kind, seasonal=seasonal is not None)
                counts = rng.binomial(counts, np.where(months >= before, PLANTED, 1.0))  # thin the later months
                result = its(counts, start=before, month_of_year=seasonal)
                inside += result.level_ratio_low <= PLANTED <= result.level_ratio_high
                seen += result.verdict == Change.DECREASE
            covered.append(inside / args.simulations)
            found.append(seen / args.simulations)
        print(f"{before:6} {after:5} | {_shares(covered)} | {_shares(found)}")


def did_grid(args):
    """The report's Poisson DiD: one area and `controls` control areas, 24 months before and 12 during,
    about 20 incidents a month whose variance is 1, 3 or 10 times the mean; no effect (or with
    --planted the area's counts 20 % lower from the start: coverage and power)."""
    rng = np.random.default_rng(args.seed)
    if args.planted:
        print(f"Poisson DiD, {args.simulations} simulations a design, the area 20 % lower from the start")
        print("controls | coverage: variance 1 / 3 / 10 x mean | power: the same")
    else:
        print(f"Poisson DiD, {args.simulations} simulations a design, no effect; {platform.processor() or ''}")
        print("controls | variance 1 x mean | 3 x | 10 x | s per evaluation")
    for controls in (1, 4, 9):
        areas, months, start = controls + 1, 36, 24
        treated = np.repeat((np.arange(areas) == 0).astype(int), months)
        post = np.tile((np.arange(months) >= start).astype(int), areas)
        size = np.repeat(rng.uniform(0.7, 1.4, areas), months)
        unit = np.repeat(np.arange(areas), months)  # as the report passes its areas
        effect = np.where((treated == 1) & (post == 1), PLANTED, 1.0) if args.planted else np.ones(len(treated))
        shares, covered, found, started = [], [], [], time.perf_counter()
        for ratio in (1, 3, 10):
            changes = inside = seen = 0
            for _ in range(args.simulations):
                mu = 20 * size
                if ratio > 1:
                    shape = 20 / (ratio - 1)
                    mu = rng.gamma(shape, mu / shape)
                result = did(rng.poisson(mu * effect), treated, post, unit=unit, model="poisson")
                changes += result.verdict != Change.NONE
                low, high = result.rate_ratio_low, result.rate_ratio_high
                inside += low is not None and high is not None and low <= PLANTED <= high
                seen += result.verdict == Change.DECREASE
            shares.append(changes / args.simulations)
            covered.append(inside / args.simulations)
            found.append(seen / args.simulations)
        seconds = (time.perf_counter() - started) / (3 * args.simulations)
        if args.planted:
            print(f"{controls:8} | {_shares(covered)} | {_shares(found)}")
        else:
            print(f"{controls:8} | {shares[0]:17.3f} | {shares[1]:5.3f} | {shares[2]:5.3f} | {seconds:.4f}")


def _counts(rng, mean, ratio):
    """Poisson counts around `mean` (an array), or gamma-Poisson with variance `ratio` x 20 at 20 a month."""
    if ratio > 1:
        shape = 20 / (ratio - 1)
        mean = rng.gamma(shape, mean / shape)
    return rng.poisson(mean)


def event_grid(args):
    """The report's event study: how often it says the area and its controls moved apart before."""
    rng = np.random.default_rng(args.seed)
    print(f"event study's earlier quarters, {args.simulations} simulations a design, no difference")
    print("controls | variance 1 x mean | 3 x | 10 x | s per evaluation")
    months = 36
    quarter = (np.arange(months) - 24) // 3
    for controls in (1, 4):
        treated = np.repeat([1] + [0] * controls, months)
        shares, started = [], time.perf_counter()
        for ratio in (1, 3, 10):
            alarms = 0
            for _ in range(args.simulations):
                y = _counts(rng, np.full((controls + 1) * months, 20.0), ratio)
                result = event_study(y, treated, np.tile(quarter, controls + 1), start=0)
                alarms += result.pretrend_p is not None and result.pretrend_p < 0.05
            shares.append(alarms / args.simulations)
        seconds = (time.perf_counter() - started) / (3 * args.simulations)
        print(f"{controls:8} | {shares[0]:17.3f} | {shares[1]:5.3f} | {shares[2]:5.3f} | {seconds:.4f}")


def wdd_planted(args):
    """The WDD with the area's counts 20 % lower from the start (an expected WDD of -48 incidents over
    12 months at 20 a month): coverage of its 95 % interval and power, widened by the dispersion."""
    from scipy import stats

    rng = np.random.default_rng(args.seed)
    expected = 12 * 20 * (PLANTED - 1)
    z = stats.norm.ppf(0.975)
    print(f"WDD, {args.simulations} simulations a design, the area 20 % lower from the start (WDD {expected:+.0f})")
    print("variance | coverage | power")
    for ratio in (1, 3, 10):
        inside = seen = 0
        for _ in range(args.simulations):
            area, control = _counts(rng, np.full((2, 24), 20.0), ratio)
            area = rng.binomial(area, np.where(np.arange(24) >= 12, PLANTED, 1.0))
            target, compared = (area[:12].sum(), area[12:].sum()), (control[:12].sum(), control[12:].sum())
            result = wdd(target, compared, dispersion=monthly_dispersion([area, control], start=12))
            inside += abs(result.wdd - expected) <= z * result.se
            seen += result.verdict == Change.DECREASE
        print(f"{ratio:6} x | {inside / args.simulations:8.3f} | {seen / args.simulations:.3f}")


def wdd_grid(args):
    """The report's WDD, its variance widened by the areas' monthly dispersion."""
    if args.planted:
        return wdd_planted(args)
    rng = np.random.default_rng(args.seed)
    print(f"WDD, {args.simulations} simulations a design, no effect; Poisson variance -> with the dispersion")
    print("variance | false positives, Poisson variance | with the dispersion")
    for ratio in (1, 3, 10):
        plain = widened = 0
        for _ in range(args.simulations):
            area, control = _counts(rng, np.full((2, 24), 20.0), ratio)
            target, compared = (area[:12].sum(), area[12:].sum()), (control[:12].sum(), control[12:].sum())
            spread = monthly_dispersion([area, control], start=12)
            plain += wdd(target, compared).verdict != Change.NONE
            widened += wdd(target, compared, dispersion=spread).verdict != Change.NONE
        print(f"{ratio:6} x | {plain / args.simulations:33.3f} | {widened / args.simulations:19.3f}")


TREND_MONTHS = (6, 12, 24, 36)
TREND_KINDS = ("poisson", "overdispersed", "autocorrelated", "seasonal")


def trend_counts(rng, months, kind, *, per_month=0.0, mean=20.0):
    """One area's monthly counts around `mean` changing by `per_month` (0.02 = +2 % a month):
    Poisson; gamma-Poisson with variance 3 x the mean; an AR(1) log-mean (rho 0.5, sd 0.1); or Poisson
    with a season (+-25 %) the trend is not told about, starting in January."""
    t = np.arange(months)
    mu = mean * (1 + per_month) ** (t - (months - 1) / 2)
    if kind == "overdispersed":
        mu = rng.gamma(10.0, mu / 10.0)  # variance mu + mu^2 / 10: 3 x the mean at 20 a month
    elif kind == "autocorrelated":
        drift = np.zeros(months)
        for k in range(1, months):
            drift[k] = 0.5 * drift[k - 1] + rng.normal(0, 0.1)
        mu = mu * np.exp(drift)
    elif kind == "seasonal":
        mu = mu * (1 + 0.25 * np.sin(2 * np.pi * t / 12))
    return rng.poisson(mu)


def trend_grid(args):
    """The situation page's and the evidence matrix's monthly trend (`poisson_trend`): with no trend,
    the share called an increase or a decrease; with a planted fall of 2 % a month, the share of 95 %
    intervals that hold it (coverage) and the share called a decrease (power)."""
    from lofte.analysis.situation import poisson_trend

    rng = np.random.default_rng(args.seed)
    fall = -0.02
    print(f"monthly trend, {args.simulations} simulations a design, about 20 a month; {platform.processor() or ''}")
    print("months kind | season terms | no trend: called a change | refused | -2 %/month: coverage | power | s")
    for months in TREND_MONTHS:
        month_of_year = np.arange(months) % 12 + 1
        for kind in TREND_KINDS:
            for season in (None, month_of_year) if args.without_season else (month_of_year,):
                changes = refused = covered = found = 0
                started = time.perf_counter()
                for _ in range(args.simulations):
                    flat = poisson_trend(trend_counts(rng, months, kind), month_of_year=season)
                    changes += flat.verdict not in (Change.NONE, Change.TOO_LITTLE_DATA)
                    refused += flat.verdict == Change.TOO_LITTLE_DATA
                    planted = poisson_trend(trend_counts(rng, months, kind, per_month=fall), month_of_year=season)
                    low, high = planted.ci_low, planted.ci_high
                    covered += low is not None and high is not None and low <= fall <= high
                    found += planted.verdict == Change.DECREASE
                seconds = (time.perf_counter() - started) / (2 * args.simulations)
                n, terms = args.simulations, "no" if season is None else "when 24 +"
                print(
                    f"{months:6} {kind:14} | {terms:12} | {changes / n:25.3f} | {refused / n:7.3f} | "
                    f"{covered / n:20.3f} | {found / n:5.3f} | {seconds:.4f}"
                )


SURVEY_DESIGNS = [  # (invitations a wave, share with the indicator)
    (1000, 0.30),
    (1000, 0.08),
    (300, 0.30),
    (300, 0.08),
]


def survey_population(rng, size=30_000):
    """A district of three areas of different sizes: each resident's area, age group (3), sex (2) and
    propensity to hold the indicator (higher in the first area and among the young) and to answer a
    letter (lower among the young)."""
    area = rng.choice(3, size, p=[0.5, 0.3, 0.2])
    age = rng.choice(3, size, p=[0.3, 0.4, 0.3])
    sex = rng.choice(2, size)
    lift = np.array([0.4, 0.0, -0.3])[area] + np.array([0.4, 0.0, -0.4])[age]
    answers = np.array([0.3, 0.45, 0.6])[age] - 0.05 * sex
    return area, age, sex, lift, answers


def survey_wave(rng, population, invitations, share, *, shift=0.0):
    """One wave as `lofte.surveys.results` weighs it: a stratified random sample of `invitations`
    letters split by area, the answers that come back, weights N_h / r_h with the finite-population
    correction, raked to age group and sex. Returns (estimate of the share, the population's own
    share, the design's Estimate) for the whole district."""
    from scipy.special import expit, logit

    from lofte.analysis import survey as sv

    area, age, sex, lift, answers = population
    holds = rng.random(len(area)) < expit(logit(share) + lift + shift)
    sizes = np.bincount(area)
    picked = np.concatenate(
        [
            rng.choice(np.flatnonzero(area == h), int(round(invitations * sizes[h] / len(area))), replace=False)
            for h in range(3)
        ]
    )
    picked = picked[rng.random(len(picked)) < answers[picked]]
    strata = area[picked]
    responded = np.bincount(strata, minlength=3)
    weights = sizes[strata] / responded[strata]
    d = sv.design(weights=weights, strata=strata, popsize=sizes[strata].astype(float), lonely_psu="certainty")
    margins = [
        (age[picked], {a: float(n) for a, n in enumerate(np.bincount(age))}),
        (sex[picked], {s: float(n) for s, n in enumerate(np.bincount(sex))}),
    ]
    d = sv.rake(d, margins, max_iter=50, epsilon=1e-6)
    return sv.proportion(d, holds[picked].astype(float)), float(holds.mean())


def survey_grid(args):
    """The survey page's comparison of a baseline and a follow-up wave (`survey.compare` and the rule
    of `lofte.surveys.results.verdict`: the interval excludes no change and the difference is at least
    the minimum detectable one); the same share in both waves, then a fall planted in the population."""
    from lofte.analysis import survey as sv

    rng = np.random.default_rng(args.seed)
    population = survey_population(rng)
    print(f"survey comparison, {args.simulations} simulations a design, stratified sample raked to age and sex")
    print("letters share | no change: interval | page | fall: coverage | power: interval | page | mean change | mdd")
    for invitations, share in SURVEY_DESIGNS:
        interval_changes = page_changes = covered = found = seen = 0
        falls, detectable = [], []
        for _ in range(args.simulations):
            for planted in (False, True):
                base, _truth_base = survey_wave(rng, population, invitations, share)
                follow, _truth_follow = survey_wave(rng, population, invitations, share, shift=-0.5 if planted else 0.0)
                compared = sv.compare(base, follow)
                page = compared.verdict != Change.NONE and abs(compared.diff) >= compared.mdd
                if planted:
                    truth = _truth_follow - _truth_base
                    falls.append(truth)
                    detectable.append(compared.mdd)
                    covered += compared.ci_low <= truth <= compared.ci_high
                    found += page and compared.verdict == Change.DECREASE
                    seen += compared.verdict == Change.DECREASE
                else:
                    interval_changes += compared.verdict != Change.NONE
                    page_changes += page
        n = args.simulations
        print(
            f"{invitations:7} {share:5.2f} | {interval_changes / n:19.3f} | {page_changes / n:4.3f} | "
            f"{covered / n:15.3f} | {seen / n:15.3f} | {found / n:4.3f} | {np.mean(falls):+11.3f} | "
            f"{np.mean(detectable):.3f}"
        )


def main():
    parser = argparse.ArgumentParser()
    methods = ["synthetic", "its", "did", "event", "wdd", "trend", "survey"]
    parser.add_argument("--method", choices=methods, default="synthetic")
    parser.add_argument("--simulations", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--without-season", action="store_true", help="trend: also fit without season terms")
    parser.add_argument("--planted", action="store_true", help="did, its, wdd: the area 20 %% lower from the start")
    args = parser.parse_args()
    if args.method == "its":
        return its_grid(args)
    if args.method == "did":
        return did_grid(args)
    if args.method == "event":
        return event_grid(args)
    if args.method == "wdd":
        return wdd_grid(args)
    if args.method == "trend":
        return trend_grid(args)
    if args.method == "survey":
        return survey_grid(args)
    rng = np.random.default_rng(args.seed)
    print(f"synthetic control, {args.simulations} simulations a design, no effect; {platform.processor() or ''}")
    print("before after donors level | false positives | smallest p possible | s per evaluation")
    for before, after, donors, level in DESIGNS:
        changes, started = 0, time.perf_counter()
        for _ in range(args.simulations):
            target, pool = simulate(rng, before, after, donors, level)
            result = synthetic_control(target, pool, start=before)
            changes += result.verdict != Change.NONE
        seconds = (time.perf_counter() - started) / args.simulations
        share = changes / args.simulations
        print(f"{before:6} {after:5} {donors:6} {level:5} | {share:15.3f} | {1 / (donors + 1):19.3f} | {seconds:.3f}")


if __name__ == "__main__":
    main()
