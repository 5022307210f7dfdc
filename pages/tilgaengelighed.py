"""Tilgængelighed: the accessibility statement (tilgængelighedserklæring), linked from every page's footer."""

import streamlit as st

from overblik import filters, fmt
from overblik import tilgaengelighed as t

filters.ensure_shell()  # a deep link opened first on a fresh server runs through dashboard.py too
st.title("Tilgængelighedserklæring")
st.caption(f"Rammeaftale-overblik · Erklæringen er udarbejdet {fmt.date(t.STATEMENT_DATE)}")
st.markdown(t.commitment())

st.header("Overholdelsesstatus", anchor=False)
st.markdown(t.STATUS)
st.markdown("**Det overholder siden**")
st.markdown("\n".join(f"- {x}" for x in t.MEETS))

st.header("Ikke-tilgængeligt indhold", anchor=False)
st.markdown(t.REASON)
for title, text in t.NOT_ACCESSIBLE:
    st.subheader(title, anchor=False)
    st.markdown(text)

st.header("Sådan er erklæringen udarbejdet", anchor=False)
st.markdown(t.METHOD)

st.header("Feedback og kontaktoplysninger", anchor=False)
st.markdown(t.feedback(*t.contact()))

st.header("Håndhævelsesprocedure", anchor=False)
st.markdown(t.ENFORCEMENT)
