"""The Udgifter page (AppTest): its numbers against independent SQL over the snapshot's Parquet files,
the page controls bound to the URL, fixed prices and per inhabitant on the page, and the rate rule list.

The SQL here restates the rules on purpose (area split of special education, age groups, fixed prices,
the places-weighted rate change) instead of calling the app's macros or overblik.udgifter/rates.
"""

import pandas as pd
import pytest
from apptest_helpers import open_numbers
from apptest_helpers import table as table_with
from rate_rule import offers_over_rule, rule_levels

CHANGE = "Ændring fra året før perioden, %"

PAGE = "pages/udgifter.py"

# Account function -> the shared filter's area: special education for adults (3.22.17) and STU (3.30.46)
# under Voksne, the special schools under Børn og unge. Per inhabitant: Børn og unge per 0-22-year-old,
# Voksne per 18-64-year-old (the key figures' convention).
FILTER_AREA = """CASE WHEN f.area = 'Specialundervisning'
                      THEN CASE WHEN f.function_code IN ('3.22.17', '3.30.46') THEN 'Voksne' ELSE 'Børn og unge' END
                      ELSE f.area END"""


def number(text: str) -> float:
    """'7.384,2' / '−0,3 %' / '15.304 kr.' -> float."""
    t = text.replace("mio. kr.", "").replace("kr.", "").replace("%", "").strip()
    return float(t.replace(".", "").replace(",", ".").replace("−", "-").replace("+", ""))


def metrics(at) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def spending_by_area(sql, municipalities: list[int] | None = None):
    """Accounts per year and filter area, 1.000 kr. (current prices)."""
    where = "AND s.municipality_code IN (SELECT unnest($m))" if municipalities else ""
    return sql(
        f"""
        SELECT s.year, {FILTER_AREA} AS filter_area, sum(s.net_1000_dkk) AS net
        FROM {{spending}} s JOIN {{account_functions}} f ON f.function_code = s.function_code
        WHERE s.kind = 'regnskab' {where}
        GROUP BY ALL""",
        {"m": municipalities} if municipalities else None,
    )


# ---------------------------------------------------------------------------------------------
# Setting 1: the whole region, every year, defaults (current prices, total, by area)


def test_whole_region_metrics_match_sql(app_test, sql):
    at = app_test(page=PAGE)
    assert not at.exception, at.exception
    year = int(sql("SELECT max(year) AS y FROM {spending} WHERE kind = 'regnskab'").y[0])
    s = spending_by_area(sql)
    now = s[s.year == year].set_index("filter_area").net
    before = s[s.year == year - 1].set_index("filter_area").net
    m = metrics(at)
    value, delta = m[f"Udgifter i alt {year}, mio. kr."]
    assert number(value) == pytest.approx(now.sum() / 1000, abs=0.051)
    assert number(delta.split(" fra ")[0]) == pytest.approx((now.sum() / before.sum() - 1) * 100, abs=0.051)
    assert delta.endswith(f"fra {year - 1}")
    for area in ("Børn og unge", "Voksne"):
        value, delta = m[f"{area} {year}, mio. kr."]
        assert number(value) == pytest.approx(now[area] / 1000, abs=0.051), area
        assert number(delta.split(" fra ")[0]) == pytest.approx((now[area] / before[area] - 1) * 100, abs=0.051)
    # the rate headline: the latest year with rates against the level of the year before its period
    # (2024 for 2025-26), in fixed prices: the places-weighted average and the offers over the rule
    ry = int(sql("SELECT max(year) AS y FROM {offer_years}").y[0])
    _period, base, d, limit = rule_levels(sql, ry)
    value, delta = m[f"Takstændring {base}-{ry}"]
    avg = (d.places * d.ch).sum() / d.places.sum()
    over = int((d.ch > limit + 1e-9).sum())
    assert number(value) == pytest.approx(avg, abs=0.051)
    assert over > 0, "the demo has offers over the rule"
    assert delta == (f"✕ Over reglen, {over} tilbud" if avg > limit else f"⚠ {over} tilbud over reglen")
    assert f"Her: {ry} mod {base} i faste priser; Gennemsnit" in next(
        x.help for x in at.metric if x.label.startswith("Takstændring")
    )


