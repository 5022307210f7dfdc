"""Login and roles: Streamlit's own OpenID Connect login (st.login / st.user / st.logout, authlib).

Configured in .streamlit/secrets.toml (README, "Sekretariatets arbejdsgang"): the [auth] section is
Streamlit's (redirect_uri, cookie_secret, client_id, client_secret, server_metadata_url; for Microsoft
Entra ID the tenant-specific metadata URL), the [roles] section is ours:

    [roles]
    editors = ["navn@kommune.dk"]          # e-mails of the secretariat's editors (case does not matter)
    editor_claim = "roles"                 # and/or: a claim in the ID token ...
    editor_claim_values = ["Overblik.Redaktoer"]  # ... holding one of these values (an app role or group id)
    readers_must_log_in = false            # true: only logged-in users see the dashboard

Two roles: readers (everyone who may see the dashboard; everyone unless readers_must_log_in) and
editors. Without [auth] nobody is an editor and the dashboard is read-only, as before.

Every editor action calls require_editor() on the server when it runs (callbacks included), not only
when the page is drawn: a reader who calls an action gets NotEditor and nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from overblik import fmt

EDITOR_REQUIRED = "Denne side kræver login som redaktør."
HOW_TO_ENABLE = (
    "Login er ikke slået til for dette dashboard, så det kan kun læses. Sådan slås det til: "
    "sekretariatets it-afdeling registrerer dashboardet som app i Microsoft Entra ID og skriver "
    "indstillingerne i `.streamlit/secrets.toml` på serveren: afsnittet `[auth]` (redirect_uri, "
    "cookie_secret, client_id, client_secret og server_metadata_url med lejerens id) og afsnittet "
    "`[roles]` med redaktørernes e-mails (`editors`) eller en rolle fra Entra ID (`editor_claim`, "
    '`editor_claim_values`). Se README, afsnittet "Sekretariatets arbejdsgang". Indtil da opdateres '
    "data med kommandoerne `python -m overblik validate` og `publish`."
)


class NotEditor(PermissionError):
    """An editor action was called by someone who is not a logged-in editor. Nothing was changed."""

    def __init__(self, msg: str = EDITOR_REQUIRED + " Intet er ændret."):
        super().__init__(msg)


def _secrets() -> Mapping:
    try:
        return st.secrets.to_dict()
    except Exception:  # no secrets.toml at all (FileNotFoundError / StreamlitSecretNotFoundError)
        return {}


def configured() -> bool:
    """Whether login is configured ([auth] in secrets.toml with a provider)."""
    section = _secrets().get("auth") or {}
    return bool(section) and ("server_metadata_url" in section or any(isinstance(v, Mapping) for v in section.values()))


def roles() -> dict:
    """The [roles] settings with defaults."""
    r = dict(_secrets().get("roles") or {})
    return {
        "editors": [str(e).strip().casefold() for e in r.get("editors", []) if str(e).strip()],
        "editor_claim": str(r.get("editor_claim", "") or ""),
        "editor_claim_values": [str(v) for v in r.get("editor_claim_values", [])],
        "readers_must_log_in": bool(r.get("readers_must_log_in", False)),
    }


def user() -> dict:
    """The logged-in user's claims (st.user), or {} when nobody is logged in or login is not configured."""
    try:
        info = st.user.to_dict()
    except Exception:
        return {}
    return dict(info) if info.get("is_logged_in") else {}


def email(claims: Mapping) -> str | None:
    """Who the user is, as recorded in the history: the e-mail, else Entra ID's preferred_username/upn."""
    for key in ("email", "preferred_username", "upn"):
        v = claims.get(key)
        if isinstance(v, str) and v.strip():
            return v.strip()
    return None


def editor(claims: Mapping, settings: Mapping) -> bool:
    """The role rule: an e-mail on the allow-list, or the configured claim holding an allowed value."""
    if not claims:
        return False
    who = email(claims)
    if who and who.casefold() in settings["editors"]:
        return True
    claim, allowed = settings["editor_claim"], set(settings["editor_claim_values"])
    if claim and allowed:
        value = claims.get(claim)
        values = value if isinstance(value, (list, tuple)) else [value]
        return any(str(v) in allowed for v in values if v is not None)
    return False


def is_logged_in() -> bool:
    return configured() and bool(user())


def is_editor() -> bool:
    """Whether this session's user is an editor (always False without login configured)."""
    return configured() and editor(user(), roles())


def require_editor() -> str:
    """The guard every editor action calls first: returns who the editor is (for the history) or
    raises NotEditor."""
    if not is_editor():
        raise NotEditor()
    claims = user()
    return email(claims) or str(claims.get("sub") or "ukendt redaktør")


def sidebar() -> None:
    """Login state in the sidebar (only when login is configured); when readers must log in, an
    anonymous visitor sees the login button and nothing else."""
    if not configured():
        return
    claims = user()
    with st.sidebar:
        if claims:
            name = claims.get("name") or email(claims) or ""
            role = "redaktør" if is_editor() else "læser"
            st.caption(f"Logget ind som {fmt.md(str(name))} ({role})")
            st.button("Log ud", key="auth-logout", on_click=st.logout, icon=":material/logout:")
        else:
            st.button("Log ind", key="auth-login", on_click=st.login, icon=":material/login:")
    if not claims and roles()["readers_must_log_in"]:
        st.info("Log ind for at se dashboardet.", icon=":material/lock:")
        st.button("Log ind", key="auth-login-main", on_click=st.login, type="primary")
        st.stop()
