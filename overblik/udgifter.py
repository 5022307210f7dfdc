"""The Udgifter slice: runs queries/udgifter_*.sql and returns what pages/udgifter.py draws (view()) and
what the Overblik page reuses (overview(), rate_verdict(), rate_rule_help()). The figures are built by
overblik/udgifter_figures.py; the rate rule checks live in overblik/rates.py.

The spending rules are plain pandas on the query frames, so they are tested without Streamlit:

- Fixed prices: amount × index(latest year in the index) / index(year) (definitions 'fixed_prices').
- Per inhabitant: each spending row is divided by the population of its age group (the SQL gives it
  with the per_capita_age_group macro: 0-22 for children and young people incl. the special schools,
  the age group of FLIS's key figures for children at risk; 18-64 for adults incl. special education for
  adults and STU; counting the special schools and STU in is the dashboard's choice), in kr. Per-inhabitant amounts add up only within one age group, so every
  per-inhabitant total here is per shared-filter area (Børn og unge / Voksne).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from overblik import db, definitions, filters, fmt, prices, rates, viewcache

# udgifter_figures imports this module back for its constants and by_year; neither uses the other at import time.
from overblik import udgifter_figures as figs

PRICES = ("Løbende", "Faste")  # URL values of 'priser'
VIEWS = ("I alt", "Pr. indbygger")  # URL values of 'visning'
BREAKDOWNS = ("Område", "Funktion")  # URL values of 'opdeling'
AREA_ORDER = ("Børn og unge", "Specialundervisning", "Voksne")  # account_functions.area
FILTER_AREAS = ("Børn og unge", "Voksne")  # the shared filter's areas, one age group each
# Every table the Udgifter page shows (spending, the cost curve, rates, the other regions): its header's
# "Data pr." and marker
TABLES = (
    "spending",
    "account_functions",
    "population",
    "price_index",
    "municipalities",
    "agreements",
    "offers",
    "offer_years",
    "operators",
)
AGE_LABEL = {"0-17": "0-17-årig", "0-22": "0-22-årig", "18-64": "18-64-årig"}


def price_year(price_index: pd.DataFrame) -> int | None:
    """The year whose prices 'fixed prices' are in: the latest year of the price index."""
    idx = prices.index_by_year(price_index)
    return int(idx.index.max()) if len(idx) else None


def fixed_price_factors(price_index: pd.DataFrame) -> pd.Series:
    """index(latest year) / index(year), by year (the years prices.index_by_year has)."""
    idx = prices.index_by_year(price_index)
    if idx.empty:
        return idx
    return idx.loc[idx.index.max()] / idx


def to_fixed(df: pd.DataFrame, price_index: pd.DataFrame, col: str = "net_1000_dkk") -> pd.DataFrame:
    """A copy of df with `col` in fixed prices. Years the index lacks get NaN (never a silent 1): the page
    says which (prices.unindexed / prices.note)."""
    out = df.copy()
    out[col] = out[col] * out["year"].astype(int).map(fixed_price_factors(price_index))
    return out


def left_out(spending: pd.DataFrame, price_index: pd.DataFrame, shown) -> str:
    """The reader's note (prices.note) on the years of `shown` (a boolean mask of spending's rows: the
    rows a fixed-price figure draws) that fixed prices leave out for want of an index; '' when none."""
    return prices.note(prices.unindexed(spending[shown], price_index))


def shown_accounts(spending: pd.DataFrame, year_from: int, year_to: int) -> pd.Series:
    """The rows of spending a page draws per year: the accounts of the period."""
    return (spending["kind"] == "regnskab") & spending["year"].between(year_from, year_to)


def per_inhabitant(df: pd.DataFrame, population: pd.DataFrame, col: str = "net_1000_dkk") -> pd.DataFrame:
    """A copy of df with `persons` (its age group's population that year) and `kr_per_inhabitant`
    = col (1.000 kr.) × 1000 / persons. NaN where the population is missing or zero."""
    pop = population[["year", "age_group", "persons"]]
    out = df.drop(columns=["persons"], errors="ignore").merge(pop, on=["year", "age_group"], how="left")
    persons = out["persons"].where(out["persons"] > 0)
    out["kr_per_inhabitant"] = out[col] * 1000 / persons
    return out


def values(
    spending: pd.DataFrame, price_index: pd.DataFrame, population: pd.DataFrame, *, fixed: bool, per_capita: bool
) -> pd.DataFrame:
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


def headline_year(years: list[int], price_index: pd.DataFrame, fixed: bool) -> tuple[int | None, list[int]]:
    """(the year the headline numbers are for, the later accounts years they skip), `years` the period's
    accounts years: the latest; in fixed prices the latest with a price index (prices.latest_indexed), so the
    headline shows a number instead of '–'. Without an index for any of them, the latest (its numbers are '–',
    and the page says why: prices.note)."""
    if not years:
        return None, []
    if not fixed:
        return years[-1], []
    latest, skipped = prices.latest_indexed(years, price_index)
    return (years[-1], []) if latest is None else (latest, skipped)


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


def municipality_comparison(
    df: pd.DataFrame, price_index: pd.DataFrame, fixed: bool
) -> tuple[pd.DataFrame, pd.DataFrame]:
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


# =============================================================================================
# The rate headline (one verdict, one year rule, one name: rates.RateVerdict, for Udgifter and Overblik)


def _offer_years(params: dict, whole_region: bool) -> pd.DataFrame:
    return db.run(
        "udgifter_rates", municipalities=params["municipalities"], whole_region=whole_region, area=params["area"]
    )


def rate_verdict(params: dict, whole_region: bool) -> rates.RateVerdict | None:
    """The rates of the latest year of the period for the offers the filters choose, against its rule."""
    return rates.verdict(
        _offer_years(params, whole_region),
        db.run("udgifter_agreements"),
        params["year_from"],
        params["year_to"],
        db.run("udgifter_price_index"),
    )


AGREEMENT_PLACES = 10_000  # "ca. 10.000 pladser" (seed 000_03aaf58d390a14a2.txt, 001, 004)
AGREEMENT_PLACES_TEXT = (
    "»I Midtjylland er ca. 10.000 pladser inden for det specialiserede social- og specialundervisningsområde "
    "omfattet af Rammeaftalen« (Rammeaftale 2021-22, 2023-24 og 2027-28)"
)


def places_total(year_to: int) -> dict | None:
    """The places under the agreement in the latest year up to year_to, for the whole region:
    {year, places, offers}; None without places."""
    t = db.run("udgifter_places_total", year_to=year_to)
    if t.empty or pd.isna(t.loc[0, "places"]):
        return None
    return {"year": int(t.loc[0, "year"]), "places": int(t.loc[0, "places"]), "offers": int(t.loc[0, "offers"])}


def rate_rule_help() -> str:
    """The 'rate_rule' help text, every period's rule written from the agreements table."""
    return definitions.rate_rule_help(rates.rule_periods(db.run("udgifter_agreements")))


def rate_help(rate: rates.RateVerdict, agreements: pd.DataFrame | None = None) -> str:
    """The rate metric's help on Udgifter and Overblik: the measure, how the rule is read, this verdict."""
    agreements = db.run("udgifter_agreements") if agreements is None else agreements
    bits = [definitions.help_text("rate_change")]
    if rate.baseline_year is not None:
        bits.append(
            f"Her: {rate.year} mod {rate.baseline_year} i {rate.price_basis} priser; "
            f"{rate.summary or rate.reason}."
            + (f" {fmt.count(rate.unknown, 'tilbud', 'tilbud')} kan ikke vurderes." if rate.unknown else "")
        )
    bits.append(definitions.rate_rule_help(rates.rule_periods(agreements)))
    return " ".join(bits)


# =============================================================================================
# The Overblik page's spending block


@viewcache.cached
def overview(params: dict, whole_region: bool) -> dict:
    """The spending block of the Overblik page, from the Udgifter queries and rules.

    params = Filters.params(). Returns {year, skipped (headline_year), value_mio_kr, change_pct (from the year
    before), price_year,
    trend (year, value: mio. kr. in fixed prices, every accounts year of the period), trend_by_area (year,
    area, value: the same split by account area), rate} where rate is rate_verdict(...) (a
    rates.RateVerdict, None without a rate change in the period); year is None when the period has no
    accounts.
    """
    price_index = db.run("udgifter_price_index")
    spending = db.run("udgifter_spending", **params)
    population = db.run("udgifter_population", **params)
    vals = values(spending, price_index, population, fixed=True, per_capita=False)
    years = accounts_years(spending, params["year_from"], params["year_to"])
    # a year without a price index has no fixed-price value: left out of the trend (prices.note says so), not
    # drawn or summed as 0 (the small chart's takeaway read 'faldt 100,0 % fra 2016 til 2025')
    trend = by_year(vals, "", per_capita=False)
    trend = trend[trend["year"].isin(years) & trend["value"].notna()].reset_index(drop=True)
    by_area = by_year(vals, "area", per_capita=False)
    by_area = by_area[by_area["year"].isin(years) & by_area["value"].notna()][["year", "area", "value"]]
    by_area = by_area.reset_index(drop=True)
    year, skipped = headline_year(years, price_index, fixed=True)
    head = headline(vals, year, per_capita=False)[0] if year is not None else None
    return {
        "year": year,
        "skipped": skipped,
        "value_mio_kr": head["value"] if head else None,
        "change_pct": head["change_pct"] if head else None,
        "price_year": price_year(price_index),
        "trend": trend,
        "trend_by_area": by_area,
        "rate": rate_verdict(params, whole_region),
        "places": places_total(params["year_to"]),
        "unindexed": left_out(spending, price_index, shown_accounts(spending, params["year_from"], params["year_to"])),
    }


# =============================================================================================
# The Udgifter page: view data


@dataclass(frozen=True)
class Metric:
    """One headline number as st.metric shows it."""

    label: str
    value: str
    delta: str | None = None
    delta_color: str = "off"
    delta_arrow: str = "off"
    help: str = ""


# A table of every municipality, whichever are chosen (the chosen are only marked): period and area apply.
NOT_MUNICIPALITIES = (filters.YEARS_KEY, filters.AREA_KEY)


@dataclass(frozen=True)
class Chart:
    """A figure with its numbers (Danish column names), the snapshot tables it rests on, its widget key,
    title and note: the arguments of ui.chart."""

    fig: go.Figure
    table: pd.DataFrame
    tables: tuple[str, ...]
    key: str
    title: str
    note: str = ""
    takeaway: str = ""  # one plain-text sentence of what the chart shows (ui.chart: caption and accessible name)
    # the shared filters (filters.KEYS) that change what its table holds, named in its downloads and picture
    shared: tuple[str, ...] = field(kw_only=True)


@dataclass(frozen=True)
class Controls:
    """The help texts of the page's three controls (the prices help names the price year)."""

    prices_help: str
    views_help: str
    breakdown_help: str


@dataclass(frozen=True)
class KeyMessage:
    metrics: list[Metric]  # the spending headlines, then the rate headline
    text: str  # markdown
    tables: tuple[str, ...]  # the source caption's tables
    note: str


@dataclass(frozen=True)
class Municipalities:
    title: str  # the subheader
    chart: Chart  # customdata = municipality code: a click focuses the page (clicked_municipality)
    caption: str
    whole_region_button: bool  # 'Vis hele regionen' (only when municipalities are chosen)


@dataclass(frozen=True)
class Budget:
    title: str
    chart: Chart
    caption: str


@dataclass(frozen=True)
class RateSection:
    empty: str | None  # the info text when the period has no rates (then nothing else is shown)
    chart: Chart | None = None
    baselines: str = ""  # markdown: how the rule is read (basis, baseline), the verdict and the clauses
    caption: str = ""
    breaches_title: str = ""  # markdown
    breaches: pd.DataFrame | None = None  # figs.over_table: Danish columns; empty = no offer over the rule
    breaches_grid: pd.DataFrame | None = None  # what its grid shows (figs.over_grid, columns figs.OVER_GRID)
    breaches_empty: str = ""
    breaches_caption: str = ""
    operators: pd.DataFrame | None = None  # figs.operator_table: offers over the rule per operator
    operators_title: str = ""
    tables: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Surplus:
    empty: str | None
    chart: Chart | None = None
    caption: str = ""


@dataclass(frozen=True)
class View:
    no_accounts: str | None  # the info text when the period has no accounts (no key message, no spending charts)
    key_message: KeyMessage | None
    per_year: Chart | None
    per_year_caption: str  # the fixed-price / per-inhabitant definitions ('' when neither is chosen)
    municipalities: Municipalities | None
    budget: Budget | None  # None without a year of the period with both budget and accounts
    rates: RateSection
    surplus: Surplus
    extra_services: Surplus  # tillægsydelser: the same shape (empty text, or a chart with its caption)
    management: str  # markdown: the five items of the annual management information and where they are
    unindexed: str = ""  # in fixed prices: which years are left out for want of a price index (prices.note)


BREAKDOWN_HELP = (
    "**Område:** børn og unge, voksne og specialundervisning. **Funktion:** kontofunktionerne "
    "i den kommunale kontoplan (se 'Om data')."
)


def price_index_source(price_index: pd.DataFrame) -> str:
    """The price index's own source text (the latest year's), '' when the table has none."""
    if "source" not in price_index or price_index.empty:
        return ""
    src = price_index.sort_values("year")["source"].dropna()
    return str(src.iloc[-1]) if len(src) else ""


@viewcache.cached
def controls() -> Controls:
    pi = db.run("udgifter_price_index")
    py, src = price_year(pi), price_index_source(pi)
    return Controls(
        prices_help=definitions.help_text("fixed_prices")
        + (f" Her: {py}-priser." if py else "")
        + (f" Indeks: {fmt.md(src)}." if src else ""),
        views_help=definitions.help_text("per_inhabitant"),
        breakdown_help=BREAKDOWN_HELP,
    )


def municipalities_chart_key(chosen: tuple[int, ...]) -> str:
    """The comparison chart's key: a new municipality filter clears its selection."""
    return "udg-kommuner-" + ("-".join(str(c) for c in chosen) or "alle")


def clicked_municipality(state) -> int | None:
    """The municipality code of the first clicked point in the comparison chart's selection state
    (st.session_state[f'{key}-fig']), or None."""
    points = ((state or {}).get("selection") or {}).get("points") or []
    codes = [c for c in (first_value(pt.get("customdata")) for pt in points) if c is not None]
    return int(codes[0]) if codes else None


@viewcache.cached
def view(f, *, fixed: bool, per_capita: bool, breakdown: str) -> View:
    """Everything the Udgifter page draws for the shared filters f (filters.Filters) and the page's own
    controls: prices (fixed), view (per_capita) and breakdown ('Område' or 'Funktion')."""
    p = f.params()
    price_index = db.run("udgifter_price_index")
    py = price_year(price_index)
    price_note = f"faste {py}-priser" if fixed else "løbende priser"
    spend_tables = (
        ("spending", "account_functions")
        + (("price_index",) if fixed else ())
        + (("population",) if per_capita else ())
    )
    spending = db.run("udgifter_spending", **p)
    population = db.run("udgifter_population", **p)
    vals = values(spending, price_index, population, fixed=fixed, per_capita=per_capita)
    years = accounts_years(spending, f.year_from, f.year_to)
    operator_note = "Tilbud under rammeaftalen valgt efter driftsherre: " + (
        "alle tilbud, også regionens."
        if f.whole_region
        else f"de tilbud, som {f.scope_label} driver (regionens tilbud indgår kun for hele regionen)."
    )
    offer_years = _offer_years(p, f.whole_region)
    agreements = db.run("udgifter_agreements")
    rate = rates.verdict(offer_years, agreements, f.year_from, f.year_to, price_index)
    rate_section = _rate_section(f, offer_years, agreements, price_index, rate, operator_note)
    extra = _extra_services(f, p, operator_note)
    surplus = _surplus(f, p, operator_note)
    if not years:
        return View(
            no_accounts=f"Der er ingen regnskabstal i perioden {f.period_label}. Vælg en anden periode i "
            "filtret til venstre.",
            key_message=None,
            per_year=None,
            per_year_caption="",
            municipalities=None,
            budget=None,
            rates=rate_section,
            surplus=surplus,
            extra_services=extra,
            management=_management(),
        )
    year = years[-1]
    head_year, skipped = headline_year(years, price_index, fixed)
    both = latest_with_both(spending, f.year_from, f.year_to)
    shown = shown_accounts(spending, f.year_from, f.year_to) | (spending["year"] == both)
    return View(
        unindexed=left_out(spending, price_index, shown) if fixed else "",
        no_accounts=None,
        key_message=_key_message(
            f, vals, head_year, skipped, per_capita, price_note, rate, agreements, spend_tables, operator_note
        ),
        per_year=_per_year(vals, years, per_capita, breakdown, price_note, spend_tables),
        per_year_caption=" ".join(
            definitions.help_text(k)
            for k in (("fixed_prices",) if fixed else ()) + (("per_inhabitant",) if per_capita else ())
        ),
        municipalities=_municipalities(f, year, p, price_index, fixed, price_note),
        budget=_budget(f, spending, price_index, population, fixed, breakdown, price_note),
        rates=rate_section,
        surplus=surplus,
        extra_services=extra,
        management=_management(),
    )


def _key_message(
    f, vals, year, skipped, per_capita, price_note, rate, agreements, spend_tables, operator_note
) -> KeyMessage:
    """The metrics and sentence for `year` (headline_year): in fixed prices the latest accounts year with a
    price index; the later years it `skipped` are named beside each number and in its help."""
    heads = headline(vals, year, per_capita)
    remark, why = prices.skipped_remark(skipped), prices.skipped_help(year, skipped)
    metrics = []
    for h in heads:
        area = h["area"] or "I alt"
        label = (
            f"{area} {year}, kr. pr. {AGE_LABEL.get(h['age_group'], 'indbygger')}"
            if per_capita
            else f"{'Udgifter i alt' if h['area'] is None else area} {year}, mio. kr."
        )
        change = h["change_pct"]
        delta = f"{fmt.pct(change, signed=True)} fra {year - 1}" if change == change else None
        arrow = "off" if delta is None or round(change, 1) == 0 else ("up" if change > 0 else "down")
        metrics.append(
            Metric(
                label,
                fmt.number(h["value"], 0 if per_capita else 1),
                " · ".join(filter(None, [delta, remark])) or None,
                "off",
                arrow,
                definitions.help_text("per_inhabitant" if per_capita else "net_spending")
                + f" Vist i {price_note}."
                + (f" {why}" if why else ""),
            )
        )
    if rate:
        metrics.append(Metric(rate.label, rate.value, rate.delta, rate.colour, "off", rate_help(rate, agreements)))
    else:
        metrics.append(Metric(rates.RATE_NAME, fmt.MISSING, help=definitions.help_text("rate_change")))
    total = heads[0]
    who = "kommunerne i hele regionen" if f.whole_region else f.scope_label
    when = prices.in_year(year, skipped)
    if per_capita:
        parts = [f"{fmt.kr(h['value'])} pr. {AGE_LABEL.get(h['age_group'])} på {h['area'].lower()}" for h in heads]
        text = f"{when} brugte {who} " + " og ".join(parts) + f" ({price_note})."
    else:
        text = (
            f"{when} brugte {who} **{fmt.number(total['value'], 1)} mio. kr.** ({price_note}) på det "
            f"specialiserede social- og specialundervisningsområde"
            + ("" if f.area == "alle" else f" for {f.area.lower()}")
            + (
                f", {fmt.pct(abs(total['change_pct']))} {'mere' if total['change_pct'] > 0 else 'mindre'} "
                f"end i {year - 1}."
                if total["change_pct"] == total["change_pct"]
                else "."
            )
        )
    if rate and rate.sentence():
        text += " " + rate.sentence()
    return KeyMessage(
        metrics=metrics,
        text=text,
        tables=(*spend_tables, "offers", "offer_years"),
        note=f"Nøgletal for {year}: seneste år med regnskab"
        + (f" og prisindeks i perioden ({remark})" if skipped else " i perioden")
        + f"; ændringen er i {price_note}. "
        "Børn og unge og Voksne som i filtret 'Område': Børn og unge inkl. specialskolerne, Voksne inkl. "
        "specialpædagogisk bistand til voksne og STU. Takstændringen er for det seneste år med takster. "
        + operator_note,
    )


def _per_year(vals, years, per_capita, breakdown, price_note, spend_tables) -> Chart:
    unit = "kr. pr. indbygger" if per_capita else "mio. kr."
    if breakdown == "Område":
        fig, table = figs.by_area_figure(vals, years, per_capita)
        # the change from the unrounded sums, not the table's 0,1 mio. kr. (or whole kr.)
        takeaway = per_year_takeaway(
            figs.by_area_table(figs.by_area_rows(vals, years, per_capita), per_capita), price_note
        )
        title = f"Nettodriftsudgifter pr. år og område ({unit}, {price_note})"
    else:
        fig, table = figs.by_function_figure(vals, years, per_capita)
        takeaway = per_year_takeaway(table, price_note)  # one function's amount, as rounded as the table shows it
        title = (
            f"Nettodriftsudgifter pr. kontofunktion, {years[-1]}"
            + (f" (søjle) og {years[0]} (◆)" if len(years) > 1 else "")
            + f" ({unit}, {price_note})"
        )
    note = (
        "Regnskab. Pr. indbygger: børn og unge (inkl. specialskoler) pr. 0-22-årig som i nøgletallene for udsatte "
        "børn og unge (FLIS), voksne (inkl. specialpædagogisk bistand til voksne og STU) pr. 18-64-årig"
        if per_capita
        else "Regnskab"
    )
    return Chart(fig, table, spend_tables, "udg-aar", title, note, takeaway, shared=filters.KEYS)


# --- the charts' one-sentence takeaways (issue 16), each from the table the chart shows ---------


def _moved(v0, v1) -> str:
    """'steg 6,6 %', 'faldt 1,2 %' or 'var uændret' from v0 to v1."""
    change = (float(v1) / float(v0) - 1) * 100 if v0 else 0.0
    if round(change, 1) == 0:
        return "var uændret"
    return f"{'steg' if change > 0 else 'faldt'} {fmt.pct(abs(change))}"


def per_year_takeaway(table: pd.DataFrame, price_note: str) -> str:
    """Spending per year: the total's change over the period (by area: figs.by_area_table, unrounded), or the
    largest account function in the last year (by function); per inhabitant once per age group."""
    if "År" in table.columns:  # by area: one row per year (and age group, per inhabitant)
        groups = table.groupby("Opgjort for", sort=False) if "Opgjort for" in table.columns else [("", table)]
        parts = []
        for group, t in groups:
            t = t.dropna(subset=["I alt"]).sort_values("År")
            if len(t) < 2:
                continue
            y0, y1 = int(t["År"].iloc[0]), int(t["År"].iloc[-1])
            who = f"pr. {t['Pr.'].iloc[0]} til {str(group).lower()} " if group else ""
            parts.append((f"{who}{_moved(t['I alt'].iloc[0], t['I alt'].iloc[-1])}", y0, y1))
        if not parts:
            return ""
        y0, y1 = parts[0][1], parts[0][2]
        return f"Udgifterne {fmt.listing([p for p, _, _ in parts])} fra {y0} til {y1} ({price_note})."
    years = [c for c in table.columns if str(c).isdigit()]
    if not years or table.empty:
        return ""
    last = years[-1]
    top = table.sort_values(last, ascending=False).iloc[0]
    unit = f"kr. pr. {top['Aldersgruppe']}-årig" if "Aldersgruppe" in table.columns else "mio. kr."
    return (
        f"Den største kontofunktion i {last} er {top['Navn']} ({top['Område'].lower()}) med "
        f"{fmt.number(top[last], 0 if 'Aldersgruppe' in table.columns else 1)} {unit} ({price_note})."
    )


def municipalities_takeaway(table: pd.DataFrame, year: int) -> str:
    """Municipalities side by side: the highest and lowest against the regional average."""
    t = table.dropna(subset=["Forskel fra gennemsnit, %"])
    if t.empty:
        return ""
    t = t.sort_values(["Forskel fra gennemsnit, %", "Kommune"])
    lo, hi = t.iloc[0], t.iloc[-1]

    def one(r) -> str:
        return (
            f"{r['Kommune']} ({str(r['Opgjort for']).lower()}, {fmt.pct(r['Forskel fra gennemsnit, %'], signed=True)})"
        )

    return f"I {year} ligger {one(hi)} længst over regionsgennemsnittet og {one(lo)} længst under."


def budget_takeaway(bva: pd.DataFrame, year: int) -> str:
    """Budget against accounts (budget_vs_accounts, unrounded, mio. kr.): the whole deviation."""
    budget, accounts = float(bva["budget"].sum()), float(bva["regnskab"].sum())
    if not budget:
        return ""
    diff = accounts - budget
    if round(diff, 1) == 0:
        return f"Regnskabet for {year} svarede til budgettet."
    where = "over" if diff > 0 else "under"
    return (
        f"Regnskabet for {year} var {fmt.number(abs(diff), 1)} mio. kr. ({fmt.pct(abs(diff) / budget * 100)}) "
        f"{where} budgettet."
    )


def rates_takeaway(summary: pd.DataFrame) -> str:
    """Rates against the rule: the last year's level against the year before its period, and the offers over,
    from rates.period_summary's rows for the years shown (unrounded: the table rounds the change to 0,01)."""
    if summary.empty:
        return ""
    r = summary.sort_values("year").iloc[-1]
    change = r["change_pct"]
    if pd.isna(change):
        return ""
    change = float(change)
    level = "på niveau med" if round(change, 1) == 0 else f"{fmt.pct(abs(change))} {'over' if change > 0 else 'under'}"
    over = int(r["over"]) if pd.notna(r["over"]) else 0
    return (
        f"I {int(r['year'])} lå taksterne i gennemsnit {level} {int(r['baseline_year'])}-niveauet; "
        f"{fmt.count(over, 'tilbud', 'tilbud')} lå over takstreglen."
    )


def surplus_takeaway(s: pd.DataFrame) -> str:
    """Surplus and deficit (udgifter_surplus rows): the operators' net result over the years with accounts and
    the largest single one, from the exact sums (not the chart's rounded cells)."""
    if s.empty:
        return ""
    by_operator = s.groupby("operator")["surplus_1000_dkk"].sum() / 1000
    total = float(by_operator.sum())
    top = by_operator.abs().idxmax()
    net = "overskud" if total > 0 else "underskud"
    return (
        f"Driftsherrerne havde samlet et {net} på {fmt.number(abs(total), 1)} mio. kr. i {fmt.years(s['year'])}; "
        f"størst er {top} ({fmt.number(by_operator[top], 1, signed=True)} mio. kr.)."
    )


def extra_services_takeaway(e: pd.DataFrame) -> str:
    """Extra services: the total's change over the years shown, from the query's rows (udgifter_extra_services,
    1.000 kr.), not the chart's table rounded to 0,01 mio. kr. (it said 'faldt 3,4 %' for a fall of 3,6 %)."""
    total = e.groupby("year")["amount_1000_dkk"].sum().sort_index() / 1000
    if len(total) < 2:
        return ""
    y0, y1 = int(total.index[0]), int(total.index[-1])
    return (
        f"Tillægsydelserne i alt {_moved(total.iloc[0], total.iloc[-1])} fra {y0} til {y1} "
        f"(løbende priser), til {fmt.number(total.iloc[-1], 1)} mio. kr."
    )


def _municipalities(f, year, p, price_index, fixed, price_note) -> Municipalities:
    muni = db.run("udgifter_municipalities", year=year, area=p["area"])
    d, reg = municipality_comparison(muni, price_index, fixed)
    fig, table = figs.municipalities_figure(d, reg, f.chosen)
    chart = Chart(
        fig,
        table,
        ("spending", "account_functions", "population") + (("price_index",) if fixed else ()),
        municipalities_chart_key(f.chosen),
        f"Kr. pr. indbygger i aldersgruppen, {year} ({price_note}), med regionsgennemsnittet (stiplet)",
        f"Alle {len(set(d['municipality_code']))} kommuner uanset kommunefiltret; de valgte er markeret med ▶ og "
        "skravering",
        municipalities_takeaway(table, year),
        shared=NOT_MUNICIPALITIES,
    )
    return Municipalities(
        title=f"Kommunerne side om side, {year}",
        chart=chart,
        caption="Klik på en kommune i grafen for at fokusere hele siden på den (det samme som at vælge den i "
        "filtret 'Kommuner' til venstre; linket i adresselinjen følger med). "
        + definitions.help_text("regional_average"),
        whole_region_button=not f.whole_region,
    )


def _budget(f, spending, price_index, population, fixed, breakdown, price_note) -> Budget | None:
    both = latest_with_both(spending, f.year_from, f.year_to)
    if both is None:
        return None
    money = values(spending, price_index, population, fixed=fixed, per_capita=False)
    by = "area" if breakdown == "Område" else "function_name"
    bva = budget_vs_accounts(money, both, by)
    fig, table = figs.budget_figure(bva, by, both)
    chart = Chart(
        fig,
        table,
        ("spending", "account_functions") + (("price_index",) if fixed else ()),
        "udg-budget",
        f"Budget og regnskab {both} pr. {'område' if by == 'area' else 'kontofunktion'} (mio. kr., {price_note})",
        "Seneste år i perioden med både budget og regnskab; vises i mio. kr. i alt, også når 'Pr. indbygger' er valgt",
        budget_takeaway(bva, both),
        shared=filters.KEYS,
    )
    return Budget(f"Budget mod regnskab, {both}", chart, definitions.help_text("budget_deviation"))


def _reading(periods, summary, lv, years, rate) -> str:
    """Markdown: how the rule is read and on which price basis (and where that comes from), the verdict
    of every rule period shown, and the clauses that apply to the periods shown."""
    shown = [p for p in periods if p.end_year >= min(years) and p.start_year <= max(years)]
    out = []
    ruled = [p for p in shown if p.has_rule]
    if ruled:
        kinds = {p.price_basis for p in ruled}
        bases = (
            f"{rates.BASIS_LABEL[kinds.pop()]} i alle perioder med en talregel"
            if len(kinds) == 1
            else "; ".join(f"{p.label}: {rates.BASIS_LABEL[p.price_basis]}" for p in ruled)
        )
        out.append(
            "**Sådan vurderes reglen.** Aftaleteksterne siger »Taksterne kan ikke stige i perioden« og for "
            "2019-2022 også »Taksterne reduceres med minimum 2 pct. i hele perioden«. Hver takst sammenlignes "
            "derfor med tilbuddets niveau året før perioden ("
            + ", ".join(f"{p.baseline_year} for {p.label}" for p in ruled)
            + "), ikke med året før: en takst over det niveau er over reglen, også hvis den faldt det seneste år. "
            f"Prisgrundlag: {bases}. Aftaleteksterne nævner ikke prisgrundlaget: det er dashboardets læsning, som "
            "står i tabellen Aftaleperioder (kolonnen rate_price_basis). Standarden er faste priser, så almindelig "
            "pris- og lønudvikling ikke tæller som en stigning."
        )
    for p in ruled:
        d = summary[(summary["period"] == p.label) & summary["year"].between(min(years), max(years))]
        if d.empty:
            continue
        last = d.iloc[-1]
        y = int(last["year"])
        if last["change_pct"] is None or pd.isna(last["change_pct"]):
            g = lv[(lv["period"] == p.label) & (lv["year"] == y)]
            why = "; ".join(sorted(set(g["reason"]))) or f"ingen takster i {p.baseline_year}"
            out.append(f"**{p.label}, {y} mod {p.baseline_year}: kan ikke vurderes** ({why}).")
            continue
        v = rates.RateVerdict(
            y,
            p.label,
            p.baseline_year,
            p.describe(),
            p.price_basis,
            float(last["change_pct"]),
            over=int(last["over"]),
            judged=int(last["judged"]),
            unknown=int(last["unknown"]),
        )
        within = v.change_pct is not None and v.change_pct <= float(last["limit_pct"]) + rates.TOLERANCE_PCT
        mark = ("✓" if not v.over else "⚠") if within else "✕"
        extra = f"; {fmt.count(v.unknown, 'tilbud', 'tilbud')} kan ikke vurderes" if v.unknown else ""
        need = (
            f" Krav i {p.end_year}: mindst {fmt.pct(-p.min_reduction_pct)} fra {p.baseline_year}."
            if p.min_reduction_pct is not None and y == p.end_year
            else ""
        )
        out.append(f"**{p.label}, {y} mod {p.baseline_year}:** {mark} {v.summary}{extra}.{need}")
    if any(p.min_reduction_pct is not None and p.start_year <= 2022 for p in ruled):
        out.append("**Takstaftalen 2019-2022** gav også denne mulighed: " + rates.CARRY_OVER_QUOTE)
    coming = [p for p in periods if p.principles and p.start_year > max(years)]
    for p in shown + coming:
        if p.principles:
            out.append(f"**{p.label}:** " + rates.principles_note(p.label, p.start_year))
        elif not p.has_rule:
            out.append(f"**{p.label}:** {fmt.md(p.rule_text)}; taksterne vurderes ikke mod en regel i perioden.")
    return "\n\n".join(out)


def _rate_section(f, offer_years, agreements, price_index, rate, operator_note) -> RateSection:
    years = sorted(int(y) for y in offer_years["year"].unique()) if len(offer_years) else []
    rate_years = [y for y in years if f.year_from <= y <= f.year_to]
    if not rate_years:
        return RateSection(
            empty=f"Der er ingen takster for tilbud under rammeaftalen i perioden {f.period_label} "
            "for det valgte udsnit."
        )
    periods = rates.rule_periods(agreements)
    lv = rates.levels(offer_years, agreements, price_index)
    summary = rates.period_summary(lv)
    fig, table = figs.rates_figure(summary, periods, rate_years)
    chart = Chart(
        fig,
        table,
        ("offers", "offer_years", "agreements", "price_index"),
        "udg-takster",
        "Takstniveau mod året før aftaleperioden (gennemsnit vægtet med pladser), med takstreglen",
        "Hver periode måles fra året før perioden (0 %), i periodens prisgrundlag. " + operator_note,
        rates_takeaway(summary[summary["year"].isin(rate_years)]),
        shared=filters.KEYS,
    )
    over = rates.over_rule(lv[lv["year"].between(f.year_from, f.year_to)])
    ot = figs.over_table(over)
    op_year = rate.year if rate is not None and rate.baseline_year is not None else None
    ops = figs.operator_table(rates.by_operator(lv, op_year), op_year) if op_year else None
    n_ops = ot["Driftsherre"].nunique() if len(ot) else 0
    return RateSection(
        empty=None,
        chart=chart,
        baselines=_reading(periods, summary, lv, rate_years, rate),
        caption=definitions.help_text("rate_index"),
        breaches_title=f"### Tilbud, hvis takst steg over reglen, {f.period_label}",
        breaches=ot,
        breaches_grid=figs.over_grid(ot),
        breaches_empty="Ingen tilbud lå over takstreglen i den valgte periode.",
        breaches_caption=(
            f"{fmt.count(len(ot), 'tilbud', 'tilbud')} hos {fmt.count(n_ops, 'driftsherre', 'driftsherrer')} "
            "(hvert tilbud én gang pr. periode, i det seneste år over reglen). "
            + rates.REGULATION_NOTE
            + " "
            + definitions.help_text("rate_breach")
        ),
        operators=ops if ops is not None and len(ops) else None,
        operators_title=f"### Pr. driftsherre, {op_year}" if op_year else "",
        tables=("offers", "offer_years", "operators", "agreements", "price_index"),
        note=operator_note,
    )


def _extra_services(f, p, operator_note) -> Surplus:
    e = db.run("udgifter_extra_services", **p, whole_region=f.whole_region)
    if e.empty:
        return Surplus(
            empty=f"Der er ingen tillægsydelser i regnskab for tilbud under rammeaftalen i perioden {f.period_label}."
        )
    fig, table = figs.extra_services_figure(e)
    chart = Chart(
        fig,
        table,
        ("offers", "extra_services", "operators"),
        "udg-tillaeg",
        f"Tillægsydelser i regnskab pr. driftsherre og år, mio. kr. ({fmt.years(e['year'])})",
        "Løbende priser. " + operator_note,
        extra_services_takeaway(e),
        shared=filters.KEYS,
    )
    return Surplus(empty=None, chart=chart, caption=definitions.help_text("extra_services"))


def _management() -> str:
    """The annual management information as the agreement lists it, and where each item is shown."""
    return (
        "**Ledelsesinformation.** Styringsaftalen: ledelsesinformationen »består af takstudvikling på "
        "regnskabstal, opgørelse af over-/underskud, tillægsydelser i regnskab, belægningsoversigt samt "
        "pladsoversigt« (Rammeaftale 2021-22). Her: takstudvikling under *Takster mod takstreglen*, "
        "over-/underskud og tillægsydelser ovenfor, belægning og pladser på siden *Kapacitet*, og pladserne "
        "i alt mod de ca. 10.000 pladser på *Overblik*."
    )


def _surplus(f, p, operator_note) -> Surplus:
    s = db.run("udgifter_surplus", **p, whole_region=f.whole_region)
    if s.empty:
        return Surplus(
            empty=f"Der er ingen over- eller underskud for tilbud under rammeaftalen i perioden {f.period_label}."
        )
    fig, table = figs.surplus_figure(s)
    chart = Chart(
        fig,
        table,
        ("offers", "offer_years", "operators"),
        "udg-overskud",
        # the years the chart shows, not the filter's period: the accounts cover fewer years
        f"Over- (+) og underskud (−) pr. driftsherre og år, mio. kr. ({fmt.years(s['year'])})",
        "Løbende priser. " + operator_note,
        surplus_takeaway(s),
        shared=filters.KEYS,
    )
    return Surplus(empty=None, chart=chart, caption=definitions.help_text("surplus_deficit"))
