"""The data contract: every table, its columns, keys, foreign keys, allowed values and ranges.

This module is the one place for these rules. `validate()` checks a set of tables against them and
returns every problem (never just the first); `coerce()` turns a valid frame into the canonical types
that are written to Parquet.

Column types:
  int    whole number (nullable where `required=False`)
  float  decimal number
  str    text
  date   calendar date (ISO 'YYYY-MM-DD')
  pdate  partial ISO date: 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' (used where sources only give a month)

Every rule an input must pass lives here, so that a workbook, a CSV folder and a StatBank reply are
judged alike: types (Danish numbers and dates, nothing else), ranges, allowed values (matched without
regard to case and surrounding spaces), names that must match the reference, control characters,
text length, rows per table, empty tables, percentages given as fractions, Excel's error values, a
formula without a stored result, numbers written with a unit or readable both as thousands and as
decimals, column names below row 1, empty rows (skipped with a warning), totals rows, dates given as Excel's day number (read,
with a warning). The file-level limits
(size of a file) are here too; overblik.ingest applies them before it reads a file.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900, from_excel, to_excel

STATUSES = ("på sporet", "risiko", "forsinket", "afsluttet", "ikke startet")
AREAS = ("Børn og unge", "Voksne", "Specialundervisning")
TARGET_GROUP_AREAS = ("Børn og unge", "Voksne")
AGE_GROUPS = ("0-17", "18-64", "65+", "0-22")  # 0-22 overlaps: the children's social functions per inhabitant
PRICE_BASES = ("faste", "løbende")
SPENDING_KINDS = ("regnskab", "budget")
OFFER_KINDS = ("rammeaftale", "sikret", "landsdækkende")
BODIES = ("KKR", "DASSOS")
PROVENANCES = ("real", "illustrative")
LANDSDELE = (  # Danmarks Statistik's 11 landsdele (NUTS 3)
    "Byen København",
    "Københavns omegn",
    "Nordsjælland",
    "Bornholm",
    "Østsjælland",
    "Vest- og Sydsjælland",
    "Fyn",
    "Sydjylland",
    "Østjylland",
    "Vestjylland",
    "Nordjylland",
)
REGION_CODE = 1082  # Region Midtjylland as operator

_PDATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_FUNCTION_CODE = re.compile(r"^\d\.\d{2}\.\d{2}$")
_PERIOD = re.compile(r"^\d{4}-\d{2}$")

# Limits on input, checked before anything is published (and, for files, before they are read).
MAX_FILE_MB = 25  # a workbook or CSV file larger than this is refused unread
MAX_UNPACKED_MB = 150  # an .xlsx is a zip: its unpacked parts together may not exceed this
MAX_TEXT = 4000  # characters in one text cell (unless the column says otherwise)
MAX_ROWS = 200_000  # rows in one table (unless the table says otherwise)

# A text beginning with one of these is a formula to a spreadsheet (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Control characters other than tab, line feed and carriage return are refused in text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# Excel's error values (a formula that failed): such a cell holds no value, whatever the column. English as
# an .xlsx stores them; Danish as Danish Excel shows them and writes them to CSV.
EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!"}
    | {"#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"}
    | {"#NUL!", "#DIVISION/0!", "#VÆRDI!", "#REFERENCE!", "#NAVN?", "#I/T"}
)

_REFERENCE = Path(__file__).resolve().parent / "reference"
REGION_NAMES = {
    1081: "Region Nordjylland",
    1082: "Region Midtjylland",
    1083: "Region Syddanmark",
    1084: "Region Hovedstaden",
    1085: "Region Sjælland",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # int, float, str, date, pdate
    description: str  # Danish, shown to the secretariat
    required: bool = True
    allowed: tuple | None = None
    min: float | None = None
    max: float | None = None
    pattern: re.Pattern | None = None
    pattern_hint: str = ""
    max_len: int = MAX_TEXT  # text columns: the most characters a cell may hold
    percent: bool = False  # a percentage (95.5 means 95,5 %): a fraction (0.955) is refused
    # who did something (an editor's e-mail): kept in the snapshot, the editors' workbook and the command line's
    # export, and left out of all a reader can see or download (Table.shown: db's views, the readers' workbook,
    # Om data)
    editors_only: bool = False


@dataclass(frozen=True)
class RowCheck:
    """A rule across columns of one row. `ok(row)` is False where the rule is broken."""

    rule: str  # short rule name, Danish
    column: str  # the column reported
    ok: Callable[[dict], bool]


@dataclass(frozen=True)
class YearChange:
    """A warning when a value changes by more than `share` (0.25: 25 %) from the same entity's previous year
    (the table's key is (entity, year)): the dashboard's own check for a typing slip (a digit too few, a rate
    per week for one per day), not a rule of the agreement. The previous year is the latest earlier year of the
    same entity in the input, else in the current data; a change the current data already holds is not
    warned again."""

    column: str
    what: str  # Danish, what the value is: 'takst'
    entity: str  # Danish, what the key's first column names: 'tilbud'
    share: float

    @property
    def rule(self) -> str:
        """The rule as the Om sheet lists it."""
        return f"{self.what} ændret mere end {bound(self.share * 100)} % fra året før"

    def message(self, entity, y0: int, v0: float, y1: int, v1: float) -> str:
        """'takst ændret −58 % fra 2025 (7.387) til 2026 (3.105) for tilbud T-017; kontrollér tallet (...)'."""
        from overblik import fmt  # fmt reads schema's rules; imported here, not at the top

        change = (v1 / v0 - 1) * 100
        # whole percent, unless that reads as the threshold itself (25,3 % over a threshold of 25 %)
        decimals = 0 if round(abs(change)) > self.share * 100 else 1
        return (
            f"{self.what} ændret {fmt.number(change, decimals, signed=True)} % fra {y0} ({fmt.value(v0)}) til "
            f"{y1} ({fmt.value(v1)}) for {self.entity} {entity}; kontrollér tallet (dashboardets egen kontrol af "
            f"ændringer over {bound(self.share * 100)} %, ikke en regel i rammeaftalen)"
        )


# An offer's rate that changes more than this share from its previous year is flagged at validate/publish.
RATE_CHANGE_SHARE = 0.25


@dataclass(frozen=True)
class Table:
    name: str
    title: str  # Danish
    description: str  # Danish
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    foreign_keys: dict[str, tuple[str, str]] = field(default_factory=dict)
    checks: tuple[RowCheck, ...] = ()
    warnings: tuple[RowCheck, ...] = ()  # valid, but flagged
    year_changes: tuple[YearChange, ...] = ()  # valid, but flagged: a large change from the year before
    max_rows: int = MAX_ROWS
    # columns holding a name that must be one of another table's names, e.g. {"operator": ("operators", "name")}
    names: dict[str, tuple[str, str]] = field(default_factory=dict)
    # (code column, name column, how a municipality's name is written): for a code the reference knows
    # (known_names), the name must be its name, e.g. ("operator_code", "name", "{} Kommune")
    known_names: tuple[str, str, str] | None = None

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def shown(self, editors: bool) -> tuple[Column, ...]:
        """The columns editors (True) or readers (False) may see: a reader never sees an editors_only one."""
        return self.columns if editors else tuple(c for c in self.columns if not c.editors_only)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _known_region(row: dict) -> bool:
    """A municipality the reference knows lies in the reference's region (an empty region_code passes)."""
    code, given = row.get("municipality_code"), row.get("region_code")
    if code is None or given is None or missing(code) or missing(given):
        return True
    want = known_regions().get(int(code))
    return want is None or int(given) == want


def _c(name, type_, description, **kw) -> Column:
    return Column(name, type_, description, **kw)


def _ordered(a: str, b: str) -> Callable[[dict], bool]:
    def ok(row: dict) -> bool:
        x, y = row.get(a), row.get(b)
        if missing(x) or missing(y):
            return True
        return str(x) <= str(y)

    return ok


TABLES: dict[str, Table] = {
    t.name: t
    for t in [
        Table(
            "municipalities",
            "Kommuner",
            "Landets 98 kommuner med Danmarks Statistiks kommunekode, landsdel og region. Dashboardet viser "
            "regionens egne kommuner (indstillingen OVERBLIK_REGION); de øvrige bruges til sammenligning.",
            (
                _c("municipality_code", "int", "Kommunekode (DST, 3 cifre)", min=101, max=999),
                _c("name", "str", "Kommunens navn"),
                _c("landsdel", "str", "Landsdel", allowed=LANDSDELE),
                _c(
                    "region_code",
                    "int",
                    "Regionskode (DST): 1081 Nordjylland, 1082 Midtjylland, 1083 Syddanmark, 1084 Hovedstaden, "
                    "1085 Sjælland; tom = den region, dashboardet viser",
                    required=False,
                    min=1081,
                    max=1085,
                ),
            ),
            key=("municipality_code",),
            known_names=("municipality_code", "name", "{}"),
            checks=(
                RowCheck("regionen passer ikke til kommunekoden (Danmarks Statistik)", "region_code", _known_region),
            ),
        ),
        Table(
            "operators",
            "Driftsherrer",
            "Kommuner og regioner, der driver tilbud (driftsherre). Regionerne har DST-kode 1081-1085.",
            (
                _c(
                    "operator_code",
                    "int",
                    "Driftsherrens kode: kommunekode eller regionskode (1081-1085)",
                    min=101,
                    max=1085,
                ),
                _c("name", "str", "Driftsherrens navn"),
                _c("kind", "str", "Kommune eller region", allowed=("kommune", "region")),
            ),
            key=("operator_code",),
            known_names=("operator_code", "name", "{} Kommune"),
        ),
        Table(
            "population",
            "Befolkning",
            "Folketal 1. januar pr. kommune, år og aldersgruppe. Grupperne 0-17, 18-64 og 65+ dækker alle "
            "aldre; 0-22 overlapper dem og bruges til udgifter pr. indbygger på børne- og ungeområdet.",
            (
                _c("municipality_code", "int", "Kommunekode"),
                _c("year", "int", "År", min=2000, max=2100),
                _c("age_group", "str", "Aldersgruppe", allowed=AGE_GROUPS),
                _c("persons", "int", "Antal personer", min=0, max=10_000_000),
            ),
            key=("municipality_code", "year", "age_group"),
            foreign_keys={"municipality_code": ("municipalities", "municipality_code")},
        ),
        Table(
            "price_index",
            "Prisindeks",
            "Pris- og lønindeks for kommunernes serviceudgifter (PL-indeks, KL/Økonomi- og Indenrigsministeriet) "
            "til faste priser (basisår = 100).",
            (
                _c("year", "int", "År", min=2000, max=2100),
                _c("index", "float", "Indeks (basisår = 100)", min=1, max=1000),
                _c("source", "str", "Kilde, fx 'KL, PL-skøn for serviceudgifter, juni 2026'", required=False),
            ),
            key=("year",),
        ),
        Table(
            "account_functions",
            "Kontofunktioner",
            "Funktioner i den kommunale kontoplan på området.",
            (
                _c("function_code", "str", "Funktion, fx 5.38.50", pattern=_FUNCTION_CODE, pattern_hint="d.dd.dd"),
                _c("name", "str", "Funktionens navn"),
                _c("area", "str", "Område", allowed=AREAS),
                _c("legal_basis", "str", "Lovgrundlag", required=False),
            ),
            key=("function_code",),
        ),
        Table(
            "spending",
            "Udgifter",
            "Nettodriftsudgifter i løbende priser, 1.000 kr., pr. kommune, år og funktion.",
            (
                _c("municipality_code", "int", "Kommunekode"),
                _c("year", "int", "År", min=2000, max=2100),
                _c("function_code", "str", "Funktion"),
                _c("kind", "str", "Regnskab eller budget", allowed=SPENDING_KINDS),
                _c(
                    "net_1000_dkk",
                    "float",
                    "Nettodriftsudgift, 1.000 kr. (løbende priser)",
                    min=-100_000_000,
                    max=100_000_000,
                ),
            ),
            key=("municipality_code", "year", "function_code", "kind"),
            foreign_keys={
                "municipality_code": ("municipalities", "municipality_code"),
                "function_code": ("account_functions", "function_code"),
            },
            max_rows=400_000,  # all 98 municipalities: 98 x ~20 functions x 2 kinds x 30 years = 118,000, with room
        ),
        Table(
            "agreements",
            "Aftaleperioder",
            "Rammeaftalens perioder, udviklingsområder og takstregel.",
            (
                _c("period", "str", "Periode, fx 2025-26", pattern=_PERIOD, pattern_hint="ÅÅÅÅ-ÅÅ"),
                _c("start_year", "int", "Første år", min=2000, max=2100),
                _c("end_year", "int", "Sidste år", min=2000, max=2100),
                _c("development_areas", "str", "Udviklingsområder, adskilt af semikolon"),
                _c("rate_rule", "str", "Takstregel i tekst"),
                _c(
                    "rate_max_yearly_change_pct",
                    "float",
                    "Største tilladte takstændring i forhold til året før perioden, % (0 = kan ikke stige)",
                    required=False,
                    min=-100,
                    max=100,
                ),
                _c(
                    "rate_min_reduction_over_period_pct",
                    "float",
                    "Mindste takstreduktion fra året før perioden til periodens sidste år, %",
                    required=False,
                    min=0,
                    max=100,
                ),
                _c("source", "str", "Kilde", required=False),
                _c(
                    "rate_price_basis",
                    "str",
                    "Takstreglen vurderes i faste priser (renset for pris- og lønudvikling) eller løbende priser",
                    required=False,
                    allowed=PRICE_BASES,
                ),
            ),
            key=("period",),
            checks=(RowCheck("slutår før startår", "end_year", _ordered("start_year", "end_year")),),
        ),
        Table(
            "target_groups",
            "Målgrupper",
            "De seks målgrupper i Rammeaftale 2027-28.",
            (
                _c(
                    "target_group_id",
                    "str",
                    "Målgruppe-id, B1-B3 og V1-V3",
                    pattern=re.compile(r"^[BV]\d$"),
                    pattern_hint="B1 eller V1",
                ),
                _c("area", "str", "Område", allowed=TARGET_GROUP_AREAS),
                _c("short_name", "str", "Kort navn til grafer"),
                _c("name", "str", "Målgruppens fulde navn"),
            ),
            key=("target_group_id",),
        ),
        Table(
            "offers",
            "Tilbud",
            "Tilbud under rammeaftalen, sikrede afdelinger og landsdækkende tilbud.",
            (
                _c("offer_id", "str", "Tilbuddets id"),
                _c("name", "str", "Tilbuddets navn"),
                _c("operator_code", "int", "Driftsherre (kode)"),
                _c("municipality_code", "int", "Beliggenhedskommune (tom hvis uden for regionen)", required=False),
                _c("legal_basis", "str", "Lovgrundlag, fx SEL §108"),
                _c("target_group_id", "str", "Målgruppe", required=False),
                _c("kind", "str", "Type", allowed=OFFER_KINDS),
            ),
            key=("offer_id",),
            foreign_keys={
                "operator_code": ("operators", "operator_code"),
                "municipality_code": ("municipalities", "municipality_code"),
                "target_group_id": ("target_groups", "target_group_id"),
            },
        ),
        Table(
            "offer_years",
            "Tilbud pr. år",
            "Pladser, belægning, takst og over-/underskud pr. tilbud og år.",
            (
                _c("offer_id", "str", "Tilbuddets id"),
                _c("year", "int", "År", min=2000, max=2100),
                _c("places", "int", "Pladser", min=0, max=10_000),
                _c("occupancy_pct", "float", "Belægning, %", min=0, max=200, percent=True),
                _c("budgeted_occupancy_pct", "float", "Budgetteret belægning, %", min=0, max=200, percent=True),
                _c("rate_dkk_per_day", "float", "Takst, kr. pr. døgn/dag", min=0, max=1_000_000),
                _c(
                    "surplus_deficit_1000_dkk",
                    "float",
                    "Over- (+) eller underskud (-), 1.000 kr.",
                    required=False,
                    min=-10_000_000,
                    max=10_000_000,
                ),
            ),
            key=("offer_id", "year"),
            foreign_keys={"offer_id": ("offers", "offer_id")},
            warnings=(
                RowCheck(
                    "overbelægning over 100 %",
                    "occupancy_pct",
                    lambda r: missing(r.get("occupancy_pct")) or float(r["occupancy_pct"]) <= 100,
                ),
            ),
            year_changes=(YearChange("rate_dkk_per_day", "takst", "tilbud", RATE_CHANGE_SHARE),),
        ),
        Table(
            "extra_services",
            "Tillægsydelser",
            "Tillægsydelser i regnskab pr. tilbud og år (ydelser ud over taksten), 1.000 kr. (løbende priser).",
            (
                _c("offer_id", "str", "Tilbuddets id"),
                _c("year", "int", "År", min=2000, max=2100),
                _c("amount_1000_dkk", "float", "Tillægsydelser i regnskab, 1.000 kr.", min=0, max=10_000_000),
            ),
            key=("offer_id", "year"),
            foreign_keys={"offer_id": ("offers", "offer_id")},
        ),
        Table(
            "demand",
            "Efterspørgsel",
            "Kommunernes indberetning pr. målgruppe og år (fra den fælleskommunale afdækning i 2026): oplevede vanskeligheder og efterspørgsel.",
            (
                _c("municipality_code", "int", "Kommunekode"),
                _c("year", "int", "År", min=2000, max=2100),
                _c("target_group_id", "str", "Målgruppe"),
                _c("difficulty", "int", "Oplevet vanskelighed: 0 ingen, 1 lidt, 2 betydelig, 3 stor", min=0, max=3),
                _c("citizens_waiting", "int", "Borgere der venter på et tilbud", min=0, max=100_000),
                _c("placed_private", "int", "Borgere i private tilbud (børn og unge: anbragt)", min=0, max=100_000),
                _c("single_arrangements", "int", "Enkeltmandsforanstaltninger", min=0, max=100_000),
            ),
            key=("municipality_code", "year", "target_group_id"),
            foreign_keys={
                "municipality_code": ("municipalities", "municipality_code"),
                "target_group_id": ("target_groups", "target_group_id"),
            },
        ),
        Table(
            "central_notices",
            "Centrale udmeldinger",
            "Socialstyrelsens / Social- og Boligstyrelsens centrale udmeldinger siden 2014.",
            (
                _c("notice_id", "str", "Id, fx CU-2019-1"),
                _c("target_group", "str", "Målgruppe"),
                _c(
                    "issued",
                    "pdate",
                    "Udmeldt (ÅÅÅÅ-MM-DD, ÅÅÅÅ-MM eller ÅÅÅÅ)",
                    pattern=_PDATE,
                    pattern_hint="ÅÅÅÅ-MM-DD",
                ),
                _c(
                    "report_submitted",
                    "pdate",
                    "Afrapportering indsendt",
                    required=False,
                    pattern=_PDATE,
                    pattern_hint="ÅÅÅÅ-MM-DD",
                ),
                _c("status", "str", "Status"),
                _c(
                    "decision_date",
                    "pdate",
                    "Seneste beslutning/hændelse",
                    required=False,
                    pattern=_PDATE,
                    pattern_hint="ÅÅÅÅ-MM-DD",
                ),
                _c(
                    "renewed_treatment",
                    "pdate",
                    "Fornyet behandling anmodet",
                    required=False,
                    pattern=_PDATE,
                    pattern_hint="ÅÅÅÅ-MM-DD",
                ),
                _c("outcome", "str", "Udfald ('Udfald ikke fundet i offentlige kilder' = udfald ukendt)"),
                _c("midtjylland_response", "str", "Midtjyllands svar", required=False),
                _c("is_open", "int", "Åben (1: styrelsens vurdering afventer) eller ikke (0)", allowed=(0, 1)),
                _c("source_url", "str", "Kilde (link)", pattern=re.compile(r"^https://"), pattern_hint="https://..."),
            ),
            key=("notice_id",),
            checks=(
                RowCheck("afrapportering før udmelding", "report_submitted", _ordered("issued", "report_submitted")),
                RowCheck("beslutning før udmelding", "decision_date", _ordered("issued", "decision_date")),
            ),
        ),
        Table(
            "principles",
            "Fælles principper",
            "De fire fælles principper fra 2027 (P1-P4) og udviklingsområdet (U).",
            (
                _c(
                    "principle_id",
                    "str",
                    "Id: P1-P4 eller U",
                    pattern=re.compile(r"^(P[1-4]|U)$"),
                    pattern_hint="P1-P4 eller U",
                ),
                _c("name", "str", "Navn"),
            ),
            key=("principle_id",),
        ),
        Table(
            "initiatives",
            "Initiativer",
            "Handlingsplanens initiativer under principperne og udviklingsområdet.",
            (
                _c("initiative_id", "str", "Id"),
                _c("principle_id", "str", "Princip (P1-P4) eller udviklingsområdet (U)"),
                _c("title", "str", "Titel"),
                _c("description", "str", "Beskrivelse", required=False),
                _c("owner", "str", "Ansvarlig"),
                _c("start_date", "date", "Startdato", pattern_hint="ÅÅÅÅ-MM-DD"),
                _c("deadline", "date", "Frist", pattern_hint="ÅÅÅÅ-MM-DD"),
            ),
            key=("initiative_id",),
            foreign_keys={"principle_id": ("principles", "principle_id")},
            checks=(RowCheck("frist før start", "deadline", _ordered("start_date", "deadline")),),
        ),
        Table(
            "initiative_updates",
            "Statusopdateringer",
            "Status for initiativerne, opdateret før hvert møde.",
            (
                _c("initiative_id", "str", "Initiativ"),
                _c("update_date", "date", "Dato for opdatering", pattern_hint="ÅÅÅÅ-MM-DD"),
                _c("status", "str", "Status", allowed=STATUSES),
                _c("progress_pct", "float", "Fremdrift, %", min=0, max=100, percent=True),
                _c("note", "str", "Bemærkning", required=False),
                _c(
                    "updated_by",
                    "str",
                    "Opdateret af (e-mail; udfyldes af siden Opdater data)",
                    required=False,
                    editors_only=True,
                ),
            ),
            key=("initiative_id", "update_date"),
            foreign_keys={"initiative_id": ("initiatives", "initiative_id")},
        ),
        Table(
            "meetings",
            "Møder",
            "KKR- og DASSOS-møder; grundlag for 'ændret siden sidste møde'.",
            (
                _c("meeting_date", "date", "Mødedato", pattern_hint="ÅÅÅÅ-MM-DD"),
                _c("body", "str", "Forum", allowed=BODIES),
                _c("title", "str", "Titel"),
            ),
            key=("meeting_date", "body"),
        ),
        Table(
            "secured_units",
            "Sikrede afdelinger",
            "Sikrede institutioner og den sikrede boform, der er relevante for Midtjylland.",
            (
                _c("unit_name", "str", "Navn"),
                _c("operator", "str", "Driftsherre"),
                _c("kind", "str", "Type"),
                _c("places", "int", "Sikrede pladser", min=0, max=10_000),
                _c("places_note", "str", "Pladser som oplyst af driftsherren"),
                _c("offer_id", "str", "Tilbud med belægning i tabellen tilbud (valgfri)", required=False),
                _c("source", "str", "Kilde"),
            ),
            key=("unit_name",),
            foreign_keys={"offer_id": ("offers", "offer_id")},
            names={"operator": ("operators", "name")},
        ),
        Table(
            "national_offers",
            "Landsdækkende tilbud",
            "De lands- og landsdelsdækkende tilbud (liste fra 2015).",
            (
                _c("name", "str", "Navn"),
                _c("note", "str", "Bemærkning", required=False),
            ),
            key=("name",),
        ),
    ]
}


# ---------------------------------------------------------------------------------------------
# Validation


@dataclass(frozen=True)
class Problem:
    table: str
    row: int | None  # the row number the user sees (Excel: header is row 1, first data row is 2)
    column: str | None
    rule: str
    value: object
    file: str = ""
    sheet: str = ""
    severity: str = "fejl"  # 'fejl' blocks publishing, 'advarsel' does not

    def message(self) -> str:
        where = [p for p in (self.file, f"ark {self.sheet}" if self.sheet else "") if p]
        if not where:
            where = [f"tabel {self.table}"]
        if self.row is not None:
            where.append(f"række {self.row}")
        if self.column:
            where.append(f"kolonne {self.column}")
        v = self.value
        from overblik import fmt  # fmt reads schema's rules; imported here, not at the top

        # numbers and dates as the page writes them (1.234,5; 15. jan. 2027), text quoted as it is
        danish = isinstance(v, (numbers.Real, dt.date)) and not isinstance(v, bool)
        shown = fmt.value(v) if danish else repr(v)
        value = f": {shown}" if v is not None and shown else ""
        if len(value) > 120:  # a huge cell is named, not printed
            value = f"{value[:80]}… ({len(str(self.value))} tegn)"
        return f"{self.severity.capitalize()}: {', '.join(where)}: {self.rule}{value}"


@dataclass(frozen=True)
class Origin:
    """Where a frame was read from, so problems name what the user opened."""

    file: str = ""
    sheet: str = ""
    first_row: int = 2  # the user-visible row number of the frame's first data row
    epoch: dt.datetime = CALENDAR_WINDOWS_1900  # the workbook's date system (serial_date); a CSV file has none: 1900


def title(name: str) -> str:
    """A table's Danish title ('Kommuner' for municipalities); an unknown table keeps its name."""
    return TABLES[name].title if name in TABLES else name


def titles(names) -> str:
    """Tables by their Danish titles, 'Kommuner, Udgifter' ('–' for none)."""
    return ", ".join(title(n) for n in names) or "–"


def missing(v) -> bool:
    if v is None:
        return True
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


class BadValue(ValueError):
    """A value that cannot be read; the message is the rule, in Danish."""


@dataclass(frozen=True)
class UnsavedFormula:
    """A workbook cell holding a formula but no stored result (a program wrote it, and it was never
    calculated and saved in Excel): its value is unknown, not empty. overblik.ingest puts it in the cell."""

    formula: str

    def __str__(self) -> str:
        return self.formula

    def __repr__(self) -> str:
        return repr(self.formula)


UNSAVED_FORMULA = "formel uden gemt resultat - åbn filen i Excel, og gem den igen"


_DK_NUMBER = re.compile(r"^[-+]?(\d+|\d{1,3}(\.\d{3})+)(,\d+)?$")  # 1234, 1.234, 1234,5, 1.234,5 (Danish Excel)
_PLAIN_NUMBER = re.compile(r"^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$")  # 95.5 as a program writes it
_ENGLISH = "engelsk talformat; skriv tal som 1.234,5 (komma som decimaltegn)"


_AMBIGUOUS = re.compile(r"^[-+]?\d{1,3}\.\d{3}$")  # 880.912: Danish thousands, or a program's decimals


def _number_text(v: str) -> str:
    return v.strip().replace(" ", "").replace("\xa0", "").replace("\u2212", "-")


def _dot_decimal(v) -> bool:
    """A text number that can only be read with a decimal point (-5041.7, 0.5, 95.30: as a program writes
    it), the evidence that a column's '880.912' means 880,912 rather than 880.912."""
    if not isinstance(v, str):
        return False
    s = _number_text(v)
    return "." in s and bool(_PLAIN_NUMBER.match(s)) and not _DK_NUMBER.match(s)


def ambiguous_number(v, example: tuple[int, str]) -> str | None:
    """The rule broken by a text number that reads both as thousands and as decimals ('880.912') in a
    column that uses the point as decimal separator elsewhere (`example`: its row and value), else None.
    Read the Danish way it would be 1000 times too large."""
    if not isinstance(v, str) or not _AMBIGUOUS.match(_number_text(v)):
        return None
    s = _number_text(v)
    comma = s.replace(".", ",")
    return (
        f"kan læses både som {s} (tusinder) og {comma} (decimaler), fordi kolonnen har punktum som decimaltegn "
        f"i række {example[0]} ({example[1]}); skriv {s.replace('.', '')} eller {comma}"
    )


_WITH_UNIT = re.compile(
    r"^(?P<before>kr\.?\s*)?(?P<number>[-+\u2212]?\d[\d.,\s\xa0]*?)\s*"
    r"(?P<unit>%|pct\.?|procent|(?:(?P<times>mio\.?|mia\.?|t\.)\s*)?(?:kr\.?|dkk)|mio\.?|mia\.?)?$",
    re.IGNORECASE,
)


def _with_unit(v: str) -> str | None:
    """The rule broken by a number written with its unit ('2.811,00 kr.', '95 %', 'kr. 450'), else None."""
    m = _WITH_UNIT.match(v.strip())
    if not m or not (m["before"] or m["unit"]):
        return None
    number = m["number"].strip()
    if not (_DK_NUMBER.match(_number_text(number)) or _PLAIN_NUMBER.match(_number_text(number))):
        return None
    unit = (m["unit"] or m["before"]).strip()
    if m["times"] or unit.lower().startswith(("mio", "mia")):  # 2,5 mio. kr. is not 2,5 in a column of 1.000 kr.
        return f"tal med enhed ({unit}): skriv kun tallet, i kolonnens enhed (se arket Om)"
    return f"tal med enhed ({unit}): skriv kun tallet, fx {number}"


def _number(v) -> float:
    """A finite number from a cell: Danish text ('1.234,5', '95,5'), plain '95.5' or a numeric value."""
    if isinstance(v, bool):
        raise ValueError
    if isinstance(v, str):
        s = _number_text(v)
        if s.lower().lstrip("+-") in ("inf", "infinity", "nan"):
            raise BadValue("skal være et endeligt tal (ikke inf eller nan)")
        if _DK_NUMBER.match(s):
            s = s.replace(".", "").replace(",", ".")
        elif not _PLAIN_NUMBER.match(s):
            unit = _with_unit(v)
            if unit:
                raise BadValue(unit)
            if re.match(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$", s) or ("," in s and "." in s):
                raise BadValue(_ENGLISH)
            raise ValueError
        f = float(s)
    else:
        f = float(v)
    if not math.isfinite(f):
        raise BadValue("skal være et endeligt tal (ikke inf eller nan)")
    return f


def as_int(v):
    if isinstance(v, int) and not isinstance(v, bool):
        return int(v)
    f = _number(v)
    if not f.is_integer():
        raise ValueError
    return int(f)


def as_float(v):
    return _number(v)


_DK_DATE = re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$")  # '15-01-2026', '15.1.2026', '15/01/2026'
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?$")  # a date written with its midnight
_DK_TEXT_DATE = re.compile(r"^(?:(\d{1,2})\.\s*)?([a-zæøå]+)\.?\s+(\d{4})$", re.IGNORECASE)  # '15. jan. 2026'
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "januar"),
            ("feb", "februar"),
            ("mar", "marts"),
            ("apr", "april"),
            ("maj",),
            ("jun", "juni"),
            ("jul", "juli"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("okt", "oktober"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}


def _text_date(s: str) -> tuple[int, int, int | None] | None:
    """'15. jan. 2026' -> (2026, 1, 15); 'jan. 2026' -> (2026, 1, None); else None."""
    m = _DK_TEXT_DATE.match(s)
    if not m or m.group(2).lower() not in _MONTHS:
        return None
    return int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)) if m.group(1) else None


