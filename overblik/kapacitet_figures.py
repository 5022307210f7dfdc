"""Figures and display tables for the Kapacitet page (and the gap words and colours the Overblik page's
Kapacitet block reuses): plotly in the house style (overblik.charts), tables with Danish column names.
Every builder takes a frame from overblik.kapacitet and reads its rule columns (`short`,
`below_budget`, `over_occupied`); none decides a rule itself.
"""

from __future__ import annotations

import math
import textwrap
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import pyphen
from plotly.subplots import make_subplots  # the offer history's three stacked panels

from overblik import charts, definitions, fmt, viewcache
from overblik import kapacitet as kap
from overblik.ui import Col

# Ordered sequential scale, light to dark (ColorBrewer OrRd), readable for colour-vision deficiencies
# because the lightness alone orders it; the number and word in every cell carry the meaning.
DIFFICULTY_COLOURS = ["#FEF0D9", "#FDCC8A", "#FC8D59", "#B30000"]

SHORTAGE_COLOUR, SHORTAGE_PATTERN = "#D55E00", "/"
SURPLUS_COLOUR, SURPLUS_PATTERN = "#0072B2", ""

SIGNALS = [  # column, Danish label, colour
    ("waiting", "Ventende borgere", charts.PALETTE[5]),
    ("placed_private", "Borgere i private tilbud", charts.PALETTE[0]),
    ("single_arrangements", "Enkeltmandsforanstaltninger", charts.PALETTE[2]),
]


# ---------------------------------------------------------------------------------------------
# Labels


NOT_REPORTED_COLOUR = "#555555"  # the words 'ikke indberettet' where a gap would stand (4.5:1 on white)


def _gap_texts(df: pd.DataFrame) -> list[str]:
    """gap_text for every row of a gap_by_target_group frame."""
    return [kap.gap_text(g, s) for g, s in zip(df["gap"], df["short"])]


def gap_colour(gap, short) -> str:
    """The colour of a gap's words: shortage, free places, or grey without a report."""
    if fmt._missing(gap):
        return NOT_REPORTED_COLOUR
    return SHORTAGE_COLOUR if short else SURPLUS_COLOUR


def known_gaps(*frames: pd.DataFrame) -> list[float]:
    """Every gap that is known in the frames, with 0 (the x range of a gap chart)."""
    return [0.0, *(float(g) for f in frames for g in f["gap"].dropna())]


def anchor_groups(fig: go.Figure, labels: list[str], gaps: list[float]) -> None:
    """An invisible point at 0 for every target group of a horizontal gap chart, so each group has its row
    (and its words beside it) even when none has a bar: no group reported. `gaps`: known_gaps of the chart;
    with none but 0 the x axis has no numbers (a scale of '0 0 0' measures nothing)."""
    fig.add_scatter(
        y=labels, x=[0] * len(labels), mode="markers", marker=dict(opacity=0), showlegend=False, hoverinfo="skip"
    )
    if len(gaps) == 1:
        fig.update_xaxes(showticklabels=False)


def not_reported_trace(
    rows: pd.DataFrame, who: str = "", position: str = "top center", at: str | None = None, what: str = ""
) -> dict | None:
    """The words 'ikke indberettet' just above 0 (or above the column `at`) in the years of `rows` without a
    report (the gap unknown), so a chart shows the year as not reported instead of leaving it out or drawing
    0; None when every year has one. `position`: 'top left' on a line chart, whose last year is its right
    edge; `what` names what is missing ('ventende:')."""
    missing = rows[~rows["reported"]]
    if missing.empty:
        return None
    return dict(
        type="scatter",
        x=list(missing["year"]),
        y=list(missing[at]) if at else [0] * len(missing),
        mode="text",
        text=[f"{what}<br>ikke indberettet" if what else "ikke<br>indberettet"] * len(missing),
        textposition=position,
        cliponaxis=False,
        textfont=dict(size=11, color=NOT_REPORTED_COLOUR),
        showlegend=False,
        hovertemplate=f"{who}%{{x}}: {kap.NOT_REPORTED}<extra></extra>".lstrip(),
    )


