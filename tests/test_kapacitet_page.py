"""Kapacitet page (AppTest): deep links, bound widgets, heat map and offer history against the snapshot."""

from apptest_helpers import open_numbers, shown, table

from overblik import kapacitet

PAGE = "pages/kapacitet.py"
OFFER_SQL = """
SELECT o.offer_id, o.name FROM {offers} AS o JOIN {offer_years} AS y ON y.offer_id = o.offer_id
WHERE o.kind = 'rammeaftale' AND o.target_group_id = $tg AND y.year = $y
ORDER BY o.offer_id LIMIT 1
"""


def _table(at, column: str):
    found = [shown(d) for d in at.dataframe if column in d.value.columns]
    assert found, f"a table with the column {column!r}"
    return found


def test_default_view(app_test, sql):
    at = app_test(page=PAGE)
    assert not at.exception, at.exception
    assert at.title[0].value == "Kapacitet"
    assert at.segmented_control(key="maalgruppe").value == kapacitet.ALL
    assert at.segmented_control(key="maalgruppe").options == ["Alle", "B1", "B2", "B3", "V1", "V2", "V3"]
    # the heat-map year defaults to the latest year of the period
    years = at.selectbox(key="indberetning").options
    assert at.selectbox(key="indberetning").value == int(years[-1])
    assert at.selectbox(key="tilbud").value is None
    # the gap is explained on the page
    assert any("Manglende eller ledige pladser:" in c.value for c in at.caption)
    # what the municipalities report leads: the lead table per target group, with the verdict in words
    lead = _table(at, "Vurdering")[0]
    assert list(lead.columns) == [
        "Målgruppe",
        "Vurdering",
        "Svært at finde tilbud",
        "I private tilbud",
        "Enkeltmandsforanstaltninger",
        "Ventende",
    ]
    # demand per target group exists from 2026 only: no history to show, said on the page
    assert at.selectbox(key="indberetning").options == ["2026"]
    assert any("ingen udvikling at vise" in c.value for c in at.caption)
    # secured units with their real places, national offers from the 2015 list
    units = table(at, "Sikrede pladser").set_index("Navn")  # a table of texts, shown whole
    assert {"Koglen", "Grenen", "Kofoedsminde"} <= set(units.index)
    assert units.loc["Koglen", "Sikrede pladser"] == "10" and units.loc["Grenen", "Sikrede pladser"] == "15"
    assert any("maj 2015" in c.value for c in at.caption)
    national = table(at, "Bemærkning")  # a table of texts: the long notes wrap, read whole
    notes = sql("SELECT name, coalesce(note, '–') AS note FROM {national_offers} ORDER BY name")
    assert not [d for d in at.dataframe if "Bemærkning" in d.value.columns]
    assert sorted(zip(national["Tilbud"], national["Bemærkning"])) == sorted(zip(notes.name, notes.note))


def test_deep_link_shows_the_linked_values(app_test, sql):
    offer = sql(OFFER_SQL, {"tg": "B1", "y": 2026}).iloc[0]
    label = f"{offer['name']} ({offer['offer_id']})"
    at = open_numbers(
        app_test(
            page=PAGE, query={"maalgruppe": "B1", "indberetning": "2026", "tilbud": label, "aar": ["2020", "2026"]}
        )
    )
    assert not at.exception, at.exception
    assert at.segmented_control(key="maalgruppe").value == "B1"
    assert at.selectbox(key="indberetning").value == 2026
    assert at.selectbox(key="tilbud").value == offer["offer_id"]
    assert any(c.value.startswith("**B1:**") for c in at.caption), "the chosen group's full name is shown"

    # heat map: the 2026 difficulty of every municipality and target group, as reported
    heat = _table(at, "Vanskelighed (0-3)")[0]
    exp = sql(
        "SELECT m.name, t.short_name, d.difficulty FROM {demand} d "
        "JOIN {municipalities} m USING (municipality_code) JOIN {target_groups} t USING (target_group_id) "
        "WHERE d.year = 2026 ORDER BY 1, 2"
    )
    got = heat.sort_values(["Kommune", "Målgruppe"]).reset_index(drop=True)
    assert list(got["Kommune"]) == list(exp["name"])
    assert list(got["Vanskelighed (0-3)"]) == list(exp["difficulty"])
    assert list(got["Vanskelighed"]) == [kapacitet.DIFFICULTY_WORDS[int(v)] for v in exp["difficulty"]]

    # offers focus on B1; the chosen offer's history covers the period
    offers = _table(at, "Signal")[0]
    assert set(offers["Målgruppe"]) == {"B1"}
    hist = _table(at, "Takst (kr. pr. døgn/dag)")
    hist = next(h for h in hist if "År" in h.columns)
    exp = sql(
        "SELECT year, places, occupancy_pct, budgeted_occupancy_pct, rate_dkk_per_day FROM {offer_years} "
        "WHERE offer_id = $o AND year BETWEEN 2020 AND 2026 ORDER BY year",
        {"o": offer["offer_id"]},
    )
    assert list(hist["År"]) == list(exp["year"])
    assert list(hist["Pladser"]) == list(exp["places"])
    assert list(hist["Belægning (%)"]) == list(exp["occupancy_pct"])
    assert list(hist["Budgetteret belægning (%)"]) == list(exp["budgeted_occupancy_pct"])
    assert list(hist["Takst (kr. pr. døgn/dag)"]) == list(exp["rate_dkk_per_day"])