# Excel stores a date as its day number; a cell formatted as Number or General shows it. In the 1900 date system
# 46000 is 9 December 2025; a workbook saved in the 1904 date system (old Mac Excel; openpyxl's wb.epoch is
# CALENDAR_MAC_1904) counts from 1 January 1904, so there the same number is a date 1462 days later. A whole number
# for a date from 1990 to 2100 in a date column is read as that date in the file's date system (Origin.epoch), with a
# warning naming it (serial_date_rule); any other number is refused.
SERIAL_DATES = (dt.date(1990, 1, 1), dt.date(2100, 12, 31))
_SERIAL_TEXT = re.compile(r"^\d{5}$")  # as Excel writes such a cell to CSV: 46000


def serial_date(v, epoch: dt.datetime = CALENDAR_WINDOWS_1900) -> dt.date | None:
    """The date Excel's day number `v` stands for (a whole number, or its digits as text from a CSV file) in the
    date system that starts at `epoch` (the workbook's), when it is a date in SERIAL_DATES; else None."""
    if isinstance(v, str):
        if not _SERIAL_TEXT.match(v.strip()):
            return None
        n = int(v)
    elif isinstance(v, numbers.Real) and not isinstance(v, bool) and math.isfinite(v) and float(v).is_integer():
        n = int(float(v))
    else:
        return None
    if not to_excel(SERIAL_DATES[0], epoch) <= n <= to_excel(SERIAL_DATES[1], epoch):
        return None
    return from_excel(n, epoch).date()


