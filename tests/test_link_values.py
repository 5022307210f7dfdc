"""A shared link with a page's own choices that the page cannot use: a quiet Danish notice names each value
(as text, never markdown), and the page shows its default (AppTest)."""

import pytest
from hostile import LINK
from streamlit.testing.v1 import AppTest

from overblik import fmt

CASES = [
    ("pages/udgifter.py", {"priser": ["Gamle"], "visning": ["x"], "opdeling": [LINK]}, 3),
    ("pages/kapacitet.py", {"maalgruppe": ["Z9"], "indberetning": ["1999"], "flag": ["xx"], "driftsherre": ["Foo"]}, 4),
    ("pages/centrale-udmeldinger.py", {"status": [LINK]}, 1),
    ("pages/handlingsplan.py", {"princip": ["P9"], "initiativstatus": ["Foo"], "ansvarlig": ["x"]}, 3),
    ("pages/handlingsplan.py", {"initiativ": ["P1-02"], "siden": ["3. dec. 2026 (KKR)"]}, 2),  # an id alone
    ("pages/siden-sidste-moede.py", {"siden": [LINK]}, 1),
    ("pages/overblik.py", {"siden": ["1. jan. 2020"]}, 1),
]


def _open(page: str | None, query: dict) -> AppTest:
    """The page opened from a link: the link's values reach the page's own first run (the shell's run of
    Overblik, which AppTest makes first, would otherwise have taken the shared 'siden' value)."""
    from conftest import ROOT

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    if page:
        at.run().switch_page(page)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def _notices(at) -> list[str]:
    return [c.value for c in at.main.caption if c.value.startswith("⚠ Linket havde")]


@pytest.mark.parametrize("page,query,n", CASES, ids=[f"{c[0][6:-3]}-{i}" for i, c in enumerate(CASES)])
def test_values_a_page_cannot_use_are_named(data_dir, page, query, n):
    at = _open(page if page != "pages/overblik.py" else None, query)
    assert not at.exception, at.exception
    notices = _notices(at)
    assert len(notices) == n, notices
    for values in query.values():
        for v in values:
            if v == LINK:  # escaped: shown as the characters, not as a link
                assert any("\\[Log ind her\\]\\(http" in c for c in notices), notices
            else:
                assert any(fmt.md(v) in c for c in notices), (v, notices)
    assert all("findes her" in c for c in notices)
