"""Opdater data in a real browser, logged in through a real OpenID Connect provider on localhost
(oidc-provider-mock): the editor's whole pre-meeting flow, and that a reader and an anonymous visitor
reach no editor action. The server runs over its own copy of the data and its own secrets.toml."""

from __future__ import annotations

import io
import json
import shutil

import openpyxl
import pyarrow.parquet as pq
import pytest
from auth_helpers import EDITOR, READER, log_in, provider, write_secrets
from conftest import ROOT, serve
from helpers import assert_no_exception, open_page, screenshot, wait_ready
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from widgets import widget

from overblik import ingest

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """(url, data folder) of a server with login configured."""
    tmp = tmp_path_factory.mktemp("opdater")
    data = tmp / "data"
    shutil.copytree(ROOT / "data", data)
    with provider() as issuer, serve(data, write_secrets(tmp, issuer)) as url:
        yield url, data


def _open_tab(page, name: str) -> None:
    """Open Opdater data's tab `name` and wait until it is the one shown: a click that lands while the page is still
    running can be lost (seen on a busy machine: the grid stayed hidden in the tab behind), so it is clicked again."""
    tab = page.get_by_role("tab", name=name)
    for _ in range(4):
        wait_ready(page)
        tab.click()
        try:
            page.wait_for_function(
                "t => t.getAttribute('aria-selected') === 'true'", arg=tab.element_handle(), timeout=5_000
            )
            break
        except PlaywrightTimeoutError:
            continue
    wait_ready(page)


def _open_cell_editor(page, grid_css: str, row: int, rights: int):
    """The editor of a grid cell, open: a click on the row's first cell, ArrowRight `rights` times, Enter.
    A loaded machine may draw the grid late or drop the keys, so the box is measured again and the steps are
    repeated (Escape first) until the editor shows."""
    grid = page.locator(f'{grid_css} [data-testid="stDataFrameResizable"]')
    editor = page.locator("#portal input, #portal textarea").first
    for _ in range(4):
        grid.wait_for()
        wait_ready(page)
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 30, box["y"] + 52 + row * 35)  # the header is one row high (35 px)
        for _ in range(rights):
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Enter")
        try:
            editor.wait_for(timeout=5_000)
            return editor
        except PlaywrightTimeoutError:
            page.keyboard.press("Escape")
    raise AssertionError(f"the cell editor of row {row}, column {rights} did not open")


def _notices(data):
    sid = (data / "CURRENT").read_text().strip()
    t = pq.read_table(data / "snapshots" / sid / "central_notices.parquet").to_pandas()
    return t


def _workbooks(data, tmp_path):
    """(broken, fixed): the current workbook with one notice opened (is_open 0 -> 1); the broken one
    also has three mistakes: is_open 7, a status that is not allowed, and negative places."""
    raw = ingest.workbook_bytes(base=data)
    out = []
    for broken in (True, False):
        wb = openpyxl.load_workbook(io.BytesIO(raw))
        ws = wb["central_notices"]
        col = [c.value for c in ws[1]].index("is_open") + 1
        closed = [r for r in range(2, ws.max_row + 1) if ws.cell(r, col).value == 0]
        ws.cell(closed[0], col).value = 1
        if broken:
            ws.cell(closed[1], col).value = 7
            wu = wb["initiative_updates"]
            wu.cell(2, [c.value for c in wu[1]].index("status") + 1).value = "måske"
            wo = wb["offer_years"]
            wo.cell(2, [c.value for c in wo[1]].index("places") + 1).value = -3
        path = tmp_path / ("med-fejl.xlsx" if broken else "rettet.xlsx")
        wb.save(path)
        out.append(path)
    return out


def _upload(page, path):
    # the Excel tab's uploader (the Danmarks Statistik tab has one too)
    page.locator('[class*="st-key-opd-upload-"] input[type="file"]').set_input_files(str(path))
    page.wait_for_selector(f"text=Kontrol af {path.name} færdig", timeout=60_000)
    wait_ready(page)


