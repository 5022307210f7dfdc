"""Handlingsplan slice (overblik/handlingsplan.py) without Streamlit: its view data against independent
SQL."""

import pandas as pd
import pytest
from handlingsplan_helpers import unseen_notes

from overblik import clock, handlingsplan_figures
from overblik import handlingsplan as hp

TODAY = clock.today()

# Status of every initiative as of $at: its latest update on or before $at ('ikke startet' without one).
STATUS_AT = """
    SELECT i.initiative_id, i.deadline, coalesce(u.status, 'ikke startet') AS status
    FROM {initiatives} AS i
    LEFT JOIN (
        SELECT initiative_id, status,
               row_number() OVER (PARTITION BY initiative_id ORDER BY update_date DESC) AS rn
        FROM {initiative_updates} WHERE update_date <= $at
    ) AS u ON u.initiative_id = i.initiative_id AND u.rn = 1
"""


def _previous_meeting(sql):
    return (
        sql(
            "SELECT meeting_date, body, title FROM {meetings} WHERE meeting_date < $t ORDER BY meeting_date DESC, body",
            {"t": TODAY},
        )
        .iloc[0]
        .to_dict()
    )


def test_meeting_choices_default_to_the_last_meeting_before_today(data_dir, sql):
    """The last meeting held before today, of either body (DASSOS or KKR)."""
    choices = hp.meeting_choices(TODAY)
    m = _previous_meeting(sql)
    assert list(choices)[hp.default_meeting_index(choices, TODAY)] == hp.meeting_label(m)


def test_default_meeting_is_the_last_before_today_of_either_body():
    """Hand-worked: meetings on or before today, newest first; a meeting today is not yet 'held before today'."""
    import datetime as dt

    import pandas as pd

    mtgs = pd.DataFrame(
        {
            "meeting_date": [dt.date(2026, 11, 29), dt.date(2026, 11, 12), dt.date(2026, 10, 6)],
            "body": ["KKR", "DASSOS", "KKR"],
        }
    )
    assert hp.default_meeting_index(mtgs, dt.date(2026, 11, 29)) == 1  # DASSOS 12 Nov, not KKR today
    assert hp.default_meeting_index(mtgs, dt.date(2026, 11, 30)) == 0  # KKR 29 Nov, held yesterday
    assert hp.default_meeting_index(mtgs.iloc[1:], dt.date(2026, 11, 13)) == 0  # DASSOS, the other body


def test_changes_since_a_meeting_match_sql(data_dir, sql, sql_at):
    m = _previous_meeting(sql)
    # the status the meeting saw: in the snapshot current on its date (the shipped earlier demo snapshot)
    then = sql_at(m["meeting_date"])(STATUS_AT, {"at": m["meeting_date"]}).set_index("initiative_id")["status"]
    now = sql(STATUS_AT, {"at": TODAY}).set_index("initiative_id")["status"]
    changed = sorted(i for i in now.index if now[i] != then.get(i, "ikke startet"))
    as_dated = sql(STATUS_AT, {"at": m["meeting_date"]}).set_index("initiative_id")["status"]
    late = [i for i in changed if now[i] == as_dated[i]]
    assert late, "the shipped data has updates registered after the meeting but dated before it"
    # the notes the meeting did not see: today's notes that its snapshot did not hold by its date
    unseen = unseen_notes(sql, sql_at, m["meeting_date"], TODAY)
    notes = unseen.initiative_id
    late_notes = unseen[unseen.update_date <= m["meeting_date"]].initiative_id
    assert set(late) <= set(late_notes), "a late status change comes with the note that explains it"

    view = hp.changes(m, now.index, TODAY)
    assert view.n_changed == len(changed)
    assert sorted(view.status_changes["Id"]) == changed
    assert view.n_notes == len(notes)
    # dated on or before the meeting, registered after it: apart from those dated after it
    assert len(view.late_notes) == len(late_notes) > 0 and len(view.notes) == len(notes) - len(late_notes)
    assert f"**{len(changed)} initiativer** har skiftet status" in view.summary

    some = changed[:1]  # the filters narrow the changes to the initiatives shown
    narrow = hp.changes(m, some, TODAY)
    assert narrow.status_changes["Id"].tolist() == some
    assert narrow.n_notes == int(notes.isin(some).sum())


