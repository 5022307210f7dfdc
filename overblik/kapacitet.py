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
- Missing reports: a target group no chosen municipality reported for in a year is "ikke indberettet"
  (NOT_REPORTED): the query gives its reported numbers, gap, `short` and `lacks_suitable` as NULL, never 0
  or false, so it is counted neither as lacking nor as not lacking ("2 af 5" målgrupper med indberetning)
  and its numbers read "–". Partial reports ("18 af 19 kommuner") are said. Changes from the year before
  compare like with like (Summary: *_change, Change.scope) or say they cannot.
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
# Every table the Kapacitet page shows: its header's "Data pr." and marker (a publish of, say, the meetings
# does not date the page's capacity figures)
TABLES = (
    "offers",
    "offer_years",
    "demand",
    "target_groups",
    "operators",
    "municipalities",
    "secured_units",
    "national_offers",
)

# Reported difficulty, 0-3: the word shown in each heat-map cell and on the colour bar.
DIFFICULTY_WORDS = {0: "ingen", 1: "lidt", 2: "betydelig", 3: "stor"}

FLAG_BELOW_BUDGET = "▼ Under budget"
FLAG_OVER = "▲ Overbelægning"
# URL value (widget label) of the flag filter -> the column it filters on
FLAG_FILTERS = {ALL: "Alle tilbud", "below_budget": "Under budget", "over_occupied": "Overbelægning"}

# ---------------------------------------------------------------------------------------------
# Data


# The columns that rest on the municipalities' reports: missing (<NA>, never 0) for a target group no
# chosen municipality reported for that year ("ikke indberettet"); the rest (places, occupancy) stay.
REPORTED_COUNTS = (
    "waiting",
    "placed_private",
    "single_arrangements",
    "hard_reports",
    "demanded",
    "gap",
    "reports_before",
    "waiting_change",
    "placed_private_change",
    "single_arrangements_change",
)
REPORTED_FLAGS = ("short", "lacks_suitable", "same_reports")
NOT_REPORTED = "ikke indberettet"


@viewcache.cached
def gap_by_target_group(*, year_from: int, year_to: int, municipalities, area: str) -> pd.DataFrame:
    """Per target group and year: offers, places, occupied, occupancy_pct (weighted by places),
    waiting, placed_private, single_arrangements, demanded, gap (positive = shortage), short (the
    group is short of places: the capacity_short macro) and lacks_suitable; reports (of the chosen
    `municipalities`), reported, and the columns for a like-with-like change from the year before
    (queries/kapacitet_gap_by_target_group.sql). Without a report the reported numbers are <NA> and the
    flags <NA> (pandas' nullable Int64 and boolean: a mask treats <NA> as False, a sum skips it)."""
    df = db.run(
        "kapacitet_gap_by_target_group",
        year_from=year_from,
        year_to=year_to,
        municipalities=list(municipalities),
        area=area,
    )
    df = df.astype({**dict.fromkeys(REPORTED_COUNTS, "Int64"), **dict.fromkeys(REPORTED_FLAGS, "boolean")})
    df["reported"] = df["reported"].astype(bool)
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
class Change:
    """A change from the year before, like with like: `value` over what can be compared (None: nothing
    can), `scope` what was compared when it is less than everything ('samme 5 målgrupper', 'samme
    indberetninger': the municipalities that reported a group both years; '' for everything)."""

    value: int | None
    scope: str = ""


