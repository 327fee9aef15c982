"""Outcome evaluation: the published reference values (DESIGN.md section 5), recovery of known
effects in simulated data, the real NYPD panel, and the command line."""

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from lofte.analysis.evaluation import did, its, wdd
from lofte.analysis.vocabulary import Change

from .shared_data import shared_file


def test_did_reproduces_the_reference_example():
    result = did([10, 11, 15, 18, 9, 10, 12, 13], [1, 1, 1, 1, 0, 0, 0, 0], [0, 0, 1, 1, 0, 0, 1, 1])
    assert (round(result.estimate, 4), round(result.se, 4), round(result.p, 4)) == (3.0, 1.7321, 0.1583)
    assert result.verdict == Change.NONE and "no measurable change" in result.sentence
    assert round(result.detectable, 2) == round(2.8016 * 1.7321, 2)


def test_wdd_reproduces_the_worked_example():
    r = wdd((120, 80), (100, 95), buffer=(60, 55), buffer_control=(50, 52))
    assert round(r.wdq, 4) == 0.0588 and round(r.tne, 2) == 36.0
    assert (r.wdd_local, round(r.se_local, 4)) == (-35.0, 19.8746)
    assert (r.wdd, round(r.se, 4), round(r.z, 4), round(r.p, 4)) == (-42.0, 24.7386, -1.6977, 0.0896)
    assert r.verdict == Change.NONE
    local = wdd((120, 80), (100, 95))
    assert (local.wdd, local.wdq, local.tne) == (-35.0, None, None)


def test_wdd_reads_the_ring_only_where_the_area_measurably_improved():
    # Bowers & Johnson (2003): the WDQ means something only where the target improved against its
    # control; a ring's change is no displacement of an effect within the noise.
    worse = wdd((80, 120), (100, 95), buffer=(60, 55), buffer_control=(50, 52))
    assert worse.success > 0 and "did not improve" in worse.sentence
    assert "displacement" not in worse.sentence.replace("not read as displacement", "")
    assert "diffusion" not in worse.sentence.replace("or diffusion", "")
    noise = wdd((120, 80), (100, 95), buffer=(60, 55), buffer_control=(50, 52))
    assert noise.success < 0 and noise.local_verdict == Change.NONE and "within the noise" in noise.sentence
    assert "WDQ" not in noise.sentence
    moved = wdd((300, 150), (300, 290), buffer=(100, 110), buffer_control=(100, 100))
    assert moved.local_verdict == Change.DECREASE and round(moved.wdq, 3) == -0.095
    assert "WDQ -0.10 (displacement to the ring, smaller than the effect in the area)" in moved.sentence
    spread = wdd((300, 150), (300, 290), buffer=(100, 60), buffer_control=(100, 100))
    assert "(diffusion of benefits to the ring)" in spread.sentence
    lost = wdd((300, 150), (300, 290), buffer=(100, 300), buffer_control=(100, 100))
    assert lost.wdq < -1 and "larger than the effect in the area: a net loss" in lost.sentence


def test_wdd_states_which_way_each_number_counts():
    r = wdd((120, 80), (100, 95), buffer=(60, 55), buffer_control=(50, 52))
    assert "WDD -42 incidents (negative: fewer;" in r.sentence
    assert "Total net effect +36 incidents in the area and the ring (positive: prevented)." in r.sentence
    assert r.to_dict()["success"] == pytest.approx(80 / 95 - 120 / 100)


@pytest.mark.parametrize("model", ["poisson", "negbin"])
def test_count_models_recover_a_known_rate_ratio(model):
    rng = np.random.default_rng(2)
    units, periods = 40, 24
    unit = np.repeat(np.arange(units), periods)
    period = np.tile(np.arange(periods), units)
    treated = (unit < 20).astype(int)
    post = (period >= 12).astype(int)
    mu = 20 * np.exp(0.3 * treated - 0.2 * post + np.log(0.7) * treated * post)
    y = rng.negative_binomial(5, 5 / (5 + mu)) if model == "negbin" else rng.poisson(mu)
    r = did(y, treated, post, unit=unit, model=model)
    assert r.rate_ratio_low < 0.7 < r.rate_ratio_high
    assert r.verdict == Change.DECREASE and "% fewer than the comparison predicts" in r.sentence


