"""Hostile text in a real browser: on every page, over a snapshot with hostile names, notes and sources
and opened by a crafted link, the DOM holds no image, link or element that data or the URL put there."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from conftest import serve
from helpers import assert_no_exception, open_page, screenshot, wait_ready
from hostile import QUERY, make

pytestmark = pytest.mark.browser

PAGES = ["", "udgifter", "kapacitet", "centrale-udmeldinger", "handlingsplan", "om-data"]

# Elements whose link or source points to the hostile host, images with the hostile src="x", and
# SVG links (Plotly renders <a href> in chart texts as <a xlink:href>).
FIND = """() => Array.from(document.querySelectorAll('*')).filter(e =>
    ['href', 'src', 'xlink:href'].some(a => (e.getAttribute(a) || '').includes('evil'))
    || (e.tagName === 'IMG' && e.getAttribute('src') === 'x')
    || (e.getAttributeNS('http://www.w3.org/1999/xlink', 'href') || '').includes('evil')
).map(e => e.outerHTML.slice(0, 200))"""


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    base = make(tmp_path_factory.mktemp("hostile-browser") / "data")
    with serve(base) as url:
        yield url


@pytest.mark.parametrize("path", PAGES)
def test_no_markup_from_data_or_url(page, hostile_server, path):
    alerts = []
    page.on("dialog", lambda d: (alerts.append(d.message), d.dismiss()))
    open_page(page, f"{hostile_server}/{path}?{urlencode(QUERY, doseq=True)}")
    assert_no_exception(page)
    # expanders hold tables and charts too: open them all ("Vis tal" draws its table once opened, after
    # the rerun the opening starts: wait for each one's contents)
    # one at a time: a click that lands while the previous opening's rerun is running can be lost, so
    # wait for each run to finish and click again if the expander came back closed
    for expander in page.get_by_test_id("stExpander").all():
        for _ in range(3):
            expander.locator("summary").click()
            wait_ready(page)
            if expander.get_by_test_id("stElementContainer").count():
                break
        expander.get_by_test_id("stElementContainer").first.wait_for()
    wait_ready(page)
    assert page.evaluate(FIND) == []
    assert alerts == []
    body = page.locator("body").inner_text()
    assert "evil" in body or path == "om-data", "the hostile text is shown, as text"
    screenshot(page, f"hostile-{path or 'overblik'}")
