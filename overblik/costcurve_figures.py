"""Figures and their tables for the cost curve (overblik.costcurve): the real spending per inhabitant
against the trend before the agreement, and the growth drivers. Each builder returns (figure, table with
Danish column names); overblik.costcurve.view() puts them in its view data.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from overblik import charts, clock, fmt, viewcache
from overblik import costcurve as cc

ACCOUNTS_COLOUR = "#0072B2"
TREND_COLOUR = "#55575F"
BAND_COLOUR = "rgba(140, 140, 140, 0.22)"
BUDGET_COLOUR = "#D55E00"
PART_COLOUR = {"price": "#56B4E9", "demography": "#E69F00", "real": "#CC79A7"}
PART_PATTERN = {"price": "", "demography": "/", "real": "x"}


def _mark(fig: go.Figure, x: float, text: str, dash: str, anchor: str = "left") -> None:
    """A vertical line at x (a numeric year axis) with its label at the top, to the `anchor` side."""
    fig.add_shape(type="line", x0=x, x1=x, y0=0, y1=1, yref="paper", line=dict(color="#262730", width=1.2, dash=dash))
    fig.add_annotation(
        x=x, y=1, yref="paper", text=text, showarrow=False, xanchor=anchor, yanchor="bottom", xshift=3 if anchor == "left" else -3,
        font=dict(size=12, color="#262730"),
    )  # fmt: skip


@viewcache.cached
def curve_figure(
    pts: pd.DataFrame,
    trend: pd.DataFrame,
    budget: pd.DataFrame,
    start: int,
    end: int,
    label: str,
    measure: str,
    price_year: int | None,
) -> tuple[go.Figure, pd.DataFrame]:
    """Accounts per year (line), the trend before the agreement (dashed) with its 95 % prediction band,
    the adopted budget (a diamond labelled Budget), the agreement start and today marked."""
    mio = measure.startswith("mio.")
    hover = "%{y:,.1f} mio. kr." if mio else "%{y:,.0f} kr."
    fig = charts.figure(height=380)
    fig.add_scatter(
        x=trend["year"], y=trend["upper"], mode="lines", line=dict(width=0), hoverinfo="skip", showlegend=False
    )
    fig.add_scatter(
        x=trend["year"],
        y=trend["lower"],
        mode="lines",
        line=dict(width=0),
        fill="tonexty",
        fillcolor=BAND_COLOUR,
        name="95 %-prognoseinterval",
        hoverinfo="skip",
    )
    fig.add_scatter(
        x=trend["year"],
        y=trend["fitted"],
        mode="lines",
        line=dict(color=TREND_COLOUR, width=2, dash="dash"),
        name="Trend før aftalen",
        hovertemplate=f"Trend %{{x}}: {hover}<extra></extra>",
    )
    acc = pts[pts["kind"] == "regnskab"].dropna(subset=["value"]).sort_values("year")
    fig.add_scatter(
        x=acc["year"],
        y=acc["value"],
        mode="lines+markers",
        line=dict(color=ACCOUNTS_COLOUR, width=2.5),
        marker=dict(size=7, symbol="circle"),
        name="Regnskab",
        hovertemplate=f"Regnskab %{{x}}: {hover}<extra></extra>",
    )
    if len(budget):
        fig.add_scatter(
            x=budget["year"],
            y=budget["value"],
            mode="markers+text",
            marker=dict(size=13, symbol="diamond-open", color=BUDGET_COLOUR, line=dict(width=2.5)),
            text=[f"Budget {int(y)}" for y in budget["year"]],
            textposition="top center",
            textfont=dict(color=BUDGET_COLOUR),
            name="Budget",
            hovertemplate=f"Budget %{{x}}: {hover}<extra></extra>",
        )
    day = clock.today()
    agreement, today = start - 0.5, day.year - 0.5 + (day.timetuple().tm_yday - 1) / 365
    # the earlier line's label to its left and the later one's to its right, so the two never overlap
    # (from 2027 on, today is after the agreement's start)
    before = today < agreement
    _mark(fig, agreement, f"Rammeaftale {label}", "dot", "left" if before else "right")
    _mark(fig, today, f"I dag {fmt.date(day)}", "dash", "right" if before else "left")
    first = int(min(trend["year"].min(), acc["year"].min() if len(acc) else end))
    fig.update_xaxes(range=[first - 0.5, end + 0.6], dtick=1, tickangle=0)
    fig.update_layout(legend=dict(orientation="h", y=-0.1, yanchor="top", x=0), margin=dict(t=36, b=70))
    charts.style(
        fig,
        y_format=",.0f",
        x_format="d",
        y_title=measure.split(" (")[0].replace(" ved befolkningen i", ", befolkning"),
    )
    # the numbers: every year of the trend, with accounts and budget where they exist
    t = trend.set_index("year")
    table = pd.DataFrame({"År": t.index.astype(int)})
    unit = "mio. kr." if mio else "kr."
    dec = 1 if mio else 0
    table[f"Real udgift, regnskab, {unit}"] = t.index.map(acc.set_index("year")["value"]).astype(float).round(dec)
    table[f"Real udgift, budget, {unit}"] = t.index.map(budget.set_index("year")["value"]).astype(float).round(dec)
    table[f"Trend, {unit}"] = t["fitted"].round(dec).to_numpy()
    table[f"Interval fra, {unit}"] = t["lower"].round(dec).to_numpy()
    table[f"Interval til, {unit}"] = t["upper"].round(dec).to_numpy()
    seen = table[f"Real udgift, regnskab, {unit}"].fillna(table[f"Real udgift, budget, {unit}"])
    table["Afvigelse fra trenden, %"] = ((seen / t["fitted"].to_numpy() - 1) * 100).round(1)
    return fig, table


@viewcache.cached
def drivers_figure(dec: pd.DataFrame, scope_label: str) -> tuple[go.Figure, pd.DataFrame]:
    """Stacked bars per year (prices, demography, real growth per inhabitant; mio. kr., the selection, all
    areas together) with the whole nominal change as a marker; the table has every area and municipality."""
    d = dec[(dec["unit"] == scope_label) & (dec["area"] == cc.ALL)].sort_values("year")
    fig = charts.figure(height=340, barmode="relative")
    for part in cc.PARTS:
        fig.add_bar(
            x=d["year"],
            y=d[part] / 1000,
            name=cc.PART_LABEL[part],
            marker=dict(
                color=PART_COLOUR[part],
                pattern=dict(shape=PART_PATTERN[part], fgcolor="#262730", fgopacity=0.35, size=6, fillmode="overlay"),
            ),
            hovertemplate=f"{cc.PART_LABEL[part]} %{{x}}: %{{y:,.1f}} mio. kr.<extra></extra>",
        )
    fig.add_scatter(
        x=d["year"],
        y=d["change"] / 1000,
        mode="markers",
        marker=dict(size=10, symbol="line-ew-open", color="#262730", line=dict(width=3)),
        name="Ændring i alt",
        hovertemplate="Ændring i alt %{x}: %{y:,.1f} mio. kr.<extra></extra>",
    )
    fig.update_xaxes(dtick=1, tickangle=0)
    fig.update_layout(legend=dict(orientation="h", y=-0.1, yanchor="top", x=0), margin=dict(b=70))
    charts.style(fig, y_format=",.0f", y_suffix="", x_format="d", y_title="mio. kr.")
    table = pd.DataFrame(
        {
            "Hvem": dec["unit"].to_numpy(),
            "Område": dec["area"].to_numpy(),
            "År": dec["year"].astype(int).to_numpy(),
            "Udgift året før, mio. kr.": (dec["before"] / 1000).round(1).to_numpy(),
            "Udgift, mio. kr.": (dec["now"] / 1000).round(1).to_numpy(),
            "Ændring i alt, mio. kr.": (dec["change"] / 1000).round(1).to_numpy(),
        }
    )
    for part in cc.PARTS:
        table[f"{cc.PART_LABEL[part]}, mio. kr."] = (dec[part] / 1000).round(1).to_numpy()
    table["Ændring i alt, %"] = dec["change_pct"].round(1).to_numpy()
    for part in cc.PARTS:
        table[f"{cc.PART_LABEL[part]}, %"] = dec[f"{part}_pct"].round(1).to_numpy()
    return fig, table