def serial_date_rule(d: dt.date) -> str:
    """The warning for a date given as Excel's day number (its value: the number)."""
    from overblik import fmt  # fmt reads schema's rules; imported here, not at the top

    return (
        f"tallet er læst som datoen {fmt.date(d)} (Excel gemmer en dato som et dagnummer, og cellen har talformat); "
        "kontrollér datoen, og giv cellen datoformat"
    )


def as_date(v, epoch: dt.datetime = CALENDAR_WINDOWS_1900):
    """A date from '15-01-2026', '2026-01-15', '15. jan. 2026', a date/datetime value or Excel's day number
    for a date in SERIAL_DATES (serial_date, in the date system starting at `epoch`); nothing else."""
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, pd.Timestamp):
        return v.date()
    serial = serial_date(v, epoch)
    if serial is not None:
        return serial
    s = str(v).strip()
    m = _DK_DATE.match(s)
    if m:
        return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    m = _ISO_DATE.match(s)
    if m:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    t = _text_date(s)
    if t and t[2] is not None:
        return dt.date(t[0], t[1], t[2])
    raise ValueError


def as_pdate(v, epoch: dt.datetime = CALENDAR_WINDOWS_1900):
    if isinstance(v, (dt.date, pd.Timestamp)):
        return as_date(v).isoformat()
    s = str(v).strip()
    if s.endswith(".0") and s[:-2].isdigit():  # a year read as a number
        s = s[:-2]
    if not _PDATE.match(s):
        t = _text_date(s)
        if t is None:
            return as_date(s, epoch).isoformat()  # '15-01-2026' or Excel's day number (or refused)
        return f"{t[0]}-{t[1]:02d}" if t[2] is None else dt.date(t[0], t[1], t[2]).isoformat()
    if len(s) == 10:
        dt.date.fromisoformat(s)
    return s


