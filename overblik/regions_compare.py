"""Udgifter's comparison with the other regions and the whole country (issue 17): spending per inhabitant
in fixed prices, per shared-filter area, from queries/udgifter_regions_per_year.sql (every municipality of
the country, summed per region) and queries/udgifter_municipalities.sql (the served region's
municipalities).

- Per inhabitant: the same rule as the rest of Udgifter: each area per its age group (per_capita_age_group
  macro: Børn og unge per 0-22-year-old, Voksne per 18-64-year-old), computed with
  udgifter.per_inhabitant (regions) and udgifter.municipality_comparison (municipalities).
- A region's (and the country's) figure is all its spending divided by all its inhabitants of the age
  group, not the mean of its municipalities. The whole country is the sum of the five regions.
- Fixed prices: udgifter.to_fixed (the latest year of the price index).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from overblik import charts, db, fmt, prices, region, viewcache
from overblik import udgifter as u

COUNTRY = 0  # region_code of the whole country in the frames here
SERVED_COLOUR = "#0072B2"
COUNTRY_COLOUR = "#000000"
OTHER_COLOURS = ("#E69F00", "#009E73", "#D55E00", "#8C8C8C")  # the other four regions, thinner lines
OTHER_DASHES = ("dot", "dashdot", "longdash", "longdashdot")  # and each its own pattern: two were orange dots
HIGHLIGHT = "#CC79A7"  # chosen municipalities (with a pattern and ▶: never colour alone)
TABLES = ("spending", "account_functions", "population", "municipalities", "price_index")


@dataclass(frozen=True)
class Section:
    title: str
    empty: str | None  # a message instead of the charts (no other regions in the data)
    text: str  # the key sentence (markdown), above the charts
    over_time: u.Chart | None
    municipalities: u.Chart | None
    caption: str


def region_label(code: int) -> str:
    return region.COUNTRY if code == COUNTRY else region.short_name(code)


def regions_per_year(frame: pd.DataFrame, price_index: pd.DataFrame) -> pd.DataFrame:
    """Per region and the whole country (region_code 0), year and filter area: net spending in fixed
    prices (1.000 kr.), persons of the age group and kr_per_inhabitant."""
    fixed = u.to_fixed(frame, price_index)
    keys = ["year", "filter_area", "age_group"]
    country = fixed.groupby(keys, as_index=False)[["net_1000_dkk", "persons"]].sum(min_count=1)
    country["region_code"] = COUNTRY
    parts = []
    for code, part in pd.concat([fixed, country], ignore_index=True).groupby("region_code", sort=True):
        pop = part[["year", "age_group", "persons"]].drop_duplicates(["year", "age_group"])
        parts.append(u.per_inhabitant(part.drop(columns=["persons"]), pop).assign(region_code=int(code)))
    out = pd.concat(parts, ignore_index=True) if parts else fixed.assign(kr_per_inhabitant=float("nan"))
    return out.sort_values(["filter_area", "region_code", "year"], ignore_index=True)


def municipalities_against(
    muni: pd.DataFrame, per_year: pd.DataFrame, price_index: pd.DataFrame, served: int
) -> pd.DataFrame:
    """The served region's municipalities in one year (udgifter_municipalities), kr. per inhabitant in
    fixed prices, with the region's and the country's average and the rank within the region per filter
    area (1 = the highest spending per inhabitant)."""
    d, _ = u.municipality_comparison(muni, price_index, fixed=True)
    year = int(muni["year"].iloc[0]) if len(muni) else None
    at = per_year[per_year["year"] == year]
    avg = at.pivot_table(index="filter_area", columns="region_code", values="kr_per_inhabitant", aggfunc="first")
    d["region_avg"] = d["filter_area"].map(avg[served] if served in avg.columns else {})
    d["country_avg"] = d["filter_area"].map(avg[COUNTRY] if COUNTRY in avg.columns else {})
    d["rank"] = d.groupby("filter_area")["value"].rank(ascending=False, method="min").astype("Int64")
    return d.sort_values(["filter_area", "rank"], ignore_index=True)


def key_sentence(per_year: pd.DataFrame, served: int, year: int, skipped=()) -> str:
    """'I 2025 brugte kommunerne i Region Midtjylland 23.052 kr. pr. 0-22-årig på børn og unge, 5,1 % under
    landsgennemsnittet (nr. 2 af 5 regioner, højeste først), og ...' (markdown). `year` is the headline year
    (udgifter.headline_year: the latest accounts year with a price index); `skipped` the later accounts years
    it skips, said as Udgifter's headline says them ('I 2024 (prisindeks mangler for 2025) ...'). An
    area without a fixed-price figure that year (no index) is left out, never said as '–'."""
    at = per_year[per_year["year"] == year]
    parts = []
    for area, age in _facets(at):
        a = at[at["filter_area"] == area].set_index("region_code")["kr_per_inhabitant"].dropna()
        if served not in a.index or COUNTRY not in a.index:
            continue
        own, land = float(a[served]), float(a[COUNTRY])
        diff = (own / land - 1) * 100
        regions = a.drop(COUNTRY).sort_values(ascending=False)
        rank = list(regions.index).index(served) + 1
        side = "over" if diff > 0 else "under"
        parts.append(
            f"**{fmt.kr(own)} pr. {u.AGE_LABEL.get(age, 'indbygger')}** på {area.lower()}, "
            + (f"{fmt.pct(abs(diff))} {side} landsgennemsnittet" if round(diff, 1) else "som landsgennemsnittet")
            + f" (nr. {rank} af {len(regions)} regioner, højeste først)"
        )
    if not parts:
        return ""
    return (
        f"{prices.in_year(year, skipped)} brugte kommunerne i {region.name(served)} "
        + " og ".join(parts)
        + (" (faste priser).")
    )


def over_time_takeaway(per_year: pd.DataFrame, served: int) -> str:
    """The line chart's one sentence (plain text): the served region's growth per inhabitant from the
    first to the last year against the whole country's, per filter area (the level is in the key sentence)."""
    parts: list[tuple[tuple[int, int], str]] = []  # ((first year, last year), "+x % på område (hele landet ...)")
    for area, _age in _facets(per_year):
        a = per_year[per_year["filter_area"] == area].pivot_table(
            index="year", columns="region_code", values="kr_per_inhabitant"
        )
        if served not in a or COUNTRY not in a:
            continue
        a = a[[served, COUNTRY]].dropna()
        if len(a) < 2:
            continue
        own, land = (a.iloc[-1] / a.iloc[0] - 1) * 100
        span = (int(a.index[0]), int(a.index[-1]))
        parts.append(
            (span, f"{fmt.pct(own, signed=True)} på {area.lower()} (hele landet {fmt.pct(land, signed=True)})")
        )
    if not parts:
        return ""
    spans = {span for span, _ in parts}
    if len(spans) > 1:  # the areas cover different years: each says its own
        texts = [f"{t} fra {y0} til {y1}" for (y0, y1), t in parts]
        return f"Udgiften pr. indbygger i {region.name(served)} ændrede sig " + fmt.listing(texts) + "."
    ((first, last),) = spans
    return (
        f"Fra {first} til {last} ændrede udgiften pr. indbygger i {region.name(served)} sig "
        + fmt.listing([t for _, t in parts])
        + "."
    )


