"""Browser-test helpers for a page's own choices: find a selectbox or multiselect by its key, pick an
option by its label, read what it shows, and wait until the URL holds the expected values."""

from __future__ import annotations

from urllib.parse import quote

from helpers import wait_ready
from playwright.sync_api import TimeoutError as PlaywrightTimeout


def url(base: str, path: str, **params) -> str:
    """'http://.../handlingsplan?siden=6.%20okt.%202026%20(KKR)' (a list value repeats its key)."""
    q = "&".join(f"{k}={quote(v)}" for k, vs in params.items() for v in ([vs] if isinstance(vs, str) else vs))
    return f"{base}{path}" + (f"?{q}" if q else "")


def widget(page, key: str):
    """The widget with this key, scrolled into view (widgets far down the page are drawn lazily)."""
    box = page.locator(f".st-key-{key}")
    box.scroll_into_view_if_needed()
    box.locator("[data-testid='stSelectbox'], [data-testid='stMultiSelect']").wait_for()
    return box


def choose(page, key: str, option: str) -> None:
    """Pick `option` in the selectbox or multiselect with this key and wait for the rerun."""
    widget(page, key).get_by_role("combobox").click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")
    wait_ready(page)


def type_and_choose(page, key: str, option: str, attempts: int = 3) -> None:
    """Type `option` into the searchable selectbox with this key and pick it. A rerun that lands while the list is
    open re-draws it (the option is detached under our click), so open and type again; then wait for the rerun."""
    for attempt in range(attempts):
        wait_ready(page)
        widget(page, key).locator("input").click()
        page.keyboard.type(option)  # narrows the list to this option
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=10_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            if attempt == attempts - 1:
                raise
    wait_ready(page)


def selected(page, key: str) -> str:
    """What a selectbox shows, or the chosen chips of a multiselect."""
    box = widget(page, key)
    if box.get_by_test_id("stSelectbox").count():
        return box.get_by_role("combobox").input_value()
    return box.get_by_test_id("stMultiSelect").inner_text()


def wait_for_query(page, key: str, values: list[str], timeout: float = 15_000) -> None:
    """Wait until the address bar holds exactly `values` for `key` (in any order)."""
    page.wait_for_function(
        """([key, want]) => {
            const got = new URLSearchParams(location.search).getAll(key).sort();
            return JSON.stringify(got) === JSON.stringify([...want].sort());
        }""",
        arg=[key, values],
        timeout=timeout,
    )
