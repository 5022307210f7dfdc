"""Snapshot store: data/snapshots/<id>/<table>.parquet + manifest.json, and data/CURRENT.

A snapshot is written to a temporary folder, fsynced and renamed into place; only then does CURRENT
move, by writing a temporary file, fsyncing it and os.replace()-ing it over the old one. A published
snapshot is never edited or deleted. A crash at any point leaves CURRENT naming a complete snapshot.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from overblik import schema

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = "manifest.json"


class StoreError(RuntimeError):
    pass


def data_dir() -> Path:
    """The data folder: $OVERBLIK_DATA_DIR, or data/ beside the package."""
    return Path(os.environ.get("OVERBLIK_DATA_DIR") or ROOT / "data")


def snapshots_dir(base: Path | None = None) -> Path:
    return (base or data_dir()) / "snapshots"


def current_id(base: Path | None = None) -> str:
    path = (base or data_dir()) / "CURRENT"
    try:
        sid = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise StoreError(f"Ingen data: {path} findes ikke. Kør 'python -m overblik demo' eller 'publish'.") from None
    if not sid:
        raise StoreError(f"{path} er tom")
    return sid


def snapshot_path(sid: str, base: Path | None = None) -> Path:
    if not sid or "/" in sid or sid.startswith("."):
        raise StoreError(f"Ugyldigt snapshot-id: {sid!r}")
    return snapshots_dir(base) / sid


def manifest(sid: str | None = None, base: Path | None = None) -> dict:
    sid = sid or current_id(base)
    path = snapshot_path(sid, base) / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StoreError(f"Snapshot {sid!r} findes ikke ({path})") from None


def table_path(name: str, sid: str | None = None, base: Path | None = None) -> Path:
    sid = sid or current_id(base)
    return snapshot_path(sid, base) / f"{name}.parquet"


def read_table(name: str, sid: str | None = None, base: Path | None = None) -> pd.DataFrame:
    return pq.read_table(table_path(name, sid, base)).to_pandas()


def read_tables(sid: str | None = None, base: Path | None = None) -> dict[str, pd.DataFrame]:
    sid = sid or current_id(base)
    return {name: read_table(name, sid, base) for name in manifest(sid, base)["tables"]}


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_parquet(name: str, df: pd.DataFrame, path: Path) -> None:
    frame = schema.coerce(name, df)
    table = pa.Table.from_pandas(frame, schema=schema.arrow_schema(name), preserve_index=False)
    pq.write_table(table, path, compression="zstd")
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


@dataclass(frozen=True)
class TableMeta:
    provenance: str  # 'real' or 'illustrative'
    source: str
    data_date: str  # ISO date


def new_id(now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.timezone.utc)
    return now.strftime("%Y%m%dT%H%M%S%fZ")


def write_snapshot(tables: dict[str, pd.DataFrame], meta: dict[str, TableMeta], *, note: str = "",
                   sid: str | None = None, base: Path | None = None, make_current: bool = True,
                   created: str | None = None, hook=None) -> str:
    """Write a complete snapshot and (by default) make it current. Returns its id.

    `hook(step)` is called between steps; tests use it to inject crashes.
    """
    hook = hook or (lambda step: None)
    base = base or data_dir()
    sid = sid or new_id()
    final = snapshot_path(sid, base)
    if final.exists():
        raise StoreError(f"Snapshot {sid!r} findes allerede; et udgivet snapshot ændres aldrig")
    missing = [n for n in tables if n not in meta]
    if missing:
        raise StoreError(f"Mangler kilde/proveniens for: {', '.join(missing)}")
    snapshots_dir(base).mkdir(parents=True, exist_ok=True)
    parent = None
    try:
        parent = current_id(base)
    except StoreError:
        pass
    tmp = snapshots_dir(base) / f".tmp-{sid}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    entries = {}
    for name in schema.TABLES:  # contract order
        if name not in tables:
            continue
        path = tmp / f"{name}.parquet"
        _write_parquet(name, tables[name], path)
        m = meta[name]
        entries[name] = {
            "file": path.name,
            "rows": int(len(tables[name])),
            "sha256": _sha256(path),
            "provenance": m.provenance,
            "source": m.source,
            "data_date": m.data_date,
        }
        hook(f"table:{name}")
    doc = {
        "id": sid,
        "created": created or dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "note": note,
        "parent": parent,
        "tables": entries,
    }
    mpath = tmp / MANIFEST
    with open(mpath, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=2)
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())
    fsync_dir(tmp)
    hook("manifest")
    os.rename(tmp, final)
    fsync_dir(snapshots_dir(base))
    hook("renamed")
    if make_current:
        set_current(sid, base)
    return sid


def verify(sid: str, base: Path | None = None) -> list[str]:
    """Problems that make a snapshot unusable (missing files, wrong checksums); empty when complete."""
    try:
        doc = manifest(sid, base)
    except (StoreError, json.JSONDecodeError) as e:
        return [str(e)]
    out = []
    for name, entry in doc["tables"].items():
        path = snapshot_path(sid, base) / entry["file"]
        if not path.exists():
            out.append(f"{name}: {path.name} mangler")
        elif _sha256(path) != entry["sha256"]:
            out.append(f"{name}: kontrolsum passer ikke")
    return out


def set_current(sid: str, base: Path | None = None) -> None:
    """Point CURRENT at a complete snapshot, atomically."""
    base = base or data_dir()
    problems = verify(sid, base)
    if problems:
        raise StoreError(f"Snapshot {sid!r} kan ikke gøres aktuelt: " + "; ".join(problems))
    tmp = base / "CURRENT.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(sid + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, base / "CURRENT")
    fsync_dir(base)


def list_snapshots(base: Path | None = None) -> list[dict]:
    """Every complete snapshot's manifest, oldest first."""
    root = snapshots_dir(base)
    if not root.exists():
        return []
    docs = []
    for p in root.iterdir():
        if p.name.startswith(".") or not (p / MANIFEST).exists():
            continue
        docs.append(json.loads((p / MANIFEST).read_text(encoding="utf-8")))
    return sorted(docs, key=lambda d: (d["created"], d["id"]))


def is_illustrative(doc: dict) -> bool:
    return any(t["provenance"] == "illustrative" for t in doc["tables"].values())
