"""A raw websocket load client for a Streamlit server: N concurrent sessions, R runs each.

Each session opens `/_stcore/stream` (subprotocol "streamlit", an Origin header, as the browser does) and
sends a `BackMsg.rerun_script` per run: the first run is the session's first load, the runs after it are
warm reruns. A run is timed from sending rerun_script to the `script_finished` ForwardMsg that ends it
(a run the script restarts itself, FINISHED_EARLY_FOR_RERUN, is followed to its end). Like the browser,
the client remembers the hashes of cacheable messages and reports them in `cached_message_hashes`, so
the server sends a `ref_hash` instead of a message the client already has.

An error is: an exception element, an error alert, "page not found", a compile error, a timeout or a
closed connection. Loopback servers only; counts and timeouts are bounded.

    python -m bench.load http://127.0.0.1:8501 --page udgifter --query "aar=2019&aar=2025" -n 20 -r 3

A journey (`journey`, `python -m bench.load URL --journey -n 8`) is what a reader does: each session opens
Overblik, changes a filter, then opens two detail pages on the same websocket (as the browser's in-app
navigation does); p50/p95 per step. https:// is allowed for a loopback proxy with a self-signed
certificate (bench/deploy.py puts nginx in front).
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import json
import math
import ssl
import sys
import time
from dataclasses import asdict, dataclass, field
from urllib.parse import urlparse

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState, ContextInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect
from websockets.typing import Origin, Subprotocol

MAX_SESSIONS = 200
MAX_RUNS = 50
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
DONE = {
    ForwardMsg.FINISHED_SUCCESSFULLY,
    ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
}


@dataclass
class Run:
    session: int
    index: int  # 0 = the session's first load
    seconds: float
    error: str | None = None


@dataclass
class Stats:
    n: int
    p50_s: float | None
    p95_s: float | None
    max_s: float | None


@dataclass
class LoadResult:
    url: str
    page: str
    query: str
    sessions: int
    runs: int
    wall_s: float
    all: Stats
    per_run: list[Stats]  # by run index: [first load, warm 1, warm 2, ...]
    errors: list[str] = field(default_factory=list)
    samples: list[Run] = field(default_factory=list)

    @property
    def warm(self) -> Stats:
        return stats([r.seconds for r in self.samples if r.index > 0 and not r.error])

    def as_dict(self) -> dict:
        d = asdict(self)
        d["warm"] = asdict(self.warm)
        del d["samples"]
        return d


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100): the smallest value with at least q % of values at or below it."""
    if not values:
        return None
    s = sorted(values)
    return s[max(0, math.ceil(q / 100 * len(s)) - 1)]


def stats(values: list[float]) -> Stats:
    r = lambda v: None if v is None else round(v, 4)  # noqa: E731
    return Stats(len(values), r(percentile(values, 50)), r(percentile(values, 95)), r(max(values) if values else None))


def _ws_url(url: str) -> tuple[str, str]:
    u = urlparse(url)
    if u.scheme not in ("http", "https") or u.hostname not in LOOPBACK:
        raise ValueError(f"only http:// or https:// loopback servers: {url}")
    base = f"{u.scheme}://{u.netloc}"
    ws = "wss" if u.scheme == "https" else "ws"
    return f"{ws}://{u.netloc}{u.path.rstrip('/')}/_stcore/stream", base


def _element_error(msg: ForwardMsg) -> str | None:
    if msg.WhichOneof("type") == "page_not_found":
        return "page not found"
    if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return None
    el = msg.delta.new_element
    kind = el.WhichOneof("type")
    if kind == "exception":
        return f"exception: {el.exception.type}: {el.exception.message[:200]}"
    if kind == "alert" and el.alert.format == Alert.ERROR:
        return f"error alert: {el.alert.body[:200]}"
    return None


def _texts(msg: ForwardMsg) -> list[str]:
    if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return []
    el = msg.delta.new_element
    kind = el.WhichOneof("type")
    if kind in ("markdown", "heading", "alert", "text", "metric"):
        body = getattr(el, kind)
        return [getattr(body, "body", "") or getattr(body, "label", "")]
    return []


def kind(msg: ForwardMsg) -> str:
    """A message's kind: 'new_element:markdown', 'add_block', 'ref_hash', 'script_finished', ..."""
    t = msg.WhichOneof("type") or "?"
    if t == "delta":
        d = msg.delta.WhichOneof("type") or "?"
        if d == "new_element":
            return f"new_element:{msg.delta.new_element.WhichOneof('type')}"
        return d
    return t


