"""In production a failing page shows a Danish message, no traceback and no server path, and the details
go to the server log; `make run` listens on this machine only unless told otherwise."""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_page_failure_shows_danish_message_and_logs(data_dir, monkeypatch, caplog):
    from streamlit import config
    from streamlit.testing.v1 import AppTest

    from overblik import om_data

    assert 'showErrorDetails = "none"' in (ROOT / ".streamlit" / "config.toml").read_text()
    config.set_option("client.showErrorDetails", "none")  # production (the tests' default is "full")

    def broken(*a, **k):
        raise RuntimeError(f"hemmelig sti {data_dir}")

    monkeypatch.setattr(om_data, "tables_overview", broken)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    with caplog.at_level(logging.ERROR, logger="overblik"):
        at.switch_page("pages/om-data.py").run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Siden kunne ikke vises på grund af en fejl. Fejlen er registreret på serveren. "
        "Prøv igen om lidt, eller vælg en anden side."
    ]
    shown = " ".join(str(getattr(e, "value", "")) for e in at.main)
    assert str(data_dir) not in shown and "Traceback" not in shown
    assert any("hemmelig sti" in (r.exc_text or "") or r.exc_info for r in caplog.records)


def test_make_run_listens_on_localhost():
    out = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True).stdout
    assert "--server.address localhost" in out
    out = subprocess.run(["make", "-n", "run", "ADDRESS=0.0.0.0"], cwd=ROOT, capture_output=True, text=True).stdout
    assert "--server.address 0.0.0.0" in out