@dataclass(frozen=True)
class Summary:
    year: int | None
    previous_year: int | None  # None when the municipalities reported for one year only (2026, the survey)
    groups: int  # target groups in the area
    municipalities: int  # the chosen municipalities (the whole region: all of them)
    not_reported: tuple[str, ...]  # groups no chosen municipality reported for in `year` ("ikke indberettet")
    partial: tuple[tuple[str, int], ...]  # (group, municipalities that reported) where some but not all did
    lacks_suitable: tuple[str, ...]  # groups the municipalities report lack suitable offers (`lacks_suitable`)
    lacks_suitable_change: Change | None  # None without a year before; over the groups reported both years
    short: tuple[str, ...]  # target_group_id short of places in `year` (the query's `short` column)
    short_compared: tuple[str, ...]  # the short groups reported by the same municipalities the year before
    free_but_lacking: tuple[str, ...]  # not short of places, yet reported to lack suitable offers
    growing: tuple[str, ...]  # of short_compared: short the year before too, and the gap grew since
    new_short: tuple[str, ...]  # of short_compared: not short the year before (free places or in balance)
    shortage_places: int | None  # the whole-place gaps of the short groups added up; None: no gap computable
    shortage_change: Change | None  # over the groups reported by the same municipalities both years
    waiting: int | None  # None: nothing reported
    waiting_change: Change | None  # over the municipalities that reported a group in both years
    placed_private: int | None
    placed_private_change: Change | None
    single_arrangements: int | None
    single_arrangements_change: Change | None

    @property
    def reported(self) -> int:
        """The target groups with at least one report in `year`."""
        return self.groups - len(self.not_reported)

    @property
    def partial_count(self) -> int | None:
        """How many municipalities reported, when some but not all did and the number is the same for every
        reported target group ('18 af 19' for all of them); None when all did or the numbers differ. The one
        place this is decided: the key messages of Kapacitet and Overblik both read it."""
        counts = {n for _, n in self.partial}
        return counts.pop() if len(counts) == 1 and len(self.partial) == self.reported else None

    @property
    def lower_bound(self) -> bool:
        """Whether the places missing are only a lower bound: some chosen municipalities did not report for a
        target group that has reports, and their citizens waiting, which can only add to the shortage, are
        not counted. The one rule for how Kapacitet and Overblik say it (at_least, shortage_note,
        as_reported): 'mindst 290' when places are missing; when none are, the bare 0 ('mindst 0' is true but
        reads as if nothing were said) with who reported beside it, and the key messages' 'ingen mangler
        pladser, så vidt indberetningerne viser'."""
        return bool(self.partial)

    @property
    def at_least(self) -> str:
        """'mindst ' before the places missing when they are a lower bound and more than 0 ('' when not): the
        key message ('i alt mindst 290 pladser') and the headline metric ('mindst 290', Kapacitet and Overblik)
        both read it."""
        return at_least(self.lower_bound, self.shortage_places)

    @property
    def reports_note(self) -> str:
        """'18 af 19 kommuner har indberettet' (the same number for every reported group), 'ikke alle kommuner
        har indberettet' (not), '' (every chosen municipality reported for every reported group)."""
        if not self.partial:
            return ""
        if self.partial_count is not None:
            return f"{fmt.number(self.partial_count)} af {fmt.number(self.municipalities)} kommuner har indberettet"
        return "ikke alle kommuner har indberettet"

    @property
    def shortage_note(self) -> str:
        """What the headline's places missing leave out when they are a lower bound of 0 (no 'mindst' before
        it): '1 af 2 kommuner har indberettet' ('' when not)."""
        return self.reports_note if self.lower_bound and self.shortage_places == 0 else ""

    @property
    def as_reported(self) -> str:
        """', så vidt indberetningerne viser' after the key messages' 'ingen ... mangler pladser' when that
        is a lower bound of 0 ('' when not)."""
        return AS_REPORTED if self.lower_bound and not self.short else ""


AS_REPORTED = ", så vidt indberetningerne viser"  # a place count that is only a lower bound (Summary.lower_bound)


def partial_reports(rows: pd.DataFrame) -> tuple[tuple[str, int], ...]:
    """(group, municipalities that reported) for the reported target groups in `rows` (one year) that some but
    not all of the chosen municipalities reported: their places missing are only a lower bound (Summary.partial,
    and the charts' takeaways)."""
    r = rows[rows["reported"].astype(bool)]
    return tuple((g, int(n)) for g, n, m in zip(r["target_group_id"], r["reports"], r["municipalities"]) if n < m)


