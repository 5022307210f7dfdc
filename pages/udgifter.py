"""Udgifter: spending per year by area and account function (current or fixed prices, total or per
inhabitant), municipalities side by side, budget against accounts, rates against each agreement
period's rule, surplus and deficit per operator, extra services (tillægsydelser) and where the annual
management information's five items are, and the comparison with the other regions and the whole
country. The numbers and texts come from overblik.udgifter.view() and overblik.regions_compare.view(); the
section "Knækker udgiftskurven?" (trend before the 2027-28 agreement, verdict, growth drivers) from
overblik.costcurve.view().

URL keys of this page: priser (Løbende/Faste), visning (I alt/Pr. indbygger), opdeling (Område/Funktion).
Clicking a municipality in the comparison sets the shared filter kommune (so the URL follows).
"""

import streamlit as st

from overblik import costcurve as cc
from overblik import filters, regions_compare, ui
from overblik import udgifter as u
from overblik import udgifter_figures as figs

f = filters.current()
ui.header("Udgifter", f"Nettodriftsudgifter og takster · {f.view_label}", tables=u.TABLES)

helps = u.controls()
CHOICES = {"priser": ("Priser", u.PRICES), "visning": ("Visning", u.VIEWS), "opdeling": ("Opdeling", u.BREAKDOWNS)}
bad = {key: ui.link_values(key, options) for key, (_, options) in CHOICES.items()}
c1 = c2 = c3 = ui.row()  # one horizontal block (three equal parts), not three columns
prices = c1.radio(
    "Priser", u.PRICES, key="priser", bind="query-params", horizontal=True, help=helps.prices_help, width="stretch"
)
visning = c2.radio(
    "Visning", u.VIEWS, key="visning", bind="query-params", horizontal=True, help=helps.views_help, width="stretch"
)
breakdown = c3.radio(
    "Opdeling",
    u.BREAKDOWNS,
    key="opdeling",
    bind="query-params",
    horizontal=True,
    help=helps.breakdown_help,
    width="stretch",
)
for key, (label, options) in CHOICES.items():
    ui.link_notice(bad[key], f"et valg under '{label}'", f"Siden viser i stedet '{options[0]}'.")
v = u.view(f, fixed=prices == "Faste", per_capita=visning == "Pr. indbygger", breakdown=breakdown)


def chart(c: u.Chart, **kw):
    return ui.chart(
        c.fig,
        c.table,
        tables=c.tables,
        shared=c.shared,
        key=c.key,
        title=c.title,
        note=c.note,
        takeaway=c.takeaway,
        **kw,
    )


# --- Is the cost curve bending? (the shared municipality and area filters; every year) -------------
curve = cc.view(f.params(), f.scope_label)
st.header("Knækker udgiftskurven?")
st.markdown(curve.text + "\n\n" + curve.quote)
for c in (curve.curve, curve.drivers):
    if c is not None:
        chart(c)
st.caption(curve.method)

# --- Key message -------------------------------------------------------------------------------
st.header("Det vigtigste")
if v.unindexed:
    st.info(v.unindexed, icon=":material/info:")
if v.no_accounts:
    st.info(v.no_accounts)
else:
    km = v.key_message
    with ui.row():
        for m in km.metrics:
            ui.metric(
                m.label, m.value, delta=m.delta, delta_color=m.delta_color, delta_arrow=m.delta_arrow, help=m.help
            )
    st.markdown(km.text)
    ui.source(*km.tables, note=km.note)

    # --- Spending per year -------------------------------------------------------------------
    st.header("Udgifter pr. år")
    chart(v.per_year)
    if v.per_year_caption:
        st.caption(v.per_year_caption)

    # --- Municipalities side by side -----------------------------------------------------------
    mu = v.municipalities
    st.header(mu.title)

    def focus_municipality() -> None:
        """Chart click: make the clicked municipality the shared filter (the URL follows)."""
        code = u.clicked_municipality(st.session_state.get(f"{mu.chart.key}-fig"))
        if code is not None:
            st.session_state[filters.MUNICIPALITIES_KEY] = [code]

    def whole_region() -> None:
        st.session_state[filters.MUNICIPALITIES_KEY] = []

    chart(mu.chart, on_select=focus_municipality, selection_mode="points")
    ca, cb = st.columns([0.75, 0.25], vertical_alignment="center")
    ca.caption(mu.caption)
    if mu.whole_region_button:
        cb.button("Vis hele regionen", on_click=whole_region, icon=":material/public:", key="udg-hele-regionen")

    # --- The other regions and the whole country -----------------------------------------------
    rv = regions_compare.view(f)
    st.header(rv.title)
    if rv.empty:
        st.info(rv.empty)
    else:
        st.markdown(rv.text)
        chart(rv.over_time)
        chart(rv.municipalities)
        st.caption(rv.caption)

    # --- Budget against accounts ---------------------------------------------------------------
    if v.budget is not None:
        st.header(v.budget.title)
        chart(v.budget.chart)
        st.caption(v.budget.caption)

# --- Rates against the rule --------------------------------------------------------------------
st.header("Takster mod takstreglen")
r = v.rates
if r.empty:
    st.info(r.empty)
else:
    chart(r.chart)
    st.markdown(r.baselines)
    st.caption(r.caption)
    st.markdown(r.breaches_title)
    if r.breaches.empty:
        st.info(r.breaches_empty)
    else:
        st.caption(r.breaches_caption)
        ui.table(  # every column in view at 1440 px; Målt fra and Tilbuds-id under "Vis alle kolonner"
            r.breaches,
            "takster-over-reglen",
            "udg-brud",
            tables=r.tables,
            shared=r.chart.shared,
            grid=r.breaches_grid,
            columns=figs.OVER_GRID,
            full=True,
        )
    if r.operators is not None:
        st.markdown(r.operators_title)
        ui.dataframe(r.operators, hide_index=True, width="stretch", column_config=ui.number_columns(r.operators))
    ui.source(*r.tables, note=r.note)

# --- Surplus and deficit per operator ----------------------------------------------------------
st.header("Over- og underskud pr. driftsherre")
if v.surplus.empty:
    st.info(v.surplus.empty)
else:
    chart(v.surplus.chart)
    st.caption(v.surplus.caption)

# --- Extra services (tillægsydelser) and the management information ------------------------------
st.header("Tillægsydelser i regnskab")
if v.extra_services.empty:
    st.info(v.extra_services.empty)
else:
    chart(v.extra_services.chart)
    st.caption(v.extra_services.caption)
st.markdown(v.management)
