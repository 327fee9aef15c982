"""Every page and API endpoint x every role x own and other organisation, from one table.

Each route of the site and each operation of the API has a row saying which policy question decides
access (or that it is open to everyone); the test asks every persona and every object and compares
the HTTP answer with the policy's. A new page or endpoint without a row fails
`test_every_route_and_endpoint_has_a_row`.
"""

from datetime import UTC, date, datetime

from django.contrib.auth.models import AnonymousUser, User
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import get_resolver
from django.urls.resolvers import URLResolver

from lofte.accounts.models import ApiToken, Membership, Organisation, Role
from lofte.accounts.permissions import memberships, organisations
from lofte.api.urls import api
from lofte.cases.models import SupportCase
from lofte.cases.permissions import cases
from lofte.dialogues.models import CandidateProblem, Dialogue, OpinionExercise, Statement, Theme
from lofte.dialogues.permissions import candidates as candidate_policy
from lofte.dialogues.permissions import dialogues
from lofte.dialogues.permissions import statements as statement_policy
from lofte.dialogues.permissions import themes as theme_policy
from lofte.incidents.models import ImportJob
from lofte.incidents.permissions import jobs
from lofte.observations.models import Action, Category, ResidentReport
from lofte.observations.permissions import actions as action_policy
from lofte.observations.permissions import observations as observation_policy
from lofte.observations.permissions import resident_reports as resident_policy
from lofte.places.permissions import areas, places
from lofte.plans.models import Measure, ReferenceValue, ReferralComment, SituationReport
from lofte.plans.permissions import reports
from lofte.promises.models import Commitment, PartyInvitation, Promise
from lofte.promises.permissions import commitments, invitations, promises
from lofte.surveys.models import Survey, Wave
from lofte.surveys.permissions import surveys

from .base import BaseTestCase, member

OPEN = "open"  # anyone, logged in or not (the public site, the questionnaire, logging in)
STAFF = "staff"  # anyone logged in (each such page shows only what the user's policies allow)
CODE = "code"  # a resident who has entered the single-use code of a survey letter (nobody here has)

