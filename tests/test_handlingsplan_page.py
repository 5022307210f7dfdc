"""Handlingsplan (AppTest): status counts, overdue, "changed since" and filters against independent SQL;
notes are shown as plain text."""

import datetime as dt

import pandas as pd
import pytest
from apptest_helpers import metric, open_numbers, table, text_tables
from handlingsplan_helpers import (
    EVIL_NOTE,
    meeting_label,
    registered_after,
    snapshot_with_note,
    status_changes,
    unseen_notes,
)

from overblik import clock, fmt

PAGE = "pages/handlingsplan.py"
TODAY = clock.today()
STATUS_LABELS = {
    "på sporet": "✓ På sporet",
    "risiko": "! Risiko",
    "forsinket": "✕ Forsinket",
    "afsluttet": "● Afsluttet",
    "ikke startet": "○ Ikke startet",
}

# Status of every initiative as of $at: its latest update on or before $at ('ikke startet' without one).
STATUS_AT = """
    SELECT i.initiative_id, i.principle_id, i.title, i.owner, i.deadline,
           coalesce(u.status, 'ikke startet') AS status
    FROM {initiatives} AS i
    LEFT JOIN (
        SELECT initiative_id, status,
               row_number() OVER (PARTITION BY initiative_id ORDER BY update_date DESC) AS rn
        FROM {initiative_updates} WHERE update_date <= $at
    ) AS u ON u.initiative_id = i.initiative_id AND u.rn = 1
"""


def note_tables(at):
    """The tables of new notes since the meeting, in the page's order."""
    return [t for t in text_tables(at) if {"Dato", "Bemærkning"} <= set(t.columns)]


def initiative_tables(at):
    """The per-principle tables of initiatives."""
    return [t for t in text_tables(at) if {"Seneste bemærkning", "Frist", "Status"} <= set(t.columns)]


def _meetings(sql):
    return sql(
        "SELECT meeting_date, body, title FROM {meetings} WHERE meeting_date < $t ORDER BY meeting_date DESC, body",
        {"t": TODAY},
    )


def _expected_changes(sql, sql_at, since):
    """Status as the meeting saw it (the snapshot current on its date) -> status now."""
    then = sql_at(since)(STATUS_AT, {"at": since}).set_index("initiative_id")["status"]
    now = sql(STATUS_AT, {"at": TODAY}).set_index("initiative_id")["status"]
    return {i: (then.get(i, "ikke startet"), now[i]) for i in now.index if then.get(i, "ikke startet") != now[i]}


@pytest.fixture
def page(app_test):
    at = app_test(page=PAGE)
    assert not at.exception, at.exception
    return at


def test_status_counts_match_sql(page, sql):
    now = sql(STATUS_AT, {"at": TODAY})
    for status, label in STATUS_LABELS.items():
        assert metric(page, label) == str(int((now.status == status).sum())), label
    # per principle, in the table under the chart
    counts = table(open_numbers(page), "I alt").set_index("Princip")
    want = now.groupby(["principle_id", "status"]).size()
    for princ_label, row in counts.iterrows():
        pid = princ_label.split(" · ")[0]
        for status in STATUS_LABELS:
            assert row[status[:1].upper() + status[1:]] == want.get((pid, status), 0), (pid, status)
        assert row["I alt"] == int((now.principle_id == pid).sum())
    assert counts["I alt"].sum() == len(now)
    text = " ".join(m.value for m in page.markdown)
    assert f"**{len(now)} initiativer**" in text


def test_overdue_initiatives_are_marked(page, sql):
    now = sql(STATUS_AT, {"at": TODAY})
    overdue = sorted(now[(now.deadline < pd.Timestamp(TODAY)) & (now.status != "afsluttet")].initiative_id)
    assert overdue, "the demo has overdue initiatives"
    assert metric(page, "⚠ Overskredet") == str(len(overdue))
    rows = [r for t in initiative_tables(page) for _, r in t.iterrows()]
    marked = sorted(r["Id"] for r in rows if "⚠ Overskredet" in r["Status"])
    assert marked == overdue
    gantt = table(open_numbers(page), "Frist overskredet")  # the Gantt chart's numbers
    assert sorted(gantt.loc[gantt["Frist overskredet"] == "Ja", "Initiativ"]) == overdue


