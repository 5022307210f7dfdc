"""The floor of a page under load: the same mix of messages per run, drawn by a Streamlit app that does
nothing else (bench/floor_app.py). The dashboard page's p95 against the trivial app's cannot be better
than the floor app's against the trivial app's, whatever the page's own code does; only fewer or
cheaper elements move the floor.

    python -m bench --parts load        # the load table gets a floor column per page
"""

from __future__ import annotations

import asyncio
import collections
from pathlib import Path

from bench.load import Session, _connect, _run, _ws_url

FLOOR = Path(__file__).resolve().parent / "floor_app.py"
# Messages every run of any app sends (the floor app sends its own), and the navigation it cannot draw.
OWN = {"new_session", "script_finished", "session_status_changed", "navigation", "page_not_found", "?"}


async def _kinds(url: str, page: str, query: str) -> collections.Counter:
    ws_url, origin = _ws_url(url)
    async with _connect(ws_url, origin, 60) as ws:
        s = Session(ws, page)
        for _ in range(3):  # first load, then warm reruns; the last one is counted
            if err := await asyncio.wait_for(s.run(query), 60):
                raise RuntimeError(f"/{page}: {err}")
        return collections.Counter(s.kinds)


def kinds(url: str, page: str, query: str = "") -> collections.Counter:
    """The kinds of message a warm run of the page sends, counted (bench/load.kind names them)."""
    return _run(_kinds(url, page, query))


def messages(counts: collections.Counter) -> int:
    """How many messages of the mix the floor app draws (all but what every run sends anyway)."""
    return sum(n for k, n in counts.items() if k not in OWN)


def mix(counts: collections.Counter) -> str:
    """The floor app's query string for that mix: 'm=markdown:44,heading:20,...'."""
    parts = [f"{k.removeprefix('new_element:')}:{n}" for k, n in sorted(counts.items()) if k not in OWN and n > 0]
    return "m=" + ",".join(parts)