class Session:
    """One browser-like session on one websocket."""

    def __init__(self, ws, page: str):
        self.ws = ws
        self.page = page
        self.cache: dict[str, str | None] = {}  # hash -> the error that message carries (None: no error)
        self.texts: list[str] = []  # markdown/title/alert text of the last run's new elements (for checks)
        self.kinds: list[str] = []  # the kind of every message of the last run (bench/elements.py counts them)

    def _rerun(self, query: str) -> bytes:
        msg = BackMsg()
        cs = msg.rerun_script
        cs.CopyFrom(
            ClientState(
                query_string=query,
                page_script_hash="",
                page_name=self.page,
                context_info=ContextInfo(
                    timezone="Europe/Copenhagen", timezone_offset=-60, locale="da-DK", url="", is_embedded=False
                ),
            )
        )
        cs.cached_message_hashes.extend(self.cache)
        return msg.SerializeToString()

    async def run(self, query: str) -> str | None:
        """One rerun_script until its script_finished; returns the first error seen (None: clean)."""
        await self.ws.send(self._rerun(query))
        error = None
        self.texts = []
        self.kinds = []
        while True:
            raw = await self.ws.recv()
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            self.kinds.append(kind(msg))
            if msg.WhichOneof("type") == "ref_hash":
                err = self.cache.get(msg.ref_hash)
            else:
                err = _element_error(msg)
                self.texts.extend(_texts(msg))
                if msg.metadata.cacheable and msg.hash:
                    self.cache[msg.hash] = err
            error = error or err
            if msg.WhichOneof("type") == "script_finished":
                if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    error = error or "compile error"
                if msg.script_finished in DONE:
                    return error


def _connect(ws_url: str, origin: str, timeout: float):
    """The websocket Streamlit's browser client opens (subprotocol 'streamlit', an Origin header)."""
    tls = None
    if ws_url.startswith("wss://"):  # a loopback proxy with a self-signed test certificate
        tls = ssl.create_default_context()
        tls.check_hostname = False
        tls.verify_mode = ssl.CERT_NONE
    return connect(
        ws_url,
        subprotocols=[Subprotocol("streamlit")],
        origin=Origin(origin),
        max_size=None,
        open_timeout=timeout,
        ping_interval=None,
        ssl=tls,
    )


async def _session(
    i: int, ws_url: str, origin: str, page: str, queries: list[str], timeout: float, start: asyncio.Event
) -> list[Run]:
    """One session running `page` once per query string: a journey that stays on one page."""
    steps = tuple(Step(str(k), page, q) for k, q in enumerate(queries))
    return await _journey_session(i, ws_url, origin, steps, timeout, start)


async def load_async(
    url: str, page: str = "", query: str | list[str] = "", sessions: int = 1, runs: int = 3, timeout: float = 60.0
) -> LoadResult:
    """`sessions` concurrent sessions, each `runs` runs of `page` (url_path, "" = default page). `query` is the
    query string of every run, or a list with one query string per run (a filter change)."""
    if not 1 <= sessions <= MAX_SESSIONS or not 1 <= runs <= MAX_RUNS:
        raise ValueError(f"sessions 1..{MAX_SESSIONS}, runs 1..{MAX_RUNS}")
    queries = [query] * runs if isinstance(query, str) else list(query)
    if len(queries) != runs:
        raise ValueError("one query string per run")
    ws_url, origin = _ws_url(url)
    start = asyncio.Event()
    tasks = [asyncio.create_task(_session(i, ws_url, origin, page, queries, timeout, start)) for i in range(sessions)]
    await asyncio.sleep(0)  # let every session connect before the first run is sent
    t0 = time.perf_counter()
    start.set()
    results = [r for rs in await asyncio.gather(*tasks) for r in rs]
    wall = time.perf_counter() - t0
    ok = [r for r in results if not r.error]
    per_run = [stats([r.seconds for r in ok if r.index == k]) for k in range(runs)]
    errors = [f"session {r.session} run {r.index}: {r.error}" for r in results if r.error]
    expected = sessions * runs
    if len(results) < expected and not errors:
        errors.append(f"{expected - len(results)} runs missing")
    return LoadResult(
        url, page, queries[0], sessions, runs, round(wall, 3), stats([r.seconds for r in ok]), per_run, errors, results
    )


async def one_session_async(url: str, page: str, queries: list[str], timeout: float = 60.0) -> list[tuple]:
    """One session, one run per query string: [(seconds, error or None, element texts), ...]."""
    ws_url, origin = _ws_url(url)
    out = []
    async with _connect(ws_url, origin, timeout) as ws:
        s = Session(ws, page)
        for q in queries[:MAX_RUNS]:
            t0 = time.perf_counter()
            err = await asyncio.wait_for(s.run(q), timeout)
            out.append((time.perf_counter() - t0, err, list(s.texts)))
    return out


# ---------------------------------------------------------------------------------------------
# A reader's journey: Overblik, a filter change, two detail pages, on one websocket


@dataclass(frozen=True)
class Step:
    name: str
    page: str  # url_path ("" = the default page)
    query: str