def test_initiatives_are_grouped_by_principle(page, sql):
    want = sql("SELECT principle_id, count(*) AS n FROM {initiatives} GROUP BY 1 ORDER BY 1")
    groups = initiative_tables(page)[: len(want)]
    assert [len(g) for g in groups] == want.n.tolist()
    assert [g["Id"].iloc[0].split("-")[0] for g in groups] == want.principle_id.tolist()


@pytest.mark.parametrize("which", [0, 3])  # the default (the last meeting before today) and an older one
def test_changed_since_a_meeting_matches_sql(app_test, sql, sql_at, which):
    mtgs = _meetings(sql)
    since = mtgs.meeting_date[which]
    query = {} if which == 0 else {"siden": meeting_label(since, mtgs.body[which])}
    at = app_test(page=PAGE, query=query)
    assert not at.exception, at.exception
    assert at.selectbox(key="siden").value == meeting_label(since, mtgs.body[which])

    expected = _expected_changes(sql, sql_at, since)
    shown = table(at, "Statusskift")
    got = {r["Id"]: r["Statusskift"] for _, r in shown.iterrows()}
    assert got == {i: f"{STATUS_LABELS[a]}  →  {STATUS_LABELS[b]}" for i, (a, b) in expected.items()}

    notes = unseen_notes(sql, sql_at, since, TODAY)
    late = notes.update_date <= pd.Timestamp(since)  # dated for the meeting, registered after it: grouped last
    notes = pd.concat([notes[~late], notes[late]], ignore_index=True)
    shown_notes = pd.concat(note_tables(at), ignore_index=True)
    assert shown_notes["Id"].tolist() == notes.initiative_id.tolist()
    assert shown_notes["Bemærkning"].tolist() == notes.note.tolist()
    text = " ".join(m.value for m in at.markdown)
    assert f"**{len(expected)} initiativer** har skiftet status" in text
    assert f"**{len(notes)} nye bemærkninger**" in text


def test_filters_are_read_from_the_url(app_test, sql):
    names = sql("SELECT principle_id, name FROM {principles} WHERE principle_id = 'P2'")
    query = {"princip": f"P2 · {names.name[0]}", "initiativstatus": ["Risiko", "Forsinket"]}
    at = app_test(page=PAGE, query=query)
    assert not at.exception, at.exception
    assert at.multiselect(key="princip").value == ["P2"]
    assert at.multiselect(key="initiativstatus").value == ["risiko", "forsinket"]
    now = sql(STATUS_AT, {"at": TODAY})
    want = sorted(now[(now.principle_id == "P2") & now.status.isin(["risiko", "forsinket"])].initiative_id)
    shown = sorted(i for t in initiative_tables(at) for i in t["Id"])
    assert shown == want
    assert any("filtreret" in m.value for m in at.markdown)


def test_owner_filter_and_initiative_detail_from_the_url(app_test, sql):
    row = sql("SELECT initiative_id, title, owner, description FROM {initiatives} ORDER BY initiative_id").iloc[1]
    at = app_test(page=PAGE, query={"ansvarlig": row.owner, "initiativ": f"{row.initiative_id} {row.title}"})
    assert not at.exception, at.exception
    assert at.multiselect(key="ansvarlig").value == [row.owner]
    assert at.selectbox(key="initiativ").value == f"{row.initiative_id} {row.title}"
    texts = [t.value for t in at.text]
    assert row.owner in texts and row.description in texts
    hist = sql(
        "SELECT count(*) AS n FROM {initiative_updates} WHERE initiative_id = $i AND update_date <= $t",
        {"i": row.initiative_id, "t": TODAY},
    )
    assert len(table(at, "Til mødet")) == hist.n[0]