def test_whole_region_chart_table_matches_sql(app_test, sql):
    at = open_numbers(app_test(page=PAGE))
    table = table_with(at, "Specialundervisning")  # the spending-per-year chart's numbers
    expected = sql("""
        SELECT s.year, f.area, sum(s.net_1000_dkk) / 1000 AS mio
        FROM {spending} s JOIN {account_functions} f ON f.function_code = s.function_code
        WHERE s.kind = 'regnskab' GROUP BY ALL""")
    years = sorted(expected.year.unique())
    assert list(table["År"]) == years
    got = table.set_index("År")
    for r in expected.itertuples():
        assert got.loc[r.year, r.area] == pytest.approx(r.mio, abs=0.051), (r.year, r.area)
    totals = expected.groupby("year").mio.sum()
    for y, v in totals.items():
        assert got.loc[y, "I alt"] == pytest.approx(v, abs=0.051)


def test_whole_region_budget_against_accounts(app_test, sql):
    at = open_numbers(app_test(page=PAGE))
    year = int(
        sql("""SELECT max(year) AS y FROM {spending} WHERE kind = 'regnskab'
                      AND year IN (SELECT year FROM {spending} WHERE kind = 'budget')""").y[0]
    )
    assert any(h.value == f"Budget mod regnskab, {year}" for h in at.header)
    table = table_with(at, "Budget, mio. kr.").set_index("Område")
    expected = sql(
        """
        SELECT f.area, s.kind, sum(s.net_1000_dkk) / 1000 AS mio
        FROM {spending} s JOIN {account_functions} f ON f.function_code = s.function_code
        WHERE s.year = $y GROUP BY ALL""",
        {"y": year},
    )
    for r in expected.itertuples():
        col = "Budget, mio. kr." if r.kind == "budget" else "Regnskab, mio. kr."
        assert table.loc[r.area, col] == pytest.approx(r.mio, abs=0.051)


def all_columns(at, key: str = "udg-brud"):
    """Open the table's 'Vis alle kolonner og hent data' (ui.table full=True), as a reader clicking it does."""
    at.session_state[f"{key}-alle"] = True
    return at.run()


def test_offers_over_the_rule_match_sql(app_test, sql):
    """Every offer and period with a year above the baseline level (fixed prices), or short of the required
    reduction in the period's last year, is listed once; the reading and the 2019-2022 verdict are stated."""
    at = all_columns(app_test(page=PAGE))
    table = table_with(at, "Tilbuds-id")  # the whole table, under 'Vis alle kolonner og hent data'
    years = sql("SELECT DISTINCT year FROM {offer_years} ORDER BY year").year.tolist()
    expected = set()
    for y in years:
        if not (2019 <= y <= 2022 or 2025 <= y <= 2026):
            continue  # 2023-24: no rule; 2027-28: the common principles
        period, _base, d, limit = rule_levels(sql, y)
        label = "2019-2022" if y <= 2022 else period
        expected |= {(o, label) for o in d.offer_id[d.ch > limit + 1e-9]}
    got = {(o, p) for o, p in table[["Tilbuds-id", "Periode"]].values}
    assert got == expected and len(got) > 0
    assert table.duplicated(["Tilbuds-id", "Periode"]).sum() == 0, "one row per offer and period"
    text = "\n".join(md.value for md in at.markdown)
    assert "niveau året før perioden" in text and "2018 for 2019-2022" in text and "2024 for 2025-26" in text
    assert "faste priser" in text and "rate_price_basis" in text  # the basis and where it comes from
    assert "fratrække den del over 3 pct." in text  # the carry-over clause of 2019-2022, quoted
    assert (  # not 'ingen talregel'; the 2027-28 text quoted
        "**2027-28:** Rammeaftale 2027-28 (udkast) siger, at »takstaftalen erstattes af et nyt styringsredskab i "
        "fælles principper for samarbejdet på det specialiserede socialområde i Midtjylland«."
    ) in text
    assert "ingen talregel" not in text
    assert "lovpligtige regulering af tidligere års over- og underskud" in " ".join(c.value for c in at.caption)
    # the 2019-2022 verdict in 2022: the average against 2018 and the offers over the rule
    _p, _b, d, limit = rule_levels(sql, 2022)
    avg = (d.places * d.ch).sum() / d.places.sum()
    line = next(x for x in text.split("\n\n") if x.startswith("**2019-2022, 2022 mod 2018:**"))
    assert number(line.split("Gennemsnit ")[1].split(" ·")[0]) == pytest.approx(avg, abs=0.051)
    assert f"{int((d.ch > limit + 1e-9).sum())} tilbud over reglen" in line or "ingen tilbud" in line


