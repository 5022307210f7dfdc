"""Opdater data's slice and the roles: the role rule, the server-side guard on every editor action
(called directly, as a callback would), and the actions' effects checked against the Parquet files."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pandas as pd
import pyarrow.parquet as pq
import pytest
from auth_helpers import EDITOR, EDITOR_ROLE, READER, ROLES, USERS

from overblik import auth, fmt, ingest, opdater, schema, store
from overblik import handlingsplan as hp


def _settings(**kw):
    r = {**ROLES, "readers_must_log_in": False, **kw}
    r["editors"] = [e.casefold() for e in r["editors"]]
    return r


def test_role_rule():
    s = _settings()
    assert auth.editor({"email": EDITOR.upper()}, s)  # the allow-list ignores case
    assert auth.editor({"preferred_username": EDITOR}, s)  # Entra ID without an email claim
    assert auth.editor({"email": "x@y.dk", "roles": [EDITOR_ROLE]}, s)
    assert auth.editor({"email": "x@y.dk", "roles": EDITOR_ROLE}, s)
    assert not auth.editor({"email": READER}, s)
    assert not auth.editor({"email": "x@y.dk", "roles": ["Overblik.Laeser"]}, s)
    assert not auth.editor({}, s)
    assert not auth.editor({"email": "x@y.dk", "roles": [EDITOR_ROLE]}, _settings(editor_claim=""))


@pytest.fixture
def data(own_data):
    """A private data folder for actions that publish."""
    return own_data


@pytest.fixture
def as_editor(monkeypatch):
    monkeypatch.setattr(auth, "is_editor", lambda: True)
    monkeypatch.setattr(auth, "user", lambda: {"is_logged_in": True, **USERS[EDITOR]})


def _table(data, name, sid=None):
    sid = sid or (data / "CURRENT").read_text().strip()
    return pq.read_table(data / "snapshots" / sid / f"{name}.parquet").to_pandas()


def _workbook(data, tmp_path) -> tuple[str, bytes]:
    return "data.xlsx", ingest.workbook_bytes(base=data)


def test_every_action_refuses_a_non_editor(data, tmp_path):
    """Outside a logged-in editor's session (a reader's, an anonymous one, a callback called directly)
    every action raises NotEditor and nothing is written."""
    name, raw = _workbook(data, tmp_path)
    before = sorted(p.name for p in (data / "snapshots").iterdir())
    plan = ingest.plan(ingest.save_upload(name, raw, tmp_path), base=data)
    checked = opdater.Checked(name, plan)
    today = dt.date(2026, 11, 29)
    original = pd.DataFrame(columns=opdater.EDIT_COLUMNS)
    calls = [
        lambda: opdater.check_upload(name, raw),
        lambda: opdater.headline_changes(plan),
        lambda: opdater.publish(checked, "note"),
        lambda: opdater.rollback("demo", "note"),
        lambda: opdater.save_initiatives(original, original, today, "demo"),
        lambda: opdater.add_initiative("P1", "T", "O", today, today, "", "ikke startet", today, "demo"),
        lambda: opdater.save_meetings(pd.DataFrame(columns=["meeting_date", "body", "title"]), "demo"),
    ]
    for call in calls:
        with pytest.raises(auth.NotEditor, match="kræver login som redaktør"):
            call()
    assert sorted(p.name for p in (data / "snapshots").iterdir()) == before
    assert (data / "CURRENT").read_text().strip() == "demo" and not (data / "events.jsonl").exists()


def test_upload_problems_and_hints(data, tmp_path, as_editor):
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(ingest.workbook_bytes(base=data)))
    ws = wb["meetings"]
    ws.cell(2, [c.value for c in ws[1]].index("body") + 1).value = "Byrådet"
    buf = io.BytesIO()
    wb.save(buf)
    checked = opdater.check_upload("fejl.xlsx", buf.getvalue())
    assert checked.errors == 1 and not checked.publishable
    t = opdater.problems_table(checked)
    row = t[t["Alvor"] == "Fejl"].iloc[0]
    assert (row["Ark"], row["Række"], row["Kolonne"], row["Værdi"]) == ("meetings", 2, "body", "Byrådet")
    assert row["Sådan retter du"].startswith("Vælg en af de tilladte værdier")
    with pytest.raises(opdater.Refused):
        opdater.publish(checked, "note")
    bad = opdater.check_upload("noget.pdf", b"%PDF")
    assert bad.unreadable and opdater.problems_table(bad).iloc[0]["Alvor"] == "Fejl"


@pytest.mark.parametrize(
    "name, raw, says",
    [
        ("gammel.xls", b"\xd0\xcf\x11\xe0 old Excel", "Gem som > Excel-projektmappe (.xlsx)"),
        ("omdøbt.xlsx", b"\xd0\xcf\x11\xe0 old Excel", "ikke en .xlsx-projektmappe, selv om den hedder sådan"),
        ("tom.xlsx", b"", "er tom (0 byte)"),
        ("stor.xlsx", b"x" * (opdater.UPLOAD_LIMIT_MB * 1_000_000 + 1), f"højst {opdater.UPLOAD_LIMIT_MB} MB"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_in_danish(as_editor, name, raw, says):
    # the uploader no longer refuses by type or size in the browser (in English, leaving the previous file's
    # result on screen): the check does, in Danish, naming what to do
    checked = opdater.check_upload(name, raw)
    assert checked.unreadable and not checked.publishable
    row = opdater.problems_table(checked).iloc[0]
    assert says in row["Regel"] or says in str(row.get("Sådan retter du", "")), row.to_dict()
    assert "zip" not in row["Regel"] and "File" not in row["Regel"]


def test_zip_of_csv_files_and_changes_per_table(data, tmp_path, as_editor):
    meetings = _table(data, "meetings")
    extra = pd.DataFrame([{"meeting_date": "2027-03-04", "body": "KKR", "title": "KKR-møde marts"}])
    csv = pd.concat([meetings.astype(str), extra]).to_csv(sep=";", index=False)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("data/meetings.csv", csv)
    checked = opdater.check_upload("moeder.zip", buf.getvalue())
    assert checked.publishable, opdater.problems_table(checked)
    changes = opdater.table_changes(checked.plan)
    assert changes[["Tabel", "Nye rækker", "Ændrede rækker", "Fjernede rækker"]].values.tolist() == [["Møder", 1, 0, 0]]
    assert "ny: 4. mar. 2027 / KKR" in changes.iloc[0]["Eksempler"]
    heads = opdater.headline_changes(checked.plan)
    assert len(heads) == 8 and not [p for p in (data / "snapshots").iterdir() if p.name.startswith("preview-")]
    with pytest.raises(opdater.Refused, match="bemærkning"):
        opdater.publish(checked, "  ")
    sid = opdater.publish(checked, "Nyt KKR-møde")
    assert len(_table(data, "meetings", sid)) == len(meetings) + 1
    doc = json.loads((data / "snapshots" / sid / "manifest.json").read_text())
    assert doc["published_by"] == EDITOR and doc["note"] == "Nyt KKR-møde"
    h = opdater.history()
    assert h.iloc[0]["Af"] == EDITOR and h.iloc[0]["Ændrede tabeller"] == "Møder"
    # a second editor who checked against the old snapshot is refused, nothing written
    with pytest.raises(store.Conflict):
        opdater.publish(checked, "igen")
    # rollback, recorded with who and the note
    opdater.rollback("demo", "Forkert")
    assert (data / "CURRENT").read_text().strip() == "demo"
    e = opdater.events()
    assert e["Handling"].tolist() == ["Rullet tilbage", "Udgivet"] and e.iloc[0]["Bemærkning"] == "Forkert"


def test_action_plan_updates_are_appended(data, as_editor):
    day = dt.date(2026, 11, 29)
    updates = _table(data, "initiative_updates")
    original = opdater.initiatives_for_editing(day)
    edited = original.copy()
    edited.loc[0, "status"] = "risiko" if original.loc[0, "status"] != "risiko" else "forsinket"
    edited.loc[1, "note"] = "Ny bemærkning <b>fed</b>"
    sid = opdater.save_initiatives(edited, original, dt.date(2026, 11, 30), "demo")
    after = _table(data, "initiative_updates", sid)
    assert len(after) == len(updates) + 2
    # every earlier row is still there, unchanged
    old = schema.coerce("initiative_updates", updates)
    assert schema.coerce("initiative_updates", after).head(len(updates)).equals(old)
    new = after.tail(2)
    assert set(new["initiative_id"]) == {original.loc[0, "initiative_id"], original.loc[1, "initiative_id"]}
    assert "Ny bemærkning <b>fed</b>" in set(new["note"])
    assert set(new["updated_by"]) == {EDITOR} and after.head(len(updates))["updated_by"].isna().all()
    # the Handlingsplan page's status history shows the new line, but not who typed it: readers see it
    shown = hp.history_table(hp.history(original.loc[0, "initiative_id"], dt.date(2026, 11, 30)))
    assert shown["Opdateret"].iloc[0] == fmt.date(dt.date(2026, 11, 30))
    assert "Opdateret af" not in shown.columns and EDITOR not in shown.to_string()
    assert json.loads((data / "snapshots" / sid / "manifest.json").read_text())["published_by"] == EDITOR
    # the same date again corrects that day's line (earlier days' lines untouched; the old one is in `sid`)
    edited2 = opdater.initiatives_for_editing(dt.date(2026, 11, 30))
    changed = edited2.copy()
    changed.loc[0, "progress_pct"] = 99.0
    sid3 = opdater.save_initiatives(changed, edited2, dt.date(2026, 11, 30), sid)
    fixed = _table(data, "initiative_updates", sid3)
    assert len(fixed) == len(after)
    mine = fixed[(fixed["initiative_id"] == changed.loc[0, "initiative_id"])]
    that_day = mine[pd.to_datetime(mine["update_date"]).dt.date == dt.date(2026, 11, 30)]
    assert that_day["progress_pct"].tolist() == [99.0]
    assert schema.coerce("initiative_updates", fixed).head(len(updates)).equals(old)
    # a date before an initiative's newest line is refused: the update would never be shown
    edited3 = opdater.initiatives_for_editing(dt.date(2026, 11, 30))
    back = edited3.copy()
    back.loc[0, "progress_pct"] = 98.0
    newest = (
        pd.to_datetime(mine["update_date"]).dt.date[lambda d: d <= dt.date(2026, 11, 29)].max()
    )  # the line shown today (29 Nov)
    with pytest.raises(opdater.Refused, match=rf"har en nyere statuslinje \({newest.day}\. nov\. 2026\)"):
        opdater.save_initiatives(back, edited3, newest - dt.timedelta(days=4), sid3)
    assert opdater.save_initiatives(original, original, day, sid3) is None


def test_new_initiative_and_meetings(data, as_editor):
    day = dt.date(2026, 11, 29)
    ids = _table(data, "initiatives")["initiative_id"]
    n_p2 = ids.str.startswith("P2-").sum()
    expected = f"P2-{max(int(i[3:]) for i in ids if i.startswith('P2-')) + 1:02d}"
    new_id, sid = opdater.add_initiative(
        "P2", "Fælles kompetencecenter", "DASSOS", day, dt.date(2027, 12, 31), "", "ikke startet", day, "demo"
    )
    inits = _table(data, "initiatives", sid)
    assert new_id == expected
    assert (inits["principle_id"] == "P2").sum() == n_p2 + 1 and new_id in set(inits["initiative_id"])
    ups = _table(data, "initiative_updates", sid)
    assert ups.loc[ups["initiative_id"] == new_id, "updated_by"].tolist() == [EDITOR]

    m = opdater.meetings_for_editing()
    m2 = pd.concat(
        [m, pd.DataFrame([{"meeting_date": dt.date(2027, 2, 1), "body": "DASSOS", "title": "DASSOS februar"}])],
        ignore_index=True,
    )
    sid2 = opdater.save_meetings(m2, sid)
    assert len(_table(data, "meetings", sid2)) == len(m) + 1
    bad = m2.copy()
    bad.loc[0, "body"] = "Byråd"
    with pytest.raises(opdater.Refused, match="Intet er udgivet"):
        opdater.save_meetings(bad, sid2)
    assert opdater.save_meetings(opdater.meetings_for_editing(), sid2) is None
    # a new row without a title is named, not dropped ("Ingen ændringer at gemme" before)
    m3 = opdater.meetings_for_editing()
    m3 = pd.concat(
        [m3, pd.DataFrame([{"meeting_date": dt.date(2026, 11, 26), "body": "DASSOS", "title": None}])],
        ignore_index=True,
    )
    with pytest.raises(opdater.Refused, match=rf"Mødet i række {len(m3)} \(26\. nov\. 2026\) mangler titel\."):
        opdater.save_meetings(m3, sid2)


def test_a_table_meant_to_be_empty(data, as_editor):
    """An empty sheet is refused unless the editor names the table in "Tabeller, der skal være tomme"
    (the CLI's --tom); then publishing empties it."""
    import openpyxl

    n = len(_table(data, "extra_services"))
    wb = openpyxl.load_workbook(io.BytesIO(ingest.workbook_bytes(base=data)))
    wb["extra_services"].delete_rows(2, wb["extra_services"].max_row)
    buf = io.BytesIO()
    wb.save(buf)
    refused = opdater.check_upload("tom.xlsx", buf.getvalue())
    assert refused.errors == 1 and not refused.publishable
    row = opdater.problems_table(refused).iloc[0]
    assert (row["Ark"], row["Regel"]) == ("extra_services", "tabellen er tom")
    assert "Tabeller, der skal være tomme" in row["Sådan retter du"]
    assert "extra_services" in opdater.empty_choices()
    checked = opdater.check_upload("tom.xlsx", buf.getvalue(), allow_empty=["extra_services"])
    assert checked.publishable, opdater.problems_table(checked)
    changes = opdater.table_changes(checked.plan)
    assert changes[["Nye rækker", "Ændrede rækker", "Fjernede rækker"]].values.tolist() == [[0, 0, n]]
    sid = opdater.publish(checked, "Ydelserne udgår")
    assert len(_table(data, "extra_services", sid)) == 0


def test_a_workbook_from_an_older_dataset_is_said(data, tmp_path, as_editor, capsys):
    """The workbook names the dataset it came from; uploaded after the plan was saved on the page, the check
    warns that the file's sheets replace what was published since (the changes list the removed rows)."""
    import openpyxl

    from overblik import cli

    raw = ingest.workbook_bytes(base=data)
    path = tmp_path / "gammel.xlsx"
    wb = openpyxl.load_workbook(io.BytesIO(raw))  # edited and saved again, as in Excel
    wb.save(path)
    assert ingest.workbook_snapshot(path) == "demo"
    assert opdater.check_upload("gammel.xlsx", path.read_bytes()).plan.stale is None  # demo is current

    original = opdater.initiatives_for_editing()
    edited = original.copy()
    edited.loc[0, "progress_pct"] = 7.0
    sid = opdater.save_initiatives(edited, original, dt.date(2026, 11, 30), "demo")
    stale = opdater.check_upload("gammel.xlsx", path.read_bytes()).plan.stale
    assert stale and stale.source == "demo" and [d["id"] for d in stale.since] == [sid]
    # the publish is named by date, person and note, and what the file would change back is said in words
    text = stale.message()
    assert "Projektmappen er hentet, før de seneste udgivelser blev lavet" in text and sid not in text
    assert f", {EDITOR}: Handlingsplan opdateret 30. nov. 2026" in text  # store.dataset_name, the one rule
    assert "1 statusopdatering, udgivet efter at projektmappen blev hentet, slettes" in text
    # a workbook of the current data: no warning; another workbook (no such property): none either
    fresh = tmp_path / "ny.xlsx"
    fresh.write_bytes(ingest.workbook_bytes(base=data))
    assert opdater.check_upload("ny.xlsx", fresh.read_bytes()).plan.stale is None
    # the command line says it too
    assert cli.main(["validate", str(path)]) == 0
    assert "Advarsel: Projektmappen er hentet, før de seneste udgivelser blev lavet" in capsys.readouterr().out


def test_values_and_changes_are_shown_in_danish(data, as_editor):
    """The problem's value and the change examples read as the secretariat writes: 0,955 and 2.840,5, the
    column's Danish name (they showed 0.955, 'rate_dkk_per_day 2840.0 → 2840.5')."""
    import openpyxl

    raw = ingest.workbook_bytes(base=data)
    wb = openpyxl.load_workbook(io.BytesIO(raw))
    ws = wb["offer_years"]
    head = [c.value for c in ws[1]]
    ws.cell(2, head.index("occupancy_pct") + 1).value = 0.955
    buf = io.BytesIO()
    wb.save(buf)
    bad = opdater.problems_table(opdater.check_upload("fejl.xlsx", buf.getvalue()))
    assert "0,955" in set(bad["Værdi"])

    wb = openpyxl.load_workbook(io.BytesIO(raw))
    ws = wb["offer_years"]
    rate = ws.cell(2, head.index("rate_dkk_per_day") + 1)
    old = float(rate.value)
    rate.value = old + 1000.5
    buf = io.BytesIO()
    wb.save(buf)
    changes = opdater.table_changes(opdater.check_upload("ok.xlsx", buf.getvalue()).plan)
    text = " ".join(changes["Eksempler"])
    assert f"Takst, kr. pr. døgn/dag {fmt.number(old, 2 if old % 1 else 0)} → {fmt.number(old + 1000.5, 1)}" in text
    assert "rate_dkk_per_day" not in text


def test_dates_in_the_change_examples_are_danish(data, as_editor):
    """Dates in the change examples read as everywhere else on the page ('10. dec. 2027', a partial date at its
    precision: 'apr. 2018'), in a row's key and in a changed value alike (they showed '2027-03-04 / KKR',
    'Frist 2026-12-31 → 2027-12-10'). The demo data's values, hand-read: P1-01's deadline 2026-12-31,
    CU-2015-1's latest decision 2018-03-19."""
    import re

    import openpyxl

    assert _table(data, "initiatives").set_index("initiative_id").loc["P1-01", "deadline"] == dt.date(2026, 12, 31)
    assert _table(data, "central_notices").set_index("notice_id").loc["CU-2015-1", "decision_date"] == "2018-03-19"
    wb = openpyxl.load_workbook(io.BytesIO(ingest.workbook_bytes(base=data)))

    def cell(sheet: str, key: str, column: str):
        ws = wb[sheet]
        head = [c.value for c in ws[1]]
        row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == key)
        return ws.cell(row, head.index(column) + 1)

    cell("initiatives", "P1-01", "deadline").value = "2027-12-10"
    cell("central_notices", "CU-2015-1", "decision_date").value = "2018-04"
    wb["meetings"].append(["2027-03-04", "KKR", "KKR-møde marts"])
    buf = io.BytesIO()
    wb.save(buf)
    checked = opdater.check_upload("datoer.xlsx", buf.getvalue())
    assert checked.publishable, opdater.problems_table(checked)
    examples = opdater.table_changes(checked.plan).set_index("Tabel")["Eksempler"]
    assert examples["Initiativer"] == "ændret: P1-01 (Frist 31. dec. 2026 → 10. dec. 2027)"
    assert (
        examples["Centrale udmeldinger"] == "ændret: CU-2015-1 (Seneste beslutning/hændelse 19. mar. 2018 → apr. 2018)"
    )
    assert examples["Møder"] == "ny: 4. mar. 2027 / KKR"
    assert not [e for e in examples if re.search(r"\d{4}-\d{2}", e)], list(examples)


