"""Opdater data (/opdater): the secretariat's workplace, for editors only.

Download the workbook; upload a workbook or a zip of CSV files, validate it and see every problem; see
what would change (per table, and on Overblik's headline numbers); publish with a note; the history
with rollback; update the action plan (handlingsplan) and the meetings. The same pipeline as the
command line: ingest.plan -> store.publish, store.rollback (cli.py prints, this slice returns view data).

Every action here calls auth.require_editor() first, on the server, whoever calls it (the page's
callbacks included): a reader or an anonymous user gets auth.NotEditor and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections.abc import Callable, Collection, Mapping, MutableMapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from overblik import auth, clock, data, db, filters, fmt, ingest, schema, store
from overblik import handlingsplan as hp
from overblik import overblik as overview

UPLOAD_LIMIT_MB = schema.MAX_FILE_MB
UPLOAD_HARD_LIMIT_MB = 4 * UPLOAD_LIMIT_MB  # the browser refuses only beyond this; check_upload says why in Danish
EXAMPLES = 3  # example rows shown per kind of change and table
PROBLEMS_SHOWN = 1_000  # problems listed on the page; all of them are in the Excel download
SUMMARY_FROM = 20  # more problems than this are also counted by rule and column
EXCEL_ROWS = 1_048_575  # rows below the header an Excel sheet can hold
SEVERITY = {"fejl": "Fejl", "advarsel": "Advarsel"}


SESSION_ENDED = (
    "Du er ikke længere logget ind som redaktør (login er udløbet, eller du er logget ud), så det, du var i "
    "gang med, er ikke udført: intet er udgivet eller ændret, og alle ser de samme data som før. Log ind igen, "
    "og upload filen eller gem ændringerne igen."
)


class Refused(ValueError):
    """An editor action refused with a Danish message; nothing was written."""


# ---------------------------------------------------------------------------------------------
# 1. Download


def workbook() -> tuple[str, Callable[[], bytes]]:
    """(file name, builder) of the current data as the editable workbook (Om, Kilder, one sheet per table)."""
    sid = data.snapshot_id()
    return f"rammeaftale-overblik-{sid}.xlsx", lambda: ingest.workbook_bytes(sid, editors=True)


# ---------------------------------------------------------------------------------------------
# 2. Upload and validation


@dataclass
class Checked:
    """An uploaded file, validated: the plan (what publishing would write) or why it cannot be read."""

    file_name: str
    plan: ingest.Plan | None
    unreadable: str | None = None
    unreadable_line: int | None = None  # the line of a CSV file the message names

    # worked out once per checked file, not on every run of the page: a file can have hundreds of thousands
    # of problems

    @cached_property
    def errors(self) -> int:
        return 1 if self.unreadable else len(schema.errors(self.plan.problems)) if self.plan else 0

    @cached_property
    def warnings(self) -> int:
        return 0 if self.plan is None else len(self.plan.problems) - len(schema.errors(self.plan.problems))

    @property
    def problem_count(self) -> int:
        return self.errors + self.warnings

    @cached_property
    def problems(self) -> list[schema.Problem]:
        """The plan's problems, errors first (each kind in the order found)."""
        return sorted(self.plan.problems if self.plan else [], key=lambda p: p.severity != "fejl")

    @property
    def publishable(self) -> bool:
        return self.plan is not None and self.plan.ok


def check_upload(
    name: str, raw: bytes, progress: Callable[[str], None] | None = None, allow_empty: Collection[str] = ()
) -> Checked:
    """Read and validate an uploaded .xlsx / .csv / .zip (editors only). Nothing is written.
    `allow_empty` names the tables meant to be empty (the CLI's --tom); an empty sheet is refused otherwise."""
    who = auth.require_editor()
    with tempfile.TemporaryDirectory(prefix="overblik-upload-") as tmp:
        try:
            path = ingest.save_upload(name, raw, Path(tmp))
            plan = ingest.plan(
                path, progress=progress or (lambda msg: None), allow_empty=frozenset(allow_empty), by=who
            )
        except ingest.InputError as e:
            return Checked(Path(name).name, None, str(e), e.line)
    return Checked(Path(name).name, plan)


_HOW_TO_FIX = {  # by the kind of file: where its errors are put right
    ".xlsx": "ret dem i Excel, og upload filen igen.",
    ".csv": "ret filen, og upload den igen.",
    ".zip": "ret CSV-filerne, og upload zip-filen igen.",
}


def refused(checked: Checked) -> str:
    """The headline over a file with errors (markdown): how many, and what to do, as fits the file. A StatBank
    reply (REGK31.csv, ..., or a file whose only errors are such replies) is not put right at all but fetched on
    the Danmarks Statistik tab; a workbook is put right in Excel; a CSV file (or a zip of them) in the file."""
    from overblik import opdater_dst  # it imports this module

    counts = (
        f"{fmt.count(checked.errors, 'fejl', 'fejl')} og {fmt.count(checked.warnings, 'advarsel', 'advarsler')} "
        f"i {fmt.md(checked.file_name)}."
    )
    errors = schema.errors(checked.problems)
    if opdater_dst.is_statbank_reply(checked.file_name) or (errors and all(_statbank_reply(p) for p in errors)):
        return (
            f"{counts} Intet kan udgives herfra: udtræk fra Danmarks Statistik hentes og udgives under fanen "
            f'"{opdater_dst.TAB}" øverst på denne side.'
        )
    how = _HOW_TO_FIX.get(Path(checked.file_name).suffix.lower(), "ret filen, og upload den igen.")
    return f"{counts} Intet kan udgives, før fejlene er rettet: {how}"