# The grid of the offers over the rule: its columns in order (short headers come from the column configuration)
OVER_GRID_COLUMNS = ["Tilbud", "Driftsherre", "Periode", "År", CHANGE, "Takst, kr.", "Pr.", "Hvad"]


def test_the_grid_of_offers_over_the_rule_shows_sql_numbers_and_all_columns_under_the_expander(app_test, sql):
    """The grid has eight columns that fit at 1440 px (Målt fra and Tilbuds-id, the tenth column that hid behind a
    sideways scroll, are under 'Vis alle kolonner og hent data', with every column); its rows are the offers over
    the rule by independent SQL: name, operator, period, latest year over, change, rate, unit and why."""
    at = app_test(page=PAGE)
    grid = table_with(at, "Hvad")
    assert list(grid.columns) == OVER_GRID_COLUMNS
    assert not [d for d in at.dataframe if "Tilbuds-id" in d.value.columns], "the whole table only when opened"
    want = offers_over_rule(sql)
    assert len(want) >= 4 and len(grid) == len(want)
    got = {
        (
            r["Tilbud"],
            r["Driftsherre"],
            r["Periode"],
            r["År"],
            round(r[CHANGE], 2),
            r["Takst, kr."],
            r["Pr."],
            r["Hvad"],
        )
        for _, r in grid.iterrows()
    }
    assert got == {
        (
            w.name,
            w.operator,
            w.period,
            str(w.year),
            round(w.change, 2),
            round(w.rate),
            w.unit,
            "steg over niveauet" if w.rose else "faldt ikke nok",
        )
        for w in want.itertuples()
    }
    # the whole table: every column, the baseline year and the id as well, the long words for why
    whole = table_with(all_columns(at), "Tilbuds-id")
    assert list(whole.columns) == [*OVER_GRID_COLUMNS[:4], "Målt fra", *OVER_GRID_COLUMNS[4:], "Tilbuds-id"]
    assert {(r["Tilbuds-id"], r["Målt fra"]) for _, r in whole.iterrows()} == {
        (w.offer_id, str(w.baseline)) for w in want.itertuples()
    }
    assert set(whole["Hvad"]) <= {"steg over niveauet året før perioden", "faldt ikke nok over perioden"}
    (expander,) = [b for b in at.get("expander") if b.proto.id.endswith("udg-brud-alle")]
    assert [b.label for b in expander.get("download_button")] == ["Hent CSV", "Hent Excel"]  # every column


def test_operator_table_and_extra_services_match_sql(app_test, sql):
    at = open_numbers(app_test(page=PAGE))
    ry = int(sql("SELECT max(year) AS y FROM {offer_years}").y[0])
    ops = table_with(at, f"Tilbud over reglen {ry}").set_index("Driftsherre")
    _p, _b, d, limit = rule_levels(sql, ry)
    names = sql(
        "SELECT o.offer_id, p.name FROM {offers} o JOIN {operators} p ON p.operator_code = o.operator_code"
    ).set_index("offer_id")["name"]
    over = d[d.ch > limit + 1e-9].offer_id.map(names).value_counts()
    for op, n in over.items():
        assert ops.loc[op, f"Tilbud over reglen {ry}"] == n
    assert ops[f"Tilbud over reglen {ry}"].sum() == over.sum()
    # tillægsydelser per year (mio. kr.), offers under the agreement
    ex = table_with(at, "Øvrige driftsherrer").set_index("År")
    exp = sql("""
        SELECT e.year, sum(e.amount_1000_dkk) / 1000 AS mio FROM {extra_services} e
        JOIN {offers} o ON o.offer_id = e.offer_id WHERE o.kind = 'rammeaftale' GROUP BY ALL""")
    for r in exp.itertuples():
        assert ex.loc[r.year, "I alt"] == pytest.approx(r.mio, abs=0.011)
    text = "\n".join(md.value for md in at.markdown)
    assert "tillægsydelser i regnskab, belægningsoversigt samt pladsoversigt" in text


