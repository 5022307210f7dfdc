"""Handlingsplan (placeholder until its issue lands)."""

import streamlit as st

from overblik import ui

ui.header("Handlingsplan", "Handlingsplanens initiativer")
st.info("Siden er under udvikling.")
