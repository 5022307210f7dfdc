"""Benchmarks: page render, queries at scale, concurrent sessions.  Run: make bench  (or python -m bench)

1. Page render: each page rendered by AppTest on the demo snapshot; the first (cold-cache) and the
   median of warm renders. Every db.run call the pages make is recorded.
2. Queries at scale: the recorded calls replayed without the result cache on the demo at scale 1 and
   at --scale N (default 10: 10x municipalities, offers and years), with the shared filters widened to
   the whole snapshot (all municipalities, all years), so the scaled data is queried at its full size.
3. Concurrent sessions: T threads replaying the recorded calls uncached against the scaled snapshot,
   as concurrent users on a cold cache would; wall time and p50/p95 per call.

Prints a Markdown report and writes bench/results/latest.json. Figures are quoted in docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["pages/overblik.py", "pages/udgifter.py", "pages/kapacitet.py", "pages/centrale-udmeldinger.py",
         "pages/handlingsplan.py", "pages/om-data.py"]


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
            for i in range(repeats + 1):
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
    municipalities, all years), so that a scaled snapshot is queried at its full size."""
    from overblik import db

    codes = [int(c) for c in db.run("filter_municipalities")["municipality_code"]]
    years = db.run("filter_years")["year"]
    out = []
    for name, params in calls:
        p = dict(params)
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
    per = {}
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
    return {"threads": threads, "sessions": threads * rounds, "calls": len(lat), "wall_s": round(wall, 2),
            "p50_ms": _ms(lat[len(lat) // 2]), "p95_ms": _ms(lat[int(len(lat) * 0.95)])}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench")
    ap.add_argument("--scale", type=int, default=10)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=8)
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from overblik import demo

    with tempfile.TemporaryDirectory() as tmp:
        small, big = Path(tmp, "x1"), Path(tmp, "xN")
        demo.write(small, scale=1)
        t0 = time.perf_counter()
        demo.write(big, scale=args.scale)
        build_s = time.perf_counter() - t0
        os.environ["OVERBLIK_DATA_DIR"] = str(small)
        pages, calls = render_pages(args.repeats)
        q1 = replay(calls, small)
        qn = replay(calls, big)
        conc = concurrent(calls, big, args.threads, 2)

    result = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "scale": args.scale, "demo_build_s_at_scale": round(build_s, 2),
        "pages": pages, "queries_scale1_ms": q1, f"queries_scale{args.scale}_ms": qn, "concurrent": conc,
    }
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))

    print(f"# Benchmark ({result['machine']})\n")
    print("| page | first render (cold cache) ms | warm render, median ms |\n|---|---|---|")
    for r in pages:
        print(f"| {r['page']} | {r['cold_ms']} | {r['warm_median_ms']} |")
    print(f"\n| query | scale 1, ms | scale {args.scale}, ms |\n|---|---|---|")
    for name in q1:
        print(f"| {name} | {q1[name]} | {qn.get(name)} |")
    print(f"\nConcurrent: {conc['sessions']} page-sessions on {conc['threads']} threads, uncached, scale {args.scale}: "
          f"{conc['calls']} queries in {conc['wall_s']} s, p50 {conc['p50_ms']} ms, p95 {conc['p95_ms']} ms")
    print(f"Demo build at scale {args.scale}: {result['demo_build_s_at_scale']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
