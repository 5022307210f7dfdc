"""Every chart's one-sentence takeaway (issue 16): what it shows in data terms, Danish numbers, from the
same data as the chart. Numbers are checked against independent SQL over the snapshot or worked out by
hand on small frames."""

from types import SimpleNamespace

import pandas as pd

from overblik import charts, clock, filters, fmt, kapacitet, udgifter, udmeldinger
from overblik import handlingsplan as hp
from overblik import overblik as overview

TODAY = clock.today()


def _whole_region() -> filters.Filters:
    opts = filters.options()
    return filters.Filters(
        year_from=2016,
        year_to=2026,
        chosen=(),
        all_municipalities=tuple(opts["municipalities"]),
        names=opts["names"],
    )


def _danish_change(v0: float, v1: float) -> str:
    change = (v1 / v0 - 1) * 100
    return f"{'steg' if change > 0 else 'faldt'} {abs(change):.1f} %".replace(".", ",")


def test_spending_per_year_in_current_prices_against_sql(data_dir, sql):
    got = sql("""
        SELECT s.year, sum(s.net_1000_dkk) AS v FROM {spending} s
        JOIN {account_functions} f ON f.function_code = s.function_code
        WHERE s.kind = 'regnskab' AND s.year IN (2016, 2025) GROUP BY s.year ORDER BY s.year""")
    v = udgifter.view(_whole_region(), fixed=False, per_capita=False, breakdown="Område")
    want = f"Udgifterne {_danish_change(got.v[0], got.v[1])} fra 2016 til 2025 (løbende priser)."
    assert v.per_year.takeaway == want


def test_budget_against_accounts_against_sql(data_dir, sql):
    got = sql("""
        SELECT sum(net_1000_dkk) FILTER (WHERE kind = 'regnskab') / 1000 AS r,
               sum(net_1000_dkk) FILTER (WHERE kind = 'budget') / 1000 AS b
        FROM {spending} s JOIN {account_functions} f ON f.function_code = s.function_code
        WHERE s.year = 2025""")
    v = udgifter.view(_whole_region(), fixed=False, per_capita=False, breakdown="Område")
    diff = got.r[0] - got.b[0]
    where = "over" if diff > 0 else "under"
    assert v.budget.chart.takeaway.startswith(f"Regnskabet for 2025 var {fmt.number(abs(diff), 1)} mio. kr. (")
    assert v.budget.chart.takeaway.endswith(f") {where} budgettet.")


def test_overblik_takeaways_are_short_and_count_from_the_data(data_dir, sql):
    plan = overview.plan(TODAY)
    t = plan.totals
    n = sql("SELECT count(*) AS n, count(*) FILTER (WHERE is_open = 1) AS o FROM {central_notices}")
    assert overview.plan_takeaway(plan) == (
        f"{t['på sporet']} af {t['total']} er på sporet, {t['risiko'] + t['forsinket']} i risiko eller forsinket."
    )
    notices = overview.notice_takeaway(overview.notices(TODAY))
    assert notices == f"{n.o[0]} af {n.n[0]} er åben, afventer siden maj 2024."  # CU-2019-2
    f = _whole_region()
    spend = overview.spending(f.params(), True)
    assert overview.spending_takeaway(spend).startswith("Udgifterne steg ")
    # a narrow block: each fits about a line and a half
    texts = [overview.plan_takeaway(plan), notices, overview.spending_takeaway(spend)]
    texts.append(overview.capacity_takeaway(overview.capacity_block(f.params())))
    assert all(len(x) <= 60 for x in texts), texts


def test_notice_takeaway_against_sql(data_dir, sql):
    n = sql("SELECT count(*) AS n, count(*) FILTER (WHERE is_open = 1) AS o FROM {central_notices}")
    view = udmeldinger.chosen("alle", TODAY)
    assert view.takeaway.startswith(f"{n.n[0]} centrale udmeldinger siden 2014; {n.o[0]} er åben")
    assert "(udmeldt nov. 2019)" in view.takeaway  # CU-2019-2, the one open notice


