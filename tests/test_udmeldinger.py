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


def test_filter_options_start_with_the_groups(data_dir):
    options = udmeldinger.filter_options()
    assert options[:4] == ["alle", "åbne", "afsluttede", "ukendt"]
    assert [udmeldinger.filter_label(o) for o in options[:3]] == ["Alle udmeldinger", "Kun åbne", "Kun afsluttede"]


def test_shorten_cuts_at_a_word():
    assert fmt.shorten("Borgere med udviklingshæmning og dom", 20) == "Borgere med…"
    assert fmt.shorten("Kort navn", 20) == "Kort navn"


def test_source_links_list_every_shown_notice_as_a_real_link(data_dir, sql):
    """One markdown block, a link per notice the choice keeps, then the open ones it leaves out."""
    want = sql(
        "SELECT notice_id, source_url FROM {central_notices} WHERE is_open = 0 AND NOT "
        f"{UNKNOWN} UNION ALL SELECT notice_id, source_url FROM {{central_notices}} WHERE is_open = 1"
    )
    text = udmeldinger.source_links("afsluttede")
    items = [line for line in text.splitlines() if line.startswith("- ")]
    assert len(items) == len(want)
    for nid, url in zip(want.notice_id, want.source_url):
        assert f"]({url})" in text, url  # these addresses need no encoding
        assert any(line.startswith(f"- {fmt.md(nid)} · [Kilde: ") for line in items), nid
    assert f"({fmt.md('sbst.dk')})](https://www.sbst.dk/" in text


def test_a_source_link_escapes_its_text_and_only_links_http():
    item = udmeldinger.source_link("CU-1", "Børn [x](javascript:alert(1)) *fed*", "https://eks.dk/a b(c)<d>")
    assert item.endswith(f"({fmt.md('eks.dk')})](https://eks.dk/a%20b%28c%29%3Cd%3E)")
    assert "\\[x\\]\\(javascript" in item and "\\*fed\\*" in item
    bad = udmeldinger.source_link("CU-2", "Voksne", "javascript:alert(1)")
    assert "](" not in bad and "adresse: javascript\\:alert\\(1\\)" in bad
    assert "ingen adresse oplyst" in udmeldinger.source_link("CU-3", "Voksne", None)
