"""Messages per page run and the server's CPU time per warm run, counted on the raw websocket.

    python -m bench elements [page ...] [--runs 20]   # page: url_path ("/" or "" = Overblik); default: all

For each page, one session opens it (first load) and reruns it 3 times; the last run's messages are
counted by kind (elements, of which ref_hash references to elements the client already has; layout
blocks; the rest: new session, page info, script finished, ...). Then the same session reruns the page
`runs` times and the dashboard server's CPU time (user + system, /proc/<pid>/stat) over those runs is
divided by `runs`: what one warm run costs the server, whatever else runs on the machine (CPU time grows
a little when the cores are contended). The trivial app (bench/trivial_app.py) is measured the same way.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import sys
import time

from bench import servers
from bench.load import Session, _connect, _run, _ws_url
from bench.ratios import PAGES, name

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime (fields 14 and 15 of stat)


async def _measure(url: str, page: str, runs: int) -> dict:
    ws_url, origin = _ws_url(url)
    async with _connect(ws_url, origin, 60) as ws:
        s = Session(ws, page)
        for _ in range(4):  # first load, then warm reruns; the last one is counted
            if err := await asyncio.wait_for(s.run(""), 60):
                raise RuntimeError(f"{name(page)}: {err}")
        kinds = collections.Counter(s.kinds)
        pid = servers.PIDS[url]
        c0, t0 = cpu_seconds(pid), time.perf_counter()
        for _ in range(runs):
            await asyncio.wait_for(s.run(""), 60)
        cpu, wall = cpu_seconds(pid) - c0, time.perf_counter() - t0
    elements = sum(n for k, n in kinds.items() if k.startswith("new_element") or k == "ref_hash")
    return {
        "page": name(page),
        "messages": sum(kinds.values()),
        "elements": elements,
        "ref_hash": kinds["ref_hash"],
        "blocks": kinds["add_block"],
        "other": sum(kinds.values()) - elements - kinds["add_block"],
        "cpu_ms": round(1000 * cpu / runs, 1),
        "wall_ms": round(1000 * wall / runs, 1),
        "kinds": dict(kinds.most_common()),
    }


def run(pages: list[str], runs: int = 20) -> list[dict]:
    out = []
    with servers.dashboard_and_trivial() as (dash, trivial, _tmp):
        out.append({**_run(_measure(trivial, "", runs)), "page": "trivial app"})
        for page in pages:  # every page once first: the server's warming and first builds are not counted
            _run(_measure(dash, page, 1))
        for page in pages:
            out.append(_run(_measure(dash, page, runs)))
    return out


def report(rows: list[dict]) -> str:
    lines = [
        "| page | messages | elements (of which ref_hash) | blocks | other | server CPU ms/run | wall ms/run |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['page']} | {r['messages']} | {r['elements']} ({r['ref_hash']}) | {r['blocks']} | {r['other']} "
            f"| {r['cpu_ms']} | {r['wall_ms']} |"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench elements", description=__doc__.split("\n")[0])
    ap.add_argument("pages", nargs="*", help='url_paths ("/" = Overblik); default: every page of the bench')
    ap.add_argument("--runs", type=int, default=20, help="warm runs for the CPU time")
    ap.add_argument("--kinds", action="store_true", help="also print each page's messages by kind")
    args = ap.parse_args(argv)
    pages = [p.strip("/") for p in args.pages] or PAGES
    rows = run(pages, max(1, min(args.runs, 200)))
    print(report(rows))
    if args.kinds:
        for r in rows:
            print(f"\n{r['page']}: {r['kinds']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
