"""Missing capacity reports (QA review): a municipality or target group with no report for the newest year
is 'ikke indberettet' - its reported numbers are missing ('–'), not 0, it is counted neither as lacking nor
as not lacking suitable offers, partial reports are said, and changes from the year before compare like
with like.

The data: tests/missing_reports.py, the shipped data with 2027 added, whose reports of V3 and of Samsø are
deleted; today 2027-06-15. Expected numbers come from independent SQL over that snapshot's Parquet files
(the rules written out here: lacking = at least half of the reporting municipalities say 2 or 3), not from
the app's queries or macros.
"""

from __future__ import annotations

import re

import duckdb
import missing_reports as mr
import pytest
from apptest_helpers import open_numbers, plain, shown
from helpers import snapshot_tables

from overblik import db, fmt, store

KAPACITET = "pages/kapacitet.py"
OVERBLIK = "pages/overblik.py"
SIDEN = "pages/siden-sidste-moede.py"

# Per target group and year, what the chosen municipalities reported (no report: 0 reports, NULL sums).
REPORTS = """
SELECT t.target_group_id AS tg, t.short_name, y.year,
       count(d.municipality_code) AS reports,
       count(d.municipality_code) FILTER (WHERE d.difficulty >= 2) AS hard,
       sum(d.placed_private) AS private,
       sum(d.single_arrangements) AS single,
       sum(d.citizens_waiting) AS waiting
FROM {target_groups} AS t
CROSS JOIN (VALUES (2026), (2027)) AS y(year)
LEFT JOIN {demand} AS d
       ON d.target_group_id = t.target_group_id AND d.year = y.year
      AND d.municipality_code IN (SELECT unnest($m))
GROUP BY ALL
ORDER BY t.short_name, y.year
"""
# Like with like: the change from 2026 to 2027 over the municipalities that reported a group in both years.
MATCHED = """
SELECT count(*) AS n,
       sum(a.placed_private - b.placed_private) AS private,
       sum(a.single_arrangements - b.single_arrangements) AS single
FROM {demand} AS a
JOIN {demand} AS b ON b.municipality_code = a.municipality_code AND b.target_group_id = a.target_group_id
WHERE a.year = 2027 AND b.year = 2026 AND a.municipality_code IN (SELECT unnest($m))
"""
# The target groups the same municipalities reported in both years (sets equal and not empty).
SAME_REPORTERS = """
WITH r AS (SELECT target_group_id AS tg, year, list_sort(list(municipality_code)) AS who
           FROM {demand} WHERE year IN (2026, 2027) AND municipality_code IN (SELECT unnest($m)) GROUP BY ALL)
SELECT a.tg FROM r AS a JOIN r AS b ON b.tg = a.tg AND b.year = 2026 WHERE a.year = 2027 AND a.who = b.who
"""


