"""Om data: per table its source, provenance, data date and rows; definitions; downloads."""

import streamlit as st

from overblik import about, definitions, ui

ui.header("Om data", "Kilder, datagrundlag og definitioner")

st.markdown(
    "Dashboardet viser ét **datasæt** ad gangen. Hver tabel har en kilde og en dato. "
    "**Reelle data** kommer fra offentlige kilder (Danmarks Statistik, Socialstyrelsen, rammeaftalerne). "
    "**Illustrative data** er demodata, der viser, hvordan siderne virker, indtil sekretariatet udgiver egne tal."
)

tables = about.tables_overview()
st.subheader("Tabeller i det aktuelle datasæt")
st.dataframe(
    tables,
    hide_index=True,
    width="stretch",
    column_config={"Rækker": st.column_config.NumberColumn("Rækker", format="localized")},
)
ui.downloads(tables, "tabeloversigt", "om-tabeller")

st.subheader("Definitioner")
for name, text in definitions.MEASURES.values():
    st.markdown(f"**{name}.** {text}")

st.subheader("Kolonner pr. tabel")
for name, title, description, columns in about.columns_overview():
    with st.expander(f"{title} ({name})"):
        st.caption(description)
        st.dataframe(columns, hide_index=True, width="stretch")
