"""House style for charts: plotly graph_objects with Danish separators, explicit tick formats and a
colour-blind-safe palette (Okabe-Ito). Status is never shown by colour alone: every status has a
symbol and a bar pattern as well.

Plotly renders a subset of HTML in every text it draws (names, labels, hover texts, tick labels,
annotations), links included. `text()` escapes data text for Plotly and `safe()` applies it to a whole
figure; every chart passes through `safe()` before it is drawn (ui.chart).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import itertools
import re

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from overblik import fmt

# Okabe & Ito (2008), safe for the common colour-vision deficiencies; its orange, sky blue and yellow
# darkened (same hue) to at least 3:1 against the white page, as every graphic that carries meaning
# must be (WCAG 1.4.11; GRAPHIC_VARIANT below).
PALETTE = ["#0072B2", "#C28600", "#009E73", "#CC79A7", "#1D99E0", "#D55E00", "#9E940D", "#000000"]
GREY = "#8C8C8C"
AREA_COLOURS = {"Børn og unge": "#0072B2", "Voksne": "#C28600", "Specialundervisning": "#009E73"}
# Stacked bars tell their categories apart by pattern as well as colour (WCAG 1.4.1): one shape each.
AREA_PATTERNS = {"Børn og unge": "", "Voksne": "/", "Specialundervisning": "."}
CATEGORY_PATTERNS = ("", "/", ".", "x", "-", "+", "\\", "|")

STATUS_ORDER = ("på sporet", "risiko", "forsinket", "afsluttet", "ikke startet")
STATUS_STYLE = {
    # status: (label with symbol, colour, bar pattern)
    "på sporet": ("✓ På sporet", "#009E73", ""),
    "risiko": ("! Risiko", "#C28600", "/"),
    "forsinket": ("✕ Forsinket", "#D55E00", "x"),
    "afsluttet": ("● Afsluttet", "#0072B2", "."),
    "ikke startet": ("○ Ikke startet", "#929292", "-"),
}

# Plotly d3 formats; with separators ",." they print Danish numbers.
FMT_INT = ",.0f"
FMT_1 = ",.1f"

TEMPLATE = go.layout.Template(
    layout=go.Layout(
        separators=",.",
        colorway=PALETTE,
        # Streamlit's own font; text #262730 is 15:1 on white (charts are drawn with theme=None, so
        # Streamlit's faded 3.9:1 tick grey does not apply)
        font=dict(
            family="Source Sans, Source Sans Pro, Segoe UI, Helvetica, Arial, sans-serif", size=13, color="#262730"
        ),
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


def _raw(fig: go.Figure) -> tuple[list[dict], dict]:
    """A figure's own JSON: plotly keeps every trace and the layout as plain dicts (fig._data,
    fig._layout), and the graph objects read through to them. The walks below change those dicts
    directly: no property validation, a fraction of a millisecond per figure instead of tens."""
    return fig._data, fig._layout


def _at(d, *path):
    """The dict at `path` inside d (None where a step is missing or not a dict)."""
    for p in path:
        d = d.get(p) if isinstance(d, dict) else None
    return d if isinstance(d, dict) else None


_AXIS = re.compile(r"^[xy]axis\d*$")


def _axes(layout: dict) -> list[tuple[str, dict]]:
    """The layout's 2D axes (xaxis, xaxis2, ..., yaxis, ...) that are set, with their names."""
    return [(k, v) for k, v in layout.items() if _AXIS.match(k) and isinstance(v, dict)]


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
    """Apply the house style and explicit tick formats to a figure (returns it). Every x and y axis of the
    figure gets them (at least `xaxis` and `yaxis`); written into the figure's own JSON (see _raw)."""
    _, layout = _raw(fig)
    layout["template"] = copy.deepcopy(_template_json())
    layout["separators"] = ",."
    if height:
        layout["height"] = height
    layout.setdefault("xaxis", {})
    layout.setdefault("yaxis", {})
    for name, ax in _axes(layout):
        title: dict = ax["title"] if isinstance(ax.get("title"), dict) else {}
        ax["title"] = title
        if name.startswith("y"):
            ax.update(tickformat=y_format, ticksuffix=y_suffix)
            title["text"] = y_title
        else:
            if x_format is not None:
                ax["tickformat"] = x_format
            title["text"] = x_title
    return fig


@functools.cache
def _template_json() -> dict:
    """The house template as plotly stores it in a figure's layout (validated once)."""
    return go.Figure(layout=dict(template="overblik")).to_plotly_json()["layout"]["template"]


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


def category_pattern(shape: str) -> dict:
    """A stacked category's pattern (AREA_PATTERNS, CATEGORY_PATTERNS) in white over its colour."""
    return pattern(shape, size=6, fgopacity=0.55, solidity=0.2)


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