# ---------------------------------------------------------------------------------------------
# Setting 2: one municipality, a short period, fixed prices per inhabitant


AARHUS = 751
Q2 = {"kommune": "Aarhus", "aar": ["2021", "2023"], "priser": "Faste", "visning": "Pr. indbygger"}


def _fixed_per_inhabitant(sql, year: int, area: str) -> float:
    return float(
        sql(
            f"""
        WITH s AS (
            SELECT sum(s.net_1000_dkk) AS net
            FROM {{spending}} s JOIN {{account_functions}} f ON f.function_code = s.function_code
            WHERE s.kind = 'regnskab' AND s.year = $y AND s.municipality_code = $m AND {FILTER_AREA} = $a)
        SELECT s.net * 1000
               * (SELECT "index" FROM {{price_index}} WHERE year = (SELECT max(year) FROM {{price_index}}))
               / (SELECT "index" FROM {{price_index}} WHERE year = $y)
               / (SELECT persons FROM {{population}} WHERE municipality_code = $m AND year = $y AND age_group = $g) AS v
        FROM s""",
            {"y": year, "m": AARHUS, "a": area, "g": "0-22" if area == "Børn og unge" else "18-64"},
        ).v[0]
    )


def test_one_municipality_fixed_per_inhabitant_metrics_match_sql(app_test, sql):
    at = app_test(page=PAGE, query=Q2)
    assert not at.exception, at.exception
    assert at.radio(key="priser").value == "Faste" and at.radio(key="visning").value == "Pr. indbygger"
    assert at.multiselect(key="kommune").value == [AARHUS]
    m = metrics(at)
    assert not any(k.startswith("Udgifter i alt") for k in m), "no total per inhabitant (kr. per child + kr. per adult)"
    for area, age in (("Børn og unge", "0-22"), ("Voksne", "18-64")):
        value, delta = m[f"{area} 2023, kr. pr. {age}-årig"]
        now, before = _fixed_per_inhabitant(sql, 2023, area), _fixed_per_inhabitant(sql, 2022, area)
        assert number(value) == pytest.approx(now, abs=0.51), area
        assert number(delta.split(" fra ")[0]) == pytest.approx((now / before - 1) * 100, abs=0.051)
    # rates: the latest year of the period is 2023, in 2023-24 without a numeric rule: no verdict
    value, delta = m["Takstændring 2023"]
    assert value == "–" and delta == "Ingen talregel i kilderne (2023-24)"


def test_one_municipality_chart_table_matches_sql(app_test, sql):
    at = open_numbers(app_test(page=PAGE, query=Q2))
    table = table_with(at, "Opgjort for")  # spending per year, per inhabitant, one row per filter area and year
    assert sorted(table["År"].unique()) == [2021, 2022, 2023]
    got = table.set_index(["Opgjort for", "År"])
    for area in ("Børn og unge", "Voksne"):
        for year in (2021, 2022, 2023):
            assert got.loc[(area, year), "I alt"] == pytest.approx(_fixed_per_inhabitant(sql, year, area), abs=0.51)
    # the municipalities side by side: Aarhus' row and the regional average, fixed prices
    comp = table_with(at, "Regionsgennemsnit, kr.").set_index(["Kommune", "Opgjort for"])
    assert comp.loc[("Aarhus", "Voksne"), "Kr. pr. indbygger"] == pytest.approx(
        _fixed_per_inhabitant(sql, 2023, "Voksne"), abs=0.51
    )
    avg = sql(f"""
        SELECT sum(s.net_1000_dkk) * 1000 AS net
        FROM {{spending}} s JOIN {{account_functions}} f ON f.function_code = s.function_code
        WHERE s.kind = 'regnskab' AND s.year = 2023 AND {FILTER_AREA} = 'Voksne'""").net[0]
    persons = sql("SELECT sum(persons) AS p FROM {population} WHERE year = 2023 AND age_group = '18-64'").p[0]
    factor = sql("""SELECT (SELECT "index" FROM {price_index} ORDER BY year DESC LIMIT 1)
                           / (SELECT "index" FROM {price_index} WHERE year = 2023) AS f""").f[0]
    assert comp.loc[("Aarhus", "Voksne"), "Regionsgennemsnit, kr."] == pytest.approx(avg * factor / persons, abs=0.51)
    assert len(comp) == 2 * int(sql("SELECT count(*) AS n FROM {municipalities}").n[0]), "all municipalities shown"


