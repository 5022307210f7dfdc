"""The Overblik page: four blocks (Udgifter, Kapacitet, Centrale udmeldinger, Handlingsplan), each with its
headline numbers, one small chart and a link to its detail page, and the one-sentence key message.

Everything here composes the detail pages' own logic and queries; nothing restates a rule:

- Udgifter: overblik.udgifter.overview() (fixed prices, change from the year before, the rate headline
  rates.RateVerdict against the agreement period's rule) and, for the split of the trend by area, the same udgifter functions on
  the same (cached) query.
- Kapacitet: overblik.kapacitet.gap_by_target_group() / summary() / headline_metrics()
  (queries/kapacitet_gap_by_target_group.sql, the capacity_gap and capacity_short macros), with the gap
  words and colours of overblik.kapacitet_figures.
- Centrale udmeldinger: overblik.udmeldinger.summary() / next_event() / open_table()
  (queries/udmeldinger_*.sql). Real data, national: the shared filters do not apply.
- Handlingsplan: overblik.handlingsplan.initiatives() / totals() / meeting_choices() / default_meeting_index()
  (the last meeting before today, either body, unless the user picks another: the 'siden' choice shared
  with the Handlingsplan page) / changed_since() (queries/handlingsplan_*.sql). One plan for the whole region: no filter applies.

The functions return plain data (numbers, labels, frames) so tests can check them; the figure builders
return (figure, table with Danish column names) for ui.chart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from overblik import charts, definitions, fmt, handlingsplan, kapacitet, prices, rates, udmeldinger, viewcache
from overblik import kapacitet_figures as kap_figs
from overblik import udgifter as u

# The tables each block rests on (their provenance decides the caption and the illustrative marker).
SPENDING_TABLES = ("spending", "account_functions", "price_index", "offers", "offer_years", "agreements")
CAPACITY_TABLES = ("offers", "offer_years", "demand", "target_groups")
NOTICE_TABLES = ("central_notices",)
PLAN_TABLES = ("initiatives", "initiative_updates", "meetings")

CHART_HEIGHT = 160  # with the takeaway under each chart, the blocks still fit a 1920x1080 projector
CHART_CONFIG = {**charts.CONFIG, "displayModeBar": False}  # small charts: numbers via 'Vis tal' instead
NO_CAPACITY = (  # the capacity block without the municipalities' reports in the period (they begin in 2026)
    "Ingen kapacitetstal i perioden: kommunernes indberetning pr. målgruppe findes fra 2026. Vælg en periode, "
    "der omfatter 2026."
)
CHANGES_SHOWN = 2  # status changes listed in the block (two fit a projector at 1920x1080 with the block's chart and link); the rest: Handlingsplan
# Udgifter's own choices for the block's link, so it opens on the figure the block shows: fixed prices, in
# total (Udgifter opens in current prices; its URL keys priser and visning, pages/udgifter.py)
SPENDING_LINK = {"priser": u.PRICES[1], "visning": u.VIEWS[0]}
AREA_DASH = {"Børn og unge": "solid", "Specialundervisning": "dot", "Voksne": "dash"}
AREA_SYMBOL = {"Børn og unge": "circle", "Specialundervisning": "square", "Voksne": "diamond"}


# =============================================================================================
# 1. Udgifter


@dataclass(frozen=True)
class Spending:
    year: int | None  # latest year of the period with accounts and a price index (udgifter.headline_year)
    value_mio_kr: float | None  # net operating spending that year, mio. kr., fixed prices
    change_pct: float | None  # from the year before, fixed prices
    price_year: int | None  # fixed prices are in this year's prices
    trend: pd.DataFrame  # year, area, value (mio. kr., fixed prices), every accounts year of the period
    rate: rates.RateVerdict | None  # overblik.udgifter.rate_verdict(...) for the offers the filters choose
    places: dict | None = None  # overblik.udgifter.places_total(...): {year, places, offers}, whole region
    unindexed: str = ""  # which accounts years fixed prices leave out for want of a price index (prices.note)
    skipped: tuple[int, ...] = ()  # the later accounts years the headline skips: no price index (prices.skipped_remark)

    @property
    def rate_within(self) -> bool | None:
        return None if self.rate is None else self.rate.within


@viewcache.cached
def spending(params: dict, whole_region: bool) -> Spending:
    """The Udgifter block for the shared filters (params = Filters.params())."""
    o = u.overview(params, whole_region)
    return Spending(
        year=o["year"],
        value_mio_kr=_num(o["value_mio_kr"]),
        change_pct=_num(o["change_pct"]),
        price_year=o["price_year"],
        trend=o["trend_by_area"],
        rate=o["rate"],
        places=o.get("places"),
        unindexed=o.get("unindexed", ""),
        skipped=tuple(o.get("skipped", ())),
    )


def spending_caption(s: Spending, whole_region: bool, scope_label: str, area: str = "alle") -> str:
    """The line under the Udgifter block's numbers: the price basis (Udgifter opens in current prices),
    whose rates, and the places under the agreement against the agreement texts' 'ca. 10.000 pladser'."""
    text = (
        f"Udgifter i faste {s.price_year}-priser (på siden Udgifter vælges løbende eller faste priser). "
        "Takster: tilbud under rammeaftalen, "
        + ("alle driftsherrer." if whole_region else f"som {scope_label} driver.")
    )
    if s.places:
        text += (
            f" Pladser under rammeaftalen {s.places['year']}: {fmt.number(s.places['places'])} i hele regionen"
            + ("" if area == "alle" else ", alle områder")
            + f" (aftaleteksterne: ca. {fmt.number(u.AGREEMENT_PLACES)})."
        )
    if s.unindexed:
        text += " " + s.unindexed
    return text