def _across(panel: int) -> dict:
    """The references of a shape spanning subplot `panel` from bottom to top (1 = the first, or a figure
    without subplots), as add_vline/add_vrect set them."""
    n = "" if panel == 1 else str(panel)
    return dict(xref=f"x{n}", y0=0, y1=1, yref=f"y{n} domain")


def vline(x: float, panel: int = 1, **line) -> dict:
    """A vertical line across subplot `panel`: the shape fig.add_vline(x, row=1, col=panel, line_...)
    draws, as a dict for add_shapes()."""
    return dict(type="line", x0=x, x1=x, **_across(panel), line=line)


def vrect(x0: float, x1: float, panel: int = 1, **kw) -> dict:
    """A band from x0 to x1 across subplot `panel`: the shape fig.add_vrect(x0, x1, ...) draws."""
    return dict(type="rect", x0=x0, x1=x1, **_across(panel), **kw)


def add_shapes(fig: go.Figure, shapes: list[dict]) -> None:
    """Shapes added in one layout update: add_vline/add_vrect work out the subplot grid and validate the
    figure for every single shape (about 5 ms each on small multiples)."""
    if shapes:
        fig.update_layout(shapes=[*fig.layout.shapes, *shapes])


def today_line(fig: go.Figure, day: dt.date, inside: bool = False) -> None:
    """A dashed vertical 'I dag' line (shapes, not add_vline, which trips on date axes), labelled 'I dag
    29. nov. 2026' left of its top: above the plot, or (`inside`: where a legend takes the band above a small
    chart) just inside it, on a white ground."""
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
        yanchor="top" if inside else "bottom",
        font=dict(size=12, color="#262730"),
        xshift=-4,
        **(dict(bgcolor="rgba(255,255,255,0.85)", borderpad=1) if inside else {}),
    )


# Bars, lines and markers in a colour below 3:1 on white (WCAG 1.4.11) are drawn in a darker variant of
# the same hue, whichever module wrote the colour: Okabe-Ito's orange (2,2:1), sky blue (2,3:1) and
# yellow (1,3:1), and the light greys of 'ikke startet' and of the timeline's connecting lines.
GRAPHIC_VARIANT = {
    "#E69F00": "#C28600",
    "#56B4E9": "#1D99E0",
    "#F0E442": "#9E940D",
    "#BBBBBB": "#929292",
    "#B0B0B0": "#929292",
    "#9A9A9A": "#929292",
}

# Text drawn in a series' colour (direct labels, values on or next to bars) uses a darker variant of
# the same hue with at least 4.5:1 on white (WCAG 1.4.3); the bars and lines keep the palette colour.
TEXT_VARIANT = {
    "#E69F00": "#996A00",
    "#C28600": "#996A00",
    "#56B4E9": "#177AB2",
    "#1D99E0": "#177AB2",
    "#009E73": "#008460",
    "#D55E00": "#BB5300",
    "#CC79A7": "#BB4D8A",
    "#F0E442": "#80770A",
    "#9E940D": "#80770A",
    "#8C8C8C": "#757575",
    "#BBBBBB": "#747474",
    "#929292": "#747474",
}
MIN_TEXT_PX = 12  # chart text at least 12 px (legible on a projector)


def _readable_colour(c):
    if isinstance(c, str):
        return TEXT_VARIANT.get(c.upper(), c)
    if isinstance(c, (list, tuple)):
        return type(c)(_readable_colour(x) for x in c)
    return c


def _graphic_colour(c):
    if isinstance(c, str):
        return GRAPHIC_VARIANT.get(c.upper(), c)
    if isinstance(c, (list, tuple)):
        return type(c)(_graphic_colour(x) for x in c)
    if isinstance(c, np.ndarray) and c.dtype.kind in "OU":
        return np.array([_graphic_colour(x) for x in c], dtype=object)
    return c


def _graphics(fig: go.Figure) -> None:
    """Every bar, line and marker colour below 3:1 on white replaced by its GRAPHIC_VARIANT."""
    data, layout = _raw(fig)
    for trace in data:
        for *parents, leaf in (("marker", "color"), ("line", "color"), ("marker", "line", "color"), ("fillcolor",)):
            obj = _at(trace, *parents)
            value = obj.get(leaf) if obj is not None else None
            if value is None:
                continue
            new = _graphic_colour(value)
            if new is not value and (not isinstance(new, str) or new != value):
                obj[leaf] = new
    for sh in layout.get("shapes") or ():
        line = _at(sh, "line")
        if line is not None and line.get("color") is not None:
            line["color"] = _graphic_colour(line["color"])


