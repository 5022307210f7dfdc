"""The secretariat's data: workbook export, reading Excel/CSV/Parquet, validation, and the tables a
publish hands to the store (python -m overblik export-workbook | validate | publish; overblik.cli prints).

The rules live in overblik.schema and the snapshot mechanics (publishing, history, rollback) in
overblik.store; this module only moves data between the secretariat's files and those two. Input is read as raw values (text, or what
Excel stored) so that a problem can show exactly what the user typed; schema.validate converts.

Metadata per table (provenance, source, data date) comes from the "Kilder" sheet / kilder.csv where
the user changed it. Otherwise a table keeps the current snapshot's metadata: provenance never changes
silently, so an illustrative table stays illustrative until its Kilder row says `real` (publish warns
about a changed table that is still illustrative). A changed real table gets the source "Sekretariatets
data (<file>)" and today's date; a new table without a Kilder row is illustrative.

Every door is guarded before anything is read into memory: file size (and an .xlsx's unpacked size),
rows per table, and the text encoding of a CSV file (UTF-8 with or without BOM, UTF-16 with BOM, or
Windows-1252, decided for the whole file; a file that mixes them is refused). The limits live in
overblik.schema. A workbook cell holding a formula without a stored result (openpyxl reads it as empty)
is marked schema.UnsavedFormula, so that validation refuses it. Text written to a workbook is neutralised against formula injection
(schema.spreadsheet_text) and read back unchanged.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from overblik import clock, fmt, prices, schema, store

ABOUT = "Om"
SOURCES = "Kilder"
SOURCES_FILE = "kilder.csv"
SOURCE_COLUMNS = ("table", "provenance", "source", "data_date")
_BOLD = Font(bold=True)


class InputError(RuntimeError):
    """The input cannot be read at all (missing, not a workbook, ambiguous files). `line`: the line of a
    CSV file the message names, for the page's row column."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def _quiet(msg: str) -> None:
    """The default progress callback: says nothing (overblik.cli passes one that prints)."""


def n_dk(x: int) -> str:
    """1234567 -> '1.234.567' (row counts in messages)."""
    return f"{x:,}".replace(",", ".")


def _blank(v) -> bool:
    return (isinstance(v, str) and not v.strip()) or schema.missing(v)


# ---------------------------------------------------------------------------------------------
# Export


def _write_sheet(
    ws, header: list, rows: list[list], header_row: int = 1, formats: dict[int, str] | None = None
) -> None:
    """Header (bold, frozen), rows, readable widths; `formats` maps column index to a number format."""
    ws.append(header)
    for cell in ws[header_row]:
        cell.font = _BOLD
    ws.freeze_panes = f"A{header_row + 1}"
    for row in rows:
        ws.append([_cell(v) for v in row])
    for i, name in enumerate(header):
        letter = get_column_letter(i + 1)
        sample = [name] + [r[i] for r in rows[:2000]]
        ws.column_dimensions[letter].width = min(60, max(8, *(len(str(v)) for v in sample if v is not None)) + 2)
        fmt = (formats or {}).get(i)
        for (cell,) in ws.iter_rows(min_row=header_row + 1, min_col=i + 1, max_col=i + 1):
            if fmt:
                cell.number_format = fmt
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula


def _cell(v):
    """A value as a workbook cell: text neutralised against formulas, characters Excel cannot hold
    (control characters published before they were refused) replaced by U+FFFD."""
    if isinstance(v, str):
        return schema.spreadsheet_text(_ILLEGAL.sub("\ufffd", v))
    return v


_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _about_sheet(ws, sid: str, doc: dict, editors: bool) -> None:
    intro = [
        "Rammeaftale-overblik: sekretariatets projektmappe",
        f"Udtræk af datasæt {store.doc_name(doc, full=True)} (id {sid}). Ét ark pr. tabel; række 1 er "
        "kolonnenavnene og må ikke ændres.",
        "Ret eller tilføj rækker, gem, og upload filen på siden Opdater data: den kontrolleres med det samme, og "
        "du udgiver den dér (på kommandolinjen: python -m overblik validate / publish FIL.xlsx).",
        "Ark, der slettes, overtages uændret fra de aktuelle data. Hent en ny projektmappe før hver runde: "
        "udgiver du en ældre, erstatter dens ark det, der er udgivet siden.",
        "Arket Kilder: proveniens (real/illustrative), kilde og datadato pr. tabel. En tabel bliver først reel, når dens linje "
        "i Kilder siger real; ændres en illustrativ tabel uden det, forbliver den illustrativ.",
        "Dette ark (Om) læses ikke ved udgivelse. Nedenfor: hver tabel og kolonne med regler.",
    ]
    for line in intro:
        ws.append([line])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    header = [
        "Tabel",
        "Kolonne",
        "Beskrivelse",
        "Type",
        "Påkrævet",
        "Tilladte værdier",
        "Interval",
        "Format",
        "Nøgle",
        "Henviser til",
        "Regler",
    ]
    rows = []
    for t in schema.TABLES.values():
        rules = [c.rule for c in t.checks] + [
            f"{r} (advarsel)" for r in [c.rule for c in t.warnings] + [c.rule for c in t.year_changes]
        ]
        rows.append(
            [t.name, "", f"{t.title}: {t.description}", "", "", "", "", "", ", ".join(t.key), "", "; ".join(rules)]
        )
        for c in t.shown(editors):
            lo, hi = (None if x is None else schema.bound(x) for x in (c.min, c.max))
            span = f"{lo} til {hi}" if lo and hi else f"mindst {lo}" if lo else f"højst {hi}" if hi else ""
            ref = t.foreign_keys.get(c.name)
            rows.append(
                [
                    t.name,
                    c.name,
                    c.description,
                    schema.TYPE_NAMES[c.type],
                    "ja" if c.required else "nej",
                    ", ".join(str(a) for a in c.allowed or ()),
                    span,
                    c.pattern_hint,
                    "ja" if c.name in t.key else "",
                    f"{ref[0]}.{ref[1]}" if ref else "",
                    "",
                ]
            )
    _write_sheet(ws, header, rows, header_row=len(intro) + 2)
    ws.column_dimensions["A"].width = 20