def _reports_columns(df: pd.DataFrame) -> dict[str, list[str]]:
    """What the municipalities reported, per row: how many reported ('18 af 19', '0 af 19') and
    how many of those find it significantly or very difficult to find an offer ('5 af 18', or '–')."""
    return {
        "reported": [kap.coverage(r, m) for r, m in zip(df["reports"], df["municipalities"])],
        "hard": [fmt.MISSING if not r else f"{int(h)} af {int(r)}" for h, r in zip(df["hard_reports"], df["reports"])],
    }


def group_label(short_name: str) -> str:
    """'B1 Autisme, udadreagerende' -> '<b>B1</b> Autisme, udadreagerende' (plotly label, id in bold)."""
    sid, _, rest = short_name.partition(" ")
    return f"<b>{sid}</b> {rest}" if rest else f"<b>{sid}</b>"


_DANISH = pyphen.Pyphen(lang="da_DK")


def _wrapped(short_name: str, width: int = 12) -> str:
    """'B2 Psykiatri, selvskade/misbrug' -> '<b>B2</b><br>Psykiatri,<br>selvskade/<br>misbrug': lines of at most
    `width` characters, for the heat map's columns, about 80 px wide on a 720 px tablet. A line breaks after a
    '/', and a word longer than a line is hyphenated the Danish way ('udviklings-<br>hæmning')."""
    sid, _, rest = short_name.partition(" ")
    lines: list[str] = []
    for line in textwrap.wrap(rest.replace("/", "/ "), width, break_long_words=False, break_on_hyphens=False):
        while len(line) > width and (cut := _DANISH.wrap(line, width)):
            lines.append(cut[0])
            line = cut[1]
        lines.append(line)
    return "<br>".join([f"<b>{sid}</b>", *(x.replace("/ ", "/<br>") for x in lines)])


# ---------------------------------------------------------------------------------------------
# Figures


@viewcache.cached
def gap_overview_figure(df: pd.DataFrame) -> go.Figure:
    """Compact chart: the gap per target group in the latest year, with the year before as a marker.
    The gap is also written in words in a column to the right ('mangler 79', '28 ledige')."""
    s = kap.summary(df)
    now = kap.year_rows(df, s.year).sort_values("target_group_id")
    before = kap.year_rows(df, s.previous_year).set_index("target_group_id")
    labels = [group_label(n) for n in now["short_name"]]
    fig = charts.figure(height=90 + 44 * max(len(now), 1))
    for short, name, colour, pattern in (
        (True, f"Mangel {s.year}", SHORTAGE_COLOUR, SHORTAGE_PATTERN),
        (False, f"Ledige pladser {s.year}", SURPLUS_COLOUR, SURPLUS_PATTERN),
    ):
        part = now[(now["short"] == short).fillna(False)]  # a group without a report has no bar
        if part.empty:
            continue
        fig.add_bar(
            y=[group_label(n) for n in part["short_name"]],
            x=part["gap"],
            orientation="h",
            name=name,
            marker=dict(color=colour, pattern=charts.pattern(pattern)),
            customdata=_gap_texts(part),
            hovertemplate=f"%{{y}}<br>{s.year}: %{{customdata}} pladser<extra></extra>",
        )
    if s.previous_year is not None and not before.empty:
        prev = [before["gap"].get(g) for g in now["target_group_id"]]
        prev_short = [before["short"].get(g) for g in now["target_group_id"]]
        fig.add_scatter(
            y=labels,
            x=prev,
            mode="markers",
            name=f"{s.previous_year} (året før)",
            marker=dict(symbol="diamond", size=11, color="#262730", line=dict(color="white", width=1)),
            customdata=[kap.gap_text(g, sh) for g, sh in zip(prev, prev_short)],
            hovertemplate=f"%{{y}}<br>{s.previous_year}: %{{customdata}} pladser<extra></extra>",
        )
    for label, gap, short in zip(labels, now["gap"], now["short"]):
        fig.add_annotation(
            x=1.0,
            xref="paper",
            xanchor="left",
            xshift=12,
            y=label,
            yref="y",
            showarrow=False,
            text=f"<b>{kap.gap_text(gap, short)}</b>",
            font=dict(size=13, color=gap_colour(gap, short)),
        )
    values = known_gaps(now, before)
    anchor_groups(fig, labels, values)
    lo, hi = min(values), max(values)
    pad = max(hi - lo, 1) * 0.06
    fig.update_layout(barmode="overlay", bargap=0.35, margin=dict(l=8, r=120, t=40, b=8))
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(labels)), tickformat="")
    fig.update_xaxes(
        range=[lo - pad, hi + pad],
        zeroline=True,
        zerolinecolor="#555555",
        zerolinewidth=1.5,
        showgrid=True,
        gridcolor="#E6E6E6",
    )
    return charts.style(
        fig, y_format="", x_format=charts.FMT_INT, x_title="Pladser: efterspurgte minus udbudte (positiv = mangel)"
    )


