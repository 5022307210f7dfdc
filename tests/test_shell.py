"""The app shell: navigation, shared filters from the URL, header (AppTest). Om data: tests/test_om_data.py."""

import json

import pytest

PAGES = [
    "pages/overblik.py",
    "pages/udgifter.py",
    "pages/kapacitet.py",
    "pages/centrale-udmeldinger.py",
    "pages/handlingsplan.py",
    "pages/om-data.py",
]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_exception(app_test, page):
    at = app_test(page=page)
    assert not at.exception, at.exception
    assert at.title, "every page has a title"


def test_default_filters_cover_the_whole_region(app_test, sql):
    at = app_test()
    years = sql(
        "SELECT min(year) AS a, max(year) AS b FROM (SELECT year FROM {spending} "
        "UNION ALL SELECT year FROM {offer_years} UNION ALL SELECT year FROM {demand})"
    )
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
    notice = " ".join(c.value for c in at.sidebar.caption).replace("\\=", "=")  # markdown: '=' escaped
    assert "kommune=Atlantis" in notice and "omraade=alt" in notice and "aar=1850" in notice


def test_header_marks_illustrative_data(app_test):
    at = app_test()
    assert any("Fiktive eksempeldata" in m.value for m in at.markdown), "illustrative marker shown"
    assert any("Data pr." in c.value for c in at.caption)


def test_a_tampered_snapshot_is_refused_with_a_clear_message(tmp_path, monkeypatch, data_dir):
    """A copy of the data; the app opens it; a second snapshot is published and one of its Parquet
    files damaged; the app says so in Danish and keeps showing the first snapshot, with no traceback
    and no server path."""
    import shutil

    from streamlit.testing.v1 import AppTest

    from overblik import data, db, fmt, store

    base = tmp_path / "data"
    shutil.copytree(data_dir, base)
    monkeypatch.setenv("OVERBLIK_DATA_DIR", str(base))
    monkeypatch.setattr(data, "_last_good", {})
    first = store.current_id(base)
    root = store.ROOT / "dashboard.py"

    at = AppTest.from_file(str(root), default_timeout=60).run()
    assert not at.exception and not at.warning

    tables = store.read_tables(first, base)
    tables["principles"] = tables["principles"].assign(name=tables["principles"]["name"] + " (ny)")
    doc = store.manifest(first, base)
    meta = {n: store.TableMeta(e["provenance"], e["source"], e["data_date"]) for n, e in doc["tables"].items()}
    second = store.publish(tables, meta, note="ny", based_on=first, base=base)
    path = base / "snapshots" / second / "offers.parquet"
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])  # truncated

    at = AppTest.from_file(str(root), default_timeout=60).run()
    assert not at.exception
    texts = [w.value for w in at.warning]
    assert texts == [
        f"Det nyeste datasæt ({store.name_of(second, base)}) er beskadiget og bruges ikke: offers: kontrolsum passer "
        f"ikke. Siden viser det seneste gyldige datasæt, {store.name_of(first, base)}. Udgiv data igen, eller rul "
        "tilbage."
    ]
    page_text = " ".join(str(e.value) for e in at.main if hasattr(e, "value")) + " ".join(texts)
    assert str(base) not in page_text and "Traceback" not in page_text
    footer = " ".join(c.value for c in at.caption)
    # the page ran on the first snapshot (named by when it was published)
    assert fmt.md(store.name_of(first, base)) in footer and fmt.md(store.name_of(second, base)) not in footer

    # a process that never had a good snapshot: a clear error and nothing else
    monkeypatch.setattr(data, "_last_good", {})
    db.clear()
    at = AppTest.from_file(str(root), default_timeout=60).run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        f"Datasættet {store.name_of(second, base)} er beskadiget og kan ikke bruges: offers: kontrolsum passer ikke. "
        "Der er intet tidligere gyldigt datasæt at vise. Udgiv data igen, eller rul tilbage."
    ]
    db.clear()


def test_old_data_is_said_to_be_old(app_test, monkeypatch, data_dir):
    """Half a year after the last publish every page says how old its numbers are; within a quarter and a month
    of it nothing is said (a reviewer moved the clock to 2028 and the pages still read as current)."""
    from overblik import db, viewcache

    sid = (data_dir / "CURRENT").read_text().strip()
    manifest = json.loads((data_dir / "snapshots" / sid / "manifest.json").read_text())
    assert max(t["data_date"] for t in manifest["tables"].values() if t.get("data_date")) == "2026-11-20"
    quiet = app_test()
    assert not [w for w in quiet.warning if "Tallene er pr." in w.value]
    monkeypatch.setenv("OVERBLIK_TODAY", "2027-06-15")  # 6 months and 26 days after 20 Nov 2026
    viewcache.clear()
    db.clear()
    try:
        for page in (None, "pages/udgifter.py", "pages/handlingsplan.py"):
            at = app_test(page=page)
            notes = [w.value for w in at.warning if "Tallene er pr." in w.value]
            assert notes == [
                "Tallene er pr. 20. nov. 2026, 6 måneder før i dag, og der er ikke udgivet nyere data. "
                "Spørg sekretariatet, før tallene bruges."
            ], page
    finally:
        viewcache.clear()
        db.clear()