def _dropdown(ws, col: int, values) -> None:
    """An Excel list to pick from; it only helps typing, schema.validate still decides."""
    dv = DataValidation(type="list", formula1='"' + ",".join(str(v) for v in values) + '"', allow_blank=True)
    letter = get_column_letter(col + 1)
    dv.add(f"{letter}2:{letter}1048576")
    ws.add_data_validation(dv)


def _date_or_text(s: str):
    try:
        return dt.date.fromisoformat(s)
    except (TypeError, ValueError):
        return s


WORKBOOK_SUBJECT = "Rammeaftale-overblik, datasæt "


def workbook_snapshot(path: Path) -> str | None:
    """The snapshot a workbook was exported from (its document property Subject, which Excel keeps when the
    file is saved again; None for another workbook). Read from the small docProps/core.xml only."""
    try:
        with zipfile.ZipFile(path) as z:
            core = z.read("docProps/core.xml").decode("utf-8", "replace")
    except (KeyError, OSError, zipfile.BadZipFile):
        return None
    m = re.search(r"<dc:subject>" + re.escape(WORKBOOK_SUBJECT) + r"([^<]+)</dc:subject>", core)
    return m.group(1).strip() if m else None


# what a row of a table is called when the stale warning counts the rows a file would delete or change back
_ROW_NOUNS = {
    "initiative_updates": ("statusopdatering", "statusopdateringer"),
    "meetings": ("møde", "møder"),
    "initiatives": ("initiativ", "initiativer"),
    "principles": ("princip", "principper"),
}
SHOWN_ROWS = 3  # rows named per table in the stale warning


class Overwrites(InputError):
    """A stale workbook would delete or change rows published after it was exported, and the user did not
    say that is meant (the page's tick, the command line's --erstat); nothing was published."""


def _keyed(name: str, df: pd.DataFrame | None) -> dict[tuple, dict]:
    """A table's rows by key, in canonical form (missing values None)."""
    if df is None:
        return {}
    key = list(schema.TABLES[name].key)
    out = {}
    for r in schema.coerce(name, df).to_dict("records"):
        out[tuple(r[k] for k in key)] = {c: (None if schema.missing(v) else v) for c, v in r.items()}
    return out


def _row_name(key: tuple) -> str:
    """A row's key in words: 'P1-02 29. nov. 2026'."""
    out = []
    for v in key:
        if isinstance(v, (dt.date, pd.Timestamp)):
            out.append(fmt.date(v))
        else:
            out.append(fmt.value(v))
    return " ".join(out)


def _rows(name: str, n: int) -> str:
    """'3 statusopdateringer', '1 række i Udgifter'."""
    one, many = _ROW_NOUNS.get(name, (f"række i {schema.title(name)}", f"rækker i {schema.title(name)}"))
    return fmt.count(n, one, many)


@dataclass
class Stale:
    """A workbook exported from an older snapshot (`source`) than the current one: the publishes since
    (their manifests, oldest first) and, once the file is checked without errors, what publishing it would do
    to the rows published since: `lost` = {table: (keys it deletes, keys it changes back)}, None when unknown.

    The rule (one place, for the page and the command line): a stale file that deletes or changes rows
    published since is published only when the user says so (`needs_consent`)."""

    source: str
    current: str
    since: list[dict]
    lost: dict[str, tuple[list[tuple], list[tuple]]] | None = None

    @property
    def needs_consent(self) -> bool:
        return bool(self.lost)

    def publishes(self) -> str:
        shown = [store.doc_name(d, full=True) for d in self.since[-SHOWN_ROWS:]]
        more = len(self.since) - len(shown)
        text = "; ".join(shown) + (f" og {fmt.count(more, 'udgivelse', 'udgivelser')} før dem" if more > 0 else "")
        return text or "ukendt"

    def _losses(self, which: int) -> tuple[str, str]:
        """('3 statusopdateringer og 1 møde', 'P1-02 29. nov. 2026, ...; DASSOS 10. dec. 2026') of the rows
        deleted (which=0) or changed back (which=1)."""
        counts, names = [], []
        for name, pair in (self.lost or {}).items():
            keys = pair[which]
            if not keys:
                continue
            counts.append(_rows(name, len(keys)))
            listed = ", ".join(_row_name(k) for k in keys[:SHOWN_ROWS])
            names.append(listed + (f" og {len(keys) - SHOWN_ROWS} flere" if len(keys) > SHOWN_ROWS else ""))
        return fmt.listing(counts), "; ".join(names)

    def message(self) -> str:
        """The Danish warning: when the file was exported, what was published since, and what publishing the
        file would delete or change back of it."""
        head = f"Projektmappen er hentet, før de seneste udgivelser blev lavet ({self.publishes()})."
        if self.lost is None:
            return (
                f"{head} Det, der er udgivet siden, erstattes af filens ark, hvis du udgiver den: se ændringerne "
                "nedenfor. Vil du bygge videre på de aktuelle data, så hent en ny projektmappe og ret i den."
            )
        if not self.lost:
            return f"{head} Filen ændrer intet af det, der er udgivet siden, så det bevares."
        deleted, deleted_names = self._losses(0)
        changed, changed_names = self._losses(1)
        parts = []
        if deleted:
            parts.append(f"{deleted}, udgivet efter at projektmappen blev hentet, slettes ({deleted_names})")
        if changed:
            parts.append(
                f"{changed}, udgivet efter at projektmappen blev hentet, ændres tilbage til filens udgave "
                f"({changed_names})"
            )
        return (
            f"{head} Udgiver du filen, {' og '.join(parts)}. Hent en ny projektmappe og ret i den, så bevares "
            "det, der er udgivet siden."
        )


