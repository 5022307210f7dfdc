"""Centrale udmeldinger: the national board's notices since 2014 - status, timeline, outcome, source."""

import streamlit as st

from overblik import clock, definitions, region, udmeldinger, ui

STATUS_KEY = "status"
TABLES = udmeldinger.TABLES
ROW = 122  # row height that fits six lines of the longer texts
SOURCE_LINK = st.column_config.LinkColumn(
    "Kilde", help="Åbner den offentlige kilde", width=130, display_text=r"https://(?:www\.)?([^/]+)"
)

ui.header(
    "Centrale udmeldinger",
    "Socialstyrelsens / Social- og Boligstyrelsens centrale udmeldinger siden 2014",
    tables=TABLES,
)
st.caption(
    "De centrale udmeldinger er nationale og gælder hele regionen, så periode-, kommune- og "
    "områdefiltrene i sidepanelet påvirker ikke denne side."
)

day = clock.today()
top = udmeldinger.top(day)
st.markdown("  \n".join(top.key_message))

c1 = c2 = c5 = c3 = c4 = ui.row()  # one block; the metrics in this order
with c1:
    ui.metric("Åbne udmeldinger", top.n_open, help=definitions.help_text("notice_open"))
with c2:
    ui.metric("Afsluttede udmeldinger", top.n_closed)
with c5:
    ui.metric("Udfald ukendt", top.n_unknown, help=definitions.help_text("notice_unknown"))
with c3:
    ui.metric("Seneste beslutning", top.latest_decision, help=definitions.help_text("notice_latest_decision"))
with c4:
    ui.metric(top.next_label, top.next_when, help=definitions.help_text("notice_next_event"))

if not top.open.empty:
    st.markdown("**Åbne udmeldinger**")
    st.dataframe(
        ui.table_data(top.open),
        hide_index=True,
        width="stretch",
        row_height=80,
        column_config={
            "Kilde": SOURCE_LINK,
            "Udmelding": st.column_config.TextColumn("Udmelding", width=86),
            "Målgruppe": st.column_config.TextColumn("Målgruppe", width=240),
            "Status": st.column_config.TextColumn("Status", width=180),
            "Udfald indtil nu": st.column_config.TextColumn("Udfald indtil nu", width=300),
        },
    )

st.header("Tidslinje")
options = udmeldinger.filter_options()
bad = ui.link_values(STATUS_KEY, map(udmeldinger.filter_label, options))
choice = st.selectbox(
    "Vis",
    options,
    format_func=udmeldinger.filter_label,
    key=STATUS_KEY,
    bind="query-params",
    filter_mode=None,
    help=definitions.help_text("notice_open") + " " + definitions.help_text("notice_unknown"),
)
ui.link_notice(bad, "en status", "Siden viser i stedet alle udmeldinger.")

view = udmeldinger.chosen(choice, day)
if view is None:
    st.info("Ingen centrale udmeldinger med den valgte status.")
    if not top.open.empty:  # the open notices' sources, reachable by keyboard (the grid's links are not)
        st.markdown(udmeldinger.source_links(choice))
else:
    ui.chart(
        view.figure,
        view.events,
        tables=TABLES,
        key="udmeldinger-tidslinje",
        takeaway=view.takeaway,
        title="Fra udmelding til beslutning",
        note="Datoer vises så præcist, som kilderne angiver dem; et årstal eller en måned placeres ved periodens start",
    )

    st.header(f"Udmeldinger, udfald og {region.response_label()}")
    st.dataframe(
        ui.table_data(view.table),
        hide_index=True,
        width="stretch",
        row_height=ROW,
        height=ROW * len(view.table) + 40,
        column_config={
            "Kilde": SOURCE_LINK,
            "Udmelding": st.column_config.TextColumn("Udmelding", width=86),
            "Målgruppe": st.column_config.TextColumn("Målgruppe", width=180),
            "Status": st.column_config.TextColumn("Status", width=140),
            "Udfald": st.column_config.TextColumn("Udfald", width=230),
            region.response_label(): st.column_config.TextColumn(region.response_label(), width=230),
        },
    )
    # every source as a real link, reachable by Tab and read by screen readers (the grid's links are not)
    st.markdown(udmeldinger.source_links(choice))
    ui.source(*TABLES)
    ui.downloads(view.table, "centrale-udmeldinger", "udmeldinger-tabel")
