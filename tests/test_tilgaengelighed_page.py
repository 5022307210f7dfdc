"""The accessibility statement page (AppTest): the sections Digitaliseringsstyrelsen's model asks for,
and the footer link to it on every page."""

from overblik import tilgaengelighed

PAGE = "pages/tilgaengelighed.py"


def test_statement_has_the_required_sections(app_test):
    at = app_test(page=PAGE)
    assert not at.exception
    assert [t.value for t in at.title] == ["Tilgængelighedserklæring"]
    assert [h.value for h in at.header] == [
        "Overholdelsesstatus",
        "Ikke-tilgængeligt indhold",
        "Sådan er erklæringen udarbejdet",
        "Feedback og kontaktoplysninger",
        "Håndhævelsesprocedure",
    ]
    assert [h.value for h in at.subheader] == [title for title, _ in tilgaengelighed.NOT_ACCESSIBLE]
    text = " ".join(m.value for m in at.markdown)
    assert "delvist" in text and "Digitaliseringsstyrelsen" in text
    assert "29. nov. 2026" in at.caption[0].value


def test_footer_links_to_the_statement(app_test):
    at = app_test()
    last = list(at.main)[-1]
    assert last.type == "page_link"
    assert last.proto.page == "tilgaengelighed" and last.proto.label == "Tilgængelighedserklæring"