def test_capacity_takeaways_worked_by_hand():
    gap = pd.DataFrame(
        {
            "target_group_id": ["B1", "B2", "V1", "B1", "B2", "V1"],
            "short_name": ["B1 Autisme", "B2 Psykiatri", "V1 Hjerneskade"] * 2,
            "year": [2025, 2025, 2025, 2026, 2026, 2026],
            "gap": [5, -3, 2, 12, -4, 7],
            "short": [True, False, True, True, False, True],
            "places": [100, 50, 50, 100, 100, 0],
            "occupancy_pct": [90.0, 100.0, 80.0, 95.0, 85.0, None],
            "waiting": [1, 2, 3, 4, 5, 6],
            "placed_private": [0, 0, 1, 1, 1, 1],
            "single_arrangements": [0, 1, 0, 0, 1, 0],
            "demanded": [1] * 6,
            "reports": [19] * 6,
            "municipalities": [19] * 6,
            "reported": [True] * 6,
            "same_reports": [None] * 3 + [True] * 3,  # the same 19 municipalities reported both years
        }
    )
    assert kapacitet.gap_takeaway(gap) == (
        "2 af 3 målgrupper mangler pladser i 2026, i alt 19 pladser; flest i B1 Autisme (12)."
    )
    assert kapacitet.gap_trend_takeaway(gap) == "Målgrupperne mangler i alt 19 pladser i 2026 mod 7 i 2025."
    # weighted: 2026 (95*100 + 85*100) / 200 = 90; 2025 (90*100 + 100*50 + 80*50) / 200 = 90
    assert kapacitet.occupancy_takeaway(gap) == "Belægningen var 90,0 % i 2026 mod 90,0 % i 2025 (vægtet med pladser)."
    assert kapacitet.signals_takeaway(gap) == (
        "I 2026 venter 15 borgere, 3 er i private tilbud og 1 i enkeltmandsforanstaltninger (i 2025: 6 ventende)."
    )


def test_capacity_takeaways_without_a_report_worked_by_hand():
    # 2026: nobody reported V1 (its numbers, gap and rule are missing); B1 and B2 by the same municipalities
    gap = pd.DataFrame(
        {
            "target_group_id": ["B1", "B2", "V1", "B1", "B2", "V1"],
            "short_name": ["B1 Autisme", "B2 Psykiatri", "V1 Hjerneskade"] * 2,
            "year": [2025, 2025, 2025, 2026, 2026, 2026],
            "gap": pd.array([5, -3, 2, 12, -4, None], dtype="Int64"),
            "short": pd.array([True, False, True, True, False, None], dtype="boolean"),
            "places": [100, 50, 50, 100, 100, 50],
            "occupancy_pct": [90.0, 100.0, 80.0, 95.0, 85.0, 80.0],
            "waiting": pd.array([1, 2, 3, 4, 5, None], dtype="Int64"),
            "placed_private": pd.array([0, 0, 1, 1, 1, None], dtype="Int64"),
            "single_arrangements": pd.array([0, 1, 0, 0, 1, None], dtype="Int64"),
            "demanded": pd.array([1, 1, 1, 1, 1, None], dtype="Int64"),
            "reports": [19, 19, 19, 19, 19, 0],
            "municipalities": [19] * 6,
            "reported": [True, True, True, True, True, False],
            "same_reports": pd.array([None, None, None, True, True, False], dtype="boolean"),
        }
    )
    # V1 is in neither count: 1 of the 2 groups with a report is short of places
    assert kapacitet.gap_takeaway(gap) == (
        "1 af 2 målgrupper med indberetning mangler pladser i 2026, i alt 12 pladser; flest i B1 Autisme (12). "
        "For V1 kan pladstallet ikke opgøres (ikke indberettet)."
    )
    # 2025 counted V1's 2 missing places: 7 against 12 would not be like with like
    assert kapacitet.gap_trend_takeaway(gap) == (
        "Målgrupperne mangler i alt 12 pladser i 2026 (uden V1, ikke indberettet); kan ikke sammenlignes med "
        "2025: ikke de samme indberetninger."
    )
    assert kapacitet.signals_takeaway(gap) == (
        "I 2026 venter 9 borgere, 2 er i private tilbud og 1 i enkeltmandsforanstaltninger (uden V1, ikke "
        "indberettet); kan ikke sammenlignes med 2025: ikke de samme indberetninger."
    )
    # one group without its report: said, not drawn as 0
    v1 = gap[gap["target_group_id"] == "V1"]
    assert kapacitet.gap_takeaway(v1) == "Pladstallet for 2026 kan ikke opgøres: ikke indberettet."
    assert kapacitet.signals_takeaway(v1).startswith("For 2026 er der ingen indberetning af ventende borgere")


