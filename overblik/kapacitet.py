"""The Kapacitet slice: queries, rules and view data for the Kapacitet page (and the Overblik page's
Kapacitet block). Capacity per target group: what the municipalities report (difficulty, citizens in
private offers, single-person arrangements, waiting) first, then places, occupancy and missing places; the offers with their occupancy flags; secured units; national offers. Figures and
display tables are in overblik/kapacitet_figures.py.

For the Overblik page, "gap and occupancy per target group in year Y" (queries/
kapacitet_gap_by_target_group.sql; pass year_from=Y-1 to get the change from the year before):

    df = kapacitet.gap_by_target_group(year_from=Y, year_to=Y, municipalities=[...], area="alle")
    s = kapacitet.summary(df)                 # latest year, groups short, places short, waiting ...
    kapacitet.key_message(s)                  # '**Kommunernes indberetning 2026: 6 af 6 målgrupper mangler egnede tilbud** ...'
    kapacitet.headline_metrics(s)             # label, value, delta for st.metric
    fig = kapacitet_figures.gap_overview_figure(df)  # compact bar chart of the gap per target group

Rules, each decided in one place:

- Missing places: queries/_macros.sql. Every number is whole places (whole_occupied rounds occupied
  places down), so parts add up. capacity_gap(occupied, waiting, places) is (whole occupied places +
  citizens waiting) - places offered; capacity_short(...) is "at least one whole place missing" (an
  exact gap of 0.6 is not "mangler"). The gap query returns `gap` and `short`; the total missing is the
  sum of the short groups' gaps, so the parts add up to the total shown.
- Lacking suitable offers: lacks_suitable(...) in queries/_macros.sql (at least half of the reporting
  municipalities report significant or great difficulty), column `lacks_suitable`. Independent of the
  place count: a group can have free places and still lack suitable offers (seed 000).
- Demand per target group exists from the municipalities' joint survey in early 2026 (seed 000); the
  gap query shows only years with demand, so nothing before 2026 is constructed.
- Occupancy flags of an offer (below budget, over 100 %): queries/kapacitet_offers.sql returns them as
  the columns `below_budget` and `over_occupied`; Python only reads them.

Place counting (stated on the page): offers count in the municipality where they are located,
demand (waiting, placed privately, single arrangements, difficulty) in the municipality that
reported it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from overblik import data, db, fmt, viewcache

ALL = "alle"  # the target-group choice meaning "all target groups in the area"

# Reported difficulty, 0-3: the word shown in each heat-map cell and on the colour bar.
DIFFICULTY_WORDS = {0: "ingen", 1: "lidt", 2: "betydelig", 3: "stor"}

FLAG_BELOW_BUDGET = "▼ Under budget"
FLAG_OVER = "▲ Overbelægning"
# URL value (widget label) of the flag filter -> the column it filters on
FLAG_FILTERS = {ALL: "Alle tilbud", "below_budget": "Under budget", "over_occupied": "Overbelægning"}

# ---------------------------------------------------------------------------------------------
# Data


@viewcache.cached
def gap_by_target_group(*, year_from: int, year_to: int, municipalities, area: str) -> pd.DataFrame:
    """Per target group and year: offers, places, occupied, occupancy_pct (weighted by places),
    waiting, placed_private, single_arrangements, demanded, gap (positive = shortage) and short (the
    group is short of places: the capacity_short macro)."""
    df = db.run(
        "kapacitet_gap_by_target_group",
        year_from=year_from,
        year_to=year_to,
        municipalities=list(municipalities),
        area=area,
    )
    df["short"] = df["short"].astype(bool)
    df["lacks_suitable"] = df["lacks_suitable"].astype(bool)
    return df


@viewcache.cached
def years(df: pd.DataFrame) -> list[int]:
    """The years of a gap_by_target_group frame, oldest first."""
    return sorted(int(y) for y in df["year"].unique())


@viewcache.cached
def year_rows(df: pd.DataFrame, year) -> pd.DataFrame:
    """The rows of one year (none when `year` is None)."""
    return df[df["year"] == year] if year is not None else df.iloc[0:0]


@viewcache.cached
def target_group_names(df: pd.DataFrame) -> dict[str, str]:
    """target_group_id -> full name, in id order, for the target groups of a gap_by_target_group frame."""
    groups = df[["target_group_id", "name"]].drop_duplicates().sort_values("target_group_id")
    return dict(zip(groups["target_group_id"], groups["name"]))


@viewcache.cached
def difficulty(*, year: int, municipalities, area: str) -> pd.DataFrame:
    return db.run("kapacitet_difficulty", year=year, municipalities=list(municipalities), area=area)


@viewcache.cached
def offers(*, year: int, municipalities, area: str) -> pd.DataFrame:
    """The offers under the agreement in `year`, with the flags (decided in the query) as booleans."""
    df = db.run("kapacitet_offers", year=year, municipalities=list(municipalities), area=area)
    df["below_budget"] = df["below_budget"].astype(bool)
    df["over_occupied"] = df["over_occupied"].astype(bool)
    return df


@viewcache.cached
def offer_year(*, year_from: int, year_to: int, municipalities, area: str) -> int | None:
    """The latest year of the period with offers under the agreement (None: none)."""
    df = db.run(
        "kapacitet_offer_year", year_from=year_from, year_to=year_to, municipalities=list(municipalities), area=area
    )
    y = df["year"].iloc[0] if len(df) else None
    return None if y is None or pd.isna(y) else int(y)


@viewcache.cached
def filter_offers(
    df: pd.DataFrame, *, target_group: str | None = ALL, operators=(), flag: str | None = ALL
) -> pd.DataFrame:
    """The offers a user narrowed down to: one target group, some operators, one flag."""
    out = df
    if target_group and target_group != ALL:
        out = out[out["target_group_id"] == target_group]
    if operators:
        out = out[out["operator_code"].isin(list(operators))]
    if flag and flag != ALL:
        out = out[out[flag]]
    return out


@viewcache.cached
def operator_names(df: pd.DataFrame) -> dict[str, str]:
    """operator_code -> operator name for the offers in `df`, sorted by name."""
    ops = df[["operator_code", "operator"]].drop_duplicates().sort_values("operator")
    return dict(zip(ops["operator_code"], ops["operator"]))


@viewcache.cached
def offer_labels(df: pd.DataFrame) -> dict[str, str]:
    """offer_id -> 'Name (offer_id)', the offer chooser's labels (also its URL values)."""
    return {r.offer_id: f"{r.name} ({r.offer_id})" for r in df.itertuples()}


