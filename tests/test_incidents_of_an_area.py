"""One meaning of "the incidents of an area": counted, placed incidents whose point lies in its outline,
found through the area stored with each incident, which stays true when areas and places change."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.db.models import Q

from lofte.incidents import importer
from lofte.incidents.models import ImportRun, Incident
from lofte.incidents.situation import Filters, incidents_in, latest_day, types_in
from lofte.ingest.common import SUMMARY
from lofte.places.models import Area, Place

from .base import BaseTestCase, square
from .test_situation import record

STOCKHOLM = ZoneInfo("Europe/Stockholm")
YEAR = Filters(start=date(2016, 1, 1), end=date(2016, 12, 31))


def crimes(**where):
    return Incident.objects.filter(nature="crime", **where)


def load(records):
    run = ImportRun.objects.create(source="test", format="test", file_name="test", file_sha256="t")
    importer.load(records, run)


class IncidentsOfAnAreaTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Biskopsgården is the square 11.88..11.89 E, 57.72..57.73 N; points inside and just east of it.
        when = datetime(2016, 6, 10, 20, tzinfo=STOCKHOLM)
        load(
            [record(i, when, kind="Skadegörelse", lon=11.885, lat=57.725) for i in range(10)]
            + [record(10 + i, when, kind="Rån", lon=11.895, lat=57.725) for i in range(4)]
            + [record(20, datetime(2016, 8, 1, tzinfo=STOCKHOLM), kind="Sammanfattning natt", nature=SUMMARY)]
        )

    def names(self, area):
        return sorted(incidents_in(area, YEAR)["type"].tolist())

    def test_it_finds_the_incidents_of_an_area_made_after_they_were_imported(self):
        later = Area.objects.create(name="Öster", code="oster", polygon=square(11.892, 57.72, size=0.01))
        self.assertEqual(self.names(later), ["Rån"] * 4)
        self.assertEqual(types_in(later), ["Rån"])
        self.assertEqual(latest_day(later), date(2016, 6, 10))
        self.assertEqual(crimes(area=later).count(), 4)

    def test_it_counts_the_incidents_of_smaller_areas_inside_a_larger_one(self):
        district = Area.objects.create(name="Västra Hisingen", code="vh", polygon=square(11.87, 57.71, size=0.04))
        self.assertEqual(len(self.names(district)), 14)
        self.assertEqual(types_in(district), ["Rån", "Skadegörelse"])
        self.assertEqual(crimes(area=self.area).count(), 10)  # the smaller area keeps its own

    def test_it_tests_the_points_of_an_area_that_only_partly_overlaps(self):
        # Covers the eastern half of Biskopsgården: the vandalism at 11.885 is inside, so are the robberies.
        overlap = Area.objects.create(name="Mitten", code="mitten", polygon=square(11.884, 57.72, size=0.02))
        self.assertEqual(self.names(overlap), ["Rån"] * 4 + ["Skadegörelse"] * 10)
        narrower = Area.objects.create(name="Smal", code="smal", polygon=square(11.886, 57.72, size=0.02))
        self.assertEqual(self.names(narrower), ["Rån"] * 4)  # not the vandalism at 11.885

    def test_it_moves_incidents_when_an_outline_moves_or_goes(self):
        self.area.polygon = square(11.80, 57.72)
        self.area.save()
        self.assertEqual(self.names(self.area), [])
        self.assertFalse(Incident.objects.filter(area=self.area).exists())
        district = Area.objects.create(name="Västra Hisingen", code="vh", polygon=square(11.87, 57.71, size=0.04))
        east = Area.objects.create(name="Öster", code="oster", polygon=square(11.892, 57.72, size=0.01))
        self.assertEqual((crimes(area=district).count(), crimes(area=east).count()), (10, 4))
        east.delete()
        self.assertEqual(crimes(area=district).count(), 14)

    def test_it_finds_the_place_of_incidents_when_a_place_is_added_moved_or_removed(self):
        east = Area.objects.create(name="Öster", code="oster", polygon=square(11.892, 57.72, size=0.01))
        kiosk = Place.objects.create(area=east, name="Kiosken", lon=11.895, lat=57.725, radius_m=50)
        self.assertEqual(crimes(place=kiosk).count(), 4)
        kiosk.lon = 11.899
        kiosk.save()
        self.assertEqual(crimes(place=kiosk).count(), 0)
        kiosk.lon = 11.895
        kiosk.save()
        kiosk.delete()
        self.assertEqual(crimes(area=east, place=None).count(), 4)

    def test_the_command_locates_incidents_changed_by_other_means(self):
        Incident.objects.update(area=None, place=None)
        out = StringIO()
        call_command("locate-incidents", "--area", "bisk", stdout=out)
        self.assertIn("11 incidents moved", out.getvalue())  # the summary at the square too (never counted)
        self.assertEqual(crimes(area=self.area, place=self.place).count(), 10)

    def test_a_district_beside_another_reads_none_of_its_neighbours_rows(self):
        """Touching districts (a city's tiling) share only their boundary: no point of one lies inside
        the other, so neither reads the other's rows one by one."""
        from lofte.incidents.inside import AreaIncidents

        beside = Area.objects.create(name="Grannen", code="grannen", polygon=square(11.89, 57.72))
        for area in (self.area, beside):
            self.assertEqual(AreaIncidents.of(area).maybe, Q(pk__in=[]), area)
        found = incidents_in(beside, YEAR, columns=["type"])
        self.assertEqual(sorted(found["type"]), ["Rån"] * 4)
