"""Kapacitet: the numbers on the page against independent SQL over the snapshot's Parquet files.

The gap arithmetic is written out here ((occupied places + citizens waiting) - places offered), not
taken from the capacity_gap macro, so a wrong rule in the app shows up as a failing test.
"""

import pytest

from overblik import kapacitet
from overblik.fmt import number
from overblik.kapacitet_figures import gap_text

PAGE = "pages/kapacitet.py"
SKIVE = 779

# Per target group and year: offers of kind 'rammeaftale' counted where they are located, demand
# counted for the reporting municipality.
GAP_SQL = """
WITH supply AS (
    SELECT o.target_group_id AS tg, y.year,
           sum(y.places) AS places,
           sum(y.places * y.occupancy_pct / 100.0) AS occupied
    FROM {offers} AS o JOIN {offer_years} AS y ON y.offer_id = o.offer_id
    WHERE o.kind = 'rammeaftale' AND o.target_group_id IS NOT NULL
      AND o.municipality_code IN (SELECT unnest($m)) AND y.year BETWEEN $a AND $b
    GROUP BY 1, 2
), need AS (
    SELECT target_group_id AS tg, year,
           sum(citizens_waiting) AS waiting,
           sum(placed_private) AS private,
           sum(single_arrangements) AS single
    FROM {demand}
    WHERE municipality_code IN (SELECT unnest($m)) AND year BETWEEN $a AND $b
    GROUP BY 1, 2
)
SELECT t.target_group_id AS tg, t.short_name, n.year,
       coalesce(s.places, 0) AS places,
       coalesce(s.occupied, 0) AS occupied,
       100.0 * s.occupied / s.places AS occupancy_pct,
       n.waiting, n.private, n.single,
       (coalesce(s.occupied, 0) + n.waiting) - coalesce(s.places, 0) AS gap
FROM need AS n
JOIN {target_groups} AS t ON t.target_group_id = n.tg
LEFT JOIN supply AS s ON s.tg = n.tg AND s.year = n.year
WHERE $area = 'alle' OR t.area = $area
ORDER BY t.short_name, n.year
"""

FLAGS_SQL = """
SELECT count(*) AS offers,
       count(*) FILTER (WHERE y.occupancy_pct < y.budgeted_occupancy_pct) AS below_budget,
       count(*) FILTER (WHERE y.occupancy_pct > 100) AS over
FROM {offers} AS o JOIN {offer_years} AS y ON y.offer_id = o.offer_id
WHERE o.kind = 'rammeaftale' AND y.year = $y
  AND o.municipality_code IN (SELECT unnest($m))
  AND ($tg = 'alle' OR o.target_group_id = $tg)
"""


def _all_codes(sql) -> list[int]:
    return [int(c) for c in sql("SELECT municipality_code FROM {municipalities}")["municipality_code"]]


def _expected(sql, codes, year_from, year_to, area="alle"):
    return sql(GAP_SQL, {"m": codes, "a": year_from, "b": year_to, "area": area})


def _page_gap_table(at):
    """The full table behind the over-time gap chart (every target group and year)."""
    tables = [d.value for d in at.dataframe if "Mangel (+) / ledige (−) pladser" in d.value.columns]
    assert tables, "the gap table is on the page"
    return max(tables, key=len).sort_values(["Målgruppe", "År"]).reset_index(drop=True)


def _metric(at, starts: str):
    found = [m for m in at.metric if m.label.startswith(starts)]
    assert found, f"metric {starts!r} on the page"
    return found[0]


def _check_gap_table(table, exp):
    assert len(table) == len(exp), (len(table), len(exp))
    assert list(table["Målgruppe"]) == list(exp["short_name"])
    assert list(table["År"]) == list(exp["year"])
    assert list(table["Udbudte pladser"]) == list(exp["places"])
    assert list(table["Ventende borgere"]) == list(exp["waiting"])
    assert list(table["Anbragt i private tilbud"]) == list(exp["private"])
    assert list(table["Enkeltmandsforanstaltninger"]) == list(exp["single"])
    for got, want in zip(table["Belagte pladser"], exp["occupied"]):
        assert got == pytest.approx(want, abs=0.051)
    for got, want in zip(table["Belægning (%)"], exp["occupancy_pct"]):
        if want != want:  # no places offered: no occupancy
            assert got != got
        else:
            assert got == pytest.approx(want, abs=0.051)
    for got, want in zip(table["Mangel (+) / ledige (−) pladser"], exp["gap"]):
        assert got == pytest.approx(want, abs=0.051)


def _check_headline(at, exp, year):
    latest = exp[exp["year"] == year]
    short = latest[latest["gap"] > 0]
    assert _metric(at, "Målgrupper med mangel").value == f"{len(short)} af {len(latest)}"
    assert _metric(at, "Manglende pladser").value == number(short["gap"].sum())
    assert _metric(at, "Ventende borgere").value == number(latest["waiting"].sum())
    assert _metric(at, "Anbragt i private tilbud").value == number(latest["private"].sum())
    message = next(m.value for m in at.markdown if "målgrupper mangler pladser" in m.value)
    assert f"{len(short)} af {len(latest)} målgrupper mangler pladser i {year}" in message
    for tg in short["tg"]:
        assert tg in message


