"""Opdater data in AppTest: editors see the workplace, readers and anonymous visitors only "kræver
login som redaktør", and without login configured the page says how to enable it."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from apptest_helpers import table
from auth_helpers import EDITOR, READER, ROLE_EDITOR, ROLES, USERS, auth_section
from conftest import ROOT
from test_opdater import _stale_setup

from overblik import fmt, opdater, store

PAGE = "pages/opdater.py"


def _app(user: dict | None, configured: bool = True):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    if configured:
        at.secrets["auth"] = auth_section("http://127.0.0.1:9")
        at.secrets["roles"] = ROLES
    if user is not None:
        at.user = {"is_logged_in": True, "sub": user["email"], **user}
    return at


def _run(at, page=PAGE):
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _texts(at) -> str:
    return " ".join(str(e.value) for kind in (at.markdown, at.error, at.info, at.caption) for e in kind)


@pytest.mark.parametrize("who", [EDITOR, ROLE_EDITOR])
def test_editor_sees_the_workplace(data_dir, who):
    at = _run(_app(USERS[who]))
    assert [t.label for t in at.tabs] == [
        "Data fra Excel",
        "Danmarks Statistik",
        "Handlingsplan",
        "Møder",
        "Historik og tilbagerulning",
    ]
    assert "Denne side kræver login som redaktør." not in _texts(at)
    assert any(b.label == "Gem og udgiv" for b in at.button)
    assert len(at.get("data_editor")) == 2  # initiatives and meetings
    assert "højst 25 MB" in at.get("file_uploader")[0].proto.label


@pytest.mark.parametrize("user", [USERS[READER], None], ids=["reader", "anonymous"])
def test_reader_and_anonymous_get_nothing_else(data_dir, user):
    at = _run(_app(user))
    assert [e.value for e in at.error] == ["Denne side kræver login som redaktør."]
    assert len(at.tabs) == 0 and len(at.get("file_uploader")) == 0 and len(at.get("data_editor")) == 0
    assert [b.label for b in at.button if b.key and b.key.startswith("opd-")] == ([] if user else ["Log ind"])
    assert at.title == [] or all("Opdater" not in t.value for t in at.title)


def test_without_login_configured_the_page_says_how(data_dir):
    at = _run(_app(None, configured=False))
    assert "Login er ikke slået til" in at.info[0].value and "secrets.toml" in at.info[0].value
    assert len(at.tabs) == 0 and len(at.button) == 0


def test_reader_pages_still_work_with_login_configured(data_dir):
    at = _run(_app(USERS[READER]), "pages/overblik.py")
    assert any("Logget ind som" in c.value and "læser" in c.value for c in at.caption)


def test_editor_sees_the_empty_tables_choice(data_dir):
    at = _run(_app(USERS[EDITOR]))
    box = [m for m in at.multiselect if m.key == "opd-allow-empty"]
    assert len(box) == 1 and box[0].label.startswith("Tabeller, der skal være tomme") and box[0].value == []


def _meetings_zip() -> tuple[str, bytes, str]:
    """An upload (name, bytes, type): a zip with meetings.csv, one meeting."""
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("meetings.csv", "meeting_date;body;title\n2027-03-04;KKR;KKR-møde marts\n")
    return ("moeder.zip", buf.getvalue(), "application/zip")


def _bad_meetings_upload(name: str) -> tuple[str, bytes, str]:
    """meetings.csv with a date that does not exist, uploaded as `name`: the CSV file itself or a zip of it."""
    import io
    import zipfile

    text = "meeting_date;body;title\n31-02-2027;KKR;KKR-møde marts\n".encode()
    if not name.endswith(".zip"):
        return (name, text, "text/csv")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("meetings.csv", text)
    return (name, buf.getvalue(), "application/zip")


@pytest.mark.parametrize(
    "name, advice",
    [
        ("meetings.csv", "ret filen, og upload den igen."),
        ("moeder.zip", "ret CSV-filerne, og upload zip-filen igen."),
    ],
)
def test_the_errors_headline_says_where_a_csv_file_is_put_right(data_dir, name, advice):
    at = _run(_app(USERS[EDITOR]))
    at.file_uploader[0].set_value(_bad_meetings_upload(name))
    at.run()
    assert not at.exception, at.exception
    shown = name.replace(".", "\\.")  # the file name as markdown, escaped
    assert [e.value for e in at.error] == [
        f"1 fejl og 0 advarsler i {shown}. Intet kan udgives, før fejlene er rettet: {advice}"
    ]
    assert "Excel" not in at.error[0].value
    assert table(at, "Sådan retter du")["Kolonne"].tolist() == ["meeting_date"]  # the error the headline counts


def test_login_expiring_mid_upload_publishes_nothing(tmp_path, monkeypatch):
    """An editor uploads and checks a file; the login expires before "Udgiv": refused with a Danish
    message, nothing published, the current data unchanged. Logged in again, the editor can publish."""
    import json
    import shutil

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    monkeypatch.setenv("OVERBLIK_DATA_DIR", str(data))
    upload = _meetings_zip()
    snapshots = sorted(p.name for p in (data / "snapshots").iterdir())

    at = _run(_app(USERS[EDITOR]))
    at.file_uploader[0].set_value(upload)
    at.run()
    assert any("er gyldig" in s.value for s in at.success), [e.value for e in at.error]
    at.text_input(key="opd-note").input("Nyt KKR-møde")
    at.run()

    at.user = {"is_logged_in": False}  # the login expires (or the editor logs out in another tab)
    next(b for b in at.button if b.key == "opd-publish").click()
    at.run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == ["Denne side kræver login som redaktør."]
    assert [w.value for w in at.warning] == [opdater.SESSION_ENDED]
    assert len(at.get("file_uploader")) == 0 and not [b for b in at.button if b.key == "opd-publish"]
    assert (data / "CURRENT").read_text().strip() == "demo" and not (data / "events.jsonl").exists()
    assert sorted(p.name for p in (data / "snapshots").iterdir()) == snapshots

    at.user = {"is_logged_in": True, "sub": EDITOR, **USERS[EDITOR]}  # logged in again
    at.run()
    assert not at.warning and len(at.tabs) == 5
    at.file_uploader[0].set_value(upload)
    at.run()
    at.text_input(key="opd-note").input("Nyt KKR-møde")
    at.run()
    next(b for b in at.button if b.key == "opd-publish").click()
    at.run()
    assert any("Udgivet som datasæt" in s.value for s in at.success)
    sid = (data / "CURRENT").read_text().strip()
    assert (
        sid != "demo" and json.loads((data / "snapshots" / sid / "manifest.json").read_text())["published_by"] == EDITOR
    )


ID = __import__("re").compile(r"\d{8}T\d+Z")  # a snapshot's technical id: never the name an editor reads


def test_a_publish_names_the_dataset_by_when_who_and_note_not_by_its_id(own_data):
    """The success message, the history, the events and the page's footer name the new dataset by the day and
    time it was published (Danish time), who and the note; the id is only the history's last column and in the
    rollback chooser's brackets (they said 'Udgivet som datasæt 20261129T…Z' and showed only ids)."""
    import json

    at = _run(_app(USERS[EDITOR]))
    at.file_uploader[0].set_value(_meetings_zip())
    at.run()
    at.text_input(key="opd-note").input("Kapacitet efter indberetning")
    at.run()
    _click(at, "opd-publish")
    assert not at.exception and not at.error, [e.value for e in at.error]
    sid = (own_data / "CURRENT").read_text().strip()
    created = json.loads((own_data / "snapshots" / sid / "manifest.json").read_text())["created"]
    local = __import__("pandas").Timestamp(created).tz_convert("Europe/Copenhagen")
    name = f"{fmt.date(local.date())} kl. {local:%H.%M}"
    assert name.startswith("29. nov. 2026 kl. ")
    full = f"{name}, {EDITOR}: Kapacitet efter indberetning"
    assert [s.value for s in at.success] == [
        fmt.md(f"Udgivet som datasæt {full}. Dashboardet viser de nye data fra nu af.")
    ]
    history = table(at, "Ændrede tabeller")
    assert history["Datasæt"].tolist()[:2] == [name, "Eksempeldata, 20. nov. 2026"]
    assert history["Id"].tolist()[0] == sid and not any(ID.search(v) for v in history["Datasæt"])
    events = table(at, "Handling")
    assert events["Datasæt"].tolist() == [name] and events["Før"].tolist() == ["Eksempeldata, 20. nov. 2026"]
    footer = [c.value for c in at.caption if "Rammeaftale-overblik ·" in c.value]
    assert footer and fmt.md(f"Datasæt {full}") in footer[-1] and not ID.search(footer[-1]), footer
    assert not ID.search(_texts(at) + " ".join(s.value for s in at.success))
    choices = at.selectbox(key="opd-rollback-choice").options
    assert choices[0].startswith("Eksempeldata, 20. nov. 2026 · ændrede: ") and choices[0].endswith(" (id demo)")


