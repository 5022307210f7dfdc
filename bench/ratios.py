"""The load goals of issue 11, each measured against the trivial app in the same run (servers from bench.servers).

1. warm: one session, a first load then `warm` reruns of each page; median warm run, ratio to the trivial app's.
2. load: `sessions` concurrent sessions x `runs` runs of each page; p95 over all runs, ratio to the trivial app's
   p95 under the same load.
3. browser: first load of / in Chromium (a fresh browser context each time, after one untimed warm-up load),
   from goto until the app is connected, has drawn and its script run is finished; median, ratio.
4. filter: one session per page opens the page with the default filters, then reruns it with a query string not
   used before in this server's life (cold for that combination); absolute seconds of that rerun.
Each trivial-app figure is measured right next to the dashboard figure it divides, so both see the same load.
"""

from __future__ import annotations

import statistics
import time
from itertools import combinations
from urllib.parse import urlencode

from bench import floor
from bench.load import load, one_session

PAGES = ["", "udgifter", "kapacitet", "centrale-udmeldinger", "handlingsplan", "om-data"]
GOALS = {"warm": 1.5, "load": 2.0, "browser": 1.5, "filter": 0.5}
# Each page's own choices for the filter change (README: "Each page's own choices are in the URL too").
PAGE_PARAMS = {
    "": {"omraade": "Voksne"},
    "udgifter": {"priser": "Faste", "visning": "Pr. indbygger"},
    "kapacitet": {"omraade": "Børn og unge"},
    "centrale-udmeldinger": {"status": "Kun åbne"},
    "handlingsplan": {"initiativstatus": "Risiko"},
    "om-data": {},
}
CHROMIUM = "/usr/bin/chromium"  # Debian's, as in the browser tests, with their flags
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MUNICIPALITIES = ["Aarhus", "Randers", "Viborg", "Herning", "Silkeborg", "Horsens", "Holstebro", "Skive"]


def name(page: str) -> str:
    return "/" + page


def warm(dash: str, trivial: str, warm_runs: int, floor_app: str | None = None) -> list[dict]:
    """One session per page and per app, a first load then `warm_runs` reruns; with `floor_app` also the
    page's floor (its mix of messages drawn by an app that does nothing else, bench/floor.py)."""
    rows = []
    for page in PAGES:
        t = load(trivial, "", "", 1, 1 + warm_runs)
        d = load(dash, page, "", 1, 1 + warm_runs)
        fl = None
        if floor_app:
            mix = floor.mix(floor.kinds(dash, page))
            fl = load(floor_app, "", mix, 1, 1 + warm_runs)
        rows.append(
            {
                "page": name(page),
                "dashboard_s": d.warm.p50_s,
                "trivial_s": t.warm.p50_s,
                "first_load_s": d.per_run[0].p50_s,
                "errors": d.errors + t.errors + (fl.errors if fl else []),
                "ratio": _ratio(d.warm.p50_s, t.warm.p50_s),
                "floor_s": fl.warm.p50_s if fl else None,
                "floor_ratio": _ratio(fl.warm.p50_s, t.warm.p50_s) if fl else None,
            }
        )
    return rows


def concurrent(dash: str, trivial: str, sessions: int, runs: int, floor_app: str | None = None) -> list[dict]:
    """Each page and the trivial app under the same load; with `floor_app` (bench/floor_app.py) also the
    page's floor: its mix of messages drawn by an app that does nothing else (bench/floor.py). Each page,
    and the floor app with that page's mix, is first run once untimed in a session of its own (three runs,
    which also count the page's messages): the measured sessions find its imports and caches ready."""
    rows = []
    for page in PAGES:
        counts = floor.kinds(dash, page)
        mix = floor.mix(counts)
        t = load(trivial, "", "", sessions, runs, timeout=120)
        d = load(dash, page, "", sessions, runs, timeout=120)
        fl = None
        if floor_app:
            floor.kinds(floor_app, "", mix)
            fl = load(floor_app, "", mix, sessions, runs, timeout=120)
        rows.append(
            {
                "page": name(page),
                "sessions": sessions,
                "runs": runs,
                "dashboard": d.as_dict(),
                "trivial": t.as_dict(),
                "errors": d.errors + t.errors,
                "dashboard_p95_s": d.all.p95_s,
                "trivial_p95_s": t.all.p95_s,
                "ratio": _ratio(d.all.p95_s, t.all.p95_s),
                "floor_mix": mix if floor_app else None,
                "messages": floor.messages(counts),
                "floor_p95_s": fl.all.p95_s if fl else None,
                "floor_ratio": _ratio(fl.all.p95_s, t.all.p95_s) if fl else None,
                "floor_errors": fl.errors if fl else [],
            }
        )
    return rows


