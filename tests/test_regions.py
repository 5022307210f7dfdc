"""Issue 17 (part B): all 98 municipalities with their region, the served region as configuration, and
Udgifter's comparison with the other regions and the whole country.

The comparison's numbers are checked against independent SQL over the snapshot's Parquet files (the
rules restated here: the area split of special education, the age group of each area, fixed prices in the
latest year of the price index, a region = the sum of its municipalities, the country = all of them).
"""

from __future__ import annotations

import hashlib
import json
import shutil

import pyarrow.parquet as pq
import pytest
from apptest_helpers import open_numbers
from apptest_helpers import table as table_with
from conftest import ROOT

from overblik import db, filters, region
from overblik import regions_compare as rc

PAGE = "pages/udgifter.py"
NORTH = {"Aalborg", "Brønderslev", "Frederikshavn", "Hjørring", "Jammerbugt", "Læsø", "Mariagerfjord"}

# Account function -> the shared filter's area; Børn og unge per 0-22-year-old, Voksne per 18-64-year-old.
FILTER_AREA = """CASE WHEN f.area = 'Specialundervisning'
                      THEN CASE WHEN f.function_code IN ('3.22.17', '3.30.46') THEN 'Voksne' ELSE 'Børn og unge' END
                      ELSE f.area END"""
PER_REGION = f"""
WITH pi AS (SELECT year, index, last_value(index) OVER (ORDER BY year
                   ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS last FROM {{price_index}}),
s AS (
    SELECT m.region_code AS region, s.year, {FILTER_AREA} AS filter_area,
           sum(s.net_1000_dkk * pi.last / pi.index) AS net
    FROM {{all_spending}} s
    JOIN {{account_functions}} f ON f.function_code = s.function_code
    JOIN {{all_municipalities}} m ON m.municipality_code = s.municipality_code
    JOIN pi ON pi.year = s.year
    WHERE s.kind = 'regnskab'
    GROUP BY ALL
),
p AS (
    SELECT m.region_code AS region, p.year, p.age_group, sum(p.persons) AS persons
    FROM {{all_population}} p JOIN {{all_municipalities}} m ON m.municipality_code = p.municipality_code
    GROUP BY ALL
)
SELECT s.region, s.year, s.filter_area, s.net, p.persons
FROM s JOIN p ON p.region = s.region AND p.year = s.year
             AND p.age_group = CASE WHEN s.filter_area = 'Voksne' THEN '18-64' ELSE '0-22' END
"""


def _filters(chosen=(), area="alle", years=(2016, 2026)) -> filters.Filters:
    opts = filters.options()
    return filters.Filters(years[0], years[1], tuple(chosen), tuple(opts["municipalities"]), opts["names"], area)


# ---------------------------------------------------------------------------------------------
# The comparison's numbers against independent SQL


def test_regions_over_time_match_independent_sql(data_dir, sql):
    d = sql(PER_REGION)
    want = {(int(r.region), int(r.year), r.filter_area): r.net * 1000 / r.persons for r in d.itertuples()}
    country = d.groupby(["year", "filter_area"])[["net", "persons"]].sum()
    for (year, area), r in country.iterrows():
        want[(0, int(year), area)] = r["net"] * 1000 / r["persons"]
    sec = rc.view(_filters())
    assert sec.empty is None
    got = rc.regions_per_year(
        db.run("udgifter_regions_per_year", year_from=2016, year_to=2026, area="alle", region=1082),
        db.run("udgifter_price_index"),
    )
    assert len(got) == len(want) == 6 * 10 * 2  # five regions and the country, 2016-2025, two areas
    for r in got.itertuples():
        assert r.kr_per_inhabitant == pytest.approx(want[(r.region_code, r.year, r.filter_area)], rel=1e-9)
    # the table behind "Vis tal" shows the same, rounded to whole kroner
    t = sec.over_time.table
    row = t[(t["Region"] == "Hele landet") & (t["År"] == 2025) & (t["Opgjort for"] == "Voksne")]
    assert row["Kr. pr. indbygger"].iloc[0] == round(want[(0, 2025, "Voksne")])
    assert set(t["Region"]) == {"Hele landet", "Nordjylland", "Midtjylland", "Syddanmark", "Hovedstaden", "Sjælland"}
    # every line can be told apart without colour: the six lines of a panel have six styles
    lines = [tr for tr in sec.over_time.fig.data if tr.xaxis in ("x", None)]
    styles = {(tr.line.dash, tr.line.width) for tr in lines}
    assert len(lines) == len(styles) == 6


