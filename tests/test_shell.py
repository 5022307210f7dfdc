"""The app shell: navigation, shared filters from the URL, header (AppTest). Om data: tests/test_om_data.py."""

import pytest

PAGES = ["pages/overblik.py", "pages/udgifter.py", "pages/kapacitet.py", "pages/centrale-udmeldinger.py",
         "pages/handlingsplan.py", "pages/om-data.py"]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_exception(app_test, page):
    at = app_test(page=page)
    assert not at.exception, at.exception
    assert at.title, "every page has a title"


def test_default_filters_cover_the_whole_region(app_test, sql):
    at = app_test()
    years = sql("SELECT min(year) AS a, max(year) AS b FROM (SELECT year FROM {spending} "
                "UNION ALL SELECT year FROM {offer_years} UNION ALL SELECT year FROM {demand})")
    assert at.select_slider(key="aar").value == (years.a[0], years.b[0])
    assert at.multiselect(key="kommune").value == []
    assert at.radio(key="omraade").value == "alle"


def test_filters_are_read_from_the_url(app_test):
    at = app_test(query={"aar": ["2021", "2024"], "kommune": ["Aarhus", "Skive"], "omraade": "Voksne"})
    assert not at.exception
    assert at.select_slider(key="aar").value == (2021, 2024)
    assert sorted(at.multiselect(key="kommune").value) == [751, 779]
    assert at.radio(key="omraade").value == "voksne"


def test_invalid_url_values_fall_back_quietly(app_test):
    at = app_test(query={"aar": ["1850", "2024"], "kommune": ["Atlantis"], "omraade": "alt"})
    assert not at.exception
    assert at.multiselect(key="kommune").value == []
    assert at.radio(key="omraade").value == "alle"
    notice = " ".join(c.value for c in at.sidebar.caption)
    assert "kommune=Atlantis" in notice and "omraade=alt" in notice and "aar=1850" in notice


def test_header_marks_illustrative_data(app_test):
    at = app_test()
    assert any("Illustrative data" in m.value for m in at.markdown), "illustrative marker shown"
    assert any("Data pr." in c.value for c in at.caption)
