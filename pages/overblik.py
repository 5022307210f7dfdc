"""Overblik (the default page): the key message and four blocks - Udgifter, Kapacitet, Centrale
udmeldinger, Handlingsplan - each with its headline numbers, one small chart and a link to its page
that keeps the shared filters. The numbers come from overblik/overblik.py.

Layout: the headline numbers of all four blocks form one row of four columns (on a 1440x900 laptop it
is on screen without scrolling); the small charts and links follow in four columns on a wide screen
(a 1920x1080 projector shows everything), two by two on a laptop, where four would be too narrow, and one
under the other where the page's content is narrower than 620 px (a phone, or 1024 px with the sidebar open).
"""

import streamlit as st

from overblik import charts, clock, costcurve, definitions, filters, fmt, udmeldinger, ui
from overblik import handlingsplan as hp
from overblik import kapacitet as kap
from overblik import overblik as overview

# Narrow columns: smaller metric numbers and labels that wrap instead of being cut off; the chart row
# wraps to two by two below 1700 px and to one column in a content box below 620 px (only the layout; no data text
# is in here).
CSS = """<style>
/* a heading for screen readers only, over the chart row (it takes no place in the layout) */
.st-key-ov-charts [data-testid="stElementContainer"]:has(.ov-sr) { position: absolute; width: 1px; height: 1px;
    overflow: hidden; clip-path: inset(50%); white-space: nowrap; margin: 0; padding: 0; }
.st-key-ov-headline h2 { font-size: clamp(1.3rem, 1.45vw, 1.5rem) !important; white-space: nowrap; }
.st-key-ov-headline [data-testid="stMetricValue"] { font-size: clamp(1.45rem, 1.55vw, 2.1rem); }
.st-key-ov-headline [data-testid="stMetricValue"] * { overflow: visible; text-overflow: clip; }
.st-key-ov-headline [data-testid="stMetricLabel"] *,
.st-key-ov-headline [data-testid="stMetricDelta"] * { white-space: normal !important; overflow: visible;
    text-overflow: clip; }
.st-key-ov-headline [data-testid="stMetricDelta"] { height: auto; }
.st-key-ov-headline [data-testid="stMetric"] { min-height: 8.5rem; }
/* Room for the verdict row above the headlines on a 1920x1080 projector: less space above the title, and the
   (empty) header band drawn transparent so it does not cover the title. Narrower screens keep the space. */
@media (min-width: 1200px) {
  [data-testid="stMainBlockContainer"] { padding-top: 1.5rem; }
  [data-testid="stHeader"] { background: transparent; }
}
@media (max-width: 1199.98px) { [data-testid="stMainBlockContainer"] { padding-top: 4rem; } }
.st-key-ov-curve [data-testid="stMetric"] > div { padding-top: 0.45rem; padding-bottom: 0.45rem; }
.st-key-ov-curve [data-testid="stMetricValue"] { font-size: clamp(1.25rem, 1.35vw, 1.6rem); }
.st-key-ov-charts h3 { font-size: 1.05rem !important; padding-bottom: 0.25rem; }
@media (max-width: 1700px) {
  .st-key-ov-charts > [data-testid="stLayoutWrapper"] > [data-testid="stHorizontalBlock"] {
      flex-wrap: wrap; row-gap: 1.5rem; }
  .st-key-ov-charts > [data-testid="stLayoutWrapper"] > [data-testid="stHorizontalBlock"] > [data-testid="stColumn"] {
      flex: 1 1 calc(50% - 1rem) !important; min-width: calc(50% - 1rem) !important; }
}
/* a phone (and a narrow window): one chart block under the other, each the full width (WCAG 1.4.10). By the width
   of the content box, not the window's: with the sidebar open (300 px) a 1024 px window has 564 px, and two by two
   left 274 px a chart, where the notice timeline's legend wrapped to two rows and took its eight rows' room. */
.st-key-ov-charts { container-type: inline-size; }
@container (max-width: 619.98px) {
  .st-key-ov-charts > [data-testid="stLayoutWrapper"] > [data-testid="stHorizontalBlock"] > [data-testid="stColumn"] {
      flex: 1 1 100% !important; min-width: 100% !important; }
}
</style>"""

NOT_FILTERED = {  # blocks the shared filters do not change, said where the block starts
    "Centrale udmeldinger": "De centrale udmeldinger er nationale: periode-, kommune- og områdefiltrene påvirker "
    "ikke denne blok.",
    "Handlingsplan": "Handlingsplanen er fælles for hele regionen: periode-, kommune- og områdefiltrene påvirker "
    "ikke denne blok.",
}
# The same, said in the block where the numbers are when a municipality or an area is chosen (the numbers
# then stand beside filtered ones, and a reader would take them for the choice's own)
WHOLE_REGION = {
    "Centrale udmeldinger": "Hele regionen: udmeldingerne gælder alle kommuner og både børn og voksne.",
    "Handlingsplan": "Hele regionen: handlingsplanen er fælles for alle kommuner og områder.",
}
SERVED = "tilbuddene betjener hele regionen og tæller, hvor de ligger."  # the capacity block's caption
PAGES = {
    "Udgifter": "pages/udgifter.py",
    "Kapacitet": "pages/kapacitet.py",
    "Centrale udmeldinger": "pages/centrale-udmeldinger.py",
    "Handlingsplan": "pages/handlingsplan.py",
}

