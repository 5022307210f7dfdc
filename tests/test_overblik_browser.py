"""The Overblik page in a real browser: the headline row on a 1440x900 laptop without scrolling, all four
blocks (numbers, small charts, links) on a 1920x1080 projector, a deep link (also as the very first request
to a fresh server), the four links to the detail pages keeping the filters, and a shared filter writing
the URL and changing the numbers. Screenshots: screenshots/overblik-1440.png and overblik-1920.png."""

import itertools
from urllib.parse import urlparse

import pytest
from helpers import SHOTS, assert_no_exception, open_page, query_values, screenshot, wait_ready

pytestmark = pytest.mark.browser

DEEP = "/?kommune=Skive&aar=2022&aar=2024&omraade=Voksne"
HEADLINES = [
    "Nettodriftsudgifter 2025",
    "Takstændring 2024-2026",
    "Målgrupper, der mangler egnede tilbud",
    "Manglende pladser, 2026",
    "Åbne centrale udmeldinger",
    "Ændret siden sidste møde",
    "Risiko eller forsinket",
]
LINKS = {
    "Gå til Udgifter": "/udgifter",
    "Gå til Kapacitet": "/kapacitet",
    "Gå til Centrale udmeldinger": "/centrale-udmeldinger",
    "Gå til Handlingsplan": "/handlingsplan",
}


def in_view(page, locator) -> bool:
    """The element is drawn and lies wholly inside the viewport (no scrolling needed)."""
    box = locator.bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["width"] > 0
        and box["y"] >= 0
        and box["x"] >= 0
        and box["y"] + box["height"] <= size["height"]
        and box["x"] + box["width"] <= size["width"]
    )


def metric(page, label: str):
    return page.get_by_test_id("stMetric").filter(
        has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    )


def test_headline_row_fits_a_laptop_screen(page, server):
    page.set_viewport_size({"width": 1440, "height": 900})
    open_page(page, server + "/")
    assert_no_exception(page)
    assert page.locator("h1").first.inner_text().strip() == "Overblik"
    assert in_view(page, page.get_by_text("Udgifterne ", exact=False).first), "the key message is on screen"
    assert page.get_by_test_id("stMetric").count() == 9  # the cost curve verdict and the eight headlines
    # the first thing read: is the cost curve bending? (today 2026-11-29: no accounts of 2027-28 yet)
    first = page.get_by_test_id("stMetric").first
    assert first.get_by_test_id("stMetricLabel").inner_text().strip() == "Knækker udgiftskurven?"
    assert first.get_by_test_id("stMetricValue").inner_text().strip() == "For tidligt at sige"
    assert in_view(page, first)
    verdict = page.get_by_text("Første regnskab for aftaleperioden: 2027, offentliggøres i 2028.", exact=False)
    assert in_view(page, verdict.first)
    link = page.get_by_test_id("stPageLink").filter(has_text="Se kurven og årsagerne")
    assert in_view(page, link)
    for label in HEADLINES:
        m = metric(page, label)
        assert m.count() == 1, label
        assert in_view(page, m), f"{label} is below the fold at 1440x900"
    # the numbers are not cut off: the value fits its box
    for value in page.get_by_test_id("stMetricValue").all():
        assert value.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), value.inner_text()
    screenshot(page, "overblik-1440", full_page=False)
    screenshot(page, "overblik-1440-hel")


def test_all_four_blocks_fit_a_projector(page, server):
    page.set_viewport_size({"width": 1920, "height": 1080})
    open_page(page, server + "/")
    assert_no_exception(page)
    page.wait_for_timeout(800)
    for label in HEADLINES:
        assert in_view(page, metric(page, label)), label
    charts = page.locator(".js-plotly-plot")
    assert charts.count() == 4
    for i in range(4):
        assert in_view(page, charts.nth(i)), f"chart {i + 1} is below the fold at 1920x1080"
    for label in LINKS:
        assert in_view(page, page.get_by_test_id("stPageLink").filter(has_text=label)), label
    # the charts stand side by side in one row at this width
    tops = {round(charts.nth(i).bounding_box()["y"]) for i in range(4)}
    assert len(tops) == 1, tops
    screenshot(page, "overblik-1920", full_page=False)
    # each small chart offers its numbers: 'Vis tal' opens its table with downloads
    page.get_by_test_id("stPopover").filter(has_text="Vis tal").nth(3).click()
    table = page.get_by_test_id("stDataFrame").filter(has_text="Initiativer")
    table.wait_for()
    assert page.get_by_role("button", name="Hent CSV").last.is_visible()


