"""Spending logic for the Udgifter page (and the Overblik page): prices, per inhabitant, headline numbers.

Inputs are the frames of queries/udgifter_*.sql; everything here is plain pandas, so it is tested
without Streamlit.

- Fixed prices: amount × index(latest year in the index) / index(year) (definitions 'fixed_prices').
- Per inhabitant: each spending row is divided by the population of its age group (the SQL gives it
  with the per_capita_age_group macro: 0-17 for children incl. special education for children,
  18-64 for adults), in kr. Per-inhabitant amounts add up only within one age group, so every
  per-inhabitant total here is per shared-filter area (Børn og unge / Voksne).
"""

from __future__ import annotations

import pandas as pd

PRICES = ("Løbende", "Faste")  # URL values of 'priser'
VIEWS = ("I alt", "Pr. indbygger")  # URL values of 'visning'
BREAKDOWNS = ("Område", "Funktion")  # URL values of 'opdeling'
AREA_ORDER = ("Børn og unge", "Specialundervisning", "Voksne")  # account_functions.area
FILTER_AREAS = ("Børn og unge", "Voksne")  # the shared filter's areas, one age group each
AGE_LABEL = {"0-17": "0-17-årig", "18-64": "18-64-årig"}


def price_year(price_index: pd.DataFrame) -> int | None:
    """The year whose prices 'fixed prices' are in: the latest year of the price index."""
    return int(price_index["year"].max()) if len(price_index) else None


def fixed_price_factors(price_index: pd.DataFrame) -> pd.Series:
    """index(latest year) / index(year), by year."""
    idx = price_index.set_index(price_index["year"].astype(int))["index"].astype(float)
    if idx.empty:
        return idx
    return idx.loc[idx.index.max()] / idx


def to_fixed(df: pd.DataFrame, price_index: pd.DataFrame, col: str = "net_1000_dkk") -> pd.DataFrame:
    """A copy of df with `col` in fixed prices. Years the index lacks get NaN (never a silent 1)."""
    out = df.copy()
    out[col] = out[col] * out["year"].astype(int).map(fixed_price_factors(price_index))
    return out


def per_inhabitant(df: pd.DataFrame, population: pd.DataFrame, col: str = "net_1000_dkk") -> pd.DataFrame:
    """A copy of df with `persons` (its age group's population that year) and `kr_per_inhabitant`
    = col (1.000 kr.) × 1000 / persons. NaN where the population is missing or zero."""
    pop = population[["year", "age_group", "persons"]]
    out = df.drop(columns=["persons"], errors="ignore").merge(pop, on=["year", "age_group"], how="left")
    persons = out["persons"].where(out["persons"] > 0)
    out["kr_per_inhabitant"] = out[col] * 1000 / persons
    return out


def values(spending: pd.DataFrame, price_index: pd.DataFrame, population: pd.DataFrame, *,
           fixed: bool, per_capita: bool) -> pd.DataFrame:
    """Spending rows with `value`: mio. kr. (per_capita False) or kr. per inhabitant (True), in
    current or fixed prices."""
    df = to_fixed(spending, price_index) if fixed else spending.copy()
    if per_capita:
        df = per_inhabitant(df, population)
        df["value"] = df["kr_per_inhabitant"]
    else:
        df["value"] = df["net_1000_dkk"] / 1000
    return df


def accounts_years(spending: pd.DataFrame, year_from: int, year_to: int) -> list[int]:
    """The years of the period with accounts (regnskab)."""
    ys = spending.loc[(spending["kind"] == "regnskab") & spending["year"].between(year_from, year_to), "year"]
    return sorted(int(y) for y in ys.unique())


def latest_with_both(spending: pd.DataFrame, year_from: int, year_to: int) -> int | None:
    """The latest year of the period with both budget and accounts."""
    s = spending[spending["year"].between(year_from, year_to)]
    both = set(s.loc[s["kind"] == "regnskab", "year"]) & set(s.loc[s["kind"] == "budget", "year"])
    return int(max(both)) if both else None


def by_year(vals: pd.DataFrame, by: str, per_capita: bool, kind: str = "regnskab") -> pd.DataFrame:
    """Sum of `value` per year and `by` (area / function_name ...), per filter area when per inhabitant
    (per-inhabitant amounts add up only within one age group)."""
    keys = ["year"] + (["filter_area", "age_group"] if per_capita else []) + ([by] if by else [])
    keys = list(dict.fromkeys(keys))
    v = vals[vals["kind"] == kind]
    return v.groupby(keys, as_index=False, dropna=False)["value"].sum(min_count=1)