def test_gap_and_occupancy_whole_region(app_test, sql):
    at = app_test(page=PAGE)
    assert not at.exception, at.exception
    a, b = sql(
        "SELECT min(year) AS a, max(year) AS b FROM (SELECT year FROM {spending} "
        "UNION ALL SELECT year FROM {offer_years} UNION ALL SELECT year FROM {demand})"
    ).iloc[0]
    exp = _expected(sql, _all_codes(sql), a, b)
    assert len(exp) > 0 and set(exp["tg"]) == {"B1", "B2", "B3", "V1", "V2", "V3"}
    _check_gap_table(_page_gap_table(at), exp)
    _check_headline(at, exp, int(exp["year"].max()))


def test_gap_and_occupancy_one_municipality_short_period(app_test, sql):
    at = app_test(page=PAGE, query={"kommune": ["Skive"], "aar": ["2023", "2025"]})
    assert not at.exception, at.exception
    exp = _expected(sql, [SKIVE], 2023, 2025)
    assert sorted(set(exp["year"])) == [2023, 2024, 2025]
    _check_gap_table(_page_gap_table(at), exp)
    _check_headline(at, exp, 2025)
    # the scope is stated next to the numbers
    assert any("Tilbud tælles i den kommune, hvor de ligger" in c.value for c in at.caption)


def test_area_filter_keeps_only_its_target_groups(app_test, sql):
    at = app_test(page=PAGE, query={"omraade": "Voksne", "aar": ["2024", "2026"]})
    assert not at.exception, at.exception
    exp = _expected(sql, _all_codes(sql), 2024, 2026, area="Voksne")
    assert set(exp["tg"]) == {"V1", "V2", "V3"}
    _check_gap_table(_page_gap_table(at), exp)
    assert at.segmented_control(key="maalgruppe").options == ["Alle", "V1", "V2", "V3"]


def test_overblik_query_for_one_year(data_dir, sql):
    """The Overblik page reuses the query for 'gap and occupancy per target group in year Y'."""
    codes = _all_codes(sql)
    got = kapacitet.gap_by_target_group(year_from=2025, year_to=2025, municipalities=codes, area="alle")
    exp = _expected(sql, codes, 2025, 2025)
    assert list(got["target_group_id"]) == list(exp["tg"].sort_values())
    got = got.set_index("target_group_id")
    for row in exp.itertuples():
        assert got.loc[row.tg, "places"] == row.places
        assert got.loc[row.tg, "occupancy_pct"] == pytest.approx(row.occupancy_pct)
        assert got.loc[row.tg, "waiting"] == row.waiting
        assert got.loc[row.tg, "gap"] == pytest.approx(row.gap)
        assert got.loc[row.tg, "short"] == (row.gap > 0)  # short of places: a positive gap
    s = kapacitet.summary(got.reset_index())
    assert s.year == 2025 and s.previous_year is None
    assert set(s.short) == set(exp.loc[exp["gap"] > 0, "tg"])


def _offers_table(at):
    tables = [d.value for d in at.dataframe if "Under budget" in d.value.columns]
    assert len(tables) == 1
    return tables[0]


def _flag_sentence(at) -> str:
    return next(m.value for m in at.markdown if "med belægning under budget" in m.value)


def test_flags_whole_region(app_test, sql):
    at = app_test(page=PAGE)
    assert not at.exception, at.exception
    year = int(sql("SELECT max(year) AS y FROM {offer_years}")["y"][0])
    exp = sql(FLAGS_SQL, {"y": year, "m": _all_codes(sql), "tg": "alle"}).iloc[0]
    assert exp["below_budget"] > 0 and exp["over"] > 0, "the demo has offers of both kinds"
    table = _offers_table(at)
    assert len(table) == exp["offers"]
    assert (table["Under budget"] == kapacitet.FLAG_BELOW_BUDGET).sum() == exp["below_budget"]
    assert (table["Overbelægning"] == kapacitet.FLAG_OVER).sum() == exp["over"]
    assert set(table["Under budget"]) <= {kapacitet.FLAG_BELOW_BUDGET, ""}
    sentence = _flag_sentence(at)
    assert f"**{number(exp['below_budget'])}** med belægning under budget" in sentence
    assert f"**{number(exp['over'])}** med overbelægning" in sentence


def test_flag_filter_and_target_group_from_the_url(app_test, sql):
    at = app_test(page=PAGE, query={"maalgruppe": "V1", "flag": "Overbelægning", "kommune": ["Aarhus", "Randers"]})
    assert not at.exception, at.exception
    year = int(sql("SELECT max(year) AS y FROM {offer_years}")["y"][0])
    exp = sql(FLAGS_SQL, {"y": year, "m": [751, 730], "tg": "V1"}).iloc[0]
    table = _offers_table(at)
    assert len(table) == exp["over"]
    assert set(table["Målgruppe"]) <= {"V1"}
    assert (table["Overbelægning"] == kapacitet.FLAG_OVER).all()
    assert f"{number(exp['offers'])} tilbud (målgruppe V1" in _flag_sentence(at)
    assert f"**{number(exp['below_budget'])}** med belægning under budget" in _flag_sentence(at)


def test_gap_words_follow_the_short_column():
    """The words read the query's `short` column; the number only sets how many places."""
    assert gap_text(79.2, True) == "mangler 79"
    assert gap_text(0.4, True) == "mangler under 1"
    assert gap_text(-0.3, False) == "i balance"
    assert gap_text(-1.2, False) == "1 ledig"
    assert gap_text(-28, False) == "28 ledige"
