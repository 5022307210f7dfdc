"""'Siden sidste møde' and the meeting pack against hand-made changes in a second and third snapshot
(tests/siden_helpers.py) and independent SQL over the snapshots' Parquet files."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import siden_helpers as h

from overblik import data, db, store

ROOT = Path(__file__).resolve().parent.parent
MEETING = {"meeting_date": "2026-11-12", "body": "DASSOS", "title": "DASSOS-møde, 4. kvartal 2026"}


@pytest.fixture(scope="module")
def three(tmp_path_factory, data_dir):
    dst = tmp_path_factory.mktemp("siden") / "data"
    facts = h.build(data_dir, dst)
    old = os.environ["OVERBLIK_DATA_DIR"]
    os.environ["OVERBLIK_DATA_DIR"] = str(dst)
    db.clear()
    yield dst, facts
    os.environ["OVERBLIK_DATA_DIR"] = old
    db.clear()


def _params(dst):
    codes = h.snapshot_sql(dst, h.AFTER_ID, "SELECT municipality_code FROM {municipalities}")
    return {"year_from": 2016, "year_to": 2026, "municipalities": [int(c) for c in codes.iloc[:, 0]], "area": "alle"}


def test_the_snapshot_at_a_meeting_is_the_latest_published_on_or_before_it(three):
    assert data.snapshot_at(__import__("datetime").date(2026, 11, 12)).sid == h.BEFORE_ID
    assert data.snapshot_at(__import__("datetime").date(2026, 11, 20)).sid == "demo"
    assert data.snapshot_at(__import__("datetime").date(2026, 7, 31)) is None


def test_then_to_now_values_and_where_they_come_from(three):
    from overblik import siden

    dst, facts = three
    c = siden.compare(MEETING, _params(dst), True)
    assert c.then.sid == h.BEFORE_ID and c.now.sid == h.AFTER_ID and [r.sid for r in c.between] == ["demo"]
    # spending: Børn og unge, regnskab 2025: before had 5.000 less (Aarhus), after has 12.345 more (Randers)
    q = """SELECT sum(net_1000_dkk) AS v FROM {spending} s JOIN {account_functions} f USING (function_code)
           WHERE year = 2025 AND kind = 'regnskab' AND f.area = (SELECT area FROM {account_functions}
           WHERE function_code = $fn)"""
    then = h.snapshot_sql(dst, h.BEFORE_ID, q, {"fn": facts["function_code"]}).v[0] / 1000
    now = h.snapshot_sql(dst, h.AFTER_ID, q, {"fn": facts["function_code"]}).v[0] / 1000
    assert round(now - then, 1) == 17.3  # hand-worked: 5.000 + 12.345 thousand kr.
    assert len(c.spending) == 1  # both changes fall in one year, kind and area
    row = c.spending.iloc[0]
    assert row["År"] == 2025 and row["Art"] == "Regnskab"
    assert abs(row["Nu, mio. kr."] - row["Ved mødet, mio. kr."] - 17.3) < 0.11
    assert (
        row["Ændring, mio. kr."] == 17.3
        and row["Hvad"] == "Revideret"
        and row["Fra datasæt"] == "datasæt 25. nov. 2026 kl. 10.00: test: after"
    )
    # offers
    offers = c.offers.set_index("Ændring")
    changed = offers.loc["Ændret pladstal"]
    assert facts["offer_changed"] in changed["Tilbud"]
    assert changed["Pladser ved mødet"] == facts["offer_changed_then"]
    assert changed["Pladser nu"] == facts["offer_changed_then"] + 7
    closed = offers.loc["Lukket"]
    assert facts["offer_closed"] in closed["Tilbud"] and closed["Pladser ved mødet"] == facts["offer_closed_then"]
    # notices
    n = c.notices.set_index("Udmelding").loc[facts["notice_id"]]
    assert n["Status ved mødet"] == facts["notice_status_then"] and n["Status nu"] == "Afsluttet"
    assert n["Udfald nu"] == h.OUTCOME
    heads = {x.label: x for x in c.headlines}
    opened = heads["Åbne centrale udmeldinger"]
    n_open_then = h.snapshot_sql(dst, h.BEFORE_ID, "SELECT count(*) FROM {central_notices} WHERE is_open = 1").iloc[
        0, 0
    ]
    assert (
        opened.changed
        and opened.then.startswith(f"{n_open_then} af")
        and opened.now.startswith(f"{n_open_then - 1} af")
    )


def test_same_snapshot_and_no_snapshot_are_said(three):
    from overblik import siden

    dst, _ = three
    with db.pinned("demo"):
        c = siden.compare({**MEETING, "meeting_date": "2026-11-21"}, _params(dst), True)
    assert c.same and "det samme datasæt" in c.snapshot_text() and c.spending.empty
    c = siden.compare({**MEETING, "meeting_date": "2026-07-01"}, _params(dst), True)
    assert c.then is None and "intet udgivet datasæt" in c.snapshot_text()
    # nothing can be compared, so nothing is said to be unchanged: the data's parts say why they are empty,
    # no target group says 'Nej', and the summary counts only the action plan's dated changes
    said = {s.title: (len(s.table), s.empty) for s in c.sections()}
    for title in ("Udgifter", "Tilbud", "Centrale udmeldinger"):
        n, empty = next(v for k, v in said.items() if k.startswith(title))
        assert n == 0 and empty.startswith("Kan ikke sammenlignes"), title
    assert len(c.capacity) and set(c.capacity["Ændret"]) == {"–"}
    assert "kan ikke sammenlignes" in c.summary() and "ændret" not in c.summary()
    assert [text for text, _ in c.counts()] == [f"{len(c.initiatives)} initiativer med statusskift"]


def test_meeting_pack_pdf_has_the_headline_numbers_and_filters(three, tmp_path):
    from overblik import fmt

    dst, _ = three
    out = tmp_path / "pakke.pdf"
    env = {**os.environ, "OVERBLIK_DATA_DIR": str(dst)}
    r = subprocess.run(
        [
            str(ROOT / ".venv/bin/python"),
            "-m",
            "overblik",
            "meeting-pack",
            "--meeting",
            "2026-11-12",
            "--aar",
            "2016-2026",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert r.returncode == 0, r.stderr
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True).stdout
    # the latest accounts year's net spending in fixed prices is the app's; the open notices and the
    # initiatives are plain counts: independent SQL
    n_open = h.snapshot_sql(dst, h.AFTER_ID, "SELECT count(*) FROM {central_notices} WHERE is_open = 1").iloc[0, 0]
    total = h.snapshot_sql(dst, h.AFTER_ID, "SELECT count(*) FROM {central_notices}").iloc[0, 0]
    n_init = h.snapshot_sql(dst, h.AFTER_ID, "SELECT count(*) FROM {initiatives}").iloc[0, 0]
    assert f"{n_open} af {total}" in text
    assert f"{n_init} initiativer efter status" in text
    spend = h.snapshot_sql(
        dst,
        h.AFTER_ID,
        "SELECT sum(net_1000_dkk) FROM {spending} s JOIN {account_functions} f USING (function_code) "
        "WHERE year = 2025 AND kind = 'regnskab'",
    ).iloc[0, 0]
    pi = h.snapshot_sql(dst, h.AFTER_ID, "SELECT year, index FROM {price_index} ORDER BY year")
    fixed = spend * pi["index"].iloc[-1] / pi.set_index("year").loc[2025, "index"] / 1000
    assert f"{fmt.number(fixed, 1)} mio. kr." in text
    # the cost curve's verdict comes first on the Overblik page of the pack, as on the dashboard
    flat = " ".join(text.split())
    assert "Knækker udgiftskurven?" in flat
    assert any(answer in flat for answer in ("For tidligt at sige", "Tegn på knæk", "Ikke tydeligt", "Nej, over"))
    assert flat.index("Knækker udgiftskurven?") < flat.index(f"{n_open} af {total}")
    for s in ("Periode:", "2016-2026", "Hele regionen", "12. nov. 2026 (DASSOS)", "Fiktive eksempeldata", "Side 1 af"):
        assert s in text, s
    assert "siden-sidste-moede?siden=12.+nov.+2026" in text.replace("\n", "")
    pages = subprocess.run(["pdftoppm", "-r", "40", "-png", str(out), str(tmp_path / "p")], capture_output=True)
    assert pages.returncode == 0 and len(list(tmp_path.glob("p-*.png"))) >= 6
    assert store.current_id(dst) == h.AFTER_ID


def test_compare_is_cached_per_snapshot_list(three, monkeypatch):
    """A warm run builds no comparison again; a snapshot published since (or gone) gives a new one."""
    from overblik import siden, viewcache

    dst, _ = three
    first = siden.compare(MEETING, _params(dst), True)
    misses = viewcache.stats["misses"]
    again = siden.compare(MEETING, _params(dst), True)
    assert viewcache.stats["misses"] == misses and again.spending.equals(first.spending)
    # without the middle snapshot ('demo') the chain is then -> now: a new result, not the cached one
    refs = [r for r in data.snapshots() if r.sid != "demo"]
    monkeypatch.setattr(data, "snapshots", lambda: refs)
    fewer = siden.compare(MEETING, _params(dst), True)
    assert [r.sid for r in fewer.between] == [] and [r.sid for r in first.between] == ["demo"]


def test_the_pack_s_chart_renderer_loads_nothing_from_the_network(monkeypatch):
    # kaleido's page loaded MathJax from a CDN on every tab reload (after each chart): without internet the
    # lookup's timeout made one pack in two 5 s slower. Every script of the page must be a local file.
    import re

    import kaleido
    from kaleido._page_generator import PageGenerator

    from overblik import meetingpack

    started = {}
    monkeypatch.setattr(kaleido, "start_sync_server", lambda *a, **kw: started.update(kw))
    monkeypatch.setattr(meetingpack, "_kaleido_started", False)
    meetingpack._kaleido()
    page = PageGenerator(plotly=started.get("plotlyjs"), mathjax=started.get("mathjax")).generate_index()
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert scripts and all(s.startswith("file://") for s in scripts), scripts


STATUS_AT = """
    SELECT i.initiative_id,
           coalesce((SELECT arg_max(u.status, u.update_date) FROM {initiative_updates} u
                     WHERE u.initiative_id = i.initiative_id AND u.update_date <= $at), 'ikke startet') AS status
    FROM {initiatives} i ORDER BY 1"""


def test_initiatives_changed_are_those_the_meeting_saw_otherwise(three):
    """The status then is the one in the snapshot the meeting saw (`before`, at the meeting's date), not the
    current data's history: an update registered after the meeting but dated before it is a change."""
    from overblik import charts, siden

    dst, _ = three
    c = siden.compare(MEETING, _params(dst), True)
    then = h.snapshot_sql(dst, h.BEFORE_ID, STATUS_AT, {"at": "2026-11-12"}).set_index("initiative_id")["status"]
    now = h.snapshot_sql(dst, h.AFTER_ID, STATUS_AT, {"at": "2026-11-29"}).set_index("initiative_id")["status"]
    dated = h.snapshot_sql(dst, h.AFTER_ID, STATUS_AT, {"at": "2026-11-12"}).set_index("initiative_id")["status"]
    expected = {i: (then.get(i, "ikke startet"), now[i]) for i in now.index if then.get(i, "ikke startet") != now[i]}
    assert any(dated[i] == now[i] for i in expected), "some changes were registered late"
    got = dict(zip(c.initiatives["Id"], c.initiatives["Statusskift"]))
    assert got == {i: f"{charts.status_label(a)}  →  {charts.status_label(b)}" for i, (a, b) in expected.items()}
    # the plan's changes are dated by its own updates; "Fra datasæt" said today's dataset on every row
    assert "Fra datasæt" not in c.initiatives.columns and "Fra datasæt" not in c.notes.columns
    # so the list explains the headline: risk or delayed then -> now
    risky = {"risiko", "forsinket"}
    head = next(x for x in c.headlines if x.label == "Risiko eller forsinket")
    assert head.then.startswith(f"{int(then.isin(risky).sum())} af") and head.now.startswith(
        f"{int(now.isin(risky).sum())} af"
    )
    gone = sum(a in risky and b not in risky for a, b in expected.values())
    came = sum(a not in risky and b in risky for a, b in expected.values())
    assert int(then.isin(risky).sum()) - gone + came == int(now.isin(risky).sum())