@viewcache.cached
def flag_summary(base: pd.DataFrame, *, target_group: str, place: str, area: str = "alle") -> str:
    """'36 tilbud (målgruppe V2, beliggende i hele regionen): **3** med belægning under budget ...'
    (markdown; `place` must be markdown-safe); with the area filter 'alle målgrupper for børn og unge'."""
    focus = "alle målgrupper" if target_group in (None, ALL) else f"målgruppe {target_group}"
    if area != "alle" and target_group in (None, ALL):
        focus += f" for {area.lower()}"
    return (
        f"{fmt.count(len(base), 'tilbud', 'tilbud')} ({focus}, beliggende i {place}): "
        f"**{fmt.number(int(base['below_budget'].sum()))}** med belægning under budget "
        f"({FLAG_BELOW_BUDGET}, risiko for underskud) og **{fmt.number(int(base['over_occupied'].sum()))}** "
        f"med overbelægning ({FLAG_OVER}, over 100 %)."
    )


@viewcache.cached
def offer_history(offer_id: str, *, year_from: int, year_to: int) -> pd.DataFrame:
    return db.run("kapacitet_offer_history", offer_id=offer_id, year_from=year_from, year_to=year_to)


@viewcache.cached
def secured_units(*, year_from: int, year_to: int) -> pd.DataFrame:
    """One row per secured unit and year (year NA for units without a linked offer)."""
    return db.run("kapacitet_secured_units", year_from=year_from, year_to=year_to)


