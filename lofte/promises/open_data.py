"""A promise's open data: one zip of CSV and GeoJSON files anyone may take (`/loften/<slug>/oppna-data.zip`).

Everything is aggregated: the commitments' progress, the outputs, the area's incidents by type and
month in the promise's period (small counts and the counts that would give them back hidden), counts
in 250 m squares (likewise), and the outcome comparison's monthly numbers when none is small. No
incident points: the public sees squares.
"""

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date

from django.utils import timezone

from lofte.core import spreadsheet
from lofte.incidents.disclosure import Disclosure
from lofte.incidents.picture import picture
from lofte.incidents.situation import Filters, situation
from lofte.promises.models import Promise
from lofte.promises.outcomes import OutcomeComparison

from .follow_up import follow_up
from .outcomes import cached_compare


def _csv(rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(spreadsheet.row([("" if v is None else v) for v in row]))
    return out.getvalue()


def outcome_sums(comparison: OutcomeComparison, months: Sequence[str]) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """What the outcome comparison publishes of the area's incidents in the promise's period, as
    (types, months) sums for `Disclosure.count_table`: the monthly series and the total during."""
    if comparison.target is None:
        return []
    types = tuple(comparison.types)
    sums = [(types, tuple(months))]  # the total during the promise (the table's period is the promise's)
    if comparison.target_monthly:
        sums += [(types, (m,)) for m in months if m in comparison.months]
    return sums


def open_data_zip(promise: Promise, today: date | None = None) -> bytes:
    today = today or timezone.localdate()
    found = follow_up(promise, today)
    files = {}
    commitments: list[list[object]] = [
        ["position", "commitment", "kind", "metric", "target", "actual", "status", "due", "done"]
    ]
    for c in promise.commitments.all():
        p = found.progress[c.pk]
        commitments.append(
            [c.position, c.text, c.kind, c.metric, p.target, p.actual, p.status, c.due_date, c.done_date]
        )
    files["commitments.csv"] = _csv(commitments)
    if found.outputs is not None:
        outputs = found.outputs.to_dict()
        value = outputs.pop("street_value")
        files["outputs.csv"] = _csv([["measure", "value"], *outputs.items(), ["street_value_low_sek", value["low"]],
                                     ["street_value_high_sek", value["high"]]])  # fmt: skip
    end = min(today, promise.period_end)
    shown = Disclosure(username="public", area=promise.area, full=False)
    comparison = cached_compare(promise, today)
    if end >= promise.period_start:
        filters = Filters(promise.period_start, end)
        found_picture = picture(promise.area, filters)
        assert found_picture.squares is not None  # every part was asked for
        # Every type its own row, protected together with the outcome comparison published beside it:
        # the month totals minus the outcome's monthly counts would otherwise give the other types back.
        every_type = situation(promise.area, filters, top=10**6)
        try:
            counts = shown.count_table(every_type, published=outcome_sums(comparison, every_type.months))
        except ValueError:  # the comparison's own sums give a small count away: no table beside them
            counts = None
        if counts is not None:
            files["incidents_by_type_and_month.csv"] = _csv(counts.csv_rows(every_type.months))
        files["incidents_in_squares.geojson"] = json.dumps(shown.squares(found_picture.squares), ensure_ascii=False)
    if comparison.target_monthly:
        rows = [["month", promise.area.name, "control areas"], *zip(comparison.months, comparison.target_monthly,
                                                                    comparison.control_monthly)]  # fmt: skip
        files["outcome_monthly.csv"] = _csv(rows)
    files["outcome_comparison.json"] = json.dumps(comparison.to_dict(), ensure_ascii=False, default=str, indent=1)
    files["README.txt"] = (
        f"Löfte: open data of the promise '{promise.title}' ({promise.area.name}), made {today.isoformat()}.\n"
        "Counts below the small-count threshold are shown as '<n', and counts hidden so that a small one\n"
        "cannot be worked out from the totals as 'x'. No incident points are published.\n"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()
