"""A spending year without a price index (overblik/prices.py): the rule, the reader's note on every page
that shows fixed prices, and the cost curve's verdict. The warning at validate/publish is tested in
test_ingest.py and test_opdater.py."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from overblik import costcurve as cc
from overblik import ingest, prices

NOTE_2025 = "vises ikke i faste priser, fordi pris- og lønindekset (tabellen Prisindeks) mangler for 2025."


def test_unindexed_years_and_the_notes_hand_worked():
    spending = pd.DataFrame(
        {"year": [2024, 2025, 2025, 2026, 2027], "kind": ["regnskab", "regnskab", "budget", "budget", "budget"]}
    )
    index = pd.DataFrame({"year": [2024, 2026], "index": [98.0, 100.0]})
    missing = prices.unindexed(spending, index)
    assert missing == {"regnskab": [2025], "budget": [2025, 2027]}
    assert prices.note(missing) == (
        "Regnskab 2025 og budget 2025 og 2027 vises ikke i faste priser, fordi pris- og lønindekset (tabellen "
        "Prisindeks) mangler for 2025 og 2027."
    )
    assert prices.warnings({"budget": [2027]}) == [
        "Udgifter for 2027 (budget) har intet prisindeks i price_index; året vises ikke i faste priser, før "
        "indekset er tilføjet."
    ]
    assert prices.unindexed(spending, pd.DataFrame({"year": [2024, 2025, 2026, 2027], "index": [1.0] * 4})) == {}
    assert prices.note({}) == ""


def test_a_budget_without_index_is_said_not_called_missing():
    """Before any accounts of the period, a budget of the period whose year has no index has no fixed-price
    value: the verdict says the budget is there but cannot be judged yet (it used to say there was none)."""
    trend = pd.DataFrame({"year": [2026, 2027, 2028], "fitted": 100.0, "lower": 95.0, "upper": 105.0})
    pts = pd.DataFrame(
        [(2025, "regnskab", 101.0), (2026, "budget", 99.0), (2027, "budget", np.nan)], columns=["year", "kind", "value"]
    )
    v = cc.verdict(pts, trend, 2027, 2028, unindexed=frozenset({2027}))
    assert v.position == "before" and v.year is None
    assert v.sentence == (
        "Første regnskab for aftaleperioden: 2027, offentliggøres i 2028. Vedtaget budget 2027 kan ikke vurderes "
        "endnu: der er intet prisindeks for 2027."
    )


@pytest.fixture
def without_2025(own_data, tmp_path):
    """The shipped data with the price index of 2025 taken out (published as a new snapshot); the years the
    index lacks, by independent SQL over the snapshot's files."""
    import duckdb

    sid = (own_data / "CURRENT").read_text().strip()
    folder = own_data / "snapshots" / sid
    pi = pd.read_parquet(folder / "price_index.parquet")
    (tmp_path / "in").mkdir()
    pi[pi["year"] != 2025].to_parquet(tmp_path / "in" / "price_index.parquet")
    new, problems = ingest.publish(tmp_path / "in", note="uden 2025", base=own_data)
    assert new and [p.severity for p in problems] == ["advarsel", "advarsel"]
    lacking = duckdb.sql(
        f"SELECT DISTINCT s.kind, s.year FROM read_parquet('{own_data / 'snapshots' / new / 'spending.parquet'}') s "
        f"ANTI JOIN read_parquet('{own_data / 'snapshots' / new / 'price_index.parquet'}') i USING (year) ORDER BY 1"
    ).fetchall()
    assert lacking == [("budget", 2025), ("regnskab", 2025)]
    return own_data


def _infos(at) -> list[str]:
    return [e.value for e in at.info]