def occupancy_is_illustrative() -> bool:
    """Whether the offers' yearly occupancy (shown for the secured units) is illustrative demo data."""
    return data.provenance("offer_years").illustrative


@viewcache.cached
def national_offers() -> pd.DataFrame:
    return db.run("kapacitet_national_offers")


# ---------------------------------------------------------------------------------------------
# Summary and key message


@dataclass(frozen=True)
class Summary:
    year: int | None
    previous_year: int | None  # None when the municipalities reported for one year only (2026, the survey)
    groups: int  # target groups in the area
    lacks_suitable: tuple[str, ...]  # groups the municipalities report lack suitable offers (`lacks_suitable`)
    lacks_suitable_previous: tuple[str, ...] | None
    short: tuple[str, ...]  # target_group_id short of places in `year` (the query's `short` column)
    short_previous: tuple[str, ...] | None
    free_but_lacking: tuple[str, ...]  # not short of places, yet reported to lack suitable offers
    growing: tuple[str, ...]  # short groups whose gap grew since the previous year
    shortage_places: int  # sum of the whole-place gaps of the short groups in `year`
    shortage_places_previous: int | None
    waiting: int
    waiting_previous: int | None
    placed_private: int
    placed_private_previous: int | None
    single_arrangements: int
    single_arrangements_previous: int | None


@viewcache.cached
def summary(df: pd.DataFrame) -> Summary:
    """The headline facts for the latest year in `df` (a gap_by_target_group frame)."""
    ys = years(df)
    year = ys[-1] if ys else None
    prev = ys[-2] if len(ys) > 1 else None
    now, before = year_rows(df, year), year_rows(df, prev)
    short = tuple(now.loc[now["short"], "target_group_id"])
    lacking = tuple(now.loc[now["lacks_suitable"].astype(bool), "target_group_id"])
    prev_gap = dict(zip(before["target_group_id"], before["gap"]))
    growing = tuple(
        g for g, gap in zip(now["target_group_id"], now["gap"]) if g in short and g in prev_gap and gap > prev_gap[g]
    )

    def total(rows: pd.DataFrame, col: str) -> int:
        return int(rows[col].sum())

    return Summary(
        year=year,
        previous_year=prev,
        groups=int(df["target_group_id"].nunique()),
        lacks_suitable=lacking,
        lacks_suitable_previous=tuple(before.loc[before["lacks_suitable"].astype(bool), "target_group_id"])
        if prev
        else None,
        short=short,
        short_previous=tuple(before.loc[before["short"], "target_group_id"]) if prev else None,
        free_but_lacking=tuple(g for g in lacking if g not in short),
        growing=growing,
        shortage_places=total(now[now["short"]], "gap"),
        shortage_places_previous=total(before[before["short"]], "gap") if prev else None,
        waiting=total(now, "waiting"),
        waiting_previous=total(before, "waiting") if prev else None,
        placed_private=total(now, "placed_private"),
        placed_private_previous=total(before, "placed_private") if prev else None,
        single_arrangements=total(now, "single_arrangements"),
        single_arrangements_previous=total(before, "single_arrangements") if prev else None,
    )


def group_verdict(short: bool, lacks_suitable: bool, gap: int) -> str:
    """One target group's situation in words, from the two rule columns (`short`, `lacks_suitable`)
    and the whole-place gap: a group can have free places and still lack suitable offers."""
    if short and lacks_suitable:
        return "Mangler pladser og egnede tilbud"
    if short:
        return "Mangler pladser"
    if lacks_suitable:
        return (
            "Ledige pladser, men mangler egnede tilbud" if gap < 0 else "Ingen ledige pladser og mangler egnede tilbud"
        )
    return "Sammenhæng mellem udbud og efterspørgsel"


