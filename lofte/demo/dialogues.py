"""The demo's citizen dialogues (spring 2015, before the promise was chosen): a safety walk and a
meeting, what residents said, sorted by the area's themes, and statements from the public form, one
still waiting for moderation. The words are written for the demo."""

from datetime import date

from django.utils import timezone

from lofte.dialogues.models import Dialogue, Statement, Theme

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


def build(area, organisations, moderator):
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