def test_udgifter_says_which_year_fixed_prices_leave_out(without_2025, app_test):
    at = app_test("pages/udgifter.py", {"priser": "Faste", "aar": ["2016", "2026"]})
    assert not at.exception, at.exception
    assert f"Regnskab 2025 og budget 2025 {NOTE_2025}" in _infos(at)
    # the cost curve (on Udgifter and, as its help, on Overblik) says it too: its trend runs to 2024
    text = " ".join(m.value for m in at.markdown)
    assert f"Regnskab 2025 {NOTE_2025}" in text and "trenden for 2016-2024" in text
    # the other regions' comparison, always in fixed prices
    assert any(f"Regnskab 2025 {NOTE_2025}" in c.value for c in at.caption)
    # current prices leave nothing out
    at = app_test("pages/udgifter.py", {"priser": "Løbende", "aar": ["2016", "2026"]})
    assert not any("Prisindeks" in i for i in _infos(at))


def test_overblik_says_which_year_fixed_prices_leave_out(without_2025, app_test):
    at = app_test(None, {"aar": ["2016", "2026"]})
    assert not at.exception, at.exception
    assert any(f"Regnskab 2025 {NOTE_2025}" in c.value for c in at.caption)


def test_nothing_is_said_when_every_year_has_an_index(own_data, app_test):
    at = app_test("pages/udgifter.py", {"priser": "Faste"})
    assert not any("Prisindeks" in i for i in _infos(at))
    assert not any("mangler for" in c.value for c in at.caption)
    # the headline is for the latest accounts year, 2025, with no remark on a missing index
    spending = [m for m in at.metric if m.label.endswith("mio. kr.")]
    assert [m.label for m in spending] == [f"{a} 2025, mio. kr." for a in ("Udgifter i alt", "Børn og unge", "Voksne")]
    assert not any("prisindeks" in (m.delta or "") + m.proto.help for m in at.metric)
    at = app_test(None)
    head = next(m for m in at.metric if m.label.startswith("Nettodriftsudgifter"))
    assert head.label == "Nettodriftsudgifter 2025" and "prisindeks" not in (head.delta or "") + head.proto.help


def test_the_latest_year_with_an_index_hand_worked():
    index = pd.DataFrame({"year": [2022, 2023, 2024, 2026], "index": [90.0, 95.0, 0.0, 100.0]})
    # 2024's index of 0 is no index; 2025 has none: the headline is for 2023 and skips 2024 and 2025
    assert prices.latest_indexed([2022, 2023, 2024, 2025], index) == (2023, [2024, 2025])
    assert prices.latest_indexed([2022, 2023], index) == (2023, [])
    assert prices.latest_indexed([2025], index) == (None, [2025])
    assert prices.skipped_remark([2024, 2025]) == "prisindeks mangler for 2024 og 2025"
    assert prices.skipped_remark([]) == "" and prices.skipped_help(2023, []) == ""


# Account function -> the shared filter's area (restated here, not the app's macro): special education for adults
# (3.22.17) and STU (3.30.46) under Voksne, the special schools under Børn og unge.
FILTER_AREA = """CASE WHEN f.area = 'Specialundervisning'
                      THEN CASE WHEN f.function_code IN ('3.22.17', '3.30.46') THEN 'Voksne' ELSE 'Børn og unge' END
                      ELSE f.area END"""
# The region's accounts per year and filter area in fixed prices, mio. kr.: 1.000 kr. x index(price year) /
# index(year) / 1000, the price year being the index's latest; years without an index have no row.
FIXED = f"""
WITH a AS (SELECT s.year, {FILTER_AREA} AS filter_area, sum(s.net_1000_dkk) AS net
           FROM {{spending}} s JOIN {{account_functions}} f ON f.function_code = s.function_code
           WHERE s.kind = 'regnskab' GROUP BY ALL)
SELECT a.year, a.filter_area,
       a.net * (SELECT "index" FROM {{price_index}} ORDER BY year DESC LIMIT 1) / i."index" / 1000 AS mio
FROM a JOIN {{price_index}} i ON i.year = a.year
"""


def _sql(data):
    """Independent SQL over the current snapshot of the data folder `data`."""
    import duckdb
    from helpers import snapshot_tables

    folder = data / "snapshots" / (data / "CURRENT").read_text().strip()
    return lambda text: duckdb.sql(text.format(**snapshot_tables(folder))).df()


