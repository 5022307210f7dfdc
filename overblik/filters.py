"""The shared filters (period, municipalities, area), bound to the URL.

Every filter is a widget with `bind="query-params"`, so the address bar is always the shareable
link: ?aar=2019&aar=2025&kommune=Aarhus&omraade=Voksne (widgets write their labels). Streamlit drops values it cannot use; we
look at the raw URL first so we can say so quietly instead of silently changing the view.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from overblik import db, fmt, region

YEARS_KEY = "aar"
MUNICIPALITIES_KEY = "kommune"
AREA_KEY = "omraade"
KEYS = (YEARS_KEY, MUNICIPALITIES_KEY, AREA_KEY)

# URL value -> (label, the area value the SQL filters on)
AREAS = {
    "alle": ("Alle", "alle"),
    "boern": ("Børn og unge", "Børn og unge"),
    "voksne": ("Voksne", "Voksne"),
}


@dataclass(frozen=True)
class Filters:
    year_from: int
    year_to: int
    chosen: tuple[int, ...]  # the municipalities chosen; empty = the whole region
    all_municipalities: tuple[int, ...]
    names: dict
    area_key: str = "alle"

    @property
    def municipalities(self) -> tuple[int, ...]:
        return self.chosen or self.all_municipalities

    @property
    def area(self) -> str:
        return AREAS[self.area_key][1]

    @property
    def area_label(self) -> str:
        return AREAS[self.area_key][0]

    @property
    def whole_region(self) -> bool:
        return not self.chosen

    @property
    def chosen_names(self) -> tuple[str, ...]:
        """The chosen municipalities' names (none: the whole region)."""
        return tuple(self.names.get(c, str(c)) for c in self.chosen)

    @property
    def scope_label(self) -> str:
        """'Hele regionen' or 'Aarhus, Randers' (shortened after three)."""
        if self.whole_region:
            return "Hele regionen"
        names = list(self.chosen_names)
        return ", ".join(names) if len(names) <= 3 else f"{', '.join(names[:3])} og {len(names) - 3} andre"

    @property
    def period_label(self) -> str:
        return fmt.years((self.year_from, self.year_to))

    @property
    def view_label(self) -> str:
        """What the shared filters show, for a page's subtitle: 'Viborg · 2022-2026 · Voksne' (the area only
        when one is chosen; 'Hele regionen · 2016-2026' by default)."""
        area = "" if self.area_key == "alle" else f" · {self.area_label}"
        return f"{self.scope_label} · {self.period_label}{area}"

    def params(self) -> dict:
        """The named SQL parameters every query understands."""
        return {
            "year_from": self.year_from,
            "year_to": self.year_to,
            "municipalities": list(self.municipalities),
            "area": self.area,
        }


def options() -> dict:
    """Years and municipalities available in the current snapshot."""
    years = db.run("filter_years")
    munis = db.run("filter_municipalities")
    return {
        "years": [int(y) for y in years["year"]],
        "municipalities": [int(c) for c in munis["municipality_code"]],
        "names": dict(zip(munis["municipality_code"].astype(int), munis["name"])),
    }


def _raw(key: str) -> list[str]:
    try:
        return list(st.query_params.get_all(key))
    except Exception:
        return []


def invalid_url_values(raw: dict[str, list[str]], opts: dict) -> list[str]:
    """The URL values Streamlit will drop, as 'key=value' texts.

    Bound widgets write their labels to the URL: ?aar=2019&aar=2025&kommune=Aarhus&omraade=Voksne.
    """
    bad = []
    years = {str(y) for y in opts["years"]}
    raw_years = raw.get(YEARS_KEY, [])
    for v in raw_years:
        if v not in years:
            bad.append(f"{YEARS_KEY}={v}")
    if raw_years and len(raw_years) != 2:
        bad.append(f"{YEARS_KEY} skal angives to gange (fra og til)")
    names = set(opts["names"].values())
    for v in raw.get(MUNICIPALITIES_KEY, []):
        if v and v not in names:
            bad.append(f"{MUNICIPALITIES_KEY}={v}")
    labels = {label for label, _ in AREAS.values()}
    for v in raw.get(AREA_KEY, []):
        if v not in labels:
            bad.append(f"{AREA_KEY}={v}")
    return bad


def sidebar() -> Filters:
    """Draw the shared filters in the sidebar and return the choice. Called once per run by dashboard.py."""
    opts = options()
    years, codes, names = opts["years"], opts["municipalities"], opts["names"]
    bad = invalid_url_values({k: _raw(k) for k in KEYS}, opts)
    with st.sidebar:
        st.markdown("**Filtre**")
        y_from, y_to = st.select_slider(
            "Periode",
            options=years,
            value=(years[0], years[-1]),
            key=YEARS_KEY,
            bind="query-params",
            help="Årene, som grafer og tal dækker. Nøgletal vises for det seneste år i perioden.",
        )
        chosen = st.multiselect(
            "Kommuner",
            options=codes,
            format_func=lambda c: names.get(c, str(c)),
            key=MUNICIPALITIES_KEY,
            bind="query-params",
            placeholder="Hele regionen",
            select_all=False,  # English, and redundant: no choice is the whole region
            help=f"Vælg en eller flere kommuner. Intet valg = hele {region.name()} ({len(codes)} kommuner).",
        )
        area_key = st.radio(
            "Område",
            options=list(AREAS),
            format_func=lambda k: AREAS[k][0],
            key=AREA_KEY,
            bind="query-params",
            horizontal=True,
            help="Børn og unge omfatter også specialskolerne; Voksne også specialpædagogisk bistand til "
            "voksne og STU (ungdomsuddannelse for unge med særlige behov, 16-25 år).",
        )
        if bad:
            st.caption(
                "⚠ Linket havde ugyldige filterværdier, som er erstattet af standardværdien: "
                + ", ".join(fmt.md(b) for b in bad)
            )
    f = Filters(int(y_from), int(y_to), tuple(int(c) for c in chosen), tuple(codes), names, area_key or "alle")
    st.session_state["_filters"] = f
    return f


def ensure_shell() -> None:
    """Make sure this run goes through dashboard.py (navigation, sidebar, filters).

    Because a pages/ folder exists, Streamlit uses its legacy multipage mode until st.navigation has
    run once in the process: a deep link opened first on a freshly started server (and AppTest after
    switch_page, which resets the mode every run) runs the page file on its own, without the shell.
    Leave that mode and run again through dashboard.py, on the same page. Every page calls this
    through ui.header().
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory or "_filters" not in st.session_state:
        PagesManager.uses_pages_directory = False
        st.rerun()


def current() -> Filters:
    """The filters drawn by dashboard.py in this run."""
    ensure_shell()
    return st.session_state["_filters"]
