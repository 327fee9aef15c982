"""The demo's situation report: Västra Hisingen's lägesbild for 2016 and its action plan, where the
2016–17 citizen promise and two actions of the shared situation picture are measures; commented on by
the police, decided by the district committee and published. The texts are the demo's own, and the
reference values are illustrative (labelled so), not published figures."""

from datetime import date
from typing import Any

from lofte.accounts.models import Organisation
from lofte.observations.models import Action
from lofte.places.models import Area
from lofte.plans import services
from lofte.plans.models import SituationReport
from lofte.promises.models import Promise

TEXTS = {
    "summary": (
        "Demo. Brottsligheten i Biskopsgården domineras av skadegörelse, stöld och misshandel. Boende känner sig "
        "otrygga på torgen på kvällarna, och samverkansparterna rapporterar samlingar som skapar otrygghet. "
        "Polisen och stadsdelsförvaltningen har valt våldet på offentliga platser som problemet för ett "
        "medborgarlöfte 2016–2017."
    ),
    "consequences": (
        "Demo. Otryggheten gör att boende undviker torgen efter mörkrets inbrott, vilket minskar den "
        "informella kontrollen ytterligare. Handlare vid Vårväderstorget har kortat sina öppettider."
    ),
    "other_information": (
        "Demo. Trygghetsmätningen 2014 och dialogerna 2015 pekar åt samma håll som polisens händelser: "
        "torgen på kvällarna, nedskräpning och unga som rekryteras till kriminella nätverk."
    ),
    "signal_crimes": (
        "Demo. Skottlossningarna 2015–2016 och skadegörelse på torgen fungerar som signalbrott: de få "
        "händelserna påverkar tryggheten mer än deras antal säger."
    ),
    "analysis": (
        "Demo. Händelserna samlas till ett fåtal platser och till kvällarna. Rutinaktivitetsteorins tre "
        "led pekar på torgen: motiverade gärningspersoner, sårbara mål och få kapabla väktare efter kl. 18."
    ),
    "sources_left_out": (
        "Demo. Skolans och socialtjänstens uppgifter om enskilda används inte: de är personuppgifter och "
        "behövs inte för en lägesbild på områdesnivå. Räddningstjänstens insatser vid bränder finns inte i "
        "Löfte än och redovisas inte."
    ),
    "position_on_measures": (
        "Demo. Nämnden bedömer att åtgärder behövs mot våldet och otryggheten på torgen och beslutar "
        "åtgärdsplanen nedan. Planen följs upp årligen i lägesbilden."
    ),
}


def build(area: Area, promise: Promise, orgs: dict[str, Organisation], users: dict[str, Any]) -> SituationReport:
    coordinator, police_owner = users["samordnare"], users["kommunpolis"]
    sdf, police = orgs["Västra Hisingens stadsdelsförvaltning"], orgs["Lokalpolisområde Hisingen"]
    partners = [police, orgs["Bostadsbolaget"], orgs["Väktarbolaget Väst"]]
    report = services.create(
        coordinator, organisation=sdf, area=area.code, year=2016, title="Lägesbild Västra Hisingen 2016",
        municipality_code="1480", municipality_name="Göteborg", partners=[o.pk for o in partners],
    )  # fmt: skip
    services.write(coordinator, report, **TEXTS)
    services.add_reference(
        coordinator, report, label="Andel som ser nedskräpning som ett problem, hela staden (illustrativt demovärde)",
        kind="survey_share", survey_item="problem_litter", value=40.0, year=2016,
        source="Demo: illustrativt värde, inte en publicerad siffra",
    )  # fmt: skip
    guards = Action.objects.filter(area=area, title__startswith="Väktare").first()
    lighting = Action.objects.filter(area=area, title__startswith="Ny belysning").first()
    services.add_measure(coordinator, report, title="Medborgarlöfte Västra Hisingen 2016–2017",
                         problem="Våld på offentliga platser", cause="Få vuxna och ingen polis på torgen kvällstid",
                         promise=promise.pk, follow_up="Löftets egen uppföljning och trygghetsmätningen 2017",
                         status="ongoing")  # fmt: skip
    if guards:
        services.add_measure(coordinator, report, title="Väktare på torgen kvällstid vid samlingar",
                             problem="Samlingar som skapar otrygghet", cause="Grupperna gör anspråk på torgen",
                             action=guards.pk, responsible=guards.organisation_id, function="Väktarbolagets platschef",
                             follow_up="Samverkansparternas observationer vecka för vecka")  # fmt: skip
    if lighting:
        services.add_measure(coordinator, report, title="Belysning i gångtunneln vid Friskväderstorget",
                             problem="Otrygga platser", cause="Mörka passager", action=lighting.pk,
                             responsible=sdf.pk, function="Trygghetssamordnare", cost_sek=180_000,
                             starts=date(2017, 6, 1), ends=date(2017, 9, 30),
                             follow_up="Invånarrapporter och trygghetsvandring hösten 2017")  # fmt: skip
    services.add_measure(coordinator, report, title="Fältassistenter på kvällstid", problem="Skadegörelse",
                         cause="Unga utan vuxna på kvällarna", responsible=sdf.pk, function="Fältgruppens samordnare",
                         starts=date(2017, 4, 1), ends=date(2018, 3, 31), cost_sek=1_200_000,
                         incident_types=["Skadegörelse"],
                         follow_up="Skadegörelse år för år i lägesbilden")  # fmt: skip
    services.refer(coordinator, report)
    comment = services.comment(police_owner, report, organisation=police,
                               text="Polisen delar bilden. Lägg till att narkotikahandeln vid torget hänger ihop "
                                    "med våldet.")  # fmt: skip
    services.answer(coordinator, comment, text="Tillagt i analysen.")
    services.decide(coordinator, report, body="Stadsdelsnämnden Västra Hisingen", on=date(2017, 3, 15),
                    reference_number="N-2017-0042 (demo)")  # fmt: skip
    return services.publish(coordinator, report)
