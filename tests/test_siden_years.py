"""'Siden sidste møde' over time: a snapshot published a year on (accounts, places and reports for a new
year: tests/siden_helpers.build_new_year), the meeting's data and today's date moving apart. Expected values
from independent SQL over the snapshots' Parquet files and hand-worked answers."""

from __future__ import annotations

import datetime as dt
import os

import pytest
import siden_helpers as h

from overblik import db

MEETING = {"meeting_date": "2026-11-21", "body": "DASSOS", "title": "DASSOS-møde, 4. kvartal 2026"}
LATER = {"meeting_date": "2026-11-26", "body": "KKR", "title": "KKR Midtjylland, december 2026"}  # saw today's data
DAY = dt.date(2026, 11, 29)


@pytest.fixture(scope="module")
def year_on(tmp_path_factory, data_dir):
    dst = tmp_path_factory.mktemp("siden-years") / "data"
    h.build_new_year(data_dir, dst)
    old = os.environ["OVERBLIK_DATA_DIR"]
    os.environ["OVERBLIK_DATA_DIR"] = str(dst)
    db.clear()
    yield dst
    os.environ["OVERBLIK_DATA_DIR"] = old
    db.clear()


def _params(dst, year_to=2027):
    codes = h.snapshot_sql(dst, h.NEW_YEAR_ID, "SELECT municipality_code FROM {municipalities}")
    return {
        "year_from": 2016,
        "year_to": year_to,
        "municipalities": [int(c) for c in codes.iloc[:, 0]],
        "area": "alle",
    }


WAITING = """SELECT target_group_id AS g, sum(citizens_waiting) AS n FROM {demand}
             WHERE year = $year AND municipality_code IN (SELECT municipality_code FROM {municipalities})
             GROUP BY ALL"""


def test_capacity_names_both_years_when_the_meeting_had_only_the_older(year_on):
    """The meeting saw 2026's capacity, today's data has 2027's: the section says so in its title, every
    target group says 'Nyt år' (not 'Ja', a revision), and the figures are 2026's then and 2027's now."""
    from overblik import siden

    dst = year_on
    c = siden.compare(MEETING, _params(dst), True, DAY)
    assert c.then.sid == "demo" and c.now.sid == h.NEW_YEAR_ID
    then_year = h.snapshot_sql(dst, "demo", "SELECT max(year) FROM {demand}").iloc[0, 0]
    now_year = h.snapshot_sql(dst, h.NEW_YEAR_ID, "SELECT max(year) FROM {demand}").iloc[0, 0]
    assert (then_year, now_year) == (2026, 2027)
    titles = [title for title, *_ in c.sections()]
    assert "Kapacitet pr. målgruppe, 2026 ved mødet → 2027 nu" in titles
    assert set(c.capacity["Ændret"]) == {"Nyt år"}
    then = h.snapshot_sql(dst, "demo", WAITING, {"year": 2026}).set_index("g")["n"]
    now = h.snapshot_sql(dst, h.NEW_YEAR_ID, WAITING, {"year": 2027}).set_index("g")["n"]
    for name, cell in zip(c.capacity["Målgruppe"], c.capacity["Ventende borgere"]):
        g = name.split()[0]
        assert cell == f"{int(then[g])} → {int(now[g])}", name
    assert "6 målgrupper med kapacitetstal for et nyt år (2027)" in c.summary()
    assert "ændrede kapacitetstal" not in c.summary()


def test_capacity_of_the_same_year_keeps_its_title(year_on):
    """With the period ending in 2026 both snapshots show 2026, with the same figures: 'Nej' everywhere."""
    from overblik import siden

    c = siden.compare(MEETING, _params(year_on, year_to=2026), True, DAY)
    titles = [title for title, *_ in c.sections()]
    assert "Kapacitet pr. målgruppe, 2026: ved mødet → nu" in titles
    assert set(c.capacity["Ændret"]) == {"Nej"}


