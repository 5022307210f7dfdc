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
    """No exception, no error box, and no "Page not found" dialog (a deep link must open its page)."""
    assert page.get_by_text("Page not found").count() == 0, "Streamlit showed 'Page not found'"
    exc = page.locator('[data-testid="stException"]')
    assert exc.count() == 0, exc.first.inner_text()
    errors = page.locator('[data-testid="stAlertContentError"]')
    assert errors.count() == 0, errors.first.inner_text()


def screenshot(page, name: str, full_page: bool = True) -> Path:
    """Save a PNG in screenshots/. Streamlit scrolls an inner container, so for a full page the
    viewport is stretched to the content's height while the picture is taken."""
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}.png"
    size = page.viewport_size
    if full_page and size:
        height = page.evaluate(
            "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
            " return m ? m.scrollHeight : document.body.scrollHeight; }"
        )
        page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(int(height), 8000))})
        page.wait_for_timeout(400)
    page.screenshot(path=str(path), full_page=full_page)
    if full_page and size:
        page.set_viewport_size(size)
    return path


CUT_CELLS = """() => [...document.querySelectorAll('[data-testid=stTable]')].flatMap(t => {
  const box = t.closest('[data-testid=stElementContainer]') || t;
  const wide = t.querySelector('table').scrollWidth > box.clientWidth + 1 ? [`table wider than the page: ${t.innerText.slice(0, 40)}`] : [];
  return wide.concat([...t.querySelectorAll('td, th')].filter(c => c.scrollHeight > c.clientHeight + 1 || c.scrollWidth > c.clientWidth + 1)
    .map(c => `cut: ${c.innerText.slice(0, 60)}`));
})"""


def cut_table_text(page) -> list[str]:
    """The text tables (ui.text_table) whose cells are cut or that are wider than the page, as the reader would
    have to scroll to read them: [] when every cell is shown whole. The viewport is stretched to the whole page
    meanwhile: Streamlit draws an element below the fold only when it comes near the view."""
    size = page.viewport_size
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": min(int(height) + 200, 12000)})
    try:
        page.locator('[data-testid="stTable"]:visible').first.wait_for()  # those of other tabs are hidden
        page.wait_for_timeout(500)
        return page.evaluate(CUT_CELLS)
    finally:
        page.set_viewport_size(size)


def query_values(url: str, key: str) -> list[str]:
    from urllib.parse import parse_qs, urlparse

    return parse_qs(urlparse(url).query).get(key, [])


def snapshot_tables(folder) -> dict[str, str]:
    """{table: SQL} for independent SQL over a snapshot folder's Parquet files: read_parquet('<path>'), except
    that municipalities, spending and population hold Region Midtjylland's municipalities only (region_code
    1082, or none given: the default served region), and all_municipalities, all_spending and all_population
    every municipality of the country."""
    import duckdb

    tables = {p.stem: f"read_parquet('{p.as_posix()}')" for p in folder.glob("*.parquet")}
    for name in ("municipalities", "spending", "population"):
        if name in tables:
            tables[f"all_{name}"] = tables[name]
    if "municipalities" in tables:
        mun = tables["municipalities"]
        columns = duckdb.sql(f"DESCRIBE SELECT * FROM {mun}").df()["column_name"].tolist()
        own = "coalesce(region_code, 1082) = 1082" if "region_code" in columns else "true"
        codes = f"(SELECT municipality_code FROM {mun} WHERE {own})"
        tables["municipalities"] = f"(SELECT * FROM {mun} WHERE {own})"
        for name in ("spending", "population"):
            if name in tables:
                tables[name] = f"(SELECT * FROM {tables[name]} WHERE municipality_code IN {codes})"
    return tables
