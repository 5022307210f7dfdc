"""Siden sidste møde (AppTest): the page opens on the last meeting before today, says which data it
compares, and shows the Overblik headline numbers then -> now; Overblik has the compact section."""

import pandas as pd
from apptest_helpers import table, text_tables
from conftest import ROOT

from overblik import fmt

PAGE = "pages/siden-sidste-moede.py"


def test_page_opens_with_meeting_and_headlines(app_test):
    at = app_test(page=PAGE)
    assert not at.exception
    assert at.title[0].value == "Siden sidste møde"
    assert at.selectbox(key="siden").value == "12. nov. 2026 (DASSOS)"
    heads = table(at, "Ved mødet")
    assert {"Udgifter", "Kapacitet", "Centrale udmeldinger", "Handlingsplan"} <= set(heads["Blok"])
    # the KKR meeting of 6 Oct 2026 was before the shipped data's first snapshot: the page says so
    at.selectbox(key="siden").select("6. okt. 2026 (KKR)").run()
    assert not at.exception
    assert any("intet udgivet datasæt" in i.value for i in at.info)


def _sql(data_dir, sid: str, text: str):
    """Independent SQL over one snapshot's Parquet files: {table} -> read_parquet('<path>')."""
    import duckdb

    folder = data_dir / "snapshots" / sid
    tables = {p.stem: f"read_parquet('{p.as_posix()}')" for p in folder.glob("*.parquet")}
    con = duckdb.connect(":memory:")
    try:
        return con.execute(text.format(**tables)).df()
    finally:
        con.close()


def _thousands(n) -> str:
    return f"{int(n):,}".replace(",", ".")


def test_default_meeting_on_the_shipped_data_shows_then_to_now(app_test, data_dir):
    """The shipped data has an earlier demo snapshot before the 12 Nov 2026 meeting: the default page
    compares it with today's, and its then -> now values equal independent SQL over the two snapshots."""
    import json

    now_id = (data_dir / "CURRENT").read_text().strip()
    then_id = json.loads((data_dir / "snapshots" / now_id / "manifest.json").read_text())["parent"]
    assert then_id and then_id != now_id
    at = app_test(page=PAGE)
    assert not at.exception
    info = " ".join(i.value for i in at.info).replace("\\", "")  # the page escapes markdown
    assert "datasæt Eksempeldata, 2. nov. 2026. Nu: datasæt Eksempeldata, 20. nov. 2026." in info

    # spending: per year, kind and area (the account function's own, as Udgifter names it), the revisions
    # add up to the difference of the two snapshots' sums
    q = """SELECT year, kind, f.area, sum(net_1000_dkk) AS v
           FROM {spending} JOIN {account_functions} AS f USING (function_code) GROUP BY ALL"""
    then = _sql(data_dir, then_id, q).set_index(["year", "kind", "area"])["v"]
    now = _sql(data_dir, now_id, q).set_index(["year", "kind", "area"])["v"]
    diff = ((now - then) / 1000).round(1)
    revised = {k: v for k, v in diff.items() if v != 0}
    assert "Specialundervisning" in {k[2] for k in revised}  # the demo revises a special school's accounts
    sp = table(at, "Ændring, mio. kr.")
    kinds = {"Regnskab": "regnskab", "Budget": "budget"}
    got = sp.assign(kind=sp["Art"].map(kinds)).groupby(["År", "kind", "Område"])["Ændring, mio. kr."].sum()
    assert set(got.index) == set(revised) and len(revised) >= 2
    for key, v in revised.items():
        assert abs(got[key] - v) <= 0.05 * len(sp) + 1e-9, key
    # the grid names the snapshot by the day it was published (the lines above name it in full; the downloads
    # keep the full name: test_siden)
    created = json.loads((data_dir / "snapshots" / now_id / "manifest.json").read_text())["created"]
    published = fmt.date(pd.Timestamp(created).tz_convert("Europe/Copenhagen").date())
    assert (sp["Hvad"] == "Revideret").all() and (sp["Fra datasæt"] == published).all()

    # offers: the one opened since and the one whose places changed, with places from SQL
    q = "SELECT offer_id, places FROM {offer_years} WHERE year = 2026"
    p_then = _sql(data_dir, then_id, q).set_index("offer_id")["places"]
    p_now = _sql(data_dir, now_id, q).set_index("offer_id")["places"]
    opened = sorted(set(p_now.index) - set(p_then.index))
    common = p_now.index.intersection(p_then.index)
    changed = sorted(o for o in common if p_now[o] != p_then[o])
    offers = table(at, "Beliggenhed")  # the grid: places at the meeting -> now in one column
    by_id = {t.rsplit("(", 1)[1].rstrip(")"): r for t, (_, r) in zip(offers["Tilbud"], offers.iterrows())}
    assert sorted(by_id) == sorted(opened + changed) and opened and changed
    for o in opened:
        assert by_id[o]["Ændring"] == "Åbnet" and by_id[o]["Pladser"] == f"– → {_thousands(p_now[o])}"
    for o in changed:
        r = by_id[o]
        assert r["Ændring"] == "Ændret pladstal"
        assert r["Pladser"] == f"{_thousands(p_then[o])} → {_thousands(p_now[o])}"

    # capacity: the places offered per target group in 2026, then -> now where they differ
    q = """SELECT o.target_group_id AS g, sum(y.places) AS places FROM {offers} o JOIN {offer_years} y
           USING (offer_id) WHERE y.year = 2026 AND o.kind = 'rammeaftale' AND o.target_group_id IS NOT NULL
           GROUP BY ALL"""
    c_then = _sql(data_dir, then_id, q).set_index("g")["places"]
    c_now = _sql(data_dir, now_id, q).set_index("g")["places"]
    cap = table(at, "Udbudte pladser")
    assert "Enkeltmandsforanstaltninger" in cap.columns  # the word every other page uses
    for name, cell in zip(cap["Målgruppe"], cap["Udbudte pladser"]):
        g = name.split()[0]
        a, b = _thousands(c_then[g]), _thousands(c_now[g])
        assert cell == (b if a == b else f"{a} → {b}"), name
    assert any("→" in cell for cell in cap["Udbudte pladser"])

    # headlines: the spending headline changed; the notices (real reference data) did not
    heads = table(at, "Ved mødet").set_index("Nøgletal")
    assert heads.loc["Nettodriftsudgifter 2025", "Ændret"] == "Ja"
    assert heads.loc["Åbne centrale udmeldinger", "Ændret"] == ""
    # "changed since the meeting" has no value at the meeting itself, so it is not compared
    since = heads.loc[next(k for k in heads.index if k.startswith("Ændret siden"))]
    assert since["Ved mødet"] == "–" and since["Ændret"] == ""


