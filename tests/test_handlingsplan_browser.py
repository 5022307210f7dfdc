"""Centrale udmeldinger and Handlingsplan in a real browser: deep links reopen the view, changing a choice
writes it to the URL, the source links open the real public pages, a note with HTML stays text, no
exception anywhere; screenshots for looking at the pages."""

import datetime as dt
import re
from urllib.parse import quote

import pytest

from overblik import clock
from conftest import serve

from helpers import assert_no_exception, open_page, query_values, screenshot, wait_ready
from status_helpers import EVIL_NOTE, meeting_label, snapshot_with_note

pytestmark = pytest.mark.browser
TODAY = clock.today()

# Column widths of the notices table (pages/centrale-udmeldinger.py), to find the 'Kilde' cells on the
# canvas the data grid draws: Udmelding, Målgruppe, Status, Udfald, Midtjyllands svar.
KILDE_X = 86 + 180 + 140 + 230 + 230 + 30
ROW, HEADER = 122, 36
# Record what a click on a link cell opens instead of leaving the page.
RECORD_OPEN = "window.__opened = []; window.open = (u) => { window.__opened.push(String(u)); return null; };"


@pytest.fixture
def warm(page, server):
    """Open the root first: a fresh server's very first deep link runs the page file on its own until
    dashboard.py has called st.navigation once (Streamlit's legacy pages/ mode; see issue 5)."""
    open_page(page, server + "/")
    return server


def _url(base: str, path: str, **params) -> str:
    q = "&".join(f"{k}={quote(v)}" for k, vs in params.items() for v in ([vs] if isinstance(vs, str) else vs))
    return f"{base}{path}" + (f"?{q}" if q else "")


def _widget(page, key: str):
    """The widget with this key, scrolled into view (widgets far down the page are drawn lazily)."""
    box = page.locator(f".st-key-{key}")
    box.scroll_into_view_if_needed()
    box.locator("[data-testid='stSelectbox'], [data-testid='stMultiSelect']").wait_for()
    return box


def _choose(page, key: str, option: str) -> None:
    """Pick `option` in the selectbox or multiselect with this key and wait for the rerun."""
    _widget(page, key).locator("input[role='combobox']").click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")
    wait_ready(page)


def _selected(page, key: str) -> str:
    """What a selectbox shows, or the chosen chips of a multiselect."""
    box = _widget(page, key)
    if box.get_by_test_id("stSelectbox").count():
        return box.locator("input[role='combobox']").input_value()
    return box.get_by_test_id("stMultiSelect").inner_text()


# --- Centrale udmeldinger --------------------------------------------------------------------


def test_udmeldinger_opens_with_key_message_and_timeline(page, warm, sql):
    open_page(page, warm + "/centrale-udmeldinger")
    assert_no_exception(page)
    assert page.locator("h1").first.inner_text() == "Centrale udmeldinger"
    n_open = sql("SELECT count(*) AS n FROM {central_notices} WHERE is_open = 1").n[0]
    assert page.get_by_text(f"{n_open} åbne", exact=True).first.is_visible()
    assert page.get_by_text("dec. 2025", exact=True).first.is_visible()
    assert page.locator(".js-plotly-plot").count() >= 1
    assert _selected(page, "status") == "Alle udmeldinger"
    screenshot(page, "udmeldinger")


def test_udmeldinger_source_links_open_the_real_pages(page, warm, sql):
    page.add_init_script(RECORD_OPEN)
    page.set_viewport_size({"width": 1440, "height": 1400})  # the whole table in view at once
    open_page(page, warm + "/centrale-udmeldinger")
    want = sql("SELECT source_url FROM {central_notices} ORDER BY "
               "CAST(CASE length(issued) WHEN 4 THEN issued || '-01-01' WHEN 7 THEN issued || '-01' "
               "ELSE issued END AS DATE), notice_id").source_url.tolist()
    grid = page.locator('[data-testid="stDataFrame"]').last
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    box = grid.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 1400, box
    for i, url in enumerate(want):
        for _ in range(3):  # the first click on a grid may only focus it
            page.mouse.click(box["x"] + KILDE_X, box["y"] + HEADER + ROW * i + ROW / 2)
            page.wait_for_timeout(200)
            if url in page.evaluate("window.__opened"):
                break
        assert url in page.evaluate("window.__opened"), f"row {i} opens {url}"
    assert all(u.startswith("https://") for u in want)


