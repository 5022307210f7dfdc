"""Query benchmarks (server side, in process): page render, queries at scale, concurrent queries.
Run: python -m bench --parts queries  (part of make bench)

1. Page render: each page rendered by AppTest on the demo snapshot; the first (cold-cache) and the
   median of warm renders. Every db.run call the pages make is recorded.
2. Queries at scale: the recorded calls replayed without the result cache on the demo at scale 1 and
   at --scale N (default 10: 10x municipalities, offers and years), with the shared filters widened to
   the whole snapshot (all municipalities, all years), so the scaled data is queried at its full size.
3. Concurrent sessions: T threads replaying the recorded calls uncached against the scaled snapshot,
   as concurrent users on a cold cache would; wall time and p50/p95 per call.

Returns the figures as a dict and prints them as Markdown. Figures are quoted in docs/performance.md.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "pages/overblik.py",
    "pages/udgifter.py",
    "pages/kapacitet.py",
    "pages/centrale-udmeldinger.py",
    "pages/handlingsplan.py",
    "pages/om-data.py",
]


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def render_pages(repeats: int) -> tuple[list[dict], list[tuple[str, dict]]]:
    from streamlit.testing.v1 import AppTest

    from overblik import db

    calls: list[tuple[str, dict]] = []
    real_run = db.run

    def recording(name, **params):
        calls.append((name, params))
        return real_run(name, **params)

    db.run = recording
    rows = []
    try:
        for page in PAGES:
            db.clear()
            times = []
            for _i in range(repeats + 1):
                at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
                at.run()
                t0 = time.perf_counter()
                at.switch_page(page).run()
                times.append(time.perf_counter() - t0)
                if at.exception:
                    raise RuntimeError(f"{page}: {at.exception}")
            rows.append({"page": page, "cold_ms": _ms(times[0]), "warm_median_ms": _ms(statistics.median(times[1:]))})
    finally:
        db.run = real_run
    unique = {(n, json.dumps(p, sort_keys=True, default=str)): (n, p) for n, p in calls}
    return rows, list(unique.values())


def widened(calls) -> list[tuple[str, dict]]:
    """The recorded calls with the shared filters widened to everything in the current snapshot (all
    municipalities, all years), so that a scaled snapshot is queried at its full size. A call made
    against an older snapshot (Overblik's "Siden mødet" compares with the one valid at the meeting)
    is asked of the current one: the scaled data has no history."""
    from overblik import db

    codes = [int(c) for c in db.run("filter_municipalities")["municipality_code"]]
    years = db.run("filter_years")["year"]
    out = []
    for name, params in calls:
        p = dict(params)
        p.pop("snapshot", None)
        if "municipalities" in p:
            p["municipalities"] = codes
        if "year_from" in p:
            p["year_from"], p["year_to"] = int(years.min()), int(years.max())
        out.append((name, p))
    return out


def replay(calls, data_dir: Path) -> dict:
    from overblik import db

    os.environ["OVERBLIK_DATA_DIR"] = str(data_dir)
    db.clear()
    calls = widened(calls)
    per: dict[str, list[float]] = {}
    for name, params in calls:  # warm the databases (views), not the result cache
        db.run(name, **params)
    for name, params in calls:
        db._results.clear()
        t0 = time.perf_counter()
        db.run(name, **params)
        per.setdefault(name, []).append(time.perf_counter() - t0)
    return {n: _ms(max(v)) for n, v in sorted(per.items())}


def concurrent(calls, data_dir: Path, threads: int, rounds: int) -> dict:
    from overblik import db

    os.environ["OVERBLIK_DATA_DIR"] = str(data_dir)
    db.clear()
    calls = widened(calls)
    db.run(*calls[0][:1], **calls[0][1])
    lat = []

    def session(_):
        for name, params in calls:
            t0 = time.perf_counter()
            with db._lock:
                db._results.clear()
            db.run(name, **params)
            lat.append(time.perf_counter() - t0)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(threads) as ex:
        list(ex.map(session, range(threads * rounds)))
    wall = time.perf_counter() - t0
    lat.sort()
    return {
        "threads": threads,
        "sessions": threads * rounds,
        "calls": len(lat),
        "wall_s": round(wall, 2),
        "p50_ms": _ms(lat[len(lat) // 2]),
        "p95_ms": _ms(lat[int(len(lat) * 0.95)]),
    }


def run(scale: int = 10, repeats: int = 3, threads: int = 8) -> dict:
    from overblik import demo

    saved = os.environ.get("OVERBLIK_DATA_DIR")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            small, big = Path(tmp, "x1"), Path(tmp, "xN")
            demo.write(small, scale=1)
            t0 = time.perf_counter()
            demo.write(big, scale=scale)
            build_s = time.perf_counter() - t0
            os.environ["OVERBLIK_DATA_DIR"] = str(small)
            pages, calls = render_pages(repeats)
            q1 = replay(calls, small)
            qn = replay(calls, big)
            conc = concurrent(calls, big, threads, 2)
    finally:
        if saved is None:
            os.environ.pop("OVERBLIK_DATA_DIR", None)
        else:
            os.environ["OVERBLIK_DATA_DIR"] = saved
    return {
        "scale": scale,
        "demo_build_s_at_scale": round(build_s, 2),
        "pages": pages,
        "queries_scale1_ms": q1,
        f"queries_scale{scale}_ms": qn,
        "concurrent": conc,
    }


def report(result: dict) -> str:
    scale = result["scale"]
    q1, qn, conc = result["queries_scale1_ms"], result[f"queries_scale{scale}_ms"], result["concurrent"]
    lines = ["| page | first render (cold cache) ms | warm render, median ms |", "|---|---|---|"]
    lines += [f"| {r['page']} | {r['cold_ms']} | {r['warm_median_ms']} |" for r in result["pages"]]
    lines += ["", f"| query | scale 1, ms | scale {scale}, ms |", "|---|---|---|"]
    lines += [f"| {name} | {q1[name]} | {qn.get(name)} |" for name in q1]
    lines += [
        "",
        f"Concurrent: {conc['sessions']} page-sessions on {conc['threads']} threads, uncached, scale {scale}: "
        f"{conc['calls']} queries in {conc['wall_s']} s, p50 {conc['p50_ms']} ms, p95 {conc['p95_ms']} ms",
        f"Demo build at scale {scale}: {result['demo_build_s_at_scale']} s",
    ]
    return "\n".join(lines)
