"""The deployment files, read as data (Docker itself is not on the test machine): compose.yaml's structure,
the Dockerfile's rules (slim Python of the venv's version, non-root, health check, nothing secret baked
in), .dockerignore, pinned requirements, and `make image`."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

from bench import proxy

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text(encoding="utf-8"))
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")


def _instructions() -> list[tuple[str, str]]:
    text = re.sub(r"\\\n", " ", DOCKERFILE)
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    return [(ln.split(None, 1)[0].upper(), ln.split(None, 1)[1] if " " in ln else "") for ln in lines]


def test_compose_runs_two_identical_replicas_on_shared_s3_storage():
    s = COMPOSE["services"]
    assert {"minio", "seed", "app1", "app2", "nginx"} <= set(s)
    a, b = s["app1"], s["app2"]
    assert a == b  # the same service twice (the x-app anchor)
    assert a["build"]["context"] == ".." and a["image"] == "overblik:latest"
    env = a["environment"]
    assert env["OVERBLIK_DATA_URL"].startswith("s3://") and env["AWS_ENDPOINT_URL"] == "http://minio:9000"
    assert env["OVERBLIK_CACHE_DIR"] == "/var/cache/overblik"
    assert env["AWS_SECRET_ACCESS_KEY"].startswith("${") and env["AWS_ACCESS_KEY_ID"].startswith("${")  # from .env
    assert env["STREAMLIT_SECRETS_FILES"] == "/run/secrets/overblik_secrets"
    assert a["secrets"] == ["overblik_secrets"] and COMPOSE["secrets"]["overblik_secrets"]["file"] == "./secrets.toml"
    assert a["depends_on"]["seed"]["condition"] == "service_completed_successfully"
    assert s["seed"]["command"][:4] == ["python", "-m", "overblik.storage", "init"]
    assert s["seed"]["environment"]["OVERBLIK_DATA_URL"] == env["OVERBLIK_DATA_URL"]
    assert s["minio"]["image"].split(":-", 1)[-1].startswith("minio/minio:RELEASE.")
    assert "minio-data:/data" in s["minio"]["volumes"]


def test_compose_nginx_uses_the_tested_template_and_fronts_both_replicas():
    n = COMPOSE["services"]["nginx"]
    assert re.fullmatch(r"nginx:\d+\.\d+(-alpine)?", n["image"])  # the official image, a pinned minor
    assert {"80:80", "443:443"} == set(n["ports"])
    assert "./nginx/overblik.conf.template:/etc/nginx/templates/overblik.conf.template:ro" in n["volumes"]
    assert "./certs:/etc/nginx/certs:ro" in n["volumes"]
    env = n["environment"]
    ups = re.findall(r"server (\w+):(\d+);", env["OVERBLIK_UPSTREAM_SERVERS"])
    assert ups == [("app1", "8501"), ("app2", "8501")]
    assert all(COMPOSE["services"][u]["expose"] == [p] for u, p in ups)
    assert {n["depends_on"][u]["condition"] for u, _ in ups} == {"service_healthy"}
    # every placeholder of the template is set, and nothing else is needed
    template = proxy.TEMPLATE.read_text(encoding="utf-8")
    placeholders = set(re.findall(r"\$\{(OVERBLIK_[A-Z_]+)\}", template))
    assert placeholders == {k for k in env if k.startswith("OVERBLIK_")}
    defaults = {k: re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", str(v)) for k, v in env.items()}  # compose's ${X:-default}
    proxy.render(template, defaults)


def test_dockerfile_slim_python_of_the_venv_non_root_healthcheck():
    ins = _instructions()
    base = next(arg for op, arg in ins if op == "FROM")
    assert re.fullmatch(rf"python:{sys.version_info.major}\.{sys.version_info.minor}-slim(-\w+)?", base)
    users = [arg for op, arg in ins if op == "USER"]
    assert users and users[-1] not in ("root", "0")
    health = next(arg for op, arg in ins if op == "HEALTHCHECK")
    assert "/_stcore/health" in health and "8501" in health
    copies = " ".join(arg for op, arg in ins if op in ("COPY", "ADD"))
    assert "secrets" not in copies and ".venv" not in copies and ". ." not in copies
    assert "pip install -r requirements.txt" in " ".join(arg for op, arg in ins if op == "RUN")
    run = " ".join(arg for op, arg in ins if op == "RUN")
    assert "chromium" in run and "fonts-liberation" in run  # the meeting pack: kaleido drives Chromium
    env = " ".join(arg for op, arg in ins if op == "ENV")
    assert "BROWSER_PATH=/usr/bin/chromium" in env
    assert "CMD" in {op for op, _ in ins}


def test_dockerignore_keeps_secrets_venv_tests_and_local_data_out():
    lines = [ln.strip() for ln in (ROOT / ".dockerignore").read_text().splitlines() if ln.strip() and ln[0] != "#"]
    for must in (".venv", ".git", ".streamlit/secrets.toml", "tests", "data/events.jsonl", "data/snapshots/*"):
        assert must in lines, must
    shipped = sorted(p.name for p in (ROOT / "data" / "snapshots").iterdir() if p.is_dir())
    assert [f"!data/snapshots/{n}" for n in shipped] == [ln for ln in lines if ln.startswith("!data/snapshots/")]


def test_requirements_are_pinned_and_boto3_is_a_runtime_dependency():
    for name in ("requirements.txt", "requirements-dev.txt"):
        for ln in (ROOT / name).read_text().splitlines():
            ln = ln.split("#", 1)[0].strip()
            if ln and not ln.startswith("-r"):
                assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.]+", ln), (name, ln)
    assert "boto3==" in (ROOT / "requirements.txt").read_text()
    assert "moto[server]==" in (ROOT / "requirements-dev.txt").read_text()


def test_make_image_builds_the_dockerfile():
    make = (ROOT / "Makefile").read_text()
    assert re.search(r"^image:\n\tdocker build -t \$\(IMAGE\) \.$", make, re.M)