def test_udmeldinger_deep_link_and_filter_change_update_the_url(page, warm, sql):
    open_page(page, _url(warm, "/centrale-udmeldinger", status="Kun åbne"))
    assert_no_exception(page)
    assert _selected(page, "status") == "Kun åbne"
    assert query_values(page.url, "status") == ["Kun åbne"]
    screenshot(page, "udmeldinger-aabne")

    _choose(page, "status", "Kun afsluttede")
    assert_no_exception(page)
    assert query_values(page.url, "status") == ["Kun afsluttede"]
    # the link reopens the same view
    open_page(page, page.url)
    assert _selected(page, "status") == "Kun afsluttede"


# --- Handlingsplan ----------------------------------------------------------------------------


def test_handlingsplan_opens_with_status_and_changes_since_last_meeting(page, warm, sql):
    open_page(page, warm + "/handlingsplan")
    assert_no_exception(page)
    assert page.locator("h1").first.inner_text() == "Handlingsplan"
    mtgs = sql("SELECT meeting_date, body FROM {meetings} WHERE meeting_date <= $t ORDER BY meeting_date DESC",
               {"t": TODAY})
    assert _selected(page, "siden") == meeting_label(mtgs.meeting_date[1], mtgs.body[1])
    assert page.locator(".js-plotly-plot").count() >= 2
    assert page.get_by_text("⚠ Overskredet", exact=True).first.is_visible()
    screenshot(page, "handlingsplan")


def test_handlingsplan_deep_link_and_changes_update_the_url(page, warm, sql):
    mtgs = sql("SELECT meeting_date, body FROM {meetings} WHERE meeting_date <= $t ORDER BY meeting_date DESC",
               {"t": TODAY})
    older = meeting_label(mtgs.meeting_date[3], mtgs.body[3])
    first = sql("SELECT initiative_id, title FROM {initiatives} ORDER BY initiative_id LIMIT 1").iloc[0]
    label = f"{first.initiative_id} {first.title}"
    open_page(page, _url(warm, "/handlingsplan", siden=older, initiativstatus="Risiko", initiativ=label))
    assert_no_exception(page)
    assert _selected(page, "siden") == older
    assert "Risiko" in _selected(page, "initiativstatus")
    assert query_values(page.url, "siden") == [older]
    assert query_values(page.url, "initiativstatus") == ["Risiko"]
    screenshot(page, "handlingsplan-risiko")

    newer = meeting_label(mtgs.meeting_date[0], mtgs.body[0])
    _choose(page, "siden", newer)
    assert_no_exception(page)
    assert query_values(page.url, "siden") == [newer]
    _choose(page, "initiativstatus", "Forsinket")
    assert_no_exception(page)
    assert sorted(query_values(page.url, "initiativstatus")) == ["Forsinket", "Risiko"]
    open_page(page, page.url)  # the copied link reopens the same view
    assert _selected(page, "siden") == newer
    assert re.search(r"Risiko.*Forsinket|Forsinket.*Risiko", _selected(page, "initiativstatus"), re.S)


def test_a_note_with_html_stays_text_in_the_browser(page, data_dir, tmp_path):
    info = snapshot_with_note(data_dir, tmp_path / "data")
    alerts = []
    page.on("dialog", lambda d: (alerts.append(d.message), d.dismiss()))
    with serve(tmp_path / "data") as url:
        open_page(page, url + "/")
        open_page(page, _url(url, "/handlingsplan", initiativ=f"{info['initiative_id']} {info['title']}"))
        assert_no_exception(page)
        literal = page.get_by_test_id("stText").filter(has_text=EVIL_NOTE)
        literal.first.scroll_into_view_if_needed()
        assert literal.first.inner_text() == EVIL_NOTE and literal.first.is_visible(), "the note shows literally"
        app = page.locator('[data-testid="stMain"]')
        assert app.locator("script").count() == 0, "no <script> element from the note"
        assert app.locator("b", has_text=re.compile(r"^x$")).count() == 0, "no <b> element from the note"
        assert page.evaluate("() => document.body.innerHTML.includes('<script>alert(1)</script>')") is False
        screenshot(page, "handlingsplan-html-note", full_page=False)
    assert alerts == []