def _font(font: dict | None, colour=None) -> None:
    """A font dict: no size below MIN_TEXT_PX, and its colour mapped by `colour` (None: kept)."""
    if font is None:
        return
    if colour is not None and font.get("color") is not None:
        font["color"] = colour(font["color"])
    size = font.get("size")
    if isinstance(size, (int, float)) and not isinstance(size, bool) and size < MIN_TEXT_PX:
        font["size"] = MIN_TEXT_PX


def readable(fig: go.Figure) -> go.Figure:
    """Chart text and graphics readable by everyone (returns the figure): bars, lines and markers in a
    colour below 3:1 get its GRAPHIC_VARIANT, annotation and trace text in a palette colour gets the
    colour's darker text variant, and no text is smaller than MIN_TEXT_PX."""
    _graphics(fig)
    data, layout = _raw(fig)
    for a in layout.get("annotations") or ():
        _font(_at(a, "font"), _readable_colour)
    for trace in data:
        _font(_at(trace, "textfont"), _readable_colour)
    for _, ax in _axes(layout):  # tick and legend text: only the size
        _font(_at(ax, "tickfont"))
    _font(_at(layout, "legend", "font"))
    return fig


# Text drawn on a fill (a value inside a bar, a heat-map cell's number) is black or white, whichever has
# more contrast against the fill: at least 4.5:1 on every colour (WCAG 1.4.3; white on the palette's
# green, gold and orange was 3.1-3.9:1, and Plotly's own heat-map choice #444 4.2:1 on orange).
TEXT_DARK, TEXT_LIGHT = "#000000", "#FFFFFF"
# "Fiktive eksempeldata" written outside the page (the chart PNG, the first sheet of an Excel file; the meeting
# pack's marker in meetingpack.typ): dark orange, 8:1 on white
MARKER_TEXT = "#8A3A00"


def _rgb(colour: str) -> tuple[float, float, float]:
    c = colour.strip().lower()
    if c.startswith("#"):
        h = c[1:] if len(c) > 4 else "".join(x * 2 for x in c[1:])
        return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)
    r, g, b = (float(x) for x in re.findall(r"[\d.]+", c)[:3])
    return r, g, b


def luminance(colour: str) -> float:
    """WCAG relative luminance of '#RRGGBB', '#RGB' or 'rgb(r, g, b)'."""
    lin = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in (x / 255 for x in _rgb(colour))]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def text_on(fill: str) -> str:
    """Black or white text, whichever reads better on `fill` (either gives at least 4.5:1 on any colour)."""
    return TEXT_LIGHT if contrast(TEXT_LIGHT, fill) > contrast(TEXT_DARK, fill) else TEXT_DARK


def text_on_font(fill: str, **font) -> dict:
    """A textfont for text on `fill`: text_on's colour; white text keeps a dark halo against the light
    strokes of a bar's pattern."""
    colour = text_on(fill)
    return dict(font, color=colour, shadow="0 0 3px #262730" if colour == TEXT_LIGHT else "none")


def scale_colour(scale: list, t: float) -> str:
    """The colour at t (0 to 1) of a colour scale [[0, c0], ..., [1, cn]], interpolated in RGB as Plotly does."""
    t = min(max(float(t), 0.0), 1.0)
    for (t0, c0), (t1, c1) in itertools.pairwise(scale):
        if t0 <= t <= t1:
            f = 0.0 if t1 == t0 else (t - t0) / (t1 - t0)
            mixed = (a + f * (b - a) for a, b in zip(_rgb(c0), _rgb(c1)))
            return "rgb({})".format(", ".join(f"{x:.1f}" for x in mixed))
    return scale[-1][1]


def add_text_heatmap(fig: go.Figure, *, z, text, colorscale: list, zmin: float, zmax: float, **kw) -> go.Figure:
    """A heat map with its text in every cell in black or white by the cell's colour (text_on): Plotly sets
    one text colour per trace, so the cells with white text are drawn again, in the same colours, by a
    second trace on top (no colour bar of its own). Missing values (None) keep their text, in black."""
    z = [[None if v is None or v != v else v for v in row] for row in z]
    span = (zmax - zmin) or 1.0
    light = [
        [v is not None and text_on(scale_colour(colorscale, (v - zmin) / span)) == TEXT_LIGHT for v in row] for row in z
    ]
    font = dict(kw.pop("textfont", None) or {})
    common = dict(colorscale=colorscale, zmin=zmin, zmax=zmax, texttemplate="%{text}", **kw)
    dark_text = [[("" if w else t) for t, w in zip(trow, wrow)] for trow, wrow in zip(text, light)]
    fig.add_heatmap(z=z, text=dark_text, textfont={**font, "color": TEXT_DARK}, **common)
    if any(any(row) for row in light):
        light_z = [[v if w else None for v, w in zip(zrow, wrow)] for zrow, wrow in zip(z, light)]
        light_text = [[(t if w else "") for t, w in zip(trow, wrow)] for trow, wrow in zip(text, light)]
        common = {k: v for k, v in common.items() if k != "colorbar"}
        fig.add_heatmap(z=light_z, text=light_text, textfont={**font, "color": TEXT_LIGHT}, showscale=False, **common)
    return fig


