"""The Tilgængelighed slice: the accessibility statement (tilgængelighedserklæring) that Danish public
bodies must publish under the web accessibility act (lov om tilgængelighed af offentlige organers
websteder og mobilapplikationer, § 4), in the sections of the EU model statement that Digitaliseringsstyrelsen's
WAS-Tool (was.digst.dk) uses: commitment, compliance status, non-accessible content and why,
how it was evaluated, feedback and contact, enforcement procedure, date.

The text states what the automated and manual tests of issue 16 found (tests/test_a11y_browser.py).
Update STATEMENT_DATE and the lists whenever that changes, and at least once a year.

Contact (how to report a problem): the secretariat's e-mail address and phone number are configured by
the operator, in .streamlit/secrets.toml

    [contact]
    email = "..."
    phone = "..."

or in the environment (OVERBLIK_CONTACT_EMAIL, OVERBLIK_CONTACT_PHONE); secrets win. Digitaliseringsstyrelsen
asks for both a written and a telephone contact. Without an address the statement says, in Danish, that the
operator must set it. Digitaliseringsstyrelsen also asks public bodies to fill in the official statement in its
WAS-Tool, which publishes it at https://www.was.digst.dk/<domain>-dk (a statement host, not a complaint form):
this page follows the same sections, and the operator links it from there.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping

from overblik import region

STATEMENT_DATE = dt.date(2026, 11, 29)  # the statement was prepared / last reviewed on this date
LAW_URL = "https://www.retsinformation.dk/eli/lta/2018/692"
DIGST_URL = "https://digst.dk/digital-inklusion/webtilgaengelighed/"
# Digitaliseringsstyrelsen's page for readers who meet inaccessible content: contact the body first; after 10
# working days without an answer (or an unsatisfactory one) write or phone the agency (20 16 36 12)
DIGST_REPORT_URL = "https://digst.dk/digital-inklusion/webtilgaengelighed/oplever-du-ikke-tilgaengeligt-indhold/"
DIGST_PHONE = "20 16 36 12"
EMAIL_ENV, PHONE_ENV = "OVERBLIK_CONTACT_EMAIL", "OVERBLIK_CONTACT_PHONE"
_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ]{6,18}$")


def commitment() -> str:
    """The statement's opening, naming the served region's KKR (overblik.region), as feedback() does."""
    return (
        f"{region.kkr_name()} og DASSOS forpligter sig til at gøre Rammeaftale-overblik tilgængeligt i "
        f"overensstemmelse med [lov om tilgængelighed af offentlige organers websteder og mobilapplikationer]({LAW_URL}). "
        "Denne erklæring gælder for Rammeaftale-overblik (alle sider)."
    )


STATUS = (
    "Webstedet overholder **delvist** standarden EN 301 549 (WCAG 2.1 niveau AA): de fleste krav er "
    "overholdt, men ikke alle. Det ikke-tilgængelige indhold er beskrevet nedenfor."
)

MEETS = [
    "Siden er på dansk og oplyst som dansk for skærmlæsere, og hver side har sin egen titel.",
    "Hver side har én hovedoverskrift; afsnit og diagrammer har overskrifter i rækkefølge (h1, h2, h3).",
    "Tekst har mindst 4,5:1 kontrast mod baggrunden, også billedtekster, kilder, diagrammernes akser og forklaringer "
    "og tallene i søjler og i varmekortenes felter.",
    "Alle links, knapper, valgknapper, skydere og faner kan nås med tastaturet og har en tydelig fokusmarkering "
    "(mindst 3:1).",
    "Hvert diagram har et tilgængeligt navn og en sætning under sig, der siger, hvad det viser i tal (fx hvor "
    "meget udgifterne steg), og tallene bag diagrammet kan altid vises som tabel og hentes som CSV eller Excel.",
    "Diagrammernes søjler, linjer og punkter har mindst 3:1 kontrast mod baggrunden. Status vises aldrig med farve "
    "alene, men også med symbol og mønster; i stablede søjler har hver kategori sit eget mønster, og i "
    "varmekortene står tallet og ordet i hvert felt.",
    "Kilden til hver central udmelding er et almindeligt link i tabellen og i listen under den, som kan nås med "
    "tastaturet.",
    "Tabellerne med tekst (de centrale udmeldinger og handlingsplanens initiativer) er almindelige tabeller, som "
    "skærmlæsere læser celle for celle, og de viser hver tekst helt.",
    "Valgfelter har danske pladsholdertekster, og korte lister vælges uden fritekst.",
    "Tal i tabeller vises med dansk tusind- og decimaltegn (1.234,5), uanset browserens sprog.",
    "Indholdet kan læses ved 200 % zoom og på smalle skærme ned til 320 px bredde uden vandret rulning: "
    "nøgletal ombrydes, og kolonner stables. Kun brede tabeller rulles vandret inden for sig selv, som WCAG 1.4.10 "
    "tillader for tabeller (se også 'Diagrammer på en telefon' nedenfor).",
]

NOT_ACCESSIBLE = [
    (
        "Betjening af diagrammer",
        "Diagrammerne kan ikke udforskes med tastaturet (fx værdier ved at pege på et punkt) (WCAG 2.1.1). "
        "De samme tal kan nås med tastaturet under 'Vis tal', og sætningen under hvert diagram siger, hvad det viser.",
    ),
    (
        "Engelske tekster fra programmellet",
        "Det underliggende programmel (Streamlit) skriver sine egne knap- og skærmlæsertekster på engelsk "
        "('Skip to main content', 'Main menu', 'Help for ...', periodeskyderens 'start' og 'end', tabellernes "
        "værktøjsknapper, filvælgerens tekster m.fl.). Dashboardet sætter dem på dansk i browseren, så snart de "
        "vises; en ny version af programmellet kan dog bringe tekster, vi endnu ikke har oversat (WCAG 3.1.2).",
    ),
    (
        "Diagrammer på en telefon",
        "Under ca. 640 px bredde er nogle diagrammer med to paneler eller mange kategorier svære at læse, fordi "
        "deres tekster overlapper: på Udgifter kommunerne mod regionen og landet og regionerne, varmekortene på "
        "Udgifter og Kapacitet og tidslinjerne på Centrale udmeldinger og Handlingsplan (WCAG 1.4.10). Tallene kan "
        "altid vises som tabel under 'Vis tal'. På en telefon kan sidehovedet (programmellets) få siden til at "
        "rulle lidt til siden, når knappen 'Main menu' får fokus.",
    ),
    (
        "Fokus i 'Vis tal' på Overblik",
        "Når 'Vis tal' under et af Overbliks fire diagrammer åbnes med tastaturet, bliver fokus på knappen, og "
        "tabulatortasten fortsætter på siden bag den åbne boks; boksens egne knapper nås først efter sidens "
        "fod (WCAG 2.4.3). Escape lukker boksen og sætter fokus tilbage på knappen. Boksen er programmellets "
        "(Streamlit). De samme tal findes under 'Vis tal' på den side, blokken linker til.",
    ),
    (
        "Sortering af talkolonner",
        "Talkolonner vises som dansk tekst, så sortering ved klik på kolonneoverskriften følger tekstens "
        "rækkefølge, ikke talværdien. De hentede filer indeholder tallene som tal.",
    ),
]
REASON = (
    "Indholdet nedenfor overholder ikke kravene (manglende overholdelse). Vi arbejder på at rette det; "
    "de engelske tekster og betjeningen af diagrammer afhænger af det underliggende programmel."
)

METHOD = (
    "Vi har selv evalueret webstedet: en automatisk test med axe-core (WCAG 2.1 A og AA) kører på alle sider, "
    "med udfoldede felter og åbne tal-tabeller, hver gang dashboardet ændres, og den skal finde nul alvorlige "
    "fejl. Derudover testes tastaturbetjening og fokusmarkering på alle sider automatisk, og visningen ved "
    "1.024, 720 og 320 px bredde og på en projektor (1.920 px) er gennemset manuelt."
)


def _secrets() -> Mapping:
    try:
        import streamlit as st

        return st.secrets.to_dict()
    except Exception:  # no secrets.toml at all, or outside a Streamlit run
        return {}


def contact(secrets: Mapping | None = None, environ: Mapping[str, str] | None = None) -> tuple[str | None, str | None]:
    """The secretariat's (e-mail, phone) for reports, from secrets [contact] or the environment; a value
    that is not a plain e-mail address or phone number counts as not set."""
    section = dict((_secrets() if secrets is None else secrets).get("contact") or {})
    env = os.environ if environ is None else environ
    email = str(section.get("email") or env.get(EMAIL_ENV) or "").strip()
    phone = str(section.get("phone") or env.get(PHONE_ENV) or "").strip()
    return (email if _EMAIL.match(email) else None), (phone if _PHONE.match(phone) else None)


def setup_missing() -> str:
    """For the editors (Opdater data), when the statement has no contact: what the operator must set. The
    readers' statement only says the contact is not given yet (feedback)."""
    if any(contact()):
        return ""
    return (
        "Tilgængelighedserklæringen mangler sekretariatets kontaktoplysninger, som loven kræver. Bed den, der "
        "driver dashboardet, om at angive e-mailadresse og telefonnummer (afsnittet `[contact]` i "
        f"`.streamlit/secrets.toml` eller miljøvariablerne `{EMAIL_ENV}` og `{PHONE_ENV}`)."
    )