def _editor_on_opdater(browser, url):
    """(context, page) of an editor logged in on /opdater, at a laptop's size."""
    ctx = browser.new_context(viewport={"width": 1440, "height": 900})
    page = ctx.new_page()
    log_in(page, url, EDITOR)
    open_page(page, url + "/opdater")
    return ctx, page


def _nav_has_opdater(page) -> bool:
    return page.locator('[data-testid="stSidebarNav"]').get_by_text("Opdater data").count() > 0


def test_anonymous_visitor_gets_nothing(browser, site):
    url, _ = site
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    open_page(page, url + "/opdater")
    assert page.get_by_text("Denne side kræver login som redaktør").count() == 1
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    assert page.get_by_role("tab").count() == 0
    open_page(page, url + "/")
    assert not _nav_has_opdater(page)
    page.close()


def test_reader_gets_nothing(browser, site):
    url, _ = site
    ctx = browser.new_context(viewport={"width": 1440, "height": 900})
    page = ctx.new_page()
    log_in(page, url, READER)
    assert page.get_by_text("(læser)").count() == 1
    assert not _nav_has_opdater(page)
    open_page(page, url + "/opdater")
    assert page.get_by_text("Denne side kræver login som redaktør").count() == 1
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    assert page.get_by_role("button", name="Udgiv").count() == 0
    screenshot(page, "opdater-reader")
    ctx.close()


def test_editor_updates_publishes_and_rolls_back(browser, site, tmp_path):
    url, data = site
    before = _notices(data)
    n_open, n_total = int((before["is_open"] == 1).sum()), len(before)
    broken, fixed = _workbooks(data, tmp_path)

    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    page = ctx.new_page()
    log_in(page, url, EDITOR)
    assert _nav_has_opdater(page)
    open_page(page, url + "/opdater")
    assert_no_exception(page)
    # the file chooser's own texts in Danish (ui.DANISH): its button 'Upload', its input 'file upload'
    chooser = page.locator('[class*="st-key-opd-upload-"]').first
    chooser.locator("button").get_by_text("Vælg fil").wait_for()
    assert "Upload" not in chooser.inner_text() and chooser.locator('input[aria-label="Vælg fil"]').count() == 1

    # three mistakes: named, nothing publishable, the problems downloadable as Excel
    _upload(page, broken)
    assert page.get_by_text("3 fejl og").count() == 1
    assert page.get_by_role("button", name="Udgiv").count() == 0
    with page.expect_download() as dl:
        page.get_by_role("button", name="Hent problemerne som Excel").click()
    path = tmp_path / "problemer.xlsx"
    dl.value.save_as(path)
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    errors = [r for r in rows[1:] if r[0] == "Fejl"]
    assert sorted(r[1] for r in errors) == ["central_notices", "initiative_updates", "offer_years"]
    assert all(r[2] and r[6] for r in errors)  # an Excel row and a hint each
    screenshot(page, "opdater-errors")

    # the fixed file: valid, the changes and the headline number before -> after
    _upload(page, fixed)
    assert page.get_by_text("rettet.xlsx er gyldig").count() == 1
    row = page.locator('[data-testid="stTable"] tr', has_text="Åbne centrale udmeldinger")
    assert f"{n_open} af {n_total}" in row.inner_text() and f"{n_open + 1} af {n_total}" in row.inner_text()
    screenshot(page, "opdater-changes")

    # publishing needs a note
    page.get_by_role("button", name="Udgiv").click()
    wait_ready(page)
    assert page.get_by_text("Skriv en bemærkning til udgivelsen").count() == 1
    page.locator(".st-key-opd-note input").fill("Før DASSOS 3. dec.")
    page.locator(".st-key-opd-note input").press("Enter")
    wait_ready(page)
    page.get_by_role("button", name="Udgiv").click()
    wait_ready(page)
    assert page.get_by_text("Udgivet som datasæt").count() == 1
    sid = (data / "CURRENT").read_text().strip()
    doc = json.loads((data / "snapshots" / sid / "manifest.json").read_text())
    assert doc["published_by"] == EDITOR and doc["note"] == "Før DASSOS 3. dec."

    # Overblik shows the new number
    open_page(page, url + "/")
    metric = page.locator('[data-testid="stMetric"]', has_text="Åbne centrale udmeldinger")
    assert f"{n_open + 1} af {n_total}" in metric.inner_text()

    # roll back, with a confirmation; recorded with who and the note
    open_page(page, url + "/opdater")
    _open_tab(page, "Historik og tilbagerulning")
    # nothing is chosen beforehand: the editor picks the dataset
    page.get_by_role("button", name="Rul tilbage").click()
    wait_ready(page)
    assert page.get_by_text("Vælg det datasæt, der skal være aktuelt igen").count() == 1
    _open_tab(page, "Historik og tilbagerulning")
    widget(page, "opd-rollback-choice").get_by_role("combobox").click()
    page.get_by_role("option").filter(has_text="(id demo)").first.click()
    wait_ready(page)
    page.get_by_label("Bemærkning til tilbagerulningen (skal udfyldes)").fill("Forkert fil")
    page.get_by_label("Bemærkning til tilbagerulningen (skal udfyldes)").press("Enter")
    wait_ready(page)
    page.get_by_role("button", name="Rul tilbage").click()
    wait_ready(page)
    assert page.get_by_text("Sæt hak i bekræftelsen først").count() == 1
    assert (data / "CURRENT").read_text().strip() == sid
    _open_tab(page, "Historik og tilbagerulning")
    page.get_by_text("Ja, jeg vil gøre det valgte datasæt aktuelt").click()
    wait_ready(page)
    screenshot(page, "opdater-rollback-confirm")
    page.get_by_role("button", name="Rul tilbage").click()
    wait_ready(page)
    assert page.get_by_text("er aktuelt igen").count() == 1
    assert (data / "CURRENT").read_text().strip() == "demo"
    # the form is emptied: a second click does not roll back again (to the dataset just left)
    _open_tab(page, "Historik og tilbagerulning")
    assert page.get_by_label("Bemærkning til tilbagerulningen (skal udfyldes)").input_value() == ""
    assert not page.get_by_role("checkbox", name="Ja, jeg vil gøre det valgte datasæt aktuelt").is_checked()
    page.get_by_role("button", name="Rul tilbage").click()
    wait_ready(page)
    assert page.get_by_text("Vælg det datasæt, der skal være aktuelt igen").count() == 1
    assert (data / "CURRENT").read_text().strip() == "demo"
    events = [json.loads(line) for line in (data / "events.jsonl").read_text().splitlines()]
    assert [(e["action"], e["by"]) for e in events] == [("publish", EDITOR), ("rollback", EDITOR)]
    assert events[1]["note"] == "Forkert fil" and events[1]["before"] == sid

    open_page(page, url + "/")
    metric = page.locator('[data-testid="stMetric"]', has_text="Åbne centrale udmeldinger")
    assert f"{n_open} af {n_total}" in metric.inner_text()
    ctx.close()


