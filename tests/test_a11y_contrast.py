"""Text drawn on a chart's bars and heat-map cells has at least 4.5:1 contrast against its fill (WCAG 1.4.3),
read from the figures the pages send (AppTest) and computed here with WCAG's formula: the fill is the bar's
colour or the cell's colour on the trace's colour scale, the text colour the one the figure sets (Plotly's
automatic colour for heat-map text, '#444' or white, is not accepted: it chose 4.2:1 on orange)."""

from __future__ import annotations

import itertools
import json
import re

import pytest

MIN = 4.5
PAGES = ["pages/overblik.py", "pages/handlingsplan.py", "pages/kapacitet.py", "pages/udgifter.py"]


def rgb(colour: str) -> tuple[float, float, float]:
    c = colour.strip().lower()
    if c.startswith("#"):
        h = c[1:]
        if len(h) == 3:
            h = "".join(x * 2 for x in h)
        return tuple(int(h[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]
    m = re.fullmatch(r"rgba?\(([^)]*)\)", c)
    assert m, colour
    return tuple(float(x) for x in m.group(1).split(",")[:3])  # type: ignore[return-value]


def luminance(colour: str) -> float:
    def channel(v: float) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_the_formula():
    assert contrast("#FFFFFF", "#000000") == pytest.approx(21)
    assert round(contrast("#FFFFFF", "#009E73"), 2) == 3.42  # the tester's numbers
    assert round(contrast("#444444", "#FC8D59"), 2) == 4.22


def on_scale(scale: list, t: float) -> str:
    """The colour at t (0..1) on a Plotly colour scale, interpolated in RGB as Plotly does."""
    t = min(max(t, 0.0), 1.0)
    for (t0, c0), (t1, c1) in itertools.pairwise(scale):
        if t0 <= t <= t1:
            f = 0.0 if t1 == t0 else (t - t0) / (t1 - t0)
            a, b = rgb(c0), rgb(c1)
            return "rgb({})".format(",".join(str(round(x + f * (y - x), 3)) for x, y in zip(a, b)))
    return scale[-1][1]


def values(v):
    """A data array as a list: Plotly sends numpy arrays as {dtype, bdata (base64), shape}."""
    if isinstance(v, dict) and "bdata" in v:
        import base64

        import numpy as np

        a = np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"])
        if v.get("shape"):
            a = a.reshape([int(n) for n in str(v["shape"]).split(",")])
        return [[None if x != x else float(x) for x in row] for row in a.tolist()] if a.ndim == 2 else a.tolist()
    return v


def each(v, n):
    return v if isinstance(v, list) else [v] * n


def text_on_fills(spec: dict):
    """(what, text colour, fill colour) of every text drawn inside a bar or a heat-map cell."""
    for trace in spec["data"]:
        kind = trace.get("type")
        font = (trace.get("textfont") or {}).get("color")
        if kind == "bar" and trace.get("text") is not None and trace.get("textposition", "auto") in ("inside", "auto"):
            texts = each(trace["text"], len(trace.get("x") or trace.get("y") or [0]))
            fills = each((trace.get("marker") or {}).get("color"), len(texts))
            fonts = each(font, len(texts))
            for text, fill, fg in zip(texts, fills, fonts):
                if str(text).strip():
                    yield f"{trace.get('name')}: {text}", fg, fill
        if kind == "heatmap" and (trace.get("texttemplate") or trace.get("text") is not None):
            scale, z0, z1 = trace["colorscale"], trace["zmin"], trace["zmax"]
            z_rows = values(trace["z"])
            for zrow, trow in zip(z_rows, trace.get("text") or z_rows):
                for z, text in zip(zrow, trow):
                    if z is not None and str(text).strip():
                        yield f"{trace.get('name') or 'heatmap'}: {text}", font, on_scale(scale, (z - z0) / (z1 - z0))


@pytest.mark.parametrize("page", PAGES)
def test_text_on_bars_and_cells_has_contrast(app_test, page):
    at = app_test(page=page)
    assert not at.exception, at.exception
    seen, low = 0, []
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        for what, fg, fill in text_on_fills(spec):
            seen += 1
            ratio = contrast(fg, fill) if fg and fill else 0.0
            if ratio < MIN:
                low.append(f"{what}: {fg} on {fill} = {ratio:.2f}:1")
    assert seen, "no text on a fill found"
    assert not low, "\n".join(dict.fromkeys(low))


@pytest.mark.parametrize("page", ["pages/overblik.py", "pages/udgifter.py", "pages/handlingsplan.py"])
def test_stacked_bars_are_told_apart_by_pattern_too(app_test, page):
    """WCAG 1.4.1: in a stacked bar chart, each category (legend entry) has its own pattern as well as its
    own colour, so the chart reads without colour (Udgifter's areas and tillægsydelser per operator were
    solid colours only)."""
    at = app_test(page=page)
    assert not at.exception, at.exception
    stacked = 0
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        if spec.get("layout", {}).get("barmode") != "stack":
            continue
        shapes = {}
        for trace in spec["data"]:
            if trace.get("type") == "bar" and trace.get("name"):
                shapes[trace["name"]] = ((trace.get("marker") or {}).get("pattern") or {}).get("shape", "")
        if len(shapes) > 1:
            stacked += 1
            assert len(set(shapes.values())) == len(shapes), shapes
    assert stacked, "no stacked bar chart found"
