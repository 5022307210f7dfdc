"""Bad input found in QA review: each is refused (or warned about) with a Danish message naming file, sheet,
row, column, rule and value, and nothing published is lost or changed. Inputs are made by hand here."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import test_ingest
from auth_helpers import EDITOR, USERS
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from test_ingest import csv_folder, frames, run_cli

from overblik import auth, ingest, opdater, schema, store

data = test_ingest.data  # the fixture: a data folder (OVERBLIK_DATA_DIR) with one snapshot of the tiny data set


def _validate(capsys, *argv) -> tuple[int, list[str]]:
    code = run_cli("validate", *argv)
    out = capsys.readouterr()
    return code, [ln for ln in (out.out + out.err).splitlines() if ln.startswith(("Fejl", "Advarsel"))]


def _refused_and_nothing_published(data: Path, folder: Path) -> None:
    before = (data / "CURRENT").read_text()
    assert run_cli("publish", folder) == 1
    assert (data / "CURRENT").read_text() == before


# ---------------------------------------------------------------------------------------------
# Numbers with a point: thousands (Danish) or decimals (a program)


def _program_csv(folder: Path, **changes) -> Path:
    """offer_years.csv as pandas writes it (';' separated, a point as decimal separator); `changes` maps a
    column to its values for the two rows."""
    df = frames()["offer_years"]
    for col, values in changes.items():
        df[col] = values
    folder.mkdir(parents=True, exist_ok=True)
    df.to_csv(folder / "offer_years.csv", sep=";", index=False)
    return folder


def test_a_number_read_both_ways_in_a_column_with_point_decimals_is_refused(data, tmp_path, capsys):
    folder = _program_csv(tmp_path / "in", surplus_deficit_1000_dkk=[880.912, -5041.7])
    assert ";880.912\n" in (folder / "offer_years.csv").read_text()  # 880,912 thousand kroner, as pandas writes it
    code, lines = _validate(capsys, folder)
    assert code == 1
    assert lines == [
        "Fejl: offer_years.csv, række 2, kolonne surplus_deficit_1000_dkk: kan læses både som 880.912 (tusinder) "
        "og 880,912 (decimaler), fordi kolonnen har punktum som decimaltegn i række 3 (-5041.7); skriv 880912 "
        "eller 880,912: '880.912'"
    ]
    _refused_and_nothing_published(data, folder)


def test_an_ambiguous_occupancy_is_not_read_as_86625_percent(data, tmp_path, capsys):
    folder = _program_csv(tmp_path / "in", occupancy_pct=[86.625, 95.5])
    code, lines = _validate(capsys, folder)
    assert code == 1
    assert len(lines) == 1 and "kolonne occupancy_pct: kan læses både som 86.625 (tusinder)" in lines[0]
    # not "større end 200" and no over-occupancy warning for a value never read as 86.625 %


def test_a_point_is_thousands_where_the_column_has_no_point_decimals(data, tmp_path):
    t = {"offer_years": frames()["offer_years"]}
    t["offer_years"]["surplus_deficit_1000_dkk"] = ["880.912", "-5.041,7"]  # Danish Excel: both thousands
    assert run_cli("publish", csv_folder(tmp_path / "in", t)) == 0
    got = store.read_table("offer_years", store.current_id(data), data)["surplus_deficit_1000_dkk"].tolist()
    assert got == [880912.0, -5041.7]
    assert schema.as_float("880.912") == 880912.0  # one value alone reads the Danish way


# ---------------------------------------------------------------------------------------------
# Excel's error values


def _workbook(data: Path, path: Path, edit) -> Path:
    """The current snapshot exported as the secretariat gets it, changed by `edit(wb)` and saved."""
    wb = openpyxl.load_workbook(io.BytesIO(ingest.workbook_bytes(base=data)))
    edit(wb)
    wb.save(path)
    return path


def _cell(ws, row: int, column: str):
    return ws.cell(row, [c.value for c in ws[1]].index(column) + 1)


def test_excel_error_cells_are_refused_in_text_and_number_columns(data, tmp_path, capsys):
    def edit(wb):
        _cell(wb["initiatives"], 2, "title").value = "#REF!"  # stored as an error cell, as Excel stores it
        _cell(wb["initiative_updates"], 2, "note").value = "#N/A"  # an optional column
        _cell(wb["offer_years"], 3, "rate_dkk_per_day").value = "#DIV/0!"

    path = _workbook(data, tmp_path / "fejl.xlsx", edit)
    assert openpyxl.load_workbook(path)["initiatives"]["C2"].data_type == "e"
    code, lines = _validate(capsys, path)
    assert code == 1
    assert lines == [
        "Fejl: fejl.xlsx, ark offer_years, række 3, kolonne rate_dkk_per_day: Excel-fejl i cellen: '#DIV/0!'",
        "Fejl: fejl.xlsx, ark initiatives, række 2, kolonne title: Excel-fejl i cellen: '#REF!'",
        "Fejl: fejl.xlsx, ark initiative_updates, række 2, kolonne note: Excel-fejl i cellen: '#N/A'",
    ]
    _refused_and_nothing_published(data, path)


@pytest.mark.parametrize("error", sorted(schema.EXCEL_ERRORS))
def test_every_excel_error_value_is_refused(error):
    t = {"national_offers": pd.DataFrame({"name": ["Synscenter Refsnæs"], "note": [f" {error} "]})}
    (p,) = schema.validate(t)
    assert (p.row, p.column, p.rule, p.value) == (2, "note", "Excel-fejl i cellen", f" {error} ")


# ---------------------------------------------------------------------------------------------
# A formula without a stored result (a program wrote it; Excel never calculated and saved the file)


def _with_formula(data: Path, path: Path) -> Path:
    def edit(wb):
        _cell(wb["initiative_updates"], 2, "note").value = '=A2&" noter"'  # openpyxl stores no result

    return _workbook(data, path, edit)


def test_a_formula_without_a_stored_result_is_refused_not_read_as_empty(data, tmp_path, capsys):
    path = _with_formula(data, tmp_path / "formel.xlsx")
    code, lines = _validate(capsys, path)
    assert code == 1
    assert lines == [
        "Fejl: formel.xlsx, ark initiative_updates, række 2, kolonne note: formel uden gemt resultat - åbn filen "
        """i Excel, og gem den igen: '=A2&" noter"'"""
    ]
    _refused_and_nothing_published(data, path)  # the published note was about to be emptied


def _rewrite(path: Path, old: bytes, new: bytes) -> None:
    """Replace bytes in the one zip member that holds them (the others copied as they are)."""
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for i in src.infolist():
            out.writestr(i, src.read(i).replace(old, new))


@pytest.mark.parametrize(
    "result, note",
    [
        (b' t="str"><f>A2&amp;" noter"</f><v>I1 noter</v>', "I1 noter"),  # Excel calculated and saved it
        (b' t="str"><f>A2&amp;" noter"</f><v></v>', None),  # its result is empty text: an empty note
    ],
)
def test_a_formula_with_its_stored_result_is_read(data, tmp_path, result, note):
    path = _with_formula(data, tmp_path / "formel.xlsx")
    _rewrite(path, b'><f>A2&amp;" noter"</f><v /></c>', result + b"</c>")
    tables, _, _, problems, _ = ingest.check(path, base=data)
    assert not schema.errors(problems)
    assert tables["initiative_updates"].loc[0, "note"] == note


def test_a_workbook_without_formulas_is_read_once(data, tmp_path, monkeypatch):
    path = tmp_path / "data.xlsx"
    path.write_bytes(ingest.workbook_bytes(base=data))
    monkeypatch.setattr(ingest, "iterparse", lambda *a, **k: pytest.fail("parsed a second time"))
    assert not schema.errors(ingest.check(path, base=data)[3])


# ---------------------------------------------------------------------------------------------
# Dates given as Excel's day numbers (a date typed in a cell formatted as Number or General shows 46000)

SERIAL_WARNING = (
    "tallet er læst som datoen 9. dec. 2025 (Excel gemmer en dato som et dagnummer, og cellen har talformat); "
    "kontrollér datoen, og giv cellen datoformat"
)


def _as_number(cell, value) -> None:
    cell.value, cell.number_format = value, "General"


def test_a_date_stored_as_excels_day_number_is_read_as_that_date_with_a_warning(data, tmp_path, capsys):
    kilder_row = 0

    def edit(wb):
        nonlocal kilder_row
        _as_number(_cell(wb["initiatives"], 2, "start_date"), 46000)  # published: 1 Jan 2027
        kilder = wb[ingest.SOURCES]
        kilder_row = next(r for r in range(2, kilder.max_row + 1) if kilder.cell(r, 1).value == "initiatives")
        _as_number(_cell(kilder, kilder_row, "data_date"), 46000)

    path = _workbook(data, tmp_path / "dato.xlsx", edit)
    assert openpyxl.load_workbook(path)["initiatives"]["F2"].value == 46000  # a number, as openpyxl reads it
    code, lines = _validate(capsys, path)
    assert code == 0
    assert lines == [
        f"Advarsel: dato.xlsx, ark initiatives, række 2, kolonne start_date: {SERIAL_WARNING}: 46.000",
        f"Advarsel: dato.xlsx, ark Kilder, række {kilder_row}, kolonne data_date: {SERIAL_WARNING}: 46.000",
    ]
    assert run_cli("publish", path) == 0
    sid = store.current_id(data)
    assert store.read_table("initiatives", sid, data).loc[0, "start_date"] == dt.date(2025, 12, 9)
    assert store.manifest(sid, data)["tables"]["initiatives"]["data_date"] == "2025-12-09"


def test_a_day_number_in_a_csv_file_is_read_as_the_date_too(data, tmp_path, capsys):
    # Excel writes such a cell to CSV as it shows it: 46000
    t = {"initiatives": frames()["initiatives"]}
    t["initiatives"].loc[0, "start_date"] = "46000"
    code, lines = _validate(capsys, csv_folder(tmp_path / "in", t))
    assert code == 0
    assert lines == [f"Advarsel: initiatives.csv, række 2, kolonne start_date: {SERIAL_WARNING}: '46000'"]


def _serial_warning(d: str) -> str:
    return SERIAL_WARNING.replace("9. dec. 2025", d)


def test_a_day_number_in_a_1904_workbook_is_read_in_its_date_system(data, tmp_path, capsys):
    # Old Mac Excel saves workbooks in the 1904 date system: day 0 is 1 Jan 1904, not 30 Dec 1899
    kilder_row = 0

    def edit(wb):
        nonlocal kilder_row
        wb.epoch = CALENDAR_MAC_1904  # the workbook's date cells are written in it from here on
        _as_number(_cell(wb["meetings"], 2, "meeting_date"), 46000)
        _as_number(_cell(wb["central_notices"], 2, "issued"), 42000)  # a partial-date column
        _cell(wb["initiatives"], 2, "deadline").value = dt.datetime(2027, 9, 30)  # a real date cell
        kilder = wb[ingest.SOURCES]
        kilder_row = next(r for r in range(2, kilder.max_row + 1) if kilder.cell(r, 1).value == "meetings")
        _as_number(_cell(kilder, kilder_row, "data_date"), 44538)

    path = _workbook(data, tmp_path / "mac.xlsx", edit)
    with zipfile.ZipFile(path) as z:
        assert b'date1904="1"' in z.read("xl/workbook.xml")
    # by hand: 46000 days after 1 Jan 1904 (in the 1900 system 46000 is 9 Dec 2025, four years and a day earlier)
    read = dt.date(1904, 1, 1) + dt.timedelta(days=46000)
    assert read == dt.date(2029, 12, 10)
    assert dt.date(1904, 1, 1) + dt.timedelta(days=42000) == dt.date(2018, 12, 28)  # 27 Dec 2014 in the 1900 system
    assert dt.date(1904, 1, 1) + dt.timedelta(days=44538) == dt.date(2025, 12, 9)
    code, lines = _validate(capsys, path)
    assert lines == [
        f"Advarsel: mac.xlsx, ark central_notices, række 2, kolonne issued: {_serial_warning('28. dec. 2018')}: 42.000",
        f"Advarsel: mac.xlsx, ark meetings, række 2, kolonne meeting_date: {_serial_warning('10. dec. 2029')}: 46.000",
        f"Advarsel: mac.xlsx, ark Kilder, række {kilder_row}, kolonne data_date: {SERIAL_WARNING}: 44.538",
    ]
    assert code == 0
    before = store.read_tables(store.current_id(data), data)
    assert run_cli("publish", path) == 0
    sid = store.current_id(data)
    after = store.read_tables(sid, data)
    assert after["meetings"].loc[0, "meeting_date"] == read
    assert after["central_notices"].loc[0, "issued"] == "2018-12-28"
    assert store.manifest(sid, data)["tables"]["meetings"]["data_date"] == "2025-12-09"
    # the date cells (datetime values, stored as 1904 day numbers) read as the dates they show
    assert after["initiatives"].loc[0, "deadline"] == dt.date(2027, 9, 30)
    assert after["initiatives"]["start_date"].tolist() == before["initiatives"]["start_date"].tolist()
    assert after["initiative_updates"]["update_date"].tolist() == before["initiative_updates"]["update_date"].tolist()


@pytest.mark.parametrize(
    "number, date",
    [
        (31412, dt.date(1990, 1, 1)),  # the first date read: 32874 in the 1900 system, 1462 days more
        (31411, None),  # 31 Dec 1989: before the range
        (71953, dt.date(2100, 12, 31)),  # the last
        (71954, None),
        ("44538", dt.date(2025, 12, 9)),  # its digits as text
    ],
)
def test_the_day_numbers_read_as_dates_in_the_1904_system(number, date):
    if date is not None:
        assert (date - dt.date(1904, 1, 1)).days == int(number)  # by hand
    assert schema.serial_date(number, CALENDAR_MAC_1904) == date


@pytest.mark.parametrize(
    "value, shown",
    [
        (46000.5, "46.000,5"),  # a date with a time of day: not a date
        (32873, "32.873"),  # 31-12-1989: before the range
        (73416, "73.416"),  # 1-1-2101: after it
        (2026, "2.026"),  # a year
    ],
)
def test_other_numbers_in_a_date_column_are_still_refused(data, tmp_path, capsys, value, shown):
    path = _workbook(
        data, tmp_path / "dato.xlsx", lambda wb: _as_number(_cell(wb["initiatives"], 2, "start_date"), value)
    )
    code, lines = _validate(capsys, path)
    assert code == 1
    assert lines == [
        "Fejl: dato.xlsx, ark initiatives, række 2, kolonne start_date: skal være en dato, der findes (fx 15-01-2026 "
        f"eller 2026-01-15): {shown}"
    ]
    _refused_and_nothing_published(data, path)


# ---------------------------------------------------------------------------------------------
# Percentages given as fractions


def test_progress_given_as_a_fraction_is_refused(data, tmp_path, capsys):
    def edit(wb):
        cell = _cell(wb["initiative_updates"], 2, "progress_pct")  # published: 40
        cell.value, cell.number_format = 0.5, "0%"  # Excel shows 50 %, and stores 0,5

    path = _workbook(data, tmp_path / "fremdrift.xlsx", edit)
    code, lines = _validate(capsys, path)
    assert code == 1
    assert lines == [
        "Fejl: fremdrift.xlsx, ark initiative_updates, række 2, kolonne progress_pct: ligner en brøk, ikke en "
        "procent (Excel-procentformat gemmer 95,5 % som 0,955); skriv procenten som tal, fx 95,5: 0,5"
    ]
    _refused_and_nothing_published(data, path)


def _new_initiative(wb, progress) -> None:
    """Initiative I2 with its first status line: `progress` %."""
    wi, wu = wb["initiatives"], wb["initiative_updates"]
    wi.append(["I2", "P1", "Nyt initiativ", None, "Sekretariatet", wi["F2"].value, wi["G2"].value])
    wu.append(["I2", wu["B2"].value, "på sporet", progress, None])


def test_a_new_initiatives_progress_of_1_is_1_percent(data, tmp_path, capsys):
    path = _workbook(data, tmp_path / "nyt.xlsx", lambda wb: _new_initiative(wb, 1))
    code, lines = _validate(capsys, path)
    assert (code, lines) == (0, [])  # was refused as a fraction: the column's other values are 20 or more
    assert run_cli("publish", path) == 0
    updates = store.read_table("initiative_updates", store.current_id(data), data)
    assert updates.set_index("initiative_id").loc["I2", "progress_pct"] == 1.0


def test_a_1_after_the_same_initiatives_40_is_accepted_with_a_warning(data, tmp_path, capsys):
    def edit(wb):  # a new status line for I1 (published: 40 %); Excel's percent format stores 100 % as 1
        wb["initiative_updates"].append(["I1", dt.datetime(2027, 4, 1), "afsluttet", 1, None])

    path = _workbook(data, tmp_path / "fremdrift.xlsx", edit)
    code, lines = _validate(capsys, path)
    assert code == 0
    assert lines == [
        "Advarsel: fremdrift.xlsx, ark initiative_updates, række 3, kolonne progress_pct: læst som 1 %, men de "
        "øvrige værdier for samme initiative_id er 20 eller mere; står der 100 % i Excel-procentformat (gemt som "
        "1), så skriv 100: 1"
    ]
    assert run_cli("publish", path) == 0
    capsys.readouterr()
    again = tmp_path / "igen.xlsx"  # published, the row is no longer a change: no warning again
    again.write_bytes(ingest.workbook_bytes(base=data))
    assert _validate(capsys, again) == (0, [])


def test_a_column_of_fractions_is_refused_whole_ones_included(data, tmp_path, capsys):
    t = {"offer_years": frames()["offer_years"]}
    t["offer_years"]["occupancy_pct"] = [0.955, 1]  # Excel's 95,5 % and 100 %
    code, lines = _validate(capsys, csv_folder(tmp_path / "in", t))
    assert code == 1
    assert lines == [
        f"Fejl: offer_years.csv, række {row}, kolonne occupancy_pct: ligner en brøk, ikke en procent "
        f"(Excel-procentformat gemmer 95,5 % som 0,955); skriv procenten som tal, fx 95,5: {shown}"
        for row, shown in ((2, "0,955"), (3, "1"))
    ]


# ---------------------------------------------------------------------------------------------
# Damaged files: a Danish message naming the file (and sheet), at the command line and on the page


@pytest.fixture
def as_editor(monkeypatch):
    monkeypatch.setattr(auth, "is_editor", lambda: True)
    monkeypatch.setattr(auth, "user", lambda: {"is_logged_in": True, **USERS[EDITOR]})


def _truncated_sheet(data: Path) -> bytes:
    """The export with the offers sheet's XML cut in half (the zip itself is valid)."""
    src = zipfile.ZipFile(io.BytesIO(ingest.workbook_bytes(base=data)))
    offers = next(i.filename for i in src.infolist() if b"<t>Bostedet" in src.read(i) and "sheet" in i.filename)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for i in src.infolist():
            raw = src.read(i)
            out.writestr(i, raw[: len(raw) // 2] if i.filename == offers else raw)
    return buf.getvalue()


def _huge_cell(data: Path) -> bytes:
    text = "offer_id;name;operator_code;municipality_code;legal_basis;target_group_id;kind\r\n"
    text += "T1;Bostedet Åen;1082;751;SEL §108;V1;rammeaftale\r\n"
    return (text + 'T2;"Grenen;1082;;SEL §63;B1;sikret\r\n' + "x" * 140_000 + "\r\n").encode()


@pytest.mark.parametrize(
    "name, make, says",
    [
        (
            "data.xlsx",
            _truncated_sheet,
            "data.xlsx, ark offers: arket kan ikke læses, fordi filen er beskadiget (fx gemt ufuldstændigt eller "
            "afbrudt under kopiering). Åbn filen i Excel, gem den igen, og upload den.",
        ),
        (
            "offers.csv",
            _huge_cell,
            "offers.csv, linje 3: en celle er længere end 131.072 tegn (højst 4.000 tegn pr. celle); står der et "
            'anførselstegn (") uden sit modstykke? Ret filen, gem den igen, og upload den.',
        ),
    ],
)
def test_a_damaged_file_is_refused_in_danish_not_with_a_traceback(data, tmp_path, capsys, as_editor, name, make, says):
    raw = make(data)
    path = tmp_path / "in" / name
    path.parent.mkdir()
    path.write_bytes(raw)
    assert run_cli("validate", path) == 1
    assert capsys.readouterr().err.splitlines()[-1] == f"Fejl: {says}"
    checked = opdater.check_upload(name, raw)  # the page: its own message, not the generic error page
    assert checked.unreadable == says and not checked.publishable
    _refused_and_nothing_published(data, path)


def _encrypted(data: Path) -> bytes:
    """What tells a password-protected .xlsx apart ([MS-OFFCRYPTO]): an OLE compound file (its signature
    opens the 512-byte header) whose directory entries (128 bytes, the name in UTF-16) name the streams
    EncryptionInfo and EncryptedPackage."""

    def entry(name: str) -> bytes:
        return (name.encode("utf-16-le") + b"\0\0").ljust(64, b"\0") + bytes(64)

    header = bytes.fromhex("D0CF11E0A1B11AE1").ljust(512, b"\0")
    return header + entry("Root Entry") + entry("EncryptionInfo") + entry("EncryptedPackage") + bytes(4096)


def _cut(data: Path) -> bytes:
    raw = ingest.workbook_bytes(base=data)
    return raw[: len(raw) // 2]


@pytest.mark.parametrize(
    "make, says",
    [
        (
            _encrypted,
            "data.xlsx kan ikke læses: filen er beskyttet med adgangskode. Gem den uden adgangskode (i Excel under "
            "Beskyt projektmappe), og upload den.",
        ),
        (
            _cut,
            "data.xlsx kan ikke læses som Excel-projektmappe (.xlsx): filen er beskadiget eller ufuldstændig (fx "
            "afbrudt under kopiering). Gem den igen fra Excel, og upload den.",
        ),
    ],
)
def test_a_workbook_that_cannot_be_opened_says_why(data, tmp_path, capsys, as_editor, make, says):
    raw = make(data)
    path = tmp_path / "data.xlsx"
    path.write_bytes(raw)
    assert run_cli("validate", path) == 1
    assert capsys.readouterr().err.splitlines()[-1] == f"Fejl: {says}"
    assert opdater.check_upload("data.xlsx", raw).unreadable == says


# ---------------------------------------------------------------------------------------------
# One mistake, one message: not a flood that hides it


def test_a_title_above_the_column_names_is_said_once(data, tmp_path, capsys):
    def edit(wb):
        wb["offers"].insert_rows(1)
        wb["offers"]["A1"] = "Tilbud pr. 1. dec."

    code, lines = _validate(capsys, _workbook(data, tmp_path / "titel.xlsx", edit))
    assert code == 1
    skipped = "kolonne offer_id: ikke kontrolleret mod offers.offer_id, fordi offers selv har fejl; ret dem først"
    assert lines == [
        "Fejl: titel.xlsx, ark offers: række 1 skal være kolonnenavnene, men de står i række 2: slet rækkerne over dem",
        f"Advarsel: titel.xlsx, ark offer_years, {skipped}",
        f"Advarsel: titel.xlsx, ark extra_services, {skipped}",
        f"Advarsel: titel.xlsx, ark secured_units, {skipped}",
    ]  # before: a missing and an unknown column for each column, and a broken link for every offer_years row


def test_links_to_a_table_are_checked_unless_its_linked_column_has_errors():
    t = {"offers": frames()["offers"], "offer_years": frames()["offer_years"]}
    t["offer_years"].loc[1, "offer_id"] = "T9"  # no such offer
    t["offers"].loc[1, "kind"] = "ukendt"  # an error elsewhere in offers: the link is still checked
    assert [(p.table, p.rule) for p in schema.errors(schema.validate(t))][-1] == (
        "offer_years",
        "findes ikke i offers.offer_id",
    )
    t["offers"].loc[0, "offer_id"] = "T1\x1b"  # an error in the column linked to: every link would be wrong
    problems = schema.validate(t)
    assert [(p.table, p.column, p.severity) for p in problems if p.table == "offer_years"] == [
        ("offer_years", "offer_id", "advarsel")
    ]


def test_an_empty_row_between_rows_is_skipped_with_one_warning(data, tmp_path, capsys):
    def edit(wb):
        wb["offers"].insert_rows(3)  # between T1 and T2: the row Excel shows as 3 is empty

    path = _workbook(data, tmp_path / "tom.xlsx", edit)
    code, lines = _validate(capsys, path)
    assert code == 0
    assert lines == ["Advarsel: tom.xlsx, ark offers, række 3: tom række: springes over"]  # not 5 x 'påkrævet'
    before = store.read_table("offers", store.current_id(data), data)
    assert run_cli("publish", path) == 0
    after = store.read_table("offers", store.current_id(data), data)
    pd.testing.assert_frame_equal(after, before)  # what deleting the row would have given


def test_a_totals_row_is_refused_with_one_message(data, tmp_path, capsys):
    def edit(wb):
        wb["offer_years"].append(["I alt", None, 30, None, None, None, -120])  # row 4: the offers' sums

    path = _workbook(data, tmp_path / "sum.xlsx", edit)
    code, lines = _validate(capsys, path)
    assert code == 1
    assert lines == [
        "Fejl: sum.xlsx, ark offer_years, række 4, kolonne offer_id: ligner en sumrække: slet rækken – dashboardet "
        "lægger selv tallene sammen: 'I alt'"
    ]  # before: 'påkrævet værdi mangler' for year and three more, and 'findes ikke i offers.offer_id'
    _refused_and_nothing_published(data, path)


@pytest.mark.parametrize("label", ["Hele regionen", "Total", "Sum", "i alt:", "Aarhus i alt", "Hovedtotal"])
def test_a_totals_row_in_a_number_key_column_is_named_so(data, tmp_path, capsys, label):
    t = {"demand": frames()["demand"]}
    t["demand"].loc[1] = [label, 2024, None, None, 3, 1, 0]
    code, lines = _validate(capsys, csv_folder(tmp_path / "in", t))
    assert code == 1
    assert lines == [
        "Fejl: demand.csv, række 3, kolonne municipality_code: ligner en sumrække: slet rækken – dashboardet "
        f"lægger selv tallene sammen: {label!r}"
    ]  # not 'skal være heltal' and two 'påkrævet værdi mangler'


def test_a_name_that_only_contains_a_totals_word_is_not_a_totals_row():
    t = {"national_offers": pd.DataFrame({"name": ["Summer Camp", "Totalrådgivning", "Samlet indsats"], "note": None})}
    assert schema.validate(t) == []


# ---------------------------------------------------------------------------------------------
# The rule named is the rule broken


@pytest.mark.parametrize(
    "col, value, rule",
    [
        ("rate_dkk_per_day", "2.811,00 kr.", "tal med enhed (kr.): skriv kun tallet, fx 2.811,00"),  # not 'engelsk'
        ("occupancy_pct", "95 %", "tal med enhed (%): skriv kun tallet, fx 95"),  # not 'skal være tal'
        ("rate_dkk_per_day", "kr. 450", "tal med enhed (kr.): skriv kun tallet, fx 450"),
        (
            "surplus_deficit_1000_dkk",
            "2,5 mio. kr.",
            "tal med enhed (mio. kr.): skriv kun tallet, i kolonnens enhed (se arket Om)",
        ),
    ],
)
def test_a_number_with_its_unit_is_named_so(data, tmp_path, capsys, col, value, rule):
    t = {"offer_years": frames()["offer_years"]}
    t["offer_years"].loc[0, col] = value
    code, lines = _validate(capsys, csv_folder(tmp_path / "in", t))
    assert code == 1
    assert lines == [f"Fejl: offer_years.csv, række 2, kolonne {col}: {rule}: {value!r}"]


# ---------------------------------------------------------------------------------------------
# Rules written as the secretariat reads them


def test_ranges_are_danish_numbers_in_the_om_sheet_and_in_messages(data, tmp_path, capsys):
    ws = openpyxl.load_workbook(io.BytesIO(ingest.workbook_bytes(base=data)))[ingest.ABOUT]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    header = next(r for r in rows if r[:2] == ["Tabel", "Kolonne"])
    span = {(r[0], r[1]): r[header.index("Interval")] for r in rows if r[0] in schema.TABLES and r[1]}
    assert span["spending", "net_1000_dkk"] == "−100.000.000 til 100.000.000"  # was '-1e+08 til 1e+08'
    assert span["offer_years", "places"] == "0 til 10.000"
    t = {"spending": frames()["spending"]}
    t["spending"].loc[0, "net_1000_dkk"] = "-200.000.000"
    code, lines = _validate(capsys, csv_folder(tmp_path / "in", t))
    assert code == 1
    assert lines == ["Fejl: spending.csv, række 2, kolonne net_1000_dkk: mindre end −100.000.000: '-200.000.000'"]


def test_a_mixed_encoding_names_the_line_that_differs(data, tmp_path, capsys, as_editor):
    lines = ["offer_id;name;operator_code;municipality_code;legal_basis;target_group_id;kind"]
    lines += [f"T{i};Bostedet Åen {i};1082;751;SEL §108;V1;rammeaftale" for i in range(1, 4)]
    raw = "\r\n".join(lines).encode("cp1252") + "\r\nT4;Ødis;1082;751;SEL §107;V1;rammeaftale\r\n".encode()
    path = tmp_path / "in" / "offers.csv"  # Windows-1252, but line 5 was pasted in as UTF-8
    path.parent.mkdir()
    path.write_bytes(raw)
    assert run_cli("validate", path) == 1
    says = (
        "offers.csv: linje 5: filen blander tegnsæt (UTF-8 og Windows-1252): linjen er UTF-8, de andre linjer med "
        "æ, ø eller å er Windows-1252, så æ, ø og å ville blive forkerte. Ret æ, ø og å i den linje, der afviger, "
        "og gem filen igen som 'CSV UTF-8' i Excel."
    )
    assert capsys.readouterr().err.splitlines()[-1] == f"Fejl: {says}"  # was line 2, the first correct one
    row = opdater.problems_table(opdater.check_upload("offers.csv", raw)).iloc[0]
    assert (row["Række"], row["Regel"]) == (5, says)


def test_a_bom_alone_does_not_make_the_header_the_line_that_differs(data, tmp_path, capsys, as_editor):
    lines = ["offer_id;name;operator_code;municipality_code;legal_basis;target_group_id;kind"]
    lines += [f"T{i};Bostedet Åen {i};1082;751;SEL §108;V1;rammeaftale" for i in range(1, 3)]
    raw = "\ufeff".encode() + lines[0].encode() + b"\r\n"  # Excel's 'CSV UTF-8' mark (BOM), an ASCII header ...
    raw += "\r\n".join(lines[1:]).encode("cp1252") + b"\r\n"  # ... and two lines pasted in Windows-1252
    path = tmp_path / "in" / "offers.csv"
    path.parent.mkdir()
    path.write_bytes(raw)
    assert run_cli("validate", path) == 1
    says = (  # it named line 1, the header, which has nothing to fix
        "offers.csv: linje 2: filen blander tegnsæt (UTF-8 og Windows-1252): linje 2 og 3 er Windows-1252, filen er "
        "mærket som UTF-8, så æ, ø og å ville blive forkerte. Ret æ, ø og å i de linjer, der afviger, og gem filen "
        "igen som 'CSV UTF-8' i Excel."
    )
    assert capsys.readouterr().err.splitlines()[-1] == f"Fejl: {says}"


_OFFERS = "offer_id;name;operator_code;municipality_code;legal_basis;target_group_id;kind"
_ROWS = [f"T{i};Bostedet Åen {i};1082;751;SEL §108;V1;rammeaftale" for i in range(1, 7)]


@pytest.mark.parametrize(
    "line4, says",
    [
        (
            'T9;"Grenen;1082;751;SEL §108;V1;rammeaftale',  # never closed: the rest of the file was one cell
            'offers.csv, linje 4: et anførselstegn (") har ikke sit modstykke, så resten af filen ville blive én '
            "celle. Ret filen, gem den igen, og upload den.",
        ),
        (
            'T9;"Grenen;1082;751;SEL §108;V1;rammeaftale\r\nT10;Grenen";1082;751;SEL §108;V1;rammeaftale',
            "offers.csv, linje 4: en celle går over linje 4-5 og rummer lige så mange skilletegn (;) som en hel "
            'række; står der et anførselstegn (") uden sit modstykke? Ret filen, gem den igen, og upload den.',
        ),
        (
            'T9;"Grenen" ved havet;1082;751;SEL §108;V1;rammeaftale',
            'offers.csv, linje 4: der står tekst efter et anførselstegn ("), der afslutter en celle; skriv to '
            'anførselstegn ("") for et anførselstegn inde i en tekst. Ret filen, gem den igen, og upload den.',
        ),
    ],
)
def test_a_quote_without_its_partner_is_refused_not_swallowing_rows(data, tmp_path, capsys, as_editor, line4, says):
    """A stray quote made the rest of the file (or the rows up to the next quote) one cell, and the check said
    the file was valid with fewer rows: publishing it would have deleted them."""
    raw = "\r\n".join([_OFFERS, *_ROWS[:2], line4, *_ROWS[2:]]).encode() + b"\r\n"
    path = tmp_path / "in" / "offers.csv"
    path.parent.mkdir()
    path.write_bytes(raw)
    assert run_cli("validate", path) == 1
    assert capsys.readouterr().err.splitlines()[-1] == f"Fejl: {says}"
    checked = opdater.check_upload("offers.csv", raw)
    assert checked.unreadable == says and not checked.publishable
    _refused_and_nothing_published(data, path)


def test_a_note_over_several_lines_is_still_read(tmp_path):
    """A quoted cell with line breaks (and a semicolon on a later line) is one cell, as Excel writes it."""
    line = 'T9;"Grenen; afd. 1\r\nafd. 2; ved havet";1082;751;SEL §108;V1;rammeaftale'
    path = tmp_path / "offers.csv"
    path.write_bytes("\r\n".join([_OFFERS, line, *_ROWS[:2]]).encode() + b"\r\n")
    t = ingest._read_csv(path)
    assert list(t["offer_id"]) == ["T9", "T1", "T2"]
    assert t["name"].iloc[0] == "Grenen; afd. 1\r\nafd. 2; ved havet"
