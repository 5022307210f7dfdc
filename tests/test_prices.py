"""A spending year without a price index (overblik/prices.py): the rule, the reader's note on every page
that shows fixed prices, and the cost curve's verdict. The warning at validate/publish is tested in
test_ingest.py and test_opdater.py."""

from __future__ import annotations

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


def test_the_per_year_takeaway_skips_the_left_out_year(without_2025, app_test):
    """The chart's sentence compares the years it draws: 2016 to 2024 (it said 'faldt 100,0 % fra 2016 til
    2025', reading the missing 2025 as 0)."""
    at = app_test("pages/udgifter.py", {"priser": "Faste", "aar": ["2016", "2026"]})
    captions = " ".join(c.value for c in at.caption)
    assert "Udgifterne steg" in captions and "fra 2016 til 2024" in captions and "faldt 100,0 %" not in captions
