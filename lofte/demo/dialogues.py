"""The demo's citizen dialogues (spring 2015, before the promise was chosen): a safety walk and a
meeting, what residents said, sorted by the area's themes, and statements from the public form, one
still waiting for moderation. The words are written for the demo."""

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone
from numpy.random import Generator

from lofte.accounts.models import Organisation
from lofte.dialogues.models import Dialogue, OpinionExercise, Statement, Theme
from lofte.places.models import Area
from lofte.promises.models import Promise

VIOLENCE = "Våld på offentliga platser"
THEMES = [VIOLENCE, "Narkotikahandel", "Nedskräpning", "Trafik", "Ungdomar och fritid"]
DIALOGUES = [
    (
        dict(
            held_on=date(2015, 4, 20),
            place="Vårväderstorget",
            format=Dialogue.Format.SAFETY_WALK,
            languages="sv, so, ar, fa",
            interpreted=True,
            participants={"boende": 34, "unga": 9, "företagare": 4},
            notes="Trygghetsvandring kvällstid med tolkar på somaliska, arabiska och persiska.",
        ),  # fmt: skip
        [
            (
                "Jag går inte över torget efter klockan åtta, det har varit skottlossning här.",
                [VIOLENCE],
            ),
            ("Det säljs narkotika öppet vid busshållplatsen på kvällarna.", ["Narkotikahandel"]),
            ("Belysningen vid gångtunneln är trasig sedan i vintras.", [VIOLENCE]),
            ("Ungdomarna behöver något att göra på kvällarna, fritidsgården stänger tidigt.", ["Ungdomar och fritid"]),
        ],
    ),
    (
        dict(
            held_on=date(2015, 5, 12),
            place="Biskopsgårdens bibliotek",
            format=Dialogue.Format.MEETING,
            languages="sv, so",
            interpreted=True,
            participants={"boende": 52, "unga": 6},
            notes="Öppet möte med polisen och stadsdelsförvaltningen.",
        ),  # fmt: skip
        [
            ("Vi vill se poliser på torgen, inte bara när något har hänt.", [VIOLENCE]),
            ("Mopeder kör på gångvägarna vid skolan.", ["Trafik"]),
            (
                "Våldet mellan grupperna gör att föräldrar inte släpper ut sina barn.",
                [VIOLENCE, "Ungdomar och fritid"],
            ),
            ("Det är skräpigt runt återvinningsstationen.", ["Nedskräpning"]),
        ],
    ),
]
FROM_THE_FORM = [
    (
        "Torget känns otryggt på kvällarna, särskilt när det är mörkt.",
        Statement.Status.PUBLISHED,
        [VIOLENCE],
    ),
    ("Kan man sätta upp fler lampor längs gångvägen till spårvagnen?", Statement.Status.PENDING, []),
]


def build(area: Area, organisations: Iterable[Organisation], moderator: User) -> None:
    themes = {name: Theme.objects.get_or_create(area=area, name=name)[0] for name in THEMES}
    for fields, said in DIALOGUES:
        dialogue = Dialogue.objects.create(area=area, created_by=moderator, **fields)
        dialogue.organisations.set(organisations)
        for text, names in said:
            statement = Statement.objects.create(
                area=area, dialogue=dialogue, text=text, status=Statement.Status.PUBLISHED,
                moderated_at=timezone.now(), moderated_by=moderator,
            )  # fmt: skip
            statement.themes.set([themes[n] for n in names])
    for text, status, names in FROM_THE_FORM:
        moderated = status == Statement.Status.PUBLISHED
        statement = Statement.objects.create(area=area, text=text, status=status, language="sv",
                                             moderated_at=timezone.now() if moderated else None,
                                             moderated_by=moderator if moderated else None)  # fmt: skip
        statement.themes.set([themes[n] for n in names])


# An opinion exercise with synthetic votes from three planted groups: more police presence, more
# prevention for the young, and distrust of the police; better lighting and support for those
# leaving crime are agreed by all.
OPINION_STATEMENTS = [
    (
        "Polisen borde synas mer på torgen på kvällarna.",
        "The police should be seen more on the squares in the evenings.",
        (1, 0, -1),
    ),
    (
        "Kameraövervakning på torgen skulle göra mig tryggare.",
        "Cameras on the squares would make me feel safer.",
        (1, -1, -1),
    ),
    ("Fritidsgården borde ha öppet senare.", "The youth centre should stay open later.", (0, 1, 1)),
    ("Det viktigaste är att stoppa narkotikahandeln.", "Stopping the drug dealing matters most.", (1, -1, 0)),
    (
        "Fler vuxna ute på kvällarna gör mer än fler poliser.",
        "More adults out in the evenings do more than more police.",
        (-1, 1, 1),
    ),
    ("Belysningen i området behöver bli bättre.", "The lighting in the area needs to be better.", (1, 1, 1)),
    (
        "Jag litar på att polisen tar problemen på allvar.",
        "I trust the police to take the problems seriously.",
        (1, 1, -1),
    ),
    (
        "Unga som vill lämna kriminalitet behöver mer stöd.",
        "Young people who want to leave crime need more support.",
        (1, 1, 1),
    ),
    (
        "Trafiken vid skolan är ett större problem än våldet.",
        "The traffic at the school is a bigger problem than the violence.",
        (-1, 0, 1),
    ),
    (
        "Bostadsbolaget borde ta större ansvar för gårdarna.",
        "The housing company should take more care of the courtyards.",
        (1, 1, 0),
    ),
    ("Jag skulle anmäla ett brott som jag såg.", "I would report a crime I saw.", (1, 1, -1)),
    ("Grannsamverkan skulle fungera här.", "Neighbourhood watch would work here.", (1, 0, -1)),
]
OPINION_GROUP_SIZES = (70, 55, 35)


