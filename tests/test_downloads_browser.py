"""What a downloaded table says about itself, as a reader gets the file from the page (a real click): the
provenance of the table downloaded (real or illustrative, its source, its own data date), and the shared
filters only where they change that table. Checked against the snapshot's manifest and independent SQL.

An illustrative table's Excel file says so on its first sheet, the one a reader sees, and its table keeps
Excel's filter buttons on exactly its own rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from helpers import assert_no_exception, open_page, wait_ready
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.browser

# Danish abbreviated months, as the pages write dates ('1. nov. 2026')
MONTHS = ["jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec."]
FILTER_LABELS = {"Kommuner", "Periode", "Område"}


def _danish(day: str) -> str:
    d = dt.date.fromisoformat(day[:10])
    return f"{d.day}. {MONTHS[d.month - 1]} {d.year}"


def _manifest(data_dir: Path) -> dict:
    sid = (data_dir / "CURRENT").read_text().strip()
    return json.loads((data_dir / "snapshots" / sid / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture
def warm(page, server):
    """The root first: a fresh server's very first deep link runs the page on its own (see issue 5)."""
    open_page(page, server + "/")
    return server


def _download(page, name: str, tmp_path: Path, first: bool = False) -> Path:
    """The page's last (or first) button `name` clicked; the file saved under its suggested name."""
    for attempt in range(2):  # a click that lands while a run is still drawing the page can be lost
        wait_ready(page)
        buttons = page.get_by_role("button", name=name)
        button = buttons.first if first else buttons.last
        button.scroll_into_view_if_needed()
        try:
            with page.expect_download(timeout=30_000) as dl:
                button.click()
            break
        except PlaywrightTimeout:
            if attempt:
                raise
    path = tmp_path / dl.value.suggested_filename
    dl.value.save_as(path)
    return path


def _csv(path: Path) -> tuple[dict[str, str], list[list[str]]]:
    """The 'Filtre;label;value' rows as {label: value} (each label once), and the table's rows after the
    blank line (header first)."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""), delimiter=";"))
    blank = rows.index([])
    about = rows[:blank]
    assert all(r[0] == "Filtre" and len(r) == 3 for r in about), about
    labels = [r[1] for r in about]
    assert len(labels) == len(set(labels)), labels
    return {r[1]: r[2] for r in about}, rows[blank + 1 :]


@pytest.mark.parametrize(
    ("path", "table", "sql_rows", "expander"),
    [
        ("/centrale-udmeldinger", "central_notices", "SELECT count(*) AS n FROM {central_notices}", None),
        ("/kapacitet", "national_offers", "SELECT count(*) AS n FROM {national_offers}", "Hent data"),  # the last
    ],
)
def test_a_real_national_table_says_real_its_source_and_date_and_no_filters(
    page, warm, data_dir, sql, tmp_path, path, table, sql_rows, expander
):
    """Centrale udmeldinger and Kapacitet's national offers: real data, not filtered by the sidebar. The
    file said 'Fiktive eksempeldata', the dataset's newest date and 'Periode 2016-2027', without a source."""
    entry = _manifest(data_dir)["tables"][table]
    assert entry["provenance"] == "real"  # the shipped data: what the test is about
    open_page(page, warm + path)
    assert_no_exception(page)
    if expander:  # the table's downloads are under its expander, the page's last
        page.get_by_text(expander, exact=True).last.click()
    csv_path = _download(page, "Hent CSV", tmp_path)
    about, rows = _csv(csv_path)
    assert "fiktive" not in csv_path.read_bytes().decode("utf-8-sig").split("\r\n\r\n")[0].lower(), about
    assert not FILTER_LABELS & about.keys(), about  # the sidebar's filters do not touch the table
    assert about.get("Data pr.") == _danish(entry["data_date"])  # its own date, not the dataset's newest
    assert about.get("Kilde") == entry["source"]
    assert about.get("Datagrundlag") == "Reelle data"
    assert about["Datasæt"] == "Eksempeldata, 20. nov. 2026"  # by its name, not its id ("demo")
    assert not re.search(r"\d{4}-\d{4}|hele-regionen", csv_path.name), csv_path.name  # nor the file name
    assert len(rows) - 1 == sql(sql_rows).n[0]

    xlsx = _download(page, "Hent Excel", tmp_path)
    import openpyxl

    wb = openpyxl.load_workbook(xlsx)
    first = wb.worksheets[0]
    assert first.max_row == len(rows)  # header and rows from the first row: no note on real data
    assert [c.value for c in first[1]] == rows[0]
    filters_sheet = {r[0]: r[1] for r in wb["Filtre"].iter_rows(min_row=2, values_only=True)}
    assert filters_sheet == about