def test_detail_shows_status_overdue_and_history(data_dir, sql):
    now = sql(STATUS_AT, {"at": TODAY}).set_index("initiative_id")
    everything = hp.initiatives(TODAY)
    for _label, row in hp.initiative_choices(everything).items():
        d = hp.detail(row, TODAY)
        i = row["initiative_id"]
        overdue = now.loc[i, "deadline"].date() < TODAY and now.loc[i, "status"] != "afsluttet"
        assert d.status.endswith(hp.OVERDUE) == overdue, i
        n = sql(
            "SELECT count(*) AS n FROM {initiative_updates} WHERE initiative_id = $i AND update_date <= $t",
            {"i": i, "t": TODAY},
        ).n[0]
        assert len(d.history) == n, i


def test_gantt_writes_overdue_beside_the_today_line_not_across_it(data_dir, sql):
    """The marker sits on the missed deadline; the words '⚠ Overskredet' stand right of the today line, in
    the empty space an overdue bar never reaches, so they cross neither the line nor its label."""
    now = sql(STATUS_AT, {"at": TODAY})
    overdue = now[(now.deadline < pd.Timestamp(TODAY)) & (now.status != "afsluttet")]
    assert len(overdue), "the demo has overdue initiatives"
    fig, _ = handlingsplan_figures.gantt(hp.initiatives(TODAY), TODAY)
    worded = [t for t in fig.data if t.text is not None and hp.OVERDUE in list(t.text)]
    assert len(worded) == 1 and len(worded[0].text) == len(overdue)
    assert worded[0].textposition == "middle right"
    assert all(pd.Timestamp(x) > pd.Timestamp(TODAY) for x in worded[0].x)
    markers = [t for t in fig.data if t.name and t.name.startswith(hp.OVERDUE)]
    assert len(markers) == 1 and "text" not in markers[0].mode
    assert sorted(pd.Timestamp(x) for x in markers[0].x) == sorted(overdue.deadline)


def test_phase_names_the_agreement_period_an_initiative_started_in():
    """An initiative under the principles started in 2029 belongs to Rammeaftale 2029-30, not 2027-28 (a
    reviewer published a 2029-30 agreement and saw the old label); before 2027 it is the preparation."""
    periods = pd.DataFrame({"period": ["2025-26", "2027-28", "2029-30"], "start_year": [2025, 2027, 2029]})
    assert hp.phase("P1", "2029-01-15", periods) == "Rammeaftale 2029-30"
    assert hp.phase("P1", "2028-12-31", periods) == "Rammeaftale 2027-28"
    assert hp.phase("P1", "2026-06-01", periods) == "Forberedelse (før 2027-28)"
    assert hp.phase("P1", "2031-02-01", periods) == "Rammeaftale 2029-30"  # the latest period begun
    assert hp.phase("U", "2029-01-15", periods) == "Udviklingsområdet (siden 2021-22)"


def test_an_update_is_dated_for_the_first_meeting_on_or_after_its_day():
    """Hand-worked: the one rule for "dated for a meeting" (on or before the meeting day, the day itself
    included), and the meeting the history says each update is dated for."""
    import datetime as dt

    days = [dt.date(2026, 11, 11), dt.date(2026, 11, 12), dt.date(2026, 11, 13), dt.date(2026, 12, 4)]
    assert hp.dated_for(pd.Series(days), dt.date(2026, 11, 12)).tolist() == [True, True, False, False]
    assert hp.dated_for(pd.to_datetime(pd.Series(days)), "2026-12-03").tolist() == [True, True, True, False]
    mtgs = pd.DataFrame({"meeting_date": pd.to_datetime(["2026-10-06", "2026-11-12", "2026-12-03"])})  # oldest first
    assert hp.dated_meeting(pd.Series(days), mtgs).tolist() == [1, 1, 2, -1]


@pytest.mark.parametrize(
    "late,said",
    [
        (["Nej"], "Statusskiftet er sket efter mødet."),
        (["Nej", "Nej"], "Begge statusskift er sket efter mødet."),
        (["Nej", "Nej", "Nej"], "Alle statusskift er sket efter mødet."),
        (["Ja", "Ja"], "Begge statusskift er registreret efter mødet, men dateret til og med mødedagen"),
        (["Ja", "Nej", "Ja"], "2 af de 3 statusskift er registreret efter mødet, men dateret til og med mødedagen"),
    ],
)
def test_the_status_changes_sentence_counts_the_late_ones(late, said):
    table = pd.DataFrame({"Id": [f"P{i}" for i in range(len(late))], "Kun sent registreret": late})
    note = hp.status_late_note(table)
    assert note.startswith(said), note
    assert ("De øvrige er sket helt eller delvis efter mødet." in note) == ("Ja" in late and "Nej" in late)
    assert hp.status_late_note(table.iloc[:0]) == ""