def stale_workbook(path: Path, current: str | None, base: Path | None = None) -> Stale | None:
    """The snapshot a workbook was exported from and what was published since, when that is older than the
    current one (what was published since, e.g. the action plan saved on the page, is replaced by the file's
    tables); None for a workbook of the current data, or a file that names no dataset."""
    source = workbook_snapshot(path) if Path(path).suffix.lower() == ".xlsx" else None
    if not source or not current or source == current:
        return None
    docs = store.list_snapshots(base)  # oldest first
    ids = [d["id"] for d in docs]
    later = docs[ids.index(source) + 1 :] if source in ids else [d for d in docs if d["id"] == current]
    return Stale(source, current, later)


def overwritten(
    source: dict[str, pd.DataFrame] | None, current: dict[str, pd.DataFrame], frames: dict[str, pd.DataFrame]
) -> dict[str, tuple[list[tuple], list[tuple]]]:
    """{table: (keys deleted, keys changed)} of the rows published after `source` (added or changed between
    `source` and `current`) that publishing `frames` would delete or change. Without `source` (the snapshot is
    gone), every row of `current` counts as published since."""
    out = {}
    for name, frame in frames.items():
        if name not in schema.TABLES or name not in current:
            continue
        old = _keyed(name, source.get(name)) if source is not None else {}
        now = _keyed(name, current[name])
        new = _keyed(name, frame)
        since = [k for k, r in now.items() if old.get(k) != r]
        deleted = [k for k in since if k not in new]
        changed = [k for k in since if k in new and new[k] != now[k]]
        if deleted or changed:
            out[name] = (deleted, changed)
    return out


def require_consent(p: Plan, replace: bool) -> None:
    """Overwrites (nothing is published) when `p` is a stale workbook that deletes or changes rows published
    since it was exported and `replace` (the user's explicit yes) is not given."""
    if p.stale is not None and p.stale.needs_consent and not replace:
        raise Overwrites(p.stale.message())


def workbook_bytes(sid: str | None = None, base: Path | None = None, editors: bool = False) -> bytes:
    """The snapshot (default: the current one) as an .xlsx: Om, Kilder, then one sheet per table. `editors`:
    with the columns only editors see (schema.Column.editors_only; the editors' and the command line's
    workbook); without them (the default) for anyone."""
    sid = sid or store.current_id(base)
    doc = store.manifest(sid, base)
    names = [n for n in doc["tables"] if n in schema.TABLES]
    wb = Workbook()
    wb.properties.subject = f"{WORKBOOK_SUBJECT}{sid}"  # where the file came from (stale_workbook reads it)
    wb.active.title = ABOUT
    _about_sheet(wb.active, sid, doc, editors)
    ws = wb.create_sheet(SOURCES)
    _write_sheet(
        ws,
        list(SOURCE_COLUMNS),
        [
            [
                n,
                doc["tables"][n]["provenance"],
                doc["tables"][n]["source"],
                _date_or_text(doc["tables"][n]["data_date"]),
            ]
            for n in names
        ],
        formats={3: "yyyy-mm-dd"},
    )
    _dropdown(ws, 1, schema.PROVENANCES)
    for name in names:
        shown = schema.TABLES[name].shown(editors)
        frame = schema.coerce(name, store.read_table(name, sid, base))[[c.name for c in shown]]
        columns = [[None if schema.missing(v) else v for v in frame[c].tolist()] for c in frame.columns]
        formats = {
            i: "yyyy-mm-dd" if c.type == "date" else "@"
            for i, c in enumerate(shown)
            if c.type in ("date", "str", "pdate")
        }
        ws = wb.create_sheet(name)
        _write_sheet(ws, list(frame.columns), [list(r) for r in zip(*columns)], formats=formats)
        for i, c in enumerate(shown):
            if c.allowed:
                _dropdown(ws, i, c.allowed)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------
# Reading


def _frame(header, rows) -> pd.DataFrame:
    """Raw cells as an object frame: trailing empty rows dropped, blank cells None, nothing converted.

    Empty rows in between are kept so that row numbers stay those the user sees. A column without a
    header but with values, or a repeated header, gets a name that validation reports as unknown.
    """
    rows = [list(r) for r in rows]
    while rows and all(_blank(v) for v in rows[-1]):
        rows.pop()
    width = max([len(header)] + [len(r) for r in rows])
    header = [None if _blank(h) else str(h).strip() for h in header] + [None] * (width - len(header))
    rows = [r + [None] * (width - len(r)) for r in rows]
    keep, names = [], []
    for i, h in enumerate(header):
        if h is None and all(_blank(r[i]) for r in rows):
            continue
        if h is None or h in names:
            h = f"{h or '(uden navn)'} [kolonne {get_column_letter(i + 1)}]"
        keep.append(i)
        names.append(h)
    data = [[None if _blank(r[i]) else r[i] for i in keep] for r in rows]
    return pd.DataFrame(data, columns=names, dtype=object)


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _line(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def _odd_lines(raw: bytes) -> tuple[list[int], str, str]:
    """In a file that mixes UTF-8 and Windows-1252: the lines written in the encoding fewer lines use
    (the ones that differ), that encoding and the other ("" when the other is only the file's UTF-8 mark,
    its BOM). Lines of plain ASCII count for neither."""
    utf8, cp1252 = [], []
    for i, line in enumerate(raw.split(b"\n"), 1):
        if i == 1 and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8) :]  # the BOM alone does not make a line UTF-8's
        if line.isascii():
            continue
        try:
            line.decode("utf-8-sig" if i == 1 else "utf-8")
            utf8.append(i)
        except UnicodeDecodeError:
            cp1252.append(i)
    if not utf8 and raw.startswith(codecs.BOM_UTF8):  # marked as UTF-8, written in Windows-1252
        return cp1252, "Windows-1252", ""
    if (len(utf8), -utf8[0] if utf8 else 0) < (len(cp1252), -cp1252[0] if cp1252 else 0):
        return utf8, "UTF-8", "Windows-1252"
    return cp1252, "Windows-1252", "UTF-8"


