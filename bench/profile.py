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

    LocalScriptRunner._run_script_thread = profiled
    try:
        t0 = time.perf_counter()
        at.run()
        wall = time.perf_counter() - t0
    finally:
        LocalScriptRunner._run_script_thread = original
    if at.exception:
        raise RuntimeError(f"{page_file}: {at.exception}")
    return table(pstats.Stats(prof), top), wall


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
