"""Kapacitet: capacity gap per target group, occupancy and demand over time, reported difficulty per
municipality, the offers with their occupancy flags and history, secured units and national offers.

URL keys of this page: maalgruppe (target group), indberetning (heat-map year), driftsherre and
flag (offer filters), tilbud (the offer whose history is shown).
"""

import streamlit as st

from overblik import capacity as cap
from overblik import data, definitions, filters, fmt, ui

f = filters.current()
p = f.params()
ui.header("Kapacitet", f"Mangel på pladser pr. målgruppe · {f.scope_label} · {f.period_label}")

gap = cap.gap_by_target_group(**p)
s = cap.summary(gap)
GAP_TABLES = ("offers", "offer_years", "demand", "target_groups")


def chart(fig, table, **kw) -> None:
    ui.chart(fig, table, column_config=ui.number_columns(table), **kw)

SCOPE_NOTE = ("Tilbud tælles i den kommune, hvor de ligger; ventende borgere, private anbringelser og "
              "enkeltmandsforanstaltninger i den kommune, der har indberettet dem.")

# --- Key message -------------------------------------------------------------------------------
if s.year is None:
    st.info(f"Der er ingen kapacitetsdata (tilbud og indberetninger) i perioden {f.period_label}. "
            "Vælg en anden periode i filtret til venstre.")
else:
    st.markdown(cap.key_message(s))
    for col, m in zip(st.columns(4), cap.headline_metrics(s)):
        with col:
            ui.metric(m.label, m.value, delta=m.delta, delta_color=m.delta_color, delta_arrow=m.delta_arrow,
                      help=definitions.help_text(m.help_key))

    chart(cap.gap_overview_figure(gap), cap.gap_overview_table(gap), tables=GAP_TABLES, key="kap-gap",
          title=f"Mangel (+) eller ledige pladser (−) pr. målgruppe, {s.year}",
          note=SCOPE_NOTE if not f.whole_region else "")
    st.caption(definitions.help_text("capacity_gap"))

# --- Over time, per target group ---------------------------------------------------------------
groups = gap[["target_group_id", "short_name", "name"]].drop_duplicates().sort_values("target_group_id")
names = dict(zip(groups["target_group_id"], groups["name"]))
if s.year is not None:
    st.subheader("Udvikling over tid")
    choice = st.segmented_control(
        "Målgruppe",
        options=[cap.ALL, *groups["target_group_id"]],
        format_func=lambda g: "Alle" if g == cap.ALL else g,
        default=cap.ALL,
        required=True,
        key="maalgruppe",
        bind="query-params",
        help="Vælg én målgruppe for at se den alene (gælder også tilbudslisten nedenfor). "
             + " ".join(f"{g}: {n}." for g, n in names.items()),
    ) or cap.ALL
    if choice == cap.ALL:
        st.caption(f"Alle {len(groups)} målgrupper side om side på samme skala. {SCOPE_NOTE}")
        chart(cap.gap_small_multiples(gap), cap.gap_table(gap), tables=GAP_TABLES, key="kap-gap-tid",
              title="Mangel (+) eller ledige pladser (−) pr. år")
        chart(cap.signals_small_multiples(gap), cap.gap_table(gap), tables=GAP_TABLES, key="kap-signaler",
              title="Ventende borgere, private anbringelser og enkeltmandsforanstaltninger pr. år")
        chart(cap.occupancy_small_multiples(gap), cap.gap_table(gap), tables=GAP_TABLES, key="kap-belaegning",
              title="Belægning pr. år (vægtet med pladser)")
    else:
        one = gap[gap["target_group_id"] == choice]
        st.caption(f"**{choice}:** {fmt.md(names.get(choice, ''))}. {SCOPE_NOTE}")
        chart(cap.supply_demand_figure(one), cap.gap_table(one), tables=GAP_TABLES, key="kap-udbud",
              title=f"{choice}: efterspurgte pladser (søjler) mod udbudte pladser (linje)",
              note="Når søjlen er højere end linjen, mangler der pladser")
        chart(cap.signals_figure(one), cap.gap_table(one), tables=GAP_TABLES, key="kap-signaler-1",
              title=f"{choice}: ventende borgere, private anbringelser og enkeltmandsforanstaltninger")
        chart(cap.occupancy_figure(one), cap.gap_table(one), tables=GAP_TABLES, key="kap-belaegning-1",
              title=f"{choice}: belægning (vægtet med pladser)")
else:
    choice = cap.ALL

