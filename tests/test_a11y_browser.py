"""Accessibility in a real browser (issue 16, WCAG 2.1 AA): axe-core on every page with its expanders and
popovers open, the document language and page titles, the heading outline, Danish numbers in an
English-language browser, and a visible focus on every control reached with the Tab key.

axe-core is vendored (tests/vendor/axe-core/axe.min.js, MPL-2.0, from the npm registry, version in its
header), so the test runs offline on a clean clone.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from helpers import assert_no_exception, open_page, wait_ready

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

# path -> the page's own title (st.Page(title=...)); /opdater is opened as an anonymous visitor
PAGES = {
    "": "Overblik",
    "udgifter": "Udgifter",
    "kapacitet": "Kapacitet",
    "centrale-udmeldinger": "Centrale udmeldinger",
    "handlingsplan": "Handlingsplan",
    "siden-sidste-moede": "Siden sidste møde",
    "om-data": "Om data",
    "opdater": "Opdater data",
    "tilgaengelighed": "Tilgængelighed",
}


def axe(page, context: str | None = None) -> list[dict]:
    """axe-core's violations of WCAG 2.1 A/AA and best practice, on the document or one element."""
    if not page.evaluate("() => !!window.axe"):
        page.add_script_tag(content=AXE)
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    result = page.evaluate("([c, o]) => axe.run(c || document, o)", [context, options])
    return result["violations"]


def serious(violations: list[dict]) -> list[str]:
    return [
        f"{v['impact']} {v['id']} ({len(v['nodes'])}): {v['help']}; e.g. {v['nodes'][0]['html'][:160]}"
        + f" - {v['nodes'][0].get('failureSummary', '')[:200]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def open_expanders(page) -> int:
    """Open every expander, one run at a time ("Vis tal" opens with a rerun; a click that lands during the
    previous rerun can be lost, so the loop goes on until none is closed)."""
    summaries = page.locator('[data-testid="stExpander"] details:not([open]) > summary')
    n = summaries.count()
    for _ in range(3 * n):
        if not summaries.count():
            break
        summaries.first.click()
        wait_ready(page)
    return n


@pytest.mark.parametrize("path", list(PAGES))
def test_axe_finds_no_serious_violation(page, server, path):
    """Every page, its expanders open, then each popover open in turn: 0 serious, 0 critical."""
    open_page(page, f"{server}/{path}")
    assert_no_exception(page)
    open_expanders(page)
    found = serious(axe(page))
    popovers = page.locator('[data-testid="stPopover"] button')
    for i in range(popovers.count()):
        popovers.nth(i).click()
        wait_ready(page)  # a "Vis tal" popover draws its table in the rerun its opening starts
        page.wait_for_selector('[data-testid="stPopoverBody"]')
        found += [f"popover {i}: {x}" for x in serious(axe(page, '[data-testid="stPopoverBody"]'))]
        for _ in range(3):  # close it (Escape; its closing reruns the page too)
            page.keyboard.press("Escape")
            wait_ready(page)
            if not page.locator('[data-testid="stPopoverBody"]').count():
                break
            popovers.nth(i).click()
            wait_ready(page)
        page.wait_for_selector('[data-testid="stPopoverBody"]', state="detached")
    assert not found, "\n".join(found)


# Streamlit's own English names and texts (ui.DANISH, ui.DANISH_PATTERNS), as they are before the dashboard puts
# them in Danish: none may be left on a page, in its names for screen readers or in its text.
ENGLISH = re.compile(
    r"^(Skip to main content|Main menu|Sidebar|Collapse sidebar|Expand sidebar|App pages|Navigate to home page|"
    r"Link to heading|Help|Open|Search|Show/hide columns|Download as CSV|Fullscreen|Close fullscreen|"
    r"Copy to clipboard|Copied!|Choose an option|Choose options|No results|Clear all|Upload|file upload|Browse files|Drag and drop (a )?files? here|"
    r"Help for .+|.+ — (start|end)|.* per file.*)$"
)
NAMES_AND_TEXTS = """() => {
  const out = [];
  for (const e of document.querySelectorAll('*'))
    for (const a of ['aria-label', 'title', 'placeholder', 'alt']) { const v = e.getAttribute(a); if (v) out.push(v.trim()); }
  const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (w.nextNode()) { const t = w.currentNode.nodeValue.trim(); if (t) out.push(t); }
  return out;
}"""


@pytest.mark.parametrize("path", list(PAGES))
def test_streamlits_own_names_and_texts_are_danish(page, server, path):
    """Every page, its expanders open: no English name or text of Streamlit's is left (WCAG 3.1.2), and the
    names the dashboard gave them are there ('Hjælp til Periode', the period slider's 'fra' and 'til')."""
    open_page(page, f"{server}/{path}")
    open_expanders(page)
    found = page.evaluate(NAMES_AND_TEXTS)
    english = sorted({t for t in found if ENGLISH.match(t)})
    assert not english, english
    assert "Gå til hovedindholdet" in found and "Hovedmenu" in found
    if path != "opdater":  # the page's login notice has no shared filters
        assert {"Hjælp til Periode", "Periode — fra", "Periode — til"} <= set(found), sorted(set(found))[:40]


# Lines that head a section and were bold text, so a screen reader's heading list skipped them (issue 16's
# walk-through, fixed later): each is a heading now.
SECTION_HEADINGS = {
    "udgifter": ["Tilbud, hvis takst steg over reglen"],
    "kapacitet": ["Lands- og landsdelsdækkende tilbud"],
    "centrale-udmeldinger": ["Åbne udmeldinger"],
    "handlingsplan": ["Statusskift", "Nye bemærkninger", "P1 · ", "P4 · ", "Beskrivelse", "Statushistorik"],
}


@pytest.mark.parametrize("path", list(PAGES))
def test_language_title_and_headings(page, server, path):
    """lang="da", the page's own title, one h1, and no heading level skipped on the way down."""
    open_page(page, f"{server}/{path}")
    assert page.evaluate("document.documentElement.lang") == "da"
    assert page.title() == f"{PAGES[path]} · Rammeaftale-overblik"
    levels = page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=stMain] :is(h1,h2,h3,h4,h5,h6)')]"
        ".filter(h => h.offsetParent !== null).map(h => +h.tagName[1])"
    )
    assert levels.count(1) == 1 and levels[0] == 1, levels
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, levels
    headings = page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=stMain] :is(h2,h3,h4)')].map(h => h.innerText.trim())"
    )
    for want in SECTION_HEADINGS.get(path, []):
        assert any(h.startswith(want) for h in headings), (want, headings)