@viewcache.cached
def gap_overview_table(df: pd.DataFrame) -> pd.DataFrame:
    s = kap.summary(df)
    years = [y for y in (s.previous_year, s.year) if y is not None]
    return gap_table(df[df["year"].isin(years)])


@viewcache.cached
def gap_table(df: pd.DataFrame) -> pd.DataFrame:
    """The gap frame with Danish column names (for tables and downloads). Whole places: belagte +
    ventende = efterspurgte; efterspurgte − udbudte = mangel (+) / ledige (−)."""
    reports = _reports_columns(df)
    return pd.DataFrame(
        {
            "Målgruppe": df["short_name"],
            "År": df["year"],
            "Vurdering": kap.verdicts(df),
            "Kommuner, der har indberettet": reports["reported"],
            "Kommuner med betydelige/store vanskeligheder": reports["hard"],
            "Borgere i private tilbud": df["placed_private"],
            "Enkeltmandsforanstaltninger": df["single_arrangements"],
            "Ventende borgere": df["waiting"],
            "Tilbud": df["offers"],
            "Udbudte pladser": df["places"],
            "Belagte pladser (hele)": df["occupied"],
            "Efterspurgte pladser": df["demanded"],
            "Mangel (+) / ledige (−) pladser": df["gap"],
            "Belægning (%)": df["occupancy_pct"].round(1),
        }
    ).reset_index(drop=True)


def groups_table(df: pd.DataFrame) -> pd.DataFrame:
    """The lead table of the Kapacitet page for one year: per target group the verdict in words and what
    the municipalities report. The place count (offered places, missing or free) is the chart right below
    it and its "Vis tal" table: with those two columns the table did not fit a 1440 px laptop screen (nor
    with a column of how many municipalities reported: that is in the "Vis tal" table and the key message).
    A target group without reports is 'Ikke indberettet', its reported numbers missing ('–'), not 0."""
    reports = _reports_columns(df)
    return pd.DataFrame(
        {
            "Målgruppe": df["short_name"],
            "Vurdering": kap.verdicts(df),
            "Svært at finde tilbud": reports["hard"],
            "I private tilbud": df["placed_private"],
            "Enkeltmandsforanstaltninger": df["single_arrangements"],
            "Ventende": df["waiting"],
        }
    ).reset_index(drop=True)


def _groups(df: pd.DataFrame) -> pd.DataFrame:
    return df[["target_group_id", "short_name"]].drop_duplicates().sort_values("target_group_id")


def _year_axis(years) -> dict:
    """Year ticks: every year, or every other year (ending on the last) when there are many."""
    years = sorted(int(y) for y in years)
    step = 1 if len(years) <= 6 else 2
    return dict(tickmode="array", tickvals=years[::-1][::step][::-1], tickformat="d", showgrid=False)


def _year_ticks(fig: go.Figure, years) -> None:
    fig.update_xaxes(**_year_axis(years))