def at_least(lower_bound: bool, places: int | None) -> str:
    """'mindst ' before places missing that are a lower bound and more than 0 ('mindst 0' is true but reads as if
    nothing were said); '' when not."""
    return "mindst " if lower_bound and places else ""


def _short_places(rows: pd.DataFrame) -> int:
    """The places missing in `rows`: the whole-place gaps of the groups short of places, added up."""
    return int(rows.loc[rows["short"].fillna(False), "gap"].sum())


def _compared(ids, everything: set) -> str:
    """The scope of a change over the target groups `ids`: '' when they are all there is to compare."""
    if not ids or set(ids) == everything:
        return ""
    return f"samme {fmt.count(len(ids), 'målgruppe', 'målgrupper')}"


@viewcache.cached
def summary(df: pd.DataFrame) -> Summary:
    """The headline facts for the latest year in `df` (a gap_by_target_group frame). A target group
    without reports ("ikke indberettet") is left out of every count and sum: it is neither lacking nor
    not lacking suitable offers, and its gap is unknown. Changes from the year before compare like with
    like: the number of groups lacking over the groups reported both years; the places missing over the
    groups the same municipalities reported both years; the citizens over the municipalities that
    reported a group in both years (the query's *_change columns)."""
    ys = years(df)
    year = ys[-1] if ys else None
    prev = ys[-2] if len(ys) > 1 else None
    now = year_rows(df, year).set_index("target_group_id")
    before = year_rows(df, prev).set_index("target_group_id")
    reported = now[now["reported"]]
    short = tuple(now.index[now["short"].fillna(False)])
    lacking = tuple(now.index[now["lacks_suitable"].fillna(False)])
    same = list(reported.index[reported["same_reports"].fillna(False)])
    short_compared = tuple(g for g in short if g in same)
    new_short = tuple(g for g in short_compared if not before.loc[g, "short"])

    def total(col: str) -> int | None:
        return int(reported[col].sum()) if len(reported) else None

    def sum_change(col: str) -> Change | None:
        if prev is None:
            return None
        everything = bool(now["same_reports"].fillna(False).all())
        value = int(now[f"{col}_change"].sum()) if now["matched_reports"].sum() else None
        return Change(value, "" if everything or value is None else "samme indberetninger")

    lacks_change = shortage_change = None
    if prev is not None:
        both = [g for g in reported.index if before.loc[g, "reported"]]
        either = set(reported.index) | set(before.index[before["reported"]])
        lacks_change = Change(
            int(now.loc[both, "lacks_suitable"].sum()) - int(before.loc[both, "lacks_suitable"].sum())
            if both
            else None,
            _compared(both, either),
        )
        shortage_change = Change(
            _short_places(now.loc[same]) - _short_places(before.loc[same]) if same else None,
            _compared(same, either),
        )

    return Summary(
        year=year,
        previous_year=prev,
        groups=int(df["target_group_id"].nunique()),
        municipalities=int(df["municipalities"].iloc[0]) if len(df) else 0,
        not_reported=tuple(now.index[~now["reported"]]),
        partial=partial_reports(now.reset_index()),
        lacks_suitable=lacking,
        lacks_suitable_change=lacks_change,
        short=short,
        short_compared=short_compared,
        free_but_lacking=tuple(g for g in lacking if g not in short),
        growing=tuple(g for g in short_compared if g not in new_short and now.loc[g, "gap"] > before.loc[g, "gap"]),
        new_short=new_short,
        shortage_places=_short_places(reported) if len(reported) else None,
        shortage_change=shortage_change,
        waiting=total("waiting"),
        waiting_change=sum_change("waiting"),
        placed_private=total("placed_private"),
        placed_private_change=sum_change("placed_private"),
        single_arrangements=total("single_arrangements"),
        single_arrangements_change=sum_change("single_arrangements"),
    )


