"""DuckDB query layer: one in-memory database per snapshot, one SQL file per question.

    run("spending_by_year", year_from=2020, year_to=2025, municipalities=[751, 730])

loads queries/spending_by_year.sql and binds the named parameters ($year_from, ...). Values are
always bound, never formatted into the SQL. Results are cached by (snapshot id, query, parameters)
in a bounded LRU cache.

Which snapshot: the `snapshot=` argument, else the one pinned for this page run (`pin`, called by
data.begin_run at the start of every run of dashboard.py, so one page never mixes two snapshots),
else CURRENT (command line, unit tests): a newly published snapshot is used by the next run without
a restart. The first time a process opens a snapshot its files are checked against the manifest's
sha256 (store.check); a damaged snapshot raises store.SnapshotDamaged and is never queried.

Each database has a view per table over the snapshot's Parquet files. Once the views exist, file
access outside the snapshot folder is switched off and the configuration locked. duckdb 2.0 refuses
one connection shared by threads, so every query takes its own cursor from the cached base connection.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections import OrderedDict
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
from cachetools import LRUCache

from overblik import region, schema, store

QUERIES = store.ROOT / "queries"
MACROS = QUERIES / "_macros.sql"  # shared rules as SQL macros, created in every database
_NAME = re.compile(r"^[a-z0-9][a-z0-9_]*$")  # files starting with "_" hold macros, not questions
_BASES_KEPT = 3  # databases kept open: the current snapshot plus those compared with it

_lock = threading.Lock()
_bases: OrderedDict[tuple[str, str, int], duckdb.DuckDBPyConnection] = OrderedDict()
_results: LRUCache = LRUCache(maxsize=512)
_sql: dict[str, str] = {}
_verified: set[tuple[str, str]] = set()  # (data folder, snapshot id) checked against its manifest
_run = threading.local()  # .sid: the snapshot pinned for the page run on this thread
_clear_hooks: list = []  # caches built on the results (overblik.viewcache) register here to be cleared too


class QueryError(RuntimeError):
    pass


def _connect(base_dir: Path, sid: str, region_code: int) -> duckdb.DuckDBPyConnection:
    folder = store.snapshot_path(sid, base_dir)
    doc = store.manifest(sid, base_dir)
    con = duckdb.connect(":memory:")
    for name, entry in doc["tables"].items():
        file = folder / entry["file"]
        path = file.as_posix().replace("'", "''")
        view = _ALL.get(name, name)
        con.execute(f"CREATE VIEW {view} AS SELECT {_columns(name, file)} FROM read_parquet('{path}')")
    for name in schema.TABLES.keys() - doc["tables"].keys():
        view = _ALL.get(name, name)
        shown = [c.name for c in schema.TABLES[name].shown(editors=False)]
        con.execute(f"CREATE VIEW {view} AS SELECT {_nulls(name, shown)} WHERE false")
    _region_views(con, region_code)
    con.execute(MACROS.read_text(encoding="utf-8"))
    con.execute("SET allowed_directories = $dirs", {"dirs": [folder.as_posix() + "/"]})
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


# The served region (overblik.region) is one rule, here: the tables holding every municipality of the
# country are read as all_<table>, and <table> keeps only the configured region's municipalities, so every
# query about "the region" stays as it is. A municipality without region_code (a snapshot published before
# the contract had the column: the 19 of Region Midtjylland) counts as the configured region's.
_ALL = {"municipalities": "all_municipalities", "spending": "all_spending", "population": "all_population"}


def _region_views(con: duckdb.DuckDBPyConnection, region_code: int) -> None:
    code = int(region_code)  # an int from overblik.region, never text
    con.execute(
        f"CREATE VIEW municipalities AS SELECT * FROM all_municipalities WHERE coalesce(region_code, {code}) = {code}"
    )
    for name in ("spending", "population"):
        con.execute(
            f"CREATE VIEW {name} AS SELECT * FROM all_{name} "
            "WHERE municipality_code IN (SELECT municipality_code FROM municipalities)"
        )


# A snapshot published before a table or an optional column joined the contract still opens (after a rollback,
# say): a missing table is an empty view and a missing column is NULL, so pages show "no data", never fail.
_SQL_TYPES = {"int": "BIGINT", "float": "DOUBLE", "str": "VARCHAR", "pdate": "VARCHAR", "date": "DATE"}


def _nulls(table: str, columns) -> str:
    types = {c.name: _SQL_TYPES[c.type] for c in schema.TABLES[table].columns}
    return ", ".join(f"NULL::{types[c]} AS {c}" for c in columns)


def _columns(table: str, file: Path) -> str:
    """A view's columns: the file's, without those only editors see (schema.Column.editors_only: every page
    reads through these views, so none can show them to a reader), and NULL for a column the file lacks."""
    if table not in schema.TABLES:
        return "*"
    have = set(pq.read_schema(file).names)
    t = schema.TABLES[table]
    hidden = [c.name for c in t.columns if c.editors_only and c.name in have]
    missing = [c.name for c in t.shown(editors=False) if c.name not in have]
    return (
        "*" + (f" EXCLUDE ({', '.join(hidden)})" if hidden else "") + (", " + _nulls(table, missing) if missing else "")
    )


def pin(sid: str | None) -> None:
    """Pin the snapshot every default in this thread's page run uses (None: back to CURRENT)."""
    _run.sid = sid


