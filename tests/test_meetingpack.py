"""The meeting pack (PDF) as a reader sees it, on the shipped demo data and the meeting of 12 Nov 2026: no
table text overlaps or leaves its cell, numbers are written as the pages write them, tables are named by
their Danish titles, and the cover says the pack shows the changes since the meeting.

The layout checks read the word boxes of `pdftotext -bbox`: no two words on a page overlap, and no word in a
table crosses the left edge of the next column's cell (where the header's first words start)."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from overblik import db, schema

ROOT = Path(__file__).resolve().parent.parent
MEETING = "2026-11-12"
INSET = 4.0  # pt: a table cell's inset left and right (meetingpack.typ)
TOL = 0.5  # pt
NUMBER = re.compile(r"^[−+]?[\d.]+(,\d+)?( %)?$")
DANISH_NUMBER = re.compile(r"^[−+]?\d{1,3}(\.\d{3})*(,\d+)?( %)?$")


@pytest.fixture(scope="module")
def packs(tmp_path_factory):
    """{'default': ..., 'herning': ...}: the PDF's path, its text, its word boxes per page and the
    column headers of its tables (from meetingpack.build_data), on a private copy of the shipped data."""
    from overblik import clock, meetingpack

    tmp = tmp_path_factory.mktemp("pack")
    dst = tmp / "data"
    shutil.copytree(ROOT / "data", dst)
    old = os.environ.get("OVERBLIK_DATA_DIR")
    os.environ["OVERBLIK_DATA_DIR"] = str(dst)
    db.clear()
    out = {}
    try:
        for name, kommune in (("default", []), ("herning", ["Herning"])):
            pdf = tmp / f"{name}.pdf"
            cmd = [str(ROOT / ".venv/bin/python"), "-m", "overblik", "meeting-pack", "--meeting", MEETING]
            cmd += ["--out", str(pdf), *(["--kommune", *kommune] if kommune else [])]
            r = subprocess.run(
                cmd,
                cwd=ROOT,
                env=os.environ.copy(),
                capture_output=True,
                text=True,
                timeout=180,
            )
            assert r.returncode == 0, r.stderr
            f = meetingpack.make_filters(municipalities=kommune)
            with db.pinned(db.snapshot_id()):
                doc, _ = meetingpack.build_data(f, meetingpack.meeting_for(MEETING), clock.today())
            text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
            out[name] = {"pdf": pdf, "text": text, "pages": _words(pdf), "doc": doc}
    finally:
        if old is None:
            os.environ.pop("OVERBLIK_DATA_DIR", None)
        else:
            os.environ["OVERBLIK_DATA_DIR"] = old
        db.clear()
    return out


def _words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Per page: (xMin, yMin, xMax, yMax, word) in pt."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    word = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
    return [
        [(float(a), float(b), float(c), float(d), html.unescape(t)) for a, b, c, d, t in word.findall(page)]
        for page in out.split("<page ")[1:]
    ]


def _tables(doc: dict) -> list[dict]:
    tables = [doc["headlines"], doc["changes"]["headlines"], doc["sources"]]
    tables += [s["table"] for s in doc["changes"]["sections"]] + [x["table"] for x in doc["details"]]
    return [t for t in tables if t["rows"]]


def _column_starts(words, columns: list[str]):
    """Every place on a page where a table's header stands: (its top, the x where each column's text
    starts). The header cells' first lines share one baseline; a word broken at a syllable ends in a
    (soft) hyphen."""

    def starts_with(w, head: str) -> bool:
        part = w[4].rstrip("-\u00ad\u2010")
        return bool(part) and head.split()[0].startswith(part)

    for first in (w for w in words if starts_with(w, columns[0])):
        xs = [first[0]]
        for head in columns[1:]:
            right = [w for w in words if abs(w[1] - first[1]) < TOL and w[0] > xs[-1] + 1 and starts_with(w, head)]
            if not right:
                break
            xs.append(min(right)[0])
        if len(xs) == len(columns):
            yield first[1], xs


@pytest.mark.parametrize("name", ["default", "herning"])
def test_no_text_in_the_pack_overlaps_other_text(packs, name):
    bad = []
    for n, words in enumerate(packs[name]["pages"], 1):
        for i, a in enumerate(words):
            for b in words[i + 1 :]:
                if min(a[2], b[2]) - max(a[0], b[0]) > TOL and min(a[3], b[3]) - max(a[1], b[1]) > TOL:
                    bad.append(f"side {n}: {a[4]!r} / {b[4]!r}")
    assert not bad, bad


@pytest.mark.parametrize("name", ["default", "herning"])
def test_no_word_in_a_table_leaves_its_column(packs, name):
    pages = packs[name]["pages"]
    bad = []
    for table in _tables(packs[name]["doc"]):
        found = 0
        for n, words in enumerate(pages, 1):
            for top, xs in _column_starts(words, table["columns"]):
                found += 1
                # the table ends at the first line below its header that starts left of its first column's
                # text: a heading, a paragraph, the page's footer
                end = min((w[1] for w in words if w[1] > top + TOL and w[0] < xs[0] - 1), default=1e9)
                for w in words:
                    if top - TOL <= w[1] < end:
                        for x in xs[1:]:
                            edge = x - INSET  # the cell's left edge
                            if w[0] < edge - TOL and w[2] > edge + TOL:
                                bad.append(f"side {n}: {w[4]!r} crosses the column {table['columns'][xs.index(x)]!r}")
        assert found, f"the table {table['columns']} was not found in the PDF"
    assert not bad, bad


@pytest.mark.parametrize("name", ["default", "herning"])
def test_every_number_column_has_danish_numbers_with_fixed_decimals(packs, name):
    """In every table of the pack, a column of numbers (but years) writes them all with thousands
    separators and the same number of decimals, as the page's tables do (1.948 beside 1.458; 106,0 under 96,6)."""
    bad = []
    for table in _tables(packs[name]["doc"]):
        for i, column in enumerate(table["columns"]):
            cells = [r[i] for r in table["rows"] if r[i] != "–"]
            if column == "År" or not cells or not all(NUMBER.match(c) for c in cells):
                continue
            decimals = {len(c.split(",")[1].split()[0]) if "," in c else 0 for c in cells}
            if len(decimals) > 1 or not all(DANISH_NUMBER.match(c) for c in cells):
                bad.append(f"{column}: {cells}")
    assert not bad, bad


