"""Load on the deployment: the reader's journey (bench/load.py: Overblik, a filter change, two detail pages)
against the trivial app, one dashboard replica, and two replicas on shared S3 storage (moto) behind nginx
(TLS, the deployment's own config), for a few session counts. Loopback only; bounded; stops by itself.

    python -m bench.deploy --sessions 1,4,8

Prints Markdown (p50/p95 per step, errors) and the sessions-per-core estimate: the largest session count
whose worst step p95 stays under 2 s, divided by the cores the replicas can use (one replica is one
Python process: one core; two replicas on this 2-core machine: two). Writes bench/results/deploy.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from bench import load, proxy, servers

ROOT = Path(__file__).resolve().parent.parent
GOAL_P95_S = 2.0


def _s3_env(endpoint: str, url: str, cache: Path) -> dict[str, str]:
    return {
        "OVERBLIK_DATA_URL": url,
        "OVERBLIK_CACHE_DIR": str(cache),
        "OVERBLIK_DATA_DIR": "",
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "us-east-1",
    }


@contextlib.contextmanager
def two_replicas_behind_nginx(tmp: Path):
    """moto S3 seeded with the shipped data (the deployment's `overblik.storage init`), two dashboard
    replicas with their own caches, nginx in front. Yields the https URL."""
    with proxy.moto_server() as endpoint:
        url = f"s3://overblik-bench-{uuid.uuid4().hex[:8]}/prod"
        seed = _s3_env(endpoint, url, tmp / "seed-cache")
        subprocess.run(
            [sys.executable, "-m", "overblik.storage", "init", str(ROOT / "data")],
            cwd=ROOT, env={**os.environ, **seed}, check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        envs = [_s3_env(endpoint, url, tmp / f"cache{i}") for i in (1, 2)]
        with (
            servers.serve(servers.DASHBOARD, envs[0], tmp) as a,
            servers.serve(servers.DASHBOARD, envs[1], tmp) as b,
            proxy.nginx([u.removeprefix("http://") for u in (a, b)], tmp / "nginx") as (https, _http),
        ):
            yield https, [a, b]


def _measure(url: str, counts: list[int], steps, replicas: list[str] | None = None) -> list[dict]:
    # warm-up of every replica, directly (through nginx a single session reaches only one): a fresh server's
    # first run imports, downloads the snapshot and builds the default views
    for u in replicas or [url]:
        load.journey(u, 1, steps)
    return [load.journey(url, n, steps).as_dict() for n in counts]


def run(counts: list[int]) -> dict:
    res: dict = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "counts": counts,
        "targets": {},
    }
    with tempfile.TemporaryDirectory(prefix="overblik-bench-deploy-") as t:
        tmp = Path(t)
        with servers.serve(servers.TRIVIAL, {}, tmp) as trivial:
            res["targets"]["trivial app"] = _measure(trivial, counts, load.TRIVIAL_JOURNEY)
        data = tmp / "data"
        shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns(".tmp-*", ".CURRENT-*", "preview-*"))
        with servers.serve(servers.DASHBOARD, {"OVERBLIK_DATA_DIR": str(data)}, tmp) as one:
            res["targets"]["1 replica"] = _measure(one, counts, load.JOURNEY)
        with two_replicas_behind_nginx(tmp) as (https, replicas):
            res["targets"]["2 replicas + nginx"] = _measure(https, counts, load.JOURNEY, replicas)
    return res


def capacity(rows: list[dict], cores: int) -> float | None:
    """Sessions per core: the largest count without errors whose worst step p95 is under the goal, per core."""
    ok = [
        r["sessions"]
        for r in rows
        if not r["errors"] and r["worst_p95_s"] is not None and r["worst_p95_s"] < GOAL_P95_S
    ]
    return round(max(ok) / cores, 1) if ok else None


def report(res: dict) -> str:
    steps = [s.name for s in load.JOURNEY]
    lines = [
        f"Machine: {res['machine']}.",
        "",
        "| target | sessions | " + " | ".join(f"{s} p50 / p95 s" for s in steps) + " | worst p95 s | errors |",
        "|---|---|" + "---|" * (len(steps) + 2),
    ]
    for target, rows in res["targets"].items():
        for r in rows:
            cells = [
                f"{v['p50_s']:.2f} / {v['p95_s']:.2f}" if v["p50_s"] is not None else "-" for v in r["steps"].values()
            ]
            worst = "-" if r["worst_p95_s"] is None else f"{r['worst_p95_s']:.2f}"
            lines.append(f"| {target} | {r['sessions']} | " + " | ".join(cells) + f" | {worst} | {len(r['errors'])} |")
    lines += ["", f"Sessions per core with every step's p95 under {GOAL_P95_S:g} s (largest count measured):", ""]
    triv = {r["sessions"]: r["worst_p95_s"] for r in res["targets"]["trivial app"]}
    for target, cores in (("1 replica", 1), ("2 replicas + nginx", 2)):
        rows = res["targets"][target]
        ratios = [
            f"{r['sessions']}: {r['worst_p95_s'] / triv[r['sessions']]:.1f}x"
            for r in rows
            if r["worst_p95_s"] and triv.get(r["sessions"])
        ]
        lines.append(
            f"- {target} ({cores} core{'s' if cores > 1 else ''}): {capacity(rows, cores)} sessions per core; "
            f"worst p95 / trivial app's by sessions: {', '.join(ratios)}"
        )
    errors = [e for rows in res["targets"].values() for r in rows for e in r["errors"]]
    if errors:
        lines += ["", f"Errors ({len(errors)}):"] + [f"- {e}" for e in errors[:20]]
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.deploy", description=__doc__.split("\n")[0])
    ap.add_argument("--sessions", default="1,4,8", help="comma-separated concurrent session counts")
    args = ap.parse_args(argv)
    counts = [int(x) for x in args.sessions.split(",") if x.strip()]
    if not counts or any(not 1 <= n <= load.MAX_SESSIONS for n in counts):
        ap.error(f"session counts 1..{load.MAX_SESSIONS}")
    res = run(counts)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "deploy.json").write_text(json.dumps(res, indent=2, ensure_ascii=False))
    print(report(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
