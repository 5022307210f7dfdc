"""Opdater data in AppTest: editors see the workplace, readers and anonymous visitors only "kræver
login som redaktør", and without login configured the page says how to enable it."""

from __future__ import annotations

import pytest
from auth_helpers import EDITOR, READER, ROLE_EDITOR, ROLES, USERS, auth_section
from conftest import ROOT

from overblik import opdater

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


def test_editor_sees_the_empty_tables_choice(data_dir):
    at = _run(_app(USERS[EDITOR]))
    box = [m for m in at.multiselect if m.key == "opd-allow-empty"]
    assert len(box) == 1 and box[0].label.startswith("Tabeller, der skal være tomme") and box[0].value == []


def test_login_expiring_mid_upload_publishes_nothing(tmp_path, monkeypatch):
    """An editor uploads and checks a file; the login expires before "Udgiv": refused with a Danish
    message, nothing published, the current data unchanged. Logged in again, the editor can publish."""
    import io
    import json
    import shutil
    import zipfile

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    monkeypatch.setenv("OVERBLIK_DATA_DIR", str(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("meetings.csv", "meeting_date;body;title\n2027-03-04;KKR;KKR-møde marts\n")
    upload = ("moeder.zip", buf.getvalue(), "application/zip")
    snapshots = sorted(p.name for p in (data / "snapshots").iterdir())

    at = _run(_app(USERS[EDITOR]))
    at.file_uploader[0].set_value(upload)
    at.run()
    assert any("er gyldig" in s.value for s in at.success), [e.value for e in at.error]
    at.text_input(key="opd-note").input("Nyt KKR-møde")
    at.run()

    at.user = {"is_logged_in": False}  # the login expires (or the editor logs out in another tab)
    next(b for b in at.button if b.key == "opd-publish").click()
    at.run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == ["Denne side kræver login som redaktør."]
    assert [w.value for w in at.warning] == [opdater.SESSION_ENDED]
    assert len(at.get("file_uploader")) == 0 and not [b for b in at.button if b.key == "opd-publish"]
    assert (data / "CURRENT").read_text().strip() == "demo" and not (data / "events.jsonl").exists()
    assert sorted(p.name for p in (data / "snapshots").iterdir()) == snapshots

    at.user = {"is_logged_in": True, "sub": EDITOR, **USERS[EDITOR]}  # logged in again
    at.run()
    assert not at.warning and len(at.tabs) == 4
    at.file_uploader[0].set_value(upload)
    at.run()
    at.text_input(key="opd-note").input("Nyt KKR-møde")
    at.run()
    next(b for b in at.button if b.key == "opd-publish").click()
    at.run()
    assert any("Udgivet som datasæt" in s.value for s in at.success)
    sid = (data / "CURRENT").read_text().strip()
    assert (
        sid != "demo" and json.loads((data / "snapshots" / sid / "manifest.json").read_text())["published_by"] == EDITOR
    )
