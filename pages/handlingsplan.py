"""Handlingsplan: the initiatives by principle, their status today, timeline, what changed since a meeting."""

import streamlit as st

from overblik import charts, definitions, fmt, status, ui

# URL keys of the page's choices
PRINCIPLE_KEY, STATUS_KEY, OWNER_KEY = "princip", "initiativstatus", "ansvarlig"
SINCE_KEY, INITIATIVE_KEY = "siden", "initiativ"
TABLES = ("initiatives", "initiative_updates", "principles")


def progress(label: str, width: int = 100):
    return st.column_config.ProgressColumn(label, format="%d %%", min_value=0, max_value=100, width=width)


PROGRESS, PROGRESS_AT, PROGRESS_NOW = (progress("Fremdrift"), progress("Fremdrift ved mødet", 140),
                                       progress("Fremdrift nu"))
WIDTHS = {"Id": 56, "Initiativ": 205, "Status": 130, "Frist": 100, "Ansvarlig": 160, "Seneste bemærkning": 225}
ROW = 68  # rows this high wrap their text onto two lines
INITIATIVE_COLUMNS = {**{c: st.column_config.TextColumn(c, width=w) for c, w in WIDTHS.items()}, "Fremdrift": PROGRESS}

ui.header("Handlingsplan", "Initiativerne under de fælles principper og udviklingsområdet", tables=TABLES)
st.caption("Handlingsplanen er fælles for hele regionen, så periode-, kommune- og områdefiltrene i sidepanelet "
           "påvirker ikke denne side. Status er den seneste, sekretariatet har registreret på eller før i dag.")

day = status.today()
everything = status.initiatives(day)
message = st.container()  # filled below, once the meeting choice is known

f1, f2, f3 = st.columns(3)
names = dict(zip(everything["principle_id"], everything["principle_name"]))
principles = f1.multiselect("Princip", sorted(names), format_func=lambda p: status.principle_label(p, names[p]),
                            key=PRINCIPLE_KEY, bind="query-params", placeholder="Alle principper")
statuses = f2.multiselect("Status", list(charts.STATUS_ORDER), format_func=status.status_filter_label,
                          key=STATUS_KEY, bind="query-params", placeholder="Alle statusser",
                          help=definitions.help_text("initiative_status"))
owners = f3.multiselect("Ansvarlig", sorted(everything["owner"].unique()), key=OWNER_KEY, bind="query-params",
                        placeholder="Alle ansvarlige")
shown = status.filter_initiatives(everything, principles, statuses, owners)

tot = status.totals(shown)
cols = st.columns(6)
for col, s in zip(cols, charts.STATUS_ORDER):
    with col:
        ui.metric(charts.status_label(s), fmt.number(tot[s]), help=definitions.help_text("initiative_status"))
with cols[5]:
    ui.metric(status.OVERDUE, fmt.number(tot["overdue"]), help=definitions.help_text("initiative_overdue"))

if shown.empty:
    message.markdown(status.plan_key_message(tot, len(everything)))
    st.info("Ingen initiativer passer til de valgte filtre.")
    st.stop()

# --- status per principle -------------------------------------------------------------------
st.subheader("Status pr. princip")
counts = status.status_counts(shown)
ui.chart(status.counts_figure(counts), status.counts_table(counts), tables=TABLES, key="handlingsplan-status",
         title="Initiativer pr. princip og status")

# --- changed since a meeting ----------------------------------------------------------------
st.subheader("Ændret siden mødet")
mtgs = status.meetings(day)
since_row, n_changed = None, None
if mtgs.empty:
    st.info("Der er ingen møder registreret endnu.")