def as_text(v, strict: bool = True) -> str:
    """Text as typed, without surrounding spaces. A leading apostrophe that an export put before a
    formula character (see `spreadsheet_text`) is removed; control characters are refused."""
    s = str(v).strip()
    if s.startswith("'") and s.lstrip("'")[:1] in FORMULA_START:
        s = s[1:]
    bad = strict and _CONTROL.search(s)
    if bad:
        raise BadValue(f"teksten indeholder et kontroltegn (U+{ord(bad.group()):04X}), som ikke er tilladt")
    return s


def spreadsheet_text(v):
    """A text cell made harmless for a spreadsheet (OWASP, "CSV Injection"): a text that begins with
    = + - @ tab or carriage return (or apostrophes before one) gets a leading apostrophe, so it is never
    read as a formula. `as_text` removes it again when the file comes back. Other values unchanged."""
    if isinstance(v, str) and v.lstrip("'")[:1] in FORMULA_START:
        return "'" + v
    return v


_CONVERT: dict[str, Callable[..., Any]] = {
    "int": as_int,
    "float": as_float,
    "str": as_text,
    "date": as_date,
    "pdate": as_pdate,
}
TYPE_NAMES = {
    "int": "heltal",
    "float": "tal",
    "str": "tekst",
    # "31-02-2026" is written as the hint says, but the day does not exist: the rule says so
    "date": "en dato, der findes (fx 15-01-2026 eller 2026-01-15)",
    "pdate": "en dato, der findes (fx 15-01-2026, 2026-01 eller 2026)",
}


