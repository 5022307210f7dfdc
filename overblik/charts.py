"""House style for charts: plotly graph_objects with Danish separators, explicit tick formats and a
colour-blind-safe palette (Okabe-Ito). Status is never shown by colour alone: every status has a
symbol and a bar pattern as well.
"""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import plotly.io as pio

from overblik import fmt

# Okabe & Ito (2008), safe for the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
GREY = "#8C8C8C"
AREA_COLOURS = {"Børn og unge": "#0072B2", "Voksne": "#E69F00", "Specialundervisning": "#009E73"}

STATUS_ORDER = ("på sporet", "risiko", "forsinket", "afsluttet", "ikke startet")
STATUS_STYLE = {
    # status: (label with symbol, colour, bar pattern)
    "på sporet": ("✓ På sporet", "#009E73", ""),
    "risiko": ("! Risiko", "#E69F00", "/"),
    "forsinket": ("✕ Forsinket", "#D55E00", "x"),
    "afsluttet": ("● Afsluttet", "#0072B2", "."),
    "ikke startet": ("○ Ikke startet", "#BBBBBB", "-"),
}

# Plotly d3 formats; with separators ",." they print Danish numbers.
FMT_INT = ",.0f"
FMT_1 = ",.1f"

TEMPLATE = go.layout.Template(
    layout=go.Layout(
        separators=",.",
        colorway=PALETTE,
        font=dict(family="Source Sans Pro, Segoe UI, Helvetica, Arial, sans-serif", size=13, color="#262730"),
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        margin=dict(l=8, r=8, t=36, b=8),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0, title_text=""),
        xaxis=dict(showgrid=False, tickformat="d", linecolor="#CCCCCC", automargin=True),
        yaxis=dict(gridcolor="#E6E6E6", zerolinecolor="#999999", tickformat=FMT_INT, automargin=True),
        hoverlabel=dict(font_size=13),
        title=dict(font=dict(size=15), x=0, xanchor="left"),
    )
)
pio.templates["overblik"] = TEMPLATE


def figure(height: int = 320, **layout) -> go.Figure:
    """An empty figure in the house style."""
    fig = go.Figure()
    fig.update_layout(template="overblik", height=height, **layout)
    return fig


def style(
    fig: go.Figure,
    *,
    y_format: str = FMT_INT,
    y_suffix: str = "",
    y_title: str = "",
    x_format: str | None = "d",
    x_title: str = "",
    height: int | None = None,
) -> go.Figure:
    """Apply the house style and explicit tick formats to a figure (returns it)."""
    fig.update_layout(template="overblik", separators=",.")
    if height:
        fig.update_layout(height=height)
    fig.update_yaxes(tickformat=y_format, ticksuffix=y_suffix, title_text=y_title)
    if x_format is not None:
        fig.update_xaxes(tickformat=x_format)
    fig.update_xaxes(title_text=x_title)
    return fig


def status_label(status: str) -> str:
    return STATUS_STYLE.get(status, (status, GREY, ""))[0]


def status_colour(status: str) -> str:
    return STATUS_STYLE.get(status, (status, GREY, ""))[1]


def status_pattern(status: str) -> str:
    return STATUS_STYLE.get(status, (status, GREY, ""))[2]


def pattern(
    shape: str, *, size: int = 7, fgcolor: str = "white", fgopacity: float = 0.9, solidity: float = 0.3
) -> dict:
    """A bar pattern drawn over the bar's colour, not instead of it (plotly's default replaces it)."""
    return dict(shape=shape, fillmode="overlay", fgcolor=fgcolor, fgopacity=fgopacity, size=size, solidity=solidity)


def status_bar_pattern(status: str, size: int, fgopacity: float = 0.55) -> dict:
    """A status's pattern over its colour; dark strokes on the light 'ikke startet' grey."""
    fg = "#262730" if status == "ikke startet" else "#FFFFFF"
    return pattern(status_pattern(status), size=size, fgcolor=fg, fgopacity=fgopacity, solidity=0.2)


def month_ticks(first: dt.date, last: dt.date, months: int = 6) -> tuple[list[str], list[str]]:
    """Tick positions every `months` months with Danish labels ('jan. 2026')."""
    vals, texts = [], []
    y, m = first.year, 1 + ((first.month - 1) // months) * months
    while dt.date(y, m, 1) <= last:
        vals.append(f"{y}-{m:02d}-01")
        texts.append(fmt.pdate(f"{y}-{m:02d}"))
        m += months
        if m > 12:
            y, m = y + 1, m - 12
    return vals, texts


def today_line(fig: go.Figure, day: dt.date) -> None:
    """A dashed vertical 'I dag' line (shapes, not add_vline, which trips on date axes)."""
    x = day.isoformat()
    fig.add_shape(
        type="line",
        x0=x,
        x1=x,
        y0=0,
        y1=1,
        yref="paper",
        xref="x",
        line=dict(color="#262730", width=1.5, dash="dash"),
        layer="above",
    )
    fig.add_annotation(
        x=x,
        y=1,
        yref="paper",
        text=f"I dag {fmt.date(day)}",
        showarrow=False,
        xanchor="right",
        yanchor="bottom",
        font=dict(size=12, color="#262730"),
        xshift=-4,
    )


CONFIG = {
    "displaylogo": False,
    "locale": "da",
    "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}
