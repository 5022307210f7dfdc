"""Centrale udmeldinger: the national board's notices since 2014 - status, timeline, outcome, source."""

import streamlit as st

from overblik import definitions, fmt, status, ui

STATUS_KEY = "status"
TABLES = ("central_notices",)
ROW = 122  # row height that fits six lines of the longer texts
SOURCE_LINK = st.column_config.LinkColumn("Kilde", help="Åbner den offentlige kilde", width=130,
                                          display_text=r"https://(?:www\.)?([^/]+)")

ui.header("Centrale udmeldinger", "Social- og Boligstyrelsens centrale udmeldinger siden 2014", tables=TABLES)
st.caption("De centrale udmeldinger er nationale og gælder hele regionen, så periode-, kommune- og "
           "områdefiltrene i sidepanelet påvirker ikke denne side.")

day = status.today()
summary = status.notice_summary(day)
st.markdown("  \n".join(status.notice_key_message(summary)))

c1, c2, c3, c4 = st.columns(4)
with c1:
    ui.metric("Åbne udmeldinger", str(summary["n_open"]), help=definitions.help_text("notice_open"))
with c2:
    ui.metric("Afsluttede udmeldinger", str(summary["n_closed"]))
with c3:
    latest = summary["latest"]
    ui.metric("Seneste beslutning", fmt.pdate(latest["decision_date"]) if latest else fmt.MISSING,
              help=definitions.help_text("notice_latest_decision"))
with c4:
    label, when, _ = status.next_event(summary["next"])
    ui.metric(label, when, help=definitions.help_text("notice_next_event"))

if not summary["open"].empty:
    st.markdown("**Åbne udmeldinger**")
    st.dataframe(status.open_table(summary["open"]), hide_index=True, width="stretch", row_height=80,
                 column_config={"Kilde": SOURCE_LINK,
                                "Udmelding": st.column_config.TextColumn("Udmelding", width=86),
                                "Målgruppe": st.column_config.TextColumn("Målgruppe", width=240),
                                "Status": st.column_config.TextColumn("Status", width=180),
                                "Udfald indtil nu": st.column_config.TextColumn("Udfald indtil nu", width=300)})

st.subheader("Tidslinje")
options = status.notice_filter_options()
raw = st.query_params.get_all(STATUS_KEY)
choice = st.selectbox(
    "Vis", options, format_func=status.notice_filter_label, key=STATUS_KEY, bind="query-params",
    help="Åbne: styrelsen har endnu ikke truffet endelig beslutning, eller fornyet behandling afventer.",
)
bad = status.invalid_choice(raw, [status.notice_filter_label(o) for o in options])
if bad:
    st.caption("⚠ Linket havde en ukendt statusværdi, som er erstattet af 'Alle udmeldinger': " + ", ".join(bad))

df = status.notices(choice or "alle")
if df.empty:
    st.info("Ingen centrale udmeldinger med den valgte status.")
else:
    fig, events = status.notice_timeline(df, day)
    ui.chart(fig, events, tables=TABLES, key="udmeldinger-tidslinje",
             title="Fra udmelding til beslutning",
             note="Datoer vises så præcist, som kilderne angiver dem; "
                  "et årstal eller en måned placeres ved periodens start")

    st.subheader("Udmeldinger, udfald og Midtjyllands svar")
    table = status.notice_table(df)
    st.dataframe(
        table, hide_index=True, width="stretch", row_height=ROW, height=ROW * len(table) + 40,
        column_config={
            "Kilde": SOURCE_LINK,
            "Udmelding": st.column_config.TextColumn("Udmelding", width=86),
            "Målgruppe": st.column_config.TextColumn("Målgruppe", width=180),
            "Status": st.column_config.TextColumn("Status", width=140),
            "Udfald": st.column_config.TextColumn("Udfald", width=230),
            "Midtjyllands svar": st.column_config.TextColumn("Midtjyllands svar", width=230),
        },
    )
    ui.source(*TABLES)
    ui.downloads(table, "centrale-udmeldinger", "udmeldinger-tabel")