def headline(vals: pd.DataFrame, year: int, per_capita: bool) -> list[dict]:
    """The headline numbers for `year` with the change from the year before (accounts):
    in total, the sum (area None, when more than one filter area) and one per filter area; per
    inhabitant, one per filter area. Each: area, age_group, value, before, change_pct."""
    acc = vals[vals["kind"] == "regnskab"]
    out = []
    groups: list[tuple[str | None, pd.DataFrame]] = []
    areas = [a for a in FILTER_AREAS if a in set(acc["filter_area"])]
    if not per_capita and len(areas) > 1:
        groups.append((None, acc))
    groups += [(a, acc[acc["filter_area"] == a]) for a in areas]
    for area, g in groups:
        now = g.loc[g["year"] == year, "value"].sum(min_count=1)
        before = g.loc[g["year"] == year - 1, "value"].sum(min_count=1)
        change = (now / before - 1) * 100 if pd.notna(before) and before else float("nan")
        age = g["age_group"].iloc[0] if area and len(g) else None
        out.append({"area": area, "age_group": age, "value": now, "before": before, "change_pct": change})
    return out


def budget_vs_accounts(vals: pd.DataFrame, year: int, by: str) -> pd.DataFrame:
    """Budget and accounts in `year` per `by` (area or function_name), with the difference
    (accounts minus budget) and the difference in % of the budget."""
    v = vals[vals["year"] == year]
    t = v.pivot_table(index=by, columns="kind", values="value", aggfunc="sum").reset_index()
    for k in ("budget", "regnskab"):
        if k not in t:
            t[k] = float("nan")
    t["difference"] = t["regnskab"] - t["budget"]
    t["difference_pct"] = t["difference"] / t["budget"].where(t["budget"] != 0) * 100
    return t[[by, "budget", "regnskab", "difference", "difference_pct"]]


def municipality_comparison(df: pd.DataFrame, price_index: pd.DataFrame, fixed: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per municipality and filter area: kr. per inhabitant (queries/udgifter_municipalities.sql), and
    the regional average per filter area (all spending / all inhabitants of the age group, not the
    mean of the municipalities)."""
    d = to_fixed(df, price_index) if fixed else df.copy()
    d["value"] = d["net_1000_dkk"] * 1000 / d["persons"].where(d["persons"] > 0)
    reg = d.groupby(["filter_area", "age_group"], as_index=False)[["net_1000_dkk", "persons"]].sum()
    reg["value"] = reg["net_1000_dkk"] * 1000 / reg["persons"].where(reg["persons"] > 0)
    return d, reg


def first_value(customdata):
    """The first value of a plotly point's customdata as Streamlit hands it over: a scalar, a list, or
    a dict {'0': value} (the form st.plotly_chart's selection uses). None if empty."""
    if isinstance(customdata, dict):
        customdata = [customdata[k] for k in sorted(customdata, key=str)]
    if isinstance(customdata, (list, tuple)):
        return customdata[0] if customdata else None
    return customdata


def overview(params: dict, whole_region: bool) -> dict:
    """The spending block of the Overblik page, from the Udgifter queries and rules.

    params = Filters.params(). Returns {year, value_mio_kr, change_pct (from the year before), price_year,
    trend (year, value: mio. kr. in fixed prices, every accounts year of the period), trend_by_area (year,
    area, value: the same split by account area), rate} where rate is
    overblik.rates.latest(...) for the offers the filters choose (None without rates); year is None
    when the period has no accounts.
    """
    from overblik import db, rates

    price_index = db.run("udgifter_price_index")
    spending = db.run("udgifter_spending", **params)
    population = db.run("udgifter_population", **params)
    vals = values(spending, price_index, population, fixed=True, per_capita=False)
    years = accounts_years(spending, params["year_from"], params["year_to"])
    trend = by_year(vals, "", per_capita=False)
    trend = trend[trend["year"].isin(years)].reset_index(drop=True)
    by_area = by_year(vals, "area", per_capita=False)
    by_area = by_area[by_area["year"].isin(years)][["year", "area", "value"]].reset_index(drop=True)
    head = headline(vals, years[-1], per_capita=False)[0] if years else None
    offer_years = db.run("udgifter_rates", municipalities=params["municipalities"], whole_region=whole_region,
                         area=params["area"])
    rate = (rates.latest(offer_years, db.run("udgifter_agreements"), year=params["year_to"])
            if len(offer_years) else None)
    return {
        "year": years[-1] if years else None,
        "value_mio_kr": head["value"] if head else None,
        "change_pct": head["change_pct"] if head else None,
        "price_year": price_year(price_index),
        "trend": trend,
        "trend_by_area": by_area,
        "rate": rate if rate and rate["year"] >= params["year_from"] else None,
    }