def test_an_empty_looking_cell_explains_formulas_and_merged_cells(data, as_editor):
    # a formula without a stored result has its own rule (it read as empty before); the lower cells of a
    # merge still read as empty, and the hint for a missing value names merged cells
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(ingest.workbook_bytes(base=data)))
    ws = wb["meetings"]
    ws.cell(2, [c.value for c in ws[1]].index("title") + 1).value = "=A1&B1"  # openpyxl stores no result
    buf = io.BytesIO()
    wb.save(buf)
    t = opdater.problems_table(opdater.check_upload("formel.xlsx", buf.getvalue()))
    row = t[t["Alvor"] == "Fejl"].iloc[0]
    assert (row["Ark"], row["Række"], row["Kolonne"], row["Værdi"]) == ("meetings", 2, "title", "=A1&B1")
    assert row["Regel"] == schema.UNSAVED_FORMULA
    assert row["Sådan retter du"].startswith("Åbn filen i Excel, og gem den igen")
    assert "flettet celle" in opdater.hint("påkrævet værdi mangler")


def test_a_status_change_alone_is_not_a_new_note(data, as_editor):
    # changing only the status copied the old note into the new line, so it counted as a new note since the
    # meeting; the line now has no note, and the initiative still shows its latest note
    day = dt.date(2026, 11, 29)
    meeting = dt.date(2026, 11, 12)
    original = opdater.initiatives_for_editing(day)
    i = original.index[original["note"] != ""][0]
    notes_before = len(hp.notes_since(meeting, day))
    edited = original.copy()
    edited.loc[i, "status"] = "forsinket" if original.loc[i, "status"] != "forsinket" else "risiko"
    sid = opdater.save_initiatives(edited, original, day, "demo")
    ups = _table(data, "initiative_updates", sid)
    mine = ups[ups["initiative_id"] == original.loc[i, "initiative_id"]]
    assert mine[pd.to_datetime(mine["update_date"]).dt.date == day]["note"].isna().all()
    assert len(hp.notes_since(meeting, day)) == notes_before
    now = hp.initiatives(day).set_index("initiative_id").loc[original.loc[i, "initiative_id"]]
    assert now["status"] == edited.loc[i, "status"] and now["note"] == original.loc[i, "note"]


