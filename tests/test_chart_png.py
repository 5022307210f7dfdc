"""'Hent graf som billede (PNG)' (meetingpack.chart_png): the lines under the chart (the marker for
illustrative data, the filters, the source and data date) are really in the picture, below the chart and
above its bottom edge, on a chart whose legend and axis title take room below its plot area.

Read from the PNG's pixels, not from the code: the picture's last rows of ink are the lines under the chart,
the first of them in the marker's colour."""

from __future__ import annotations

import io

import numpy as np
import plotly.graph_objects as go
import pytest
from PIL import Image

from overblik import meetingpack

LINES = ["Kommuner: Hele regionen · Periode: 2016-2026", "Kilde: Testkilde · Data pr. 1. nov. 2026"]
LONG = "Regnskab. " + "en meget lang note om, hvad tallene dækker, " * 8
WIDTH = 1200


@pytest.fixture(scope="module")
def renderer():
    yield
    meetingpack.close_renderer()


def _figure() -> go.Figure:
    """A chart with room taken below its plot area: an axis title and a legend under it (as Udgifter's
    charts of the regions and of the account functions have)."""
    fig = go.Figure(
        [go.Bar(x=[2020, 2021, 2022], y=[3, 4, 5], name="Børn og unge", marker_color="#0072B2")],
    )
    fig.update_layout(
        template="overblik",
        height=360,
        showlegend=True,
        legend=dict(orientation="h", y=-0.2, yanchor="top"),
        xaxis_title="År",
    )
    return fig


def _ink_runs(img: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) row of every run of rows holding anything darker than near-white."""
    inked = (img.min(axis=2) < 200).any(axis=1)
    runs, start = [], None
    for y, ink in enumerate(inked):
        if ink and start is None:
            start = y
        elif not ink and start is not None:
            runs.append((start, y - 1))
            start = None
    if start is not None:
        runs.append((start, len(inked) - 1))
    return runs


def _marker_coloured(rows: np.ndarray) -> int:
    """Pixels of a dark orange-brown (the marker #8A3A00 and its anti-aliasing): red well above blue."""
    r, g, b = (rows[..., i].astype(int) for i in range(3))
    return int(((r - b > 60) & (r > g) & (r < 200)).sum())


def test_the_lines_under_the_chart_are_in_the_picture(renderer):
    png = meetingpack.chart_png(_figure(), "Testgraf", LINES, illustrative=True, width=WIDTH)
    img = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    assert img.shape[1] == 2 * WIDTH  # scale 2
    runs = _ink_runs(img)
    # the last three runs of ink are the three lines under the chart: the marker, the filters, the source
    marker, filters_, source = runs[-3:]
    assert source[1] < img.shape[0] - 4, "the last line reaches the picture's bottom edge (cut off)"
    assert _marker_coloured(img[marker[0] : marker[1] + 1]) > 200, "no marker in the marker's colour"
    for first, last in (filters_, source):
        band = img[first : last + 1]
        assert _marker_coloured(band) == 0
        assert 10 <= last - first + 1 <= 40  # one line of text (at scale 2), not a legend or a plot
        assert (band.min(axis=2) < 140).sum() > 500, "a line of text has ink"
    # every line starts at the left, as the text does (not centred under the chart)
    for first, last in (marker, filters_, source):
        columns = np.nonzero((img[first : last + 1].min(axis=2) < 200).any(axis=0))[0]
        assert columns[0] < 60
    # and the lines stand below the chart: the legend (blue) is above the marker
    blue = (img[..., 2].astype(int) - img[..., 0] > 80).any(axis=1)
    assert blue[: marker[0]].any() and not blue[marker[0] :].any()


def test_real_data_has_no_marker_and_long_lines_wrap(renderer):
    """No marker for real data; a line longer than the picture is wide goes on in the next line, inside it."""
    png = meetingpack.chart_png(_figure(), "Testgraf", [*LINES, LONG], illustrative=False, width=WIDTH)
    img = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    assert _marker_coloured(img) == 0
    runs = _ink_runs(img)
    first, last = runs[-1]
    assert last < img.shape[0] - 4 and (img[first : last + 1].min(axis=2) < 140).sum() > 500
    # the long line took two lines or more: five or more lines of text below the legend
    blue = np.nonzero((img[..., 2].astype(int) - img[..., 0] > 80).any(axis=1))[0]
    assert len([r for r in runs if r[0] > blue[-1]]) >= 5
    assert not (img[:, -12:].min(axis=2) < 200).any(), "text runs past the right edge"


def test_the_footer_annotations_lie_inside_their_figure():
    """Each line's annotation: top-anchored at the top of the footer's figure, moved down by its yshift,
    and a line's height (the font's size and room) above the figure's bottom; in order, wrapped to the width."""
    foot = meetingpack.png_footer([*LINES, LONG], illustrative=True, width=WIDTH)
    doc = foot.to_plotly_json()["layout"]
    height = doc["height"]
    anns = doc["annotations"]
    texts = [a["text"] for a in anns]
    assert texts[:3] == ["FIKTIVE EKSEMPELDATA", *LINES]
    assert len(texts) > 4 and "".join(texts[3:]).replace(" ", "") == LONG.replace(" ", "")  # wrapped, all kept
    assert doc["margin"]["t"] == 0 and doc["margin"]["b"] == 0  # the paper is the whole figure
    tops = []
    for a in anns:
        assert (a["xref"], a["x"], a["xanchor"]) == ("paper", 0, "left")
        assert (a["yref"], a["y"], a["yanchor"]) == ("paper", 1, "top")
        top = -a["yshift"]
        line = 1.5 * a["font"]["size"]  # the text's line box, with room to spare
        assert top >= 0 and top + line <= height, (a["text"], top, height)
        tops.append(top)
    assert tops == sorted(tops) and len(set(tops)) == len(tops)  # one line under the other
