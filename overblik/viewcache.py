"""Built view data and figures, cached per (data folder, snapshot id, today, function, arguments).

Twenty readers opening a page within the same minute ask for the same numbers, and those only change
when a snapshot is published (or the day changes). db.run already caches query results; this caches
the Python work after them: frames reshaped, texts written, Plotly figures built. A slice marks its
entry functions and figure builders:

    @viewcache.cached
    def gap_by_target_group(*, year_from, year_to, municipalities, area) -> pd.DataFrame: ...

Keys: the data folder, the snapshot pinned for this run (db.snapshot_id()), clock.today(), the
function, and its arguments by value: numbers, texts, dates, lists, dicts, dataclasses (field by field,
e.g. filters.Filters) and DataFrames/Series (by content hash). A call whose arguments cannot be keyed
simply runs uncached. A newly published snapshot therefore gets new entries; old ones age out.

Bounded: at most MAX_ENTRIES results (least recently used first out). Thread safe: one lock around the
table; a result that 20 sessions ask for at once is built by the first, and the others wait for it
(a failed build is retried by the next caller, and its exception is not cached).

Sharing rules: every caller gets the same figure objects (read-only: nothing may change a figure after
its builder returned it; st.plotly_chart only reads it). Frames are handed out as shallow copies
(pandas copy-on-write), and lists, dicts and dataclasses around them are copied, so a caller that adds
a column or sorts in place changes its own copy, never the cached result.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import functools
import hashlib
import pickle
import threading
from collections import OrderedDict

import numpy as np
import pandas as pd

from overblik import clock, db, store

MAX_ENTRIES = 256

_lock = threading.Lock()
_entries: OrderedDict[tuple, object] = OrderedDict()
_building: dict[tuple, threading.Event] = {}
stats = {"hits": 0, "misses": 0}  # for tests and the bench; approximate under concurrency


class Unkeyable(TypeError):
    pass


def _frame_key(v: pd.DataFrame | pd.Series) -> tuple:
    """A frame by content: a hash of its pickle (values, dtypes, index, column names; several times
    cheaper than pd.util.hash_pandas_object). Equal pickles mean equal frames; the rare frame whose
    equal content pickles differently only costs a rebuild."""
    try:
        raw = pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as e:  # cells that do not pickle
        raise Unkeyable(str(e)) from None
    return (type(v).__name__, len(raw), hashlib.blake2b(raw, digest_size=20).digest())


def key_of(v) -> object:
    """A hashable key for an argument, by value; raises Unkeyable for what it cannot key."""
    if v is None or isinstance(v, (str, bytes, bool, int, float, dt.date, dt.datetime)):
        return (type(v).__name__, v)
    if isinstance(v, np.generic):
        return ("np", v.item())
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
        return v.copy(deep=False)
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


def _context() -> tuple:
    return (str(store.data_dir()), db.snapshot_id(), clock.today())


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
                if key in _entries:
                    _entries.move_to_end(key)
                    stats["hits"] += 1
                    return detach(_entries[key])
                waiting = _building.get(key)
                if waiting is None:
                    done = _building[key] = threading.Event()
                    break
            waiting.wait()  # another session is building it: use its result (or build it if it failed)
        try:
            result = func(*args, **kwargs)
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

    wrapper.uncached = func
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
