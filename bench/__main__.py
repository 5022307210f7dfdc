"""Benchmarks. Run: make bench  (or python -m bench)

    python -m bench                       # everything: the load goals (ratios to a trivial app) and the queries
    python -m bench --quick               # fewer repetitions and sessions
    python -m bench --parts warm,filter   # some of: warm, load, browser, filter, queries, meetingpack
    python -m bench profile [page]        # cProfile of one warm run of a page (AppTest, in process)
    python -m bench elements [page ...]   # messages per run and server CPU ms per warm run (bench/elements.py)

The load goals (bench/ratios.py) start the dashboard on a copy of the demo data and a trivial app
(bench/trivial_app.py), both on free loopback ports, drive them with the websocket client in bench/load.py
(and Chromium for the first load), and stop them at the end. The load part also runs each page's floor: its
mix of messages drawn by an app that does nothing else (bench/floor.py). The query benchmarks are bench/queries.py.
Prints Markdown and writes bench/results/latest.json. Figures are quoted in docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("warm", "load", "browser", "filter", "queries", "meetingpack")


def _s(v) -> str:
    return "-" if v is None else f"{v:.3f}"


def _verdict(value, goal, errors=()) -> str:
    """PASS/FAIL against the goal; a measurement with errors fails whatever its figure."""
    if errors:
        return "FAIL (errors)"
    return "n/a" if value is None else ("PASS" if value <= goal else "FAIL")


def _table(intro: list[str], columns: list[str], rows: list[list]) -> list[str]:
    """A table of the report: a blank line, its introduction, a blank line, then the Markdown table."""
    return [
        "",
        *intro,
        "",
        "| " + " | ".join(columns) + " |",
        "|" + "---|" * len(columns),
        *("| " + " | ".join(map(str, row)) + " |" for row in rows),
    ]


def report(res: dict) -> str:
    from bench.ratios import GOALS

    lines = [f"# Benchmark ({res['machine']}, {res['when']}{', quick' if res['quick'] else ''})", ""]
    if any(k in res for k in ("warm", "load", "browser", "filter")):
        lines += [
            "| goal | page | dashboard s | trivial app s | ratio | goal | verdict | errors |",
            "|---|---|---|---|---|---|---|---|",
        ]
    for r in res.get("warm", []):
        lines.append(
            f"| warm run, 1 session (median) | {r['page']} | {_s(r['dashboard_s'])} | {_s(r['trivial_s'])} "
            f"| {r['ratio']} | ≤ {GOALS['warm']}x | {_verdict(r['ratio'], GOALS['warm'], r['errors'])} | {len(r['errors'])} |"
        )
    for r in res.get("load", []):
        lines.append(
            f"| {r['sessions']} sessions x {r['runs']} runs, p95 | {r['page']} | {_s(r['dashboard_p95_s'])} "
            f"| {_s(r['trivial_p95_s'])} | {r['ratio']} | ≤ {GOALS['load']}x "
            f"| {_verdict(r['ratio'], GOALS['load'], r['errors'])} | {len(r['errors'])} |"
        )
    if "browser" in res:
        b = res["browser"]
        lines.append(
            f"| first load in Chromium (median of {b['repeats']}) | / | {_s(b['dashboard_s'])} "
            f"| {_s(b['trivial_s'])} | {b['ratio']} | ≤ {GOALS['browser']}x "
            f"| {_verdict(b['ratio'], GOALS['browser'])} | 0 |"
        )
    for r in res.get("filter", []):
        lines.append(
            f"| filter change, cold (max of {len(r['times_s'])}; median {_s(r['median_s'])}) | {r['page']} "
            f"| {_s(r['max_s'])} | | | < {GOALS['filter']} s | {_verdict(r['max_s'], GOALS['filter'], r['errors'])} "
            f"| {len(r['errors'])} |"
        )
    if any(r.get("floor_s") is not None for r in res.get("warm", [])):
        lines += _table(
            [
                "The floor of a warm run (bench/floor.py): each page's mix of messages drawn by an app that does nothing",
                "else, one session, median of the warm reruns.",
            ],
            ["page", "page s", "floor s", "trivial s", "page ratio", "floor ratio"],
            [
                [r["page"], _s(r["dashboard_s"]), _s(r["floor_s"]), _s(r["trivial_s"]), r["ratio"], r["floor_ratio"]]
                for r in res["warm"]
            ],
        )
    if any(r.get("floor_p95_s") is not None for r in res.get("load", [])):
        lines += _table(
            [
                "The floor under the same load (bench/floor.py): each page's mix of messages per run drawn by an app",
                "that does nothing else. A page's ratio cannot go below its floor's without fewer or cheaper elements.",
            ],
            ["page", "messages per run", "page p95 s", "floor p95 s", "trivial p95 s", "page ratio", "floor ratio"],
            [
                [
                    r["page"],
                    r["messages"],
                    _s(r["dashboard_p95_s"]),
                    _s(r["floor_p95_s"]),
                    _s(r["trivial_p95_s"]),
                    r["ratio"],
                    r["floor_ratio"],
                ]
                for r in res["load"]
            ],
        )
    if "load" in res:
        lines += _table(
            ["Under load, per run (p50 / p95 / max s; run 1 is each session's first load):"],
            ["page", "app", *(f"run {k + 1}" for k in range(res["load"][0]["runs"]))],
            [
                [
                    r["page"],
                    app,
                    *(f"{_s(s['p50_s'])} / {_s(s['p95_s'])} / {_s(s['max_s'])}" for s in r[app]["per_run"]),
                ]
                for r in res["load"]
                for app in ("dashboard", "trivial")
            ],
        )
    errors = [e for part in ("warm", "load", "filter") for r in res.get(part, []) for e in r["errors"]]
    errors += [e for r in res.get("load", []) for e in r.get("floor_errors", [])]
    if errors:
        lines += ["", f"Errors ({len(errors)}):"] + [f"- {e}" for e in errors[:20]]
    if "queries" in res:
        from bench import queries

        lines += ["", "## Queries (in process)", "", queries.report(res["queries"])]
    if "meetingpack" in res:
        from bench import meetingpack

        lines += ["", "## Meeting pack", "", meetingpack.report(res["meetingpack"])]
    return "\n".join(lines)


def run(parts: list[str], quick: bool, sessions: int, scale: int, data: Path | None = None) -> dict:
    res = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "quick": quick,
        "parts": parts,
        "data": str(data) if data else "data/ (the shipped demo)",
    }
    if any(p in parts for p in ("warm", "load", "browser", "filter")):
        from bench import ratios, servers

        with servers.dashboard_and_trivial(data) as (dash, trivial, tmp):
            # The filter changes go first: they need query combinations this server has never seen.
            if "filter" in parts:
                res["filter"] = ratios.filter_change(dash, 1 if quick else 3)
            if "warm" in parts or "load" in parts:
                from bench import floor

                with servers.serve(floor.FLOOR, {}, tmp) as floor_app:
                    if "warm" in parts:
                        res["warm"] = ratios.warm(dash, trivial, 3 if quick else 5, floor_app)
                    if "load" in parts:
                        res["load"] = ratios.concurrent(dash, trivial, 5 if quick else sessions, 3, floor_app)
            if "browser" in parts:
                res["browser"] = ratios.browser(dash, trivial, 3 if quick else 5)
    if "queries" in parts:
        from bench import queries

        res["queries"] = queries.run(scale=scale, repeats=1 if quick else 3)
    if "meetingpack" in parts:
        from bench import meetingpack

        res["meetingpack"] = meetingpack.run(processes=1 if quick else 3)
    return res


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    sys.path.insert(0, str(ROOT))
    if argv and argv[0] == "profile":
        from bench.profile import profile

        page = argv[1] if len(argv) > 1 else ""
        text, wall = profile("" if page in ("/", "overblik") else page.strip("/"))
        print(f"# Profile of one warm run of /{page.strip('/')} (AppTest, wall {wall:.3f} s)\n\n{text}")
        return 0
    if argv and argv[0] == "elements":
        from bench import elements

        return elements.main(argv[1:])
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repetitions, 5 sessions under load, scale 3")
    ap.add_argument("--parts", default=",".join(PARTS), help=f"comma-separated, of: {', '.join(PARTS)}")
    ap.add_argument("--sessions", type=int, default=20, help="concurrent sessions under load")
    ap.add_argument("--scale", type=int, default=10, help="demo scale for the query benchmarks")
    ap.add_argument(
        "--data",
        type=Path,
        help="data folder the dashboard serves (a copy is used), e.g. one made by "
        "'OVERBLIK_DATA_DIR=/tmp/big python -m overblik demo --scale 2'; default: data/",
    )
    args = ap.parse_args(argv)
    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    if unknown := set(parts) - set(PARTS):
        ap.error(f"unknown parts: {', '.join(sorted(unknown))}")
    res = run(parts, args.quick, args.sessions, 3 if args.quick else args.scale, args.data)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(json.dumps(res, indent=2, ensure_ascii=False))
    print(report(res))
    print(f"\n(written to {out / 'latest.json'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