def test_cluster_robust_errors_are_wider_when_units_share_shocks():
    rng = np.random.default_rng(3)
    unit = np.repeat(np.arange(20), 10)
    shock = rng.normal(0, 3, 20)[unit]
    treated, post = (unit < 10).astype(int), np.tile((np.arange(10) >= 5).astype(int), 20)
    y = 10 + shock * post + rng.normal(0, 1, 200)
    classical = did(y, treated, post, model="ols")
    clustered = did(y, treated, post, unit=unit, model="ols-cluster")
    assert clustered.estimate == pytest.approx(classical.estimate)
    assert clustered.se > 1.5 * classical.se


def test_its_finds_a_step_and_says_no_measurable_change_without_one():
    rng = np.random.default_rng(11)
    months = np.arange(60)
    season = 1 + 0.2 * np.sin(2 * np.pi * months / 12)
    step = rng.poisson(40 * season * np.where(months >= 30, 0.75, 1.0))
    r = its(step, start=30, month_of_year=months % 12 + 1)
    assert r.level_ratio_low < 0.75 < r.level_ratio_high and r.verdict == Change.DECREASE
    flat = its(rng.poisson(40 * season), start=30, month_of_year=months % 12 + 1, model="negbin")
    assert flat.verdict == Change.NONE and "no measurable change in level" in flat.sentence


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="every combination"):
        did([1, 2, 3, 4, 5, 6], [1, 1, 1, 1, 1, 1], [0, 0, 0, 1, 1, 1])
    with pytest.raises(ValueError, match="model"):
        did([1, 2, 3, 4, 5, 6], [1, 1, 1, 0, 0, 0], [0, 1, 0, 1, 0, 1], model="magic")
    with pytest.raises(ValueError, match="start"):
        its([1, 2, 3, 4, 5], start=1)
    with pytest.raises(ValueError, match="buffer"):
        wdd((1, 2), (3, 4), buffer=(1, 1))
    with pytest.raises(ValueError, match="every count is zero"):
        did([0] * 8, [1, 1, 1, 1, 0, 0, 0, 0], [0, 0, 1, 1, 0, 0, 1, 1], model="poisson")
    with pytest.raises(ValueError, match="season, the trend and the start cannot be told apart"):
        its(np.r_[np.full(12, 20), np.full(12, 13)] + np.arange(24) % 3, start=12, month_of_year=np.arange(24) % 12 + 1)
    with pytest.raises(ValueError, match="every count is 5"):
        its([5] * 12, start=6)
    with pytest.raises(ValueError, match="unit C: no period before the start"):
        did([1, 2, 3, 4, 5, 6, 7], [1, 1, 0, 0, 1, 0, 0], [0, 1, 0, 1, 1, 0, 1], unit=list("AABBCDD"))


def _stopped(before_mean, *, seed=1, dispersion=1.0):
    """A treated area whose counts stop at the start, and one control area; 12 months each side."""
    rng = np.random.default_rng(seed)

    def counts(mean, n):
        if dispersion == 1.0:
            return rng.poisson(mean, n)
        shape = mean / (dispersion - 1)
        return rng.poisson(rng.gamma(shape, mean / shape, n))

    y = np.r_[counts(before_mean, 12), np.zeros(12), counts(70, 24)]
    treated = np.r_[np.ones(24), np.zeros(24)]
    post = np.tile(np.r_[np.zeros(12), np.ones(12)], 2)
    return y, treated, post