def _small_multiples(
    df: pd.DataFrame, panel_traces, *, y_axis: dict, height_per_row: int = 210, shapes_at_100: bool = False
) -> go.Figure:
    """One panel per target group, three to a row, every panel on the same axes.

    panel_traces(target_group_id, rows) returns the panel's traces as dicts. The figure is built from
    plain dicts in one go: plotly's make_subplots and add_trace(row=, col=) validate the whole figure
    on every call and took most of the page's run time.
    """
    groups = _groups(df)
    ids = list(groups["target_group_id"])
    cols = min(3, max(len(ids), 1))
    rows = max(1, math.ceil(len(ids) / cols))
    h_gap, v_gap = 0.04, (0.16 if rows > 1 else 0.0)
    width = (1 - (cols - 1) * h_gap) / cols
    height = (1 - (rows - 1) * v_gap) / rows
    x_axis = _year_axis(df["year"].unique())
    layout: dict[str, Any] = dict(
        template="overblik",
        separators=",.",
        height=90 + height_per_row * rows,
        margin=dict(t=78),
        legend=dict(yref="container", y=0.99, yanchor="top"),
        barmode="overlay",
        bargap=0.25,
        annotations=[],
        shapes=[],
    )
    data = []
    for k, (g, name) in enumerate(zip(ids, groups["short_name"]), start=1):
        r, c = (k - 1) // cols, (k - 1) % cols
        x0, y1 = c * (width + h_gap), 1 - r * (height + v_gap)
        sx, sy = ("" if k == 1 else str(k)), ("" if k == 1 else str(k))
        layout[f"xaxis{sx}"] = dict(
            x_axis,
            domain=[x0, x0 + width],
            anchor=f"y{sy}",
            matches=None if k == 1 else "x",
            showticklabels=r == rows - 1 or k + cols > len(ids),
        )  # bottom of each column
        layout[f"yaxis{sy}"] = dict(
            y_axis, domain=[y1 - height, y1], anchor=f"x{sx}", matches=None if k == 1 else "y", showticklabels=c == 0
        )
        layout["annotations"].append(
            dict(
                text=group_label(name),
                xref="paper",
                yref="paper",
                x=x0,
                y=y1,
                xanchor="left",
                yanchor="bottom",
                showarrow=False,
                font=dict(size=13),
            )
        )
        if shapes_at_100:
            layout["shapes"].append(
                dict(
                    type="line",
                    xref=f"x{sx} domain",
                    x0=0,
                    x1=1,
                    yref=f"y{sy}",
                    y0=100,
                    y1=100,
                    line=dict(color="#555555", width=1, dash="dot"),
                )
            )
            layout["annotations"].append(
                dict(
                    xref=f"x{sx} domain",
                    x=0,
                    xanchor="left",
                    yref=f"y{sy}",
                    y=100,
                    yanchor="bottom",
                    text="100 %",
                    showarrow=False,
                    font=dict(size=11, color="#555555"),
                )
            )
        for trace in panel_traces(g, df[df["target_group_id"] == g]):
            data.append(dict(trace, xaxis=f"x{sx}", yaxis=f"y{sy}"))
    if not any(t.get("showlegend", True) for t in data):
        layout.update(margin=dict(t=40), height=layout["height"] - 38)
    return go.Figure(dict(data=data, layout=layout))


@viewcache.cached
def gap_small_multiples(df: pd.DataFrame) -> go.Figure:
    """The gap per year, one panel per target group on a shared axis; shortage bars are hatched."""
    shown = set()

    def traces(g, part):
        out = []
        for short, name, colour, pattern in (
            (True, "Mangel", SHORTAGE_COLOUR, SHORTAGE_PATTERN),
            (False, "Ledige pladser", SURPLUS_COLOUR, SURPLUS_PATTERN),
        ):
            p = part[(part["short"] == short).fillna(False)]  # no bar without a report
            if p.empty:
                continue
            out.append(
                dict(
                    type="bar",
                    x=list(p["year"]),
                    y=list(p["gap"]),
                    name=name,
                    legendgroup=name,
                    showlegend=name not in shown,
                    marker=dict(color=colour, pattern=charts.pattern(pattern)),
                    customdata=_gap_texts(p),
                    hovertemplate=f"{g} %{{x}}: %{{customdata}} pladser<extra></extra>",
                )
            )
            shown.add(name)
        missing = not_reported_trace(part, f"{g} ")
        return [*out, missing] if missing else out

    return _small_multiples(df, traces, y_axis=dict(tickformat=charts.FMT_INT, zeroline=True, zerolinecolor="#555555"))


@viewcache.cached
def signals_small_multiples(df: pd.DataFrame) -> go.Figure:
    """Waiting, placed privately and single arrangements per year, one panel per target group."""
    first = df["target_group_id"].min()

    def traces(g, part):
        lines = [
            dict(
                type="scatter",
                x=list(part["year"]),
                y=list(part[col]),
                name=name,
                legendgroup=name,
                mode="lines+markers",
                showlegend=g == first,
                line=dict(color=colour, width=2),
                marker=dict(size=5),
                hovertemplate=f"{g} %{{x}}: %{{y:,.0f}} ({name.lower()})<extra></extra>",
            )
            for col, name, colour in SIGNALS
        ]
        missing = not_reported_trace(part, f"{g} ", "top left")
        return [*lines, missing] if missing else lines

    return _small_multiples(df, traces, y_axis=dict(tickformat=charts.FMT_INT, rangemode="tozero"))


