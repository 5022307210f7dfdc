"""The shell in a real browser: /, deep links, filters shown from the URL, filter changes written to the URL."""

import pytest
from helpers import assert_no_exception, open_page, query_values, screenshot, wait_ready

pytestmark = pytest.mark.browser

PAGES = ["", "udgifter", "kapacitet", "centrale-udmeldinger", "handlingsplan", "om-data"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_opens_without_exception(page, server, path):
    open_page(page, f"{server}/{path}")
    assert_no_exception(page)
    assert page.locator("h1").first.is_visible()
    screenshot(page, f"shell-{path or 'overblik'}")


def test_deep_link_shows_the_linked_filters(page, server):
    open_page(page, f"{server}/?aar=2020&aar=2024&kommune=Aarhus&kommune=Skive&omraade=Voksne")
    assert_no_exception(page)
    sidebar = page.get_by_test_id("stSidebar")
    slider = sidebar.get_by_test_id("stSlider")
    assert "2020" in slider.inner_text() and "2024" in slider.inner_text()
    chosen = sidebar.get_by_test_id("stMultiSelect").inner_text()
    assert "Aarhus" in chosen and "Skive" in chosen
    assert sidebar.get_by_role("radio", name="Voksne").is_checked()
    # the URL still says the same after the run: the link is stable
    assert query_values(page.url, "kommune") == ["Aarhus", "Skive"]
    assert query_values(page.url, "aar") == ["2020", "2024"]


def test_changing_a_filter_updates_the_url(page, server):
    open_page(page, server + "/")
    assert query_values(page.url, "omraade") == []
    page.get_by_test_id("stSidebar").get_by_text("Børn og unge", exact=True).click()
    wait_ready(page)
    assert query_values(page.url, "omraade") == ["Børn og unge"]
    # choose a municipality
    page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").click()
    page.keyboard.type("Vibo")
    page.get_by_role("option", name="Viborg").click()
    page.keyboard.press("Escape")
    wait_ready(page)
    assert query_values(page.url, "kommune") == ["Viborg"]
    # the filters survive navigation to another page
    page.get_by_test_id("stSidebarNav").get_by_text("Om data").click()
    wait_ready(page)
    assert "/om-data" in page.url
    assert query_values(page.url, "kommune") == ["Viborg"]
    assert query_values(page.url, "omraade") == ["Børn og unge"]


def test_invalid_link_falls_back_with_a_notice(page, server):
    open_page(page, f"{server}/?kommune=Atlantis&omraade=alt")
    assert_no_exception(page)
    assert page.get_by_text("ugyldige filterværdier").is_visible()
    assert query_values(page.url, "kommune") == []


def test_header_shows_data_date_and_illustrative_marker(page, server):
    open_page(page, server + "/")
    assert page.get_by_text("Data pr.").first.is_visible()
    assert page.get_by_text("Fiktive eksempeldata").first.is_visible()


@pytest.mark.parametrize("path", ["om-data", "centrale-udmeldinger?status=Kun+%C3%A5bne"])
def test_first_deep_link_on_a_fresh_server_opens_its_page(page, data_dir, path):
    """A link shared before anyone opened '/' must open its own page, with the shell and no
    'Page not found' dialog (Streamlit's legacy pages/ mode is active until st.navigation has run)."""
    from conftest import serve

    with serve(data_dir) as url:
        open_page(page, f"{url}/{path}")
        assert_no_exception(page)
        assert page.get_by_test_id("stSidebar").get_by_text("Filtre").is_visible()
        assert page.url.startswith(f"{url}/{path.split('?')[0]}")


def test_a_reader_is_told_in_the_browser_that_new_data_was_published(page, tmp_path):
    """A reader has Overblik open on the server's own copy of the data; a snapshot is published (created 29 Nov
    2026 12:01 UTC = 13.01 Danish time); the reader's next click shows a status message screen readers announce
    (role="status"), and the click after that shows none."""
    import json
    import shutil

    import pyarrow.parquet as pq
    from conftest import ROOT, serve

    from overblik import store

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    with serve(data) as url:
        open_page(page, url + "/")
        news = page.get_by_role("status").filter(has_text="tallene er opdateret")
        assert news.count() == 0
        folder = data / "snapshots" / (data / "CURRENT").read_text().strip()
        doc = json.loads((folder / "manifest.json").read_text())["tables"]
        store.publish(
            {t: pq.read_table(folder / f"{t}.parquet").to_pandas() for t in doc},
            {t: store.TableMeta(e["provenance"], e["source"], e["data_date"]) for t, e in doc.items()},
            note="nye data",
            base=data,
            created="2026-11-29T12:01:00+00:00",
        )
        sidebar = page.get_by_test_id("stSidebar")
        sidebar.get_by_text("Voksne", exact=True).click()
        wait_ready(page)
        assert_no_exception(page)
        assert news.count() == 1
        # the whole text as announced: no icon read out by its name ("update") before it
        said = "Der er udgivet nye data 29. nov. 2026 kl. 13.01; tallene er opdateret."
        assert news.inner_text().strip() == said
        screenshot(page, "shell-new-data", full_page=False)
        sidebar.get_by_text("Børn og unge", exact=True).click()
        wait_ready(page)
        assert news.count() == 0
