"""Publishing the secretariat's data (overblik.ingest): export, read, validate, publish, history,
rollback and crash safety. Every test works in its own tmp data folder, never in data/."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest

from overblik import cli, clock, ingest, schema, store

ROOT = Path(__file__).resolve().parent.parent
D = dt.date

# A tiny valid data set: every table, a few rows, built on the contract's column order.
ROWS = {
    "municipalities": [(751, "Aarhus", "Østjylland", 1082), (657, "Herning", "Vestjylland", 1082)],
    "operators": [(751, "Aarhus Kommune", "kommune"), (1082, "Region Midtjylland", "region")],
    "population": [(751, 2024, "0-17", 70123), (657, 2024, "18-64", 50211)],
    "price_index": [(2023, 98.5, "KL, PL-skøn"), (2024, 100.0, "KL, PL-skøn")],
    "account_functions": [
        ("5.38.50", "Botilbud til længerevarende ophold", "Voksne", "SEL §108"),
        ("5.28.20", "Plejefamilier", "Børn og unge", None),
    ],
    "spending": [(751, 2024, "5.38.50", "regnskab", 123456.7), (657, 2024, "5.28.20", "budget", -12.5)],
    "agreements": [
        ("2025-26", 2025, 2026, "Mental sundhed; Overgange", "Taksterne kan ikke stige", 0.0, None, "seed", "faste")
    ],
    "target_groups": [
        ("B1", "Børn og unge", "Autisme", "Børn og unge med autisme"),
        ("V1", "Voksne", "Psykiatri", "Voksne med psykiatriske problemstillinger"),
    ],
    "offers": [
        ("T1", "Bostedet Åen", 1082, 751, "SEL §108", "V1", "rammeaftale"),
        ("T2", "Grenen", 1082, None, "SEL §63", "B1", "sikret"),
    ],
    "offer_years": [("T1", 2024, 20, 95.5, 97.0, 2450.75, -120.0), ("T2", 2024, 10, 88.0, 95.0, 9800.0, None)],
    "extra_services": [("T1", 2024, 312.5)],
    "demand": [(751, 2024, "B1", 2, 3, 1, 0)],
    "central_notices": [
        (
            "CU-2019-1",
            "Udviklingshæmning og dom",
            "2019-11",
            "2020-09",
            "Afsluttet",
            "2025-12",
            None,
            "Ingen ny afdeling",
            "Tilsluttet",
            0,
            "https://www.sbst.dk/x",
        )
    ],
    "principles": [("P1", "Fælles om kontrakter og takster"), ("U", "Udviklingsområdet")],
    "initiatives": [
        ("I1", "P1", "Fælles kontraktskabelon", "=ikke en formel", "Sekretariatet", D(2027, 1, 1), D(2027, 6, 30))
    ],
    "initiative_updates": [("I1", D(2027, 3, 1), "på sporet", 40.0, "Godt i gang; æøå ÆØÅ", None)],
    "meetings": [(D(2027, 3, 15), "KKR", "KKR-møde marts")],
    "secured_units": [("Grenen", "Region Midtjylland", "Sikret institution", 15, "10 + 5", "T2", "dok.rm.dk")],
    "national_offers": [("Synscenter Refsnæs", None)],
}


def frames() -> dict[str, pd.DataFrame]:
    return {n: pd.DataFrame(rows, columns=schema.TABLES[n].column_names, dtype=object) for n, rows in ROWS.items()}


META = store.TableMeta("illustrative", "Testdata", "2026-01-02")


def make_snapshot(base: Path, note: str = "base", tables=None) -> str:
    tables = tables or frames()
    return store.publish(tables, dict.fromkeys(tables, META), note=note, base=base)


def danish(v) -> str:
    """A cell the way Danish Excel writes it to CSV."""
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return ""
    if isinstance(v, float):
        return repr(v).replace(".", ",")
    return str(v)


def write_csv(folder: Path, name: str, df: pd.DataFrame, encoding="utf-8", sep=";") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = [sep.join(df.columns)] + [
        sep.join(f'"{danish(v)}"' if sep in danish(v) else danish(v) for v in r) for r in df.itertuples(index=False)
    ]
    path = folder / f"{name}.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def csv_folder(folder: Path, tables: dict[str, pd.DataFrame], **kw) -> Path:
    for name, df in tables.items():
        write_csv(folder, name, df, **kw)
    return folder


@pytest.fixture
def data(tmp_path, monkeypatch):
    """A data folder (OVERBLIK_DATA_DIR) holding one current snapshot of the tiny data set."""
    base = tmp_path / "data"
    monkeypatch.setenv("OVERBLIK_DATA_DIR", str(base))
    make_snapshot(base)
    return base


def run_cli(*argv) -> int:
    return cli.main([str(a) for a in argv])


def file_hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


# ---------------------------------------------------------------------------------------------
# Validation: every rule, through `validate IN`, with the message naming where and what


def _mutate(table, fn):
    def make():
        t = frames()
        t[table] = fn(t[table].copy())
        return {table: t[table]}

    return make


def _set(table, col, value, row=0):
    def fn(df):
        df.loc[row, col] = value
        return df

    return _mutate(table, fn)


CASES = [
    # (id, input tables builder, file, row, column, rule text, value shown)
    ("type", _set("offer_years", "places", "mange"), "offer_years.csv", 2, "places", "skal være heltal", "'mange'"),
    (
        "type-float",
        _set("offer_years", "rate_dkk_per_day", "dyr"),
        "offer_years.csv",
        2,
        "rate_dkk_per_day",
        "skal være tal",
        "'dyr'",
    ),
    (
        "type-date",
        _set("initiatives", "start_date", "2027-01-01 kl. 9"),
        "initiatives.csv",
        2,
        "start_date",
        "skal være en dato, der findes",
        "'2027-01-01 kl. 9'",
    ),
    ("required", _set("offers", "name", None, row=1), "offers.csv", 3, "name", "påkrævet værdi mangler", None),
    ("allowed", _set("offers", "kind", "privat"), "offers.csv", 2, "kind", "ikke en tilladt værdi", "'privat'"),
    ("min", _set("offer_years", "places", -1), "offer_years.csv", 2, "places", "mindre end 0", "'-1'"),
    ("max", _set("demand", "difficulty", 4), "demand.csv", 2, "difficulty", "større end 3", "'4'"),
    (
        "max-float",
        _set("offer_years", "occupancy_pct", 250.5),
        "offer_years.csv",
        2,
        "occupancy_pct",
        "større end 200",
        "'250,5'",
    ),
    (
        "pattern",
        _set("account_functions", "function_code", "5.38"),
        "account_functions.csv",
        2,
        "function_code",
        "forkert format",
        "'5.38'",
    ),
    (
        "pdate",
        _set("central_notices", "issued", "2019-13"),
        "central_notices.csv",
        2,
        "issued",
        "skal være en dato, der findes",
        "'2019-13'",
    ),
    (
        "unique-key",
        _mutate("municipalities", lambda df: pd.concat([df, df.iloc[[0]]], ignore_index=True)),
        "municipalities.csv",
        4,
        "municipality_code",
        "nøglen findes allerede i række 2",
        "751",
    ),
    (
        "foreign-key",
        _set("offers", "target_group_id", "X9"),
        "offers.csv",
        2,
        "target_group_id",
        "findes ikke i target_groups.target_group_id",
        "'X9'",
    ),
    (
        "row-check",
        _set("initiatives", "deadline", D(2026, 12, 31)),
        "initiatives.csv",
        2,
        "deadline",
        "frist før start",
        "31. dec. 2026",
    ),
    (
        "row-check-pdate",
        _set("central_notices", "report_submitted", "2019-01"),
        "central_notices.csv",
        2,
        "report_submitted",
        "afrapportering før udmelding",
        "'2019-01'",
    ),
    (
        "unknown-column",
        _mutate("offers", lambda df: df.assign(ekstra="x")),
        "offers.csv",
        None,
        "ekstra",
        "ukendt kolonne",
        "'ekstra'",
    ),
    (
        "missing-column",
        _mutate("offers", lambda df: df.drop(columns=["legal_basis"])),
        "offers.csv",
        None,
        "legal_basis",
        "kolonne mangler",
        None,
    ),
    ("unknown-table", lambda: {"tilbud": frames()["offers"]}, "tilbud.csv", None, None, "ukendt tabel", "'tilbud'"),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_validate_reports_each_rule(data, tmp_path, capsys, case):
    _, build, file, row, column, rule, value = case
    folder = csv_folder(tmp_path / "in", build())
    assert run_cli("validate", folder) == 1
    out = capsys.readouterr().out
    line = next((ln for ln in out.splitlines() if rule in ln), None)
    assert line is not None, out
    assert line.startswith("Fejl: ") and file in line
    if row is not None:
        assert f"række {row}" in line
    if column is not None:
        assert f"kolonne {column}" in line
    if value is not None:
        assert value in line
    assert "Intet er udgivet" in out


def test_validate_reports_every_problem_not_just_the_first(data, tmp_path, capsys):
    t = frames()
    t["offer_years"].loc[0, "places"] = "mange"
    t["offer_years"].loc[1, "occupancy_pct"] = "-3"
    t["offers"].loc[1, "kind"] = "privat"
    assert run_cli("validate", csv_folder(tmp_path / "in", t)) == 1
    out = capsys.readouterr().out
    assert out.count("Fejl: ") == 3
    assert "3 fejl og 0 advarsler" in out


def test_warning_does_not_fail(data, tmp_path, capsys):
    t = {"offer_years": frames()["offer_years"]}
    t["offer_years"].loc[1, "occupancy_pct"] = 112.5
    assert run_cli("validate", csv_folder(tmp_path / "in", t)) == 0
    out = capsys.readouterr().out
    assert "Advarsel: offer_years.csv, række 3, kolonne occupancy_pct: overbelægning over 100 %: 112,5" in out
    assert "OK: in er gyldig" in out and "1 advarsel." in out  # one warning, not "1 advarsler"


def test_a_large_rate_change_is_a_warning_naming_both_years(data, tmp_path, capsys):
    """T1's rate is 2.450,75 in 2024 (the current data); a new 2025 row at 1.029,3 is 1029,3 / 2450,75 = 0,42:
    -58 %. Row 4 of the CSV file (header, two rows, the new one); a warning, so validate still passes."""
    t = {"offer_years": frames()["offer_years"]}
    t["offer_years"].loc[2] = ["T1", 2025, 20, 95.5, 97.0, 1029.3, None]
    assert run_cli("validate", csv_folder(tmp_path / "in", t)) == 0
    out = capsys.readouterr().out
    assert (
        "Advarsel: offer_years.csv, række 4, kolonne rate_dkk_per_day: takst ændret −58 % fra 2024 (2.450,75) til "
        "2025 (1.029,3) for tilbud T1; kontrollér tallet (dashboardets egen kontrol af ændringer over 25 %, ikke en "
        "regel i rammeaftalen): 1.029,3"
    ) in out
    assert "1 advarsel." in out


def test_many_warnings_of_a_kind_are_summarised_by_row(data, tmp_path, capsys):
    t = {"offer_years": frames()["offer_years"]}
    t["offer_years"] = pd.concat([t["offer_years"]] * 8, ignore_index=True).assign(
        year=list(range(2010, 2026)), occupancy_pct=101.5
    )
    t["offer_years"].loc[15, "places"] = -2
    assert run_cli("validate", csv_folder(tmp_path / "in", t)) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Fejl: offer_years.csv, række 17, kolonne places: mindre end 0: '-2'"  # errors first
    assert sum(ln.startswith("Advarsel: offer_years.csv, række") for ln in out) == 5
    assert (
        "Advarsel: offer_years.csv, kolonne occupancy_pct: overbelægning over 100 % også i 11 rækker mere: "
        "7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17"
    ) in out


def test_unknown_file_in_folder_is_reported(data, tmp_path, capsys):
    folder = csv_folder(tmp_path / "in", {"principles": frames()["principles"]})
    (folder / "noter.txt").write_text("husk mødet", encoding="utf-8")
    assert run_cli("validate", folder) == 1
    assert "Fejl: noter.txt: ukendt tabel: 'noter.txt'" in capsys.readouterr().out


def test_workbook_problems_name_file_and_sheet(data, tmp_path, capsys):
    wb_path = tmp_path / "wb.xlsx"
    assert run_cli("export-workbook", wb_path) == 0
    wb = openpyxl.load_workbook(wb_path)
    wb["offers"]["G3"] = "privat"  # kind, row 3
    wb.create_sheet("Noter")["A1"] = "mine noter"
    wb.save(wb_path)
    assert run_cli("validate", wb_path) == 1
    out = capsys.readouterr().out
    assert (
        "Fejl: wb.xlsx, ark offers, række 3, kolonne kind: ikke en tilladt værdi (rammeaftale, sikret, landsdækkende): 'privat'"
        in out
    )
    assert "Fejl: wb.xlsx, ark Noter: ukendt tabel: 'Noter'" in out


def test_foreign_keys_resolve_against_current_snapshot(data, tmp_path, capsys):
    good = frames()["offer_years"]  # offers are not in the input: T1/T2 are found in the snapshot
    assert run_cli("validate", csv_folder(tmp_path / "ok", {"offer_years": good})) == 0
    assert "overtages uændret" in capsys.readouterr().out
    bad = good.copy()
    bad.loc[0, "offer_id"] = "T9"
    assert run_cli("validate", csv_folder(tmp_path / "bad", {"offer_years": bad})) == 1
    assert "offer_years.csv, række 2, kolonne offer_id: findes ikke i offers.offer_id: 'T9'" in capsys.readouterr().out


def test_kilder_problems(data, tmp_path, capsys):
    folder = csv_folder(tmp_path / "in", {"offers": frames()["offers"]})
    (folder / "kilder.csv").write_text(
        "table;provenance;source;data_date\noffers;måske;X;2026-13-01\nfoo;real;X;2026-01-01\noffers;real;Y;\n",
        encoding="utf-8",
    )
    assert run_cli("validate", folder) == 1
    out = capsys.readouterr().out
    assert "kilder.csv, række 2, kolonne provenance: ikke en tilladt værdi (real, illustrative): 'måske'" in out
    assert "kilder.csv, række 2, kolonne data_date: skal være en dato, der findes" in out
    assert "kilder.csv, række 3, kolonne table: ukendt tabel: 'foo'" in out
    assert "kilder.csv, række 4, kolonne table: tabellen står allerede i række 2" in out


def test_unreadable_input(data, tmp_path, capsys):
    assert run_cli("validate", tmp_path / "findes-ikke.xlsx") == 1
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    assert run_cli("validate", bad) == 1
    err = capsys.readouterr().err
    assert "findes ikke" in err and "kan ikke læses som Excel" in err


def test_excel_row_numbers_count_blank_rows(data, tmp_path, capsys):
    wb_path = tmp_path / "wb.xlsx"
    wb_path.write_bytes(ingest.workbook_bytes())
    wb = openpyxl.load_workbook(wb_path)
    ws = wb["principles"]
    ws.insert_rows(3)  # an empty row 3 the user sees; the old row 3 moves to 4
    ws["A4"] = "P9"
    wb.save(wb_path)
    assert run_cli("validate", wb_path) == 1
    out = capsys.readouterr().out
    assert "Advarsel: wb.xlsx, ark principles, række 3: tom række: springes over" in out  # skipped, still counted
    assert "ark principles, række 4, kolonne principle_id: forkert format (forventet P1-P4 eller U): 'P9'" in out


# ---------------------------------------------------------------------------------------------
# CSV as Danish Excel writes it


@pytest.mark.parametrize("encoding,sep", [("utf-8", ";"), ("utf-8-sig", ";"), ("cp1252", ";"), ("utf-8", ",")])
def test_csv_encodings_and_separators(data, tmp_path, encoding, sep):
    t = {n: frames()[n] for n in ("offer_years", "initiative_updates", "spending", "offers")}
    folder = csv_folder(tmp_path / "in", t, encoding=encoding, sep=sep)
    raw = (folder / "initiative_updates.csv").read_bytes()
    assert ("æøå".encode("cp1252") in raw) == (encoding == "cp1252")
    assert raw.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    tables, origins, _ = ingest.read_input(folder)
    assert list(tables["offer_years"].columns) == schema.TABLES["offer_years"].column_names
    assert tables["offer_years"].loc[0, "occupancy_pct"] == "95,5"  # raw, as typed
    assert schema.validate(tables, origins, store.read_tables()) == []
    for name in t:
        assert schema.coerce(name, tables[name]).equals(schema.coerce(name, frames()[name])), name
    assert schema.coerce("initiative_updates", tables["initiative_updates"]).loc[0, "note"] == "Godt i gang; æøå ÆØÅ"


def test_csv_danish_decimal_with_thousands(data, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "spending.csv").write_text(
        "municipality_code;year;function_code;kind;net_1000_dkk\n751;2024;5.38.50;regnskab;1.234,5\n", encoding="cp1252"
    )
    tables, origins, _ = ingest.read_input(folder)
    assert schema.validate(tables, origins, store.read_tables()) == []
    assert schema.coerce("spending", tables["spending"]).loc[0, "net_1000_dkk"] == 1234.5


def test_parquet_folder(data, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    frames()["offers"].to_parquet(folder / "offers.parquet")
    sid, problems = ingest.publish(folder, base=data)
    assert sid and problems == []
    assert schema.coerce("offers", store.read_table("offers", sid)).equals(schema.coerce("offers", frames()["offers"]))


# ---------------------------------------------------------------------------------------------
# Export workbook and the round trip


def test_workbook_layout(data):
    wb = openpyxl.load_workbook(io.BytesIO(ingest.workbook_bytes()))
    assert wb.sheetnames[:2] == ["Om", "Kilder"]
    assert wb.sheetnames[2:] == [n for n in schema.TABLES if n in ROWS]
    ws = wb["initiatives"]
    assert [c.value for c in ws[1]] == schema.TABLES["initiatives"].column_names
    assert ws.freeze_panes == "A2" and ws["A1"].font.bold
    assert isinstance(ws["F2"].value, dt.datetime) and ws["F2"].number_format == "yyyy-mm-dd"
    # a text that begins like a formula is neutralised (OWASP) and read back unchanged (round trip)
    assert ws["D2"].value == "'=ikke en formel" and ws["D2"].data_type == "s"
    assert ws.column_dimensions["C"].width > 10
    om = list(wb["Om"].iter_rows(values_only=True))
    header = next(i for i, r in enumerate(om) if r[0] == "Tabel")
    occ = next(r for r in om[header:] if r[:2] == ("offer_years", "occupancy_pct"))
    col = schema.TABLES["offer_years"].column("occupancy_pct")
    assert occ[2] == col.description and occ[4] == "ja" and occ[6] == "0 til 200"
    fk = next(r for r in om[header:] if r[:2] == ("offers", "target_group_id"))
    assert fk[9] == "target_groups.target_group_id" and fk[4] == "nej"
    assert any(r[0] == "offer_years" and "overbelægning" in (r[10] or "") for r in om)
    assert any(
        r[0] == "offer_years" and "takst ændret mere end 25 % fra året før (advarsel)" in (r[10] or "") for r in om
    )
    kilder = list(wb["Kilder"].iter_rows(values_only=True))
    assert kilder[0] == ingest.SOURCE_COLUMNS
    assert kilder[1] == ("municipalities", "illustrative", "Testdata", dt.datetime(2026, 1, 2))


def _parquet_rows(sid: str, base: Path, name: str):
    path = (store.snapshot_path(sid, base) / f"{name}.parquet").as_posix()
    con = duckdb.connect()
    types = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()
    return types, con.execute(f"SELECT * FROM read_parquet('{path}')").fetchall()


def _assert_round_trip(base: Path, tmp_path: Path):
    old = store.current_id(base)
    wb = tmp_path / "rundtur.xlsx"
    assert run_cli("export-workbook", wb) == 0
    sid, problems = ingest.publish(wb, note="uændret", base=base)
    assert sid and sid != old and not schema.errors(problems)
    old_doc, new_doc = store.manifest(old, base), store.manifest(sid, base)
    assert list(new_doc["tables"]) == list(old_doc["tables"])
    for name in old_doc["tables"]:
        assert _parquet_rows(sid, base, name) == _parquet_rows(old, base, name), name  # duckdb: types and rows
        a = pq.read_table(store.snapshot_path(old, base) / f"{name}.parquet")
        b = pq.read_table(store.snapshot_path(sid, base) / f"{name}.parquet")
        assert a.schema.equals(b.schema) and a.equals(b), name
        for key in ("rows", "provenance", "source", "data_date"):  # unchanged rows keep their metadata
            assert new_doc["tables"][name][key] == old_doc["tables"][name][key]
    return sid


def test_round_trip_export_publish_unchanged(data, tmp_path):
    sid = _assert_round_trip(data, tmp_path)
    row = store.snapshot_history(data).iloc[0]
    assert row["id"] == sid and row["changed"] == [] and row["added"] == [] and row["current"]


def test_round_trip_on_demo_snapshot(tmp_path, monkeypatch):
    if not (ROOT / "overblik" / "demo.py").exists():
        pytest.skip("overblik/demo.py not there yet")
    base = tmp_path / "data"
    monkeypatch.setenv("OVERBLIK_DATA_DIR", str(base))
    r = subprocess.run(
        [sys.executable, "-m", "overblik", "demo", "--out", str(base)],
        cwd=ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    _assert_round_trip(base, tmp_path)


# ---------------------------------------------------------------------------------------------
# Publishing: carry-over, metadata, note, history, rollback


def test_publish_carries_over_missing_tables_and_sets_metadata(data, tmp_path):
    old = store.current_id(data)
    t = {"offer_years": frames()["offer_years"], "offers": frames()["offers"]}
    t["offer_years"].loc[0, "places"] = 22
    sid, _ = ingest.publish(csv_folder(tmp_path / "in", t), note="Til DASSOS-mødet", base=data)
    doc = store.manifest(sid, data)
    assert store.current_id(data) == sid and doc["note"] == "Til DASSOS-mødet" and doc["parent"] == old
    assert list(doc["tables"]) == list(store.manifest(old, data)["tables"])  # all carried over
    for name in ROWS:
        if name != "offer_years":
            assert doc["tables"][name]["sha256"] == store.manifest(old, data)["tables"][name]["sha256"], name
            assert (doc["tables"][name]["provenance"], doc["tables"][name]["source"]) == ("illustrative", "Testdata")
    changed = doc["tables"]["offer_years"]  # changed, but its Kilder row does not say real: no silent flip
    assert (changed["provenance"], changed["source"], changed["data_date"]) == (
        "illustrative",
        "Testdata",
        clock.today().isoformat(),  # changed data is data as of the publish, not the demo's date
    )
    assert store.read_table("offer_years", sid, data).loc[0, "places"] == 22


def test_kilder_sheet_sets_metadata(data, tmp_path):
    wb_path = tmp_path / "wb.xlsx"
    wb_path.write_bytes(ingest.workbook_bytes())
    wb = openpyxl.load_workbook(wb_path)
    ws = wb["Kilder"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "price_index")
    row[1].value, row[2].value, row[3].value = "real", "Danmarks Statistik, PRIS111", dt.datetime(2026, 5, 1)
    wb["offers"]["B2"] = "Bostedet Åen (nyt navn)"  # offers changes; its Kilder row is left as it was
    del wb["principles"]  # a deleted sheet is carried over
    wb.save(wb_path)
    sid, _ = ingest.publish(wb_path, base=data)
    tables = store.manifest(sid, data)["tables"]
    e = tables["price_index"]
    assert (e["provenance"], e["source"], e["data_date"]) == ("real", "Danmarks Statistik, PRIS111", "2026-05-01")
    e = tables["offers"]  # changed without its Kilder row: still illustrative, data as of the publish
    assert (e["provenance"], e["source"], e["data_date"]) == ("illustrative", "Testdata", clock.today().isoformat())
    assert (tables["principles"]["source"], tables["meetings"]["source"]) == ("Testdata", "Testdata")
    assert store.read_table("offers", sid, data).loc[0, "name"] == "Bostedet Åen (nyt navn)"


def test_publish_refuses_invalid_and_changes_nothing(data, tmp_path, capsys):
    before = (data / "CURRENT").read_text()
    t = {"offers": frames()["offers"]}
    t["offers"].loc[0, "kind"] = "privat"
    assert run_cli("publish", csv_folder(tmp_path / "in", t), "--note", "x") == 1
    assert "ikke en tilladt værdi" in capsys.readouterr().out
    assert (data / "CURRENT").read_text() == before and len(store.list_snapshots(data)) == 1
    assert [p.name for p in store.snapshots_dir(data).iterdir()] == [before.strip()]


def test_snapshots_listing_and_rollback(data, tmp_path, capsys):
    first = store.current_id(data)
    t = {"offer_years": frames()["offer_years"]}
    t["offer_years"].loc[0, "places"] = 30
    assert run_cli("publish", csv_folder(tmp_path / "in", t), "--note", "Mødet i marts") == 0
    second = capsys.readouterr().out.strip().splitlines()[-1]
    assert store.current_id(data) == second

    assert run_cli("snapshots") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith(f"* {second}") and "ændret: offer_years" in lines[1] and '"Mødet i marts"' in lines[1]
    assert lines[2].startswith(f"  {first}") and "første snapshot" in lines[2]

    h = store.snapshot_history(data)
    assert list(h["id"]) == [second, first] and list(h["current"]) == [True, False]
    assert h.loc[0, "changed"] == ["offer_years"] and h.loc[0, "compared_with"] == first

    assert run_cli("rollback", first) == 0
    assert store.current_id(data) == first
    assert run_cli("rollback", "20990101T000000000000Z") == 1
    assert "Ukendt snapshot-id" in capsys.readouterr().err
    assert store.current_id(data) == first
    assert store.snapshot_history(data).loc[1, "current"]


def test_history_added_and_removed(tmp_path):
    base = tmp_path / "data"
    a = make_snapshot(base, tables={n: frames()[n] for n in ("municipalities", "principles")})
    b = make_snapshot(base, tables={n: frames()[n] for n in ("municipalities", "target_groups")})
    h = store.snapshot_history(base)
    assert h.loc[0, "id"] == b and h.loc[0, "added"] == ["target_groups"] and h.loc[0, "removed"] == ["principles"]
    assert h.loc[1, "id"] == a and h.loc[1, "compared_with"] is None


# ---------------------------------------------------------------------------------------------
# Exit codes through the real command line


def _cli(base: Path, *argv, **env):
    return subprocess.run(
        [sys.executable, "-m", "overblik", *map(str, argv)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "OVERBLIK_DATA_DIR": str(base), **env},
        timeout=120,
    )


def test_exit_codes_subprocess(data, tmp_path):
    good = csv_folder(tmp_path / "good", {"principles": frames()["principles"]})
    bad = csv_folder(tmp_path / "bad", {"principles": frames()["principles"].assign(name=None)})
    r = _cli(data, "validate", good)
    assert r.returncode == 0 and "OK:" in r.stdout
    r = _cli(data, "validate", bad)
    assert r.returncode == 1 and r.stdout.count("påkrævet værdi mangler") == 2
    assert _cli(data, "publish", bad).returncode == 1
    r = _cli(data, "publish", good, "--note", "ny")
    assert r.returncode == 0 and r.stdout.strip() == store.current_id(data)
    assert (
        _cli(data, "export-workbook", tmp_path / "x.xlsx").returncode == 0 and (tmp_path / "x.xlsx").stat().st_size > 0
    )
    assert _cli(data, "snapshots").returncode == 0
    assert _cli(data, "rollback", "nope").returncode == 1
    assert _cli(tmp_path / "empty", "export-workbook", tmp_path / "y.xlsx").returncode == 1


# ---------------------------------------------------------------------------------------------
# Crash safety


STEPS = [f"table:{n}" for n in ROWS if n in schema.TABLES] + ["manifest", "renamed"]


def _state(base: Path):
    sid = store.current_id(base)
    return sid, file_hashes(store.snapshot_path(sid, base))


def _assert_safe(base: Path, before, step: str):
    sid, hashes = before
    assert store.current_id(base) == sid
    assert file_hashes(store.snapshot_path(sid, base)) == hashes  # byte-identical
    listed = [d["id"] for d in store.list_snapshots(base)]
    for other in listed:
        assert store.verify(other, base) == []  # nothing half-written is visible
    assert len(listed) == (2 if step == "renamed" else 1)


class Crash(Exception):
    pass


@pytest.mark.parametrize("step", STEPS)
def test_crash_injected_at_each_step(data, tmp_path, step):
    before = _state(data)
    t = {"offer_years": frames()["offer_years"].assign(places=[21, 11])}
    folder = csv_folder(tmp_path / "in", t)

    def hook(s):
        if s == step:
            raise Crash(s)

    with pytest.raises(Crash):
        ingest.publish(folder, base=data, hook=hook)
    _assert_safe(data, before, step)
    sid, _ = ingest.publish(folder, base=data)  # a leftover .tmp-* folder does not get in the way
    assert store.current_id(data) == sid and store.verify(sid, data) == []


@pytest.mark.parametrize("step", ["table:municipalities", "table:offer_years", "manifest", "renamed"])
def test_crash_killed_process(data, tmp_path, step):
    before = _state(data)
    t = {"offer_years": frames()["offer_years"].assign(places=[21, 11])}
    folder = csv_folder(tmp_path / "in", t)
    proc = subprocess.Popen(
        [sys.executable, "-m", "overblik", "publish", str(folder)],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "OVERBLIK_DATA_DIR": str(data), cli.PAUSE_ENV: step},
    )
    try:
        for line in proc.stderr:
            if line.strip() == f"PAUSE {step}":
                break
        else:
            pytest.fail(f"publish never reached {step}: {proc.wait()}")
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stderr.close()
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    _assert_safe(data, before, step)
    if step != "renamed":
        assert any(p.name.startswith(".tmp-") for p in store.snapshots_dir(data).iterdir())
    r = _cli(data, "publish", folder, "--note", "igen")
    assert r.returncode == 0, r.stderr
    sid = r.stdout.strip()
    assert store.current_id(data) == sid and store.verify(sid, data) == []
    assert store.read_table("offer_years", sid, data)["places"].tolist() == [21, 11]
    assert file_hashes(store.snapshot_path(before[0], data)) == before[1]
    assert not any(p.name.startswith(".tmp-") for p in store.snapshots_dir(data).iterdir())  # cleaned up


# ---------------------------------------------------------------------------------------------
# Two people publishing at the same moment


def test_two_publish_commands_at_the_same_moment_lose_nothing(data, tmp_path):
    """Two real processes started together, each editing a different table. However they interleave,
    each either publishes or is told clearly that it published nothing, and every reported success is
    in the data in the end; a refused one succeeds when run again."""
    first = store.current_id(data)
    edits = {
        "A": ("offer_years", frames()["offer_years"].assign(places=[31, 11])),
        "B": ("principles", frames()["principles"].assign(name=["Fælles om kontrakter", "Udvikling"])),
    }
    folders = {w: csv_folder(tmp_path / w, {name: df}) for w, (name, df) in edits.items()}
    env = {**os.environ, "OVERBLIK_DATA_DIR": str(data)}
    procs = {
        w: subprocess.Popen(
            [sys.executable, "-m", "overblik", "publish", str(f), "--note", w],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w, f in folders.items()
    }
    outcome = {w: (p.wait(timeout=120), *p.communicate()) for w, p in procs.items()}

    def has_edit(sid, who):
        name, df = edits[who]
        return store.read_table(name, sid, data).equals(schema.coerce(name, df))

    won = [w for w, (rc, _, _) in outcome.items() if rc == 0]
    assert won, outcome
    for rc, out, err in outcome.values():
        if rc != 0:
            assert rc == 1 and "Data er blevet udgivet af en anden" in err and "Intet er udgivet" in err, err
            assert "Traceback" not in err and out == ""
    current = store.current_id(data)
    assert all(has_edit(current, w) for w in won)  # nothing reported as published is lost
    assert len(store.list_snapshots(data)) == 1 + len(won)
    for w in set(edits) - set(won):  # the refused one, run again
        r = _cli(data, "publish", folders[w], "--note", w)
        assert r.returncode == 0, r.stderr
    current = store.current_id(data)
    assert has_edit(current, "A") and has_edit(current, "B") and current != first


# ---------------------------------------------------------------------------------------------
# A spending year without a price index: a warning naming table, years and consequence (never a refusal)


def test_spending_years_without_a_price_index_are_warned_not_refused(data, tmp_path, capsys):
    # the tiny index has 2023 and 2024: accounts 2025 and budgets 2026-2027 have none (hand-worked)
    t = {"spending": frames()["spending"]}
    t["spending"].loc[2] = (751, 2025, "5.38.50", "regnskab", 100.0)
    t["spending"].loc[3] = (751, 2026, "5.38.50", "budget", 100.0)
    t["spending"].loc[4] = (657, 2027, "5.28.20", "budget", 100.0)
    folder = csv_folder(tmp_path / "in", t)
    assert run_cli("validate", folder) == 0
    out = capsys.readouterr().out
    assert (
        "Advarsel: spending.csv, kolonne year: Udgifter for 2025 (regnskab) har intet prisindeks i price_index; "
        "året vises ikke i faste priser, før indekset er tilføjet."
    ) in out
    assert (
        "Udgifter for 2026 og 2027 (budget) har intet prisindeks i price_index; årene vises ikke i faste priser, "
        "før indekset er tilføjet."
    ) in out
    assert "2 advarsler" in out
    before = store.current_id(data)
    assert run_cli("publish", folder, "--note", "uden indeks") == 0  # a warning does not block
    assert "Udgifter for 2025 (regnskab) har intet prisindeks" in capsys.readouterr().out
    assert store.current_id(data) != before


def test_a_price_index_that_drops_a_year_is_warned_against_the_current_spending(data, tmp_path, capsys):
    # only price_index in the input: the current snapshot's spending (2024, both kinds) loses its index
    t = {"price_index": frames()["price_index"].iloc[:1]}
    assert run_cli("validate", csv_folder(tmp_path / "in", t)) == 0
    out = capsys.readouterr().out
    assert "Advarsel: price_index.csv, kolonne year: Udgifter for 2024 (regnskab) har intet prisindeks" in out
    assert "Udgifter for 2024 (budget) har intet prisindeks" in out


def test_no_price_index_warning_when_every_year_has_one_or_neither_table_is_given(data, tmp_path, capsys):
    t = {"spending": frames()["spending"], "price_index": frames()["price_index"]}
    t["price_index"].loc[2] = (2025, 101.0, "KL")
    t["spending"].loc[2] = (751, 2025, "5.38.50", "budget", 1.0)
    assert run_cli("validate", csv_folder(tmp_path / "a", t)) == 0
    assert "prisindeks" not in capsys.readouterr().out
    assert run_cli("validate", csv_folder(tmp_path / "b", {"meetings": frames()["meetings"]})) == 0
    assert "prisindeks" not in capsys.readouterr().out
