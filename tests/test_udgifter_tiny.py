"""The Udgifter slice on tiny hand-made snapshots (tests/tiny.py), through the SQL files and the slice,
with every answer worked out by hand in the comments: the rate rule as the agreement states it, and
spending per inhabitant by the key figures' age groups."""

import pandas as pd
import pytest
import tiny

from overblik import db, store
from overblik import udgifter as u

AARHUS, RANDERS, REGION = 751, 730, 1082


def _offers_and_rates(t: dict) -> None:
    """T1 (Aarhus, 10 places), T2 (the region, 30 places), T3 (Randers, 5 places, no 2024 rate).
    Price index 2024 100, 2025 102, 2026 104; 2025-26: »taksterne ikke kan stige«, fixed prices."""
    t["offers"] = pd.DataFrame(
        {
            "offer_id": ["T1", "T2", "T3"],
            "name": ["Bostedet Eng", "Bocenter Sol", "Værestedet Lind"],
            "operator_code": [AARHUS, REGION, RANDERS],
            "municipality_code": [AARHUS, AARHUS, RANDERS],
            "legal_basis": ["SEL §108", "SEL §107", "SEL §104"],
            "target_group_id": ["V1", "V1", "V1"],
            "kind": ["rammeaftale"] * 3,
        }
    )
    rows = [
        ("T1", 2024, 10, 1000.0),
        ("T1", 2025, 10, 1080.0),
        ("T1", 2026, 10, 1070.0),  # fell from 2025, still above 2024 in fixed prices
        ("T2", 2024, 30, 2000.0),
        ("T2", 2025, 30, 2020.0),
        ("T2", 2026, 30, 2040.0),
        ("T3", 2025, 5, 1500.0),
        ("T3", 2026, 5, 1500.0),
    ]
    t["offer_years"] = pd.DataFrame(
        {
            "offer_id": [r[0] for r in rows],
            "year": [r[1] for r in rows],
            "places": [r[2] for r in rows],
            "occupancy_pct": 95.0,
            "budgeted_occupancy_pct": 95.0,
            "rate_dkk_per_day": [r[3] for r in rows],
            "surplus_deficit_1000_dkk": 0.0,
        }
    )
    t["extra_services"] = pd.DataFrame({"offer_id": ["T1"], "year": [2025], "amount_1000_dkk": [120.0]})
    t["price_index"] = pd.DataFrame({"year": [2024, 2025, 2026], "index": [100.0, 102.0, 104.0]})
    t["agreements"] = t["agreements"].assign(rate_price_basis="faste")


@pytest.fixture
def rates_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("OVERBLIK_DATA_DIR", str(tmp_path))
    t = tiny.tables()
    _offers_and_rates(t)
    store.publish(t, tiny.meta(), sid="a", base=tmp_path)
    db.clear()
    yield tmp_path
    db.clear()


def _params(codes, year_from=2024, year_to=2026):
    return {"year_from": year_from, "year_to": year_to, "municipalities": list(codes), "area": "alle"}


def test_offer_above_its_baseline_but_falling_is_over_and_region_shows_both(rates_dir):
    # Fixed prices, 2026 against 2024:
    #   T1: 1.070 / 104 × 100 = 1.028,8  ->  +2,88 % (over the rule, though it fell 0,9 % from 2025)
    #   T2: 2.040 / 104 × 100 = 1.961,5  ->  −1,92 % (within)
    #   T3: no 2024 rate                  ->  cannot be judged
    # Average, weighted by 2026 places: (10 × 2,885 + 30 × −1,923) / 40 = −0,72 %; 1 offer over the rule.
    v = u.rate_verdict(_params([AARHUS, RANDERS, REGION]), whole_region=True)
    assert (v.year, v.period, v.baseline_year, v.price_basis) == (2026, "2025-26", 2024, "faste")
    assert v.change_pct == pytest.approx((10 * (1070 / 1.04 / 1000 - 1) + 30 * (2040 / 1.04 / 2000 - 1)) / 40 * 100)
    assert round(v.change_pct, 2) == -0.72
    assert (v.over, v.judged, v.unknown) == (1, 2, 1)
    assert v.summary == "Gennemsnit −0,7 % · 1 tilbud over reglen"
    assert v.delta == "⚠ 1 tilbud over reglen"
    assert v.within is False and v.colour == "orange"
    # the same verdict, word for word, is what Overblik shows (overview() -> the same RateVerdict)
    assert u.overview(_params([AARHUS, RANDERS, REGION]), whole_region=True)["rate"] == v