def check_deep_link(page) -> None:
    assert_no_exception(page)
    assert page.locator("h1").first.inner_text().strip() == "Overblik"
    sidebar = page.get_by_test_id("stSidebar")
    assert "Skive" in sidebar.get_by_test_id("stMultiSelect").inner_text()
    assert sidebar.get_by_test_id("stRadio").get_by_role("radio", name="Voksne").is_checked()
    assert "Skive · 2022-2024 · Voksne" in page.locator('[data-testid="stCaptionContainer"]').first.inner_text()
    # the headline numbers follow the filters: the latest year of the period; the municipalities report
    # per target group from 2026 only, so 2022-2024 has no capacity figures
    assert metric(page, "Nettodriftsudgifter 2024").count() == 1
    assert metric(page, "Målgrupper, der mangler egnede tilbud").get_by_test_id("stMetricValue").inner_text() == "–"
    # the link is stable after the run
    assert query_values(page.url, "kommune") == ["Skive"]
    assert query_values(page.url, "aar") == ["2022", "2024"]
    assert query_values(page.url, "omraade") == ["Voksne"]


def test_deep_link_as_the_first_request_to_a_fresh_server(page, fresh_server):
    open_page(page, fresh_server + DEEP)
    check_deep_link(page)


@pytest.mark.parametrize("label", list(LINKS))
def test_links_open_the_detail_page_with_the_filters(page, server, label):
    open_page(page, server + DEEP)
    check_deep_link(page)
    link = page.get_by_test_id("stPageLink").filter(has_text=label)
    link.scroll_into_view_if_needed()
    link.get_by_role("link").click()
    page.wait_for_url(f"**{LINKS[label]}?**")
    wait_ready(page)
    assert_no_exception(page)
    assert urlparse(page.url).path == LINKS[label]
    # every filter once: a link that repeated the bound keys would double them (aar=2022&aar=2024&aar=2022...)
    assert query_values(page.url, "aar") == ["2022", "2024"]
    assert query_values(page.url, "kommune") == ["Skive"]
    assert query_values(page.url, "omraade") == ["Voksne"]
    assert page.locator("h1").first.inner_text().strip() == label.removeprefix("Gå til ")
    # the detail page's filters show the same choice
    sidebar = page.get_by_test_id("stSidebar")
    assert "Skive" in sidebar.get_by_test_id("stMultiSelect").inner_text()
    assert sidebar.get_by_test_id("stRadio").get_by_role("radio", name="Voksne").is_checked()
    assert sidebar.get_by_text("ugyldige filterværdier").count() == 0


def test_a_shared_filter_writes_the_url_and_changes_the_numbers(page, server):
    open_page(page, server + "/")
    assert_no_exception(page)
    value = metric(page, "Målgrupper, der mangler egnede tilbud").get_by_test_id("stMetricValue")
    assert value.inner_text().endswith(" af 6")
    page.get_by_test_id("stSidebar").get_by_test_id("stRadio").get_by_text("Voksne", exact=True).click()
    wait_ready(page)
    assert_no_exception(page)
    assert query_values(page.url, "omraade") == ["Voksne"]
    assert value.inner_text().endswith(" af 3")
    # and the link to a detail page keeps it
    page.get_by_test_id("stPageLink").filter(has_text="Gå til Kapacitet").get_by_role("link").click()
    page.wait_for_url("**/kapacitet?**")
    wait_ready(page)
    assert query_values(page.url, "omraade") == ["Voksne"]


def test_the_numbers_behind_a_block_have_room(page, server):
    # "Vis tal" under a block opened a 320 px box with two of the table's eight columns in view
    page.set_viewport_size({"width": 1440, "height": 900})
    open_page(page, server + "/")
    page.get_by_role("button", name="Vis tal").nth(1).click()  # Kapacitet's
    body = page.get_by_test_id("stPopoverBody").filter(has=page.get_by_test_id("stDataFrame"))
    body.get_by_test_id("stDataFrame").wait_for()
    grid = body.locator(".dvn-scroller").first
    grid.wait_for()
    assert body.bounding_box()["width"] >= 1100
    scroll, client = grid.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert client >= 0.9 * scroll, (scroll, client)


