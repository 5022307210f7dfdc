"""The Handlingsplan figures: initiatives per principle by status, and the gantt from start to deadline.
Each builder returns what ui.chart places (the gantt: figure and its table with Danish column names).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from overblik import charts, fmt, viewcache
from overblik import handlingsplan as h


@viewcache.cached
def counts_figure(counts: pd.DataFrame) -> go.Figure:
    """Stacked horizontal bars: initiatives per principle by status (colour, pattern and symbol)."""
    labels = [h.principle_label(p, n, 44) for p, n in zip(counts["principle_id"], counts["principle_name"])]
    fig = charts.figure(height=max(220, 90 + 44 * len(labels)))
    for s in charts.STATUS_ORDER:
        values = counts[s].tolist()
        if not any(values):
            continue
        fig.add_trace(
            go.Bar(
                y=labels,
                x=values,
                orientation="h",
                name=charts.status_label(s),
                marker=dict(
                    color=charts.status_colour(s),
                    line=dict(color="#FFFFFF", width=1),
                    pattern=charts.status_bar_pattern(s, 9),
                ),
                text=[str(v) if v else "" for v in values],
                textposition="inside",
                insidetextanchor="middle",
                textfont=charts.text_on_font(charts.status_colour(s), size=15, weight="bold"),
                hovertemplate="%{y}<br>" + charts.status_label(s) + ": %{x:,.0f}<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack", bargap=0.35, showlegend=True, legend=dict(traceorder="normal"))
    charts.style(fig, y_format="", x_format=charts.FMT_INT, x_title="Antal initiativer")
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=labels)
    fig.update_xaxes(dtick=1 if counts["total"].max() <= 10 else None)
    return fig


@viewcache.cached
def gantt(df: pd.DataFrame, day: dt.date) -> tuple[go.Figure, pd.DataFrame]:
    """A bar from start to deadline per initiative, by status; overdue ones marked; a today line."""
    df = df.copy()
    df["label"] = [f"{i} {fmt.shorten(t, 44)}" for i, t in zip(df["initiative_id"], df["title"])]
    start = pd.to_datetime(df["start_date"])
    end = pd.to_datetime(df["deadline"])
    fig = charts.figure(height=max(240, 110 + 26 * len(df)))
    for s in charts.STATUS_ORDER:
        part = df[df["status"] == s]
        if part.empty:
            continue
        p_start, p_end = start[part.index], end[part.index]
        fig.add_trace(
            go.Bar(
                y=part["label"],
                base=p_start.dt.strftime("%Y-%m-%d"),
                x=((p_end - p_start).dt.total_seconds() * 1000 + 86_400_000).tolist(),
                orientation="h",
                name=charts.status_label(s),
                marker=dict(
                    color=charts.status_colour(s),
                    line=dict(color=charts.status_colour(s), width=1),
                    pattern=charts.status_bar_pattern(s, 6),
                ),
                customdata=list(
                    zip(
                        part["title"],
                        part["owner"],
                        [fmt.date(d) for d in part["start_date"]],
                        [fmt.date(d) for d in part["deadline"]],
                        [fmt.pct(p, 0) for p in part["progress_pct"]],
                    )
                ),
                hovertemplate=(
                    "<b>%{customdata[0]}</b><br>Ansvarlig: %{customdata[1]}<br>"
                    "%{customdata[2]} – %{customdata[3]}<br>"
                    + charts.status_label(s)
                    + " · fremdrift %{customdata[4]}<extra></extra>"
                ),
            )
        )
    late = df[df["overdue"]]
    if not late.empty:
        fig.add_trace(
            go.Scatter(
                x=end[late.index],
                y=late["label"],
                mode="markers",
                name=f"{h.OVERDUE} frist",
                marker=dict(symbol="x-thin-open", size=12, line=dict(width=3, color="#262730"), color="#262730"),
                customdata=[fmt.date(d) for d in late["deadline"]],
                hovertemplate="Fristen %{customdata} er overskredet<extra></extra>",
            )
        )
        # the words just right of the today line, which an overdue bar never reaches: beside the marker
        # they ran across the line and its label
        fig.add_trace(
            go.Scatter(
                x=[pd.Timestamp(day) + pd.Timedelta(days=8)] * len(late),
                y=late["label"],
                mode="text",
                text=[h.OVERDUE] * len(late),
                textposition="middle right",
                textfont=dict(size=12, color="#262730"),
                showlegend=False,
                hoverinfo="skip",
            )
        )
    charts.today_line(fig, day)
    first = min(start.min().date(), day) if len(df) else day
    last = max(end.max().date(), day) if len(df) else day
    vals, texts = charts.month_ticks(first, last, 6)
    fig.update_layout(
        barmode="overlay",
        bargap=0.3,
        margin=dict(l=8, r=110, t=70, b=8),
        showlegend=True,
        legend=dict(y=1.02, yanchor="bottom"),
    )
    fig.update_xaxes(
        type="date",
        tickvals=vals,
        ticktext=texts,
        showgrid=True,
        gridcolor="#EFEFEF",
        range=[pd.Timestamp(first) - pd.Timedelta(days=20), pd.Timestamp(last) + pd.Timedelta(days=40)],
    )
    fig.update_yaxes(categoryorder="array", categoryarray=df["label"].tolist(), autorange="reversed", tickformat="")
    table = pd.DataFrame(
        {
            "Initiativ": df["initiative_id"],
            "Titel": df["title"],
            "Start": [fmt.date(d) for d in df["start_date"]],
            "Frist": [fmt.date(d) for d in df["deadline"]],
            "Status": df["status_label"],
            "Frist overskredet": ["Ja" if o else "Nej" for o in df["overdue"]],
        }
    )
    return fig, table