# --- Heat map: reported difficulty -------------------------------------------------------------
if s.year is not None:
    st.subheader("Oplevede vanskeligheder pr. kommune")
    years = sorted(int(y) for y in gap["year"].unique())
    c1, c2 = st.columns([0.25, 0.75], vertical_alignment="bottom")
    with c1:
        year = st.selectbox("År for indberetningen", options=years, index=len(years) - 1, format_func=str,
                            key="indberetning", bind="query-params",
                            help="Standard er det seneste år i perioden.")
    with c2:
        st.caption(definitions.help_text("difficulty"))
    diff = cap.difficulty(year=year, municipalities=p["municipalities"], area=p["area"])
    chart(cap.difficulty_figure(diff), cap.difficulty_table(diff), tables=("demand", "municipalities"),
          key="kap-vanskelighed", title=f"Hvor svært er det at finde et tilbud? Kommunernes indberetning {year}",
          note="– = ingen indberetning")

# --- Offers ------------------------------------------------------------------------------------
if s.year is not None:
    st.subheader(f"Tilbud under rammeaftalen, {s.year}")
    all_offers = cap.offers(year=s.year, municipalities=p["municipalities"], area=p["area"])
    operators = (all_offers[["operator_code", "operator"]].drop_duplicates().sort_values("operator"))
    operator_names = dict(zip(operators["operator_code"], operators["operator"]))
    c1, c2 = st.columns([0.55, 0.45], vertical_alignment="bottom")
    with c1:
        chosen_ops = st.multiselect("Driftsherre", options=list(operator_names), format_func=operator_names.get,
                                    key="driftsherre", bind="query-params", placeholder="Alle driftsherrer")
    with c2:
        flag = st.segmented_control("Vis", options=list(cap.FLAG_FILTERS), format_func=cap.FLAG_FILTERS.get,
                                    default=cap.ALL, required=True, key="flag", bind="query-params",
                                    help=definitions.help_text("below_budget") + " "
                                    + definitions.help_text("over_occupancy")) or cap.ALL
    base = cap.filter_offers(all_offers, target_group=choice, operators=chosen_ops)
    shown = cap.filter_offers(base, flag=flag)
    st.markdown(cap.flag_summary(base, target_group=choice,
                                 place="hele regionen" if f.whole_region else fmt.md(f.scope_label)))
    table = cap.offers_table(shown)
    text = st.column_config.TextColumn
    st.dataframe(
        table, hide_index=True, width="stretch", height=min(420, 38 + 35 * max(len(table), 1)), placeholder=fmt.MISSING,
        column_config={
            **ui.number_columns(table),
            "Under budget": text("Under budget", width=125, help=definitions.help_text("below_budget")),
            "Overbelægning": text("Overbelægning", width=125, help=definitions.help_text("over_occupancy")),
        },
    )
    ui.source("offers", "offer_years", "operators", note="Klik på en kolonneoverskrift for at sortere")
    ui.downloads(table, f"tilbud-{s.year}", "kap-tilbud")

    labels = {r.offer_id: f"{r.name} ({r.offer_id})" for r in shown.itertuples()}
    offer = st.selectbox("Vis udviklingen for et tilbud", options=list(labels), format_func=labels.get, index=None,
                         key="tilbud", bind="query-params", placeholder="Vælg et tilbud fra listen …")
    if offer:
        hist = cap.offer_history(offer, year_from=f.year_from, year_to=f.year_to)
        chart(cap.history_figure(hist), cap.history_table(hist), tables=("offer_years",), key="kap-historik",
              title=f"{fmt.md(labels[offer])}: pladser, belægning mod budget og takst")

# --- Secured units and national offers ---------------------------------------------------------
st.subheader("Sikrede afdelinger og landsdækkende tilbud")
sec = cap.secured_units(year_from=f.year_from, year_to=f.year_to)
occ_prov = data.provenance("offer_years")
st.caption(
    "De sikrede afdelinger følges i den tværregionale koordination. Antallet af sikrede pladser er reelt "
    "(oplyst af driftsherrerne); belægningen kommer fra tabellen Tilbud pr. år"
    + (" og er illustrative demodata." if occ_prov.illustrative else ".")
    + " Afsnittet påvirkes ikke af kommune- og områdefiltret."
)
units = cap.secured_units_table(sec, s.year, occ_prov.illustrative)
st.dataframe(units, hide_index=True, width="stretch", placeholder=fmt.MISSING, column_config=ui.number_columns(units))
ui.source("secured_units", "offer_years")
if sec["year"].notna().any():
    chart(cap.secured_figure(sec), cap.secured_history_table(sec), tables=("secured_units", "offer_years"),
          key="kap-sikrede", title="Belægning på de sikrede afdelinger pr. år")

st.markdown("**Lands- og landsdelsdækkende tilbud**")
nat = cap.national_offers()
st.caption("Reelle data: listen over de lands- og landsdelsdækkende tilbud fra kapacitetsrapporten maj 2015. "
           "Listen er ikke opdateret siden 2015.")
nat_table = nat.rename(columns={"name": "Tilbud", "note": "Bemærkning"})
st.dataframe(nat_table, hide_index=True, width="stretch", placeholder=fmt.MISSING)
ui.source("national_offers")
ui.downloads(nat_table, "landsdaekkende-tilbud", "kap-landsdaekkende")
