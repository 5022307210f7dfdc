"""overblik.rates: the rate rule checks, on small hand-made frames (numbers worked out by hand)."""

from pathlib import Path

import pandas as pd
import pytest

from overblik import rates


def agreements(basis: str = "løbende", **override) -> pd.DataFrame:
    """The five periods as in the agreements table; override={'2025-26': (max, min)} changes a rule.
    basis: the rate_price_basis of every period ('løbende' keeps the hand-worked numbers nominal)."""
    rows = [
        ("2019-20", 2019, 2020, "Takstaftale 2019-2022", 0.0, 2.0),
        ("2021-22", 2021, 2022, "Takstaftale 2019-2022 videreført", 0.0, 2.0),
        ("2023-24", 2023, 2024, "Under afklaring", None, None),
        ("2025-26", 2025, 2026, "Kan ikke stige", 0.0, None),
        ("2027-28", 2027, 2028, "Takstaftalen erstattes af fire fælles principper", None, None),
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
                "rate_price_basis": basis,
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


def index(**by_year: float) -> pd.DataFrame:
    return pd.DataFrame({"year": [int(y[1:]) for y in by_year], "index": list(by_year.values())})


# --- rule periods come from the table -------------------------------------------------------------


def test_consecutive_periods_with_the_same_rule_are_one_takstaftale():
    ps = rates.rule_periods(agreements())
    assert [p.label for p in ps] == ["2019-2022", "2023-24", "2025-26", "2027-28"]
    first = ps[0]
    assert first.periods == ("2019-20", "2021-22")
    assert (first.start_year, first.end_year, first.baseline_year) == (2019, 2022, 2018)
    assert (first.max_change_pct, first.min_reduction_pct) == (0.0, 2.0)
    assert not ps[1].has_rule and not ps[1].principles
    assert ps[3].principles and ps[3].describe() == "fælles principper"
    assert ps[2].baseline_year == 2024 and ps[2].min_reduction_pct is None


def test_periods_with_different_numbers_or_basis_are_not_merged():
    ps = rates.rule_periods(agreements(**{"2021-22": (0.0, 3.0)}))
    assert [p.label for p in ps][:2] == ["2019-20", "2021-22"]


def test_price_basis_defaults_to_fixed_prices():
    ag = agreements().drop(columns=["rate_price_basis"])
    assert {p.price_basis for p in rates.rule_periods(ag)} == {"faste"}


# --- per-offer levels against the baseline ------------------------------------------------------


def test_offer_above_its_baseline_but_falling_year_on_year_is_over_the_rule():
    # A: 2024 1.000, 2025 1.050, 2026 1.030: fell 1,9 % from 2025 to 2026, but 3 % above 2024 -> over.
    # B: 2024 1.000, 2025 990, 2026 995: rose from 2025, but 0,5 % below 2024 -> within.
    oy = offers({"A": {2024: 1000, 2025: 1050, 2026: 1030}, "B": {2024: 1000, 2025: 990, 2026: 995}})
    lv = rates.levels(oy, agreements()).set_index(["offer_id", "year"])
    assert lv.loc[("A", 2026), "status"] == "over" and lv.loc[("A", 2026), "kind"] == "stigning"
    assert lv.loc[("A", 2026), "change_pct"] == pytest.approx(3.0)
    assert lv.loc[("B", 2026), "status"] == "inden for"
    assert lv.loc[("B", 2026), "change_pct"] == pytest.approx(-0.5)
    over = rates.over_rule(rates.levels(oy, agreements()))
    assert list(over["offer_id"]) == ["A"] and over.iloc[0]["year"] == 2026


def test_fixed_prices_deflate_with_the_price_index():
    # A: 1.000 -> 1.030 nominal (+3 %), index 100 -> 104: 1.030/104 / (1.000/100) - 1 = -0,96 % -> within.
    oy = offers({"A": {2024: 1000, 2025: 1030}})
    pi = index(y2024=100.0, y2025=104.0)
    lv = rates.levels(oy, agreements(basis="faste"), pi).set_index("year")
    assert lv.loc[2025, "change_pct"] == pytest.approx((1030 / 104 / (1000 / 100) - 1) * 100)
    assert lv.loc[2025, "status"] == "inden for"
    # the same in current prices is over
    assert rates.levels(oy, agreements(basis="løbende")).set_index("year").loc[2025, "status"] == "over"
    # in fixed prices without the baseline year's index: cannot be judged
    lv = rates.levels(oy, agreements(basis="faste"), index(y2025=104.0)).set_index("year")
    assert lv.loc[2025, "status"] == "kan ikke vurderes" and "prisindekset mangler for 2024" in lv.loc[2025, "reason"]


def test_missing_baseline_cannot_be_judged():
    # No 2024 rate: the 2025-26 rule cannot be judged, never a tick.
    oy = offers({"A": {2025: 1000, 2026: 990}})
    lv = rates.levels(oy, agreements())
    assert set(lv["status"]) == {"kan ikke vurderes"}
    assert lv.iloc[0]["reason"] == "ingen takst i 2024, året før perioden"
    v = rates.verdict(oy, agreements(), 2025, 2026)
    assert v.status == "kan ikke vurderes" and v.within is None and v.colour == "gray"
    assert v.value == "–" and v.delta == "Kan ikke vurderes (2025-26)" and "ingen takst i 2024" in v.reason


def test_reduction_over_the_period_compares_the_last_year_with_the_baseline():
    # 2018 -> 2022: D -1 % (never above 2018, but not the required -2 %), E -2,5 %, F exactly -2 %.
    oy = offers(
        {
            "D": {2018: 1000, 2019: 998, 2020: 995, 2021: 992, 2022: 990},
            "E": {2018: 1000, 2019: 990, 2020: 985, 2021: 980, 2022: 975},
            "F": {2018: 1000, 2019: 995, 2020: 990, 2021: 985, 2022: 980},
        }
    )
    lv = rates.levels(oy, agreements())
    over = rates.over_rule(lv)
    assert list(over["offer_id"]) == ["D"]
    row = over.iloc[0]
    assert row["kind"] == "reduktion" and row["year"] == 2022 and row["baseline_year"] == 2018
    assert row["change_pct"] == pytest.approx(-1.0) and row["limit_pct"] == -2.0
    # before the last year only the no-rise limit applies: D is within in 2021
    assert lv.set_index(["offer_id", "year"]).loc[("D", 2021), "status"] == "inden for"


def test_the_numbers_come_from_the_agreements_table():
    """Change the table, not the code: a 1 % allowance lets a 0,8 % rise pass."""
    oy = offers({"A": {2024: 1000, 2025: 1008}})
    assert len(rates.over_rule(rates.levels(oy, agreements()))) == 1
    assert rates.over_rule(rates.levels(oy, agreements(**{"2025-26": (1.0, None)}))).empty
    oy = offers({"H": {2018: 1000, 2019: 990, 2020: 980, 2021: 975, 2022: 970}})
    assert rates.over_rule(rates.levels(oy, agreements())).empty
    hit = rates.over_rule(rates.levels(oy, agreements(**{"2019-20": (0.0, 5.0), "2021-22": (0.0, 5.0)})))
    assert list(hit["kind"]) == ["reduktion"] and hit.iloc[0]["limit_pct"] == -5.0


def test_rise_in_a_period_without_numbers_is_not_judged():
    oy = offers({"A": {2022: 1000, 2023: 1100, 2024: 1200}})
    assert rates.levels(oy, agreements())[lambda d: d["year"] >= 2023].empty


# --- the region verdict: average and count -----------------------------------------------------------


def test_region_verdict_shows_both_average_and_offers_over_the_rule():
    # 2024 -> 2026, places as weights: A (10) +3 %, B (30) -2 %, C (60) -1 %:
    # (10*3 + 30*-2 + 60*-1) / 100 = -0,9 %; one offer over the rule.
    oy = offers(
        {
            "A": {2024: 1000, 2025: 1000, 2026: 1030},
            "B": {2024: 2000, 2025: 1980, 2026: 1960},
            "C": {2024: 3000, 2025: 2970, 2026: 2970},
        },
        places={"A": 10, "B": 30, "C": 60},
    )
    v = rates.verdict(oy, agreements(), 2025, 2026)
    assert (v.year, v.period, v.baseline_year) == (2026, "2025-26", 2024)
    assert v.change_pct == pytest.approx(-0.9)
    assert (v.over, v.judged, v.status, v.within, v.colour) == (1, 3, "enkelte over", False, "orange")
    assert v.summary == "Gennemsnit −0,9 % · 1 tilbud over reglen"
    assert v.label == "Takstændring 2024-2026" and v.value == "−0,9 %"
    assert v.delta == "⚠ 1 tilbud over reglen"
    assert "i gennemsnit 0,9 % under niveauet i 2024" in v.sentence() and "1 tilbud over reglen" in v.sentence()


def test_region_verdict_within_and_over():
    oy = offers({"A": {2024: 1000, 2025: 990}})
    v = rates.verdict(oy, agreements(), 2020, 2025)
    assert v.status == "inden for" and v.within is True and v.colour == "green"
    assert v.delta == "✓ Ingen tilbud over reglen"
    oy = offers({"A": {2024: 1000, 2025: 1010}})
    v = rates.verdict(oy, agreements(), 2020, 2025)
    assert v.status == "over" and v.within is False and v.delta == "✕ Over reglen, 1 tilbud"


def test_verdict_without_a_numeric_rule():
    v = rates.verdict(offers({"A": {2022: 1000, 2023: 1050}}), agreements(), 2023, 2024)
    assert v.status == "ingen regel" and v.within is None and v.delta == "Ingen talregel i kilderne (2023-24)"
    v = rates.verdict(offers({"A": {2026: 1000, 2027: 1000}}), agreements(), 2027, 2028)
    assert v.status == "principper" and v.delta == "Fælles principper (2027-28)"
    v = rates.verdict(offers({"A": {2030: 1000}}), agreements(), 2030, 2031)
    assert v.period is None and v.delta == "Ingen aftaleperiode for året"
    assert rates.verdict(offers({"A": {2025: 1000}}), agreements(), 2027, 2028) is None


def test_operator_summary_counts_offers_over_the_rule():
    oy = offers({"A": {2024: 1000, 2025: 1030}, "B": {2024: 1000, 2025: 990}})
    oy.loc[oy["offer_id"] == "B", "operator"] = "Anden kommune"
    t = rates.by_operator(rates.levels(oy, agreements()), 2025).set_index("operator")
    assert t.loc["Testkommune", "over"] == 1 and t.loc["Anden kommune", "over"] == 0
    assert t.loc["Testkommune", "change_pct"] == pytest.approx(3.0)


# --- the year-on-year development (management information) --------------------------------------


def test_average_change_is_weighted_by_places_of_the_year():
    # A: 10 places, +2 %; B: 30 places, -2 %  ->  (10*2 + 30*-2) / 40 = -1 %
    oy = offers({"A": {2024: 1000, 2025: 1020}, "B": {2024: 2000, 2025: 1960}}, places={"A": 10, "B": 30})
    idx = rates.rate_index(oy).set_index("year")
    assert idx.loc[2025, "change_pct"] == pytest.approx(-1.0)
    assert idx.loc[2024, "index"] == 100 and idx.loc[2025, "index"] == pytest.approx(99.0)
    assert idx.loc[2025, "offers"] == 2


def test_the_rule_help_is_written_from_the_agreements_table():
    from overblik import definitions

    text = definitions.rate_rule_help(rates.rule_periods(agreements()))
    assert text.startswith(
        "**Takstregel:** 2019-2022: taksterne må ikke ligge over niveauet i 2018, og i 2022 skal de ligge "
        "mindst 2 % under niveauet i 2018."
    )
    assert "2025-26: taksterne må ikke ligge over niveauet i 2024." in text
    # the price basis is said to be the dashboard's reading: seeds 001 and 003 name none
    assert text.endswith(
        "Aftaleteksterne nævner ikke prisgrundlaget; dashboardet måler reglen i løbende priser (tabellen "
        "Aftaleperioder), så almindelig pris- og lønudvikling ikke tæller som en stigning."
    )
    assert "2 %" not in definitions.MEASURES["rate_rule"][1], "no rule number is written in the definitions"


# Rammeaftale 2027-28 (draft), the seed text as the project was given it, copied into the repository so the
# test runs everywhere (CI has no copy of the seeds beside the project)
SEED_2027_28 = Path(__file__).parent / "fixtures" / "seeds" / "000_03aaf58d390a14a2.txt"


def test_the_principles_are_quoted_verbatim_from_their_agreement_text():
    seed = " ".join(SEED_2027_28.read_text(encoding="utf-8").split())
    for period, t in rates.PRINCIPLES_TEXTS.items():
        assert period == "2027-28" and t.source == "Rammeaftale 2027-28 (udkast)"
        assert t.rule in seed and all(p in seed for p in t.principles)
        assert f"»{t.rule}«" in rates.principles_note(period, int(period[:4]))
