"""The Tilgængelighed slice: the accessibility statement (tilgængelighedserklæring) that Danish public
bodies must publish under the web accessibility act (lov om tilgængelighed af offentlige organers
websteder og mobilapplikationer, § 4), in the sections of the EU model statement that Digitaliseringsstyrelsen's
WAS-Tool (was.digst.dk) uses: commitment, compliance status, non-accessible content and why,
how it was evaluated, feedback and contact, enforcement procedure, date.

The text states what the automated and manual tests of issue 16 found (tests/test_a11y_browser.py).
Update STATEMENT_DATE and the lists whenever that changes, and at least once a year.
"""

from __future__ import annotations

import datetime as dt

STATEMENT_DATE = dt.date(2026, 11, 29)  # the statement was prepared / last reviewed on this date
LAW_URL = "https://www.retsinformation.dk/eli/lta/2018/692"
DIGST_URL = "https://digst.dk/digital-inklusion/webtilgaengelighed/"

COMMITMENT = (
    "{kkr} og DASSOS forpligter sig til at gøre Rammeaftale-overblik tilgængeligt i "
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
    "Tekst har mindst 4,5:1 kontrast mod baggrunden, også billedtekster, kilder og diagrammernes akser og forklaringer.",
    "Alle links, knapper, valgknapper, skydere og faner kan nås med tastaturet og har en tydelig fokusmarkering "
    "(mindst 3:1).",
    "Hvert diagram har et tilgængeligt navn, der siger, hvad det viser, og tallene bag diagrammet kan altid vises "
    "som tabel og hentes som CSV eller Excel.",
    "Tal i tabeller vises med dansk tusind- og decimaltegn (1.234,5), uanset browserens sprog.",
    "Indholdet kan læses ved 200 % zoom og på smalle skærme ned til 320 px bredde uden vandret rulning: "
    "nøgletal ombrydes, og kolonner stables.",
]

NOT_ACCESSIBLE = [
    (
        "Farver i diagrammer",
        "Nogle af diagrammernes farver (orange og lyseblå serier) har mindre end 3:1 kontrast mod den hvide "
        "baggrund (WCAG 1.4.11). Serierne er også mærket med tekst, symboler eller mønstre, og tallene findes i "
        "tabellen under hvert diagram.",
    ),
    (
        "Betjening af diagrammer",
        "Diagrammerne kan ikke udforskes med tastaturet (fx værdier ved at pege på et punkt) (WCAG 2.1.1). "
        "De samme tal kan nås med tastaturet under 'Vis tal'.",
    ),
    (
        "Links inde i tabeller",
        "Kildelinks på siden Centrale udmeldinger ligger inde i en datatabel og kan være svære at nå med "
        "tastatur og skærmlæser (WCAG 2.1.1). Kilderne står også i den hentede CSV- eller Excel-fil.",
    ),
    (
        "Engelske tekster fra programmellet",
        "Enkelte tekster, som det underliggende programmel (Streamlit) skriver, er på engelsk, fx 'Skip to main "
        "content', 'Main menu' og skærmlæserteksten 'Help for ...' ved hjælpeikonerne (WCAG 3.1.2). De kan ikke "
        "ændres fra dashboardet.",
    ),
    (
        "Sortering af talkolonner",
        "Talkolonner vises som dansk tekst, så sortering ved klik på kolonneoverskriften følger tekstens "
        "rækkefølge, ikke talværdien. De hentede filer indeholder tallene som tal.",
    ),
]
REASON = (
    "Indholdet ovenfor overholder ikke kravene (manglende overholdelse). Vi arbejder på at rette det; "
    "de engelske tekster og betjeningen af diagrammer afhænger af det underliggende programmel."
)

METHOD = (
    "Vi har selv evalueret webstedet: en automatisk test med axe-core (WCAG 2.1 A og AA) kører på alle sider, "
    "med udfoldede felter og åbne tal-tabeller, hver gang dashboardet ændres, og den skal finde nul alvorlige "
    "fejl. Derudover testes tastaturbetjening og fokusmarkering på alle sider automatisk, og visningen ved "
    "1.024, 720 og 320 px bredde og på en projektor (1.920 px) er gennemset manuelt."
)

FEEDBACK = (
    "Oplever du indhold, der ikke er tilgængeligt, eller har du brug for tallene i en anden form, så kontakt "
    "det fælles sekretariat for rammeaftalen i {kkr}. Skriv, hvilken side og hvilket indhold det "
    "drejer sig om. Du kan også bede om oplysninger om indhold, der er undtaget fra kravene. Angiv ikke "
    "fortrolige eller følsomme personoplysninger, fx cpr-nummer eller helbredsoplysninger."
)

ENFORCEMENT = (
    "Digitaliseringsstyrelsen fører tilsyn med, at offentlige organers websteder overholder "
    "webtilgængelighedsloven. Er du ikke tilfreds med svaret på din henvendelse, eller har du ikke fået svar, "
    f"kan du klage til Digitaliseringsstyrelsen. Læs mere på [digst.dk om webtilgængelighed]({DIGST_URL})."
)
