"""Kapacitet: the numbers on the page against independent SQL over the snapshot's Parquet files.

The arithmetic is written out here, not taken from the macros, so a wrong rule in the app shows up as a
failing test: whole occupied places = floor(places x occupancy / 100); gap = (whole occupied + citizens
waiting) - places offered; short of places = at least one whole place missing; lacks suitable offers = at
least half of the reporting municipalities report difficulty 2 or 3.
"""

import pytest
from apptest_helpers import open_numbers, shown

from overblik import kapacitet
from overblik.fmt import number
from overblik.kapacitet import gap_text

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
           sum(single_arrangements) AS single,
           count(*) AS reports,
           count(*) FILTER (WHERE difficulty >= 2) AS hard
    FROM {demand}
    WHERE municipality_code IN (SELECT unnest($m)) AND year BETWEEN $a AND $b
    GROUP BY 1, 2
)
SELECT t.target_group_id AS tg, t.short_name, n.year,
       coalesce(s.places, 0) AS places,
       floor(coalesce(s.occupied, 0) + 1e-9) AS occupied,
       100.0 * s.occupied / s.places AS occupancy_pct,
       n.waiting, n.private, n.single, n.reports, n.hard,
       (floor(coalesce(s.occupied, 0) + 1e-9) + n.waiting) - coalesce(s.places, 0) AS gap,
       coalesce(s.occupied, 0) + n.waiting - coalesce(s.places, 0) AS gap_exact,
       2 * n.hard >= n.reports AS lacks
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
    """The full table behind the over-time gap chart (every target group and year), in its "Vis tal"."""
    open_numbers(at)
    tables = [shown(d) for d in at.dataframe if {"Mangel (+) / ledige (−) pladser", "År"} <= set(d.value.columns)]
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
    assert list(table["Borgere i private tilbud"]) == list(exp["private"])
    assert list(table["Enkeltmandsforanstaltninger"]) == list(exp["single"])
    assert list(table["Belagte pladser (hele)"]) == list(exp["occupied"])
    # whole places: the parts add up
    assert list(table["Efterspurgte pladser"]) == list(table["Belagte pladser (hele)"] + table["Ventende borgere"])
    for got, want in zip(table["Belægning (%)"], exp["occupancy_pct"]):
        if want != want:  # no places offered: no occupancy
            assert got != got
        else:
            assert got == pytest.approx(want, abs=0.051)
    assert list(table["Mangel (+) / ledige (−) pladser"]) == list(exp["gap"])


def _check_headline(at, exp, year):
    latest = exp[exp["year"] == year]
    short = latest[latest["gap_exact"] >= 1]
    lacking = latest[latest["lacks"]]
    assert _metric(at, "Mangler egnede tilbud").value == f"{len(lacking)} af {len(latest)}"
    assert _metric(at, "Manglende pladser").value == number(short["gap"].sum())
    assert _metric(at, "I private tilbud").value == number(latest["private"].sum())
    assert _metric(at, "Enkeltmandsforanstaltninger").value == number(latest["single"].sum())
    # the lead table per target group: the same year's reports, against the SQL
    lead = next(shown(d) for d in at.dataframe if "Svært at finde tilbud" in d.value.columns)
    lead = lead.sort_values("Målgruppe").reset_index(drop=True)
    assert list(lead["Målgruppe"]) == list(latest["short_name"])
    assert list(lead["Svært at finde tilbud"]) == [f"{h} af {r}" for h, r in zip(latest["hard"], latest["reports"])]
    assert list(lead["I private tilbud"]) == list(latest["private"])
    assert list(lead["Enkeltmandsforanstaltninger"]) == list(latest["single"])
    assert list(lead["Ventende"]) == list(latest["waiting"])
    message = next(m.value for m in at.markdown if "Kommunernes indberetning" in m.value)
    assert f"{len(lacking)} af {len(latest)} målgrupper mangler egnede tilbud" in message
    if len(short):
        assert f"{len(short)} af {len(latest)} målgrupper mangler pladser" in message
    assert f"{number(latest['waiting'].sum())} venter på et tilbud" in message
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