def test_blocks_stack_on_a_phone(browser, server):
    """390x844 (a phone; WCAG 1.4.10): the four chart blocks stand one under the other, each chart the
    width of the page, and no chart text runs past its chart's edge (the labels are not cut off)."""
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="da-DK")
    page = ctx.new_page()
    try:
        open_page(page, server + "/")
        assert_no_exception(page)
        charts = page.locator(".st-key-ov-charts .js-plotly-plot")
        charts.nth(3).wait_for()  # plotly draws after the script has finished
        assert charts.count() == 4
        boxes = [charts.nth(i).bounding_box() for i in range(4)]
        assert all(b["width"] > 300 for b in boxes), boxes
        for above, below in itertools.pairwise(boxes):
            assert below["y"] >= above["y"] + above["height"], boxes  # none side by side
        cut = page.evaluate("""() => [...document.querySelectorAll('.st-key-ov-charts .js-plotly-plot')].flatMap(c => {
            const box = c.getBoundingClientRect();
            return [...c.querySelectorAll('svg.main-svg text')].filter(t => t.textContent.trim())
              .map(t => [t.textContent, t.getBoundingClientRect()])
              .filter(([_, r]) => r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1)).map(([s]) => s);
        })""")
        assert not cut, cut
    finally:
        ctx.close()


def test_the_charts_are_not_filed_under_the_last_block(page, server):
    """The four blocks' headings (h2) come first in the page's order, then their four charts (h3): each
    chart title's nearest h2 before it must not be a block's (a screen reader's outline would put every
    chart under 'Handlingsplan'), and 'Siden mødet' is a section of its own."""
    open_page(page, server + "/")
    heads = page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=stMain] :is(h2,h3)')]"
        ".map(h => [+h.tagName[1], h.innerText.trim()])"
    )
    blocks = {"Udgifter", "Kapacitet", "Centrale udmeldinger", "Handlingsplan"}
    parent = None
    charts = 0
    for level, text in heads:
        if level == 2:
            parent = text
        elif parent in blocks:
            raise AssertionError(f"{text!r} falls under the block {parent!r}: {heads}")
        else:
            charts += 1
    assert charts == 4, heads
    assert [2, "Siden mødet"] in heads, heads