@pytest.mark.parametrize("path", ["", "udgifter", "kapacitet", "centrale-udmeldinger", "handlingsplan"])
def test_charts_have_an_accessible_name_with_their_takeaway(page, server, path):
    """Every chart's accessible name says what it shows in numbers, and the same sentence opens the
    caption under it (in bold)."""
    open_page(page, f"{server}/{path}")
    charts = page.locator('[data-testid="stPlotlyChart"]')
    charts.first.wait_for()
    takeaways = [t.strip() for t in page.locator('[data-testid="stCaptionContainer"] strong').all_inner_texts()]
    takeaways = [t for t in takeaways if t.endswith(".") and re.search(r"\d", t)]  # sentences with numbers
    for i in range(charts.count()):
        name = charts.nth(i).get_attribute("aria-label") or ""
        assert re.search(r"[Dd]iagram|Varmekort", name), name
        assert charts.nth(i).get_attribute("role") == "figure"
        assert [t for t in takeaways if t in name], (name, takeaways)


def test_tables_read_danish_in_an_english_browser(browser, server, sql):
    """An en-US browser shows the spending table's numbers as '10.344,2', never '10,344.2'."""
    expected = sql("""
        SELECT sum(s.net_1000_dkk) / 1000 AS mio
        FROM {spending} s JOIN {account_functions} f ON f.function_code = s.function_code
        WHERE s.kind = 'regnskab' AND s.year = 2016 AND f.area = 'Voksne'""").mio[0]
    danish = f"{expected:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")  # 10344.2 -> '10.344,2'
    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
    page = ctx.new_page()
    try:
        open_page(page, f"{server}/udgifter")
        assert page.evaluate("navigator.language") == "en-US"
        expander = page.locator(".st-key-udg-aar-tal").first  # spending per year (the cost curve's come first)
        expander.locator("summary").click()
        cells = expander.locator('[data-testid="stDataFrame"] td')
        cells.first.wait_for(state="attached")  # the grid's accessible table, drawn on a canvas
        texts = [t.strip() for t in cells.all_text_contents()]
        assert danish in texts, (danish, texts[:12])
        numbers = [t for t in texts if re.fullmatch(r"[−-]?[\d.,]+", t)]
        assert numbers and not [t for t in numbers if re.search(r",\d{3}\b|\.\d{1,2}$", t)], numbers[:12]
    finally:
        ctx.close()