_HINTS = (  # (start of the rule, how to fix it); the first match wins
    (
        "påkrævet værdi mangler",
        "Udfyld cellen. Ser den udfyldt ud i Excel, er det en formel uden gemt resultat eller en flettet celle: "
        "skriv selve værdien i hver celle (ophæv fletningen).",
    ),
    (
        "Excel-fejl i cellen",
        "Cellen viser en fejl fra en formel. Ret formlen, eller skriv selve værdien, gem, og upload igen.",
    ),
    (
        "formel uden gemt resultat",
        "Åbn filen i Excel, og gem den igen: så gemmer Excel formlens resultat. Eller skriv selve værdien i cellen.",
    ),
    (
        "skal være kolonnenavnene",
        "Slet rækkerne over kolonnenavnene (fx en overskrift), så navnene står i række 1 som i arket Om.",
    ),
    (
        "ikke kontrolleret mod",
        "Ret først fejlene i den tabel, der henvises til; henvisningerne kontrolleres, når du uploader igen.",
    ),
    (
        "intet prisindeks",
        "Tilføj året i arket price_index (pris- og lønindekset, fx KL's skøn for året), og upload igen. Indtil da "
        "udelades året i faste priser; løbende priser vises som før.",
    ),
    ("tom række", "Rækken er tom og udgives ikke. Slet den i Excel for at undgå advarslen."),
    (
        "ligner en sumrække",
        "Slet hele rækken i Excel: dashboardet regner summer og gennemsnit ud fra de enkelte rækker, så en sumrække "
        "ville tælle alt med to gange.",
    ),
    (
        "tallet er læst som datoen",
        "Kontrollér, at det er den rigtige dato. Giv cellen datoformat i Excel (Formatér celler > Dato), så viser "
        "Excel datoen, og advarslen forsvinder.",
    ),
    ("kolonne mangler", "Tilføj kolonnen med præcis dette navn i række 1 (se arket Om)."),
    ("ukendt kolonne", "Slet kolonnen, eller ret overskriften til et navn fra arket Om."),
    ("ukendt tabel", "Omdøb arket (filen) til et tabelnavn fra arket Om, eller slet det."),
    ("ikke en tilladt værdi", "Vælg en af de tilladte værdier (listen i cellen eller arket Om)."),
    (
        "tal med enhed",
        "Slet enheden (kr., %, mio. kr.): cellen skal kun indeholde tallet, i kolonnens enhed (arket Om).",
    ),
    ("engelsk talformat", "Skriv tallet med komma som decimaltegn, fx 1.234,5."),
    (
        "kan læses både som",
        "Skriv tallet uden tusindtalspunktum eller med komma som decimaltegn, som reglen viser. Skriver et "
        "program filen, så lad det bruge komma som decimaltegn.",
    ),
    ("mindre end", "Ret tallet, så det ligger inden for intervallet i arket Om."),
    ("større end", "Ret tallet, så det ligger inden for intervallet i arket Om."),
    ("nøglen findes allerede", "Hver nøgle må kun stå én gang: slet eller ret den ene af rækkerne."),
    ("findes ikke i", "Ret værdien, så den findes i den tabel, der henvises til, eller tilføj den dér først."),
    (
        "tabellen er tom",
        "Slet arket for at beholde de aktuelle data, eller udfyld det. Skal tabellen være tom, så vælg den under "
        '"Tabeller, der skal være tomme", og upload igen.',
    ),
    ("ligner en brøk", "Skriv procenten som tal, fx 95,5 (ikke 0,955)."),
    (
        "læst som 1 %",
        "Er det 1 %, så lad det stå. Viser cellen 100 % (procentformat), så skriv 100 i en celle med talformat.",
    ),
    ("navnet passer ikke", "Brug navnet fra Danmarks Statistik, som reglen nævner."),
    (
        "takst ændret",
        "Sammenlign med tilbuddets takstblad (fx et ciffer for meget eller for lidt, eller en takst pr. uge i stedet "
        "for pr. døgn). Er taksten rigtig, så lad den stå: advarslen blokerer ikke udgivelsen.",
    ),
    ("skal være", "Skriv værdien i det format, reglen nævner (tal: 1.234,5; dato: 15-01-2026)."),
    ("tabellen findes hverken", "Slet linjen i Kilder, eller tilføj tabellen."),
)


def hint(rule: str) -> str:
    """How to fix a problem, in Danish, from its rule."""
    for start, text in _HINTS:
        if rule.startswith(start) or start in rule:
            return text
    return "Ret værdien efter reglen, og upload filen igen."


def _where(p: schema.Problem) -> str:
    return p.sheet or p.file or p.table


def _statbank_reply(p: schema.Problem) -> bool:
    """An unknown table named as a StatBank reply (REGK31.csv): it belongs on the tab Danmarks Statistik."""
    from overblik import opdater_dst  # it imports this module

    return p.rule == "ukendt tabel" and opdater_dst.is_statbank_reply(_where(p) or "")


def _rule(p: schema.Problem) -> str:
    if _statbank_reply(p):
        from overblik import opdater_dst

        return opdater_dst.statbank_reply_message(_where(p))
    return "tabellen er tom" if p.rule.startswith("tabellen er tom") else p.rule  # not the CLI's --tom advice


def _hint(p: schema.Problem) -> str:
    if _statbank_reply(p):
        from overblik import opdater_dst

        return opdater_dst.STATBANK_REPLY_HINT
    return hint(p.rule)


def problems_table(checked: Checked, limit: int | None = None) -> pd.DataFrame:
    """The problems, errors first (the first `limit` of them; default all): severity, sheet (or file), Excel
    row, column, rule, value, hint."""
    cols = ["Alvor", "Ark", "Række", "Kolonne", "Regel", "Værdi", "Sådan retter du"]
    if checked.unreadable:
        return pd.DataFrame(
            [
                [
                    "Fejl",
                    checked.file_name,
                    checked.unreadable_line,
                    "",
                    checked.unreadable,
                    "",
                    "Gem filen igen, og upload den.",
                ]
            ],
            columns=cols,
        ).astype({"Række": "Int64"})
    rows = [
        [
            SEVERITY.get(p.severity, p.severity),
            _where(p),
            p.row,
            p.column or "",
            _rule(p),
            fmt.value(p.value),
            _hint(p),
        ]
        for p in checked.problems[:limit]
    ]
    return pd.DataFrame(rows, columns=cols).astype({"Række": "Int64"})


ROW_COLUMNS = ("Række", "Første række")


def on_screen(problems: pd.DataFrame) -> pd.DataFrame:
    """A problems table (problems_table, problems_summary) as the page shows it: the Excel row as text, and '–'
    for a problem with no row (a whole file or sheet); st.dataframe showed a missing number as 'None'."""
    out = problems.copy()
    for c in ROW_COLUMNS:
        if c in out.columns:
            out[c] = [fmt.MISSING if pd.isna(v) else str(int(v)) for v in out[c]]
    return out