def convert(col: Column, v, strict: bool = True, epoch: dt.datetime = CALENDAR_WINDOWS_1900):
    """One cell in its column's type (raises ValueError/BadValue); an allowed text value is returned in
    the contract's spelling ('Forsinket ' -> 'forsinket'). `strict=False` (data already published) skips
    the checks on text (control characters, length) and on Excel's error values. `epoch`: the date system of
    the file the cell came from (Origin.epoch), for a date given as Excel's day number."""
    if strict and isinstance(v, str) and v.strip().upper() in EXCEL_ERRORS:
        raise BadValue("Excel-fejl i cellen")
    if isinstance(v, UnsavedFormula):
        raise BadValue(UNSAVED_FORMULA)
    if col.type == "str":
        x = as_text(v, strict)
    elif col.type in ("date", "pdate"):
        x = _CONVERT[col.type](v, epoch)
    else:
        x = _CONVERT[col.type](v)
    if col.type == "str":
        if strict and len(x) > col.max_len:
            raise BadValue(f"teksten er for lang ({len(x)} tegn, højst {col.max_len})")
        if col.allowed is not None:
            x = next((a for a in col.allowed if isinstance(a, str) and a.casefold() == x.casefold()), x)
    return x


def bound(x: float) -> str:
    """A rule's limit as the secretariat reads numbers: 100.000.000 and −10.000.000, not 1e+08."""
    from overblik import fmt  # fmt reads schema's rules; imported here, not at the top

    return fmt.value(x)


