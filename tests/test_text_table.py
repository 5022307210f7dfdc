"""ui.text_table: tables of text shown whole (st.table), whose cells are Markdown - so every data text is
escaped, only an http(s) address becomes a link, and numbers are Danish."""

import pandas as pd
from apptest_helpers import plain

from overblik import fmt, ui

HOSTILE = "<b>x</b> [klik](javascript:alert(1)) **fed** http://evil.example ![](http://evil/img.png) # P1-02"


def cells(df, links=(), units=None):
    return ui._text_cells(df, tuple(links), units or {})


def test_data_text_is_escaped_and_reads_back_as_it_was():
    shown = cells(pd.DataFrame({"Bemærkning": [HOSTILE, None], "Id": ["P1-02", "U-01"]}))
    note = shown["Bemærkning"][0]
    assert "<b>" not in note and "](" not in note.replace("\\](", "") and "http://evil" not in note
    assert plain(note) == HOSTILE
    assert shown["Bemærkning"][1] == fmt.MISSING


def test_only_web_addresses_become_links_named_by_their_host():
    shown = cells(
        pd.DataFrame({"Kilde": ["https://www.sbst.dk/a b(c)", "javascript:alert(1)", None]}), links=("Kilde",)
    )
    assert shown["Kilde"][0] == "[sbst\\.dk](https://www.sbst.dk/a%20b%28c%29)"
    assert "](" not in shown["Kilde"][1] and plain(shown["Kilde"][1]) == "javascript:alert(1)"
    assert shown["Kilde"][2] == fmt.MISSING


def test_short_cells_stay_on_one_line_and_long_ones_wrap():
    shown = cells(pd.DataFrame({"Frist": ["31. dec. 2026"], "Id": ["P1-01"], "Tekst": ["Forsinket: ny tidsplan"]}))
    assert " " not in shown["Frist"][0] and "\u00a0" in shown["Frist"][0]
    assert shown["Id"][0] == "P1\u201101"  # a non-breaking hyphen
    assert " " in shown["Tekst"][0]


def test_numbers_are_danish_with_the_columns_unit():
    shown = cells(
        pd.DataFrame({"Fremdrift": [65.0, 100.0, None], "Beløb": [1234.5, 2.0, -3.0]}), units={"Fremdrift": "%"}
    )
    assert [plain(v) for v in shown["Fremdrift"]] == ["65 %", "100 %", "–"]
    assert [plain(v) for v in shown["Beløb"]] == ["1.234,5", "2,0", "−3,0"]
