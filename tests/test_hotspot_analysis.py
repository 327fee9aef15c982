"""Hot-spot core: the published reference values and the peer tools esda, KDEpy and statsmodels."""

import warnings

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from lofte.analysis import concentration as conc
from lofte.analysis.emerging import emerging_hotspots, mann_kendall
from lofte.analysis.grids import DegreesNotMetres, auto_cell_size, count_points, make_grid
from lofte.analysis.hotspots import classify, distance_band_weights, fdr_bh, gistar, gistar_grid
from lofte.analysis.kde import bandwidth_nrd, default_bandwidth, kde_grid, kde_points
from lofte.analysis.nearrepeat import knox
from lofte.analysis.targeting import targeting

from .shared_data import shared_file

ESDA_X = [10, 20, 40, 15, 30, 30]
ESDA_Y = [10, 10, 10, 20, 20, 30]
ESDA_V = [2, 3, 3.2, 5, 8, 7]


def test_it_reproduces_esdas_published_gi_and_gistar():
    w = distance_band_weights(ESDA_X, ESDA_Y, 15)
    star = gistar(ESDA_V, w).z
    plain = gistar(ESDA_V, w, star=False).z
    np.testing.assert_allclose(
        star, [-1.39727626, -0.28917762, 0.65064964, -0.28917762, 1.23452088, 2.02424331], atol=5e-9
    )
    np.testing.assert_allclose(
        plain, [-1.0136729, -0.04361589, 1.31558703, -0.31412676, 1.15373986, 1.77833941], atol=5e-8
    )


def test_grid_gistar_matches_esda_on_queen_weights():
    esda = pytest.importorskip("esda", reason="esda is a test-only oracle")
    libpysal = pytest.importorskip("libpysal")
    rng = np.random.default_rng(7)
    counts = rng.poisson(3, size=(30, 40)).astype(float)
    counts[10:14, 20:25] += 9
    ours = gistar_grid(counts, radius_cells=1).z
    w = libpysal.weights.lat2W(30, 40, rook=False)
    theirs = esda.G_Local(counts.ravel(), w, transform="B", star=True, permutations=0).Zs
    assert np.max(np.abs(ours.ravel() - theirs)) < 1e-9


def test_sparse_gistar_matches_esda_on_a_distance_band():
    esda = pytest.importorskip("esda", reason="esda is a test-only oracle")
    libpysal = pytest.importorskip("libpysal")
    rng = np.random.default_rng(8)
    x, y = rng.uniform(0, 1000, 300), rng.uniform(0, 1000, 300)
    values = rng.poisson(4, 300).astype(float)
    ours = gistar(values, distance_band_weights(x, y, 150)).z
    w = libpysal.weights.DistanceBand(np.column_stack([x, y]), threshold=150, binary=True, silence_warnings=True)
    theirs = esda.G_Local(values, w, transform="B", star=True, permutations=0).Zs
    assert np.max(np.abs(ours - theirs)) < 1e-9


def test_a_mask_limits_the_study_area():
    counts = np.ones((5, 5))
    counts[2, 2] = 10
    mask = np.ones((5, 5), dtype=bool)
    mask[0, :] = False
    result = gistar_grid(counts, mask=mask)
    assert np.isnan(result.z[0]).all()
    inside = gistar_grid(counts[1:, :]).z
    np.testing.assert_allclose(result.z[1:, :], inside, atol=1e-12)


def test_fdr_matches_statsmodels_and_classes_follow_arcgis():
    multitest = pytest.importorskip("statsmodels.stats.multitest", reason="statsmodels is a test-only oracle")
    p = np.random.default_rng(2).uniform(0, 0.2, 200) ** 2
    np.testing.assert_allclose(fdr_bh(p), multitest.multipletests(p, method="fdr_bh")[1], rtol=1e-12)
    assert classify([3.0, -2.0, 1.7, 0.1], [0.005, 0.03, 0.09, 0.5]).tolist() == [3, -2, 1, 0]