def municipalities_takeaway(d: pd.DataFrame) -> str:
    """The bar chart's one sentence (plain text), from its rows (municipalities_against: unrounded kr., not
    the table's whole kroner, where 0,4 kr. over the average read as level with it): how many of the region's
    municipalities lie over the national average, per filter area."""
    parts = []
    for area, rows in d.groupby("filter_area", sort=False):
        over = int((rows["value"] > rows["country_avg"]).sum())
        parts.append(f"{over} af {len(rows)} kommuner over landsgennemsnittet på {str(area).lower()}")
    return fmt.listing(parts) + "." if parts else ""


def _facets(df: pd.DataFrame) -> list[tuple[str, str]]:
    return [
        (a, str(df.loc[df["filter_area"] == a, "age_group"].iloc[0]))
        for a in u.FILTER_AREAS
        if (df["filter_area"] == a).any()
    ]


def over_time_figure(per_year: pd.DataFrame, served: int) -> tuple[go.Figure, pd.DataFrame]:
    """One line per region and the whole country (dashed, black), one panel per filter area; the served
    region thick, blue and named at its last point, the other four thin."""
    facets = _facets(per_year)
    fig = make_subplots(
        rows=1,
        cols=max(len(facets), 1),
        subplot_titles=[f"{a}: kr. pr. {u.AGE_LABEL.get(g, 'indbygger')}" for a, g in facets],
        horizontal_spacing=0.1,
    )
    others = [c for c in sorted(per_year["region_code"].unique()) if c not in (served, COUNTRY)]
    order = [*others, COUNTRY, served]  # the served region drawn last, on top
    for i, (area, _) in enumerate(facets, start=1):
        part = per_year[per_year["filter_area"] == area]
        for code in order:
            d = part[part["region_code"] == code].sort_values("year")
            if d.empty:
                continue
            name = region_label(int(code))
            if code == served:
                line, mode = dict(color=SERVED_COLOUR, width=4), "lines+markers+text"
                label = "▶ " + name
            elif code == COUNTRY:
                line, mode = dict(color=COUNTRY_COLOUR, width=2.5, dash="dash"), "lines+text"
                label = name
            else:
                k = others.index(code)
                line = dict(
                    color=OTHER_COLOURS[k % len(OTHER_COLOURS)], width=1.5, dash=OTHER_DASHES[k % len(OTHER_DASHES)]
                )
                mode, label = "lines", name
            fig.add_trace(
                go.Scatter(
                    x=d["year"],
                    y=d["kr_per_inhabitant"],
                    name=label,
                    legendgroup=label,
                    showlegend=i == 1,
                    mode=mode,
                    line=line,
                    text=[""] * (len(d) - 1) + [name],
                    textposition="top left",
                    hovertemplate=f"{name} %{{x}}: %{{y:,.0f}} kr.<extra></extra>",
                ),
                row=1,
                col=i,
            )
    fig.update_layout(height=420, legend=dict(orientation="h", y=-0.12, yanchor="top"), margin=dict(t=40))
    charts.style(fig, y_format=charts.FMT_INT, y_title="kr. pr. indbygger")
    fig.update_xaxes(dtick=1)
    fig.update_annotations(font_size=13)

    t = per_year.assign(
        Region=per_year["region_code"].map(lambda c: region_label(int(c))),
        **{"Pr.": per_year["age_group"].map(lambda g: u.AGE_LABEL.get(g, g))},
    )
    t = t.rename(
        columns={
            "filter_area": "Opgjort for",
            "year": "År",
            "net_1000_dkk": "Udgifter, 1.000 kr. (faste priser)",
            "persons": "Indbyggere i aldersgruppen",
            "kr_per_inhabitant": "Kr. pr. indbygger",
        }
    )
    cols = [
        "Opgjort for",
        "Pr.",
        "Region",
        "År",
        "Udgifter, 1.000 kr. (faste priser)",
        "Indbyggere i aldersgruppen",
        "Kr. pr. indbygger",
    ]
    t = t[cols].round({"Udgifter, 1.000 kr. (faste priser)": 1, "Kr. pr. indbygger": 0})
    return fig, t.reset_index(drop=True)