def verdicts(df: pd.DataFrame) -> list[str]:
    """group_verdict for every row of a gap_by_target_group frame."""
    return [group_verdict(bool(s), bool(ls), int(g)) for s, ls, g in zip(df["short"], df["lacks_suitable"], df["gap"])]


def join_da(items) -> str:
    """['B1', 'B2', 'V1'] -> 'B1, B2 og V1'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " og " + items[-1]


def key_message(s: Summary) -> str:
    """The page's first sentences (markdown-safe: only ids, numbers and fixed words). What the
    municipalities report leads; the place count is one signal beside it."""
    if s.year is None:
        return "Der er ingen indberetninger fra kommunerne og tilbudsdata for samme år i den valgte periode."
    if s.lacks_suitable:
        head = (
            f"**Kommunernes indberetning {s.year}: {len(s.lacks_suitable)} af {s.groups} målgrupper mangler "
            f"egnede tilbud** ({join_da(s.lacks_suitable)})."
        )
    else:
        head = f"**Kommunernes indberetning {s.year}: ingen af de {s.groups} målgrupper mangler egnede tilbud.**"
    bits = [
        head,
        f"{fmt.count(s.placed_private, 'borger', 'borgere')} er i private tilbud, "
        f"{fmt.count(s.single_arrangements, 'enkeltmandsforanstaltning', 'enkeltmandsforanstaltninger')}, og "
        f"{fmt.number(s.waiting)} venter på et tilbud.",
    ]
    if s.short:
        bits.append(
            f"Pladstallet: {len(s.short)} af {s.groups} målgrupper mangler pladser ({join_da(s.short)}), "
            f"i alt {fmt.count(s.shortage_places, 'plads', 'pladser')}."
        )
    else:
        bits.append(f"Pladstallet: ingen af de {s.groups} målgrupper mangler pladser.")
    if s.free_but_lacking:
        bits.append(
            f"{join_da(s.free_but_lacking)} har ikke mangel på "
            "pladser, men kommunerne finder ikke egnede tilbud: ledige pladser passer ikke til borgernes behov."
        )
    if s.previous_year is not None and s.short:
        if s.growing:
            who = "dem alle" if len(s.growing) == len(s.short) else join_da(s.growing)
            bits.append(f"Manglen på pladser er vokset siden {s.previous_year} for {who}.")
        else:
            bits.append(f"Manglen på pladser er ikke vokset for nogen af dem siden {s.previous_year}.")
    return " ".join(bits)


@dataclass(frozen=True)
class Metric:
    label: str
    value: str
    delta: str | None  # '+12 fra 2026', 'uændret fra 2026' or None (no earlier report)
    delta_color: str  # rising numbers are bad news here: red up, green down, grey unchanged
    delta_arrow: str  # explicit: st.metric reads the sign from a leading '-', and fmt writes U+2212
    help_key: str  # key in definitions.MEASURES


def _metric(label: str, value: str, now, before, prev_year, help_key: str) -> Metric:
    if before is None:
        return Metric(label, value, None, "off", "off", help_key)
    change = round(now) - round(before)
    if change == 0:
        return Metric(label, value, f"uændret fra {prev_year}", "off", "off", help_key)
    return Metric(
        label,
        value,
        f"{fmt.number(change, signed=True)} fra {prev_year}",
        "red" if change > 0 else "green",
        "up" if change > 0 else "down",
        help_key,
    )


def headline_metrics(s: Summary) -> list[Metric]:
    """The four headline numbers for the latest year, what the municipalities report first, each with
    its change from the year before when there is one (demand is reported from 2026)."""
    y, p = s.year, s.previous_year
    n_prev = len(s.lacks_suitable_previous) if s.lacks_suitable_previous is not None else None
    return [
        _metric(
            f"Mangler egnede tilbud, {y}",
            f"{len(s.lacks_suitable)} af {s.groups}",
            len(s.lacks_suitable),
            n_prev,
            p,
            "lacks_suitable",
        ),
        _metric(
            f"Manglende pladser, {y}",
            fmt.number(s.shortage_places),
            s.shortage_places,
            s.shortage_places_previous,
            p,
            "shortage_total",
        ),
        _metric(
            f"I private tilbud, {y}",
            fmt.number(s.placed_private),
            s.placed_private,
            s.placed_private_previous,
            p,
            "placed_private",
        ),
        _metric(
            "Enkeltmandsforanstaltninger",
            fmt.number(s.single_arrangements),
            s.single_arrangements,
            s.single_arrangements_previous,
            p,
            "single_arrangements",
        ),
    ]


def covers_region(chosen, all_municipalities) -> bool:
    """Whether the chosen municipalities are the whole region (none chosen, or all of them): then the
    figures are the region's, the same either way."""
    return not chosen or set(chosen) >= set(all_municipalities)


