"""Siden sidste møde in a real browser (deep link with the meeting in the URL) and browser print of
every page: no sidebar on paper and every chart within the page width."""

import subprocess
from pathlib import Path

import pytest
from helpers import GRIDS, assert_no_exception, cut_table_text, grid_problems, open_page, screenshot
from widgets import selected, url

pytestmark = pytest.mark.browser
CHART_PAGES = ["/", "/udgifter", "/kapacitet", "/centrale-udmeldinger", "/handlingsplan"]
PAGES = ["/", "/udgifter", "/kapacitet", "/centrale-udmeldinger", "/handlingsplan", "/siden-sidste-moede", "/om-data"]


def test_deep_link_opens_the_meeting(page, server):
    open_page(page, server + "/")
    open_page(page, url(server, "/siden-sidste-moede", siden="6. okt. 2026 (KKR)"))
    assert_no_exception(page)
    assert selected(page, "siden") == "6. okt. 2026 (KKR)"
    assert page.get_by_role("button", name="Hent mødepakke (PDF)").count() == 1
    screenshot(page, "siden-sidste-moede")
    # a table's download says which meeting it compares with, in its name and its first rows
    page.get_by_text("Hent data").first.click()
    with page.expect_download() as dl:
        page.get_by_role("button", name="Hent CSV").first.click()
    assert "6-okt-2026" in dl.value.suggested_filename
    first = Path(dl.value.path()).read_text(encoding="utf-8-sig").splitlines()[0]
    assert first.strip() == "Filtre;Siden mødet;6. okt. 2026 (KKR)"
    # the meeting pack's link leads back to this server (the address the browser used), this meeting
    with page.expect_download(timeout=120_000) as dl:
        page.get_by_role("button", name="Hent mødepakke (PDF)").click()
    text = subprocess.run(["pdftotext", dl.value.path(), "-"], capture_output=True, text=True, check=True).stdout
    assert f"{server}/siden-sidste-moede?siden=6.+okt.+2026+%28KKR%29" in text.replace("\n", "")


@pytest.mark.parametrize("path", PAGES)
def test_print_has_no_sidebar_and_charts_fit(page, server, path):
    """Printing (Playwright's page.pdf() fires beforeprint, as Ctrl+P does): the charts, drawn for a wide
    screen, are scaled to their block on paper (a viewBox on every SVG layer, so nothing is clipped),
    and no block is wider than the page. Checked in emulated print, then a real A4 PDF is made."""
    page.set_viewport_size({"width": 1920, "height": 1080})  # charts drawn wider than an A4 page's layout
    open_page(page, server + path)
    # the footer's print stylesheet and script are in the page, and every chart is drawn
    page.wait_for_function(
        """(need) => { const bs = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
           return window.__overblikPrintFit && [...document.querySelectorAll('style')].some(s => s.textContent.includes('print-fit'))
             && (!need || bs.length > 0) && bs.every(b => b.querySelector('svg.main-svg')); }""",
        arg=path in CHART_PAGES,
    )
    page.emulate_media(media="print")
    # Streamlit may draw the charts again for the print layout: each is fitted again
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(b => {
             const c = b.querySelector('.svg-container');
             return c && (c.hasAttribute('data-print-fit') || b.closest('.st-key-ov-charts'))
               && [...c.querySelectorAll(':scope > svg.main-svg')]
               .every(s => b.closest('.st-key-ov-charts') || s.viewBox.baseVal.width === +s.getAttribute('width'));
           })"""
    )
    width = page.evaluate("() => document.documentElement.clientWidth")
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.count() == 0 or not sidebar.first.is_visible()
    charts = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].map(b => {
             const box = b.getBoundingClientRect();
             const c = b.querySelector('.svg-container');
             const layers = [...c.querySelectorAll(':scope > svg.main-svg')].map(s => {
               const r = s.getBoundingClientRect(), v = s.viewBox.baseVal;
               return {right: r.right, width: r.width, vb: v ? v.width : 0, drawn: +s.getAttribute('width')};
             });
             const small = !!b.closest('.st-key-ov-charts');  // Overblik's: drawn narrower than a page
             return {right: box.right, width: box.width, fit: c.hasAttribute('data-print-fit'), small, layers};
           })"""
    )
    if path in CHART_PAGES:
        assert charts, path
    for c in charts:
        assert c["right"] <= width + 1, (c, width)
        for layer in c["layers"]:
            assert layer["right"] <= c["right"] + 1, (layer, c)
            if not c["small"]:
                assert c["fit"], c
                assert layer["vb"] == layer["drawn"] > 0, layer  # scaled, not clipped
                assert abs(layer["width"] - c["width"]) <= 1, (layer, c)
    page.emulate_media(media="screen")
    pdf = page.pdf(format="A4")  # print media, as the browser prints
    assert pdf[:4] == b"%PDF"
    # after printing, the screen is as before: no viewBox left behind
    assert page.evaluate("() => document.querySelectorAll('svg.main-svg[viewBox], [data-print-fit]').length") == 0


