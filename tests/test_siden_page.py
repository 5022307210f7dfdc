"""Siden sidste møde (AppTest): the page opens on the last meeting before today, says which data it
compares, and shows the Overblik headline numbers then -> now; Overblik has the compact section."""

from apptest_helpers import table

PAGE = "pages/siden-sidste-moede.py"


def test_page_opens_with_meeting_and_headlines(app_test):
    at = app_test(page=PAGE)
    assert not at.exception
    assert at.title[0].value == "Siden sidste møde"
    assert at.selectbox(key="siden").value == "12. nov. 2026 (DASSOS)"
    # the shipped demo snapshot was published after that meeting: no data then, and the page says so
    assert any("intet udgivet datasæt" in i.value for i in at.info)
    heads = table(at, "Ved mødet")
    assert {"Udgifter", "Kapacitet", "Centrale udmeldinger", "Handlingsplan"} <= set(heads["Blok"])


def test_overblik_has_the_since_section(app_test):
    at = app_test()
    assert not at.exception
    assert any(s.value == "Siden mødet" for s in at.subheader)


def test_page_source_stays_thin():
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / PAGE).read_text(encoding="utf-8")
    assert "db.run" not in text and "open(" not in text
