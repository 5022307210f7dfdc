"""Snapshot store: data/snapshots/<id>/<table>.parquet + manifest.json, and data/CURRENT.

The store owns publishing. `publish()` is the one way a snapshot is written (ingest, dst and demo only
produce validated tables and hand them over): the snapshot is written to a temporary folder, fsynced and
renamed into place; only then does CURRENT move, by writing a uniquely named temporary file, fsyncing it
and os.replace()-ing it over the old one. A published snapshot is never edited or deleted (a demo
snapshot may be regenerated). A crash at any point leaves CURRENT naming a complete snapshot.

Publishes and rollbacks are serialised by an exclusive flock on the data folder itself. A publish says which
snapshot its input was read against (`based_on`); if another publish made a different snapshot
current in the meantime it is refused with a Danish message, so two edits are never silently merged
and none is lost while both report success. The next publish removes `.tmp-*` folders left by a
killed one.

Shared storage for several replicas (overblik/storage.py): with OVERBLIK_DATA_URL=s3://bucket/prefix the
snapshots, CURRENT and the events live in S3-compatible storage and the data folder is this replica's
local cache of the (immutable) snapshots (OVERBLIK_CACHE_DIR). The local lock then only serialises this
replica; across replicas CURRENT is switched by a conditional write, so the loser of two publishes gets
the same Conflict. Previews stay local.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from overblik import clock, fmt, schema, storage

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = "manifest.json"
EVENTS = "events.jsonl"  # append-only: who published or rolled back what, when, and why (the web page's history)
PREVIEW = "preview-"  # snapshots written only to preview a candidate's numbers; never current, never listed
LOCK_WAIT = 60.0  # seconds a publish or rollback waits for another one to finish
ANY = object()  # publish(based_on=ANY): the new snapshot does not build on the current one (demo, tests)
_TMP = ".tmp-"
DEMO_ID = re.compile(r"^demo(-x\d+|-\d{4}-\d{2}-\d{2})?$")  # the shipped demo snapshots (overblik/demo.py)


class StoreError(RuntimeError):
    pass


class Busy(StoreError):
    """Another publish or rollback holds the data folder's lock."""


class Conflict(StoreError):
    """CURRENT moved since the caller read the data it publishes on top of."""


class SnapshotDamaged(StoreError):
    """A snapshot's files do not match its manifest. The message names no server paths."""

    def __init__(self, sid: str, problems: list[str]):
        self.sid, self.problems = sid, problems
        super().__init__(f"Datasættet {name_of(sid)} er beskadiget og kan ikke bruges: " + "; ".join(problems) + ".")


def data_dir() -> Path:
    """The data folder: $OVERBLIK_DATA_DIR, or data/ beside the package (with an S3 store: its local cache)."""
    if storage.url():
        return storage.cache_dir()
    return Path(os.environ.get("OVERBLIK_DATA_DIR") or ROOT / "data")


def snapshots_dir(base: Path | None = None) -> Path:
    return (base or data_dir()) / "snapshots"


def _remote(base: Path | None) -> storage.Remote | None:
    """The S3 store, when one is configured and `base` is the data folder (an explicit other folder is local)."""
    if not storage.url() or (base is not None and Path(base) != data_dir()):
        return None
    return storage.remote()


def current_id(base: Path | None = None) -> str:
    r = _remote(base)
    if r is not None:
        try:
            sid, _ = r.current()
        except Exception as e:  # network, credentials, a missing bucket: the page says so in Danish
            raise StoreError(f"Datalageret s3://{r.bucket} kan ikke læses lige nu ({type(e).__name__}).") from e
        if not sid:
            raise StoreError(f"Ingen data: s3://{r.bucket}/{r.key('CURRENT')} findes ikke. Udgiv data først.")
        return sid
    path = (base or data_dir()) / "CURRENT"
    try:
        sid = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise StoreError(f"Ingen data: {path} findes ikke. Kør 'python -m overblik demo' eller 'publish'.") from None
    if not sid:
        raise StoreError(f"{path} er tom")
    return sid


def _current_or_none(base: Path) -> str | None:
    try:
        return current_id(base)
    except StoreError:
        return None


def snapshot_path(sid: str, base: Path | None = None) -> Path:
    if not sid or "/" in sid or sid.startswith("."):
        raise StoreError(f"Ugyldigt snapshot-id: {sid!r}")
    return snapshots_dir(base) / sid