else:
    labels = {status.meeting_label(r): r for _, r in mtgs.iterrows()}
    raw = st.query_params.get_all(SINCE_KEY)
    chosen = st.selectbox("Møde", list(labels), index=status.default_meeting_index(mtgs), key=SINCE_KEY,
                          bind="query-params", help=definitions.help_text("changed_since"))
    bad = status.invalid_choice(raw, labels)
    if bad:
        st.caption("⚠ Linket havde en ukendt mødedato, som er erstattet af forrige møde: " + ", ".join(bad))
    since_row = labels[chosen or list(labels)[status.default_meeting_index(mtgs)]]
    since = since_row["meeting_date"]
    changed, notes = status.changes(since, shown["initiative_id"], day)
    n_changed = int(changed["status_changed"].sum())
    st.markdown(
        f"Siden **{fmt.md(since_row['title'])}** ({fmt.date(since)}): "
        f"**{fmt.count(n_changed, 'initiativ', 'initiativer')}** har skiftet status, og der er "
        f"**{fmt.count(len(notes), 'ny bemærkning', 'nye bemærkninger')}**."
    )
    st.markdown("**Statusskift**")
    if n_changed:
        st.dataframe(status.status_changes_table(changed), hide_index=True, width="stretch",
                     column_config={"Id": st.column_config.TextColumn("Id", width=56),
                                    "Initiativ": st.column_config.TextColumn("Initiativ", width=300),
                                    "Statusskift": st.column_config.TextColumn("Statusskift", width=230),
                                    "Fremdrift ved mødet": PROGRESS_AT, "Fremdrift nu": PROGRESS_NOW})
    else:
        st.caption("Ingen initiativer har skiftet status siden mødet.")
    st.markdown("**Nye bemærkninger**")
    if len(notes):
        st.dataframe(status.notes_table(notes), hide_index=True, width="stretch",
                     column_config={"Id": st.column_config.TextColumn("Id", width=56),
                                    "Initiativ": st.column_config.TextColumn("Initiativ", width=300),
                                    "Bemærkning": st.column_config.TextColumn("Bemærkning", width="large")})
    else:
        st.caption("Ingen nye bemærkninger siden mødet.")
    ui.source(*TABLES, "meetings", note="Status ved mødet = seneste opdatering på eller før mødedatoen")

with message:
    st.markdown(status.plan_key_message(tot, len(everything), since_row, n_changed))

# --- timeline -------------------------------------------------------------------------------
st.subheader("Tidslinje")
fig, gantt_table = status.gantt(shown, day)
ui.chart(fig, gantt_table, tables=TABLES, key="handlingsplan-tidslinje", title="Fra start til frist",
         note="Overskredet: fristen er passeret, og initiativet er ikke afsluttet")

# --- initiatives per principle --------------------------------------------------------------
st.subheader("Initiativer pr. princip")
for pid, group in shown.groupby("principle_id", sort=True):
    st.markdown(f"**{fmt.md(status.principle_label(pid, names[pid]))}**")
    st.caption(status.counts_line(group))
    st.dataframe(status.initiative_table(group), hide_index=True, width="stretch", row_height=ROW,
                 height=ROW * len(group) + 40, column_config=INITIATIVE_COLUMNS)
ui.source(*TABLES)
ui.downloads(status.initiative_table(shown), "handlingsplan-initiativer", "handlingsplan-tabel")

# --- one initiative -------------------------------------------------------------------------
st.subheader("Detaljer om et initiativ")
by_label = {f"{r['initiative_id']} {r['title']}": r for _, r in shown.iterrows()}
pick = st.selectbox("Initiativ", list(by_label), key=INITIATIVE_KEY, bind="query-params",
                    help="Vælg et initiativ for at se beskrivelse, seneste bemærkning og statushistorik.")
row = by_label[pick or list(by_label)[0]]
st.markdown(f"#### {fmt.md(row['initiative_id'])} {fmt.md(row['title'])}")
d1, d2, d3 = st.columns(3)
with d1:
    st.markdown("**Status**")
    st.text(row["status_label"] + (f"   {status.OVERDUE}" if row["overdue"] else ""))
    st.progress(int(row["progress_pct"]), text=f"Fremdrift {fmt.pct(row['progress_pct'], 0)}")
with d2:
    st.markdown("**Ansvarlig**")
    st.text(row["owner"])
    st.markdown("**Periode**")
    st.text(f"{fmt.date(row['start_date'])} – {fmt.date(row['deadline'])}")
with d3:
    st.markdown("**Princip**")
    st.text(status.principle_label(row["principle_id"], row["principle_name"]))
st.markdown("**Beskrivelse**")
st.text(status.plain(row["description"]))
st.markdown(f"**Seneste bemærkning** ({fmt.date(row['update_date'])})")
st.text(status.plain(row["note"]))
st.markdown("**Statushistorik**")
st.dataframe(status.history_table(status.history(row["initiative_id"], day)), hide_index=True, width="stretch",
             column_config={"Fremdrift": PROGRESS,
                            "Bemærkning": st.column_config.TextColumn("Bemærkning", width="large")})
ui.source(*TABLES, "meetings")