def group_verdict(short, lacks_suitable, gap) -> str:
    """One target group's situation in words, from the two rule columns (`short`, `lacks_suitable`)
    and the whole-place gap: a group can have free places and still lack suitable offers. Without a
    report (lacks_suitable <NA>) the group is 'Ikke indberettet'."""
    if fmt._missing(lacks_suitable):
        return NOT_REPORTED.capitalize()
    if short and lacks_suitable:
        return "Mangler pladser og egnede tilbud"
    if short:
        return "Mangler pladser"
    if lacks_suitable:
        return (
            "Ledige pladser, men mangler egnede tilbud" if gap < 0 else "Ingen ledige pladser og mangler egnede tilbud"
        )
    return "Sammenhæng mellem udbud og efterspørgsel"


def gap_text(gap, short) -> str:
    """'mangler 79' / '28 ledige' / 'i balance' for a gap in places; `short` is the row's `short` column
    (the capacity_short rule), not re-decided here. A missing gap (no report of citizens waiting) is
    'ikke indberettet'. The charts (kapacitet_figures) and the takeaways say a gap in these words."""
    if fmt._missing(gap):
        return NOT_REPORTED
    r = int(gap)  # whole places (the capacity_gap macro)
    if short:
        return f"mangler {fmt.number(r)}"
    if r == 0:
        return "i balance"
    return f"{fmt.number(-r)} {'ledig' if r == -1 else 'ledige'}"


def verdicts(df: pd.DataFrame) -> list[str]:
    """group_verdict for every row of a gap_by_target_group frame."""
    return [group_verdict(s, ls, g) for s, ls, g in zip(df["short"], df["lacks_suitable"], df["gap"])]


def coverage(reports, municipalities) -> str:
    """'18 af 19': the chosen municipalities that reported for a target group ('0 af 19': none did)."""
    return f"{fmt.number(reports)} af {fmt.number(municipalities)}"


def join_da(items) -> str:
    """['B1', 'B2', 'V1'] -> 'B1, B2 og V1' (fmt.listing, the one Danish list)."""
    return fmt.listing(list(items))


def none_of(groups: int) -> str:
    """'nogen af de 6 målgrupper' ('målgruppen' when there is one)."""
    return "målgruppen" if groups == 1 else f"nogen af de {groups} målgrupper"


def partial_sentence(s: Summary) -> str:
    """'For B1, B2 og V1 har 18 af 19 kommuner indberettet; for V2 12 af 19. ...', or '18 af 19 kommuner
    har indberettet; ...' when that holds for every reported group ('' when every chosen municipality
    reported for every reported group). Plain text: ids and numbers only."""
    if not s.partial:
        return ""
    m = fmt.number(s.municipalities)
    if s.partial_count is not None:  # the same number of reports for every reported group
        return (
            f"{fmt.number(s.partial_count)} af {m} kommuner har indberettet; vanskeligheder og borgere tæller kun "
            "deres indberetning."
        )
    by_count: dict[int, list[str]] = {}
    for g, n in s.partial:
        by_count.setdefault(n, []).append(g)
    (n0, first), *rest = sorted(by_count.items(), reverse=True)
    return (
        f"For {join_da(first)} har {fmt.number(n0)} af {m} kommuner indberettet"
        + "".join(f"; for {join_da(gs)} {fmt.number(n)} af {m}" for n, gs in rest)
        + ". Vanskeligheder og borgere tæller kun de kommuner, der har indberettet."
    )


def places_counted_sentence(s: Summary) -> str:
    """What the place count counts when some municipalities did not report: the places of every chosen
    municipality's offers (they serve the whole region, and need no report) against the citizens waiting
    in the municipalities that reported. The missing citizens can only add to the shortage, so the places
    missing are at least those shown. Plain text."""
    n = s.partial_count
    if n is None:
        who = "de kommuner, der har indberettet"
    elif n == 1:
        who = "den ene kommune, der har indberettet"
    else:
        who = f"de {fmt.number(n)}, der har indberettet"
    more = "der kan mangle flere pladser" if s.short else "der kan alligevel mangle pladser"
    where = "begge kommuner" if s.municipalities == 2 else f"alle {fmt.number(s.municipalities)} kommuner"
    return f"Pladserne i tilbud i {where} er regnet mod de ventende borgere i {who}, så {more}."


