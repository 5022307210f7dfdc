"""Publishing the secretariat's data: workbook export, reading Excel/CSV/Parquet, validation,
snapshots and rollback (python -m overblik export-workbook | validate | publish | snapshots | rollback).

The rules live in overblik.schema and the snapshot mechanics in overblik.store; this module only
moves data between the secretariat's files and those two. Input is read as raw values (text, or what
Excel stored) so that a problem can show exactly what the user typed; schema.validate converts.

Metadata per table (provenance, source, data date) comes from the "Kilder" sheet / kilder.csv where
the user changed it; otherwise an unchanged table keeps the current snapshot's metadata and a changed
table becomes the secretariat's own real data, dated today.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from overblik import clock, schema, store

ABOUT = "Om"
SOURCES = "Kilder"
SOURCES_FILE = "kilder.csv"
SOURCE_COLUMNS = ("table", "provenance", "source", "data_date")
PAUSE_ENV = "OVERBLIK_TEST_PAUSE_AT"  # tests: pause publishing at a write step so it can be killed
_BOLD = Font(bold=True)


class InputError(RuntimeError):
    """The input cannot be read at all (missing, not a workbook, ambiguous files)."""


def _progress(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _n(x: int) -> str:
    return f"{x:,}".replace(",", ".")


def _blank(v) -> bool:
    return (isinstance(v, str) and not v.strip()) or schema.missing(v)


# ---------------------------------------------------------------------------------------------
# Export


def _write_sheet(ws, header: list, rows: list[list], header_row: int = 1, formats: dict[int, str] | None = None) -> None:
    """Header (bold, frozen), rows, readable widths; `formats` maps column index to a number format."""
    ws.append(header)
    for cell in ws[header_row]:
        cell.font = _BOLD
    ws.freeze_panes = f"A{header_row + 1}"
    for row in rows:
        ws.append(row)
    for i, name in enumerate(header):
        letter = get_column_letter(i + 1)
        sample = [name] + [r[i] for r in rows[:2000]]
        ws.column_dimensions[letter].width = min(60, max(8, *(len(str(v)) for v in sample if v is not None)) + 2)
        fmt = (formats or {}).get(i)
        for (cell,) in ws.iter_rows(min_row=header_row + 1, min_col=i + 1, max_col=i + 1):
            if fmt:
                cell.number_format = fmt
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text, not a formula


def _about_sheet(ws, sid: str, doc: dict) -> None:
    intro = [
        "Rammeaftale-overblik: sekretariatets projektmappe",
        f"Udtræk af snapshot {sid} (oprettet {doc['created']}). Ét ark pr. tabel; række 1 er kolonnenavnene og må ikke ændres.",
        "Ret eller tilføj rækker, gem og kontrollér: python -m overblik validate FIL.xlsx",
        'Udgiv: python -m overblik publish FIL.xlsx --note "Til mødet ...". Ark, der slettes, overtages uændret fra de aktuelle data.',
        "Arket Kilder: proveniens (real/illustrative), kilde og datadato pr. tabel. Ændres en tabel uden at dens linje i Kilder "
        "rettes, registreres den som real, 'Sekretariatets data (filnavn)' med dags dato.",
        "Dette ark (Om) læses ikke ved udgivelse. Nedenfor: hver tabel og kolonne med regler.",
    ]
    for line in intro:
        ws.append([line])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    header = ["Tabel", "Kolonne", "Beskrivelse", "Type", "Påkrævet", "Tilladte værdier", "Interval", "Format", "Nøgle", "Henviser til", "Regler"]
    rows = []
    for t in schema.TABLES.values():
        rules = [c.rule for c in t.checks] + [f"{c.rule} (advarsel)" for c in t.warnings]
        rows.append([t.name, "", f"{t.title}: {t.description}", "", "", "", "", "", ", ".join(t.key), "", "; ".join(rules)])
        for c in t.columns:
            span = ("" if c.min is None and c.max is None else
                    f"mindst {c.min:g}" if c.max is None else
                    f"højst {c.max:g}" if c.min is None else f"{c.min:g} til {c.max:g}")
            ref = t.foreign_keys.get(c.name)
            rows.append([t.name, c.name, c.description, schema.TYPE_NAMES[c.type], "ja" if c.required else "nej",
                         ", ".join(str(a) for a in c.allowed or ()), span, c.pattern_hint,
                         "ja" if c.name in t.key else "", f"{ref[0]}.{ref[1]}" if ref else "", ""])
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


def workbook_bytes(sid: str | None = None, base: Path | None = None) -> bytes:
    """The snapshot (default: the current one) as an .xlsx: Om, Kilder, then one sheet per table."""
    sid = sid or store.current_id(base)
    doc = store.manifest(sid, base)
    names = [n for n in doc["tables"] if n in schema.TABLES]
    wb = Workbook()
    wb.active.title = ABOUT
    _about_sheet(wb.active, sid, doc)
    ws = wb.create_sheet(SOURCES)
    _write_sheet(ws, list(SOURCE_COLUMNS),
                 [[n, doc["tables"][n]["provenance"], doc["tables"][n]["source"], _date_or_text(doc["tables"][n]["data_date"])] for n in names],
                 formats={3: "yyyy-mm-dd"})
    _dropdown(ws, 1, schema.PROVENANCES)
    for name in names:
        frame = schema.coerce(name, store.read_table(name, sid, base))
        table = schema.TABLES[name]
        columns = [[None if schema.missing(v) else v for v in frame[c].tolist()] for c in frame.columns]
        formats = {i: "yyyy-mm-dd" if c.type == "date" else "@" for i, c in enumerate(table.columns) if c.type in ("date", "str", "pdate")}
        ws = wb.create_sheet(name)
        _write_sheet(ws, list(frame.columns), [list(r) for r in zip(*columns)], formats=formats)
        for i, c in enumerate(table.columns):
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


def _read_csv(path: Path) -> pd.DataFrame:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    sep = "," if first.count(",") > first.count(";") else ";"
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    return _frame(records[0] if records else [], records[1:])


def _read_parquet(path: Path) -> pd.DataFrame:
    df = pq.read_table(path).to_pandas().astype(object)
    return _frame(list(df.columns), df.itertuples(index=False, name=None))


def read_input(path) -> tuple[dict[str, pd.DataFrame], dict[str, schema.Origin], pd.DataFrame | None]:
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
        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as e:  # noqa: BLE001 - any reason the file is not a workbook
            raise InputError(f"{path.name} kan ikke læses som Excel-projektmappe (.xlsx): {e}") from None
        try:
            for ws in wb.worksheets:
                if ws.title == ABOUT:
                    continue
                ws.reset_dimensions()  # trust the cells, not the stored size
                rows = ws.iter_rows(values_only=True)
                df = _frame(next(rows, ()), rows)
                origin = schema.Origin(path.name, ws.title)
                if ws.title == SOURCES:
                    sources, origins[SOURCES] = df, origin
                    continue
                tables[ws.title], origins[ws.title] = df, origin
                _progress(f"Læst ark {ws.title}: {_n(len(df))} rækker")
        finally:
            wb.close()
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
        tables[name] = _read_csv(f) if suffix == ".csv" else _read_parquet(f) if suffix == ".parquet" else pd.DataFrame()
        origins[name] = schema.Origin(f.name)
        _progress(f"Læst {f.name}: {_n(len(tables[name]))} rækker")
    return tables, origins, sources


# ---------------------------------------------------------------------------------------------
# Validation and publishing


def _source_problems(sources: pd.DataFrame, origin: schema.Origin, known: set[str]) -> list[schema.Problem]:
    """Problems in the Kilder rows: the columns, one row per known table, provenance, data date."""
    out = []

    def problem(row, column, rule, value):
        out.append(schema.Problem(SOURCES, row, column, rule, value, origin.file, origin.sheet))

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
        if not _blank(prov) and str(prov).strip() not in schema.PROVENANCES:
            problem(row, "provenance", f"ikke en tilladt værdi ({', '.join(schema.PROVENANCES)})", prov)
        if not _blank(r.get("data_date")):
            try:
                schema.as_date(r["data_date"])
            except (TypeError, ValueError):
                problem(row, "data_date", f"skal være {schema.TYPE_NAMES['date']}", r["data_date"])
    return out


def _given_sources(sources: pd.DataFrame | None) -> dict[str, tuple]:
    """Valid Kilder rows as {table: (provenance, source, data_date)}, None for blank cells."""
    if sources is None or "table" not in sources.columns:
        return {}
    out = {}
    for r in sources.to_dict("records"):
        if _blank(r.get("table")):
            continue
        prov, src, date = (None if _blank(r.get(c)) else r.get(c) for c in SOURCE_COLUMNS[1:])
        out[str(r["table"]).strip()] = (
            None if prov is None else str(prov).strip(),
            None if src is None else str(src).strip(),
            None if date is None else schema.as_date(date).isoformat(),
        )
    return out


def _current(base: Path | None):
    """(id, tables, manifest table entries) of the current snapshot, or (None, {}, {})."""
    try:
        sid = store.current_id(base)
    except store.StoreError:
        return None, {}, {}
    return sid, store.read_tables(sid, base), store.manifest(sid, base)["tables"]


def check(path, base: Path | None = None):
    """Read and validate IN; foreign keys resolve against IN and then the current snapshot.

    Returns (tables, origins, sources, problems, current) with current = _current(base).
    """
    tables, origins, sources = read_input(path)
    current = _current(base)
    _progress(f"Kontrollerer {len(tables)} tabeller ...")
    problems = schema.validate(tables, origins, reference=current[1])
    if sources is not None:
        problems += _source_problems(sources, origins[SOURCES], set(tables) | set(current[1]))
    return tables, origins, sources, problems, current


def _step_hook(step: str) -> None:
    """Progress for store.write_snapshot; with $OVERBLIK_TEST_PAUSE_AT=step it waits there to be killed."""
    _progress({"manifest": "Manifest skrevet", "renamed": "Snapshot lagt på plads"}.get(step, f"Skrevet {step.removeprefix('table:')}"))
    if os.environ.get(PAUSE_ENV) == step:
        _progress(f"PAUSE {step}")
        time.sleep(3600)


def publish(path, note: str = "", base: Path | None = None, hook=_step_hook) -> tuple[str | None, list[schema.Problem]]:
    """Validate IN and, when it has no errors, publish it as a new current snapshot.

    Returns (new id or None when refused, problems). Tables missing from IN are carried over from the
    current snapshot with their metadata.
    """
    path = Path(path)
    tables, _, sources, problems, (_, current, current_meta) = check(path, base)
    if schema.errors(problems):
        return None, problems
    given = _given_sources(sources)
    today = clock.today().isoformat()
    frames: dict[str, pd.DataFrame] = {}
    meta: dict[str, store.TableMeta] = {}
    for name in schema.TABLES:
        old = current_meta.get(name)
        old = old and store.TableMeta(old["provenance"], old["source"], old["data_date"])
        if name in tables:
            frames[name] = schema.coerce(name, tables[name])
            same = name in current and frames[name].equals(schema.coerce(name, current[name]))
            meta[name] = old if same else store.TableMeta("real", f"Sekretariatets data ({path.name})", today)
        elif name in current:
            frames[name], meta[name] = current[name], old
        else:
            continue
        g = given.get(name)
        if g and (old is None or g != (old.provenance, old.source, old.data_date)):  # the user changed it
            meta[name] = store.TableMeta(*(x if x is not None else d for x, d in zip(g, (meta[name].provenance, meta[name].source, meta[name].data_date))))
    _progress(f"Skriver snapshot med {len(frames)} tabeller ...")
    return store.write_snapshot(frames, meta, note=note, base=base, hook=hook), problems


# ---------------------------------------------------------------------------------------------
# History and rollback


def snapshot_history(base: Path | None = None) -> pd.DataFrame:
    """Every complete snapshot, newest first: id, created (UTC), note, current, illustrative,
    compared_with (its parent, else the one before it) and the tables changed / added / removed
    against that one (by the manifests' sha256)."""
    docs = store.list_snapshots(base)
    try:
        cur = store.current_id(base)
    except store.StoreError:
        cur = None
    by_id = {d["id"]: d for d in docs}
    rows, prev = [], None
    for d in docs:
        before = by_id.get(d.get("parent")) or prev
        old = {n: e["sha256"] for n, e in (before or {"tables": {}})["tables"].items()}
        new = {n: e["sha256"] for n, e in d["tables"].items()}
        rows.append({
            "id": d["id"],
            "created": pd.to_datetime(d["created"], utc=True),
            "note": d.get("note", ""),
            "current": d["id"] == cur,
            "illustrative": store.is_illustrative(d),
            "compared_with": before["id"] if before else None,
            "changed": [n for n in new if n in old and new[n] != old[n]],
            "added": [n for n in new if n not in old],
            "removed": [n for n in old if n not in new],
        })
        prev = d
    cols = ["id", "created", "note", "current", "illustrative", "compared_with", "changed", "added", "removed"]
    out = pd.DataFrame(rows, columns=cols).iloc[::-1].reset_index(drop=True)
    out["compared_with"] = pd.Series([r["compared_with"] for r in reversed(rows)], dtype=object)  # None, not NaN
    return out


def rollback(sid: str, base: Path | None = None) -> None:
    if not (store.snapshot_path(sid, base) / store.MANIFEST).exists():
        raise store.StoreError(f"Ukendt snapshot-id: {sid!r}. Se listen med 'python -m overblik snapshots'.")
    store.set_current(sid, base)


# ---------------------------------------------------------------------------------------------
# Commands


def _report(problems: list[schema.Problem], shown: int = 10) -> None:
    """Every error in full; then the warnings, the first `shown` of a kind in full and the rest by row."""
    for p in schema.errors(problems):
        print(p.message())
    kinds: dict[tuple, list[schema.Problem]] = {}
    for p in problems:
        if p.severity != "fejl":
            kinds.setdefault((p.file, p.sheet, p.table, p.column, p.rule), []).append(p)
    for (file, sheet, table, column, rule), ps in kinds.items():
        for p in ps[:shown]:
            print(p.message())
        if ps[shown:]:
            rows = ", ".join(str(p.row) for p in ps[shown:])
            print(schema.Problem(table, None, column, f"{rule} også i {len(ps) - shown} rækker mere: {rows}", None, file, sheet, "advarsel").message())


def _changes(r) -> str:
    if r["compared_with"] is None:
        return "første snapshot"
    parts = [f"{label}: {', '.join(r[k])}" for k, label in (("changed", "ændret"), ("added", "ny"), ("removed", "fjernet")) if r[k]]
    return "; ".join(parts) or "ingen ændringer"


def _local(ts: pd.Timestamp) -> str:
    try:
        return ts.tz_convert("Europe/Copenhagen").strftime("%Y-%m-%d %H:%M")
    except Exception:  # noqa: BLE001 - no time zone data: show UTC
        return ts.strftime("%Y-%m-%d %H:%M UTC")


def main(args) -> int:
    cmd = args.command
    try:
        if cmd == "export-workbook":
            Path(args.out).write_bytes(workbook_bytes())
            print(f"Skrev {args.out} (snapshot {store.current_id()})")
            return 0

        if cmd in ("validate", "publish"):
            if cmd == "validate":
                tables, _, _, problems, current = check(args.input)
                sid = None
            else:
                sid, problems = publish(args.input, note=args.note)
            _report(problems)
            errors = schema.errors(problems)
            warnings = len(problems) - len(errors)
            if errors:
                print(f"{len(errors)} fejl og {warnings} advarsler i {Path(args.input).name}. Intet er udgivet; ret fejlene og prøv igen.")
                return 1
            if sid:
                _progress(f"Udgivet snapshot {sid} og gjort aktuelt" + (f" ({warnings} advarsler)" if warnings else ""))
                print(sid)
                return 0
            counts = ", ".join(f"{n} {_n(len(df))}" for n, df in tables.items())
            print(f"OK: {Path(args.input).name} er gyldig ({len(tables)} tabeller, {_n(sum(len(df) for df in tables.values()))} rækker: {counts})"
                  + (f", {warnings} advarsler" if warnings else "") + ".")
            carried = [n for n in current[1] if n not in tables]
            if carried:
                print(f"Ved udgivelse overtages uændret fra snapshot {current[0]}: {', '.join(carried)}.")
            return 0

        if cmd == "snapshots":
            history = snapshot_history()
            if history.empty:
                print("Ingen snapshots endnu.")
                return 0
            print("Snapshots, nyeste først (* = aktuelt):")
            for _, r in history.iterrows():
                note = f"  \"{r['note']}\"" if r["note"] else ""
                print(f"{'*' if r['current'] else ' '} {r['id']}  {_local(r['created'])}  {_changes(r)}{note}")
            return 0

        if cmd == "rollback":
            rollback(args.id)
            print(f"Aktuelt snapshot er nu {args.id}")
            return 0
    except (InputError, store.StoreError) as e:
        print(f"Fejl: {e}", file=sys.stderr)
        return 1
    return 2
