"""Browser-test helpers: wait for a finished run, check for exceptions, save screenshots."""

from __future__ import annotations

from pathlib import Path

SHOTS = Path(__file__).resolve().parent.parent / "screenshots"


_DONE = """() => { const a = document.querySelector('[data-testid="stApp"]');
    return a && a.dataset.testConnectionState === 'CONNECTED' && a.dataset.testScriptState === 'notRunning'
        && document.querySelector('[data-testid="stMain"] [data-testid="stElementContainer"]') !== null
        && document.querySelector('[data-testid="stSkeleton"]') === null; }"""
_DRAWN = """() => document.querySelectorAll('[data-testid="stMain"] [data-testid="stElementContainer"]').length"""


def wait_ready(page, timeout: float = 45_000) -> None:
    """Wait until the app has connected, a run has drawn the page and finished, and nothing more arrives.

    "Not running" alone is not enough (CI counted 5, then 7, of Overblik's 9 metrics on a busy machine):
    - it is also the state before the first run has begun, so the page must hold elements;
    - an element whose kind the browser has not met yet is drawn as a placeholder (stSkeleton) until its
      script has loaded, which can take a second after the run has finished, so no placeholder may be left;
    - and the count of elements must be the same before and after a short pause in which no run started."""
    for _ in range(20):
        page.wait_for_function(_DONE, timeout=timeout)
        before = page.evaluate(_DRAWN)
        page.wait_for_timeout(300)
        page.wait_for_function(_DONE, timeout=timeout)
        if page.evaluate(_DRAWN) == before:
            return
    raise AssertionError("the page kept drawing new elements: no settled run after 20 rounds")


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


# Every grid (st.dataframe, drawn on a canvas by glide-data-grid) as the reader sees it: the headers and rows of its
# accessible table (it holds only the columns drawn, those in view: a column behind the sideways scroll is missing),
# its column count, each column's width (the grid's own `columns`, read from React's props: the canvas has no DOM
# per column), the width of each header's and cell's text in the grid's fonts, its content's width against its
# visible box, and its right edge against the main area's.
GRIDS = """() => {
  const ctx = document.createElement('canvas').getContext('2d');
  const main = document.querySelector('[data-testid="stMain"]').getBoundingClientRect();
  const widths = (d) => {
    const canvas = d.querySelector('canvas');
    const key = canvas && Object.keys(canvas).find(k => k.startsWith('__reactFiber$'));
    for (let f = key ? canvas[key] : null; f; f = f.return) {
      const cols = f.memoizedProps && f.memoizedProps.columns;
      if (Array.isArray(cols) && cols.length && cols.every(c => typeof c.width === 'number')) return cols.map(c => c.width);
    }
    return null;
  };
  return [...document.querySelectorAll('[data-testid="stDataFrame"]')].map(d => {
    const s = d.querySelector('.dvn-scroller');
    const grid = d.querySelector('[role="grid"]');
    const theme = getComputedStyle(d.querySelector('.stDataFrameGlideDataEditor') || d);
    const font = (v) => `${theme.getPropertyValue(v).trim()} ${theme.getPropertyValue('--gdg-font-family').trim()}`;
    const measure = (f) => (t) => { ctx.font = f; return ctx.measureText(t).width; };
    const head = measure(font('--gdg-header-font-style')), cell = measure(font('--gdg-base-font-style'));
    const heads = [...d.querySelectorAll('th')].map(t => t.textContent);
    const rows = [...d.querySelectorAll('tr')].map(r => [...r.querySelectorAll('td')].map(t => t.textContent)).filter(r => r.length);
    return {heads, rows, cols: grid ? +grid.getAttribute('aria-colcount') : -1, widths: widths(d),
            padding: parseFloat(theme.getPropertyValue('--gdg-cell-horizontal-padding')) || 8,
            head_text: heads.map(head), cell_text: rows.map(r => r.map(cell)),
            scroll: s ? s.scrollWidth : -1, box: s ? s.clientWidth : 0,
            right: d.getBoundingClientRect().right, main: main.right};
  });
}"""


def grids(page, first: str | None = None) -> list[dict]:
    """The page's grids as GRIDS measures them (those with a header); with `first`, after waiting until a grid whose
    first header is `first` has drawn its rows. Streamlit draws a grid only near the view: stretch the viewport to
    the whole page first."""
    if first is not None:
        page.wait_for_function(
            """(first) => [...document.querySelectorAll('[data-testid="stDataFrame"]')].some(d =>
                 d.querySelector('th')?.textContent === first && d.querySelector('.dvn-scroller') && d.querySelector('td'))""",
            arg=first,
        )
        page.wait_for_timeout(300)
    return [g for g in page.evaluate(GRIDS) if g["heads"]]


def grid_problems(g: dict) -> list[str]:
    """What the reader of the grid `g` (grids) cannot see without scrolling sideways or guessing: content wider
    than its visible box, a column not drawn, a column whose right edge is beyond the box, a header or cell whose
    text is wider than its column (glide cuts it: '3.9' for 3.951). [] when every column is whole in view."""
    out = []
    if g["scroll"] > g["box"] + 1:
        out.append(f"content {g['scroll']} px wide in a box of {g['box']} px")
    if len(g["heads"]) != g["cols"] or any(len(r) != g["cols"] for r in g["rows"]):
        out.append(f"{len(g['heads'])} of {g['cols']} columns drawn: {g['heads']}")
    if g["widths"] is None:
        return [*out, "the grid's column widths were not found"]
    edge = 0.0
    for i, (name, width) in enumerate(zip(g["heads"], g["widths"], strict=False)):
        edge += width
        if edge > g["box"] + 1:
            out.append(f"column {name!r} ends at {edge:.0f} px, beyond the box of {g['box']} px")
        room = width - 2 * g["padding"]
        if g["head_text"][i] > room + 0.5:
            out.append(f"header {name!r} ({g['head_text'][i]:.0f} px) cut in its column ({room:.0f} px of text)")
        for row, texts in zip(g["rows"], g["cell_text"], strict=True):
            if i < len(texts) and texts[i] > room + 0.5:
                out.append(f"cell {row[i]!r} in {name!r} ({texts[i]:.0f} px) cut in its column ({room:.0f} px of text)")
    return out


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
