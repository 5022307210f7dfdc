"""Kapacitet: capacity gap per target group, occupancy and demand over time, reported difficulty per
municipality, the offers with their occupancy flags and history, secured units and national offers.

URL keys of this page: maalgruppe (target group), indberetning (heat-map year), driftsherre and
flag (offer filters), tilbud (the offer whose history is shown).
"""

import streamlit as st

from overblik import definitions, filters, fmt, ui
from overblik import kapacitet as kap
from overblik import kapacitet_figures as figs

f = filters.current()
p = f.params()
ui.header(
    "Kapacitet",
    f"Sammenhæng mellem udbud og efterspørgsel pr. målgruppe · {f.view_label}",
    tables=kap.TABLES,
)

gap = kap.gap_by_target_group(**p)
s = kap.summary(gap)
# the offer list's year: the reports' year, or (a period before the reports began in 2026) the period's
# latest year with offers
offer_year = s.year if s.year is not None else kap.offer_year(**p)
region = kap.covers_region(f.chosen, f.all_municipalities)
GAP_TABLES = ("offers", "offer_years", "demand", "target_groups")
# The shared filters that change a table (written in its downloads and picture): all three for the target
# groups, the heat map and the offers (their year is the period's latest, or one of its years); the period
# only for an offer's history and the secured units (not filtered by municipality or area); none for the
# national offers (a list from 2015).
ALL_FILTERS = filters.KEYS
PERIOD_ONLY = (filters.YEARS_KEY,)


def chart(fig, table, shared=ALL_FILTERS, **kw) -> None:
    ui.chart(fig, table, column_config=ui.number_columns(table), shared=shared, **kw)


SCOPE_NOTE = (
    "Tilbud tælles i den kommune, hvor de ligger; ventende borgere, borgere i private tilbud og "
    "enkeltmandsforanstaltninger i den kommune, der har indberettet dem."
)
SURVEY_NOTE = (
    "De seks målgrupper blev identificeret i kommunernes fælleskommunale afdækning i starten af 2026 "
    "(Rammeaftale 2027-28, udkast: »Der blev i starten af 2026 lavet en fælleskommunal afdækning i "
    "Midtjylland af, hvilke komplekse målgrupper kommunerne ... oplever størst udfordringer med at finde "
    "relevante tilbud til«). Kommunernes indberetning pr. målgruppe findes derfor fra 2026."
)

# --- Key message -------------------------------------------------------------------------------
if s.year is None:
    st.info(
        f"Der er ingen indberetninger fra kommunerne og tilbudsdata for samme år i perioden {f.period_label}. "
        "Kommunernes indberetning pr. målgruppe findes fra 2026: vælg en periode, der omfatter 2026, i filtret "
        "til venstre."
        + (f" Tilbuddene under rammeaftalen i {offer_year} står længere nede." if offer_year is not None else "")
    )
else:
    st.markdown(kap.key_message(s))
    if note := kap.region_note(f.chosen, f.all_municipalities):
        st.warning(note, icon=":material/info:")
    with ui.row():
        for m in kap.headline_metrics(s):
            ui.metric(
                m.label,
                m.value,
                delta=m.delta,
                delta_color=m.delta_color,
                delta_arrow=m.delta_arrow,
                help=definitions.help_text(m.help_key),
            )

    st.header(f"Målgrupperne: kommunernes indberetning og pladstallet, {s.year}")
    latest = kap.year_rows(gap, s.year)
    groups = figs.groups_table(latest)
    ui.dataframe(
        groups,
        hide_index=True,
        width="stretch",
        placeholder=fmt.MISSING,
        column_config={
            **ui.number_columns(groups),
            "Vurdering": st.column_config.TextColumn("Vurdering", help=definitions.help_text("lacks_suitable")),
            "Svært at finde tilbud": st.column_config.TextColumn(
                "Svært at finde tilbud",
                help="Kommuner, der oplever betydelige eller store vanskeligheder (2-3) med at finde et tilbud til "
                "målgruppen, af de kommuner, der har indberettet. Har ikke alle de valgte kommuner indberettet, står "
                "det over tabellen; tabellen under »Vis tal« har antallet pr. målgruppe. "
                + definitions.help_text("reports"),
            ),
        },
    )
    ui.source(*GAP_TABLES, note=SURVEY_NOTE)
    ui.downloads(
        figs.gap_table(latest), f"maalgrupper-{s.year}", "kap-maalgrupper", tables=GAP_TABLES, shared=ALL_FILTERS
    )

    chart(
        figs.gap_overview_figure(gap),
        figs.gap_overview_table(gap),
        tables=GAP_TABLES,
        key="kap-gap",
        takeaway=kap.gap_takeaway(gap),
        title=f"Pladstallet: manglende (+) eller ledige pladser (−) pr. målgruppe, {s.year}",
        note=SCOPE_NOTE if not region else "",
    )
    st.caption(definitions.help_text("capacity_gap"))

