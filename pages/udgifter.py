"""Udgifter: spending per year by area and account function (current or fixed prices, total or per
inhabitant), municipalities side by side, budget against accounts, rates against each agreement
period's rule, surplus and deficit per operator.

URL keys of this page: priser (Løbende/Faste), visning (I alt/Pr. indbygger), opdeling (Område/Funktion).
Clicking a municipality in the comparison sets the shared filter kommune (so the URL follows).
"""

import streamlit as st

from overblik import db, definitions, filters, fmt, rates, ui
from overblik import udgifter as u
from overblik import udgifter_figures as figs

f = filters.current()
p = f.params()
ui.header("Udgifter", f"Nettodriftsudgifter og takster · {f.scope_label} · {f.period_label}")

price_index = db.run("udgifter_price_index")
price_year = u.price_year(price_index)

c1, c2, c3 = st.columns(3)
prices = c1.radio("Priser", u.PRICES, key="priser", bind="query-params", horizontal=True,
                  help=definitions.help_text("fixed_prices") + (f" Her: {price_year}-priser." if price_year else ""))
view = c2.radio("Visning", u.VIEWS, key="visning", bind="query-params", horizontal=True,
                help=definitions.help_text("per_inhabitant"))
breakdown = c3.radio("Opdeling", u.BREAKDOWNS, key="opdeling", bind="query-params", horizontal=True,
                     help="**Område:** børn og unge, voksne og specialundervisning. **Funktion:** kontofunktionerne "
                          "i den kommunale kontoplan (se 'Om data').")
fixed, per_capita = prices == "Faste", view == "Pr. indbygger"
price_note = f"faste {price_year}-priser" if fixed else "løbende priser"
SPENDING = ("spending", "account_functions") + (("price_index",) if fixed else ()) + (("population",) if per_capita else ())

spending = db.run("udgifter_spending", **p)
population = db.run("udgifter_population", **p)
vals = u.values(spending, price_index, population, fixed=fixed, per_capita=per_capita)
years = u.accounts_years(spending, f.year_from, f.year_to)

offer_years = db.run("udgifter_rates", municipalities=p["municipalities"], whole_region=f.whole_region, area=p["area"])
agreements = db.run("udgifter_agreements")
periods = rates.rule_periods(agreements)
status = rates.yearly_status(offer_years, agreements) if len(offer_years) else None
rate_years = [y for y in (status["year"] if status is not None else []) if f.year_from <= y <= f.year_to]
rate_now = rates.latest(offer_years, agreements, year=f.year_to) if len(offer_years) else None
if rate_now and rate_now["year"] < f.year_from:
    rate_now = None
OPERATOR_NOTE = ("Tilbud under rammeaftalen valgt efter driftsherre: " +
                 ("alle tilbud, også regionens." if f.whole_region else
                  f"de tilbud, som {f.scope_label} driver (regionens tilbud indgår kun for hele regionen)."))

# --- Key message -------------------------------------------------------------------------------
st.subheader("Det vigtigste")
if not years:
    st.info(f"Der er ingen regnskabstal i perioden {f.period_label}. Vælg en anden periode i filtret til venstre.")
