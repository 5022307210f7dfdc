"""The Udgifter page in a real browser: a deep link (also as the very first request to a fresh server),
the page controls writing the URL, and a click on a municipality focusing the page via the shared filter."""

import pytest
from helpers import assert_no_exception, grid_problems, grids, open_page, query_values, screenshot, wait_ready
from playwright.sync_api import expect
from rate_rule import offers_over_rule

pytestmark = pytest.mark.browser

DEEP = "/udgifter?priser=Faste&visning=Pr.+indbygger&kommune=Aarhus"


# Every plotly chart drawn at its container's width (after a resize, plotly redraws asynchronously).
CHARTS_FIT = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')].every(
    gd => gd._fullLayout && Math.abs(gd._fullLayout.width - gd.getBoundingClientRect().width) < 2)"""


def full_screenshot(page, name: str) -> None:
    """The app scrolls inside its own container: make the viewport as tall as the content first."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1440, "height": min(max(int(height) + 100, 900), 9000)})
    page.wait_for_function(CHARTS_FIT)
    screenshot(page, name, full_page=False)
    page.set_viewport_size({"width": 1440, "height": 900})


# The bar of one municipality, found by its label in the chart's own data (not by position on screen).
BAR_OF = """(gd, name) => {
    for (const trace of gd.querySelectorAll('g.trace.bars')) {
        const labels = trace.__data__[0].trace.y;
        for (const pt of trace.querySelectorAll('g.point')) {
            if (labels[pt.__data__.i] === name) return pt.querySelector('path');
        }
    }
    return null;
}"""


def click_bar(chart, name: str) -> None:
    gd = chart.locator(".js-plotly-plot").element_handle()
    bar = gd.evaluate_handle(BAR_OF, name).as_element()
    assert bar is not None, f"no bar labelled {name!r}"
    bar.click(force=True)


def radio_checked(page, group: str, label: str) -> bool:
    return page.get_by_test_id("stRadio").filter(has_text=group).get_by_role("radio", name=label).is_checked()


def check_deep_link(page) -> None:
    assert_no_exception(page)
    assert page.locator("h1").first.inner_text().strip() == "Udgifter"
    assert radio_checked(page, "Priser", "Faste") and radio_checked(page, "Visning", "Pr. indbygger")
    assert "Aarhus" in page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").inner_text()
    labels = page.get_by_test_id("stMetricLabel").all_inner_texts()
    assert any("kr. pr. 0-22-årig" in t for t in labels), labels
    assert any("kr. pr. 18-64-årig" in t for t in labels), labels
    assert page.get_by_text("faste 2026-priser").first.is_visible() or "faste" in page.inner_text("body")
    # the link is stable: after the run the URL still says the same
    assert query_values(page.url, "priser") == ["Faste"]
    assert query_values(page.url, "visning") == ["Pr. indbygger"]
    assert query_values(page.url, "kommune") == ["Aarhus"]


def test_deep_link_as_the_first_request_to_a_fresh_server(page, fresh_server):
    open_page(page, fresh_server + DEEP)
    check_deep_link(page)
    # the shell is there too: sidebar filters and navigation
    assert page.get_by_test_id("stSidebarNav").get_by_text("Udgifter").is_visible()


def test_deep_link(page, server):
    open_page(page, server + DEEP)
    check_deep_link(page)
    assert page.locator('[data-testid="stPlotlyChart"]').count() >= 4
    full_screenshot(page, "udgifter-deep-link")


def test_controls_update_the_url(page, server):
    open_page(page, server + "/udgifter")
    assert_no_exception(page)
    assert radio_checked(page, "Priser", "Løbende")
    full_screenshot(page, "udgifter-default")
    page.get_by_test_id("stRadio").filter(has_text="Opdeling").get_by_text("Funktion", exact=True).click()
    wait_ready(page)
    assert_no_exception(page)
    assert query_values(page.url, "opdeling") == ["Funktion"]
    assert page.get_by_text("Nettodriftsudgifter pr. kontofunktion").first.is_visible()
    page.get_by_test_id("stRadio").filter(has_text="Priser").get_by_text("Faste", exact=True).click()
    wait_ready(page)
    assert query_values(page.url, "priser") == ["Faste"]
    assert query_values(page.url, "opdeling") == ["Funktion"]
    full_screenshot(page, "udgifter-funktion-faste")
    # the changed link reopens the same view
    url = page.url
    open_page(page, url)
    assert radio_checked(page, "Opdeling", "Funktion") and radio_checked(page, "Priser", "Faste")