def test_a_count_that_stops_altogether_is_a_measurable_fall():
    # Issue 22: 77 a month falling to none said "Rate ratio 0.00 (0.00 to inf): no measurable change".
    y, treated, post = _stopped(77)
    r = did(y, treated, post, model="poisson")
    assert r.separated and r.rate_ratio == 0.0 and r.rate_ratio_low == 0.0 and r.verdict == Change.DECREASE
    assert r.p < 1e-10 and 0 < r.rate_ratio_high < 0.01
    assert r.sentence.startswith("No incidents in the area after the start: rate ratio 0 (95 % interval 0 to 0.00")
    assert "p < 0.001; the more cautious of an exact and a likelihood-ratio test): fewer than the" in r.sentence
    json.dumps(r.to_dict(), allow_nan=False)  # no infinity: the log-scale estimate is null
    # Three incidents a year before and none after is within the noise.
    few = did(np.r_[[1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0], np.zeros(12), y[24:]], treated, post, model="poisson")
    assert few.separated and few.verdict == Change.NONE and few.p > 0.05 and few.rate_ratio_high > 1


def test_the_stopped_counts_interval_ends_where_the_profile_deviance_rises_enough():
    import statsmodels.api as sm
    from scipy import stats

    from lofte.analysis.evaluation import _quasi_likelihood_ratio

    y, treated, post = _stopped(20, seed=3, dispersion=4.0)
    X = np.column_stack([np.ones_like(y), treated, post, treated * post])
    p, upper, dispersion = _quasi_likelihood_ratio(y, X, 0.95)
    main = X[:, :3]
    at_upper = sm.GLM(y, main, family=sm.families.Poisson(), offset=upper * X[:, 3]).fit().deviance
    without = sm.GLM(y, main, family=sm.families.Poisson()).fit().deviance
    cells = [(treated == a) & (post == b) for a in (0, 1) for b in (0, 1)]
    mu = sum(np.where(c, y[c].mean(), 0.0) for c in cells)
    kept = mu > 0
    full = 2 * np.sum(y[kept] * np.log(np.where(y[kept] > 0, y[kept] / mu[kept], 1)) - (y[kept] - mu[kept]))
    assert dispersion == pytest.approx(np.sum((y[kept] - mu[kept]) ** 2 / mu[kept]) / (len(y) - 4))
    assert dispersion > 1.5  # the quasi-likelihood matters here
    assert at_upper - full == pytest.approx(dispersion * stats.t.ppf(0.975, len(y) - 4) ** 2, rel=1e-6)
    assert p == pytest.approx(stats.f.sf((without - full) / dispersion, 1, len(y) - 4))
    # The reported interval is the wider of this and the exact conditional one.
    assert did(y, treated, post, model="poisson").ci_high >= upper


def test_its_refuses_in_words_what_it_cannot_estimate():
    rng = np.random.default_rng(4)
    series = rng.poisson(20, 36)
    # An end one month after the start is too short: said as such, with or without seasonality.
    for season in (None, np.arange(36) % 12 + 1):
        with pytest.raises(ValueError, match="at least three months from the start to the end, got 1"):
            its(series, start=24, end=25, month_of_year=season)
    # No incident (or one) before the start: there is no level to compare with (it printed a level
    # ratio of 96552511367.93 with an interval of nan to nan).
    with pytest.raises(ValueError, match="0 incidents before the start, too few"):
        its(np.r_[np.zeros(24), rng.poisson(20, 12)], start=24)
    with pytest.raises(ValueError, match="1 incidents from the start on, too few"):
        its(np.r_[rng.poisson(20, 24), [1], np.zeros(11)], start=24)


def test_a_citywide_decline_is_not_taken_for_an_effect():
    """NYPD shootings 2006–2019: a precinct's naive before/after shows a large drop that the other
    precincts had too; difference-in-differences against them finds no measurable change."""
    frame = pd.read_csv(
        shared_file("panels", "nypd_shootings_2006_2019.csv.gz"), usecols=["INCIDENT_KEY", "OCCUR_DATE", "PRECINCT"]
    )
    frame = frame.drop_duplicates("INCIDENT_KEY")  # one row per victim and suspect pair
    frame["month"] = pd.to_datetime(frame["OCCUR_DATE"], format="%m/%d/%Y").dt.to_period("M")
    panel = frame.groupby(["PRECINCT", "month"]).size().unstack(fill_value=0)
    post = (panel.columns >= pd.Period("2013-01", "M")).astype(int)
    y = panel.loc[75].to_numpy()
    assert y[post == 1].mean() / y[post == 0].mean() < 0.7  # "a third fewer shootings!"
    others = panel.drop(index=75).sum().to_numpy()
    r = did(np.r_[y, others], np.r_[np.ones_like(y), np.zeros_like(others)], np.r_[post, post], model="poisson")
    assert r.verdict == Change.NONE and r.rate_ratio_low < 1 < r.rate_ratio_high