else:
    year = years[-1]
    heads = u.headline(vals, year, per_capita)
    cols = st.columns(len(heads) + 1)
    for col, h in zip(cols, heads):
        area = h["area"] or "I alt"
        label = (f"{area} {year}, kr. pr. {u.AGE_LABEL.get(h['age_group'], 'indbygger')}" if per_capita
                 else f"{'Udgifter i alt' if h['area'] is None else area} {year}, mio. kr.")
        change = h["change_pct"]
        delta = f"{fmt.pct(change, signed=True)} fra {year - 1}" if change == change else None
        arrow = "off" if delta is None or round(change, 1) == 0 else ("up" if change > 0 else "down")
        with col:
            ui.metric(label, fmt.number(h["value"], 0 if per_capita else 1), delta=delta, delta_color="off", delta_arrow=arrow,
                      help=definitions.help_text("per_inhabitant" if per_capita else "net_spending")
                      + f" Vist i {price_note}.")
    with cols[-1]:
        if rate_now:
            within = rate_now["within"]
            verdict = ("✓ Inden for reglen" if within else "✕ Over reglen") if within is not None else "Ingen talregel"
            ui.metric(f"Takstændring {rate_now['year']}", fmt.pct(rate_now["change_pct"], signed=True),
                      delta=f"{verdict} {rate_now['period'] or ''}".strip(),
                      delta_arrow="off",
                      delta_color={True: "green", False: "red"}.get(within, "gray"),
                      help=definitions.help_text("rate_change") + f" Reglen for {rate_now['period']}: {rate_now['rule']}. "
                      + definitions.help_text("rate_rule"))
        else:
            ui.metric("Takstændring", fmt.MISSING, help=definitions.help_text("rate_change"))
    total = heads[0]
    who = "kommunerne i hele regionen" if f.whole_region else f.scope_label
    if per_capita:
        parts = [f"{fmt.kr(h['value'])} pr. {u.AGE_LABEL.get(h['age_group'])} på {h['area'].lower()}" for h in heads]
        message = f"I {year} brugte {who} " + " og ".join(parts) + f" ({price_note})."
    else:
        message = (f"I {year} brugte {who} **{figs._fmt_value(total['value'], False)}** ({price_note}) på det "
                   f"specialiserede social- og specialundervisningsområde"
                   + (f", {fmt.pct(abs(total['change_pct']))} {'mere' if total['change_pct'] > 0 else 'mindre'} "
                      f"end i {year - 1}." if total["change_pct"] == total["change_pct"] else "."))
    if rate_now and rate_now["within"] is not None:
        message += (f" Taksterne {'steg' if rate_now['change_pct'] > 0 else 'faldt'} i gennemsnit "
                    f"{fmt.pct(abs(rate_now['change_pct']))} i {rate_now['year']}, "
                    f"{'inden for' if rate_now['within'] else 'over'} reglen for {rate_now['period']} "
                    f"({rate_now['rule']}).")
    st.markdown(message)
    ui.source(*SPENDING, "offers", "offer_years",
              note=f"Nøgletal for {year}: seneste år med regnskab i perioden; ændringen er i {price_note}. "
                   "Børn og unge og Voksne som i filtret 'Område': inkl. specialundervisning af hhv. børn og unge "
                   "og voksne. Takstændringen er for det seneste år med takster. " + OPERATOR_NOTE)

    # --- Spending per year -------------------------------------------------------------------
    st.subheader("Udgifter pr. år")
    if breakdown == "Område":
        fig, table = figs.by_area_figure(vals, years, per_capita)
        title = f"Nettodriftsudgifter pr. år og område ({'kr. pr. indbygger' if per_capita else 'mio. kr.'}, {price_note})"
    else:
        fig, table = figs.by_function_figure(vals, years, per_capita)
        title = (f"Nettodriftsudgifter pr. kontofunktion, {years[-1]}"
                 + (f" (søjle) og {years[0]} (◆)" if len(years) > 1 else "")
                 + f" ({'kr. pr. indbygger' if per_capita else 'mio. kr.'}, {price_note})")
    note = ("Regnskab. Pr. indbygger: børn og unge (inkl. specialundervisning af børn) pr. 0-17-årig, voksne (inkl. "
            "specialpædagogisk bistand til voksne) pr. 18-64-årig" if per_capita else "Regnskab")
    ui.chart(fig, table, tables=SPENDING, key="udg-aar", title=title, note=note)
    if fixed or per_capita:
        st.caption(" ".join(definitions.help_text(k) for k in (("fixed_prices",) if fixed else ()) + (("per_inhabitant",) if per_capita else ())))

    # --- Municipalities side by side -----------------------------------------------------------
    st.subheader(f"Kommunerne side om side, {year}")
    muni = db.run("udgifter_municipalities", year=year, area=p["area"])
    d, reg = u.municipality_comparison(muni, price_index, fixed)

    chart_key = "udg-kommuner-" + ("-".join(str(c) for c in f.chosen) or "alle")  # a new filter clears the selection

    def focus_municipality() -> None:
        """Chart click: make the clicked municipality the shared filter (the URL follows)."""
        state = st.session_state.get(f"{chart_key}-fig") or {}
        points = (state.get("selection") or {}).get("points") or []
        codes = [u.first_value(pt.get("customdata")) for pt in points]
        codes = [c for c in codes if c is not None]
        if codes:
            st.session_state[filters.MUNICIPALITIES_KEY] = [int(codes[0])]

    def whole_region() -> None:
        st.session_state[filters.MUNICIPALITIES_KEY] = []

    fig, table = figs.municipalities_figure(d, reg, f.chosen)
    ui.chart(fig, table, tables=("spending", "account_functions", "population") + (("price_index",) if fixed else ()),
             key=chart_key, title=f"Kr. pr. indbygger i aldersgruppen, {year} ({price_note}), med regionsgennemsnittet (stiplet)",
             note="Alle 19 kommuner uanset kommunefiltret; de valgte er markeret med ▶ og skravering",
             on_select=focus_municipality, selection_mode="points")
    ca, cb = st.columns([0.75, 0.25], vertical_alignment="center")
    ca.caption("Klik på en kommune i grafen for at fokusere hele siden på den (det samme som at vælge den i "
               "filtret 'Kommuner' til venstre; linket i adresselinjen følger med). "
               + definitions.help_text("regional_average"))
    if not f.whole_region:
        cb.button("Vis hele regionen", on_click=whole_region, icon=":material/public:", key="udg-hele-regionen")

    # --- Budget against accounts ---------------------------------------------------------------
    both = u.latest_with_both(spending, f.year_from, f.year_to)
    if both is not None:
        st.subheader(f"Budget mod regnskab, {both}")
        money = u.values(spending, price_index, population, fixed=fixed, per_capita=False)
        by = "area" if breakdown == "Område" else "function_name"
        bva = u.budget_vs_accounts(money, both, by)
        fig, table = figs.budget_figure(bva, by, both)
        ui.chart(fig, table, tables=("spending", "account_functions") + (("price_index",) if fixed else ()),
                 key="udg-budget", title=f"Budget og regnskab {both} pr. {'område' if by == 'area' else 'kontofunktion'} "
                                         f"(mio. kr., {price_note})",
                 note="Seneste år i perioden med både budget og regnskab; vises i mio. kr. i alt, også når "
                      "'Pr. indbygger' er valgt")
        st.caption(definitions.help_text("budget_deviation"))

