"""The snapshot store on S3-compatible storage (OVERBLIK_DATA_URL=s3://...), against moto in server mode:
publish, read, rollback, the conditional switch of CURRENT between replicas, and a second replica
(another process with its own cache folder) that sees a publish on its next read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
import s3_helpers
import tiny

from overblik import db, storage, store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def endpoint():
    with s3_helpers.moto_server() as url:
        yield url


@pytest.fixture
def s3(endpoint, tmp_path, monkeypatch):
    """A fresh bucket; this process is replica 1 with its cache in tmp_path/cache1. Yields (url, s3 client)."""
    url = f"s3://{s3_helpers.new_bucket(endpoint)}/overblik"
    for k, v in s3_helpers.env(endpoint, url, tmp_path / "cache1").items():
        monkeypatch.setenv(k, v)
    monkeypatch.delenv("OVERBLIK_DATA_DIR", raising=False)
    db.clear()
    yield url, boto3.client("s3", **s3_helpers.client_args(endpoint))
    db.clear()


def _objects(client, url: str) -> set[str]:
    bucket, _, prefix = url.removeprefix("s3://").partition("/")
    listed = client.list_objects_v2(Bucket=bucket, Prefix=prefix + "/")
    return {o["Key"].removeprefix(prefix + "/") for o in listed.get("Contents", [])}


def _get(client, url: str, key: str) -> bytes:
    bucket, _, prefix = url.removeprefix("s3://").partition("/")
    return client.get_object(Bucket=bucket, Key=f"{prefix}/{key}")["Body"].read()


def replica(env: dict, code: str) -> str:
    """Run `code` in a fresh Python process (another replica) with env; returns its stdout."""
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return out.stdout.strip()


def _changed(name: str) -> dict:
    t = tiny.tables()
    t["municipalities"] = t["municipalities"].assign(name=["Aarhus", name])
    return t


def test_publish_writes_snapshot_and_current_to_s3_and_reads_back(s3, tmp_path):
    url, client = s3
    assert store.data_dir() == tmp_path / "cache1"
    with pytest.raises(store.StoreError, match="Ingen data"):
        store.current_id()
    sid = store.publish(tiny.tables(), tiny.meta(), note="første", based_on=None, by="a@kommune.dk")
    keys = _objects(client, url)
    assert _get(client, url, "CURRENT").decode().strip() == sid
    assert {f"snapshots/{sid}/manifest.json", *(f"snapshots/{sid}/{n}.parquet" for n in tiny.tables())} <= keys
    assert [k for k in keys if k.startswith("events/")] and "events.jsonl" not in keys
    doc = json.loads(_get(client, url, f"snapshots/{sid}/manifest.json"))
    assert doc["note"] == "første" and doc["published_by"] == "a@kommune.dk"
    assert store.current_id() == sid
    assert store.read_table("offers")["name"].tolist() == ["Bostedet"]
    assert [d["id"] for d in store.list_snapshots()] == [sid]
    ev = store.events()
    assert ev[["action", "id", "before", "by"]].values.tolist() == [["publish", sid, None, "a@kommune.dk"]]
    assert not (tmp_path / "cache1" / "CURRENT").exists()  # CURRENT lives only in S3


def test_a_fresh_replica_downloads_the_snapshot_and_db_reads_its_local_copy(s3, tmp_path):
    url, _ = s3
    sid = store.publish(tiny.tables(), tiny.meta(), based_on=None)
    env2 = s3_helpers.env(os.environ["AWS_ENDPOINT_URL"], url, tmp_path / "cache2")
    out = replica(
        env2,
        "from overblik import store, db; sid = store.current_id(); db.connection(sid); "
        "print(sid, db.connection(sid).cursor().execute('SELECT name FROM offers').fetchone()[0])",
    )
    assert out == f"{sid} Bostedet"
    local = tmp_path / "cache2" / "snapshots" / sid
    assert (local / "manifest.json").exists() and store.verify(sid, tmp_path / "cache2") == []


def test_a_publish_on_one_replica_is_seen_by_another_on_its_next_read(s3, tmp_path):
    url, _ = s3
    first = store.publish(tiny.tables(), tiny.meta(), based_on=None)
    assert store.current_id() == first  # replica 1 has read CURRENT (and would cache nothing else)
    db.connection(first)
    env2 = s3_helpers.env(os.environ["AWS_ENDPOINT_URL"], url, tmp_path / "cache2")
    code = (
        "import tiny; from overblik import store; "
        "t = tiny.tables(); t['municipalities'] = t['municipalities'].assign(name=['Aarhus', 'Randers 2']); "
        f"print(store.publish(t, tiny.meta(), based_on={first!r}, by='b@kommune.dk'))"
    )
    second = replica({**env2, "PYTHONPATH": str(ROOT / "tests")}, code)
    assert store.current_id() == second  # no restart, no cache to clear
    assert store.read_table("municipalities", second)["name"].tolist() == ["Aarhus", "Randers 2"]
    assert store.manifest(second)["parent"] == first
    assert store.events()["by"].tolist() == ["b@kommune.dk"]


def test_rollback_switches_current_back_and_is_logged(s3):
    a = store.publish(tiny.tables(), tiny.meta(), based_on=None)
    b = store.publish(_changed("Randers B"), tiny.meta(), based_on=a)
    store.rollback(a, by="ed@kommune.dk", note="fejl i B")
    assert store.current_id() == a
    ev = store.events()
    assert ev[["action", "id", "before", "by", "note"]].values.tolist()[0] == [
        "rollback",
        a,
        b,
        "ed@kommune.dk",
        "fejl i B",
    ]
    hist = store.snapshot_history()
    assert hist["id"].tolist() == [b, a] and hist["current"].tolist() == [False, True]
    with pytest.raises(store.StoreError, match="Ukendt snapshot-id"):
        store.rollback("20990101T000000000000Z")


def test_stale_publish_is_refused_before_anything_is_written(s3):
    url, client = s3
    a = store.publish(tiny.tables(), tiny.meta(), based_on=None)
    b = store.publish(_changed("Randers B"), tiny.meta(), based_on=a)
    before = _objects(client, url)
    with pytest.raises(store.Conflict, match="Data er blevet udgivet af en anden") as e:
        store.publish(_changed("Randers C"), tiny.meta(), based_on=a)
    assert b in str(e.value) and "Intet er udgivet" in str(e.value)
    assert _objects(client, url) == before and store.current_id() == b


def test_two_replicas_publishing_at_once_only_one_wins_by_the_conditional_write(s3, tmp_path):
    """Both read the same CURRENT (and its ETag) before either switches it: each replica's local lock
    cannot see the other, so only S3's If-Match decides. The loser gets the Danish Conflict and its
    uploaded snapshot is removed again."""
    url, client = s3
    a = store.publish(tiny.tables(), tiny.meta(), based_on=None)
    env2 = s3_helpers.env(os.environ["AWS_ENDPOINT_URL"], url, tmp_path / "cache2")
    other: dict[str, str] = {}

    def hook(step: str) -> None:
        # replica 1 has written and uploaded its snapshot but not yet switched CURRENT: replica 2 publishes now
        if step == "renamed" and not other:
            code = (
                "import tiny; from overblik import store; "
                "t = tiny.tables(); t['municipalities'] = t['municipalities'].assign(name=['Aarhus', 'Randers 2']); "
                f"print(store.publish(t, tiny.meta(), based_on={a!r}))"
            )
            other["sid"] = replica({**env2, "PYTHONPATH": str(ROOT / "tests")}, code)

    with pytest.raises(store.Conflict, match="Data er blevet udgivet af en anden") as e:
        store.publish(_changed("Randers 1"), tiny.meta(), based_on=a, hook=hook)
    winner = other["sid"]
    assert winner in str(e.value) and "Intet er udgivet" in str(e.value)
    assert store.current_id() == winner
    assert store.read_table("municipalities", winner)["name"].tolist() == ["Aarhus", "Randers 2"]
    assert sorted(d["id"] for d in store.list_snapshots()) == sorted([a, winner])  # the loser left nothing
    assert {k.split("/")[1] for k in _objects(client, url) if k.startswith("snapshots/")} == {a, winner}


def test_current_is_written_only_over_the_etag_it_was_read_with(s3):
    """The S3 primitive: If-Match on the ETag read before (If-None-Match for the first CURRENT). Concurrent
    writers are serialised by the storage (AWS S3, MinIO); moto checks the condition before it writes but
    does not promise that atomically, so the race itself is tested above with one writer between the other's
    read and write."""
    r = storage.remote()
    assert r is not None
    assert r.current() == (None, None)
    r.switch("a", None)
    with pytest.raises(storage.Lost):
        r.switch("b", None)  # CURRENT exists now: a second 'create' loses
    sid, etag = r.current()
    assert sid == "a"
    r.switch("b", etag)
    with pytest.raises(storage.Lost):
        r.switch("c", etag)  # stale ETag
    assert r.current()[0] == "b"


def test_previews_stay_local(s3, tmp_path):
    url, client = s3
    store.publish(tiny.tables(), tiny.meta(), based_on=None)
    before = _objects(client, url)
    pid = store.preview(_changed("Forhåndsvisning"), tiny.meta())
    assert (tmp_path / "cache1" / "snapshots" / pid / "manifest.json").exists()
    assert _objects(client, url) == before
    assert store.read_table("municipalities", pid)["name"].tolist() == ["Aarhus", "Forhåndsvisning"]
    store.drop_preview(pid)


def test_the_demo_command_publishes_to_s3(s3, tmp_path):
    url, _ = s3
    env2 = s3_helpers.env(os.environ["AWS_ENDPOINT_URL"], url, tmp_path / "cache2")
    replica(env2, "import sys; from overblik import cli; sys.exit(cli.main(['demo']))")
    assert store.current_id() == "demo"
    assert {d["id"] for d in store.list_snapshots()} == {"demo", "demo-2026-11-02"}
    assert store.verify("demo") == []


def test_a_bad_data_url_is_refused(monkeypatch):
    monkeypatch.setenv("OVERBLIK_DATA_URL", "https://example.invalid/x")
    with pytest.raises(ValueError, match="s3://bucket/prefix"):
        storage.remote()


def test_init_creates_the_bucket_copies_the_shipped_data_once_and_never_overwrites(endpoint, tmp_path, monkeypatch):
    url = "s3://overblik-init-test/prod"
    for k, v in s3_helpers.env(endpoint, url, tmp_path / "cache1").items():
        monkeypatch.setenv(k, v)
    assert "oprettet med snapshot demo" in storage.init(ROOT / "data")
    assert store.current_id() == "demo"
    assert {d["id"] for d in store.list_snapshots()} == {"demo", "demo-2026-11-02"}
    assert store.verify("demo") == [] and store.read_table("offers").shape[0] > 0
    store.rollback("demo-2026-11-02")
    assert "intet ændret" in storage.init(ROOT / "data")
    assert store.current_id() == "demo-2026-11-02"


def test_an_unreachable_store_is_a_store_error_not_a_crash(monkeypatch, tmp_path):
    from bench import servers

    closed = f"http://127.0.0.1:{servers.free_port()}"  # nothing listens there
    for k, v in s3_helpers.env(closed, "s3://overblik-nirgends/p", tmp_path / "c").items():
        monkeypatch.setenv(k, v)
    with pytest.raises(store.StoreError, match="kan ikke læses lige nu"):
        store.current_id()
