"""Centrale udmeldinger slice (overblik/udmeldinger.py) without Streamlit: its view data against
independent SQL and hand-worked answers."""

from overblik import clock, fmt, udmeldinger

TODAY = clock.today()


def test_top_counts_latest_decision_and_pending(data_dir, sql):
    n = sql(
        "SELECT count(*) FILTER (WHERE is_open = 1) AS o, count(*) FILTER (WHERE is_open = 0) AS c "
        "FROM {central_notices}"
    )
    top = udmeldinger.top(TODAY)
    assert (top.n_open, top.n_closed) == (str(n.o[0]), str(n.c[0]))
    assert top.latest_decision == "dec. 2025"  # the real data: ultimo 2025
    assert (top.next_label, top.next_when) == ("Afventer beslutning siden", "maj 2024")  # CU-2019-2
    open_ids = sql("SELECT notice_id FROM {central_notices} WHERE is_open = 1 ORDER BY target_group").notice_id
    assert top.open["Udmelding"].tolist() == open_ids.tolist()


def test_a_choice_keeps_its_notices_and_an_empty_one_none(data_dir, sql):
    view = udmeldinger.chosen("afsluttede", TODAY)
    want = sql("SELECT notice_id FROM {central_notices} WHERE is_open = 0 ORDER BY notice_id").notice_id.tolist()
    assert sorted(view.table["Udmelding"]) == want
    assert sorted(set(view.events["Udmelding"])) == want
    assert udmeldinger.chosen("ingen sådan status", TODAY) is None


def test_unknown_url_values_are_named(data_dir):
    options = udmeldinger.filter_options()
    assert options[:3] == ["alle", "åbne", "afsluttede"]
    assert udmeldinger.unknown_choices(["Kun åbne", "Lukket", "Status: Afsluttet"], options) == ["Lukket"]


def test_shorten_cuts_at_a_word():
    assert fmt.shorten("Borgere med udviklingshæmning og dom", 20) == "Borgere med…"
    assert fmt.shorten("Kort navn", 20) == "Kort navn"
