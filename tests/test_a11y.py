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
    config = {**ui.number_columns(df, skip=("År", "Id")), "Navn": st.column_config.TextColumn("Navn", width=200)}
    shown, cfg = ui.danish_table(df, config)
    assert list(shown["Mio. kr."]) == ["1.234,5", "−3,0"]
    assert list(shown["Takst, kr."]) == ["9.383,25", "12,50"]
    assert list(shown["Pladser"]) == ["1.234", "7"]
    assert list(shown["År"]) == [2024, 2025] and list(shown["Id"]) == [101, 102]  # not configured 'localized'
    assert cfg["Pladser"]["alignment"] == "right" and cfg["Pladser"]["type_config"]["type"] == "text"
    assert cfg["Navn"] == config["Navn"]
    assert df["Mio. kr."].iloc[0] == 1234.5  # the frame itself (downloads) stays numeric


def test_decimal_columns_without_configuration_and_missing_values():
    df = pd.DataFrame({"Belægning, %": [91.25, math.nan], "Antal": [3, 4]})
    shown, cfg = ui.danish_table(df)
    assert list(shown["Belægning, %"]) == ["91,25", "–"]
    assert list(shown["Antal"]) == [3, 4] and "Antal" not in cfg  # small integers: nothing to localise
