"""A real local S3-compatible server for the tests: moto in server mode on a free loopback port."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from bench import proxy

S3_ENV = ("OVERBLIK_DATA_URL", "OVERBLIK_CACHE_DIR", "AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")


moto_server = proxy.moto_server


def new_bucket(endpoint: str) -> str:
    import boto3

    name = f"overblik-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", **client_args(endpoint)).create_bucket(Bucket=name)
    return name


def client_args(endpoint: str) -> dict:
    return {
        "endpoint_url": endpoint,
        "aws_access_key_id": "test",
        "aws_secret_access_key": "test",
        "region_name": "us-east-1",
    }


def env_(endpoint: str, url: str, cache: Path) -> dict[str, str]:
    """The environment of one replica on the S3 store `url` with its own local cache folder."""
    return {
        "OVERBLIK_DATA_URL": url,
        "OVERBLIK_CACHE_DIR": str(cache),
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "us-east-1",
    }


def seed(endpoint: str, url: str, data_dir: Path) -> None:
    """Copy a local data folder's snapshots and CURRENT into the S3 store, with the deployment's own
    `python -m overblik.storage init` (compose.yaml's seed service), in a process of its own."""
    import subprocess
    import sys

    env = {**os.environ, **env_(endpoint, url, data_dir.parent / "seed-cache")}
    subprocess.run(
        [sys.executable, "-m", "overblik.storage", "init", str(data_dir)],
        cwd=Path(__file__).resolve().parent.parent, env=env, check=True, capture_output=True, timeout=120,
    )  # fmt: skip


def clear_env() -> dict[str, str | None]:
    """Remove the S3 settings from os.environ; returns what was there (for restore)."""
    return {k: os.environ.pop(k, None) for k in (*S3_ENV, "AWS_DEFAULT_REGION")}


env = env_