REGION_NOTE = (
    "Tilbuddene under rammeaftalen betjener hele regionen: borgere fra én kommune bruger tilbud i andre "
    "kommuner. For et udsnit af kommuner tælles de tilbud, der ligger i kommunerne, mod de borgere, "
    "kommunerne selv har indberettet; manglende eller ledige pladser er derfor kun et groft signal under "
    "regionsniveau."
)


# --- the charts' one-sentence takeaways (issue 16): plain text, from the frame the chart is drawn from ---


def _shortage(df: pd.DataFrame) -> pd.Series:
    """Places missing per year: the sum of the whole-place gaps of the groups short of places."""
    short = df[df["short"].astype(bool)]
    return short.groupby("year")["gap"].sum().reindex(sorted(df["year"].unique()), fill_value=0)


def _weighted_occupancy(df: pd.DataFrame) -> pd.Series:
    """Occupancy per year, weighted with places (as the charts draw it)."""
    d = df.dropna(subset=["occupancy_pct", "places"])
    d = d[d["places"] > 0]
    return (d["occupancy_pct"] * d["places"]).groupby(d["year"]).sum() / d.groupby("year")["places"].sum()


@viewcache.cached
def gap_takeaway(df: pd.DataFrame) -> str:
    """The latest year: how many target groups are short of places and where the gap is largest."""
    ys = years(df)
    if not ys:
        return ""
    latest = df[df["year"] == ys[-1]]
    short = latest[latest["short"].astype(bool)]
    if short.empty:
        return f"Ingen af de {len(latest)} målgrupper mangler pladser i {ys[-1]}."
    top = short.sort_values(["gap", "target_group_id"], ascending=[False, True]).iloc[0]
    return (
        f"{len(short)} af {len(latest)} målgrupper mangler pladser i {ys[-1]}, i alt "
        f"{fmt.count(int(short['gap'].sum()), 'plads', 'pladser')}; flest i {top['short_name']} "
        f"({fmt.number(int(top['gap']))})."
    )


@viewcache.cached
def gap_trend_takeaway(df: pd.DataFrame) -> str:
    """Over time: the places missing in the first and the last year (one group or all)."""
    ys = years(df)
    one = df["target_group_id"].nunique() == 1
    if not ys or (len(ys) < 2 and not one):
        return gap_takeaway(df)
    s = _shortage(df)
    who = f"{df['target_group_id'].iloc[0]} mangler" if one else "Målgrupperne mangler i alt"
    since = f" mod {fmt.number(int(s.iloc[0]))} i {ys[0]}" if len(ys) > 1 else ""
    return f"{who} {fmt.count(int(s.iloc[-1]), 'plads', 'pladser')} i {ys[-1]}{since}."


@viewcache.cached
def signals_takeaway(df: pd.DataFrame) -> str:
    """Waiting, private and single arrangements: the latest year's totals, against the first year."""
    ys = years(df)
    if not ys:
        return ""
    t = df.groupby("year")[["waiting", "placed_private", "single_arrangements"]].sum()
    last = t.loc[ys[-1]]
    text = (
        f"I {ys[-1]} venter {fmt.number(last['waiting'])} borgere, {fmt.number(last['placed_private'])} er i "
        f"private tilbud og {fmt.number(last['single_arrangements'])} i enkeltmandsforanstaltninger"
    )
    if len(ys) > 1:
        first = t.loc[ys[0]]
        text += f" (i {ys[0]}: {fmt.number(first['waiting'])} ventende)"
    return text + "."


