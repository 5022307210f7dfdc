"""Streamlit servers for the benchmarks: a real `streamlit run` on a free loopback port, stopped at the end."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = ROOT / "dashboard.py"
TRIVIAL = Path(__file__).resolve().parent / "trivial_app.py"
# The flags the test suite's server uses; both apps run from ROOT, so both read .streamlit/config.toml.
PIDS: dict[str, int] = {}  # URL -> the server's process id, while it runs (bench/elements.py reads its CPU time)
FLAGS = ["--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(script: Path, env: dict | None = None, log_dir: Path | None = None, start_timeout: float = 60):
    """`streamlit run script` on a free loopback port; yields its URL and stops it afterwards. The server's
    log goes to log_dir (default: a temp folder removed afterwards)."""
    if log_dir is None:
        with (
            tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp,
            serve(script, env, Path(tmp), start_timeout) as url,
        ):
            yield url
        return
    port = free_port()
    log = Path(log_dir) / f"streamlit-{script.stem}-{port}.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            # overblik.serve = `streamlit run` with TCP_NODELAY on the server's connections (the production setting)
            [sys.executable, "-m", "overblik.serve", "run", str(script), "--server.port", str(port), *FLAGS],
            cwd=ROOT,
            env=dict(os.environ, **(env or {})),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + start_timeout
            while True:
                try:
                    with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start:\n{log.read_text(errors='replace')}")
                time.sleep(0.2)
            PIDS[url] = proc.pid
            yield url
        finally:
            PIDS.pop(url, None)
            stop(proc)


def stop(proc: subprocess.Popen) -> None:
    """Stop a server process: politely, then by force after 10 s."""
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextlib.contextmanager
def dashboard_and_trivial(source: Path | None = None):
    """Both servers: the dashboard over a copy of the data folder `source` (default: the shipped demo in
    data/) in a temp dir (OVERBLIK_DATA_DIR), and the trivial app. Yields (dashboard URL, trivial URL, temp dir)."""
    with tempfile.TemporaryDirectory(prefix="overblik-bench-") as tmp:
        data = Path(tmp, "data")
        shutil.copytree(
            source or ROOT / "data", data, ignore=shutil.ignore_patterns(".tmp-*", "CURRENT.tmp", ".demo-staging-*")
        )
        with (
            serve(DASHBOARD, {"OVERBLIK_DATA_DIR": str(data)}, Path(tmp)) as dash,
            serve(TRIVIAL, {}, Path(tmp)) as trivial,
        ):
            yield dash, trivial, Path(tmp)