FOCUSED = """() => {
  const a = document.activeElement;
  if (!a || a === document.body) return null;
  const ring = (e) => { const s = getComputedStyle(e);
    return {style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor}; };
  // a radio or checkbox input is drawn by its label, which carries the ring
  const shown = a.tagName === 'INPUT' && ['radio', 'checkbox'].includes(a.type) && a.closest('label')
    ? a.closest('label') : a;
  const r = shown.getBoundingClientRect();
  return {tag: a.tagName, id: a.getAttribute('data-testid') || a.className.toString().slice(0, 40), name: (a.getAttribute('aria-label') ||
          a.textContent || '').slice(0, 50), ring: ring(shown), w: r.width, h: r.height};
}"""
FOCUS_RGB = "rgb(0, 114, 178)"  # ui.FOCUS, 5.2:1 on white


@pytest.mark.parametrize("path", list(PAGES))
def test_tab_reaches_every_control_with_a_visible_focus(page, server, path):
    """Tab from the top until the focus comes round again: every element reached has a solid focus ring
    of at least 2 px in the focus colour (>= 3:1 against the white page)."""
    open_page(page, f"{server}/{path}")
    reached, bad = [], []
    for _ in range(250):
        page.keyboard.press("Tab")
        el = page.evaluate(FOCUSED)
        if el is None:
            continue
        if reached and el["id"] == "stSkipToContent":
            break  # round again
        reached.append(el)
        ring = el["ring"]
        if el["id"] != "stMain" and not (
            ring["style"] == "solid" and ring["width"] >= 2 and ring["color"] == FOCUS_RGB and el["w"] > 0
        ):
            bad.append(el)
    else:
        pytest.fail("the focus never came round to the top of the page")
    assert not bad, bad[:5]
    # no unnamed stop: a caption's row (ui.source) that scrolls a few pixels was one in Chromium
    assert not [e for e in reached if e["id"] == "stHorizontalBlock"], reached
    ids = {e["id"] for e in reached}
    assert "stSidebarNavLink" in ids
    names = " ".join(e["name"] for e in reached)
    if path == "":
        assert "Vis tal" in names and "Gå til Handlingsplan" in names
    if path == "centrale-udmeldinger":  # every notice's source is a link of its own, outside the grid
        assert len([e for e in reached if e["tag"] == "A" and e["name"].startswith("Kilde: ")]) >= 8, names


TAB_STOP = """() => { const a = document.activeElement; const r = a.getBoundingClientRect();
  return {id: a.getAttribute('data-testid') || a.tagName, name: (a.getAttribute('aria-label') || a.textContent || '').slice(0, 40),
          x: r.x, right: r.right, sidebar: !!a.closest('[data-testid=stSidebar]')}; }"""


@pytest.mark.parametrize("size", [(390, 844), (768, 1024), (720, 450)])
def test_collapsed_sidebar_is_out_of_the_tab_order(browser, server, size):
    """A phone, a tablet and 200 % zoom (720 px) open with the sidebar collapsed off screen: Tab from the
    page load reaches the skip link, then 'Expand sidebar' and the main content, never a control in the
    hidden sidebar, and the sidebar's links are not in the accessibility tree; opening it shows them."""
    width, height = size
    ctx = browser.new_context(viewport={"width": width, "height": height}, locale="da-DK")
    page = ctx.new_page()
    try:
        open_page(page, server)
        sidebar = page.get_by_test_id("stSidebar")
        assert sidebar.get_attribute("data-collapsed") == "true"
        # hidden from screen readers once its closing slide (0.3 s) is over: a busy machine may still be in it
        sidebar.locator("a").first.wait_for(state="hidden")
        assert sidebar.get_by_role("link").count() == 0
        stops = []
        for _ in range(12):
            page.keyboard.press("Tab")
            stops.append(page.evaluate(TAB_STOP))
        assert not [s for s in stops if s["sidebar"] or s["right"] <= 0 or s["x"] >= width], stops
        assert "stExpandSidebarButton" in [s["id"] for s in stops[:3]], stops
        page.get_by_test_id("stExpandSidebarButton").click()
        sidebar.get_by_role("link", name="Udgifter").wait_for()  # shown and named again when opened
        assert sidebar.evaluate("e => getComputedStyle(e).visibility") == "visible"
    finally:
        ctx.close()


def test_the_illustrative_marker_is_read_in_danish_only(page, server):
    """The 'Fiktive eksempeldata' marker is read as just that: no material icon whose name ('science') a
    screen reader would read out first."""
    open_page(page, f"{server}/kapacitet")
    main = page.get_by_test_id("stMain")
    assert main.get_by_text("Fiktive eksempeldata").count() >= 2
    tree = main.aria_snapshot()
    assert "Fiktive eksempeldata" in tree and "science" not in tree, [
        line for line in tree.splitlines() if "science" in line
    ][:3]