def key_message(s: Summary) -> str:
    """The page's first sentences (markdown-safe: only ids, numbers and fixed words). What the
    municipalities report leads; the place count is one signal beside it. Target groups without reports
    are said to be 'ikke indberettet' and counted neither way; partial reports are said as such."""
    if s.year is None:
        return "Der er ingen indberetninger fra kommunerne og tilbudsdata for samme år i den valgte periode."
    private, single, missing = s.placed_private, s.single_arrangements, s.shortage_places  # None: no report
    if private is None or single is None or missing is None:
        return (
            f"**Kommunernes indberetning {s.year}: der er ingen indberetning for {none_of(s.groups)}.** "
            "Uden indberetning kendes hverken vanskeligheder, borgere i private tilbud, "
            f"enkeltmandsforanstaltninger eller ventende borgere for {s.year}, og pladstallet (manglende eller "
            "ledige pladser) kan ikke opgøres."
        )
    of = f"{s.groups} målgrupper" if not s.not_reported else f"{s.reported} målgrupper med indberetning"
    if s.lacks_suitable:
        head = (
            f"**Kommunernes indberetning {s.year}: {len(s.lacks_suitable)} af {of} mangler "
            f"egnede tilbud** ({join_da(s.lacks_suitable)})."
        )
    else:
        head = f"**Kommunernes indberetning {s.year}: ingen af de {of} mangler egnede tilbud.**"
    bits = [head]
    if s.not_reported:
        bits.append(f"Der er ingen indberetning for {join_da(s.not_reported)}.")
    if s.partial:
        bits.append(partial_sentence(s))
    bits.append(
        f"{fmt.count(private, 'borger', 'borgere')} er i private tilbud, "
        f"{fmt.count(single, 'enkeltmandsforanstaltning', 'enkeltmandsforanstaltninger')}, og "
        f"{fmt.number(s.waiting)} venter på et tilbud"
        + (f" (de {s.reported} målgrupper med indberetning)." if s.not_reported else ".")
    )
    if s.short:
        bits.append(
            f"Pladstallet: {len(s.short)} af {of} mangler pladser ({join_da(s.short)}), "
            f"i alt {s.at_least}{fmt.count(missing, 'plads', 'pladser')}."
        )
    else:
        bits.append(f"Pladstallet: ingen af de {of} mangler pladser{s.as_reported}.")
    if s.partial:
        bits.append(places_counted_sentence(s))
    if s.not_reported:
        bits.append(
            f"For {join_da(s.not_reported)} kan pladstallet ikke opgøres uden indberetning af ventende borgere."
        )
    if s.free_but_lacking:
        bits.append(
            f"{join_da(s.free_but_lacking)} har ikke mangel på pladser{AS_REPORTED if s.lower_bound else ''}, "
            "men kommunerne finder ikke egnede tilbud: ledige pladser passer ikke til borgernes behov."
        )
    if s.previous_year is not None and s.short:
        bits.append(_growth_sentence(s))
    return " ".join(bits)


def _growth_sentence(s: Summary) -> str:
    """Whether the shortage grew since the year before, for the short groups the same municipalities
    reported both years; a group that was not short then (free places or in balance) is a new shortage,
    not a growing one; the others are said to be not comparable."""
    p, compared = s.previous_year, s.short_compared
    if not compared:
        return f"Manglen på pladser kan ikke sammenlignes med {p}: ikke de samme kommuner har indberettet begge år."
    bits = []
    still = [g for g in compared if g not in s.new_short]  # short in both years
    if s.growing:
        who = "dem alle" if len(s.growing) == len(s.short) else join_da(s.growing)
        bits.append(f"Manglen på pladser er vokset siden {p} for {who}.")
    elif still:
        who = "nogen af dem" if len(still) == len(s.short) else join_da(still)
        bits.append(f"Manglen på pladser er ikke vokset for {who} siden {p}.")
    if s.new_short:
        bits.append(f"Ny mangel på pladser for {join_da(s.new_short)}, som ikke manglede pladser i {p}.")
    rest = [g for g in s.short if g not in compared]
    if rest:
        bits.append(f"{join_da(rest)} kan ikke sammenlignes med {p}: ikke de samme kommuner har indberettet begge år.")
    return " ".join(bits)