def municipalities_figure(d: pd.DataFrame, chosen: tuple[int, ...]) -> tuple[go.Figure, pd.DataFrame]:
    """The served region's municipalities ranked (horizontal bars, one panel per filter area), the region's
    average dashed and the country's dotted; chosen municipalities marked (colour, pattern, ▶)."""
    facets = _facets(d)
    titles = []
    for a, g in facets:
        part = d[d["filter_area"] == a]
        reg, land = part["region_avg"].iloc[0], part["country_avg"].iloc[0]
        titles.append(
            f"{a}: kr. pr. {u.AGE_LABEL.get(g, 'indbygger')}<br>region {fmt.kr(reg)} (stiplet), "
            f"landet {fmt.kr(land)} (prikket)"
        )
    fig = make_subplots(rows=1, cols=max(len(facets), 1), subplot_titles=titles, horizontal_spacing=0.18)
    lines = []
    for i, (area, _) in enumerate(facets, start=1):
        part = d[d["filter_area"] == area].sort_values("value")
        mine = part["municipality_code"].isin(chosen).to_numpy()
        fig.add_trace(
            go.Bar(
                x=part["value"],
                y=[("▶ " if m else "") + n for n, m in zip(part["name"], mine)],
                orientation="h",
                marker=dict(
                    color=[HIGHLIGHT if m else charts.AREA_COLOURS.get(area, SERVED_COLOUR) for m in mine],
                    pattern=dict(shape=["/" if m else "" for m in mine]),
                ),
                showlegend=False,
                hovertemplate="%{y}: %{x:,.0f} kr.<extra></extra>",
            ),
            row=1,
            col=i,
        )
        for col, dash in (("region_avg", "dash"), ("country_avg", "dot")):
            v = part[col].iloc[0]
            if pd.notna(v):
                lines.append(charts.vline(float(v), i, color=COUNTRY_COLOUR, dash=dash, width=1.5))
    charts.add_shapes(fig, lines)
    fig.update_layout(height=max(360, 24 * d["municipality_code"].nunique() + 110), margin=dict(t=72))
    charts.style(fig, x_format=charts.FMT_INT, y_format="")
    fig.update_yaxes(tickformat=None)
    fig.update_xaxes(title_text="kr. pr. indbygger i aldersgruppen")
    fig.update_annotations(font_size=13)

    t = d.assign(
        diff=(d["value"] / d["country_avg"] - 1) * 100,
        **{"Pr.": d["age_group"].map(lambda g: u.AGE_LABEL.get(g, g))},
    )
    t = t.rename(
        columns={
            "rank": "Placering i regionen",
            "name": "Kommune",
            "filter_area": "Opgjort for",
            "value": "Kr. pr. indbygger",
            "region_avg": "Regionsgennemsnit, kr.",
            "country_avg": "Landsgennemsnit, kr.",
            "diff": "Forskel fra landsgennemsnit, %",
        }
    )
    cols = [
        "Opgjort for",
        "Pr.",
        "Placering i regionen",
        "Kommune",
        "Kr. pr. indbygger",
        "Regionsgennemsnit, kr.",
        "Landsgennemsnit, kr.",
        "Forskel fra landsgennemsnit, %",
    ]
    t = t[cols].round(
        {
            "Kr. pr. indbygger": 0,
            "Regionsgennemsnit, kr.": 0,
            "Landsgennemsnit, kr.": 0,
            "Forskel fra landsgennemsnit, %": 1,
        }
    )
    return fig, t.reset_index(drop=True)


