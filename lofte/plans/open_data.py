"""A published situation report's open data: one zip of CSV files anyone may take, the numbers the
report publishes and no others (small counts as "<5", counts that would give one back as "x"), with a
README saying where they come from and when they were extracted."""

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any

from lofte.core import spreadsheet

from .models import SituationReport


def _csv(rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(spreadsheet.row([("" if v is None else v) for v in row]))
    return out.getvalue()


def _count(cell: dict[str, Any], threshold: int) -> object:
    if cell["value"] is not None:
        return cell["value"]
    return f"<{threshold}" if cell["small"] else "x"


def _rate(rate: dict[str, Any] | None) -> list[object]:
    return [rate["per_1000"], rate["ci_low"], rate["ci_high"]] if rate else [None, None, None]


def open_data_zip(report: SituationReport) -> bytes:
    figures = report.figures or {}
    threshold = figures.get("suppressed_below", 5)
    mapping, files = figures.get("mapping") or {}, {}
    incidents = mapping.get("incidents") or {"years": [], "rows": [], "total": []}
    rows: list[list[object]] = [["type", "year", "count"]]
    for row in [*incidents["rows"], {"type": "(all types)", "years": incidents["total"]}]:
        for year, cell in zip(incidents["years"], row["years"], strict=True):
            rows.append([row["type"] if row["type"] is not None else "(other types)", year, _count(cell, threshold)])
    files["incidents_by_type_and_year.csv"] = _csv(rows)
    rates: list[list[object]] = [["what", "per_1000", "ci_low", "ci_high"]]
    rates += [[row["type"] or "(other types)", *_rate(row["per_1000"])] for row in incidents["rows"]]
    rates.append(["(all types)", *_rate(incidents.get("per_1000"))])
    rates += [[f"part: {p['area']}", *_rate(p["per_1000"])] for p in mapping.get("parts") or []]
    comparison = mapping.get("comparison")
    if comparison:
        rates.append([f"comparison: {comparison['area']}", *_rate(comparison["per_1000"])])
    files["rates_per_1000_residents.csv"] = _csv(rates)
    observed: list[list[object]] = [["category", "year_before", "year", "ratio", "ci_low", "ci_high", "verdict"]]
    for row in (mapping.get("observations") or {}).get("rows", []):
        change = row["change"] or {}
        observed.append([row["category"], row["before"] if row["before"] is not None else f"<{threshold}",
                         row["count"] if row["count"] is not None else f"<{threshold}", change.get("ratio"),
                         change.get("ci_low"), change.get("ci_high"), change.get("verdict")])  # fmt: skip
    files["observations_by_category.csv"] = _csv(observed)
    wheel = (figures.get("when_where") or {}).get("wheel")
    if wheel:
        cycles: list[list[object]] = [["cycle", "index", "count", "ratio", "ci_low", "ci_high", "marked"]]
        for key in ("month", "weekday", "hour"):
            cycle = wheel.get(key)
            if not cycle:
                continue
            labels = wheel["months_of_year"] if key == "month" else range(len(cycle["counts"]))
            for i, label in enumerate(labels):
                count = cycle["counts"][i]
                mark = "above" if i in cycle["above"] else "below" if i in cycle["below"] else ""
                cycles.append([key, int(label) + (1 if key == "month" else 0),
                               count if count is not None else f"<{threshold}",
                               cycle["ratio"][i], cycle["ci_low"][i], cycle["ci_high"][i], mark])  # fmt: skip
        files["annual_wheel.csv"] = _csv(cycles)
    measures: list[list[object]] = [[
        "measure", "problem", "cause", "responsible", "function", "starts", "ends", "cost_sek", "follow_up",
        "indicator_incident_types", "status", "promise",
    ]]  # fmt: skip
    for m in report.measures.select_related("responsible", "promise"):
        measures.append([m.title, m.problem, m.cause, m.responsible.name if m.responsible else "", m.function,
                         m.starts, m.ends, m.cost_sek, m.follow_up, "; ".join(m.incident_types), m.status,
                         m.promise.slug if m.promise else ""])  # fmt: skip
    files["action_plan.csv"] = _csv(measures)
    references: list[list[object]] = [["label", "value", "year", "source", "url", "this_report", "verdict"]]
    for ref in mapping.get("references") or []:
        references.append([ref["label"], ref["value"], ref["year"], ref["source"], ref["url"],
                           (ref["ours"] or {}).get("value"), ref["verdict"]])  # fmt: skip
    files["reference_values.csv"] = _csv(references)
    files["README.txt"] = (
        f"{report.title} ({report.municipality_name} {report.municipality_code}), {report.year}, "
        f"version {report.version}.\nDecided by {report.decided_by_body} on {report.decided_on} "
        f"({report.reference_number}).\nFigures extracted {figures.get('extracted_at')}.\n"
        f"Counts from 1 to {threshold - 1} are given as <{threshold}; a count given as x is hidden so that a small "
        "count cannot be worked out from the totals.\nSources: "
        + "; ".join(str(s.get("name")) for s in (figures.get("analysis") or {}).get("sources", []))
        + "\n"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()