TICKS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].flatMap(c => {
  const name = (c.querySelector('.gtitle') || c.closest('[data-testid="stVerticalBlock"]'))?.textContent.slice(0, 40);
  return [...c.querySelectorAll('.xaxislayer-above, .xaxislayer-below')].map(layer => ({name,
    ticks: [...layer.querySelectorAll('.xtick text')].filter(t => t.textContent.trim()).map(t => {
      const r = t.getBoundingClientRect(); return {text: t.textContent, left: r.left, right: r.right};
    }).sort((a, b) => a.left - b.left)}));
}).filter(a => a.ticks.length)"""


@pytest.mark.parametrize("width", [1024, 1440, 1920])
def test_year_ticks_do_not_crowd(page, server, width):
    """The small charts' year ticks are apart at 1024 px with the sidebar open, at 1440 and at 1920 (four blocks
    in a row): no tick label touches its neighbour (the spending chart's 2017 2019 ... 2025 ran together)."""
    page.set_viewport_size({"width": width, "height": 2400})
    open_page(page, server + "/")
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
             .filter(c => c.querySelector('.xtick text')).length >= 3"""
    )
    page.wait_for_timeout(500)
    axes = [a for a in page.evaluate(TICKS) if a["ticks"] and a["ticks"][0]["text"][:2] in ("19", "20")]
    assert len(axes) >= 2, axes
    for axis in axes:
        ticks = axis["ticks"]
        for a, b in itertools.pairwise(ticks):
            assert b["left"] - a["right"] >= 8, (width, axis["name"], a, b)
    screenshot(page, f"overblik-ticks-{width}", full_page=False)


VIBORG = "/?aar=2022&aar=2026&kommune=Viborg&omraade=Voksne"


def viborg_adults_2025(sql) -> float:
    """Viborg's net operating spending on adults in 2025, mio. kr. in the price index's latest year's prices:
    independent SQL (special education split by account function, as Udgifter's areas)."""
    return float(
        sql(
            """
            WITH idx AS (SELECT year, "index" / (SELECT "index" FROM {price_index}
                                                WHERE year = (SELECT max(year) FROM {price_index})) AS rel
                         FROM {price_index})
            SELECT sum(s.net_1000_dkk / idx.rel) / 1000 AS mio
            FROM {spending} s
            JOIN {account_functions} f ON f.function_code = s.function_code
            JOIN idx ON idx.year = s.year
            JOIN {municipalities} m ON m.municipality_code = s.municipality_code
            WHERE s.kind = 'regnskab' AND s.year = 2025 AND m.name = 'Viborg'
              AND CASE WHEN f.area = 'Specialundervisning'
                       THEN CASE WHEN f.function_code IN ('3.22.17', '3.30.46') THEN 'Voksne' ELSE 'Børn og unge' END
                       ELSE f.area END = 'Voksne'"""
        ).mio[0]
    )


def test_the_spending_link_lands_on_the_same_number(page, server, sql):
    """Overblik's spending is in fixed prices; Udgifter opens in current prices, where the same selection
    showed another 2025 figure (999,1 against 1.040,5 mio. kr.). The block's link opens Udgifter in fixed
    prices, the shared filters kept (once each), on the same number."""
    want = f"{viborg_adults_2025(sql):,.1f}".replace(",", "_").replace(".", ",").replace("_", ".")
    open_page(page, server + VIBORG)
    assert_no_exception(page)
    value = metric(page, "Nettodriftsudgifter 2025").get_by_test_id("stMetricValue").inner_text().strip()
    assert value == f"{want} mio. kr."
    link = page.get_by_test_id("stPageLink").filter(has_text="Gå til Udgifter")
    link.scroll_into_view_if_needed()
    link.get_by_role("link").click()
    page.wait_for_url("**/udgifter?**")
    wait_ready(page)
    assert_no_exception(page)
    assert query_values(page.url, "priser") == ["Faste"]
    assert query_values(page.url, "aar") == ["2022", "2026"]
    assert query_values(page.url, "kommune") == ["Viborg"]
    assert query_values(page.url, "omraade") == ["Voksne"]
    assert page.get_by_test_id("stRadio").get_by_role("radio", name="Faste").is_checked()
    shown = page.get_by_test_id("stMetric").filter(has_text="2025, mio. kr.").first
    assert shown.get_by_test_id("stMetricValue").inner_text().strip() == want


TIMELINE = """() => {
  const c = [...document.querySelectorAll('.js-plotly-plot')].find(p => p.querySelector('.ytick')
      && p.textContent.includes('CU-2019-2'));
  const plot = c.querySelector('.nsewdrag').getBoundingClientRect();
  const legend = c.querySelector('.legend').getBoundingClientRect();
  const points = [...c.querySelectorAll('.scatterlayer .point')].map(p => p.getBoundingClientRect())
      .filter(r => r.width > 0);
  const today = [...c.querySelectorAll('.annotation')].find(a => a.textContent.startsWith('I dag'));
  const t = today && today.getBoundingClientRect();
  return {plot: [plot.left, plot.right, plot.top, plot.bottom], right: Math.max(...points.map(r => r.right)),
          n: points.length, label: today ? today.textContent : null,
          labelBox: t && [t.left, t.right, t.top, t.bottom], legend: [legend.left, legend.right, legend.bottom]};
}"""


@pytest.mark.parametrize("size", [(1440, 900), (1920, 1080)])
def test_the_notice_timeline_keeps_its_markers_and_labels_today(page, server, size):
    """The open notice's end marker sits on today's line: it is drawn whole inside the plot (it was cut at the
    right edge), and the dashed line is labelled with today's date inside the plot, clear of the legend."""
    page.set_viewport_size({"width": size[0], "height": 2400})
    open_page(page, server + VIBORG)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot')].some(p => p.textContent.includes('CU-2019-2'))"
    )
    page.wait_for_timeout(500)
    got = page.evaluate(TIMELINE)
    left, right, top, _bottom = got["plot"]
    assert got["n"] >= 16  # two markers per notice
    assert got["right"] <= right, got  # every marker whole inside the plot
    assert got["label"] == "I dag 29. nov. 2026", got
    lbl = got["labelBox"]
    assert left <= lbl[0] and lbl[1] <= right and top - 1 <= lbl[2], got
    assert lbl[2] >= got["legend"][2] - 1, got  # below the legend, not over it
    chart = page.locator(".js-plotly-plot").filter(has_text="CU-2019-2")
    SHOTS.mkdir(exist_ok=True)
    chart.screenshot(path=str(SHOTS / f"overblik-udmeldinger-{size[0]}.png"))


ROWS = """() => {
  const c = [...document.querySelectorAll('.js-plotly-plot')].find(p => p.querySelector('.ytick')
      && p.textContent.includes('CU-2019-2'));
  const box = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.right, r.top, r.bottom]; };
  const items = [...c.querySelectorAll('.legend .traces')].map(box);
  return {plot: box(c.querySelector('.nsewdrag')), legend: box(c.querySelector('.legend .bg') || c.querySelector('.legend')),
          items, ticks: [...c.querySelectorAll('.ytick text')].map(t => [t.textContent, ...box(t)]).sort((a, b) => a[3] - b[3]),
          points: [...c.querySelectorAll('.scatterlayer .point')].map(box).filter(r => r[1] > r[0])};
}"""


@pytest.mark.parametrize("width", [360, 720, 1024, 1440, 1920])
def test_the_notice_timeline_legend_stays_one_row_above_its_rows(page, server, width):
    """The small notice timeline at 360 (a phone), 720, 1024 (the sidebar open), 1440 and 1920 px: its legend
    (three entries) is one row above the plot, and each of the eight notices keeps a row whose name stands
    clear of the next. At 360, 720 and 1024 the legend wrapped to two rows in a 274-336 px block and took the rows'
    room: the names CU-2019-1, CU-2019-2 and CU-2020-1 ran together under it."""
    page.set_viewport_size({"width": width, "height": 3000})
    open_page(page, server + "/")
    page.wait_for_function(  # drawn: the notices' names and the legend's three entries
        """() => [...document.querySelectorAll('.js-plotly-plot')].some(p => p.textContent.includes('CU-2019-2')
                   && p.querySelectorAll('.legend .traces').length === 3)"""
    )
    got = page.evaluate(ROWS)
    _left, _right, top, bottom = got["plot"]
    assert len(got["items"]) == 3, got
    assert len({round(i[2]) for i in got["items"]}) == 1, got  # the three entries side by side: one row
    assert max(i[3] for i in got["items"]) <= top + 1, got  # the legend above the plot, not over its rows
    assert all(p[2] >= got["legend"][3] - 1 for p in got["points"]), got  # no marker under the legend
    names = got["ticks"]
    assert len(names) == 8, names
    assert names[0][3] >= max(i[3] for i in got["items"]) - 1, names  # the first name below the legend
    for above, below in itertools.pairwise(names):  # each name clear of the one above: its centre at least
        # the font's size (11 px) below (a text's box is its line, 16 px; the two rows' names ran together at 9.5)
        assert (below[3] + below[4]) / 2 - (above[3] + above[4]) / 2 >= 11, (above, below)
    assert bottom - top >= 8 * 12, got
    chart = page.locator(".js-plotly-plot").filter(has_text="CU-2019-2")
    SHOTS.mkdir(exist_ok=True)
    chart.screenshot(path=str(SHOTS / f"overblik-udmeldinger-legend-{width}.png"))


def test_a_drill_down_says_what_the_filters_do_not_change(page, server):
    """Viborg, adults, at 1440x900: the notices and the action plan say in their blocks that they are the
    whole region's, and the capacity block calls its place count a rough signal; none of it without a filter."""
    open_page(page, server + VIBORG)
    assert_no_exception(page)
    main = page.get_by_test_id("stMain")
    for text in (
        "Hele regionen: udmeldingerne gælder alle kommuner og både børn og voksne.",
        "Hele regionen: handlingsplanen er fælles for alle kommuner og områder.",
        "Kun et groft signal under regionsniveau:",
    ):
        assert main.get_by_text(text, exact=False).first.is_visible(), text
    assert "Viborg oplever mangel på egnede tilbud" in main.inner_text()
    screenshot(page, "overblik-viborg-1440", full_page=False)
    open_page(page, server + "/")
    assert "Hele regionen:" not in page.get_by_test_id("stMain").inner_text()
    assert "groft signal" not in page.get_by_test_id("stMain").inner_text()
