import re
from datetime import date

from django.db import connection
from django.urls import reverse
from django.utils import translation

from lofte.surveys import answering, codes
from lofte.surveys.models import Invitation, Response

from .survey_base import SurveyTestCase


class AnsweringTests(SurveyTestCase):
    def start(self, code):
        return self.client.post(reverse("survey-start"), {"code": code})

    def answer_all(self, code, answers):
        """Answer every page, giving `answers` where a page has the question."""
        response = self.start(code)
        pages = answering.sections(self.survey)
        for page, (_, items) in enumerate(pages):
            data = {item.code: answers[item.code] for item in items if item.code in answers}
            response = self.client.post(reverse("survey-page", args=[page]), data)
        return response

    def test_it_draws_the_sample_and_keeps_only_sampled_people(self):
        assert self.invited == 40 == self.wave.invitations.count()
        strata = self.wave.strata
        assert {k: v["sample"] for k, v in strata.items()} == {"Norra": 20, "Södra": 20}
        assert sum(v["population"] for v in strata.values()) == len(self.frame.people)
        assert sum(self.wave.margins["sex"].values()) == len(self.frame.people)
        assert self.frame.out_of_scope > 0  # under 16 or over 84
        # Anonymous: nothing from the register but the stratum (and the address, for the letter).
        assert not Invitation.objects.exclude(person_ref="").exists()
        assert not Invitation.objects.exclude(age_group="").exists()

    def test_it_makes_codes_of_fifty_random_bits(self):
        all_codes = {self.code(n) for n in range(1, 41)}
        assert len(all_codes) == 40
        for code in all_codes:
            assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}", code)
        assert len(codes.ALPHABET) ** codes.LENGTH >= 2**50
        assert codes.code_for(codes.new_salt(), 1) != codes.code_for(codes.new_salt(), 1)
        # Typed in lower case, with spaces, O for 0: still the same code.
        code = self.code(1)
        typed = code.lower().replace("-", " ").replace("0", "o")
        assert codes.digest(typed) == codes.digest(code) == Invitation.objects.get(number=1).digest

    def test_it_refuses_to_start_without_a_code(self):
        response = self.start("")
        assert response.status_code == 400
        self.assertContains(response, "Skriv koden från ditt brev", status_code=400)
        response = self.client.get(reverse("survey-page", args=[0]))
        assert response.status_code == 403
        assert not Response.objects.exists()

    def test_it_refuses_unknown_codes_clearly(self):
        self.assertContains(self.start("ABCDE-12345"), "Vi känner inte igen koden", status_code=400)
        self.assertContains(self.start("hello"), "tio tecken", status_code=400)

    def test_it_keeps_a_draft_and_resumes_where_the_respondent_stopped(self):
        code = self.code(2)
        self.start(code)
        self.client.post(reverse("survey-page", args=[0]), {"problem_litter": "3", "problem_vandalism": "9"})
        invitation = Invitation.objects.get(number=2)
        assert invitation.draft["answers"] == {"problem_litter": "3"}  # "9" is not an option
        self.client.logout()
        self.client.cookies.clear()
        response = self.start(code)
        self.assertRedirects(response, reverse("survey-page", args=[1]))
        page0 = self.client.get(reverse("survey-page", args=[0]))
        self.assertContains(page0, 'value="3" checked')

    def test_it_accepts_a_code_once(self):
        code = self.code(3)
        response = self.answer_all(code, {"problem_litter": "4", "unsafe_evening": "2", "age_group": "25-44"})
        self.assertRedirects(response, reverse("survey-thanks"))
        assert Response.objects.count() == 1
        self.assertContains(self.start(code), "redan använts", status_code=400)
        assert Response.objects.count() == 1

    def test_it_refuses_a_second_submission_from_another_window(self):
        code = self.code(8)
        self.start(code)
        last = len(answering.sections(self.survey)) - 1
        other = self.client_class()
        other.post(reverse("survey-start"), {"code": code})
        other.post(reverse("survey-page", args=[last]), {})
        response = self.client.post(reverse("survey-page", args=[last]), {})
        self.assertContains(response, "redan använts", status_code=403)
        assert Response.objects.count() == 1

    def test_it_stores_anonymous_answers_without_any_link_to_the_code(self):
        code = self.code(4)
        self.answer_all(code, {"problem_drug_dealing": "4", "avoid_places": "yes", "sex": "female"})
        stored = Response.objects.get()
        invitation = Invitation.objects.get(number=4)
        assert stored.answers == {"problem_drug_dealing": "4", "avoid_places": "yes", "sex": "female"}
        assert stored.invitation_id is None
        assert invitation.used and invitation.draft == {}
        # Inspect the stored rows themselves: no column of a response holds the invitation, its
        # number, its code or digest, and no time finer than the day is kept on either side.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {Response._meta.db_table}")
            columns = [c[0] for c in cursor.description]
            row = dict(zip(columns, cursor.fetchone()))
        assert set(columns) == {
            "id",
            "wave_id",
            "invitation_id",
            "source",
            "external_id",
            "submitted_on",
            "language",
            "stratum",
            "answers",
        }
        assert row["invitation_id"] is None
        values = " ".join(str(v) for v in row.values())
        for secret in (code, codes.normalise(code), invitation.digest, f"#{invitation.number}"):
            assert secret not in values
        assert str(row["submitted_on"]) == date.today().isoformat()
        time_fields = [
            f.name
            for model in (Response, Invitation)
            for f in model._meta.fields
            if f.get_internal_type() in ("DateTimeField", "TimeField")
        ]
        assert time_fields == []
        assert str(stored.pk) != str(invitation.pk)

    def test_it_throttles_guessing_per_browser_and_per_address(self):
        from django.contrib.sessions.models import Session

        for _ in range(20):
            self.start("ZZZZZ-ZZZZZ")
        self.assertFalse(Session.objects.exists())  # a wrong code stores nothing
        response = self.start(self.code(5))
        self.assertContains(response, "För många felaktiga koder", status_code=400)
        # Another resident behind the same address still gets in ...
        self.client.cookies.clear()
        self.assertRedirects(self.start(self.code(5)), reverse("survey-page", args=[0]))
        # ... until the address as a whole has tried too many wrong codes.
        from unittest import mock

        from lofte.surveys import views_answer

        with mock.patch.object(views_answer, "MAX_FAILED_PER_ADDRESS", 25):  # not 5 000 requests in a test
            for _ in range(5):
                self.client.cookies.clear()
                self.start("ZZZZZ-ZZZZZ")
            self.client.cookies.clear()
            self.assertContains(self.start(self.code(6)), "För många felaktiga koder", status_code=400)

    def test_it_refuses_codes_of_a_closed_wave(self):
        self.wave.closes_on = date(2015, 1, 31)
        self.wave.save()
        self.assertContains(self.start(self.code(6)), "stängde", status_code=400)

    def test_it_answers_in_english_under_en(self):
        with translation.override("en"):
            self.client.post(reverse("survey-start"), {"code": self.code(7)})
            page = self.client.get(reverse("survey-page", args=[0]))
        self.assertContains(page, "How big a problem is litter in your area?")
        self.assertContains(page, "Every question may be skipped.")