def test_unadjusted_p_values_only_when_asked():
    rng = np.random.default_rng(3)
    counts = rng.poisson(2, size=(40, 40)).astype(float)
    adjusted, raw = gistar_grid(counts), gistar_grid(counts, adjust=False)
    assert adjusted.adjusted and not raw.adjusted
    assert np.count_nonzero(raw.classes) > np.count_nonzero(adjusted.classes)


def test_kde_matches_a_direct_sum():
    rng = np.random.default_rng(4)
    x, y = rng.uniform(0, 2000, 1000), rng.uniform(0, 1500, 1000)
    grid = make_grid(bounds=(0, 0, 2000, 1500), cell=50)
    counts, _ = count_points(grid, x, y)
    density = kde_grid(counts, cell=50, bandwidth=300).values
    cx, cy = grid.centres()
    # The grid bins points to cell centres: the direct sum over binned points is the same number.
    rows, cols = np.nonzero(counts)
    bx, by = (
        np.repeat(cx[rows, cols], counts[rows, cols].astype(int)),
        np.repeat(cy[rows, cols], counts[rows, cols].astype(int)),
    )
    direct = kde_points(bx, by, cx, cy, bandwidth=300).reshape(grid.shape)
    np.testing.assert_allclose(density, direct, rtol=1e-9, atol=1e-18)
    # And close to the unbinned sum: binning moves a point at most half a diagonal.
    unbinned = kde_points(x, y, cx, cy, bandwidth=300).reshape(grid.shape)
    assert np.max(np.abs(density - unbinned)) / unbinned.max() < 0.05
    # Each point's kernel integrates to one: away from the edges the density sums to the points.
    inner = kde_grid(count_points(grid, x[:50] * 0.4 + 600, y[:50] * 0.4 + 450)[0], cell=50, bandwidth=300)
    assert inner.values.sum() * 50 * 50 == pytest.approx(50, rel=0.01)


def test_kde_matches_kdepy_fftkde_with_the_same_kernel_and_binning():
    kdepy = pytest.importorskip("KDEpy", reason="KDEpy is a test-only oracle")
    rng = np.random.default_rng(5)
    cell, radius = 10.0, 95.0
    grid = make_grid(bounds=(0, 0, 1000, 800), cell=cell)
    x, y = rng.uniform(200, 800, 800), rng.uniform(200, 600, 800)
    counts, _ = count_points(grid, x, y)
    ours = kde_grid(counts, cell=cell, bandwidth=radius).values / counts.sum()
    cx, cy = grid.centres()
    rows, cols = np.nonzero(counts)
    data = np.column_stack([cx[rows, cols], cy[rows, cols]])
    grid_points = np.column_stack([cx.T.ravel(), cy.T.ravel()])  # KDEpy: sorted by x, then y
    # KDEpy's bandwidth is the kernel's standard deviation; its biweight's radius is sqrt(7) bw.
    fit = kdepy.FFTKDE(kernel="biweight", bw=radius / np.sqrt(7), norm=2).fit(data, weights=counts[rows, cols])
    # KDEpy adds machine epsilon to every density value (to keep logarithms finite).
    theirs = fit.evaluate(grid_points).reshape(grid.nx, grid.ny).T - np.finfo(float).eps
    big = ours > ours.max() * 1e-6
    assert np.max(np.abs(ours[big] - theirs[big]) / theirs[big]) < 1e-6


def test_bandwidth_averages_x_and_y_unlike_sfhotspot():
    x = np.array([0, 10, 20, 40, 80, 160, 320.0])
    y = x * 3
    q1, q3 = np.quantile(x, [0.25, 0.75])
    expected = 4 * 1.06 * min(np.std(x, ddof=1), (q3 - q1) / 1.34) * 7**-0.2
    assert bandwidth_nrd(x) == pytest.approx(expected)
    assert default_bandwidth(x, y) == pytest.approx(2 * expected)