def _local(sid: str, base: Path | None = None) -> Path:
    """snapshot_path, after copying the snapshot from the S3 store into the local cache if it is not there."""
    path = snapshot_path(sid, base)
    r = _remote(base)
    if r is not None and not sid.startswith(PREVIEW) and not (path / MANIFEST).exists():
        r.download(sid, path)
    return path


def manifest(sid: str | None = None, base: Path | None = None) -> dict:
    sid = sid or current_id(base)
    path = _local(sid, base) / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StoreError(f"Snapshot {sid!r} findes ikke ({path})") from None


def dataset_name(sid: str, created, by=None, note=None, *, full: bool = False, limit: int = 60) -> str:
    """A published snapshot as users read it, the one rule for every page, message and PDF (the id is for the
    command line, URLs and where an editor must pick one precisely): the day and time it was published, in
    Danish time, '29. nov. 2026 kl. 13.01'; a shipped demo snapshot 'Eksempeldata, 20. nov. 2026'. `full`
    adds who published it and its note (shortened to `limit`), where there is room:
    '29. nov. 2026 kl. 13.01, rikke@kommune.dk: Kapacitet efter indberetning'. Plain text (the note is data):
    quote it in markdown with fmt.md."""
    name = fmt.moment(created)
    if DEMO_ID.match(str(sid)):
        return f"Eksempeldata, {name.split(' kl. ')[0]}"
    if not full:
        return name
    who = by.strip() if isinstance(by, str) and by.strip() else None
    text = " ".join(note.split()).rstrip(".") if isinstance(note, str) else ""
    return name + (f", {who}" if who else "") + (f": {fmt.shorten(text, limit)}" if text else "")


def doc_name(doc: dict, *, full: bool = False) -> str:
    """dataset_name() of a snapshot's manifest."""
    return dataset_name(doc["id"], doc["created"], doc.get("published_by"), doc.get("note"), full=full)


def name_of(sid: str | None, base: Path | None = None, *, full: bool = False) -> str:
    """dataset_name() of the snapshot `sid`; its id when its manifest cannot be read (a damaged or missing
    snapshot is still named)."""
    if not sid:
        return fmt.MISSING
    try:
        return doc_name(manifest(sid, base), full=full)
    except (StoreError, OSError, ValueError, KeyError):
        return sid


def names_apart(sids: list[str], base: Path | None = None) -> list[str]:
    """name_of() of several snapshots named in one message, told apart: with who and the note where two share the
    minute, and with the id too where even those are the same (two publishes in one minute)."""
    names = [name_of(s, base) for s in sids]
    if len(set(names)) < len(set(sids)):
        names = [name_of(s, base, full=True) for s in sids]
    if len(set(names)) < len(set(sids)):
        names = [f"{n} (id {s})" for n, s in zip(names, sids)]
    return names


def read_table(name: str, sid: str | None = None, base: Path | None = None) -> pd.DataFrame:
    sid = sid or current_id(base)
    return pq.read_table(_local(sid, base) / f"{name}.parquet").to_pandas()


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
    now = now or clock.now()  # the product's clock: on a fixed day (OVERBLIK_TODAY) ids sort on that day
    return now.strftime("%Y%m%dT%H%M%S%fZ")


# ---------------------------------------------------------------------------------------------
# The data folder's lock


