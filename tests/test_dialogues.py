"""Citizen dialogues: residents' statements from the public form wait for a member's moderation before
the public page or the API shows them, the form is rate limited and takes no contact details, and
members record dialogues and what was said at them."""

from datetime import date

from django.core.cache import cache

from lofte.dialogues import services
from lofte.dialogues.models import Dialogue, Statement, Theme

from .base import BaseTestCase


class DialogueTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.theme = Theme.objects.create(area=cls.area, name="Våld på offentliga platser")

    def setUp(self):
        cache.clear()

    def say(self, text, **extra):
        return self.client.post("/omraden/bisk/tyck-till/", {"text": text}, **extra)

    def test_a_statement_is_public_only_after_a_member_publishes_it(self):
        self.assertEqual(self.say("Torget känns otryggt på kvällarna.").status_code, 302)
        statement = Statement.objects.get()
        self.assertEqual(statement.status, Statement.Status.PENDING)
        self.assertNotContains(self.client.get("/omraden/bisk/tyck-till/"), "Torget känns otryggt")
        self.assertEqual(self.client.get("/api/v1/dialogues/statements").json(), [])
        self.client.force_login(self.owner)  # a member sees it waiting, in the API and on the moderation page
        self.assertEqual([s["status"] for s in self.client.get("/api/v1/dialogues/statements").json()], ["pending"])
        self.assertContains(self.client.get("/personal/dialoger/"), "Torget känns otryggt")
        self.client.post(
            f"/personal/uttalanden/{statement.pk}/moderera/", {"action": "publish", "themes": [self.theme.pk]}
        )
        self.client.logout()
        page = self.client.get("/omraden/bisk/tyck-till/")
        self.assertContains(page, "Torget känns otryggt")
        self.assertContains(page, "Våld på offentliga platser")
        [shown] = self.client.get("/api/v1/dialogues/statements?area=bisk").json()
        self.assertEqual((shown["status"], shown["themes"]), ("published", [self.theme.pk]))

    def test_a_rejected_statement_never_reaches_the_public(self):
        self.say("Reklam för något helt annat")
        statement = Statement.objects.get()
        services.moderate(self.owner, statement, publish=False)
        self.assertNotContains(self.client.get("/omraden/bisk/tyck-till/"), "Reklam")
        self.assertEqual(self.client.get("/api/v1/dialogues/statements?status=rejected").json(), [])

    def test_the_form_is_rate_limited_and_nothing_more_is_stored(self):
        for n in range(services.LIMIT_PER_HOUR):
            self.assertEqual(self.say(f"Synpunkt nummer {n} om torget").status_code, 302)
        refused = self.say("En synpunkt till")
        self.assertEqual(refused.status_code, 429)
        self.assertContains(refused, "Försök igen om en timme", status_code=429)
        self.assertEqual(Statement.objects.count(), services.LIMIT_PER_HOUR)
        self.assertEqual(self.say("Från en annan adress", REMOTE_ADDR="10.0.0.9").status_code, 302)

    def test_it_takes_no_contact_details_and_no_empty_text(self):
        for text in ("Ring mig på 070-123 45 67", "Skriv till anna@example.se", "Se www.example.se", "   "):
            self.assertEqual(self.say(text).status_code, 400, text)
        self.assertEqual(Statement.objects.count(), 0)

    def test_the_form_belongs_to_areas_with_a_public_promise(self):
        self.assertEqual(self.client.get("/omraden/hjallbo/tyck-till/").status_code, 404)

    def test_only_the_areas_owners_and_analysts_moderate(self):
        statement = services.submit("10.0.0.1", self.area, "Belysningen i tunneln är trasig")
        for user in (self.officer, self.outsider):
            self.client.force_login(user)
            answer = self.client.post(f"/personal/uttalanden/{statement.pk}/moderera/", {"action": "publish"})
            self.assertEqual(answer.status_code, 404)
        statement.refresh_from_db()
        self.assertEqual(statement.status, Statement.Status.PENDING)

    def test_a_moderation_decision_is_reversed_both_ways(self):
        """A statement published by mistake could not be taken down without the admin (issue 24)."""
        statement = services.submit("10.0.0.1", self.area, "Lamporna vid skolan lyser inte")
        self.client.force_login(self.owner)
        moderate = f"/personal/uttalanden/{statement.pk}/moderera/"
        self.client.post(moderate, {"action": "publish", "themes": [self.theme.pk]})
        self.assertContains(self.client.get("/omraden/bisk/tyck-till/"), "Lamporna vid skolan")
        self.assertContains(self.client.get("/personal/dialoger/"), f'data-decided="{statement.pk}"')
        self.client.post(moderate, {"action": "reject"})  # taken down
        statement.refresh_from_db()
        self.assertEqual(statement.status, Statement.Status.REJECTED)
        self.assertNotContains(self.client.get("/omraden/bisk/tyck-till/"), "Lamporna vid skolan")
        self.client.post(moderate, {"action": "publish"})  # after all, filed under its theme as before
        statement.refresh_from_db()
        self.assertEqual((statement.status, list(statement.themes.all())), (Statement.Status.PUBLISHED, [self.theme]))

    def test_members_record_a_dialogue_and_what_was_said(self):
        self.client.force_login(self.owner)
        form = {"held_on": "2015-04-20", "place": "Vårväderstorget", "format": "safety_walk", "languages": "sv, so",
                "interpreted": "on", "participants": "boende: 25\r\nunga: 8\r\n",
                "organisations": [self.police.pk]}  # fmt: skip
        answer = self.client.post("/personal/dialoger/bisk/ny/", form)
        dialogue = Dialogue.objects.get()
        self.assertRedirects(answer, f"/personal/dialog/{dialogue.pk}/")
        self.assertEqual((dialogue.participant_count, dialogue.held_on), (33, date(2015, 4, 20)))
        self.client.post(
            f"/personal/dialog/{dialogue.pk}/", {"text": "Skottlossningarna skrämmer", "themes": [self.theme.pk]}
        )
        statement = dialogue.statements.get()
        self.assertEqual(statement.status, Statement.Status.PUBLISHED)  # a member's own words
        data = self.client.get("/api/v1/dialogues/?area=bisk").json()
        self.assertEqual((data[0]["format"], data[0]["participants"]), ("safety_walk", {"boende": 25, "unga": 8}))
        bad = self.client.post("/personal/dialoger/bisk/ny/", {**form, "participants": "boende: 25\nunga åtta"})
        self.assertEqual(bad.status_code, 400)
        self.assertIn("Rad 2: skriv en grupp och dess antal", str(bad.context["form"].errors["participants"]))
        self.assertEqual(Dialogue.objects.count(), 1)
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.post("/personal/dialoger/bisk/ny/", form).status_code, 404)
        self.assertEqual(Dialogue.objects.count(), 1)