def test_capacity_takeaways_read_the_reported_column_worked_by_hand():
    # "Is the group reported?" is the query's `reported` column, read everywhere: here V1 has no report in
    # 2026 although a gap stands in its row (as it would if a later rule gave places without a report)
    gap = pd.DataFrame(
        {
            "target_group_id": ["B1", "V1"],
            "short_name": ["B1 Autisme", "V1 Hjerneskade"],
            "year": [2026, 2026],
            "gap": pd.array([12, 5], dtype="Int64"),
            "short": pd.array([True, True], dtype="boolean"),
            "places": [100, 50],
            "occupancy_pct": [95.0, 80.0],
            "waiting": pd.array([4, 0], dtype="Int64"),
            "placed_private": pd.array([1, 0], dtype="Int64"),
            "single_arrangements": pd.array([0, 0], dtype="Int64"),
            "reports": [19, 0],
            "municipalities": [19] * 2,
            "reported": [True, False],
            "same_reports": pd.array([None, None], dtype="boolean"),
        }
    )
    assert kapacitet.gap_takeaway(gap) == (
        "1 af 1 målgrupper med indberetning mangler pladser i 2026, i alt 12 pladser; flest i B1 Autisme (12). "
        "For V1 kan pladstallet ikke opgøres (ikke indberettet)."
    )
    assert kapacitet.signals_takeaway(gap) == (
        "I 2026 venter 4 borgere, 1 er i private tilbud og 0 i enkeltmandsforanstaltninger (uden V1, ikke indberettet)."
    )
    v1 = gap[gap["target_group_id"] == "V1"]
    assert kapacitet.gap_trend_takeaway(v1) == "Pladstallet for 2026 kan ikke opgøres: ikke indberettet."
    assert kapacitet.signals_takeaway(v1).startswith("For 2026 er der ingen indberetning af ventende borgere")
    c = overview.Capacity(summary=SimpleNamespace(year=2026), latest=gap, short_metric=None, places_metric=None)
    assert overview.capacity_takeaway(c) == "1 af 1 målgrupper mangler pladser, flest B1 (12)."


def test_one_target_group_with_free_places_says_its_free_places_worked_by_hand():
    # B3 alone, reported by the same 19 municipalities every year. Gap = whole occupied + waiting - places:
    # 2026: 1098 + 10 - 1266 = -158 (158 ledige); 2027: 1098 + 20 - 1266 = -148; 2028: 1259 + 20 - 1266 = +13
    b3 = pd.DataFrame(
        {
            "target_group_id": ["B3"] * 3,
            "short_name": ["B3 Handicap"] * 3,
            "year": [2026, 2027, 2028],
            "places": [1266] * 3,
            "occupied": [1098, 1098, 1259],
            "waiting": pd.array([10, 20, 20], dtype="Int64"),
            "gap": pd.array([-158, -148, 13], dtype="Int64"),
            "short": pd.array([False, False, True], dtype="boolean"),
            "reports": [19] * 3,
            "municipalities": [19] * 3,
            "reported": [True] * 3,
            "same_reports": pd.array([None, True, True], dtype="boolean"),
        }
    )
    assert (b3["occupied"] + b3["waiting"] - b3["places"]).tolist() == b3["gap"].tolist()
    # the reviewer's wrong sentences: 'B3 mangler 0 pladser i 2027', '... 13 pladser i 2028 mod 0 i 2026'
    assert kapacitet.gap_trend_takeaway(b3) == "Pladser i B3: mangler 13 i 2028 mod 158 ledige i 2026."
    assert (
        kapacitet.gap_trend_takeaway(b3[b3["year"] < 2028]) == "Pladser i B3: 148 ledige i 2027 mod 158 ledige i 2026."
    )
    assert kapacitet.gap_trend_takeaway(b3[b3["year"] == 2027]) == "Pladser i B3: 148 ledige i 2027."
    balance = b3[b3["year"] == 2027].assign(gap=pd.array([0], dtype="Int64"))
    assert kapacitet.gap_trend_takeaway(balance) == "Pladser i B3: i balance i 2027."
    # other municipalities in 2027 than in 2026: said, not compared
    other = b3[b3["year"] < 2028].assign(same_reports=pd.array([None, False], dtype="boolean"))
    assert kapacitet.gap_trend_takeaway(other) == (
        "Pladser i B3: 148 ledige i 2027; kan ikke sammenlignes med 2026: ikke de samme indberetninger."
    )
    # no report in the last year: the gap is unknown, said as such
    unknown = b3[b3["year"] == 2027].assign(
        gap=pd.array([None], dtype="Int64"), short=pd.array([None], dtype="boolean"), reports=[0], reported=[False]
    )
    assert kapacitet.gap_trend_takeaway(unknown) == "Pladstallet for 2027 kan ikke opgøres: ikke indberettet."


