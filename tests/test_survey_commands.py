import csv
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from lofte.surveys.models import Invitation, Response, Wave

from .survey_base import SurveyTestCase, write_frame


class CommandTests(SurveyTestCase):
    anonymous = False

    @pytest.fixture(autouse=True)
    def folder(self, tmp_path):
        self.tmp = tmp_path

    def run_command(self, *args):
        out = StringIO()
        call_command(*args, stdout=out)
        return out.getvalue()

    def test_it_draws_a_sample_and_reports_rejected_frame_rows(self):
        wave = Wave.objects.create(
            survey=self.survey,
            kind="follow_up",
            label="hösten 2017",
            opens_on=date(2017, 9, 1),
            closes_on=date(2017, 10, 31),
        )
        frame = write_frame(self.tmp / "frame.csv", people=300)
        with open(frame, "a", encoding="utf-8") as handle:
            handle.write("P99999,femtio,K,Norra,Gata 1\n")
        out = self.run_command(
            "survey-sample", "trygghet", "hösten 2017", "--frame", str(frame), "--size", "50", "--seed", "2017"
        )
        # Everyone from 16 is in scope, 85 and older included; the frame's children are not.
        assert (
            "invited 50 of 275 people in scope (25 outside the age groups); Norra: 25 of 138, Södra: 25 of 137" in out
        )
        assert "1 frame rows rejected" in out
        with open(f"{frame}.rejects.csv", encoding="utf-8") as handle:
            rejects = list(csv.reader(handle))
        assert rejects[1][2:] == ["302", "age", "not a whole number: 'femtio'"]
        assert wave.invitations.count() == 50
        with pytest.raises(CommandError, match="already has a sample"):
            self.run_command(
                "survey-sample", "trygghet", "hösten 2017", "--frame", str(frame), "--size", "50", "--seed", "1"
            )
        with pytest.raises(CommandError, match="no wave 'våren 2030'"):
            self.run_command(
                "survey-sample", "trygghet", "våren 2030", "--frame", str(frame), "--size", "5", "--seed", "1"
            )

    def test_it_prints_reminders_and_notes_the_day(self):
        Invitation.objects.filter(number__lte=30).update(used=True)
        out = self.run_command(
            "survey-letters", "trygghet", "hösten 2014", "--out", str(self.tmp / "r.pdf"), "--reminders"
        )
        assert out.strip().endswith(f"10 letters written to {self.tmp / 'r.pdf'}")
        assert (self.tmp / "r.pdf").read_bytes().startswith(b"%PDF")
        assert Invitation.objects.filter(reminded_on__isnull=False).count() == 10

    def test_it_notes_reminders_printed_from_the_page_too(self):
        Invitation.objects.filter(number__lte=35).update(used=True)
        self.client.force_login(self.owner)
        response = self.client.get(reverse("survey-letters", args=["trygghet", self.wave.pk]) + "?kind=remind")
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        assert Invitation.objects.filter(reminded_on__isnull=False).count() == 5

    def test_it_refuses_to_print_codes_after_the_secret_key_changed(self):
        with self.settings(SECRET_KEY="another-key"), pytest.raises(Exception, match="LOFTE_SECRET_KEY"):
            self.run_command("survey-letters", "trygghet", "hösten 2014", "--out", str(self.tmp / "x.pdf"))

    def test_it_imports_responses_and_writes_rejects(self):
        path = self.tmp / "kobo.csv"
        path.write_text(
            "problems/problem_litter;_uuid;_submission_time\n2;a-1;2014-10-01T10:00:00\n7;a-2;2014-10-02T10:00:00\n",
            encoding="utf-8",
        )
        out = self.run_command("survey-import-responses", "trygghet", "hösten 2014", str(path), "--format", "kobo")
        assert "imported 1, unchanged 0, updated 0, rejected 1" in out
        assert Response.objects.get().answers == {"problem_litter": "2"}
        with pytest.raises(CommandError, match="no column '_uuid'"):
            (self.tmp / "bad.csv").write_text("a,b\n1,2\n", encoding="utf-8")
            self.run_command(
                "survey-import-responses", "trygghet", "hösten 2014", str(self.tmp / "bad.csv"), "--format", "kobo"
            )

    def test_it_erases_addresses(self):
        assert "40 addresses erased" in self.run_command("survey-purge-addresses", "trygghet", "hösten 2014")
        assert not Invitation.objects.exclude(address="").exists()


