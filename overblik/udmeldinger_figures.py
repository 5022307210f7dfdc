"""The Centrale udmeldinger timeline: a row per notice, a marker per dated event, open notices running on
to today. Returns (figure, table with Danish column names) for ui.chart.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from overblik import charts, fmt

# Event columns on the timeline: (column, legend label, symbol, colour, size)
EVENTS = [
    ("issued", "Udmeldt", "circle", "#0072B2", 11),
    ("report_submitted", "Afrapportering indsendt", "square", "#E69F00", 11),
    ("decision", "Beslutning (afsluttet)", "diamond", "#009E73", 15),
    ("latest_event", "Seneste hændelse (ikke afgjort)", "diamond-open", "#CC79A7", 16),
    ("renewed_treatment", "Fornyet behandling anmodet", "triangle-up", "#D55E00", 10),
]


def _start(s) -> pd.Timestamp | None:
    d = fmt.pdate_start(s)
    return None if d is None else pd.Timestamp(d)


def notice_label(row) -> str:
    """'CU-2019-2 · Udsatte gravide … (åben)': the notice's row on the timeline."""
    label = f"{row['notice_id']} · {fmt.shorten(row['target_group'], 46)}"
    state = row.get("state", "åben" if int(row["is_open"]) == 1 else "afsluttet")
    return label + {"åben": " (åben)", "udfald ukendt": " (udfald ukendt)"}.get(state, "")


def notice_events(df: pd.DataFrame) -> pd.DataFrame:
    """One row per dated event of each notice (long form), placed on the first day its date covers."""
    rows = []
    for _, r in df.iterrows():
        for col, label, *_ in EVENTS:
            source = "decision_date" if col in ("decision", "latest_event") else col
            decided = r.get("state", "afsluttet" if int(r["is_open"]) == 0 else "åben") == "afsluttet"
            if col == "decision" and not decided:
                continue
            if col == "latest_event" and decided:
                continue
            value = r[source]
            if fmt._missing(value):
                continue
            rows.append(
                {
                    "notice_id": r["notice_id"],
                    "label": notice_label(r),
                    "target_group": r["target_group"],
                    "event": col,
                    "event_label": label,
                    "date": value,
                    "start": _start(value),
                }
            )
    return pd.DataFrame(rows, columns=["notice_id", "label", "target_group", "event", "event_label", "date", "start"])


def timeline(df: pd.DataFrame, day: dt.date) -> tuple[go.Figure, pd.DataFrame]:
    """The timeline since 2014: a row per notice, a marker per event, open notices run on to today."""
    events = notice_events(df)
    labels = [notice_label(r) for _, r in df.iterrows()]
    height = max(260, 70 + 46 * len(labels))
    fig = charts.figure(height=height)
    # a thin line from the first to the last event; open notices continue (dotted) to today
    for _, r in df.iterrows():
        ev = events[events["notice_id"] == r["notice_id"]]
        if ev.empty:
            continue
        first, last = ev["start"].min(), ev["start"].max()
        lab = notice_label(r)
        fig.add_trace(
            go.Scatter(
                x=[first, last],
                y=[lab, lab],
                mode="lines",
                line=dict(color="#9A9A9A", width=2),
                hoverinfo="skip",
                showlegend=False,
            )
        )
        if int(r["is_open"]) == 1:
            fig.add_trace(
                go.Scatter(
                    x=[last, pd.Timestamp(day)],
                    y=[lab, lab],
                    mode="lines",
                    line=dict(color="#CC79A7", width=2, dash="dot"),
                    hoverinfo="skip",
                    name="Åben: afventer",
                    legendgroup="open",
                    showlegend=not any(t.legendgroup == "open" for t in fig.data),
                )
            )
    for col, label, symbol, colour, size in EVENTS:
        ev = events[events["event"] == col]
        if ev.empty:
            continue
        hollow = symbol.endswith("-open")
        fig.add_trace(
            go.Scatter(
                x=ev["start"],
                y=ev["label"],
                mode="markers",
                name=label,
                marker=dict(
                    symbol=symbol,
                    size=size,
                    color=colour,
                    line=dict(width=2 if hollow else 1, color=colour if hollow else "white"),
                ),
                customdata=list(zip(ev["target_group"], [fmt.pdate(v) for v in ev["date"]])),
                hovertemplate="<b>%{customdata[0]}</b><br>" + label + ": %{customdata[1]}<extra></extra>",
            )
        )
    charts.today_line(fig, day)
    first_year = min([e.year for e in events["start"]] + [day.year]) if not events.empty else 2014
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=labels,
        autorange="reversed",
        tickformat="",
        showgrid=True,
        gridcolor="#EFEFEF",
    )
    fig.update_xaxes(
        type="date",
        tickformat="%Y",
        dtick="M12",
        showgrid=True,
        gridcolor="#EFEFEF",
        range=[f"{first_year}-01-01", f"{day.year + 1}-07-01"],
    )
    # the legend one line above the "I dag" label over today's line (it covered it): 24 px in paper units
    # of the plot area (the figure less the top margin, the bottom margin and the year ticks)
    margin = dict(l=8, r=24, t=70, b=8)
    plot = height - margin["t"] - margin["b"] - 30
    fig.update_layout(margin=margin, legend=dict(y=1 + 24 / plot, yanchor="bottom"))
    table = pd.DataFrame(
        {
            "Udmelding": events["notice_id"],
            "Målgruppe": events["target_group"],
            "Hændelse": events["event_label"],
            "Dato": [fmt.pdate(v) for v in events["date"]],
        }
    )
    return fig, table