def test_it_warns_when_the_bandwidth_is_smaller_than_a_cell():
    with pytest.warns(UserWarning, match="smaller than a cell"):
        kde_grid(np.ones((5, 5)), cell=100, bandwidth=50)


@pytest.mark.parametrize(
    "counts, g, unbiased, generalized, generalized_unbiased",
    [
        ([10, 8, 2] + [0] * 7, 0.78, 0.8667, 0.78, 0.8667),
        ([5, 2, 1] + [0] * 7, 0.80, None, 0.75, 0.8571),
        ([10] + [0] * 99, 0.99, None, 0.90, None),
    ],
)
def test_it_reproduces_the_generalized_gini_table(counts, g, unbiased, generalized, generalized_unbiased):
    result = conc.concentration(counts)
    assert round(result.gini, 4) == g
    assert round(result.generalized_gini, 4) == generalized
    if unbiased is not None:
        assert round(result.gini_unbiased, 4) == unbiased
    if generalized_unbiased is not None:
        assert round(result.generalized_gini_unbiased, 4) == generalized_unbiased


def test_it_finds_the_share_of_places_holding_half_the_incidents():
    result = conc.concentration([50, 30, 10, 5, 5] + [0] * 95)
    assert result.share_of_places_for_50 == 0.01
    assert result.share_of_places_for_25 == 0.01
    assert conc.concentration([10, 10, 10, 10]).share_of_places_for_50 == 0.5
    assert result.lorenz_incidents[-1] == 1 and result.lorenz_places[1] == 0.01


def test_it_reproduces_the_near_repeat_calculators_observed_table():
    data = pd.read_csv(shared_file("nearrepeat", "chicago_arson.csv"), header=None, names=["x", "y", "date"])
    days = (pd.to_datetime(data["date"]) - pd.Timestamp("1970-01-01")).dt.days.to_numpy()
    result = knox(
        data["x"],
        data["y"],
        days,
        space_band=200,
        space_bands=3,
        time_band=1,
        time_bands=3,
        permutations=99,
        seed=1,
        float32=True,
    )
    assert result.observed.tolist() == [
        [0, 2, 0, 8],
        [9, 1, 1, 45],
        [4, 0, 0, 140],
        [6, 0, 0, 234],
        [393, 710, 770, 133658],
    ]
    assert result.observed.sum() == 522 * 521 // 2
    again = knox(data["x"], data["y"], days, space_band=200, permutations=99, seed=1, float32=True)
    np.testing.assert_array_equal(result.expected, again.expected)
    # The Near Repeat Calculator's headline: close pairs within a day are far above expectation.
    assert result.ratio[1, 0] > 20 and result.p[1, 0] == 0.01
    assert result.ratio[4, 3] == pytest.approx(1.0, abs=0.01)