class OpinionVotingTests(BaseTestCase):
    """Residents vote on one statement at a time as an anonymous voter (a signed random id in a cookie),
    once per statement; the groups page shows the opinion groups once enough have voted."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from lofte.dialogues.models import OpinionExercise, OpinionStatement

        cls.exercise = OpinionExercise.objects.create(area=cls.area, title="Vad ska löftet handla om?")
        cls.statements = [
            OpinionStatement.objects.create(exercise=cls.exercise, text=f"Påstående {n}") for n in range(8)
        ]

    def setUp(self):
        cache.clear()  # the groups and pol.is's k smoother are kept in the cache by exercise

    def test_a_voter_goes_through_the_statements_one_at_a_time_once(self):
        from lofte.dialogues.models import OpinionVote

        first = self.client.get(f"/asikter/{self.exercise.pk}/")
        self.assertContains(first, "Påstående 0")
        self.client.post(f"/asikter/{self.exercise.pk}/", {"statement": self.statements[0].pk, "vote": "1"})
        self.assertContains(self.client.get(f"/asikter/{self.exercise.pk}/"), "Påstående 1")
        again = self.client.post(f"/asikter/{self.exercise.pk}/", {"statement": self.statements[0].pk, "vote": "-1"})
        self.assertEqual(again.status_code, 400)  # the same voter, the same statement
        bad = self.client.post(f"/asikter/{self.exercise.pk}/", {"statement": self.statements[1].pk, "vote": "2"})
        self.assertEqual(bad.status_code, 400)
        self.assertEqual(list(OpinionVote.objects.values_list("vote", flat=True)), [1])
        self.assertEqual(len(OpinionVote.objects.get().voter), 32)  # a random id, nothing about the person

    def test_a_closed_exercise_takes_no_votes(self):
        self.exercise.is_open = False
        self.exercise.save()
        answer = self.client.post(f"/asikter/{self.exercise.pk}/", {"statement": self.statements[0].pk, "vote": "1"})
        self.assertEqual(answer.status_code, 400)

    def test_the_groups_show_once_enough_have_voted(self):
        from lofte.dialogues.models import OpinionVote

        self.assertContains(self.client.get(f"/en/asikter/{self.exercise.pk}/grupper/"), "Too few people have voted")
        votes = [OpinionVote(statement=s, voter=f"v{group}{n:02d}", vote=1 if (i + group) % 2 else -1)
                 for group in range(2) for n in range(12) for i, s in enumerate(self.statements)]  # fmt: skip
        OpinionVote.objects.bulk_create(votes)
        page = self.client.get(f"/en/asikter/{self.exercise.pk}/grupper/")
        self.assertContains(page, "form 2 groups")
        self.assertContains(page, "<svg")

    def test_the_number_of_groups_holds_steady_across_new_votes(self):
        from lofte.dialogues import opinions
        from lofte.dialogues.models import OpinionVote

        votes = [OpinionVote(statement=s, voter=f"v{group}{n:02d}", vote=1 if (i + group) % 2 else -1)
                 for group in range(2) for n in range(12) for i, s in enumerate(self.statements)]  # fmt: skip
        OpinionVote.objects.bulk_create(votes)
        first = opinions.groups(self.exercise)
        OpinionVote.objects.create(statement=self.statements[0], voter="late", vote=1)
        second = opinions.groups(self.exercise)
        # the second computation starts from the first one's smoother state (pol.is's k buffer)
        self.assertEqual((first.k_choice.smoothed_k, first.k_choice.last_k_count), (2, 1))
        self.assertEqual((second.k_choice.smoothed_k, second.k_choice.last_k_count), (2, 2))


class EvidenceTests(BaseTestCase):
    """The evidence matrix's numbers against the statements and incidents they come from."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from datetime import datetime
        from zoneinfo import ZoneInfo

        from lofte.dialogues.models import CandidateProblem
        from lofte.incidents import importer
        from lofte.incidents.models import ImportRun

        from .test_situation import record

        theme = Theme.objects.create(area=cls.area, name="Skadegörelse")
        other = Theme.objects.create(area=cls.area, name="Trafik")
        for text, themes, status in (("Klotter", [theme], "published"), ("Krossat", [theme], "published"),
                                     ("Bilar", [other], "published"), ("Väntar", [theme], "pending")):  # fmt: skip
            Statement.objects.create(area=cls.area, text=text, status=status).themes.set(themes)
        stockholm, records = ZoneInfo("Europe/Stockholm"), []
        for year in (2014, 2015, 2016):  # three years: a trend within one cannot be told from the season
            for month in range(1, 13):
                for _ in range(10):
                    records.append(record(len(records) + 1, datetime(year, month, 10, 20, tzinfo=stockholm)))
        for _ in range(3):
            records.append(record(len(records) + 1, datetime(2016, 5, 10, 20, tzinfo=stockholm), kind="Rån"))
        importer.load(records, ImportRun.objects.create(source="t", format="t", file_name="t", file_sha256="t"))
        CandidateProblem.objects.create(area=cls.area, name="Skadegörelse", incident_types=["Skadegörelse"]).themes.set(
            [theme]
        )
        CandidateProblem.objects.create(area=cls.area, name="Rån", incident_types=["Rån"])

    def setUp(self):
        cache.clear()

    def test_it_counts_statements_and_incidents_and_hides_small_counts(self):
        from lofte.dialogues.evidence import evidence

        rows = {row.problem: row for row in evidence(self.area, self.owner)}
        vandalism = rows["Skadegörelse"]
        self.assertEqual((vandalism.statements, vandalism.statement_share), (2, 2 / 3))  # the pending one not counted
        self.assertEqual((vandalism.incidents, vandalism.small), (120, False))
        self.assertEqual(vandalism.trend["verdict"], "no measurable change")  # ten every month
        self.assertEqual(vandalism.trend["months"], 34)  # whole months: February 2014 to November 2016
        robbery = rows["Rån"]
        self.assertEqual((robbery.incidents, robbery.small, robbery.trend), (None, True, None))  # 3 < 5
        self.assertIsNone(vandalism.harm)  # no harm index loaded

    def test_it_weighs_the_incidents_by_harm_when_an_index_is_loaded(self):
        from datetime import date

        from lofte.dialogues.evidence import evidence
        from lofte.incidents.models import HarmWeight

        HarmWeight.objects.create(type="Skadegörelse", weight=2.5, source="Test", dated=date(2020, 1, 1))
        rows = {row.problem: row for row in evidence(self.area, self.owner)}
        self.assertEqual(rows["Skadegörelse"].harm, 120 * 2.5)
        self.assertIsNone(rows["Rån"].harm)  # a small count stays hidden, its harm too

    def test_members_see_the_matrix_and_its_api_others_do_not(self):
        self.client.force_login(self.owner)
        page = self.client.get("/en/personal/omraden/bisk/underlag/?sort=incidents")
        self.assertContains(page, "Skadegörelse")
        self.assertContains(page, "fewer than 5")
        data = self.client.get("/api/v1/areas/bisk/evidence").json()
        self.assertEqual({r["problem"]: r["incidents"] for r in data}, {"Skadegörelse": 120, "Rån": None})
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get("/en/personal/omraden/bisk/underlag/").status_code, 404)
        self.assertIn(self.client.get("/api/v1/areas/bisk/evidence").status_code, (403, 404))
