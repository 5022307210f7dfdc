"""Centrale udmeldinger slice (overblik/udmeldinger.py) without Streamlit: its view data against
independent SQL and hand-worked answers."""

from overblik import clock, fmt, udmeldinger

TODAY = clock.today()
UNKNOWN = "outcome ILIKE 'udfald ikke fundet%'"  # the reference data's words for an outcome no source gives


def test_top_counts_latest_decision_and_pending(data_dir, sql):
    n = sql(
        "SELECT count(*) FILTER (WHERE is_open = 1) AS o, "
        f"count(*) FILTER (WHERE is_open = 0 AND NOT {UNKNOWN}) AS c, "
        f"count(*) FILTER (WHERE is_open = 0 AND {UNKNOWN}) AS u FROM {{central_notices}}"
    )
    top = udmeldinger.top(TODAY)
    assert (top.n_open, top.n_closed, top.n_unknown) == (str(n.o[0]), str(n.c[0]), str(n.u[0]))
    assert (top.n_open, top.n_unknown) == ("1", "1")  # CU-2019-2 awaits the board; CU-2022-1 outcome unknown
    assert top.latest_decision == "dec. 2025"  # the real data: ultimo 2025
    assert (top.next_label, top.next_when) == ("Afventer beslutning siden", "maj 2024")  # CU-2019-2
    open_ids = sql("SELECT notice_id FROM {central_notices} WHERE is_open = 1 ORDER BY target_group").notice_id
    assert top.open["Udmelding"].tolist() == open_ids.tolist()


def test_a_choice_keeps_its_notices_and_an_empty_one_none(data_dir, sql):
    view = udmeldinger.chosen("afsluttede", TODAY)
    want = sql(
        f"SELECT notice_id FROM {{central_notices}} WHERE is_open = 0 AND NOT {UNKNOWN} ORDER BY notice_id"
    ).notice_id.tolist()
    assert sorted(view.table["Udmelding"]) == want
    assert sorted(set(view.events["Udmelding"])) == want
    view = udmeldinger.chosen("ukendt", TODAY)
    assert list(view.table["Udmelding"]) == ["CU-2022-1"]
    assert list(view.table["Stade"]) == ["Udfald ukendt"]
    assert udmeldinger.chosen("ingen sådan status", TODAY) is None


def test_unknown_url_values_are_named(data_dir):
    options = udmeldinger.filter_options()
    assert options[:4] == ["alle", "åbne", "afsluttede", "ukendt"]
    assert udmeldinger.unknown_choices(["Kun åbne", "Lukket", "Status: Afsluttet"], options) == ["Lukket"]


def test_shorten_cuts_at_a_word():
    assert fmt.shorten("Borgere med udviklingshæmning og dom", 20) == "Borgere med…"
    assert fmt.shorten("Kort navn", 20) == "Kort navn"