# route name or API operation -> (method, url with {object}, who may: OPEN, STAFF or (policy, action), objects)
PAGES = {
    "promise-list": ("GET", "/en/", OPEN, None),
    "about": ("GET", "/en/om-medborgarloften/", OPEN, None),
    "speak-up": ("GET", "/en/omraden/bisk/tyck-till/", OPEN, None),
    "area": ("GET", "/en/omraden/bisk/", OPEN, None),
    "opinion": ("GET", "/en/asikter/{o.pk}/", OPEN, "opinions"),
    "opinion-groups": ("GET", "/en/asikter/{o.pk}/grupper/", OPEN, "opinions"),
    "dialogues": ("GET", "/en/personal/dialoger/", (dialogues, "add"), None),
    "evidence": ("GET", "/en/personal/omraden/{o.code}/underlag/", (areas, "situation"), "areas"),
    "dialogue-new": ("GET", "/en/personal/dialoger/{o.code}/ny/", (areas, "change"), "areas"),
    "area-setup": ("GET", "/en/personal/omraden/{o.code}/teman/", (areas, "change"), "areas"),
    "theme": ("POST", "/en/personal/teman/{o.pk}/", (theme_policy, "change"), "themes"),
    "candidate": ("GET", "/en/personal/problem/{o.pk}/", (candidate_policy, "change"), "candidates"),
    "dialogue": ("GET", "/en/personal/dialog/{o.pk}/", STAFF, "dialogues"),  # dialogues are open data
    "statement-moderate": (
        "POST",
        "/en/personal/uttalanden/{o.pk}/moderera/",
        (statement_policy, "moderate"),
        "statements",
    ),
    "accessibility": ("GET", "/en/tillganglighet/", OPEN, None),
    "privacy": ("GET", "/en/personuppgifter/", OPEN, None),
    "promise": ("GET", "/en/loften/{o.slug}/", (promises, "view"), "promises"),
    "promise-report": ("GET", "/en/loften/{o.slug}/rapport/", (promises, "view"), "promises"),
    "promise-history": ("GET", "/en/loften/{o.slug}/historik/", (promises, "view"), "promises"),
    "promise-report-pdf": ("GET", "/en/loften/{o.slug}/rapport.pdf", (promises, "view"), "promises"),
    "promise-open-data": ("GET", "/en/loften/{o.slug}/oppna-data.zip", (promises, "view"), "promises"),
    "dashboard": ("GET", "/en/personal/", STAFF, None),
    "overview": ("GET", "/en/personal/oversikt/", STAFF, None),
    "invitation-answer": ("POST", "/en/personal/inbjudningar/{o.pk}/", (invitations, "answer"), "invitations"),
    "promise-new": ("GET", "/en/personal/loften/nytt/", (promises, "add"), None),
    "organisation": ("GET", "/en/personal/organisation/", (organisations, "change"), None),
    "import": ("GET", "/en/personal/import/", (jobs, "add"), None),
    "import-rejects": ("GET", "/en/personal/import/{o.pk}/rejects.csv", (jobs, "view"), "jobs"),
    "organisation-member-invite": (
        "POST",
        "/en/personal/organisation/{o.pk}/inbjudan/",
        (organisations, "change"),
        "organisations",
    ),
    "organisation-member-add": (
        "POST",
        "/en/personal/organisation/{o.pk}/medlemmar/",
        (organisations, "change"),
        "organisations",
    ),
    "organisation-member-remove": (
        "POST",
        "/en/personal/organisation/medlemskap/{o.pk}/ta-bort/",
        (memberships, "delete"),
        "memberships",
    ),
    "organisation-profile": (
        "POST",
        "/en/personal/organisation/{o.pk}/profil/",
        (organisations, "change"),
        "organisations",
    ),
    "organisation-logo": ("GET", "/en/organisationer/{o.pk}/logotyp.png", OPEN, "organisations"),
    "organisation-area": (
        "POST",
        "/en/personal/organisation/{o.pk}/omraden/",
        (organisations, "change"),
        "organisations",
    ),
    "promise-work": ("GET", "/en/personal/loften/{o.slug}/", (promises, "work"), "promises"),
    "promise-publish": ("POST", "/en/personal/loften/{o.slug}/publicera/", (promises, "change"), "promises"),
    "promise-delete": ("POST", "/en/personal/loften/{o.slug}/radera/", (promises, "change"), "promises"),
    "promise-withdraw": ("POST", "/en/personal/loften/{o.slug}/dra-tillbaka/", (promises, "change"), "promises"),
    "promise-places": ("GET", "/en/personal/loften/{o.slug}/platser/", (promises, "work"), "promises"),
    "promise-place": (
        "GET",
        "/en/personal/loften/{o.slug}/platser/{o.place_pk}/",
        ((promises, "work"),),
        "promise places",
    ),
    "promise-place-remove": (
        "POST",
        "/en/personal/loften/{o.slug}/platser/{o.place_pk}/ta-bort/",
        ((promises, "work"), (places, "delete")),
        "promise places",
    ),
    "promise-causes": ("GET", "/en/personal/loften/{o.slug}/orsaker/", (promises, "work"), "promises"),
    "promise-edit": ("GET", "/en/personal/loften/{o.slug}/andra/", (promises, "change"), "promises"),
    "promise-translations": ("GET", "/en/personal/loften/{o.slug}/oversattningar/", (promises, "change"), "promises"),
    "promise-translate": ("POST", "/en/personal/loften/{o.slug}/oversattningar/ar/", (promises, "change"), "promises"),
    "promise-translations-export": (
        "GET",
        "/en/personal/loften/{o.slug}/oversattningar/so.po",
        (promises, "change"),
        "promises",
    ),
    "promise-translations-import": (
        "POST",
        "/en/personal/loften/{o.slug}/oversattningar/fa/las-in/",
        (promises, "change"),
        "promises",
    ),
    "commitment-add": ("GET", "/en/personal/loften/{o.slug}/ataganden/ny/", (promises, "change"), "promises"),
    "commitment-edit": ("GET", "/en/personal/ataganden/{o.pk}/", (commitments, "change"), "commitments"),
    "commitment-remove": ("POST", "/en/personal/ataganden/{o.pk}/ta-bort/", (commitments, "change"), "commitments"),
    "commitment-update": ("GET", "/en/personal/ataganden/{o.pk}/lagesrapport/", (commitments, "change"), "commitments"),
    "dosage": ("GET", "/en/loften/{o.slug}/dosering/", (promises, "work"), "promises"),
    "situation": ("GET", "/en/lagesbild/{o.code}/", (areas, "situation"), "areas"),
    "situation-export": ("GET", "/en/lagesbild/{o.code}/export.csv", (areas, "situation"), "areas"),
    "area-week": ("GET", "/en/personal/omraden/{o.code}/vecka/", (areas, "situation"), "areas"),
    "area-week-digest": ("POST", "/en/personal/omraden/{o.code}/vecka/e-post/", (areas, "situation"), "areas"),
    "patrol": ("GET", "/en/patrull/", (places, "log"), "any"),
    "patrol-start": ("POST", "/en/patrull/start/", (places, "log"), "any"),
    "patrol-end": ("POST", "/en/patrull/slut/", (places, "log"), "any"),
    "patrol-seizure": ("POST", "/en/patrull/beslag/", (places, "log"), "any"),
    "cases": ("GET", "/en/arenden/", (cases, "view"), "any"),
    "case-create": ("GET", "/en/arenden/nytt/", (cases, "add"), "any"),
    "case": ("GET", "/en/arenden/{o.pk}/", (cases, "view"), "cases"),
    "survey-start": ("GET", "/en/enkat/", OPEN, None),
    "survey-page": ("GET", "/en/enkat/fragor/0/", CODE, None),
    "survey-thanks": ("GET", "/en/enkat/tack/", OPEN, None),
    "surveys": ("GET", "/en/enkater/", (surveys, "view"), None),
    "survey-new": ("GET", "/en/enkater/ny/", (surveys, "add"), None),
    "survey": ("GET", "/en/enkater/{o.slug}/", (surveys, "view"), "surveys"),
    "survey-results": ("GET", "/en/enkater/{o.slug}/resultat/", (surveys, "results"), "surveys"),
    "survey-sample": ("POST", "/en/enkater/{o.slug}/urval/", (surveys, "run"), "surveys"),
    "survey-import": ("POST", "/en/enkater/{o.slug}/svar/", (surveys, "run"), "surveys"),
    "survey-edit": ("POST", "/en/enkater/{o.slug}/andra/", (surveys, "change"), "surveys"),
    "survey-wave-add": ("POST", "/en/enkater/{o.slug}/vagor/", (surveys, "change"), "surveys"),
    "survey-wave-open": ("POST", "/en/enkater/{o.slug}/vagor/{o.wave}/", (surveys, "change"), "surveys"),
    "survey-items-bank": ("POST", "/en/enkater/{o.slug}/fragor/bank/", (surveys, "change"), "surveys"),
    "survey-item-add": ("POST", "/en/enkater/{o.slug}/fragor/ny/", (surveys, "change"), "surveys"),
    "survey-letters": ("GET", "/en/enkater/{o.slug}/{o.wave}/brev.pdf", (surveys, "run"), "surveys"),
    "login": ("GET", "/en/login/", OPEN, None),
    "password_reset": ("GET", "/en/konto/losenord/", OPEN, None),
    "password_reset_done": ("GET", "/en/konto/losenord/skickat/", OPEN, None),
    "password_reset_confirm": ("GET", "/en/konto/losenord/MQ/ogiltig-nyckel/", OPEN, None),
    "password_reset_complete": ("GET", "/en/konto/losenord/klart/", OPEN, None),
    "logout": ("POST", "/en/logout/", OPEN, None),
    "set_language": ("POST", "/i18n/setlang/", OPEN, None),
    "observation-report": ("GET", "/en/rapportera/", (observation_policy, "report"), None),
    "actions": ("GET", "/en/personal/atgarder/", (action_policy, "view"), None),
    "action-new": ("GET", "/en/personal/atgarder/ny/", (action_policy, "add"), None),
    "action": ("GET", "/en/personal/atgarder/{o.pk}/", (action_policy, "view"), "actions"),
    "area-tertial": ("GET", "/en/personal/omraden/{o.code}/tertial/", (areas, "situation"), "areas"),
    "area-tertial-pdf": ("GET", "/en/personal/omraden/{o.code}/tertial.pdf", (areas, "situation"), "areas"),
    "resident-report": ("GET", "/en/omraden/bisk/rapportera/", OPEN, None),
    "resident-reports": ("GET", "/en/omraden/bisk/rapporter/", OPEN, None),
    "resident-moderation": ("GET", "/en/personal/omraden/{o.code}/invanarrapporter/", (areas, "situation"), "areas"),
    "resident-report-moderate": (
        "POST",
        "/en/personal/invanarrapporter/{o.pk}/",
        (resident_policy, "moderate"),
        "resident reports",
    ),
    "plans": ("GET", "/en/personal/lagesbilder/", (reports, "view"), None),
    "plan-new": ("GET", "/en/personal/lagesbilder/ny/", (reports, "add"), None),
    "plan-report": ("GET", "/en/personal/lagesbilder/{o.pk}/", (reports, "view"), "situation reports"),
    "plan-report-pdf": ("GET", "/en/personal/lagesbilder/{o.pk}.pdf", (reports, "view"), "situation reports"),
    "plan-follow-up": ("GET", "/en/personal/lagesbilder/{o.pk}/uppfoljning/", (reports, "view"), "situation reports"),
    "plan-coverage": (
        "GET",
        "/en/personal/lagesbilder/{o.pk}/omfattning/",
        (reports, "change"),
        "situation reports",
    ),
    "plan-texts": ("GET", "/en/personal/lagesbilder/{o.pk}/texter/", (reports, "change"), "situation reports"),
    "plan-step": ("POST", "/en/personal/lagesbilder/{o.pk}/steg/refer/", (reports, "decide"), "situation reports"),
    "plan-decide": ("POST", "/en/personal/lagesbilder/{o.pk}/beslut/", (reports, "decide"), "situation reports"),
    "plan-comment": ("POST", "/en/personal/lagesbilder/{o.pk}/kommentar/", (reports, "comment"), "situation reports"),
    "plan-reference-add": (
        "POST",
        "/en/personal/lagesbilder/{o.pk}/referensvarden/",
        (reports, "change"),
        "situation reports",
    ),
    "plan-measure-new": (
        "GET",
        "/en/personal/lagesbilder/{o.pk}/atgarder/ny/",
        (reports, "change"),
        "situation reports",
    ),
    "plan-reference-remove": ("POST", "/en/personal/referensvarden/{o.pk}/ta-bort/", (reports, "change"), "references"),
    "plan-comment-answer": ("POST", "/en/personal/remisskommentarer/{o.pk}/svar/", (reports, "change"), "comments"),
    "plan-measure": ("GET", "/en/personal/atgardsplan/{o.pk}/", (reports, "change"), "measures"),
    "public-situation-reports": ("GET", "/en/kommun/{o.municipality_code}/lagesbild/{o.year}/", OPEN, "published"),
    "public-situation-report": (
        "GET",
        "/en/kommun/{o.municipality_code}/lagesbild/{o.year}/{o.area.code}/",
        OPEN,
        "published",
    ),  # fmt: skip
    "public-situation-report-follow-up": (
        "GET",
        "/en/kommun/{o.municipality_code}/lagesbild/{o.year}/{o.area.code}/uppfoljning/",
        OPEN,
        "published",
    ),
    "public-situation-report-pdf": (
        "GET",
        "/en/kommun/{o.municipality_code}/lagesbild/{o.year}/{o.area.code}/lagesbild.pdf",
        OPEN,
        "published",
    ),
    "public-situation-report-data": (
        "GET",
        "/en/kommun/{o.municipality_code}/lagesbild/{o.year}/{o.area.code}/oppna-data.zip",
        OPEN,
        "published",
    ),
}
API = {
    ("get", "/api/v1/observation-categories/"): ("GET", "/api/v1/observation-categories/", OPEN, None),
    ("post", "/api/v1/observations/"): ("POST", "/api/v1/observations/", (observation_policy, "report"), None),
    ("get", "/api/v1/observations/"): ("GET", "/api/v1/observations/", STAFF, None),
    ("get", "/api/v1/actions/"): ("GET", "/api/v1/actions/", STAFF, None),
    ("post", "/api/v1/actions/"): ("POST", "/api/v1/actions/", (action_policy, "add"), None),
    ("patch", "/api/v1/actions/{action_id}"): (
        "PATCH",
        "/api/v1/actions/{o.pk}",
        (action_policy, "change"),
        "actions",
    ),
    ("get", "/api/v1/promises/"): ("GET", "/api/v1/promises/", OPEN, None),
    ("get", "/api/v1/promises/{slug}"): ("GET", "/api/v1/promises/{o.slug}", (promises, "view"), "promises"),
    ("post", "/api/v1/promises/{slug}/withdraw"): (
        "POST",
        "/api/v1/promises/{o.slug}/withdraw",
        (promises, "change"),
        "promises",
    ),
    ("get", "/api/v1/promises/{slug}/history"): (
        "GET",
        "/api/v1/promises/{o.slug}/history",
        (promises, "view"),
        "promises",
    ),
    ("get", "/api/v1/promises/{slug}/report"): (
        "GET",
        "/api/v1/promises/{o.slug}/report",
        (promises, "view"),
        "promises",
    ),
    ("get", "/api/v1/promises/{slug}/check"): (
        "GET",
        "/api/v1/promises/{o.slug}/check",
        (promises, "work"),
        "promises",
    ),
    ("post", "/api/v1/promises/{slug}/publish"): (
        "POST",
        "/api/v1/promises/{o.slug}/publish",
        (promises, "change"),
        "promises",
    ),
    ("post", "/api/v1/promises/"): ("POST", "/api/v1/promises/", (promises, "add"), None),
    ("patch", "/api/v1/promises/{slug}"): ("PATCH", "/api/v1/promises/{o.slug}", (promises, "change"), "promises"),
    ("post", "/api/v1/promises/{slug}/commitments/"): (
        "POST",
        "/api/v1/promises/{o.slug}/commitments/",
        (promises, "change"),
        "promises",
    ),
    ("patch", "/api/v1/commitments/{commitment_id}"): (
        "PATCH",
        "/api/v1/commitments/{o.pk}",
        (commitments, "change"),
        "commitments",
    ),
    ("post", "/api/v1/commitments/{commitment_id}/updates/"): (
        "POST",
        "/api/v1/commitments/{o.pk}/updates/",
        (commitments, "change"),
        "commitments",
    ),
    ("get", "/api/v1/invitations/"): ("GET", "/api/v1/invitations/", STAFF, None),
    ("post", "/api/v1/invitations/{invitation_id}/answer"): (
        "POST",
        "/api/v1/invitations/{o.pk}/answer",
        (invitations, "answer"),
        "invitations",
    ),
    ("post", "/api/v1/patrols/"): ("POST", "/api/v1/patrols/", (places, "log"), "places"),
    ("post", "/api/v1/seizures/"): ("POST", "/api/v1/seizures/", (places, "log"), "places"),
    ("get", "/api/v1/areas/{code}/situation"): (
        "GET",
        "/api/v1/areas/{o.code}/situation",
        (areas, "situation"),
        "areas",
    ),
    ("get", "/api/v1/areas/{code}/situation/map"): (
        "GET",
        "/api/v1/areas/{o.code}/situation/map",
        (areas, "situation"),
        "areas",
    ),
    ("get", "/api/v1/areas/{code}/week"): ("GET", "/api/v1/areas/{o.code}/week", (areas, "situation"), "areas"),
    ("get", "/api/v1/surveys/{slug}/results"): (
        "GET",
        "/api/v1/surveys/{o.slug}/results",
        (surveys, "results"),
        "surveys",
    ),
    # Lists: open to everyone, each row filtered by the policy (tests/test_dialogues.py).
    ("get", "/api/v1/dialogues/"): ("GET", "/api/v1/dialogues/", OPEN, None),
    ("get", "/api/v1/areas/{code}/evidence"): (
        "GET",
        "/api/v1/areas/{o.code}/evidence",
        (areas, "situation"),
        "areas",
    ),
    ("get", "/api/v1/dialogues/themes"): ("GET", "/api/v1/dialogues/themes", OPEN, None),
    # Open to everyone: published versions, and the working versions the user's policy shows.
    ("get", "/api/v1/municipalities/{code}/situation-reports/"): (
        "GET",
        "/api/v1/municipalities/1480/situation-reports/",
        OPEN,
        None,
    ),
    ("get", "/api/v1/dialogues/statements"): ("GET", "/api/v1/dialogues/statements", OPEN, None),
}