def test_near_repeats_match_a_brute_force_count():
    rng = np.random.default_rng(9)
    x, y = rng.integers(0, 2000, 200).astype(float), rng.integers(0, 2000, 200).astype(float)
    x[:5], y[:5] = 100.0, 100.0
    days = rng.integers(0, 60, 200)
    result = knox(
        x, y, days, space_band=100, space_bands=3, time_band=7, time_bands=2, distance="euclidean", permutations=0
    )
    i, j = np.triu_indices(200, 1)
    d = np.hypot(x[i] - x[j], y[i] - y[j])
    t = np.abs(days[i] - days[j])
    rows = np.where(d == 0, 0, np.where(d >= 300, 4, 1 + np.minimum(d // 100, 2))).astype(int)
    cols = np.minimum(t // 7, 2)
    expected = np.zeros((5, 3), dtype=int)
    np.add.at(expected, (rows, cols), 1)
    np.testing.assert_array_equal(result.observed, expected)


def test_targeting_scores_hit_rate_pai_and_pei():
    predicted = np.array([9, 8, 1, 1, 1, 1, 1, 1, 1, 1])
    observed = np.array([5, 0, 10, 1, 1, 1, 1, 1, 0, 0])
    result = targeting(predicted, observed, share=0.2)
    assert result.cells == 2 and result.hits == 5 and result.incidents == 20
    assert result.hit_rate == 0.25
    assert result.pai == pytest.approx(0.25 / 0.2)
    assert result.pei_star == pytest.approx(5 / 15)


def test_emerging_hot_spots_classify_new_persistent_and_intensifying_cells():
    rng = np.random.default_rng(11)
    cube = rng.poisson(1.0, size=(10, 20, 20)).astype(float)
    cube[-1, 3, 3] += 40  # appears in the last period only
    # A block that is always hot and grows: its Gi* z-scores rise (the trend is on z, as in ArcGIS).
    cube[:, 14:17, 4:7] += (np.arange(10) * 0.6 + 2.5)[:, None, None]
    result = emerging_hotspots(cube)
    assert result.category[3, 3] == "new hot"
    assert result.category[15, 5] == "intensifying hot"
    assert result.category[0, 19] == ""
    steady = rng.poisson(1.0, size=(10, 20, 20)).astype(float)
    steady[:, 10, 10] += 25  # always there, no trend
    steady[:7, 4, 4] += 25  # there for years, gone lately
    result = emerging_hotspots(steady)
    assert result.category[10, 10] == "persistent hot"
    assert result.category[4, 4] == ""  # hot in 7 of 10 periods: neither historical nor current


def test_mann_kendall_matches_scipys_kendall_tau_sign():
    series = np.array([[1, 3, 2, 5, 4, 6, 8, 7, 9, 12, 11, 13.0]])
    result = mann_kendall(series)
    assert result.s[0] == 58 and result.p[0] < 0.01  # 62 concordant, 4 discordant pairs


def test_it_refuses_degrees_degenerate_extents_and_warns_about_outside_points():
    with pytest.raises(DegreesNotMetres):
        make_grid(bounds=(11.88, 57.70, 11.90, 57.74))
    with pytest.raises(ValueError, match="degenerate"):
        make_grid(bounds=(100, 100, 100, 500))
    grid = make_grid(box(0, 0, 1000, 1000), cell=100)
    with pytest.warns(UserWarning, match="1 of 3 points lie outside"):
        counts, outside = count_points(grid, [50, 150, 5000], [50, 50, 50])
    assert (counts.sum(), outside) == (2, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        empty, _ = count_points(grid, [], [])
    assert empty.sum() == 0


def test_auto_cell_size_is_a_fiftieth_rounded_down_to_ten_metres_and_never_zero():
    assert auto_cell_size(5000, 2600) == 50
    assert auto_cell_size(5000, 2499) == 40
    assert auto_cell_size(300, 300) == 6
    assert auto_cell_size(20, 30) == 1
    with pytest.raises(ValueError):
        auto_cell_size(0, 100)


def test_grids_are_clipped_to_the_study_area():
    from shapely.geometry import Polygon

    triangle = Polygon([(0, 0), (1000, 0), (0, 1000)])
    grid = make_grid(triangle, cell=100)
    assert grid.shape == (10, 10)
    assert grid.n_cells == 55  # cells touching the triangle: the diagonal ones too
    assert not grid.mask[9, 9]


def test_polygon_weights_match_libpysal_contiguity():
    libpysal = pytest.importorskip("libpysal", reason="libpysal is a test-only oracle")
    from lofte.analysis.hotspots import polygon_weights

    cells = [box(c * 10, r * 10, c * 10 + 10, r * 10 + 10) for r in range(6) for c in range(7)]
    for queen in (True, False):
        ours = polygon_weights(cells, queen=queen).toarray()
        theirs = libpysal.weights.lat2W(6, 7, rook=not queen).full()[0]
        np.testing.assert_array_equal(ours, theirs)