def test_plan_counts_and_timeline_takeaways_worked_by_hand():
    counts = pd.DataFrame(
        {
            "principle_id": ["P1", "P2"],
            "principle_name": ["a", "b"],
            "på sporet": [3, 1],
            "risiko": [0, 2],
            "forsinket": [1, 1],
            "afsluttet": [0, 0],
            "ikke startet": [0, 0],
            "total": [4, 4],
        }
    )
    assert hp.counts_takeaway(counts) == (
        "4 af 8 initiativer er på sporet; flest i risiko eller forsinket under P2 (3 af 4)."
    )
    df = pd.DataFrame(
        {
            "initiative_id": ["A", "B", "C"],
            "title": ["Et", "To", "Tre"],
            "deadline": ["2026-01-01", "2027-03-01", "2026-12-15"],
            "status": ["risiko", "på sporet", "afsluttet"],
            "overdue": [True, False, False],
        }
    )
    assert hp.timeline_takeaway(df, TODAY) == "1 initiativ har overskredet fristen; næste frist er 1. mar. 2027 (B To)."


def test_the_takeaway_joins_the_accessible_name():
    fig = charts.figure()
    fig.add_bar(x=[1], y=[2], name="a")
    name = charts.alt("Udgifter pr. år", fig, "Udgifterne steg 6,6 % fra 2016 til 2025")
    assert name.startswith("Udgifter pr. år. Udgifterne steg 6,6 % fra 2016 til 2025. Søjlediagram")


# --- the cost curve's and the regional comparison's charts (issue 17), hand-worked ---------------


def test_drivers_takeaway_hand_worked():
    from overblik import costcurve as cc

    dec = pd.DataFrame(
        {
            "unit": ["Hele regionen", "Hele regionen", "Hele regionen", "Aarhus"],
            "area": [cc.ALL, cc.ALL, "Voksne", cc.ALL],
            "year": [2024, 2025, 2025, 2025],
            "change": [1.0, 490_000.0, 7.0, 9.0],
            "price": [1.0, 479_900.0, 7.0, 9.0],
            "demography": [0.0, 89_000.0, 0.0, 0.0],
            "real": [0.0, -78_900.0, 0.0, 0.0],
        }
    )
    assert cc.drivers_takeaway(dec, "Hele regionen") == (
        "I 2025 ændrede udgifterne sig +490,0 mio. kr.: priser +479,9 mio. kr., demografi +89,0 mio. kr. og "
        "real vækst pr. indbygger −78,9 mio. kr."
    )


def test_regions_municipalities_takeaway_hand_worked():
    from overblik import regions_compare as rc

    # unrounded: 15,4 kr. is over an average of 15,0 kr. though both show as 15 kr. in the table
    d = pd.DataFrame(
        {
            "filter_area": ["Børn og unge"] * 3 + ["Voksne"] * 2,
            "value": [10.0, 15.4, 30.0, 5.0, 6.9],
            "country_avg": [15.0, 15.0, 15.0, 7.0, 7.0],
        }
    )
    assert rc.municipalities_takeaway(d) == (
        "2 af 3 kommuner over landsgennemsnittet på børn og unge og 0 af 2 kommuner over landsgennemsnittet på voksne."
    )