def test_without_login_configured_the_page_says_how(page, server):
    open_page(page, server + "/opdater")
    assert page.get_by_text("Login er ikke slået til").count() == 1
    assert page.locator('[data-testid="stFileUploader"]').count() == 0


def test_expired_login_mid_upload_publishes_nothing(browser, site, tmp_path):
    """The editor has uploaded and checked a file when the login ends (the auth cookie is gone, e.g. it
    expired): the next page load is anonymous, refuses, and nothing is published; logged in again, the
    editor uploads once more and publishes."""
    url, data = site
    current = (data / "CURRENT").read_text().strip()
    snapshots = sorted(p.name for p in (data / "snapshots").iterdir())
    _, fixed = _workbooks(data, tmp_path)
    ctx, page = _editor_on_opdater(browser, url)
    _upload(page, fixed)
    assert page.get_by_text("rettet.xlsx er gyldig").count() == 1

    ctx.clear_cookies()  # the login expires
    page.reload()
    wait_ready(page)
    assert page.get_by_text("Denne side kræver login som redaktør").count() == 1
    assert page.get_by_role("button", name="Udgiv").count() == 0
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    assert (data / "CURRENT").read_text().strip() == current
    assert sorted(p.name for p in (data / "snapshots").iterdir()) == snapshots

    log_in(page, url, EDITOR)
    open_page(page, url + "/opdater")
    _upload(page, fixed)
    page.locator(".st-key-opd-note input").fill("Efter nyt login")
    page.locator(".st-key-opd-note input").press("Enter")
    wait_ready(page)
    page.get_by_role("button", name="Udgiv").click()
    wait_ready(page)
    assert page.get_by_text("Udgivet som datasæt").count() == 1
    sid = (data / "CURRENT").read_text().strip()
    assert sid != current and json.loads((data / "snapshots" / sid / "manifest.json").read_text())["note"] == (
        "Efter nyt login"
    )
    ctx.close()


