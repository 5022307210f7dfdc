"""A snapshot published before a table or an optional column joined the contract still opens and its pages
render (e.g. after rolling back to it): the missing table is empty and the missing column is NULL."""

from __future__ import annotations

import hashlib
import json
import shutil

import pyarrow.parquet as pq
import pytest
from conftest import ROOT

from overblik import db


@pytest.fixture
def old_data(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns(".tmp-*"))
    folder = data / "snapshots" / "demo"
    doc = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    # as published before tillægsydelser and the rule's price basis existed
    (folder / doc["tables"].pop("extra_services")["file"]).unlink()
    agreements = folder / doc["tables"]["agreements"]["file"]
    pq.write_table(pq.read_table(agreements).drop(["rate_price_basis"]), agreements)
    doc["tables"]["agreements"]["sha256"] = hashlib.sha256(agreements.read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    monkeypatch.setenv("OVERBLIK_DATA_DIR", str(data))
    db.clear()
    yield data
    db.clear()


def test_missing_table_is_empty_and_missing_column_is_null(old_data):
    cur = db.connection().cursor()
    assert cur.execute("SELECT count(*) FROM extra_services").fetchone() == (0,)
    basis = cur.execute("SELECT DISTINCT rate_price_basis FROM agreements").fetchall()
    assert basis == [(None,)]
    assert cur.execute("SELECT count(*) FROM agreements").fetchone() == (5,)


@pytest.mark.parametrize("page", ["pages/overblik.py", "pages/udgifter.py"])
def test_pages_render_on_an_old_snapshot(old_data, app_test, page):
    at = app_test(None if page == "pages/overblik.py" else page)
    assert not at.exception, at.exception
    assert not [e.value for e in at.error], [e.value for e in at.error]
