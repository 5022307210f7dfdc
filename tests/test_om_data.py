"""Om data (AppTest): the tables of the current snapshot with source and rows against its manifest,
the workbook download and the snapshot history."""

import re
from pathlib import Path

from apptest_helpers import shown

PAGE = "pages/om-data.py"


def _table(at, column: str):
    """The one table on the page with the column `column`."""
    found = [shown(d) for d in at.dataframe if column in d.value.columns]
    assert len(found) == 1, f"one table with the column {column!r}"
    return found[0]


def test_om_data_lists_every_table_with_source_and_rows(app_test, data_dir):
    import json

    at = app_test(page=PAGE)
    sid = (data_dir / "CURRENT").read_text().strip()
    manifest = json.loads((data_dir / "snapshots" / sid / "manifest.json").read_text())
    table = _table(at, "Rækker")
    assert sorted(table["Navn"]) == sorted(manifest["tables"])
    for _, row in table.iterrows():
        entry = manifest["tables"][row["Navn"]]
        assert row["Rækker"] == entry["rows"]
        assert row["Kilde"] == entry["source"]
    real = set(table.loc[table["Datagrundlag"] == "Reelle data", "Navn"])
    assert {"municipalities", "central_notices", "target_groups", "agreements", "principles"} <= real


def test_om_data_offers_the_workbook_and_the_history(app_test, data_dir):
    at = app_test(page=PAGE)
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Hent som Excel" in labels
    history = _table(at, "Aktuelt")
    assert history.loc[history["Aktuelt"] != "", "Datasæt"].tolist() == ["Eksempeldata, 20. nov. 2026"]


def test_columns_per_table_are_drawn_when_opened(app_test, data_dir):
    import pyarrow.parquet as pq

    at = app_test(page=PAGE)
    boxes = [e for e in at.expander if e.label.endswith("(offers)")]
    assert len(boxes) == 1 and not boxes[0].children, "a closed expander sends nothing"
    tables = len(at.dataframe)
    at.session_state["om-kolonner-offers"] = True
    at.run()
    assert not at.exception and len(at.dataframe) == tables + 1
    box = next(e for e in at.expander if e.label.endswith("(offers)"))
    shown = box.get("dataframe")[0].value
    sid = (data_dir / "CURRENT").read_text().strip()
    parquet = pq.read_schema(data_dir / "snapshots" / sid / "offers.parquet")
    assert shown["Kolonne"].tolist() == [c for c in parquet.names if not c.startswith("__")]


def test_the_page_opens_no_file_and_runs_no_query():
    source = (Path(__file__).resolve().parent.parent / PAGE).read_text(encoding="utf-8")
    assert not re.search(r"\bopen\(|\bdb\.|\bdata\.|\bstore\.|\bingest\.|read_text|read_bytes", source)


def test_snapshot_history_follows_the_store_while_cached(data_dir, tmp_path, monkeypatch):
    """The history is cached per state of the store: a rollback (CURRENT moves) shows at once, even
    within one pinned page run."""
    import shutil

    from overblik import db, om_data, store

    copy = tmp_path / "data"
    shutil.copytree(data_dir, copy)
    monkeypatch.setenv("OVERBLIK_DATA_DIR", str(copy))
    sid = (copy / "CURRENT").read_text().strip()
    ids = sorted(p.name for p in (copy / "snapshots").iterdir() if (p / "manifest.json").exists())
    earlier = next(i for i in ids if i != sid)
    db.pin(sid)
    try:
        first = om_data.snapshot_history()
        names = {i: store.name_of(i, copy) for i in ids}  # the history names each by when it was published
        assert first.loc[first["Aktuelt"] != "", "Datasæt"].tolist() == [names[sid]]
        assert sorted(first["Datasæt"]) == sorted(names.values())
        store.rollback(earlier)
        after = om_data.snapshot_history()
        assert after.loc[after["Aktuelt"] != "", "Datasæt"].tolist() == [names[earlier]]
    finally:
        db.pin(None)


# --- who updated an initiative (initiative_updates.updated_by) is for editors only ----------------

WHO = "redaktoer@kommune.dk"


def _published_with_who(data) -> str:
    """A snapshot whose newest status line says who typed it, as a save on Opdater data writes it."""
    from overblik import schema, store

    sid = store.current_id()
    doc = store.manifest(sid)
    tables = store.read_tables(sid)
    updates = schema.coerce("initiative_updates", tables["initiative_updates"])
    updates.loc[len(updates) - 1, "updated_by"] = WHO
    tables["initiative_updates"] = updates
    meta = {n: store.TableMeta(e["provenance"], e["source"], e["data_date"]) for n, e in doc["tables"].items()}
    return store.publish(tables, meta, note="Opdateret", based_on=sid, by=WHO)