def test_the_its_command_refuses_repeated_and_missing_months_by_line(tmp_path, capsys):
    from lofte.tools.evaluate import main

    def run(rows, *options):
        series = tmp_path / "series.csv"
        series.write_text("month,count\n" + "".join(f"{m},{c}\n" for m, c in rows))
        code = main(["evaluate", "its", str(series), "--month", "month", "--count", "count", "--start", "2016-01",
                     *options, "--no-seasonality"])  # fmt: skip
        return code, capsys.readouterr().err

    months = [f"{2015 + i // 12}-{i % 12 + 1:02d}" for i in range(24)]
    rows = [(m, 20 + i % 3) for i, m in enumerate(months)]
    code, said = run([*rows[:5], rows[4], *rows[5:]])
    assert code == 2 and "line 7: column month: 2015-05 is also on line 6" in said
    code, said = run(rows[:6] + rows[12:])
    assert code == 2 and "line 8: column month: 6 month(s) missing between 2015-06 (line 7) and 2016-01" in said
    code, said = run(rows, "--end", "2015-06")
    assert code == 2 and "--end: 2015-06 is before --start 2016-01" in said
    code, said = run(rows, "--end", "2016-01")
    assert code == 2 and "at least three months from the start to the end, got 1" in said and "season" not in said
    assert run(rows)[0] == 0


def lofte(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "lofte.cli", "evaluate", *args], capture_output=True, text=True, cwd=cwd
    )


