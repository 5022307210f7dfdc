"""Every door into the product refuses bad input with a Danish message naming where and what, and
nothing is published from a refused input; every download holds no live formula."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import replace

import openpyxl
import pandas as pd
import pytest
from test_ingest import csv_folder, frames, make_snapshot, run_cli

from overblik import ingest, schema, store, ui


@pytest.fixture
def data(tmp_path, monkeypatch):
    """A data folder (OVERBLIK_DATA_DIR) holding one current snapshot of test_ingest's tiny data set."""
    base = tmp_path / "data"
    monkeypatch.setenv("OVERBLIK_DATA_DIR", str(base))
    make_snapshot(base)
    return base


def _validate(capsys, *argv) -> tuple[int, str]:
    code = run_cli("validate", *argv)
    return code, capsys.readouterr().out


def _one(tmp_path, table: str, col: str, value, row: int = 0):
    t = {table: frames()[table]}
    t[table].loc[row, col] = value
    return csv_folder(tmp_path / "in", t)


# ---------------------------------------------------------------------------------------------
# Numbers, dates, names, allowed values, control characters


@pytest.mark.parametrize(
    "table,col,value,rule",
    [
        ("offer_years", "rate_dkk_per_day", "1,234.5", "engelsk talformat"),
        ("offer_years", "rate_dkk_per_day", "1,234,567", "engelsk talformat"),
        ("offer_years", "rate_dkk_per_day", "inf", "endeligt tal"),
        ("offer_years", "surplus_deficit_1000_dkk", "-inf", "endeligt tal"),
        ("offer_years", "rate_dkk_per_day", "nan", "endeligt tal"),
        ("offer_years", "places", "99999", "større end 10.000"),
        ("spending", "net_1000_dkk", "1e12", "større end 100.000.000"),
        ("initiatives", "deadline", "2027-06-30 eller senere", "skal være en dato, der findes"),
        ("initiatives", "deadline", "30-06-2027x", "skal være en dato, der findes"),
        ("initiatives", "deadline", "31-02-2026", "skal være en dato, der findes (fx 15-01-2026"),
        (
            "operators",
            "name",
            "Aarhuus Kommune",
            "navnet passer ikke til koden 751 (Danmarks Statistik: Aarhus Kommune)",
        ),
        ("initiative_updates", "note", "Fint\x1b[31m rødt", "kontroltegn (U+001B)"),
        ("initiative_updates", "note", "før\x00efter", "kontroltegn (U+0000)"),
        ("initiative_updates", "note", "x" * 5000, "teksten er for lang (5000 tegn, højst 4000)"),
    ],
)
def test_bad_values_are_refused_with_where_and_what(data, tmp_path, capsys, table, col, value, rule):
    before = (data / "CURRENT").read_text()
    folder = _one(tmp_path, table, col, value)
    code, out = _validate(capsys, folder)
    assert code == 1
    line = next(ln for ln in out.splitlines() if rule in ln)
    assert line.startswith(f"Fejl: {table}.csv, række 2, kolonne {col}: ")
    assert run_cli("publish", folder) == 1
    assert (data / "CURRENT").read_text() == before  # nothing published


def test_municipality_name_must_match_reference(tmp_path):
    t = {"municipalities": pd.DataFrame({"municipality_code": [779], "name": ["Skivee"], "landsdel": ["Vestjylland"]})}
    problems = schema.validate(t)
    assert [p.message() for p in problems] == [
        "Fejl: tabel municipalities, række 2, kolonne name: navnet passer ikke til koden 779 "
        "(Danmarks Statistik: Skive): 'Skivee'"
    ]


def test_operator_by_name_must_exist(data, tmp_path, capsys):
    code, out = _validate(capsys, _one(tmp_path, "secured_units", "operator", "region midtjylland"))
    assert code == 1
    assert (
        "Fejl: secured_units.csv, række 2, kolonne operator: findes ikke i operators.name; "
        "mente du Region Midtjylland?: 'region midtjylland'"
    ) in out


def test_allowed_values_ignore_case_and_spaces(data, tmp_path):
    folder = _one(tmp_path, "initiative_updates", "status", "  På Sporet ")
    sid, problems = ingest.publish(folder, base=data)
    assert sid and not schema.errors(problems)
    assert store.read_table("initiative_updates", sid, data).loc[0, "status"] == "på sporet"


@pytest.mark.parametrize("text", ["15-01-2027", "2027-01-15", "15. jan. 2027", "15. januar 2027"])
def test_danish_dates(text):
    assert schema.as_date(text).isoformat() == "2027-01-15"


