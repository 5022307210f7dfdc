"""Figures and their tables for the Udgifter slice: plotly in the house style (overblik.charts), tables
with Danish column names. Each builder returns (figure, table); overblik.udgifter.view() puts them in
its view data and the page only places them.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from overblik import charts, fmt, rates
from overblik import udgifter as u
from overblik.ui import Col

HIGHLIGHT = "#CC79A7"  # chosen municipalities (with a pattern and a marked name: never colour alone)
BUDGET_COLOUR = "#56B4E9"
ACCOUNTS_COLOUR = "#0072B2"


def unit(per_capita: bool) -> str:
    return "kr." if per_capita else "mio. kr."


def _hover(per_capita: bool) -> str:
    return "%{y:,.0f} kr." if per_capita else "%{y:,.1f} mio. kr."


def _round(df: pd.DataFrame, cols, per_capita: bool) -> pd.DataFrame:
    return df.round(dict.fromkeys(cols, 0 if per_capita else 1))


def _facets(per_capita: bool, data: pd.DataFrame) -> list[tuple[str | None, str | None, pd.DataFrame]]:
    """[(filter area, age group, rows)]: one facet per filter area when per inhabitant, else one."""
    if not per_capita:
        return [(None, None, data)]
    out: list[tuple[str | None, str | None, pd.DataFrame]] = []
    for area in u.FILTER_AREAS:
        part = data[data["filter_area"] == area]
        if len(part):
            out.append((area, part["age_group"].iloc[0], part))
    return out


def _facet_title(area: str | None, age_group: str | None) -> str:
    return f"{area}: kr. pr. {u.AGE_LABEL.get(age_group or '', 'indbygger')}" if area else ""


# ---------------------------------------------------------------------------------------------
# Spending per year


def by_area_figure(vals: pd.DataFrame, years: list[int], per_capita: bool) -> tuple[go.Figure, pd.DataFrame]:
    """Stacked bars per year by area (Børn og unge, Specialundervisning, Voksne); per inhabitant one
    panel per filter area, since kr. per child and kr. per adult do not add up."""
    data = by_area_rows(vals, years, per_capita)
    facets = _facets(per_capita, data)
    fig = make_subplots(
        rows=1,
        cols=max(len(facets), 1),
        subplot_titles=[_facet_title(a, g) for a, g, _ in facets],
        horizontal_spacing=0.08,
    )
    for i, (_, _, part) in enumerate(facets, start=1):
        for area in u.AREA_ORDER:
            d = part[part["area"] == area]
            if d.empty:
                continue
            label = (
                area
                if not per_capita or area != "Specialundervisning"
                else ("Specialundervisning" + (" (voksne)" if d["filter_area"].iloc[0] == "Voksne" else ""))
            )
            fig.add_trace(
                go.Bar(
                    x=d["year"],
                    y=d["value"],
                    name=label,
                    legendgroup=label,
                    showlegend=not any(t.name == label for t in fig.data),
                    marker=dict(
                        color=charts.AREA_COLOURS[area], pattern=charts.category_pattern(charts.AREA_PATTERNS[area])
                    ),
                    hovertemplate=f"{label} %{{x}}: {_hover(per_capita)}<extra></extra>",
                ),
                row=1,
                col=i,
            )
    fig.update_layout(barmode="stack", height=400)
    if len(facets) > 1:  # the legend below, so it does not cover the panel titles
        fig.update_layout(legend=dict(y=-0.1, yanchor="top"), margin=dict(t=40))
    charts.style(fig, y_format=charts.FMT_INT, y_title=unit(per_capita))
    fig.update_xaxes(dtick=1)
    fig.update_annotations(font_size=13)

    return fig, by_area_table(data, per_capita, rounded=True)


def by_area_table(data: pd.DataFrame, per_capita: bool, rounded: bool = False) -> pd.DataFrame:
    """by_area_figure's table from its rows (u.by_year by area, the years shown): one row per year (and age
    group), a column per area and 'I alt'. `rounded` as shown (0,1 mio. kr. or whole kr.); unrounded for the
    takeaway, so its change is not computed from rounded amounts."""
    keys = ["filter_area", "age_group"] if per_capita else []
    # a year without a value (fixed prices without its price index) stays empty, never 0: 0 read as "fell 100 %"
    wide = data.pivot_table(
        index=[*keys, "year"], columns="area", values="value", aggfunc=lambda v: v.sum(min_count=1)
    ).reset_index()
    present = [a for a in u.AREA_ORDER if a in wide.columns]
    wide["I alt"] = wide[present].sum(axis=1, min_count=1)
    if rounded:
        wide = _round(wide, [*present, "I alt"], per_capita)
    if per_capita:
        wide["Pr."] = wide["age_group"].map(lambda g: u.AGE_LABEL.get(g, g))
        wide = wide.rename(columns={"filter_area": "Opgjort for"})[["Opgjort for", "Pr.", "year", *present, "I alt"]]
    wide = wide.rename(columns={"year": "År"})
    wide.columns.name = None
    return wide


def by_area_rows(vals: pd.DataFrame, years: list[int], per_capita: bool) -> pd.DataFrame:
    """The rows by_area_figure draws: the sum per year and area (per filter area per inhabitant), `years` only."""
    data = u.by_year(vals, "area", per_capita)
    return data[data["year"].isin(years)]


def by_function_figure(vals: pd.DataFrame, years: list[int], per_capita: bool) -> tuple[go.Figure, pd.DataFrame]:
    """Per account function: the latest year of the period as a bar, the first year as a marker."""
    data = u.by_year(vals, "function_name", per_capita)
    extra = vals[["function_name", "function_code", "area"]].drop_duplicates("function_name")
    data = data.merge(extra, on="function_name", how="left")
    data = data[data["year"].isin(years)]
    first, last = min(years), max(years)
    facets = _facets(per_capita, data)
    heights = [max(len(p["function_name"].unique()), 1) for _, _, p in facets]
    fig = make_subplots(
        rows=max(len(facets), 1),
        cols=1,
        subplot_titles=[_facet_title(a, g) for a, g, _ in facets],
        row_heights=heights or None,
        vertical_spacing=0.12 if len(facets) > 1 else 0.05,
    )
    for i, (_, _, part) in enumerate(facets, start=1):
        end = part[part["year"] == last].sort_values("value")
        start = part[part["year"] == first].set_index("function_name")["value"]
        labels = [f"{c} {n}" for c, n in zip(end["function_code"], end["function_name"])]
        for area in u.AREA_ORDER:
            sel = (end["area"] == area).to_numpy()
            if not sel.any():
                continue
            fig.add_trace(
                go.Bar(
                    x=end["value"][sel],
                    y=[lab for lab, s in zip(labels, sel) if s],
                    orientation="h",
                    name=f"{area} {last}",
                    legendgroup=area,
                    marker_color=charts.AREA_COLOURS[area],
                    showlegend=not any(t.legendgroup == area for t in fig.data),
                    hovertemplate=f"%{{y}}<br>{last}: " + _hover(per_capita).replace("y", "x") + "<extra></extra>",
                ),
                row=i,
                col=1,
            )
        if first != last:
            fig.add_trace(
                go.Scatter(
                    x=[start.get(n) for n in end["function_name"]],
                    y=labels,
                    mode="markers",
                    name=str(first),
                    legendgroup="first",
                    showlegend=i == 1,
                    marker=dict(symbol="diamond", size=10, color="#000000"),
                    hovertemplate=f"%{{y}}<br>{first}: " + _hover(per_capita).replace("y", "x") + "<extra></extra>",
                ),
                row=i,
                col=1,
            )
    fig.update_layout(barmode="overlay", height=max(320, 34 * sum(heights) + 120 * len(facets)))
    if per_capita:  # the legend below, so it does not cover the panel titles
        fig.update_layout(legend=dict(y=-0.06, yanchor="top"), margin=dict(t=40))
    charts.style(fig, x_format=charts.FMT_INT, y_format="")
    fig.update_yaxes(tickformat=None, automargin=True)
    if not per_capita:  # per inhabitant the panel titles give the unit; an axis title sat on the legend
        fig.update_xaxes(title_text=unit(per_capita), row=max(len(facets), 1), col=1)
    fig.update_annotations(font_size=13)

    wide = data.pivot_table(
        index=(["filter_area", "age_group"] if per_capita else []) + ["function_code", "function_name", "area"],
        columns="year",
        values="value",
        aggfunc="sum",
    ).reset_index()
    ycols = [y for y in years if y in wide.columns]
    wide = _round(wide, ycols, per_capita)
    wide = wide.rename(
        columns={  # type: ignore[misc]
            "function_code": "Funktion",
            "function_name": "Navn",
            "area": "Område",
            "filter_area": "Opgjort for",
            "age_group": "Aldersgruppe",
            **{y: str(y) for y in ycols},
        }
    )
    wide.columns.name = None
    return fig, wide


# ---------------------------------------------------------------------------------------------
# Municipalities side by side


def municipalities_figure(
    d: pd.DataFrame, reg: pd.DataFrame, chosen: tuple[int, ...]
) -> tuple[go.Figure, pd.DataFrame]:
    """Kr. per inhabitant per municipality (one panel per filter area, each sorted), the regional
    average as a dashed line, chosen municipalities marked (colour, pattern and ▶ before the name).
    customdata = municipality code (the page's click focuses the page on it)."""
    facets = [
        (a, g, d[d["filter_area"] == a])
        for a in u.FILTER_AREAS
        for g in [d.loc[d["filter_area"] == a, "age_group"].iloc[0] if (d["filter_area"] == a).any() else None]
        if g is not None
    ]
    averages = {a: reg.loc[reg["filter_area"] == a, "value"] for a, _, _ in facets}
    titles = [
        _facet_title(a, g)
        + (
            f"<br>regionsgennemsnit {fmt.kr(averages[a].iloc[0])} (stiplet)"
            if len(averages[a]) and pd.notna(averages[a].iloc[0])
            else ""
        )
        for a, g, _ in facets
    ]
    fig = make_subplots(rows=1, cols=max(len(facets), 1), subplot_titles=titles, horizontal_spacing=0.18)
    lines = []
    for i, (area, _, part) in enumerate(facets, start=1):
        part = part.sort_values("value")
        mine = part["municipality_code"].isin(chosen).to_numpy()
        names = [("▶ " if m else "") + n for n, m in zip(part["name"], mine)]
        fig.add_trace(
            go.Bar(
                x=part["value"],
                y=names,
                orientation="h",
                customdata=part[["municipality_code"]].to_numpy(),
                marker=dict(
                    color=[HIGHLIGHT if m else charts.AREA_COLOURS.get(area, charts.PALETTE[0]) for m in mine],
                    pattern=dict(shape=["/" if m else "" for m in mine]),
                ),
                showlegend=False,
                hovertemplate="%{y}: %{x:,.0f} kr.<extra>Klik for at fokusere siden</extra>",
            ),
            row=1,
            col=i,
        )
        avg = averages[area]
        if len(avg) and pd.notna(avg.iloc[0]):
            lines.append(charts.vline(float(avg.iloc[0]), i, color="#000000", dash="dash", width=1.5))
    charts.add_shapes(fig, lines)
    fig.update_layout(
        height=max(360, 24 * d["municipality_code"].nunique() + 110), clickmode="event+select", margin=dict(t=72)
    )
    charts.style(fig, x_format=charts.FMT_INT, y_format="")
    fig.update_yaxes(tickformat=None)
    fig.update_xaxes(title_text="kr. pr. indbygger i aldersgruppen")
    fig.update_annotations(font_size=13)

    table = d.merge(reg[["filter_area", "value"]].rename(columns={"value": "avg"}), on="filter_area", how="left")
    table["Forskel fra gennemsnit, %"] = (table["value"] / table["avg"] - 1) * 100
    table = table.assign(**{"Pr.": table["age_group"].map(lambda g: u.AGE_LABEL.get(g, g))})
    table = table.rename(
        columns={
            "name": "Kommune",
            "filter_area": "Opgjort for",
            "net_1000_dkk": "Udgifter, 1.000 kr.",
            "persons": "Indbyggere i aldersgruppen",
            "value": "Kr. pr. indbygger",
            "avg": "Regionsgennemsnit, kr.",
        }
    )
    table = table[
        [
            "Kommune",
            "Opgjort for",
            "Pr.",
            "Udgifter, 1.000 kr.",
            "Indbyggere i aldersgruppen",
            "Kr. pr. indbygger",
            "Regionsgennemsnit, kr.",
            "Forskel fra gennemsnit, %",
        ]
    ]
    table = table.round(
        {"Udgifter, 1.000 kr.": 1, "Kr. pr. indbygger": 0, "Regionsgennemsnit, kr.": 0, "Forskel fra gennemsnit, %": 1}
    )
    return fig, table.sort_values(["Opgjort for", "Kommune"], ignore_index=True)


# ---------------------------------------------------------------------------------------------
# Budget against accounts


def budget_figure(t: pd.DataFrame, by: str, year: int) -> tuple[go.Figure, pd.DataFrame]:
    """Budget and accounts side by side per area/function (mio. kr.), the deviation in % as text."""
    t = t.sort_values("regnskab")
    labels = list(t[by])
    fig = charts.figure(height=max(300, 46 * len(t) + 100))
    fig.add_trace(
        go.Bar(
            y=labels,
            x=t["budget"],
            name=f"Budget {year}",
            orientation="h",
            marker=dict(color=BUDGET_COLOUR, pattern=dict(shape="/")),
            hovertemplate="%{y}<br>Budget: %{x:,.1f} mio. kr.<extra></extra>",
        )
    )
    fig.add_trace(
        go.Bar(
            y=labels,
            x=t["regnskab"],
            name=f"Regnskab {year}",
            orientation="h",
            marker_color=ACCOUNTS_COLOUR,
            text=[fmt.pct(p, signed=True) + " mod budget" if pd.notna(p) else "" for p in t["difference_pct"]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}<br>Regnskab: %{x:,.1f} mio. kr.<extra></extra>",
        )
    )
    fig.update_layout(barmode="group", bargap=0.25)
    charts.style(fig, x_format=charts.FMT_INT, y_format="")
    fig.update_yaxes(tickformat=None)
    fig.update_xaxes(title_text="mio. kr.", range=[0, float(t[["budget", "regnskab"]].max().max()) * 1.22])
    table = t.rename(
        columns={
            by: "Område" if by == "area" else "Funktion",
            "budget": "Budget, mio. kr.",
            "regnskab": "Regnskab, mio. kr.",
            "difference": "Afvigelse, mio. kr.",
            "difference_pct": "Afvigelse, % af budget",
        }
    )
    table = table.round(1).sort_values(table.columns[0], ignore_index=True)
    table.columns.name = None
    return fig, table


# ---------------------------------------------------------------------------------------------
# Rates against the rule


PERIOD_SHADES = ("rgba(0,114,178,0.07)", "rgba(230,159,0,0.08)")


def rates_figure(
    summary: pd.DataFrame, periods: list[rates.RulePeriod], years: list[int]
) -> tuple[go.Figure, pd.DataFrame]:
    """Per rule period: the places-weighted average rate level against the year before the period
    (baseline = 0 %), in the period's price basis, with the rule's ceiling (no rise: 0 %) as a dashed line
    and a required reduction as a target marker at the period's last year. Periods without a number are
    a band with their words ('fælles principper', 'ingen talregel i kilderne'). `summary` = rates.period_summary."""
    fig = charts.figure(height=400)
    lo, hi = 0.0, 0.0
    shown = [p for p in periods if p.end_year >= min(years) and p.start_year <= max(years)]
    bands = []
    for j, p in enumerate(shown):
        x0, x1 = max(p.start_year, min(years)) - 0.5, min(p.end_year, max(years)) + 0.5
        bands.append(charts.vrect(x0, x1, fillcolor=PERIOD_SHADES[j % 2], line=dict(width=0), layer="below"))
        fig.add_annotation(
            x=(x0 + x1) / 2,
            y=1.0,
            yref="paper",
            yanchor="bottom",
            showarrow=False,
            text=f"<b>{p.label}</b><br>{p.describe()}",
            font=dict(size=11),
        )
        if not p.has_rule:
            continue
        base = p.baseline_year
        d = summary[(summary["period"] == p.label) & summary["year"].isin(years)].dropna(subset=["change_pct"])
        if d.empty:
            continue
        xs = [base, *d["year"].tolist()] if base >= min(years) - 1 else d["year"].tolist()
        ys = [0.0, *d["change_pct"].tolist()] if base >= min(years) - 1 else d["change_pct"].tolist()
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines+markers",
                name="Gns. takstniveau mod året før perioden",
                legendgroup="niveau",
                showlegend=not any(t.legendgroup == "niveau" for t in fig.data),
                line=dict(color=charts.PALETTE[0], width=3),
                marker=dict(size=8),
                hovertemplate=f"%{{x}}: %{{y:+,.1f}} % fra {base} ({p.price_basis} priser)<extra></extra>",
            )
        )
        lo, hi = min(lo, min(ys)), max(hi, max(ys))
        if p.max_change_pct is not None:
            fig.add_trace(
                go.Scatter(
                    x=[base, p.end_year],
                    y=[p.max_change_pct, p.max_change_pct],
                    mode="lines",
                    line=dict(color="#D55E00", dash="dash", width=2),
                    name="Loft: niveauet året før perioden",
                    legendgroup="loft",
                    showlegend=not any(t.legendgroup == "loft" for t in fig.data),
                    hovertemplate=f"Loft {p.label}: niveauet i {base}<extra></extra>",
                )
            )
        if p.min_reduction_pct is not None and min(years) <= p.end_year <= max(years):
            target = -p.min_reduction_pct
            fig.add_trace(
                go.Scatter(
                    x=[p.end_year],
                    y=[target],
                    mode="markers+text",
                    marker=dict(symbol="line-ew-open", size=26, color="#D55E00", line_width=3),
                    text=[f"Krav {fmt.pct(target)} fra {base}"],
                    textposition="bottom center",
                    name="Krav: fald over perioden",
                    legendgroup="maal",
                    showlegend=not any(t.legendgroup == "maal" for t in fig.data),
                    hovertemplate=f"Krav {p.label}: {fmt.pct(target)} fra {base}<extra></extra>",
                )
            )
            lo = min(lo, target)
    charts.add_shapes(fig, bands)
    pad = max((hi - lo) * 0.25, 1.0)
    fig.update_yaxes(range=[lo - pad, hi + pad], ticksuffix=" %")
    fig.update_layout(margin=dict(t=64), legend=dict(y=-0.12, yanchor="top"))
    charts.style(fig, y_format=charts.FMT_1, y_title="ændring fra året før perioden, %")
    fig.update_xaxes(dtick=1, range=[min(years) - 1.5, max(years) + 0.5])

    t = summary[summary["year"].isin(years)].copy()
    t = t.assign(
        baseline_year=t["baseline_year"].astype(str),
        change_pct=t["change_pct"].astype(float).round(2),
        limit_pct=t["limit_pct"].astype(float),
    )
    table = t.rename(
        columns={
            "period": "Regelperiode",
            "year": "År",
            "baseline_year": "Målt fra",
            "change_pct": "Gns. ændring fra året før perioden, %",
            "limit_pct": "Regel: højst, %",
            "judged": "Tilbud vurderet",
            "over": "Tilbud over reglen",
            "unknown": "Kan ikke vurderes",
        }
    )
    return fig, table[
        [
            "År",
            "Regelperiode",
            "Målt fra",
            "Gns. ændring fra året før perioden, %",
            "Regel: højst, %",
            "Tilbud vurderet",
            "Tilbud over reglen",
            "Kan ikke vurderes",
        ]
    ]