f = filters.current()
ui.header(
    "Overblik",
    f"Rammeaftalen samlet · {f.view_label}",
)
st.html(CSS)

p = f.params()
day = clock.today()
spend = overview.spending(p, f.whole_region)
cap = overview.capacity_block(p)
notices = overview.notices(day)

# The layout first, so the meeting choice (drawn under the Handlingsplan block, below its chart and
# link so the four charts stay in one row) is known before the key message and the headline numbers.
message_box = st.container(key="ov-curve")
headline_box = st.container(key="ov-headline")
with st.container(key="ov-charts"):
    # The headline numbers' four h2s come first in the page's order, then the four charts: without a
    # heading of their own, a screen reader would file the charts under the last block, Handlingsplan.
    st.html('<h2 class="ov-sr">Grafer for de fire blokke</h2>')
    c1, c2, c3, c4_cols = st.columns(4)
c4 = c4_cols.container()  # the Handlingsplan block; the meeting choice follows it in the same column

meetings = hp.meeting_choices(day)
since_label = None
if meetings:
    bad = ui.link_values("siden", meetings)
    with c4_cols:
        since_label = st.selectbox(
            "Ændret siden mødet",
            list(meetings),
            index=hp.default_meeting_index(meetings, day),
            key="siden",
            bind="query-params",
            filter_mode=None,
            help=definitions.help_text("changed_since_last_meeting"),
        )
        ui.link_notice(bad, "et møde", "Siden viser i stedet ændringerne siden sidste møde før i dag.")
plan = overview.plan(day, since_label)

# The first thing read: is the cost curve bending? The verdict with its sentence, the reason one click away
# (Udgifter's section "Knækker udgiftskurven?"), and the key message beside it.
curve = costcurve.view(p, f.scope_label)
with message_box:
    v1, v2 = st.columns([0.24, 0.76])
    # no delta: the deviation is in the sentence beside it (and the four blocks stay on a projector screen)
    with v1.container(gap="small"):
        ui.metric("Knækker udgiftskurven?", curve.verdict.value, help=curve.details + " " + curve.method)
        st.page_link(PAGES["Udgifter"], label="Se kurven og årsagerne", icon=":material/trending_down:")
    sentences = v2.container(gap="small")
    sentences.markdown(f"**{curve.verdict.sentence}**")
region = kap.covers_region(f.chosen, f.all_municipalities)  # the place count is the whole region's
message = overview.key_message(spend, cap, notices, plan, f.area_label, f.chosen_names, region)
if message:
    sentences.markdown(f"**{message}**")


def metric(h: overview.Headline) -> None:
    st.metric(
        h.label,
        h.value,
        delta=h.delta,
        delta_color=h.delta_color,
        delta_arrow=h.delta_arrow,
        help=h.help,
        border=True,
        height="stretch",
    )


# --- Headline numbers of the four blocks: one column per block, its heading, numbers and caption in
# reading order (a screen reader, and the 2 x 2 / stacked layout of a narrow screen, keep them together)
heads = overview.headlines(spend, cap, notices, plan)
with headline_box:
    h1, h2, h3, h4 = st.columns(4)
    for col, (title, pair) in zip((h1, h2, h3, h4), heads.items()):
        with col:
            st.header(title, anchor=False, help=NOT_FILTERED.get(title))
            for h in pair:
                metric(h)
h1.caption(overview.spending_caption(spend, f.whole_region, f.scope_label, f.area))
h2.caption(
    "Egnede tilbud: kommunernes egen indberetning. Manglende pladser = belagte (hele) + ventende − udbudte "
    "pladser" + (f"; {SERVED}" if region else f". **{kap.REGION_SIGNAL.capitalize()}:** {SERVED}")
    # below region level the count is a rough signal (Kapacitet says why at length: kapacitet.region_note)
)
# the blocks the filters do not change, said in visible text when a filter would seem to apply
scoped = not f.whole_region or f.area_key != "alle"
unfiltered = {title: f"**{WHOLE_REGION[title]}**" if scoped else "" for title in WHOLE_REGION}
lines = []
if notices.latest:
    d = notices.latest
    lines.append(
        f"**Seneste beslutning** {fmt.pdate(d['decision_date'])}: {fmt.md(d['notice_id'])} "
        f"{fmt.md(fmt.shorten(d['target_group'], 34))}"
    )