# --- the editors' tables remember the snapshot they started from --------------------------------


def _published_meanwhile(data, tmp_path, change) -> str:
    """Another editor publishes through the command line's path (a workbook of the current data, changed by
    `change(workbook)`); returns the new current snapshot."""
    import io

    import openpyxl

    from overblik import ingest

    wb = openpyxl.load_workbook(io.BytesIO(ingest.workbook_bytes(base=data)))
    change(wb)
    path = tmp_path / "b.xlsx"
    wb.save(path)
    sid, problems = ingest.publish(path, "B", base=data)
    assert sid, [p.message() for p in problems]
    return sid


def _cell(ws, column: str, first: str, last: bool = False):
    """The cell of `column` in the first (or last) row whose first cell is `first`."""
    col = [c.value for c in ws[1]].index(column) + 1
    rows = [r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == first]
    return ws.cell(rows[-1] if last else rows[0], col)


def _b_changes_the_note(wb):
    _cell(wb["initiative_updates"], "note", "P1-03", last=True).value = "B's note for P1-03"


def _b_adds_an_initiative(wb):
    wi, wu = wb["initiatives"], wb["initiative_updates"]
    wi.append(["P1-08", "P1", "Nyt initiativ fra B", None, "B", wi.cell(2, 6).value, wi.cell(2, 7).value])
    wu.append(["P1-08", wu.cell(2, 2).value, "ikke startet", 0, None, None])


def _updates(data, sid):
    import pyarrow.parquet as pq

    return pq.read_table(data / "snapshots" / sid / "initiative_updates.parquet").to_pandas()


def _click(at, key):
    next(b for b in at.button if b.key == key).click()
    return at.run()