def test_widgets_are_bound_to_the_url(page):
    for key in ("princip", "initiativstatus", "ansvarlig"):
        assert page.multiselect(key=key).proto.query_param_key == key
    for key in ("siden", "initiativ"):
        assert page.selectbox(key=key).proto.query_param_key == key
    page.multiselect(key="initiativstatus").set_value(["forsinket"]).run()
    assert not page.exception
    assert all("Forsinket" in s for t in initiative_tables(page) for s in t["Status"])


def test_unknown_meeting_in_the_url_falls_back_quietly(app_test, sql):
    at = app_test(page=PAGE, query={"siden": "1. jan. 1999 (KKR)"})
    assert not at.exception
    mtgs = _meetings(sql)
    assert at.selectbox(key="siden").value == meeting_label(mtgs.meeting_date[0], mtgs.body[0])
    # the app opens on Overblik, which shares the 'siden' choice: it meets the bad value first and says so
    first = app_test(query={"siden": "1. jan. 1999 (KKR)"})
    assert first.selectbox(key="siden").value == meeting_label(mtgs.meeting_date[0], mtgs.body[0])
    assert any(fmt.md("1. jan. 1999 (KKR)") in c.value for c in first.caption)  # as text, not markdown


def test_a_note_with_html_is_shown_as_plain_text(app_test, data_dir, tmp_path, monkeypatch):
    from overblik import db

    evil_dir = tmp_path / "data"
    info = snapshot_with_note(data_dir, evil_dir)
    monkeypatch.setenv("OVERBLIK_DATA_DIR", str(evil_dir))
    db.clear()
    try:
        at = app_test(page=PAGE, query={"initiativ": f"{info['initiative_id']} {info['title']}"})
        assert not at.exception, at.exception
        assert EVIL_NOTE in [t.value for t in at.text], "the latest note is shown literally (st.text)"
        cells = [v for t in text_tables(at) for col in t.columns if "emærkning" in col for v in t[col]]
        assert EVIL_NOTE in cells
        for m in at.markdown:  # never through markdown or HTML
            assert "<script>" not in m.value and "alert(1)" not in m.value
    finally:
        monkeypatch.setenv("OVERBLIK_DATA_DIR", str(data_dir))
        db.clear()


def test_shared_filters_are_said_not_to_apply(page):
    assert any("påvirker ikke denne side" in c.value for c in page.caption)


def test_no_meeting_held_yet_names_the_next_one(app_test, sql, monkeypatch):
    """On a day before every meeting, the meetings table is not empty: the page says none has been held yet
    and which is the next (the first meeting, from SQL), not that none is registered. So does the page
    Siden sidste møde (the same sentence)."""
    import datetime as dt

    first = sql("SELECT meeting_date, body FROM {meetings} ORDER BY meeting_date, body LIMIT 1").iloc[0]
    day = pd.Timestamp(first["meeting_date"]).date() - dt.timedelta(days=1)
    monkeypatch.setenv("OVERBLIK_TODAY", day.isoformat())
    expected = f"Der er ikke holdt nogen møder endnu (næste: {fmt.date(first['meeting_date'])}, {first['body']})."
    for page in (PAGE, "pages/siden-sidste-moede.py"):
        at = app_test(page=page)
        assert not at.exception, at.exception
        infos = [i.value.replace("\\", "") for i in at.info]  # the pages escape markdown
        assert expected in infos, (page, infos)


MEETING = dt.date(2026, 11, 12)  # DASSOS, 4th quarter: it saw the shipped earlier snapshot (published 2 Nov)
MEETING_SID = "demo-2026-11-02"


