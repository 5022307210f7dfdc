"""The accessibility statement in a real browser: reached from the footer link, at /tilgaengelighed."""

import pytest
from helpers import assert_no_exception, open_page, screenshot, wait_ready

pytestmark = pytest.mark.browser


def test_footer_link_opens_the_statement(page, server):
    open_page(page, f"{server}/udgifter")
    page.get_by_role("link", name="Tilgængelighedserklæring").click()
    wait_ready(page)
    assert page.url.split("?")[0].endswith("/tilgaengelighed")
    assert_no_exception(page)
    assert page.locator("h1").inner_text() == "Tilgængelighedserklæring"
    assert page.get_by_role("heading", name="Håndhævelsesprocedure").is_visible()
    assert page.title() == "Tilgængelighed · Rammeaftale-overblik"
    screenshot(page, "tilgaengelighed")