class PageTests(SurveyTestCase):
    def test_it_lists_surveys_for_members_only(self):
        self.client.force_login(self.officer)
        self.assertContains(self.client.get(reverse("surveys")), "Trygghetsmätning trygghet")
        page = self.client.get(reverse("survey", args=["trygghet"]))
        self.assertContains(page, "hösten 2014")
        self.assertNotContains(page, "brev.pdf")  # officers do not print letters
        self.client.force_login(self.outsider)
        self.assertNotContains(self.client.get(reverse("surveys")), "Trygghetsmätning trygghet")
        assert self.client.get(reverse("survey", args=["trygghet"])).status_code == 404

    def test_it_offers_letters_to_owners(self):
        self.client.force_login(self.owner)
        page = self.client.get(reverse("survey", args=["trygghet"]))
        self.assertContains(page, "brev.pdf")
        self.assertNotContains(page, "kind=remind")  # anonymous survey: no reminders

    def test_it_requires_login_for_survey_administration(self):
        response = self.client.get(reverse("survey", args=["trygghet"]))
        assert response.status_code == 302 and "/login/" in response["Location"]


class UploadTests(SurveyTestCase):
    def setUp(self):
        super().setUp()
        self.follow = Wave.objects.create(
            survey=self.survey,
            kind="follow_up",
            label="hösten 2017",
            opens_on=date(2017, 9, 1),
            closes_on=date(2017, 10, 31),
        )

    def frame_upload(self, tmp_rows=200):
        import tempfile
        from pathlib import Path

        from django.core.files.uploadedfile import SimpleUploadedFile

        with tempfile.TemporaryDirectory() as folder:
            content = write_frame(Path(folder) / "f.csv", people=tmp_rows).read_bytes()
        return SimpleUploadedFile("register.csv", content + b"P99999,x,K,Norra,Gata\n", content_type="text/csv")

    def test_an_owner_draws_a_sample_from_an_uploaded_frame(self):
        self.client.force_login(self.owner)
        response = self.client.post(
            reverse("survey-sample", args=["trygghet"]),
            {"wave": self.follow.pk, "frame": self.frame_upload(), "size": 30, "allocation": "proportional", "seed": 7},
            follow=True,
        )
        assert self.follow.invitations.count() == 30
        self.assertContains(response, "30 personer bjöds in till hösten 2017")
        self.assertContains(response, "1 rad avvisades: line 202: age: not a whole number")

    def test_officers_may_not_draw_samples_and_outsiders_do_not_see_the_survey(self):
        url = reverse("survey-sample", args=["trygghet"])
        data = {"wave": self.follow.pk, "size": 30, "allocation": "proportional", "seed": 7}
        self.client.force_login(self.officer)
        assert self.client.post(url, {**data, "frame": self.frame_upload()}).status_code == 403
        self.client.force_login(self.outsider)
        assert self.client.post(url, {**data, "frame": self.frame_upload()}).status_code == 404
        assert not self.follow.invitations.exists()

    def test_an_analyst_imports_a_kobo_export_and_sees_the_rejects(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile(
            "kobo.csv",
            b"problems/problem_litter;_uuid;_submission_time\n2;a-1;2017-10-01T10:00:00\n9;a-2;2017-10-02T10:00:00\n",
        )
        self.client.force_login(self.analyst)
        response = self.client.post(
            reverse("survey-import", args=["trygghet"]),
            {"wave": self.follow.pk, "file": upload, "format": "kobo"},
            follow=True,
        )
        # In the page's language (issue 24: the summary was English on Swedish pages).
        self.assertContains(response, "kobo.csv: 1 importerade, 0 oförändrade, 0 uppdaterade, 1 avvisade")
        self.assertContains(response, "line 3: problems/problem_litter: unknown answer")
        assert Response.objects.filter(wave=self.follow).count() == 1