JOURNEY = (
    Step("Overblik", "", ""),
    Step("Overblik, filter ændret", "", "kommune=Aarhus&aar=2019&aar=2025"),
    Step("Udgifter", "udgifter", "kommune=Aarhus&aar=2019&aar=2025"),
    Step("Kapacitet", "kapacitet", "kommune=Aarhus&aar=2019&aar=2025"),
)
# The trivial app has one page: the same four runs on it, the second and later with a new query string.
TRIVIAL_JOURNEY = tuple(Step(s.name, "", s.query) for s in JOURNEY)


@dataclass
class JourneyResult:
    url: str
    sessions: int
    wall_s: float
    steps: dict[str, Stats]  # by step name, in journey order
    all: Stats
    errors: list[str] = field(default_factory=list)

    @property
    def worst_p95(self) -> float | None:
        values = [s.p95_s for s in self.steps.values() if s.p95_s is not None]
        return max(values) if values else None

    def as_dict(self) -> dict:
        d = asdict(self)
        d["worst_p95_s"] = self.worst_p95
        return d


async def _journey_session(
    i: int, ws_url: str, origin: str, steps: tuple[Step, ...], timeout: float, start: asyncio.Event
) -> list[Run]:
    out: list[Run] = []
    try:
        async with _connect(ws_url, origin, timeout) as ws:
            s = Session(ws, steps[0].page)
            await start.wait()
            for k, step in enumerate(steps):
                s.page = step.page
                t0 = time.perf_counter()
                try:
                    err = await asyncio.wait_for(s.run(step.query), timeout)
                except TimeoutError:
                    out.append(Run(i, k, time.perf_counter() - t0, f"timeout after {timeout} s"))
                    return out
                out.append(Run(i, k, time.perf_counter() - t0, err))
    except Exception as e:  # connection refused or closed: one error for the session
        out.append(Run(i, len(out), 0.0, f"{type(e).__name__}: {e}"))
    return out


async def journey_async(
    url: str, sessions: int, steps: tuple[Step, ...] = JOURNEY, timeout: float = 120.0
) -> JourneyResult:
    """`sessions` concurrent readers, each walking `steps` once on its own websocket; p50/p95 per step."""
    if not 1 <= sessions <= MAX_SESSIONS or not 1 <= len(steps) <= MAX_RUNS:
        raise ValueError(f"sessions 1..{MAX_SESSIONS}, steps 1..{MAX_RUNS}")
    ws_url, origin = _ws_url(url)
    start = asyncio.Event()
    tasks = [asyncio.create_task(_journey_session(i, ws_url, origin, steps, timeout, start)) for i in range(sessions)]
    await asyncio.sleep(0)
    t0 = time.perf_counter()
    start.set()
    results = [r for rs in await asyncio.gather(*tasks) for r in rs]
    wall = time.perf_counter() - t0
    ok = [r for r in results if not r.error]
    per_step = {st.name: stats([r.seconds for r in ok if r.index == k]) for k, st in enumerate(steps)}
    errors = [f"session {r.session} step {r.index}: {r.error}" for r in results if r.error]
    if len(results) < sessions * len(steps) and not errors:
        errors.append(f"{sessions * len(steps) - len(results)} steps missing")
    return JourneyResult(url, sessions, round(wall, 3), per_step, stats([r.seconds for r in ok]), errors)


def journey(*args, **kwargs) -> JourneyResult:
    return _run(journey_async(*args, **kwargs))


def _run(coro):
    """asyncio.run in a thread of its own: the caller's thread may already run an event loop (Playwright's
    sync API keeps one running in the test session's main thread)."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def one_session(url: str, page: str, queries: list[str], timeout: float = 60.0) -> list[tuple]:
    return _run(one_session_async(url, page, queries, timeout))


def load(*args, **kwargs) -> LoadResult:
    return _run(load_async(*args, **kwargs))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n")[0])
    ap.add_argument("url", help="the server, e.g. http://127.0.0.1:8501 (loopback only)")
    ap.add_argument("--page", default="", help='url_path of the page ("" = the default page)')
    ap.add_argument("--query", default="", help="query string without '?', e.g. 'aar=2019&aar=2025'")
    ap.add_argument("-n", "--sessions", type=int, default=1)
    ap.add_argument("-r", "--runs", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per run")
    ap.add_argument("--journey", action="store_true", help="each session: Overblik, a filter change, two pages")
    args = ap.parse_args(argv)
    if args.journey:
        jr = journey(args.url, args.sessions, timeout=args.timeout)
        print(json.dumps(jr.as_dict(), indent=2, ensure_ascii=False))
        return 1 if jr.errors else 0
    res = load(args.url, args.page, args.query, args.sessions, args.runs, args.timeout)
    print(json.dumps(res.as_dict(), indent=2))
    return 1 if res.errors else 0


if __name__ == "__main__":
    sys.exit(main())