@viewcache.cached
def occupancy_small_multiples(df: pd.DataFrame) -> go.Figure:
    """Occupancy (weighted by places) per year against 100 %, one panel per target group."""

    def traces(g, part):
        return [
            dict(
                type="scatter",
                x=list(part["year"]),
                y=list(part["occupancy_pct"]),
                name="Belægning",
                showlegend=False,
                mode="lines+markers",
                line=dict(color=charts.PALETTE[0], width=2),
                marker=dict(size=5),
                hovertemplate=f"{g} %{{x}}: %{{y:,.1f}} %<extra></extra>",
            )
        ]

    return _small_multiples(df, traces, y_axis=dict(tickformat=",.0f", ticksuffix=" %"), shapes_at_100=True)


def _add_full_line(fig: go.Figure, panels=(1,)) -> None:
    """The dotted 100 % occupancy line in the given subplots (1-based; 1 = a figure without subplots).
    Drawn as shapes in one layout update: add_hline(row="all") is slow on small multiples."""
    shapes, notes = [], []
    for k in panels:
        x, y = ("x", "y") if k == 1 else (f"x{k}", f"y{k}")
        shapes.append(
            dict(
                type="line",
                xref=f"{x} domain",
                x0=0,
                x1=1,
                yref=y,
                y0=100,
                y1=100,
                line=dict(color="#555555", width=1, dash="dot"),
            )
        )
        notes.append(
            dict(
                xref=f"{x} domain",
                x=0,
                xanchor="left",
                yref=y,
                y=100,
                yanchor="bottom",
                text="100 %",
                showarrow=False,
                font=dict(size=11, color="#555555"),
            )
        )
    fig.update_layout(shapes=[*fig.layout.shapes, *shapes], annotations=[*fig.layout.annotations, *notes])


@viewcache.cached
def supply_demand_figure(df: pd.DataFrame) -> go.Figure:
    """One target group: occupied places + citizens waiting (stacked) against places offered (line)."""
    fig = charts.figure(height=340)
    fig.add_bar(
        x=df["year"],
        y=df["occupied"],
        name="Belagte pladser",
        marker_color=charts.PALETTE[0],
        hovertemplate="%{x}: %{y:,.0f} belagte pladser<extra></extra>",
    )
    fig.add_bar(
        x=df["year"],
        y=df["waiting"],
        name="Ventende borgere",
        marker_color=SHORTAGE_COLOUR,
        marker_pattern=charts.pattern(SHORTAGE_PATTERN),
        hovertemplate="%{x}: %{y:,.0f} ventende borgere<extra></extra>",
    )
    fig.add_scatter(
        x=df["year"],
        y=df["places"],
        name="Udbudte pladser",
        mode="lines+markers",
        line=dict(color="#262730", width=3),
        marker=dict(size=7, symbol="square"),
        customdata=_gap_texts(df),
        hovertemplate="%{x}: %{y:,.0f} udbudte pladser (%{customdata})<extra></extra>",
    )
    _add_not_reported(fig, df, at="occupied", what="ventende:")  # above the occupied places
    fig.update_layout(barmode="stack", bargap=0.3)
    _year_ticks(fig, df["year"].unique())
    return charts.style(fig, y_format=charts.FMT_INT, y_title="Pladser", x_format=None)


def _add_not_reported(fig: go.Figure, df: pd.DataFrame, position: str = "top center", **kw) -> None:
    """'ikke indberettet' in the years of one target group's figure without a report."""
    missing = not_reported_trace(df, position=position, **kw)
    if missing:
        fig.add_trace(go.Scatter(missing))


@viewcache.cached
def signals_figure(df: pd.DataFrame) -> go.Figure:
    fig = charts.figure(height=280)
    for col, name, colour in SIGNALS:
        fig.add_scatter(
            x=df["year"],
            y=df[col],
            name=name,
            mode="lines+markers",
            line=dict(color=colour, width=2),
            hovertemplate=f"%{{x}}: %{{y:,.0f}} ({name.lower()})<extra></extra>",
        )
    _add_not_reported(fig, df, "top left")
    fig.update_yaxes(rangemode="tozero")
    _year_ticks(fig, df["year"].unique())
    return charts.style(fig, y_format=charts.FMT_INT, y_title="Borgere", x_format=None)


