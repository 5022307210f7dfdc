"""Profile one warm run of a page in process: AppTest runs dashboard.py (and the page) once to warm up, then
a second run is profiled with cProfile inside the script thread.

    python -m bench profile [page]      # page: url_path ("" or "overblik" = Overblik, "udgifter", ...)
"""

from __future__ import annotations

import cProfile
import io
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
    out = io.StringIO()
    st = pstats.Stats(prof, stream=out)
    st.strip_dirs().sort_stats("cumulative").print_stats(top)
    return out.getvalue(), wall