def test_a_price_index_without_the_budget_year_is_a_warning_with_advice(data, as_editor):
    # the demo has budgets through 2027 and an index through 2027: leave 2027 out of the index
    pi = _table(data, "price_index")
    pi = pi[pi["year"] != 2027]
    raw = pi.to_csv(sep=";", index=False, decimal=",").encode()
    checked = opdater.check_upload("price_index.csv", raw)
    assert checked.errors == 0 and checked.publishable and checked.warnings == 1
    row = opdater.problems_table(checked).iloc[0]
    assert (row["Alvor"], row["Ark"], row["Kolonne"]) == ("Advarsel", "price_index.csv", "year")
    assert row["Regel"] == (
        "Udgifter for 2027 (budget) har intet prisindeks i price_index; året vises ikke i faste priser, "
        "før indekset er tilføjet."
    )
    assert row["Sådan retter du"].startswith("Tilføj året i arket price_index")


def test_a_save_over_a_changed_table_says_who_changed_it(data, as_editor):
    """A save of the meetings started from `demo` is refused once the meetings were changed since: the message
    names the other editor who published the change, "dig" for the editor's own, and no one after a rollback
    (the snapshots no longer tell); a change to another table only (the plan) does not stop it."""
    day = dt.date(2026, 11, 29)
    mine = opdater.meetings_for_editing("demo")
    mine.loc[0, "title"] = "Min titel"
    tables = store.read_tables("demo")
    doc = store.manifest("demo")
    meta = {n: store.TableMeta(e["provenance"], e["source"], e["data_date"]) for n, e in doc["tables"].items()}
    theirs = schema.coerce("meetings", tables["meetings"])
    theirs.loc[0, "title"] = "B's titel"
    b = store.publish({**tables, "meetings": theirs}, meta, note="B", based_on="demo", by="b@kommune.dk")
    with pytest.raises(store.Conflict, match=r"^Møder er ændret af b@kommune\.dk i datasæt [^,]+, siden du begyndte"):
        opdater.save_meetings(mine, "demo")
    edited = opdater.initiatives_for_editing(day, sid=b)
    own = edited.copy()
    own.loc[0, "note"] = "Egen note"
    plan = opdater.save_initiatives(own, edited, day, b)  # the editor's own plan save: meetings untouched
    with pytest.raises(store.Conflict, match=r"^Møder er ændret af b@kommune\.dk i datasæt"):
        opdater.save_meetings(mine, "demo")
    ours = opdater.meetings_for_editing(plan)
    ours.loc[1, "title"] = "Egen titel"
    mine_sid = opdater.save_meetings(ours, plan)
    with pytest.raises(store.Conflict, match=r"^Møder er ændret af b@kommune\.dk og dig i datasæt .+ og .+, siden du"):
        opdater.save_meetings(mine, "demo")
    with pytest.raises(store.Conflict, match=r"^Du har selv ændret Møder i datasæt .+, siden du begyndte"):
        opdater.save_meetings(mine, plan)
    store.rollback(b)  # back to B's meetings: a table started from mine_sid no longer leads back to it
    with pytest.raises(
        store.Conflict, match=r"^Møder er ændret i et datasæt, der er udgivet, siden du begyndte at rette"
    ):
        opdater.save_meetings(mine, mine_sid)
    assert (data / "CURRENT").read_text().strip() == b