def test_key_figures_are_shown_whole_on_a_laptop(page, server):
    """The key figures' table is texts shown whole (ui.text_table): on a laptop's screen every column is in
    view, 'Ændret' and 'Nu' too (a grid cut them off beyond its width)."""
    page.set_viewport_size({"width": 1366, "height": 900})
    open_page(page, server + "/siden-sidste-moede")
    table = page.locator("table", has_text="Ved mødet").first
    table.wait_for(timeout=10_000)
    heads = [t.strip() for t in table.locator("th").all_inner_texts()]
    assert {"Nøgletal", "Ændret", "Ved mødet", "Nu"} <= set(heads), heads
    main = page.locator('[data-testid="stMain"]').bounding_box()
    for th in table.locator("th").all():
        box = th.bounding_box()
        assert box and box["x"] + box["width"] <= main["x"] + main["width"] + 1, (th.inner_text(), box, main)


@pytest.mark.parametrize("size", [(1440, 900), (1920, 1080)])
def test_changed_data_grids_show_every_column(page, server, size):
    """The spending, capacity and offers grids (numbers) have every column in view on a laptop's and a desktop's
    screen, the sidebar open: the grid is no wider than its box, so "Fra datasæt" at the right edge is not
    hidden behind a sideways scroll (it was at 1440 px), and no header or cell is cut (the offers' target group
    "V2 Autisme/udviklingshæmning" was, by 2 px, at 1440 px)."""
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    open_page(page, server + "/siden-sidste-moede")
    main = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": width, "height": min(int(main) + 200, 12000)})  # every grid drawn
    wanted = {"År": "Fra datasæt", "Målgruppe": "Mangel (+)", "Tilbud": "Fra datasæt"}  # first: last column
    page.wait_for_function(
        """(firsts) => { const ds = [...document.querySelectorAll('[data-testid="stDataFrame"]')];
           return firsts.every(f => ds.some(d => d.querySelector('th')?.textContent === f && d.querySelector('.dvn-scroller'))); }""",
        arg=list(wanted),
    )
    page.wait_for_timeout(300)
    grids = [g for g in page.evaluate(GRIDS) if g["heads"] and g["heads"][0] in wanted]
    assert len(grids) == 3, grids
    for g in grids:
        assert grid_problems(g) == [], (size, g["heads"][0], grid_problems(g))
        assert g["right"] <= g["main"] + 1, (size, g)
        assert g["heads"][-1] == wanted[g["heads"][0]], g["heads"]
    screenshot(page, f"siden-sidste-moede-{width}")


@pytest.mark.parametrize("size", [(1440, 900), (1920, 1080)])
def test_status_changes_are_shown_whole_with_the_late_mark(page, server, size):
    """The initiatives' status changes (with 'Kun sent registreret') are a table of texts, as on Handlingsplan:
    every cell whole and the table within the page on a laptop's and a desktop's screen (as a grid it was wider
    than its box at 1440 px, by 2 px with six columns and by 153 px with the seventh)."""
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    open_page(page, server + "/siden-sidste-moede")
    assert_no_exception(page)
    assert cut_table_text(page) == []
    changes = page.get_by_test_id("stTable").filter(has_text="Fremdrift ved mødet")
    changes.scroll_into_view_if_needed()
    heads = [h.replace("\n", " ") for h in changes.locator("th").all_inner_texts()]
    assert heads[:4] == ["Id", "Initiativ", "Statusskift", "Kun sent registreret"], heads
    rows = changes.locator("table").evaluate(
        't => [...t.querySelectorAll("tbody tr")].map(tr => [...tr.children].map(c => c.innerText.replace(/\u2011/g, "-")))'
    )
    assert sorted(r[0] for r in rows if r[3] == "Ja") == ["P1-03", "P1-05", "P3-01", "U-06"], rows
    main = page.locator('[data-testid="stMain"]').bounding_box()
    box = changes.locator("table").bounding_box()
    assert box and main and box["x"] + box["width"] <= main["x"] + main["width"] + 1, (box, main)
    screenshot(page, f"siden-statusskift-{width}", full_page=False)
