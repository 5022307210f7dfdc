"""The snapshot store: atomic switch of CURRENT, reading, verification, immutability."""

import json
import os
from pathlib import Path

import pytest

import tiny
from overblik import store


def test_write_read_and_current(tmp_path):
    sid = tiny.write(tmp_path, note="første")
    assert store.current_id(tmp_path) == sid
    doc = store.manifest(base=tmp_path)
    assert doc["note"] == "første" and doc["parent"] is None
    assert doc["tables"]["offers"]["rows"] == 1
    assert doc["tables"]["offers"]["provenance"] == "illustrative"
    assert len(doc["tables"]["offers"]["sha256"]) == 64
    offers = store.read_table("offers", base=tmp_path)
    assert offers["name"].tolist() == ["Bostedet"]
    assert store.verify(sid, tmp_path) == []


def test_second_snapshot_records_parent_and_keeps_first(tmp_path):
    a = tiny.write(tmp_path, sid="a")
    before = {p.name: p.read_bytes() for p in (tmp_path / "snapshots" / "a").iterdir()}
    assert tiny.write(tmp_path, sid="b") == "b"
    assert store.current_id(tmp_path) == "b"
    assert store.manifest("b", tmp_path)["parent"] == a
    after = {p.name: p.read_bytes() for p in (tmp_path / "snapshots" / "a").iterdir()}
    assert before == after
    assert [d["id"] for d in store.list_snapshots(tmp_path)] == ["a", "b"]


def test_existing_snapshot_is_never_overwritten(tmp_path):
    tiny.write(tmp_path, sid="a")
    with pytest.raises(store.StoreError):
        tiny.write(tmp_path, sid="a")


@pytest.mark.parametrize("step", ["table:offers", "manifest", "renamed"])
def test_crash_during_write_leaves_current(tmp_path, step):
    tiny.write(tmp_path, sid="a")

    def crash(s):
        if s == step:
            raise KeyboardInterrupt(s)

    with pytest.raises(KeyboardInterrupt):
        store.write_snapshot(tiny.tables(), tiny.meta(), sid="b", base=tmp_path, hook=crash)
    assert store.current_id(tmp_path) == "a"
    assert store.verify("a", tmp_path) == []
    # a half-written snapshot is never listed
    assert [d["id"] for d in store.list_snapshots(tmp_path)] == (["a", "b"] if step == "renamed" else ["a"])


def test_current_is_replaced_atomically(tmp_path, monkeypatch):
    tiny.write(tmp_path, sid="a")
    tiny.write(tmp_path, sid="b", tables_=None)
    calls = []
    real = os.replace
    monkeypatch.setattr(os, "replace", lambda s, d: (calls.append((str(s), str(d))), real(s, d)))
    store.set_current("a", tmp_path)
    assert len(calls) == 1 and calls[0][1] == str(tmp_path / "CURRENT")
    tmp = Path(calls[0][0])
    assert tmp.parent == tmp_path and tmp.name.startswith(".CURRENT-")  # a unique name, never a fixed one
    assert (tmp_path / "CURRENT").read_text().strip() == "a"
    assert not tmp.exists() and not list(tmp_path.glob(".CURRENT-*"))


def test_incomplete_snapshot_cannot_become_current(tmp_path):
    tiny.write(tmp_path, sid="a")
    tiny.write(tmp_path, sid="b")
    (tmp_path / "snapshots" / "b" / "offers.parquet").write_bytes(b"broken")
    with pytest.raises(store.StoreError, match="kontrolsum"):
        store.set_current("b", tmp_path)
    assert store.current_id(tmp_path) == "b"  # unchanged: still what it was
    store.set_current("a", tmp_path)
    assert store.current_id(tmp_path) == "a"


def test_data_dir_honours_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("OVERBLIK_DATA_DIR", str(tmp_path))
    assert store.data_dir() == tmp_path
    with pytest.raises(store.StoreError, match="CURRENT"):
        store.current_id()


def test_bad_snapshot_id_is_refused(tmp_path):
    with pytest.raises(store.StoreError):
        store.snapshot_path("../etc", tmp_path)


def test_manifest_is_json_with_every_table(tmp_path):
    sid = tiny.write(tmp_path)
    doc = json.loads((tmp_path / "snapshots" / sid / "manifest.json").read_text())
    assert set(doc["tables"]) == set(tiny.tables())
    for entry in doc["tables"].values():
        assert {"rows", "sha256", "provenance", "source", "data_date", "file"} <= set(entry)
