"""The view cache (overblik/viewcache.py): a warm page run builds nothing again, a new snapshot gives new
numbers, other filters other entries, the cache stays bounded, shared results are never changed by their
users, and twenty sessions asking at once get one build. Correctness only: nothing here is timed."""

from __future__ import annotations

import dataclasses
import shutil
import threading

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from overblik import charts, db, store, viewcache

PAGES = [
    None,
    "pages/udgifter.py",
    "pages/kapacitet.py",
    "pages/centrale-udmeldinger.py",
    "pages/handlingsplan.py",
    "pages/om-data.py",
]


@pytest.fixture
def counted_figures(monkeypatch):
    """Counts the Plotly figures built (in any thread: AppTest runs the script in its own)."""
    calls = []
    original = go.Figure.__init__

    def init(self, *args, **kwargs):
        calls.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(go.Figure, "__init__", init)
    return calls


@pytest.mark.parametrize("page", PAGES)
def test_a_second_run_with_the_same_snapshot_and_filters_builds_nothing(app_test, page, counted_figures):
    viewcache.clear()
    first = app_test(page=page)
    assert not first.exception, first.exception
    if page in (None, "pages/udgifter.py", "pages/kapacitet.py", "pages/handlingsplan.py"):
        assert counted_figures, "the first run builds the page's figures"
    built = viewcache.size()
    assert built > 0
    counted_figures.clear()
    viewcache.stats.update(hits=0, misses=0)

    second = app_test(page=page)  # a new session: the same numbers, nothing rebuilt
    assert not second.exception, second.exception
    assert counted_figures == []
    assert viewcache.stats["misses"] == 0 and viewcache.stats["hits"] > 0
    assert viewcache.size() == built
    assert [m.value for m in second.metric] == [m.value for m in first.metric]


def test_cached_figures_are_not_changed_by_the_pages(app_test):
    """Every session gets the same figure objects: no page may change one after its builder returned it."""
    viewcache.clear()
    for page in PAGES:
        app_test(page=page)
    figures = [f for entry in list(viewcache._entries.values()) for f in _figures(entry)]
    assert len(figures) >= 10, "the pages cache their figures"
    before = [pio.to_json(f, validate=False) for f in figures]
    for page in PAGES:
        app_test(page=page)
    assert [pio.to_json(f, validate=False) for f in figures] == before


def _figures(v):
    """The Plotly figures inside a cached result (tuples, lists, dicts, dataclasses)."""
    if isinstance(v, go.Figure):
        return [v]
    if isinstance(v, (list, tuple)):
        return [f for x in v for f in _figures(x)]
    if isinstance(v, dict):
        return [f for x in v.values() for f in _figures(x)]
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return [f for fld in dataclasses.fields(v) for f in _figures(getattr(v, fld.name))]
    return []


def test_a_new_published_snapshot_gives_new_numbers(data_dir, tmp_path, monkeypatch, sql):
    """The cache is keyed by the snapshot: after a publish the same filters give the new snapshot's
    numbers (checked against independent SQL over each snapshot's Parquet files)."""
    from overblik import overblik as overview

    base = tmp_path / "data"
    shutil.copytree(data_dir, base)
    monkeypatch.setenv("OVERBLIK_DATA_DIR", str(base))
    viewcache.clear()
    first = store.current_id(base)
    codes = [int(c) for c in sql("SELECT municipality_code FROM {municipalities}").municipality_code]
    params = {"year_from": 2016, "year_to": 2026, "municipalities": codes, "area": "alle"}

    db.pin(first)
    before = overview.spending(params, True)
    assert overview.spending(params, True).value_mio_kr == before.value_mio_kr  # a hit

    tables = store.read_tables(first, base)
    tables["spending"] = tables["spending"].assign(net_1000_dkk=tables["spending"]["net_1000_dkk"] * 2)
    doc = store.manifest(first, base)
    meta = {n: store.TableMeta(e["provenance"], e["source"], e["data_date"]) for n, e in doc["tables"].items()}
    second = store.publish(tables, meta, note="dobbelt", based_on=first, base=base)
    try:
        db.pin(second)
        after = overview.spending(params, True)
    finally:
        db.pin(None)

    def expected(sid: str) -> float:
        """Net spending in the latest accounts year, in the latest year's prices, mio. kr."""
        folder = base / "snapshots" / sid
        spending = pd.read_parquet(folder / "spending.parquet")
        index = pd.read_parquet(folder / "price_index.parquet").sort_values("year")
        spending = spending[spending["municipality_code"].isin(codes)]  # the served region's
        rows = spending[(spending["kind"] == "regnskab") & (spending["year"] == before.year)].merge(index, on="year")
        return float((rows["net_1000_dkk"] * index["index"].iloc[-1] / rows["index"]).sum() / 1000)

    assert before.value_mio_kr == pytest.approx(expected(first), rel=1e-6)
    assert after.value_mio_kr == pytest.approx(expected(second), rel=1e-6)
    assert after.value_mio_kr == pytest.approx(2 * before.value_mio_kr, rel=1e-6)