@pytest.fixture
def own_site(tmp_path):
    """A server with login over its own copy of the shipped data (the module's site is changed by the tests
    before)."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    with provider() as issuer, serve(data, write_secrets(tmp_path, issuer)) as url:
        yield url, data


def test_saving_the_plan_keeps_its_confirmation(browser, own_site):
    """'Gem og udgiv' on the action plan: the confirmation stays on screen (the old editor, handed the new
    data, reset itself in the browser and reran the page, which swallowed the message)."""
    url, data = own_site
    ctx, page = _editor_on_opdater(browser, url)
    _open_tab(page, "Handlingsplan")
    wait_ready(page)
    editor = _open_cell_editor(page, PLAN, 0, 4)  # the first initiative: Id, Princip, Titel, Status -> Fremdrift, %
    editor.fill("15")  # no initiative has 15 % in the shipped data
    editor.press("Enter")
    editor.wait_for(state="detached")
    wait_ready(page)
    before = (data / "CURRENT").read_text().strip()
    page.get_by_role("button", name="Gem og udgiv").click()
    wait_ready(page)
    page.wait_for_timeout(1500)  # long enough for a rerun the browser would start by itself
    wait_ready(page)
    assert (data / "CURRENT").read_text().strip() != before
    assert page.get_by_text("Handlingsplanen er udgivet som datasæt").count() == 1
    ctx.close()


PLAN = '[class*="st-key-opd-plan-editor"]'


def _plan_cell(page, column: int, row: int) -> str:
    """The text of an action plan cell as the grid shows it (its accessible table: column 5 is Bemærkning)."""
    return page.locator(f'{PLAN} [data-testid="glide-cell-{column}-{row}"]').inner_text()


def test_a_plan_edit_over_newer_data_is_refused_and_kept(browser, own_site, tmp_path):
    """Editor A types a note for P1-03 without saving; meanwhile another editor publishes a workbook that changes
    P1-03's note. A's "Gem og udgiv" is refused (the table it writes was changed) and nothing is published;
    A's note is still in the table (shown the newer data, the grid re-applied it on top of B's); "Hent de nyeste
    data" gives it up and shows B's note."""
    url, data = own_site
    ctx, page = _editor_on_opdater(browser, url)
    _open_tab(page, "Handlingsplan")
    wait_ready(page)
    editor = _open_cell_editor(page, PLAN, 2, 5)  # P1-03: Id, Princip, Titel, Status, Fremdrift -> Bemærkning
    editor.fill("A's note for P1-03")
    editor.press("Tab")
    editor.wait_for(state="detached")
    wait_ready(page)

    wb = openpyxl.load_workbook(io.BytesIO(ingest.workbook_bytes(base=data)))
    wu = wb["initiative_updates"]
    col = [c.value for c in wu[1]].index("note") + 1
    wu.cell(max(r for r in range(2, wu.max_row + 1) if wu.cell(r, 1).value == "P1-03"), col).value = "B's note"
    wb.save(tmp_path / "b.xlsx")
    b, _ = ingest.publish(tmp_path / "b.xlsx", "B", base=data)

    page.get_by_role("button", name="Gem og udgiv").click()
    wait_ready(page)
    page.wait_for_timeout(1500)  # long enough for a rerun the browser would start by itself
    wait_ready(page)
    refusal = page.get_by_text("Statusopdateringer er ændret i et datasæt, der er udgivet, siden du begyndte")
    refusal.first.wait_for()  # a loaded machine may answer the click after the pause above
    assert refusal.count() == 1
    assert page.get_by_text("Handlingsplanen er udgivet").count() == 0
    assert (data / "CURRENT").read_text().strip() == b
    notes = set(pq.read_table(data / "snapshots" / b / "initiative_updates.parquet").to_pandas()["note"].dropna())
    assert "B's note" in notes and "A's note for P1-03" not in notes
    screenshot(page, "opdater-plan-conflict")
    assert _plan_cell(page, 5, 2) == "A's note for P1-03"  # P1-03's Bemærkning (the grid is scrolled sideways)

    page.get_by_role("button", name="Hent de nyeste data").click()
    wait_ready(page)
    assert page.get_by_text("Hent de nyeste data").count() == 0
    assert _plan_cell(page, 0, 2) == "P1-03" and _plan_cell(page, 5, 2) == "B's note"
    ctx.close()


