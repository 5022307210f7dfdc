"""overblik.udgifter: fixed prices, per inhabitant, headline numbers, budget against accounts (small frames,
numbers worked out by hand)."""

import math

import pandas as pd
import pytest

from overblik import udgifter as u

PRICE_INDEX = pd.DataFrame({"year": [2023, 2024, 2025], "index": [90.0, 95.0, 100.0]})
POPULATION = pd.DataFrame(
    {
        "year": [2024, 2024, 2025, 2025],
        "age_group": ["0-17", "18-64", "0-17", "18-64"],
        "persons": [1000, 4000, 1000, 5000],
    }
)


def spending() -> pd.DataFrame:
    rows = [  # year, kind, function, area, filter area, age group, 1.000 kr.
        (2024, "regnskab", "5.28.23", "Døgninstitutioner", "Børn og unge", "Børn og unge", "0-17", 9_500.0),
        (2024, "regnskab", "3.22.08", "Specialskoler", "Specialundervisning", "Børn og unge", "0-17", 1_900.0),
        (2024, "regnskab", "5.38.50", "Botilbud", "Voksne", "Voksne", "18-64", 19_000.0),
        (2024, "regnskab", "3.22.17", "Specialpæd. bistand", "Specialundervisning", "Voksne", "18-64", 950.0),
        (2025, "regnskab", "5.28.23", "Døgninstitutioner", "Børn og unge", "Børn og unge", "0-17", 10_000.0),
        (2025, "regnskab", "3.22.08", "Specialskoler", "Specialundervisning", "Børn og unge", "0-17", 2_000.0),
        (2025, "regnskab", "5.38.50", "Botilbud", "Voksne", "Voksne", "18-64", 20_000.0),
        (2025, "regnskab", "3.22.17", "Specialpæd. bistand", "Specialundervisning", "Voksne", "18-64", 1_000.0),
        (2025, "budget", "5.28.23", "Døgninstitutioner", "Børn og unge", "Børn og unge", "0-17", 8_000.0),
        (2025, "budget", "5.38.50", "Botilbud", "Voksne", "Voksne", "18-64", 22_000.0),
    ]
    return pd.DataFrame(
        rows,
        columns=["year", "kind", "function_code", "function_name", "area", "filter_area", "age_group", "net_1000_dkk"],
    )


def test_fixed_prices_use_the_latest_year_of_the_index():
    assert u.price_year(PRICE_INDEX) == 2025
    f = u.fixed_price_factors(PRICE_INDEX)
    assert f[2025] == 1.0 and f[2024] == pytest.approx(100 / 95) and f[2023] == pytest.approx(100 / 90)
    out = u.to_fixed(pd.DataFrame({"year": [2023, 2025], "net_1000_dkk": [900.0, 500.0]}), PRICE_INDEX)
    assert out["net_1000_dkk"].tolist() == pytest.approx([1000.0, 500.0])  # 900 × 100/90


def test_a_year_without_index_is_missing_not_unchanged():
    out = u.to_fixed(pd.DataFrame({"year": [2022], "net_1000_dkk": [100.0]}), PRICE_INDEX)
    assert math.isnan(out["net_1000_dkk"].iloc[0])


def test_per_inhabitant_divides_by_the_age_group_of_the_row():
    out = u.per_inhabitant(spending(), POPULATION).set_index(["year", "kind", "function_code"])
    # 10.000 (1.000 kr.) = 10 mio. kr. over 1.000 children = 10.000 kr. per child
    assert out.loc[(2025, "regnskab", "5.28.23"), "kr_per_inhabitant"] == pytest.approx(10_000)
    # special education for adults goes per 18-64-year-old: 1.000.000 kr. / 5.000 = 200 kr.
    assert out.loc[(2025, "regnskab", "3.22.17"), "kr_per_inhabitant"] == pytest.approx(200)
    assert out.loc[(2025, "regnskab", "3.22.08"), "kr_per_inhabitant"] == pytest.approx(2_000)


def test_per_inhabitant_without_population_is_missing():
    pop = POPULATION.assign(persons=[1000, 0, 1000, 5000])
    out = u.per_inhabitant(spending(), pop)
    assert out.loc[(out["year"] == 2024) & (out["age_group"] == "18-64"), "kr_per_inhabitant"].isna().all()


def test_values_total_in_mio_kr_fixed_and_per_inhabitant():
    v = u.values(spending(), PRICE_INDEX, POPULATION, fixed=False, per_capita=False)
    assert (
        v.loc[(v["year"] == 2025) & (v["function_code"] == "5.38.50") & (v["kind"] == "regnskab"), "value"].item()
        == 20.0
    )
    v = u.values(spending(), PRICE_INDEX, POPULATION, fixed=True, per_capita=True)
    row = v[(v["year"] == 2024) & (v["function_code"] == "5.28.23")].iloc[0]
    assert row["value"] == pytest.approx(9_500 * 100 / 95 * 1000 / 1000)  # 10.000 kr. per child in 2025 prices