def test_the_pdf_writes_the_numbers_the_pages_write(packs):
    # the shipped demo data: the 2025 Voksne accounts now (Siden sidste møde; the area of the account functions themselves), V1's demanded places (Kapacitet)
    text = packs["default"]["text"]
    assert "14.006,3" in text
    assert "1.948" in text and not re.search(r"(?<![\d.])1948(?![\d,.])", text)
    # Herning's V2 occupancy in the Kapacitet table, as the changes table and the page write it
    assert re.search(r"\b122\s+13\s+106,0\s*$", packs["herning"]["text"], re.M)


def test_tables_are_named_by_their_danish_titles(packs):
    text = packs["default"]["text"]
    flat = " ".join(text.split())
    for name in schema.TABLES:
        assert not re.search(rf"\b{name}\b", text), name
    cover = flat[: flat.index("Samme visning i dashboardet")]
    assert "Tabeller med fiktive eksempeldata: Befolkning, Prisindeks, Udgifter" in cover
    sources = flat[flat.rindex("Kilder") :]
    for title in ("Kommuner", "Driftsherrer", "Kontofunktioner", "Statusopdateringer", "Tillægsydelser"):
        assert title in sources, title


def test_the_cover_says_it_shows_the_changes_since_the_meeting(packs):
    flat = " ".join(packs["default"]["text"].split())
    assert "Ændringer siden DASSOS-møde, 4. kvartal 2026 (12. nov. 2026)" in flat


def test_the_kapacitet_page_says_the_place_count_is_a_rough_signal_below_region_level(packs):
    """The pack's Kapacitet page shows the place gaps per target group; for Herning alone (below region level)
    it says, as the Kapacitet and Overblik pages do, that they are only a rough signal there (the offers serve
    the whole region); for the whole region it does not."""
    for name, below in (("default", False), ("herning", True)):
        page = next(p for p in packs[name]["text"].split("\f") if "Pladstallet: manglende (+) eller ledige" in p)
        flat = " ".join(page.split())
        assert flat.startswith("Kapacitet "), flat[:80]
        assert ("manglende eller ledige pladser er derfor kun et groft signal under regionsniveau." in flat) == below, (
            name
        )


