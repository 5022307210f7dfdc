"""Centrale udmeldinger (AppTest): key message, timeline, table and status filter against independent SQL."""

import json

import pytest
from apptest_helpers import metric, open_numbers, table

from overblik import clock

PAGE = "pages/centrale-udmeldinger.py"
TODAY = clock.today()

# The first day a partial date ('2015', '2015-11', '2015-11-01') covers, written out independently.
START = "CAST(CASE length({c}) WHEN 4 THEN {c} || '-01-01' WHEN 7 THEN {c} || '-01' ELSE {c} END AS DATE)"


@pytest.fixture
def page(app_test):
    at = app_test(page=PAGE)
    assert not at.exception, at.exception
    return at


def test_key_message_counts_latest_decision_and_pending(page, sql):
    n = sql(
        "SELECT count(*) FILTER (WHERE is_open = 1) AS o, "
        "count(*) FILTER (WHERE is_open = 0 AND NOT outcome ILIKE 'udfald ikke fundet%') AS c, "
        "count(*) FILTER (WHERE is_open = 0 AND outcome ILIKE 'udfald ikke fundet%') AS u FROM {central_notices}"
    )
    assert metric(page, "Åbne udmeldinger") == str(n.o[0])
    assert metric(page, "Afsluttede udmeldinger") == str(n.c[0])
    assert metric(page, "Udfald ukendt") == str(n.u[0]) == "1"
    text = " ".join(m.value for m in page.markdown)
    assert f"**{n.o[0]} åben**" in text and f"**{n.c[0]} afsluttede**" in text
    assert f"**{n.u[0]} med udfald ukendt**" in text

    latest = sql(
        "SELECT decision_date, target_group FROM {central_notices} WHERE is_open = 0 "
        "AND NOT outcome ILIKE 'udfald ikke fundet%' "
        f"AND decision_date IS NOT NULL ORDER BY {START.format(c='decision_date')} DESC LIMIT 1"
    )
    assert latest.decision_date[0] == "2025-12"  # the real data: ultimo 2025 (sikret afdeling, Vestdanmark)
    assert metric(page, "Seneste beslutning") == "dec. 2025"
    assert "udviklingshæmning og dom" in text

    # nothing is dated ahead, so the pending one is the open notice with the most recent event
    pending = sql(
        "SELECT notice_id, target_group, renewed_treatment FROM {central_notices} WHERE is_open = 1 "
        f"ORDER BY {START.format(c='greatest(issued, report_submitted, decision_date, renewed_treatment)')} "
        "DESC LIMIT 1"
    )
    assert pending.notice_id[0] == "CU-2019-2"
    assert metric(page, "Afventer beslutning siden") == "maj 2024"
    assert "Udsatte gravide" in text
    assert "Udfald ukendt: for 1 udmelding er udfaldet ikke fundet i offentlige kilder" in text


def test_table_lists_every_notice_with_real_source_links(page, sql):
    want = sql(
        "SELECT notice_id, target_group, status, outcome, midtjylland_response, source_url "
        f"FROM {{central_notices}} ORDER BY {START.format(c='issued')}, notice_id"
    )
    shown = table(page, "Midtjyllands svar")
    assert shown["Udmelding"].tolist() == want.notice_id.tolist()
    assert shown["Målgruppe"].tolist() == want.target_group.tolist()
    assert shown["Status"].tolist() == want.status.tolist()
    assert shown["Kilde"].tolist() == want.source_url.tolist()
    assert all(u.startswith("https://") for u in shown["Kilde"])
    # the source column is a link to the public page, named by its host
    cells = next(t.value for t in page.table if "Kilde" in t.value.columns)["Kilde"]
    assert all(c.startswith((r"[sbst\.dk](https://", "[rammeaftale")) for c in cells), cells.tolist()
    # an empty answer says so; the unknown outcome is stated as the data has it
    for (_, row), answer in zip(shown.iterrows(), want.midtjylland_response):
        expected = answer if isinstance(answer, str) and answer.strip() else "Ikke oplyst i kilderne"
        assert row["Midtjyllands svar"] == expected
    unknown = shown.set_index("Udmelding").loc["CU-2022-1", "Udfald"]
    assert unknown == "Udfald ikke fundet i offentlige kilder"


def test_partial_dates_keep_their_precision(page):
    shown = table(page, "Midtjyllands svar").set_index("Udmelding")
    assert shown.loc["CU-2014-1", "Udmeldt"] == "1. nov. 2014"  # '2014-11-01'
    assert shown.loc["CU-2015-1", "Udmeldt"] == "nov. 2015"  # '2015-11'
    assert shown.loc["CU-2020-1", "Seneste beslutning/hændelse"] == "2023"  # '2023'
    # the other dates are in the timeline's numbers (the table shows the first and the latest)
    events = table(open_numbers(page), "Hændelse").set_index(["Udmelding", "Hændelse"])["Dato"]
    # the verified reference: the renewed-treatment request was sent 23 Nov 2023 (seed 000 says "i 2024")
    assert events.loc[("CU-2019-1", "Fornyet behandling anmodet")] == "23. nov. 2023"
    assert events.loc[("CU-2015-1", "Afrapportering indsendt")] == "okt. 2016"
    assert ("CU-2014-1", "Fornyet behandling anmodet") not in events.index