@pytest.mark.parametrize("change", [_b_changes_the_note, _b_adds_an_initiative], ids=["note", "new-initiative"])
def test_a_plan_edit_over_newer_data_is_refused_and_kept(own_data, tmp_path, change):
    """Editor A types a note for P1-03 without saving; meanwhile B publishes (a changed note for P1-03, or a
    new initiative). A's "Gem og udgiv" is refused (the table it writes was changed), nothing is published,
    A's edit stays on the table from the data A started from; "Hent de nyeste data" shows B's data."""
    at = _run(_app(USERS[EDITOR]))
    started = (own_data / "CURRENT").read_text().strip()
    grid = next(e for e in at.data_editor if e.key == "opd-plan-editor-0").value
    row = grid.index[grid["initiative_id"] == "P1-03"][0]
    at.session_state["opd-plan-editor-0"] = {
        "edited_rows": {int(row): {"note": "A's note for P1-03"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    b = _published_meanwhile(own_data, tmp_path, change)

    _click(at, "opd-plan-save")
    assert not at.exception, at.exception
    shown, newer = store.names_apart([started, b])  # by name (told apart), not by id
    assert [e.value for e in at.error] == [  # B published from the command line: who is not said
        fmt.md(
            "Statusopdateringer er ændret i et datasæt, der er udgivet, siden du begyndte at rette; tabellen viser "
            f"stadig datasæt {shown}, og det aktuelle er {newer}. Gemte du dine ændringer, ville de overskrive det "
            "nye. Intet er udgivet."
        )
    ]
    assert not at.success
    assert (own_data / "CURRENT").read_text().strip() == b
    assert "A's note for P1-03" not in set(_updates(own_data, b)["note"].dropna())
    # A's edit is still there, on the rows A started from
    editor = next(e for e in at.data_editor if e.key == "opd-plan-editor-0")
    assert editor.value["initiative_id"].tolist() == grid["initiative_id"].tolist()
    assert at.session_state["opd-plan-editor-0"]["edited_rows"] == {int(row): {"note": "A's note for P1-03"}}
    assert any(fmt.md(f"men datasæt {newer} er udgivet") in w.value for w in at.warning)

    _click(at, "opd-plan-reload")  # A gives the edit up for the newest data
    assert not at.exception and not at.warning
    editor = next(e for e in at.data_editor if e.key and e.key.startswith("opd-plan-editor-"))
    assert editor.key != "opd-plan-editor-0"
    assert editor.value["initiative_id"].tolist() == opdater.initiatives_for_editing(sid=b)["initiative_id"].tolist()


def test_a_table_without_edits_follows_the_newest_data(own_data, tmp_path):
    at = _run(_app(USERS[EDITOR]))
    b = _published_meanwhile(own_data, tmp_path, _b_adds_an_initiative)
    at.run()
    assert not at.warning
    editor = next(e for e in at.data_editor if e.key and e.key.startswith("opd-plan-editor-"))
    assert "P1-08" in set(editor.value["initiative_id"])
    assert (own_data / "CURRENT").read_text().strip() == b


def test_a_meeting_added_over_newer_data_is_refused_and_kept(own_data, tmp_path):
    """Editor A adds a meeting without saving; meanwhile B publishes a changed meeting title. A's save is
    refused, B's title stays published, and A's new meeting stays on the table."""
    at = _run(_app(USERS[EDITOR]))
    new = {"meeting_date": "2027-03-04", "body": "KKR", "title": "KKR marts (A)"}
    at.session_state["opd-meetings-editor-0"] = {"edited_rows": {}, "added_rows": [new], "deleted_rows": []}
    at.run()

    def rename(wb):
        _cell(wb["meetings"], "title", wb["meetings"].cell(2, 1).value).value = "Omdøbt af B"

    b = _published_meanwhile(own_data, tmp_path, rename)
    _click(at, "opd-meetings-save")
    assert not at.exception, at.exception
    assert len(at.error) == 1
    assert at.error[0].value.startswith(fmt.md("Møder er ændret i et datasæt, der er udgivet, siden du begyndte"))
    assert (own_data / "CURRENT").read_text().strip() == b
    assert at.session_state["opd-meetings-editor-0"]["added_rows"] == [new]
    assert any(w.value.startswith("Tabellen viser datasæt") for w in at.warning)


def _edit_plan_note(at, key: str, initiative: str, note: str) -> None:
    grid = next(e for e in at.data_editor if e.key == key).value
    row = int(grid.index[grid["initiative_id"] == initiative][0])
    at.session_state[key] = {"edited_rows": {row: {"note": note}}, "added_rows": [], "deleted_rows": []}
    at.run()


def _add_meeting(at, key: str, new: dict) -> None:
    at.session_state[key] = {"edited_rows": {}, "added_rows": [new], "deleted_rows": []}
    at.run()


def _table(data, sid, name):
    import pyarrow.parquet as pq

    return pq.read_table(data / "snapshots" / sid / f"{name}.parquet").to_pandas()


def test_an_editors_own_save_leaves_her_other_edits_saveable(own_data):
    """The editor adds a meeting without saving, then changes a note in Handlingsplan and saves it. Her meeting
    can still be saved (the plan's save changed no meeting): no "newer data" notice, "Gem møder og udgiv"
    publishes on top of her plan save, and her note is kept (refused before, blaming "en anden")."""
    at = _run(_app(USERS[EDITOR]))
    new = {"meeting_date": "2027-03-04", "body": "KKR", "title": "KKR marts"}
    _add_meeting(at, "opd-meetings-editor-0", new)
    _edit_plan_note(at, "opd-plan-editor-0", "P1-03", "Ny note")
    _click(at, "opd-plan-save")
    assert not at.exception and not at.error, [e.value for e in at.error]
    plan_sid = (own_data / "CURRENT").read_text().strip()
    assert plan_sid != "demo" and not at.warning
    assert at.session_state["opd-meetings-editor-0"]["added_rows"] == [new]

    _click(at, "opd-meetings-save")
    assert not at.exception and not at.error, [e.value for e in at.error]
    sid = (own_data / "CURRENT").read_text().strip()
    said = (
        f"Gemt: KKR torsdag 4. marts 2027 (KKR marts). Møderne er udgivet som datasæt {store.name_of(sid, full=True)}."
    )
    assert [s.value for s in at.success] == [fmt.md(said)] and sid != plan_sid
    meetings = _table(own_data, sid, "meetings")
    assert "KKR marts" in set(meetings["title"]) and len(meetings) == len(_table(own_data, plan_sid, "meetings")) + 1
    assert _table(own_data, sid, "initiative_updates").equals(_table(own_data, plan_sid, "initiative_updates"))
    assert "Ny note" in set(_table(own_data, sid, "initiative_updates")["note"].dropna())
    assert _manifest(own_data, sid)["parent"] == plan_sid


def _manifest(data, sid) -> dict:
    import json

    return json.loads((data / "snapshots" / sid / "manifest.json").read_text())


def test_anothers_publish_of_another_table_leaves_edits_saveable(own_data, tmp_path):
    """Editor A adds a meeting without saving; meanwhile B publishes a changed note (no meeting changed). A sees
    no "newer data" notice, and A's save publishes the meeting on top of B's data, B's note kept."""
    at = _run(_app(USERS[EDITOR]))
    new = {"meeting_date": "2027-03-04", "body": "KKR", "title": "KKR marts (A)"}
    _add_meeting(at, "opd-meetings-editor-0", new)
    b = _published_meanwhile(own_data, tmp_path, _b_changes_the_note)
    at.run()
    assert not at.warning

    _click(at, "opd-meetings-save")
    assert not at.exception and not at.error, [e.value for e in at.error]
    sid = (own_data / "CURRENT").read_text().strip()
    assert sid != b and _manifest(own_data, sid)["parent"] == b
    assert "KKR marts (A)" in set(_table(own_data, sid, "meetings")["title"])
    assert "B's note for P1-03" in set(_table(own_data, sid, "initiative_updates")["note"].dropna())


def test_plan_edits_over_the_editors_own_new_initiative_are_refused_as_hers(own_data, monkeypatch):
    """The editor changes a note in the grid without saving, then adds an initiative (Nyt initiativ's "Tilføj og
    udgiv", which writes the status lines too; called as the page calls it: AppTest does not submit that form
    through dashboard.py's navigation). "Gem og udgiv" is refused, as it would overwrite the new initiative's
    line, and the message says she made the change herself (it blamed "en anden" before); her edit stays."""
    import datetime as dt

    from overblik import auth

    at = _run(_app(USERS[EDITOR]))
    _edit_plan_note(at, "opd-plan-editor-0", "P1-03", "Ny note")
    with monkeypatch.context() as m:
        m.setattr(auth, "user", lambda: {"is_logged_in": True, **USERS[EDITOR]})
        m.setattr(auth, "is_editor", lambda: True)
        day = dt.date(2026, 11, 29)
        _, sid = opdater.add_initiative("P2", "Kompetencecenter", "DASSOS", day, day, "", "ikke startet", day, "demo")
    at.run()
    assert (own_data / "CURRENT").read_text().strip() == sid

    _click(at, "opd-plan-save")
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [
        fmt.md(
            f"Du har selv ændret Statusopdateringer i datasæt {store.name_of(sid)}, siden du begyndte at rette denne "
            "tabel (fx med Nyt initiativ eller i en anden fane); tabellen viser stadig datasæt Eksempeldata, 20. nov. "
            "2026. Gemte du dine ændringer her, "
            "ville de overskrive det, du har udgivet. Intet er udgivet."
        )
    ]
    assert "en anden" not in at.error[0].value.replace("i en anden fane", "")
    assert (own_data / "CURRENT").read_text().strip() == sid
    assert at.session_state["opd-plan-editor-0"]["edited_rows"]
    assert any(
        w.value.startswith(fmt.md("Tabellen viser datasæt Eksempeldata, 20. nov. 2026, men")) for w in at.warning
    )


def test_a_publish_refused_for_newer_data_takes_the_checked_file_away(own_data, tmp_path):
    """An editor's file is checked; another publishes meanwhile; "Udgiv" is refused with the conflict message.
    The old check's "er gyldig", its changes and its Udgiv are gone, and the page asks for the file again;
    uploaded again it is checked against the newest data and can be published."""
    at = _run(_app(USERS[EDITOR]))
    at.file_uploader[0].set_value(_meetings_zip())
    at.run()
    assert any("er gyldig" in s.value for s in at.success)
    at.text_input(key="opd-note").input("Nyt KKR-møde")
    at.run()
    b = _published_meanwhile(own_data, tmp_path, _b_changes_the_note)

    _click(at, "opd-publish")
    assert not at.exception, at.exception
    assert (own_data / "CURRENT").read_text().strip() == b
    assert not [s for s in at.success if "er gyldig" in s.value]
    assert not [x for x in at.button if x.key == "opd-publish"]
    assert "3. Det ændrer sig" not in [h.value for h in at.header]
    assert at.file_uploader[0].value is None
    assert len(at.error) == 1 and at.error[0].value.startswith(fmt.md("Data er blevet udgivet af en anden"))
    assert fmt.md("filen er fjernet. Upload den igen") in at.error[0].value

    at.file_uploader[0].set_value(_meetings_zip())
    at.run()
    assert any("er gyldig" in s.value for s in at.success)
    at.text_input(key="opd-note").input("Nyt KKR-møde")
    at.run()
    _click(at, "opd-publish")
    assert any("Udgivet som datasæt" in s.value for s in at.success)
    assert (own_data / "CURRENT").read_text().strip() != b


def test_a_file_with_many_problems_lists_the_first_and_builds_the_excel_on_click(data_dir, monkeypatch):
    """1.100 rows with an unknown account function: the page lists the first PROBLEMS_SHOWN problems, says how
    many more there are, counts them by rule and column, and builds the problems' Excel file only when asked
    (it was built, with the whole list sent to the browser, on every run: a minute per tab click)."""
    from overblik import ui

    built = []
    monkeypatch.setattr(ui, "xlsx_bytes", lambda *a, **k: built.append(a) or b"")
    lines = [f"751;{2000 + i % 20};9.{i // 100:02d}.{i % 100:02d};regnskab;1,5" for i in range(1100)]
    csv = "municipality_code;year;function_code;kind;net_1000_dkk\n" + "\n".join(lines) + "\n"
    at = _run(_app(USERS[EDITOR]))
    at.file_uploader[0].set_value(("spending.csv", csv.encode(), "text/csv"))
    at.run()
    assert not at.exception, at.exception
    assert built == []
    checked = at.session_state["opd-checked"]
    n = len(checked.plan.problems)
    assert n >= 1100 and checked.errors == n
    # tables of text, shown whole (a grid cut "Sådan retter du" and "Regel" at 1440 px)
    listed = [t.value for t in at.table if "Række" in t.value.columns and "Sådan retter du" in t.value.columns]
    assert [len(t) for t in listed] == [opdater.PROBLEMS_SHOWN]
    assert not [d for d in at.dataframe if "Sådan retter du" in d.value.columns]
    more = f"og {fmt.number(n - opdater.PROBLEMS_SHOWN)} problemer mere; hent hele listen som Excel"
    assert more in " ".join(c.value for c in at.caption)
    assert any("Antal" in t.value.columns and "Sådan retter du" in t.value.columns for t in at.table)
    summary = opdater.problems_summary(checked)
    assert summary["Antal"].sum() == n
    unknown = summary[summary["Regel"] == "findes ikke i account_functions.function_code"]
    assert unknown["Antal"].tolist() == [1100] and unknown["Første række"].tolist() == [2]
    at.run()  # another run (a tab click): still nothing built
    assert built == [] and any(b.proto.label == "Hent problemerne som Excel" for b in at.get("download_button"))
    assert len(opdater.problems_table(checked, opdater.EXCEL_ROWS)) == n  # what the click builds: all of them


@pytest.mark.parametrize("contact", [None, {"email": "rammeaftale@eksempel.dk"}])
def test_the_editors_are_told_when_the_statement_lacks_a_contact(data_dir, monkeypatch, contact):
    """The accessibility statement's missing contact: the readers' statement says only that it is not given;
    the editors are told what must be set (it told every reader about secrets.toml)."""
    from overblik import tilgaengelighed

    for var in (tilgaengelighed.EMAIL_ENV, tilgaengelighed.PHONE_ENV):
        monkeypatch.delenv(var, raising=False)
    at = _app(USERS[EDITOR])
    if contact:
        at.secrets["contact"] = contact
    _run(at)
    said = [i.value for i in at.info if "kontaktoplysninger" in i.value]
    if contact:
        assert said == []
    else:
        assert len(said) == 1 and tilgaengelighed.EMAIL_ENV in said[0] and "secrets.toml" in said[0]


def test_the_review_rules_reach_the_page(data_dir):
    """A date given as Excel's day number and a progress of 1 after the same initiative's 30 are warnings; a
    totals row is one error: each in the problems table with sheet, Excel row, column, rule, value and hint."""
    import datetime as dt
    import io

    import openpyxl

    from overblik import ingest, schema

    wb = openpyxl.load_workbook(io.BytesIO(ingest.workbook_bytes(base=data_dir, editors=True)))
    head = {n: [c.value for c in wb[n][1]] for n in ("initiatives", "initiative_updates")}
    date = wb["initiatives"].cell(2, head["initiatives"].index("start_date") + 1)
    date.value, date.number_format = 46000, "General"  # a date typed in a cell formatted as a number
    updates = wb["initiative_updates"]
    first = [c.value for c in updates[2]]  # P1-01, 30 %
    updates.append([first[0], dt.datetime(2027, 1, 5), "afsluttet", 1, None, None])  # 100 % in percent format
    totals = wb["offer_years"]
    totals.append(["I alt", None, 5000, None, None, None, 12345])
    buf = io.BytesIO()
    wb.save(buf)

    at = _run(_app(USERS[EDITOR]))
    at.file_uploader[0].set_value(("data.xlsx", buf.getvalue(), "application/octet-stream"))
    at.run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [
        "1 fejl og 2 advarsler i data\\.xlsx. Intet kan udgives, før fejlene er rettet: ret dem i Excel, og upload "
        "filen igen."
    ]
    problems = table(at, "Sådan retter du")  # a text table: every cell as the editor reads it
    assert problems.drop(columns="Sådan retter du").values.tolist() == [
        [
            "Fejl",
            "offer_years",
            str(totals.max_row),
            "offer_id",
            schema.SUM_ROW,
            "I alt",
        ],  # rows as text ("–" for none)
        ["Advarsel", "initiatives", "2", "start_date", schema.serial_date_rule(dt.date(2025, 12, 9)), "46.000"],
        [
            "Advarsel",
            "initiative_updates",
            str(updates.max_row),
            "progress_pct",
            schema.hundred_as_one("initiative_id"),
            "1",
        ],
    ]
    assert schema.SUM_ROW == "ligner en sumrække: slet rækken – dashboardet lægger selv tallene sammen"
    assert schema.serial_date_rule(dt.date(2025, 12, 9)) == (
        "tallet er læst som datoen 9. dec. 2025 (Excel gemmer en dato som et dagnummer, og cellen har talformat); "
        "kontrollér datoen, og giv cellen datoformat"
    )
    assert [h.split(":")[0].split(".")[0] for h in problems["Sådan retter du"]] == [
        "Slet hele rækken i Excel",
        "Kontrollér, at det er den rigtige dato",
        "Er det 1 %, så lad det stå",
    ]
    assert (data_dir / "CURRENT").read_text().strip() == "demo"


def test_a_meeting_is_said_in_words_and_a_past_date_is_asked_about(own_data):
    """The grid's date editor follows the browser's language: 10122026 became 12 Oct. The meeting is repeated
    in words under the table before the save and in the confirmation; a new meeting before today is asked
    about, and published only once the editor says the date is right."""
    at = _run(_app(USERS[EDITOR]))
    started = (own_data / "CURRENT").read_text().strip()
    wrong = {"meeting_date": "2026-10-12", "body": "DASSOS", "title": "DASSOS december"}
    at.session_state["opd-meetings-editor-0"] = {"edited_rows": {}, "added_rows": [wrong], "deleted_rows": []}
    at.run()
    assert fmt.md("Gemmes: DASSOS mandag 12. oktober 2026 (DASSOS december).") in [c.value for c in at.caption]

    _click(at, "opd-meetings-save")
    assert not at.exception, at.exception
    assert not at.success and (own_data / "CURRENT").read_text().strip() == started
    asked = [w.value for w in at.warning]
    assert len(asked) == 1 and asked[0].startswith(fmt.md("DASSOS mandag 12. oktober 2026 (DASSOS december) ligger"))
    assert fmt.md("10.12.2026 er 10. december 2026") in asked[0]

    _click(at, "opd-meetings-past-yes")
    assert not at.exception, at.exception
    assert at.success[0].value.startswith(
        fmt.md("Gemt: DASSOS mandag 12. oktober 2026 (DASSOS december). Møderne er udgivet som datasæt")
    )
    assert (own_data / "CURRENT").read_text().strip() != started and not at.warning


def test_a_future_meeting_is_saved_with_its_date_in_words(own_data):
    at = _run(_app(USERS[EDITOR]))
    new = {"meeting_date": "2026-12-10", "body": "DASSOS", "title": "DASSOS december"}
    at.session_state["opd-meetings-editor-0"] = {"edited_rows": {}, "added_rows": [new], "deleted_rows": []}
    at.run()
    _click(at, "opd-meetings-save")
    assert not at.exception, at.exception
    assert not at.warning
    assert at.success[0].value.startswith(
        fmt.md("Gemt: DASSOS torsdag 10. december 2026 (DASSOS december). Møderne er udgivet")
    )


def test_a_stale_workbook_is_held_until_the_editor_says_yes(own_data, tmp_path):
    """QA's walk-through: a workbook is downloaded; a status line and a meeting are saved on the page; the
    earlier workbook is uploaded. The warning says in words what would be deleted and who published it when,
    Udgiv stays disabled until "Ja, erstat det, der er udgivet siden" is ticked, and a new workbook is offered.
    The history shows every table each dataset changed, as text."""

    from overblik import auth

    at = _run(_app(USERS[EDITOR]))
    with pytest.MonkeyPatch.context() as mp:  # the page's saves, made as this editor
        mp.setattr(auth, "is_editor", lambda: True)
        mp.setattr(auth, "user", lambda: {"is_logged_in": True, **USERS[EDITOR]})
        path, sid = _stale_setup(own_data, tmp_path)

    at.run()
    at.file_uploader[0].set_value(("edit2.xlsx", path.read_bytes(), "application/octet-stream"))
    at.run()
    assert not at.exception, at.exception
    warning = next(w.value for w in at.warning if "Projektmappen er hentet" in w.value)
    assert fmt.md("1 statusopdatering og 1 møde, udgivet efter at projektmappen blev hentet, slettes") in warning
    assert fmt.md(f", {EDITOR}: ") in warning and sid not in warning
    assert any(b.proto.label == "Hent en ny projektmappe og ret i den" for b in at.get("download_button"))
    publish = next(b for b in at.button if b.key == "opd-publish")
    assert publish.disabled
    at.text_input(key="opd-note").input("Gammel fil")
    at.run()
    next(c for c in at.checkbox if c.label == "Ja, erstat det, der er udgivet siden").check()
    at.run()
    assert not next(b for b in at.button if b.key == "opd-publish").disabled
    _click(at, "opd-publish")
    assert not at.exception, at.exception
    assert any("Udgivet som datasæt" in s.value for s in at.success)
    assert (own_data / "CURRENT").read_text().strip() != sid

    # the history as text: the plan's dataset changed the status lines, the meetings' dataset the meetings
    history = next(t.value for t in at.table if "Ændrede tabeller" in t.value.columns)
    assert {"Statusopdateringer", "Møder"} <= set(history["Ændrede tabeller"])
    assert any("ændrede: Møder" in label for label in opdater.rollback_choices())


# --- unsaved grid edits survive leaving the page ---------------------------------------------------


def _edit_in_browser(at, key: str, edits: dict) -> None:
    """Edit the grid `key` as the browser does: its widget state sent with the run, so its on_change runs (seeding
    at.session_state, as the tests above do, sets the value without calling it)."""
    import json

    from streamlit.proto.WidgetStates_pb2 import WidgetState

    grid = next(e for e in at.data_editor if e.key == key)
    states = at._tree.get_widget_states()
    states.widgets.append(WidgetState(id=grid.proto.id, string_value=json.dumps(edits)))
    at._run(states)
    assert not at.exception, at.exception


def _grid(at, name: str):
    return next(e for e in at.data_editor if e.key and e.key.startswith(f"{name}-editor-"))


def _drafts_said(at) -> list[str]:
    return [i.value for i in at.info if i.value.startswith(fmt.md("Tabellen viser ændringer, du lavede tidligere"))]


def _away_and_back(at) -> None:
    at.switch_page("pages/handlingsplan.py").run()
    assert not at.exception and not at.data_editor, at.exception
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception


def _sql(text: str, **tables) -> list[tuple]:
    """Independent SQL over snapshots' Parquet files: {name} in `text` is the (data, sid, table) given."""
    import duckdb

    paths = {k: f"read_parquet('{d / 'snapshots' / s / t}.parquet')" for k, (d, s, t) in tables.items()}
    return duckdb.sql(text.format(**paths)).fetchall()


def test_unsaved_grid_edits_survive_leaving_the_page_and_save_exactly_them(own_data):
    """The editor changes a note and a progress in Handlingsplan's grid and adds and deletes a meeting, then opens
    the page Handlingsplan and comes back: both grids show her edits again, each with a line that says they are
    unsaved edits from earlier in the session, and "Gemmes" lists the meetings. She goes on editing the restored
    grids; the saves publish exactly her edits (read back from the snapshots' Parquet), and the lines are gone."""
    import datetime as dt

    at = _run(_app(USERS[EDITOR]))
    ids = _grid(at, "opd-plan").value["initiative_id"].tolist()
    p103, p201, p102 = ids.index("P1-03"), ids.index("P2-01"), ids.index("P1-02")
    _edit_in_browser(
        at,
        "opd-plan-editor-0",
        {
            "edited_rows": {str(p103): {"note": "Ny note efter mødet"}, str(p201): {"progress_pct": 15}},
            "added_rows": [],
            "deleted_rows": [],
        },
    )
    new = {"meeting_date": "2027-03-04", "body": "KKR", "title": "KKR marts 2027"}
    _edit_in_browser(at, "opd-meetings-editor-0", {"edited_rows": {}, "added_rows": [new], "deleted_rows": [0]})
    assert not _drafts_said(at)  # still on the page: the grids hold the edits themselves

    _away_and_back(at)
    plan = _grid(at, "opd-plan")
    assert plan.key != "opd-plan-editor-0"
    shown = plan.value.set_index("initiative_id")
    assert shown.loc["P1-03", "note"] == "Ny note efter mødet" and shown.loc["P2-01", "progress_pct"] == 15
    meetings = _grid(at, "opd-meetings").value
    assert len(meetings) == 13 and meetings["title"].tolist()[-1] == "KKR marts 2027"
    assert "DASSOS-møde, 1. kvartal 2025" not in set(meetings["title"])
    assert _drafts_said(at) == [
        fmt.md(opdater.draft_notice("Gem og udgiv")),
        fmt.md(opdater.draft_notice("Gem møder og udgiv")),
    ]
    assert sorted(b.label for b in at.button if b.key and b.key.endswith("-discard")) == ["Kassér ændringerne"] * 2
    said = fmt.md(
        "Gemmes: KKR torsdag 4. marts 2027 (KKR marts 2027). "
        "Slettes: DASSOS torsdag 13. februar 2025 (DASSOS-møde, 1. kvartal 2025)."
    )
    assert said in [c.value for c in at.caption]

    # more edits on the restored grids: positions are the restored rows'
    _edit_in_browser(
        at, plan.key, {"edited_rows": {str(p102): {"status": "forsinket"}}, "added_rows": [], "deleted_rows": []}
    )
    december = meetings["title"].tolist().index("KKR Midtjylland, december 2026")
    _edit_in_browser(
        at,
        _grid(at, "opd-meetings").key,
        {"edited_rows": {str(december): {"title": "KKR december (flyttet)"}}, "added_rows": [], "deleted_rows": []},
    )
    assert len(_drafts_said(at)) == 2

    _click(at, "opd-plan-save")
    assert not at.exception and not at.error, [e.value for e in at.error]
    plan_sid = (own_data / "CURRENT").read_text().strip()
    assert plan_sid != "demo" and _drafts_said(at) == [fmt.md(opdater.draft_notice("Gem møder og udgiv"))]
    new_lines = _sql(
        "SELECT * FROM {new} EXCEPT SELECT * FROM {old} ORDER BY initiative_id",
        new=(own_data, plan_sid, "initiative_updates"),
        old=(own_data, "demo", "initiative_updates"),
    )
    latest = {
        i: (s, p)
        for i, s, p in _sql(
            "SELECT initiative_id, arg_max(status, update_date), arg_max(progress_pct, update_date) FROM {old} "
            "GROUP BY 1",
            old=(own_data, "demo", "initiative_updates"),
        )
    }
    assert latest["P1-02"][0] != "forsinket" and latest["P2-01"][1] != 15
    day = dt.date(2026, 11, 29)
    assert new_lines == [
        ("P1-02", day, "forsinket", latest["P1-02"][1], None, EDITOR),
        ("P1-03", day, *latest["P1-03"], "Ny note efter mødet", EDITOR),
        ("P2-01", day, latest["P2-01"][0], 15.0, None, EDITOR),
    ]
    assert not _sql(
        "SELECT * FROM {old} EXCEPT SELECT * FROM {new}",
        new=(own_data, plan_sid, "initiative_updates"),
        old=(own_data, "demo", "initiative_updates"),
    )

    _click(at, "opd-meetings-save")
    assert not at.exception and not at.error, [e.value for e in at.error]
    sid = (own_data / "CURRENT").read_text().strip()
    assert sid != plan_sid and not _drafts_said(at)
    assert at.success[0].value.startswith(
        fmt.md(
            "Gemt: KKR torsdag 3. december 2026 (KKR december (flyttet)); KKR torsdag 4. marts 2027 (KKR marts 2027). "
            "Slettet: DASSOS torsdag 13. februar 2025 (DASSOS-møde, 1. kvartal 2025)"
        )
    )
    both = {"new": (own_data, sid, "meetings"), "old": (own_data, "demo", "meetings")}
    assert _sql("SELECT * FROM {new} EXCEPT SELECT * FROM {old} ORDER BY 1", **both) == [
        (dt.date(2026, 12, 3), "KKR", "KKR december (flyttet)"),
        (dt.date(2027, 3, 4), "KKR", "KKR marts 2027"),
    ]
    assert _sql("SELECT * FROM {old} EXCEPT SELECT * FROM {new} ORDER BY 1", **both) == [
        (dt.date(2025, 2, 13), "DASSOS", "DASSOS-møde, 1. kvartal 2025"),
        (dt.date(2026, 12, 3), "KKR", "KKR Midtjylland, december 2026"),
    ]

    _away_and_back(at)  # saved: nothing is kept or said
    assert not _drafts_said(at) and "opd-plan-draft" not in at.session_state


def test_unsaved_edits_thrown_away_are_gone(own_data):
    """ "Kassér ændringerne" on a grid drawn again from earlier edits: the line is gone, the grid shows the data as
    published, and leaving and coming back brings nothing back; nothing is published."""
    at = _run(_app(USERS[EDITOR]))
    new = {"meeting_date": "2027-03-04", "body": "KKR", "title": "KKR marts 2027"}
    _edit_in_browser(at, "opd-meetings-editor-0", {"edited_rows": {}, "added_rows": [new], "deleted_rows": []})
    _away_and_back(at)
    assert len(_drafts_said(at)) == 1 and "KKR marts 2027" in set(_grid(at, "opd-meetings").value["title"])

    _click(at, "opd-meetings-discard")
    assert not at.exception and not _drafts_said(at)
    published = _sql("SELECT title FROM {m} ORDER BY meeting_date, body", m=(own_data, "demo", "meetings"))
    assert _grid(at, "opd-meetings").value["title"].tolist() == [t for (t,) in published]
    _away_and_back(at)
    assert not _drafts_said(at) and "KKR marts 2027" not in set(_grid(at, "opd-meetings").value["title"])
    assert (own_data / "CURRENT").read_text().strip() == "demo"


def test_unsaved_edits_over_tables_changed_meanwhile_are_refused_not_written(own_data, tmp_path):
    """The editor changes P1-03's note, leaves the page; meanwhile B publishes another note for P1-03. Back, her
    note is shown on the rows she started from with the "newer data" notice (not put on top of B's data); her save
    is refused and B's note stays; "Hent de nyeste data" throws her edit away and shows B's note."""
    at = _run(_app(USERS[EDITOR]))
    row = _grid(at, "opd-plan").value["initiative_id"].tolist().index("P1-03")
    edit = {"edited_rows": {str(row): {"note": "A's note for P1-03"}}, "added_rows": [], "deleted_rows": []}
    _edit_in_browser(at, "opd-plan-editor-0", edit)
    at.switch_page("pages/handlingsplan.py").run()
    b = _published_meanwhile(own_data, tmp_path, _b_changes_the_note)
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception

    assert _grid(at, "opd-plan").value.loc[row, "note"] == "A's note for P1-03"
    shown, newer = store.names_apart(["demo", b])
    assert any(fmt.md(f"Tabellen viser datasæt {shown}, men datasæt {newer} er udgivet") in w.value for w in at.warning)
    assert len(_drafts_said(at)) == 1 and not [x for x in at.button if x.key == "opd-plan-discard"]
    _click(at, "opd-plan-save")
    assert not at.exception, at.exception
    assert len(at.error) == 1 and at.error[0].value.startswith(fmt.md("Statusopdateringer er ændret i et datasæt"))
    assert (own_data / "CURRENT").read_text().strip() == b
    assert "A's note for P1-03" not in set(_updates(own_data, b)["note"].dropna())

    _click(at, "opd-plan-reload")
    assert not at.exception and not at.warning and not _drafts_said(at)
    assert _grid(at, "opd-plan").value.loc[row, "note"] == "B's note for P1-03"


def test_an_undone_edit_in_a_restored_grid_is_not_brought_back(own_data):
    """A note changed, the page left and opened again (the grid drawn from the draft), the note changed back (no
    draft left), the page left and opened again: the grid shows the published note, says nothing of a draft, and
    a save publishes nothing (the old draft was handed to the grid again, unannounced, and published)."""
    at = _run(_app(USERS[EDITOR]))
    current = (own_data / "CURRENT").read_text().strip()
    published = _sql(
        "SELECT note FROM {u} WHERE initiative_id = 'P1-03' ORDER BY update_date DESC LIMIT 1",
        u=(own_data, current, "initiative_updates"),
    )[0][0]
    ids = _grid(at, "opd-plan").value["initiative_id"].tolist()
    r = ids.index("P1-03")
    _edit_in_browser(at, _grid(at, "opd-plan").key, {"edited_rows": {str(r): {"note": "KLADDE"}}})
    _away_and_back(at)
    assert _grid(at, "opd-plan").value.loc[r, "note"] == "KLADDE" and _drafts_said(at)
    _edit_in_browser(at, _grid(at, "opd-plan").key, {"edited_rows": {str(r): {"note": published}}})
    _away_and_back(at)
    assert _grid(at, "opd-plan").value.loc[r, "note"] == published
    assert not _drafts_said(at)
    _click(at, "opd-plan-save")
    assert [s.value for s in at.success] == ["Ingen ændringer at gemme."]
    assert (own_data / "CURRENT").read_text().strip() == current


def test_a_meeting_drafted_when_there_are_no_meetings_comes_back_as_a_date(own_data, tmp_path):
    """With no meetings published (an empty table is allowed), a meeting added, the page left and opened again:
    the grid is drawn from the draft with its date a date (a text date made the grid refuse the page), and the
    save publishes that meeting."""
    import io

    import openpyxl

    from overblik import ingest

    wb = openpyxl.load_workbook(io.BytesIO(ingest.workbook_bytes(base=own_data)))
    wb["meetings"].delete_rows(2, wb["meetings"].max_row)
    path = tmp_path / "uden-moeder.xlsx"
    wb.save(path)
    sid, problems = ingest.publish(path, "ingen møder", base=own_data, allow_empty=frozenset({"meetings"}))
    assert sid, [p.message() for p in problems]
    at = _run(_app(USERS[EDITOR]))
    assert _grid(at, "opd-meetings").value.empty
    new = {"meeting_date": "2027-03-04", "body": "KKR", "title": "KKR marts 2027"}
    _edit_in_browser(at, _grid(at, "opd-meetings").key, {"edited_rows": {}, "added_rows": [new], "deleted_rows": []})
    _away_and_back(at)
    shown = _grid(at, "opd-meetings").value
    assert shown["meeting_date"].tolist() == [dt.date(2027, 3, 4)] and _drafts_said(at)
    _click(at, "opd-meetings-save")
    assert not at.exception and not at.error, [e.value for e in at.error]
    now = (own_data / "CURRENT").read_text().strip()
    assert now != sid
    assert _sql("SELECT meeting_date, body, title FROM {m}", m=(own_data, now, "meetings")) == [
        (dt.date(2027, 3, 4), "KKR", "KKR marts 2027")
    ]


# --- what an editor typed into a form survives leaving the page ---------------------------------------------------

NEW = "opd-new-initiative"


def _forms_said(at) -> list[str]:
    return [i.value for i in at.info if i.value.startswith(fmt.md("Felterne viser det, du udfyldte tidligere"))]


def _new_initiative(at) -> dict:
    """What Nyt initiativ's fields show."""
    return {
        "principle": at.selectbox(key=f"{NEW}-principle").value,
        "title": at.text_input(key=f"{NEW}-title").value,
        "owner": at.text_input(key=f"{NEW}-owner").value,
        "description": at.text_area(key=f"{NEW}-description").value,
        "start": at.date_input(key=f"{NEW}-start").value,
        "deadline": at.date_input(key=f"{NEW}-deadline").value,
        "status": at.selectbox(key=f"{NEW}-status").value,
    }


def _type_new_initiative(at, typed: dict) -> None:
    """Nyt initiativ filled in as an editor does, one field at a time (each change runs the page)."""
    at.selectbox(key=f"{NEW}-principle").set_value(typed["principle"]).run()
    at.text_input(key=f"{NEW}-title").input(typed["title"]).run()
    at.text_input(key=f"{NEW}-owner").input(typed["owner"]).run()
    at.text_area(key=f"{NEW}-description").input(typed["description"]).run()
    at.date_input(key=f"{NEW}-start").set_value(typed["start"]).run()
    at.date_input(key=f"{NEW}-deadline").set_value(typed["deadline"]).run()
    at.selectbox(key=f"{NEW}-status").set_value(typed["status"]).run()
    assert not at.exception, at.exception


def test_a_new_initiative_typed_survives_leaving_the_page_until_sent_or_thrown_away(own_data):
    """The editor fills in Nyt initiativ, opens the page Handlingsplan to check a number and comes back: every field
    shows what she typed, with a line that says it is not saved and "Kassér det udfyldte". Thrown away, the fields
    are empty, also after leaving again. Typed again, left and sent: the initiative is published with exactly those
    values (read back from the snapshot's Parquet), and the fields are empty, also after leaving again."""
    today = dt.date(2026, 11, 29)
    empty = {
        "principle": "P1",
        "title": "",
        "owner": "",
        "description": "",
        "start": today,
        "deadline": today,
        "status": "ikke startet",
    }
    typed = {
        "principle": "P2",
        "title": "Fælles kompetencecenter for autisme",
        "owner": "DASSOS",
        "description": "Et center, som kommunerne deles om.",
        "start": dt.date(2027, 1, 1),
        "deadline": dt.date(2027, 12, 31),
        "status": "på sporet",
    }
    at = _run(_app(USERS[EDITOR]))
    assert _new_initiative(at) == empty
    _type_new_initiative(at, typed)
    assert not _forms_said(at)  # still on the page: nothing to say

    _away_and_back(at)
    assert _new_initiative(at) == typed
    assert _forms_said(at) == [fmt.md(opdater.form_notice("Tilføj og udgiv"))]
    assert "ikke gemt endnu" in _forms_said(at)[0]
    _click(at, f"{NEW}-discard")
    assert not at.exception, at.exception
    assert _new_initiative(at) == empty and not _forms_said(at)
    _away_and_back(at)
    assert _new_initiative(at) == empty and not _forms_said(at)
    assert (own_data / "CURRENT").read_text().strip() == "demo"

    _type_new_initiative(at, typed)
    _away_and_back(at)
    assert _new_initiative(at) == typed
    _click(at, f"{NEW}-add")
    assert not at.exception and not at.error, [e.value for e in at.error]
    sid = (own_data / "CURRENT").read_text().strip()
    assert sid != "demo"
    both = {"new": (own_data, sid, "initiatives"), "old": (own_data, "demo", "initiatives")}
    added = _sql(
        "SELECT initiative_id, principle_id, title, owner, description, start_date, deadline FROM {new} "
        "WHERE initiative_id NOT IN (SELECT initiative_id FROM {old})",
        **both,
    )
    assert [a[1:] for a in added] == [
        (typed["principle"], typed["title"], "DASSOS", typed["description"], typed["start"], typed["deadline"])
    ]
    assert [s.value for s in at.success] == [
        fmt.md(f"Initiativ {added[0][0]} er tilføjet og udgivet som datasæt {opdater.dataset(sid)}.")
    ]
    status = _sql(
        "SELECT status FROM {u} WHERE initiative_id = '" + added[0][0] + "'", u=(own_data, sid, "initiative_updates")
    )
    assert status == [(typed["status"],)]
    assert _new_initiative(at) == empty and not _forms_said(at)
    _away_and_back(at)
    assert _new_initiative(at) == empty and not _forms_said(at)


def test_a_new_initiative_refused_keeps_what_was_typed(own_data):
    """Sent without an owner: refused, nothing published, and the title she typed is still there to complete (the
    old form emptied itself on every send)."""
    at = _run(_app(USERS[EDITOR]))
    at.text_input(key=f"{NEW}-title").input("Uden ansvarlig").run()
    _click(at, f"{NEW}-add")
    assert [e.value for e in at.error] == [fmt.md("Skriv både titel og ansvarlig. Intet er udgivet.")]
    assert at.text_input(key=f"{NEW}-title").value == "Uden ansvarlig"
    assert (own_data / "CURRENT").read_text().strip() == "demo"


def test_the_other_forms_survive_leaving_the_page(own_data):
    """The date of a status update, the rollback's choice and note, and Danmarks Statistik's years and note, set and
    left unsent: back on the page they are as she left them (the rollback's tick is not: it is given anew), with
    the line and "Kassér det udfyldte" over the rollback and Danmarks Statistik, which empties them."""
    at = _run(_app(USERS[EDITOR]))
    day = dt.date(2026, 12, 3)
    at.date_input(key="opd-plan-date").set_value(day).run()
    choice = next(iter(opdater.rollback_choices()))
    at.selectbox(key="opd-rollback-choice").set_value(choice).run()
    at.text_input(key="opd-rollback-note").input("Forkert fil").run()
    at.checkbox(key="opd-rollback-sure").check().run()
    at.slider(key="dst-years").set_value((2024, 2025)).run()
    at.text_input(key="dst-note").input("Regnskab 2025").run()
    assert not at.exception and not _forms_said(at), at.exception

    _away_and_back(at)
    assert at.date_input(key="opd-plan-date").value == day
    assert at.selectbox(key="opd-rollback-choice").value == choice
    assert at.text_input(key="opd-rollback-note").value == "Forkert fil"
    assert at.checkbox(key="opd-rollback-sure").value is False
    assert at.slider(key="dst-years").value == (2024, 2025)
    assert at.text_input(key="dst-note").value == "Regnskab 2025"
    assert _forms_said(at) == [fmt.md(opdater.form_notice("Hent og udgiv")), fmt.md(opdater.form_notice("Rul tilbage"))]

    _click(at, "opd-rollback-discard")
    _click(at, "dst-form-discard")
    assert not at.exception and not _forms_said(at), at.exception
    assert at.selectbox(key="opd-rollback-choice").value is None and at.text_input(key="opd-rollback-note").value == ""
    year = dt.date(2026, 11, 29).year
    assert at.slider(key="dst-years").value == (2016, year) and at.text_input(key="dst-note").value == ""
    _away_and_back(at)
    assert at.text_input(key="opd-rollback-note").value == "" and at.text_input(key="dst-note").value == ""
    assert at.date_input(key="opd-plan-date").value == day and (own_data / "CURRENT").read_text().strip() == "demo"


def test_a_saved_status_update_leaves_the_next_one_dated_today(own_data):
    """The editor dates a batch of status updates to an earlier day (the day the work was done) and saves it. The
    next batch, on the page at once or after she has left it and come back, is dated today again: the chosen day
    was kept after the save (her next update got the old date, or overwrote that day's line)."""
    at = _run(_app(USERS[EDITOR]))
    day = dt.date(2026, 11, 27)
    at.date_input(key="opd-plan-date").set_value(day).run()
    _edit_plan_note(at, "opd-plan-editor-0", "P1-03", "Til mødet")
    _click(at, "opd-plan-save")
    assert not at.exception and not at.error, ([e.value for e in at.error], [w.value for w in at.warning])
    sid = (own_data / "CURRENT").read_text().strip()
    assert sid != "demo"
    saved = _updates(own_data, sid)
    assert list(saved.loc[saved["note"] == "Til mødet", "update_date"]) == [day]
    today = dt.date.fromisoformat(os.environ["OVERBLIK_TODAY"])
    assert at.date_input(key="opd-plan-date").value == today
    _away_and_back(at)
    assert at.date_input(key="opd-plan-date").value == today