@viewcache.cached
def occupancy_figure(df: pd.DataFrame) -> go.Figure:
    fig = charts.figure(height=260)
    fig.add_scatter(
        x=df["year"],
        y=df["occupancy_pct"],
        name="Belægning",
        mode="lines+markers",
        line=dict(color=charts.PALETTE[0], width=2),
        hovertemplate="%{x}: %{y:,.1f} %<extra></extra>",
    )
    _add_full_line(fig)
    _year_ticks(fig, df["year"].unique())
    return charts.style(fig, y_format=",.0f", y_suffix=" %", x_format=None)


@viewcache.cached
def difficulty_figure(df: pd.DataFrame) -> go.Figure:
    """Heat map municipality x target group; every cell carries its number and word."""
    groups = _groups(df)
    munis = list(dict.fromkeys(df["municipality"]))
    grid = df.pivot(index="municipality", columns="target_group_id", values="difficulty")
    grid = grid.reindex(index=munis, columns=list(groups["target_group_id"]))
    waiting = df.pivot(index="municipality", columns="target_group_id", values="citizens_waiting")
    waiting = waiting.reindex(index=munis, columns=list(groups["target_group_id"]))
    z = [[None if pd.isna(v) else int(v) for v in row] for row in grid.to_numpy()]
    text = [[fmt.MISSING if v is None else f"{v} {kap.DIFFICULTY_WORDS[v]}" for v in row] for row in z]
    wait = [[fmt.MISSING if pd.isna(v) else fmt.number(v) for v in row] for row in waiting.to_numpy()]
    n = len(DIFFICULTY_COLOURS)
    scale = []
    for i, colour in enumerate(DIFFICULTY_COLOURS):
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    x = [_wrapped(s) for s in groups["short_name"]]
    fig = charts.figure(height=max(230, 100 + 30 * len(munis)))
    charts.add_text_heatmap(  # the number and word in black or white by the cell's colour (4.5:1)
        fig,
        z=z,
        x=x,
        y=munis,
        text=text,
        customdata=wait,
        textfont=dict(size=12),
        colorscale=scale,
        zmin=-0.5,
        zmax=n - 0.5,
        xgap=2,
        ygap=2,
        colorbar=dict(
            title=dict(text="Oplevet<br>vanskelighed", side="top") if len(munis) > 5 else None,
            tickvals=list(range(n)),
            ticktext=[f"{k} {w}" for k, w in kap.DIFFICULTY_WORDS.items()],
            thickness=14,
            lenmode="pixels",
            len=min(max(110, 30 * len(munis)), 320),
            outlinewidth=0,
        ),
        hovertemplate="%{y} · %{x}<br>Vanskelighed: %{text}<br>Ventende borgere: %{customdata}<extra></extra>",
    )
    fig.update_yaxes(autorange="reversed", showgrid=False, tickformat="")
    fig.update_xaxes(side="top", showgrid=False, tickformat="", tickfont=dict(size=12), tickangle=0)
    fig.update_layout(margin=dict(l=8, r=8, t=80, b=8))
    return fig


@viewcache.cached
def difficulty_table(df: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Kommune": df["municipality"],
            "Målgruppe": df["short_name"],
            "Vanskelighed (0-3)": df["difficulty"],
            "Vanskelighed": [fmt.MISSING if pd.isna(v) else kap.DIFFICULTY_WORDS[int(v)] for v in df["difficulty"]],
            "Ventende borgere": df["citizens_waiting"],
            "Borgere i private tilbud": df["placed_private"],
            "Enkeltmandsforanstaltninger": df["single_arrangements"],
        }
    )


RATE = "Takst (kr. pr. døgn/dag)"


@viewcache.cached
def offers_table(df: pd.DataFrame) -> pd.DataFrame:
    """The offers with Danish column names and the flags as text columns (sortable, not colour only).
    Numbers and flags come first so they fit on screen; the descriptive columns follow."""
    return pd.DataFrame(
        {
            "Tilbud": df["name"],
            "Målgruppe": df["target_group_id"].fillna("Ingen"),
            "Pladser": df["places"],
            "Belægning (%)": df["occupancy_pct"],
            "Budgetteret belægning (%)": df["budgeted_occupancy_pct"],
            "Under budget": [kap.FLAG_BELOW_BUDGET if f else "" for f in df["below_budget"]],
            "Overbelægning": [kap.FLAG_OVER if f else "" for f in df["over_occupied"]],
            RATE: df["rate_dkk_per_day"],
            "Driftsherre": df["operator"],
            "Beliggenhed": df["location"],
            "Lovgrundlag": df["legal_basis"],
            "Id": df["offer_id"],
        }
    ).reset_index(drop=True)