def _num(v) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


def spending_delta(s: Spending) -> tuple[str | None, str]:
    """(delta text, arrow) for the spending metric: '+0,2 % fra 2024' with 'up'/'down'/'off'."""
    if s.change_pct is None or s.year is None:
        return None, "off"
    if round(s.change_pct, 1) == 0:
        return f"uændret fra {s.year - 1}", "off"
    return f"{fmt.pct(s.change_pct, signed=True)} fra {s.year - 1}", "up" if s.change_pct > 0 else "down"


def spending_sentence(s: Spending, area_label: str = "Alle") -> str | None:
    """'Udgifterne steg 0,2 % i 2025 (faste priser)'; for an earlier year when the latest lacks a price index
    '... i 2024 (faste priser; prisindeks mangler for 2025)'."""
    if s.year is None or s.change_pct is None:
        return None
    who = "Udgifterne" if area_label == "Alle" else f"Udgifterne til {area_label.lower()}"
    basis = "; ".join(filter(None, ["faste priser", prices.skipped_remark(list(s.skipped))]))
    if round(s.change_pct, 1) == 0:
        return f"{who} var uændrede i {s.year} ({basis})"
    verb = "steg" if s.change_pct > 0 else "faldt"
    return f"{who} {verb} {fmt.pct(abs(s.change_pct))} i {s.year} ({basis})"


@viewcache.cached
def spending_takeaway(s: Spending) -> str:
    """The small chart's one-sentence takeaway (short: a narrow block; the prices are in its title): the
    total's change over the period."""
    totals = s.trend.groupby("year")["value"].sum().sort_index()
    if totals.empty:
        return ""
    y0, y1 = int(totals.index[0]), int(totals.index[-1])
    return fmt.change_sentence("Udgifterne", y0, y1, totals.iloc[0], totals.iloc[-1]) or (
        f"Udgifterne var {fmt.number(totals.iloc[-1], 1)} mio. kr. i {y1}."
    )


