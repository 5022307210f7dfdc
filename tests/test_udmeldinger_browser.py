"""Centrale udmeldinger in a real browser: the key message and timeline, a deep link reopens the view,
changing the status choice writes it to the URL, the source links open the real public pages; no
exception anywhere; screenshots for looking at the page."""

import pytest
from helpers import assert_no_exception, cut_table_text, open_page, query_values, screenshot
from widgets import choose, selected, url, wait_for_query

pytestmark = pytest.mark.browser

# The first day a partial date ('2015', '2015-11', '2015-11-01') covers: the page lists notices by it.
ISSUED_START = (
    "CAST(CASE length(issued) WHEN 4 THEN issued || '-01-01' WHEN 7 THEN issued || '-01' ELSE issued END AS DATE)"
)


@pytest.fixture
def warm(page, server):
    """Open the root first: a fresh server's very first deep link runs the page file on its own until
    dashboard.py has called st.navigation once (Streamlit's legacy pages/ mode; see issue 5)."""
    open_page(page, server + "/")
    return server


def test_udmeldinger_opens_with_key_message_and_timeline(page, warm, sql):
    open_page(page, warm + "/centrale-udmeldinger")
    assert_no_exception(page)
    assert page.locator("h1").first.inner_text() == "Centrale udmeldinger"
    n_open = sql("SELECT count(*) AS n FROM {central_notices} WHERE is_open = 1").n[0]
    assert page.get_by_text(f"{n_open} {'åben' if n_open == 1 else 'åbne'}", exact=True).first.is_visible()
    assert page.get_by_text("dec. 2025", exact=True).first.is_visible()
    assert page.locator(".js-plotly-plot").count() >= 1
    assert selected(page, "status") == "Alle udmeldinger"
    screenshot(page, "udmeldinger")


def test_udmeldinger_source_links_open_the_real_pages(page, warm, sql):
    """Every row's 'Kilde' cell is a link, reached with the keyboard as a user without a mouse would: Enter on
    it opens the public page in a new tab."""
    # the sources are on the internet, which the test machine has not: answer every https page locally
    page.context.route(
        "https://**/*", lambda route: route.fulfill(status=200, content_type="text/html", body="<title>Kilde</title>")
    )
    open_page(page, warm + "/centrale-udmeldinger")
    want = sql(f"SELECT source_url FROM {{central_notices}} ORDER BY {ISSUED_START}, notice_id").source_url.tolist()
    assert all(u.startswith("https://") for u in want)
    table = page.get_by_test_id("stTable").filter(has_text="Midtjyllands svar")
    links = table.get_by_role("link")
    links.first.wait_for()  # drawn once the table's script has loaded
    assert links.count() == len(want)
    for i, source in enumerate(want):
        link = links.nth(i)
        assert link.get_attribute("href") == source, f"row {i}"
        link.focus()
        with page.expect_popup() as popup:
            page.keyboard.press("Enter")
        assert popup.value.url.rstrip("/") == source.rstrip("/"), f"row {i} opens {source}"
        popup.value.close()


@pytest.mark.parametrize("width", [1440, 1920])
def test_udmeldinger_tables_show_every_text_whole(page, warm, width):
    """The outcomes and the region's answers run to six or more lines: no cell is cut and no column hidden
    beyond the page's width (the grid before cut them at its fixed row height and hid five columns)."""
    page.set_viewport_size({"width": width, "height": 900})
    open_page(page, warm + "/centrale-udmeldinger")
    assert cut_table_text(page) == []
    assert page.get_by_test_id("stTable").count() == 2  # the open notices, and every notice
    whole = page.get_by_test_id("stTable").filter(has_text="Midtjyllands svar")
    assert "ingen ny sikret afdeling i Vestdanmark" in whole.inner_text()  # the end of CU-2019-1's outcome


def test_udmeldinger_deep_link_and_filter_change_update_the_url(page, warm, sql):
    open_page(page, url(warm, "/centrale-udmeldinger", status="Kun åbne"))
    assert_no_exception(page)
    assert selected(page, "status") == "Kun åbne"
    assert query_values(page.url, "status") == ["Kun åbne"]
    screenshot(page, "udmeldinger-aabne")

    choose(page, "status", "Kun afsluttede")
    wait_for_query(page, "status", ["Kun afsluttede"])
    assert_no_exception(page)
    assert query_values(page.url, "status") == ["Kun afsluttede"]
    # the link reopens the same view
    open_page(page, page.url)
    assert selected(page, "status") == "Kun afsluttede"
