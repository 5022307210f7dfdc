"""Siden sidste møde: what changed in all the data since a meeting (the 'siden' choice, shared with
Overblik and Handlingsplan), for the shared filters, and the meeting pack. Numbers: overblik/siden.py."""

import streamlit as st

from overblik import clock, data, definitions, filters, fmt, meetingpack, ui
from overblik import kapacitet as kap
from overblik import siden as sd

f = filters.current()
ui.header(
    "Siden sidste møde",
    f"Hvad er ændret i data siden et møde · {f.view_label}",
    tables=sd.TABLES,
)
day = clock.today()
meetings = sd.meeting_choices(day)
if not meetings:
    st.info(fmt.md(sd.no_meeting_held(day)))
    st.stop()
bad = ui.link_values("siden", meetings)
c1, c2 = st.columns([0.55, 0.45], vertical_alignment="bottom")
label = c1.selectbox(
    "Ændret siden mødet",
    list(meetings),
    index=sd.default_meeting_index(meetings, day),
    key="siden",
    bind="query-params",
    filter_mode=None,
    help=definitions.help_text("changed_since_last_meeting"),
)
ui.link_notice(bad, "et møde", "Siden viser i stedet ændringerne siden sidste møde før i dag.")
meeting = meetings[label]
sid = data.snapshot_id()
with c2:
    ui.meeting_pack_button(
        lambda url: meetingpack.build(f, meeting, sid=sid, day=day, base_url=url),
        meetingpack.file_name(meeting, f),
        key="siden-pack",
    )

c = sd.compare(meeting, f.params(), f.whole_region, day)
st.info(fmt.md(c.snapshot_text()), icon=":material/history:")
st.markdown(f"**{fmt.md(c.summary())}**")

st.header("Overbliks nøgletal: ved mødet → nu")
about = (("Siden mødet", label),)  # in each download's name and first rows
ui.table(
    c.headline_table(),
    "nøgletal ved mødet og nu",
    "siden-heads",
    about,
    tables=sd.TABLES,
    shared=filters.KEYS,
    text=True,
)  # texts, shown whole
st.caption(sd.HEADLINE_NOTE)

for s in c.sections(kap.region_note(f.chosen, f.all_municipalities)):
    st.header(s.title)
    if s.note:
        st.caption(fmt.md(s.note))
    if s.table.empty:
        st.caption(s.empty)
    else:
        ui.table(
            s.table,
            s.name,
            "siden-" + ui.file_slug(s.name),
            about,
            tables=s.tables,
            shared=s.shared,
            text=s.text,
            grid=s.grid,
            columns=s.columns,
            units=s.units,
        )
ui.source(*sd.TABLES, note="Hver række siger, hvilket datasæt ændringen kommer fra")