def _cells(raw: bytes) -> tuple[set, set]:
    """(every header, every cell value) of a workbook's table sheets (not Om and Kilder)."""
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True)
    headers, values = set(), set()
    for ws in wb.worksheets[2:]:
        rows = list(ws.iter_rows(values_only=True))
        headers |= set(rows[0])
        values |= {v for r in rows[1:] for v in r}
    return headers, values


def test_readers_never_get_who_updated(own_data, tmp_path):
    """Om data's workbook, the columns Om data lists and every table the pages read (db's views) leave
    updated_by out; the snapshot keeps it, and so do the editors' workbook and the command line's export."""
    import pyarrow.parquet as pq

    from overblik import cli, db, om_data, opdater, schema

    sid = _published_with_who(own_data)
    assert WHO in set(
        pq.read_table(own_data / "snapshots" / sid / "initiative_updates.parquet")["updated_by"].to_pylist()
    )
    db.pin(sid)
    try:
        headers, values = _cells(om_data.workbook_download().build())
        assert "updated_by" not in headers and WHO not in values and "initiative_id" in headers
        listed = {name: cols for name, _, _, cols in om_data.columns_overview()}
        assert "updated_by" not in set(listed["initiative_updates"]["Kolonne"])
        con = db.connection(sid)
        for name in schema.TABLES:
            view = con.execute(f"SELECT * FROM {db._ALL.get(name, name)}").df()
            assert "updated_by" not in view.columns and WHO not in set(view.astype(str).to_numpy().ravel()), name

        headers, values = _cells(opdater.workbook()[1]())  # Opdater data's, for editors only
        assert "updated_by" in headers and WHO in values
    finally:
        db.pin(None)
    out = tmp_path / "export.xlsx"
    assert cli.main(["export-workbook", str(out)]) == 0
    headers, values = _cells(out.read_bytes())
    assert "updated_by" in headers and WHO in values


def test_publishing_the_readers_workbook_keeps_who_updated(own_data, tmp_path):
    """The secretariat may publish a workbook downloaded from Om data (without updated_by): who typed each
    status line is kept from the current data, and the table does not count as changed."""
    from overblik import ingest, om_data, schema

    sid = _published_with_who(own_data)
    path = tmp_path / "fra-om-data.xlsx"
    path.write_bytes(om_data.workbook_download().build())
    plan = ingest.plan(path)
    assert plan.ok and plan.based_on == sid
    assert WHO in set(plan.frames["initiative_updates"]["updated_by"].dropna())
    assert plan.frames["initiative_updates"].equals(
        schema.coerce("initiative_updates", plan.current["initiative_updates"])
    )


def test_a_line_changed_through_the_readers_workbook_is_the_publishers(own_data, tmp_path, monkeypatch):
    """A status line the secretariat changes (or adds) in a workbook without updated_by is attributed to the editor
    who publishes it on Opdater data (blank from the command line, who is not known), not to the editor of the
    line it replaces; the lines it leaves as they are keep who updated them."""
    import io

    import openpyxl

    from overblik import auth, ingest, om_data, opdater, schema, store

    sid = _published_with_who(own_data)
    current = schema.coerce("initiative_updates", store.read_table("initiative_updates", sid))
    last = current.iloc[-1]
    wb = openpyxl.load_workbook(io.BytesIO(om_data.workbook_download().build()))
    ws = wb["initiative_updates"]
    cols = [c.value for c in ws[1]]
    ws.cell(ws.max_row, cols.index("note") + 1).value = "Rettet i Excel"  # the line WHO typed
    assert ws.cell(ws.max_row, 1).value == last["initiative_id"] and "updated_by" not in cols
    raw = io.BytesIO()
    wb.save(raw)

    publisher = "sekretariat@kommune.dk"
    monkeypatch.setattr(auth, "is_editor", lambda: True)
    monkeypatch.setattr(auth, "user", lambda: {"is_logged_in": True, "email": publisher})
    checked = opdater.check_upload("rettet.xlsx", raw.getvalue())
    assert checked.publishable, opdater.problems_table(checked)
    new = checked.plan.frames["initiative_updates"]
    assert new.iloc[-1]["note"] == "Rettet i Excel" and new.iloc[-1]["updated_by"] == publisher
    assert new.iloc[:-1]["updated_by"].equals(current.iloc[:-1]["updated_by"])  # the others keep theirs

    path = tmp_path / "rettet.xlsx"
    path.write_bytes(raw.getvalue())
    from_cli = ingest.plan(path).frames["initiative_updates"]  # the command line: who publishes is not known
    assert schema.missing(from_cli.iloc[-1]["updated_by"])
    assert WHO not in set(from_cli["updated_by"].dropna())