@contextlib.contextmanager
def pinned(sid: str):
    """Run the slices' own functions against another snapshot for a moment (the 'then' of "Siden
    sidste møde"), then pin this run's snapshot again."""
    before = getattr(_run, "sid", None)
    _run.sid = sid
    try:
        yield
    finally:
        _run.sid = before


def snapshot_id() -> str:
    """The snapshot pinned for this run, else the current one."""
    return getattr(_run, "sid", None) or store.current_id()


def connection(sid: str | None = None) -> duckdb.DuckDBPyConnection:
    """The cached base connection for a snapshot (default: this run's). The first open in a process
    checks the snapshot's files against its manifest and raises store.SnapshotDamaged if they differ."""
    base_dir = store.data_dir()
    sid = sid or snapshot_id()
    served = region.code()
    key = (str(base_dir), sid, served)
    with _lock:
        con = _bases.get(key)
        if con is None:
            if key[:2] not in _verified:
                store.check(sid, base_dir)
                _verified.add(key[:2])
            con = _connect(base_dir, sid, served)
            _bases[key] = con
            while len(_bases) > _BASES_KEPT:
                _bases.popitem(last=False)[1].close()
        else:
            _bases.move_to_end(key)
        return con


def sql_text(name: str) -> str:
    if not _NAME.match(name):
        raise QueryError(f"Ugyldigt forespørgselsnavn: {name!r}")
    text = _sql.get(name)
    if text is None:
        path = QUERIES / f"{name}.sql"
        if not path.exists():
            raise QueryError(f"Forespørgslen {name!r} findes ikke ({path})")
        text = _sql[name] = path.read_text(encoding="utf-8")
    return text


def _freeze(v):
    if isinstance(v, (list, tuple, set)):
        return tuple(_freeze(x) for x in (sorted(v) if isinstance(v, set) else v))
    return v


def _bind(v):
    return list(v) if isinstance(v, (tuple, set)) else v


def run(name: str, *, snapshot: str | None = None, **params) -> pd.DataFrame:
    """Run queries/<name>.sql with named parameters against a snapshot (default: this run's, see module doc).

    Returns a fresh copy of the (cached) result, so callers may change it freely.
    """
    text = sql_text(name)
    base_dir = store.data_dir()
    sid = snapshot or snapshot_id()
    key = (str(base_dir), sid, region.code(), name, tuple(sorted((k, _freeze(v)) for k, v in params.items())))
    with _lock:
        hit = _results.get(key)
    if hit is None:
        cur = connection(sid).cursor()
        try:
            used = set(re.findall(r"\$([a-z_][a-z0-9_]*)", text))
            hit = cur.execute(text, {k: _bind(v) for k, v in params.items() if k in used}).df()
        finally:
            cur.close()
        with _lock:
            _results[key] = hit
    return hit.copy()


def clear() -> None:
    """Drop every cached result and database (tests, and after a rollback in the same process)."""
    with _lock:
        _results.clear()
        _sql.clear()
        _verified.clear()
        while _bases:
            _bases.popitem()[1].close()
    for hook in _clear_hooks:
        hook()
