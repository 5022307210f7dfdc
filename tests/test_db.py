"""The DuckDB query layer: named parameters stay data, caching by snapshot, new snapshots without restart."""

import duckdb
import pytest
import tiny

from overblik import db, store


@pytest.fixture
def tiny_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("OVERBLIK_DATA_DIR", str(tmp_path))
    tiny.write(tmp_path, sid="a")
    db.clear()
    yield tmp_path
    db.clear()


def test_run_binds_named_parameters(tiny_dir):
    df = db.run("filter_years")
    assert df["year"].tolist() == [2024, 2025]
    names = db.run("filter_municipalities")
    assert names["name"].tolist() == ["Aarhus", "Randers"]


@pytest.fixture
def echo_query():
    path = db.QUERIES / "test_echo.sql"
    path.write_text("SELECT $value AS value, (SELECT count(*) FROM municipalities) AS n")
    yield "test_echo"
    path.unlink()
    db._sql.pop("test_echo", None)


def test_malicious_parameter_stays_data(tiny_dir, echo_query):
    evil = "'; DROP VIEW municipalities; SELECT * FROM read_csv('/etc/passwd') --"
    out = db.run(echo_query, value=evil)
    assert out["value"].iloc[0] == evil
    assert out["n"].iloc[0] == 2
    assert len(db.run("filter_municipalities")) == 2  # the view is still there


def test_macro_files_are_not_questions(tiny_dir):
    with pytest.raises(db.QueryError):
        db.run("_macros")


def test_parameters_are_never_formatted_into_sql(tiny_dir):
    evil = "2024 OR 1=1"
    (db.QUERIES / "test_years_from.sql").write_text(
        "SELECT count(*) AS n FROM spending WHERE CAST(year AS VARCHAR) = $year"
    )
    try:
        assert db.run("test_years_from", year=evil)["n"].iloc[0] == 0
        assert db.run("test_years_from", year="2024")["n"].iloc[0] == 1
    finally:
        (db.QUERIES / "test_years_from.sql").unlink()


def test_no_file_access_from_queries(tiny_dir):
    cur = db.connection().cursor()
    with pytest.raises(Exception, match=r"(?i)permission|disabled"):
        cur.execute("SELECT * FROM read_csv('/etc/passwd')").fetchall()
    with pytest.raises(duckdb.Error):
        cur.execute("SET enable_external_access = true")


def test_new_snapshot_is_used_without_restart(tiny_dir):
    assert len(db.run("filter_municipalities")) == 2
    t = tiny.tables()
    t["municipalities"] = t["municipalities"].iloc[:1]
    t["operators"] = t["operators"][t["operators"]["operator_code"] != 730]
    store.publish(t, tiny.meta(), sid="b", base=tiny_dir)
    assert db.run("filter_municipalities")["name"].tolist() == ["Aarhus"]
    assert len(db.run("filter_municipalities", snapshot="a")) == 2  # the old one stays readable


def test_results_are_cached_and_copies(tiny_dir):
    a = db.run("filter_municipalities")
    a.loc[0, "name"] = "ændret"
    b = db.run("filter_municipalities")
    assert b["name"].iloc[0] == "Aarhus"


def test_unknown_query(tiny_dir):
    with pytest.raises(db.QueryError):
        db.run("does_not_exist")
    with pytest.raises(db.QueryError):
        db.run("../secret")


def test_threads_each_get_a_cursor(tiny_dir):
    from concurrent.futures import ThreadPoolExecutor

    db.clear()
    with ThreadPoolExecutor(8) as ex:
        results = list(
            ex.map(
                lambda i: len(
                    db.run(
                        "filter_years",
                    )
                ),
                range(40),
            )
        )
    assert set(results) == {2}


# ---------------------------------------------------------------------------------------------
# One snapshot per page run; a damaged snapshot is refused on first open


def _publish_one_municipality(base, sid="b"):
    t = tiny.tables()
    t["municipalities"] = t["municipalities"].iloc[:1]
    t["operators"] = t["operators"][t["operators"]["operator_code"] != 730]
    meta = {n: store.TableMeta("real", "Ny kilde", "2026-11-25") for n in t}
    return store.publish(t, meta, sid=sid, base=base)


@pytest.fixture
def unpinned():
    db.pin(None)
    yield
    db.pin(None)


def test_pinned_run_keeps_its_snapshot_when_current_moves(tiny_dir, unpinned):
    from overblik import data

    run = data.begin_run()
    assert run.sid == "a" and run.damaged is None and run.warning() is None
    _publish_one_municipality(tiny_dir)  # someone publishes during the run
    assert store.current_id(tiny_dir) == "b"
    assert len(db.run("filter_municipalities")) == 2  # still snapshot a
    assert data.snapshot_id() == "a" and data.manifest()["id"] == "a"
    assert data.provenance("municipalities").sources == ("Testdata",)
    assert data.snapshot_summary()["id"] == "a"
    assert len(db.run("filter_municipalities", snapshot="b")) == 1  # explicit snapshot= still wins
    # the next run reads CURRENT again
    assert data.begin_run().sid == "b"
    assert db.run("filter_municipalities")["name"].tolist() == ["Aarhus"]
    assert data.provenance("municipalities").sources == ("Ny kilde",)
    # outside a run the default is CURRENT
    db.pin(None)
    store.set_current("a", tiny_dir)
    assert len(db.run("filter_municipalities")) == 2


def test_a_damaged_snapshot_is_refused_and_the_run_stays_on_the_last_good_one(tiny_dir, unpinned, monkeypatch):
    from overblik import data

    monkeypatch.setattr(data, "_last_good", {})
    assert data.begin_run().sid == "a"
    _publish_one_municipality(tiny_dir)
    path = tiny_dir / "snapshots" / "b" / "municipalities.parquet"
    path.write_bytes(path.read_bytes()[:-20])  # truncated after it was published
    with pytest.raises(store.SnapshotDamaged):
        db.connection("b")
    run = data.begin_run()
    assert run.sid == "a" and run.damaged.sid == "b"
    b, a = store.name_of("b", tiny_dir), store.name_of("a", tiny_dir)  # named by when they were published
    assert run.warning() == (
        f"Det nyeste datasæt ({b}) er beskadiget og bruges ikke: municipalities: kontrolsum passer "
        f"ikke. Siden viser det seneste gyldige datasæt, {a}. Udgiv data igen, eller rul tilbage."
    )
    assert " kl. " in b and "(b)" not in run.warning()
    assert len(db.run("filter_municipalities")) == 2
    # a process that never had a good snapshot has nothing to fall back on
    monkeypatch.setattr(data, "_last_good", {})
    with pytest.raises(store.SnapshotDamaged):
        data.begin_run()


def test_a_snapshot_is_verified_once_per_process(tiny_dir, monkeypatch):
    calls = []
    real = store.check
    monkeypatch.setattr(store, "check", lambda sid, base=None: (calls.append(sid), real(sid, base)))
    db.run("filter_years", snapshot="a")
    db.run("filter_municipalities", snapshot="a")
    db.connection("a")
    assert calls == ["a"]
