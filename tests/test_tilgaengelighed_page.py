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


def test_contact_comes_from_secrets_then_the_environment():
    env = {tilgaengelighed.EMAIL_ENV: "rammeaftale@eksempel.dk", tilgaengelighed.PHONE_ENV: "+45 12 34 56 78"}
    assert tilgaengelighed.contact({}, env) == ("rammeaftale@eksempel.dk", "+45 12 34 56 78")
    secrets = {"contact": {"email": "sekr_kkr@eksempel.dk"}}
    assert tilgaengelighed.contact(secrets, env) == ("sekr_kkr@eksempel.dk", "+45 12 34 56 78")
    # anything but a plain address or number counts as not set (never rendered as markdown or a link)
    bad = {"contact": {"email": "x@y.dk)[klik](javascript:alert(1)", "phone": "ring <b>nu</b>"}}
    assert tilgaengelighed.contact(bad, {}) == (None, None)


def test_feedback_names_the_configured_contact_or_says_it_must_be_set():
    text = tilgaengelighed.feedback("sekr_kkr@eksempel.dk", "12 34 56 78")
    assert "sekretariatet for Rammeaftalen" in text
    assert "[sekr\\_kkr@eksempel.dk](mailto:sekr_kkr@eksempel.dk) eller ring på 12 34 56 78." in text
    unset = tilgaengelighed.feedback(None, None)
    assert "Sekretariatets e-mailadresse og telefonnummer er ikke oplyst her endnu." in unset
    assert "secrets" not in unset and tilgaengelighed.EMAIL_ENV not in unset  # the set-up is for the editors
    assert "mailto:" not in unset


def test_the_statement_shows_the_contact_from_the_environment(app_test, monkeypatch):
    monkeypatch.setenv(tilgaengelighed.EMAIL_ENV, "rammeaftale@eksempel.dk")
    at = app_test(page=PAGE)
    text = " ".join(m.value for m in at.markdown)
    assert "mailto:rammeaftale@eksempel.dk" in text
    assert "20 16 36 12" in text and "10 arbejdsdage" in text  # the route on to Digitaliseringsstyrelsen


def test_the_statement_says_streamlits_english_texts_are_put_in_danish():
    """Streamlit's own English texts are put in Danish in the browser (ui.DANISH; the browser test
    test_streamlits_own_names_and_texts_are_danish checks every page); the statement says so, and what may be left."""
    listed = " ".join(text for _, text in tilgaengelighed.NOT_ACCESSIBLE)
    assert "Dashboardet sætter dem på dansk i browseren" in listed
    assert "tekster, vi endnu ikke har oversat (WCAG 3.1.2)" in listed