# The offers' grid (ui.table grid=/columns=): every column in view at 1440 px with the sidebar open (about
# 980 px): short headers with the full name in the help, fixed widths, the two flags in one column. Beliggenhed,
# Lovgrundlag and Id are under 'Vis alle kolonner og hent data' and in the downloads (offers_table).
# A grid cell does not wrap (st.dataframe wraps text only in rows taller than 4rem), so Tilbud is as wide as the
# longest name (it cut 'Socialpsykiatrisk center Kastaniehuset' at 224 px); the number columns are their
# header's width and a few px (the widest values: 199 places, 100,0 %, 10.018 kr.), 954 px in all.
OFFER_GRID = {
    "Tilbud": Col("Tilbud", 290),  # the longest name, 'Aktivitets- og samværstilbuddet Kastanietoften', whole
    "Målgruppe": Col("Målgruppe", 82),
    "Pladser": Col("Pladser", 62, right=True),
    "Belægning (%)": Col("Belægning", 80, "Belægning i procent", right=True),
    "Budgetteret belægning (%)": Col("Budget", 62, "Budgetteret belægning i procent", right=True),
    "Signal": Col(
        "Signal",
        120,  # '▲ Overbelægning' (both flags only with a budget above 100 %: none in the demo data)
        f"{kap.FLAG_BELOW_BUDGET}: {definitions.MEASURES['below_budget'][1]} "
        f"{kap.FLAG_OVER}: {definitions.MEASURES['over_occupancy'][1]}",
    ),
    RATE: Col("Takst, kr.", 70, "Takst i kr. pr. døgn (pr. dag for dagtilbud og specialskoler)", right=True),
    "Driftsherre": Col("Driftsherre", 188),  # 'Ringkøbing-Skjern Kommune' whole (it was cut at 176)
}


@viewcache.cached
def offers_grid(df: pd.DataFrame) -> pd.DataFrame:
    """What the offers' grid shows (OFFER_GRID) of the offers (kapacitet.offers rows): offers_table's columns
    but location, legal basis and id, with the two flags as one column ('▲ Overbelægning')."""
    full = offers_table(df)
    signal = [
        " · ".join(t for t in (over, below) if t) for below, over in zip(full["Under budget"], full["Overbelægning"])
    ]
    grid = full.drop(columns=["Under budget", "Overbelægning", "Beliggenhed", "Lovgrundlag", "Id"])
    grid.insert(grid.columns.get_loc(RATE), "Signal", signal)
    return grid[list(OFFER_GRID)]


@viewcache.cached
def history_figure(df: pd.DataFrame) -> go.Figure:
    """One offer over the years: places; occupancy against budget and 100 %; rate."""
    fig = make_subplots(
        rows=3,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.1,
        row_heights=[0.28, 0.4, 0.32],
        subplot_titles=["Pladser", "Belægning og budgetteret belægning", "Takst, kr. pr. døgn/dag"],
    )
    fig.update_layout(
        template="overblik", height=580, margin=dict(t=70), legend=dict(yref="container", y=0.99, yanchor="top")
    )
    fig.update_annotations(xanchor="left", x=0, font_size=13)
    fig.add_bar(
        x=df["year"],
        y=df["places"],
        name="Pladser",
        marker_color=charts.GREY,
        showlegend=False,
        hovertemplate="%{x}: %{y:,.0f} pladser<extra></extra>",
        row=1,
        col=1,
    )
    fig.add_scatter(
        x=df["year"],
        y=df["occupancy_pct"],
        name="Belægning",
        mode="lines+markers",
        line=dict(color=charts.PALETTE[0], width=2.5),
        marker=dict(size=7),
        hovertemplate="%{x}: belægning %{y:,.1f} %<extra></extra>",
        row=2,
        col=1,
    )
    fig.add_scatter(
        x=df["year"],
        y=df["budgeted_occupancy_pct"],
        name="Budgetteret belægning",
        mode="lines",
        line=dict(color=charts.PALETTE[1], width=2, dash="dash"),
        hovertemplate="%{x}: budgetteret %{y:,.1f} %<extra></extra>",
        row=2,
        col=1,
    )
    _add_full_line(fig, panels=(2,))
    fig.add_scatter(
        x=df["year"],
        y=df["rate_dkk_per_day"],
        name="Takst",
        mode="lines+markers",
        showlegend=False,
        line=dict(color=charts.PALETTE[2], width=2),
        hovertemplate="%{x}: %{y:,.0f} kr.<extra></extra>",
        row=3,
        col=1,
    )
    charts.style(fig, x_format=None)
    _year_ticks(fig, df["year"])
    fig.update_yaxes(tickformat=charts.FMT_INT, rangemode="tozero", row=1, col=1)
    fig.update_yaxes(tickformat=",.0f", ticksuffix=" %", row=2, col=1)
    fig.update_yaxes(tickformat=charts.FMT_INT, ticksuffix=" kr.", row=3, col=1)
    fig.update_xaxes(showticklabels=True, row=3, col=1)
    return fig