def test_one_municipality_breaches_are_its_own_offers_in_the_period(app_test, sql):
    at = all_columns(app_test(page=PAGE, query=Q2))
    table = table_with(at, "Tilbuds-id")
    assert set(table["Driftsherre"]) <= {"Aarhus Kommune"}
    assert all(2021 <= int(y) <= 2023 for y in table["År"])
    own = set(sql("SELECT offer_id FROM {offers} WHERE operator_code = 751").offer_id)
    assert set(table["Tilbuds-id"]) <= own


# ---------------------------------------------------------------------------------------------
# Controls, URL, conversions on the page, edge cases


def test_fixed_prices_raise_old_years_by_the_index(app_test, sql):
    current = table_with(open_numbers(app_test(page=PAGE)), "Specialundervisning").set_index("År")
    fixed_page = open_numbers(app_test(page=PAGE, query={"priser": "Faste"}))
    fixed = table_with(fixed_page, "Specialundervisning").set_index("År")
    idx = sql('SELECT year, "index" FROM {price_index}').set_index("year")["index"]
    latest = idx[idx.index.max()]
    for year in current.index:
        assert fixed.loc[year, "I alt"] == pytest.approx(current.loc[year, "I alt"] * latest / idx[year], abs=0.11)


def test_per_inhabitant_on_the_page(app_test, sql):
    at = open_numbers(app_test(page=PAGE, query={"visning": "Pr. indbygger", "omraade": "Voksne"}))
    assert not at.exception
    table = table_with(at, "Opgjort for")
    assert set(table["Opgjort for"]) == {"Voksne"} and set(table["Pr."]) == {"18-64-årig"}
    s = spending_by_area(sql)
    pop = (
        sql("SELECT year, sum(persons) AS p FROM {population} WHERE age_group = '18-64' GROUP BY year")
        .set_index("year")
        .p
    )
    got = table.set_index("År")["I alt"]
    for r in s[s.filter_area == "Voksne"].itertuples():
        assert got[r.year] == pytest.approx(r.net * 1000 / pop[r.year], abs=0.51)


def test_controls_are_bound_to_the_url(app_test):
    at = app_test(page=PAGE, query={"priser": "Faste", "visning": "Pr. indbygger", "opdeling": "Funktion"})
    assert (at.radio(key="priser").value, at.radio(key="visning").value, at.radio(key="opdeling").value) == (
        "Faste",
        "Pr. indbygger",
        "Funktion",
    )
    # (AppTest does not write bound widgets back to its query_params; the browser test checks the URL)
    at = app_test(page=PAGE)
    at.radio(key="visning").set_value("Pr. indbygger").run()
    assert not at.exception
    assert any(m.label.endswith("kr. pr. 0-22-årig") for m in at.metric)
    at.radio(key="priser").set_value("Faste").run()
    assert any("faste" in md.value and "priser" in md.value for md in at.markdown)


def test_function_breakdown_table(app_test, sql):
    at = open_numbers(app_test(page=PAGE, query={"opdeling": "Funktion", "aar": ["2020", "2024"]}))
    assert not at.exception
    table = table_with(at, "Funktion").set_index("Funktion")
    expected = sql(
        "SELECT function_code, sum(net_1000_dkk) / 1000 AS mio FROM {spending} "
        "WHERE kind = 'regnskab' AND year = 2024 GROUP BY ALL"
    )
    for r in expected.itertuples():
        assert table.loc[r.function_code, "2024"] == pytest.approx(r.mio, abs=0.051)


def test_invalid_control_values_fall_back(app_test):
    at = app_test(page=PAGE, query={"priser": "Dyre", "visning": "alt"})
    assert not at.exception
    assert at.radio(key="priser").value == "Løbende" and at.radio(key="visning").value == "I alt"