@dataclass(frozen=True)
class Metric:
    label: str
    value: str
    note: str | None  # what the value leaves out: 'V3 ikke indberettet' (None: nothing)
    change: str | None  # '+12 fra 2026', 'uændret fra 2026', 'kan ikke sammenlignes med 2026' or None
    delta_color: str  # rising numbers are bad news here: red up, green down, grey unchanged or no change
    delta_arrow: str  # explicit: st.metric reads the sign from a leading '-', and fmt writes U+2212
    help_key: str  # key in definitions.MEASURES

    @property
    def delta(self) -> str | None:
        """The text under the value: the note and the change ('V3 ikke indberettet · −1 fra 2026')."""
        parts = [x for x in (self.note, self.change) if x]
        return " · ".join(parts) or None


def not_reported_note(s: Summary) -> str | None:
    """'V3 ikke indberettet', 'B3 og V3 ikke indberettet', '3 målgrupper ikke indberettet'; None when
    every target group has a report."""
    n = len(s.not_reported)
    if not n:
        return None
    who = join_da(s.not_reported) if n <= 2 else f"{n} målgrupper"
    return f"{who} {NOT_REPORTED}"


def _metric(
    label: str, value, shown: str, change: Change | None, s: Summary, help_key: str, left_out: str = ""
) -> Metric:
    """A headline number: `shown` is the value as text ('–' when nothing was reported); `left_out` what else
    it leaves out, after the target groups without reports ('1 af 2 kommuner har indberettet')."""
    if value is None:
        return Metric(label, fmt.MISSING, NOT_REPORTED, None, "off", "off", help_key)
    note, p = " · ".join(filter(None, [not_reported_note(s), left_out])) or None, s.previous_year
    if change is None:
        return Metric(label, shown, note, None, "off", "off", help_key)
    if change.value is None:
        return Metric(label, shown, note, f"kan ikke sammenlignes med {p}", "off", "off", help_key)
    scope = f" ({change.scope})" if change.scope else ""
    if change.value == 0:
        return Metric(label, shown, note, f"uændret fra {p}{scope}", "off", "off", help_key)
    return Metric(
        label,
        shown,
        note,
        f"{fmt.number(change.value, signed=True)} fra {p}{scope}",
        "red" if change.value > 0 else "green",
        "up" if change.value > 0 else "down",
        help_key,
    )


def headline_metrics(s: Summary) -> list[Metric]:
    """The four headline numbers for the latest year, what the municipalities report first, each with
    what it leaves out (target groups without reports) and its change from the year before when there is
    one (demand is reported from 2026), like with like. Nothing reported: '–', 'ikke indberettet'. The places
    missing are 'mindst 290' when not every chosen municipality reported, and 0 with '1 af 2 kommuner har
    indberettet' beside it when none are missing (Summary.lower_bound)."""
    y = s.year
    return [
        _metric(
            f"Mangler egnede tilbud, {y}",
            len(s.lacks_suitable) if s.reported else None,
            f"{len(s.lacks_suitable)} af {s.reported}",
            s.lacks_suitable_change,
            s,
            "lacks_suitable",
        ),
        _metric(
            f"Manglende pladser, {y}",
            s.shortage_places,
            s.at_least + fmt.number(s.shortage_places),
            s.shortage_change,
            s,
            "shortage_total",
            s.shortage_note,
        ),
        _metric(
            f"I private tilbud, {y}",
            s.placed_private,
            fmt.number(s.placed_private),
            s.placed_private_change,
            s,
            "placed_private",
        ),
        _metric(
            "Enkeltmandsforanstaltninger",
            s.single_arrangements,
            fmt.number(s.single_arrangements),
            s.single_arrangements_change,
            s,
            "single_arrangements",
        ),
    ]


