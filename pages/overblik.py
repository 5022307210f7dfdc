"""Overblik (placeholder until its issue lands)."""

import streamlit as st

from overblik import ui

ui.header("Overblik", "Det samlede overblik")
st.info("Siden er under udvikling.")
