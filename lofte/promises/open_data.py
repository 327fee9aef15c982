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

from django.utils import timezone

from lofte.core import spreadsheet
from lofte.incidents.disclosure import Disclosure
from lofte.incidents.picture import picture
from lofte.incidents.situation import Filters

from .follow_up import follow_up
from .outcomes import cached_compare


def _csv(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(spreadsheet.row([("" if v is None else v) for v in row]))
    return out.getvalue()


def open_data_zip(promise, today=None) -> bytes:
    today = today or timezone.localdate()
    found = follow_up(promise, today)
    files = {}
    commitments = [["position", "commitment", "kind", "metric", "target", "actual", "status", "due", "done"]]
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
    if end >= promise.period_start:
        found_picture = picture(promise.area, Filters(promise.period_start, end))
        counts = shown.count_table(found_picture.situation)
        files["incidents_by_type_and_month.csv"] = _csv(counts.csv_rows(found_picture.situation.months))
        files["incidents_in_squares.geojson"] = json.dumps(shown.squares(found_picture.squares), ensure_ascii=False)
    comparison = cached_compare(promise, today)
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