def test_headline_total_and_per_area():
    v = u.values(spending(), PRICE_INDEX, POPULATION, fixed=False, per_capita=False)
    heads = u.headline(v, 2025, per_capita=False)
    assert [h["area"] for h in heads] == [None, "Børn og unge", "Voksne"]
    total, children, adults = heads
    assert total["value"] == pytest.approx(33.0) and total["before"] == pytest.approx(31.35)
    assert total["change_pct"] == pytest.approx((33.0 / 31.35 - 1) * 100)
    assert children["value"] == pytest.approx(12.0)  # incl. special schools
    assert adults["value"] == pytest.approx(21.0)  # incl. special education for adults
    # fixed prices: 2024 in 2025 prices is 31,35 × 100/95 = 33,0, so no real change
    v = u.values(spending(), PRICE_INDEX, POPULATION, fixed=True, per_capita=False)
    assert u.headline(v, 2025, per_capita=False)[0]["change_pct"] == pytest.approx(0.0, abs=1e-9)


def test_headline_per_inhabitant_has_no_total():
    v = u.values(spending(), PRICE_INDEX, POPULATION, fixed=False, per_capita=True)
    heads = u.headline(v, 2025, per_capita=True)
    assert [(h["area"], h["age_group"]) for h in heads] == [("Børn og unge", "0-17"), ("Voksne", "18-64")]
    assert heads[0]["value"] == pytest.approx(12_000) and heads[0]["before"] == pytest.approx(11_400)
    assert heads[1]["value"] == pytest.approx(21_000_000 / 5000) and heads[1]["before"] == pytest.approx(
        19_950_000 / 4000
    )


def test_by_year_per_inhabitant_keeps_the_age_groups_apart():
    v = u.values(spending(), PRICE_INDEX, POPULATION, fixed=False, per_capita=True)
    t = u.by_year(v, "area", per_capita=True)
    special = t[(t["year"] == 2025) & (t["area"] == "Specialundervisning")].set_index("filter_area")["value"]
    assert special["Børn og unge"] == pytest.approx(2_000) and special["Voksne"] == pytest.approx(200)


def test_latest_year_with_budget_and_accounts_and_the_deviation():
    assert u.latest_with_both(spending(), 2020, 2030) == 2025
    assert u.latest_with_both(spending(), 2020, 2024) is None
    assert u.accounts_years(spending(), 2024, 2030) == [2024, 2025]
    v = u.values(spending(), PRICE_INDEX, POPULATION, fixed=False, per_capita=False)
    t = u.budget_vs_accounts(v, 2025, "area").set_index("area")
    assert t.loc["Voksne", "budget"] == 22.0 and t.loc["Voksne", "regnskab"] == 20.0
    assert t.loc["Voksne", "difference"] == pytest.approx(-2.0) and t.loc["Voksne", "difference_pct"] == pytest.approx(
        -100 / 11
    )
    assert math.isnan(t.loc["Specialundervisning", "budget"])


def test_municipality_comparison_average_is_weighted():
    df = pd.DataFrame(
        {
            "municipality_code": [1, 2],
            "name": ["A", "B"],
            "year": [2025, 2025],
            "filter_area": ["Voksne", "Voksne"],
            "age_group": ["18-64", "18-64"],
            "net_1000_dkk": [1000.0, 9000.0],
            "persons": [100, 900],
        }
    )
    d, reg = u.municipality_comparison(df, PRICE_INDEX, fixed=False)
    assert d["value"].tolist() == [10_000, 10_000]
    assert reg["value"].item() == pytest.approx(10_000_000 / 1000)
    df.loc[1, "persons"] = 1900
    d, reg = u.municipality_comparison(df, PRICE_INDEX, fixed=False)
    assert reg["value"].item() == pytest.approx(10_000_000 / 2000)  # not the mean of 10.000 and 4.737


@pytest.mark.parametrize("data,expected", [({"0": 751}, 751), ([730], 730), (779, 779), ([], None), (None, None)])
def test_customdata_forms(data, expected):
    assert u.first_value(data) == expected


def test_clicked_municipality_from_the_selection_state():
    state = {"selection": {"points": [{"customdata": {"0": 751}}, {"customdata": [779]}]}}
    assert u.clicked_municipality(state) == 751
    assert u.clicked_municipality({"selection": {"points": []}}) is None
    assert u.clicked_municipality(None) is None
    assert u.municipalities_chart_key(()) == "udg-kommuner-alle"
    assert u.municipalities_chart_key((751, 779)) == "udg-kommuner-751-779"