@pytest.fixture(scope="module")
def missing(tmp_path_factory, data_dir):
    """The data folder with the 2027 snapshot, and today 2027-06-15, for this module's tests (after the
    session's data folder, which it stands in for; restored afterwards)."""
    base = mr.make(tmp_path_factory.mktemp("missing") / "data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("OVERBLIK_DATA_DIR", str(base))
        mp.setenv("OVERBLIK_TODAY", mr.TODAY)
        db.clear()
        yield base
    db.clear()


@pytest.fixture(scope="module")
def msql(missing):
    """Independent SQL over the 2027 snapshot (or, with sid=, another snapshot of that data folder)."""

    def run(text: str, params: dict | None = None, sid: str | None = None):
        folder = store.snapshot_path(sid or store.current_id(missing), missing)
        con = duckdb.connect(":memory:")
        try:
            return con.execute(text.format(**snapshot_tables(folder)), params or {}).df()
        finally:
            con.close()

    return run


# Per target group and year, the gap in whole places: floor(places x occupancy / 100 summed) + waiting - places,
# the offers located in the chosen municipalities against the citizens they reported waiting.
GAPS = """
WITH s AS (SELECT o.target_group_id AS tg, y.year, sum(y.places) AS places,
                  floor(sum(y.places * y.occupancy_pct / 100) + 1e-9) AS occupied
           FROM {offers} AS o JOIN {offer_years} AS y ON y.offer_id = o.offer_id
           WHERE o.kind = 'rammeaftale' AND o.municipality_code IN (SELECT unnest($m)) GROUP BY ALL),
     d AS (SELECT target_group_id AS tg, year, sum(citizens_waiting) AS waiting, count(*) AS reports
           FROM {demand} WHERE municipality_code IN (SELECT unnest($m)) GROUP BY ALL)
SELECT s.tg, s.year, s.places, s.occupied, d.waiting, d.reports, (s.occupied + d.waiting - s.places)::INT AS gap
FROM s JOIN d ON d.tg = s.tg AND d.year = s.year
ORDER BY s.tg, s.year
"""


def _codes(msql, names=None) -> list[int]:
    m = msql("SELECT municipality_code AS c, name FROM {municipalities}")
    return [int(c) for c, n in zip(m.c, m.name) if names is None or n in names]


def _metrics(at) -> dict[str, tuple[str, str | None]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def _table(at, column: str):
    return next(shown(d) for d in at.dataframe if column in d.value.columns)


def _missing(v) -> bool:
    return v != v or v is None or v == fmt.MISSING


def test_kapacitet_for_samsoe_says_not_reported_instead_of_zero(missing, msql, app_test):
    exp = msql(REPORTS, {"m": [mr.SAMSOE]})
    now, before = exp[exp.year == 2027], exp[exp.year == 2026]
    assert (now.reports == 0).all() and (before.reports == 1).all()
    at = open_numbers(app_test(page=KAPACITET, query={"kommune": ["Samsø"]}))
    assert not at.exception, at.exception

    message = next(m.value for m in at.markdown if "Kommunernes indberetning" in m.value)
    assert message.startswith(
        "**Kommunernes indberetning 2027: der er ingen indberetning for nogen af de 6 målgrupper.**"
    )
    # the reviewer's wrong sentences: nothing is 0, and no group is said to have no shortage
    assert "0 borgere" not in message and "ingen af de 6 målgrupper mangler" not in message

    heads = _metrics(at)
    for label in ("Mangler egnede tilbud, 2027", "Manglende pladser, 2027", "I private tilbud, 2027"):
        assert heads[label] == (fmt.MISSING, "ikke indberettet"), label
    assert heads["Enkeltmandsforanstaltninger"] == (fmt.MISSING, "ikke indberettet")

    lead = _table(at, "Svært at finde tilbud")
    assert list(lead["Målgruppe"]) == list(now.short_name)
    assert set(lead["Vurdering"]) == {"Ikke indberettet"}
    for col in ("Svært at finde tilbud", "I private tilbud", "Enkeltmandsforanstaltninger", "Ventende"):
        assert all(_missing(v) for v in lead[col]), col

    # the numbers behind the charts: 2027 not reported (0 af 1, no gap), 2026 as Samsø reported it
    tables = [shown(d) for d in at.dataframe if "Kommuner, der har indberettet" in d.value.columns]
    full = max(tables, key=len).sort_values(["Målgruppe", "År"]).reset_index(drop=True)
    assert len(full) == len(exp)
    for (_, row), (_, want) in zip(full.iterrows(), exp.iterrows()):
        assert row["År"] == want.year
        assert row["Kommuner, der har indberettet"] == f"{want.reports} af 1"
        if want.year == 2027:
            assert row["Vurdering"] == "Ikke indberettet"
            for col in ("Borgere i private tilbud", "Ventende borgere", "Mangel (+) / ledige (−) pladser"):
                assert _missing(row[col]), (want.tg, col)
        else:
            assert (row["Borgere i private tilbud"], row["Ventende borgere"]) == (want.private, want.waiting)


def test_kapacitet_for_the_region_leaves_v3_out_and_compares_like_with_like(missing, msql, app_test):
    codes = _codes(msql)
    exp = msql(REPORTS, {"m": codes})
    now = exp[exp.year == 2027].set_index("tg")
    before = exp[exp.year == 2026].set_index("tg")
    reported = now[now.reports > 0]
    assert list(now.index[now.reports == 0]) == ["V3"]
    lacking = reported[2 * reported.hard >= reported.reports]
    both = [g for g in reported.index if before.loc[g, "reports"] > 0]
    lack_change = len(lacking.index.intersection(both)) - int(
        (2 * before.loc[both, "hard"] >= before.loc[both, "reports"]).sum()
    )
    matched = msql(MATCHED, {"m": codes})
    assert msql(SAME_REPORTERS, {"m": codes}).empty  # Samsø reported every group in 2026, none in 2027

    at = open_numbers(app_test(page=KAPACITET))
    assert not at.exception, at.exception
    heads = _metrics(at)

    def change(n) -> str:
        return "uændret fra 2026" if n == 0 else f"{fmt.number(n, signed=True)} fra 2026"

    # "x af 5": of the groups with a report; V3 is said to be missing, not counted as 'not lacking'
    assert heads["Mangler egnede tilbud, 2027"] == (
        f"{len(lacking)} af {len(reported)}",
        f"V3 ikke indberettet · {change(lack_change)} (samme {len(both)} målgrupper)",
    )
    # the citizens of the groups with a report; the change over the reports of both years only
    assert heads["I private tilbud, 2027"] == (
        fmt.number(reported.private.sum()),
        f"V3 ikke indberettet · {change(int(matched.private[0]))} (samme indberetninger)",
    )
    assert heads["Enkeltmandsforanstaltninger"] == (
        fmt.number(reported.single.sum()),
        f"V3 ikke indberettet · {change(int(matched.single[0]))} (samme indberetninger)",
    )
    # no group was reported by the same municipalities both years: the shortage cannot be compared
    assert heads["Manglende pladser, 2027"][1] == "V3 ikke indberettet · kan ikke sammenlignes med 2026"

    lead = _table(at, "Svært at finde tilbud").set_index("Målgruppe")
    v3 = lead.loc[now.loc["V3", "short_name"]]
    assert v3["Vurdering"] == "Ikke indberettet"
    assert all(_missing(v3[c]) for c in ("Svært at finde tilbud", "I private tilbud", "Ventende"))
    for _, row in reported.iterrows():
        got = lead.loc[row.short_name]
        assert got["Svært at finde tilbud"] == f"{row.hard} af {row.reports}"
        assert (got["I private tilbud"], got["Ventende"]) == (row.private, row.waiting)

    message = next(m.value for m in at.markdown if "Kommunernes indberetning" in m.value)
    assert f"{len(lacking)} af {len(reported)} målgrupper med indberetning mangler egnede tilbud" in message
    assert "Der er ingen indberetning for V3." in message
    (n,) = set(reported.reports)  # Samsø's reports are missing for every group: 18 of 19
    assert (
        f"{n} af {len(codes)} kommuner har indberettet; vanskeligheder og borgere tæller kun deres indberetning."
        in (message)
    )
    # the place count: every municipality's offers (they need no report) against the 18 reporters' waiting
    # citizens; Samsø's are missing, so the shortage is at least the sum of the whole-place gaps of at least 1
    gaps = msql(GAPS, {"m": codes}).query("year == 2027").set_index("tg")
    assert (gaps.reports == n).all() and list(gaps.index) == list(reported.index)
    shortage = int(gaps.gap[gaps.gap >= 1].sum())
    assert f"i alt mindst {fmt.number(shortage)} pladser." in message
    assert (
        f"Pladserne i tilbud i alle {len(codes)} kommuner er regnet mod de ventende borgere i de {n}, der har "
        "indberettet, så der kan mangle flere pladser."
    ) in message
    assert "tallene tæller kun" not in message.lower()


def test_one_target_group_with_free_places_says_them(missing, msql, app_test):
    # Aarhus reported B3 both years; its B3 offers have free places in both (gap below 0)
    aarhus = _codes(msql, ["Aarhus"])
    b3 = msql(GAPS, {"m": aarhus}).query("tg == 'B3'").set_index("year")
    gap26, gap27 = int(b3.loc[2026, "gap"]), int(b3.loc[2027, "gap"])
    assert gap26 < 0 and gap27 < 0 and (b3.reports == 1).all()
    at = app_test(page=KAPACITET, query={"kommune": ["Aarhus"], "maalgruppe": "B3"})
    assert not at.exception, at.exception
    want = f"Pladser i B3: {fmt.number(-gap27)} ledige i 2027 mod {fmt.number(-gap26)} ledige i 2026."
    assert any(c.value.startswith(f"**{fmt.md(want)}**") for c in at.caption), want
    assert not any("B3 mangler" in c.value for c in at.caption)


def test_overblik_for_samsoe_says_not_reported(missing, app_test):
    at = app_test(page=OVERBLIK, query={"kommune": ["Samsø"]})
    assert not at.exception, at.exception
    message = " ".join(m.value for m in at.markdown)
    assert "Samsø har ikke indberettet for nogen af de 6 målgrupper (2027)" in message
    assert "oplever ikke mangel" not in message and "ingen mangler pladser" not in message
    heads = _metrics(at)
    assert heads["Målgrupper, der mangler egnede tilbud"] == (fmt.MISSING, "ikke indberettet")
    assert heads["Manglende pladser, 2027"] == (fmt.MISSING, "ikke indberettet")


def test_overblik_for_the_region_counts_the_groups_with_reports(missing, msql, app_test):
    codes = _codes(msql)
    exp = msql(REPORTS, {"m": codes})
    reported = exp[(exp.year == 2027) & (exp.reports > 0)]
    lacking = int((2 * reported.hard >= reported.reports).sum())
    at = app_test(page=OVERBLIK)
    assert not at.exception, at.exception
    message = " ".join(m.value for m in at.markdown)
    (n,) = set(reported.reports)
    assert (
        f"kommunerne oplever mangel på egnede tilbud til {lacking} af de {len(reported)} målgrupper med "
        f"indberetning" in message
    )
    assert f"(2027; V3 ikke indberettet; {n} af {len(codes)} kommuner har indberettet)" in message
    value, delta = _metrics(at)["Målgrupper, der mangler egnede tilbud"]
    assert value == f"{lacking} af {len(reported)}" and delta.startswith("V3 ikke indberettet · ")


def test_the_places_missing_are_at_least_when_not_every_municipality_reported(missing, msql, app_test):
    """The headline 'Manglende pladser' on Kapacitet and Overblik is a lower bound when some chosen
    municipalities did not report (their citizens waiting can only add to the shortage): 'mindst 290', as the
    key message says ('i alt mindst 290 pladser'); it read as the whole shortage ('290'). Where every chosen
    municipality reported for every group with reports, the number is bare."""
    codes = _codes(msql)
    region = msql(GAPS, {"m": codes}).query("year == 2027")
    assert (region.reports == len(codes) - 1).all()  # Samsø's reports are missing for every group
    shortage = int(region.gap[region.gap >= 1].sum())
    assert shortage > 0
    aarhus = _codes(msql, ["Aarhus"])
    own = msql(GAPS, {"m": aarhus}).query("year == 2027")
    assert (own.reports == 1).all() and "V3" not in set(own.tg)  # V3 is not reported at all: no partial report
    own_shortage = int(own.gap[own.gap >= 1].sum())
    assert own_shortage > 0
    for page in (KAPACITET, OVERBLIK):
        at = app_test(page=page)
        assert not at.exception, at.exception
        assert _metrics(at)["Manglende pladser, 2027"][0] == f"mindst {fmt.number(shortage)}", page
        at = app_test(page=page, query={"kommune": ["Aarhus"]})
        assert not at.exception, at.exception
        assert _metrics(at)["Manglende pladser, 2027"][0] == fmt.number(own_shortage), page


def test_no_places_missing_by_partial_reports_reads_0_with_who_reported(missing, msql, app_test):
    """Silkeborg and Samsø, children: Samsø has no 2027 reports, so the places missing are a lower bound, and
    none are missing by Silkeborg's reports. The headline read 'mindst 0' (true, but it says nothing to a
    mayor): it reads 0 with who reported beside it, and the key messages say no group is short of places as
    far as the reports show, never 'mindst 0'."""
    codes = _codes(msql, ["Silkeborg", "Samsø"])
    children = set(msql("SELECT target_group_id AS tg FROM {target_groups} WHERE area = 'Børn og unge'").tg)
    gaps = msql(GAPS, {"m": codes}).query("year == 2027")
    gaps = gaps[gaps.tg.isin(children)]
    assert set(gaps.tg) == children and (gaps.reports == 1).all()  # 1 of the 2 reported for every group
    assert not (gaps.gap >= 1).any()  # no group short of a whole place: 0 places missing
    query = {"kommune": ["Silkeborg", "Samsø"], "omraade": "Børn og unge"}
    for page in (KAPACITET, OVERBLIK):
        at = app_test(page=page, query=query)
        assert not at.exception, at.exception
        value, delta = _metrics(at)["Manglende pladser, 2027"]
        assert value == "0", page
        assert delta.startswith("1 af 2 kommuner har indberettet"), (page, delta)
        message = " ".join(m.value for m in at.markdown)
        captions = " ".join(plain(c.value) for c in at.caption)
        assert "mindst 0" not in message, page
        if page == KAPACITET:
            assert (
                f"Pladstallet: ingen af de {len(children)} målgrupper mangler pladser, så vidt indberetningerne viser."
            ) in message
            # a group lacking suitable offers with free places: also only as far as the reports show
            sentences = re.findall(r"[^.]*har ikke mangel på pladser[^:]*", message)
            assert sentences, message
            for sentence in sentences:
                assert "har ikke mangel på pladser, så vidt indberetningerne viser, men kommunerne" in sentence
            # and the chart's takeaway
            assert (
                f"Ingen af de {len(children)} målgrupper mangler pladser i 2027, så vidt indberetningerne viser."
                in captions
            )
        else:
            assert (
                "og ingen mangler pladser, så vidt indberetningerne viser (2027; 1 af 2 kommuner har indberettet;"
            ) in message
            # the small chart's takeaway
            assert (
                f"Ingen af de {len(children)} målgrupper mangler pladser, så vidt indberetningerne viser." in captions
            )


def test_siden_sidste_moede_says_the_report_is_missing_now(missing, msql, app_test):
    # the last meeting before 15 Jun 2027 is KKR's of 3 Dec 2026; it saw the shipped snapshot ('demo')
    meetings = msql("SELECT max(meeting_date) AS d FROM {meetings} WHERE meeting_date < $t", {"t": mr.TODAY})
    assert str(meetings.d[0])[:10] == "2026-12-03"
    then = msql(REPORTS, {"m": _codes(msql)}, sid="demo")
    v3_then = then[(then.tg == "V3") & (then.year == 2026)].iloc[0]
    at = app_test(page=SIDEN)
    assert not at.exception, at.exception
    cap = next(d.value for d in at.dataframe if "Kommuner med indberetning" in d.value.columns).set_index("Målgruppe")
    v3 = cap.loc[v3_then.short_name]
    assert v3["Ændret"] == "Nyt år"  # the meeting saw 2026; now the table is for 2027 (Siden names both years)
    assert v3["Kommuner med indberetning"] == f"{v3_then.reports} af {v3_then.reports} → 0 af {v3_then.reports}"
    assert v3["Ventende borgere"] == f"{fmt.number(v3_then.waiting)} → ikke indberettet"
    assert v3["I private tilbud"] == f"{fmt.number(v3_then.private)} → ikke indberettet"
    assert v3["Mangel (+) / ledige (−)"].endswith("→ ikke indberettet")


def test_the_meeting_pack_for_samsoe_says_not_reported(missing):
    from overblik import clock, meetingpack

    f = meetingpack.make_filters(municipalities=["Samsø"])
    with db.pinned(db.snapshot_id()):
        doc, _ = meetingpack.build_data(f, meetingpack.meeting_for("2026-12-03"), clock.today())
    heads = [r for r in doc["headlines"]["rows"] if r[0] == "Kapacitet"]
    assert [(r[2], r[3]) for r in heads] == [(fmt.MISSING, "ikke indberettet")] * 2
    assert "Samsø har ikke indberettet for nogen af de 6 målgrupper (2027)" in doc["key_message"]
    table = next(d["table"] for d in doc["details"] if d["page"] == "Kapacitet")
    col = {c: i for i, c in enumerate(table["columns"])}
    assert {r[col["Vurdering"]] for r in table["rows"]} == {"Ikke indberettet"}
    for name in ("Borgere i private tilbud", "Ventende borgere", "Mangel (+) / ledige (−) pladser"):
        assert {r[col[name]] for r in table["rows"]} == {fmt.MISSING}, name