def test_danish_numbers():
    assert schema.as_float("1.234,5") == 1234.5 and schema.as_float("95,5") == 95.5
    assert schema.as_int("1.234") == 1234 and schema.as_float("−2,5") == -2.5


def test_percent_given_as_fraction_is_refused(data, tmp_path, capsys):
    t = {"offer_years": frames()["offer_years"]}
    t["offer_years"].loc[0, "occupancy_pct"] = 0.955  # Excel's 95,5 %; the offer's history is around 90
    code, out = _validate(capsys, csv_folder(tmp_path / "in", t))
    assert code == 1
    assert "Fejl: offer_years.csv, række 2, kolonne occupancy_pct: ligner en brøk, ikke en procent" in out


def test_whole_column_as_fractions_is_refused():
    rows = pd.DataFrame(
        {
            "offer_id": [f"T{i}" for i in range(4)],
            "year": [2025] * 4,
            "places": [10] * 4,
            "occupancy_pct": [0.9, 0.95, 0.88, 1.01],
            "budgeted_occupancy_pct": [95.0] * 4,
            "rate_dkk_per_day": [1000.0] * 4,
            "surplus_deficit_1000_dkk": [None] * 4,
        }
    )
    problems = [p for p in schema.validate({"offer_years": rows}) if "brøk" in p.rule]
    assert [p.row for p in problems] == [2, 3, 4, 5]
    rows["occupancy_pct"] = [1, 1, 1, 0]  # whole numbers: 1 %, not fractions (three of them were refused)
    assert schema.validate({"offer_years": rows}) == []


# ---------------------------------------------------------------------------------------------
# Files: encodings, empty sheets, sizes


def _csv_text(table: str) -> str:
    df = frames()[table]
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows([df.columns, *df.astype(object).values.tolist()])
    return buf.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_one_encoding_per_file(data, tmp_path, encoding):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "initiative_updates.csv").write_bytes(_csv_text("initiative_updates").encode(encoding))
    tables, _, _ = ingest.read_input(folder)
    assert tables["initiative_updates"].loc[0, "note"] == "Godt i gang; æøå ÆØÅ"