def test_timeline_has_every_dated_event_symbols_and_a_today_line(page, sql):
    n = sql(
        "SELECT count(issued) + count(report_submitted) + count(decision_date) + count(renewed_treatment) AS n "
        "FROM {central_notices}"
    ).n[0]
    events = table(open_numbers(page), "Hændelse")  # the timeline's numbers, behind "Vis tal"
    assert len(events) == n
    spec = json.loads(page.get("plotly_chart")[0].proto.spec)
    markers = [t for t in spec["data"] if t.get("mode") == "markers"]
    symbols = {t["name"]: t["marker"]["symbol"] for t in markers}
    assert len(set(symbols.values())) == len(symbols) >= 4, "each kind of event has its own symbol"
    assert {"Udmeldt", "Afrapportering indsendt", "Fornyet behandling anmodet"} <= set(symbols)
    today_lines = [s for s in spec["layout"]["shapes"] if s["x0"] == TODAY.isoformat()]
    assert today_lines, "a line marks today"
    assert any("I dag" in a["text"] for a in spec["layout"]["annotations"])


@pytest.mark.parametrize(
    "label,value,where",
    [
        ("Kun åbne", "åbne", "is_open = 1"),
        ("Kun afsluttede", "afsluttede", "is_open = 0 AND NOT outcome ILIKE 'udfald ikke fundet%'"),
        ("Kun udfald ukendt", "ukendt", "is_open = 0 AND outcome ILIKE 'udfald ikke fundet%'"),
        ("Status: Afsluttet", "Afsluttet", "status = 'Afsluttet'"),
    ],
)
def test_status_filter_is_read_from_the_url(app_test, sql, label, value, where):
    at = open_numbers(app_test(page=PAGE, query={"status": label}))
    assert not at.exception, at.exception
    assert at.selectbox(key="status").value == value
    want = sql(f"SELECT notice_id FROM {{central_notices}} WHERE {where} ORDER BY notice_id").notice_id.tolist()
    assert sorted(table(at, "Midtjyllands svar")["Udmelding"]) == want
    assert sorted(set(table(at, "Hændelse")["Udmelding"])) == want


def test_changing_the_filter_changes_the_page_and_is_bound_to_the_url(page, sql):
    box = page.selectbox(key="status")
    assert box.proto.query_param_key == "status"  # the browser writes it to the URL (test_udmeldinger_browser)
    box.set_value("afsluttede").run()
    assert not page.exception
    closed = sql(
        "SELECT count(*) AS n FROM {central_notices} WHERE is_open = 0 AND NOT outcome ILIKE 'udfald ikke fundet%'"
    ).n[0]
    assert len(table(page, "Midtjyllands svar")) == closed


def test_unknown_status_in_the_url_falls_back_quietly(app_test):
    at = app_test(page=PAGE, query={"status": "Lukket"})
    assert not at.exception
    assert at.selectbox(key="status").value == "alle"
    assert any("status" in c.value and "Lukket" in c.value for c in at.caption)


def test_shared_filters_are_said_not_to_apply(page):
    assert any("påvirker ikke denne side" in c.value for c in page.caption)


def test_real_data_page_carries_no_illustrative_marker(page, data_dir):
    import json

    sid = (data_dir / "CURRENT").read_text().strip()
    entry = json.loads((data_dir / "snapshots" / sid / "manifest.json").read_text())["tables"]["central_notices"]
    assert entry["provenance"] == "real"
    assert not any("Fiktive eksempeldata" in str(getattr(b, "proto", b)) for b in page.get("badge"))
    from overblik import fmt

    header = page.caption[0].value  # the header's subtitle: the data date of the notices
    assert header.endswith(f"Data pr. {fmt.date(entry['data_date'])}"), header


@pytest.mark.parametrize("query", [{}, {"status": "Kun udfald ukendt"}])
def test_the_legend_sits_above_the_today_label(app_test, query):
    # the "I dag" label stands on the plot's top edge; the legend stood on it too and covered it
    at = app_test(page=PAGE, query=query)
    assert not at.exception, at.exception
    layout = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]
    plot = layout["height"] - layout["margin"]["t"] - layout["margin"]["b"] - 30  # less the year ticks
    assert layout["legend"]["yanchor"] == "bottom" and (layout["legend"]["y"] - 1) * plot >= 20