def test_period_without_accounts_says_so(app_test, sql):
    only_budget = int(sql("SELECT max(year) AS y FROM {spending} WHERE kind = 'budget'").y[0])
    assert not len(sql("SELECT 1 FROM {spending} WHERE kind = 'regnskab' AND year = $y", {"y": only_budget}))
    at = app_test(page=PAGE, query={"aar": [str(only_budget), str(only_budget)]})
    assert not at.exception
    assert any("ingen regnskabstal" in i.value for i in at.info)
    assert any(m.label == f"Takstændring {only_budget}" for m in at.metric) or True


def test_whole_region_button_clears_the_focus(app_test):
    at = app_test(page=PAGE, query={"kommune": "Skive"})
    assert at.multiselect(key="kommune").value == [779]
    at.button(key="udg-hele-regionen").click().run()
    assert not at.exception
    assert at.multiselect(key="kommune").value == []


def test_overview_for_the_overblik_page(data_dir, sql):
    """overblik.udgifter.overview: fixed-price spending in the latest accounts year, its change and the rate
    status, as the Overblik page will reuse them."""
    from overblik import db, udgifter

    db.clear()
    codes = [int(c) for c in sql("SELECT municipality_code FROM {municipalities}").municipality_code]
    o = udgifter.overview(
        {"year_from": 2016, "year_to": 2026, "municipalities": codes, "area": "alle"}, whole_region=True
    )
    year = int(sql("SELECT max(year) AS y FROM {spending} WHERE kind = 'regnskab'").y[0])
    fixed = (
        sql("""
        SELECT s.year, sum(s.net_1000_dkk * (SELECT "index" FROM {price_index} ORDER BY year DESC LIMIT 1) / p."index")
               / 1000 AS mio
        FROM {spending} s JOIN {price_index} p ON p.year = s.year
        WHERE s.kind = 'regnskab' GROUP BY s.year""")
        .set_index("year")
        .mio
    )
    assert o["year"] == year and o["price_year"] == 2027  # the PL forecast for the 2027 budget
    assert o["value_mio_kr"] == pytest.approx(fixed[year])
    assert o["change_pct"] == pytest.approx((fixed[year] / fixed[year - 1] - 1) * 100)
    assert list(o["trend"]["year"]) == sorted(fixed.index)
    ry = int(sql("SELECT max(year) AS y FROM {offer_years}").y[0])
    _period, base, d, _limit = rule_levels(sql, ry)
    avg = (d.places * d.ch).sum() / d.places.sum()
    assert o["rate"].year == ry and o["rate"].baseline_year == base and o["rate"].change_pct == pytest.approx(avg)
    assert o["rate"].period == "2025-26" and o["rate"].within in (True, False)
    assert o["places"]["places"] == int(
        sql(
            "SELECT sum(y.places) AS p FROM {offer_years} y JOIN {offers} o ON o.offer_id = y.offer_id "
            "WHERE o.kind = 'rammeaftale' AND y.year = $y",
            {"y": ry},
        ).p[0]
    )


def test_cost_curve_section(app_test):
    at = app_test(page=PAGE)
    assert not at.exception
    heads = [h.value for h in at.header]
    assert heads.index("Knækker udgiftskurven?") < heads.index("Det vigtigste")
    text = " ".join(m.value for m in at.markdown)
    assert "»Knække den stigende udgiftskurve«" in text and "Rammeaftale 2027-28, udkast" in text
    assert ".txt" not in text  # the seed's file name is ours, not the reader's
    assert "Første regnskab for aftaleperioden: 2027, offentliggøres i 2028." in text
    assert any("Sådan er det regnet" in c.value and "prognoseintervallet" in c.value for c in at.caption)


def test_the_key_message_names_the_area_filter(app_test):
    at = app_test(page=PAGE, query={"omraade": "Voksne"})
    assert not at.exception, at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "specialiserede social- og specialundervisningsområde for voksne" in text


def test_surplus_title_names_the_years_it_shows(app_test, sql):
    # the filter's period is 2016-2027, the accounts with over-/underskud cover fewer years
    at = app_test(page=PAGE)
    assert not at.exception, at.exception
    ys = sql(
        "SELECT min(y.year) AS a, max(y.year) AS b FROM {offers} o JOIN {offer_years} y ON y.offer_id = o.offer_id "
        "WHERE o.kind = 'rammeaftale' AND y.surplus_deficit_1000_dkk IS NOT NULL"
    ).iloc[0]
    titles = [h.value for h in at.subheader if h.value.startswith("Over- (+) og underskud")]
    assert titles == [f"Over- (+) og underskud (−) pr. driftsherre og år, mio. kr. ({ys.a}-{ys.b})"]
    # the management information sits after those sections and points up to them
    assert any("over-/underskud og tillægsydelser ovenfor" in m.value for m in at.markdown)


