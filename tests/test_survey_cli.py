"""`lofte survey estimate|compare` from files, checked against R's survey."""

import pandas as pd
import pytest

from lofte.tools import survey as survey_cli

from .r_survey import r_survey
from .test_survey_estimation import generated

pytestmark = pytest.mark.slow  # R as the oracle, in child processes: not in `make test-fast`

DESIGN = ["--weight", "w", "--strata", "stratum", "--cluster", "psu"]  # the generated files' design columns


def test_estimate_writes_the_documented_columns_and_agrees_with_r(tmp_path):
    df = generated(7)
    df.to_csv(tmp_path / "responses.csv", index=False)
    pd.DataFrame({"variable": ["sex", "sex"], "level": ["F", "M"], "population": [6600, 6400]}).to_csv(
        tmp_path / "margins.csv", index=False
    )
    out = tmp_path / "estimates.csv"
    assert (
        survey_cli.main(
            [
                "estimate",
                str(tmp_path / "responses.csv"),
                "--items",
                "unsafe,worry",
                *DESIGN,
                "--fpc",
                "N",
                "--rake",
                str(tmp_path / "margins.csv"),
                "--domain",
                "area",
                "--ci",
                "logit",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    table = pd.read_csv(out)
    assert list(table.columns) == ["item", "level", "domain", "estimate", "se", "ci_low", "ci_high", "n", "deff"]
    r = r_survey(
        """
d0 <- svydesign(id=~psu, strata=~stratum, weights=~w, fpc=~N, data=df)
d <- rake(d0, list(~sex), list(data.frame(sex=c("F","M"), Freq=c(6600,6400))), control=list(maxit=50, epsilon=1e-9))
dn <- subset(d, area == "Norr")
l <- svyciprop(~I(unsafe==1), dn, method="logit"); out("p", coef(l)); out("ci", attr(l, "ci"))
m <- svymean(~unsafe, dn); out("se", SE(m))
""",
        data=df,
        tmp_path=tmp_path,
    )
    row = table[(table["item"] == "unsafe") & (table["level"] == "1") & (table["domain"] == "Norr")].iloc[0]
    assert row["estimate"] == pytest.approx(r["p"], rel=1e-6)
    assert row["se"] == pytest.approx(r["se"], rel=1e-6)
    assert [row["ci_low"], row["ci_high"]] == pytest.approx(r["ci"], rel=1e-6)


def test_compare_reports_the_difference_and_the_minimum_detectable_difference(tmp_path, capsys):
    generated(8).to_csv(tmp_path / "base.csv", index=False)
    generated(9).to_csv(tmp_path / "follow.csv", index=False)
    out = tmp_path / "compare.csv"
    assert (
        survey_cli.main(
            [
                "compare",
                str(tmp_path / "base.csv"),
                str(tmp_path / "follow.csv"),
                "--items",
                "unsafe",
                *DESIGN,
                "--out",
                str(out),
            ]
        )
        == 0
    )
    table = pd.read_csv(out)
    assert list(table.columns)[:10] == [
        "item",
        "level",
        "base",
        "follow",
        "diff",
        "se",
        "ci_low",
        "ci_high",
        "p",
        "mdd",
    ]
    row = table[table["level"] == "1"].iloc[0]
    assert row["diff"] == pytest.approx(row["follow"] - row["base"])
    assert row["mdd"] == pytest.approx((1.959964 + 0.841621) * row["se"], rel=1e-5)
    assert row["verdict"] in ("no measurable change", "increase", "decrease")
    assert "comparisons" in capsys.readouterr().out


def test_it_names_file_line_and_column_of_bad_input(tmp_path, capsys):
    (tmp_path / "r.csv").write_text("unsafe,w\n1,10\n0,ten\n")
    assert (
        survey_cli.main(
            [
                "estimate",
                str(tmp_path / "r.csv"),
                "--items",
                "unsafe",
                "--weight",
                "w",
                "--out",
                str(tmp_path / "o.csv"),
            ]
        )
        == 2
    )
    assert "r.csv: line 3: column w: not a number: 'ten'" in capsys.readouterr().err
    assert (
        survey_cli.main(["estimate", str(tmp_path / "r.csv"), "--items", "safety", "--out", str(tmp_path / "o.csv")])
        == 2
    )
    assert "no column 'safety'" in capsys.readouterr().err


def test_it_leaves_estimates_from_few_answers_blank_for_publication(tmp_path, capsys):
    df = generated(11)
    df.to_csv(tmp_path / "responses.csv", index=False)
    out = tmp_path / "estimates.csv"
    counts = df["area"].value_counts()
    minimum = int(counts.min()) + 1  # the smallest area falls below it, the whole population does not
    assert (
        survey_cli.main(
            [
                "estimate",
                str(tmp_path / "responses.csv"),
                "--items",
                "unsafe",
                "--weight",
                "w",
                "--domain",
                "area",
                "--min-n",
                str(minimum),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    table = pd.read_csv(out)
    small = table[table["domain"] == counts.idxmin()]
    assert small["estimate"].isna().all() and small["ci_low"].isna().all()
    assert (small["n"] < minimum).all()
    assert table[table["domain"] == "all"]["estimate"].notna().all()
    assert "left blank" in capsys.readouterr().out