def test_regions_over_time_takeaway_hand_worked():
    from overblik import regions_compare as rc

    per_year = pd.DataFrame(
        {
            "region_code": [1082, 1082, rc.COUNTRY, rc.COUNTRY, 1081, 1081],
            "year": [2016, 2025, 2016, 2025, 2016, 2025],
            "filter_area": ["Voksne"] * 6,
            "age_group": ["18-64"] * 6,
            "kr_per_inhabitant": [100.0, 110.0, 200.0, 190.0, 1.0, 2.0],
        }
    )
    assert rc.over_time_takeaway(per_year, 1082) == (
        "Fra 2016 til 2025 ændrede udgiften pr. indbygger i Region Midtjylland sig +10,0 % på voksne "
        "(hele landet −5,0 %)."
    )


def test_curve_takeaway_hand_worked():
    from overblik import costcurve as cc

    pts = pd.DataFrame(
        {
            "year": [2016, 2021, 2025, 2027],
            "kind": ["regnskab", "regnskab", "regnskab", "budget"],
            "value": [100.0, 110.0, 99.0, 500.0],  # the budget is not an account
        }
    )
    assert cc.curve_takeaway(pts) == (
        "Den reale udgift pr. indbygger faldt 1,0 % fra 2016 til 2025; den toppede i 2021 og faldt 10,0 % fra "
        "2021 til 2025."
    )
    assert (
        cc.curve_takeaway(pts[pts["year"] != 2021]) == "Den reale udgift pr. indbygger faldt 1,0 % fra 2016 til 2025."
    )
    assert cc.curve_takeaway(pts.head(1)) == ""


def test_regions_over_time_takeaway_areas_with_different_years():
    """Each area says its own years when they differ (never the years of another area)."""
    from overblik import regions_compare as rc

    rows = [
        (1082, 2016, "Børn og unge", "0-22", 100.0),
        (1082, 2025, "Børn og unge", "0-22", 120.0),
        (rc.COUNTRY, 2016, "Børn og unge", "0-22", 100.0),
        (rc.COUNTRY, 2025, "Børn og unge", "0-22", 110.0),
        (1082, 2020, "Voksne", "18-64", 50.0),
        (1082, 2022, "Voksne", "18-64", 45.0),
        (rc.COUNTRY, 2020, "Voksne", "18-64", 50.0),
        (rc.COUNTRY, 2022, "Voksne", "18-64", 50.0),
    ]
    per_year = pd.DataFrame(rows, columns=["region_code", "year", "filter_area", "age_group", "kr_per_inhabitant"])
    assert rc.over_time_takeaway(per_year, 1082) == (
        "Udgiften pr. indbygger i Region Midtjylland ændrede sig +20,0 % på børn og unge (hele landet +10,0 %) "
        "fra 2016 til 2025 og −10,0 % på voksne (hele landet 0,0 %) fra 2020 til 2022."
    )


def test_one_municipality_and_one_notice_read_as_one():
    # "(hver 1 af 1 kommuner)" and "ingen af dem er åbne" for a single one
    diff = pd.DataFrame(
        {
            "municipality": ["Skive"] * 3,
            "target_group_id": ["B1", "B2", "V1"],
            "short_name": ["B1 Autisme", "B2 Psykiatri", "V1 Hjerneskade"],
            "difficulty": [3, 1, 2],
        }
    )
    assert kapacitet.difficulty_takeaway(diff, 2026) == (
        "I 2026 oplever Skive betydelige eller store vanskeligheder med at finde tilbud til B1 og V1."
    )
    one = pd.DataFrame({"issued": ["2022-05"], "state": ["udfald ukendt"]})
    assert udmeldinger.timeline_takeaway(one, TODAY) == "1 central udmelding siden 2022; den er ikke åben."