def covers_region(chosen, all_municipalities) -> bool:
    """Whether the chosen municipalities are the whole region (none chosen, or all of them): then the
    figures are the region's, the same either way."""
    return not chosen or set(chosen) >= set(all_municipalities)


REGION_SIGNAL = "kun et groft signal under regionsniveau"  # what the place count is for less than the region
REGION_NOTE = (
    "Tilbuddene under rammeaftalen betjener hele regionen: borgere fra én kommune bruger tilbud i andre "
    "kommuner. For et udsnit af kommuner tælles de tilbud, der ligger i kommunerne, mod de borgere, "
    f"kommunerne selv har indberettet; manglende eller ledige pladser er derfor {REGION_SIGNAL}."
)


def region_note(chosen, all_municipalities) -> str:
    """REGION_NOTE where the place count is for less than the whole region (covers_region), else ''; said
    wherever the count is shown for the shared filters (Kapacitet, Overblik, Siden sidste møde)."""
    return "" if covers_region(chosen, all_municipalities) else REGION_NOTE


# --- the charts' one-sentence takeaways (issue 16): plain text, from the frame the chart is drawn from ---


def _shortage(df: pd.DataFrame) -> pd.Series:
    """Places missing per year: the sum of the whole-place gaps of the groups short of places; <NA> in a
    year where no group was reported (no gap is known)."""
    known = df[df["reported"]]
    total = known[known["short"].fillna(False)].groupby("year")["gap"].sum()
    counted = known.groupby("year").size()
    return total.reindex(counted.index, fill_value=0).reindex(sorted(df["year"].unique())).astype("Int64")


def _same_reports_throughout(df: pd.DataFrame) -> bool:
    """Whether the same municipalities reported for every target group of `df` in each of its years (the
    query's same_reports, year on year): only then do the first and the last year's totals compare like
    with like."""
    return bool(df.loc[df["year"] > df["year"].min(), "same_reports"].fillna(False).all())


def _left_out(rows: pd.DataFrame) -> str:
    """' (uden V3, ikke indberettet)' for the target groups in `rows` without a report ('' for none)."""
    ids = list(rows.loc[~rows["reported"], "target_group_id"])
    return f" (uden {join_da(ids)}, {NOT_REPORTED})" if ids else ""


def _weighted_occupancy(df: pd.DataFrame) -> pd.Series:
    """Occupancy per year, weighted with places (as the charts draw it)."""
    d = df.dropna(subset=["occupancy_pct", "places"])
    d = d[d["places"] > 0]
    return (d["occupancy_pct"] * d["places"]).groupby(d["year"]).sum() / d.groupby("year")["places"].sum()


@viewcache.cached
def gap_takeaway(df: pd.DataFrame) -> str:
    """The latest year: how many target groups are short of places and where the gap is largest; the
    groups without a report are named, their gap unknown."""
    ys = years(df)
    if not ys:
        return ""
    latest = df[df["year"] == ys[-1]]
    known = latest[latest["reported"]]
    if known.empty:
        return f"Pladstallet for {ys[-1]} kan ikke opgøres: {NOT_REPORTED}."
    of = f"{len(known)} målgrupper" + (" med indberetning" if len(known) < len(latest) else "")
    short = known[known["short"].fillna(False)]
    lower = bool(partial_reports(latest))  # partial reports: the places missing are a lower bound
    if short.empty:
        text = f"Ingen af de {of} mangler pladser i {ys[-1]}{AS_REPORTED if lower else ''}."
    else:
        top = short.sort_values(["gap", "target_group_id"], ascending=[False, True]).iloc[0]
        places = _short_places(known)
        text = (
            f"{len(short)} af {of} mangler pladser i {ys[-1]}, i alt {at_least(lower, places)}"
            f"{fmt.count(places, 'plads', 'pladser')}; flest i {top['short_name']} "
            f"({fmt.number(int(top['gap']))})."
        )
    missing = list(latest.loc[~latest["reported"], "target_group_id"])
    if missing:
        text += f" For {join_da(missing)} kan pladstallet ikke opgøres ({NOT_REPORTED})."
    return text