def test_changing_the_target_group_refocuses_the_page(app_test):
    at = app_test(page=PAGE, query={"maalgruppe": "B1"})
    at.segmented_control(key="maalgruppe").set_value("V2").run()
    assert not at.exception, at.exception
    assert at.segmented_control(key="maalgruppe").value == "V2"
    assert any(c.value.startswith("**V2:**") for c in at.caption)
    assert set(_table(at, "Signal")[0]["Målgruppe"]) == {"V2"}
    # one year of reports: the tables on top still show every group, and no over-time chart is drawn
    groups = [set(t["Målgruppe"]) for t in _table(at, "Vurdering")]
    assert all(len(g) == 6 for g in groups)


def test_invalid_link_values_fall_back_quietly(app_test):
    at = app_test(
        page=PAGE,
        query={
            "maalgruppe": "X9",
            "indberetning": "1850",
            "tilbud": "Findes ikke",
            "flag": "Måske",
            "driftsherre": "Atlantis",
        },
    )
    assert not at.exception, at.exception
    assert at.segmented_control(key="maalgruppe").value == kapacitet.ALL
    assert at.selectbox(key="indberetning").value == int(at.selectbox(key="indberetning").options[-1])
    assert at.selectbox(key="tilbud").value is None
    assert at.segmented_control(key="flag").value == kapacitet.ALL
    assert at.multiselect(key="driftsherre").value == []


def test_target_group_outside_the_area_falls_back(app_test):
    at = app_test(page=PAGE, query={"omraade": "Voksne", "maalgruppe": "B1"})
    assert not at.exception, at.exception
    assert at.segmented_control(key="maalgruppe").value == kapacitet.ALL
    assert set(_table(at, "Signal")[0]["Målgruppe"]) == {"V1", "V2", "V3"}


def test_period_without_capacity_data(app_test):
    at = app_test(page=PAGE, query={"aar": ["2016", "2018"]})
    assert not at.exception, at.exception
    assert any("ingen indberetninger fra kommunerne" in i.value for i in at.info)
    # the secured units and national offers do not depend on the period's capacity data
    assert len(table(at, "Sikrede pladser")) and len(table(at, "Bemærkning"))  # both tables of texts


def test_the_page_opens_no_file_and_runs_no_query():
    import re
    from pathlib import Path

    source = (Path(__file__).resolve().parent.parent / PAGE).read_text(encoding="utf-8")
    assert not re.search(r"\bopen\(|\bdb\.|\bdata\.|\bstore\.|\bingest\.|read_text|read_bytes", source)


def test_a_period_before_the_reports_still_lists_its_offers(app_test, sql):
    # the municipalities report from 2026; 2024-2025 has no reports but has offers: the list shows 2025's
    at = app_test(page=PAGE, query={"aar": ["2024", "2025"]})
    assert not at.exception, at.exception
    assert any("findes fra 2026" in i.value and "i 2025 står længere nede" in i.value for i in at.info)
    assert "Tilbud under rammeaftalen, 2025" in [h.value for h in at.header]
    offers = _table(at, "Signal")[0]
    n = sql(
        "SELECT count(*) AS n FROM {offers} o JOIN {offer_years} y ON y.offer_id = o.offer_id AND y.year = 2025 "
        "WHERE o.kind = 'rammeaftale' AND o.municipality_code IN (SELECT municipality_code FROM {municipalities})"
    )["n"].iloc[0]
    assert len(offers) == n > 0


def test_the_offer_summary_names_the_area_filter(app_test):
    at = app_test(page=PAGE, query={"omraade": "Børn og unge"})
    assert not at.exception, at.exception
    assert any("(alle målgrupper for børn og unge," in m.value for m in at.markdown)


def test_no_offer_left_by_the_filters_is_said_in_danish(app_test):
    """Filters that leave no offer: a Danish sentence instead of an empty grid (which reads 'empty')."""
    query = {"kommune": "Herning", "maalgruppe": "V2", "flag": "Overbelægning", "driftsherre": "Herning Kommune"}
    at = app_test(page=PAGE, query=query)
    assert not at.exception, at.exception
    assert at.multiselect(key="driftsherre").value  # the link's operator was chosen, not dropped
    assert any(i.value == "Ingen tilbud passer til de valgte filtre." for i in at.info)
    assert not [d for d in at.dataframe if "Signal" in d.value.columns]


def test_subtitle_names_municipality_period_and_area(app_test):
    """The header names the area the page is filtered to, as Overblik and Siden sidste møde do ('… · Viborg ·
    2022-2026 · Voksne · Data pr. …'); without an area chosen it names none."""
    at = app_test(page=PAGE, query={"aar": ["2022", "2026"], "kommune": "Viborg", "omraade": "Voksne"})
    assert not at.exception, at.exception
    sub = at.caption[0].value
    assert " · Viborg · 2022-2026 · Voksne · Data pr. " in sub, sub
    sub = app_test(page=PAGE).caption[0].value
    assert " · Hele regionen · " in sub and "Voksne" not in sub and "Børn og unge" not in sub, sub