def test_a_refused_file_replaces_the_previous_result(browser, site, tmp_path):
    """An old .xls after a valid workbook: refused in Danish by the check (the browser no longer refuses it in
    English), and the valid file's result and its Udgiv button are gone."""
    url, data = site
    _, fixed = _workbooks(data, tmp_path)
    old = tmp_path / "gammel.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0 old Excel")
    ctx, page = _editor_on_opdater(browser, url)
    _upload(page, fixed)
    assert page.get_by_text("rettet.xlsx er gyldig").count() == 1
    _upload(page, old)
    assert page.get_by_text("Gem som > Excel-projektmappe (.xlsx)").count() >= 1
    assert page.get_by_text("rettet.xlsx er gyldig").count() == 0
    assert page.get_by_role("button", name="Udgiv").count() == 0
    assert page.locator('[class*="st-key-opd-upload-"]').get_by_text("per file").count() == 0  # no English refusal
    ctx.close()


def test_adding_a_meeting_through_the_grid_reaches_the_readers(browser, own_site):
    """The secretariat adds a DASSOS meeting on the Møder tab (in the empty line at the bottom: date, forum
    and title) and saves; it is published, and on Overblik it is now the last meeting, which "Siden mødet" compares with."""
    url, data = own_site
    ctx, page = _editor_on_opdater(browser, url)
    page.set_viewport_size({"width": 1440, "height": 1400})  # the whole list of meetings in view
    _open_tab(page, "Møder")
    wait_ready(page)
    _add_meeting(page, "DASSOS, ekstraordinært møde", "2026-11-26")  # after the last before today (12 Nov)
    screenshot(page, "opdater-meeting-added")
    before = (data / "CURRENT").read_text().strip()
    page.get_by_role("button", name="Gem møder og udgiv").click()
    wait_ready(page)
    # a new meeting before today (29 Nov) is asked about, in words, before it is published
    assert page.get_by_text("DASSOS torsdag 26. november 2026").count() >= 1, screenshot(page, "opdater-meetings")
    assert (data / "CURRENT").read_text().strip() == before
    page.get_by_role("button", name="Ja, datoen er rigtig").click()
    wait_ready(page)
    said = page.get_by_text("Møderne er udgivet som datasæt")
    said.first.wait_for()
    assert said.count() == 1, screenshot(page, "opdater-meetings")
    sid = (data / "CURRENT").read_text().strip()
    assert sid != before
    meetings = pq.read_table(data / "snapshots" / sid / "meetings.parquet").to_pandas()
    new = meetings[meetings["title"] == "DASSOS, ekstraordinært møde"]
    assert len(new) == 1 and str(new["meeting_date"].iloc[0])[:10] == "2026-11-26" and new["body"].iloc[0] == "DASSOS"
    open_page(page, url + "/")
    assert page.get_by_text("26. nov. 2026").count() >= 1
    assert_no_exception(page)
    ctx.close()


