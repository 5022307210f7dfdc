"""Opdater data's tab "Danmarks Statistik" in AppTest: an editor sees what the data hold and what StatBank
has, fetches and publishes with a note (the same dst.run as `fetch-dst`), gets a Danish message when StatBank
does not answer, and can upload the saved replies instead. A reader never gets the tab. No network: StatBank
is test_dst's FakeStatBank (replies from tests/fixtures/dst/) or a session that cannot connect."""

from __future__ import annotations

import json

import pytest
import requests
from apptest_helpers import plain, table
from auth_helpers import EDITOR, READER, USERS
from test_dst import FIXTURES, FakeStatBank, _expect_population_equals_fixture, _expect_spending_equals_fixture, _tree
from test_opdater_page import _app, _run

from overblik import clock, fmt, opdater, opdater_dst, store

TAB = "Danmarks Statistik"


class Offline:
    """A requests session that cannot reach anything (the office network blocks StatBank)."""

    def request(self, method, url, **kw):
        raise requests.ConnectionError(f"Max retries exceeded with url: {url}")


def _overview(at) -> dict[str, dict[str, str]]:
    df = next(d.value for d in at.dataframe if "Hos Danmarks Statistik" in d.value.columns)
    return {r["Data"]: r for r in df.to_dict("records")}


def _button(at, key: str):
    return next(b for b in at.button if b.key == key)


def _editor(own_data):
    at = _run(_app(USERS[EDITOR]))
    assert TAB in [t.label for t in at.tabs]
    return at


def test_editor_fetches_and_publishes_from_statbank(own_data, monkeypatch):
    bank = FakeStatBank()
    monkeypatch.setattr(requests, "Session", lambda: bank)
    before = store.current_id(own_data)
    at = _editor(own_data)

    # 1. what the data hold; StatBank not asked until the editor asks (no call on every run of the page)
    rows = _overview(at)
    assert rows["Regnskaber (REGK31)"]["I de aktuelle data"] == "2016-2025"
    assert rows["Budgetter (BUDK32)"]["I de aktuelle data"] == "2025-2027"
    assert rows["Befolkning pr. 1. januar (FOLK1A)"]["Hos Danmarks Statistik"] == opdater_dst.NOT_ASKED
    assert bank.calls == []
    year = clock.today().year
    assert rows["Regnskaber (REGK31)"]["Hentes"] == f"2016-{year - 1}"
    assert rows["Budgetter (BUDK32)"]["Hentes"] == f"2016-{year}"
    _button(at, "dst-ask").click()
    at.run()
    assert not at.exception, at.exception
    rows = _overview(at)
    # the fake has accounts up to 2024, budgets up to 2026 and population up to 2026K3
    assert rows["Regnskaber (REGK31)"]["Hos Danmarks Statistik"] == "2016-2024"
    assert rows["Budgetter (BUDK32)"]["Nye år"] == "2016-2024"  # the demo's budgets start in 2025
    assert rows["Befolkning pr. 1. januar (FOLK1A)"]["Nye år"] == fmt.MISSING
    assert [c[1].rsplit("/", 1)[1] for c in bank.calls] == ["REGK31", "BUDK32", "FOLK1A"]

    # 2. the years (default: all, a full refresh), the note, "Hent og udgiv"
    assert at.slider(key="dst-years").value == (2016, year)
    assert any("erstattes helt" in c.value for c in at.caption)
    _button(at, "dst-fetch").click()  # without a note: refused before StatBank is asked
    at.run()
    assert any("Skriv en bemærkning" in plain(e.value) for e in at.error)
    assert store.current_id(own_data) == before and not any(c[0] == "POST" for c in bank.calls)

    at.text_input(key="dst-note").input("Regnskab fra Danmarks Statistik")
    _button(at, "dst-fetch").click()
    at.run()
    assert not at.exception, at.exception
    new = store.current_id(own_data)
    assert new != before
    ok = [plain(s.value) for s in at.success]
    assert len(ok) == 1 and f"Udgivet som datasæt {store.name_of(new, own_data, full=True)} " in ok[0], ok
    assert f", {EDITOR}: Regnskab fra Danmarks Statistik med tal" in ok[0] and new not in ok[0], ok
    assert f"pr. {fmt.date(clock.today())}" in ok[0] and "regnskaber 2023-2024" in ok[0]
    _expect_spending_equals_fixture(own_data, new)
    _expect_population_equals_fixture(own_data, new)
    doc = store.manifest(new, own_data)
    assert doc["note"] == "Regnskab fra Danmarks Statistik" and doc["parent"] == before
    assert doc["published_by"] == EDITOR
    events = [json.loads(line) for line in (own_data / "events.jsonl").read_text().splitlines()]
    assert events[-1]["id"] == new and events[-1]["by"] == EDITOR
    assert at.text_input(key="dst-note").value == ""  # emptied after the publish
    assert _overview(at)["Regnskaber (REGK31)"]["I de aktuelle data"] == "2023-2024"  # from the new snapshot

    # the same again: nothing new is published
    snapshots = sorted(p.name for p in (own_data / "snapshots").iterdir())
    at.text_input(key="dst-note").input("Igen")
    _button(at, "dst-fetch").click()
    at.run()
    assert any("Ingen ændringer" in plain(i.value) and "Intet nyt datasæt" in plain(i.value) for i in at.info)
    assert store.current_id(own_data) == new
    assert sorted(p.name for p in (own_data / "snapshots").iterdir()) == snapshots


