"""fetch-dst: StatBank replies (REGK31, BUDK32, FOLK1A) -> a new snapshot.

Fixtures (tests/fixtures/dst/) are in exactly the StatBank data-call reply format with
valuePresentation=Code: UTF-8 with BOM, ';' separated, CRLF line ends, the value in INDHOLD.
The numbers are made up; only the format is StatBank's.

  REGK31.csv  accounts: municipalities 751 Aarhus, 730 Randers, 741 Samsø x functions 53850 (5.38.50),
              52823 (5.28.23) x years 2023, 2024 = 12 rows; one '..' (741/52823/2023), two decimal
              comma values (634210,5 and -1250,25), one 0. Time column header 'TID'.
  BUDK32.csv  budgets: the same 3 x 2 for 2025 = 6 rows; one '..' (741/52823), one decimal comma
              (201500,75). Time column header 'Tid' (the case varies between replies).
  FOLK1A.csv  population: 751 and 741 x quarters 2024K1, 2025K1 x ages 0, 5, 17, 18, 40, 64, 65, 90, 125
              (all the age-group boundaries 17/18 and 64/65, plus the extremes), KØN=TOT, CIVILSTAND=TOT.
              Not all 126 single ages: the sums below are over the ages the fixture holds.

No test touches /work/main/data or the real network: every test runs on its own data folder
(OVERBLIK_DATA_DIR) holding a small valid snapshot built here with store.publish, and the HTTP
layer is either faked or pointed at 127.0.0.1:9 (connection refused).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # until pytest.ini sets pythonpath = .
    sys.path.insert(0, str(ROOT))

from overblik import cli, clock, dst, schema, store  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "dst"
REFERENCE = ROOT / "overblik" / "reference"
TODAY = clock.today()


# ---------------------------------------------------------------------------------------------
# A small valid snapshot to start from


def _base_tables() -> dict[str, pd.DataFrame]:
    munis = pd.read_csv(REFERENCE / "municipalities.csv")[["municipality_code", "name", "landsdel", "region_code"]]
    funcs = pd.read_csv(REFERENCE / "account_functions.csv", dtype=str, keep_default_na=False)
    funcs = funcs.rename(columns={"legal_basis_inferred": "legal_basis"})
    funcs = funcs[["function_code", "name", "area", "legal_basis"]].replace({"legal_basis": {"": None}})
    spending = pd.DataFrame(
        {
            "municipality_code": [751, 751, 730],
            "year": [2020, 2021, 2020],
            "function_code": ["5.38.50", "5.38.50", "5.28.23"],
            "kind": ["regnskab", "regnskab", "budget"],
            "net_1000_dkk": [1.5, 2.5, 3.5],
        }
    )
    population = pd.DataFrame(
        {
            "municipality_code": [751, 751, 751],
            "year": [2020, 2020, 2020],
            "age_group": ["0-17", "18-64", "65+"],
            "persons": [100, 200, 50],
        }
    )
    price_index = pd.DataFrame({"year": [2020, 2021], "index": [100.0, 102.3]})
    principles = pd.DataFrame({"principle_id": ["P1", "P2", "U"], "name": ["Et", "To", "Udvikling"]})
    meetings = pd.DataFrame(
        {
            "meeting_date": [dt.date(2026, 3, 1), dt.date(2026, 6, 1)],
            "body": ["KKR", "DASSOS"],
            "title": ["Møde 1", "Møde 2"],
        }
    )
    return {
        "municipalities": munis,
        "account_functions": funcs,
        "spending": spending,
        "population": population,
        "price_index": price_index,
        "principles": principles,
        "meetings": meetings,
    }


BASE_META = {
    "municipalities": store.TableMeta("real", "Danmarks Statistik (kommunekoder)", "2026-01-01"),
    "account_functions": store.TableMeta("real", "Social- og Boligministeriet, kontoplan", "2026-01-01"),
    "spending": store.TableMeta("illustrative", "Illustrativ demo", "2026-01-01"),
    "population": store.TableMeta("illustrative", "Illustrativ demo", "2026-01-01"),
    "price_index": store.TableMeta("illustrative", "Illustrativ demo", "2026-01-01"),
    "principles": store.TableMeta("real", "Rammeaftale 2027-28", "2026-01-01"),
    "meetings": store.TableMeta("illustrative", "Illustrativ demo", "2026-01-01"),
}


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    base = tmp_path / "data"
    base.mkdir()
    tables = _base_tables()
    assert not schema.errors(schema.validate(tables))
    store.publish(tables, BASE_META, note="base", base=base)
    monkeypatch.setenv("OVERBLIK_DATA_DIR", str(base))
    monkeypatch.delenv("OVERBLIK_STATBANK_URL", raising=False)
    return base


def _tree(base: Path) -> dict[str, str]:
    """Every file under the data folder with its sha256: to prove nothing changed."""
    return {
        str(p.relative_to(base)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(base.rglob("*"))
        if p.is_file()
    }


def _args(years=None, from_dir=None, note=""):
    return argparse.Namespace(command="fetch-dst", years=years, from_dir=from_dir, note=note)


def _fixture_rows(name: str) -> list[dict]:
    """The fixture read independently of overblik.dst: csv module, BOM stripped by utf-8-sig."""
    text = (FIXTURES / name).read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


# ---------------------------------------------------------------------------------------------
# The reply format


def test_fixtures_are_in_reply_format():
    for name in ("REGK31.csv", "BUDK32.csv", "FOLK1A.csv"):
        raw = (FIXTURES / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name
        assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b""), name
        assert raw.split(b"\r\n")[0].decode("utf-8-sig").split(";")[-1] == "INDHOLD"
    assert b";..\r\n" in (FIXTURES / "REGK31.csv").read_bytes()
    assert b",5\r\n" in (FIXTURES / "REGK31.csv").read_bytes()


def test_parse_bom_crlf_semicolon_missing_and_decimal_comma():
    text = "\ufeffOMRÅDE;FUNKTION;Tid;INDHOLD\r\n751;53850;2024;1234,5\r\n730;53850;2024;..\r\n741;53850;2024;-7\r\n"
    df = dst.parse(text)
    assert list(df.columns) == ["OMRÅDE", "FUNKTION", "TID", "INDHOLD"]  # BOM gone, Tid -> TID
    assert df["OMRÅDE"].tolist() == ["751", "730", "741"]  # codes stay text
    assert df["INDHOLD"].iloc[0] == 1234.5
    assert pd.isna(df["INDHOLD"].iloc[1])
    assert df["INDHOLD"].iloc[2] == -7.0


def test_parse_fixture_counts():
    df = dst.parse((FIXTURES / "REGK31.csv").read_bytes().decode("utf-8-sig"), "REGK31")
    assert len(df) == 12
    assert int(df["INDHOLD"].isna().sum()) == 1
    assert 634210.5 in df["INDHOLD"].tolist() and -1250.25 in df["INDHOLD"].tolist()
    bud = dst.parse((FIXTURES / "BUDK32.csv").read_text(encoding="utf-8"), "BUDK32")  # BOM left in the text
    assert "TID" in bud.columns and "OMRÅDE" in bud.columns


def test_parse_rejects_garbage():
    with pytest.raises(dst.DstError, match="INDHOLD"):
        dst.parse("A;B\r\n1;2\r\n", "REGK31")
    with pytest.raises(dst.DstError, match="ikke et tal"):
        dst.parse("OMRÅDE;INDHOLD\r\n751;abc\r\n", "REGK31")


def test_spending_frame_filters_and_reports_missing():
    df = dst.parse((FIXTURES / "REGK31.csv").read_bytes().decode("utf-8-sig"))
    notes: list[str] = []
    out = dst.spending_frame(
        df, "REGK31", "regnskab", {751, 730, 741}, {"53850": "5.38.50", "52823": "5.28.23"}, None, notes
    )
    assert len(out) == 11
    assert set(out["function_code"]) == {"5.38.50", "5.28.23"}
    assert any("1 manglende" in n for n in notes)
    notes = []
    out = dst.spending_frame(df, "REGK31", "regnskab", {751}, {"53850": "5.38.50"}, (2024, 2024), notes)
    assert out[["municipality_code", "year", "function_code"]].values.tolist() == [[751, 2024, "5.38.50"]]
    assert out["net_1000_dkk"].tolist() == [634210.5]


def test_age_groups_against_independent_sums():
    rows = _fixture_rows("FOLK1A.csv")
    expected: dict[tuple, int] = {}
    for r in rows:
        age = int(r["ALDER"])
        if age <= 17:
            group = "0-17"
        elif age <= 64:
            group = "18-64"
        else:
            group = "65+"
        key = (int(r["OMRÅDE"]), int(r["TID"][:4]), group)
        expected[key] = expected.get(key, 0) + int(r["INDHOLD"])
        if age <= 22:  # the overlapping group of the children's functions per inhabitant
            key = (int(r["OMRÅDE"]), int(r["TID"][:4]), "0-22")
            expected[key] = expected.get(key, 0) + int(r["INDHOLD"])
    df = dst.parse((FIXTURES / "FOLK1A.csv").read_bytes().decode("utf-8-sig"))
    out = dst.population_frame(df, {751, 741, 730}, None, [])
    got = {(m, y, g): p for m, y, g, p in out.itertuples(index=False)}
    assert got == expected
    assert len(got) == 2 * 2 * 4
    # spot check by hand: Samsø 2024, ages 18, 40, 64 = 22 + 35 + 60
    assert got[(741, 2024, "18-64")] == 117


def test_population_drops_totals_other_quarters_and_missing():
    text = (
        "\ufeffOMRÅDE;KØN;ALDER;CIVILSTAND;TID;INDHOLD\r\n"
        "751;TOT;IALT;TOT;2025K1;999999\r\n"  # total over ages: not an age
        "751;TOT;17;TOT;2025K1;10\r\n"
        "751;TOT;18;TOT;2025K1;..\r\n"
        "751;TOT;18;TOT;2025K2;77\r\n"  # not 1 January
        "751;1;18;TOT;2025K1;5\r\n"  # men only
        "751;TOT;65;TOT;2025K1;3\r\n"
    )
    notes: list[str] = []
    out = dst.population_frame(dst.parse(text), {751}, None, notes)
    assert out.values.tolist() == [[751, 2025, "0-17", 10], [751, 2025, "65+", 3], [751, 2025, "0-22", 10]]
    assert any("1 manglende" in n for n in notes)


def test_years_forms():
    assert dst.parse_years(None) is None
    assert dst.parse_years("2016-2025") == (2016, 2025)
    assert dst.parse_years(" 2020 - 2021 ") == (2020, 2021)
    assert dst.parse_years("2024") == (2024, 2024)


@pytest.mark.parametrize("text", ["16-25", "2016-", "2016_2020", "abc", "", "2020-2016", "1990-2000"])
def test_bad_years_message(text):
    with pytest.raises(dst.UsageError, match="Ugyldig --years"):
        dst.parse_years(text)


def test_bad_years_command_changes_nothing(data_dir, capsys):
    before = _tree(data_dir)
    assert cli.fetch_dst(_args(years="2025-2016", from_dir=str(FIXTURES))) == 2
    err = capsys.readouterr().err
    assert "Ugyldig --years" in err and "første år (2025) er efter sidste år (2016)" in err
    assert _tree(data_dir) == before


def test_default_years():
    assert dst.default_years("REGK31", dt.date(2026, 11, 23)) == (2016, 2025)
    assert dst.default_years("BUDK32", dt.date(2026, 11, 23)) == (2016, 2026)
    assert dst.default_years("FOLK1A", dt.date(2026, 11, 23)) == (2016, 2026)


# ---------------------------------------------------------------------------------------------
# fetch-dst --from-dir


def _sql(base: Path, sid: str, query: str) -> list[tuple]:
    folder = store.snapshot_path(sid, base)
    con = duckdb.connect(":memory:")
    q = query.replace("{snap}", folder.as_posix()).replace("{fix}", FIXTURES.as_posix())
    return con.execute(q).fetchall()


def _check_published(base: Path, old_sid: str, new_sid: str, carried: list[str]) -> dict:
    assert store.current_id(base) == new_sid != old_sid
    assert not store.verify(new_sid, base)
    doc = store.manifest(new_sid, base)
    old = store.manifest(old_sid, base)
    assert doc["parent"] == old_sid
    assert set(doc["tables"]) == set(old["tables"])
    for name in carried:  # carried over unchanged: same bytes, same metadata
        a, b = old["tables"][name], doc["tables"][name]
        assert a == b, name
        assert (store.snapshot_path(new_sid, base) / b["file"]).read_bytes() == (
            store.snapshot_path(old_sid, base) / a["file"]
        ).read_bytes(), name
    for name, tid in (("spending", "REGK31/BUDK32"), ("population", "FOLK1A")):
        e = doc["tables"][name]
        assert e["provenance"] == "real"
        assert e["source"] == f"Danmarks Statistik, StatBank {tid} (CC BY 4.0)"
        assert e["data_date"] == TODAY.isoformat()
    return doc


def _expect_spending_equals_fixture(base: Path, sid: str) -> None:
    # The fixture read by duckdb's own CSV reader, decimal comma and '..' handled in SQL.
    expected = _sql(
        base,
        sid,
        """
        WITH f AS (
          SELECT "OMRÅDE" AS m, "FUNKTION" AS f, "TID" AS y, "INDHOLD" AS v, 'regnskab' AS kind
            FROM read_csv('{fix}/REGK31.csv', delim=';', header=true, all_varchar=true)
          UNION ALL
          SELECT "OMRÅDE", "FUNKTION", "Tid", "INDHOLD", 'budget'
            FROM read_csv('{fix}/BUDK32.csv', delim=';', header=true, all_varchar=true))
        SELECT CAST(m AS BIGINT), CAST(y AS BIGINT),
               substr(f, 1, 1) || '.' || substr(f, 2, 2) || '.' || substr(f, 4, 2), kind,
               CAST(replace(v, ',', '.') AS DOUBLE)
          FROM f WHERE v <> '..' ORDER BY ALL""",
    )
    got = _sql(
        base,
        sid,
        """
        SELECT municipality_code, year, function_code, kind, net_1000_dkk
          FROM read_parquet('{snap}/spending.parquet') ORDER BY ALL""",
    )
    assert len(expected) == 12 + 6 - 2
    assert got == expected


def _expect_population_equals_fixture(base: Path, sid: str) -> None:
    expected = _sql(
        base,
        sid,
        """
        SELECT CAST("OMRÅDE" AS BIGINT) AS m, CAST(left("TID", 4) AS BIGINT) AS y,
               CASE WHEN CAST("ALDER" AS INT) < 18 THEN '0-17'
                    WHEN CAST("ALDER" AS INT) < 65 THEN '18-64' ELSE '65+' END AS g,
               SUM(CAST("INDHOLD" AS BIGINT))
          FROM read_csv('{fix}/FOLK1A.csv', delim=';', header=true, all_varchar=true)
         GROUP BY ALL
        UNION ALL
        SELECT CAST("OMRÅDE" AS BIGINT), CAST(left("TID", 4) AS BIGINT), '0-22', SUM(CAST("INDHOLD" AS BIGINT))
          FROM read_csv('{fix}/FOLK1A.csv', delim=';', header=true, all_varchar=true)
         WHERE CAST("ALDER" AS INT) <= 22
         GROUP BY ALL ORDER BY ALL""",
    )
    got = _sql(
        base,
        sid,
        """
        SELECT municipality_code, year, age_group, persons
          FROM read_parquet('{snap}/population.parquet') ORDER BY ALL""",
    )
    assert len(expected) == 16
    assert got == expected


CARRIED = ["municipalities", "account_functions", "price_index", "principles", "meetings"]


def test_from_dir_publishes_new_snapshot(data_dir, capsys):
    old = store.current_id(data_dir)
    old_files = _tree(store.snapshot_path(old, data_dir))
    assert cli.fetch_dst(_args(from_dir=str(FIXTURES), note="test")) == 0
    out, err = capsys.readouterr()
    new = out.strip()
    doc = _check_published(data_dir, old, new, CARRIED)
    assert doc["note"] == "test"
    _expect_spending_equals_fixture(data_dir, new)
    _expect_population_equals_fixture(data_dir, new)
    assert _tree(store.snapshot_path(old, data_dir)) == old_files  # the old snapshot is untouched
    for t in ("REGK31", "BUDK32", "FOLK1A"):
        assert t in err  # progress per table
    assert "REGK31: 1 manglende" in err and "BUDK32: 1 manglende" in err


def test_from_dir_with_years_filters(data_dir, capsys):
    assert cli.fetch_dst(_args(years="2024-2025", from_dir=str(FIXTURES))) == 0
    new = capsys.readouterr().out.strip()
    # the base's own 2020-2021 rows are kept (see test_years_update_keeps_other_years); the fetched ones are filtered
    years = _sql(
        data_dir,
        new,
        "SELECT DISTINCT year, kind FROM read_parquet('{snap}/spending.parquet') WHERE year > 2021 ORDER BY ALL",
    )
    assert years == [(2024, "regnskab"), (2025, "budget")]
    pop_years = _sql(
        data_dir,
        new,
        "SELECT DISTINCT year FROM read_parquet('{snap}/population.parquet') WHERE year > 2020 ORDER BY 1",
    )
    assert pop_years == [(2024,), (2025,)]


def test_years_update_keeps_other_years(data_dir, capsys):
    """--years replaces only the (year, kind) combinations the replies cover; every other row is kept."""
    tables = _base_tables()
    tables["spending"] = pd.concat(
        [
            tables["spending"],
            pd.DataFrame(
                {
                    "municipality_code": [751, 730, 751, 741],
                    "year": [2024, 2024, 2024, 2023],
                    "function_code": ["5.38.50", "5.38.42", "5.38.50", "5.38.50"],
                    "kind": [
                        "regnskab",
                        "regnskab",
                        "budget",
                        "regnskab",
                    ],  # covered, covered, kept, kept (2023 not asked)
                    "net_1000_dkk": [9.9, 8.8, 7.7, 6.6],
                }
            ),
        ],
        ignore_index=True,
    )
    tables["population"] = pd.concat(
        [
            tables["population"],
            pd.DataFrame(
                {
                    "municipality_code": [751, 730],
                    "year": [2024, 2023],
                    "age_group": ["0-17", "0-17"],
                    "persons": [1, 2],
                }
            ),
        ],
        ignore_index=True,
    )
    old = store.publish(tables, BASE_META, note="base 2", base=data_dir)
    assert cli.fetch_dst(_args(years="2024-2025", from_dir=str(FIXTURES))) == 0
    out, err = capsys.readouterr()
    new = out.strip()
    assert "Bevaret fra det aktuelle snapshot" in err and "5 udgiftsrækker, 4 befolkningsrækker" in err
    old_snap = store.snapshot_path(old, data_dir).as_posix()
    expected = _sql(
        data_dir,
        new,
        f"""
        SELECT municipality_code, year, function_code, kind, net_1000_dkk
          FROM read_parquet('{old_snap}/spending.parquet')
         WHERE NOT ((year = 2024 AND kind = 'regnskab') OR (year = 2025 AND kind = 'budget'))
        UNION ALL
        SELECT CAST("OMRÅDE" AS BIGINT), CAST("TID" AS BIGINT),
               substr("FUNKTION", 1, 1) || '.' || substr("FUNKTION", 2, 2) || '.' || substr("FUNKTION", 4, 2),
               'regnskab', CAST(replace("INDHOLD", ',', '.') AS DOUBLE)
          FROM read_csv('{{fix}}/REGK31.csv', delim=';', header=true, all_varchar=true)
         WHERE "TID" = '2024' AND "INDHOLD" <> '..'
        UNION ALL
        SELECT CAST("OMRÅDE" AS BIGINT), CAST("Tid" AS BIGINT),
               substr("FUNKTION", 1, 1) || '.' || substr("FUNKTION", 2, 2) || '.' || substr("FUNKTION", 4, 2),
               'budget', CAST(replace("INDHOLD", ',', '.') AS DOUBLE)
          FROM read_csv('{{fix}}/BUDK32.csv', delim=';', header=true, all_varchar=true)
         WHERE "Tid" = '2025' AND "INDHOLD" <> '..'
        ORDER BY ALL""",
    )
    got = _sql(data_dir, new, "SELECT * FROM read_parquet('{snap}/spending.parquet') ORDER BY ALL")
    assert got == expected
    assert (751, 2024, "5.38.50", "budget", 7.7) in got and (741, 2023, "5.38.50", "regnskab", 6.6) in got
    assert not [r for r in got if r[:4] == (730, 2024, "5.38.42", "regnskab")]  # covered: replaced by the reply
    assert (751, 2024, "5.38.50", "regnskab", 634210.5) in got
    pop = _sql(
        data_dir,
        new,
        "SELECT municipality_code, year, age_group, persons "
        "FROM read_parquet('{snap}/population.parquet') WHERE year < 2024 ORDER BY ALL",
    )
    assert pop == [(730, 2023, "0-17", 2), (751, 2020, "0-17", 100), (751, 2020, "18-64", 200), (751, 2020, "65+", 50)]
    fetched = _sql(
        data_dir,
        new,
        "SELECT DISTINCT municipality_code, year FROM read_parquet('{snap}/population.parquet') "
        "WHERE year >= 2024 ORDER BY ALL",
    )
    assert fetched == [(741, 2024), (741, 2025), (751, 2024), (751, 2025)]  # 751/2024 came from FOLK1A, not the base
    assert _sql(
        data_dir,
        new,
        "SELECT persons FROM read_parquet('{snap}/population.parquet') "
        "WHERE municipality_code = 751 AND year = 2024 AND age_group = '0-17'",
    ) != [(1,)]
    # kept rows were illustrative: the tables say both origins and keep the marker
    doc = store.manifest(new, data_dir)
    sp = doc["tables"]["spending"]
    assert sp["provenance"] == "illustrative"
    assert (
        sp["source"]
        == "Danmarks Statistik, StatBank REGK31/BUDK32 (CC BY 4.0) (2024-2025); øvrige år: Illustrativ demo"
    )
    assert doc["tables"]["population"]["source"].startswith(
        "Danmarks Statistik, StatBank FOLK1A (CC BY 4.0) (2024-2025)"
    )
    assert not store.verify(new, data_dir)


SPENDING_SOURCE = "Danmarks Statistik, StatBank REGK31/BUDK32 (CC BY 4.0)"
POPULATION_SOURCE = "Danmarks Statistik, StatBank FOLK1A (CC BY 4.0)"


def _changed_replies(folder: Path) -> Path:
    """The fixture replies with one budget figure changed: fetching them publishes a new snapshot."""
    folder.mkdir()
    for name in ("REGK31.csv", "BUDK32.csv", "FOLK1A.csv"):
        (folder / name).write_bytes((FIXTURES / name).read_bytes())
    text = (folder / "BUDK32.csv").read_bytes().decode("utf-8-sig")
    assert "201500,75" in text
    (folder / "BUDK32.csv").write_text(text.replace("201500,75", "201500,5"), encoding="utf-8-sig")
    return folder


def test_repeated_years_updates_keep_one_source_text(data_dir, tmp_path, capsys):
    """Each --years fetch names StatBank with the years it holds and the original source of the other years once;
    fetching again does not put the old text inside the new one."""

    def fetch(years: str, folder: Path) -> dict:
        before = store.current_id(data_dir)
        assert cli.fetch_dst(_args(years=years, from_dir=str(folder))) == 0
        sid = capsys.readouterr().out.strip()
        assert sid != before  # a new snapshot, with new source texts
        tables = store.manifest(sid, data_dir)["tables"]
        return {name: tables[name]["source"] for name in ("spending", "population")}

    first = {
        "spending": f"{SPENDING_SOURCE} (2024-2025); øvrige år: Illustrativ demo",
        "population": f"{POPULATION_SOURCE} (2024-2025); øvrige år: Illustrativ demo",
    }
    assert fetch("2024-2025", FIXTURES) == first
    assert fetch("2024-2025", _changed_replies(tmp_path / "changed")) == first  # the same years: the same text
    # 2023 accounts join the years StatBank's rows cover (2024-2025 were kept); still the demo's for 2020-2021
    assert fetch("2023-2024", FIXTURES) == {
        "spending": f"{SPENDING_SOURCE} (2023-2025); øvrige år: Illustrativ demo",
        "population": f"{POPULATION_SOURCE} (2024-2025); øvrige år: Illustrativ demo",
    }
    assert _sql(
        data_dir, store.current_id(data_dir), "SELECT DISTINCT year FROM '{snap}/spending.parquet' ORDER BY 1"
    ) == [
        (2020,),
        (2021,),
        (2023,),
        (2024,),
        (2025,),
    ]


@pytest.mark.parametrize(
    "years, old, text",
    [
        ({2024}, "Illustrativ demo", "S (2024); øvrige år: Illustrativ demo"),
        ({2024}, "S (2016-2018, 2022); øvrige år: Egne tal", "S (2016-2018, 2022, 2024); øvrige år: Egne tal"),
        ({2025}, "S (2024-2025); øvrige år: S (2023); øvrige år: Egne tal", "S (2023-2025); øvrige år: Egne tal"),
        ({2024}, "S", "S"),  # every year was StatBank's already
        ({2024}, "T (2020); øvrige år: Egne tal", "S (2024); øvrige år: T (2020); øvrige år: Egne tal"),  # not ours
    ],
)
def test_kept_years_source(years, old, text):
    assert dst.kept_years_source("S", years, old) == text


def test_full_fetch_replaces_everything(data_dir, capsys):
    """Without --years the fetch is a full refresh: no row of the old table survives."""
    assert cli.fetch_dst(_args(from_dir=str(FIXTURES))) == 0
    new = capsys.readouterr().out.strip()
    assert _sql(data_dir, new, "SELECT count(*) FROM read_parquet('{snap}/spending.parquet') WHERE year < 2023") == [
        (0,)
    ]
    assert store.manifest(new, data_dir)["tables"]["spending"]["provenance"] == "real"


def test_from_dir_via_command_line(data_dir):
    old = store.current_id(data_dir)
    r = subprocess.run(
        [sys.executable, "-m", "overblik", "fetch-dst", "--from-dir", str(FIXTURES)],
        cwd=ROOT,
        env={**os.environ, "OVERBLIK_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    _check_published(data_dir, old, r.stdout.strip(), CARRIED)


def test_from_dir_missing_file(data_dir, tmp_path, capsys):
    folder = tmp_path / "replies"
    folder.mkdir()
    for name in ("REGK31.csv", "FOLK1A.csv"):
        (folder / name).write_bytes((FIXTURES / name).read_bytes())
    before = _tree(data_dir)
    assert cli.fetch_dst(_args(from_dir=str(folder))) == 1
    err = capsys.readouterr().err
    assert f"{folder / 'BUDK32.csv'} findes ikke" in err and "Intet er ændret" in err
    assert _tree(data_dir) == before


def test_invalid_reply_aborts_and_changes_nothing(data_dir, tmp_path, capsys):
    folder = tmp_path / "replies"
    folder.mkdir()
    for name in ("REGK31.csv", "BUDK32.csv", "FOLK1A.csv"):
        (folder / name).write_bytes((FIXTURES / name).read_bytes())
    with open(folder / "BUDK32.csv", "ab") as f:  # the same key twice
        f.write(b"751;53850;1;TOT;LOBM;2025;1\r\n")
    before = _tree(data_dir)
    assert cli.fetch_dst(_args(from_dir=str(folder))) == 1
    err = capsys.readouterr().err
    assert "valideringen" in err and "nøglen findes allerede" in err and "Intet er ændret" in err
    assert _tree(data_dir) == before


# ---------------------------------------------------------------------------------------------
# Network: failure


def test_connection_refused_real_socket(data_dir):
    """The real failure path: nothing listens on 127.0.0.1:9, requests gets ConnectionError."""
    before = _tree(data_dir)
    r = subprocess.run(
        [sys.executable, "-m", "overblik", "fetch-dst"],
        cwd=ROOT,
        env={**os.environ, "OVERBLIK_DATA_DIR": str(data_dir), "OVERBLIK_STATBANK_URL": "http://127.0.0.1:9/v1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 1
    assert "Kunne ikke hente REGK31 fra Danmarks Statistik" in r.stderr
    assert "Intet er ændret" in r.stderr
    assert "Traceback" not in r.stderr
    assert r.stdout == ""
    assert _tree(data_dir) == before


@pytest.mark.parametrize("exc", [requests.ConnectionError("no route"), requests.Timeout("slow")])
def test_network_exceptions(data_dir, monkeypatch, capsys, exc):
    def boom(self, method, url, **kw):
        assert kw.get("timeout"), "every call must have a timeout"
        raise exc

    monkeypatch.setattr(requests.Session, "request", boom)
    before = _tree(data_dir)
    assert cli.fetch_dst(_args()) == 1
    err = capsys.readouterr().err
    assert "Kunne ikke hente REGK31 fra Danmarks Statistik" in err and "Intet er ændret" in err
    assert _tree(data_dir) == before


# ---------------------------------------------------------------------------------------------
# Network: a faked HTTP layer returning the fixture bodies


class FakeResponse:
    def __init__(self, status: int, content: bytes):
        self.status_code = status
        self.content = content
        self.text = content.decode("utf-8-sig", errors="replace")

    def json(self):
        return json.loads(self.text)


def _info(table: str, variables: dict[str, list[tuple[str, str]]]) -> bytes:
    doc = {
        "id": table,
        "text": table,
        "variables": [
            {"id": var, "text": var.lower(), "time": var == "Tid", "values": [{"id": i, "text": t} for i, t in values]}
            for var, values in variables.items()
        ],
    }
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


MUNI_VALUES = [("000", "Hele landet"), ("082", "Region Midtjylland")] + [
    (str(c), n) for c, n in pd.read_csv(REFERENCE / "municipalities.csv")[["municipality_code", "name"]].values
]
NEW_NAMES = {
    "53850": "5.38.50 Botilbud til længerevarende ophold (§ 108)",
    "52823": "5.28.23 Døgninstitutioner for børn og unge (barnets lov)",
}


def _function_values(skip=()) -> list[tuple[str, str]]:
    funcs = pd.read_csv(REFERENCE / "account_functions.csv", dtype=str)
    return [
        (f, NEW_NAMES.get(f, f"{c} {n}"))
        for c, f, n in funcs[["function_code", "statbank_funktion", "name"]].values
        if f not in skip
    ]


class FakeStatBank:
    """Answers tableinfo GETs and data POSTs like api.statbank.dk, from the fixtures; records calls."""

    def __init__(self, fail: dict[str, int] | None = None):
        self.calls: list[tuple[str, str, dict]] = []
        self.fail = fail or {}
        years = [(str(y), str(y)) for y in range(2007, 2025)]  # accounts up to 2024
        self.info = {
            "REGK31": _info(
                "REGK31",
                {
                    "OMRÅDE": MUNI_VALUES,
                    "FUNKTION": _function_values(),
                    "DRANST": [("1", "Drift")],
                    "ART": [("TOT", "I alt")],
                    "PRISENHED": [("LOBM", "Løbende priser"), ("INDL", "Pr. indbygger")],
                    "Tid": years,
                },
            ),
            "BUDK32": _info(
                "BUDK32",
                {
                    "OMRÅDE": MUNI_VALUES,
                    "FUNKTION": _function_values(skip={"33046"}),
                    "DRANST": [("1", "Drift")],
                    "ART": [("TOT", "I alt")],
                    "PRISENHED": [("LOBM", "Løbende priser")],
                    "Tid": [*years, ("2025", "2025"), ("2026", "2026")],
                },
            ),
            "FOLK1A": _info(
                "FOLK1A",
                {
                    "OMRÅDE": MUNI_VALUES,
                    "KØN": [("TOT", "I alt"), ("1", "Mænd"), ("2", "Kvinder")],
                    "ALDER": [("IALT", "Alder i alt")] + [(str(a), f"{a} år") for a in range(126)],
                    "CIVILSTAND": [("TOT", "I alt")],
                    "Tid": [
                        (f"{y}K{q}", f"{y}K{q}") for y in range(2008, 2027) for q in range(1, 5) if (y, q) <= (2026, 3)
                    ],
                },
            ),
        }

    def request(self, method, url, timeout=None, json=None, params=None, **kw):
        assert timeout, "every call must have a timeout"
        self.calls.append((method, url, {"json": json, "params": params}))
        assert url.startswith("https://api.statbank.dk/v1/")
        if method == "GET" and "/tableinfo/" in url:
            table = url.rsplit("/", 1)[1]
            assert params == {"format": "JSON", "lang": "da"}
            if table in self.fail:
                return FakeResponse(self.fail[table], b'{"errorTypeCode":"x","message":"Tabellen findes ikke"}')
            return FakeResponse(200, self.info[table])
        if method == "POST" and url.endswith("/v1/data"):
            assert json["format"] == "CSV" and json["valuePresentation"] == "Code"
            table = json["table"]
            if table + ":data" in self.fail:
                return FakeResponse(self.fail[table + ":data"], b"Internal Server Error")
            return FakeResponse(200, (FIXTURES / f"{table}.csv").read_bytes())
        return FakeResponse(404, b"{}")

    def data_request(self, table: str) -> dict[str, list[str]]:
        body = next(c[2]["json"] for c in self.calls if c[0] == "POST" and c[2]["json"]["table"] == table)
        return {v["code"]: v["values"] for v in body["variables"]}


@pytest.fixture
def fake(monkeypatch):
    bank = FakeStatBank()
    monkeypatch.setattr(requests, "Session", lambda: bank)
    return bank


def test_online_with_fake_statbank(data_dir, fake, capsys):
    old = store.current_id(data_dir)
    assert cli.fetch_dst(_args()) == 0
    out, err = capsys.readouterr()
    new = out.strip()
    doc = _check_published(data_dir, old, new, ["municipalities", "price_index", "principles", "meetings"])
    _expect_spending_equals_fixture(data_dir, new)
    _expect_population_equals_fixture(data_dir, new)

    # the requests: documented variables, codes, years clamped to what each table has
    munis = sorted(str(c) for c in pd.read_csv(REFERENCE / "municipalities.csv")["municipality_code"])
    funcs = pd.read_csv(REFERENCE / "account_functions.csv", dtype=str)["statbank_funktion"].tolist()
    reg = fake.data_request("REGK31")
    assert list(reg) == ["OMRÅDE", "FUNKTION", "DRANST", "ART", "PRISENHED", "Tid"]
    assert sorted(reg["OMRÅDE"]) == munis and sorted(reg["FUNKTION"]) == sorted(funcs)
    assert (
        "53850" in reg["FUNKTION"] and reg["DRANST"] == ["1"] and reg["ART"] == ["TOT"] and reg["PRISENHED"] == ["LOBM"]
    )
    assert reg["Tid"] == [str(y) for y in range(2016, 2025)]  # default to last year, clamped to 2024
    bud = fake.data_request("BUDK32")
    assert "33046" not in bud["FUNKTION"] and len(bud["FUNKTION"]) == len(funcs) - 1
    assert bud["Tid"][0] == "2016" and bud["Tid"][-1] == str(min(TODAY.year, 2026))
    pop = fake.data_request("FOLK1A")
    assert pop["KØN"] == ["TOT"] and pop["CIVILSTAND"] == ["TOT"]
    assert pop["ALDER"] == [str(a) for a in range(126)]  # every single year, not IALT
    assert pop["Tid"][0] == "2016K1" and all(t.endswith("K1") for t in pop["Tid"])
    tableinfo_calls = [c[1] for c in fake.calls if c[0] == "GET"]
    assert tableinfo_calls == [f"https://api.statbank.dk/v1/tableinfo/{t}" for t in ("REGK31", "BUDK32", "FOLK1A")]
    assert "33046" not in err and "3.30.46" in err  # the function BUDK32 lacks is reported

    # function names from REGK31's tableinfo; area and legal basis kept
    funcs_new = store.read_table("account_functions", new, data_dir).set_index("function_code")
    funcs_old = store.read_table("account_functions", old, data_dir).set_index("function_code")
    assert funcs_new.loc["5.38.50", "name"] == "Botilbud til længerevarende ophold (§ 108)"
    assert funcs_new.loc["5.28.23", "name"] == "Døgninstitutioner for børn og unge (barnets lov)"
    assert funcs_new.loc["3.22.08", "name"] == funcs_old.loc["3.22.08", "name"]
    pd.testing.assert_series_equal(funcs_new["area"], funcs_old["area"])
    pd.testing.assert_series_equal(funcs_new["legal_basis"], funcs_old["legal_basis"])
    e = doc["tables"]["account_functions"]
    assert e["provenance"] == "real" and "REGK31" in e["source"] and e["data_date"] == TODAY.isoformat()
    assert "Social- og Boligministeriet, kontoplan" in e["source"]
    assert "funktionsnavne opdateret (2 ændret)" in err


def test_online_twice_keeps_source_short(data_dir, fake, capsys):
    assert cli.fetch_dst(_args()) == 0
    assert cli.fetch_dst(_args()) == 0
    src = store.manifest(base=data_dir)["tables"]["account_functions"]["source"]
    assert src.count("REGK31") == 1 and src.count("Social- og Boligministeriet") == 1


def test_online_years_option(data_dir, fake, capsys):
    assert cli.fetch_dst(_args(years="2023-2025")) == 0
    assert fake.data_request("REGK31")["Tid"] == ["2023", "2024"]  # 2025 accounts not published
    assert fake.data_request("BUDK32")["Tid"] == ["2023", "2024", "2025"]
    assert fake.data_request("FOLK1A")["Tid"] == ["2023K1", "2024K1", "2025K1"]
    assert "2025; springes over" in capsys.readouterr().err


@pytest.mark.parametrize(
    "fail,table,status",
    [({"REGK31": 400}, "REGK31", 400), ({"BUDK32:data": 503}, "BUDK32", 503), ({"FOLK1A": 500}, "FOLK1A", 500)],
)
def test_online_http_error_changes_nothing(data_dir, monkeypatch, capsys, fail, table, status):
    bank = FakeStatBank(fail)
    monkeypatch.setattr(requests, "Session", lambda: bank)
    before = _tree(data_dir)
    assert cli.fetch_dst(_args()) == 1
    err = capsys.readouterr().err
    assert f"Kunne ikke hente {table} fra Danmarks Statistik: HTTP {status}" in err
    assert "Intet er ændret" in err
    assert _tree(data_dir) == before


def test_no_current_snapshot(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("OVERBLIK_DATA_DIR", str(tmp_path / "empty"))
    assert cli.fetch_dst(_args(from_dir=str(FIXTURES))) == 1
    assert "aktuelle snapshot" in capsys.readouterr().err
    assert not (tmp_path / "empty").exists()


# ---------------------------------------------------------------------------------------------
# All 98 municipalities (issue 17): an old snapshot with Region Midtjylland's 19 and no region_code


def test_old_snapshot_gets_all_98_with_their_region(tmp_path, monkeypatch, capsys):
    """Starting from a snapshot with the 19 municipalities of Region Midtjylland and no region_code, a
    recorded reply that also holds Aalborg (851, Region Nordjylland) is published: the municipalities
    table becomes the reference's 98 with landsdel and region, and Aalborg's rows are kept."""
    base = tmp_path / "data"
    base.mkdir()
    tables = _base_tables()
    ref = tables["municipalities"]
    tables["municipalities"] = ref[ref["region_code"] == 1082][["municipality_code", "name", "landsdel"]]
    store.publish(tables, BASE_META, note="19 uden region", base=base)
    monkeypatch.setenv("OVERBLIK_DATA_DIR", str(base))
    replies = tmp_path / "replies"
    replies.mkdir()
    extra = {
        "REGK31.csv": "851;53850;1;TOT;LOBM;2024;900000\r\n",
        "BUDK32.csv": "851;53850;1;TOT;LOBM;2025;910000\r\n",
        "FOLK1A.csv": "851;TOT;40;TOT;2025K1;3000\r\n",
    }
    for name, line in extra.items():
        text = (FIXTURES / name).read_bytes()
        (replies / name).write_bytes(text + line.encode("utf-8"))
    assert cli.fetch_dst(_args(from_dir=str(replies))) == 0
    out, err = capsys.readouterr()
    new = out.strip()
    mun = store.read_table("municipalities", new, base)
    assert len(mun) == 98
    assert mun.groupby("region_code").size().to_dict() == {1081: 11, 1082: 19, 1083: 22, 1084: 29, 1085: 17}
    assert mun.set_index("municipality_code").loc[851, ["name", "landsdel", "region_code"]].tolist() == [
        "Aalborg",
        "Nordjylland",
        1081,
    ]
    sp = store.read_table("spending", new, base)
    assert sp[sp["municipality_code"] == 851]["net_1000_dkk"].tolist() == [900000.0, 910000.0]
    pop = store.read_table("population", new, base)
    assert pop[(pop["municipality_code"] == 851) & (pop["age_group"] == "18-64")]["persons"].tolist() == [3000]
    entry = store.manifest(new, base)["tables"]["municipalities"]
    assert entry["provenance"] == "real" and "regioner" in entry["source"]
    assert "alle 98" in err and "summen af kommunerne" in err


def test_online_asks_for_all_98_from_an_old_snapshot(tmp_path, monkeypatch, fake):
    base = tmp_path / "data"
    base.mkdir()
    tables = _base_tables()
    ref = tables["municipalities"]
    tables["municipalities"] = ref[ref["region_code"] == 1082][["municipality_code", "name", "landsdel"]]
    store.publish(tables, BASE_META, note="19 uden region", base=base)
    monkeypatch.setenv("OVERBLIK_DATA_DIR", str(base))
    assert cli.fetch_dst(_args()) == 0
    expected = sorted(str(c) for c in pd.read_csv(REFERENCE / "municipalities.csv")["municipality_code"])
    for table in ("REGK31", "BUDK32", "FOLK1A"):
        assert sorted(fake.data_request(table)["OMRÅDE"]) == expected


# ---------------------------------------------------------------------------------------------
# Nothing new when nothing changed; the errors the web page tells apart


def test_the_same_replies_again_publish_nothing(data_dir, capsys):
    assert cli.fetch_dst(_args(from_dir=str(FIXTURES), note="first")) == 0
    first = capsys.readouterr().out.strip()
    before = _tree(data_dir)
    for years in (None, "2023-2025"):  # a full refresh and an update of years, both with the same rows
        assert cli.fetch_dst(_args(years=years, from_dir=str(FIXTURES), note="again")) == 0
        out, err = capsys.readouterr()
        assert out.strip() == first and store.current_id(data_dir) == first
        assert f"Ingen ændringer: datasæt {store.name_of(first)} ({first}) har allerede disse tal" in err
    assert _tree(data_dir) == before


def test_a_changed_reply_is_published(data_dir, tmp_path, capsys):
    assert cli.fetch_dst(_args(from_dir=str(FIXTURES))) == 0
    first = capsys.readouterr().out.strip()
    folder = _changed_replies(tmp_path / "replies")
    assert cli.fetch_dst(_args(from_dir=str(folder))) == 0
    assert capsys.readouterr().out.strip() not in ("", first)


def test_run_refuses_when_another_snapshot_became_current(data_dir):
    before = _tree(data_dir)
    with pytest.raises(dst.Conflict, match="udgivet af en anden"):
        dst.run(None, str(FIXTURES), "x", based_on="not-the-current-one")
    assert _tree(data_dir) == before


def test_statbank_failures_are_no_answer(data_dir, monkeypatch):
    monkeypatch.setattr(requests, "Session", lambda: FakeStatBank({"REGK31": 503}))
    with pytest.raises(dst.NoAnswer, match="HTTP 503"):
        dst.run(None, None, "x")

    def boom(self, *a, **kw):
        raise requests.ConnectionError("refused")

    monkeypatch.setattr(requests, "Session", lambda: type("S", (), {"request": boom})())
    with pytest.raises(dst.NoAnswer, match="ingen forbindelse"):
        dst.run(None, None, "x")
