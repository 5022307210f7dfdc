"""overblik.rates: the rate rule checks, on small hand-made frames (numbers worked out by hand)."""

import math

import pandas as pd
import pytest

from overblik import rates


def agreements(**override) -> pd.DataFrame:
    """The five periods as in the agreements table; override={'2025-26': (max, min)} changes a rule."""
    rows = [
        ("2019-20", 2019, 2020, "Takstaftale 2019-2022", 0.0, 2.0),
        ("2021-22", 2021, 2022, "Takstaftale 2019-2022 videreført", 0.0, 2.0),
        ("2023-24", 2023, 2024, "Under afklaring", None, None),
        ("2025-26", 2025, 2026, "Kan ikke stige", 0.0, None),
        ("2027-28", 2027, 2028, "Fælles principper", None, None),
    ]
    out = []
    for period, a, b, text, mx, mn in rows:
        mx, mn = override.get(period, (mx, mn))
        out.append(
            {
                "period": period,
                "start_year": a,
                "end_year": b,
                "rate_rule": text,
                "rate_max_yearly_change_pct": mx,
                "rate_min_reduction_over_period_pct": mn,
            }
        )
    return pd.DataFrame(out)


def offers(rates_by_offer: dict[str, dict[int, float]], places: dict[str, int] | None = None) -> pd.DataFrame:
    rows = []
    for oid, series in rates_by_offer.items():
        for year, rate in series.items():
            rows.append(
                {
                    "offer_id": oid,
                    "name": f"Tilbud {oid}",
                    "operator": "Testkommune",
                    "year": year,
                    "places": (places or {}).get(oid, 10),
                    "rate_dkk_per_day": rate,
                }
            )
    return pd.DataFrame(rows)


# --- rule periods come from the table -------------------------------------------------------------


def test_consecutive_periods_with_the_same_rule_are_one_takstaftale():
    ps = rates.rule_periods(agreements())
    assert [p.label for p in ps] == ["2019-2022", "2023-24", "2025-26", "2027-28"]
    first = ps[0]
    assert first.periods == ("2019-20", "2021-22")
    assert (first.start_year, first.end_year) == (2019, 2022)
    assert (first.max_yearly_change_pct, first.min_reduction_pct) == (0.0, 2.0)
    assert not ps[1].has_rule and not ps[3].has_rule
    assert ps[2].max_yearly_change_pct == 0.0 and ps[2].min_reduction_pct is None


def test_periods_with_different_numbers_are_not_merged():
    ps = rates.rule_periods(agreements(**{"2021-22": (0.0, 3.0)}))
    assert [p.label for p in ps][:2] == ["2019-20", "2021-22"]


def test_baseline_is_the_year_before_or_the_first_year():
    p = rates.rule_periods(agreements())[0]
    assert p.baseline_year([2018, 2019, 2020]) == 2018
    assert p.baseline_year([2019, 2020, 2021, 2022]) == 2019
    assert p.baseline_year([2020, 2021]) == 2020
    assert p.baseline_year([2024, 2025]) is None


# --- per-offer rule checks ----------------------------------------------------------------------


def test_increase_in_a_no_increase_period_is_a_breach():
    # A rises 3 % in 2025 (2025-26: no increase); B falls; C is flat.
    oy = offers(
        {
            "A": {2024: 1000, 2025: 1030, 2026: 1030},
            "B": {2024: 1000, 2025: 990, 2026: 980},
            "C": {2024: 1000, 2025: 1000, 2026: 1000},
        }
    )
    b = rates.breaches(oy, agreements())
    assert list(b["offer_id"]) == ["A"]
    row = b.iloc[0]
    assert row["year"] == 2025 and row["from_year"] == 2024 and row["kind"] == "yearly"
    assert row["change_pct"] == pytest.approx(3.0)
    assert row["period"] == "2025-26" and "Steg fra året før" in row["rule"] and "ingen stigning" in row["rule"]
    assert row["name"] == "Tilbud A" and row["operator"] == "Testkommune"


def test_rise_in_a_period_without_numbers_is_not_a_breach():
    oy = offers({"A": {2022: 1000, 2023: 1100, 2024: 1200}})
    assert rates.breaches(oy, agreements()).empty


