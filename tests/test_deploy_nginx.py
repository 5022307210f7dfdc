"""Two app replicas on shared S3 storage (moto) behind nginx (Debian's package, the deployment's own config
template, TLS): security headers, sticky sessions, the CSP the app works under in Chromium, and a publish
on one replica seen through the other on the next interaction."""

from __future__ import annotations

import gzip
import os
import re
import ssl
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import s3_helpers
from helpers import assert_no_exception, screenshot, wait_ready
from playwright.sync_api import expect

from bench import proxy, servers

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parent.parent
INSECURE = ssl.create_default_context()
INSECURE.check_hostname = False
INSECURE.verify_mode = ssl.CERT_NONE  # the test's self-signed certificate


@pytest.fixture(scope="module")
def stack(data_dir, tmp_path_factory):
    """moto + two replicas (own caches) + nginx. Yields a dict: url, http_url, envs by upstream address."""
    tmp = tmp_path_factory.mktemp("deploy")
    saved = s3_helpers.clear_env()
    try:
        with s3_helpers.moto_server() as endpoint:
            url = f"s3://{s3_helpers.new_bucket(endpoint)}/overblik"
            s3_helpers.seed(endpoint, url, data_dir)
            envs = [s3_helpers.env(endpoint, url, tmp / f"cache{i}") for i in (1, 2)]
            with (
                servers.serve(servers.DASHBOARD, {**envs[0], "OVERBLIK_DATA_DIR": ""}, tmp) as a,
                servers.serve(servers.DASHBOARD, {**envs[1], "OVERBLIK_DATA_DIR": ""}, tmp) as b,
            ):
                ups = [u.removeprefix("http://") for u in (a, b)]
                with proxy.nginx(ups, tmp / "nginx") as (https_url, http_url):
                    yield {"url": https_url, "http_url": http_url, "envs": dict(zip(ups, envs, strict=True))}
    finally:
        for k, v in saved.items():
            if v is not None:
                os.environ[k] = v


def _get(url: str, cookie: str | None = None):
    req = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    return urllib.request.urlopen(req, context=INSECURE, timeout=30)


def test_security_headers_and_tls(stack):
    with _get(stack["url"] + "/") as r:
        h = r.headers
        assert r.status == 200
    assert h["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["Referrer-Policy"] == "same-origin"
    assert h["X-Frame-Options"] == "DENY"
    csp = h["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp and "object-src 'none'" in csp
    assert "'unsafe-eval'" not in csp and "http:" not in csp and "*" not in csp
    assert "Server" not in h or "nginx/" not in h["Server"]  # no version
    cookie = _route_cookie(h)
    assert cookie is not None and "Secure" in cookie and "HttpOnly" in cookie
    # plain http only redirects to https
    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as e:
        opener.open(stack["http_url"] + "/udgifter?aar=2020", timeout=30)
    assert e.value.code == 301 and e.value.headers["Location"].startswith("https://")
    assert e.value.headers["Location"].endswith("/udgifter?aar=2020")


def test_scripts_reach_the_browser_compressed(stack):
    # Streamlit leaves compressing its scripts to the proxy in front (about 6 MB on a reader's first visit).
    with _get(stack["url"] + "/") as r:
        script = re.search(r'src="\./(static/js/index\.[^"]+\.js)"', r.read().decode()).group(1)
    req = urllib.request.Request(f"{stack['url']}/{script}", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(req, context=INSECURE, timeout=30) as r:
        assert r.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in r.headers["Vary"]
        sent = r.read()
    replica = next(iter(stack["envs"]))
    with urllib.request.urlopen(f"http://{replica}/{script}", timeout=30) as r:  # the replica itself: plain
        assert r.headers.get("Content-Encoding") is None
        plain = r.read()
    assert gzip.decompress(sent) == plain
    assert len(sent) < len(plain) / 2


def _route_cookie(headers) -> str | None:
    found = [c for c in headers.get_all("Set-Cookie") or [] if c.startswith("overblik_route=")]
    return found[0] if found else None


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_the_route_cookie_keeps_a_browser_on_one_replica_and_new_browsers_spread(stack):
    with _get(stack["url"] + "/_stcore/health") as r:
        first = r.headers["X-Upstream"]
        cookie = (_route_cookie(r.headers) or "").split(";")[0]
    assert first in stack["envs"]
    for path in ("/", "/_stcore/health", "/udgifter", "/_stcore/host-config"):
        with _get(stack["url"] + path, cookie) as r:
            assert r.headers["X-Upstream"] == first, path
            assert _route_cookie(r.headers) is None  # the cookie is set once
    seen = set()
    for _ in range(40):  # new browsers (no cookie): a random route each; P(all 40 on one replica) = 2**-39
        with _get(stack["url"] + "/_stcore/health") as r:
            seen.add(r.headers["X-Upstream"])
        if len(seen) == 2:
            break
    assert seen == set(stack["envs"])


def test_the_app_works_under_the_csp_stays_on_its_replica_and_sees_a_publish_from_the_other(stack, browser):
    ctx = browser.new_context(ignore_https_errors=True, viewport={"width": 1440, "height": 900}, locale="da-DK")
    ctx.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation', "
        "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page = ctx.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    upstreams: list[str] = []
    page.on("response", lambda r: upstreams.append(r.headers.get("x-upstream", "")))
    sockets: list = []
    page.on("websocket", lambda ws: sockets.append(ws))
    try:
        page.goto(stack["url"] + "/")
        wait_ready(page)
        assert_no_exception(page)
        expect(page.locator("h1").first).to_contain_text("Overblik")
        expect(page.locator(".js-plotly-plot").first).to_be_visible()
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Udgifter").click()
        expect(page.locator("h1").first).to_contain_text("Udgifter")
        wait_ready(page)
        assert_no_exception(page)
        expect(page.locator(".js-plotly-plot").first).to_be_visible()
        screenshot(page, "deploy_udgifter_via_nginx", full_page=False)

        violations = page.evaluate("window.__csp")
        assert violations == [], violations
        assert not [m for m in console if "Content Security Policy" in m], console
        here = {u for u in upstreams if u}
        assert len(here) == 1, here  # every response of this browser came from one replica
        (replica,) = here
        assert len(sockets) == 1 and not sockets[0].is_closed()  # one websocket, kept across the page change

        # publish on the OTHER replica (its settings and cache; the store code the editor's page runs)
        other = next(u for u in stack["envs"] if u != replica)
        before = page.get_by_test_id("stCaptionContainer").filter(has_text="Datasæt ").last.inner_text()
        code = (
            "from overblik import store; sid = store.current_id(); doc = store.manifest(sid); "
            "meta = {n: store.TableMeta(e['provenance'], e['source'], e['data_date']) "
            "for n, e in doc['tables'].items()}; "
            "print(store.publish(store.read_tables(sid), meta, note='via den anden replika', based_on=sid))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={**os.environ, **stack["envs"][other], "OVERBLIK_DATA_DIR": ""},
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        new = out.stdout.strip()
        assert new and new not in before
        # the next interaction on this browser's replica shows the new snapshot
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Overblik").click()
        named = re.compile(r"DASSOS · Datasæt \d+\. .+ kl\. \d\d\.\d\d: via den anden replika ·")  # not by its id
        expect(page.get_by_text(named)).to_be_visible(timeout=60_000)
        assert {u for u in upstreams if u} == {replica} and not sockets[0].is_closed()
    finally:
        ctx.close()