# --- Over time, per target group ---------------------------------------------------------------
names = kap.target_group_names(gap)
if s.year is not None:
    st.header("Udvikling over tid")
    one_year = len(kap.years(gap)) < 2
    bad = ui.link_values("maalgruppe", ["Alle", *names])
    choice = (
        st.segmented_control(
            "Målgruppe",
            options=[kap.ALL, *names],
            format_func=lambda g: "Alle" if g == kap.ALL else g,
            default=kap.ALL,
            required=True,
            key="maalgruppe",
            bind="query-params",
            help="Vælg én målgruppe for at se den alene (gælder også tilbudslisten nedenfor). "
            + " ".join(f"{g}: {fmt.md(n)}." for g, n in names.items()),
        )
        or kap.ALL
    )
    ui.link_notice(bad, "en målgruppe", "Siden viser i stedet alle målgrupper.")
    if one_year:
        if choice != kap.ALL:
            st.caption(f"**{choice}:** {fmt.md(names.get(choice, ''))}.")
        st.caption(
            f"Kommunerne har indberettet pr. målgruppe for {s.year} alene: der er endnu ingen udvikling at vise. "
            "Valget af målgruppe gælder tilbudslisten nedenfor."
        )
    elif choice == kap.ALL:
        st.caption(f"Alle {len(names)} målgrupper side om side på samme skala. {SCOPE_NOTE}")
        chart(
            figs.gap_small_multiples(gap),
            figs.gap_table(gap),
            tables=GAP_TABLES,
            key="kap-gap-tid",
            takeaway=kap.gap_trend_takeaway(gap),
            title="Mangel (+) eller ledige pladser (−) pr. år",
        )
        chart(
            figs.signals_small_multiples(gap),
            figs.gap_table(gap),
            tables=GAP_TABLES,
            key="kap-signaler",
            takeaway=kap.signals_takeaway(gap),
            title="Ventende borgere, borgere i private tilbud og enkeltmandsforanstaltninger pr. år",
        )
        chart(
            figs.occupancy_small_multiples(gap),
            figs.gap_table(gap),
            tables=GAP_TABLES,
            key="kap-belaegning",
            takeaway=kap.occupancy_takeaway(gap),
            title="Belægning pr. år (vægtet med pladser)",
        )
    else:
        one = gap[gap["target_group_id"] == choice]
        st.caption(f"**{choice}:** {fmt.md(names.get(choice, ''))}. {SCOPE_NOTE}")
        chart(
            figs.supply_demand_figure(one),
            figs.gap_table(one),
            tables=GAP_TABLES,
            key="kap-udbud",
            takeaway=kap.gap_trend_takeaway(one),
            title=f"{choice}: efterspurgte pladser (søjler) mod udbudte pladser (linje)",
            note="Når søjlen er mindst én plads højere end linjen, mangler der pladser",
        )
        chart(
            figs.signals_figure(one),
            figs.gap_table(one),
            tables=GAP_TABLES,
            key="kap-signaler-1",
            takeaway=kap.signals_takeaway(one),
            title=f"{choice}: ventende borgere, borgere i private tilbud og enkeltmandsforanstaltninger",
        )
        chart(
            figs.occupancy_figure(one),
            figs.gap_table(one),
            tables=GAP_TABLES,
            key="kap-belaegning-1",
            takeaway=kap.occupancy_takeaway(one),
            title=f"{choice}: belægning (vægtet med pladser)",
        )
else:
    choice = kap.ALL

# --- Heat map: reported difficulty -------------------------------------------------------------
if s.year is not None:
    st.header("Oplevede vanskeligheder pr. kommune")
    years = kap.years(gap)
    c1, c2 = st.columns([0.25, 0.75], vertical_alignment="bottom")
    bad = ui.link_values("indberetning", map(str, years))
    with c1:
        year = st.selectbox(
            "År for indberetningen",
            options=years,
            index=len(years) - 1,
            format_func=str,
            key="indberetning",
            bind="query-params",
            filter_mode=None,
            help="Standard er det seneste år i perioden.",
        )
        ui.link_notice(bad, "et år", "Siden viser i stedet det seneste år.")
    with c2:
        st.caption(definitions.help_text("difficulty"))
    diff = kap.difficulty(year=year, municipalities=p["municipalities"], area=p["area"])
    chart(
        figs.difficulty_figure(diff),
        figs.difficulty_table(diff),
        tables=("demand", "municipalities"),
        key="kap-vanskelighed",
        takeaway=kap.difficulty_takeaway(diff, year),
        title=f"Hvor svært er det at finde et tilbud? Kommunernes indberetning {year}",
        note="– = ingen indberetning",
    )

# --- Offers ------------------------------------------------------------------------------------
if offer_year is not None:
    st.header(f"Tilbud under rammeaftalen, {offer_year}")