def _listing(lines: list[int], shown: int = 3) -> str:
    """'linje 41', 'linje 4, 9 og 12', 'linje 4, 9, 12 og 7 andre'."""
    head = [str(n) for n in lines[:shown]]
    if len(lines) > shown:
        return f"linje {', '.join(head)} og {len(lines) - shown} andre"
    return "linje " + (f"{', '.join(head[:-1])} og {head[-1]}" if len(head) > 1 else "".join(head))


def decode(raw: bytes, name: str) -> str:
    """The text of a file in ONE encoding for the whole file: UTF-16 with BOM, UTF-8 (with or without
    BOM) or Windows-1252. A file that mixes them is refused with the line of the first stray byte."""
    hint = "Gem filen igen som 'CSV UTF-8' i Excel."
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as e:
            raise InputError(f"{name}: filen er ikke gyldig UTF-16 (byte {e.start}). {hint}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        if raw.startswith(codecs.BOM_UTF8) or _UTF8_MULTIBYTE.search(raw):
            lines, kind, other = _odd_lines(raw)
            first = lines[0] if lines else _line(raw, e.start)
            which = "linjen" if len(lines) <= 1 else _listing(lines)
            rest = f"de andre linjer med æ, ø eller å er {other}" if other else "filen er mærket som UTF-8"
            raise InputError(
                f"{name}: linje {first}: filen blander tegnsæt (UTF-8 og Windows-1252): {which} er {kind}, "
                f"{rest}, så æ, ø og å ville blive forkerte. Ret æ, ø og å i "
                f"{'den linje' if len(lines) <= 1 else 'de linjer'}, der afviger, og gem filen igen som 'CSV UTF-8' "
                "i Excel.",
                first,
            ) from None
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as e:
        raise InputError(
            f"{name}: linje {_line(raw, e.start)}: byte 0x{raw[e.start]:02X} findes hverken i UTF-8 eller Windows-1252. {hint}"
        ) from None


def _check_size(path: Path) -> None:
    """Refuse a file larger than schema.MAX_FILE_MB (and an .xlsx that unpacks to more than
    schema.MAX_UNPACKED_MB) before reading it."""
    size = path.stat().st_size
    if size > schema.MAX_FILE_MB * 1_000_000:
        raise InputError(f"{path.name} fylder {size / 1e6:.0f} MB; højst {schema.MAX_FILE_MB} MB kan indlæses")
    if path.suffix.lower() == ".xlsx":
        try:
            with zipfile.ZipFile(path) as z:
                unpacked = sum(i.file_size for i in z.infolist())
        except (zipfile.BadZipFile, OSError):
            raise InputError(not_a_workbook(path)) from None
        if unpacked > schema.MAX_UNPACKED_MB * 1_000_000:
            raise InputError(
                f"{path.name} fylder {unpacked / 1e6:.0f} MB udpakket; højst {schema.MAX_UNPACKED_MB} MB kan "
                "indlæses (indeholder projektmappen meget store celler?)"
            )


def _limited(rows, name: str, where: str):
    """At most the table's max_rows rows; more are refused before they are read."""
    limit = schema.TABLES[name].max_rows if name in schema.TABLES else schema.MAX_ROWS
    rows = list(itertools.islice(rows, limit + 1))
    if len(rows) > limit:
        raise InputError(f"{where} har mere end {n_dk(limit)} rækker; højst {n_dk(limit)} kan indlæses")
    return rows


_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _has_formula(z: zipfile.ZipFile, part: str) -> bool:
    """Whether a sheet part holds a formula at all: a scan of its bytes (the export writes none), so that
    only a sheet with formulas is parsed a second time."""
    with z.open(part) as f:
        tail = b""
        while chunk := f.read(1 << 20):
            if _FORMULA_TAG.search(tail + chunk):
                return True
            tail = chunk[-8:]
    return False


_ROW, _CELL, _FORMULA, _VALUE = (f"{{{SHEET_MAIN_NS}}}{t}" for t in ("row", "c", "f", "v"))


def unsaved_formulas(z: zipfile.ZipFile, part: str) -> dict[tuple[int, int], str]:
    """{(row, column): formula} of the cells in a sheet part that hold a formula but no stored result
    (openpyxl's data_only reads them as empty): no value, or an empty one that is not text (Excel stores a
    formula's empty text as t="str"). Parsed row by row, and only when the part holds a formula at all."""
    if not _has_formula(z, part):
        return {}
    out = {}
    row = 0
    with z.open(part) as f:
        for _, el in iterparse(f):  # end events: a row ends after its cells
            if el.tag != _ROW:
                continue
            row = int(el.get("r") or row + 1)
            for c in el.iterfind(f"{_CELL}[{_FORMULA}]"):
                if c.findtext(_VALUE) or c.get("t") == "str":
                    continue
                ref = c.get("r")
                at = coordinate_to_tuple(ref) if ref else (row, list(el).index(c) + 1)
                formula = c.findtext(_FORMULA)
                out[at] = "=" + formula if formula else "(formel)"
            el.clear()
    return out


def _mark_unsaved(rows: list, unsaved: dict[tuple[int, int], str]) -> list:
    """The data rows (Excel row 2 first) with each empty cell that holds a formula without a stored result
    replaced by schema.UnsavedFormula, so that validation refuses it instead of reading it as empty."""
    rows = [list(r) for r in rows]
    for (r, c), formula in unsaved.items():
        if 2 <= r < len(rows) + 2:
            cells = rows[r - 2]
            cells += [None] * (c - len(cells))
            if cells[c - 1] is None:
                cells[c - 1] = schema.UnsavedFormula(formula)
    return rows


def _csv_records(text: str, sep: str, name: str) -> Iterator[list[str]]:
    """The records of a CSV text; a record the csv module cannot read is an InputError naming the line it
    starts on. A quote (") without its partner makes the rest of the file one cell, so it is refused in
    its three shapes: the file ends inside the quote, the cell outgrows the csv module's limit, or a later
    quote closes it after whole rows (a cell over several lines that holds as many separators as a row)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    width = 0
    while True:
        line = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            why = (
                f"en celle er længere end {n_dk(csv.field_size_limit())} tegn (højst {n_dk(schema.MAX_TEXT)} "
                'tegn pr. celle); står der et anførselstegn (") uden sit modstykke?'
                if "field larger than field limit" in str(e)
                else 'et anførselstegn (") har ikke sit modstykke, så resten af filen ville blive én celle.'
                if "unexpected end of data" in str(e)
                else 'der står tekst efter et anførselstegn ("), der afslutter en celle; skriv to anførselstegn ("") '
                "for et anførselstegn inde i en tekst."
                if "expected after" in str(e)
                else "rækken kan ikke læses som CSV."
            )
            raise InputError(f"{name}, linje {line}: {why} Ret filen, gem den igen, og upload den.", line) from None
        width = width or len(record)
        seen = 0  # line breaks in the record's earlier cells
        for cell in record:
            if "\n" in cell and cell.count(sep) >= width - 1 > 0:  # a row's worth of separators across lines
                first = line + seen
                raise InputError(
                    f"{name}, linje {first}: en celle går over linje {first}-{first + cell.count(chr(10))} og rummer "
                    f'lige så mange skilletegn ({sep}) som en hel række; står der et anførselstegn (") uden sit '
                    "modstykke? Ret filen, gem den igen, og upload den.",
                    first,
                )
            seen += cell.count("\n")
        yield record


def _read_csv(path: Path) -> pd.DataFrame:
    _check_size(path)
    raw = path.read_bytes()
    text = decode(raw, path.name)
    first = text.split("\n", 1)[0]
    sep = "," if first.count(",") > first.count(";") else ";"
    records = _csv_records(text, sep, path.name)
    header = next(records, [])
    return _frame(header, _limited(records, path.stem, path.name))


def _read_parquet(path: Path) -> pd.DataFrame:
    _check_size(path)
    limit = schema.TABLES[path.stem].max_rows if path.stem in schema.TABLES else schema.MAX_ROWS
    try:
        rows = pq.ParquetFile(path).metadata.num_rows
    except Exception as e:
        raise InputError(f"{path.name} kan ikke læses som Parquet: {e}") from None
    if rows > limit:
        raise InputError(f"{path.name} har mere end {n_dk(limit)} rækker; højst {n_dk(limit)} kan indlæses")
    try:
        df = pq.read_table(path).to_pandas().astype(object)
    except Exception as e:
        raise InputError(f"{path.name} kan ikke læses som Parquet: {e}") from None
    return _frame(list(df.columns), df.itertuples(index=False, name=None))


def read_input(path, progress=_quiet) -> tuple[dict[str, pd.DataFrame], dict[str, schema.Origin], pd.DataFrame | None]:
    """Read IN: an .xlsx workbook, a folder of <table>.csv / <table>.parquet, or one such file.

    Returns (tables, origins, sources): raw frames by sheet/file name (unknown names included, so
    validation reports them), where each came from, and the Kilder rows (None when not given;
    origins[SOURCES] says where they came from).
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path} findes ikke")
    tables: dict[str, pd.DataFrame] = {}
    origins: dict[str, schema.Origin] = {}
    sources = None

    if path.is_file() and path.suffix.lower() == ".xlsx":
        _check_size(path)
        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception:
            raise InputError(not_a_workbook(path)) from None
        archive = zipfile.ZipFile(path)  # for the formulas openpyxl's data_only reading cannot tell from empty
        try:
            for ws in wb.worksheets:
                if ws.title == ABOUT:
                    continue
                ws.reset_dimensions()  # trust the cells, not the stored size
                try:  # a read-only sheet is parsed as it is read: a damaged part fails here, not on opening
                    rows = ws.iter_rows(values_only=True)
                    header = next(rows, ())
                    data = _limited(rows, ws.title, f"{path.name}, ark {ws.title}")
                    part = getattr(ws, "_worksheet_path", None)  # openpyxl's read-only sheet knows its zip part
                    data = _mark_unsaved(data, unsaved_formulas(archive, part)) if part else data
                except InputError:
                    raise
                except Exception:
                    raise InputError(
                        f"{path.name}, ark {ws.title}: arket kan ikke læses, fordi filen er beskadiget (fx gemt "
                        "ufuldstændigt eller afbrudt under kopiering). Åbn filen i Excel, gem den igen, og upload den."
                    ) from None
                df = _frame(header, data)
                origin = schema.Origin(path.name, ws.title, epoch=wb.epoch)  # 1904 from old Mac Excel
                if ws.title == SOURCES:
                    sources, origins[SOURCES] = df, origin
                    continue
                tables[ws.title], origins[ws.title] = df, origin
                progress(f"Læst ark {ws.title}: {fmt.count(len(df), 'række', 'rækker')}")
        finally:
            wb.close()
            archive.close()
        return tables, origins, sources

    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith((".", "~$")))
    elif path.suffix.lower() in (".csv", ".parquet"):
        files = [path]
    else:
        raise InputError(f"{path.name}: forventede en .xlsx-projektmappe eller en mappe med .csv/.parquet pr. tabel")
    for f in files:
        suffix = f.suffix.lower()
        if f.name.lower() == SOURCES_FILE:
            sources, origins[SOURCES] = _read_csv(f), schema.Origin(f.name)
            continue
        name = f.stem if suffix in (".csv", ".parquet") else f.name  # another kind of file: an unknown table
        if name in tables:
            raise InputError(f"Tabellen {name} findes i flere filer ({origins[name].file} og {f.name}); fjern den ene")
        tables[name] = (
            _read_csv(f) if suffix == ".csv" else _read_parquet(f) if suffix == ".parquet" else pd.DataFrame()
        )
        origins[name] = schema.Origin(f.name)
        progress(f"Læst {f.name}: {fmt.count(len(tables[name]), 'række', 'rækker')}")
    return tables, origins, sources