def _converted(
    table: Table, df: pd.DataFrame, origin: Origin, row_nos: list[int], problems: list[Problem]
) -> list[dict]:
    """Rows with each value converted to its column type; bad values are reported (row i as the user's
    row_nos[i]) and set to None."""
    rows = []
    present = [c for c in table.columns if c.name in df.columns]
    records = df.to_dict("records")
    # per number column, the first value written with a decimal point (row, value): then '880.912' is ambiguous
    dot_decimal = {
        col.name: next(((row_nos[i], v) for i, v in enumerate(df[col.name].tolist()) if _dot_decimal(v)), None)
        for col in present
        if col.type in ("int", "float")
    }
    for i, rec in enumerate(records):
        row_no = row_nos[i]
        out: dict[str, Any] = {}
        for col in present:
            v = rec[col.name]
            if isinstance(v, str) and v.strip() == "":
                v = None
            if missing(v):
                out[col.name] = None
                if col.required:
                    problems.append(
                        Problem(table.name, row_no, col.name, "påkrævet værdi mangler", None, origin.file, origin.sheet)
                    )
                continue
            try:
                example = dot_decimal.get(col.name)
                ambiguous = example and ambiguous_number(v, example)
                if ambiguous:
                    raise BadValue(ambiguous)
                x = convert(col, v, epoch=origin.epoch)
            except (ValueError, TypeError, OverflowError) as e:
                rule = str(e) if isinstance(e, BadValue) else f"skal være {TYPE_NAMES[col.type]}"
                problems.append(Problem(table.name, row_no, col.name, rule, v, origin.file, origin.sheet))
                out[col.name] = None
                continue
            out[col.name] = x
            serial = serial_date(v, origin.epoch) if col.type in ("date", "pdate") else None
            if serial is not None:  # Excel's day number: read as the date, and said so the user can check it
                problems.append(
                    Problem(
                        table.name, row_no, col.name, serial_date_rule(serial), v, origin.file, origin.sheet, "advarsel"
                    )
                )
            if col.allowed is not None and x not in col.allowed:
                allowed = ", ".join(str(a) for a in col.allowed)
                problems.append(
                    Problem(
                        table.name, row_no, col.name, f"ikke en tilladt værdi ({allowed})", v, origin.file, origin.sheet
                    )
                )
            if col.min is not None and x < col.min:
                problems.append(
                    Problem(table.name, row_no, col.name, f"mindre end {bound(col.min)}", v, origin.file, origin.sheet)
                )
            if col.max is not None and x > col.max:
                problems.append(
                    Problem(table.name, row_no, col.name, f"større end {bound(col.max)}", v, origin.file, origin.sheet)
                )
            if col.pattern is not None and col.type != "pdate" and not col.pattern.match(str(x)):
                problems.append(
                    Problem(
                        table.name,
                        row_no,
                        col.name,
                        f"forkert format (forventet {col.pattern_hint})",
                        v,
                        origin.file,
                        origin.sheet,
                    )
                )
        rows.append(out)
    return rows


_known: dict[int, str] = {}


def known_names() -> dict[int, str]:
    """{code: name} of Danmarks Statistik's 98 municipalities (overblik/reference/municipalities.csv)."""
    if not _known:
        ref = pd.read_csv(_REFERENCE / "municipalities.csv", dtype=str, keep_default_na=False, encoding="utf-8")
        _known.update({int(c): n.strip() for c, n in zip(ref["municipality_code"], ref["name"])})
    return _known


_regions: dict[int, int] = {}


def known_regions() -> dict[int, int]:
    """{code: region code} of Danmarks Statistik's 98 municipalities (overblik/reference/municipalities.csv)."""
    if not _regions:
        ref = pd.read_csv(_REFERENCE / "municipalities.csv", dtype=str, keep_default_na=False, encoding="utf-8")
        _regions.update({int(c): int(r) for c, r in zip(ref["municipality_code"], ref["region_code"])})
    return _regions


def _plain(v):
    """A value in a form that compares equal whether it came from input or from a snapshot."""
    if missing(v):
        return None
    if isinstance(v, (dt.datetime, pd.Timestamp)):
        return v.date()
    if hasattr(v, "item") and not isinstance(v, str):
        return v.item()
    return v


FRACTION = (
    "ligner en brøk, ikke en procent (Excel-procentformat gemmer 95,5 % som 0,955); skriv procenten som tal, fx 95,5"
)


def hundred_as_one(entity: str) -> str:
    """The warning for a whole 1 where the same entity's other values are 20 or more (its value: the 1)."""
    return (
        f"læst som 1 %, men de øvrige værdier for samme {entity} er 20 eller mere; står der 100 % i "
        "Excel-procentformat (gemt som 1), så skriv 100"
    )


def _fractions(table: Table, rows: list[dict], ref_rows: list[dict]) -> list[tuple[int, str, bool]]:
    """(row index, column, refused) of percentages that look like fractions (Excel's percent format stores
    95,5 % as 0,955 and 100 % as 1), among values 0 < value < 2:
    - a value that is not whole where the same entity's other values (a new entity: the column's) lie around
      20 or more (median), or where the whole input column lies below 2 with some values not whole: refused;
    - a whole 1 is 1 % (a new initiative), unless the whole column is fractions as above (then it is 100 %);
      where the same entity's own other values lie around 20 or more it is accepted with a warning (refused=False)."""
    out = []
    ent = table.key[0] if len(table.key) > 1 else None
    for col in (c.name for c in table.columns if c.percent):
        history: dict = {}
        for r in rows + ref_rows:
            v = r.get(col)
            if v is not None and not missing(v) and float(v) >= 2:
                history.setdefault(r.get(ent) if ent else None, []).append(float(v))
        everyone = [v for vs in history.values() for v in vs]
        given = [float(r[col]) for r in rows if r.get(col) is not None]
        column_of_fractions = bool(given) and all(v < 2 for v in given) and any(not v.is_integer() for v in given)
        for i, r in enumerate(rows):
            v = r.get(col)
            if v is None or not 0 < v < 2:
                continue
            own = history.get(r.get(ent) if ent else None)
            if column_of_fractions:
                out.append((i, col, True))
            elif not float(v).is_integer():
                h = own or everyone
                if h and statistics.median(h) >= 20:
                    out.append((i, col, True))
            elif own and statistics.median(own) >= 20:
                out.append((i, col, False))
    return out


def _entity_year_value(r: dict, ent: str, year: str, col: str) -> tuple[object, int, float] | None:
    """A row's (entity, year, value), or None when it lacks one of them."""
    e, y, v = r.get(ent), r.get(year), r.get(col)
    if e is None or y is None or v is None or missing(e) or missing(y) or missing(v):
        return None
    return e, int(y), float(v)