_KINDS = {"bar": "Søjlediagram", "scatter": "Linjediagram", "heatmap": "Varmekort", "pie": "Cirkeldiagram"}


def alt(title: str, fig: go.Figure, takeaway: str = "") -> str:
    """The chart's accessible name for screen readers: the title, its takeaway (what it shows in data
    terms, the sentence that opens its caption), the kind of chart and its series; the numbers
    themselves are in the table next to it."""
    kinds = [t.type or "scatter" for t in fig.data]
    kind = _KINDS.get(kinds[0], "Diagram") if kinds else "Diagram"
    names = list(dict.fromkeys(str(t.name) for t in fig.data if t.name))
    series = f" med {len(names)} serier: {', '.join(names[:6])}" if 1 < len(names) <= 6 else ""
    head = f"{title}. " if title else ""
    if takeaway:
        head += takeaway.rstrip() + ("" if takeaway.rstrip().endswith(".") else ".") + " "
    return f"{head}{kind}{series}. Tallene står i tabellen under diagrammet."


CONFIG = {
    # no toolbar: its buttons and tooltips are English and mouse-only, and every chart offers its numbers
    # as a table and CSV/Excel below it (ui.chart)
    "displayModeBar": False,
    "displaylogo": False,
    "locale": "da",
    "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


# The formatting tags our own figures use; they stay. Any other tag (<a href>, <span style>, <img>) and
# any bare < > & is escaped, so Plotly shows it as text. Entities stay, so escaping twice is harmless.
_PLOTLY_MARKUP = re.compile(r"<(/?)(br|b|i|em|sup|sub)\s*/?>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);|[<>&]")
_ESCAPES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
_TRACE_TEXT = (
    "name",
    "text",
    "hovertext",
    "x",
    "y",
    "z",
    "labels",
    "parents",
    "ids",
    "customdata",
    "hovertemplate",
    "texttemplate",
    "legendgroup",
)


def text(s):
    """Text for Plotly: < > & escaped except our own attribute-free formatting tags (<br>, <b>, <i>,
    <sup>, <sub>, <em>) and existing entities. Other values are returned unchanged."""
    if not isinstance(s, str):
        return s
    return _PLOTLY_MARKUP.sub(lambda m: _ESCAPES.get(m.group(0), m.group(0)), s)


def _texts(v):
    """`text` applied to every string in a value, list, tuple or array (nested)."""
    if isinstance(v, str):
        return text(v)
    if isinstance(v, np.ndarray):
        if v.dtype.kind not in "OUS":
            return v
        out = np.empty(v.shape, dtype=object)
        for idx, x in np.ndenumerate(v):
            out[idx] = _texts(x)
        return out
    if isinstance(v, (list, tuple)):
        return type(v)(_texts(x) for x in v)
    return v


def _title(d: dict | None) -> None:
    """A title's text escaped (plotly keeps a title as {"text": ...})."""
    if d is not None and isinstance(d.get("title"), dict) and d["title"].get("text"):
        d["title"]["text"] = text(d["title"]["text"])


def safe(fig: go.Figure) -> go.Figure:
    """Escape every text of a figure that Plotly would render as markup, and make its text readable
    (readable()); returns the figure, changed in place. A cached figure was made safe when it was cached
    (viewcache.freeze) and is shared: it is returned untouched."""
    if getattr(fig, "_overblik_safe", False):
        return fig
    data, layout = _raw(fig)
    for trace in data:
        for prop in _TRACE_TEXT:
            v = trace.get(prop)
            if v is None or (isinstance(v, np.ndarray) and v.dtype.kind not in "OUS"):
                continue
            new = _texts(v)
            if new is not v:
                trace[prop] = new
        group = _at(trace, "legendgrouptitle")
        if group is not None and group.get("text"):
            group["text"] = text(group["text"])
    _title(layout)
    _title(_at(layout, "legend"))
    for a in layout.get("annotations") or ():
        if a.get("text"):
            a["text"] = text(a["text"])
        for c in ("x", "y"):  # a category coordinate must stay equal to the (escaped) category
            if isinstance(a.get(c), str):
                a[c] = text(a[c])
    for sh in layout.get("shapes") or ():
        for c in ("x0", "x1", "y0", "y1"):
            if isinstance(sh.get(c), str):
                sh[c] = text(sh[c])
    for _, ax in _axes(layout):
        _title(ax)
        for key in ("ticktext", "categoryarray"):
            if ax.get(key) is not None:
                ax[key] = _texts(ax[key])
    return readable(fig)