@dataclass(frozen=True)
class _OverTime:
    per_year: pd.DataFrame | None  # None: no other regions in the data for the period
    year: int | None  # the served region's headline year: its latest accounts year in the period with a price index
    chart: u.Chart | None
    unindexed: str = ""  # which accounts years fixed prices leave out for want of a price index (prices.note)
    skipped: tuple[int, ...] = ()  # the accounts years after `year`, without an index (udgifter.headline_year)


NOTE = (
    "Regnskab. Regioner og hele landet er summen af deres kommuner (udgifter delt med alle indbyggere i "
    "aldersgruppen); pr. indbygger som resten af siden: børn og unge pr. 0-22-årig, voksne pr. 18-64-årig"
)


@viewcache.cached
def _over_time(year_from: int, year_to: int, area: str, served: int) -> _OverTime:
    """The regions and the whole country per year: the part of the section that does not depend on the
    chosen municipalities (a change of municipality finds it built)."""
    price_index = db.run("udgifter_price_index")
    frame = db.run("udgifter_regions_per_year", year_from=year_from, year_to=year_to, area=area, region=served)
    if frame.empty or not set(frame["region_code"]) - {served}:
        return _OverTime(None, None, None)
    per_year = regions_per_year(frame, price_index)
    # the year the sentence and the municipalities chart are for: the one rule of Udgifter's headline (the latest
    # accounts year with a price index; the latest without it read '–' in the sentence and drew no bars)
    year, skipped = u.headline_year(
        sorted(int(y) for y in frame.loc[frame["region_code"] == served, "year"].unique()), price_index, fixed=True
    )
    fig, table = over_time_figure(per_year, served)
    chart = u.Chart(
        fig,
        table,
        TABLES,
        "udg-regioner",
        f"Regionerne og hele landet pr. år (kr. pr. indbygger i aldersgruppen, faste {u.price_year(price_index)}-priser)",
        NOTE,
        over_time_takeaway(per_year, served),
        shared=u.NOT_MUNICIPALITIES,  # every region as a whole
    )
    unindexed = u.left_out(frame.assign(kind="regnskab"), price_index, frame["year"] > 0)
    return _OverTime(per_year, year, chart, unindexed, tuple(skipped))


@viewcache.cached
def view(f) -> Section:
    """The section for the shared filters f (filters.Filters): the period and area apply; the
    municipality filter only marks municipalities (every region is compared as a whole)."""
    served = region.code()
    title = "Sammenligning med de andre regioner"
    p = f.params()
    ot = _over_time(f.year_from, f.year_to, p["area"], served)
    if ot.per_year is None or ot.year is None:
        return Section(
            title,
            "Datasættet har ingen udgifter for kommunerne i de andre regioner i perioden. Hent dem med "
            "`python -m overblik fetch-dst` (Danmarks Statistik har alle 98 kommuner).",
            "",
            None,
            None,
            "",
        )
    per_year, year = ot.per_year, ot.year
    price_index = db.run("udgifter_price_index")
    py = u.price_year(price_index)
    muni = db.run("udgifter_municipalities", year=year, area=p["area"])
    d = municipalities_against(muni, per_year, price_index, served)
    price_note = f"faste {py}-priser"
    name = region.name(served)
    fig2, t2 = municipalities_figure(d, f.chosen)
    return Section(
        title=title,
        empty=None,
        text=key_sentence(per_year, served, year, ot.skipped),
        over_time=ot.chart,
        municipalities=u.Chart(
            fig2,
            t2,
            TABLES,
            "udg-regioner-kommuner",
            f"Kommunerne i {name} mod regionen og landet, {year} (kr. pr. indbygger i aldersgruppen, {price_note})",
            NOTE + f". Alle {len(set(d['municipality_code']))} kommuner uanset kommunefiltret; de valgte er "
            "markeret med ▶ og skravering",
            municipalities_takeaway(d),
            shared=u.NOT_MUNICIPALITIES,
        ),
        caption="Sammenligningen følger periode og område i filtret til venstre, altid i faste priser og pr. "
        "indbygger, så regioner af forskellig størrelse kan sammenlignes. Forskelle kan skyldes både "
        "behov, serviceniveau og hvordan kommunerne konterer udgifterne."
        + (f" {ot.unindexed}" if ot.unindexed else ""),
    )
