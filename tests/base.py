"""Personas built once per test class: an owner, an officer, an outsider officer, the public."""

from datetime import date

from django.contrib.auth.models import User
from django.test import TestCase

from lofte.accounts.models import Membership, Organisation, Role
from lofte.activities.models import Unit
from lofte.observations.categories import seed
from lofte.observations.models import Category
from lofte.places.models import Area, Place
from lofte.promises.models import Commitment, Promise


def square(lon, lat, size=0.01):
    return {
        "type": "Polygon",
        "coordinates": [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]],
    }


def member(username, organisation, role, **extra):
    user = User.objects.create_user(username, password="password", **extra)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


class BaseTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.area = Area.objects.create(name="Biskopsgården", code="bisk", polygon=square(11.88, 57.72))
        cls.other_area = Area.objects.create(name="Hjällbo", code="hjallbo", polygon=square(12.02, 57.77))
        cls.place = Place.objects.create(area=cls.area, name="Vårväderstorget", lon=11.885, lat=57.725, radius_m=75)
        cls.other_place = Place.objects.create(
            area=cls.other_area, name="Hjällbotorget", lon=12.025, lat=57.775, radius_m=75
        )
        cls.police = Organisation.objects.create(name="LPO Hisingen", kind="police")
        cls.police.areas.add(cls.area)
        cls.municipality = Organisation.objects.create(name="SDF Västra Hisingen", kind="municipality")
        cls.municipality.areas.add(cls.area)
        cls.other_police = Organisation.objects.create(name="LPO Nordost", kind="police")
        cls.other_police.areas.add(cls.other_area)
        cls.unit = Unit.objects.create(organisation=cls.police, call_sign="Hisingen 1130")
        Unit.objects.create(organisation=cls.other_police, call_sign="Nordost 2210")

        cls.owner = member("owner", cls.police, Role.OWNER, is_staff=True)
        cls.coordinator = member("coordinator", cls.municipality, Role.OWNER, is_staff=True)
        cls.officer = member("officer", cls.police, Role.OFFICER)
        cls.outsider = member("outsider", cls.other_police, Role.OFFICER)
        cls.analyst = member("analyst", cls.police, Role.ANALYST)

        cls.promise = cls.make_promise("published-promise", Promise.Status.PUBLISHED)
        cls.draft = cls.make_promise("draft-promise", Promise.Status.DRAFT)
        cls.patrol_commitment = Commitment.objects.create(
            promise=cls.promise,
            position=1,
            text="Patrullera torgen minst 2,5 gånger per dag",
            text_en="Patrol the squares at least 2.5 times a day",
            metric="patrol_visits_per_day",
            target_value=2.5,
            unit="besök per dag",
            unit_en="visits a day",
        )
        cls.patrol_commitment.responsible.set([cls.police])

    @classmethod
    def make_promise(cls, slug, status):
        promise = Promise.objects.create(
            area=cls.area,
            slug=slug,
            status=status,
            title=f"Löfte {slug}",
            title_en=f"Promise {slug}",
            problem="Otrygghet på torgen",
            problem_en="Unsafe squares",
            period_start=date(2016, 3, 1),
            period_end=date(2017, 2, 28),
        )
        promise.parties.set([cls.police, cls.municipality])
        return promise


class PartnersTestCase(BaseTestCase):
    """The personas, with EST's categories and a housing company that holds the area and has a reporter
    (`housing`, `reporter`): the shared situation picture's partners (issue 25)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        seed(Category)  # a flush by a transactional test elsewhere in the run empties the migration's rows
        cls.housing = Organisation.objects.create(name="Bostadsbolaget", kind="housing")
        cls.housing.areas.add(cls.area)
        cls.reporter = member("rapportor", cls.housing, Role.REPORTER)
