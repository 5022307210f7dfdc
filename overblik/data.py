"""What the pages know about the data: this run's snapshot, its manifest, provenance per table.

Pages read data only through here and through db.run(); they never touch files. dashboard.py calls
begin_run() once at the start of every run: it reads CURRENT once, opens (and on first open verifies)
that snapshot and pins it for the run, so every query, caption and marker of one page comes from one
snapshot even if a publish happens meanwhile. Outside a run (command line, unit tests) the defaults
read CURRENT.
"""

from __future__ import annotations

import atexit
import datetime as dt
import gc
import logging
import threading
from dataclasses import dataclass

import pandas as pd

from overblik import clock, db, fmt, store, viewcache

log = logging.getLogger(__name__)

_good_lock = threading.Lock()
_last_good: dict[str, str] = {}  # data folder -> the last snapshot this process opened and verified
_warmed: set[tuple[str, str]] = set()  # (data folder, snapshot id) whose default views are built
db._clear_hooks.append(_warmed.clear)


@dataclass(frozen=True)
class RunSnapshot:
    """The snapshot a page run uses; `damaged` is set when CURRENT's snapshot was refused."""

    sid: str
    damaged: store.SnapshotDamaged | None = None

    def warning(self) -> str | None:
        """The Danish notice shown when the run falls back to the last good snapshot."""
        if self.damaged is None:
            return None
        return (
            f"Det nyeste datasæt ({store.name_of(self.damaged.sid)}) er beskadiget og bruges ikke: "
            + "; ".join(self.damaged.problems)
            + f". Siden viser det seneste gyldige datasæt, {store.name_of(self.sid)}. Udgiv data igen, eller rul "
            "tilbage."
        )


def begin_run() -> RunSnapshot:
    """Read CURRENT once, open and pin its snapshot for this run; fall back to the last good one.

    Raises store.SnapshotDamaged when CURRENT's snapshot is damaged and this process never had a
    good one, and store.StoreError when there is no data at all.
    """
    db.pin(None)
    base = str(store.data_dir())
    sid = store.current_id()
    try:
        db.connection(sid)
    except store.SnapshotDamaged as e:
        with _good_lock:
            good = _last_good.get(base)
        if good is None:
            raise
        db.pin(good)
        return RunSnapshot(good, e)
    with _good_lock:
        _last_good[base] = sid
        first = (base, sid) not in _warmed
        _warmed.add((base, sid))
    db.pin(sid)
    if first:
        warm()
        settle_heap()
    return RunSnapshot(sid)


def settle_heap() -> None:
    """After warming a snapshot: one full garbage collection, then everything alive (modules, the warmed
    views and figures, the DuckDB connections) is moved out of the collector's way (gc.freeze). Python's
    full collections walk every tracked object; with pandas, plotly and the caches in the heap they took
    60-140 ms each, now and then in the middle of a reader's page run. Each newly opened snapshot settles
    again, unfreezing first, so the views of an older snapshot can be collected once they are dropped."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


# At exit the frozen objects are collected as usual (DuckDB's bindings report what is left as leaked).
atexit.register(gc.unfreeze)


def warm() -> None:
    """Build the default views once when a snapshot is first opened (the landing page Overblik and the
    heaviest page, Udgifter, with the default filters): their queries, view data and figures are then
    cached (db, overblik.viewcache) before the readers who arrive together ask for them. Readers who
    ask meanwhile wait for these builds instead of repeating them. Best effort: a failure here shows up
    in the page run itself."""
    from overblik import clock, costcurve, filters
    from overblik import overblik as overview
    from overblik import udgifter as u

    try:
        opts = filters.options()
        f = filters.Filters(opts["years"][0], opts["years"][-1], (), tuple(opts["municipalities"]), opts["names"])
        p, day = f.params(), clock.today()
        spend, cap, notices, plan = (
            overview.spending(p, f.whole_region),
            overview.capacity_block(p),
            overview.notices(day),
            overview.plan(day),
        )
        if not spend.trend.empty:
            overview.spending_figure(spend)
        if cap.year is not None:
            overview.capacity_figure(cap)
        overview.notice_figure(notices, day)
        overview.plan_figure(plan)
        u.view(f, fixed=u.PRICES[0] == "Faste", per_capita=u.VIEWS[0] == "Pr. indbygger", breakdown=u.BREAKDOWNS[0])
        # Overblik's "Siden mødet" for the default meeting (the comparison across snapshots is the
        # heaviest build of the landing page)
        from overblik import handlingsplan as hp
        from overblik import siden

        meetings = hp.meeting_choices(day)
        if meetings:
            label = list(meetings)[hp.default_meeting_index(meetings, day)]
            overview.plan(day, label)
            siden.compare(meetings[label], p, f.whole_region, day)
        costcurve.view(p, f.scope_label)  # the cost curve: first on Overblik, a section of Udgifter
    except Exception:  # warming must never stop a page run
        log.warning("Warming the default views failed", exc_info=True)


# A table's provenance as every page, download and workbook names it.
PROVENANCE_DA = {"real": "Reelle data", "illustrative": "Fiktive eksempeldata"}


@dataclass(frozen=True)
class Provenance:
    tables: tuple[str, ...]
    sources: tuple[str, ...]
    data_date: str | None  # the newest data date among the tables, ISO
    illustrative: bool

    def caption(self) -> str:
        """'Kilde: ... · Data pr. 20. nov. 2026'."""
        text = "Kilde: " + "; ".join(fmt.md(s) for s in self.sources)
        if self.data_date:
            text += f" · Data pr. {fmt.date(self.data_date)}"
        return text


def snapshot_id() -> str:
    """This run's snapshot (outside a run: the current one)."""
    return db.snapshot_id()


