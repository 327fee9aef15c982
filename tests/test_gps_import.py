"""GPS pings in, patrol visits out: idempotent, with rejects by line."""

from datetime import UTC, datetime, timedelta

from django.core.management import call_command

from lofte.activities import gps
from lofte.activities.models import Patrol

from .base import BaseTestCase

# Vårväderstorget in the test area is at 11.885, 57.725 with a 75 m radius.
AT, AWAY = ("57.72500", "11.88500"), ("57.72800", "11.88900")


def ping_lines(start, minutes, where, unit="Hisingen 1130", every=30):
    lat, lon = where
    return [
        f"{unit},{(start + timedelta(seconds=s)).isoformat()},{lat},{lon}" for s in range(0, minutes * 60 + 1, every)
    ]


class GpsImportTests(BaseTestCase):
    def write(self, tmp, lines):
        path = tmp / "pings.csv"
        path.write_text("unit,time,lat,lon\n" + "\n".join(lines) + "\n")
        return path

    def test_it_makes_visits_and_reports_bad_lines(self):
        import tempfile
        from pathlib import Path

        tmp = Path(tempfile.mkdtemp())
        start = datetime(2016, 5, 1, 18, 0, tzinfo=UTC)
        lines = ping_lines(start, 12, AT) + ping_lines(start + timedelta(minutes=13), 5, AWAY)
        lines += ping_lines(start + timedelta(hours=2), 14, AT)
        lines.insert(3, "Hisingen 1130,,57.725,11.885")  # no time
        lines.insert(5, "Hisingen 1130,2016-05-01T18:01:00+00:00,95.0,11.885")  # impossible latitude
        lines.insert(7, "Okänd 9999,2016-05-01T18:01:00+00:00,57.725,11.885")  # unknown unit
        lines.insert(9, "")  # a blank line is skipped, not rejected
        path = self.write(tmp, lines)
        result = gps.run(path)
        self.assertEqual((result.new, result.updated, result.unchanged), (2, 0, 0))
        self.assertEqual([(r.position, r.field) for r in result.rejects], [(5, "time"), (7, "lat"), (9, "unit")])
        visits = Patrol.objects.order_by("start")
        self.assertEqual([round(v.minutes) for v in visits], [12, 14])
        self.assertEqual({v.source for v in visits}, {"gps"})
        self.assertEqual(visits[0].unit, self.unit)
        again = gps.run(path)
        self.assertEqual((again.new, again.updated, again.unchanged), (0, 0, 2))

    def test_it_reads_a_semicolon_file_with_decimal_commas_and_a_byte_order_mark(self):
        """What a Swedish spreadsheet saves: `;` between fields, `,` in numbers (issue 24)."""
        import tempfile
        from pathlib import Path

        start = datetime(2016, 5, 1, 18, 0, tzinfo=UTC)
        lines = [line.replace(",", ";").replace(".", ",") for line in ping_lines(start, 12, AT)]
        path = Path(tempfile.mkdtemp()) / "pings.csv"
        path.write_text("\ufeffunit;time;lat;lon\r\n" + "\r\n".join(lines) + "\r\n", encoding="utf-8")
        result = gps.run(path)
        self.assertEqual((result.new, result.rejects), (1, []))
        self.assertEqual(round(Patrol.objects.get().minutes), 12)

    def test_a_longer_track_updates_the_visit(self):
        import tempfile
        from pathlib import Path

        tmp = Path(tempfile.mkdtemp())
        start = datetime(2016, 5, 1, 18, 0, tzinfo=UTC)
        gps.run(self.write(tmp, ping_lines(start, 8, AT)))
        result = gps.run(self.write(tmp, ping_lines(start, 15, AT)))
        self.assertEqual((result.new, result.updated), (0, 1))
        self.assertEqual(round(Patrol.objects.get().minutes), 15)

    def test_it_reads_gpx_tracks_named_by_unit(self):
        import tempfile
        from pathlib import Path

        tmp = Path(tempfile.mkdtemp())
        start = datetime(2016, 5, 1, 18, 0, tzinfo=UTC)
        points = "\n".join(
            f'<trkpt lat="57.725" lon="11.885"><time>{start + timedelta(seconds=s):%Y-%m-%dT%H:%M:%SZ}</time></trkpt>'
            for s in range(0, 11 * 60, 30)
        )
        (tmp / "track.gpx").write_text(
            '<?xml version="1.0"?>\n<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">\n'
            f'<trk><name>Hisingen 1130</name><trkseg>\n{points}\n<trkpt lat="x" lon="11.8"/>\n</trkseg></trk></gpx>\n'
        )
        result = gps.run(tmp / "track.gpx")
        self.assertEqual(result.new, 1)
        self.assertEqual([r.field for r in result.rejects], ["trkpt"])
        self.assertEqual(round(Patrol.objects.get().minutes), 10)

    def test_the_command_writes_rejects_and_a_summary(self):
        import io
        import tempfile
        from pathlib import Path

        tmp = Path(tempfile.mkdtemp())
        start = datetime(2016, 5, 1, 18, 0, tzinfo=UTC)
        path = self.write(tmp, ping_lines(start, 12, AT) + ["Hisingen 1130,yesterday,57.7,11.8"])
        out = io.StringIO()
        call_command("import-gps", str(path), stdout=out)
        self.assertIn("visits new 1", out.getvalue())
        self.assertIn("time,not a time", (tmp / "pings.csv.rejects.csv").read_text())

    def test_it_stores_nothing_when_the_rejects_cannot_be_written(self):
        import tempfile
        from pathlib import Path

        from django.core.management.base import CommandError

        tmp = Path(tempfile.mkdtemp())
        start = datetime(2016, 5, 1, 18, 0, tzinfo=UTC)
        path = self.write(tmp, ping_lines(start, 12, AT) + ["Hisingen 1130,yesterday,57.7,11.8"])
        nowhere = tmp / "no-such-folder" / "rejects.csv"
        with self.assertRaisesMessage(CommandError, f"{nowhere}: cannot write the rejects"):
            call_command("import-gps", str(path), "--rejects", str(nowhere))
        self.assertFalse(Patrol.objects.exists())