def _add_meeting(page, title: str, date: str) -> None:
    """A DASSOS meeting typed into the Møder tab's empty line at the bottom (the tab open, the whole list in view),
    not saved."""
    grid = page.locator('[class*="st-key-opd-meetings-editor"] [data-testid="stDataFrameResizable"]')
    box = grid.bounding_box()
    row_y = box["y"] + box["height"] - 16  # the empty line at the bottom, which becomes the new meeting
    editing = page.locator("#portal input, #portal textarea")

    def edit(x_share: float):
        """The new meeting's cell at that share of the grid's width, its editor open (a click on a cell that
        is already selected opens it by itself; otherwise Enter does)."""
        page.mouse.click(box["x"] + box["width"] * x_share, row_y)
        page.wait_for_timeout(300)
        if editing.count() == 0:
            page.keyboard.press("Enter")
        editing.first.wait_for()
        return editing.first

    # title, date, then forum: choosing a forum moves the selection down, to the next empty line
    editor = edit(0.8)  # Titel
    editor.fill(title)
    editor.press("Tab")
    editor.wait_for(state="detached")
    editor = edit(0.1)  # Mødedato
    editor.fill(date)
    editor.press("Tab")  # on to Forum, as in Excel
    editor.wait_for(state="detached")
    page.keyboard.press("Enter")  # Forum's choices open
    choices = page.locator("#portal [role=listbox]")
    for _ in range(4):  # a click while the page reran could be lost (seen on a busy machine): choose again
        page.get_by_role("option", name="DASSOS", exact=True).click()
        try:
            choices.wait_for(state="detached", timeout=5_000)
            break
        except PlaywrightTimeoutError:
            continue
    choices.wait_for(state="detached")
    wait_ready(page)


def _first_progress_to_15(page) -> None:
    """Type 15 into the first initiative's Fremdrift, % in Handlingsplan's grid (no initiative has 15 % in the
    shipped data), without saving."""
    editor = _open_cell_editor(page, PLAN, 0, 4)
    editor.fill("15")
    editor.press("Enter")
    editor.wait_for(state="detached")
    wait_ready(page)


def test_the_editors_own_plan_save_leaves_her_new_meeting_saveable(browser, own_site):
    """The editor types a meeting without saving, then changes a progress in Handlingsplan and saves it: her
    meeting is still in its grid, no "newer data" notice shows, and "Gem møder og udgiv" publishes it on top of her
    plan save (refused before, blaming "en anden")."""
    url, data = own_site
    ctx, page = _editor_on_opdater(browser, url)
    page.set_viewport_size({"width": 1440, "height": 1400})
    _open_tab(page, "Møder")
    wait_ready(page)
    _add_meeting(page, "DASSOS, ekstra", "2027-03-04")
    _open_tab(page, "Handlingsplan")
    wait_ready(page)
    _first_progress_to_15(page)
    page.get_by_role("button", name="Gem og udgiv").click()
    wait_ready(page)
    page.get_by_text("Handlingsplanen er udgivet som datasæt").first.wait_for()
    plan_sid = (data / "CURRENT").read_text().strip()
    assert plan_sid != "demo" and page.get_by_role("button", name="Hent de nyeste data").count() == 0

    _open_tab(page, "Møder")
    wait_ready(page)
    page.get_by_role("button", name="Gem møder og udgiv").click()
    wait_ready(page)
    page.get_by_text("Møderne er udgivet som datasæt").first.wait_for()
    assert page.get_by_text("udgivet af en anden").count() == 0
    sid = (data / "CURRENT").read_text().strip()
    assert sid != plan_sid
    meetings = pq.read_table(data / "snapshots" / sid / "meetings.parquet").to_pandas()
    assert meetings["title"].tolist().count("DASSOS, ekstra") == 1
    progress = pq.read_table(data / "snapshots" / sid / "initiative_updates.parquet").to_pandas()["progress_pct"]
    assert 15.0 in set(progress)  # the plan save is kept
    ctx.close()