def _filter_queries(per_page: int) -> dict[str, list[str]]:
    """Distinct query strings per page: a year range (at least four years) not used by any other, a municipality,
    the page's own choices. The defaults (the whole period, the whole region) are never among them."""
    spans = [(a, b) for a, b in combinations(range(2016, 2027), 2) if b - a >= 3 and (a, b) != (2016, 2026)]
    out: dict[str, list[str]] = {}
    k = 0
    for page in PAGES:
        out[page] = []
        for _ in range(per_page):
            a, b = spans[k % len(spans)]
            params = [("aar", a), ("aar", b), ("kommune", MUNICIPALITIES[k % len(MUNICIPALITIES)])]
            params += list(PAGE_PARAMS[page].items())
            out[page].append(urlencode(params))
            k += 1
    return out


def filter_change(dash: str, per_page: int) -> list[dict]:
    rows = []
    for page, queries in _filter_queries(per_page).items():
        times, errors = [], []
        for q in queries:
            (_, err0, _), (seconds, err, texts) = one_session(dash, page, ["", q])
            # A value the page could not use falls back quietly ("⚠ Linket havde ..."): then it measured the wrong thing.
            notice = next((t for t in texts if t.startswith("⚠ Linket havde")), None)
            errors += [f"{name(page)}?{q}: {e}" for e in (err0, err, notice) if e]
            if not err:
                times.append(round(seconds, 4))
        rows.append(
            {
                "page": name(page),
                "queries": queries,
                "times_s": times,
                "errors": errors,
                "median_s": statistics.median(times) if times else None,
                "max_s": max(times, default=None),
            }
        )
    return rows


def _first_load(browser, url: str) -> float:
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        t0 = time.perf_counter()
        page.goto(url)
        # Connected, something drawn and the run finished: elements exist only once a run has started.
        page.wait_for_function(
            """() => { const a = document.querySelector('[data-testid="stApp"]');
                 return a && a.dataset.testConnectionState === 'CONNECTED'
                   && a.dataset.testScriptState === 'notRunning'
                   && document.querySelector('[data-testid="stMain"] [data-testid="stElementContainer"]'); }""",
            timeout=60_000,
        )
        return time.perf_counter() - t0
    finally:
        ctx.close()


def browser(dash: str, trivial: str, repeats: int) -> dict:
    from playwright.sync_api import sync_playwright

    times: dict[str, list[float]] = {"dashboard": [], "trivial": []}
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            for url in (dash, trivial):  # warm-up: the server's first page load imports and compiles
                _first_load(b, url)
            for _ in range(repeats):
                times["trivial"].append(_first_load(b, trivial))
                times["dashboard"].append(_first_load(b, dash))
        finally:
            b.close()
    d, t = statistics.median(times["dashboard"]), statistics.median(times["trivial"])
    return {
        "page": "/",
        "repeats": repeats,
        "dashboard_s": round(d, 4),
        "trivial_s": round(t, 4),
        "times_s": {k: [round(x, 4) for x in v] for k, v in times.items()},
        "ratio": _ratio(d, t),
    }


def _ratio(a, b):
    return None if not a or not b else round(a / b, 2)
