"""Built view data and figures, cached per (data folder, snapshot id, today, function, arguments).

Twenty readers opening a page within the same minute ask for the same numbers, and those only change
when a snapshot is published (or the day changes). db.run already caches query results; this caches
the Python work after them: frames reshaped, texts written, Plotly figures built. A slice marks its
entry functions and figure builders:

    @viewcache.cached
    def gap_by_target_group(*, year_from, year_to, municipalities, area) -> pd.DataFrame: ...

Keys: the data folder, the snapshot pinned for this run (db.snapshot_id()), clock.today(), the
served region (overblik.region, configuration), the function, and its arguments by value: numbers,
texts, dates, lists, dicts, dataclasses (field by field, e.g. filters.Filters) and DataFrames/Series
(by content hash). A call whose arguments cannot be keyed simply runs uncached. A newly published snapshot therefore gets new entries; old ones age out.
So a cached function may depend only on its arguments, the snapshot (through db.run and data) and
clock.today(): never on st.session_state, the URL, the time of day or files outside the snapshot.

Bounded: at most MAX_ENTRIES results (least recently used first out). Thread safe: one lock around the
table; a result that 20 sessions ask for at once is built by the first, and the others wait for it
(a failed build is retried by the next caller, and its exception is not cached).

Sharing rules: every caller gets the same figure objects (read-only: nothing may change a figure after
its builder returned it; st.plotly_chart only reads it). A cached figure is frozen: its to_dict() (what
st.plotly_chart serialises on every run, with numpy arrays base64-encoded) is computed once, and each
call returns a fresh dict parsed from that JSON. Frames are handed out as shallow copies
(pandas copy-on-write), and lists, dicts and dataclasses around them are copied, so a caller that adds
a column or sorts in place changes its own copy, never the cached result.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import functools
import hashlib
import json
import threading
import weakref
from collections import OrderedDict

import numpy as np
import pandas as pd
import plotly.io as pio
from plotly.basedatatypes import BaseFigure

from overblik import charts, clock, db, region, store

MAX_ENTRIES = 512

_lock = threading.Lock()
_entries: OrderedDict[tuple, object] = OrderedDict()
_building: dict[tuple, threading.Event] = {}
_original_keys: dict[int, tuple] = {}  # id(cached frame) -> (weakref, content key)
_handed_out: dict[int, tuple] = {}  # id(copy handed out) -> (weakref, signature, key, cached frame)
stats = {"hits": 0, "misses": 0}  # for tests and the bench; approximate under concurrency


_MISSING = object()


class Unkeyable(TypeError):
    pass


def _content_key(v: pd.DataFrame | pd.Series) -> tuple:
    """A frame by content (column names, dtypes, values, index), hashed column by column."""
    frame = v.to_frame() if isinstance(v, pd.Series) else v
    h = hashlib.blake2b(digest_size=20)
    h.update(repr((type(v).__name__, [str(c) for c in frame.columns], [str(t) for t in frame.dtypes])).encode())
    h.update(repr(frame.shape).encode())
    for _, col in frame.items():
        arr = col.to_numpy()
        if arr.dtype == object:
            h.update(repr(arr.tolist()).encode())
        else:
            h.update(np.ascontiguousarray(arr).tobytes())
    idx = frame.index
    h.update(repr((idx.start, idx.stop, idx.step) if isinstance(idx, pd.RangeIndex) else idx.tolist()).encode())
    return (type(v).__name__, h.digest())


def _signature(v) -> tuple | None:
    """A fingerprint of a frame's arrays, shape, columns and index objects."""
    try:
        arrays = tuple(id(b.values) for b in v._mgr.blocks)
    except AttributeError:
        return None
    cols = tuple(v.columns) if isinstance(v, pd.DataFrame) else (v.name,)
    return (v.shape, cols, id(v.index), arrays)


def _frame_key(v: pd.DataFrame | pd.Series) -> tuple:
    """A frame's key. A frame this cache handed out (a shallow copy of a cached frame, which the memo
    keeps alive, so pandas copy-on-write gives the copy new arrays on any write) reuses the cached
    frame's key as long as its fingerprint is unchanged; any other frame is hashed."""
    known = _handed_out.get(id(v))
    if known is not None and known[0]() is v and known[1] == _signature(v):
        return known[2]
    return _content_key(v)