def test_municipalities_against_region_and_country_match_independent_sql(data_dir, sql):
    d = sql(PER_REGION + " AND s.year = 2025")
    region_avg = {r.filter_area: r.net * 1000 / r.persons for r in d[d["region"] == 1082].itertuples()}
    tot = d.groupby("filter_area")[["net", "persons"]].sum()
    country_avg = {a: r["net"] * 1000 / r["persons"] for a, r in tot.iterrows()}
    muni = sql(
        f"""
        WITH pi AS (SELECT year, index, max(year) OVER () AS ly FROM {{price_index}}),
        last AS (SELECT index AS last FROM pi WHERE year = ly)
        SELECT m.name, {FILTER_AREA} AS filter_area, sum(s.net_1000_dkk * last.last / pi.index) AS net,
               any_value(p.persons) AS persons
        FROM {{spending}} s
        JOIN {{account_functions}} f ON f.function_code = s.function_code
        JOIN {{municipalities}} m ON m.municipality_code = s.municipality_code
        JOIN pi ON pi.year = s.year CROSS JOIN last
        JOIN {{population}} p ON p.municipality_code = s.municipality_code AND p.year = s.year
             AND p.age_group = CASE WHEN {FILTER_AREA} = 'Voksne' THEN '18-64' ELSE '0-22' END
        WHERE s.kind = 'regnskab' AND s.year = 2025
        GROUP BY ALL"""
    )
    muni["value"] = muni["net"] * 1000 / muni["persons"]
    sec = rc.view(_filters(chosen=(751,)))
    assert "2025" in sec.municipalities.title
    t = sec.municipalities.table
    assert len(t) == 2 * 19
    for r in muni.itertuples():
        row = t[(t["Kommune"] == r.name) & (t["Opgjort for"] == r.filter_area)].iloc[0]
        assert row["Kr. pr. indbygger"] == round(r.value)
        assert row["Regionsgennemsnit, kr."] == round(region_avg[r.filter_area])
        assert row["Landsgennemsnit, kr."] == round(country_avg[r.filter_area])
        assert row["Forskel fra landsgennemsnit, %"] == pytest.approx(
            round((r.value / country_avg[r.filter_area] - 1) * 100, 1), abs=0.051
        )
    for area, part in muni.groupby("filter_area"):  # ranked: 1 = the highest spending per inhabitant
        top = part.sort_values("value", ascending=False)["name"].iloc[0]
        assert t[(t["Opgjort for"] == area) & (t["Placering i regionen"] == 1)]["Kommune"].iloc[0] == top
    # the chosen municipality is marked in the figure
    names = [y for tr in sec.municipalities.fig.data for y in tr.y]
    assert "▶ Aarhus" in names and "Aarhus" not in names


def test_area_filter_applies(data_dir):
    sec = rc.view(_filters(area="voksne"))
    assert set(sec.over_time.table["Opgjort for"]) == {"Voksne"}
    assert set(sec.municipalities.table["Opgjort for"]) == {"Voksne"}


def test_udgifter_page_shows_the_section_with_its_numbers(app_test):
    at = app_test(PAGE)
    assert not at.exception, at.exception
    assert "Sammenligning med de andre regioner" in [h.value for h in at.header]
    at = open_numbers(at)
    t = table_with(at, "Landsgennemsnit, kr.")
    assert len(t) == 2 * 19
    assert "Hele landet" in set(table_with(at, "Region")["Region"])


# ---------------------------------------------------------------------------------------------
# The served region as configuration


def test_region_code_from_environment(monkeypatch):
    monkeypatch.setenv(region.ENV, "1085")
    assert region.code() == 1085 and region.name() == "Region Sjælland" and region.kkr_name() == "KKR Sjælland"
    assert region.response_label() == "Sjællands svar"
    monkeypatch.setenv(region.ENV, "82")
    with pytest.raises(region.RegionError, match="1082 \\(Region Midtjylland\\)"):
        region.code()
    monkeypatch.delenv(region.ENV)
    assert region.code() == 1082


def test_views_hold_the_served_region_and_all_views_everything(data_dir, monkeypatch):
    cur = db.connection().cursor()
    assert cur.execute("SELECT count(*) FROM municipalities").fetchone() == (19,)
    assert cur.execute("SELECT count(*) FROM all_municipalities").fetchone() == (98,)
    assert cur.execute("SELECT count(DISTINCT municipality_code) FROM all_spending").fetchone() == (98,)
    monkeypatch.setenv(region.ENV, "1084")
    cur = db.connection().cursor()
    assert cur.execute("SELECT count(*) FROM municipalities").fetchone() == (29,)
    assert cur.execute("SELECT count(DISTINCT municipality_code) FROM population").fetchone() == (29,)
    assert sorted(db.run("filter_municipalities")["name"])[:2] == ["Albertslund", "Allerød"]