@contextlib.contextmanager
def locked(base: Path | None = None, wait: float | None = None):
    """Hold the data folder's exclusive lock (fcntl.flock on the folder itself) for a publish or rollback.

    Waits up to `wait` seconds (LOCK_WAIT) for another holder, then raises Busy. The kernel releases
    the lock when its process dies, so a killed publish never leaves the folder locked.
    """
    base = base or data_dir()
    base.mkdir(parents=True, exist_ok=True)
    wait = LOCK_WAIT if wait is None else wait
    fd = os.open(base, os.O_RDONLY)  # the folder itself: no lock file to leave behind or to race on
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise Busy(
                        "En anden udgivelse eller tilbagerulning er i gang. Vent, til den er færdig, "
                        "og prøv igen. Intet er ændret."
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _remove_leftovers(base: Path) -> None:
    """Temporary folders of publishes that were killed (only ever called under the lock)."""
    root = snapshots_dir(base)
    if root.exists():
        for p in root.iterdir():
            if p.name.startswith(_TMP) and p.is_dir():
                shutil.rmtree(p, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# Publishing


def publish(
    tables: dict[str, pd.DataFrame],
    meta: dict[str, TableMeta],
    *,
    note: str = "",
    based_on=ANY,
    sid: str | None = None,
    base: Path | None = None,
    make_current: bool = True,
    created: str | None = None,
    replace: bool = False,
    parent=ANY,
    hook=None,
    by: str | None = None,
) -> str:
    """Write a complete snapshot and (by default) make it current, under the data folder's lock. Returns its id.

    `based_on`: the snapshot id (None: no snapshot) the caller's tables were read and validated
    against; when CURRENT names another one by the time the lock is held, nothing is written and
    Conflict is raised. `replace`: a snapshot of the same id is replaced (the demo can be regenerated);
    CURRENT then still names it if it did. `parent`: what the manifest records as the snapshot this
    one follows (default: the current one; the demo records None). `hook(step)` is called between steps; tests use it to
    inject crashes. `by`: who publishes (the logged-in editor's e-mail); recorded in the manifest
    (`published_by`) and, when the snapshot is made current, in the events log.
    """
    hook = hook or (lambda step: None)
    base = base or data_dir()
    moment = clock.now()  # one reading: the id and the manifest's time name the same moment
    sid = sid or new_id(moment)
    final = snapshot_path(sid, base)
    r = None if sid.startswith(PREVIEW) else _remote(base)
    missing = [n for n in tables if n not in meta]
    if missing:
        raise StoreError(f"Mangler kilde/proveniens for: {', '.join(missing)}")
    with locked(base):
        _remove_leftovers(base)
        etag = None
        if r is not None:
            current, etag = r.current()
        else:
            current = _current_or_none(base)
        _require_based_on(current, based_on, base)
        if (final.exists() or (r is not None and r.has(sid))) and not replace:
            raise StoreError(f"Snapshot {sid!r} findes allerede; et udgivet snapshot ændres aldrig")
        snapshots_dir(base).mkdir(parents=True, exist_ok=True)
        tmp = snapshots_dir(base) / f"{_TMP}{sid}"
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
                "rows": len(tables[name]),
                "sha256": _sha256(path),
                "provenance": m.provenance,
                "source": m.source,
                "data_date": m.data_date,
            }
            hook(f"table:{name}")
        doc = {
            "id": sid,
            "created": created or moment.isoformat(timespec="seconds"),
            "note": note,
            "parent": current if parent is ANY else parent,
            "tables": entries,
        }
        if by:
            doc["published_by"] = by
        mpath = tmp / MANIFEST
        with open(mpath, "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False, indent=2)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        fsync_dir(tmp)
        hook("manifest")
        old = snapshots_dir(base) / f"{_TMP}old-{sid}"
        if final.exists():  # replace=True: swap with two renames, CURRENT never names a half-written one
            os.rename(final, old)
        os.rename(tmp, final)
        fsync_dir(snapshots_dir(base))
        if old.exists():
            shutil.rmtree(old)
        if r is not None:
            r.upload(final, sid)
        hook("renamed")
        if make_current:
            try:
                _set_current(sid, base, etag)
            except storage.Lost:  # another replica switched CURRENT after we read it: this snapshot never was
                if r is not None:
                    r.discard(sid)
                shutil.rmtree(final, ignore_errors=True)
                raise _conflict(
                    r.current()[0] if r else None, based_on if based_on is not ANY else current, base
                ) from None
            if by:
                _log(base, "publish", sid, current, by, note)
    return sid


def changed_since(based_on: str, names: Collection[str], current: str, base: Path | None = None) -> list[str]:
    """The tables among `names` whose content differs between the snapshots `based_on` and `current`: by the
    manifests' sha256 and, where those differ, by the tables themselves (a table written again with the same
    rows is the same). A table in only one of them differs."""
    if based_on == current:
        return []
    old, new = manifest(based_on, base)["tables"], manifest(current, base)["tables"]
    out = []
    for name in names:
        if name not in old and name not in new:
            continue
        if name in old and name in new and old[name]["sha256"] == new[name]["sha256"]:
            continue
        if name in old and name in new:
            a = schema.coerce(name, read_table(name, based_on, base))
            b = schema.coerce(name, read_table(name, current, base))
            if a.equals(b):
                continue
        out.append(name)
    return out


def require_unchanged(based_on: str, names: Collection[str], base: Path | None = None, by: str | None = None) -> str:
    """The rule for a save that rewrites the tables `names` from data read in the snapshot `based_on` (Opdater
    data's Handlingsplan and Møder, whose tables remember the snapshot they were first shown from): it may go on
    top of the current snapshot when each of those tables is the same there as in `based_on`, whoever published
    meanwhile (the editor's own other saves included), since nothing newer in them is then overwritten. Returns
    the current snapshot's id, to publish on top of (publish(based_on=...) checks it again under the lock);
    Conflict when one of the tables was changed, saying by whom when the snapshots since `based_on` tell (`by`:
    the editor who saves, called "du")."""
    current = _current_or_none(base or data_dir())
    if current is None:
        raise _conflict(current, based_on, base)
    changed = changed_since(based_on, names, current, base)
    if not changed:
        return current
    what, ids = schema.titles(changed), None
    apart = names_apart([based_on, current], base)
    shown = f"tabellen viser stadig datasæt {apart[0]}"
    lost = "Gemte du dine ændringer, ville de overskrive det nye. Intet er udgivet."
    try:
        changers = _changed_by(based_on, changed, current, base) or None
    except StoreError:  # a snapshot on the way cannot be read: the message says no names
        changers = None
    if changers is not None:
        ids = fmt.listing([name_of(s, base) for s in sorted(set(changers.values()))])
    if changers is not None and by and set(changers) == {by}:
        raise Conflict(
            f"Du har selv ændret {what} i datasæt {ids}, siden du begyndte at rette denne tabel (fx med Nyt "
            f"initiativ eller i en anden fane); {shown}. Gemte du dine ændringer her, ville de overskrive det, du "
            "har udgivet. Intet er udgivet."
        )
    if changers is not None and None not in changers:
        who = [w for w in sorted(changers) if w != by] + (["dig"] if by in changers else [])
        raise Conflict(
            f"{what} er ændret af {fmt.listing(who)} i datasæt {ids}, siden du begyndte at rette; {shown}. {lost}"
        )
    raise Conflict(
        f"{what} er ændret i et datasæt, der er udgivet, siden du begyndte at rette; {shown}, og det aktuelle er "
        f"{apart[1]}. {lost}"
    )


def _changed_by(based_on: str, names: list[str], current: str, base: Path | None, steps: int = 20):
    """{who published (None: not said) -> the last snapshot of theirs that changed one of the tables `names`}, over
    the snapshots from `based_on` to `current` (following each manifest's parent); None when that chain does not
    lead back to `based_on` (a rollback since, or more than `steps` publishes)."""
    out: dict = {}
    sid = current
    for _ in range(steps):
        doc = manifest(sid, base)
        parent = doc.get("parent")
        if not parent:
            return None
        if changed_since(parent, names, sid, base):
            out.setdefault(doc.get("published_by"), sid)
        if parent == based_on:
            return out
        sid = parent
    return None


def require_current(based_on, base: Path | None = None) -> None:
    """Raise Conflict when CURRENT no longer names `based_on`, the snapshot a caller started from (the web page's
    StatBank tab, before it fetches); publish() checks again under the lock."""
    _require_based_on(_current_or_none(base or data_dir()), based_on, base)


def _require_based_on(current: str | None, based_on, base: Path | None = None) -> None:
    if based_on is not ANY and based_on != current:
        raise _conflict(current, based_on, base)


def _conflict(current: str | None, based_on: str | None, base: Path | None = None) -> Conflict:
    now, then = names_apart([current or "", based_on or ""], base)
    return Conflict(
        f"Data er blevet udgivet af en anden, siden du begyndte: det aktuelle datasæt er nu "
        f"{now if current else '(intet)'}, men dine data blev kontrolleret mod {then if based_on else '(intet)'}. "
        "Hent data igen og prøv igen. Intet er udgivet."
    )


def verify(sid: str, base: Path | None = None) -> list[str]:
    """Problems that make a snapshot unusable (missing files, wrong checksums); empty when complete.
    The texts name files by their name only, never by a server path."""
    try:
        doc = json.loads((_local(sid, base) / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [f"snapshot {sid} findes ikke ({MANIFEST} mangler)"]
    except (StoreError, ValueError, OSError):
        return [f"{MANIFEST} kan ikke læses"]
    out = []
    for name, entry in doc["tables"].items():
        path = snapshot_path(sid, base) / entry["file"]
        if not path.exists():
            out.append(f"{name}: {path.name} mangler")
        elif _sha256(path) != entry["sha256"]:
            out.append(f"{name}: kontrolsum passer ikke")
    return out


def check(sid: str, base: Path | None = None) -> None:
    """Raise SnapshotDamaged when the snapshot's files do not match its manifest."""
    problems = verify(sid, base)
    if problems:
        raise SnapshotDamaged(sid, problems)


def _set_current(sid: str, base: Path, etag: str | None = None) -> None:
    """With an S3 store: CURRENT is written only if its ETag is still `etag` (None: only if there is none
    yet); otherwise storage.Lost."""
    problems = verify(sid, base)
    if problems:
        raise StoreError(f"Snapshot {sid!r} kan ikke gøres aktuelt: " + "; ".join(problems))
    r = _remote(base)
    if r is not None:
        r.switch(sid, etag)
        return
    fd, tmp = tempfile.mkstemp(dir=base, prefix=".CURRENT-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(sid + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, base / "CURRENT")
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(base)


def set_current(sid: str, base: Path | None = None) -> None:
    """Point CURRENT at a complete snapshot, atomically, under the data folder's lock."""
    base = base or data_dir()
    with locked(base):
        r = _remote(base)
        try:
            _set_current(sid, base, r.current()[1] if r else None)
        except storage.Lost:
            raise _lost_race() from None


def _lost_race() -> Conflict:
    return Conflict("Data er blevet udgivet af en anden i samme øjeblik. Intet er ændret. Prøv igen.")


def rollback(sid: str, base: Path | None = None, *, by: str | None = None, note: str = "") -> None:
    """Make an earlier snapshot current again. With `by` (who; the web page passes the editor) the
    rollback is recorded in the events log with its note."""
    if sid.startswith(PREVIEW) or not (_local(sid, base) / MANIFEST).exists():
        raise StoreError(f"Ukendt snapshot-id: {sid!r}. Se listen med 'python -m overblik snapshots'.")
    base = base or data_dir()
    r = _remote(base)
    with locked(base):
        etag = None
        if r is not None:
            before, etag = r.current()
        else:
            before = _current_or_none(base)
        try:
            _set_current(sid, base, etag)
        except storage.Lost:
            raise _lost_race() from None
        if by:
            _log(base, "rollback", sid, before, by, note)


# ---------------------------------------------------------------------------------------------
# The events log and previews


def _log(base: Path, action: str, sid: str, before: str | None, by: str, note: str) -> None:
    """Append one event (under the lock): {at, action, id, before, by, note}; fsynced."""
    line = {
        "at": clock.now().isoformat(timespec="seconds"),
        "action": action,
        "id": sid,
        "before": before,
        "by": by,
        "note": note,
    }
    r = _remote(base)
    if r is not None:
        r.log(line)
        return
    with open(base / EVENTS, "a", encoding="utf-8") as f:
        f.write(json.dumps(line, ensure_ascii=False) + "\n")
        f.flush()
        os.fsync(f.fileno())


def events(base: Path | None = None) -> pd.DataFrame:
    """The events log, newest first: at (UTC), action ('publish' | 'rollback'), id, before, by, note.
    A line that cannot be read (a crash mid-write) is skipped."""
    path = (base or data_dir()) / EVENTS
    rows = []
    r = _remote(base)
    if r is not None:
        rows = r.events()
    elif path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            with contextlib.suppress(ValueError):
                rows.append(json.loads(line))
    out = pd.DataFrame(rows, columns=["at", "action", "id", "before", "by", "note"])
    out["at"] = pd.to_datetime(out["at"], utc=True)
    return out.iloc[::-1].reset_index(drop=True)


def preview(tables: dict[str, pd.DataFrame], meta: dict[str, TableMeta], base: Path | None = None) -> str:
    """Write a candidate as a preview snapshot (never current, never in the history, refused by
    rollback) so its numbers can be computed by the same queries; returns its id. Previews older than
    a day are removed; `drop_preview` removes one at once."""
    base = base or data_dir()
    root = snapshots_dir(base)
    if root.exists():
        cutoff = time.time() - 86400
        for p in root.iterdir():
            if p.name.startswith(PREVIEW) and p.stat().st_mtime < cutoff:
                shutil.rmtree(p, ignore_errors=True)
    return publish(tables, meta, sid=PREVIEW + new_id(), base=base, make_current=False, parent=None)


def drop_preview(sid: str, base: Path | None = None) -> None:
    if sid.startswith(PREVIEW):
        shutil.rmtree(snapshot_path(sid, base), ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# History


def list_snapshots(base: Path | None = None) -> list[dict]:
    """Every complete snapshot's manifest, oldest first."""
    r = _remote(base)
    if r is not None:
        docs = [r.manifest(sid) for sid in r.ids() if not sid.startswith(PREVIEW)]
        return sorted(docs, key=lambda d: (d["created"], d["id"]))
    root = snapshots_dir(base)
    if not root.exists():
        return []
    docs = []
    for p in root.iterdir():
        if p.name.startswith((".", PREVIEW)) or not (p / MANIFEST).exists():
            continue
        docs.append(json.loads((p / MANIFEST).read_text(encoding="utf-8")))
    return sorted(docs, key=lambda d: (d["created"], d["id"]))


def state(base: Path | None = None) -> tuple:
    """What the list of snapshots and the history depend on, cheaply (no manifest is read): each complete
    snapshot's id with its manifest's modification time (published snapshots never change, but `demo`
    rewrites its own), and CURRENT. Equal states give equal `list_snapshots` and `snapshot_history`."""
    r = _remote(base)
    if r is not None:
        ids: tuple = tuple(sorted(sid for sid in r.ids() if not sid.startswith(PREVIEW)))
    else:
        found = []
        with contextlib.suppress(FileNotFoundError), os.scandir(snapshots_dir(base)) as entries:
            for e in entries:
                if not e.name.startswith((".", PREVIEW)):
                    with contextlib.suppress(FileNotFoundError, NotADirectoryError):
                        found.append((e.name, os.stat(os.path.join(e.path, MANIFEST)).st_mtime_ns))
        ids = tuple(sorted(found))
    return ids, _current_or_none(base or data_dir())


def illustrative_tables(sid: str | None = None, base: Path | None = None) -> list[str]:
    """The tables of a snapshot (default: the current one) that are still illustrative."""
    return [name for name, e in manifest(sid, base)["tables"].items() if e["provenance"] == "illustrative"]


def is_illustrative(doc: dict) -> bool:
    return any(t["provenance"] == "illustrative" for t in doc["tables"].values())


def snapshot_history(base: Path | None = None) -> pd.DataFrame:
    """Every complete snapshot, newest first: id, created (UTC), note, current, illustrative,
    compared_with (its parent, else the one before it) and the tables changed / added / removed
    against that one (by the manifests' sha256)."""
    docs = list_snapshots(base)
    cur = _current_or_none(base or data_dir())
    by_id = {d["id"]: d for d in docs}
    rows, prev = [], None
    for d in docs:
        before = by_id.get(d.get("parent")) or prev
        old = {n: e["sha256"] for n, e in (before or {"tables": {}})["tables"].items()}
        new = {n: e["sha256"] for n, e in d["tables"].items()}
        rows.append(
            {
                "id": d["id"],
                "created": pd.to_datetime(d["created"], utc=True),
                "note": d.get("note", ""),
                "by": d.get("published_by"),
                "current": d["id"] == cur,
                "illustrative": is_illustrative(d),
                "compared_with": before["id"] if before else None,
                "changed": [n for n in new if n in old and new[n] != old[n]],
                "added": [n for n in new if n not in old],
                "removed": [n for n in old if n not in new],
            }
        )
        prev = d
    cols = ["id", "created", "note", "by", "current", "illustrative", "compared_with", "changed", "added", "removed"]
    out = pd.DataFrame(rows, columns=cols).iloc[::-1].reset_index(drop=True)
    out["compared_with"] = pd.Series([r["compared_with"] for r in reversed(rows)], dtype=object)  # None, not NaN
    return out
