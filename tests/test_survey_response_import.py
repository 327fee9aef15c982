import csv

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lofte.ingest.common import UnreadableFile
from lofte.ingest.survey_responses import read_responses
from lofte.surveys import imports
from lofte.surveys.models import Response

from .survey_base import SurveyTestCase

ITEMS = {"problem_litter": {"1", "2", "3", "4", "dk"}, "aware_promise": {"yes", "no", "dk"}}
LIME_HEADER = [
    "id",
    "submitdate",
    "lastpage",
    "startlanguage",
    "seed",
    "startdate",
    "datestamp",
    "problems[problem_litter]",
    "aware_promise",
]
LIME_MAPPING = {"values": {"A1": "1", "A2": "2", "A3": "3", "A4": "4", "A5": "dk"}, "columns": {"stratum": "omrade"}}


def write(path, header, rows, delimiter=","):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=delimiter, quoting=csv.QUOTE_ALL)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def lime_rows():
    return [
        [
            "1",
            "2016-10-03 18:22:41",
            "4",
            "sv",
            "123",
            "2016-10-03 18:10:00",
            "2016-10-03 18:22:41",
            "A3",
            "Y",
            "Norra",
        ],
        ["2", "", "2", "sv", "124", "2016-10-03 19:00:00", "2016-10-03 19:01:00", "A1", "", "Södra"],  # unfinished
        [
            "3",
            "2016-10-04 08:00:00",
            "4",
            "en",
            "125",
            "2016-10-04 07:50:00",
            "2016-10-04 08:00:00",
            "A9",
            "N",
            "Norra",
        ],
        [
            "4",
            "2016-10-05 12:00:00",
            "4",
            "sv",
            "126",
            "2016-10-05 11:50:00",
            "2016-10-05 12:00:00",
            "A5",
            "N",
            "Södra",
        ],
    ]


def lime_mapping():
    return {**LIME_MAPPING, "values": {**LIME_MAPPING["values"], "aware_promise": {"Y": "yes", "N": "no"}}}


def test_it_reads_a_limesurvey_export(tmp_path):
    path = write(tmp_path / "results-survey123.csv", LIME_HEADER + ["omrade"], lime_rows())
    parsed = read_responses(path, fmt="limesurvey", items=ITEMS, mapping=lime_mapping())
    assert [(r.external_id, str(r.submitted_on), r.answers, r.stratum, r.language) for r in parsed.records] == [
        ("1", "2016-10-03", {"problem_litter": "3", "aware_promise": "yes"}, "Norra", "sv"),
        ("4", "2016-10-05", {"problem_litter": "dk", "aware_promise": "no"}, "Södra", "sv"),
    ]
    assert [(r.position, r.field, r.reason[:25]) for r in parsed.rejects] == [
        (3, "submitdate", "not submitted (an unfinis"),
        (4, "problems[problem_litter]", "unknown answer 'A9' for p"),
    ]
    assert "results-survey123.csv: line 4: problems[problem_litter]" in str(parsed.rejects[1])


def test_it_reads_a_kobo_export_with_groups_and_semicolons(tmp_path):
    header = [
        "start",
        "end",
        "problems/problem_litter",
        "trust/aware_promise",
        "_id",
        "_uuid",
        "_submission_time",
        "_index",
    ]
    rows = [
        [
            "2025-06-01T10:00:00.000+02:00",
            "2025-06-01T10:09:00.000+02:00",
            "2",
            "yes",
            "91",
            "2b1c-44",
            "2025-06-01T08:09:13",
            "1",
        ],
        [
            "2025-06-02T10:00:00.000+02:00",
            "2025-06-02T10:09:00.000+02:00",
            "",
            "no",
            "92",
            "7f0e-11",
            "2025-06-02T08:10:00",
            "2",
        ],
    ]
    path = write(tmp_path / "kobo.csv", header, rows, delimiter=";")
    parsed = read_responses(path, fmt="kobo", items=ITEMS)
    assert [(r.external_id, str(r.submitted_on), r.answers) for r in parsed.records] == [
        ("2b1c-44", "2025-06-01", {"problem_litter": "2", "aware_promise": "yes"}),
        ("7f0e-11", "2025-06-02", {"aware_promise": "no"}),
    ]
    assert parsed.rejects == []


def test_it_needs_a_mapping_for_a_generic_csv(tmp_path):
    path = write(tmp_path / "svar.csv", ["Svar", "Datum", "Skräp"], [["a1", "2016-10-01", "4"]])
    with pytest.raises(UnreadableFile, match="needs a mapping"):
        read_responses(path, fmt="csv", items=ITEMS)
    parsed = read_responses(
        path, fmt="csv", items=ITEMS, mapping={"columns": {"id": "Svar", "date": "Datum", "problem_litter": "Skräp"}}
    )
    assert [(r.external_id, r.answers) for r in parsed.records] == [("a1", {"problem_litter": "4"})]
    with pytest.raises(UnreadableFile, match="column 'Nej' for item 'aware_promise'"):
        read_responses(
            path, fmt="csv", items=ITEMS, mapping={"columns": {"id": "Svar", "date": "Datum", "aware_promise": "Nej"}}
        )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_it_never_crashes_on_arbitrary_bytes(tmp_path, data):
    path = tmp_path / "fuzz.csv"
    path.write_bytes(b'"id","submitdate","aware_promise"\n' + data)
    try:
        parsed = read_responses(path, fmt="limesurvey", items=ITEMS)
    except UnreadableFile:
        return
    for record in parsed.records:
        assert set(record.answers) <= set(ITEMS)
        assert all(v in ITEMS[k] for k, v in record.answers.items())


class ImportTests(SurveyTestCase):
    def test_it_imports_idempotently_and_updates_changed_responses(self):
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as folder:
            path = write(Path(folder) / "lime.csv", LIME_HEADER + ["omrade"], lime_rows())
            first = imports.run(self.wave, str(path), fmt="limesurvey", mapping=lime_mapping())
            assert first.summary() == "imported 2, unchanged 0, updated 0, rejected 2"
            again = imports.run(self.wave, str(path), fmt="limesurvey", mapping=lime_mapping())
            assert again.summary() == "imported 0, unchanged 2, updated 0, rejected 2"
            rows = lime_rows()
            rows[0][7] = "A4"
            write(path, LIME_HEADER + ["omrade"], rows)
            changed = imports.run(self.wave, str(path), fmt="limesurvey", mapping=lime_mapping())
            assert changed.summary() == "imported 0, unchanged 1, updated 1, rejected 2"
        assert Response.objects.count() == 2
        assert Response.objects.get(external_id="1").answers == {"problem_litter": "4", "aware_promise": "yes"}

    def test_it_leaves_stored_responses_alone_when_a_file_cannot_be_read(self):
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as folder:
            path = write(Path(folder) / "lime.csv", LIME_HEADER + ["omrade"], lime_rows())
            imports.run(self.wave, str(path), fmt="limesurvey", mapping=lime_mapping())
            Path(path).write_bytes(b"\xff\xfe not text")
            with pytest.raises(UnreadableFile, match="not UTF-8"):
                imports.run(self.wave, str(path), fmt="limesurvey", mapping=lime_mapping())
        assert Response.objects.count() == 2
