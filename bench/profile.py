"""Profile one warm run of a page in process: AppTest runs dashboard.py (and the page) once to warm up, then
a second run is profiled with cProfile inside the script thread.

    python -m bench profile [page]      # page: url_path ("" or "overblik" = Overblik, "udgifter", ...)
"""

from __future__ import annotations

import cProfile
import pstats
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def profile(page: str = "", top: int = 15) -> tuple[str, float]:
    """The top `top` functions by cumulative time of one warm run, as text, and the run's wall seconds."""
    import time

    from streamlit.testing.v1 import AppTest
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    page_file = f"pages/{page or 'overblik'}.py"
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    at.switch_page(page_file).run()  # warm-up: imports, databases, query cache
    if at.exception:
        raise RuntimeError(f"{page_file}: {at.exception}")

    prof = cProfile.Profile()
    original = LocalScriptRunner._run_script_thread

    def profiled(self):  # cProfile sees only its own thread: enable it in the script thread
        prof.enable()
        try:
            original(self)
        finally:
            prof.disable()

    # AppTest compiles the page scripts again on every run (a new ScriptCache per run); a real server
    # keeps them compiled. Keep one compiled copy here too, so the profile shows the page's own work.
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    compiled: dict = {}
    original_bytecode = ScriptCache.get_bytecode

    def bytecode(self, script_path):
        if script_path not in compiled:
            compiled[script_path] = original_bytecode(self, script_path)
        return compiled[script_path]

    ScriptCache.get_bytecode = bytecode
    try:
        at.run()  # compile once, outside the profile
        LocalScriptRunner._run_script_thread = profiled
        t0 = time.perf_counter()
        at.run()
        wall = time.perf_counter() - t0
    finally:
        LocalScriptRunner._run_script_thread = original
        ScriptCache.get_bytecode = original_bytecode
    if at.exception:
        raise RuntimeError(f"{page_file}: {at.exception}")
    stats = pstats.Stats(prof)
    return table(stats, top) + "\n\n" + by_library(stats), wall


# The plumbing every run passes through (script runner, exec, the entry script): left out of the table.
PLUMBING = {"local_script_runner.py", "script_runner.py", "exec_code.py", "page.py", "dashboard.py"}


def _short(file: str) -> str:
    """A path relative to the repository, or to site-packages for libraries."""
    p = Path(file)
    try:
        return p.resolve().relative_to(ROOT).as_posix()
    except (ValueError, OSError):
        pass
    parts = p.parts
    return "/".join(parts[parts.index("site-packages") + 1 :]) if "site-packages" in parts else p.name


def table(st: pstats.Stats, top: int) -> str:
    """Markdown: the top functions by cumulative time, without the plumbing around the page itself."""
    rows = []
    for (file, line, func), (cc, nc, tt, ct, _callers) in st.stats.items():
        if Path(file).name in PLUMBING or func == "<built-in method builtins.exec>":
            continue
        where = f"{_short(file)}:{line}({func})" if line else func
        rows.append((ct, tt, nc, cc, where))
    rows.sort(reverse=True)
    out = [
        f"{st.total_calls} calls in {st.total_tt:.3f} s (profiled); top {top} by cumulative time, runner "
        "plumbing left out:",
        "",
        "| function | calls | own s | cumulative s |",
        "|---|---|---|---|",
    ]
    for ct, tt, nc, cc, where in rows[:top]:
        calls = str(nc) if nc == cc else f"{nc}/{cc}"
        out.append(f"| `{where}` | {calls} | {tt:.3f} | {ct:.3f} |")
    return "\n".join(out)


def _library(file: str) -> str:
    short = _short(file)
    if short.startswith(("overblik/", "pages/")):
        return short.split("/")[0] + "/ (this project)"
    if "/" in short:
        return short.split("/")[0]
    return "python (stdlib, builtins)"


def by_library(st: pstats.Stats) -> str:
    """Markdown: own time per library (where the run's time is actually spent)."""
    own: dict[str, float] = {}
    for (file, _line, _func), (_cc, _nc, tt, _ct, _callers) in st.stats.items():
        lib = _library(file)
        own[lib] = own.get(lib, 0.0) + tt
    total = sum(own.values()) or 1.0
    out = ["| library | own s | share |", "|---|---|---|"]
    for lib, t in sorted(own.items(), key=lambda kv: -kv[1])[:8]:
        out.append(f"| {lib} | {t:.3f} | {100 * t / total:.0f} % |")
    return "Own time by library:\n\n" + "\n".join(out)