def test_opdater_tables_show_every_cell_and_a_stale_workbook_is_held(browser, own_site, tmp_path):
    """At 1440x900 and 1920x1080 the problems list, the changes and the history show every cell whole (grids cut
    "Sådan retter du", "Datagrundlag" and left "Ændrede tabeller" off the right edge). A workbook downloaded
    before a status line and a meeting were published says what it would delete, and Udgiv waits for the tick."""
    from helpers import cut_table_text

    url, data = own_site
    stale = tmp_path / "edit2.xlsx"
    stale.write_bytes(ingest.workbook_bytes("demo", base=data, editors=True))  # downloaded first
    wb = openpyxl.load_workbook(io.BytesIO(ingest.workbook_bytes(base=data, editors=True)))
    wu, wm = wb["initiative_updates"], wb["meetings"]
    wu.append([wu.cell(2, 1).value, "2026-11-29", "risiko", 40, "Rettet på siden", None])
    wm.append(["2026-12-10", "DASSOS", "DASSOS december"])
    later = tmp_path / "later.xlsx"
    wb.save(later)
    sid, problems = ingest.publish(later, "Status og møde", base=data)
    assert sid, [p.message() for p in problems]
    broken, _ = _workbooks(data, tmp_path)

    ctx, page = _editor_on_opdater(browser, url)
    for width, height in ((1440, 900), (1920, 1080)):
        page.set_viewport_size({"width": width, "height": height})
        open_page(page, url + "/opdater")
        _upload(page, broken)
        assert page.get_by_text("Sådan retter du").count() >= 1
        assert cut_table_text(page) == [], width
        screenshot(page, f"opdater-problems-{width}")

        _upload(page, stale)
        assert page.get_by_text("1 statusopdatering og 1 møde, udgivet efter at projektmappen blev hentet").count() == 1
        assert page.get_by_role("button", name="Udgiv").is_disabled()
        assert cut_table_text(page) == [], width
        screenshot(page, f"opdater-stale-{width}")
        page.get_by_text("Ja, erstat det, der er udgivet siden").click()
        wait_ready(page)
        assert page.get_by_role("button", name="Udgiv").is_enabled()

        _open_tab(page, "Historik og tilbagerulning")
        wait_ready(page)
        assert page.get_by_text("Ændrede tabeller").count() == 1
        assert cut_table_text(page) == [], width
        screenshot(page, f"opdater-history-{width}")
    assert (data / "CURRENT").read_text().strip() == sid
    ctx.close()


def test_an_unsaved_plan_edit_survives_leaving_the_page(browser, own_site):
    """The editor changes a progress in Handlingsplan's grid without saving, opens the page Handlingsplan in the
    sidebar and comes back through the sidebar: the grid shows her edit, a line above it says it is unsaved and
    from earlier in the session, with "Kassér ændringerne"; "Gem og udgiv" then publishes it."""
    url, data = own_site
    ctx, page = _editor_on_opdater(browser, url)
    _open_tab(page, "Handlingsplan")
    wait_ready(page)
    _first_progress_to_15(page)
    notice = page.get_by_text("Tabellen viser ændringer, du lavede tidligere i denne session")
    assert notice.count() == 0  # still on the page: the grid holds the edit itself

    nav = page.locator('[data-testid="stSidebarNav"]')
    nav.get_by_text("Handlingsplan", exact=True).click()
    page.wait_for_url(url + "/handlingsplan*")
    wait_ready(page)
    assert page.locator(PLAN).count() == 0
    nav.get_by_text("Opdater data", exact=True).click()
    page.wait_for_url(url + "/opdater*")
    wait_ready(page)
    _open_tab(page, "Handlingsplan")
    wait_ready(page)
    notice.first.wait_for()
    assert notice.count() == 1 and page.get_by_role("button", name="Kassér ændringerne").count() == 1
    assert _plan_cell(page, 4, 0) == "15"  # the first initiative's Fremdrift, %
    notice.first.scroll_into_view_if_needed()
    screenshot(page, "opdater-draft-restored", full_page=False)  # the laptop's view: the line and the grid
    assert_no_exception(page)

    before = (data / "CURRENT").read_text().strip()
    page.get_by_role("button", name="Gem og udgiv").click()
    wait_ready(page)
    page.get_by_text("Handlingsplanen er udgivet som datasæt").first.wait_for()
    sid = (data / "CURRENT").read_text().strip()
    assert sid != before and notice.count() == 0
    progress = pq.read_table(data / "snapshots" / sid / "initiative_updates.parquet").to_pandas()
    first = progress[progress["initiative_id"] == "P1-01"]
    assert first.sort_values("update_date")["progress_pct"].iloc[-1] == 15.0
    ctx.close()