@pytest.mark.parametrize("page", [None, PAGE, "pages/kapacitet.py", "pages/centrale-udmeldinger.py"])
def test_the_app_runs_for_another_region(app_test, monkeypatch, page, sql):
    """Configured for Region Nordjylland on the demo data: its municipalities in the filter, Midtjylland's
    not, the header and footer name the region, and no page errors."""
    monkeypatch.setenv(region.ENV, "1081")
    at = app_test(page)
    assert not at.exception, at.exception
    assert not [e.value for e in at.error], [e.value for e in at.error]
    options = set(at.multiselect(key=filters.MUNICIPALITIES_KEY).options)
    assert options >= NORTH and "Aarhus" not in options and "Viborg" not in options
    assert len(options) == 11
    captions = [c.value for c in at.caption]
    header = next(c for c in captions if c.startswith("Region "))  # ui.header: the region first
    assert header.startswith("Region Nordjylland · ")
    footer = next(c for c in captions if c.startswith("Rammeaftale-overblik · "))
    assert "KKR Nordjylland og DASSOS" in footer
    # Midtjylland only where the page quotes an agreement text (»...«) or names an operator from the data
    # (Region Midtjylland runs offers under the demo's agreement)
    operators = [n for (n,) in sql("SELECT name FROM {operators}").itertuples(index=False)]
    for c in captions:
        for name in operators:
            c = c.replace(name, "")
        assert "Midtjylland" not in c or "»" in c, c
    if page == PAGE:
        t = table_with(open_numbers(at), "Landsgennemsnit, kr.")
        assert set(t["Kommune"]) <= NORTH | {"Morsø", "Rebild", "Thisted", "Vesthimmerlands"}
        assert len(t) == 2 * 11


# ---------------------------------------------------------------------------------------------
# An old snapshot: the 19 municipalities of Region Midtjylland, no region_code, no other regions


@pytest.fixture
def old_data(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns(".tmp-*"))
    folder = data / "snapshots" / "demo"
    doc = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    mun_file = folder / doc["tables"]["municipalities"]["file"]
    mun = pq.read_table(mun_file).to_pandas()
    own = set(mun.loc[mun["region_code"] == 1082, "municipality_code"])
    for name in ("municipalities", "spending", "population"):
        file = folder / doc["tables"][name]["file"]
        df = pq.read_table(file).to_pandas()
        df = df[df["municipality_code"].isin(own)].drop(columns=["region_code"], errors="ignore")
        df.to_parquet(file, index=False)
        doc["tables"][name]["sha256"] = hashlib.sha256(file.read_bytes()).hexdigest()
        doc["tables"][name]["rows"] = len(df)
    (folder / "manifest.json").write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    monkeypatch.setenv("OVERBLIK_DATA_DIR", str(data))
    db.clear()
    yield data
    db.clear()


def test_old_snapshot_opens_with_its_19(old_data, app_test):
    cur = db.connection().cursor()
    assert cur.execute("SELECT count(*), count(region_code) FROM municipalities").fetchone() == (19, 0)
    assert len(db.run("filter_municipalities")) == 19
    at = app_test(PAGE)
    assert not at.exception, at.exception
    assert not [e.value for e in at.error], [e.value for e in at.error]
    assert len(at.multiselect(key=filters.MUNICIPALITIES_KEY).options) == 19
    assert any("ingen udgifter for kommunerne i de andre regioner" in i.value for i in at.info)


def test_key_sentence_hand_worked():
    import pandas as pd

    rows = [  # region, kr. per 0-22-year-old in 2025 (children) and per 18-64-year-old (adults)
        (1081, 110.0, 50.0),
        (1082, 95.0, 60.0),
        (1083, 90.0, 40.0),
        (1084, 120.0, 45.0),
        (1085, 85.0, 55.0),
        (0, 100.0, 50.0),
    ]
    per_year = pd.DataFrame(
        [(r, 2025, "Børn og unge", "0-22", c) for r, c, _ in rows]
        + [(r, 2025, "Voksne", "18-64", a) for r, _, a in rows],
        columns=["region_code", "year", "filter_area", "age_group", "kr_per_inhabitant"],
    )
    assert rc.key_sentence(per_year, 1082, 2025) == (
        "I 2025 brugte kommunerne i Region Midtjylland **95 kr. pr. 0-22-årig** på børn og unge, 5,0 % under "
        "landsgennemsnittet (nr. 3 af 5 regioner, højeste først) og **60 kr. pr. 18-64-årig** på voksne, 20,0 % "
        "over landsgennemsnittet (nr. 1 af 5 regioner, højeste først) (faste priser)."
    )


def test_contract_checks_the_region_of_a_known_municipality():
    import pandas as pd

    from overblik import schema

    mun = pd.DataFrame(
        {
            "municipality_code": [751, 851, 999],
            "name": ["Aarhus", "Aalborg", "Ny kommune"],
            "landsdel": ["Østjylland", "Nordjylland", "Fyn"],
            "region_code": [1081, 1081, None],  # Aarhus is in Region Midtjylland (1082); 999 is unknown
        }
    )
    problems = schema.errors(schema.validate({"municipalities": mun}))
    assert [(p.row, p.column, p.value) for p in problems] == [(2, "region_code", 1081)]


def test_region_code_from_secrets_when_no_environment(monkeypatch):
    monkeypatch.delenv(region.ENV, raising=False)
    monkeypatch.setattr(region, "_secrets", lambda: {"region": {"code": 1083}})
    assert region.code() == 1083 and region.name() == "Region Syddanmark"
    monkeypatch.setenv(region.ENV, "1084")  # the environment wins
    assert region.code() == 1084