def route_names(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern) not in ("admin/", "api/v1/"):
                yield from route_names(pattern.url_patterns)
        else:
            yield pattern.name


class PromisePlace:
    """A place of a promise's area, as the address /loften/<slug>/platser/<pk>/ names it: each rule of
    the row is asked of the promise or of the place."""

    def __init__(self, promise, place):
        self.promise, self.place, self.slug, self.place_pk = promise, place, promise.slug, place.pk

    def allowed(self, user, rules):
        return all(
            policy.can(user, action, self.promise if policy is promises else self.place) for policy, action in rules
        )


class OfReport:
    """A reference value, comment or measure of a situation report: each rule is asked of its report."""

    def __init__(self, obj):
        self.obj, self.pk = obj, obj.pk

    def allowed(self, user, rules):
        return all(policy.can(user, action, self.obj.report) for policy, action in rules)


class PermissionMatrixTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        social = Organisation.objects.create(name="Socialtjänsten", kind="social_services")
        Organisation.objects.filter(pk__in=[cls.police.pk, cls.other_police.pk]).update(
            logo=b"\x89PNG logo", logo_changed_at=datetime(2026, 1, 1, tzinfo=UTC)
        )
        foreign_social = Organisation.objects.create(name="Annan socialtjänst", kind="social_services")
        cls.people = {
            "anonymous": AnonymousUser(),
            "owner": cls.owner,
            "coordinator": cls.coordinator,
            "officer": cls.officer,
            "analyst": cls.analyst,
            "outsider officer": cls.outsider,
            "foreign owner": member("foreign-owner", cls.other_police, Role.OWNER),
            "foreign analyst": member("foreign-analyst", cls.other_police, Role.ANALYST),
            "admin": member("org-admin", cls.police, Role.ADMIN),
            "case worker": member("worker", social, Role.CASE_WORKER),
            "foreign case worker": member("foreign-worker", foreign_social, Role.CASE_WORKER),
            "reporter": member("reporter", cls.police, Role.REPORTER),
            "superuser": User.objects.create_superuser("root", password="password"),
        }
        foreign = Promise.objects.create(
            area=cls.other_area, slug="hjallbo", title="Hjällbo", problem="p",
            period_start=date(2016, 3, 1), period_end=date(2017, 2, 28),
        )  # fmt: skip
        foreign.parties.set([cls.other_police])
        foreign_commitment = Commitment.objects.create(promise=foreign, text="Hjällbo", kind="milestone",
                                                       due_date=date(2016, 6, 1))  # fmt: skip
        own_survey = Survey.objects.create(area=cls.area, slug="egen", name="Egen")
        own_survey.organisations.set([cls.municipality])
        open_survey = Survey.objects.create(area=cls.other_area, slug="publik", name="Publik", published=True)
        open_survey.organisations.set([cls.other_police])
        closed_survey = Survey.objects.create(area=cls.other_area, slug="stangd", name="Stängd")
        closed_survey.organisations.set([cls.other_police])
        for survey in (own_survey, open_survey, closed_survey):
            wave = Wave.objects.create(survey=survey, kind="baseline", label="2014", opens_on=date(2014, 9, 1),
                                       closes_on=date(2014, 10, 1))  # fmt: skip
            survey.wave = wave.pk
        cls.objects = {
            "promises": [cls.promise, cls.draft, foreign],
            "commitments": [cls.patrol_commitment, foreign_commitment],
            "organisations": [cls.police, cls.other_police],
            "jobs": [cls.import_job(cls.police), cls.import_job(cls.other_police)],
            "memberships": [Membership.objects.get(user=cls.officer), Membership.objects.get(user=cls.outsider)],
            "areas": [cls.area, cls.other_area],
            "dialogues": [
                Dialogue.objects.create(area=area, held_on=date(2015, 4, 1), place="Torget", format="meeting")
                for area in (cls.area, cls.other_area)
            ],
            "statements": [Statement.objects.create(area=area, text="Otryggt") for area in (cls.area, cls.other_area)],
            "opinions": [OpinionExercise.objects.create(area=cls.area, title="Åsikter")],
            "themes": [Theme.objects.create(area=area, name="Trygghet") for area in (cls.area, cls.other_area)],
            "candidates": [
                CandidateProblem.objects.create(area=area, name="Skjutningar") for area in (cls.area, cls.other_area)
            ],
            "places": [cls.place, cls.other_place],
            "promise places": [PromisePlace(cls.promise, cls.place), PromisePlace(foreign, cls.other_place)],
            "invitations": [
                PartyInvitation.objects.create(promise=foreign, organisation=cls.police),
                PartyInvitation.objects.create(promise=cls.draft, organisation=cls.other_police),
            ],
            "surveys": [own_survey, open_survey, closed_survey],
            "cases": [
                SupportCase.objects.create(organisation=social, pseudonym="D01", started_on=date(2016, 6, 1)),
                SupportCase.objects.create(organisation=foreign_social, pseudonym="D02", started_on=date(2016, 6, 1)),
            ],
            "actions": [
                Action.objects.create(area=area, organisation=org, title="Beskär buskarna")
                for area, org in ((cls.area, cls.police), (cls.other_area, cls.other_police))
            ],
            "resident reports": [
                ResidentReport.objects.create(
                    area=area,
                    category=Category.objects.get_or_create(code="event")[0],
                    lon=place.lon,
                    lat=place.lat,
                    text="Mörkt",
                )  # fmt: skip
                for area, place in ((cls.area, cls.place), (cls.other_area, cls.other_place))
            ],
            "any": [None],
        }
        cls.situation_reports(foreign_social)

    @classmethod
    def situation_reports(cls, foreign_social):
        """The municipality's report made with the police, another municipality's, and a published one."""
        other_town = Organisation.objects.create(name="Annan kommun", kind="municipality")
        other_town.areas.add(cls.other_area)
        member("foreign-coordinator", other_town, Role.OWNER)
        fields = {"municipality_name": "Göteborg", "title": "Lägesbild", "municipality_code": "1480"}
        own = SituationReport.objects.create(organisation=cls.municipality, year=2016, area=cls.area, **fields)
        own.partners.set([cls.police])
        theirs = SituationReport.objects.create(organisation=other_town, year=2016, area=cls.other_area, **fields)
        shown = SituationReport.objects.create(organisation=other_town, year=2015, area=cls.other_area,
                                               status="published", **fields)  # fmt: skip
        both = (own, theirs)
        cls.objects |= {
            "situation reports": list(both),
            "published": [shown],
            "references": [OfReport(ReferenceValue.objects.create(report=r, label="NTU", kind="other", value=1,
                                                                  year=2016, source="Brå")) for r in both],
            "comments": [OfReport(ReferralComment.objects.create(report=r, organisation=r.organisation, text="Ok"))
                         for r in both],
            "measures": [OfReport(Measure.objects.create(report=r, title="Belysning", problem="Mörkt")) for r in both],
        }  # fmt: skip

    @staticmethod
    def import_job(organisation):
        job = ImportJob.objects.create(organisation=organisation, file=ContentFile(b"x", name="street.csv"),
                                       file_name="street.csv", format="policeuk", status="done")  # fmt: skip
        with open(job.rejects_path, "w") as rejects:
            rejects.write("source,unit,position,field,reason\n")
        return job

    def test_every_route_and_endpoint_has_a_row(self):
        self.assertEqual(set(route_names(get_resolver().url_patterns)) - {None}, set(PAGES))
        operations = {(method, path) for path, ops in api.get_openapi_schema()["paths"].items() for method in ops}
        self.assertEqual(operations, set(API))

    def test_each_page_answers_each_person_as_its_policy_says(self):
        for name, row in PAGES.items():
            self.check(name, *row)

    def test_each_api_operation_answers_each_person_as_its_policy_says(self):
        for name, row in API.items():
            self.check(name, *row)

    def check(self, name, method, url, rule, objects):
        surveys_by_pk = {s.pk: s for s in self.objects["surveys"]}
        for who, user in self.people.items():
            self.client.logout()
            headers = {}
            if user.is_authenticated:
                self.client.force_login(user)
                if url.startswith("/api/"):
                    headers["HTTP_AUTHORIZATION"] = "Bearer " + ApiToken.issue(user, "matrix")[1]
            for obj in self.objects.get(objects, [None]):
                address = url.format(o=obj)
                body = self.body(url, obj)
                # Asked before the request: a refused request changes nothing, an allowed one may
                # remove the object (a membership).
                allowed = self.allowed(user, rule, surveys_by_pk.get(getattr(obj, "pk", None), obj))
                # Each request in a savepoint rolled back after it: what one person changes (a
                # membership removed, a promise published) does not change the next one's answer.
                with transaction.atomic():
                    if method == "GET":
                        response = self.client.get(address, **headers)
                    elif method == "PATCH":
                        response = self.client.patch(address, body, content_type="application/json", **headers)
                    else:
                        response = self.client.post(address, body, content_type="application/json", **headers)
                    transaction.set_rollback(True)
                label = f"{name} {address} as {who}: {response.status_code}"
                self.assertLess(response.status_code, 500, label)
                if allowed:
                    self.assertNotIn(response.status_code, (401, 403, 404), label)
                    self.assertNotIn("/login/", response.get("Location", ""), label)
                else:
                    refused = response.status_code in (401, 403, 404) or "/login/" in response.get("Location", "")
                    self.assertTrue(refused, label)

    def allowed(self, user, rule, obj):
        if rule == OPEN:
            return True
        if rule == STAFF:
            return user.is_authenticated
        if rule == CODE:
            return False
        if isinstance(obj, PromisePlace | OfReport):
            return obj.allowed(user, rule if isinstance(rule[0], tuple) else (rule,))
        policy, action = rule
        return policy.can(user, action, obj)

    def body(self, url, obj):
        if url.endswith("/observations/"):
            return {"category": "graffiti", "occurred_on": "2016-05-01", "place": self.place.pk}
        if url.endswith("/patrols/"):
            return {"place": obj.pk, "start": "2016-05-01T20:00:00", "end": "2016-05-01T20:12:00"}
        if url.endswith("/seizures/"):
            return {"date": "2016-05-01", "place": obj.pk, "category": "weapon", "kind": "pistol", "quantity": 1,
                    "unit": "piece"}  # fmt: skip
        if url == "/api/v1/promises/":
            return {"area": "bisk", "slug": "matrix", "title": "T", "problem": "P", "period_start": "2018-01-01",
                    "period_end": "2018-12-31"}  # fmt: skip
        if url.endswith("/commitments/"):
            return {"text": "Ett åtagande", "kind": "milestone", "due_date": "2016-06-01"}
        if url.endswith("/updates/"):
            return {"published_on": "2016-06-01", "text": "Läget"}
        if url == "/api/v1/actions/":
            return {"area": "bisk", "title": "Beskär buskarna", "organisation": self.police.pk}
        if url.endswith("/answer"):
            return {"accept": True}
        return {}
