"""The snapshot store: atomic switch of CURRENT, reading, verification, immutability."""

import json
import os
import threading
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
        store.publish(tiny.tables(), tiny.meta(), sid="b", base=tmp_path, hook=crash)
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


# ---------------------------------------------------------------------------------------------
# Concurrency: one publish or rollback at a time, nothing lost, CURRENT always a valid id


def _changed_tables(name: str) -> dict:
    """tiny's tables with one municipality renamed: an edit we can find again."""
    t = tiny.tables()
    t["municipalities"] = t["municipalities"].assign(name=["Aarhus", name])
    return t


def test_two_publishes_at_the_same_moment_one_wins_the_other_is_told(tmp_path):
    base = tmp_path
    a = tiny.write(base, sid="a")
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def publisher(who: str):
        based_on = store.current_id(base)  # both read the same snapshot before either writes
        tables = _changed_tables(f"Randers {who}")
        barrier.wait()
        try:
            results[who] = store.publish(tables, tiny.meta(), note=who, based_on=based_on, base=base)
        except store.StoreError as e:
            results[who] = e

    threads = [threading.Thread(target=publisher, args=(w,)) for w in ("A", "B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    won = {w: r for w, r in results.items() if isinstance(r, str)}
    lost = {w: r for w, r in results.items() if not isinstance(r, str)}
    assert len(won) == 1 and len(lost) == 1, results
    (winner, sid), (loser, err) = next(iter(won.items())), next(iter(lost.items()))
    assert isinstance(err, store.Conflict)
    assert (
        "udgivet af en anden" in str(err)
        and "Intet er udgivet" in str(err)
        and store.names_apart([sid, a], base)[0] in str(err)
    )
    # the winner's edit is current and complete; the loser wrote nothing and knows it
    assert store.current_id(base) == sid and store.manifest(sid, base)["parent"] == a
    assert store.read_table("municipalities", sid, base)["name"].tolist() == ["Aarhus", f"Randers {winner}"]
    assert sorted(d["id"] for d in store.list_snapshots(base)) == sorted([a, sid])
    assert not [p.name for p in store.snapshots_dir(base).iterdir() if p.name.startswith(".")]
    # read again and retry: the loser's edit lands on top of the winner's
    again = store.publish(_changed_tables(f"Randers {loser}"), tiny.meta(), based_on=store.current_id(base), base=base)
    assert store.manifest(again, base)["parent"] == sid


def test_a_publish_waits_for_the_lock_then_fails_clearly(tmp_path, monkeypatch):
    tiny.write(tmp_path, sid="a")
    monkeypatch.setattr(store, "LOCK_WAIT", 0.0)
    with store.locked(tmp_path):  # someone else is publishing
        with pytest.raises(store.Busy, match="En anden udgivelse"):
            tiny.write(tmp_path, sid="b")
        with pytest.raises(store.Busy):
            store.rollback("a", tmp_path)
    assert store.current_id(tmp_path) == "a" and [d["id"] for d in store.list_snapshots(tmp_path)] == ["a"]
    assert tiny.write(tmp_path, sid="b") == "b"  # once released, publishing works


def test_current_switched_from_many_threads_is_always_a_valid_id(tmp_path):
    ids = [tiny.write(tmp_path, sid=f"s{i}") for i in range(4)]
    writers, readers, rounds = 8, 4, 25
    start = threading.Barrier(writers + readers)
    done = threading.Event()
    seen: list[str] = []
    errors: list[BaseException] = []

    def writer(i):
        try:
            start.wait()
            for r in range(rounds):
                store.set_current(ids[(i + r) % len(ids)], tmp_path)
        except BaseException as e:
            errors.append(e)

    def reader():
        start.wait()
        while not done.is_set():
            seen.append((tmp_path / "CURRENT").read_text(encoding="utf-8"))

    ws = [threading.Thread(target=writer, args=(i,)) for i in range(writers)]
    rs = [threading.Thread(target=reader) for _ in range(readers)]
    for t in ws + rs:
        t.start()
    for t in ws:
        t.join()
    done.set()
    for t in rs:
        t.join()
    assert not errors, errors
    assert seen and set(seen) <= {f"{i}\n" for i in ids}  # whole ids, never torn or empty
    assert store.current_id(tmp_path) in ids
    assert not list(tmp_path.glob(".CURRENT-*"))  # no temporary file left behind


def test_next_publish_removes_leftover_tmp_folders(tmp_path):
    tiny.write(tmp_path, sid="a")
    for name in (".tmp-20260101T000000000000Z", ".tmp-old-demo"):  # a killed publish, a killed demo swap
        (store.snapshots_dir(tmp_path) / name).mkdir()
        (store.snapshots_dir(tmp_path) / name / "offers.parquet").write_bytes(b"half")
    tiny.write(tmp_path, sid="b")
    assert sorted(p.name for p in store.snapshots_dir(tmp_path).iterdir()) == ["a", "b"]


# ---------------------------------------------------------------------------------------------
# Verification


def test_check_names_the_damage_without_server_paths(tmp_path):
    tiny.write(tmp_path, sid="a")
    store.check("a", tmp_path)  # complete: no error
    path = tmp_path / "snapshots" / "a" / "offers.parquet"
    path.write_bytes(path.read_bytes()[:-10])  # truncated
    (tmp_path / "snapshots" / "a" / "meetings.parquet").unlink()
    with pytest.raises(store.SnapshotDamaged) as info:
        store.check("a", tmp_path)
    e = info.value
    assert e.sid == "a" and e.problems == ["offers: kontrolsum passer ikke", "meetings: meetings.parquet mangler"]
    assert str(tmp_path) not in str(e) and "/" not in str(e)


def test_state_changes_with_every_publish_rollback_and_rewritten_manifest(tmp_path):
    """store.state() is what the cached snapshot list and history are keyed by: it must change whenever
    list_snapshots() or CURRENT would, and stay equal otherwise."""
    assert store.state(tmp_path) == ((), None)
    tiny.write(tmp_path, sid="a")
    one = store.state(tmp_path)
    assert [sid for sid, _ in one[0]] == ["a"] and one[1] == "a"
    assert store.state(tmp_path) == one
    tiny.write(tmp_path, sid="b")
    two = store.state(tmp_path)
    assert [sid for sid, _ in two[0]] == ["a", "b"] and two[1] == "b"
    store.rollback("a", tmp_path)
    assert store.state(tmp_path)[0] == two[0] and store.state(tmp_path)[1] == "a"
    # a manifest rewritten in place (as `overblik demo` does with its own snapshot) is a new state
    path = tmp_path / "snapshots" / "b" / store.MANIFEST
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["note"] = "skrevet igen"
    path.write_text(json.dumps(doc), encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    assert store.state(tmp_path)[0] != two[0]
    # folders that are no snapshot: a preview, an unfinished publish, a stray file
    (tmp_path / "snapshots" / (store.PREVIEW + "x")).mkdir()
    (tmp_path / "snapshots" / (store.PREVIEW + "x") / store.MANIFEST).write_text(json.dumps(doc), encoding="utf-8")
    (tmp_path / "snapshots" / ".tmp-x").mkdir()
    (tmp_path / "snapshots" / "half").mkdir()
    (tmp_path / "snapshots" / "README").write_text("x")
    assert [sid for sid, _ in store.state(tmp_path)[0]] == [d["id"] for d in store.list_snapshots(tmp_path)]


def test_snapshot_list_is_read_once_per_state_and_sees_a_publish(tmp_path, monkeypatch):
    from overblik import data, db

    monkeypatch.setenv("OVERBLIK_DATA_DIR", str(tmp_path))
    db.clear()
    tiny.write(tmp_path, sid="a")
    reads = []
    real = store.list_snapshots
    monkeypatch.setattr(store, "list_snapshots", lambda *a: reads.append(1) or real(*a))
    assert [r.sid for r in data.snapshots()] == ["a"]
    assert [r.sid for r in data.snapshots()] == ["a"] and len(reads) == 1
    tiny.write(tmp_path, sid="b")
    assert [r.sid for r in data.snapshots()] == ["a", "b"] and len(reads) == 2
    db.clear()
