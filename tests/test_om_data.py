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
    sid = (data_dir / "CURRENT").read_text().strip()
    assert history.loc[history["Aktuelt"] != "", "Datasæt"].tolist() == [sid]


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
        assert first.loc[first["Aktuelt"] != "", "Datasæt"].tolist() == [sid]
        assert sorted(first["Datasæt"]) == ids
        store.rollback(earlier)
        after = om_data.snapshot_history()
        assert after.loc[after["Aktuelt"] != "", "Datasæt"].tolist() == [earlier]
    finally:
        db.pin(None)