# ---------------------------------------------------------------------------------------------
# Validation and publishing


def _source_problems(sources: pd.DataFrame, origin: schema.Origin, known: set[str]) -> list[schema.Problem]:
    """Problems in the Kilder rows: the columns, one row per known table, provenance, data date."""
    out = []

    def problem(row, column, rule, value, severity="fejl"):
        out.append(schema.Problem(SOURCES, row, column, rule, value, origin.file, origin.sheet, severity))

    for c in SOURCE_COLUMNS:
        if c not in sources.columns:
            problem(None, c, "kolonne mangler", None)
    for c in sources.columns:
        if c not in SOURCE_COLUMNS:
            problem(None, c, "ukendt kolonne", c)
    if "table" not in sources.columns:
        return out
    seen: dict[str, int] = {}
    for i, r in enumerate(sources.to_dict("records")):
        row, name = origin.first_row + i, r.get("table")
        if all(_blank(v) for v in r.values()):
            continue
        name = None if _blank(name) else str(name).strip()
        if name not in schema.TABLES:
            problem(row, "table", "ukendt tabel", name)
            continue
        if name not in known:
            problem(row, "table", "tabellen findes hverken i input eller i de aktuelle data", name)
        if name in seen:
            problem(row, "table", f"tabellen står allerede i række {seen[name]}", name)
        seen.setdefault(name, row)
        prov = r.get("provenance")
        if not _blank(prov) and str(prov).strip().casefold() not in schema.PROVENANCES:
            problem(row, "provenance", f"ikke en tilladt værdi ({', '.join(schema.PROVENANCES)})", prov)
        if not _blank(r.get("source")):
            try:
                schema.convert(_SOURCE_COLUMN, r["source"])
            except ValueError as e:
                problem(row, "source", str(e), r["source"])
        if not _blank(r.get("data_date")):
            try:
                schema.as_date(r["data_date"], origin.epoch)
            except (TypeError, ValueError):
                problem(row, "data_date", f"skal være {schema.TYPE_NAMES['date']}", r["data_date"])
            serial = schema.serial_date(r["data_date"], origin.epoch)
            if serial is not None:
                problem(row, "data_date", schema.serial_date_rule(serial), r["data_date"], "advarsel")
    return out


