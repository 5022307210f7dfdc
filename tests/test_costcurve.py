"""The cost curve (overblik.costcurve): the growth decomposition adds up on a hand-worked case, the trend
and its prediction band match OLS worked out with numpy and scipy's t quantile (not statsmodels), and the
verdict reads right under, inside and above the band and before any accounts of the period exist."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from overblik import costcurve as cc


def test_decomposition_adds_up_on_a_hand_worked_case():
    # 1.000 kr.: 100 -> 121; prices 100 -> 105; persons 1.000 -> 1.010
    units = pd.DataFrame(
        {
            "unit": ["A", "A"],
            "area": ["Voksne", "Voksne"],
            "age_group": ["18-64", "18-64"],
            "year": [2024, 2025],
            "net_1000_dkk": [100.0, 121.0],
            "index": [100.0, 105.0],
            "persons": [1000, 1010],
        }
    )
    d = cc.decompose(units)
    assert len(d) == 1
    r = d.iloc[0]
    # by hand: price = 100 * 0.05 = 5; demography = 100 * 1.05 * 0.01 = 1.05; real = 21 - 5 - 1.05 = 14.95
    assert r["year"] == 2025 and r["change"] == pytest.approx(21.0)
    assert r["price"] == pytest.approx(5.0)
    assert r["demography"] == pytest.approx(1.05)
    assert r["real"] == pytest.approx(14.95)
    # real growth per inhabitant in real terms: (121/105/1010) / (100/100/1000) - 1 = 14.95 / 106.05
    per_head = (121 / 1.05 / 1010) / (100 / 1000) - 1
    assert r["real"] / (100 * 1.05 * 1.01) == pytest.approx(per_head)
    assert r["price"] + r["demography"] + r["real"] == pytest.approx(r["change"], abs=1e-12)


def test_decomposition_sums_over_age_groups_and_areas():
    units = pd.DataFrame(
        {
            "unit": ["R"] * 4,
            "area": ["Børn og unge", "Børn og unge", "Voksne", "Voksne"],
            "age_group": ["0-22", "0-22", "18-64", "18-64"],
            "year": [2024, 2025, 2024, 2025],
            "net_1000_dkk": [50.0, 48.0, 200.0, 220.0],
            "index": [100.0, 102.0, 100.0, 102.0],
            "persons": [400, 396, 1000, 1020],
        }
    )
    parts = cc.decompose(units)
    total = cc.summed(parts, ["unit"]).iloc[0]
    # by hand: B: price 1, demography 50*1.02*(-0.01) = -0.51, real -2 - 1 + 0.51 = -2.49
    #          V: price 4, demography 200*1.02*0.02 = 4.08, real 20 - 4 - 4.08 = 11.92
    assert total["change"] == pytest.approx(18.0)
    assert total["price"] == pytest.approx(5.0)
    assert total["demography"] == pytest.approx(3.57)
    assert total["real"] == pytest.approx(9.43)
    assert total["price_pct"] == pytest.approx(2.0) and total["change_pct"] == pytest.approx(7.2)


def _hand_fit(years, values, new_years, alpha=0.05):
    """OLS and the prediction interval of a new observation, by the textbook formulas."""
    centre = float(np.mean(years))  # the same line; centred years keep X'X well conditioned
    x, y = np.asarray(years, float) - centre, np.asarray(values, float)
    n = len(x)
    X = np.column_stack([np.ones(n), x])
    beta = np.linalg.solve(X.T @ X, X.T @ y)
    resid = y - X @ beta
    s2 = resid @ resid / (n - 2)
    x0 = np.column_stack([np.ones(len(new_years)), np.asarray(new_years, float) - centre])
    se = np.sqrt(s2 * (1 + np.einsum("ij,jk,ik->i", x0, np.linalg.inv(X.T @ X), x0)))
    t = stats.t.ppf(1 - alpha / 2, n - 2)
    fit = x0 @ beta
    return fit, fit - t * se, fit + t * se


def test_trend_and_band_match_a_hand_computed_fit():
    years = [2019, 2020, 2021, 2022, 2023]
    values = [10.0, 12.0, 11.0, 14.0, 15.0]
    tr = cc.fit_trend(pd.DataFrame({"year": years, "value": values}), through=2026)
    assert list(tr["year"]) == list(range(2019, 2027))
    fit, lo, hi = _hand_fit(years, values, list(range(2019, 2027)))
    # slope by hand: sum((x-2021)(y-12.4)) / 10 = 12 / 10 = 1.2
    assert tr.set_index("year").loc[2024, "fitted"] == pytest.approx(12.4 + 1.2 * 3)
    np.testing.assert_allclose(tr["fitted"], fit, rtol=1e-9)
    np.testing.assert_allclose(tr["lower"], lo, rtol=1e-9)
    np.testing.assert_allclose(tr["upper"], hi, rtol=1e-9)
    assert cc.fit_trend(pd.DataFrame({"year": [2020, 2021], "value": [1.0, 2.0]}), 2025).empty


TREND = pd.DataFrame(
    {"year": [2025, 2026, 2027, 2028], "fitted": [100.0] * 4, "lower": [95.0] * 4, "upper": [105.0] * 4}
)


def _points(rows):
    return pd.DataFrame(rows, columns=["year", "kind", "value"])


@pytest.mark.parametrize(
    ("value", "position", "text", "answer"),
    [
        (
            90.0,
            "under",
            "2027: real udgift pr. indbygger 10,0 % under trenden før aftalen (under det usikre interval).",
            "Tegn på knæk",
        ),
        (
            98.2,
            "inside",
            "2027: real udgift pr. indbygger 1,8 % under trenden før aftalen (inden for det usikre interval).",
            "Ikke tydeligt",
        ),
        (
            107.5,
            "over",
            "2027: real udgift pr. indbygger 7,5 % over trenden før aftalen (over det usikre interval).",
            "Nej, over trenden",
        ),
    ],
)
def test_verdict_against_the_band(value, position, text, answer):
    pts = _points([(2025, "regnskab", 101.0), (2027, "regnskab", value), (2028, "budget", 80.0)])
    v = cc.verdict(pts, TREND, 2027, 2028)
    assert v.position == position and v.sentence == text and v.value == answer and v.year == 2027
    assert v.delta == f"Regnskab 2027: {'−' if value < 100 else '+'}{text.split(' ')[5]} % mod trenden"


def test_verdict_before_any_accounts_of_the_period():
    pts = _points([(2025, "regnskab", 101.0), (2026, "budget", 99.0), (2027, "budget", 104.0)])
    v = cc.verdict(pts, TREND, 2027, 2028)
    assert v.position == "before" and v.value == "For tidligt at sige" and v.budget_position == "inside"
    assert v.sentence == (
        "Første regnskab for aftaleperioden: 2027, offentliggøres i 2028. Vedtaget budget 2027: real udgift pr. "
        "indbygger 4,0 % over trenden før aftalen (inden for det usikre interval)."
    )
    assert v.delta == "Budget 2027: +4,0 % mod trenden"
    none = cc.verdict(_points([(2025, "regnskab", 101.0)]), TREND, 2027, 2028)
    assert none.position == "before" and none.sentence.startswith("Første regnskab for aftaleperioden: 2027")
    assert "intet vedtaget budget" in none.sentence


def test_accounts_that_are_late_are_said_to_be_missing(monkeypatch):
    """In 2029 the 2027 accounts were due a year ago: the verdict no longer says they are coming."""
    monkeypatch.setenv("OVERBLIK_TODAY", "2029-06-20")
    v = cc.verdict(_points([(2025, "regnskab", 101.0)]), TREND, 2027, 2028)
    assert v.sentence.startswith(
        "Første regnskab for aftaleperioden: 2027, offentliggjort i 2028, men ikke i datasættet endnu."
    )
    monkeypatch.setenv("OVERBLIK_TODAY", "2028-12-31")
    v = cc.verdict(_points([(2025, "regnskab", 101.0)]), TREND, 2027, 2028)
    assert v.sentence.startswith("Første regnskab for aftaleperioden: 2027, offentliggøres i 2028.")


def test_no_trend_no_verdict():
    v = cc.verdict(
        _points([(2027, "regnskab", 1.0)]), cc.fit_trend(pd.DataFrame(columns=["year", "value"]), 2028), 2027, 2028
    )
    assert v.position is None and "for få regnskabsår" in v.sentence


def test_region_decomposition_matches_independent_sql(data_dir, sql):
    """The whole region, all areas, 2025: the total change, the price part and the demography part (per age
    group: children's areas per 0-22-year-old, adults' per 18-64-year-old) from the snapshot's files."""
    from overblik import db

    db.clear()
    codes = [int(c) for c in sql("SELECT municipality_code FROM {municipalities}").municipality_code]
    v = cc.view({"year_from": 2016, "year_to": 2027, "municipalities": codes, "area": "alle"}, "Hele regionen")
    t = v.drivers.table
    row = t[(t["Hvem"] == "Hele regionen") & (t["Område"] == cc.ALL) & (t["År"] == 2025)].iloc[0]
    by_age = sql(
        """
        WITH s AS (
            SELECT CASE WHEN f.area = 'Voksne' OR s.function_code IN ('3.22.17', '3.30.46') THEN '18-64' ELSE '0-22' END
                       AS age_group, s.year, sum(s.net_1000_dkk) AS net
            FROM {spending} s JOIN {account_functions} f USING (function_code)
            WHERE s.kind = 'regnskab' AND s.year IN (2024, 2025) GROUP BY ALL),
        p AS (SELECT age_group, year, sum(persons) AS persons FROM {population} GROUP BY ALL)
        SELECT s.age_group, s.year, s.net, p.persons, i."index" AS idx
        FROM s JOIN p USING (age_group, year) JOIN {price_index} i USING (year)"""
    )
    price = demography = change = 0.0
    for _age, g in by_age.groupby("age_group"):
        a, b = g.set_index("year").loc[2024], g.set_index("year").loc[2025]
        change += b.net - a.net
        price += a.net * (b.idx / a.idx - 1)
        demography += a.net * (b.idx / a.idx) * (b.persons / a.persons - 1)
    assert row["Ændring i alt, mio. kr."] == pytest.approx(change / 1000, abs=0.051)
    assert row["Priser, mio. kr."] == pytest.approx(price / 1000, abs=0.051)
    assert row["Demografi, mio. kr."] == pytest.approx(demography / 1000, abs=0.051)
    assert row["Real vækst pr. indbygger, mio. kr."] == pytest.approx((change - price - demography) / 1000, abs=0.051)
    # every row of the table closes (rounded to 0,1 mio. kr. each)
    parts = t[["Priser, mio. kr.", "Demografi, mio. kr.", "Real vækst pr. indbygger, mio. kr."]].sum(axis=1)
    assert ((parts - t["Ændring i alt, mio. kr."]).abs() <= 0.151).all()
    assert set(t["Hvem"]) == {"Hele regionen", *sql("SELECT name FROM {municipalities}").name}