NEW = ".st-key-opd-new-initiative"


def _new_initiative_fields(page) -> dict:
    return {
        "Titel": page.locator(f"{NEW}-title input").input_value(),
        "Ansvarlig": page.locator(f"{NEW}-owner input").input_value(),
        "Beskrivelse": page.locator(f"{NEW}-description textarea").input_value(),
    }


def test_a_new_initiative_typed_survives_leaving_the_page(browser, own_site):
    """The editor types a new initiative's title, owner and description (the last one still in its box) and opens
    the page Handlingsplan in the sidebar, then comes back through the sidebar: the form shows what she typed, with a
    line that says it is not saved and "Kassér det udfyldte". "Tilføj og udgiv" publishes it, and the form is
    empty."""
    url, data = own_site
    ctx, page = _editor_on_opdater(browser, url)
    _open_tab(page, "Handlingsplan")
    typed = {"Titel": "Fælles kompetencecenter", "Ansvarlig": "DASSOS", "Beskrivelse": "Et center, kommunerne deler."}
    for key, text in zip(("title", "owner", "description"), typed.values()):
        field = page.locator(f"{NEW}-{key}").locator("input, textarea").first
        field.scroll_into_view_if_needed()
        field.click()
        field.fill(text)
        if key != "description":  # the description is left in its box: the click on the sidebar takes it along
            field.press("Tab")
            wait_ready(page)
    notice = page.get_by_text("Felterne viser det, du udfyldte tidligere i denne session")
    assert notice.count() == 0  # still on the page

    nav = page.locator('[data-testid="stSidebarNav"]')
    nav.get_by_text("Handlingsplan", exact=True).click()
    page.wait_for_url(url + "/handlingsplan*")
    wait_ready(page)
    assert page.locator(f"{NEW}-title").count() == 0
    nav.get_by_text("Opdater data", exact=True).click()
    page.wait_for_url(url + "/opdater*")
    wait_ready(page)
    _open_tab(page, "Handlingsplan")
    notice.first.wait_for()
    assert _new_initiative_fields(page) == typed
    assert notice.count() == 1 and page.get_by_role("button", name="Kassér det udfyldte").count() == 1
    page.locator(NEW).first.scroll_into_view_if_needed()
    screenshot(page, "opdater-new-initiative-restored", full_page=False)
    assert_no_exception(page)

    page.get_by_role("button", name="Tilføj og udgiv").click()
    wait_ready(page)
    page.get_by_text("er tilføjet og udgivet som datasæt").first.wait_for()
    sid = (data / "CURRENT").read_text().strip()
    added = pq.read_table(data / "snapshots" / sid / "initiatives.parquet").to_pandas()
    row = added[added["title"] == typed["Titel"]]
    assert len(row) == 1 and row["owner"].iloc[0] == "DASSOS" and row["description"].iloc[0] == typed["Beskrivelse"]
    _open_tab(page, "Handlingsplan")
    assert _new_initiative_fields(page) == dict.fromkeys(typed, "") and notice.count() == 0
    ctx.close()


def test_the_tab_she_worked_in_opens_again_when_she_comes_back(browser, own_site):
    """The editor works in the tab Møder, opens Handlingsplan in the sidebar and comes back: Møder is the tab shown
    (it was "Data fra Excel", with her kept edits hidden behind it)."""
    url, _data = own_site
    ctx, page = _editor_on_opdater(browser, url)
    try:
        _open_tab(page, "Møder")
        nav = page.locator('[data-testid="stSidebarNav"]')
        nav.get_by_text("Handlingsplan", exact=True).click()
        page.wait_for_url(url + "/handlingsplan*")
        wait_ready(page)
        nav.get_by_text("Opdater data", exact=True).click()
        page.wait_for_url(url + "/opdater*")
        wait_ready(page)
        shown = [
            t.inner_text().strip() for t in page.get_by_role("tab").all() if t.get_attribute("aria-selected") == "true"
        ]
        assert shown == ["Møder"], shown
        assert page.get_by_role("button", name="Gem møder og udgiv").is_visible()
        assert_no_exception(page)
    finally:
        ctx.close()
