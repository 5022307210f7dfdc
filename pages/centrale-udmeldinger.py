"""Centrale udmeldinger: the national board's notices since 2014 - status, timeline, outcome, source."""

import streamlit as st

from overblik import clock, definitions, region, udmeldinger, ui

STATUS_KEY = "status"
TABLES = udmeldinger.TABLES
SHARED = udmeldinger.SHARED_FILTERS
# the main table's columns; the other dates (report, renewed treatment) are in the timeline and its numbers,
# and the download has every column
SHOWN = (
    "Udmelding",
    "Målgruppe",
    "Status",
    "Udfald",
    region.response_label(),
    "Udmeldt",
    "Seneste beslutning/hændelse",
    "Kilde",
)

ui.header(
    "Centrale udmeldinger",
    "Socialstyrelsens / Social- og Boligstyrelsens centrale udmeldinger siden 2014",
    tables=TABLES,
    share="unfiltered",
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
    st.header("Åbne udmeldinger")
    ui.text_table(top.open, links=("Kilde",))

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
        shared=SHARED,
        key="udmeldinger-tidslinje",
        takeaway=view.takeaway,
        title="Fra udmelding til beslutning",
        note="Datoer vises så præcist, som kilderne angiver dem; et årstal eller en måned placeres ved periodens start",
    )

    st.header(f"Udmeldinger, udfald og {region.response_label()}")
    ui.text_table(view.table[list(SHOWN)], links=("Kilde",))
    # every source once more, named by its target group (the table names only the host)
    st.markdown(udmeldinger.source_links(choice))
    ui.source(*TABLES)
    ui.downloads(view.table, "centrale-udmeldinger", "udmeldinger-tabel", tables=TABLES, shared=SHARED)