def test_an_illustrative_table_says_so_on_the_first_sheet_of_its_excel_file(page, warm, data_dir, sql, tmp_path):
    """Handlingsplan's initiatives (illustrative in the shipped data): the first sheet opens with the
    marker; the table below it keeps Excel's filter buttons on exactly its rows and its header frozen; the
    sheet 'Filtre' has the provenance and no shared filter (the plan is region-wide)."""
    import openpyxl

    doc = _manifest(data_dir)["tables"]
    assert doc["initiatives"]["provenance"] == "illustrative"
    open_page(page, warm + "/handlingsplan")
    assert_no_exception(page)
    xlsx = _download(page, "Hent Excel", tmp_path)
    wb = openpyxl.load_workbook(xlsx)
    first = wb.worksheets[0]
    assert wb.sheetnames[0] != "Filtre"
    note = first["A1"].value
    assert note.startswith("FIKTIVE EKSEMPELDATA") and "ikke virkelige tal" in note
    assert first["A2"].value is None  # a blank row between the note and the table
    header = [c.value for c in first[3]]
    assert header[:2] == ["Id", "Initiativ"]
    n = sql("SELECT count(*) AS n FROM {initiatives}").n[0]
    assert first.max_row == 3 + n
    ids = sorted(first.cell(row=r, column=1).value for r in range(4, 4 + n))
    assert ids == sorted(sql("SELECT initiative_id FROM {initiatives}").initiative_id)
    last_col = openpyxl.utils.get_column_letter(len(header))
    assert first.auto_filter.ref == f"A3:{last_col}{3 + n}"  # sorting and filtering leave the note out
    assert first.freeze_panes == "A4"

    about = {r[0]: r[1] for r in wb["Filtre"].iter_rows(min_row=2, values_only=True)}
    assert about["Datagrundlag"] == "Fiktive eksempeldata"
    for t in ("initiatives", "initiative_updates", "principles"):
        assert doc[t]["source"] in about["Kilde"]
    assert about["Data pr."] == _danish(
        max(doc[t]["data_date"] for t in ("initiatives", "initiative_updates", "principles"))
    )
    assert not FILTER_LABELS & about.keys(), about


def test_a_filtered_illustrative_table_names_its_filters(page, warm, data_dir, tmp_path):
    """Kapacitet's target groups follow the sidebar: the file names the municipalities and the period (and,
    with an area chosen, the area), and says the data is illustrative."""
    open_page(page, warm + "/kapacitet?omraade=Voksne")
    assert_no_exception(page)
    path = _download(page, "Hent CSV", tmp_path, first=True)  # the target groups' table, under the first table
    about, _ = _csv(path)
    assert about["Kommuner"] == "Hele regionen"
    assert re.fullmatch(r"\d{4}-\d{4}", about["Periode"])
    assert about["Område"] == "Voksne"
    assert about["Datagrundlag"] == "Fiktive eksempeldata"
    assert "Fiktive eksempeldata (genereret af overblik.demo)" in about["Kilde"]
    assert "hele-regionen" in path.name and "voksne" in path.name