# the part of a rule that differs from row to row: 'nøglen findes allerede i række 7', 'tallet er læst som datoen
# 9. dec. 2025 (...)', 'takst ændret −58 % fra 2025 (7.387) til 2026 (3.105) for tilbud T1; ...'; the summary
# counts them as one rule
_ROW_IN_RULE = re.compile(r" i række \d+$|(?<=læst som datoen )[^(]+(?= \()|(?<=takst ændret )[^;]+(?=;)")


def _varying(m: re.Match) -> str:
    return "" if m.group().startswith(" i række") else "…"


def problems_summary(checked: Checked) -> pd.DataFrame:
    """The problems counted by severity, sheet, column and rule, errors first, then the most frequent: how
    many, the first Excel row, and the hint."""
    groups: dict[tuple, list] = {}
    for p in checked.problems:
        k = (SEVERITY.get(p.severity, p.severity), _where(p), p.column or "", _ROW_IN_RULE.sub(_varying, _rule(p)))
        g = groups.setdefault(k, [0, None, p])
        g[0] += 1
        if p.row is not None and (g[1] is None or p.row < g[1]):
            g[1] = p.row
    rows = [[*k, n, first, _hint(p)] for k, (n, first, p) in groups.items()]
    rows.sort(key=lambda r: (r[0] != SEVERITY["fejl"], -r[4]))
    cols = ["Alvor", "Ark", "Kolonne", "Regel", "Antal", "Første række", "Sådan retter du"]
    return pd.DataFrame(rows, columns=cols).astype({"Første række": "Int64"})


def problems_more(checked: Checked) -> str:
    """What the page says under its list when it shows only the first PROBLEMS_SHOWN problems ('' otherwise)."""
    rest = checked.problem_count - PROBLEMS_SHOWN
    if rest <= 0:
        return ""
    more = f"og {fmt.count(rest, 'problem', 'problemer')} mere; hent hele listen som Excel"
    if checked.problem_count > EXCEL_ROWS:
        more += f" (de første {fmt.number(EXCEL_ROWS)}: flere kan et Excel-ark ikke rumme)"
    return f"Listen viser de første {fmt.number(PROBLEMS_SHOWN)} (fejl først), {more}."


# ---------------------------------------------------------------------------------------------
# 3. What will change


def empty_choices() -> dict[str, str]:
    """Table name -> 'Danish title (name)' for "Tabeller, der skal være tomme"."""
    return {n: f"{t.title} ({n})" for n, t in schema.TABLES.items()}


def _keyed(name: str, df: pd.DataFrame) -> dict[tuple, dict]:
    key = list(schema.TABLES[name].key)
    frame = schema.coerce(name, df)
    out = {}
    for r in frame.to_dict("records"):
        out[tuple(str(r[k]) for k in key)] = {c: (None if schema.missing(v) else v) for c, v in r.items()}
    return out


def _column(table: str, column: str) -> str:
    """A column as the change examples name it: its Danish description ('Takst, kr. pr. døgn')."""
    cols = {c.name: c.description for c in schema.TABLES[table].columns} if table in schema.TABLES else {}
    return cols.get(column, column)


_DATE_TEXT = {"date": fmt.date, "pdate": fmt.pdate}  # schema column type -> its Danish text


def _shown(table: str, column: str, v, other=fmt.value) -> str:
    """A value as the change examples show it: a date the Danish way ('10. dec. 2026'; a partial date at the
    precision it has, 'dec. 2026'), anything else by `other` (fmt.value: 2.840,5; a key's part: str, as it is,
    '2026', '751'); '–' for none."""
    if v is None:
        return fmt.MISSING
    types = {c.name: c.type for c in schema.TABLES[table].columns} if table in schema.TABLES else {}
    return _DATE_TEXT.get(types.get(column, ""), other)(v) or fmt.MISSING


def _key_text(table: str, key: tuple) -> str:
    """A row's key as the change examples name it: '10. dec. 2026 / KKR'."""
    return " / ".join(_shown(table, c, v, str) for c, v in zip(schema.TABLES[table].key, key))


def table_changes(plan: ingest.Plan) -> pd.DataFrame:
    """Per changed table: rows added, changed and removed (by the table's key), examples, and whether it
    stays illustrative. Examples are plain text (st.dataframe shows them as text)."""
    rows = []
    for name, new in plan.frames.items():
        old = plan.current.get(name)
        if old is not None and schema.coerce(name, new).equals(schema.coerce(name, old)):
            continue
        a = _keyed(name, old) if old is not None else {}
        b = _keyed(name, new)
        added = [k for k in b if k not in a]
        removed = [k for k in a if k not in b]
        changed = [k for k in b if k in a and a[k] != b[k]]
        examples = [f"ny: {_key_text(name, k)}" for k in added[:EXAMPLES]]
        for k in changed[:EXAMPLES]:
            diffs = [
                f"{_column(name, c)} {_shown(name, c, a[k].get(c))} → {_shown(name, c, b[k][c])}"
                for c in b[k]
                if a[k].get(c) != b[k][c]
            ]
            examples.append(f"ændret: {_key_text(name, k)} ({'; '.join(diffs[:3])})")
        examples += [f"fjernet: {_key_text(name, k)}" for k in removed[:EXAMPLES]]
        rows.append(
            {
                "Tabel": schema.title(name),
                "Nye rækker": len(added),
                "Ændrede rækker": len(changed),
                "Fjernede rækker": len(removed),
                "Eksempler": " · ".join(examples),
                "Datagrundlag": "Fiktive eksempeldata"
                if plan.meta[name].provenance == "illustrative"
                else "Reelle data",
            }
        )
    return pd.DataFrame(
        rows, columns=["Tabel", "Nye rækker", "Ændrede rækker", "Fjernede rækker", "Eksempler", "Datagrundlag"]
    )


def still_illustrative(plan: ingest.Plan) -> list[str]:
    """The tables (Danish titles) that stay illustrative after publishing."""
    return [schema.title(n) for n, m in plan.meta.items() if m.provenance == "illustrative"]


def _headline_values() -> list[tuple[str, str, str]]:
    """Overblik's eight headline numbers with its defaults (whole region, every year, both areas, the
    last meeting before today), for this thread's pinned snapshot: (block, label, value)."""
    opts = filters.options()
    f = filters.Filters(opts["years"][0], opts["years"][-1], (), tuple(opts["municipalities"]), opts["names"])
    day = clock.today()
    s = overview.spending(f.params(), f.whole_region)
    heads = overview.headlines(s, overview.capacity_block(f.params()), overview.notices(day), overview.plan(day))
    return [(block, h.label, h.value) for block, pair in heads.items() for h in pair]


