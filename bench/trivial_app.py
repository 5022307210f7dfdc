"""The trivial app the load benchmarks measure the dashboard against: a title, a selectbox, a slider, a line
of text. Started by `python -m bench` with the same server flags as the dashboard."""

import streamlit as st

st.title("Trivial")
choice = st.selectbox("Valg", ["a", "b", "c"], key="valg")
n = st.slider("Antal", 0, 10, 3, key="antal")
st.write(f"{choice} × {n}")
