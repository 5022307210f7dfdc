"""Handlingsplan: the initiatives by principle, their status today, timeline, what changed since a meeting."""

import streamlit as st

from overblik import charts, clock, definitions, fmt, ui
from overblik import handlingsplan as hp
from overblik import handlingsplan_figures as figures

# URL keys of the page's choices
PRINCIPLE_KEY, STATUS_KEY, OWNER_KEY = "princip", "initiativstatus", "ansvarlig"
SINCE_KEY, INITIATIVE_KEY = "siden", "initiativ"
TABLES = hp.TABLES
SHARED = hp.SHARED_FILTERS
PERCENT = hp.PERCENT

ui.header(
    "Handlingsplan",
    "Initiativerne under de fælles principper og udviklingsområdet",
    tables=TABLES,
    share="unfiltered",
)
st.caption(
    "Handlingsplanen er fælles for hele regionen, så periode-, kommune- og områdefiltrene i sidepanelet "
    "påvirker ikke denne side. Status er den seneste, sekretariatet har registreret på eller før i dag. "
    + hp.PHASE_NOTE
)

day = clock.today()
everything = hp.initiatives(day)
message = st.container()  # filled below, once the meeting choice is known

f1 = f2 = f3 = ui.row()  # one horizontal block (three equal parts), not three columns
opts = hp.filter_options(everything)
bad_links = [
    (ui.link_values(PRINCIPLE_KEY, map(opts.principle_label, opts.principles)), "et princip"),
    (ui.link_values(STATUS_KEY, map(hp.status_filter_label, opts.statuses)), "en status"),
    (ui.link_values(OWNER_KEY, opts.owners), "en ansvarlig"),
]
principles = f1.multiselect(
    "Princip",
    opts.principles,
    format_func=opts.principle_label,
    key=PRINCIPLE_KEY,
    bind="query-params",
    placeholder="Alle principper",
    select_all=False,
    filter_mode=None,
)
statuses = f2.multiselect(
    "Status",
    opts.statuses,
    format_func=hp.status_filter_label,
    key=STATUS_KEY,
    bind="query-params",
    placeholder="Alle statusser",
    select_all=False,
    filter_mode=None,
    help=definitions.help_text("initiative_status"),
)
owners = f3.multiselect(
    "Ansvarlig",
    opts.owners,
    key=OWNER_KEY,
    bind="query-params",
    placeholder="Alle ansvarlige",
    select_all=False,
    filter_mode=None,
)
for bad, what in bad_links:
    ui.link_notice(bad, what, "Filteret er sprunget over.")
shown = hp.filter_initiatives(everything, principles, statuses, owners)

tot = hp.totals(shown)
with ui.row():
    for s in charts.STATUS_ORDER:
        ui.metric(charts.status_label(s), fmt.number(tot[s]), help=definitions.help_text("initiative_status"))
    ui.metric(hp.OVERDUE, fmt.number(tot["overdue"]), help=definitions.help_text("initiative_overdue"))

if shown.empty:
    message.markdown(hp.plan_key_message(tot, len(everything)))
    st.info("Ingen initiativer passer til de valgte filtre.")
    st.stop()

# --- status per principle -------------------------------------------------------------------
st.header("Status pr. princip")
counts = hp.status_counts(shown)
ui.chart(
    figures.counts_figure(counts),
    hp.counts_table(counts),
    tables=TABLES,
    shared=SHARED,
    key="handlingsplan-status",
    takeaway=hp.counts_takeaway(counts),
    title="Initiativer pr. princip og status",
)

# --- changed since a meeting ----------------------------------------------------------------
st.header("Ændret siden mødet")
meetings = hp.meeting_choices(day)
since = None
if not meetings:
    st.info(fmt.md(hp.no_meeting_held(day)))
