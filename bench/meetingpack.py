"""The meeting pack's speed (issue 15: a pack for the whole region in at most 5 s).

Each repetition runs in a fresh Python process over a copy of the demo data (as `python -m overblik
meeting-pack` does): the first pack of the process (kaleido's Chromium starts, the slices' caches are
cold), then further packs in the same process (as on the Streamlit server, which keeps kaleido
running and its view cache warm), and one after clearing the data caches (new data, kaleido running).
The meeting is the demo's last DASSOS meeting before today; today is fixed to 2026-11-29 as in the tests.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_S = 5.0
TODAY = "2026-11-29"
MEETING = "2026-11-12"

CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
from overblik import db, meetingpack, viewcache
f = meetingpack.make_filters()
meeting = meetingpack.meeting_for(sys.argv[1])
imported = time.perf_counter() - t0
times = []
for _ in range(int(sys.argv[2])):
    t = time.perf_counter()
    pdf = meetingpack.build(f, meeting)
    times.append(time.perf_counter() - t)
db.clear()  # clears the view cache too: the data part cold, kaleido still running
t = time.perf_counter()
meetingpack.build(f, meeting)
cold_data = time.perf_counter() - t
print(json.dumps({"import_s": imported, "builds_s": times, "cold_data_s": cold_data, "pdf_kb": len(pdf) // 1024}))
"""


def run(processes: int = 3, builds: int = 4) -> dict:
    """`processes` fresh processes, each making `builds` packs, then one with the data caches cleared."""
    runs = []
    with tempfile.TemporaryDirectory(prefix="overblik-bench-pack-") as tmp:
        data = Path(tmp, "data")
        shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns(".tmp-*", "CURRENT.tmp", ".demo-staging-*"))
        env = {**os.environ, "OVERBLIK_DATA_DIR": str(data), "OVERBLIK_TODAY": TODAY}
        for _ in range(processes):
            out = subprocess.run(
                [sys.executable, "-c", CHILD, MEETING, str(builds)],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    first = [r["builds_s"][0] for r in runs]
    warm = [t for r in runs for t in r["builds_s"][1:]]
    cold_data = [r["cold_data_s"] for r in runs]
    return {
        "meeting": MEETING,
        "processes": processes,
        "first_in_process_s": first,
        "warm_s": warm,
        "cold_data_warm_kaleido_s": cold_data,
        "first_median_s": statistics.median(first),
        "warm_median_s": statistics.median(warm) if warm else None,
        "warm_max_s": max(warm) if warm else None,
        "cold_data_median_s": statistics.median(cold_data),
        "pdf_kb": runs[-1]["pdf_kb"],
    }


def report(r: dict) -> str:
    def s(v):
        return "-" if v is None else f"{v:.2f}"

    verdict = "PASS" if r["warm_median_s"] is not None and r["warm_median_s"] <= GOAL_S else "FAIL"
    return "\n".join(
        [
            f"Meeting pack, whole region, meeting {r['meeting']}, {r['processes']} fresh processes, "
            f"PDF {r['pdf_kb']} kB:",
            "",
            "| case | median s | all s | goal |",
            "|---|---|---|---|",
            f"| further pack in a process (server) | {s(r['warm_median_s'])} | "
            f"{', '.join(map(s, r['warm_s']))} | ≤ {GOAL_S:.0f} s: {verdict} |",
            f"| data caches cleared, kaleido running | {s(r['cold_data_median_s'])} | "
            f"{', '.join(map(s, r['cold_data_warm_kaleido_s']))} | |",
            f"| first pack of a process (CLI) | {s(r['first_median_s'])} | "
            f"{', '.join(map(s, r['first_in_process_s']))} | |",
        ]
    )
