"""Is the cost curve bending? (issue 17, part A). Shown on Udgifter (section "Knækker udgiftskurven?")
and, as one sentence and a verdict, at the top of Overblik. Runs queries/costcurve_*.sql and
queries/udgifter_price_index.sql / udgifter_agreements.sql; the figures are in overblik/costcurve_figures.py.

The rules, each in one place:

- Fixed prices and the age group per area are Udgifter's (udgifter.fixed_price_factors: the prices of
  the index's latest year; the per_capita_age_group macro: 0-22 for children and young people incl.
  the special schools, 18-64 for adults incl. special education for adults and STU).
- Growth drivers (decompose): the nominal change in net operating spending (accounts) from year t-1 to
  t, sequentially: prices = N[t-1]·(P[t]/P[t-1] − 1); demography = N[t-1]·(P[t]/P[t-1])·(Pop[t]/Pop[t-1] − 1);
  real growth per inhabitant = the rest. Computed per age group (an area's spending on one age group)
  and summed, so the parts add up exactly to the whole for every area, "I alt", the selection and each
  municipality.
- The curve (curve): real spending per inhabitant of the area's age group in fixed prices; for "Alle"
  (two age groups) the two filter areas' amounts per inhabitant weighted with their population in the
  reference year (the last year before the agreement period with population), in mio. kr.: real
  spending at an unchanged population.
- The trend (fit_trend): OLS of the curve on the year (statsmodels), fitted on the accounts years
  before the agreement period that replaced the rate agreement (2027-28, from the agreements table),
  predicted through the period's end with a 95 % prediction interval (obs_ci_lower/upper).
- The verdict (verdict): the latest accounts year of the period against the trend and its band; before
  any accounts of the period exist, when they come and where the adopted budget lies instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from overblik import clock, db, filters, fmt, prices, rates, viewcache
from overblik import udgifter as u

ALPHA = 0.05  # 95 % prediction band
ALL = "I alt"  # the decomposition's row for all areas together
MIN_FIT_YEARS = 3  # a line and an interval need at least one residual degree of freedom
QUOTE = (  # seed 000_03aaf58d390a14a2.txt (Rammeaftale 2027-28, draft), under "Styring og økonomi"
    "Rammeaftale 2027-28 nævner som et af formålene med de fælles principper at »Knække den stigende "
    "udgiftskurve«, fordi: »Den hidtidige takstaftale har været tænkt som et redskab, der skulle være med "
    "til at dæmpe udgiftsstigningerne på socialområdet. Til trods for takstaftalen er udgifterne fortsat "
    "steget, så der er behov for noget mere og andet som styringsredskab.« (Rammeaftale 2027-28, udkast: "
    "»Nyt fælles styringsredskab i stedet for takstaftalen« og »De fælles principper«)"
)
DECOMPOSITION_RULE = (
    "Ændringen fra året før er delt i tre dele, der tilsammen giver hele ændringen: **priser** (udgiften året "
    "før ganget med pris- og lønindeksets stigning), **demografi** (udgiften året før i årets priser ganget "
    "med væksten i aldersgruppen: 0-22-årige for børn og unge og specialskoler, 18-64-årige for voksne og "
    "specialundervisning for voksne) og **real vækst pr. indbygger** (resten)."
)
PARTS = ("price", "demography", "real")
PART_LABEL = {"price": "Priser", "demography": "Demografi", "real": "Real vækst pr. indbygger"}
POSITION_VALUE = {  # the answer to "Knækker udgiftskurven?"
    "under": "Tegn på knæk",
    "inside": "Ikke tydeligt",
    "over": "Nej, over trenden",
    "before": "For tidligt at sige",
    None: fmt.MISSING,
}
POSITION_BAND = {
    "under": "under det usikre interval",
    "inside": "inden for det usikre interval",
    "over": "over det usikre interval",
}


# =============================================================================================
# Growth drivers


def decompose(units: pd.DataFrame) -> pd.DataFrame:
    """The nominal change from the year before, split into prices, demography and real growth per
    inhabitant, for each row of `units` whose year before is there too.

    units: one row per (unit, area, age_group, year) with net_1000_dkk (accounts, current prices),
    index (price index of the year) and persons (the age group's population that year); any other
    key columns are kept. Returns the keys with year, before (1.000 kr., year t-1), now, change,
    price, demography, real (1.000 kr.; price + demography + real == change exactly, up to floating
    point). NaN parts where the index or the population is missing."""
    keys = [c for c in units.columns if c not in ("year", "net_1000_dkk", "index", "persons")]
    cur = units.copy()
    prev = cur.assign(year=cur["year"] + 1)[[*keys, "year", "net_1000_dkk", "index", "persons"]]
    m = cur.merge(prev, on=[*keys, "year"], suffixes=("", "_prev"))
    p_ratio = m["index"] / m["index_prev"]
    pop_ratio = m["persons"] / m["persons_prev"].where(m["persons_prev"] > 0)
    out = m[[*keys, "year"]].copy()
    out["before"] = m["net_1000_dkk_prev"]
    out["now"] = m["net_1000_dkk"]
    out["change"] = out["now"] - out["before"]
    out["price"] = out["before"] * (p_ratio - 1)
    out["demography"] = out["before"] * p_ratio * (pop_ratio - 1)
    out["real"] = out["change"] - out["price"] - out["demography"]
    out.loc[out["demography"].isna() | out["price"].isna(), "real"] = np.nan
    return out.reset_index(drop=True)


def summed(parts: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """decompose() rows summed over everything but `by` + year (age groups, areas), with each part in %
    of the spending the year before."""
    cols = ["before", "now", "change", *PARTS]
    t = parts.groupby([*by, "year"], as_index=False, dropna=False)[cols].sum(min_count=1)
    for c in ("change", *PARTS):
        t[f"{c}_pct"] = t[c] / t["before"].where(t["before"] != 0) * 100
    return t


def _units(spend: pd.DataFrame, pop: pd.DataFrame, price_index: pd.DataFrame, unit: pd.Series) -> pd.DataFrame:
    """Accounts summed per unit, area and age group, with the index and the age group's population of the
    same municipalities. `unit` maps municipality codes to unit names (one groupby for all units)."""
    s = spend[(spend["kind"] == "regnskab") & spend["municipality_code"].isin(unit.index)]
    s = s.assign(unit=s["municipality_code"].map(unit))
    s = s.groupby(["unit", "area", "age_group", "year"], as_index=False)["net_1000_dkk"].sum(min_count=1)
    p = pop[pop["municipality_code"].isin(unit.index)]
    p = (
        p.assign(unit=p["municipality_code"].map(unit))
        .groupby(["unit", "age_group", "year"], as_index=False)["persons"]
        .sum()
    )
    s = s.merge(p, on=["unit", "age_group", "year"], how="left")
    s["index"] = s["year"].map(price_index.set_index("year")["index"])
    return s[["unit", "area", "age_group", "year", "net_1000_dkk", "index", "persons"]]


def decomposition(
    spend: pd.DataFrame, pop: pd.DataFrame, price_index: pd.DataFrame, codes: list[int], scope_label: str
) -> pd.DataFrame:
    """Growth drivers for the selection (one unit, `scope_label`) and for each municipality, per year
    and area plus I alt: unit, area, year, before, now, change, price, demography, real (1.000 kr.) and
    the same in % of the year before."""
    names = spend.drop_duplicates("municipality_code").set_index("municipality_code")["name"].astype(str)
    names = names[names != scope_label].sort_values()  # one chosen municipality is the selection itself
    selection = pd.Series(scope_label, index=pd.Index(codes, name="municipality_code"))
    parts = decompose(
        pd.concat(
            [_units(spend, pop, price_index, selection), _units(spend, pop, price_index, names)], ignore_index=True
        )
    )
    by_area = summed(parts, ["unit", "area"])
    total = summed(parts, ["unit"]).assign(area=ALL)
    t = pd.concat([by_area, total], ignore_index=True)
    order = {a: i for i, a in enumerate((*u.AREA_ORDER, ALL))}
    units = {n: i for i, n in enumerate([scope_label, *names])}
    t = t.assign(_u=t["unit"].map(units), _a=t["area"].map(order)).sort_values(["_u", "_a", "year"])
    return t.drop(columns=["_u", "_a"]).reset_index(drop=True)


def curve_takeaway(points: pd.DataFrame) -> str:
    """The curve chart's one sentence (plain text): how real spending per inhabitant moved from the first to
    the last accounts year, and from its peak (the verdict itself is the section's first sentence)."""
    acc = points[points["kind"] == "regnskab"].dropna(subset=["value"]).sort_values("year")
    if len(acc) < 2:
        return ""
    first, last = acc.iloc[0], acc.iloc[-1]
    text = fmt.change_sentence(
        "Den reale udgift pr. indbygger",
        int(first["year"]),
        int(last["year"]),
        first["value"],
        last["value"],
        plural=False,
    )
    if text is None:
        return ""
    peak = acc.loc[acc["value"].idxmax()]
    if int(peak["year"]) not in (int(first["year"]), int(last["year"])):
        since = fmt.change_sentence(
            "", int(peak["year"]), int(last["year"]), peak["value"], last["value"], plural=False
        )
        if since:
            text = text[:-1] + f"; den toppede i {int(peak['year'])} og{since[:-1]}."
    return text


def drivers_takeaway(dec: pd.DataFrame, unit: str) -> str:
    """The growth-driver chart's one sentence (plain text): the latest year's change for the selection,
    all areas, and its three parts."""
    t = dec[(dec["unit"] == unit) & (dec["area"] == ALL)].dropna(subset=["change"]).sort_values("year")
    if t.empty:
        return ""
    r = t.iloc[-1]
    if pd.isna(r["real"]):
        return f"Udgifterne ændrede sig {fmt.mio_kr(r['change'], signed=True)} i {int(r['year'])}."
    return (
        f"I {int(r['year'])} ændrede udgifterne sig {fmt.mio_kr(r['change'], signed=True)}: priser "
        f"{fmt.mio_kr(r['price'], signed=True)}, demografi {fmt.mio_kr(r['demography'], signed=True)} og real vækst "
        f"pr. indbygger {fmt.mio_kr(r['real'], signed=True)}"
    ).removesuffix(".") + "."


# =============================================================================================
# The curve and its trend


def curve(
    spend: pd.DataFrame, pop: pd.DataFrame, price_index: pd.DataFrame, codes: list[int], ref_year: int | None
) -> pd.DataFrame:
    """Real spending per inhabitant for the selection, per year and kind (regnskab, budget): year, kind,
    value, persons_year (the population year used: the budget's own year, or the latest before it when
    its population is not published yet). One filter area: kr. per inhabitant of its age group. Both:
    the amounts per inhabitant weighted with the age groups' population in ref_year, in mio. kr."""
    s = spend[spend["municipality_code"].isin(codes)]
    s = s.groupby(["filter_area", "age_group", "year", "kind"], as_index=False)["net_1000_dkk"].sum(min_count=1)
    s = u.to_fixed(s, price_index)
    p = pop[pop["municipality_code"].isin(codes)].groupby(["age_group", "year"], as_index=False)["persons"].sum()
    p = p[p["persons"] > 0]
    # the population of the year, or (a budget for a year not yet counted) the latest year before it
    s = s.sort_values("year")
    s = pd.merge_asof(
        s, p.rename(columns={"year": "persons_year"}).sort_values("persons_year"),
        left_on="year", right_on="persons_year", by="age_group", direction="backward",
    )  # fmt: skip
    s.loc[(s["kind"] == "regnskab") & (s["persons_year"] != s["year"]), "persons"] = np.nan
    s["kr"] = s["net_1000_dkk"] * 1000 / s["persons"]
    areas = sorted(s["filter_area"].unique())
    if len(areas) == 1:
        out = s.groupby(["year", "kind"], as_index=False).agg(
            value=("kr", "first"), persons_year=("persons_year", "max")
        )
        return out.sort_values(["kind", "year"]).reset_index(drop=True)
    w = p[p["year"] == ref_year].set_index("age_group")["persons"] if ref_year is not None else pd.Series(dtype=float)
    s["weighted"] = s["kr"] * s["age_group"].map(w) / 1e6
    out = s.groupby(["year", "kind"], as_index=False).agg(
        value=("weighted", lambda x: x.sum(min_count=len(areas))), persons_year=("persons_year", "max")
    )
    return out.sort_values(["kind", "year"]).reset_index(drop=True)


def fit_trend(points: pd.DataFrame, through: int, alpha: float = ALPHA) -> pd.DataFrame:
    """OLS of value on year (statsmodels) over `points` (year, value), predicted for every year from the
    first point through `through`: year, fitted, lower, upper (the 1 - alpha prediction interval of a
    single year's value, obs_ci_lower/upper). Empty with fewer than MIN_FIT_YEARS points."""
    # loaded with the first curve, not with every page; the two modules, not statsmodels.api (0,5 s, not 0,7 s)
    from statsmodels.regression.linear_model import OLS
    from statsmodels.tools.tools import add_constant

    pts = points.dropna(subset=["value"])
    if len(pts) < MIN_FIT_YEARS:
        return pd.DataFrame(columns=["year", "fitted", "lower", "upper"])
    x = pts["year"].astype(float).to_numpy()
    model = OLS(pts["value"].astype(float).to_numpy(), add_constant(x)).fit()
    years = np.arange(int(x.min()), int(through) + 1)
    frame = model.get_prediction(add_constant(years.astype(float), has_constant="add")).summary_frame(alpha=alpha)
    return pd.DataFrame(
        {
            "year": years,
            "fitted": frame["mean"].to_numpy(),
            "lower": frame["obs_ci_lower"].to_numpy(),
            "upper": frame["obs_ci_upper"].to_numpy(),
        }
    )


# =============================================================================================
# The verdict


@dataclass(frozen=True)
class Verdict:
    position: str | None  # 'under', 'inside', 'over' (the band), 'before' (no accounts of the period), None
    sentence: str  # the verdict in one or two Danish sentences (plain text, no data text)
    year: int | None = None  # the year judged (accounts, or the budget before accounts)
    deviation_pct: float | None = None  # value against the trend, %
    budget_position: str | None = None  # before accounts: where the budget lies ('under', 'inside', 'over')

    @property
    def value(self) -> str:
        """The metric's value, the answer to 'Knækker udgiftskurven?': under the band 'Tegn på knæk', inside
        'Ikke tydeligt', above 'Nej, over trenden', before any accounts of the period 'For tidligt at sige'."""
        return POSITION_VALUE[self.position]

    @property
    def delta(self) -> str | None:
        if self.deviation_pct is None or self.year is None:
            return None
        what = "Budget" if self.position == "before" else "Regnskab"
        return f"{what} {self.year}: {fmt.pct(self.deviation_pct, signed=True)} mod trenden"


def _position(value: float, row: pd.Series) -> str:
    if value < row["lower"]:
        return "under"
    if value > row["upper"]:
        return "over"
    return "inside"


def _against(value: float, row: pd.Series) -> tuple[float, str, str]:
    """(deviation %, position, 'x,x % under trenden før aftalen (inden for det usikre interval)')."""
    dev = (value / row["fitted"] - 1) * 100
    pos = _position(value, row)
    side = "under" if dev < 0 else "over"
    words = "på trenden før aftalen" if round(dev, 1) == 0 else f"{fmt.pct(abs(dev))} {side} trenden før aftalen"
    return dev, pos, f"{words} ({POSITION_BAND[pos]})"


def verdict(
    points: pd.DataFrame,
    trend: pd.DataFrame,
    start_year: int,
    end_year: int,
    measure: str = "real udgift pr. indbygger",
    unindexed: frozenset[int] = frozenset(),
) -> Verdict:
    """The verdict on the curve `points` (year, kind, value) against `trend` (fit_trend) for the
    agreement period start_year..end_year: the latest accounts year of the period; before any, when the
    first accounts come and where the latest budget of the period lies. A budget of the period whose year
    is in `unindexed` (no price index: no fixed-price value) is said to be there but not judged."""
    if trend.empty:
        return Verdict(None, "Udgiftskurven kan ikke vurderes: der er for få regnskabsår før aftaleperioden.")
    tr = trend.set_index("year")
    acc = points[(points["kind"] == "regnskab") & points["year"].between(start_year, end_year)].dropna(subset=["value"])
    acc = acc[acc["year"].isin(tr.index)]
    if len(acc):
        last = acc.sort_values("year").iloc[-1]
        y = int(last["year"])
        dev, pos, words = _against(float(last["value"]), tr.loc[y])
        return Verdict(pos, f"{y}: {measure} {words}.", y, dev)
    due = start_year + 1  # a year's accounts are published the year after
    first = (
        f"Første regnskab for aftaleperioden: {start_year}, offentliggøres i {due}."
        if clock.today().year <= due
        else f"Første regnskab for aftaleperioden: {start_year}, offentliggjort i {due}, men ikke i datasættet endnu."
    )
    period_budgets = points[(points["kind"] == "budget") & points["year"].between(start_year, end_year)]
    bud = period_budgets.dropna(subset=["value"])
    bud = bud[bud["year"].isin(tr.index)]
    if bud.empty:
        waiting = sorted(set(period_budgets["year"].astype(int)) & set(unindexed))
        if waiting:  # the budget is there: only its price index is not (prices.note says so too)
            y = waiting[-1]
            return Verdict(
                "before", f"{first} Vedtaget budget {y} kan ikke vurderes endnu: der er intet prisindeks for {y}."
            )
        return Verdict("before", first + " Der er endnu intet vedtaget budget for perioden.")
    b = bud.sort_values("year").iloc[-1]
    y = int(b["year"])
    dev, pos, words = _against(float(b["value"]), tr.loc[y])
    return Verdict("before", f"{first} Vedtaget budget {y}: {measure} {words}.", y, dev, pos)


# =============================================================================================
# The view


def agreement_period(agreements: pd.DataFrame) -> tuple[int, int, str] | None:
    """(start, end, label) of the agreement periods whose purpose is to bend the curve: from the first with
    the common principles instead of a rate rule (2027-28) to the last of the principles' periods that
    follow it ('2027-28 og 2029-30': accounts of 2029 are judged too, against the same trend before 2027);
    else the latest period."""
    periods = rates.rule_periods(agreements)
    if not periods:
        return None
    first = next((i for i, p in enumerate(periods) if p.principles), None)
    if first is None:
        return periods[-1].start_year, periods[-1].end_year, periods[-1].label
    run = [periods[first]]
    for p in periods[first + 1 :]:
        if not p.principles:
            break
        run.append(p)
    return run[0].start_year, run[-1].end_year, fmt.listing([p.label for p in run])


@dataclass(frozen=True)
class CurveView:
    verdict: Verdict
    measure: str  # 'kr. pr. 0-22-årig' / 'mio. kr. ved uændret befolkning'
    text: str  # markdown: the verdict (bold), what it rests on
    quote: str  # markdown: the agreement's purpose, quoted
    method: str  # markdown: the method paragraph
    curve: u.Chart | None
    drivers: u.Chart | None
    period_label: str = ""
    details: str = ""  # markdown: what the verdict is measured in and against (text without the verdict)


CURVE_TABLES = ("spending", "account_functions", "population", "price_index", "agreements")
EVERY_YEAR = (filters.MUNICIPALITIES_KEY, filters.AREA_KEY)  # the shared filters that apply: not the period


def view(params: dict, scope_label: str) -> CurveView:
    """The cost curve for the shared filters' municipalities and area (params = Filters.params(); the
    period filter does not apply: the trend needs every year before the agreement, so a change of period
    finds the curve already built)."""
    return _view(tuple(int(c) for c in params["municipalities"]), params["area"], scope_label)


@viewcache.cached
def _view(municipalities: tuple[int, ...], area: str, scope_label: str) -> CurveView:
    from overblik import costcurve_figures as figs

    price_index = db.run("udgifter_price_index")
    spend = db.run("costcurve_spending", area=area)
    pop = db.run("costcurve_population")
    period = agreement_period(db.run("udgifter_agreements"))
    codes = list(municipalities)
    py = u.price_year(price_index)
    areas = sorted(spend["filter_area"].unique()) if len(spend) else []
    if period is None or not areas:
        v = Verdict(None, "Udgiftskurven kan ikke vurderes: der mangler udgifter eller aftaleperioder.")
        return CurveView(v, "", v.sentence, "", "", None, None)
    start, end, label = period
    acc_years = sorted(int(y) for y in spend.loc[spend["kind"] == "regnskab", "year"].unique())
    pop_years = sorted(int(y) for y in pop["year"].unique())
    ref = max((y for y in pop_years if y < start), default=None)
    one = len(areas) == 1
    age = spend["age_group"].iloc[0] if one else None
    measure = (
        f"kr. pr. {u.AGE_LABEL.get(str(age), 'indbygger')}"
        if one
        else f"mio. kr. ved befolkningen i {ref} (børn og unge pr. 0-22-årig, voksne pr. 18-64-årig)"
    )
    pts = curve(spend, pop, price_index, codes, ref)
    fit_pts = pts[(pts["kind"] == "regnskab") & (pts["year"] < start)]
    trend = fit_trend(fit_pts[["year", "value"]], end)
    # the years the curve draws: every accounts year and the budgets after the last accounts
    shown = (spend["kind"] == "regnskab") | (spend["year"] > max(acc_years, default=0))
    missing = prices.unindexed(spend[spend["municipality_code"].isin(codes) & shown], price_index)
    v = verdict(pts, trend, start, end, unindexed=frozenset(y for ys in missing.values() for y in ys))
    fit_years = sorted(int(y) for y in fit_pts.dropna(subset=["value"])["year"])
    budget = pts[(pts["kind"] == "budget") & ~pts["year"].isin(acc_years)].dropna(subset=["value"])
    budget = budget.sort_values("year").tail(1)
    carried = [int(r.year) for r in budget.itertuples() if int(r.persons_year) != int(r.year)]
    what = "regnskab" if v.position != "before" else "vedtaget budget"
    details = ""
    if v.position is not None:
        details += (
            f" Målt i {measure}, faste {py}-priser, for {'hele regionen' if scope_label == 'Hele regionen' else fmt.md(scope_label)}"
            f"; {what} mod trenden for {fit_years[0]}-{fit_years[-1]}."
        )
    if carried:
        details += f" Budget {carried[0]} er delt med befolkningen i {carried[0] - 1}, den seneste opgjorte."
    if missing:
        details += " " + prices.note(missing)
    curve_chart = None
    if not trend.empty:
        fig, table = figs.curve_figure(pts, trend, budget, start, end, label, measure, py)
        curve_chart = u.Chart(
            fig,
            table,
            CURVE_TABLES,
            "udg-kurve",
            (
                f"Real udgift pr. {u.AGE_LABEL.get(str(age), 'indbygger')} med trenden før aftalen (kr., faste {py}-priser)"
                if one
                else f"Real udgift ved befolkningen i {ref}, med trenden før aftalen (mio. kr., faste {py}-priser)"
            ),
            f"Regnskab {fit_years[0]}-{fit_years[-1]} giver trenden; båndet er 95 %-prognoseintervallet",
            curve_takeaway(pts),
            shared=EVERY_YEAR,
        )
    dec = decomposition(spend, pop, price_index, codes, scope_label)
    drivers = None
    if len(dec):
        fig, table = figs.drivers_figure(dec, scope_label)
        drivers = u.Chart(
            fig,
            table,
            ("spending", "account_functions", "population", "price_index"),
            "udg-drivere",
            "Hvad driver udgiftsvæksten? Ændring fra året før, mio. kr. ("
            + (
                "hele regionen"
                if scope_label == "Hele regionen"
                else "de valgte kommuner"
                if len(codes) > 1
                else "den valgte kommune"
            )
            + ")",
            "Regnskab, løbende priser. Tabellen har hvert område og hver kommune",
            drivers_takeaway(dec, scope_label),
            shared=EVERY_YEAR,
        )
    method = (
        f"**Sådan er det regnet.** Kurven er nettodriftsudgifterne i regnskabet i faste {py}-priser (pris- og "
        f"lønindekset) delt med aldersgruppens indbyggere"
        + ("" if one else f", for begge områder vægtet med befolkningen i {ref}")
        + (
            f". Trenden er en ret linje (lineær regression, OLS) gennem regnskabsårene {fit_years[0]}-{fit_years[-1]}"
            if fit_years
            else ""
        )
        + f", før aftaleperioden {label}, forlænget til {end}. Båndet er 95 %-prognoseintervallet: hvis udviklingen "
        "fortsatte som før aftalen, ville et års tal ligge i båndet 19 gange ud af 20. Et år under båndet er et "
        "signal om, at kurven knækker, ikke et bevis for hvorfor: takster, visitation, antal borgere og "
        "bogføring kan alle flytte tallet. " + DECOMPOSITION_RULE
    )
    text = f"**{v.sentence}**" + details
    return CurveView(v, measure, text, QUOTE, method, curve_chart, drivers, label, details.strip())