def test_overblik_has_the_since_section(app_test):
    at = app_test()
    assert not at.exception
    assert any(s.value == "Siden mødet" for s in at.header)  # a section of its own (h2)


def test_page_source_stays_thin():
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / PAGE).read_text(encoding="utf-8")
    assert "db.run" not in text and "open(" not in text


def test_new_notes_are_shown_whole_in_a_text_table(app_test, sql, sql_at):
    """The notes the meeting did not see, each whole (a table of texts, not a grid that cut them), by
    independent SQL over the snapshots."""
    import datetime as dt

    from handlingsplan_helpers import unseen_notes

    from overblik import clock

    at = app_test(page=PAGE)
    meeting = dt.date(2026, 11, 12)
    want = unseen_notes(sql, sql_at, meeting, clock.today())
    groups = [t for t in text_tables(at) if "Bemærkning" in t.columns]
    notes = pd.concat(groups, ignore_index=True)
    assert len(notes) == len(want) > 0
    assert sorted(notes["Bemærkning"]) == sorted(want["note"])
    assert not [d for d in at.dataframe if "Bemærkning" in d.value.columns], "not in a grid"
    # as on Handlingsplan: those dated after the meeting, then those dated for it but registered after it
    late = want[want.update_date <= pd.Timestamp(meeting)]
    assert [len(g) for g in groups] == [len(want) - len(late), len(late)] and len(late) > 0
    assert sorted(zip(groups[1]["Id"], groups[1]["Bemærkning"])) == sorted(zip(late.initiative_id, late.note))
    heads = [h.value for h in at.header]
    assert "Nye bemærkninger til initiativerne: dateret efter mødet" in heads
    assert "Bemærkninger registreret efter mødet, men dateret til og med mødedagen" in heads
    assert any(c.value.startswith("Mødet så dem ikke") for c in at.caption)


