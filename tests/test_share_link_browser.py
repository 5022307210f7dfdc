""" "Del link" in a real browser: after the reader changes filters, the link shown (and copied by the code box's
button) is the address bar's URL, and opening it in a new browser selects the same filters. Screenshots at
1440x900, 1920x1080 and 720 wide, closed and open."""

import pytest
from helpers import assert_no_exception, open_page, query_values, screenshot, wait_ready

pytestmark = pytest.mark.browser

DEEP = "/udgifter?aar=2019&aar=2025&kommune=Aarhus&priser=Faste"


def _selected(page) -> dict:
    """The filters the page shows as chosen: the period's two ends, the municipalities, the area, and
    Udgifter's three choices."""
    side = page.locator('[data-testid="stSidebar"]')
    main = page.locator('[data-testid="stMain"]')
    return {
        "periode": side.locator('[data-testid="stSliderThumbValue"]').all_inner_texts(),
        "kommuner": [
            t.get_attribute("aria-label") for t in side.locator('[data-testid="stMultiSelect"] [data-tag]').all()
        ],
        "omraade": side.locator("label:has(input[type=radio]:checked)").inner_text().strip(),
        "valg": [t.strip() for t in main.locator("label:has(input[type=radio]:checked)").all_inner_texts()],
    }


def _open_control(page):
    page.get_by_role("button", name="Del link").click()
    wait_ready(page)
    body = page.locator('[data-testid="stPopoverBody"]')
    body.locator('[data-testid="stCode"]').wait_for()
    return body


def test_the_link_shown_is_the_address_bar_and_reopens_the_view(browser, server):
    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, locale="da-DK")
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page = ctx.new_page()
    open_page(page, server + DEEP)
    screenshot(page, "del-link-1440-closed", full_page=False)
    # the reader changes a choice of the page and a shared filter
    page.locator('[data-testid="stMain"]').get_by_text("Funktion", exact=True).click()
    wait_ready(page)
    page.locator('[data-testid="stSidebar"]').get_by_text("Voksne", exact=True).click()
    wait_ready(page)
    assert query_values(page.url, "opdeling") == ["Funktion"] and query_values(page.url, "omraade") == ["Voksne"]
    before = _selected(page)
    assert before == {
        "periode": ["2019", "2025"],
        "kommuner": ["Aarhus"],
        "omraade": "Voksne",
        "valg": ["Faste", "I alt", "Funktion"],
    }

    body = _open_control(page)
    assert_no_exception(page)
    link = body.locator('[data-testid="stCode"] code').inner_text().strip()
    assert link == page.url
    sentence = body.locator('[data-testid="stCaptionContainer"]').inner_text()
    want = "Linket åbner Udgifter med perioden 2019-2025, Aarhus Kommune, området Voksne, opdelt på funktion, faste priser."
    assert sentence.startswith(want), sentence
    screenshot(page, "del-link-1440-open", full_page=False)
    # the code box's own button copies exactly the link
    body.locator('[data-testid="stCode"]').hover()
    body.get_by_role("button", name="Kopiér").click()
    assert page.evaluate("() => navigator.clipboard.readText()") == link

    # the link opened by someone else (a new browser session) shows the same view
    other = browser.new_context(viewport={"width": 1440, "height": 900}, locale="da-DK").new_page()
    try:
        open_page(other, link)
        assert_no_exception(other)
        assert other.url == link
        assert _selected(other) == before
    finally:
        other.context.close()
    ctx.close()


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (720, 900)])
def test_del_link_at_the_title_on_wide_and_narrow_screens(browser, server, width, height):
    """At the right end of the title's row, not over the title, and its box inside the window."""
    ctx = browser.new_context(viewport={"width": width, "height": height}, locale="da-DK")
    page = ctx.new_page()
    try:
        open_page(page, server + "/centrale-udmeldinger?status=Kun+%C3%A5bne")
        button = page.get_by_role("button", name="Del link").bounding_box()
        title = page.locator("h1").first.bounding_box()
        text = page.locator("h1").first.evaluate(
            "h => { const r = document.createRange(); r.selectNodeContents(h); const b = r.getBoundingClientRect();"
            " return {x: b.x, right: b.right, y: b.y, bottom: b.bottom}; }"
        )
        assert button and title
        assert button["y"] < title["y"] + title["height"] and button["y"] + button["height"] > title["y"], "in its row"
        assert button["x"] > text["right"], "right of the title's text"
        assert button["x"] + button["width"] <= width
        screenshot(page, f"del-link-{width}-closed", full_page=False)
        body = _open_control(page)
        box = body.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width
        assert body.locator('[data-testid="stCode"] code').inner_text().strip() == page.url
        screenshot(page, f"del-link-{width}-open", full_page=False)
    finally:
        ctx.close()