def test_period_that_fell_less_than_two_percent_is_a_breach():
    # 2018 -> 2022: D falls 1 % (never rises: no yearly breach), E falls 2,5 %, F exactly 2 % (complies).
    oy = offers(
        {
            "D": {2018: 1000, 2019: 998, 2020: 995, 2021: 992, 2022: 990},
            "E": {2018: 1000, 2019: 990, 2020: 985, 2021: 980, 2022: 975},
            "F": {2018: 1000, 2019: 995, 2020: 990, 2021: 985, 2022: 980},
        }
    )
    b = rates.breaches(oy, agreements())
    assert list(b["offer_id"]) == ["D"]
    row = b.iloc[0]
    assert row["kind"] == "period" and row["year"] == 2022 and row["from_year"] == 2018
    assert row["change_pct"] == pytest.approx(-1.0)
    assert row["period"] == "2019-2022" and "Faldt under 2,0 %" in row["rule"]


def test_period_without_the_year_before_is_measured_from_the_first_year():
    # No 2018: measured 2019 -> 2022. G: -1,5 % (breach), H: -3 % (complies).
    oy = offers(
        {"G": {2019: 1000, 2020: 995, 2021: 990, 2022: 985}, "H": {2019: 1000, 2020: 990, 2021: 980, 2022: 970}}
    )
    b = rates.breaches(oy, agreements())
    assert list(b["offer_id"]) == ["G"] and b.iloc[0]["from_year"] == 2019


def test_compliant_offer_has_no_breach_and_an_unfinished_period_has_no_verdict():
    oy = offers({"K": {2018: 1000, 2019: 990, 2020: 980, 2021: 970, 2022: 960, 2023: 960}})
    assert rates.breaches(oy, agreements()).empty
    # the data stops in 2021: the 2019-2022 reduction is not judged yet (only yearly rises would be)
    oy = offers({"L": {2018: 1000, 2019: 1000, 2020: 1000, 2021: 1000}})
    assert rates.breaches(oy, agreements()).empty
    st = rates.period_status(oy, agreements())
    assert st.iloc[0]["finished"] == False and st.iloc[0]["within"] is None  # noqa: E712


def test_increase_and_too_small_fall_both_listed():
    # M rises in 2021 and ends only 1 % below 2018: two breaches of the 2019-2022 rule.
    oy = offers({"M": {2018: 1000, 2019: 980, 2020: 970, 2021: 1000, 2022: 990}})
    b = rates.breaches(oy, agreements()).sort_values("kind")
    assert list(b["kind"]) == ["period", "yearly"]
    assert b.set_index("kind").loc["yearly", "year"] == 2021
    assert b.set_index("kind").loc["yearly", "change_pct"] == pytest.approx((1000 / 970 - 1) * 100)


def test_the_numbers_come_from_the_agreements_table():
    """Change the table, not the code: a 1 % yearly allowance lets a 0,8 % rise pass."""
    oy = offers({"A": {2024: 1000, 2025: 1008}})
    assert len(rates.breaches(oy, agreements())) == 1
    assert rates.breaches(oy, agreements(**{"2025-26": (1.0, None)})).empty
    # and a 5 % required reduction over 2019-2022 makes a 3 % fall a breach
    oy = offers({"H": {2018: 1000, 2019: 990, 2020: 980, 2021: 975, 2022: 970}})
    assert rates.breaches(oy, agreements()).empty
    hit = rates.breaches(oy, agreements(**{"2019-20": (0.0, 5.0), "2021-22": (0.0, 5.0)}))
    assert list(hit["kind"]) == ["period"] and "5,0 %" in hit.iloc[0]["rule"]


# --- the average change and the index ------------------------------------------------------------


def test_average_change_is_weighted_by_places_of_the_year():
    # A: 10 places, +2 %; B: 30 places, -2 %  ->  (10*2 + 30*-2) / 40 = -1 %
    oy = offers({"A": {2024: 1000, 2025: 1020}, "B": {2024: 2000, 2025: 1960}}, places={"A": 10, "B": 30})
    idx = rates.rate_index(oy).set_index("year")
    assert idx.loc[2025, "change_pct"] == pytest.approx(-1.0)
    assert idx.loc[2024, "index"] == 100 and idx.loc[2025, "index"] == pytest.approx(99.0)
    assert idx.loc[2025, "offers"] == 2
    assert idx.loc[2025, "avg_rate"] == pytest.approx((10 * 1020 + 30 * 1960) / 40)


