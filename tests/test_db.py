"""The DuckDB query layer: named parameters stay data, caching by snapshot, new snapshots without restart."""

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
    (db.QUERIES / "test_years_from.sql").write_text("SELECT count(*) AS n FROM spending WHERE CAST(year AS VARCHAR) = $year")
    try:
        assert db.run("test_years_from", year=evil)["n"].iloc[0] == 0
        assert db.run("test_years_from", year="2024")["n"].iloc[0] == 1
    finally:
        (db.QUERIES / "test_years_from.sql").unlink()


def test_no_file_access_from_queries(tiny_dir):
    cur = db.connection().cursor()
    with pytest.raises(Exception, match="(?i)permission|disabled"):
        cur.execute("SELECT * FROM read_csv('/etc/passwd')").fetchall()
    with pytest.raises(Exception):
        cur.execute("SET enable_external_access = true")


def test_new_snapshot_is_used_without_restart(tiny_dir):
    assert len(db.run("filter_municipalities")) == 2
    t = tiny.tables()
    t["municipalities"] = t["municipalities"].iloc[:1]
    t["operators"] = t["operators"][t["operators"]["operator_code"] != 730]
    store.write_snapshot(t, tiny.meta(), sid="b", base=tiny_dir)
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
        results = list(ex.map(lambda i: len(db.run("filter_years", )), range(40)))
    assert set(results) == {2}