@viewcache.cached
def gap_trend_takeaway(df: pd.DataFrame) -> str:
    """Over time: the places missing in the first and the last year, compared only when the same
    municipalities reported in every year. For one target group its own gap, in the charts' words
    ('Pladser i B3: 148 ledige i 2027 mod 158 ledige i 2026'): a group with free places has no shortage
    to add up, and its free places are the news."""
    ys = years(df)
    one = df["target_group_id"].nunique() == 1
    if not ys or (len(ys) < 2 and not one):
        return gap_takeaway(df)
    if one:
        return _one_group_trend(df, ys)
    s = _shortage(df)
    if pd.isna(s.iloc[-1]):
        return gap_takeaway(df)
    since = ""
    if _same_reports_throughout(df) and not pd.isna(s.iloc[0]):
        since = f" mod {fmt.number(int(s.iloc[0]))} i {ys[0]}"
    else:
        since = f"; kan ikke sammenlignes med {ys[0]}: ikke de samme indberetninger"
    latest = df[df["year"] == ys[-1]]
    left_out = _left_out(latest)
    total = int(s.iloc[-1])
    places = f"{at_least(bool(partial_reports(latest)), total)}{fmt.count(total, 'plads', 'pladser')}"
    return f"Målgrupperne mangler i alt {places} i {ys[-1]}{left_out}{since}."


def _one_group_trend(df: pd.DataFrame, ys: list[int]) -> str:
    """gap_trend_takeaway for the rows of one target group: its gap in the last year against the first."""
    rows = df.set_index("year")
    last, first = rows.loc[ys[-1]], rows.loc[ys[0]]
    if not last["reported"]:
        return gap_takeaway(df)
    text = f"Pladser i {df['target_group_id'].iloc[0]}: {gap_text(last['gap'], last['short'])} i {ys[-1]}"
    if len(ys) > 1:
        if _same_reports_throughout(df) and first["reported"]:
            text += f" mod {gap_text(first['gap'], first['short'])} i {ys[0]}"
        else:
            text += f"; kan ikke sammenlignes med {ys[0]}: ikke de samme indberetninger"
    return text + "."


@viewcache.cached
def signals_takeaway(df: pd.DataFrame) -> str:
    """Waiting, private and single arrangements: the latest year's totals (of the groups with a report),
    against the first year when the same municipalities reported in every year."""
    ys = years(df)
    if not ys:
        return ""
    latest = df[df["year"] == ys[-1]]
    if not latest["reported"].any():
        return (
            f"For {ys[-1]} er der ingen indberetning af ventende borgere, borgere i private tilbud eller "
            "enkeltmandsforanstaltninger."
        )
    t = df.groupby("year")[["waiting", "placed_private", "single_arrangements"]].sum()
    last = t.loc[ys[-1]]
    text = (
        f"I {ys[-1]} venter {fmt.number(last['waiting'])} borgere, {fmt.number(last['placed_private'])} er i "
        f"private tilbud og {fmt.number(last['single_arrangements'])} i enkeltmandsforanstaltninger" + _left_out(latest)
    )
    if len(ys) > 1:
        if _same_reports_throughout(df):
            text += f" (i {ys[0]}: {fmt.number(t.loc[ys[0], 'waiting'])} ventende)"
        else:
            text += f"; kan ikke sammenlignes med {ys[0]}: ikke de samme indberetninger"
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
