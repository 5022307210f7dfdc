"""Kapacitet (placeholder until its issue lands)."""

import streamlit as st

from overblik import ui

ui.header("Kapacitet", "Kapacitet og mangel på pladser pr. målgruppe")
st.info("Siden er under udvikling.")
