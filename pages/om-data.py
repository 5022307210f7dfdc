"""Om data: per table its source, provenance, data date and rows; definitions; downloads."""

import streamlit as st

from overblik import definitions, om_data, ui

ui.header("Om data", "Kilder, datagrundlag og definitioner", share="unfiltered")

st.markdown(
    "Dashboardet viser ét **datasæt** ad gangen. Hver tabel har en kilde og en dato. "
    "**Reelle data** kommer fra offentlige kilder (Danmarks Statistik, Socialstyrelsen, rammeaftalerne). "
    "**Fiktive eksempeldata** er demodata, der viser, hvordan siderne virker, indtil sekretariatet udgiver egne tal."
)

tables = om_data.tables_overview()
st.header("Tabeller i det aktuelle datasæt")
ui.dataframe(
    tables,
    hide_index=True,
    width="stretch",
    height=36 * (len(tables) + 1) + 4,
    column_config={"Rækker": st.column_config.NumberColumn("Rækker", format="localized")},
)
# a table about the snapshot itself (every table's own provenance is a column): no source or filter rows
ui.downloads(tables, "tabeloversigt", "om-tabeller", tables=(), shared=())

st.header("Hent og opdater data")
workbook = om_data.workbook_download()
st.markdown(
    "Sekretariatet opdaterer data ved at hente datasættet som Excel, rette i arkene og uploade filen på "
    "siden **Opdater data** (kræver login som redaktør), hvor den kontrolleres og udgives. Arket **Om** "
    "forklarer hver kolonne og de tilladte værdier; arket **Kilder** angiver kilde og datagrundlag pr. tabel."
)
st.download_button(
    "Hent som Excel",
    data=workbook.build,
    file_name=workbook.file_name,
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/download:",
    type="primary",
    key="om-workbook",
)

st.header("Datasæt (historik)")
st.caption(
    "Hvert udgivet datasæt bevares uændret; et tidligere datasæt kan gøres aktuelt igen på siden "
    "**Opdater data** under Historik og tilbagerulning."
)
st.dataframe(ui.table_data(om_data.snapshot_history()), hide_index=True, width="stretch")

st.header("Definitioner")
st.markdown("\n\n".join(f"**{name}.** {text}" for name, text in definitions.MEASURES.values()))  # one element

st.header("Kolonner pr. tabel")
for name, title, description, columns in om_data.columns_overview():
    # drawn only while open (opening reruns the page): nineteen closed tables send nothing on each run
    with st.expander(f"{title} ({name})", key=f"om-kolonner-{name}", on_change="rerun") as box:
        if box.open:
            st.caption(description)
            st.dataframe(ui.table_data(columns), hide_index=True, width="stretch")