@ui.fragment  # the offer filters and the chosen offer rerun only this part of the page
def offers_section() -> None:
    all_offers = kap.offers(year=offer_year, municipalities=p["municipalities"], area=p["area"])
    operator_names = kap.operator_names(all_offers)
    bad_ops = ui.link_values("driftsherre", operator_names.values())
    bad_flag = ui.link_values("flag", kap.FLAG_FILTERS.values())
    c1, c2 = st.columns([0.55, 0.45], vertical_alignment="bottom")
    with c1:
        chosen_ops = st.multiselect(
            "Driftsherre",
            options=list(operator_names),
            format_func=operator_names.get,
            key="driftsherre",
            bind="query-params",
            placeholder="Alle driftsherrer",
            select_all=False,
        )
    with c2:
        flag = (
            st.segmented_control(
                "Vis",
                options=list(kap.FLAG_FILTERS),
                format_func=kap.FLAG_FILTERS.get,
                default=kap.ALL,
                required=True,
                key="flag",
                bind="query-params",
                help=definitions.help_text("below_budget") + " " + definitions.help_text("over_occupancy"),
            )
            or kap.ALL
        )
    ui.link_notice(bad_ops, "en driftsherre", "Den er sprunget over.")
    ui.link_notice(bad_flag, "et valg under 'Vis'", "Siden viser i stedet alle tilbud.")
    base = kap.filter_offers(all_offers, target_group=choice, operators=chosen_ops)
    shown = kap.filter_offers(base, flag=flag)
    st.markdown(
        kap.flag_summary(
            base, target_group=choice, place="hele regionen" if region else fmt.md(f.scope_label), area=p["area"]
        )
    )
    table = figs.offers_table(shown)
    if table.empty:  # an empty grid says 'empty', in English
        st.info("Ingen tilbud passer til de valgte filtre.")
    else:
        offer_tables = ("offers", "offer_years", "operators")
        ui.table(  # every column in view at 1440 px; location, legal basis and id under "Vis alle kolonner"
            table,
            f"tilbud-{offer_year}",
            "kap-tilbud",
            tables=offer_tables,
            shared=ALL_FILTERS,
            grid=figs.offers_grid(shown),
            columns=figs.OFFER_GRID,
            height=min(420, 38 + 35 * len(table)),
            full=True,
        )
        ui.source(*offer_tables, note="Klik på en kolonneoverskrift for at sortere")

    labels = kap.offer_labels(shown)
    bad = ui.link_values("tilbud", labels.values())
    offer = st.selectbox(
        "Vis udviklingen for et tilbud",
        options=list(labels),
        format_func=labels.get,
        index=None,
        key="tilbud",
        bind="query-params",
        placeholder="Vælg et tilbud fra listen …",
    )
    ui.link_notice(bad, "et tilbud", "Det findes ikke, eller filtrene ovenfor skjuler det.")
    if offer:
        hist = kap.offer_history(offer, year_from=f.year_from, year_to=f.year_to)
        chart(
            figs.history_figure(hist),
            figs.history_table(hist),
            tables=("offer_years",),
            shared=PERIOD_ONLY,
            key="kap-historik",
            takeaway=kap.history_takeaway(hist),
            title=f"{fmt.md(labels[offer])}: pladser, belægning mod budget og takst",
        )


if offer_year is not None:
    offers_section()

# --- Secured units and national offers ---------------------------------------------------------
st.header("Sikrede afdelinger og landsdækkende tilbud")
sec = kap.secured_units(year_from=f.year_from, year_to=f.year_to)
illustrative = kap.occupancy_is_illustrative()
st.caption(
    "De sikrede afdelinger følges i den tværregionale koordination. Antallet af sikrede pladser er reelt "
    "(oplyst af driftsherrerne); belægningen kommer fra tabellen Tilbud pr. år"
    + (" og er fiktive eksempeldata." if illustrative else ".")
    + " Afsnittet påvirkes ikke af kommune- og områdefiltret."
)
units = figs.secured_units_table(sec, s.year, illustrative)
# a few units with long notes: a table of texts, every cell shown whole (a grid cut "Pladser som oplyst ...")
ui.table(
    units,
    "sikrede-afdelinger",
    "kap-sikrede-tabel",
    tables=("secured_units", "offer_years"),
    shared=PERIOD_ONLY,
    text=True,
    grid=units.drop(columns="Kilde"),  # the sources are in the caption under it and in the downloads
)
ui.source("secured_units", "offer_years")
if sec["year"].notna().any():
    chart(
        figs.secured_figure(sec),
        figs.secured_history_table(sec),
        tables=("secured_units", "offer_years"),
        shared=PERIOD_ONLY,
        key="kap-sikrede",
        takeaway=kap.secured_takeaway(sec),
        title="Belægning på de sikrede afdelinger pr. år",
    )

st.subheader("Lands- og landsdelsdækkende tilbud")
nat = kap.national_offers()
st.caption(
    "Reelle data: listen over de lands- og landsdelsdækkende tilbud fra kapacitetsrapporten maj 2015. "
    "Listen er ikke opdateret siden 2015."
)
# a table of texts, every note shown whole (the grid ran "Region Sjælland; skole- og botilbud ..." into its edge)
ui.table(
    figs.national_offers_table(nat),
    "landsdaekkende-tilbud",
    "kap-landsdaekkende",
    tables=("national_offers",),
    shared=(),
    text=True,
)
ui.source("national_offers")