def manifest(sid: str | None = None) -> dict:
    return store.manifest(sid or snapshot_id())


@viewcache.cached
def provenance(*tables: str, sid: str | None = None) -> Provenance:
    """Sources, data date and illustrative flag for the tables a figure rests on (cached: a page asks
    for it under every chart, and the manifest is a file)."""
    doc = manifest(sid)
    entries = [doc["tables"][t] for t in tables if t in doc["tables"]]
    sources: list[str] = []
    for e in entries:
        if e["source"] not in sources:
            sources.append(e["source"])
    dates = [e["data_date"] for e in entries if e.get("data_date")]
    return Provenance(
        tables=tuple(tables),
        sources=tuple(sources),
        data_date=max(dates) if dates else None,
        illustrative=any(e["provenance"] == "illustrative" for e in entries),
    )


@viewcache.cached
def snapshot_summary(sid: str | None = None) -> dict:
    """The header's facts: id, newest data date, whether any table is illustrative."""
    doc = manifest(sid)
    dates = [t["data_date"] for t in doc["tables"].values() if t.get("data_date")]
    return {
        "id": doc["id"],
        "created": doc.get("created"),
        "data_date": max(dates) if dates else None,
        "illustrative": store.is_illustrative(doc),
        "illustrative_tables": [n for n, t in doc["tables"].items() if t["provenance"] == "illustrative"],
    }


@viewcache.cached
def dataset_name(sid: str | None = None, *, full: bool = False) -> str:
    """This run's snapshot (or `sid`) by the name users read (store.dataset_name): '29. nov. 2026 kl. 13.01',
    `full` with who and the note. Plain text."""
    return store.doc_name(manifest(sid), full=full)


# ---------------------------------------------------------------------------------------------
# The published snapshots, and the one a meeting saw

TZ = clock.TZ  # Danish time, the clock's


@dataclass(frozen=True)
class SnapshotRef:
    """A published snapshot as the pages name it: id, when it was published (and by whom, with which note),
    whether it is illustrative."""

    sid: str
    created: pd.Timestamp  # UTC
    illustrative: bool
    by: str | None = None
    note: str | None = None

    @property
    def published(self) -> dt.date:
        """The day it was published, Danish time."""
        return self.created.tz_convert(TZ).date()

    @property
    def name(self) -> str:
        """'29. nov. 2026 kl. 13.01' ('Eksempeldata, 20. nov. 2026'): store.dataset_name, the one rule."""
        return store.dataset_name(self.sid, self.created)

    @property
    def full_name(self) -> str:
        """'29. nov. 2026 kl. 13.01, rikke@kommune.dk: Kapacitet efter indberetning' (plain text)."""
        return store.dataset_name(self.sid, self.created, self.by, self.note, full=True)

    @property
    def label(self) -> str:
        """'datasæt 29. nov. 2026 kl. 13.01, rikke@kommune.dk: Kapacitet efter indberetning' (plain text)."""
        return f"datasæt {self.full_name}"


def snapshot_ref(doc: dict) -> SnapshotRef:
    return SnapshotRef(
        doc["id"],
        pd.Timestamp(doc["created"]).tz_convert("UTC"),
        store.is_illustrative(doc),
        doc.get("published_by"),
        doc.get("note"),
    )


def snapshots() -> list[SnapshotRef]:
    """Every complete snapshot, oldest published first (read once per state of the store)."""
    return _snapshots(store.state())


@viewcache.cached
def _snapshots(state: tuple) -> list[SnapshotRef]:
    return [snapshot_ref(d) for d in store.list_snapshots()]


def snapshot_at(day: dt.date, refs: list[SnapshotRef] | None = None) -> SnapshotRef | None:
    """The snapshot current at a meeting: the latest published on or before `day` (None: none yet)."""
    before = [r for r in (refs if refs is not None else snapshots()) if r.published <= day]
    return before[-1] if before else None