def _stale_setup(data, tmp_path):
    """The QA walk-through: a workbook is downloaded; then a status change is saved on Handlingsplan and a new
    meeting on Møder. Returns (path of the earlier workbook, the current snapshot)."""
    import openpyxl

    path = tmp_path / "edit2.xlsx"
    openpyxl.load_workbook(io.BytesIO(ingest.workbook_bytes(base=data))).save(path)
    original = opdater.initiatives_for_editing()
    edited = original.copy()
    edited.loc[edited["initiative_id"] == "P1-02", "note"] = "Rettet på siden"
    sid = opdater.save_initiatives(edited, original, dt.date(2026, 11, 29), "demo")
    m = opdater.meetings_for_editing(sid)
    new = pd.DataFrame([{"meeting_date": dt.date(2026, 12, 10), "body": "DASSOS", "title": "DASSOS december"}])
    sid = opdater.save_meetings(pd.concat([m, new], ignore_index=True), sid)
    return path, sid


def test_a_stale_workbook_that_deletes_newer_rows_needs_an_explicit_yes(data, tmp_path, as_editor):
    """Publishing the earlier workbook would delete the status line and the meeting published after it was
    downloaded: the warning says so in words, and the publish is refused unless the editor said yes."""
    path, sid = _stale_setup(data, tmp_path)
    checked = opdater.check_upload("edit2.xlsx", path.read_bytes())
    stale = checked.plan.stale
    assert stale.needs_consent
    assert stale.lost == {
        "initiative_updates": ([("P1-02", dt.date(2026, 11, 29))], []),
        "meetings": ([(dt.date(2026, 12, 10), "DASSOS")], []),
    }
    text = stale.message()
    assert (
        "Udgiver du filen, 1 statusopdatering og 1 møde, udgivet efter at projektmappen blev hentet, slettes "
        "(P1-02 29. nov. 2026; 10. dec. 2026 DASSOS)." in text
    )
    assert "Hent en ny projektmappe og ret i den" in text and sid not in text
    with pytest.raises(opdater.Refused, match=r"Intet er udgivet\. Projektmappen er hentet"):
        opdater.publish(checked, "Gammel fil")
    assert (data / "CURRENT").read_text().strip() == sid
    new = opdater.publish(checked, "Gammel fil", replace=True)
    assert (data / "CURRENT").read_text().strip() == new
    assert len(_table(data, "meetings", new)) == len(_table(data, "meetings", sid)) - 1