# Why an offer is over the rule (rates.over_rule's kind): the table's words, and the grid's short ones
OVER_KINDS = {
    "stigning": ("steg over niveauet året før perioden", "steg over niveauet"),
    "reduktion": ("faldt ikke nok over perioden", "faldt ikke nok"),
}
CHANGE = "Ændring fra året før perioden, %"


def over_table(o: pd.DataFrame) -> pd.DataFrame:
    """The offers over the rule (rates.over_rule), one row per offer and period, Danish columns."""
    unit = o["legal_basis"].map(rates.rate_unit) if "legal_basis" in o else pd.Series("døgn", index=o.index)
    t = pd.DataFrame(
        {
            "Tilbud": o["name"],
            "Driftsherre": o["operator"],
            "Periode": o["period"],
            "År": o["year"].astype(int).astype(str),
            "Målt fra": o["baseline_year"].astype(int).astype(str),
            CHANGE: o["change_pct"].astype(float).round(2),
            "Takst, kr.": o["rate"].astype(float).round(0),
            "Pr.": unit,
            "Hvad": o["kind"].map({k: long for k, (long, _short) in OVER_KINDS.items()}),
            "Tilbuds-id": o["offer_id"],
        }
    )
    return t.reset_index(drop=True)


# The grid of the offers over the rule (ui.table grid=/columns=): every column in view at 1440 px with the sidebar
# open (about 980 px; the widths add up to 950), each wide enough for its longest text: short headers with the full
# name in the help, 'Hvad' in short words. Målt fra and Tilbuds-id are under 'Vis alle kolonner og hent data' and in
# the downloads (over_table).
OVER_GRID = {
    "Tilbud": Col("Tilbud", 290),  # the longest name, 'Aktivitets- og samværstilbuddet Kastanietoften', whole
    "Driftsherre": Col("Driftsherre", 188),  # 'Ringkøbing-Skjern Kommune' whole
    "Periode": Col("Periode", 80, "Regelperioden, målt fra året før perioden (Målt fra, under Vis alle kolonner)"),
    "År": Col("År", 52, "Det seneste år i perioden, hvor taksten var over reglen"),
    CHANGE: Col("Ændring, %", 84, f"{CHANGE}: taksten i periodens prisgrundlag", right=True),
    "Takst, kr.": Col("Takst, kr.", 80, "Taksten i kr. i året (løbende priser), pr. døgn eller dag", right=True),
    "Pr.": Col("Pr.", 52, "Taksten er pr. døgn, eller pr. dag for dagtilbud og specialskoler"),
    "Hvad": Col(
        "Hvad",
        124,
        "Hvorfor tilbuddet er over reglen: taksten steg over niveauet året før perioden, "
        "eller den faldt ikke nok over perioden (periodens sidste år)",
    ),
}


