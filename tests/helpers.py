"""Browser-test helpers: wait for a finished run, check for exceptions, save screenshots."""

from __future__ import annotations

from pathlib import Path

SHOTS = Path(__file__).resolve().parent.parent / "screenshots"


def wait_ready(page, timeout: float = 45_000) -> None:
    """Wait until the app has connected and the script run has finished."""
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]', timeout=timeout)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)
    page.wait_for_timeout(300)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)


def open_page(page, url: str) -> None:
    page.goto(url)
    wait_ready(page)


def assert_no_exception(page) -> None:
    exc = page.locator('[data-testid="stException"]')
    assert exc.count() == 0, exc.first.inner_text()
    errors = page.locator('[data-testid="stAlertContentError"]')
    assert errors.count() == 0, errors.first.inner_text()


def screenshot(page, name: str, full_page: bool = True) -> Path:
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def query_values(url: str, key: str) -> list[str]:
    from urllib.parse import parse_qs, urlparse

    return parse_qs(urlparse(url).query).get(key, [])