def opinion_exercise(area: Area, owner: User, rng: Generator) -> OpinionExercise:
    from lofte.dialogues.models import OpinionExercise, OpinionStatement, OpinionVote

    exercise = OpinionExercise.objects.create(area=area, title="Vad ska löftet handla om?", created_by=owner)
    statements = [
        OpinionStatement.objects.create(exercise=exercise, text=sv, text_en=en) for sv, en, _ in OPINION_STATEMENTS
    ]
    votes = []
    voter = 0
    for group, size in enumerate(OPINION_GROUP_SIZES):
        for _ in range(size):
            voter += 1
            for statement, (_, _, leaning) in zip(statements, OPINION_STATEMENTS):
                if rng.random() < 0.85:  # most see most statements
                    vote = leaning[group] if rng.random() < 0.8 else int(rng.choice([-1, 0, 1]))
                    votes.append(OpinionVote(statement=statement, voter=f"demo{voter:04d}", vote=vote))
    OpinionVote.objects.bulk_create(votes)
    return exercise


# The evidence matrix's candidate problems: each joined to a survey question, incident types and themes.
CANDIDATES = [
    ("Gängrelaterat våld på offentliga platser", "Gang-related violence in public places", "problem_shootings",
     ["Misshandel", "Rån", "Skottlossning", "Vapenlagen"], [VIOLENCE, "Ungdomar och fritid"]),
    ("Öppen narkotikahandel", "Open drug dealing", "problem_drug_dealing", ["Narkotikabrott"], ["Narkotikahandel"]),
    ("Skadegörelse och nedskräpning", "Vandalism and litter", "problem_vandalism", ["Skadegörelse"], ["Nedskräpning"]),
    ("Störande trafik", "Disturbing traffic", "problem_vehicles", [], ["Trafik"]),
]  # fmt: skip


# The partners' observation categories that measure each candidate problem (EST, issue 25).
OBSERVED = {
    "problem_shootings": ["gathering", "fight"],
    "problem_drug_dealing": ["drug_dealing"],
    "problem_vandalism": ["vandalism", "litter"],
    "problem_vehicles": ["illegal_driving"],
}


def candidates(area: Area) -> None:
    from lofte.dialogues.models import CandidateProblem
    from lofte.observations.models import Category

    for name, name_en, item, types, themes in CANDIDATES:
        candidate = CandidateProblem.objects.create(area=area, name=name, name_en=name_en, survey_item=item,
                                                    incident_types=types)  # fmt: skip
        candidate.themes.set(Theme.objects.filter(area=area, name__in=themes))
        candidate.observation_categories.set(Category.objects.filter(code__in=OBSERVED[item]))


TRIANGLE = {
    "offender": "Unga män i två konkurrerande nätverk, några få mycket aktiva.",
    "target": "Andra gruppers medlemmar, men också boende och förbipasserande på torgen.",
    "place": "Vårväderstorget, Friskväderstorget och Länsmanstorget på kvällarna; gångtunneln vid skolan.",
    "handler": "Familjer, fältassistenter och fritidsgårdens personal.",
    "guardian": "Boende, butiksägare och polisen i yttre tjänst.",
    "manager": "Bostadsbolaget och fastighetsägarna vid torgen; trafikkontoret för belysningen.",
}
# (cause, evidence, commitment positions, children)
CAUSES: list[tuple[str, str, list[int], list]] = [
    ("Grupperna gör anspråk på torgen på kvällarna", "Brännpunkterna vid de tre torgen; dialogerna våren 2015.", [1, 4],
     [("Få vuxna och ingen polis på torgen efter mörkrets inbrott", "Trygghetsvandringen 20 april 2015.", [1, 4], [])]),
    ("Unga rekryteras till de kriminella nätverken", "Fältassistenternas bild; polisens underrättelser.", [2, 3], []),
    ("Boende får inte veta vad som görs och anmäler mindre", "Få känner till löftet (enkäten 2014).", [5, 6], []),
]  # fmt: skip


def causes(promise: Promise) -> None:
    from lofte.promises.models import Cause

    promise.triangle = TRIANGLE
    promise.save(update_fields=["triangle"])
    by_position = {c.position: c for c in promise.commitments.all()}

    def add(rows: Sequence[Any], parent: Cause | None) -> None:
        for text, evidence, positions, children in rows:
            cause = Cause.objects.create(promise=promise, parent=parent, text=text, evidence=evidence)
            cause.commitments.set([by_position[p] for p in positions])
            add(children, cause)

    add(CAUSES, None)