def test_other_filters_are_other_entries(data_dir, sql):
    from overblik import overblik as overview

    viewcache.clear()
    codes = [int(c) for c in sql("SELECT municipality_code FROM {municipalities}").municipality_code]
    region = {"year_from": 2016, "year_to": 2026, "municipalities": codes, "area": "alle"}
    one = {**region, "municipalities": codes[:1]}
    a = overview.spending(region, True)
    b = overview.spending(one, False)
    assert _entries("overblik.overblik.spending") == 2
    assert a.value_mio_kr != b.value_mio_kr
    misses = viewcache.stats["misses"]
    assert overview.spending(region, True).value_mio_kr == a.value_mio_kr
    assert overview.spending(one, False).value_mio_kr == b.value_mio_kr
    assert viewcache.stats["misses"] == misses and _entries("overblik.overblik.spending") == 2


def _entries(name: str) -> int:
    return sum(1 for key in viewcache._entries if key[1] == name)


def test_the_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(viewcache, "MAX_ENTRIES", 5)
    viewcache.clear()

    @viewcache.cached
    def square(x):
        return x * x

    for i in range(20):
        assert square(i) == i * i
    assert viewcache.size() == 5
    assert square(19) == 361 and viewcache.stats["hits"] == 1  # the newest are kept


def test_callers_get_their_own_frames():
    viewcache.clear()

    @viewcache.cached
    def frame(n):
        return {"table": pd.DataFrame({"a": range(n)})}

    mine = frame(3)
    mine["table"]["b"] = 1  # a caller adds a column and writes a cell
    mine["table"].loc[0, "a"] = 99
    again = frame(3)
    assert list(again["table"].columns) == ["a"] and again["table"]["a"].tolist() == [0, 1, 2]


def test_twenty_sessions_at_once_get_one_build():
    viewcache.clear()
    builds = []
    started, gate = threading.Event(), threading.Event()

    @viewcache.cached
    def slow(x):
        builds.append(x)
        started.set()
        assert gate.wait(10)
        return [x]

    results = []
    threads = [threading.Thread(target=lambda: results.append(slow(7))) for _ in range(20)]
    for t in threads:
        t.start()
    assert started.wait(10)
    gate.set()  # the others waited for this build (or came after it and found it)
    for t in threads:
        t.join(10)
    assert builds == [7] and results == [[7]] * 20


def test_a_failed_build_is_not_cached():
    viewcache.clear()
    calls = []

    @viewcache.cached
    def flaky(x):
        calls.append(x)
        if len(calls) == 1:
            raise RuntimeError("boom")
        return x

    with pytest.raises(RuntimeError):
        flaky(1)
    assert flaky(1) == 1 and calls == [1, 1]


def test_missing_values_in_arguments_are_one_key():
    """A row from to_dict() carries new NaN objects every run: they must still find the cached result."""
    assert viewcache.key_of({"note": float("nan"), "n": np.float64("nan")}) == viewcache.key_of(
        {"note": float("nan"), "n": np.float64("nan")}
    )
    assert viewcache.key_of([pd.NaT, pd.NA, None]) == viewcache.key_of([pd.NaT, pd.NA, None])
    assert viewcache.key_of(1.0) != viewcache.key_of(float("nan"))


def test_arguments_that_cannot_be_keyed_run_uncached():
    viewcache.clear()

    @viewcache.cached
    def first(x):
        return next(iter(x))

    assert first(iter([4])) == 4  # an iterator has no value to key on
    assert viewcache.size() == 0


