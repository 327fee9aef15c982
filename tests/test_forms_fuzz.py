"""Property-based tests of every form people post: any text in any field gives the page again with
the problems named, or a stored record, never a server error and never a half-stored record."""

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from lofte.accounts.models import Organisation, Role
from lofte.activities.models import Patrol, Seizure
from lofte.cases.models import CaseEvent, SupportCase

from .base import BaseTestCase, member

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
# Text that forms meet: empty, numbers out of range, dates of every shape, markup, very long.
value = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "0", "-1", "1e309", "nan", "9999-12-31", "0001-01-01", "2016-02-30", "<b>", "a" * 3000]),
    st.integers(-(2**63), 2**63).map(str),
    st.dates().map(str),
)


def fields(*names):
    return st.fixed_dictionaries({}, optional={name: value for name in names})


class FormFuzzTests(HypothesisTestCase, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.social = Organisation.objects.create(name="Socialtjänsten", kind="social_services")
        cls.worker = member("worker", cls.social, Role.CASE_WORKER)
        cls.case = SupportCase.objects.create(
            organisation=cls.social, pseudonym="Deltagare 01", started_on=date(2016, 6, 1)
        )

    @FUZZ
    @given(fields("place", "unit", "note"), value)
    def test_starting_and_ending_a_patrol_on_the_phone(self, data, note):
        self.client.force_login(self.officer)
        before = Patrol.objects.count()
        response = self.client.post("/en/patrull/start/", data)
        self.assertLess(response.status_code, 500)
        if response.status_code != 302:
            self.assertEqual(Patrol.objects.count(), before)
        self.assertLess(self.client.post("/en/patrull/slut/", {"note": note}).status_code, 500)

    @FUZZ
    @given(fields("place", "date", "category", "kind", "quantity", "unit", "automatic", "note"))
    def test_logging_a_seizure_on_the_phone(self, data):
        self.client.force_login(self.officer)
        before = Seizure.objects.count()
        response = self.client.post("/en/patrull/beslag/", {f"seizure-{k}": v for k, v in data.items()})
        self.assertIn(response.status_code, (302, 400))
        self.assertEqual(Seizure.objects.count(), before + (response.status_code == 302))

    @FUZZ
    @given(fields("organisation", "pseudonym", "started_on", "status", "identifier"))
    def test_opening_a_support_case(self, data):
        self.client.force_login(self.worker)
        before = SupportCase.objects.count()
        response = self.client.post("/en/arenden/nytt/", data)
        self.assertLess(response.status_code, 500)
        self.assertEqual(SupportCase.objects.count(), before + (response.status_code == 302))

    @FUZZ
    @given(fields("date", "kind", "contact_kind", "status", "note"))
    def test_adding_an_event_to_a_case(self, data):
        self.client.force_login(self.worker)
        before = CaseEvent.objects.count()
        response = self.client.post(f"/en/arenden/{self.case.pk}/", data)
        self.assertLess(response.status_code, 500)
        self.assertEqual(CaseEvent.objects.count(), before + (response.status_code == 302))

    @FUZZ
    @given(fields("start", "end", "type", "cell", "bandwidth"))
    def test_filtering_the_situation_picture(self, data):
        for user in (self.owner, self.analyst):
            self.client.force_login(user)
            self.assertLess(self.client.get("/en/lagesbild/bisk/", data).status_code, 500)
            self.assertLess(self.client.get("/en/lagesbild/bisk/export.csv", data).status_code, 500)

    @FUZZ
    @given(fields("code"))
    def test_a_resident_typing_a_survey_code(self, data):
        self.assertLess(self.client.post("/en/enkat/", data).status_code, 500)

    @FUZZ
    @given(
        st.one_of(
            st.binary(max_size=600),
            st.sampled_from([b"{", b"SQLite format 3\x00", b"PK\x03\x04", b"<OGRVRTDataSource>"]).flatmap(
                lambda head: st.binary(max_size=300).map(lambda tail: head + tail)
            ),
        ),
        st.sampled_from(["omrade.gpkg", "omrade.zip", "omrade.geojson", "omrade.shp", "omrade"]),
        fields("area_crs", "area_feature"),
    )
    def test_uploading_any_bytes_as_an_area_outline(self, content, name, extra):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from lofte.places.models import Area

        self.client.force_login(self.coordinator)
        data = {"slug": "fuzz", "title": "T", "problem": "P", "period_start": "2018-01-01",
                "period_end": "2018-12-31", "organisation": self.municipality.pk, "area_name": "F",
                "area_code": "fuzz"} | extra  # fmt: skip
        response = self.client.post(
            "/en/personal/loften/nytt/", data | {"area_file": SimpleUploadedFile(name, content)}
        )
        self.assertLess(response.status_code, 500)
        self.assertEqual(Area.objects.filter(code="fuzz").exists(), response.status_code == 302)

    @FUZZ
    @given(fields("answer"))
    def test_answering_an_invitation_to_be_a_party(self, data):
        from lofte.promises.models import PartyInvitation

        invitation, _ = PartyInvitation.objects.get_or_create(promise=self.draft, organisation=self.other_police)
        self.client.force_login(self.outsider)  # an officer of the invited organisation: not theirs to answer
        self.assertEqual(self.client.post(f"/en/personal/inbjudningar/{invitation.pk}/", data).status_code, 404)
        self.client.force_login(self.owner)  # nor the inviting side's
        self.assertEqual(self.client.post(f"/en/personal/inbjudningar/{invitation.pk}/", data).status_code, 404)