def test_one_municipality_is_one_unit(data_dir, sql):
    """Choosing one municipality: its rows once (the selection is the municipality), with its own accounts."""
    from overblik import db

    db.clear()
    code = int(sql("SELECT municipality_code FROM {municipalities} WHERE name = 'Skive'").municipality_code[0])
    v = cc.view({"year_from": 2022, "year_to": 2024, "municipalities": [code], "area": "alle"}, "Skive")
    t = v.drivers.table
    assert not t.duplicated(["Hvem", "Område", "År"]).any()
    row = t[(t["Hvem"] == "Skive") & (t["Område"] == cc.ALL) & (t["År"] == 2025)].iloc[0]
    now = sql(
        "SELECT sum(net_1000_dkk) AS n FROM {spending} WHERE municipality_code = $c AND year = 2025 AND kind = 'regnskab'",
        {"c": code},
    ).n[0]
    assert row["Udgift, mio. kr."] == pytest.approx(now / 1000, abs=0.051)


def test_the_agreement_and_today_labels_never_overlap(monkeypatch):
    """From 2027 on today is after the agreement's start: the two labels at the top go to opposite sides
    (the earlier line's to its left), as they do before it (a reviewer saw them drawn over each other)."""
    from overblik import clock, costcurve_figures

    trend = pd.DataFrame({"year": [2016, 2028], "upper": [1.0, 2.0], "lower": [0.5, 1.0], "fitted": [0.7, 1.5]})
    pts = pd.DataFrame({"year": [2016, 2025], "value": [1.0, 1.2], "kind": ["regnskab", "regnskab"]})
    for day, agreement_side, today_side in [("2026-12-07", "left", "right"), ("2027-06-15", "right", "left")]:
        monkeypatch.setenv("OVERBLIK_TODAY", day)
        fig, _ = costcurve_figures.curve_figure.__wrapped__(
            pts, trend, pts.iloc[:0], 2027, 2028, "2027-28", "kr.", None
        )
        notes = {a["text"].split()[0]: a for a in fig.to_dict()["layout"]["annotations"] if a["yref"] == "paper"}
        assert notes["Rammeaftale"]["xanchor"] == agreement_side and notes["I"]["xanchor"] == today_side, day
        assert clock.today().isoformat() == day


def test_the_agreement_period_runs_on_through_later_periods_of_principles():
    """With a 2029-30 agreement also under the common principles, accounts of 2029 are judged against the
    same trend before 2027 (a reviewer saw the curve stop at 2028 once 2029-30 was published)."""
    from test_udgifter_rates import agreements

    base = agreements()
    assert cc.agreement_period(base) == (2027, 2028, "2027-28")
    later = pd.concat(
        [
            base,
            base.tail(1).assign(period="2029-30", start_year=2029, end_year=2030, rate_rule="De fælles principper"),
        ],
        ignore_index=True,
    )
    assert cc.agreement_period(later) == (2027, 2030, "2027-28 og 2029-30")