def test_the_box_and_the_footer_name_datasets_by_when_they_were_published(data_dir, tmp_path, monkeypatch):
    """On data published after the demo (ids like 20261125T090000000000Z) the box on top says which data is
    compared by each dataset's publish time and note, and the footer names the current one so; no id is shown
    (they showed 'datasæt 20261105T100000000000Z (udgivet 5. nov. 2026)' and 'Datasæt 20261125T…Z')."""
    import re

    import siden_helpers as h
    from streamlit.testing.v1 import AppTest

    from overblik import db

    dst = tmp_path / "data"
    h.build(data_dir, dst)
    monkeypatch.setenv("OVERBLIK_DATA_DIR", str(dst))
    db.clear()
    try:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90).run()
        at.switch_page(PAGE).run()
        assert not at.exception, at.exception
        assert [i.value for i in at.info] == [
            fmt.md(
                "Ved mødet (DASSOS-møde, 4. kvartal 2026, 12. nov. 2026): datasæt 5. nov. 2026 kl. 11.00: test: "
                "before. Nu: datasæt 25. nov. 2026 kl. 10.00: test: after (1 datasæt udgivet imellem)."
            )
        ]
        footer = [c.value for c in at.caption if "Rammeaftale-overblik ·" in c.value]
        assert footer and fmt.md("· Datasæt 25. nov. 2026 kl. 10.00: test: after ·") in footer[-1], footer
        shown = " ".join(str(e.value) for kind in (at.info, at.caption, at.markdown, at.warning) for e in kind)
        assert not re.search(r"\d{8}T\d+Z", shown), re.findall(r"\d{8}T\d+Z", shown)
    finally:
        db.clear()


def test_capacity_below_region_level_is_called_a_rough_signal(app_test, sql):
    """The capacity section compares the gap per target group for the chosen municipalities: for one
    municipality that is the offers located there against its own waiting citizens (Viborg has no V3 offer,
    so V3's 'gap' is its waiting list), and the page says what Kapacitet says; not for the whole region."""
    v3 = sql(
        "SELECT count(*) AS n FROM {offers} o JOIN {municipalities} m USING (municipality_code) "
        "WHERE m.name = 'Viborg' AND o.target_group_id = 'V3' AND o.kind = 'rammeaftale'"
    )
    assert int(v3.n[0]) == 0
    note = "manglende eller ledige pladser er derfor kun et groft signal under regionsniveau"
    at = app_test(page=PAGE, query={"kommune": "Viborg", "aar": ["2022", "2026"], "omraade": "Voksne"})
    assert not at.exception
    assert any(h.value.startswith("Kapacitet pr. målgruppe") for h in at.header)
    assert "V3" in " ".join(table(at, "Målgruppe")["Målgruppe"].astype(str))
    said = [c.value for c in at.caption if note in c.value]
    assert len(said) == 1, [c.value for c in at.caption]
    region = app_test(page=PAGE)
    assert not region.exception
    assert not any(note in c.value for c in region.caption)


def test_status_changes_say_which_were_only_registered_after_the_meeting(app_test, sql, sql_at):
    """As on Handlingsplan: each status change since the 12 Nov meeting says whether it comes only from
    updates dated for the meeting but registered after it, by independent SQL over the two snapshots
    (hand-worked: P1-03, P1-05, P3-01 and U-06), with the sentence that explains it above the grid."""
    import datetime as dt

    from handlingsplan_helpers import status_changes

    from overblik import clock

    at = app_test(page=PAGE)
    assert not at.exception
    expected = status_changes(sql, sql_at, dt.date(2026, 11, 12), clock.today())
    late = sorted(i for i, (_, _, x) in expected.items() if x)
    assert late == ["P1-03", "P1-05", "P3-01", "U-06"]
    grid = table(at, "Statusskift")
    assert dict(zip(grid["Id"], grid["Kun sent registreret"])) == {
        i: "Ja" if x else "Nej" for i, (_, _, x) in expected.items()
    }
    captions = [c.value.replace("\\", "") for c in at.caption]
    assert any(
        c.startswith(f"{len(late)} af de {len(expected)} statusskift er registreret efter mødet, men dateret")
        for c in captions
    ), captions
