""" "Del link" on every reader page (AppTest): closed it is one element and holds nothing; opened it shows the
exact link of the view (the page's address and the query the page was opened with, in the URL's order, as the
address bar writes it) and one Danish sentence naming the filters in words. Text from the URL is shown as
text. Opdater data and Tilgængelighed have none."""

from __future__ import annotations

import urllib.parse

import pytest
from hostile import LINK
from streamlit.testing.v1 import AppTest

from overblik import fmt

BASE = "http://localhost:8501"
KEY = "del-link"


def _open(page: str | None, shared: dict, own: dict, path: str) -> AppTest:
    """The page opened from a link: the shared filters (bound by the shell) in the first run's URL, the page's
    own choices in the page's first run (the shell's first run is Overblik's, which would take a 'siden' of
    its own), and the address the browser would send (st.context.url)."""
    from conftest import ROOT

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for k, v in shared.items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(page)
    for k, v in own.items():
        at.query_params[k] = v
    at.context["url"] = BASE + path
    return at.run()


def _control(at):
    boxes = [b for b in at.get("popover") if b.proto.id.endswith(KEY)]
    assert len(boxes) == 1, "one 'Del link' on the page"
    assert boxes[0].proto.popover.label == "Del link"
    return boxes[0]


def _opened(at):
    at.session_state[KEY] = True
    at.run()
    assert not at.exception, at.exception
    box = _control(at)
    codes, captions = box.get("code"), box.get("caption")
    assert len(codes) == 1 and len(captions) == 1, "the link and one caption"
    return codes[0].value, captions[0].value


def _span(sql) -> str:
    """The whole period the shared filter offers (queries/filter_years.sql, counted here independently)."""
    years = sql(
        "SELECT min(year) a, max(year) b FROM (SELECT year FROM {spending} UNION ALL SELECT year FROM {offer_years}"
        " UNION ALL SELECT year FROM {demand})"
    )
    return f"{int(years.a[0])}-{int(years.b[0])}"


# (page, shared filters, the page's own choices, path, the query as the address bar writes it, the sentence)
CASES = [
    (
        None,
        {"aar": ["2019", "2025"], "kommune": ["Aarhus", "Randers"], "omraade": "Voksne", "siden": "6. okt. 2026 (KKR)"},
        {},
        "/",
        "aar=2019&aar=2025&kommune=Aarhus&kommune=Randers&omraade=Voksne&siden=6.+okt.+2026+%28KKR%29",
        "Linket åbner Overblik med perioden 2019-2025, kommunerne Aarhus og Randers, området Voksne, ændringer "
        "siden mødet 6. okt. 2026 (KKR).",
    ),
    (
        "pages/udgifter.py",
        {"aar": ["2019", "2025"], "kommune": "Aarhus"},
        {"priser": "Faste", "opdeling": "Funktion"},
        "/udgifter",
        "aar=2019&aar=2025&kommune=Aarhus&priser=Faste&opdeling=Funktion",
        "Linket åbner Udgifter med perioden 2019-2025, Aarhus Kommune, faste priser, opdelt på funktion.",
    ),
    (
        "pages/kapacitet.py",
        {"aar": ["2019", "2025"], "kommune": "Aarhus"},
        {"maalgruppe": "V1", "flag": "Overbelægning"},
        "/kapacitet",
        "aar=2019&aar=2025&kommune=Aarhus&maalgruppe=V1&flag=Overbel%C3%A6gning",
        "Linket åbner Kapacitet med perioden 2019-2025, Aarhus Kommune, målgruppe V1, tilbudslisten »Overbelægning«.",
    ),
    (
        "pages/centrale-udmeldinger.py",
        {"omraade": "Voksne"},
        {"status": "Kun åbne"},
        "/centrale-udmeldinger",
        "omraade=Voksne&status=Kun+%C3%A5bne",
        "Linket åbner Centrale udmeldinger med tidslinjen »Kun åbne«; sidepanelets filtre følger med (området "
        "Voksne), men ændrer ikke siden.",
    ),
    (
        "pages/handlingsplan.py",
        {"aar": ["2019", "2025"]},
        {"initiativstatus": ["Risiko", "Forsinket"], "siden": "6. okt. 2026 (KKR)"},
        "/handlingsplan",
        "aar=2019&aar=2025&initiativstatus=Risiko&initiativstatus=Forsinket&siden=6.+okt.+2026+%28KKR%29",
        "Linket åbner Handlingsplan med status risiko og forsinket, ændringer siden mødet 6. okt. 2026 (KKR); "
        "sidepanelets filtre følger med (perioden 2019-2025), men ændrer ikke siden.",
    ),
    ("pages/om-data.py", {}, {}, "/om-data", "", "Linket åbner Om data."),
    (
        "pages/siden-sidste-moede.py",
        {"omraade": "Børn og unge"},
        {"siden": "6. okt. 2026 (KKR)"},
        "/siden-sidste-moede",
        "omraade=B%C3%B8rn+og+unge&siden=6.+okt.+2026+%28KKR%29",
        "Linket åbner Siden sidste møde med hele perioden (nu {span}), hele regionen, området Børn og unge, "
        "ændringer siden mødet 6. okt. 2026 (KKR).",
    ),
]


@pytest.mark.parametrize(("page", "shared", "own", "path", "query", "text"), CASES, ids=[c[3] for c in CASES])
def test_the_link_is_the_view_opened(data_dir, sql, page, shared, own, path, query, text):
    at = _open(page, shared, own, path)
    assert not at.exception, at.exception
    closed = _control(at)
    assert len(closed.children) == 0, "a closed 'Del link' sends nothing but itself"

    link, caption = _opened(at)
    parts = urllib.parse.urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == BASE + path
    assert parts.query == query
    assert link == BASE + path + (f"?{query}" if query else "")
    # the same values, in the order the page was opened with (the shared filters first, then the page's)
    opened = [(k, v) for k, vs in {**shared, **own}.items() for v in ([vs] if isinstance(vs, str) else vs)]
    assert urllib.parse.parse_qsl(parts.query) == opened
    sentence = text.format(span=_span(sql))
    assert caption.startswith(fmt.md(sentence) + " "), caption

    at.run()  # the next run (a click elsewhere) keeps it open, with the same link
    assert _control(at).get("code")[0].value == link


def test_text_from_the_url_is_text(data_dir):
    """A value the dashboard does not know is carried in the link (it is in the URL) and named as text: its
    markdown is escaped, never a link."""
    at = _open("pages/udgifter.py", {}, {"note": LINK}, "/udgifter")
    link, caption = _opened(at)
    assert link == BASE + "/udgifter?note=" + urllib.parse.quote_plus(LINK)
    assert fmt.md(f"note: {LINK}") in caption
    assert "](http" not in caption.replace("\\]\\(http", "")


@pytest.mark.parametrize("page", ["pages/opdater.py", "pages/tilgaengelighed.py"])
def test_no_control_on_the_editors_page_and_the_statement(data_dir, page):
    at = _open(page, {}, {}, "/" + page[6:-3])
    assert not at.exception, at.exception
    assert not [b for b in at.get("popover") if b.proto.id.endswith(KEY)]