def test_surplus_names_the_years_with_accounts_and_exact_sums_against_sql(data_dir, sql):
    """The operators' net result over the years the chart shows (the accounts cover fewer years than the
    filter's 2016-2026), from the exact sums: SQL over offer_years of the agreement's offers."""
    got = sql("""
        SELECT coalesce(op.name, CAST(o.operator_code AS VARCHAR)) AS operator, min(y.year) AS y0, max(y.year) AS y1,
               sum(y.surplus_deficit_1000_dkk) / 1000 AS v
        FROM {offers} o JOIN {offer_years} y ON y.offer_id = o.offer_id
        LEFT JOIN {operators} op ON op.operator_code = o.operator_code
        WHERE o.kind = 'rammeaftale' AND y.year BETWEEN 2016 AND 2026 AND y.surplus_deficit_1000_dkk IS NOT NULL
        GROUP BY 1""")
    total = got.v.sum()
    top = got.loc[got.v.abs().idxmax()]
    v = udgifter.view(_whole_region(), fixed=False, per_capita=False, breakdown="Område")
    net = "overskud" if total > 0 else "underskud"
    years = f"{got.y0.min()}-{got.y1.max()}"
    assert v.surplus.chart.takeaway == (
        f"Driftsherrerne havde samlet et {net} på {fmt.number(abs(total), 1)} mio. kr. i {years}; "
        f"størst er {top.operator} ({fmt.number(top.v, 1, signed=True)} mio. kr.)."
    )
    assert years != "2016-2026", "the demo's accounts of surplus start later than the filter's period"


def _viborg_adults() -> filters.Filters:
    opts = filters.options()
    viborg = next(c for c, n in opts["names"].items() if n == "Viborg")
    return filters.Filters(2022, 2026, (viborg,), tuple(opts["municipalities"]), opts["names"], "voksne")


def test_extra_services_change_from_the_exact_sums_against_sql(data_dir, sql):
    """Viborg's extra services for adults, 2022-2026: the change from the exact totals in 1.000 kr. (SQL over the
    snapshot), not from the chart's table rounded to 0,01 mio. kr. (it said 'faldt 3,4 %' for 2.069,7 -> 1.995,0
    thousand kr., a fall of 3,6 %)."""
    got = sql("""
        SELECT e.year, sum(e.amount_1000_dkk) AS v
        FROM {extra_services} e JOIN {offers} o ON o.offer_id = e.offer_id
        JOIN {target_groups} t ON t.target_group_id = o.target_group_id
        JOIN {municipalities} m ON m.municipality_code = o.operator_code
        WHERE o.kind = 'rammeaftale' AND m.name = 'Viborg' AND t.area = 'Voksne' AND e.year BETWEEN 2022 AND 2026
        GROUP BY 1 ORDER BY 1""")
    assert len(got) >= 2
    first, last = got.iloc[0], got.iloc[-1]
    v = udgifter.view(_viborg_adults(), fixed=False, per_capita=False, breakdown="Område")
    assert v.extra_services.chart.takeaway == (
        f"Tillægsydelserne i alt {_danish_change(first.v, last.v)} fra {int(first.year)} til {int(last.year)} "
        f"(løbende priser), til {fmt.number(last.v / 1000, 1)} mio. kr."
    )
    # the case the review found: the rounded table's change differs in the first decimal
    rounded = (round(last.v / 1000, 2) / round(first.v / 1000, 2) - 1) * 100
    assert fmt.pct(abs(rounded)) != fmt.pct(abs((last.v / first.v - 1) * 100))


def test_spending_per_year_from_the_exact_sums_against_sql(data_dir, sql):
    """Viborg's adults per year in current prices: the change from the exact sums, not the table's 0,1 mio. kr."""
    got = sql("""
        SELECT s.year, sum(s.net_1000_dkk) AS v FROM {spending} s
        JOIN {account_functions} f ON f.function_code = s.function_code
        JOIN {municipalities} m ON m.municipality_code = s.municipality_code
        WHERE s.kind = 'regnskab' AND m.name = 'Viborg' AND s.year BETWEEN 2022 AND 2026
          AND (f.area = 'Voksne' OR f.function_code IN ('3.22.17', '3.30.46'))
        GROUP BY 1 ORDER BY 1""")
    v = udgifter.view(_viborg_adults(), fixed=False, per_capita=False, breakdown="Område")
    want = f"Udgifterne {_danish_change(got.v.iloc[0], got.v.iloc[-1])} fra {int(got.year.iloc[0])} til "
    assert v.per_year.takeaway == want + f"{int(got.year.iloc[-1])} (løbende priser)."