class NamedSurveyTests(SurveyTestCase):
    anonymous = False

    def test_it_links_responses_and_takes_background_from_the_register(self):
        self.client.post(reverse("survey-start"), {"code": self.code(1)})
        pages = answering.sections(self.survey)
        for page in range(len(pages)):
            self.client.post(reverse("survey-page", args=[page]), {"problem_litter": "1"} if page == 0 else {})
        stored = Response.objects.get()
        invitation = Invitation.objects.get(number=1)
        assert stored.invitation == invitation
        assert stored.answers["age_group"] == invitation.age_group != ""
        assert stored.answers["sex"] == invitation.sex

    def test_it_sends_reminders_only_to_those_who_have_not_answered(self):
        from lofte.surveys import letters

        Invitation.objects.filter(number__in=[1, 2, 3]).update(used=True)
        assert [i.number for i in letters.recipients(self.wave, "remind")] == list(range(4, 41))

    def test_the_letter_says_who_asks_how_answers_are_protected_and_whom_to_ask(self):
        import io

        from pypdf import PdfReader

        from lofte.surveys import letters

        for org in self.survey.organisations.all():
            org.contact_phone = "031-365 00 00"
            org.save()
        out = io.BytesIO()
        letters.write(out, self.wave, list(self.wave.invitations.order_by("number")[:1]), compress=False)
        text = " ".join(PdfReader(io.BytesIO(out.getvalue())).pages[0].extract_text().split())
        names = [org.name for org in self.survey.organisations.all()]
        self.assertTrue(names and all(name in text for name in names), text)
        self.assertIn("redovisas bara för grupper med minst 30 svar", text)
        self.assertIn("/personuppgifter/", text)
        self.assertIn("Frågor / Questions:", text)
        self.assertIn("031-365 00 00", text)
        self.assertIn("It takes about ten minutes", text)
        self.assertIn("Su'aalaha af-Soomaali: http://localhost:8000/so/enkat/", text)

    def test_it_asks_in_arabic_right_to_left_and_in_somali(self):
        from lofte.surveys import itembank

        for item in self.survey.items.all():  # the bank's texts in every language, as a new survey gets them
            bank = {i["code"]: i for i in itembank.items([item.code])}
            if item.code in bank:
                item.texts, item.options = bank[item.code]["texts"], bank[item.code]["options"]
                item.save()
        code = codes.code_for(self.wave.code_salt, 5)
        with translation.override("ar"):
            start = self.client.get(reverse("survey-start"))
            self.assertContains(start, '<html lang="ar" dir="rtl">')
            self.assertContains(start, "رمزك")
            page = self.client.post(reverse("survey-start"), {"code": code}, follow=True)
            self.assertContains(page, "لا أعرف")  # "don't know" among the answers
        with translation.override("so"):
            self.assertContains(self.client.get(reverse("survey-start")), '<html lang="so" dir="ltr">')