def _hand_out(original: pd.DataFrame | pd.Series) -> pd.DataFrame | pd.Series:
    copy_ = original.copy(deep=False)
    sig = _signature(copy_)
    if sig is not None:
        with _lock:
            known = _original_keys.get(id(original))
        if known is None or known[0]() is not original:
            oid = id(original)
            known = (weakref.ref(original, lambda _r: _original_keys.pop(oid, None)), _content_key(original))
            with _lock:
                _original_keys[oid] = known
        cid = id(copy_)
        ref = weakref.ref(copy_, lambda _r: _handed_out.pop(cid, None))
        with _lock:
            _handed_out[cid] = (ref, sig, known[1], original)
    return copy_


def key_of(v) -> object:
    """A hashable key for an argument, by value; raises Unkeyable for what it cannot key."""
    if isinstance(v, float) and v != v:
        return ("nan",)  # every NaN is one key (NaN != NaN, and its hash is its identity)
    if v is None or isinstance(v, (str, bytes, bool, int, float, dt.date, dt.datetime)):
        return (type(v).__name__, v)
    if isinstance(v, np.generic):
        return key_of(v.item())
    if isinstance(v, (pd.DataFrame, pd.Series)):
        return _frame_key(v)
    if isinstance(v, (list, tuple)):
        return (type(v).__name__, tuple(key_of(x) for x in v))
    if isinstance(v, (set, frozenset)):
        return ("set", tuple(sorted((key_of(x) for x in v), key=repr)))
    if isinstance(v, dict):
        return ("dict", tuple((key_of(k), key_of(x)) for k, x in v.items()))
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return (type(v).__qualname__, tuple(key_of(getattr(v, f.name)) for f in dataclasses.fields(v)))
    if v is pd.NaT or v is pd.NA:
        return (repr(v),)
    raise Unkeyable(f"cannot key a {type(v).__name__}")


def detach(v):
    """What a caller gets: frames as shallow copies, containers and dataclasses copied around them;
    figures and other objects shared as they are."""
    if isinstance(v, (pd.DataFrame, pd.Series)):
        return _hand_out(v)
    if isinstance(v, list):
        return [detach(x) for x in v]
    if isinstance(v, tuple) and not hasattr(v, "_fields"):
        return tuple(detach(x) for x in v)
    if isinstance(v, dict):
        return {k: detach(x) for k, x in v.items()}
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        out = copy.copy(v)
        for f in dataclasses.fields(v):
            object.__setattr__(out, f.name, detach(getattr(v, f.name)))
        return out
    return v


def freeze(v) -> None:
    """Freeze the figures inside a result to be cached (see the module doc)."""
    if isinstance(v, BaseFigure):
        charts.safe(v)  # data text escaped once, before the figure is shared and its JSON fixed
        object.__setattr__(v, "_overblik_safe", True)
        spec = pio.to_json(v, validate=False)
        object.__setattr__(v, "to_dict", lambda: json.loads(spec))
    elif isinstance(v, (list, tuple)):
        for x in v:
            freeze(x)
    elif isinstance(v, dict):
        for x in v.values():
            freeze(x)
    elif dataclasses.is_dataclass(v) and not isinstance(v, type):
        for f in dataclasses.fields(v):
            freeze(getattr(v, f.name))


def _context() -> tuple:
    return (str(store.data_dir()), db.snapshot_id(), clock.today(), region.code())


def cached(func):
    """Cache func's result per (data folder, snapshot, today, arguments); see the module doc."""
    name = f"{func.__module__}.{func.__qualname__}"

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            key = (
                _context(),
                name,
                key_of(args),
                tuple(sorted((k, key_of(v)) for k, v in kwargs.items())),
            )
        except Unkeyable:
            return func(*args, **kwargs)
        while True:
            with _lock:
                hit = _entries.get(key, _MISSING)
                if hit is not _MISSING:
                    _entries.move_to_end(key)
                    stats["hits"] += 1
                else:
                    waiting = _building.get(key)
                    if waiting is None:
                        done = _building[key] = threading.Event()
                        break
            if hit is not _MISSING:
                return detach(hit)
            assert waiting is not None
            waiting.wait()  # another session is building it: use its result (or build it if it failed)
        try:
            result = func(*args, **kwargs)
            freeze(result)
            with _lock:
                stats["misses"] += 1
                _entries[key] = result
                while len(_entries) > MAX_ENTRIES:
                    _entries.popitem(last=False)
        finally:
            with _lock:
                del _building[key]
            done.set()
        return detach(result)

    wrapper.uncached = func  # type: ignore[attr-defined]
    return wrapper


def clear() -> None:
    """Drop every cached result (db.clear() calls this too)."""
    with _lock:
        _entries.clear()
        stats["hits"] = stats["misses"] = 0


db._clear_hooks.append(clear)


def size() -> int:
    with _lock:
        return len(_entries)
