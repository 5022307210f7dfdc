"""Shared snapshot storage in S3-compatible object storage, for several replicas: OVERBLIK_DATA_URL=s3://bucket/prefix.

Layout under the prefix (the local data folder's, plus one object per event):

    CURRENT                       the current snapshot's id; switched only by a conditional write
    snapshots/<id>/<table>.parquet, snapshots/<id>/manifest.json   (the manifest is written last)
    events/<time>-<random>.json   one object per publish or rollback (objects are never appended to)

Snapshots are immutable, so a replica downloads one once into its local data folder (the cache; store
and db then read local files as without S3). CURRENT is read on every call (one small GET per page run),
so a publish on one replica is seen by every replica on its next interaction. CURRENT is written with
If-Match on the ETag read before the publish (If-None-Match: * when there is none yet): of two
publishes based on the same CURRENT only one can win; the other gets 412 and store raises Conflict.
Preview snapshots stay in the replica's local folder (never current, never shared; the editor's
session is sticky to its replica).

Endpoint and credentials come from boto3's standard settings: AWS_ENDPOINT_URL (MinIO, a gateway),
AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or a role), AWS_DEFAULT_REGION.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import threading
import uuid
from pathlib import Path
from urllib.parse import urlparse

URL_ENV = "OVERBLIK_DATA_URL"
CACHE_ENV = "OVERBLIK_CACHE_DIR"
_lock = threading.Lock()
_remotes: dict[tuple, Remote] = {}


class Lost(RuntimeError):
    """The conditional write of CURRENT failed: another replica switched it first."""


def url() -> str | None:
    return os.environ.get(URL_ENV) or None


def cache_dir() -> Path:
    """The local data folder of an S3 store: $OVERBLIK_CACHE_DIR, else $OVERBLIK_DATA_DIR, else a temp folder."""
    return Path(os.environ.get(CACHE_ENV) or os.environ.get("OVERBLIK_DATA_DIR") or "/tmp/overblik-cache")


def remote() -> Remote | None:
    """The S3 store named by $OVERBLIK_DATA_URL (None: local data folder only). One client per settings."""
    u = url()
    if not u:
        return None
    key = (u, *(os.environ.get(k) for k in ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_DEFAULT_REGION")))
    with _lock:
        r = _remotes.get(key)
        if r is None:
            r = _remotes[key] = Remote(u)
        return r


class Remote:
    def __init__(self, data_url: str):
        import boto3  # only S3 deployments need it loaded
        from botocore.config import Config

        p = urlparse(data_url)
        if p.scheme != "s3" or not p.netloc:
            raise ValueError(f"{URL_ENV} skal have formen s3://bucket/prefix, ikke {data_url!r}")
        self.bucket = p.netloc
        self.prefix = p.path.strip("/")
        # bounded: a page run waits at most seconds, never minutes, for an unreachable store
        cfg = Config(connect_timeout=3, read_timeout=20, retries={"mode": "standard", "max_attempts": 3})
        self.s3 = boto3.client("s3", config=cfg)
        self._manifests: dict[str, dict] = {}  # immutable by id
        self._events: dict[str, dict] = {}  # immutable by key

    def key(self, *parts: str) -> str:
        return "/".join(x for x in (self.prefix, *parts) if x)

    def _missing(self, e: Exception) -> bool:
        code = getattr(e, "response", {}).get("Error", {}).get("Code")
        return code in ("NoSuchKey", "404", "NotFound")

    # CURRENT ----------------------------------------------------------------------------------

    def current(self) -> tuple[str | None, str | None]:
        """(current snapshot id, ETag of CURRENT); (None, None) when there is no CURRENT yet."""
        try:
            r = self.s3.get_object(Bucket=self.bucket, Key=self.key("CURRENT"))
        except Exception as e:
            if self._missing(e):
                return None, None
            raise
        return r["Body"].read().decode("utf-8").strip() or None, r["ETag"]

    def switch(self, sid: str, etag: str | None) -> None:
        """Write CURRENT only if it is still the one read with `etag` (None: only if there is none). Raises Lost."""
        cond = {"IfMatch": etag} if etag else {"IfNoneMatch": "*"}
        try:
            self.s3.put_object(
                Bucket=self.bucket,
                Key=self.key("CURRENT"),
                Body=(sid + "\n").encode(),
                ContentType="text/plain",
                **cond,
            )
        except Exception as e:
            code = getattr(e, "response", {}).get("Error", {}).get("Code")
            if code in ("PreconditionFailed", "412", "ConditionalRequestConflict"):
                raise Lost(sid) from None
            raise

    # snapshots --------------------------------------------------------------------------------

    def has(self, sid: str) -> bool:
        try:
            self.s3.head_object(Bucket=self.bucket, Key=self.key("snapshots", sid, "manifest.json"))
        except Exception as e:
            if self._missing(e):
                return False
            raise
        return True

    def upload(self, folder: Path, sid: str) -> None:
        """Upload a complete local snapshot folder; the manifest last, so a listed snapshot is complete."""
        files = sorted(p for p in folder.iterdir() if p.is_file())
        for p in sorted(files, key=lambda p: p.name == "manifest.json"):
            self.s3.upload_file(str(p), self.bucket, self.key("snapshots", sid, p.name))
        self._manifests.pop(sid, None)

    def discard(self, sid: str) -> None:
        """Remove a snapshot that lost the race for CURRENT (never current, so nobody reads it): manifest first."""
        self.s3.delete_object(Bucket=self.bucket, Key=self.key("snapshots", sid, "manifest.json"))
        listed = self.s3.list_objects_v2(Bucket=self.bucket, Prefix=self.key("snapshots", sid) + "/")
        for o in listed.get("Contents", []):
            self.s3.delete_object(Bucket=self.bucket, Key=o["Key"])
        self._manifests.pop(sid, None)

    def download(self, sid: str, final: Path) -> bool:
        """Copy snapshot `sid` into `final` (a temp folder renamed into place); False if S3 lacks it."""
        if not self.has(sid):
            return False
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = final.parent / f".dl-{sid}-{uuid.uuid4().hex[:8]}"
        tmp.mkdir()
        try:
            doc = self.manifest(sid)
            for entry in doc["tables"].values():
                name = Path(entry["file"]).name
                self.s3.download_file(self.bucket, self.key("snapshots", sid, name), str(tmp / name))
            self.s3.download_file(self.bucket, self.key("snapshots", sid, "manifest.json"), str(tmp / "manifest.json"))
            try:
                os.rename(tmp, final)
            except OSError:  # another thread or process of this replica was faster
                if not (final / "manifest.json").exists():
                    raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return True

    def manifest(self, sid: str) -> dict:
        doc = self._manifests.get(sid)
        if doc is None:
            r = self.s3.get_object(Bucket=self.bucket, Key=self.key("snapshots", sid, "manifest.json"))
            doc = self._manifests[sid] = json.loads(r["Body"].read().decode("utf-8"))
        return doc

    def ids(self) -> list[str]:
        """Ids of the complete snapshots (those whose manifest exists)."""
        out = []
        pages = self.s3.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.key("snapshots") + "/", Delimiter="/"
        )
        for page in pages:
            for cp in page.get("CommonPrefixes", []):
                out.append(cp["Prefix"].rstrip("/").rsplit("/", 1)[-1])
        return [sid for sid in out if sid in self._manifests or self.has(sid)]

    # events -----------------------------------------------------------------------------------

    def log(self, event: dict) -> None:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        body = json.dumps(event, ensure_ascii=False).encode("utf-8")
        self.s3.put_object(
            Bucket=self.bucket, Key=self.key("events", f"{stamp}-{uuid.uuid4().hex[:8]}.json"), Body=body
        )

    def events(self) -> list[dict]:
        """Every event, oldest first (keys sort by time)."""
        keys: list[str] = []
        pages = self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.key("events") + "/")
        for page in pages:
            keys.extend(o["Key"] for o in page.get("Contents", []))
        out = []
        for k in sorted(keys):
            ev = self._events.get(k)
            if ev is None:
                with contextlib.suppress(ValueError):
                    r = self.s3.get_object(Bucket=self.bucket, Key=k)
                    ev = self._events[k] = json.loads(r["Body"].read().decode("utf-8"))
            if ev is not None:
                out.append(ev)
        return out


# ---------------------------------------------------------------------------------------------
# Setting up a new S3 store: `python -m overblik.storage init [DATA_DIR]` (compose.yaml's seed service)


def init(data_dir: Path) -> str:
    """Create the bucket if it is missing and, when the store has no CURRENT yet, copy the local data folder's
    published snapshots (the shipped demo) and its CURRENT into it. Never changes a store that has data.
    Returns what it did, in Danish (for the log)."""
    r = remote()
    if r is None:
        raise SystemExit(f"{URL_ENV} er ikke sat")
    try:
        r.s3.head_bucket(Bucket=r.bucket)
    except Exception as e:
        if getattr(e, "response", {}).get("Error", {}).get("Code") not in ("404", "NoSuchBucket", "NotFound"):
            raise
        r.s3.create_bucket(Bucket=r.bucket)
    sid, _ = r.current()
    if sid:
        return f"s3://{r.bucket}/{r.prefix}: har allerede data (aktuelt snapshot {sid}); intet ændret"
    for folder in sorted((data_dir / "snapshots").iterdir()):
        published = not folder.name.startswith((".", "preview-")) and (folder / "manifest.json").exists()
        if published and not r.has(folder.name):
            r.upload(folder, folder.name)
    first = (data_dir / "CURRENT").read_text(encoding="utf-8").strip()
    try:
        r.switch(first, None)
    except Lost:
        return f"s3://{r.bucket}/{r.prefix}: en anden oprettede data samtidig; intet ændret"
    return f"s3://{r.bucket}/{r.prefix}: oprettet med snapshot {first} fra {data_dir.name}/"


if __name__ == "__main__":
    import sys

    if len(sys.argv) < 2 or sys.argv[1] != "init":
        raise SystemExit("brug: python -m overblik.storage init [DATA_DIR]")
    print(init(Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).resolve().parent.parent / "data"))
