"""The Arrow fast path for police.uk files gives exactly what the careful line-by-line reader gives."""

from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lofte.ingest import policeuk, policeuk_arrow
from lofte.ingest.common import Reject, UnreadableFile
from lofte.ingest.occurrences import Occurrences

from .shared_data import shared_file

HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context\r\n"
)
ROWS = [
    ",2024-09,City,City,-0.1,51.5,On or near X,E1,L1,Anti-social behaviour,,\r\n",
    ",2024-09,City,City,-0.1,51.5,On or near X,E1,L1,Anti-social behaviour,,\r\n",
    "abc,2024-09,City,City,-0.1,51.5,On or near X,E1,L1,Robbery,Under investigation,\r\n",
    "abc,2024-09,City,City,-0.1,51.5,On or near Y,E1,L1,Robbery,Under investigation,\r\n",
    "def,2024-10,City,City,,,No Location,,,Burglary,,\r\n",
    ",2024-09,,,-0.1,,On or near X,,,Robbery,,\r\n",
    ",2024-09,,,200,51.5,On or near X,,,Robbery,,\r\n",
    ",2024-09,,,-0.1,51.5,On or near X,,,,,\r\n",
    ",24-9-1,,,-0.1,51.5,On or near X,,,Robbery,,\r\n",
    'ghi,2024-10,City,"City ""of"" London",-0.11,51.51, On or near \\Z ,E2,L2,Drugs,Local resolution, \r\n',
    "jkl,2024-10,City,City,-0.12,51.52,Straße 5,E3,Ærø,Vehicle crime,,Kontext\r\n",
]
ODD = [
    "\r\n",  # a blank line
    ",,,,,,,,,,,\r\n",  # a line of empty cells
    "mno,2024-10,City,City,-0.1,51.5,X,E1,L1,Drugs\r\n",  # too few cells
    'pqr,2024-10,City,"two\nlines",-0.1,51.5,X,E1,L1,Drugs,,\r\n',  # a line break in a value
    "stu,2024-10,City,City\x07,-0.1,51.5,X,E1,L1,Drugs,,\r\n",  # a control character
    "vwx,2024-10,City,City\x1f,-0.1,51.5,X,E1,L1,Drugs,,\r\n",  # the unit separator
]


def split(items):
    """(records, rejects), each in file order: how rejects interleave with batches may differ."""
    return ([i for i in items if not isinstance(i, Reject)], [i for i in items if isinstance(i, Reject)])


def careful(path):
    """What the line-by-line reader alone gives: the fast path hands over before the first row."""
    handover = policeuk_arrow.Handover(0, Occurrences())
    with mock.patch.object(policeuk_arrow, "read", lambda *args, **kwargs: iter([handover])):
        return split(list(policeuk.read_policeuk(path)))


def fast(path):
    return split(list(policeuk.read_policeuk(path)))


def test_it_reads_regular_files_like_the_careful_reader(tmp_path):
    path = tmp_path / "street.csv"
    path.write_text(HEADER + "".join(ROWS * 3), encoding="utf-8")
    got = fast(path)
    assert got == careful(path)
    assert len(got[1]) == 12
    ids = [r.source_id for r in got[0]]
    assert "2024-09|abc#6" in ids and len(ids) == len(set(ids))


@pytest.mark.parametrize("odd", ODD)
def test_it_hands_odd_files_to_the_careful_reader(tmp_path, odd):
    path = tmp_path / "street.csv"
    path.write_text("\ufeff" + HEADER + "".join(ROWS) + odd + "".join(ROWS), encoding="utf-8")
    assert fast(path) == careful(path)


def test_it_continues_ids_when_it_hands_over_midway(tmp_path, monkeypatch):
    monkeypatch.setattr(policeuk_arrow, "BLOCK_BYTES", 1024)  # many small blocks
    path = tmp_path / "street.csv"
    path.write_text(HEADER + "".join(ROWS * 20) + ODD[2] + "".join(ROWS * 5), encoding="utf-8")
    got = fast(path)
    assert got == careful(path)
    ids = [r.source_id for r in got[0]]
    assert "2024-09|abc#50" in ids and len(ids) == len(set(ids))  # what `ids_unique` promises


@pytest.mark.parametrize("month", ["2024-09", "2024-10", "2024-11"])
def test_it_reads_the_real_city_of_london_files_like_the_careful_reader(month):
    path = shared_file("policeuk", f"{month}-city-of-london-street.csv")
    assert fast(path) == careful(path)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(ROWS + ODD), max_size=12), st.binary(max_size=60))
def test_it_agrees_on_mixed_and_mangled_files(tmp_path, rows, junk):
    path = tmp_path / "street.csv"
    path.write_bytes((HEADER + "".join(rows)).encode() + junk)
    got = outcome(fast, path)
    assert got == outcome(careful, path)
    if not isinstance(got, str):
        ids = [r.source_id for r in got[0]]
        assert len(ids) == len(set(ids))  # what the batches' `ids_unique` promises the import


def outcome(read, path):
    try:
        return read(path)
    except UnreadableFile as exc:
        return str(exc)


def test_both_readers_vouch_for_unique_ids(tmp_path, monkeypatch):
    monkeypatch.setattr(policeuk_arrow, "BLOCK_BYTES", 1024)  # Arrow blocks first, then the hand-over
    path = tmp_path / "street.csv"
    path.write_text(HEADER + "".join(ROWS * 20) + ODD[2] + "".join(ROWS * 5), encoding="utf-8")
    batches = [b for b in policeuk.read_policeuk_batches(path, source="policeuk", size=40) if not isinstance(b, Reject)]
    assert len(batches) >= 3 and all(b.ids_unique for b in batches)


@pytest.mark.parametrize(
    "damaged",
    [
        'xyz,2024-10,City,"City,-0.1,51.5,On or near X,E1,L1,Drugs,,\r\n',  # a quote that never closes
        'xyz,2024-10,City,City,-0.1,51.5,On or near X,E1,L1,Drugs,,"\r\n',  # one at the end
    ],
)
def test_a_stray_quote_costs_its_own_line_only(tmp_path, damaged):
    good = "".join(f"id{i},2024-10,City,City,-0.1,51.5,On or near X,E1,L1,Drugs,,\r\n" for i in range(20))
    lines = good.splitlines(keepends=True)
    path = tmp_path / "street.csv"
    path.write_text(HEADER + "".join(lines[:5]) + damaged + "".join(lines[5:]) + 'w,2024-10,"\r\n', encoding="utf-8")
    for read in (fast, careful):
        records, rejects = read(path)
        assert len(records) == 20
        assert [(r.position, r.field) for r in rejects] == [(7, "line"), (23, "line")]
        assert "quote" in rejects[0].reason


def test_a_quote_inside_a_cell_is_text(tmp_path):
    path = tmp_path / "street.csv"
    path.write_text(HEADER + 'xyz,2024-10,City,City,-0.1,51.5,On or near "X,E1,L1,Drugs,,\r\n', encoding="utf-8")
    for read in (fast, careful):
        records, rejects = read(path)
        assert rejects == [] and [r.place_text for r in records] == ['On or near "X']