def test_chosen_years_keep_the_other_years(own_data, monkeypatch):
    bank = FakeStatBank()
    monkeypatch.setattr(requests, "Session", lambda: bank)
    at = _editor(own_data)
    at.slider(key="dst-years").set_value((2024, 2025))
    at.run()
    assert any("Kun 2024-2025" in c.value and "bevares" in c.value for c in at.caption)
    at.text_input(key="dst-note").input("Kun to år")
    _button(at, "dst-fetch").click()
    at.run()
    assert not at.exception, at.exception
    assert bank.data_request("BUDK32")["Tid"] == ["2024", "2025"]
    new = store.current_id(own_data)
    spending = store.read_table("spending", new, own_data)
    assert spending.loc[spending["kind"] == "regnskab", "year"].min() == 2016  # kept from the demo
    assert set(spending.loc[spending["kind"] == "budget", "year"]) >= {2025, 2026, 2027}


@pytest.mark.parametrize("session", [Offline(), FakeStatBank({"REGK31": 503})], ids=["offline", "error"])
def test_statbank_not_answering_changes_nothing(own_data, monkeypatch, session):
    monkeypatch.setattr(requests, "Session", lambda: session)
    before = _tree(own_data)
    at = _editor(own_data)
    at.text_input(key="dst-note").input("Forsøg")
    _button(at, "dst-fetch").click()
    at.run()
    assert not at.exception, at.exception
    errors = [plain(e.value) for e in at.error]
    start = (
        "Danmarks Statistik svarer ikke: " if isinstance(session, Offline) else "Danmarks Statistik svarer med en fejl"
    )
    assert len(errors) == 1 and errors[0].startswith(start), errors
    assert "Intet er ændret" in errors[0] and "Uden forbindelse til Danmarks Statistik" in errors[0]
    assert "Traceback" not in errors[0]
    assert _tree(own_data) == before

    _button(at, "dst-ask").click()  # asking which years it has says the same
    at.run()
    assert plain(at.error[0].value).startswith(start)
    assert _overview(at)["Regnskaber (REGK31)"]["Hos Danmarks Statistik"] == opdater_dst.NOT_ASKED


def _saved(*names: str) -> list[tuple[str, bytes, str]]:
    return [(n, (FIXTURES / n).read_bytes(), "text/csv") for n in names]


def test_saved_replies_uploaded_when_the_network_blocks_statbank(own_data, monkeypatch):
    monkeypatch.setattr(requests, "Session", lambda: Offline())
    before = store.current_id(own_data)
    at = _editor(own_data)
    uploader = next(u for u in at.get("file_uploader") if u.proto.id and "dst-upload" in u.proto.id)
    at.text_input(key="dst-note").input("Gemte svar")
    uploader.set_value(_saved("REGK31.csv", "FOLK1A.csv"))
    _button(at, "dst-saved").click()
    at.run()
    errors = [plain(e.value) for e in at.error]
    assert len(errors) == 1 and "Mangler BUDK32.csv" in errors[0] and "Intet er udgivet" in errors[0]
    assert store.current_id(own_data) == before

    uploader = next(u for u in at.get("file_uploader") if u.proto.id and "dst-upload" in u.proto.id)
    uploader.set_value(_saved("REGK31.csv", "BUDK32.csv", "FOLK1A.csv"))
    _button(at, "dst-saved").click()
    at.run()
    assert not at.exception, at.exception
    new = store.current_id(own_data)
    name = store.name_of(new, own_data, full=True)
    assert new != before and any(f"Udgivet som datasæt {name} " in plain(s.value) for s in at.success)
    _expect_spending_equals_fixture(own_data, new)
    _expect_population_equals_fixture(own_data, new)
    assert store.manifest(new, own_data)["note"] == "Gemte svar"
    log = " ".join(t.value for t in at.text)
    assert "REGK31: læser REGK31.csv" in log and "overblik-dst-" not in log  # no server folder shown