@pytest.mark.parametrize(
    "page, dated",
    [("pages/kapacitet.py", "20. nov. 2026"), ("pages/udgifter.py", "20. nov. 2026"), (None, "28. nov. 2026")],
)
def test_the_header_dates_a_page_by_its_own_tables(own_data, app_test, page, dated):
    """A publish of the meetings alone (dated 28 Nov) dated Kapacitet's and Udgifter's capacity and spending
    figures "Data pr. 28. nov." too; Overblik shows the meetings, so its date moves."""
    import json

    import pyarrow.parquet as pq

    from overblik import store

    sid = (own_data / "CURRENT").read_text().strip()
    folder = own_data / "snapshots" / sid
    doc = json.loads((folder / "manifest.json").read_text())["tables"]
    frames = {t: pq.read_table(folder / f"{t}.parquet").to_pandas() for t in doc}
    meta = {t: store.TableMeta(e["provenance"], e["source"], e["data_date"]) for t, e in doc.items()}
    meta["meetings"] = store.TableMeta("illustrative", "Sekretariatet", "2026-11-28")
    assert max(e["data_date"] for t, e in doc.items() if t != "meetings") == "2026-11-20"  # the test's premise
    store.publish(frames, meta, note="møder", base=own_data)
    at = app_test(page=page)
    assert not at.exception, at.exception
    assert at.caption[0].value.endswith(f"Data pr. {dated}"), at.caption[0].value


def _republish(base, created: str, data_date: str) -> str:
    """The current snapshot published again as a new one, created at `created` (UTC), its meetings dated
    `data_date` (Overblik's header date moves with them)."""
    import pyarrow.parquet as pq

    from overblik import store

    sid = (base / "CURRENT").read_text().strip()
    folder = base / "snapshots" / sid
    doc = json.loads((folder / "manifest.json").read_text())["tables"]
    frames = {t: pq.read_table(folder / f"{t}.parquet").to_pandas() for t in doc}
    meta = {t: store.TableMeta(e["provenance"], e["source"], e["data_date"]) for t, e in doc.items()}
    meta["meetings"] = store.TableMeta("illustrative", "Sekretariatet", data_date)
    return store.publish(frames, meta, note="nye data", base=base, created=created)


def _news(at) -> list[str]:
    """The new-data notices of a run, as the reader reads them (fmt.md's escapes removed)."""
    return [i.value.replace("\\", "") for i in at.info if "tallene er opdateret" in i.value]


def test_a_reader_is_told_once_that_new_data_was_published(own_data, app_test):
    """A page is open; a snapshot is published; the next click shows the new figures and says so, once. The
    snapshot was created 29 Nov 2026 12:01 UTC, which is 13.01 in Copenhagen (CET, UTC+1 in November)."""
    from overblik import store

    at = app_test()
    first = (own_data / "CURRENT").read_text().strip()
    assert not at.exception, at.exception
    assert _news(at) == [], "never on a session's first run"
    assert at.caption[0].value.endswith("Data pr. 20. nov. 2026")
    _republish(own_data, "2026-11-29T12:01:00+00:00", "2026-11-29")
    at.run()
    assert not at.exception, at.exception
    assert _news(at) == ["Der er udgivet nye data 29. nov. 2026 kl. 13.01; tallene er opdateret."]
    assert at.caption[0].value.endswith("Data pr. 29. nov. 2026"), "the figures changed in the same run"
    at.run()
    assert _news(at) == [], "once per change"
    at.switch_page("pages/udgifter.py").run()
    assert _news(at) == [], "another page of the same session: the same snapshot, nothing to say"
    # a rollback to the demo (created 20 Nov 2026 00:00 UTC = 01.00 Danish time) is said as one
    store.rollback(first, base=own_data)
    at.run()
    assert _news(at) == ["Dataene er rullet tilbage til datasættet fra 20. nov. 2026 kl. 01.00; tallene er opdateret."]
    at.run()
    assert _news(at) == []