@viewcache.cached
def spending_figure(s: Spending) -> tuple[go.Figure, pd.DataFrame]:
    """Small line chart: mio. kr. per year and area (fixed prices); lines differ in dash and marker too."""
    fig = charts.figure(height=CHART_HEIGHT)
    t = s.trend
    for area in u.AREA_ORDER:
        d = t[t["area"] == area]
        if d.empty:
            continue
        fig.add_scatter(
            x=d["year"],
            y=d["value"],
            name=area,
            mode="lines+markers",
            line=dict(color=charts.AREA_COLOURS[area], width=2, dash=AREA_DASH[area]),
            marker=dict(size=5, symbol=AREA_SYMBOL[area]),
            hovertemplate=f"{area} %{{x}}: %{{y:,.1f}} mio. kr.<extra></extra>",
        )
    years = sorted(int(y) for y in t["year"].unique())
    # three year ticks at most (first, middle, last): the chart is ~130 px wide at 1024 px with the sidebar open,
    # and narrow on a 1920 px projector (four blocks in a row), where 2017 2019 ... 2025 ran together
    ticks = sorted({years[0], years[len(years) // 2], years[-1]}) if len(years) > 3 else years
    fig.update_xaxes(
        tickmode="array",
        tickvals=ticks,
        tickangle=0,
        range=[years[0] - 0.4, years[-1] + 0.4] if years else None,
    )
    # Each line is named at its end (a legend would take half of a small chart); labels that would
    # overlap are pushed apart.
    last = t[t["year"] == years[-1]].set_index("area")["value"] if years else pd.Series(dtype=float)
    top = float(t["value"].max()) * 1.08 if len(t) else 1.0
    ends = sorted((float(v), a) for a, v in last.items() if a in AREA_DASH)
    gap = top * 14 / (CHART_HEIGHT - 40)  # ~14 px in data units
    placed: list[float] = []
    for v, _area in ends:
        placed.append(max(v, placed[-1] + gap) if placed else v)
    for (_, area), y in zip(ends, placed):
        fig.add_annotation(
            x=years[-1],
            y=y,
            xanchor="left",
            xshift=6,
            showarrow=False,
            text=area,
            font=dict(size=11, color=charts.AREA_COLOURS[area]),
        )
    fig.update_yaxes(range=[0, max(top, placed[-1] * 1.04 if placed else top)])
    fig.update_layout(showlegend=False, margin=dict(l=4, r=112, t=10, b=4))
    charts.style(fig, y_format=charts.FMT_INT, y_suffix="", x_format="d")
    wide = t.pivot_table(index="year", columns="area", values="value", aggfunc="sum").reset_index()
    table = pd.DataFrame({"År": wide["year"].astype(int)})
    for area in u.AREA_ORDER:
        if area in wide:
            table[f"{area}, mio. kr."] = wide[area].round(1).to_numpy()
    table["I alt, mio. kr."] = wide[[a for a in u.AREA_ORDER if a in wide]].sum(axis=1).round(1).to_numpy()
    return fig, table


# =============================================================================================
# 2. Kapacitet


@dataclass(frozen=True)
class Capacity:
    summary: kapacitet.Summary
    latest: pd.DataFrame  # the latest year's rows of gap_by_target_group, by target group
    short_metric: kapacitet.Metric | None  # 'Målgrupper, der mangler egnede tilbud': 'x af n' (municipalities' reports)
    places_metric: kapacitet.Metric | None  # 'Manglende pladser': the sum of the whole-place shortages

    @property
    def year(self) -> int | None:
        return self.summary.year

    @property
    def short_text(self) -> str:
        """'4 af 6': target groups short of places, of those with a report (whose gap is known)."""
        return f"{len(self.summary.short)} af {self.summary.reported}"


@viewcache.cached
def capacity_block(params: dict) -> Capacity:
    """The Kapacitet block: every year of the period (so the latest year has a change from the year
    before), shown for the latest year with both offer and demand data."""
    df = kapacitet.gap_by_target_group(
        year_from=params["year_from"],
        year_to=params["year_to"],
        municipalities=params["municipalities"],
        area=params["area"],
    )
    s = kapacitet.summary(df)
    latest = df[df["year"] == s.year].sort_values("target_group_id").reset_index(drop=True)
    metrics = kapacitet.headline_metrics(s) if s.year is not None else [None, None]
    return Capacity(summary=s, latest=latest, short_metric=metrics[0], places_metric=metrics[1])


def reporters(chosen: tuple[str, ...] = (), region: bool = True) -> str:
    """Who reports the capacity figures, as the key message names them: 'kommunerne' (the whole region),
    'Viborg', 'Viborg og Skive', 'Viborg, Skive og Aarhus', 'de 5 valgte kommuner' (more than three)."""
    if region or not chosen:
        return "kommunerne"
    return kapacitet.join_da(chosen) if len(chosen) <= 3 else f"de {len(chosen)} valgte kommuner"


def capacity_sentence(c: Capacity, chosen: tuple[str, ...] = (), region: bool = True) -> str | None:
    """'kommunerne oplever mangel på egnede tilbud til 6 af 6 målgrupper, og 4 mangler pladser (2026)':
    what the municipalities report first, the place count beside it. Target groups without a report are
    counted neither way: 'til 2 af de 5 målgrupper med indberetning, ... (2027; V3 ikke indberettet)'.
    `chosen`: the chosen municipalities' names, who is said to report ('Viborg oplever ...'); `region`:
    whether they are the whole region (kapacitet.covers_region), else the place count is a rough signal."""
    s = c.summary
    if s.year is None:
        return None
    who = reporters(chosen, region)
    if not s.reported:
        return f"{who} har ikke indberettet for {kapacitet.none_of(s.groups)} ({s.year})"
    counted = f"{s.reported} målgrupper" + (" med indberetning" if s.not_reported else "")
    some = "de " if s.not_reported else ""  # '2 af de 5 målgrupper med indberetning', '6 af 6 målgrupper'
    lacking = (
        f"{who} oplever mangel på egnede tilbud til {len(s.lacks_suitable)} af {some}{counted}"
        if s.lacks_suitable
        else f"{who} oplever ikke mangel på egnede tilbud til nogen af de {counted}"
    )
    places = f"{len(s.short)} mangler pladser" if s.short else f"ingen mangler pladser{s.as_reported}"
    notes = [
        kapacitet.not_reported_note(s) or "",
        s.reports_note,
        "" if region else f"pladstallet er {kapacitet.REGION_SIGNAL}",
    ]
    return f"{lacking}, og {places} ({'; '.join([str(s.year), *filter(None, notes)])})"


@viewcache.cached
def capacity_takeaway(c: Capacity) -> str:
    """The small chart's takeaway (short; the year is in its title): how many target groups are short of
    places, and where most are missing."""
    df = c.latest
    if c.year is None or df.empty:
        return ""
    known = df[df["reported"]]  # a group without a report has no known gap
    if known.empty:
        return "Ikke indberettet: pladstallet kan ikke opgøres."
    short = known[known["short"].fillna(False)]
    if short.empty:
        return f"Ingen af de {len(known)} målgrupper mangler pladser{c.summary.as_reported}."
    top = short.sort_values(["gap", "target_group_id"], ascending=[False, True]).iloc[0]
    return f"{len(short)} af {len(known)} målgrupper mangler pladser, flest {top['target_group_id']} ({fmt.number(int(top['gap']))})."


@viewcache.cached
def capacity_figure(c: Capacity) -> tuple[go.Figure, pd.DataFrame]:
    """Compact horizontal bars: the gap per target group (shortage right, free places left, colour and
    pattern), with the gap in words and the occupancy written next to each bar."""
    df = c.latest
    labels = [_target_label(n) for n in df["short_name"]]
    fig = charts.figure(height=CHART_HEIGHT)
    for short, name, colour, pattern in (
        (True, "Mangel", kap_figs.SHORTAGE_COLOUR, kap_figs.SHORTAGE_PATTERN),
        (False, "Ledige pladser", kap_figs.SURPLUS_COLOUR, kap_figs.SURPLUS_PATTERN),
    ):
        part = df[(df["short"] == short).fillna(False)]  # a group without a report has no bar
        if part.empty:
            continue
        fig.add_bar(
            y=[_target_label(n) for n in part["short_name"]],
            x=part["gap"],
            orientation="h",
            name=name,
            marker=dict(color=colour, pattern=charts.pattern(pattern, size=6)),
            customdata=list(
                zip(
                    [kapacitet.gap_text(g, sh) for g, sh in zip(part["gap"], part["short"])],
                    [fmt.pct(o, 0) for o in part["occupancy_pct"]],
                    part["name"],
                )
            ),
            hovertemplate=("%{customdata[2]}<br>%{customdata[0]} pladser · belægning %{customdata[1]}<extra></extra>"),
        )
    for label, gap, short, occ in zip(labels, df["gap"], df["short"], df["occupancy_pct"]):
        fig.add_annotation(
            x=1.0,
            xref="paper",
            xanchor="left",
            xshift=6,
            y=label,
            yref="y",
            showarrow=False,
            text=f"<b>{kapacitet.gap_text(gap, short)}</b> · {fmt.pct(occ, 0)}",
            align="left",
            font=dict(size=11, color=kap_figs.gap_colour(gap, short)),
        )
    gaps = kap_figs.known_gaps(df)
    kap_figs.anchor_groups(fig, labels, gaps)
    lo, hi = min(gaps), max(gaps)
    pad = max(hi - lo, 1) * 0.05
    fig.update_layout(barmode="overlay", bargap=0.3, showlegend=False, margin=dict(l=4, r=136, t=22, b=4))
    fig.add_annotation(
        x=1.0,
        xref="paper",
        xanchor="left",
        xshift=6,
        y=1.0,
        yref="paper",
        yanchor="bottom",
        showarrow=False,
        text="pladser · belægning",
        font=dict(size=11, color="#555555"),
    )
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(labels)), tickformat="", showgrid=False)
    fig.update_xaxes(
        range=[lo - pad, hi + pad],
        zeroline=True,
        zerolinecolor="#555555",
        zerolinewidth=1.5,
        showgrid=True,
        gridcolor="#E6E6E6",
        nticks=5,
    )
    charts.style(fig, y_format="", x_format=charts.FMT_INT)
    table = pd.DataFrame(
        {
            "Målgruppe": df["short_name"],
            "År": df["year"],
            "Udbudte pladser": df["places"],
            "Belagte pladser (hele)": df["occupied"],
            "Ventende borgere": df["waiting"],
            "Mangel (+) / ledige (−) pladser": df["gap"],
            "Vurdering": kapacitet.verdicts(df),
            "Belægning (%)": df["occupancy_pct"].round(1),
        }
    )
    return fig, table


def _target_label(short_name: str) -> str:
    """'B1 Autisme, udadreagerende' -> '<b>B1</b> Autisme, udadr…' (short enough for a small block)."""
    sid, _, rest = str(short_name).partition(" ")
    return f"<b>{sid}</b> {fmt.shorten(rest, 12)}" if rest else f"<b>{sid}</b>"


# =============================================================================================
# 3. Centrale udmeldinger (real, national data: the shared filters do not apply)


@dataclass(frozen=True)
class Notices:
    n_open: int  # the national board's assessment for Midtjylland is pending
    n_closed: int  # closed with a known outcome
    n_unknown: int  # outcome not found in public sources, counted apart
    n_total: int
    latest: dict | None  # the latest decision: notice_id, target_group, decision_date, status ...
    next_label: str  # 'Næste hændelse' or 'Afventer beslutning siden'
    next_when: str  # the date as shown ('maj 2024')
    next_notice: dict | None  # the notice the next/pending event belongs to
    open: pd.DataFrame  # udmeldinger.open_table(): Udmelding, Målgruppe, Status, Udfald indtil nu, Kilde
    all: pd.DataFrame  # every notice (queries/udmeldinger_list.sql), for the small timeline

    @property
    def open_text(self) -> str:
        """'2 af 8'."""
        return f"{self.n_open} af {self.n_total}"


@viewcache.cached
def notices(day: dt.date) -> Notices:
    s = udmeldinger.summary(day)
    label, when, _ = udmeldinger.next_event(s.next)
    return Notices(
        n_open=s.n_open,
        n_closed=s.n_closed,
        n_unknown=s.n_unknown,
        n_total=s.n_total,
        latest=s.latest,
        next_label=label,
        next_when=when,
        next_notice=s.next,
        open=udmeldinger.open_table(s.open),
        all=udmeldinger.notices("alle"),
    )


def notice_sentence(n: Notices) -> str:
    """'1 af 8 centrale udmeldinger er åben (styrelsens vurdering afventer)'."""
    if n.n_open == 0:
        return "ingen centrale udmeldinger er åbne"
    return f"{n.open_text} centrale udmeldinger {'er åben' if n.n_open == 1 else 'er åbne'} (styrelsens vurdering afventer)"


@viewcache.cached
def notice_takeaway(n: Notices) -> str:
    """The small timeline's takeaway (short): how many notices are open, and since when one waits."""
    if n.n_open == 0:
        return f"Ingen af de {n.n_total} udmeldinger er åbne."
    since = f", afventer siden {n.next_when}" if n.next_when and n.next_label != "Afventer beslutning" else ""
    return f"{n.open_text} {'er åben' if n.n_open == 1 else 'er åbne'}{since}."


@viewcache.cached
def notice_figure(n: Notices, day: dt.date) -> tuple[go.Figure, pd.DataFrame]:
    """Small timeline: one line per notice from issued to decision (closed) or on to today (open,
    dotted, with an open diamond): how long the open ones have waited."""
    df = n.all.copy()
    df["start"] = [pd.Timestamp(fmt.pdate_start(v)) for v in df["issued"]]
    ends = []
    for _, r in df.iterrows():
        if r["state"] == "åben" or fmt._missing(r["decision_date"]):
            ends.append(pd.Timestamp(day))
        else:
            ends.append(pd.Timestamp(fmt.pdate_start(r["decision_date"])))
    df["end"] = ends
    df = df.sort_values(["start", "notice_id"]).reset_index(drop=True)
    fig = charts.figure(height=CHART_HEIGHT)
    styles = {
        "afsluttet": ("Afsluttet", "#8C8C8C", "solid", "diamond"),
        "udfald ukendt": ("Udfald ukendt", "#B0B0B0", "dash", "x-open"),
        "åben": ("Åben", "#CC79A7", "dot", "diamond-open"),
    }
    for state, (name, colour, dash, symbol) in styles.items():
        is_open = state == "åben"
        part = df[df["state"] == state]
        first = True
        for _, r in part.iterrows():
            tip = (
                f"<b>{_escape(r['notice_id'])}</b> {_escape(fmt.shorten(r['target_group'], 60))}<br>"
                f"Udmeldt {fmt.pdate(r['issued'])}"
                + (
                    " · åben"
                    if is_open
                    else f" · afgjort {fmt.pdate(r['decision_date'])}"
                    if state == "afsluttet"
                    else f" · afrapporteret {fmt.pdate(r['report_submitted'])}, udfald ukendt"
                )
            )
            fig.add_scatter(
                x=[r["start"], r["end"]],
                y=[r["notice_id"]] * 2,
                mode="lines+markers",
                name=name,
                legendgroup=name,
                showlegend=first,
                line=dict(color=colour, width=4 if is_open else 3, dash=dash),
                marker=dict(symbol=["circle", symbol], size=[6, 10], color=colour, line=dict(width=2, color=colour)),
                cliponaxis=False,  # a marker on the axis' end is drawn whole
                hovertemplate=tip + "<extra></extra>",
            )
            first = False
    # labelled as on the detail pages, but inside the plot: the legend takes the band above it (the top rows are
    # the oldest notices, closed long before today, so the label's corner is free)
    charts.today_line(fig, day, inside=True)
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=list(df["notice_id"]),
        autorange="reversed",
        tickformat="",
        tickmode="array",  # every row named (plotly's automatic ticks named every other one)
        tickvals=list(df["notice_id"]),
        tickfont=dict(size=11),
        showgrid=False,
    )
    first_year = int(df["start"].min().year) if len(df) else day.year
    # room right of today: an open notice's end marker (10 px) sits on today's line, and was cut in half at
    # the plot's edge when the axis ended with the year (a month after 29 Nov is 2 px in a narrow block)
    start, today = pd.Timestamp(f"{first_year}-01-01"), pd.Timestamp(day)
    end = today + max((today - start) * 0.06, pd.Timedelta(days=120))
    fig.update_xaxes(
        type="date",
        tickformat="%Y",
        dtick="M24" if day.year + 1 - first_year <= 8 else "M48",  # at most five years, apart in a narrow block
        range=[start.isoformat(), end.isoformat()],
        showgrid=True,
        gridcolor="#EFEFEF",
    )
    # the legend in one row (short names, narrow symbols, ~275 px), so the eight rows have room for their names: a
    # second legend row takes the top margin from the plot (the figure's height is fixed) and the names run together.
    # x just left of 0: plotly then lets a legend above the plot wrap at the figure's width less its right margin,
    # not at the plot's (~60 px narrower: the names' column), so it stays one row in a chart of ~290 px or more
    # (a 360 px phone has 328 px; pages/overblik.py keeps the small charts at least ~340 px wide on wider screens)
    fig.update_layout(
        margin=dict(l=4, r=8, t=24, b=4),
        legend=dict(
            font=dict(size=12), orientation="h", x=-0.001, xanchor="left", y=1.0, yanchor="bottom", itemwidth=30
        ),
    )
    table = pd.DataFrame(
        {
            "Udmelding": df["notice_id"],
            "Målgruppe": df["target_group"],
            "Udmeldt": [fmt.pdate(v) for v in df["issued"]],
            "Seneste beslutning/hændelse": [fmt.pdate(v) for v in df["decision_date"]],
            "Stade": [udmeldinger.STATE_LABELS[v] for v in df["state"]],
        }
    )
    return fig, table