def _by_entity(rows: list[dict], ent: str, year: str, col: str) -> dict:
    """{entity: {year: value}} of the rows that have all three."""
    by: dict = {}
    for r in rows:
        got = _entity_year_value(r, ent, year, col)
        if got:
            by.setdefault(got[0], {})[got[1]] = got[2]
    return by


def _year_before(years: dict, y) -> tuple:
    """(year, value) of the latest year before `y` in {year: value}, or (None, None)."""
    earlier = [x for x in years if x < y]
    return (max(earlier), years[max(earlier)]) if earlier else (None, None)


def _year_changes(table: Table, rows: list[dict], ref_rows: list[dict]) -> list[tuple[int, str, str]]:
    """(row index, column, rule) of the input rows whose value changed more than a YearChange's share from the same
    entity's latest earlier year (in the input, else in the current data `ref_rows`), unless the current data
    already holds that very change (the user did not make it)."""
    out: list[tuple[int, str, str]] = []
    if not table.year_changes:
        return out
    ent, year = table.key
    for yc in table.year_changes:
        col = yc.column
        known, given = _by_entity(ref_rows, ent, year, col), _by_entity(rows, ent, year, col)
        had = {  # the changes the current data holds: (entity, y0, v0, y1, v1)
            (e, *_year_before(ys, y), y, v) for e, ys in known.items() for y, v in ys.items()
        }
        for i, r in enumerate(rows):
            got = _entity_year_value(r, ent, year, col)
            if got is None:
                continue
            e, y, v = got
            y0, v0 = _year_before({**known.get(e, {}), **given.get(e, {})}, y)
            if not v0 or abs(v / v0 - 1) <= yc.share or (e, y0, v0, y, v) in had:
                continue
            out.append((i, col, yc.message(e, y0, v0, y, v)))
    return out


BLANK_ROW = "tom række: springes over"


def blank_rows(df: pd.DataFrame) -> list[bool]:
    """Per row, whether every cell is empty (a row whose contents were deleted, not the row itself)."""
    return [
        all(missing(v) or (isinstance(v, str) and not v.strip()) for v in rec)
        for rec in df.itertuples(index=False, name=None)
    ]


# A totals row's label (casefolded, spaces collapsed, a trailing ':' or '.' dropped): the whole label, or a word that
# only a total begins or ends with ('I alt 2025', 'Aarhus Total', Danish Excel's pivot 'Hovedtotal').
_TOTAL_LABELS = frozenset(
    {"sum", "summa", "samlet", "samlet sum", "hele regionen", "regionen", "hele landet", "alle", "alle kommuner"}
)
_TOTAL_WORD = re.compile(r"^(i ?alt|totalt?|hovedtotal|subtotal|sum i alt)\b|\b(i ?alt|totalt?|hovedtotal|subtotal)$")
SUM_ROW = "ligner en sumrække: slet rækken – dashboardet lægger selv tallene sammen"


def _total_label(v) -> bool:
    if not isinstance(v, str):
        return False
    s = " ".join(v.casefold().split()).rstrip(":.").strip()
    return s in _TOTAL_LABELS or bool(_TOTAL_WORD.search(s))


def sum_rows(table: Table, df: pd.DataFrame) -> dict[int, tuple[str, str]]:
    """{row index: (column, label)} of the rows whose label reads as a total ('I alt', 'Total', 'Sum', 'Hele
    regionen'), in a key column or the sheet's first column: a total typed under the rows, which the dashboard
    computes itself (published, it would count everything twice)."""
    columns = [c for c in df.columns[:1] if c not in table.key] + [c for c in table.key if c in df.columns]
    out = {}
    for i, rec in enumerate(df[columns].itertuples(index=False, name=None)):
        found = next(((c, v) for c, v in zip(columns, rec) if _total_label(v)), None)
        if found:
            out[i] = found
    return out


def _header_below(table: Table, df: pd.DataFrame, look: int = 10) -> int | None:
    """The index of a data row (among the first `look`) that holds the table's column names when the
    header row does not hold all required ones: rows above the names, such as a title, moved them down."""
    if all(c.name in df.columns for c in table.columns if c.required):
        return None
    names = set(table.column_names)
    in_header = len(names & set(df.columns))
    for i, rec in enumerate(df.head(look).itertuples(index=False, name=None)):
        found = len(names & {str(v).strip() for v in rec if not missing(v)})
        if found >= max(2, in_header + 1):
            return i
    return None


