"""The deployment on localhost, for the tests and the load benchmark: nginx from Debian's package in front of
app replicas, run as the current user with the deployment's own template (deploy/nginx/overblik.conf.template)
rendered with local upstreams, a temp prefix and a self-signed certificate made the way docs/deploy.md says;
and a real local S3-compatible server (moto in server mode) for the shared snapshot storage."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

from bench import servers

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "nginx" / "overblik.conf.template"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def render(template: str, values: dict[str, str]) -> str:
    """What the nginx image's envsubst does: ${NAME} for the names given, every other $ left alone."""
    out = re.sub(r"\$\{(OVERBLIK_[A-Z_]+)\}", lambda m: values[m.group(1)], template)
    assert "${" not in out
    return out


def self_signed(folder: Path, name: str = "localhost") -> tuple[Path, Path]:
    """The docs' command for a test certificate (openssl, one day, no passphrase)."""
    cert, key = folder / "tls.crt", folder / "tls.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={name}",
         "-addext", f"subjectAltName=DNS:{name},IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


def _wait_port(port: int, proc: subprocess.Popen, log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"nginx did not start:\n{log.read_text(errors='replace') if log.exists() else ''}")
        time.sleep(0.1)


@contextlib.contextmanager
def moto_server():
    """Yields the endpoint URL of a ThreadedMotoServer on a free loopback port; stopped afterwards."""
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    port = servers.free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@contextlib.contextmanager
def nginx(upstreams: list[str], folder: Path):
    """nginx on free loopback ports in front of `upstreams` ("127.0.0.1:PORT"); yields (https URL, http URL)."""
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = self_signed(folder)
    https, http = servers.free_port(), servers.free_port()
    site = render(
        TEMPLATE.read_text(encoding="utf-8"),
        {
            "OVERBLIK_UPSTREAM_SERVERS": " ".join(f"server {u};" for u in upstreams),
            "OVERBLIK_SERVER_NAME": "localhost",
            "OVERBLIK_HTTP_PORT": f"127.0.0.1:{http}",
            "OVERBLIK_HTTPS_PORT": f"127.0.0.1:{https}",
            "OVERBLIK_TLS_CERT": str(cert),
            "OVERBLIK_TLS_KEY": str(key),
        },
    )
    (folder / "overblik.conf").write_text(site, encoding="utf-8")
    for d in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / d).mkdir(exist_ok=True)
    user = "user root;\n" if os.geteuid() == 0 else ""  # CI runs as root: workers too, to use the temp folders
    conf = folder / "nginx.conf"
    conf.write_text(
        f"""{user}daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    access_log {folder}/access.log;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/overblik.conf;
}}
""",
        encoding="utf-8",
    )
    log = folder / "error.log"
    check = subprocess.run([NGINX, "-t", "-p", str(folder), "-c", str(conf), "-e", str(log)], capture_output=True)
    assert check.returncode == 0, check.stderr.decode(errors="replace")
    proc = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(conf), "-e", str(log)])
    try:
        _wait_port(https, proc, log)
        yield f"https://127.0.0.1:{https}", f"http://127.0.0.1:{http}"
    finally:
        servers.stop(proc)