def feedback(email: str | None, phone: str | None) -> str:
    """'Feedback og kontaktoplysninger' in markdown: how to report a problem to the secretariat."""
    how = (
        "Oplever du indhold, der ikke er tilgængeligt, eller har du brug for tallene i en anden form, så kontakt "
        f"sekretariatet for Rammeaftalen (det fælles sekretariat i {region.kkr_name()})"
    )
    if email:
        shown = email.replace("_", "\\_")  # a plain address (checked): only '_' means something in markdown
        how += f": skriv til [{shown}](mailto:{email})" + (f" eller ring på {phone}" if phone else "") + "."
    elif phone:
        how += f": ring på {phone}."
    else:  # the readers are told only what they can act on; the editors get SETUP_MISSING on Opdater data
        how += ". Sekretariatets e-mailadresse og telefonnummer er ikke oplyst her endnu."
    return (
        how + " Skriv, hvilken side og hvilket indhold det drejer sig om. Du kan også bede om oplysninger om "
        "indhold, der er undtaget fra kravene. Angiv ikke fortrolige eller følsomme personoplysninger, fx "
        "cpr-nummer eller helbredsoplysninger."
    )


ENFORCEMENT = (
    "Digitaliseringsstyrelsen fører tilsyn med, at offentlige organers websteder overholder "
    "webtilgængelighedsloven. Kontakt altid sekretariatet først. Har du ikke fået svar inden for 10 arbejdsdage, "
    "eller er du ikke tilfreds med svaret, kan du rette henvendelse til Digitaliseringsstyrelsen på mail eller "
    f"telefon {DIGST_PHONE}: se [Digitaliseringsstyrelsens side om ikke-tilgængeligt indhold]({DIGST_REPORT_URL}). "
    f"Læs mere på [digst.dk om webtilgængelighed]({DIGST_URL})."
)