def test_a_meeting_before_any_snapshot_is_not_said_to_have_no_changes(data_dir):
    """6 Oct 2026 (KKR) was before the shipped data's first snapshot: the pack's data sections say they
    cannot be compared (they said 'Ingen udgiftstal er ændret'), as the page does (Comparison.sections)."""
    from overblik import clock, meetingpack

    f = meetingpack.make_filters(municipalities=[])
    doc, _ = meetingpack.build_data(f, meetingpack.meeting_for("2026-10-06"), clock.today())
    empties = {s["title"]: s["empty"] for s in doc["changes"]["sections"] if not s["table"]["rows"]}
    said = [e for t, e in empties.items() if t.startswith(("Udgifter", "Tilbud", "Centrale"))]
    assert len(said) == 3 and all(e.startswith("Kan ikke sammenlignes") for e in said), empties
    assert "kan ikke sammenlignes" in doc["changes"]["summary"]


def test_the_command_ends_when_chromium_does_not_stop(monkeypatch, tmp_path, capsys):
    """The command line writes the pack, says so at once, and ends even when the chart renderer
    (Chromium) does not stop: kaleido would otherwise wait for it at exit, with the message unseen."""
    from overblik import cli, meetingpack

    monkeypatch.setattr(meetingpack, "build", lambda *a, **k: b"%PDF-1.7 pack")
    monkeypatch.setattr(meetingpack, "close_renderer", lambda timeout=15: False)

    class Ended(Exception):
        pass

    def _exit(code):
        raise Ended(code)

    monkeypatch.setattr(os, "_exit", _exit)
    out = tmp_path / "pakke.pdf"
    with pytest.raises(Ended) as ended:
        cli.main(["meeting-pack", "--meeting", MEETING, "--out", str(out)])
    assert ended.value.args == (0,)
    assert out.read_bytes() == b"%PDF-1.7 pack"
    said = capsys.readouterr()
    assert "Mødepakke skrevet" in said.out and "stoppede ikke" in said.err


def test_the_renderer_stops_within_its_time(monkeypatch):
    """close_renderer waits at most its timeout for kaleido to stop, and reports whether it did."""
    import threading

    import kaleido

    from overblik import meetingpack

    release = threading.Event()
    monkeypatch.setattr(kaleido, "stop_sync_server", lambda **k: release.wait(30))
    monkeypatch.setattr(meetingpack, "_kaleido_started", True)
    assert meetingpack.close_renderer(timeout=0.2) is False  # it did not wait for the stop (30 s)
    release.set()
    monkeypatch.setattr(kaleido, "stop_sync_server", lambda **k: None)
    assert meetingpack.close_renderer(timeout=5) is True


SAME_DAY_TITLE = "KKR Midtjylland, ekstraordinært møde"


@pytest.fixture
def same_day(data_dir, sql, tmp_path, monkeypatch):
    """A data folder where KKR also met on MEETING's day (the shipped data has a DASSOS meeting then)."""
    import pandas as pd

    from overblik import store

    assert sql("SELECT body FROM {meetings} WHERE meeting_date = $d", {"d": MEETING})["body"].tolist() == ["DASSOS"]
    dst = tmp_path / "data"
    shutil.copytree(data_dir, dst)
    doc = store.manifest(base=dst)
    tables = store.read_tables(base=dst)
    meta = {n: store.TableMeta(e["provenance"], e["source"], e["data_date"]) for n, e in doc["tables"].items()}
    extra = pd.DataFrame([{"meeting_date": pd.Timestamp(MEETING).date(), "body": "KKR", "title": SAME_DAY_TITLE}])
    tables["meetings"] = pd.concat([tables["meetings"], extra], ignore_index=True)
    store.publish(tables, meta, note="test: two meetings on one day", base=dst)
    monkeypatch.setenv("OVERBLIK_DATA_DIR", str(dst))
    db.clear()
    yield dst
    db.clear()