@viewcache.cached
def history_table(df: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "År": df["year"],
            "Pladser": df["places"],
            "Belægning (%)": df["occupancy_pct"],
            "Budgetteret belægning (%)": df["budgeted_occupancy_pct"],
            "Takst (kr. pr. døgn/dag)": df["rate_dkk_per_day"],
            "Over-/underskud (1.000 kr.)": df["surplus_deficit_1000_dkk"],
        }
    )


@viewcache.cached
def secured_units_table(df: pd.DataFrame, year: int | None, illustrative: bool = True) -> pd.DataFrame:
    """One row per unit: the real places, and the linked offer's occupancy in `year`."""
    units = df.drop_duplicates("unit_name")[["unit_name", "operator", "kind", "places", "places_note", "source"]]
    occ = df[df["year"] == year].set_index("unit_name")["occupancy_pct"] if year is not None else pd.Series()
    label = (
        "Belægning"
        + (f" {year}" if year is not None else "")
        + (" (%, fiktive eksempeldata)" if illustrative else " (%)")
    )
    return pd.DataFrame(
        {
            "Navn": units["unit_name"],
            "Driftsherre": units["operator"],
            "Sikrede pladser": units["places"],
            label: [occ.get(u) for u in units["unit_name"]],
            "Type": units["kind"],
            "Pladser som oplyst af driftsherren": units["places_note"],
            "Kilde": units["source"],
        }
    ).reset_index(drop=True)


@viewcache.cached
def secured_figure(df: pd.DataFrame) -> go.Figure:
    """Occupancy of the secured units with a linked offer, per year, against 100 %."""
    fig = charts.figure(height=300)
    dashes = ["solid", "dash", "dot", "dashdot"]
    symbols = ["circle", "square", "diamond", "triangle-up"]
    linked = df.dropna(subset=["year"])
    for i, (unit, part) in enumerate(linked.groupby("unit_name", sort=False)):
        name = f"{unit} ({fmt.number(part['places'].iloc[0])} pladser)"
        fig.add_scatter(
            x=part["year"],
            y=part["occupancy_pct"],
            name=name,
            mode="lines+markers",
            line=dict(color=charts.PALETTE[i % 8], width=2, dash=dashes[i % 4]),
            marker=dict(symbol=symbols[i % 4], size=7),
            hovertemplate=f"{unit} %{{x}}: %{{y:,.1f}} %<extra></extra>",
        )
    _add_full_line(fig)
    _year_ticks(fig, linked["year"].unique())
    return charts.style(fig, y_format=",.0f", y_suffix=" %", x_format=None)


@viewcache.cached
def secured_history_table(df: pd.DataFrame) -> pd.DataFrame:
    linked = df.dropna(subset=["year"])
    return pd.DataFrame(
        {
            "Navn": linked["unit_name"],
            "År": linked["year"].astype(int),
            "Sikrede pladser": linked["places"],
            "Belægning (%, fiktive eksempeldata)": linked["occupancy_pct"],
            "Budgetteret belægning (%, fiktive eksempeldata)": linked["budgeted_occupancy_pct"],
        }
    ).reset_index(drop=True)


@viewcache.cached
def national_offers_table(df: pd.DataFrame) -> pd.DataFrame:
    return df.rename(columns={"name": "Tilbud", "note": "Bemærkning"})