def test_a_stale_workbook_that_keeps_newer_rows_is_published(data, tmp_path, as_editor):
    """The earlier workbook with the newer rows typed in as well deletes nothing: no yes is needed."""
    import openpyxl

    path, _ = _stale_setup(data, tmp_path)
    wb = openpyxl.load_workbook(path)
    wb["meetings"].append([dt.date(2026, 12, 10), "DASSOS", "DASSOS december"])
    wb.remove(wb["initiative_updates"])  # the sheet left out: the current table is carried over
    wb.save(path)
    checked = opdater.check_upload("edit2.xlsx", path.read_bytes())
    assert checked.plan.stale and not checked.plan.stale.needs_consent, checked.plan.stale.lost
    assert "Filen ændrer intet af det, der er udgivet siden" in checked.plan.stale.message()
    assert opdater.publish(checked, "Gammel fil, men komplet")


def test_the_command_line_refuses_a_stale_workbook_without_erstat(data, tmp_path, as_editor, capsys):
    from overblik import cli

    path, sid = _stale_setup(data, tmp_path)
    assert cli.main(["publish", str(path), "--note", "Gammel fil"]) == 1
    err = capsys.readouterr().err
    assert "Intet er udgivet." in err and "1 statusopdatering og 1 møde, udgivet efter" in err and "--erstat" in err
    assert (data / "CURRENT").read_text().strip() == sid
    assert cli.main(["publish", str(path), "--note", "Gammel fil", "--erstat"]) == 0
    assert (data / "CURRENT").read_text().strip() != sid