def _number(text: str) -> float:
    """'23.219,4 mio. kr.' / '−0,1 %' -> float."""
    t = text.replace("mio. kr.", "").replace("%", "").strip()
    return float(t.replace(".", "").replace(",", ".").replace("−", "-").replace("+", ""))


def _expected(without_2025):
    """(latest accounts year, latest with an index, fixed-price mio. kr. per filter area that year and the
    year before) by independent SQL."""
    sql = _sql(without_2025)
    latest = int(sql("SELECT max(year) AS y FROM {spending} WHERE kind = 'regnskab'").y[0])
    fixed = sql(FIXED)
    year = int(fixed.year.max())
    now = fixed[fixed.year == year].set_index("filter_area").mio
    before = fixed[fixed.year == year - 1].set_index("filter_area").mio
    return latest, year, now, before


def test_udgifter_headline_is_for_the_latest_year_with_an_index(without_2025, app_test):
    """In fixed prices, when the latest accounts year (2025) has no price index, the headline numbers are for
    the latest year that has one (2024) and say why, instead of '–' for 2025."""
    latest, year, now, before = _expected(without_2025)
    assert (latest, year) == (2025, 2024)
    at = app_test("pages/udgifter.py", {"priser": "Faste"})
    assert not at.exception, at.exception
    m = {x.label: x for x in at.metric}
    for label, area in (("Udgifter i alt", None), ("Børn og unge", "Børn og unge"), ("Voksne", "Voksne")):
        got = m[f"{label} {year}, mio. kr."]
        want_now = now.sum() if area is None else now[area]
        want_before = before.sum() if area is None else before[area]
        assert _number(got.value) == pytest.approx(want_now, abs=0.051), label
        change, remark = got.delta.split(" · ")
        assert _number(change.split(" fra ")[0]) == pytest.approx((want_now / want_before - 1) * 100, abs=0.051)
        assert (change.split(" fra ")[1], remark) == ("2023", "prisindeks mangler for 2025")
        assert (
            "Tallet er for 2024, det seneste regnskabsår med prisindeks: regnskab 2025 kan først vises i faste "
            "priser, når pris- og lønindekset for 2025 er tilføjet (tabellen Prisindeks)."
        ) in got.proto.help
    assert not any(x.value == "–" or x.label.startswith(("Udgifter i alt 2025", "Voksne 2025")) for x in at.metric)
    text = " ".join(x.value for x in at.markdown)
    assert (
        f"I 2024 (prisindeks mangler for 2025) brugte kommunerne i hele regionen "
        f"**{at.metric[0].value} mio. kr.** (faste 2027-priser)"
    ) in text
    # per inhabitant too: kr. per 0-22-year-old and per 18-64-year-old for 2024
    at = app_test("pages/udgifter.py", {"priser": "Faste", "visning": "Pr. indbygger"})
    heads = [x for x in at.metric if " kr. pr. " in x.label]
    assert [x.label for x in heads] == ["Børn og unge 2024, kr. pr. 0-22-årig", "Voksne 2024, kr. pr. 18-64-årig"]
    assert all(x.value != "–" and x.delta.endswith(" · prisindeks mangler for 2025") for x in heads)


def test_overblik_spending_headline_is_for_the_latest_year_with_an_index(without_2025, app_test):
    _, year, now, before = _expected(without_2025)
    at = app_test(None)
    assert not at.exception, at.exception
    head = next(m for m in at.metric if m.label.startswith("Nettodriftsudgifter"))
    assert head.label == f"Nettodriftsudgifter {year}"
    assert _number(head.value) == pytest.approx(now.sum(), abs=0.051)
    change, remark = head.delta.split(" · ")
    assert _number(change.split(" fra ")[0]) == pytest.approx((now.sum() / before.sum() - 1) * 100, abs=0.051)
    assert remark == "prisindeks mangler for 2025" and "Tallet er for 2024" in head.proto.help
    text = " ".join(m.value for m in at.markdown)
    pct = change.split(" fra ")[0].lstrip("+−")  # '0,1 %'
    assert f"{pct} i 2024 (faste priser; prisindeks mangler for 2025)" in text
    # the block's small chart leaves 2025 out too: its takeaway read 'Udgifterne faldt 100,0 % fra 2016 til 2025'
    takeaway = next(c.value for c in at.caption if c.value.startswith("**Udgifterne"))
    assert "fra 2016 til 2024" in takeaway and "100,0 %" not in takeaway, takeaway