def test_the_meeting_saw_its_snapshot_also_in_the_history(app_test, data_dir, sql, sql_at):
    """P1-02's update of 12 Nov is dated for the 12 Nov DASSOS meeting, but the snapshot that meeting saw did
    not hold it (current EXCEPT the meeting's): the history says it was registered after that meeting and
    names the first meeting that saw it, where it said 'Til mødet: 12. nov. 2026 · DASSOS-møde' while the
    Statusskift table above counted it as a change since that meeting. Every other row is labelled by the
    meeting it is dated for (the first on or after it, by SQL), which saw it."""
    assert sql_at(MEETING)("SELECT max(update_date) AS d FROM {initiative_updates}").d[0] < pd.Timestamp(MEETING)
    title = sql("SELECT title FROM {initiatives} WHERE initiative_id = 'P1-02'").title[0]
    at = app_test(page=PAGE, query={"siden": meeting_label(MEETING, "DASSOS"), "initiativ": f"P1-02 {title}"})
    assert not at.exception, at.exception

    unseen = registered_after(data_dir, MEETING_SID, TODAY)
    late = unseen[(unseen.initiative_id == "P1-02") & (unseen.update_date <= pd.Timestamp(MEETING))]
    assert [d.date() for d in late.update_date] == [MEETING], "hand-worked: the 12 Nov update (55 %)"

    mtgs = sql("SELECT meeting_date, body, title FROM {meetings} ORDER BY meeting_date, body")
    hist = table(at, "Til mødet")
    updates = sql(
        "SELECT update_date FROM {initiative_updates} WHERE initiative_id = 'P1-02' AND update_date <= $t "
        "ORDER BY update_date DESC",
        {"t": TODAY},
    )
    assert hist["Opdateret"].tolist() == [fmt.date(d) for d in updates.update_date]
    for day, label in zip(updates.update_date, hist["Til mødet"]):
        dated_for = mtgs[mtgs.meeting_date >= day].iloc[0]
        if day in set(late.update_date):
            # the first later meeting whose snapshot held it: the 3 Dec KKR meeting saw today's snapshot
            later = mtgs[mtgs.meeting_date > dated_for.meeting_date].iloc[0]
            assert sql_at(later.meeting_date)(
                "SELECT count(*) AS n FROM {initiative_updates} WHERE initiative_id = 'P1-02' AND update_date = $d",
                {"d": day},
            ).n[0]
            assert label == (
                f"Registreret efter mødet {meeting_label(dated_for.meeting_date, dated_for.body)}; "
                f"til mødet {meeting_label(later.meeting_date, later.body)}"
            )
        else:
            assert label == f"{fmt.date(dated_for.meeting_date)} · {dated_for.title}", day
    assert (
        hist.loc[hist["Opdateret"] == "12. nov. 2026", "Til mødet"]
        .iloc[0]
        .startswith("Registreret efter mødet 12. nov. 2026 (DASSOS)")
    )

    # one answer to "what did the meeting see": the newest row the history says the 12 Nov meeting saw is
    # the progress the Statusskift table says it had then
    seen = hist[~hist["Til mødet"].str.startswith("Registreret") & (hist["Opdateret"] != "20. nov. 2026")]
    change = table(at, "Statusskift").set_index("Id").loc["P1-02"]
    assert change["Fremdrift ved mødet"] == seen["Fremdrift"].iloc[0] == "45 %"
    assert change["Statusskift"] == "✓ På sporet  →  ! Risiko"