def test_two_meetings_on_one_day_are_told_apart_by_body(same_day, monkeypatch, tmp_path, capsys):
    """DASSOS and KKR met on the same day: without --body the command stops with a Danish message naming
    both; with --body (any case) it makes that body's pack."""
    from overblik import cli, meetingpack

    with pytest.raises(ValueError) as e:
        meetingpack.meeting_for(MEETING)
    said = str(e.value)
    assert said.startswith("Den 12. nov. 2026 blev der holdt 2 møder: DASSOS (") and SAME_DAY_TITLE in said
    assert "--body" in said
    assert meetingpack.meeting_for(MEETING, body="kkr")["title"] == SAME_DAY_TITLE
    assert meetingpack.meeting_for(MEETING, body="DASSOS")["body"] == "DASSOS"
    with pytest.raises(ValueError, match=r"^Der er intet DASSOS-møde den 6\. okt\. 2026 .*; den dag: KKR\.$"):
        meetingpack.meeting_for("2026-10-06", body="dassos")  # hand-worked: only KKR met on 6 Oct 2026

    built = []
    monkeypatch.setattr(meetingpack, "build", lambda f, meeting, **k: built.append(meeting) or b"%PDF-1.7 pack")
    monkeypatch.setattr(meetingpack, "close_renderer", lambda timeout=15: True)
    out = tmp_path / "pakke.pdf"
    assert cli.main(["meeting-pack", "--meeting", MEETING, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Fejl: Den 12. nov. 2026 blev der holdt 2 møder") and not out.exists() and not built
    assert cli.main(["meeting-pack", "--meeting", MEETING, "--body", "KKR", "--out", str(out)]) == 0
    assert [m["title"] for m in built] == [SAME_DAY_TITLE] and out.read_bytes() == b"%PDF-1.7 pack"


def test_the_pack_s_file_name_says_the_body(data_dir):
    """Hand-worked: two packs of one day (DASSOS and KKR) get two names."""
    from overblik import meetingpack

    f = meetingpack.make_filters(2016, 2026)
    names = {b: meetingpack.file_name({"meeting_date": MEETING, "body": b}, f) for b in ("DASSOS", "KKR")}
    assert names == {
        "DASSOS": "moedepakke-2026-11-12-dassos-hele-regionen-2016-2026.pdf",
        "KKR": "moedepakke-2026-11-12-kkr-hele-regionen-2016-2026.pdf",
    }


def test_the_pack_names_datasets_by_when_they_were_published_never_by_id(data_dir, tmp_path):
    """On data published by editors (ids like 20261125T090000000000Z) the pack, which goes to the mayors, names
    each dataset by the day and time it was published and its note: on the cover, in the comparison's first
    lines and in every page's footer (which said 'datasæt 20261125T090000000000Z (udgivet 25. nov. 2026)')."""
    import siden_helpers as h

    dst = tmp_path / "data"
    h.build(data_dir, dst)
    pdf = tmp_path / "pakke.pdf"
    r = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-m", "overblik", "meeting-pack", "--meeting", MEETING, "--out", str(pdf)],
        cwd=ROOT,
        env={**os.environ, "OVERBLIK_DATA_DIR": str(dst)},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert r.returncode == 0, r.stderr
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert not re.search(r"\d{8}T\d+Z", text), re.findall(r".*\d{8}T\d+Z.*", text)
    flat = " ".join(text.split())
    assert "Datasæt: 25. nov. 2026 kl. 10.00: test: after" in flat  # the cover (published 09.00 UTC)
    assert (
        "Ved mødet (DASSOS-møde, 4. kvartal 2026, 12. nov. 2026): datasæt 5. nov. 2026 kl. 11.00: test: before. "
        "Nu: datasæt 25. nov. 2026 kl. 10.00: test: after (1 datasæt udgivet imellem)."
    ) in flat
    pages = [" ".join(p.split()) for p in text.split("\f") if p.strip()]
    assert len(pages) >= 6
    assert all("· datasæt 25. nov. 2026 kl. 10.00 " in p for p in pages), [p[-160:] for p in pages]


def test_the_status_changes_say_which_were_only_registered_after_the_meeting(packs):
    """The pack's status changes since 12 Nov have the page's column 'Kun sent registreret' (Ja for the four
    hand-worked in test_handlingsplan_page: P1-03, P1-05, P3-01, U-06) and the sentence that explains it."""
    sections = packs["default"]["doc"]["changes"]["sections"]
    status = next(s for s in sections if s["title"] == "Initiativer, der har skiftet status")
    t = status["table"]
    assert t["columns"] == ["Id", "Initiativ", "Statusskift", "Kun sent registreret", "Ansvarlig"]
    marks = {r[0]: r[3] for r in t["rows"]}
    assert sorted(i for i, m in marks.items() if m == "Ja") == ["P1-03", "P1-05", "P3-01", "U-06"]
    assert set(marks.values()) == {"Ja", "Nej"}
    flat = " ".join(packs["default"]["text"].split())
    assert f"4 af de {len(marks)} statusskift er registreret efter mødet, men dateret til og med mødedagen" in flat
