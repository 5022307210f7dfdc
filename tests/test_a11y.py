"""Danish numbers in every table whatever the browser's language (issue 16): ui.danish_table turns the
numeric columns Streamlit would format by the browser's locale into right-aligned Danish text."""

import math

import pandas as pd
import streamlit as st

from overblik import ui


def test_localized_and_decimal_columns_become_danish_text():
    df = pd.DataFrame(
        {
            "År": [2024, 2025],
            "Mio. kr.": [1234.5, -3.0],
            "Takst, kr.": [9383.25, 12.5],
            "Pladser": [1234, 7],
            "Id": [101, 102],
            "Navn": ["a", "b"],
        }
    )
    config = {
        **ui.number_columns(df, skip=("År", "Id")),
        "Id": st.column_config.NumberColumn("Id", format="%d"),  # configured otherwise: left as it is
        "Navn": st.column_config.TextColumn("Navn", width=200),
    }
    shown, cfg = ui.danish_table(df, config)
    assert list(shown["Mio. kr."]) == ["1.234,5", "−3,0"]
    assert list(shown["Takst, kr."]) == ["9.383,25", "12,50"]
    assert list(shown["Pladser"]) == ["1.234", "7"]
    assert list(shown["År"]) == [2024, 2025] and list(shown["Id"]) == [101, 102]  # a year; configured otherwise
    assert cfg["Pladser"]["alignment"] == "right" and cfg["Pladser"]["type_config"]["type"] == "text"
    assert cfg["Navn"] == config["Navn"]
    assert df["Mio. kr."].iloc[0] == 1234.5  # the frame itself (downloads) stays numeric


def test_numeric_columns_without_configuration_and_missing_values():
    df = pd.DataFrame(
        {"Belægning, %": [91.25, math.nan], "Indbyggere": [245761, 631], "Antal": [3, 4], "År": [2025, 2026]}
    )
    shown, cfg = ui.danish_table(df)
    assert list(shown["Belægning, %"]) == ["91,25", "–"]
    # whole numbers too: Streamlit's default would show '245761' (the Udgifter tables did)
    assert list(shown["Indbyggere"]) == ["245.761", "631"] and cfg["Indbyggere"]["alignment"] == "right"
    assert list(shown["Antal"]) == ["3", "4"]
    assert list(shown["År"]) == [2025, 2026] and "År" not in cfg  # a year is not a quantity


def test_chart_text_gets_readable_colours_and_sizes():
    """Direct labels in a palette colour get its darker text variant (>= 4.5:1 on white), and no chart
    text is below 12 px; every chart passes through charts.safe."""
    from overblik import charts

    fig = charts.figure()
    fig.add_bar(x=[1], y=[2], textfont=dict(color="#E69F00", size=10))
    fig.add_annotation(x=1, y=2, text="mangler 23", font=dict(color="#D55E00", size=11))
    fig.update_xaxes(tickfont=dict(size=11))
    charts.safe(fig)
    assert fig.data[0].textfont.color == "#996A00" and fig.data[0].textfont.size == 12
    assert fig.layout.annotations[0].font.color == "#BB5300" and fig.layout.annotations[0].font.size == 12
    assert fig.layout.xaxis.tickfont.size == 12


def _contrast(hex_colour: str) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(hex_colour[i : i + 2], 16)) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def test_text_colours_reach_the_contrast_they_claim():
    from overblik import charts

    for colour in charts.TEXT_VARIANT.values():
        assert _contrast(colour) >= 4.5, colour
    assert _contrast(ui.TEXT_MUTED) >= 4.5
    assert _contrast(ui.FOCUS) >= 3
    assert _contrast(charts.TEMPLATE.layout.font.color) >= 4.5


def test_every_chart_colour_that_carries_meaning_reaches_3_to_1():
    """WCAG 1.4.11: every colour in the palette and status maps, and every series colour the figure
    modules name, as drawn (after charts.GRAPHIC_VARIANT), has at least 3:1 against the white page;
    every text variant at least 4.5:1 (1.4.3). The heat maps' light cells are exempt: the number and
    word in every cell carry the meaning."""
    from overblik import charts, kapacitet_figures, udgifter_figures, udmeldinger_figures

    colours = {
        *charts.PALETTE,
        charts.GREY,
        *charts.AREA_COLOURS.values(),
        *(style[1] for style in charts.STATUS_STYLE.values()),
        *charts.GRAPHIC_VARIANT,
        kapacitet_figures.SHORTAGE_COLOUR,
        kapacitet_figures.SURPLUS_COLOUR,
        *(c for _, _, c in kapacitet_figures.SIGNALS),
        *(e[3] for e in udmeldinger_figures.EVENTS),
        udgifter_figures.HIGHLIGHT,
        udgifter_figures.BUDGET_COLOUR,
        udgifter_figures.ACCOUNTS_COLOUR,
    }
    low = {c: round(_contrast(charts._graphic_colour(c)), 2) for c in colours}
    assert not {c: v for c, v in low.items() if v < 3}, low
    # the palette itself is already the drawn colour: nothing in it needs a variant
    assert not set(charts.PALETTE) & set(charts.GRAPHIC_VARIANT)
    for colour, text in charts.TEXT_VARIANT.items():
        assert _contrast(text) >= 4.5, (colour, text)
    # a series colour's text variant exists for every palette colour below 4.5:1
    for c in charts.PALETTE:
        assert _contrast(charts._readable_colour(c)) >= 4.5, c


def test_a_low_contrast_colour_written_anywhere_is_drawn_darker():
    from overblik import charts

    fig = charts.figure()
    fig.add_bar(x=[1, 2], y=[2, 3], marker=dict(color=["#E69F00", "#0072B2"], line=dict(color="#BBBBBB")))
    fig.add_scatter(x=[1], y=[1], line=dict(color="#9a9a9a"))
    fig.add_heatmap(z=[[1]], colorscale=[[0, "#FEF0D9"], [1, "#B30000"]])
    charts.safe(fig)
    assert fig.data[0].marker.color == ("#C28600", "#0072B2") and fig.data[0].marker.line.color == "#929292"
    assert fig.data[1].line.color == "#929292"
    assert _contrast("#C28600") >= 3 and _contrast("#929292") >= 3