def test_new_offer_does_not_move_the_index():
    # N opens in 2025 at a very high rate; A is flat: the index stays 100.
    oy = offers({"A": {2024: 1000, 2025: 1000}, "N": {2025: 9000}})
    idx = rates.rate_index(oy).set_index("year")
    assert idx.loc[2025, "index"] == pytest.approx(100.0) and idx.loc[2025, "offers"] == 1


def test_latest_year_status_for_the_overview():
    oy = offers({"A": {2024: 1000, 2025: 990, 2026: 995}})
    now = rates.latest(oy, agreements())
    assert now["year"] == 2026 and now["period"] == "2025-26"
    assert now["change_pct"] == pytest.approx((995 / 990 - 1) * 100)
    assert now["within"] is False and now["max_yearly_change_pct"] == 0.0
    before = rates.latest(oy, agreements(), year=2025)
    assert before["year"] == 2025 and before["within"] is True
    # a year in a period without numbers: no verdict
    oy = offers({"A": {2022: 1000, 2023: 1050}})
    now = rates.latest(oy, agreements())
    assert now["year"] == 2023 and now["within"] is None and now["rule"] == "ingen talregel"
    assert rates.latest(offers({"A": {2025: 1000}}), agreements()) is None


def test_period_status_of_the_average():
    oy = offers({"A": {2018: 1000, 2019: 990, 2020: 985, 2021: 975, 2022: 970}})
    st = rates.period_status(oy, agreements()).iloc[0]
    assert st["period"] == "2019-2022" and st["baseline_year"] == 2018 and st["finished"]
    assert st["change_pct"] == pytest.approx(-3.0) and st["within"] == True  # noqa: E712
    assert math.isclose(st["min_reduction_pct"], 2.0)


# --- the rate headline: one verdict, one year rule ---------------------------------------------


def test_verdict_is_for_the_latest_rate_year_of_the_period():
    oy = offers({"A": {2024: 1000, 2025: 990, 2026: 995}})
    v = rates.verdict(oy, agreements(), 2020, 2026)
    assert (v.year, v.period, v.within) == (2026, "2025-26", False)
    assert v.change_pct == pytest.approx((995 / 990 - 1) * 100)
    assert v.label == "Takstændring 2026" and v.value == "+0,5 %" and v.colour == "red"
    assert v.delta == "✕ Over reglen 2025-26"
    assert v.delta_with_rule == "✕ over reglen (2025-26: ingen stigning pr. år)"
    # the period ends in 2025: the headline is 2025's change (-1 %), within the rule
    v = rates.verdict(oy, agreements(), 2020, 2025)
    assert (v.year, v.within, v.colour) == (2025, True, "green") and v.value == "−1,0 %"
    assert v.delta == "✓ Inden for reglen 2025-26"
    assert v.delta_with_rule == "✓ inden for reglen (2025-26: ingen stigning pr. år)"
    # the latest change before the period is not the period's: no headline
    assert rates.verdict(oy, agreements(), 2027, 2028) is None
    assert rates.verdict(offers({"A": {2025: 1000}}), agreements(), 2020, 2028) is None


def test_verdict_without_a_numeric_rule_or_period():
    v = rates.verdict(offers({"A": {2022: 1000, 2023: 1050}}), agreements(), 2023, 2024)
    assert v.within is None and v.colour == "gray"
    assert v.delta == "Ingen talregel 2023-24" and v.delta_with_rule == "Ingen talregel for 2023-24"
    v = rates.verdict(offers({"A": {2030: 1000, 2031: 1000}}), agreements(), 2031, 2031)
    assert v.period is None and v.delta == "Ingen talregel" and v.delta_with_rule == "Ingen aftaleperiode for året"


def test_the_rule_help_is_written_from_the_agreements_table():
    from overblik import definitions

    text = definitions.rate_rule_help(rates.rule_periods(agreements()))
    assert text == (
        "**Takstregel:** 2019-2022: taksterne må ikke stige, og de skal samlet falde med mindst 2 % "
        "over perioden. 2023-24: under afklaring. 2025-26: taksterne må ikke stige. "
        "2027-28: fælles principper."
    )
    # other numbers in the table, other text
    text = definitions.rate_rule_help(rates.rule_periods(agreements(**{"2025-26": (1.5, 3.0)})))
    assert (
        "2025-26: taksterne må højst stige 1,5 % om året, og de skal samlet falde med mindst 3 % over perioden." in text
    )
    assert "2 %" not in definitions.MEASURES["rate_rule"][1], "no rule number is written in the definitions"