def test_frames_are_keyed_by_content_and_a_change_in_place_is_seen():
    a = pd.DataFrame({"x": [1, 2, 3], "name": ["a", "b", None], "n": pd.array([1, None, 3], dtype="Int64")})
    b = a.copy()
    assert viewcache.key_of(a) == viewcache.key_of(b) == viewcache.key_of(a.copy(deep=False))
    before = viewcache.key_of(a)
    assert viewcache.key_of(a) == before  # again: the same object, unchanged
    a.loc[0, "x"] = 9
    assert viewcache.key_of(a) != before
    changed = viewcache.key_of(a)
    a["y"] = 1
    assert viewcache.key_of(a) != changed
    assert viewcache.key_of(b) == before
    assert viewcache.key_of(b.iloc[::-1]) != before  # other order, other frame


def test_a_frozen_figure_sends_what_its_builder_built(app_test):
    """Cached figures serialise once; st.plotly_chart gets the very JSON the unfrozen figure gives once its
    data text is escaped (charts.safe, as ui.chart does for an uncached figure)."""
    from overblik import overblik as overview

    viewcache.clear()
    app_test()
    p = overview.plan(pd.Timestamp("2026-11-29").date())
    fig, _table = overview.plan_figure(p)
    fresh, _ = overview.plan_figure.uncached(p)
    fresh = charts.safe(fresh)
    assert pio.to_json(fig.to_dict(), validate=False) == pio.to_json(fresh, validate=False)
    fig.to_dict()["layout"]["title"] = "changed"  # a caller's copy: the cached figure stays as it was
    assert pio.to_json(fig.to_dict(), validate=False) == pio.to_json(fresh, validate=False)


def test_a_frame_handed_out_and_changed_in_place_gets_a_new_key():
    viewcache.clear()

    @viewcache.cached
    def table():
        return pd.DataFrame({"x": [1, 2, 3], "name": ["a", "b", "c"]})

    mine = table()
    key = viewcache.key_of(mine)
    assert key == viewcache.key_of(table()) == viewcache.key_of(pd.DataFrame({"x": [1, 2, 3], "name": ["a", "b", "c"]}))
    mine.loc[0, "x"] = 9
    assert viewcache.key_of(mine) == viewcache.key_of(pd.DataFrame({"x": [9, 2, 3], "name": ["a", "b", "c"]}))
    other = table()
    other.index = [2, 1, 0]
    assert viewcache.key_of(other) != key
    third = table()
    third["y"] = 0
    assert viewcache.key_of(third) != key
    assert viewcache.key_of(table()) == key


def test_a_snapshot_opened_first_has_its_default_views_built(app_test, counted_figures):
    """data.begin_run warms the landing page (and Udgifter) when a process first opens a snapshot: the
    reader's first run of Overblik with the default filters then builds no figure."""
    from overblik import data

    viewcache.clear()
    data._warmed.clear()
    data.begin_run()  # what dashboard.py does first in every run
    db.pin(None)
    names = {key[1] for key in viewcache._entries}
    assert {"overblik.overblik.spending_figure", "overblik.overblik.plan_figure", "overblik.udgifter.view"} <= names
    assert "overblik.siden._compare" in names  # "Siden mødet" for the default meeting
    counted_figures.clear()
    before = set(viewcache._entries)
    at = app_test()
    assert not at.exception
    assert counted_figures == []
    assert [k[1] for k in set(viewcache._entries) - before if k[1] == "overblik.siden._compare"] == []


def test_a_snapshot_opened_first_settles_the_heap():
    """After warming, data.begin_run collects once and freezes what is alive (gc.freeze), so Python's later
    full collections skip the warmed views, figures and modules; opening a snapshot again unfreezes first,
    so what was alive then and is garbage now is collected."""
    import gc
    import weakref

    from overblik import data

    class Node:
        pass

    node = Node()
    node.me = node  # a reference cycle: only the cycle collector frees it
    ref = weakref.ref(node)
    gc.unfreeze()
    try:
        data._warmed.clear()
        data.begin_run()
        db.pin(None)
        assert gc.get_freeze_count() > 10_000  # modules, pandas, plotly, the warmed views
        del node
        gc.collect()
        assert ref() is not None, "frozen: the collector leaves it alone"
        data._warmed.clear()
        data.begin_run()  # a snapshot opened anew: unfreeze, collect, freeze
        db.pin(None)
        assert ref() is None
    finally:
        gc.unfreeze()