def test_large_rate_changes_are_one_warning_kind_with_a_hint():
    """Two offers whose rates more than halve (T1 7.387 -> 3.105: -58 %; T2 4.000 -> 1.000: 1000 / 4000 - 1 =
    -75 %): each row names its own numbers; the summary counts them as one rule (2, first row 3) with its hint."""
    import tiny

    t = tiny.tables()
    base = t["offer_years"].iloc[0].to_dict()
    t["offer_years"] = pd.DataFrame(
        [
            {**base, "offer_id": o, "year": y, "rate_dkk_per_day": r}
            for o, y, r in [("T1", 2025, 7387.0), ("T1", 2026, 3105.0), ("T2", 2025, 4000.0), ("T2", 2026, 1000.0)]
        ]
    )
    t["offers"] = pd.concat([t["offers"], t["offers"].assign(offer_id="T2")], ignore_index=True)
    origins = {"offer_years": schema.Origin(file="data.xlsx", sheet="offer_years")}
    checked = opdater.Checked("data.xlsx", ingest.Plan(None, schema.validate(t, origins)))
    table = opdater.problems_table(checked)
    assert table[["Alvor", "Ark", "Række", "Kolonne", "Værdi"]].values.tolist() == [
        ["Advarsel", "offer_years", 3, "rate_dkk_per_day", "3.105"],
        ["Advarsel", "offer_years", 5, "rate_dkk_per_day", "1.000"],
    ]
    assert table["Regel"][1].startswith("takst ændret −75 % fra 2025 (4.000) til 2026 (1.000) for tilbud T2; ")
    assert table["Sådan retter du"][0].startswith("Sammenlign med tilbuddets takstblad")
    summary = opdater.problems_summary(checked)
    assert summary[["Alvor", "Regel", "Antal", "Første række"]].values.tolist() == [
        [
            "Advarsel",
            "takst ændret …; kontrollér tallet (dashboardets egen kontrol af ændringer over 25 %, ikke en regel i "
            "rammeaftalen)",
            2,
            3,
        ]
    ]
