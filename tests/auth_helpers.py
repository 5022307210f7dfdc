"""Login for the tests: a real OpenID Connect provider on localhost (oidc-provider-mock) with an editor
and a reader, a secrets.toml for one test server, and the login through the provider's form in Chromium."""

from __future__ import annotations

import contextlib
from pathlib import Path

EDITOR = "redaktoer@kommune.dk"
READER = "laeser@kommune.dk"
ROLE_EDITOR = "claim-redaktoer@kommune.dk"  # an editor by the role claim, not by the allow-list
EDITOR_ROLE = "Overblik.Redaktoer"
USERS = {
    EDITOR: {"email": EDITOR, "name": "Rikke Redaktør"},
    READER: {"email": READER, "name": "Lars Læser"},
    ROLE_EDITOR: {"email": ROLE_EDITOR, "name": "Rolf Rolle", "roles": [EDITOR_ROLE]},
}
ROLES = {"editors": [EDITOR], "editor_claim": "roles", "editor_claim_values": [EDITOR_ROLE]}


def auth_section(issuer: str, app_url: str = "http://127.0.0.1:{port}") -> dict:
    return {
        "redirect_uri": f"{app_url}/oauth2callback",
        "cookie_secret": "test-cookie-secret-0123456789abcdef",
        "client_id": "rammeaftale-overblik",
        "client_secret": "test-client-secret",
        "server_metadata_url": f"{issuer}/.well-known/openid-configuration",
    }


@contextlib.contextmanager
def provider():
    """The OIDC provider on a free loopback port, with the test users; yields its issuer URL."""
    import oidc_provider_mock

    users = [oidc_provider_mock.User(sub=sub, claims=claims) for sub, claims in USERS.items()]
    with oidc_provider_mock.run_server_in_thread(user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


def write_secrets(folder: Path, issuer: str) -> Path:
    """A secrets.toml with [auth] for the provider and [roles] (redirect_uri uses the server's own port)."""
    a = auth_section(issuer)
    lines = ["[auth]"] + [f'{k} = "{v}"' for k, v in a.items()]
    lines += [
        "",
        "[roles]",
        f'editors = ["{EDITOR}"]',
        'editor_claim = "roles"',
        f'editor_claim_values = ["{EDITOR_ROLE}"]',
    ]
    path = Path(folder) / "secrets.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def log_in(page, url: str, who: str) -> None:
    """Log in through the provider's form (the subject is the user's e-mail) and wait for the app."""
    from helpers import open_page, wait_ready

    open_page(page, url + "/")
    page.get_by_role("button", name="Log ind").first.click()
    page.wait_for_url("**/oauth2/authorize**", timeout=30_000)
    page.fill("input[name=sub]", who)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_selector("text=Logget ind som", timeout=60_000)
    wait_ready(page)