@viewcache.cached
def occupancy_takeaway(df: pd.DataFrame) -> str:
    """Occupancy weighted with places: the latest year, against the first year."""
    occ = _weighted_occupancy(df)
    if occ.empty:
        return ""
    y1 = int(occ.index[-1])
    text = f"Belægningen var {fmt.pct(occ.iloc[-1])} i {y1}"
    if len(occ) > 1:
        text += f" mod {fmt.pct(occ.iloc[0])} i {int(occ.index[0])}"
    return text + " (vægtet med pladser)."


@viewcache.cached
def difficulty_takeaway(diff: pd.DataFrame, year: int) -> str:
    """The heat map: how many municipalities report significant or great difficulty (2-3) per group."""
    d = diff.dropna(subset=["difficulty"])
    if d.empty:
        return f"Ingen kommuner har indberettet for {year}."
    hard = d[d["difficulty"] >= 2]
    n_muni = d["municipality"].nunique()
    by_group = hard.groupby("target_group_id")["municipality"].nunique().sort_values(ascending=False)
    if by_group.empty:
        return f"Ingen af de {n_muni} kommuner oplever betydelige eller store vanskeligheder i {year}."
    most = int(by_group.iloc[0])
    tops = sorted(by_group[by_group == most].index)
    short_names = dict(zip(d["target_group_id"], d["short_name"]))
    if n_muni == 1:  # one municipality chosen: no "most", only which groups
        groups = sorted(by_group.index)
        return (
            f"I {year} oplever {d['municipality'].iloc[0]} betydelige eller store vanskeligheder med at finde "
            f"tilbud til {fmt.listing(groups) if len(groups) > 1 else short_names[groups[0]]}."
        )
    names = fmt.listing(tops) if len(tops) > 1 else str(short_names[tops[0]])  # a tie: the ids only
    each = "hver " if len(tops) > 1 else ""
    return (
        f"I {year} oplever flest kommuner betydelige eller store vanskeligheder med at finde tilbud til "
        f"{names} ({each}{most} af {n_muni} kommuner)."
    )


@viewcache.cached
def history_takeaway(hist: pd.DataFrame) -> str:
    """One offer's history: the latest year's places, occupancy against budget, and rate."""
    h = hist.dropna(subset=["year"]).sort_values("year")
    if h.empty:
        return ""
    r = h.iloc[-1]
    return (
        f"I {int(r['year'])} havde tilbuddet {fmt.count(int(r['places']), 'plads', 'pladser')} og en belægning "
        f"på {fmt.pct(r['occupancy_pct'])} mod budgetteret {fmt.pct(r['budgeted_occupancy_pct'])}; taksten var "
        f"{fmt.kr(r['rate_dkk_per_day'])} pr. døgn/dag."
    )


@viewcache.cached
def secured_takeaway(sec: pd.DataFrame) -> str:
    """The secured units: the latest year's occupancy, lowest and highest unit."""
    d = sec.dropna(subset=["year", "occupancy_pct"])
    if d.empty:
        return ""
    y = int(d["year"].max())
    last = d[d["year"] == y].sort_values(["occupancy_pct", "unit_name"])
    lo, hi = last.iloc[0], last.iloc[-1]
    if len(last) == 1:
        return f"{hi['unit_name']} havde en belægning på {fmt.pct(hi['occupancy_pct'])} i {y}."
    return (
        f"I {y} lå belægningen fra {fmt.pct(lo['occupancy_pct'])} ({lo['unit_name']}) til "
        f"{fmt.pct(hi['occupancy_pct'])} ({hi['unit_name']})."
    )