def validate(
    tables: dict[str, pd.DataFrame],
    origins: dict[str, Origin] | None = None,
    reference: dict[str, pd.DataFrame] | None = None,
    allow_empty: set[str] | frozenset[str] = frozenset(),
) -> list[Problem]:
    """Check tables against the contract and return every problem.

    `tables` holds the frames to check (unknown names are reported). Foreign keys and names are resolved
    against `tables` first and then against `reference` (e.g. the current snapshot, for tables the
    input does not carry). Warnings are given only for rows that differ from the same table in
    `reference` (rows the user changed). A table without rows is refused unless named in `allow_empty`.
    """
    origins = origins or {}
    reference = reference or {}
    problems: list[Problem] = []
    converted: dict[str, list[dict]] = {}
    numbering: dict[str, list[int]] = {}  # per table, the user's row number of each converted row

    for name, df in tables.items():
        origin = origins.get(name, Origin())
        if name not in TABLES:
            problems.append(Problem(name, None, None, "ukendt tabel", name, origin.file, origin.sheet))
            continue
        table = TABLES[name]
        below = _header_below(table, df)
        if below is not None:  # one error, not one for every column and a broken link for every row
            problems.append(
                Problem(
                    name,
                    None,
                    None,
                    f"række {origin.first_row - 1} skal være kolonnenavnene, men de står i række "
                    f"{origin.first_row + below}: slet rækkerne over dem",
                    None,
                    origin.file,
                    origin.sheet,
                )
            )
            continue
        # an empty row between rows is skipped with a warning (a row whose contents were deleted: publishing
        # gives what deleting the row would), not refused with 'påkrævet værdi mangler' for each column
        blank = blank_rows(df)
        row_nos = [origin.first_row + i for i, b in enumerate(blank) if not b]
        if any(blank):
            problems += [
                Problem(name, origin.first_row + i, None, BLANK_ROW, None, origin.file, origin.sheet, "advarsel")
                for i, b in enumerate(blank)
                if b
            ]
            df = df[[not b for b in blank]].reset_index(drop=True)
        # a totals row: one message, not 'påkrævet værdi mangler' for its blank cells and a broken link; refused
        totals = sum_rows(table, df)
        if totals:
            problems += [
                Problem(name, row_nos[i], column, SUM_ROW, label, origin.file, origin.sheet)
                for i, (column, label) in totals.items()
            ]
            row_nos = [n for i, n in enumerate(row_nos) if i not in totals]
            df = df[[i not in totals for i in range(len(df))]].reset_index(drop=True)
        for col in table.columns:
            if col.name not in df.columns and col.required:  # an optional column may be left out (older files)
                problems.append(Problem(name, None, col.name, "kolonne mangler", None, origin.file, origin.sheet))
        for extra in df.columns:
            if extra not in table.column_names:
                problems.append(
                    Problem(name, None, str(extra), "ukendt kolonne", str(extra), origin.file, origin.sheet)
                )
        if len(df) == 0 and name not in allow_empty:
            problems.append(
                Problem(
                    name,
                    None,
                    None,
                    "tabellen er tom. Slet arket/filen for at beholde de aktuelle data, "
                    "eller angiv --tom " + name + ", hvis tabellen skal være tom",
                    None,
                    origin.file,
                    origin.sheet,
                )
            )
        if len(df) > table.max_rows:
            problems.append(
                Problem(
                    name,
                    None,
                    None,
                    f"for mange rækker ({len(df)}, højst {table.max_rows})",
                    None,
                    origin.file,
                    origin.sheet,
                )
            )
            continue
        rows = _converted(table, df, origin, row_nos, problems)
        converted[name], numbering[name] = rows, row_nos

        # unique key
        seen: dict[tuple, int] = {}
        for i, r in enumerate(rows):
            if any(k not in r for k in table.key):
                break
            k = tuple(r[c] for c in table.key)
            if any(v is None for v in k):
                continue
            row_no = row_nos[i]
            if k in seen:
                value = k[0] if len(k) == 1 else " / ".join(str(v) for v in k)
                problems.append(
                    Problem(
                        name,
                        row_no,
                        ", ".join(table.key),
                        f"nøglen findes allerede i række {seen[k]}",
                        value,
                        origin.file,
                        origin.sheet,
                    )
                )
            else:
                seen[k] = row_no

        # names fixed by the reference (a misspelt municipality breaks every link that names it)
        if table.known_names and all(c in df.columns for c in table.known_names[:2]):
            code_col, name_col, written = table.known_names
            for i, r in enumerate(rows):
                code = r.get(code_col)
                expected = (REGION_NAMES.get(code) if code is not None else None) or (
                    written.format(known_names()[code]) if code in known_names() else None
                )
                if expected is not None and r.get(name_col) is not None and r[name_col] != expected:
                    problems.append(
                        Problem(
                            name,
                            row_nos[i],
                            name_col,
                            f"navnet passer ikke til koden {r[code_col]} (Danmarks Statistik: {expected})",
                            r[name_col],
                            origin.file,
                            origin.sheet,
                        )
                    )

        # rows as they are in the reference: no warnings for those (the user did not change them)
        ref_rows = []
        if name in reference and (table.warnings or table.year_changes or any(c.percent for c in table.columns)):
            ref_rows = [{k: _plain(v) for k, v in r.items()} for r in coerce(name, reference[name]).to_dict("records")]
        # compared on the columns the input has: a renamed header (a column missing, already an error) made
        # every row "changed" and buried that error under a warning for each unchanged row
        present = [c for c in table.column_names if c in df.columns]
        unchanged = {tuple(r.get(c) for c in present) for r in ref_rows}

        # percentages given as fractions (Excel's percent format stores 95,5 % as 0,955); a warning only for a
        # row the user changed
        for i, frac_col, refused in _fractions(table, rows, ref_rows):
            if not refused and tuple(_plain(rows[i].get(c)) for c in present) in unchanged:
                continue
            rule = FRACTION if refused else hundred_as_one(table.key[0])
            severity = "fejl" if refused else "advarsel"
            problems.append(
                Problem(name, row_nos[i], frac_col, rule, rows[i][frac_col], origin.file, origin.sheet, severity)
            )

        # a large change from the same entity's year before (an offer's rate): a warning, not a rule of the agreement
        for i, changed, rule in _year_changes(table, rows, ref_rows):
            problems.append(
                Problem(name, row_nos[i], changed, rule, rows[i][changed], origin.file, origin.sheet, "advarsel")
            )

        # row rules
        for i, r in enumerate(rows):
            row_no = row_nos[i]
            for check in table.checks:
                if not check.ok(r):
                    problems.append(
                        Problem(name, row_no, check.column, check.rule, r.get(check.column), origin.file, origin.sheet)
                    )
            if table.warnings and tuple(_plain(r.get(c)) for c in present) in unchanged:
                continue
            for check in table.warnings:
                if not check.ok(r):
                    problems.append(
                        Problem(
                            name,
                            row_no,
                            check.column,
                            check.rule,
                            r.get(check.column),
                            origin.file,
                            origin.sheet,
                            severity="advarsel",
                        )
                    )

    # foreign keys and names that must be another table's names; not against an input table with errors in
    # the column linked to or in the table as a whole (a shifted header broke every link to it: 1,827 errors)
    broken = {(p.table, p.column) for p in problems if p.severity == "fejl"}
    for name, rows in converted.items():
        table = TABLES[name]
        origin = origins.get(name, Origin())
        links = [(c, t, rc, False) for c, (t, rc) in table.foreign_keys.items()]
        links += [(c, t, rc, True) for c, (t, rc) in table.names.items()]
        for link_col, ref_table, ref_col, by_name in links:
            if ref_table in tables and ({(ref_table, ref_col), (ref_table, None)} & broken):
                problems.append(
                    Problem(
                        name,
                        None,
                        link_col,
                        f"ikke kontrolleret mod {ref_table}.{ref_col}, fordi {ref_table} selv har fejl; ret dem først",
                        None,
                        origin.file,
                        origin.sheet,
                        severity="advarsel",
                    )
                )
                continue
            if ref_table in converted:
                targets = {r.get(ref_col) for r in converted[ref_table]}
            elif ref_table in reference:
                targets = set(coerce(ref_table, reference[ref_table])[ref_col].dropna().tolist())
            else:
                continue
            folded = {str(t).casefold(): t for t in targets if t is not None} if by_name else {}
            for i, r in enumerate(rows):
                v = r.get(link_col)
                if v is not None and v not in targets:
                    hint = f"; mente du {folded[v.casefold()]}?" if by_name and v.casefold() in folded else ""
                    problems.append(
                        Problem(
                            name,
                            numbering[name][i],
                            link_col,
                            f"findes ikke i {ref_table}.{ref_col}{hint}",
                            v,
                            origin.file,
                            origin.sheet,
                        )
                    )
    return problems


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "fejl"]


# ---------------------------------------------------------------------------------------------
# Canonical types


_DTYPES = {"int": "Int64", "float": "Float64", "str": "string", "pdate": "string"}


def coerce(name: str, df: pd.DataFrame, epoch: dt.datetime = CALENDAR_WINDOWS_1900) -> pd.DataFrame:
    """A copy of a valid frame with exactly the contract's columns, in order, in canonical types. `epoch`: the
    date system of the file the frame was read from (Origin.epoch), for dates given as Excel's day numbers."""
    table = TABLES[name]
    blank = blank_rows(df)
    if any(blank):  # skipped by validate (with a warning): never published as a row of nothing
        df = df[[not b for b in blank]].reset_index(drop=True)
    out = pd.DataFrame(index=range(len(df)))
    for col in table.columns:
        values = df[col.name].tolist() if col.name in df.columns else [None] * len(df)
        conv = []
        for v in values:
            if isinstance(v, str) and v.strip() == "":
                v = None
            conv.append(None if missing(v) else convert(col, v, strict=False, epoch=epoch))
        if col.type == "date":
            out[col.name] = pd.Series(conv, dtype="object")
        else:
            out[col.name] = pd.array(conv, dtype=_DTYPES[col.type])
    return out


def arrow_schema(name: str):
    import pyarrow as pa

    types = {"int": pa.int64(), "float": pa.float64(), "str": pa.string(), "pdate": pa.string(), "date": pa.date32()}
    table = TABLES[name]
    return pa.schema([pa.field(c.name, types[c.type], nullable=not c.required) for c in table.columns])
