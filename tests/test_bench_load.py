"""The benchmark's websocket load client (bench/load.py) against real servers: the trivial app and the dashboard.
No timings are asserted: only that runs complete, are counted, see what the page shows, and that errors count."""

from __future__ import annotations

import pytest

from bench import load, servers


@pytest.fixture(scope="module")
def trivial():
    with servers.serve(servers.TRIVIAL) as url:
        yield url


def texts(url: str, page: str, queries: list[str]) -> list[tuple[str | None, list[str]]]:
    """(error, element texts) of each run of one session."""
    return [(err, tx) for _, err, tx in load.one_session(url, page, queries)]


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(20, 0, -1)]  # 1..20, unsorted
    assert load.percentile(values, 50) == 10.0  # ceil(0.50 * 20) = 10th smallest
    assert load.percentile(values, 95) == 19.0  # ceil(0.95 * 20) = 19th smallest
    assert load.percentile([3.0], 95) == 3.0
    assert load.percentile([], 95) is None
    s = load.stats(values)
    assert (s.n, s.p50_s, s.p95_s, s.max_s) == (20, 10.0, 19.0, 20.0)


def test_trivial_app_sessions_and_runs_are_counted(trivial):
    res = load.load(trivial, "", "", sessions=3, runs=2)
    assert res.errors == []
    assert res.all.n == 6 and [s.n for s in res.per_run] == [3, 3] and res.warm.n == 3
    assert {(r.session, r.index) for r in res.samples} == {(i, k) for i in range(3) for k in range(2)}
    (_, first), (_, again) = texts(trivial, "", ["", ""])
    assert "Trivial" in first and "a × 3" in first  # the title and the line of text, on every run
    assert "a × 3" in again


def test_dashboard_pages_run_without_errors(server):
    for page in ("", "udgifter", "om-data"):
        res = load.load(server, page, "", sessions=2, runs=2, timeout=120)
        assert res.errors == [], page
        assert res.all.n == 4


def test_a_new_query_string_reruns_the_page_with_those_filters(server):
    (err0, default), (err1, changed) = texts(server, "udgifter", ["", "aar=2017&aar=2023&kommune=Aarhus"])
    assert err0 is None and err1 is None
    assert any("Hele regionen" in t for t in default)
    assert any("Aarhus · 2017-2023" in t for t in changed)


def test_errors_are_counted(server):
    res = load.load(server, "no-such-page", "", sessions=1, runs=1, timeout=120)
    assert res.errors and "page not found" in res.errors[0]
    assert res.all.n == 0


def test_only_loopback_servers_and_bounded_counts():
    with pytest.raises(ValueError):
        load.load("http://example.com:8501", "", "", 1, 1)
    with pytest.raises(ValueError):
        load.load("http://127.0.0.1:1", "", "", load.MAX_SESSIONS + 1, 1)


def test_a_journey_walks_overblik_a_filter_change_and_two_pages_on_one_websocket(server):
    res = load.journey(server, 2, timeout=120)
    assert res.errors == []
    assert list(res.steps) == ["Overblik", "Overblik, filter ændret", "Udgifter", "Kapacitet"]
    assert [s.n for s in res.steps.values()] == [2, 2, 2, 2] and res.all.n == 8
    assert res.worst_p95 == max(s.p95_s for s in res.steps.values() if s.p95_s is not None)


def test_a_journey_step_on_a_missing_page_is_an_error(server):
    res = load.journey(server, 1, (load.Step("ok", "", ""), load.Step("missing", "no-such-page", "")), timeout=120)
    assert res.steps["ok"].n == 1 and res.steps["missing"].n == 0
    assert res.errors and "page not found" in res.errors[0]


def test_https_loopback_is_allowed_other_hosts_are_not():
    assert load._ws_url("https://127.0.0.1:8443/")[0] == "wss://127.0.0.1:8443/_stcore/stream"
    with pytest.raises(ValueError):
        load._ws_url("https://example.org/")


def test_the_floor_app_draws_a_pages_mix_of_messages(server):
    """bench/floor.py: the floor app sends the same kinds and counts of message per run as the page it stands
    for (all but the navigation, which a one-page app cannot draw), and nothing fails."""
    from bench import floor

    page = floor.kinds(server, "udgifter")
    mix = floor.mix(page)
    assert mix.startswith("m=") and "plotly_chart:" in mix and "new_session" not in mix
    with servers.serve(floor.FLOOR) as url:
        drawn = floor.kinds(url, "", mix)  # the floor app is one page; the mix is its query string
    assert {k: n for k, n in drawn.items() if k != "navigation"} == {k: n for k, n in page.items() if k != "navigation"}


def test_floor_mix_lists_element_kinds_and_leaves_out_what_every_run_sends():
    import collections

    from bench import floor

    counts = collections.Counter(
        {"new_element:markdown": 3, "add_block": 2, "new_session": 1, "script_finished": 1, "navigation": 1}
    )
    assert floor.mix(counts) == "m=add_block:2,markdown:3"
    assert floor.messages(counts) == 5