def test_mixed_encodings_are_refused_with_the_line(data, tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    raw = (_csv_text("offers") + "T9;Bostedet Ødis;751;;SEL §107;V1;rammeaftale\r\n").encode("utf-8")
    raw = raw.replace("Ødis".encode(), "Ødis".encode("cp1252"))  # one stray Windows-1252 byte on line 4
    (folder / "offers.csv").write_bytes(raw)
    assert run_cli("validate", folder) == 1
    assert "offers.csv: linje 4: filen blander tegnsæt (UTF-8 og Windows-1252)" in capsys.readouterr().err


def test_empty_sheet_is_refused_unless_meant(data, tmp_path, capsys):
    t = {"national_offers": frames()["national_offers"].iloc[0:0]}
    folder = csv_folder(tmp_path / "in", t)
    code, out = _validate(capsys, folder)
    assert code == 1 and "Fejl: national_offers.csv: tabellen er tom" in out
    assert run_cli("publish", folder, "--tom", "national_offers") == 0
    assert len(store.read_table("national_offers", store.current_id(data), data)) == 0


def test_huge_cell_in_small_workbook_is_refused_unread(data, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(schema, "MAX_UNPACKED_MB", 1)
    path = tmp_path / "wb.xlsx"
    path.write_bytes(ingest.workbook_bytes())
    # 2 million characters in one part (openpyxl itself would cut a cell at Excel's 32.767), added by
    # hand as a crafted file would hold it
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/sharedStrings2.xml", b"<sst><si><t>" + b"x" * 2_000_000 + b"</t></si></sst>")
    assert path.stat().st_size < 200_000  # compresses well: the size of the file says nothing
    monkeypatch.setattr(ingest, "load_workbook", lambda *a, **k: pytest.fail("read before refused"))
    assert run_cli("validate", path) == 1
    assert "wb.xlsx fylder 2 MB udpakket; højst 1 MB kan indlæses" in capsys.readouterr().err


def test_too_many_rows_refused(data, tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(schema.TABLES, "national_offers", replace(schema.TABLES["national_offers"], max_rows=3))
    t = {"national_offers": pd.DataFrame({"name": [f"T{i}" for i in range(10)], "note": [None] * 10})}
    assert run_cli("validate", csv_folder(tmp_path / "in", t)) == 1
    assert "national_offers.csv har mere end 3 rækker" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------
# Warnings and provenance


def test_untouched_rows_give_no_warnings(data, tmp_path, capsys):
    base = frames()["offer_years"]
    base.loc[0, "occupancy_pct"] = 104.0  # already published
    store.publish(
        {**frames(), "offer_years": base},
        dict.fromkeys(frames(), store.TableMeta("illustrative", "Testdata", "2026-01-02")),
        base=data,
    )
    t = {"offer_years": base.copy()}
    t["offer_years"].loc[1, "occupancy_pct"] = 101.5  # the user changes another row
    code, out = _validate(capsys, csv_folder(tmp_path / "in", t))
    assert code == 0
    warnings = [ln for ln in out.splitlines() if ln.startswith("Advarsel")]
    assert warnings == ["Advarsel: offer_years.csv, række 3, kolonne occupancy_pct: overbelægning over 100 %: 101,5"]


def test_publish_names_tables_still_illustrative(data, tmp_path, capsys):
    t = {"offer_years": frames()["offer_years"]}
    t["offer_years"].loc[0, "places"] = 21
    assert run_cli("publish", csv_folder(tmp_path / "in", t)) == 0
    err = capsys.readouterr().err
    assert "Bemærk: offer_years er ændret, men står stadig som illustrative i Kilder" in err
    assert "Stadig illustrative data (vises med mærkat): " in err and "offer_years" in err


# ---------------------------------------------------------------------------------------------
# Out: no download holds a live formula


HOSTILE_CELLS = ['=HYPERLINK("http://evil","klik")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def _no_live_formula_xlsx(raw: bytes) -> list[str]:
    wb = openpyxl.load_workbook(io.BytesIO(raw))
    bad = [f"{ws.title}!{c.coordinate}" for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"]
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        bad += [n for n in z.namelist() if n.endswith(".xml") and b"<f>" in z.read(n)]
    return bad


def test_every_download_neutralises_formulas(data, tmp_path):
    df = pd.DataFrame({"Navn": HOSTILE_CELLS, "Tal": range(len(HOSTILE_CELLS))})
    rows = list(csv.reader(io.StringIO(ui.csv_bytes(df).decode("utf-8-sig"), newline=""), delimiter=";"))
    assert [r[0] for r in rows[1:]] == ["'" + v for v in HOSTILE_CELLS]
    assert [r[1] for r in rows[1:]] == [str(i) for i in range(len(HOSTILE_CELLS))]  # numbers untouched
    assert _no_live_formula_xlsx(ui.xlsx_bytes(df, "Test")) == []
    ws = openpyxl.load_workbook(io.BytesIO(ui.xlsx_bytes(df, "Test"))).active
    assert all(c.value.startswith("'") for c in ws["A"][1:])


def test_workbook_export_has_no_live_formula_and_survives_control_characters(data, tmp_path, capsys):
    t = frames()
    t["national_offers"] = pd.DataFrame({"name": [*HOSTILE_CELLS, "ESC\x1b i gamle data"], "note": None})
    store.publish(t, dict.fromkeys(t, store.TableMeta("illustrative", "Testdata", "2026-01-02")), base=data)
    out = tmp_path / "export.xlsx"
    assert run_cli("export-workbook", out) == 0  # a control character published earlier no longer crashes it
    assert _no_live_formula_xlsx(out.read_bytes()) == []


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1,234.5"])
def test_statbank_reply_with_a_non_number_is_refused(value):
    from overblik import dst

    with pytest.raises(dst.DstError, match="linje 2: INDHOLD er ikke et tal"):
        dst.parse(f"OMRÅDE;TID;INDHOLD\n751;2024;{value}\n", "REGK31")


def test_a_renamed_header_gives_its_errors_not_a_warning_per_row(data, tmp_path, capsys):
    # "places" renamed "Pladser": the two column errors, not a warning for every unchanged row (277 before)
    base = frames()["offer_years"]
    base.loc[0, "occupancy_pct"] = 104.0  # already published: a warning only if the user changed the row
    store.publish(
        {**frames(), "offer_years": base},
        dict.fromkeys(frames(), store.TableMeta("illustrative", "Testdata", "2026-01-02")),
        base=data,
    )
    t = {"offer_years": base.rename(columns={"places": "Pladser"})}
    code, out = _validate(capsys, csv_folder(tmp_path / "in", t))
    assert code == 1
    lines = [ln for ln in out.splitlines() if ln.startswith(("Fejl", "Advarsel"))]
    assert lines == [
        "Fejl: offer_years.csv, kolonne places: kolonne mangler",
        "Fejl: offer_years.csv, kolonne Pladser: ukendt kolonne: 'Pladser'",
    ], lines