def test_gap_and_occupancy_one_municipality(app_test, sql):
    at = app_test(page=PAGE, query={"kommune": ["Skive"], "aar": ["2023", "2026"]})
    assert not at.exception, at.exception
    exp = _expected(sql, [SKIVE], 2023, 2026)
    assert sorted(set(exp["year"])) == [2026], "demand per target group exists from 2026 only"
    _check_gap_table(_page_gap_table(at), exp)
    _check_headline(at, exp, 2026)
    # below region level: the page says plainly that offers serve the whole region
    assert any("betjener hele regionen" in w.value for w in at.warning)


def test_no_demand_before_2026(app_test):
    at = app_test(page=PAGE, query={"aar": ["2023", "2025"]})
    assert not at.exception, at.exception
    assert any("findes fra 2026" in i.value for i in at.info)
    assert not any("uændret fra" in (m.delta or "") for m in at.metric)


def test_all_19_municipalities_equal_the_whole_region(app_test, sql):
    """'Hele regionen' and all 19 municipalities chosen give the same figures and no warning."""
    region = app_test(page=PAGE)
    names = list(sql("SELECT name FROM {municipalities} ORDER BY name")["name"])
    assert len(names) == 19
    every = app_test(page=PAGE, query={"kommune": names})
    for at in (region, every):
        assert not at.exception, at.exception
    assert _page_gap_table(region).equals(_page_gap_table(every))
    assert [m.value for m in region.metric] == [m.value for m in every.metric]
    assert not any("betjener hele regionen" in w.value for w in every.warning)


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
    exp = _expected(sql, codes, 2026, 2026)
    assert list(got["target_group_id"]) == []  # no demand reported for 2025
    got = kapacitet.gap_by_target_group(year_from=2026, year_to=2026, municipalities=codes, area="alle")
    assert list(got["target_group_id"]) == list(exp["tg"].sort_values())
    got = got.set_index("target_group_id")
    for row in exp.itertuples():
        assert got.loc[row.tg, "places"] == row.places
        assert got.loc[row.tg, "occupancy_pct"] == pytest.approx(row.occupancy_pct)
        assert got.loc[row.tg, "waiting"] == row.waiting
        assert got.loc[row.tg, "gap"] == row.gap
        assert got.loc[row.tg, "short"] == (row.gap_exact >= 1)  # at least one whole place missing
        assert got.loc[row.tg, "lacks_suitable"] == row.lacks
    s = kapacitet.summary(got.reset_index())
    assert s.year == 2026 and s.previous_year is None
    assert set(s.short) == set(exp.loc[exp["gap_exact"] >= 1, "tg"])
    # the demo: B3 and V3 have free places, yet the municipalities report they lack suitable offers
    assert {"B3", "V3"} <= set(s.free_but_lacking)


def _offers_table(at):
    tables = [shown(d) for d in at.dataframe if "Signal" in d.value.columns]  # the grid: both flags in one column
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
    assert table["Signal"].str.contains(kapacitet.FLAG_BELOW_BUDGET).sum() == exp["below_budget"]
    assert table["Signal"].str.contains(kapacitet.FLAG_OVER).sum() == exp["over"]
    assert set(table["Signal"]) <= {kapacitet.FLAG_BELOW_BUDGET, kapacitet.FLAG_OVER, ""}
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
    assert (table["Signal"] == kapacitet.FLAG_OVER).all()
    assert f"{number(exp['offers'])} tilbud (målgruppe V1" in _flag_sentence(at)
    assert f"**{number(exp['below_budget'])}** med belægning under budget" in _flag_sentence(at)


def test_gap_words_follow_the_short_column():
    """The words read the query's `short` column; the number only sets how many places."""
    assert gap_text(79, True) == "mangler 79"
    assert gap_text(0, False) == "i balance"
    assert gap_text(-1, False) == "1 ledig"
    assert gap_text(-28, False) == "28 ledige"