def over_grid(table: pd.DataFrame) -> pd.DataFrame:
    """What the grid of the offers over the rule shows (OVER_GRID) of over_table: its columns but Målt fra and
    Tilbuds-id, with 'Hvad' in short words ('faldt ikke nok')."""
    short = dict(OVER_KINDS.values())  # long words -> short
    return table.assign(Hvad=table["Hvad"].map(short))[list(OVER_GRID)]


def operator_table(t: pd.DataFrame, year: int) -> pd.DataFrame:
    """rates.by_operator with Danish columns."""
    return pd.DataFrame(
        {
            "Driftsherre": t["operator"],
            f"Tilbud over reglen {year}": t["over"].astype(int),
            "Tilbud vurderet": t["judged"].astype(int),
            "Gns. ændring fra året før perioden, %": t["change_pct"].astype(float).round(2),
        }
    )


def extra_services_figure(e: pd.DataFrame) -> tuple[go.Figure, pd.DataFrame]:
    """Tillægsydelser in the accounts per year (mio. kr., current prices), stacked by operator (the five
    largest, the rest as 'Øvrige driftsherrer')."""
    top = e.groupby("operator")["amount_1000_dkk"].sum().sort_values(ascending=False).index[:5].tolist()
    d = e.assign(operator=e["operator"].where(e["operator"].isin(top), "Øvrige driftsherrer"))
    d = d.groupby(["year", "operator"], as_index=False)[["amount_1000_dkk", "offers"]].sum()
    fig = charts.figure(height=320)
    for i, op in enumerate([*top, "Øvrige driftsherrer"]):
        g = d[d["operator"] == op]
        if g.empty:
            continue
        fig.add_bar(
            x=g["year"],
            y=g["amount_1000_dkk"] / 1000,
            name=op,
            marker=dict(
                color=charts.PALETTE[i % len(charts.PALETTE)],
                pattern=charts.category_pattern(charts.CATEGORY_PATTERNS[i % len(charts.CATEGORY_PATTERNS)]),
            ),
            customdata=g[["offers"]].to_numpy(),
            hovertemplate=f"{op} %{{x}}: %{{y:,.1f}} mio. kr. (%{{customdata[0]}} tilbud)<extra></extra>",
        )
    fig.update_layout(barmode="stack", legend=dict(y=-0.15, yanchor="top", orientation="h"))
    charts.style(fig, y_format=charts.FMT_1, y_title="mio. kr.")
    fig.update_xaxes(dtick=1)
    wide = d.pivot_table(index="year", columns="operator", values="amount_1000_dkk", aggfunc="sum") / 1000
    wide["I alt"] = wide.sum(axis=1)
    table = wide.round(2).reset_index().rename(columns={"year": "År"})
    table.columns.name = None
    return fig, table