_SOURCE_COLUMN = schema.Column("source", "str", "Kilde", max_len=500)


def _given_sources(sources: pd.DataFrame | None, origin: schema.Origin) -> dict[str, tuple]:
    """Valid Kilder rows as {table: (provenance, source, data_date)}, None for blank cells; `origin`: where
    they were read from (its date system reads a date given as Excel's day number)."""
    if sources is None or "table" not in sources.columns:
        return {}
    out = {}
    for r in sources.to_dict("records"):
        if _blank(r.get("table")):
            continue
        prov, src, date = (None if _blank(r.get(c)) else r.get(c) for c in SOURCE_COLUMNS[1:])
        out[str(r["table"]).strip()] = (
            None if prov is None else str(prov).strip().casefold(),
            None if src is None else schema.convert(_SOURCE_COLUMN, src),
            None if date is None else schema.as_date(date, origin.epoch).isoformat(),
        )
    return out


def _current(base: Path | None):
    """(id, tables, manifest table entries) of the current snapshot, or (None, {}, {})."""
    try:
        sid = store.current_id(base)
    except store.StoreError:
        return None, {}, {}
    return sid, store.read_tables(sid, base), store.manifest(sid, base)["tables"]


def check(path, base: Path | None = None, progress=_quiet, allow_empty=frozenset()):
    """Read and validate IN; foreign keys resolve against IN and then the current snapshot.
    `allow_empty` names the tables the user means to be empty (otherwise an empty sheet is refused).

    Returns (tables, origins, sources, problems, current) with current = _current(base).
    """
    tables, origins, sources = read_input(path, progress)
    current = _current(base)
    progress(f"Kontrollerer {fmt.count(len(tables), 'tabel', 'tabeller')} ...")
    problems = schema.validate(tables, origins, reference=current[1], allow_empty=set(allow_empty))
    if sources is not None:
        problems += _source_problems(sources, origins[SOURCES], set(tables) | set(current[1]))
    problems += _price_index_warnings(tables, origins, current[1], problems)
    return tables, origins, sources, problems, current