if len(notices.open):
    lines.append(
        "**Åbne:** "
        + "; ".join(
            f"{fmt.md(i)} {fmt.md(fmt.shorten(g, 40))}"
            for i, g in zip(notices.open["Udmelding"], notices.open["Målgruppe"])
        )
    )
h3.caption("  \n".join(filter(None, [unfiltered["Centrale udmeldinger"], *lines])))
changes = overview.change_lines(plan)
rest = plan.n_changed - len(changes)
if changes or unfiltered["Handlingsplan"]:
    h4.caption(
        unfiltered["Handlingsplan"]
        + ("\n\n" if changes and unfiltered["Handlingsplan"] else "")
        + "\n".join(f"- {fmt.md(x)}" for x in changes)
        + (f"\n- og {fmt.count(rest, 'initiativ', 'initiativer')} mere" if rest > 0 else "")
    )
t = plan.totals

# --- Small charts, their numbers and the links (columns c1-c4 above) -----------------------------


def block(
    col,
    name: str,
    built,
    tables: tuple[str, ...],
    shared: tuple[str, ...],
    title: str,
    key: str,
    note: str = "",
    empty: str = "",
    takeaway: str = "",
    link_query: dict[str, str] | None = None,
) -> None:
    """One block's chart with its title and one-line source, then 'Vis tal' and the link to its page.
    `shared`: the shared filters that change the block's table (named in its downloads). `link_query`: the
    detail page's own choices the link sets (the shared filters are carried over by Streamlit, never repeated
    in the link: they would be doubled)."""
    with col:
        st.subheader(title, anchor=False)
        if built is None:
            st.info(empty)
        else:
            fig, _table = built
            st.plotly_chart(
                charts.safe(fig),
                config=overview.CHART_CONFIG,
                key=f"{key}-fig",
                width="stretch",
                theme=None,
                alt=charts.alt(title, fig, takeaway),
            )
            ui.source_line(*tables, note=note, takeaway=takeaway)
        with st.container(horizontal=True, vertical_alignment="center"):
            if built is not None:
                ui.numbers_popover(built[1], title, key, tables=tables, shared=shared)
            st.page_link(PAGES[name], label=f"Gå til {name}", icon=":material/arrow_forward:", query_params=link_query)


block(
    c1,
    "Udgifter",
    overview.spending_figure(spend) if not spend.trend.empty else None,
    overview.SPENDING_TABLES,
    filters.KEYS,
    f"Udgifter pr. område, mio. kr. ({spend.price_year}-priser)",
    "ov-udgifter",
    empty="Ingen regnskabstal i perioden.",
    takeaway=overview.spending_takeaway(spend),
    link_query=overview.SPENDING_LINK,
)
block(
    c2,
    "Kapacitet",
    overview.capacity_figure(cap) if cap.year is not None else None,
    overview.CAPACITY_TABLES,
    filters.KEYS,
    f"Mangel og belægning pr. målgruppe, {cap.year}" if cap.year else "Mangel og belægning pr. målgruppe",
    "ov-kapacitet",
    empty=overview.NO_CAPACITY,
    takeaway=overview.capacity_takeaway(cap),
)
block(
    c3,
    "Centrale udmeldinger",
    overview.notice_figure(notices, day),
    overview.NOTICE_TABLES,
    udmeldinger.SHARED_FILTERS,
    "Fra udmelding til beslutning",
    "ov-udmeldinger",
    note="Nationale udmeldinger: påvirkes ikke af filtrene",
    takeaway=overview.notice_takeaway(notices),
)
block(
    c4,
    "Handlingsplan",
    overview.plan_figure(plan),
    overview.PLAN_TABLES,
    hp.SHARED_FILTERS,
    f"{fmt.count(t['total'], 'initiativ', 'initiativer')} efter status i dag",
    "ov-handlingsplan",
    note="Hele regionens handlingsplan: påvirkes ikke af filtrene",
    takeaway=overview.plan_takeaway(plan),
)

# --- Since the meeting (compact; everything on the page "Siden sidste møde") and the meeting pack ----
if meetings and since_label in meetings:
    from overblik import data, meetingpack
    from overblik import siden as sd

    st.divider()
    st.header("Siden mødet", anchor=False)  # a section of its own (h2), not part of the Handlingsplan block
    since = meetings[since_label]
    cmp_ = sd.compare(since, p, f.whole_region, day)
    s1, s2 = st.columns([0.7, 0.3], vertical_alignment="center")
    s1.markdown(f"**{fmt.md(cmp_.summary())}**")
    s1.caption(fmt.md(cmp_.snapshot_text()))
    with s2:
        st.page_link("pages/siden-sidste-moede.py", label="Se alt, der er ændret", icon=":material/history:")
        sid = data.snapshot_id()
        ui.meeting_pack_button(
            lambda url: meetingpack.build(f, since, sid=sid, day=day, base_url=url),
            meetingpack.file_name(since, f),
            key="ov-pack",
        )