def test_new_accounts_are_counted_apart_from_revisions(year_on):
    """Accounts for 2026 are new rows, not revised ones: counted and said as new, with their kind and year."""
    from overblik import siden

    dst = year_on
    c = siden.compare(MEETING, _params(dst), True, DAY)
    areas = h.snapshot_sql(
        dst,
        h.NEW_YEAR_ID,
        """SELECT DISTINCT f.area FROM {spending} JOIN {account_functions} f USING (function_code)
           WHERE year = 2026 AND kind = 'regnskab'""",
    )
    n = len(areas)
    assert n == 3  # hand-worked: Børn og unge, Specialundervisning, Voksne
    assert set(c.spending["Hvad"]) == {"Nyt år"} and len(c.spending) == n
    assert f"{n} nye udgiftstal (regnskab 2026)" in c.summary()
    assert "revideret" not in c.summary()
    # the spending key figure is now 2026's: a new year, not a change of 2025's
    head = next(x for x in c.headlines if x.label.startswith("Nettodriftsudgifter"))
    assert head.label == "Nettodriftsudgifter 2026" and head.then.startswith("Nettodriftsudgifter 2025: ")
    assert head.change == "Nyt år" and not head.changed


OVERDUE = """SELECT count(*) FROM {initiatives} i
             WHERE i.deadline < $day AND coalesce((SELECT arg_max(u.status, u.update_date)
                   FROM {initiative_updates} u WHERE u.initiative_id = i.initiative_id AND u.update_date <= $day),
                   'ikke startet') <> 'afsluttet'"""


def test_a_figure_moved_only_by_the_date_is_not_changed_data(year_on):
    """The meeting saw today's snapshot; three months on, deadlines have passed: the overdue count differs
    from the meeting's, but no data changed, and the summary does not say it did."""
    from overblik import siden

    dst = year_on
    day = dt.date(2027, 3, 1)
    c = siden.compare(LATER, _params(dst), True, day)
    assert c.same and "det samme datasæt" in c.snapshot_text()
    then = h.snapshot_sql(dst, h.NEW_YEAR_ID, OVERDUE, {"day": dt.date(2026, 11, 26)}).iloc[0, 0]
    now = h.snapshot_sql(dst, h.NEW_YEAR_ID, OVERDUE, {"day": day}).iloc[0, 0]
    assert then != now
    s = c.summary()
    assert "nøgletal ændret" not in s and "ingen data ændret" in s and "alene på grund af datoen" in s
    risk = next(x for x in c.headlines if x.label == "Risiko eller forsinket")
    assert f"({then} med overskredet frist)" in risk.then and f"({now} med overskredet frist)" in risk.now
    assert risk.change == "Nej, kun datoen" and not risk.changed
    assert not any(x.changed for x in c.headlines)


def test_a_key_figure_whose_year_alone_moved_is_unchanged():
    """Hand-worked: the rate figure '–' for 2027 and for 2028 has the same value (only its label's year
    differs); the short target groups '4 af 6' in 2027 and 2028 too (its remark compares with each one's
    year before). Another number for a later year is a new year; another number for the same year a change."""
    from overblik.overblik import Headline
    from overblik.siden import _change

    rate27 = Headline("Takstændring 2027", "–", "Fælles principper (2027-28)", year=2027)
    rate28 = Headline("Takstændring 2028", "–", "Fælles principper (2027-28)", year=2028)
    assert _change(rate27, rate27, rate28) == ""
    short27 = Headline("Målgrupper, der mangler egnede tilbud", "4 af 6", "−2 fra 2026", year=2027)
    short28 = Headline("Målgrupper, der mangler egnede tilbud", "4 af 6", "uændret fra 2027", year=2028)
    assert _change(short27, short27, short28) == ""
    assert _change(short27, short27, Headline(short28.label, "5 af 6", "+1 fra 2027", year=2028)) == "Nyt år"
    assert _change(short27, short27, Headline(short27.label, "5 af 6", "−1 fra 2026", year=2027)) == "Ja"
    # the same data counted at another date (deadlines passed): the date's, not the data's
    risk_then = Headline("Risiko eller forsinket", "9 af 27", "3 med overskredet frist")
    risk_now = Headline("Risiko eller forsinket", "9 af 27", "5 med overskredet frist")
    assert _change(risk_then, risk_now, risk_now) == "Nej, kun datoen"
    assert _change(risk_then, risk_then, risk_now) == "Ja"