def _escape(text) -> str:
    """Data text inside a plotly hover label (which reads a little HTML)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# =============================================================================================
# 4. Handlingsplan (one plan for the whole region: no filter applies)


@dataclass(frozen=True)
class Plan:
    totals: dict  # status -> count, 'overdue', 'total' (handlingsplan.totals)
    since: dict | None  # the meeting compared with: meeting_date, body, title
    changes: pd.DataFrame  # the status changes since that meeting: initiative_id, title, status_then, status_now,
    # status_late (handlingsplan.changed_since: only registered late, 'Kun sent registreret' on Handlingsplan)
    picked: bool = False  # the user picked the meeting (else: the last meeting before today)

    @property
    def n_changed(self) -> int:
        return len(self.changes)

    @property
    def n_late(self) -> int:
        return int(self.changes["status_late"].sum())

    @property
    def since_label(self) -> str:
        return handlingsplan.meeting_label(self.since) if self.since is not None else fmt.MISSING


@viewcache.cached
def plan(day: dt.date, since_label: str | None = None) -> Plan:
    """Status counts today and the status changes since a meeting: the one the user picked
    (`since_label`, a handlingsplan.meeting_label, the Handlingsplan page's 'siden' choice), else the
    last meeting held before today of either body (handlingsplan.default_meeting_index)."""
    t = handlingsplan.totals(handlingsplan.initiatives(day))
    mtgs = handlingsplan.meeting_choices(day)
    if not mtgs:
        return Plan(
            totals=t,
            since=None,
            changes=pd.DataFrame(columns=["initiative_id", "title", "status_then", "status_now", "status_late"]),
        )
    labels = list(mtgs)
    since = mtgs.get(since_label) if since_label else None
    default = mtgs[labels[handlingsplan.default_meeting_index(mtgs, day)]]
    picked = since is not None and since is not default
    since = since if since is not None else default
    changed = handlingsplan.changed_since(since["meeting_date"], day)
    changes = changed[changed["status_changed"]][["initiative_id", "title", "status_then", "status_now", "status_late"]]
    return Plan(totals=t, since=since, changes=changes.reset_index(drop=True), picked=picked)


def change_lines(p: Plan, limit: int = CHANGES_SHOWN) -> list[str]:
    """'P1-02 Takstgennemsigtighed: ✓ På sporet → ! Risiko' (plain text: titles are written by people)."""
    return [
        f"{r.initiative_id} {fmt.shorten(r.title, 24)}: {charts.status_label(r.status_then)} → "
        f"{charts.status_label(r.status_now)}"
        for r in p.changes.head(limit).itertuples(index=False)
    ]


def plan_sentence(p: Plan) -> str | None:
    """'11 initiativer har skiftet status siden sidste møde, 12. nov. 2026 (DASSOS), heraf 4 kun sent registreret'
    (the changes that come only from updates dated for the meeting and registered after it: Handlingsplan's
    column handlingsplan.STATUS_LATE says which)."""
    if p.since is None:
        return None
    n = p.n_changed
    who = fmt.count(n, "initiativ", "initiativer") if n else "ingen initiativer"
    which = "det valgte møde" if p.picked else "sidste møde"
    late = f", heraf {fmt.number(p.n_late)} {handlingsplan.STATUS_LATE.lower()}" if p.n_late else ""
    return f"{who} har skiftet status siden {which}, {handlingsplan.meeting_label(p.since)}{late}"


@viewcache.cached
def plan_takeaway(p: Plan) -> str:
    """The small bar's takeaway (short): on track, and at risk or delayed."""
    t = p.totals
    if not t["total"]:
        return "Der er ingen initiativer i handlingsplanen."
    trouble = t["risiko"] + t["forsinket"]
    return f"{t['på sporet']} af {t['total']} er på sporet, {trouble} i risiko eller forsinket."


@viewcache.cached
def plan_figure(p: Plan) -> tuple[go.Figure, pd.DataFrame]:
    """ONE stacked horizontal bar: the initiatives by status (symbol in the legend, pattern on the bar,
    the count written on each segment)."""
    fig = charts.figure(height=CHART_HEIGHT)
    for s in charts.STATUS_ORDER:
        n = p.totals[s]
        if not n:
            continue
        fig.add_bar(
            y=["Initiativer"],
            x=[n],
            orientation="h",
            name=charts.status_label(s),
            marker=dict(
                color=charts.status_colour(s),
                line=dict(color="#FFFFFF", width=1),
                pattern=charts.status_bar_pattern(s, size=8, fgopacity=0.5),
            ),
            text=[str(n)],
            textposition="inside",
            insidetextanchor="middle",
            constraintext="none",
            textfont=charts.text_on_font(charts.status_colour(s), size=15, weight="bold"),
            hovertemplate=f"{charts.status_label(s)}: {n}<extra></extra>",
        )
    fig.update_layout(
        barmode="stack",
        bargap=0.15,
        margin=dict(l=4, r=4, t=4, b=4),
        legend=dict(orientation="h", y=-0.05, yanchor="top", x=0, traceorder="normal", font=dict(size=12)),
    )
    fig.update_yaxes(visible=False)
    fig.update_xaxes(visible=False, range=[0, max(p.totals["total"], 1)])
    table = pd.DataFrame(
        {
            "Status": [charts.status_label(s) for s in charts.STATUS_ORDER],
            "Initiativer": [p.totals[s] for s in charts.STATUS_ORDER],
        }
    )
    return fig, table


# =============================================================================================
# The headline numbers


@dataclass(frozen=True)
class Headline:
    """One headline number as st.metric shows it."""

    label: str
    value: str
    delta: str | None = None
    delta_color: str = "off"  # status is never colour alone: deltas carry ✓/✕ or words
    delta_arrow: str = "off"
    help: str = ""
    year: int | None = None  # the data year the number is for (None: not tied to one), for comparing it


def _help(*keys: str) -> str:
    return " ".join(definitions.help_text(k) for k in keys)


def _from_capacity(m: kapacitet.Metric | None, label: str, help_key: str, year: int | None) -> Headline:
    if m is None:
        return Headline(label, fmt.MISSING, help=_help(help_key), year=year)
    return Headline(label, m.value, m.delta, m.delta_color, m.delta_arrow, _help(help_key), year)


def headlines(s: Spending, c: Capacity, n: Notices, p: Plan) -> dict[str, tuple[Headline, Headline]]:
    """Per block (Udgifter, Kapacitet, Centrale udmeldinger, Handlingsplan): its two headline numbers,
    the main one first."""
    if s.year is None:
        spend = Headline("Nettodriftsudgifter", fmt.MISSING, help=_help("net_spending"))
    else:
        delta, arrow = spending_delta(s)
        why = prices.skipped_help(s.year, list(s.skipped))
        spend = Headline(
            f"Nettodriftsudgifter {s.year}",
            f"{fmt.number(s.value_mio_kr, 1)} mio. kr.",
            " · ".join(filter(None, [delta, prices.skipped_remark(list(s.skipped))])) or None,
            "off",
            arrow,
            _help("net_spending", "fixed_prices", "spending_change")
            + f" Her: faste {s.price_year}-priser."
            + (f" {why}" if why else ""),
            s.year,
        )
    r = s.rate
    rate = Headline(  # the same verdict and wording as on Udgifter (rates.RateVerdict.delta)
        r.label if r else rates.RATE_NAME,
        r.value if r else fmt.MISSING,
        r.delta if r else rates.NO_RATE_CHANGE,
        r.colour if r else "gray",
        "off",
        u.rate_help(r) if r else _help("rate_change") + " " + u.rate_rule_help(),
        r.year if r else None,
    )
    short = _from_capacity(c.short_metric, "Målgrupper, der mangler egnede tilbud", "lacks_suitable", c.year)
    places = _from_capacity(
        c.places_metric, c.places_metric.label if c.places_metric else "Manglende pladser", "shortage_total", c.year
    )
    m = c.places_metric
    if m is not None and m.change is None and c.summary.reported:  # no year before: how many groups instead
        places = Headline(
            places.label,
            places.value,
            " · ".join(filter(None, [m.note, f"i {c.short_text} målgrupper"])),
            help=_help("shortage_total", "capacity_gap"),
            year=c.year,
        )
    open_ = Headline(
        "Åbne centrale udmeldinger",
        n.open_text,
        f"{fmt.count(n.n_closed, 'afsluttet', 'afsluttede')} · {fmt.number(n.n_unknown)} udfald ukendt",
        help=_help("notice_open", "notice_unknown"),
    )
    nxt = Headline(
        n.next_label,
        n.next_when,
        n.next_notice["notice_id"] if n.next_notice else None,
        help=_help("notice_next_event"),
    )
    t = p.totals
    changed = Headline(
        "Ændret siden valgt møde" if p.picked else "Ændret siden sidste møde",
        fmt.number(p.n_changed) if p.since is not None else fmt.MISSING,
        f"siden {p.since_label}" if p.since is not None else None,
        help=_help("changed_since_last_meeting"),
    )
    risk = Headline(
        "Risiko eller forsinket",
        f"{t['risiko'] + t['forsinket']} af {t['total']}",
        f"{t['overdue']} med overskredet frist",
        help=_help("initiative_status", "initiative_overdue"),
    )
    return {
        "Udgifter": (spend, rate),
        "Kapacitet": (short, places),
        "Centrale udmeldinger": (open_, nxt),
        "Handlingsplan": (changed, risk),
    }


# =============================================================================================
# The key message


def key_message(
    s: Spending,
    c: Capacity,
    n: Notices,
    p: Plan,
    area_label: str = "Alle",
    chosen: tuple[str, ...] = (),
    region: bool = True,
) -> str:
    """One sentence a mayor reads first: 'Udgifterne steg 0,2 % i 2025 (faste priser); kommunerne oplever
    mangel på egnede tilbud til 6 af 6 målgrupper, og 4 mangler pladser (2026); 2 af 8 centrale udmeldinger
    er åbne; 7 initiativer har skiftet status siden sidste møde (6. okt. 2026).' Plain text (no data text is
    quoted). `chosen`, `region`: the chosen municipalities (names) and whether they are the whole region
    (capacity_sentence)."""
    parts = [
        x
        for x in (
            spending_sentence(s, area_label),
            capacity_sentence(c, chosen, region),
            notice_sentence(n),
            plan_sentence(p),
        )
        if x
    ]
    if not parts:
        return ""
    text = "; ".join(parts) + "."
    return text[:1].upper() + text[1:]