# --- Rates against the rule --------------------------------------------------------------------
st.subheader("Takster mod takstreglen")
if status is None or not rate_years:
    st.info(f"Der er ingen takster for tilbud under rammeaftalen i perioden {f.period_label} for det valgte udsnit.")
else:
    fig, table = figs.rates_figure(status, periods, rate_years)
    ui.chart(fig, table, tables=("offers", "offer_years", "agreements"), key="udg-takster",
             title="Takstindeks for tilbud under rammeaftalen, med hver aftaleperiodes takstregel",
             note="Takster i løbende priser (reglen gælder de nominelle takster). " + OPERATOR_NOTE)
    baselines = []
    all_years = list(status["year"])
    verdicts = rates.period_status(offer_years, agreements).set_index("period")
    for rp in periods:
        if rp.min_reduction_pct is None:
            continue
        base = rp.baseline_year(all_years)
        if base is None:
            continue
        why = "året før perioden" if base == rp.start_year - 1 else (
            f"første år med takster, da {rp.start_year - 1} ikke findes i data")
        text = f"For {rp.label} måles faldet over perioden fra **{base}** ({why}) til {rp.end_year}."
        if rp.label in verdicts.index and verdicts.loc[rp.label, "finished"]:
            v = verdicts.loc[rp.label]
            text += (f" I gennemsnit ændredes taksterne {fmt.pct(v['change_pct'], signed=True)} fra {base} til "
                     f"{rp.end_year} (krav: mindst {fmt.pct(-rp.min_reduction_pct)}): "
                     + ("**✓ overholdt**." if v["within"] else "**✕ ikke overholdt**."))
        baselines.append(text)
    st.markdown(" ".join(baselines))
    st.caption(definitions.help_text("rate_index"))

    breaches = rates.breaches(offer_years, agreements)
    breaches = breaches[breaches["year"].between(f.year_from, f.year_to)]
    st.markdown(f"**Tilbud, hvis takst brød reglen, {f.period_label}**")
    if breaches.empty:
        st.info("Ingen tilbud brød takstreglen i den valgte periode.")
    else:
        bt = figs.breach_table(breaches)
        st.caption(f"{fmt.count(len(bt), 'brud', 'brud')} i {fmt.count(bt['Tilbud'].nunique(), 'tilbud', 'tilbud')}. "
                   + definitions.help_text("rate_breach"))
        st.dataframe(bt, hide_index=True, width="stretch",
                     column_config={"Ændring, %": st.column_config.NumberColumn("Ændring, %", format="localized", width="small"),
                                    "År": st.column_config.TextColumn("År", width="small"),
                                    "Målt fra": st.column_config.TextColumn("Målt fra", width="small"),
                                    "Regel brudt": st.column_config.TextColumn("Regel brudt", width="large"),
                                    "Tilbuds-id": st.column_config.TextColumn("Tilbuds-id", width="small")})
        ui.downloads(bt, "takstregel-brud", "udg-brud")
    ui.source("offers", "offer_years", "operators", "agreements", note=OPERATOR_NOTE)

# --- Surplus and deficit per operator ----------------------------------------------------------
st.subheader("Over- og underskud pr. driftsherre")
surplus = db.run("udgifter_surplus", **p, whole_region=f.whole_region)
if surplus.empty:
    st.info(f"Der er ingen over- eller underskud for tilbud under rammeaftalen i perioden {f.period_label}.")
else:
    fig, table = figs.surplus_figure(surplus)
    ui.chart(fig, table, tables=("offers", "offer_years", "operators"), key="udg-overskud",
             title=f"Over- (+) og underskud (−) pr. driftsherre og år, mio. kr. ({f.period_label})",
             note="Løbende priser. " + OPERATOR_NOTE)
    st.caption(definitions.help_text("surplus_deficit"))