def test_udgifter_and_overblik_say_the_missing_index_in_the_same_words(without_2025, app_test):
    """Both pages' key sentences are for 2024 when 2025 has no price index, and say why in the same words as
    the remark beside their numbers (Udgifter said 'seneste regnskabsår med prisindeks', Overblik 'prisindeks
    mangler for 2025')."""
    _, year, _, _ = _expected(without_2025)
    said = {}
    # the key sentences: 'I 2024 (...) brugte kommunerne ...' (Udgifter), 'Udgifterne faldt 0,1 % i 2024 (faste
    # priser; ...)' (Overblik)
    for page, query, sentence in (
        ("pages/udgifter.py", {"priser": "Faste"}, rf"I {year} \(([^)]*)\) brugte kommunerne i hele regionen"),
        (None, {}, rf"Udgifterne (?:steg|faldt) [\d,]+ % i {year} \(faste priser; ([^)]*)\)"),
    ):
        at = app_test(page, query)
        assert not at.exception, at.exception
        found = re.findall(sentence, " ".join(m.value for m in at.markdown))
        head = next(m for m in at.metric if m.label.startswith(("Udgifter i alt", "Nettodriftsudgifter")))
        said[page] = (found, head.delta.split(" · ")[-1])
    assert said["pages/udgifter.py"] == said[None] == (["prisindeks mangler for 2025"], "prisindeks mangler for 2025")


def test_the_per_year_takeaway_skips_the_left_out_year(without_2025, app_test):
    """The chart's sentence compares the years it draws: 2016 to 2024 (it said 'faldt 100,0 % fra 2016 til
    2025', reading the missing 2025 as 0)."""
    at = app_test("pages/udgifter.py", {"priser": "Faste", "aar": ["2016", "2026"]})
    captions = " ".join(c.value for c in at.caption)
    assert "Udgifterne steg" in captions and "fra 2016 til 2024" in captions and "faldt 100,0 %" not in captions


def test_regions_comparison_is_for_the_latest_year_with_an_index(without_2025, app_test):
    """The comparison with the other regions follows the headline's rule: with no index for 2025 its sentence and
    municipalities chart are for 2024 and say so, instead of 'I 2025 brugte kommunerne i Region Midtjylland – pr.
    0-22-årig …'. The region's kr. per 0-22-year-old on children and young people by independent SQL."""
    _, year, now, _ = _expected(without_2025)
    persons = _sql(without_2025)(
        f"SELECT sum(persons) AS n FROM {{population}} WHERE year = {year} AND age_group = '0-22'"
    ).n[0]
    kr = now["Børn og unge"] * 1_000_000 / persons
    at = app_test("pages/udgifter.py", {"aar": ["2016", "2026"]})
    assert not at.exception, at.exception
    text = next(m.value for m in at.markdown if "brugte kommunerne i Region Midtjylland" in m.value)
    assert text.startswith(f"I {year} (prisindeks mangler for 2025) brugte kommunerne i Region Midtjylland **"), text
    assert "–" not in text and "2025" not in text.removeprefix(f"I {year} (prisindeks mangler for 2025)"), text
    got = text.split("**")[1]  # '23.052 kr. pr. 0-22-årig'
    assert got.endswith(" kr. pr. 0-22-årig"), got
    assert _number(got.removesuffix(" kr. pr. 0-22-årig")) == pytest.approx(kr, abs=0.51)
    assert any(
        s.value.startswith(f"Kommunerne i Region Midtjylland mod regionen og landet, {year} ") for s in at.subheader
    )