def test_clicking_a_municipality_focuses_the_page(page, server):
    open_page(page, server + "/udgifter?priser=Faste")
    chart = page.get_by_test_id("stPlotlyChart").filter(has_text="regionsgennemsnit")
    chart.scroll_into_view_if_needed()
    expect(chart.locator("g.trace.bars g.point")).not_to_have_count(0)
    assert chart.locator("g.trace.bars g.point").count() >= 19
    name = "Skive"
    click_bar(chart, name)
    page.wait_for_url(lambda url: query_values(url, "kommune") == [name])
    wait_ready(page)
    assert_no_exception(page)
    chosen = query_values(page.url, "kommune")
    assert len(chosen) == 1, page.url
    assert chosen == [name]
    assert name in page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").inner_text()
    assert f"· {name} ·" in page.locator('[data-testid="stCaptionContainer"]').first.inner_text()
    assert query_values(page.url, "priser") == ["Faste"]  # the page's own choices stay
    full_screenshot(page, "udgifter-fokus-kommune")
    # back to the whole region
    page.get_by_role("button", name="Vis hele regionen").click()
    wait_ready(page)
    assert query_values(page.url, "kommune") == []
    assert "Hele regionen" in page.locator('[data-testid="stCaptionContainer"]').first.inner_text()


def test_cost_curve_section(page, server):
    open_page(page, server + "/udgifter")
    assert_no_exception(page)
    section = page.get_by_role("heading", name="Knækker udgiftskurven?", level=2)
    expect(section).to_be_visible()
    assert page.get_by_text("»Knække den stigende udgiftskurve«", exact=False).first.is_visible()
    assert page.get_by_text(
        "Første regnskab for aftaleperioden: 2027, offentliggøres i 2028.", exact=False
    ).first.is_visible()
    curve = page.get_by_test_id("stPlotlyChart").filter(has_text="Trend før aftalen")
    expect(curve).to_be_visible()
    assert "Budget 2027" in curve.inner_text()
    drivers = page.get_by_test_id("stPlotlyChart").filter(has_text="Real vækst pr. indbygger")
    expect(drivers).to_be_visible()


def _danish(x: float, decimals: int) -> str:
    """1234.5 -> '1.234,50' (decimals 2): how the grid writes a number, worked out here, not by overblik.fmt."""
    text = f"{abs(x):,.{decimals}f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return ("−" if x < 0 else "") + text


@pytest.mark.parametrize("size", [(1440, 900), (1920, 1080)])
def test_offers_over_the_rule_show_every_column_whole(page, server, sql, size):
    """The default Udgifter's 'Tilbud, hvis takst steg over reglen': every column and every header and cell whole
    within the grid's visible width (at 1440 px the grid was 1077 px wide in a 978 px box and its last column,
    Tilbuds-id, hid behind a sideways scroll with no hint), and its numbers are those of independent SQL."""
    want = offers_over_rule(sql)
    assert len(want) >= 4
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    open_page(page, server + "/udgifter")
    assert_no_exception(page)
    tall = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": width, "height": min(int(tall) + 200, 12000)})  # every grid drawn
    found = grids(page, first="Tilbud")
    (g,) = [g for g in found if g["heads"][:2] == ["Tilbud", "Driftsherre"]]
    assert grid_problems(g) == [], (size, grid_problems(g))
    assert g["heads"] == ["Tilbud", "Driftsherre", "Periode", "År", "Ændring, %", "Takst, kr.", "Pr.", "Hvad"]
    assert sorted(g["rows"]) == sorted(
        [
            w.name,
            w.operator,
            w.period,
            str(w.year),
            _danish(w.change, 2),
            _danish(round(w.rate), 0),
            w.unit,
            "steg over niveauet" if w.rose else "faldt ikke nok",
        ]
        for w in want.itertuples()
    )
    for other in found:  # the operators' grid under it fits too
        assert grid_problems(other) == [], (size, other["heads"], grid_problems(other))
    page.set_viewport_size({"width": width, "height": height})
    page.get_by_text("Tilbud, hvis takst steg over reglen").scroll_into_view_if_needed()
    screenshot(page, f"udgifter-takster-over-reglen-{width}", full_page=False)
