"""Hostile text in data and in the URL is shown as text on every page, never as markup: no image, link or
HTML from data in Markdown, labels or charts (AppTest here; the real browser in test_hostile_browser.py)."""

from __future__ import annotations

import json
import re

import pytest
from google.protobuf.json_format import MessageToDict
from hostile import QUERY, ROOT, make

PAGES = [
    None,
    "pages/udgifter.py",
    "pages/kapacitet.py",
    "pages/centrale-udmeldinger.py",
    "pages/handlingsplan.py",
    "pages/om-data.py",
]

# Markup that would render: raw HTML tags, and Markdown links/images not escaped by fmt.md.
LIVE_MARKDOWN = [
    re.compile(r"(?<!\\)<img"),
    re.compile(r"(?<!\\)<a href"),
    re.compile(r"(?<!\\)\]\(http://evil"),
    re.compile(r"(?<!\\)\]\(http\\?://evil"),
    re.compile(r"https?://evil"),  # a bare address becomes a link (GFM autolink literal)
    re.compile(r"\n\s*(?<!\\)=+"),  # a line of '=' under a line: a heading
    re.compile(r"(?<!\\)&lt;"),  # an entity: '<'
    re.compile(r":material/"),  # an icon (Streamlit draws it even with its colons escaped)
]
LIVE_PLOTLY = [re.compile(r"<img"), re.compile(r"<a href")]
# Element fields that are data shown as text (tables, widget option lists, raw chart specs): not Markdown.
NOT_MARKDOWN = {"data", "spec", "options", "default", "value", "rawValues", "formattedValue", "arrowData", "id", "icon"}


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory):
    return make(tmp_path_factory.mktemp("hostile") / "data")


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def _strings(d, key=""):
    if isinstance(d, dict):
        for k, v in d.items():
            if k not in NOT_MARKDOWN:
                yield from _strings(v, k)
    elif isinstance(d, list):
        for v in d:
            yield from _strings(v, key)
    elif isinstance(d, str) and key == "columns":
        # st.dataframe's column configuration (JSON) is keyed by the column names, which the grid draws
        # as text; its labels and help texts are what could be Markdown
        for config in json.loads(d).values():
            yield from _strings({k: v for k, v in config.items() if k in ("label", "help")}, key)
    elif isinstance(d, str):
        yield key, d


def _plotly_strings(d):
    if isinstance(d, dict):
        for v in d.values():
            yield from _plotly_strings(v)
    elif isinstance(d, list):
        for v in d:
            yield from _plotly_strings(v)
    elif isinstance(d, str):
        yield d


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p or "overblik")
def test_hostile_text_is_shown_as_text(hostile_dir, monkeypatch, page):
    from streamlit.testing.v1 import AppTest

    from overblik import db

    monkeypatch.setenv("OVERBLIK_DATA_DIR", str(hostile_dir))
    db.clear()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    for k, v in QUERY.items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    live = []
    for node in _walk(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None:
            continue
        if getattr(node, "type", "") == "plotly_chart":
            for s in _plotly_strings(json.loads(proto.spec)):
                live += [f"plotly: {s[:120]}" for rx in LIVE_PLOTLY if rx.search(s)]
            continue
        if getattr(node, "type", "") in ("text", "code"):  # plain text, not Markdown
            continue
        if getattr(node, "type", "") == "table":  # st.table (ui.text_table): every cell and name is Markdown
            cells = [str(c) for c in node.value.columns] + [str(v) for c in node.value.columns for v in node.value[c]]
            live += [f"table: {s[:160]}" for s in cells for rx in LIVE_MARKDOWN if rx.search(s)]
        for key, s in _strings(MessageToDict(proto)):
            live += [f"{getattr(node, 'type', '?')}.{key}: {s[:160]}" for rx in LIVE_MARKDOWN if rx.search(s)]
    assert not live, "\n".join(live)
    if page is None:  # the first run of a crafted link echoes its invalid values, escaped
        notice = " ".join(c.value for c in at.sidebar.caption)
        assert "ugyldige filterværdier" in notice and "\\[Log ind her\\]" in notice
    db.clear()