def test_new_notes_are_grouped_by_whether_they_are_dated_after_the_meeting(app_test, data_dir, sql):
    """The 54 notes the 12 Nov meeting did not see (current EXCEPT the meeting's snapshot, by SQL over the two
    Parquet files) in two groups: the 27 dated after the meeting, and the 27 dated on or before it but
    registered after it - e.g. P3-01's 'Afsluttet' of 12 Nov, a change on the Statusskift list."""
    at = app_test(page=PAGE, query={"siden": meeting_label(MEETING, "DASSOS")})
    assert not at.exception, at.exception
    unseen = registered_after(data_dir, MEETING_SID, TODAY)
    unseen = unseen[unseen.note.notna()]
    late = unseen[unseen.update_date <= pd.Timestamp(MEETING)]
    after = unseen[unseen.update_date > pd.Timestamp(MEETING)]
    assert (len(unseen), len(late), len(after)) == (54, 27, 27), "the brief's counts"

    groups = note_tables(at)
    assert len(groups) == 2
    for shown, want in zip(groups, (after, late)):
        assert sorted(zip(shown["Dato"], shown["Id"], shown["Bemærkning"])) == sorted(
            zip([fmt.date(d) for d in want.update_date], want.initiative_id, want.note)
        )
    heads = [m.value for m in at.markdown if m.value.startswith("#### ")]
    assert heads[:2] == [
        "#### Dateret efter mødet (27)",
        "#### Registreret efter mødet, men dateret til og med mødedagen (27)",
    ]
    assert any(c.value.startswith("Mødet så dem ikke") for c in at.caption)
    text = " ".join(m.value for m in at.markdown)
    assert (
        "**54 nye bemærkninger**: 27 dateret efter mødet og 27 registreret efter mødet, men dateret til og med "
        "mødedagen." in text
    )
    p3 = groups[1][(groups[1]["Id"] == "P3-01") & (groups[1]["Dato"] == "12. nov. 2026")]
    assert p3["Status"].tolist() == ["● Afsluttet"]
    assert table(at, "Statusskift").set_index("Id").loc["P3-01", "Statusskift"] == "✓ På sporet  →  ● Afsluttet"


@pytest.mark.parametrize("which", [0, 1])  # 12 Nov (saw the earlier snapshot) and 6 Oct (before any snapshot)
def test_status_changes_only_registered_after_the_meeting_are_marked(app_test, sql, sql_at, which):
    """A status change that comes only from updates dated on or before the meeting but registered after it
    says so ('Kun sent registreret': Ja), apart from those that happened after the meeting. Hand-worked on
    the shipped data for the 12 Nov DASSOS meeting, which saw the snapshot of 2 Nov: P1-03 was 'risiko' there,
    its update of 10 Nov (registered later) says 'på sporet', as it is now: Ja; likewise P1-05, P3-01 and U-06.
    P2-04 was 'på sporet', a late update of 7 Nov says 'risiko', and one of 20 Nov 'forsinket': it changed
    after the meeting too, so Nej. The 6 Oct meeting had no snapshot: the dates decide, nothing is late."""
    mtgs = _meetings(sql)
    since, body = mtgs.meeting_date[which], mtgs.body[which]
    at = app_test(page=PAGE, query={"siden": meeting_label(since, body)})
    assert not at.exception, at.exception

    expected = status_changes(sql, sql_at, since, TODAY)
    late = sorted(i for i, (_, _, x) in expected.items() if x)
    if which == 0:
        assert since == pd.Timestamp(MEETING) and late == ["P1-03", "P1-05", "P3-01", "U-06"], "hand-worked"
        assert expected["P2-04"] == ("på sporet", "forsinket", False)
    else:
        assert late == []
    shown = table(at, "Statusskift")
    assert list(shown.columns[:4]) == ["Id", "Initiativ", "Statusskift", "Kun sent registreret"]
    assert dict(zip(shown["Id"], shown["Kun sent registreret"])) == {
        i: "Ja" if x else "Nej" for i, (_, _, x) in expected.items()
    }
    captions = [c.value.replace("\\", "") for c in at.caption]
    if late:
        assert (
            f"{len(late)} af de {len(expected)} statusskift er registreret efter mødet, men dateret til og med "
            "mødedagen (»Ja« under Kun sent registreret): mødet så ikke de opdateringer, der gav den nye status. "
            "De øvrige er sket helt eller delvis efter mødet." in captions
        )
    else:
        assert "Alle statusskift er sket efter mødet." in captions