@pytest.mark.parametrize("user", [USERS[READER], None], ids=["reader", "anonymous"])
def test_reader_and_anonymous_never_get_the_tab(data_dir, monkeypatch, user):
    bank = FakeStatBank()
    monkeypatch.setattr(requests, "Session", lambda: bank)
    at = _run(_app(user))
    assert TAB not in [t.label for t in at.tabs]
    assert not [w for w in [*at.button, *at.text_input, *at.slider] if (w.key or "").startswith("dst-")]
    assert bank.calls == []


def test_the_actions_refuse_anyone_but_an_editor(data_dir, monkeypatch):
    from overblik import auth

    monkeypatch.setattr(auth, "is_editor", lambda: False)
    before = _tree(data_dir)
    with pytest.raises(auth.NotEditor):
        opdater_dst.fetch_and_publish(None, "x", store.current_id(data_dir), session=FakeStatBank())
    with pytest.raises(auth.NotEditor):
        opdater_dst.publish_saved(_saved("REGK31.csv", "BUDK32.csv", "FOLK1A.csv"), None, "x", "demo")
    with pytest.raises(auth.NotEditor):
        opdater_dst.statbank_years(FakeStatBank())
    assert _tree(data_dir) == before


STATBANK_HEADLINE = (
    'Intet kan udgives herfra: udtræk fra Danmarks Statistik hentes og udgives under fanen "Danmarks Statistik" '
    "øverst på denne side."
)


def test_a_statbank_reply_on_the_excel_upload_points_to_the_tab(data_dir):
    at = _editor(data_dir)
    at.file_uploader[0].set_value(_saved("REGK31.csv")[0])
    at.run()
    assert not at.exception, at.exception
    # the headline sends it to the tab too, not to Excel
    assert [e.value for e in at.error] == [f"1 fejl og 0 advarsler i REGK31\\.csv. {STATBANK_HEADLINE}"]
    problems = table(at, "Sådan retter du")  # a text table, read as the editor reads it
    assert len(problems) == 1
    row = problems.iloc[0]
    assert row["Ark"] == "REGK31.csv" and row["Række"] == "–"  # was a missing number, shown as 'None'
    assert row["Regel"] == opdater_dst.statbank_reply_message("REGK31.csv") and "ukendt tabel" not in row["Regel"]
    assert 'fanen "Danmarks Statistik"' in row["Sådan retter du"]
    assert "None" not in problems.to_string()


def test_a_zip_of_statbank_replies_on_the_excel_upload_points_to_the_tab(data_dir):
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, raw, _ in _saved("REGK31.csv", "BUDK32.csv", "FOLK1A.csv"):
            z.writestr(name, raw)
    at = _editor(data_dir)
    at.file_uploader[0].set_value(("svar.zip", buf.getvalue(), "application/zip"))
    at.run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [f"3 fejl og 0 advarsler i svar\\.zip. {STATBANK_HEADLINE}"]
    assert len(table(at, "Sådan retter du")) == 3


def test_an_unreadable_statbank_reply_is_sent_to_the_tab_too():
    checked = opdater.Checked("FOLK1A.csv", None, "FOLK1A.csv, linje 3: rækken kan ikke læses som CSV.", 3)
    assert opdater.refused(checked) == f"1 fejl og 0 advarsler i FOLK1A\\.csv. {STATBANK_HEADLINE}"
    other = opdater.Checked("x.csv", None, "x.csv, linje 3: rækken kan ikke læses som CSV.", 3)
    assert opdater.refused(other).endswith("Intet kan udgives, før fejlene er rettet: ret filen, og upload den igen.")


def test_a_problem_without_a_row_shows_a_dash():
    checked = opdater.Checked("x.csv", None, "Filen kan ikke læses.", None)
    shown = opdater.on_screen(opdater.problems_table(checked))
    assert shown["Række"].tolist() == ["–"]
    assert opdater.problems_table(checked)["Række"].isna().all()  # the Excel download keeps an empty cell