def headline_changes(plan: ingest.Plan) -> pd.DataFrame:
    """Overblik's headline numbers now and after publishing (computed by the same queries over a preview
    snapshot that is removed again)."""
    auth.require_editor()
    pinned = getattr(db._run, "sid", None)  # restored afterwards: None outside a page run
    preview = store.preview(plan.frames, plan.meta)
    try:
        db.pin(plan.based_on or data.snapshot_id())
        before = _headline_values()
        db.pin(preview)
        after = _headline_values()
    finally:
        db.pin(pinned)
        store.drop_preview(preview)
    rows = []
    for (block, label, v0), (_, label1, v1) in zip(before, after):
        rows.append(
            {
                "Blok": block,
                "Nøgletal": label if label == label1 else f"{label} → {label1}",
                "Nu": v0,
                "Efter udgivelse": v1,
                "Ændret": "ja" if v0 != v1 or label != label1 else "",
            }
        )
    return pd.DataFrame(rows, columns=["Blok", "Nøgletal", "Nu", "Efter udgivelse", "Ændret"])


# ---------------------------------------------------------------------------------------------
# 4. Publish


def _note(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise Refused("Skriv en bemærkning til udgivelsen (fx 'Før DASSOS 12. nov.'). Intet er udgivet.")
    try:
        return schema.as_text(note)
    except ValueError as e:
        raise Refused(f"Bemærkningen kan ikke bruges: {e}. Intet er udgivet.") from None


REPLACE_CONSENT = "Ja, erstat det, der er udgivet siden"


def publish(checked: Checked, note: str, replace: bool = False) -> str:
    """Publish a validated upload as the new current snapshot (editors only; a note is required).
    Raises Refused (errors remain, no note, or a workbook exported before the latest publishes that would
    delete or change what they published, without `replace`: the editor's tick), store.Conflict (someone
    published since the upload was checked) or store.Busy. Returns the new snapshot id."""
    who = auth.require_editor()
    text = _note(note)
    if not checked.publishable or checked.plan is None:
        raise Refused("Filen har fejl og kan ikke udgives. Ret fejlene, og upload den igen. Intet er udgivet.")
    p = checked.plan
    try:
        ingest.require_consent(p, replace)
    except ingest.Overwrites as e:
        raise Refused(f'Intet er udgivet. {e} Sæt hak i "{REPLACE_CONSENT}", hvis filen skal erstatte det.') from None
    return store.publish(p.frames, p.meta, note=text, based_on=p.based_on, by=who)


def check_again(file_name: str) -> str:
    """What the page adds when a publish was refused because newer data was published after the check: the
    check and the changes shown were of the old data, so the file is to be uploaded (and checked) again."""
    return (
        f"Kontrollen af {file_name} og ændringerne gjaldt de data, der var aktuelle før, så filen er fjernet. "
        "Upload den igen for at se, hvad den ændrer nu (også i det, der er udgivet siden), eller hent de nyeste "
        "data i trin 1, og ret dem."
    )


# ---------------------------------------------------------------------------------------------
# 5. History and rollback


def dataset(sid: str | None, full: bool = True) -> str:
    """A snapshot as the page's messages name it (store.dataset_name: the day and time it was published, who
    and the note; never the id alone). Plain text: quote it with fmt.md."""
    return store.name_of(sid, full=full)


def history() -> pd.DataFrame:
    """Every snapshot, newest first: its name (when it was published), current, who, note, the tables it
    changed; last its id, for the command line (`rollback ID`)."""
    h = store.snapshot_history()

    return pd.DataFrame(
        {
            "Datasæt": [store.dataset_name(i, c) for i, c in zip(h["id"], h["created"])],
            "Aktuelt": h["current"].map({True: "● aktuelt", False: ""}),
            "Af": [b if isinstance(b, str) and b else "–" for b in h["by"]],
            "Bemærkning": h["note"].fillna(""),
            "Ændrede tabeller": [schema.titles([*c, *a]) for c, a in zip(h["changed"], h["added"])],
            "Id": h["id"],
        }
    )


def events() -> pd.DataFrame:
    """Publishes and rollbacks made by editors (the events log), newest first; each snapshot by its name."""
    e = store.events()
    names = {d["id"]: store.doc_name(d) for d in store.list_snapshots()}
    return pd.DataFrame(
        {
            "Tidspunkt": [fmt.moment(t) for t in e["at"]],
            "Handling": e["action"].map({"publish": "Udgivet", "rollback": "Rullet tilbage"}).fillna(e["action"]),
            "Datasæt": [names.get(i, i) for i in e["id"]],
            "Før": [names.get(b, b) if isinstance(b, str) else "–" for b in e["before"]],
            "Af": e["by"],
            "Bemærkning": e["note"].fillna(""),
        }
    )


def rollback_choices() -> dict[str, str]:
    """Label -> snapshot id of every snapshot that is not current, newest first. The label is the snapshot's
    name with its note ('29. nov. 2026 kl. 13.01, rikke@kommune.dk: Kapacitet …'), the tables it changed, and
    the id last in brackets: it tells apart two published the same minute and is what the command line's
    `rollback ID` takes."""
    h = store.snapshot_history()
    return {
        f"{store.dataset_name(r['id'], r['created'], r['by'], r['note'] or '(ingen bemærkning)', full=True)} · "
        f"ændrede: {fmt.shorten(schema.titles([*r['changed'], *r['added']]), 80)} (id {r['id']})": r["id"]
        for _, r in h.iterrows()
        if not r["current"]
    }


def rollback(sid: str, note: str) -> None:
    """Make an earlier snapshot current again (editors only; a note is required); recorded with who/when."""
    who = auth.require_editor()
    text = _note(note)
    if sid not in {d["id"] for d in store.list_snapshots()}:
        raise Refused(f"Det valgte datasæt ({sid}) findes ikke. Intet er ændret.")
    store.rollback(sid, by=who, note=text)


# ---------------------------------------------------------------------------------------------
# The action plan and the meetings


# The editors' tables (Handlingsplan, Møder) remember the snapshot they were first shown from, as an upload
# remembers the one it was checked against (Plan.based_on), and keep showing that snapshot's data while they
# hold unsaved edits, so the edits stay on screen (shown the newer data, the grid re-applied them to other rows,
# or dropped them when the number of rows changed). Their save publishes on top of the current snapshot when the
# tables it writes (WRITES) are the same there as in the one the table started from (store.require_unchanged,
# the one place for that rule): the editor's own other saves and others' publishes of other tables do not stop
# it; a change to those very tables does (store.Conflict), as the save would overwrite it. A table without
# unsaved edits follows the current snapshot.

# The tables each editor's table's save writes (add_initiative's form also writes "initiatives").
WRITES = {"opd-plan": ("initiative_updates",), "opd-meetings": ("meetings",)}


def _has_edits(value) -> bool:
    """Whether a data editor's state (edited_rows, added_rows, deleted_rows) holds unsaved edits."""
    return isinstance(value, Mapping) and any(value.get(k) for k in ("edited_rows", "added_rows", "deleted_rows"))


# Unsaved edits survive leaving the page. Streamlit drops a widget's state in a run that does not draw it (the
# editor opened another page), and has no "leave page" hook; so every edit is also kept, by the data editor's
# on_change (keep_draft, called before the run's body, even one cut short by the page switch), as a draft: the
# table's rows with the edits applied, in an ordinary session key. Drawn again without its state, the table is
# drawn under a new key from the draft (editing), says so (Grid.restored), and is saved, compared and described
# against the snapshot's own rows (Grid.original). A draft counts as unsaved edits: the table stays on the snapshot
# it started from, so a draft over tables changed since is refused (blocked, store.require_unchanged), never
# written over them. A save, "Hent de nyeste data" and "Kassér ændringerne" end it (editing_done).


def _draft(name: str) -> str:
    return f"{name}-draft"


def _redrawn(name: str) -> str:
    return f"{name}-shown"  # (key, rows): the draft a table was drawn from again under that key


def editing(state: MutableMapping, name: str, current: str) -> tuple[str, str]:
    """(snapshot, widget key) of the editor's table `name` (e.g. 'opd-plan') in the session's `state`: the
    snapshot it started from, and the key of its data editor (a new one whenever it moves to newer data, and when
    it is drawn again from a draft because its own state is gone)."""
    n = state.setdefault(f"{name}-n", 0)
    based = state.get(f"{name}-based-on")
    draft = state.get(_draft(name))
    if based != current and (based is None or (draft is None and not _has_edits(state.get(f"{name}-editor-{n}")))):
        if based is not None:
            n = state[f"{name}-n"] = n + 1
        state[f"{name}-based-on"] = based = current
    key = f"{name}-editor-{n}"
    if key not in state and (draft is not None or _redrawn(name) in state):
        # The editor left the page: the grid's own edits are gone. A new grid (the browser may still hold the old
        # one's edits), drawn from the draft; or, when the edits of a grid drawn from a draft were undone (no draft
        # left), from the snapshot again, not from that old draft.
        n = state[f"{name}-n"] = n + 1
        key = f"{name}-editor-{n}"
        if draft is not None:
            state[_redrawn(name)] = (key, draft)
        else:
            state.pop(_redrawn(name))
    return based, key


def editing_done(state: MutableMapping, name: str) -> None:
    """After a save, or when the editor gives up the edits (for the newest data, or "Kassér ændringerne"): a new,
    empty table from the current snapshot, and no draft (a data editor handed new data reset its edits in the
    browser and reran the page, which swallowed the confirmation)."""
    state[f"{name}-n"] = state.get(f"{name}-n", 0) + 1
    for k in (f"{name}-based-on", _draft(name), _redrawn(name)):
        state.pop(k, None)


@dataclass
class Grid:
    """An editor's table as the page draws it: `rows` are what its data editor is given (the snapshot's rows,
    or a draft from earlier in the session), `original` the snapshot's own rows, which a save compares with."""

    name: str
    based_on: str
    key: str
    original: pd.DataFrame
    rows: pd.DataFrame
    restored: bool  # drawn from a draft: unsaved edits from earlier in the session (the page says so)


def grid(state: MutableMapping, name: str, current: str, rows_of: Callable[[str], pd.DataFrame]) -> Grid:
    """The editor's table `name` (editing), with `rows_of(snapshot)` its rows in a snapshot."""
    based, key = editing(state, name, current)
    original = rows_of(based)
    shown = state.get(_redrawn(name))
    if shown is None or shown[0] != key:
        return Grid(name, based, key, original, original, False)
    return Grid(name, based, key, original, shown[1], _draft(name) in state)


def keep_draft(state: MutableMapping, table: Grid) -> None:
    """The data editor's on_change: its rows with the edits as they now stand, kept as the table's draft (none
    when they are the snapshot's rows again)."""
    rows = applied(table.rows, state.get(table.key))
    if same_rows(rows, table.original):
        state.pop(_draft(table.name), None)
    else:
        state[_draft(table.name)] = rows


# The data contract's date columns: an editor's table with no rows has no value to tell a date column by.
_DATE_COLUMNS = {c.name for t in schema.TABLES.values() for c in t.columns if c.type == "date"}


def applied(rows: pd.DataFrame, edits) -> pd.DataFrame:
    """`rows` with a data editor's edits (edited_rows, added_rows, deleted_rows: row positions, raw values)
    applied as st.data_editor applies them: a value parsed by its column's kind (number, date, text), new rows
    last, deleted rows left out."""
    out = rows.copy()
    if not isinstance(edits, Mapping):
        return out
    dates = {c for c in rows.columns if c in _DATE_COLUMNS or any(isinstance(v, dt.date) for v in rows[c])}

    def parse(column: str, v):
        if schema.missing(v):
            return None
        if pd.api.types.is_float_dtype(rows[column]):
            return float(v)
        return pd.Timestamp(v).date() if column in dates else str(v)

    for pos, change in (edits.get("edited_rows") or {}).items():
        for c, v in change.items():
            if c in out.columns:
                out.iat[int(pos), out.columns.get_loc(c)] = parse(c, v)
    gone = [p for p in edits.get("deleted_rows") or () if 0 <= p < len(out)]
    out = out.drop(out.index[gone])
    added = [{c: parse(c, r.get(c)) for c in out.columns} for r in edits.get("added_rows") or ()]
    if added:
        out = pd.concat([out, pd.DataFrame(added, columns=out.columns).astype(out.dtypes.to_dict())])
    return out.reset_index(drop=True)


def _cell(v) -> str:
    if schema.missing(v):
        return ""
    if isinstance(v, dt.date):
        return pd.Timestamp(v).date().isoformat()
    if isinstance(v, int | float) and not isinstance(v, bool):
        return repr(float(v))
    return str(v).strip()


def same_rows(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Whether two versions of an editor's table hold the same rows (in any order; empty rows and cells as
    blanks, a date as its day, a number as its value, text without surrounding spaces)."""
    if list(a.columns) != list(b.columns):
        return False
    rows = lambda df: sorted(r for r in (tuple(map(_cell, t)) for t in df.itertuples(index=False)) if any(r))  # noqa: E731
    return rows(a) == rows(b)


def draft_notice(save: str) -> str:
    """What an editor's table drawn again from a draft says above it; `save` is its save button's label."""
    return (
        "Tabellen viser ændringer, du lavede tidligere i denne session og ikke har gemt (de blev husket, da du "
        f'forlod siden). Gem dem med "{save}", eller kassér dem.'
    )


# A form's fields (Nyt initiativ, the rollback, the date of a status update, Danmarks Statistik's years and note)
# are kept the same way, as the form's draft: every change is also kept by the field's on_change (keep_form), and
# fields drawn again without their state (the editor left the page) are given the draft's values before they are
# drawn (Form.restored: the page says so). No st.form: its fields send nothing until it is submitted, so what was
# typed never reached the session. A successful send and "Kassér det udfyldte" end the draft (form_done): the
# fields are empty from the next time they are drawn (given their empty values, not removed: a removed value
# came back from the browser).


def _cleared(name: str) -> str:
    return f"{name}-cleared"


@dataclass
class Form:
    """A form's fields as the page draws them: `defaults` maps each field's widget key to its empty value."""

    name: str
    defaults: dict[str, object]
    restored: bool  # its values are a draft from earlier in the session, given back (the page says so)


def form(
    state: MutableMapping, name: str, defaults: Mapping[str, object], allowed: Mapping[str, Collection] | None = None
) -> Form:
    """The form `name` with its fields (widget key -> empty value, `defaults`), ready to draw: a field without state
    (drawn for the first time, or again after the editor left the page) gets the form's draft value, or its empty
    value; one no longer among `allowed[key]` (a choice gone from newer data) its empty value. Draw each field
    with its key only (no value or index: it has one) and on_change=keep_form."""
    draft = state.get(_draft(name))
    if state.pop(_cleared(name), False):
        for k, v in defaults.items():
            state[k] = v
    for k, v in defaults.items():
        if k in state:
            continue
        value = draft.get(k, v) if draft is not None else v
        if allowed and k in allowed and value not in allowed[k]:
            value = v
        state[k] = value
        if _cell(value) != _cell(v):
            state[_redrawn(name)] = True
    return Form(name, dict(defaults), _draft(name) in state and _redrawn(name) in state)


def keep_form(state: MutableMapping, fields: Form) -> None:
    """A form field's on_change: the form's values as they now stand, kept as its draft (none when every field is
    empty again)."""
    values = {k: state.get(k, v) for k, v in fields.defaults.items()}
    if all(_cell(values[k]) == _cell(v) for k, v in fields.defaults.items()):
        for k in (_draft(fields.name), _redrawn(fields.name)):
            state.pop(k, None)
    else:
        state[_draft(fields.name)] = values


def keep(state: MutableMapping, fields: Form) -> dict:
    """A form field's on_change and its args (draw the field with **keep(...)): every change kept as the form's
    draft (keep_form)."""
    return {"on_change": keep_form, "args": (state, fields)}


DISCARD_FORM = "Kassér det udfyldte"  # the button under form_notice that ends a form's draft (form_done)


def form_done(state: MutableMapping, name: str) -> None:
    """After a successful send, or "Kassér det udfyldte": no draft, and empty fields the next time they are drawn."""
    for k in (_draft(name), _redrawn(name)):
        state.pop(k, None)
    state[_cleared(name)] = True


def keep_tab(state: MutableMapping, key: str) -> None:
    """The tabs' on_change: the tab chosen, kept in the session beyond the widget's own state (which goes when the
    editor leaves the page), so that kept_tab opens it again when she comes back."""
    state[f"{key}-kept"] = state.get(key)


def kept_tab(state: MutableMapping, key: str) -> str | None:
    """The tab to open: the one the editor last chose in this session (keep_tab), or None (the first)."""
    return state.get(f"{key}-kept")


def form_notice(send: str) -> str:
    """What a form drawn again from its draft says above its fields; `send` is its button's label."""
    return (
        "Felterne viser det, du udfyldte tidligere i denne session (det blev husket, da du forlod siden). Det er "
        f'ikke gemt endnu: tryk "{send}", når det er klar, eller kassér det.'
    )


def blocked(name: str, based_on: str, current: str) -> bool:
    """Whether the save of the editor's table `name` (started from `based_on`) would be refused now: the tables
    it writes were changed in a snapshot published since (store.require_unchanged's rule)."""
    return based_on != current and bool(store.changed_since(based_on, WRITES[name], current))


def newer_data(based_on: str, current: str) -> str:
    """What an editor's table says when the tables its save writes were changed in newer data published while it
    had unsaved edits."""
    shown, newer = store.names_apart([based_on, current])
    return (
        f"Tabellen viser datasæt {shown}, men datasæt {newer} er udgivet, siden du begyndte at rette. Dine "
        "ændringer kan ikke gemmes oven på de nye data. Skriv dem af, hent de nyeste data, og ret igen: de "
        "ændringer, der ikke er gemt, forsvinder."
    )


EDIT_COLUMNS = ["initiative_id", "principle_id", "title", "status", "progress_pct", "note", "update_date"]


def initiatives_for_editing(day: dt.date | None = None, sid: str | None = None) -> pd.DataFrame:
    """Every initiative with its latest status, progress and note (the editor changes these), from the
    snapshot `sid` (default: this run's)."""
    with db.pinned(sid or data.snapshot_id()):
        df = hp.initiatives(day or clock.today())
    out = df[EDIT_COLUMNS].copy()
    out["note"] = out["note"].astype(object).where(out["note"].notna(), "")
    out["progress_pct"] = out["progress_pct"].astype(float)
    return out.reset_index(drop=True)


def _current_tables(
    based_on: str, writes: Collection[str], who: str
) -> tuple[str, dict[str, pd.DataFrame], dict[str, store.TableMeta]]:
    """(id, tables, metadata) of the current snapshot, which a save that writes the tables `writes` publishes on
    top of; store.Conflict (nothing is worked out or written) when one of them differs from the one in `based_on`,
    the snapshot the editor's data came from (store.require_unchanged)."""
    sid = store.require_unchanged(based_on, writes, by=who)
    doc = store.manifest(sid)
    meta = {n: store.TableMeta(e["provenance"], e["source"], e["data_date"]) for n, e in doc["tables"].items()}
    return sid, store.read_tables(sid), meta


def _publish_tables(sid: str, tables: dict, meta: dict, changed: dict[str, pd.DataFrame], note: str, who: str) -> str:
    """Validate the changed tables against the rest of the snapshot `sid` (the current one, _current_tables) and
    publish on top of it (a changed table keeps its provenance,
    gets the source 'Sekretariatet (Opdater data)' and today's date). Raises Refused with the problems."""
    problems = schema.validate(changed, reference=tables)
    errs = schema.errors(problems)
    if errs:
        raise Refused("Intet er udgivet: " + "; ".join(p.message() for p in errs[:5]))
    frames = {**tables, **{n: schema.coerce(n, df) for n, df in changed.items()}}
    today = clock.today().isoformat()
    new_meta = dict(meta)
    for n in changed:
        old = meta.get(n)
        new_meta[n] = store.TableMeta(old.provenance if old else "illustrative", "Sekretariatet (Opdater data)", today)
    return store.publish(frames, new_meta, note=note, based_on=sid, by=who)


def save_initiatives(edited: pd.DataFrame, original: pd.DataFrame, update_date: dt.date, based_on: str) -> str | None:
    """Append one initiative_updates row per initiative whose status, progress or note the editor
    changed (dated `update_date`), and publish (editors only). Returns the new snapshot id, or None when
    nothing changed.

    Earlier days' lines are never changed. A line of the same date is replaced: a correction made the same
    day (the replaced line stays in the previous snapshot, and the publish is in the events log). A date
    before the initiative's newest line is refused: the status shown is the newest line's, so the update
    would be published and never seen (a line dated after today, prepared for a meeting, hides nothing yet)."""
    who = auth.require_editor()
    sid, tables, meta = _current_tables(based_on, WRITES["opd-plan"], who)
    before = original.set_index("initiative_id")
    new_rows = []
    for r in edited.to_dict("records"):
        o = before.loc[r["initiative_id"]]
        note = "" if schema.missing(r.get("note")) else str(r["note"]).strip()
        old_note = "" if schema.missing(o["note"]) else str(o["note"]).strip()
        if r["status"] != o["status"] or float(r["progress_pct"]) != float(o["progress_pct"]) or note != old_note:
            new_rows.append(
                {
                    "initiative_id": r["initiative_id"],
                    "update_date": update_date,
                    "status": r["status"],
                    "progress_pct": r["progress_pct"],
                    "note": (note or None) if note != old_note else None,  # unchanged: not a new note
                    "updated_by": who,
                }
            )
    if not new_rows:
        return None
    updates = schema.coerce("initiative_updates", tables["initiative_updates"])
    dates = pd.to_datetime(updates["update_date"]).dt.date
    today = clock.today()
    # the status shown today is the newest line on or before today: one dated between this update and today
    # would hide it (a line dated after today, prepared for a meeting, hides nothing yet)
    shown = updates["initiative_id"].astype(str)[(dates > update_date) & (dates <= today)]
    newest = dates[shown.index].groupby(shown).max()
    later = [(r["initiative_id"], newest[r["initiative_id"]]) for r in new_rows if r["initiative_id"] in newest]
    if later:
        raise Refused(
            "; ".join(f"{i} har en nyere statuslinje ({fmt.date(d)})" for i, d in later)
            + f". En opdatering dateret {fmt.date(update_date)} ville ikke blive vist: den nyeste linje er "
            "status. Vælg datoen for den nyeste linje eller en senere. Intet er udgivet."
        )
    same_day = updates["initiative_id"].astype(str).isin([r["initiative_id"] for r in new_rows]) & (
        dates == update_date
    )
    kept = updates[~same_day.to_numpy()]
    appended = pd.concat([kept.astype(object), pd.DataFrame(new_rows).astype(object)], ignore_index=True)
    ids = ", ".join(r["initiative_id"] for r in new_rows)
    note = f"Handlingsplan opdateret {fmt.date(update_date)}: {ids}"
    return _publish_tables(sid, tables, meta, {"initiative_updates": appended}, note, who)


def principles() -> dict[str, str]:
    """Principle id -> 'P1 · name' for the new-initiative form."""
    t = store.read_table("principles", data.snapshot_id())
    return {r.principle_id: f"{r.principle_id} · {r.name}" for r in t.itertuples()}


def next_initiative_id(principle_id: str) -> str:
    """The next free id under a principle: P2-05 after P2-04."""
    t = store.read_table("initiatives", data.snapshot_id())
    nums = [
        int(i.rsplit("-", 1)[1])
        for i in t["initiative_id"].astype(str)
        if i.startswith(f"{principle_id}-") and i.rsplit("-", 1)[1].isdigit()
    ]
    return f"{principle_id}-{max(nums, default=0) + 1:02d}"


def add_initiative(
    principle_id: str,
    title: str,
    owner: str,
    start: dt.date,
    deadline: dt.date,
    description: str,
    status: str,
    update_date: dt.date,
    based_on: str,
) -> tuple[str, str]:
    """A new initiative under a principle, with its first status update (editors only). Returns
    (initiative id, snapshot id)."""
    who = auth.require_editor()
    if not title.strip() or not owner.strip():
        raise Refused("Skriv både titel og ansvarlig. Intet er udgivet.")
    sid, tables, meta = _current_tables(based_on, ("initiatives", "initiative_updates"), who)
    new_id = next_initiative_id(principle_id)
    inits = pd.concat(
        [
            schema.coerce("initiatives", tables["initiatives"]).astype(object),
            pd.DataFrame(
                [
                    {
                        "initiative_id": new_id,
                        "principle_id": principle_id,
                        "title": title.strip(),
                        "description": description.strip() or None,
                        "owner": owner.strip(),
                        "start_date": start,
                        "deadline": deadline,
                    }
                ]
            ).astype(object),
        ],
        ignore_index=True,
    )
    updates = pd.concat(
        [
            schema.coerce("initiative_updates", tables["initiative_updates"]).astype(object),
            pd.DataFrame(
                [
                    {
                        "initiative_id": new_id,
                        "update_date": update_date,
                        "status": status,
                        "progress_pct": 0.0,
                        "note": None,
                        "updated_by": who,
                    }
                ]
            ).astype(object),
        ],
        ignore_index=True,
    )
    note = f"Nyt initiativ {new_id}: {title.strip()}"
    snap = _publish_tables(sid, tables, meta, {"initiatives": inits, "initiative_updates": updates}, note, who)
    return new_id, snap


def meetings_for_editing(sid: str | None = None) -> pd.DataFrame:
    """Every meeting (past and planned), oldest first: date, body, title; from the snapshot `sid`
    (default: this run's)."""
    t = schema.coerce("meetings", store.read_table("meetings", sid or data.snapshot_id()))
    out = t[["meeting_date", "body", "title"]].sort_values(["meeting_date", "body"]).reset_index(drop=True)
    out["meeting_date"] = pd.to_datetime(out["meeting_date"]).dt.date
    return out.astype({"body": object, "title": object})


MEETING_FIELDS = (("meeting_date", "mødedato"), ("body", "forum"), ("title", "titel"))


class PastMeeting(Refused):
    """A new (or moved) meeting is dated before today and the editor has not confirmed the date."""


def _meeting(r) -> str:
    """A meeting in words: 'DASSOS torsdag 10. december 2026 (DASSOS-møde)'."""
    title = "" if schema.missing(r.get("title")) else str(r["title"]).strip()
    body = "" if schema.missing(r.get("body")) else str(r["body"])
    return f"{body} {fmt.long_date(r.get('meeting_date'))}".strip() + (f" ({title})" if title else "")


@dataclass
class MeetingChanges:
    """What saving the meetings' grid would do, in words: the new or changed meetings, the removed ones, and
    the new or moved ones dated before today (the grid's date editor follows the browser's language and may
    read 10122026 as 12 Oct: a meeting in the past is asked about)."""

    saved: list[str]
    removed: list[str]
    past: list[str]

    def confirmation(self) -> str:
        """'Gemt: DASSOS torsdag 10. december 2026 (...). Slettet: ...'"""
        parts = []
        if self.saved:
            parts.append("Gemt: " + "; ".join(self.saved) + ".")
        if self.removed:
            parts.append("Slettet: " + "; ".join(self.removed) + ".")
        return " ".join(parts)


def _meeting_rows(df: pd.DataFrame) -> list[dict]:
    out = []
    for r in df.dropna(how="all").to_dict("records"):
        d = r.get("meeting_date")
        out.append(
            {
                "meeting_date": None if schema.missing(d) else pd.Timestamp(d).date(),
                "body": None if schema.missing(r.get("body")) else str(r["body"]),
                "title": None if schema.missing(r.get("title")) else str(r["title"]).strip(),
            }
        )
    return out


def meeting_changes(edited: pd.DataFrame, based_on: str) -> MeetingChanges:
    """The edited meetings against those of the snapshot `based_on` (MeetingChanges)."""
    before = _meeting_rows(meetings_for_editing(based_on))
    after = _meeting_rows(edited)
    as_tuple = lambda r: (r["meeting_date"], r["body"], r["title"])  # noqa: E731
    old, new = [as_tuple(r) for r in before], [as_tuple(r) for r in after]
    old_days = {(r["meeting_date"], r["body"]) for r in before}
    today = clock.today()
    saved = [r for r in after if as_tuple(r) not in old]
    return MeetingChanges(
        [_meeting(r) for r in saved],
        [_meeting(r) for r in before if as_tuple(r) not in new],
        [
            _meeting(r)
            for r in saved
            if r["meeting_date"] and r["meeting_date"] < today and (r["meeting_date"], r["body"]) not in old_days
        ],
    )


def past_meetings(past: list[str]) -> str:
    """What a save says (and asks) when a new or moved meeting is dated before today."""
    return (
        f"{'; '.join(past)} ligger før i dag. Er datoen rigtig? Datoer skrives dag, måned, år (10.12.2026 er "
        '10. december 2026). Ret datoen i tabellen, eller tryk "Ja, datoen er rigtig". Intet er udgivet.'
    )


def save_meetings(edited: pd.DataFrame, based_on: str, past_ok: bool = False) -> str | None:
    """Replace the meetings table with the edited one (editors only). Returns the new snapshot id, or
    None when nothing changed. A new or moved meeting dated before today is refused (PastMeeting) unless
    `past_ok` (the editor confirmed the date)."""
    who = auth.require_editor()
    sid, tables, meta = _current_tables(based_on, WRITES["opd-meetings"], who)
    rows = edited.dropna(how="all").copy()
    if len(rows) == 0:
        raise Refused("Der skal være mindst ét møde. Intet er udgivet.")
    for i, r in enumerate(rows.to_dict("records"), start=1):
        lacks = [name for col, name in MEETING_FIELDS if schema.missing(r[col]) or not str(r[col]).strip()]
        if lacks:
            when = "" if schema.missing(r["meeting_date"]) else f" ({fmt.date(pd.Timestamp(r['meeting_date']).date())})"
            raise Refused(f"Mødet i række {i}{when} mangler {fmt.listing(lacks)}. Intet er udgivet.")
    rows["meeting_date"] = [None if schema.missing(v) else pd.Timestamp(v).date() for v in rows["meeting_date"]]

    def rows_of(df: pd.DataFrame) -> list[tuple]:
        return sorted(
            (
                "" if schema.missing(r["meeting_date"]) else str(pd.Timestamp(r["meeting_date"]).date()),
                "" if schema.missing(r["body"]) else str(r["body"]),
                "" if schema.missing(r["title"]) else str(r["title"]),
            )
            for r in df.to_dict("records")
        )

    if rows_of(rows) == rows_of(tables["meetings"]):
        return None
    past = meeting_changes(edited, based_on).past
    if past and not past_ok:
        raise PastMeeting(past_meetings(past))
    return _publish_tables(sid, tables, meta, {"meetings": rows.reset_index(drop=True)}, "Møder opdateret", who)