def test_missing_baseline_cannot_be_judged(rates_dir):
    # Randers runs only T3, which has no rate in 2024 (the year before 2025-26): no tick, a reason.
    v = u.rate_verdict(_params([RANDERS]), whole_region=False)
    assert v.status == "kan ikke vurderes" and v.within is None and v.change_pct is None
    assert v.reason == "ingen takst i 2024, året før perioden"
    assert v.delta == "Kan ikke vurderes (2025-26)" and v.value == "–"


def test_one_operator_over_the_rule(rates_dir):
    # Aarhus in 2025: T1 1.080 / 102 × 100 = 1.058,8 -> +5,88 %: over; the average is T1's own.
    v = u.rate_verdict(_params([AARHUS], 2024, 2025), whole_region=False)
    assert v.year == 2025 and v.change_pct == pytest.approx((1080 / 1.02 / 1000 - 1) * 100)
    assert v.status == "over" and v.delta == "✕ Over reglen, 1 tilbud"


def test_places_total(rates_dir):
    # 2026: 10 + 30 + 5 = 45 places in 3 offers
    assert u.places_total(2026) == {"year": 2026, "places": 45, "offers": 3}


@pytest.fixture
def spending_dir(tmp_path, monkeypatch):
    """Aarhus 2025: 0-17 70.000, 0-22 90.000, 18-64 240.000 inhabitants. Spending (1.000 kr.):
    døgninstitutioner 5.28.23 9.000, specialskoler 3.22.08 1.800, botilbud 5.38.50 24.000, STU 3.30.46 2.400."""
    monkeypatch.setenv("OVERBLIK_DATA_DIR", str(tmp_path))
    t = tiny.tables()
    t["population"] = pd.DataFrame(
        {
            "municipality_code": [AARHUS] * 3,
            "year": [2025] * 3,
            "age_group": ["0-17", "0-22", "18-64"],
            "persons": [70000, 90000, 240000],
        }
    )
    t["account_functions"] = pd.DataFrame(
        {
            "function_code": ["5.28.23", "3.22.08", "5.38.50", "3.30.46"],
            "name": ["Døgninstitutioner", "Specialskoler", "Botilbud", "STU"],
            "area": ["Børn og unge", "Specialundervisning", "Voksne", "Specialundervisning"],
            "legal_basis": [None] * 4,
        }
    )
    t["spending"] = pd.DataFrame(
        {
            "municipality_code": [AARHUS] * 4,
            "year": [2025] * 4,
            "function_code": ["5.28.23", "3.22.08", "5.38.50", "3.30.46"],
            "kind": ["regnskab"] * 4,
            "net_1000_dkk": [9000.0, 1800.0, 24000.0, 2400.0],
        }
    )
    store.publish(t, tiny.meta(), sid="s", base=tmp_path)
    db.clear()
    yield tmp_path
    db.clear()


def test_per_inhabitant_age_groups(spending_dir):
    # Børn og unge (døgninstitutioner + specialskoler) per 0-22-year-old: 10.800.000 / 90.000 = 120 kr.
    # Voksne (botilbud + STU for 16-25-year-olds) per 18-64-year-old: 26.400.000 / 240.000 = 110 kr.
    p = _params([AARHUS], 2025, 2025)
    vals = u.values(
        db.run("udgifter_spending", **p),
        db.run("udgifter_price_index"),
        db.run("udgifter_population", **p),
        fixed=False,
        per_capita=True,
    )
    heads = {h["area"]: (h["age_group"], h["value"]) for h in u.headline(vals, 2025, per_capita=True)}
    assert heads["Børn og unge"] == ("0-22", pytest.approx(120.0))
    assert heads["Voksne"] == ("18-64", pytest.approx(110.0))
    # and STU is never measured per 0-17-year-old
    assert set(vals.loc[vals["function_code"] == "3.30.46", "age_group"]) == {"18-64"}
