""" "Vis tal" (the numbers behind a chart) is built only when the reader opens it: a closed expander or
popover holds nothing, an opened one its table and downloads, and it stays open on the next run."""

from __future__ import annotations

import pytest
from apptest_helpers import numbers_keys, open_numbers

PAGES = [
    ("pages/overblik.py", "popover"),
    ("pages/udgifter.py", "expander"),
    ("pages/kapacitet.py", "expander"),
    ("pages/centrale-udmeldinger.py", "expander"),
    ("pages/handlingsplan.py", "expander"),
]


def numbers_blocks(at, kind: str) -> list:
    return [b for b in at.get(kind) if b.proto.id.endswith("-tal")]


@pytest.mark.parametrize(("page", "kind"), PAGES)
def test_numbers_are_drawn_only_when_opened(app_test, page, kind):
    at = app_test(page=page)
    assert not at.exception, at.exception
    closed = numbers_blocks(at, kind)
    assert closed and len(closed) == len(numbers_keys(at))
    assert all(len(b.children) == 0 for b in closed), "a closed 'Vis tal' sends nothing"
    tables_closed = len(at.dataframe)

    open_numbers(at)
    assert not at.exception, at.exception
    opened = numbers_blocks(at, kind)
    assert len(opened) == len(closed)
    for b in opened:
        assert len(b.get("dataframe")) == 1, b.proto.id
        want = ["Hent CSV", "Hent Excel"] + (["Hent graf som billede (PNG)"] if kind == "expander" else [])
        assert [c.label for c in b.get("download_button")] == want, b.proto.id
    assert len(at.dataframe) == tables_closed + len(opened)

    at.run()  # the next run (a filter change, a click elsewhere) keeps them open
    assert all(len(b.get("dataframe")) == 1 for b in numbers_blocks(at, kind))


def test_one_opened_expander_draws_only_its_own_table(app_test):
    at = app_test(page="pages/udgifter.py")
    key = numbers_keys(at)[0]
    at.session_state[key] = True
    at.run()
    filled = [b.proto.id for b in numbers_blocks(at, "expander") if len(b.children)]
    assert len(filled) == 1 and filled[0].endswith(key)
