"""Siden sidste møde in a real browser (deep link with the meeting in the URL) and browser print of
every page: no sidebar on paper and every chart within the page width."""

import pytest
from helpers import assert_no_exception, open_page, screenshot
from widgets import selected, url

pytestmark = pytest.mark.browser
PAGES = ["/", "/udgifter", "/kapacitet", "/centrale-udmeldinger", "/handlingsplan", "/siden-sidste-moede", "/om-data"]


def test_deep_link_opens_the_meeting(page, server):
    open_page(page, server + "/")
    open_page(page, url(server, "/siden-sidste-moede", siden="6. okt. 2026 (KKR)"))
    assert_no_exception(page)
    assert selected(page, "siden") == "6. okt. 2026 (KKR)"
    assert page.get_by_role("button", name="Hent mødepakke (PDF)").count() == 1
    screenshot(page, "siden-sidste-moede")


@pytest.mark.parametrize("path", PAGES)
def test_print_has_no_sidebar_and_charts_fit(page, server, path, tmp_path):
    open_page(page, server + path)
    page.emulate_media(media="print")
    width = page.evaluate("() => document.documentElement.clientWidth")
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.count() == 0 or not sidebar.first.is_visible()
    widths = page.evaluate(
        "() => [...document.querySelectorAll('.js-plotly-plot')].map(e => {"
        " const r = e.getBoundingClientRect(); return r.right; })"
    )
    assert all(w <= width + 1 for w in widths), (widths, width)
    page.emulate_media(media="screen")
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF"
