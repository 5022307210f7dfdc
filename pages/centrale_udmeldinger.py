"""Centrale udmeldinger (placeholder until its issue lands)."""

import streamlit as st

from overblik import ui

ui.header("Centrale udmeldinger", "Socialstyrelsens centrale udmeldinger siden 2014")
st.info("Siden er under udvikling.")
