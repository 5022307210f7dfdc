"""Opdater data in AppTest: editors see the workplace, readers and anonymous visitors only "kræver
login som redaktør", and without login configured the page says how to enable it."""

from __future__ import annotations

import pytest
from auth_helpers import EDITOR, READER, ROLE_EDITOR, ROLES, USERS, auth_section
from conftest import ROOT

PAGE = "pages/opdater.py"


def _app(user: dict | None, configured: bool = True):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    if configured:
        at.secrets["auth"] = auth_section("http://127.0.0.1:9")
        at.secrets["roles"] = ROLES
    if user is not None:
        at.user = {"is_logged_in": True, "sub": user["email"], **user}
    return at


def _run(at, page=PAGE):
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _texts(at) -> str:
    return " ".join(str(e.value) for kind in (at.markdown, at.error, at.info, at.caption) for e in kind)


@pytest.mark.parametrize("who", [EDITOR, ROLE_EDITOR])
def test_editor_sees_the_workplace(data_dir, who):
    at = _run(_app(USERS[who]))
    assert [t.label for t in at.tabs] == ["Data fra Excel", "Handlingsplan", "Møder", "Historik og tilbagerulning"]
    assert "Denne side kræver login som redaktør." not in _texts(at)
    assert any(b.label == "Gem og udgiv" for b in at.button)
    assert len(at.get("data_editor")) == 2  # initiatives and meetings
    assert "højst 25 MB" in at.get("file_uploader")[0].proto.label


@pytest.mark.parametrize("user", [USERS[READER], None], ids=["reader", "anonymous"])
def test_reader_and_anonymous_get_nothing_else(data_dir, user):
    at = _run(_app(user))
    assert [e.value for e in at.error] == ["Denne side kræver login som redaktør."]
    assert len(at.tabs) == 0 and len(at.get("file_uploader")) == 0 and len(at.get("data_editor")) == 0
    assert [b.label for b in at.button if b.key and b.key.startswith("opd-")] == ([] if user else ["Log ind"])
    assert at.title == [] or all("Opdater" not in t.value for t in at.title)


def test_without_login_configured_the_page_says_how(data_dir):
    at = _run(_app(None, configured=False))
    assert "Login er ikke slået til" in at.info[0].value and "secrets.toml" in at.info[0].value
    assert len(at.tabs) == 0 and len(at.button) == 0


def test_reader_pages_still_work_with_login_configured(data_dir):
    at = _run(_app(USERS[READER]), "pages/overblik.py")
    assert any("Logget ind som" in c.value and "læser" in c.value for c in at.caption)