def test_function_panels_have_no_stray_axis_titles(app_test):
    # per inhabitant: "kr." under the top panel sat on the bottom panel's title, and under the bottom one on
    # the legend; the panel titles give the unit ("kr. pr. 0-22-årig")
    import json

    at = app_test(page=PAGE, query={"visning": "Pr. indbygger", "opdeling": "Funktion"})
    assert not at.exception, at.exception
    spec = next(
        s
        for s in (json.loads(c.proto.spec) for c in at.get("plotly_chart"))
        if any("kr. pr. 0-22-årig" in a.get("text", "") for a in s["layout"].get("annotations", []))
        and any(t.get("type") == "bar" and t.get("orientation") == "h" for t in s["data"])
    )
    titles = [v.get("title", {}).get("text") for k, v in spec["layout"].items() if k.startswith("xaxis")]
    assert titles and not any(titles), titles


def test_a_later_principles_period_does_not_claim_the_2027_28_text(own_data, app_test, tmp_path):
    """A 2029-30 agreement under the common principles (no agreement text known to the dashboard): the page
    says the latest known principles, those of Rammeaftale 2027-28, apply until new ones are published, and
    does not present the 2027-28 text as 2029-30's."""
    from overblik import ingest

    sid = (own_data / "CURRENT").read_text().strip()
    agreements = pd.read_parquet(own_data / "snapshots" / sid / "agreements.parquet")
    later = agreements.tail(1).assign(
        period="2029-30", start_year=2029, end_year=2030, rate_rule="De fælles principper"
    )
    (tmp_path / "in").mkdir()
    pd.concat([agreements, later], ignore_index=True).to_parquet(tmp_path / "in" / "agreements.parquet")
    assert ingest.publish(tmp_path / "in", note="2029-30", base=own_data)[0]
    at = app_test(page=PAGE, query={"aar": ["2016", "2026"]})
    assert not at.exception, at.exception
    parts = "\n".join(md.value for md in at.markdown).split("\n\n")
    own = next(x for x in parts if x.startswith("**2027-28:**"))
    assert own.startswith("**2027-28:** Rammeaftale 2027-28 (udkast) siger, at »takstaftalen erstattes")
    later_text = next(x for x in parts if x.startswith("**2029-30:**")).split("\n")[0]
    assert later_text == (
        "**2029-30:** Dashboardet har endnu ingen aftaletekst for 2029-30. Indtil nye principper er offentliggjort, "
        "anvender dashboardet de senest kendte: de fire fælles principper i Rammeaftale 2027-28 (udkast), "
        "»Princip 1: Fælles om kontrakter og takster«, »Princip 2: Fælles om kvalitet«, »Princip 3: Fælles om "
        "tilbud« og »Princip 4: Fælles om implementering«. Taksterne følges op gennem principperne, især Princip 1, "
        "og den årlige ledelsesinformation om takstudvikling: se status for initiativerne på siden Handlingsplan."
    )


def test_subtitle_names_municipality_period_and_area(app_test):
    """The header names the area the page is filtered to, as Overblik and Siden sidste møde do: it read
    'Nettodriftsudgifter og takster · Viborg · 2022-2026 · Data pr. …' on data filtered to Voksne."""
    at = app_test(page=PAGE, query={"aar": ["2022", "2026"], "kommune": "Viborg", "omraade": "Voksne"})
    assert not at.exception, at.exception
    sub = at.caption[0].value
    assert sub.startswith(
        "Region Midtjylland · Nettodriftsudgifter og takster · Viborg · 2022-2026 · Voksne · Data pr. "
    ), sub
    sub = app_test(page=PAGE, query={"omraade": "Børn og unge"}).caption[0].value
    assert " · Hele regionen · " in sub and sub.endswith(
        f" · Børn og unge · Data pr. {sub.rsplit('Data pr. ', 1)[1]}"
    ), sub
