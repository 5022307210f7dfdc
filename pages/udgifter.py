"""Udgifter (placeholder until its issue lands)."""

import streamlit as st

from overblik import ui

ui.header("Udgifter", "Udgiftsudvikling og takster")
st.info("Siden er under udvikling.")