@pytest.mark.slow  # child processes: not in `make test-fast`
def test_the_command_line_prints_a_summary_and_writes_json(tmp_path):
    panel = tmp_path / "panel.csv"
    rows = [("A", 1, 10, 1, 0), ("A", 2, 11, 1, 0), ("A", 3, 15, 1, 1), ("A", 4, 18, 1, 1),
            ("B", 1, 9, 0, 0), ("B", 2, 10, 0, 0), ("B", 3, 12, 0, 1), ("B", 4, 13, 0, 1)]  # fmt: skip
    panel.write_text("unit,period,count,treated,post\n" + "".join(",".join(map(str, r)) + "\n" for r in rows))
    done = lofte("did", str(panel), "--unit", "unit", "--period", "period", "--count", "count", "--treated", "treated",
                 "--post", "post", "--out", "did.json", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0 and "no measurable change" in done.stdout
    result = json.loads((tmp_path / "did.json").read_text())
    assert {"estimate", "se", "ci_low", "ci_high", "p", "model", "n", "rate_ratio"} <= set(result)
    assert round(result["se"], 4) == 1.7321
    done = lofte("wdd", "--target", "120", "80", "--control", "100", "95", "--buffer", "60", "55",
                 "--buffer-control", "50", "52", "--out", "wdd.json", cwd=tmp_path)  # fmt: skip
    result = json.loads((tmp_path / "wdd.json").read_text())
    assert {k: round(result[k], 4) for k in ("wdq", "tne", "wdd_local", "se_local", "wdd", "se", "z", "p")} == {
        "wdq": 0.0588, "tne": 36.0, "wdd_local": -35.0, "se_local": 19.8746, "wdd": -42.0, "se": 24.7386,
        "z": -1.6977, "p": 0.0896,
    }  # fmt: skip
    series = tmp_path / "monthly.csv"
    series.write_text("month,count\n" + "".join(f"{2014 + i // 12}-{i % 12 + 1:02d},{30 + i % 5}\n" for i in range(48)))
    done = lofte(
        "its",
        str(series),
        "--month",
        "month",
        "--count",
        "count",
        "--start",
        "2016-01",
        "--out",
        "its.json",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert {"level_change", "level_se", "slope_change", "slope_se", "p_level", "p_slope"} <= set(
        json.loads((tmp_path / "its.json").read_text())
    )
    bad = lofte("its", str(series), "--month", "month", "--count", "count", "--start", "1999-01", cwd=tmp_path)
    assert bad.returncode == 2 and "--start: 1999-01 is not a month of" in bad.stderr
    bad = lofte("did", str(panel), "--unit", "x", "--period", "period", "--count", "count", "--treated", "treated",
                "--post", "post", cwd=tmp_path)  # fmt: skip
    assert bad.returncode == 2 and "line 1: no column 'x'" in bad.stderr


def factor_donors(rng, k=20, periods=60):
    """Donor series driven by three shared random walks, each with its own loadings and noise."""
    factors = rng.normal(0, 1, (3, periods)).cumsum(axis=1) + 50
    return rng.uniform(0.5, 1.5, (k, 3)) @ factors / 3 + rng.normal(0, 1, (k, periods))


def test_synthetic_control_finds_the_donors_behind_a_target_and_a_real_drop():
    from lofte.analysis.evaluation import synthetic_control

    rng = np.random.default_rng(4)
    donors = factor_donors(rng)
    target = 0.5 * donors[0] + 0.5 * donors[1] + rng.normal(0, 0.5, donors.shape[1])
    dropped = target.copy()
    dropped[40:] *= 0.7
    r = synthetic_control(dropped, donors, start=40, names=[f"d{i}" for i in range(20)])
    assert sum(r.weights.values()) == pytest.approx(1) and min(r.weights.values()) >= 0
    assert r.weights["d0"] + r.weights["d1"] > 0.8
    assert (r.rank, r.verdict) == (1, Change.DECREASE) and r.relative_change == pytest.approx(-0.3, abs=0.05)
    unchanged = synthetic_control(target, donors, start=40)
    assert unchanged.verdict == Change.NONE and unchanged.p > 0.05
    with pytest.raises(ValueError, match="donors"):
        synthetic_control(target, donors[:, :10], start=5)


def test_synthetic_control_can_leave_out_placebos_its_pool_cannot_fit():
    """Abadie, Diamond & Hainmueller (2010) rank the target among placebos whose pre-period MSPE is at
    most k times the target's: an area no mix of others resembles has a large ratio by construction."""
    from lofte.analysis.evaluation import synthetic_control

    rng = np.random.default_rng(4)
    donors = factor_donors(rng)
    target = 0.5 * donors[0] + 0.5 * donors[1] + rng.normal(0, 0.5, donors.shape[1])
    odd = donors.copy()
    odd[5] = rng.normal(0, 1, donors.shape[1]).cumsum() * 20 + 400  # a wandering area unlike any other
    every = synthetic_control(target, odd, start=40)
    kept = synthetic_control(target, odd, start=40, pre_fit_filter=5)
    assert (every.placebos, every.placebos_excluded) == (20, 0)
    assert kept.placebos_excluded >= 1 and kept.placebos == 20 - kept.placebos_excluded
    # By the definition: the target's rank among itself and the placebos kept, over their number.
    assert kept.p == pytest.approx(kept.rank / (kept.placebos + 1))
    assert f"{kept.placebos_excluded} other areas are left out of the ranking" in kept.sentence
    assert "left out" not in every.sentence
    with pytest.raises(ValueError, match="pre_fit_filter"):
        synthetic_control(target, odd, start=40, pre_fit_filter=0)


def test_synthetic_control_on_the_real_panel_says_no_measurable_change():
    from lofte.analysis.evaluation import synthetic_control

    frame = pd.read_csv(
        shared_file("panels", "nypd_shootings_2006_2019.csv.gz"), usecols=["INCIDENT_KEY", "OCCUR_DATE", "PRECINCT"]
    )
    frame = frame.drop_duplicates("INCIDENT_KEY")
    frame["quarter"] = pd.to_datetime(frame["OCCUR_DATE"], format="%m/%d/%Y").dt.to_period("Q")
    panel = frame.groupby(["PRECINCT", "quarter"]).size().unstack(fill_value=0)
    donors = panel.drop(index=75).loc[lambda p: p.sum(axis=1).nlargest(20).index]
    start = int(np.argmax(panel.columns >= pd.Period("2013Q1", "Q")))
    r = synthetic_control(
        panel.loc[75].to_numpy(), donors.to_numpy(), start=start, names=[str(n) for n in donors.index]
    )
    assert r.verdict == Change.NONE and r.p > 0.05


def test_synthetic_weights_agree_with_pysyncon():
    """pysyncon (a test-only oracle) solves the same weight problem (V = identity on the pre-period)."""
    pysyncon = pytest.importorskip("pysyncon", reason="pysyncon is a test extra (pip install -e '.[test]')")
    from lofte.analysis.evaluation import _synthetic_weights

    rng = np.random.default_rng(4)
    donors = factor_donors(rng, k=12)
    target = 0.4 * donors[0] + 0.35 * donors[3] + 0.25 * donors[7] + rng.normal(0, 0.8, donors.shape[1])
    expected, _loss = pysyncon.Synth.w_optimize(np.eye(40), donors[:, :40].T, target[:40])
    ours = _synthetic_weights(target[:40], donors[:, :40])
    assert ours == pytest.approx(expected, abs=2e-3)

    def loss(w):
        return float(np.sum((target[:40] - w @ donors[:, :40]) ** 2))

    assert loss(ours) <= loss(np.asarray(expected)) + 1e-9  # never a worse fit than the oracle's


def exact_simplex_least_squares(target, donors):
    """The optimum by brute force: the equality-constrained least squares on every set of donors,
    the best whose weights are all non-negative (feasible for a handful of donors only)."""
    from itertools import combinations

    best, best_loss = None, np.inf
    k = donors.shape[0]
    for size in range(1, k + 1):
        for chosen in combinations(range(k), size):
            a = donors[list(chosen)].T
            system = np.block([[2 * a.T @ a, np.ones((size, 1))], [np.ones((1, size)), np.zeros((1, 1))]])
            solution = np.linalg.lstsq(system, np.append(2 * a.T @ target, 1.0), rcond=None)[0][:size]
            if (solution < -1e-12).any():
                continue
            w = np.zeros(k)
            w[list(chosen)] = solution
            value = float(np.sum((target - w @ donors) ** 2))
            if value < best_loss - 1e-12:
                best, best_loss = w, value
    return best


@pytest.mark.parametrize("seed", range(8))
def test_synthetic_weights_reach_the_optimum_whatever_the_outcomes_units(seed):
    """Issue 22: SLSQP came back at its starting point (every donor 1/J) when the outcome was multiplied
    by 10. The weights are the exact optimum (brute force over the donors' subsets) and the same to
    1e-6 in any unit."""
    from lofte.analysis.evaluation import _synthetic_weights

    rng = np.random.default_rng(seed)
    donors = factor_donors(rng, k=6, periods=24)[:, :18]
    target = rng.dirichlet(np.ones(3)) @ donors[:3] + rng.normal(0, 2, 18) + rng.normal(0, 5)
    weights = _synthetic_weights(target, donors)
    assert weights == pytest.approx(exact_simplex_least_squares(target, donors), abs=1e-8)
    for unit in (10, 1000, 1e-3):
        assert _synthetic_weights(target * unit, donors * unit) == pytest.approx(weights, abs=1e-6)


def test_did_agrees_with_statsmodels_formulas_on_a_generated_panel():
    import statsmodels.formula.api as smf

    rng = np.random.default_rng(9)
    panel = pd.DataFrame({"unit": np.repeat(np.arange(30), 12), "month": np.tile(np.arange(12), 30)})
    panel["treated"], panel["post"] = (panel.unit < 10).astype(int), (panel.month >= 6).astype(int)
    panel["y"] = rng.poisson(15 * np.exp(-0.25 * panel.treated * panel.post))
    ours = did(panel.y, panel.treated, panel.post, model="poisson")
    direct = smf.poisson("y ~ treated * post", panel).fit(disp=0)
    assert ours.estimate == pytest.approx(direct.params["treated:post"], rel=1e-6)
    # Quasi-Poisson: the model's error scaled by the Pearson dispersion when above 1 (R's quasipoisson).
    dispersion = max(1.0, float(np.sum(np.asarray(direct.resid_pearson) ** 2)) / direct.df_resid)
    assert ours.se == pytest.approx(direct.bse["treated:post"] * dispersion**0.5, rel=1e-4)
    clustered = did(panel.y, panel.treated, panel.post, unit=panel.unit, model="ols-cluster")
    direct = smf.ols("y ~ treated * post", panel).fit(cov_type="cluster", cov_kwds={"groups": panel.unit})
    assert clustered.se == pytest.approx(direct.bse["treated:post"], rel=1e-6)


def test_an_event_study_shows_parallel_trends_and_catches_diverging_ones():
    from lofte.analysis.evaluation import event_study

    rng = np.random.default_rng(5)
    units, periods = 30, 12
    unit = np.repeat(np.arange(units), periods)
    period = np.tile(np.arange(periods), units)
    treated = (unit < 10).astype(int)
    after = (period >= 6).astype(int)
    y = rng.poisson(30 * np.exp(-0.3 * treated * after))
    r = event_study(y, treated, period, start=6)
    assert r.relative == [-6, -5, -4, -3, -2, 0, 1, 2, 3, 4, 5]
    assert all(low < -0.3 < high for low, high, rel in zip(r.ci_low, r.ci_high, r.relative) if rel >= 0)
    assert r.pretrend_p > 0.05 and "No sign" in r.sentence
    drifting = rng.poisson(30 * np.exp(0.08 * treated * (period - 6)))  # the treated units rise all along
    assert event_study(drifting, treated, period, start=6).pretrend_p < 0.05
    with pytest.raises(ValueError, match="the period before the start"):
        event_study(y, treated, period, start=0)


def test_harm_wdd_weighs_each_type_and_its_poisson_variance():
    from lofte.analysis.evaluation import harm_wdd

    result = harm_wdd(
        {"Rån": (10, 4), "Stöld": (100, 90)},
        {"Rån": (10, 10), "Stöld": (100, 100)},
        {"Rån": 300.0, "Stöld": 20.0},
    )
    assert result.wdd == 300 * (4 - 10) + 20 * (90 - 100)  # -2 000 days
    assert result.se == pytest.approx((300**2 * (10 + 4 + 10 + 10) + 20**2 * (100 + 90 + 100 + 100)) ** 0.5)
    assert result.unweighted_types == []
    partial = harm_wdd({"Rån": (10, 4), "Okänt": (5, 1)}, {"Rån": (10, 10)}, {"Rån": 300.0})
    assert partial.unweighted_types == ["Okänt"] and "left out: Okänt" in partial.sentence
    with pytest.raises(ValueError):
        harm_wdd({"Rån": (1, 1)}, {"Rån": (1, 1)}, {"Rån": -1.0})


@pytest.mark.parametrize("model", ["poisson", "negbin"])
def test_a_cell_without_counts_is_never_called_no_change(model):
    """Incidents in the area falling from 77 to none gave "Rate ratio 0.00 (0.00 to inf): no measurable
    change". The Poisson model now tests it (above); the negative binomial has no finite rate ratio to
    give and refuses in words; a comparison without counts is refused by both."""
    treated = [1] * 6 + [0] * 6
    post = [0, 0, 0, 1, 1, 1] * 2
    y = [25, 27, 25, 0, 0, 0, 30, 31, 29, 30, 28, 32]
    if model == "poisson":
        assert did(y, treated, post, model=model).verdict == Change.DECREASE
    else:
        with pytest.raises(ValueError, match="no counts at all for the treated units after the start"):
            did(y, treated, post, model=model)
    with pytest.raises(ValueError, match="no counts at all for the comparison after the start"):
        did([25, 27, 25, 20, 21, 22, 30, 31, 29, 0, 0, 0], treated, post, model=model)
    with pytest.raises(ValueError, match="cannot be negative"):
        did([-1, 1] + y[2:], treated, post, model=model)


def test_json_written_by_the_tools_holds_no_nan_or_infinity(tmp_path):
    import json

    from lofte.tools.analysis import write_json

    path = tmp_path / "result.json"
    assert write_json(path, {"ratio": float("inf"), "gap": [1.0, float("nan")], "n": 3}, "test")

    def refuse(constant):
        raise AssertionError(f"{constant} is not JSON")

    assert json.loads(path.read_text(), parse_constant=refuse) == {"ratio": None, "gap": [1.0, None], "n": 3}


def test_the_harm_weighted_wdd_widens_its_variance_by_the_dispersion_as_the_wdd_does():
    from lofte.analysis.evaluation import harm_wdd

    counts = dict(target={"robbery": (40, 20), "theft": (100, 90)}, control={"robbery": (40, 38), "theft": (100, 99)})
    weights = {"robbery": 365.0, "theft": 30.0}
    poisson = harm_wdd(counts["target"], counts["control"], weights)
    wider = harm_wdd(counts["target"], counts["control"], weights, dispersion=4.0)
    assert wider.wdd == poisson.wdd and wider.se == pytest.approx(2 * poisson.se)
    assert "vary 4.0 times as much as chance" in wider.sentence and "chance" not in poisson.sentence
    with pytest.raises(ValueError, match="dispersion"):
        harm_wdd(counts["target"], counts["control"], weights, dispersion=0.5)


def test_the_poisson_did_gives_each_area_its_own_level_when_told_the_areas():
    """Issue 22, calibration: pooled, control areas of different sizes read as overdispersion (a
    planted 20 % fall was inside 100 % of the intervals with four controls, and seen less often than
    with one). With `unit`, a term per area: the same estimate (a ratio of ratios of the cells' sums),
    the error of statsmodels' GLM with area dummies scaled by its Pearson dispersion (at least 1)."""
    sm = pytest.importorskip("statsmodels.api", reason="statsmodels is the test oracle")
    rng = np.random.default_rng(4)
    areas, months = 5, 36
    unit = np.repeat(np.arange(areas), months)
    treated = (unit == 0).astype(int)
    post = np.tile((np.arange(months) >= 24).astype(int), areas)
    y = rng.poisson(20 * np.array([1.0, 0.6, 1.5, 0.8, 1.3])[unit])
    pooled = did(y, treated, post, model="poisson")
    fixed = did(y, treated, post, unit=unit, model="poisson")
    assert fixed.estimate == pytest.approx(pooled.estimate, rel=1e-9)
    X = np.column_stack([(unit == k).astype(float) for k in range(areas)] + [post, treated * post])
    fit = sm.GLM(y, X, family=sm.families.Poisson()).fit()
    dispersion = max(1.0, float(np.sum(fit.resid_pearson**2)) / fit.df_resid)
    assert fixed.se == pytest.approx(fit.bse[-1] * np.sqrt(dispersion), rel=1e-9)
    assert fixed.se < 0.8 * pooled.se  # the areas' sizes no longer count as noise


@pytest.mark.parametrize(("treated", "missing"), [(0, "no treated unit"), (1, r"no comparison \(control\) unit")])
def test_an_event_study_refuses_a_design_with_nothing_to_compare(treated, missing):
    """Issue 22: no treated unit gave "No sign ... (p nan)", every unit treated "already moved apart
    (p 0.000)"."""
    from lofte.analysis.evaluation import event_study

    period = np.tile(np.arange(12), 4)
    y = np.random.default_rng(1).poisson(20, 48)
    with pytest.raises(ValueError, match=missing):
        event_study(y, np.full(48, treated), period, start=6)