def _price_index_warnings(
    tables: dict[str, pd.DataFrame],
    origins: dict[str, schema.Origin],
    current: dict[str, pd.DataFrame],
    problems: list[schema.Problem],
) -> list[schema.Problem]:
    """A warning (never a refusal) per kind of spending whose years the price index lacks once IN is
    published (prices.unindexed, the rule the pages use): those years vanish from fixed prices. Given
    when IN carries spending or price_index (the other from the current data), and not while either has
    errors (their rows are not known yet)."""
    given = [t for t in ("price_index", "spending") if t in tables]
    if not given or {p.table for p in schema.errors(problems)} & {"price_index", "spending"}:
        return []
    frames = {}
    for name in ("spending", "price_index"):
        if name in tables:
            frames[name] = schema.coerce(name, tables[name], origins.get(name, schema.Origin()).epoch)
        elif name in current:
            frames[name] = schema.coerce(name, current[name])
        else:
            return []
    origin = origins.get(given[0], schema.Origin())
    return [
        schema.Problem(given[0], None, "year", text, None, origin.file, origin.sheet, "advarsel")
        for text in prices.warnings(prices.unindexed(frames["spending"], frames["price_index"]))
    ]


def _keep_editors_columns(
    name: str, given: pd.DataFrame, current: pd.DataFrame | None, by: str | None, origin: schema.Origin
) -> pd.DataFrame:
    """The uploaded table in canonical form; the columns only editors see (schema.Column.editors_only: who
    updated a row), when the file leaves them out (the readers' workbook has none), keep their values from the
    current data on the rows the file leaves as they are, by key: publishing a workbook downloaded from Om data
    does not erase who updated what. A row the file changes or adds is this publish's: updated_by is `by`, who
    publishes (blank when unknown, as from the command line), never the editor of the line it replaced. `origin`:
    where `given` was read from (its date system reads dates given as Excel's day numbers)."""
    frame = schema.coerce(name, given, origin.epoch)
    table = schema.TABLES[name]
    lacking = [c.name for c in table.columns if c.editors_only and c.name not in given.columns]
    if not lacking or not len(frame):
        return frame
    key = list(table.key)
    shown = [c.name for c in table.columns if c.name not in lacking]
    old = schema.coerce(name, current) if current is not None else frame.iloc[:0]
    known = {tuple(r[k] for k in key): r for r in old[shown + lacking].to_dict("records")}

    def same(new: dict, was: dict) -> bool:
        for c in shown:
            a, b = schema.missing(new[c]), schema.missing(was[c])
            if a != b or (not a and new[c] != was[c]):
                return False
        return True

    rows = []
    for r in frame[shown].to_dict("records"):
        was = known.get(tuple(r[k] for k in key))
        rows.append(was if was is not None and same(r, was) else {"updated_by": by})
    for c in lacking:
        frame[c] = pd.array([r.get(c) for r in rows], dtype=frame[c].dtype)
    return frame


@dataclass
class Plan:
    """What a publish of IN would write: the validated frames and metadata of every table (those missing
    from IN carried over), the snapshot they were checked against, the problems, and notices (Danish)
    about changed tables that are still illustrative. `frames`/`meta` are empty when there are errors."""

    based_on: str | None
    problems: list[schema.Problem]
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    meta: dict[str, store.TableMeta] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    current: dict[str, pd.DataFrame] = field(default_factory=dict)
    input_tables: tuple[str, ...] = ()
    stale: Stale | None = None  # the file came from an older snapshot (stale_workbook)

    @property
    def ok(self) -> bool:
        return not schema.errors(self.problems)


def plan(path, base: Path | None = None, progress=_quiet, allow_empty=frozenset(), by: str | None = None) -> Plan:
    """Read and validate IN and work out what publishing it would write (see Plan). The CLI's publish
    and the web page both go through here and then store.publish. `by`: the editor who will publish it (the
    web page's; None from the command line), recorded on the status lines the file changes or adds when it
    leaves out who updated them (_keep_editors_columns)."""
    path = Path(path)
    tables, origins, sources, problems, (based_on, current, current_meta) = check(path, base, progress, allow_empty)
    out = Plan(
        based_on, problems, current=current, input_tables=tuple(tables), stale=stale_workbook(path, based_on, base)
    )
    if schema.errors(problems):
        return out
    given = _given_sources(sources, origins.get(SOURCES, schema.Origin()))
    today = clock.today().isoformat()
    frames, meta = out.frames, out.meta
    for name in schema.TABLES:
        old = current_meta.get(name)
        old = old and store.TableMeta(old["provenance"], old["source"], old["data_date"])
        if name in tables:
            frames[name] = _keep_editors_columns(name, tables[name], current.get(name), by, origins[name])
            same = name in current and frames[name].equals(schema.coerce(name, current[name]))
            if same:
                meta[name] = old
            elif old is None or old.provenance != "real":  # never flipped to real without the Kilder row
                # changed data is data as of today, even while it is still marked illustrative: "Data pr."
                # otherwise stayed at the demo's date over newly published years
                source = old.source if old else f"Sekretariatets data ({path.name})"
                meta[name] = store.TableMeta("illustrative", source, today)
            else:
                meta[name] = store.TableMeta("real", f"Sekretariatets data ({path.name})", today)
        elif name in current:
            frames[name], meta[name] = current[name], old
        else:
            continue
        g = given.get(name)
        if g and (old is None or g != (old.provenance, old.source, old.data_date)):  # the user changed it
            meta[name] = store.TableMeta(
                *(
                    x if x is not None else d
                    for x, d in zip(g, (meta[name].provenance, meta[name].source, meta[name].data_date))
                )
            )
        if name in tables and meta[name].provenance == "illustrative" and not (name in current and same):
            out.notices.append(
                f"Bemærk: {name} er ændret, men står stadig som illustrative i Kilder. Skriv real i kolonnen "
                "provenance (og kilden i source), når tallene er jeres egne."
            )
    if out.stale is not None:  # what publishing would do to the rows published since the file was exported
        try:
            source_tables = store.read_tables(out.stale.source, base)
        except (store.StoreError, OSError):
            source_tables = None
        out.stale.lost = overwritten(source_tables, current, {n: frames[n] for n in tables if n in frames})
    return out


