"""Shared fixtures: a private copy of the shipped data, AppTest runs, a live server and a real browser.

Tests never touch the repository's data/: the session works on a copy named by OVERBLIK_DATA_DIR.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest
from helpers import snapshot_tables

from bench import servers

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
TODAY = "2026-11-29"  # one fixed "today" for the whole suite (overblik.clock), servers included

os.environ.setdefault("OVERBLIK_TODAY", TODAY)
# Production hides error details (.streamlit/config.toml) and dashboard.py then shows a Danish message
# instead of the error; tests want every page error to surface (AppTest: at.exception; servers: the page).
os.environ.setdefault("STREAMLIT_CLIENT_SHOW_ERROR_DETAILS", "full")  # `streamlit run` reads it


@pytest.fixture(autouse=True)
def _show_errors():
    """AppTest runs in this process and reads the option from the config, not the environment."""
    from streamlit import config

    config.set_option("client.showErrorDetails", os.environ["STREAMLIT_CLIENT_SHOW_ERROR_DETAILS"])
    yield


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    """A copy of the shipped data folder, used by every test in the session."""
    target = tmp_path_factory.mktemp("data")
    shutil.copytree(ROOT / "data", target, dirs_exist_ok=True)
    os.environ["OVERBLIK_DATA_DIR"] = str(target)
    return target


@pytest.fixture
def own_data(tmp_path, monkeypatch) -> Path:
    """A private copy of the shipped data folder, for a test that publishes."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    monkeypatch.setenv("OVERBLIK_DATA_DIR", str(target))
    return target


@pytest.fixture(scope="session")
def sql(data_dir):
    """Independent SQL over the snapshot's Parquet files (not the app's query layer):
    sql("SELECT ... FROM {offers} ...") with {table} replaced by read_parquet('<path>').

    {municipalities}, {spending} and {population} hold Region Midtjylland's municipalities only (region_code
    1082, or none given), as the dashboard serves them by default; {all_municipalities}, {all_spending} and
    {all_population} hold every municipality of the country."""
    import duckdb

    sid = (data_dir / "CURRENT").read_text().strip()
    folder = data_dir / "snapshots" / sid

    def run(text: str, params: dict | None = None):
        tables = snapshot_tables(folder)
        con = duckdb.connect(":memory:")
        try:
            return con.execute(text.format(**tables), params or {}).df()
        finally:
            con.close()

    return run


@pytest.fixture
def sql_at(data_dir):
    """Independent SQL over the snapshot a meeting saw: sql_at(day)("SELECT ...") runs on the snapshot
    published last on or before `day` (Danish time), read from the manifests here, not by the app (the
    current one when none was)."""
    import datetime as dt
    import json
    from zoneinfo import ZoneInfo

    import duckdb

    def at(day):
        day = dt.date.fromisoformat(str(day)[:10])
        docs = [json.loads(p.read_text(encoding="utf-8")) for p in (data_dir / "snapshots").glob("*/manifest.json")]
        seen = [
            d
            for d in docs
            if not d["id"].startswith("preview-")
            and dt.datetime.fromisoformat(d["created"]).astimezone(ZoneInfo("Europe/Copenhagen")).date() <= day
        ]
        sid = max(seen, key=lambda d: d["created"])["id"] if seen else (data_dir / "CURRENT").read_text().strip()

        def run(text: str, params: dict | None = None):
            con = duckdb.connect(":memory:")
            try:
                return con.execute(text.format(**snapshot_tables(data_dir / "snapshots" / sid)), params or {}).df()
            finally:
                con.close()

        return run

    return at


@pytest.fixture
def app_test(data_dir):
    """Factory: an AppTest of the whole app, started from dashboard.py, optionally on another page.

    app_test(page="pages/udgifter.py", query={"kommune": ["751"]})
    """
    from streamlit.testing.v1 import AppTest

    def make(page: str | None = None, query: dict | None = None, timeout: float = 60):
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=timeout)
        for k, v in (query or {}).items():
            at.query_params[k] = v
        at.run()
        if page:
            at.switch_page(page).run()
        return at

    return make


@pytest.fixture(scope="session")
def server(data_dir):
    """The dashboard served by a real `streamlit run` on a free loopback port."""
    with serve(data_dir) as url:
        yield url


@contextlib.contextmanager
def serve(data_dir: Path, secrets: Path | None = None, today: str | None = None):
    """A real `streamlit run` of the dashboard over `data_dir` on a free port; yields its URL.
    For tests that need a server over their own data (the session's `server` uses it too).
    `secrets`: a secrets.toml for this server only (login tests); the repository's .streamlit is never
    written (STREAMLIT_SECRETS_FILES names the one file the server reads). `today`: the server's
    OVERBLIK_TODAY (default: the suite's)."""
    env = {"OVERBLIK_DATA_DIR": str(data_dir)}
    if today is not None:
        env["OVERBLIK_TODAY"] = today
    if secrets is not None:
        env["STREAMLIT_SECRETS_FILES"] = str(secrets)
    with servers.serve(servers.DASHBOARD, env, Path(data_dir).parent) as url:
        yield url


@pytest.fixture(scope="module")
def fresh_server(data_dir):
    """A server nobody has opened yet: the first request is the deep link."""
    with serve(data_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Browser tests need Debian's chromium at {CHROMIUM} (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, locale="da-DK")
    p = ctx.new_page()
    yield p
    ctx.close()