# ---------------------------------------------------------------------------------------------
# Surplus and deficit per operator


def surplus_figure(s: pd.DataFrame) -> tuple[go.Figure, pd.DataFrame]:
    """Heat map operator × year in mio. kr. with the number in every cell (blue surplus, orange deficit)."""
    wide = s.pivot_table(index="operator", columns="year", values="surplus_1000_dkk", aggfunc="sum") / 1000
    wide = wide.loc[
        wide.sum(axis=1).sort_values().index
    ]  # the largest total deficit at the bottom... top after reversal
    years = [int(y) for y in wide.columns]
    z = wide.to_numpy()
    lim = float(pd.Series(abs(z.ravel())).max() or 1.0)
    text = [[fmt.number(v, 1, signed=True) if pd.notna(v) else "" for v in row] for row in z]
    fig = charts.figure(height=max(200, 28 * len(wide) + 110))
    charts.add_text_heatmap(  # the numbers in black or white by the cell's colour (4.5:1)
        fig,
        z=z.tolist(),
        x=years,
        y=list(wide.index),
        text=text,
        textfont=dict(size=12),
        colorscale=[[0, "#D55E00"], [0.5, "#F7F7F7"], [1, "#0072B2"]],
        zmin=-lim,
        zmax=lim,
        xgap=2,
        ygap=2,
        colorbar=dict(title=dict(text="mio. kr."), tickformat=",.1f", thickness=12),
        hovertemplate="%{y}, %{x}: %{z:+,.1f} mio. kr.<extra></extra>",
    )
    charts.style(fig, y_format="")
    fig.update_yaxes(tickformat=None, autorange="reversed", showgrid=False)
    fig.update_xaxes(dtick=1, side="top")
    names: dict[object, str] = {"operator": "Driftsherre", **{y: str(y) for y in years}}
    table = wide.round(1).reset_index().rename(columns=names)
    table.columns.name = None
    table["I alt"] = table[[str(y) for y in years]].sum(axis=1, min_count=1).round(1)
    return fig, table