def publish(
    path,
    note: str = "",
    base: Path | None = None,
    hook=None,
    progress=_quiet,
    allow_empty=frozenset(),
    replace: bool = False,
) -> tuple[str | None, list[schema.Problem]]:
    """Validate IN and, when it has no errors, publish it as a new current snapshot (store.publish).

    Returns (new id or None when refused, problems). Tables missing from IN are carried over from the
    current snapshot with their metadata. If someone else publishes between reading the current
    snapshot and writing, store.Conflict is raised and nothing is written. A workbook exported before the
    latest publishes that would delete or change what they published raises Overwrites unless `replace`.
    """
    p = plan(path, base, progress, allow_empty)
    if not p.ok:
        return None, p.problems
    require_consent(p, replace)
    for msg in p.notices:
        progress(msg)
    progress(f"Skriver snapshot med {fmt.count(len(p.frames), 'tabel', 'tabeller')} ...")
    return store.publish(p.frames, p.meta, note=note, based_on=p.based_on, base=base, hook=hook), p.problems


# ---------------------------------------------------------------------------------------------
# Uploads (the web page): the uploaded bytes become a file or folder that read_input reads


UPLOAD_KINDS = (".xlsx", ".zip", ".csv")


SAVE_AS_XLSX = "Åbn den i Excel, vælg Gem som > Excel-projektmappe (.xlsx), og upload den."


_OLE = bytes.fromhex("D0CF11E0A1B11AE1")  # the start of an OLE compound file (.xls, .doc, encrypted Office)


def password_protected(raw: bytes) -> bool:
    """Whether a file is an Office document encrypted with a password: Excel then writes the .xlsx as an
    OLE compound file holding the streams EncryptionInfo and EncryptedPackage ([MS-OFFCRYPTO] 2.3.4),
    whose names stand in its directory in UTF-16."""
    return raw.startswith(_OLE) and all(n.encode("utf-16-le") in raw for n in ("EncryptionInfo", "EncryptedPackage"))


def not_a_workbook(path: Path) -> str:
    """Why a .xlsx cannot be read, in words the secretariat can act on (the library's own message is
    English and about zip parts)."""
    name, raw = path.name, path.read_bytes()
    if not raw:
        return f"{name} er tom (0 byte): gem projektmappen i Excel igen, og upload den."
    if password_protected(raw):
        return (
            f"{name} kan ikke læses: filen er beskyttet med adgangskode. Gem den uden adgangskode (i Excel under "
            "Beskyt projektmappe), og upload den."
        )
    if raw.startswith(b"PK\x03\x04"):  # a zip, but not a whole one
        return (
            f"{name} kan ikke læses som Excel-projektmappe (.xlsx): filen er beskadiget eller ufuldstændig (fx "
            "afbrudt under kopiering). Gem den igen fra Excel, og upload den."
        )
    return (
        f"{name} kan ikke læses som Excel-projektmappe (.xlsx): filen er ikke en .xlsx-projektmappe, selv om den "
        f"hedder sådan (fx en omdøbt .xls- eller Word-fil). {SAVE_AS_XLSX}"
    )


def save_upload(name: str, raw: bytes, folder: Path) -> Path:
    """Write an uploaded workbook, CSV file or zip of CSV/Parquet files (one per table) into `folder`
    and return the path read_input reads. The same limits as for files apply, before anything is
    unpacked: schema.MAX_FILE_MB for the upload, schema.MAX_UNPACKED_MB for a zip's contents.
    A zip's folders are ignored (only file names count); other kinds of file in it are refused."""
    folder = Path(folder)
    base_name = Path(name).name or "upload"
    suffix = Path(base_name).suffix.lower()
    if len(raw) > schema.MAX_FILE_MB * 1_000_000:
        raise InputError(f"{base_name} fylder {len(raw) / 1e6:.0f} MB; højst {schema.MAX_FILE_MB} MB kan indlæses")
    if suffix in (".xls", ".xlsm", ".xlsb", ".ods"):
        raise InputError(f"{base_name} er ikke en Excel-projektmappe i formatet .xlsx. {SAVE_AS_XLSX}")
    if suffix not in UPLOAD_KINDS:
        raise InputError(f"{base_name}: forventede en .xlsx-projektmappe, en .csv-fil eller en .zip med .csv-filer")
    if suffix != ".zip":
        path = folder / base_name
        path.write_bytes(raw)
        return path
    try:
        z = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile:
        raise InputError(f"{base_name} kan ikke læses som zip-fil") from None
    with z:
        members = [i for i in z.infolist() if not i.is_dir() and not Path(i.filename).name.startswith((".", "~$"))]
        members = [i for i in members if "__MACOSX" not in i.filename]
        if sum(i.file_size for i in members) > schema.MAX_UNPACKED_MB * 1_000_000:
            raise InputError(f"{base_name} fylder mere end {schema.MAX_UNPACKED_MB} MB udpakket")
        out = folder / Path(base_name).stem
        out.mkdir()
        for i in members:
            file = Path(i.filename).name
            if Path(file).suffix.lower() not in (".csv", ".parquet"):
                raise InputError(f"{base_name}: {file} er hverken .csv eller .parquet")
            if (out / file).exists():
                raise InputError(f"{base_name}: {file} findes flere gange i zip-filen")
            (out / file).write_bytes(z.read(i))
    if not any(out.iterdir()):
        raise InputError(f"{base_name} indeholder ingen .csv- eller .parquet-filer")
    return out