else:
    default = hp.default_meeting_index(meetings, day)
    bad = ui.link_values(SINCE_KEY, meetings)
    chosen = st.selectbox(
        "Møde",
        list(meetings),
        index=default,
        key=SINCE_KEY,
        filter_mode=None,
        bind="query-params",
        help=definitions.help_text("changed_since"),
    )
    ui.link_notice(bad, "et møde", "Siden viser i stedet ændringerne siden sidste møde før i dag.")
    since = hp.changes(meetings[chosen or list(meetings)[default]], shown["initiative_id"], day)
    st.markdown(since.summary)
    st.subheader("Statusskift")
    if since.n_changed:
        ui.text_table(since.status_changes, units=PERCENT)
        st.caption(fmt.md(since.status_note))
    else:
        st.caption("Ingen initiativer har skiftet status siden mødet.")
    st.subheader("Nye bemærkninger")
    if not since.n_notes:
        st.caption("Ingen nye bemærkninger siden mødet.")
    elif not len(since.late_notes):
        ui.text_table(since.notes)
    else:  # the notes the meeting did not see, apart: dated after it, and dated for it but registered late
        for title, notes, note in (
            (hp.NOTES_AFTER, since.notes, None),
            (hp.NOTES_LATE, since.late_notes, hp.NOTES_LATE_NOTE),
        ):
            if len(notes):
                st.markdown(f"#### {title} ({fmt.number(len(notes))})")
                if note:
                    st.caption(fmt.md(note))
                ui.text_table(notes)
    ui.source(
        *TABLES,
        "meetings",
        note="Status ved mødet = seneste opdatering på eller før mødedatoen i det datasæt, mødet så",
    )

with message:
    meeting, n_changed = (since.meeting, since.n_changed) if since else (None, None)
    st.markdown(hp.plan_key_message(tot, len(everything), meeting, n_changed))

# --- timeline -------------------------------------------------------------------------------
st.header("Tidslinje")
fig, gantt_table = figures.gantt(shown, day)
ui.chart(
    fig,
    gantt_table,
    tables=TABLES,
    shared=SHARED,
    key="handlingsplan-tidslinje",
    takeaway=hp.timeline_takeaway(shown, day),
    title="Fra start til frist",
    note="Overskredet: fristen er passeret, og initiativet er ikke afsluttet",
)

# --- initiatives per principle --------------------------------------------------------------
st.header("Initiativer pr. princip")
for group in hp.groups(shown, opts.principle_names):
    st.subheader(group.heading, anchor=False)  # no anchor link made from data text
    st.caption(group.counts)
    ui.text_table(group.table, units=PERCENT)
ui.source(*TABLES)
ui.downloads(
    hp.initiative_table(shown), "handlingsplan-initiativer", "handlingsplan-tabel", tables=TABLES, shared=SHARED
)

# --- one initiative -------------------------------------------------------------------------
st.header("Detaljer om et initiativ")


@ui.fragment  # choosing another initiative reruns only this part
def one_initiative(shown, day) -> None:
    by_label = hp.initiative_choices(shown)
    bad = ui.link_values(INITIATIVE_KEY, by_label)
    pick = st.selectbox(
        "Initiativ",
        list(by_label),
        key=INITIATIVE_KEY,
        bind="query-params",
        placeholder="Vælg et initiativ …",
        help="Vælg et initiativ for at se beskrivelse, seneste bemærkning og statushistorik.",
    )
    ui.link_notice(bad, "et initiativ", "Det findes ikke, eller filtrene ovenfor skjuler det; her er det første.")
    d = hp.detail(by_label[pick or next(iter(by_label))], day)
    st.markdown(d.heading)
    d1, d2, d3 = st.columns(3)
    with d1:
        st.markdown("**Status**")
        st.text(d.status)
        st.progress(d.progress, text=d.progress_text)
    with d2:
        st.markdown("**Ansvarlig**")
        st.text(d.owner)
        st.markdown("**Periode**")
        st.text(d.period)
    with d3:
        st.markdown("**Princip**")
        st.text(d.principle)
    st.markdown("#### Beskrivelse")
    st.text(d.description)
    st.markdown(d.note_heading)
    st.text(d.note)
    st.markdown("#### Statushistorik")
    ui.text_table(d.history, units=PERCENT)
    ui.source(*TABLES, "meetings")


one_initiative(shown, day)
