"""The Handlingsplan page: the action plan's initiatives by principle, their status today, the filters,
what changed since a meeting, one initiative's details and history, and the key message.

Runs queries/handlingsplan_*.sql and returns plain view data (dataclasses and frames with Danish column
names); the figures (counts per principle, the gantt) are in overblik/handlingsplan_figures.py. The
Overblik page reuses `initiatives()`, `totals()`, `meetings()`, `meeting_label()`,
`default_meeting_index()` and `changed_since()`.

What a meeting saw is one rule, here: the snapshot current on its date (`meeting_snapshot()`), which
`seen_at_meeting()` applies to each update. The status changes, the new notes and the history's "Til mødet"
all follow it, and so do Overblik and Siden sidste møde through them. Which updates are dated for a meeting
(on or before its day: those it can have seen, and the late ones it did not) is one rule too, `dated_for()`.

Text written by people (notes, descriptions, titles) is never passed to markdown or HTML as it is: the
page shows it with st.text or in dataframe cells, and `fmt.md()` escapes it where a sentence in
markdown must quote it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from overblik import charts, clock, data, db, fmt, viewcache

TABLES = ("initiatives", "initiative_updates", "principles")
SHARED_FILTERS: tuple[str, ...] = ()  # one plan for the whole region: none of the sidebar's filters applies
OVERDUE = "⚠ Overskredet"
PERCENT = {"Fremdrift": "%", "Fremdrift ved mødet": "%", "Fremdrift nu": "%"}  # the units of the text tables
# a status in a sentence: (one, several) - '1 forsinket', '3 forsinkede'
STATUS_PHRASE = {
    "på sporet": ("på sporet", "på sporet"),
    "risiko": ("med risiko", "med risiko"),
    "forsinket": ("forsinket", "forsinkede"),
    "afsluttet": ("afsluttet", "afsluttede"),
    "ikke startet": ("ikke startet", "ikke startet"),
}


def status_filter_label(status: str) -> str:
    """The status as a filter choice (and URL value): 'På sporet'."""
    return status[:1].upper() + status[1:]


def principle_label(pid: str, name: str, limit: int | None = None) -> str:
    text = f"{pid} · {name}"
    return fmt.shorten(text, limit) if limit else text


def plain(v) -> str:
    """Text for st.text / table cells: the value as written, or '–' when missing."""
    return fmt.MISSING if fmt._missing(v) or not str(v).strip() else str(v)


# --- the initiatives and the filters ('princip', 'initiativstatus', 'ansvarlig') ---------------


@viewcache.cached
def initiatives(day: dt.date | None = None) -> pd.DataFrame:
    """Every initiative with its status today (latest update on or before today)."""
    df = db.run("handlingsplan_initiatives", today=day or clock.today())
    df["status_label"] = [charts.status_label(s) for s in df["status"]]
    return df


@dataclass(frozen=True)
class FilterOptions:
    principles: list[str]  # principle ids, sorted
    principle_names: dict[str, str]  # id -> name
    statuses: list[str]  # charts.STATUS_ORDER
    owners: list[str]

    def principle_label(self, pid: str) -> str:
        return principle_label(pid, self.principle_names[pid])


@viewcache.cached
def filter_options(everything: pd.DataFrame) -> FilterOptions:
    names = dict(zip(everything["principle_id"], everything["principle_name"]))
    return FilterOptions(
        principles=sorted(names),
        principle_names=names,
        statuses=list(charts.STATUS_ORDER),
        owners=sorted(everything["owner"].unique()),
    )


@viewcache.cached
def filter_initiatives(df: pd.DataFrame, principles=(), statuses=(), owners=()) -> pd.DataFrame:
    """The initiatives the page's filters keep (an empty choice keeps everything)."""
    keep = pd.Series(True, index=df.index)
    if principles:
        keep &= df["principle_id"].isin(list(principles))
    if statuses:
        keep &= df["status"].isin(list(statuses))
    if owners:
        keep &= df["owner"].isin(list(owners))
    return df[keep]


# --- counts --------------------------------------------------------------------------------------


@viewcache.cached
def status_counts(df: pd.DataFrame) -> pd.DataFrame:
    """Initiatives per principle and status: one row per principle, a column per status, and 'I alt'."""
    principles = df[["principle_id", "principle_name"]].drop_duplicates().sort_values("principle_id")
    counts = (
        df.groupby(["principle_id", "status"])
        .size()
        .unstack(fill_value=0)
        .reindex(columns=list(charts.STATUS_ORDER), fill_value=0)
    )
    out = principles.merge(counts, left_on="principle_id", right_index=True, how="left").fillna(0)
    for s in charts.STATUS_ORDER:
        out[s] = out[s].astype(int)
    out["total"] = out[list(charts.STATUS_ORDER)].sum(axis=1)
    return out.reset_index(drop=True)


@viewcache.cached
def counts_takeaway(counts: pd.DataFrame) -> str:
    """The status chart in one sentence: how many are on track, and the principle with most initiatives
    at risk or delayed (plain text)."""
    total = int(counts["total"].sum())
    if not total:
        return ""
    text = f"{counts['på sporet'].sum()} af {fmt.count(total, 'initiativ', 'initiativer')} er på sporet"
    trouble = counts["risiko"] + counts["forsinket"]
    if int(trouble.max()) == 0:
        return text + "; ingen er i risiko eller forsinket."
    i = int(trouble.to_numpy().argmax())
    r = counts.iloc[i]
    return (
        text
        + f"; flest i risiko eller forsinket under {r['principle_id']} ({int(trouble.iloc[i])} af {int(r['total'])})."
    )


@viewcache.cached
def timeline_takeaway(df: pd.DataFrame, day: dt.date) -> str:
    """The timeline in one sentence: the overdue initiatives and the next deadline not yet passed."""
    overdue = int(df["overdue"].sum())
    text = (
        f"{fmt.count(overdue, 'initiativ', 'initiativer')} har overskredet fristen"
        if overdue
        else "Ingen initiativer har overskredet fristen"
    )
    ahead = df[(pd.to_datetime(df["deadline"]).dt.date >= day) & (df["status"] != "afsluttet")]
    if ahead.empty:
        return text + "."
    nxt = ahead.assign(_d=pd.to_datetime(ahead["deadline"])).sort_values(["_d", "initiative_id"]).iloc[0]
    return (
        text + f"; næste frist er {fmt.date(nxt['deadline'])} ({nxt['initiative_id']} {fmt.shorten(nxt['title'], 40)})."
    )


def totals(df: pd.DataFrame) -> dict:
    """Counts for the metrics: per status, overdue and all."""
    out = {s: int((df["status"] == s).sum()) for s in charts.STATUS_ORDER}
    out["overdue"] = int(df["overdue"].sum())
    out["total"] = len(df)
    return out


@viewcache.cached
def counts_table(counts: pd.DataFrame) -> pd.DataFrame:
    names = zip(counts["principle_id"], counts["principle_name"])
    table = pd.DataFrame({"Princip": [principle_label(p, n) for p, n in names]})
    for s in charts.STATUS_ORDER:
        table[status_filter_label(s)] = counts[s].to_numpy()
    table["I alt"] = counts["total"].to_numpy()
    return table


def counts_line(df: pd.DataFrame) -> str:
    """'✓ På sporet 3 · ! Risiko 1 · ⚠ Overskredet 1' for a group of initiatives (only non-zero)."""
    t = totals(df)
    bits = [f"{charts.status_label(s)} {t[s]}" for s in charts.STATUS_ORDER if t[s]]
    if t["overdue"]:
        bits.append(f"{OVERDUE} {t['overdue']}")
    return " · ".join(bits)


@viewcache.cached
def initiative_table(df: pd.DataFrame) -> pd.DataFrame:
    """The initiatives as the page lists them (Danish columns; notes stay plain text in cells)."""
    periods = db.run("udgifter_agreements")
    return pd.DataFrame(
        {
            "Id": df["initiative_id"].to_numpy(),
            "Initiativ": df["title"].to_numpy(),
            "Fase": [phase(p, d, periods) for p, d in zip(df["principle_id"], df["start_date"])],
            "Status": [f"{lab}  {OVERDUE}" if o else lab for lab, o in zip(df["status_label"], df["overdue"])],
            "Fremdrift": df["progress_pct"].astype(float).to_numpy(),
            "Frist": [fmt.date(d) for d in df["deadline"]],
            "Ansvarlig": df["owner"].to_numpy(),
            "Seneste bemærkning": [fmt.MISSING if fmt._missing(n) else str(n) for n in df["note"]],
            "Opdateret": [fmt.date(d) for d in df["update_date"]],
        }
    )


@dataclass(frozen=True)
class Group:
    """One principle's initiatives, as listed under 'Initiativer pr. princip'."""

    heading: str  # markdown (escaped): 'P1 · ...', an h3 under 'Initiativer pr. princip'
    counts: str  # counts_line()
    table: pd.DataFrame  # initiative_table()


@viewcache.cached
def groups(shown: pd.DataFrame, names: dict[str, str]) -> list[Group]:
    return [
        Group(
            heading=fmt.md(principle_label(pid, names[pid])),
            counts=counts_line(group),
            table=initiative_table(group),
        )
        for pid, group in shown.groupby("principle_id", sort=True)
    ]


# --- meetings and what changed since one ('siden') ---------------------------------------------


def meetings(day: dt.date | None = None) -> pd.DataFrame:
    """Meetings held on or before today, newest first."""
    return db.run("handlingsplan_meetings", today=day or clock.today())


def no_meeting_held(day: dt.date | None = None) -> str:
    """What a 'siden' choice says when no meeting has been held by today (meetings() is empty): the next
    registered meeting, if there is one (plain text: the body is data)."""
    nxt = db.run("handlingsplan_next_meeting", today=day or clock.today())
    if nxt.empty:
        return "Der er ingen møder i mødetabellen endnu."
    m = nxt.iloc[0]
    return f"Der er ikke holdt nogen møder endnu (næste: {fmt.date(m['meeting_date'])}, {m['body']})."


def meeting_label(row) -> str:
    """'6. okt. 2026 (KKR)': the choice as shown and as written to the URL."""
    return f"{fmt.date(row['meeting_date'])} ({row['body']})"


def default_meeting_index(mtgs, day: dt.date | None = None) -> int:
    """'Since the last meeting': the last meeting held before today, of either body (DASSOS or KKR).
    `mtgs`: meetings() or meeting_choices(), newest first (meetings on or before today)."""
    day = day or clock.today()
    rows = mtgs.to_dict("records") if isinstance(mtgs, pd.DataFrame) else list(mtgs.values())
    for i, m in enumerate(rows):
        if pd.Timestamp(m["meeting_date"]).date() < day:
            return i
    return 0


PRINCIPLES_START = dt.date(2027, 1, 1)  # the common principles replace the rate agreement from 2027-28
PHASE_NOTE = (
    "De fælles principper (P1-P4) er rammeaftalens styringsredskab fra Rammeaftale 2027-28 "
    "(»takstaftalen erstattes af et nyt styringsredskab i fælles principper«, Rammeaftale 2027-28, udkast). "
    "Initiativer under principperne, der er startet før 1. jan. 2027, er forberedelsesfasen. "
    "Initiativerne under udviklingsområdet (U) hører til Borgere med komplekse udfordringer, et "
    "udviklingsområde siden Rammeaftale 2021-22, der »videreføres som et overordnet – og det eneste - "
    "udviklingsområde i rammeaftalen« (Rammeaftale 2027-28, udkast)."
)


def phase(principle_id: str, start_date, periods: pd.DataFrame) -> str:
    """'Forberedelse (før 2027-28)', 'Rammeaftale 2027-28' (the latest agreement period begun when the
    initiative started, from `periods` = the agreements table by start_year: a later period names itself) or
    'Udviklingsområdet (siden 2021-22)': Borgere med komplekse udfordringer is a development area from
    Rammeaftale 2021-22 (seed 001) and on."""
    if principle_id == "U":
        return "Udviklingsområdet (siden 2021-22)"
    start = pd.Timestamp(start_date).date()
    if start < PRINCIPLES_START:
        return "Forberedelse (før 2027-28)"
    begun = periods.loc[periods["start_year"] <= start.year, "period"]
    return f"Rammeaftale {begun.iloc[-1] if len(begun) else '2027-28'}"


@viewcache.cached
def meeting_choices(day: dt.date | None = None) -> dict[str, dict]:
    """The 'siden' choices: label -> meeting (meeting_date, body, title), newest first."""
    return {meeting_label(r): r.to_dict() for _, r in meetings(day).iterrows()}


def changed_since(since: dt.date, day: dt.date | None = None) -> pd.DataFrame:
    """The initiatives whose status now differs from their status at the meeting on `since`, and those
    with notes registered after it (queries/handlingsplan_changed_since.sql).

    The status at the meeting is the one the meeting saw: in the meeting's snapshot (meeting_snapshot), at
    that date. An update registered after the meeting but dated before it (the plan updated late) is then a
    change since the meeting, as it is for the people who were there. Without an older snapshot (the meeting
    saw this one, or none was published yet) the query's own history decides.

    `status_late`: the status changed only through such late updates: today's updates dated for the
    meeting (dated_for) already give the status now, so nothing after the meeting changed it."""
    day = day or clock.today()
    changed = db.run("handlingsplan_changed_since", since=since, today=day)
    then = meeting_snapshot(since)
    out = changed if then is None else _as_seen(changed, then, since, day)
    by_dates = out["initiative_id"].map(status_dated_for(since))
    return out.assign(status_late=(out["status_changed"] & (by_dates == out["status_now"])).astype(bool))


def status_dated_for(meeting_date: dt.date) -> pd.Series:
    """Each initiative's status at the meeting on `meeting_date` by today's updates, whether the meeting saw
    them or not: the status as of that day (the latest update dated for it, 'ikke startet' without one),
    by the same query as the page's status today (queries/handlingsplan_initiatives.sql)."""
    return initiatives(pd.Timestamp(meeting_date).date()).set_index("initiative_id")["status"]


def meeting_snapshot(meeting_date: dt.date) -> str | None:
    """What a meeting saw, the one rule every part of the page (and Overblik, Siden sidste møde and the
    meeting pack, through changed_since, notes_since and history) follows: the snapshot current on the
    meeting's date (data.snapshot_at). None when that is today's snapshot or none was published yet: the
    dated history then decides (an update dated on or before the meeting was seen)."""
    then = data.snapshot_at(pd.Timestamp(meeting_date).date())
    return None if then is None or then.sid == db.snapshot_id() else then.sid


UPDATE_KEY = ["initiative_id", "update_date", "status", "progress_pct", "note"]  # an update as readers see it


def dated_for(update_dates, meeting_date) -> np.ndarray:
    """Whether each update (its date) is dated for the meeting on `meeting_date`: dated on or before the
    meeting day, the day itself included. What a meeting can have seen (seen_at_meeting), the late notes
    (dated for the meeting but registered after it) and the meeting an update is dated for in the history
    (dated_meeting) use it; a status as of a day is the SQL's same 'update_date <= day'
    (handlingsplan_initiatives.sql, read by status_dated_for for the late status changes)."""
    day = pd.Timestamp(meeting_date).date()
    return (pd.to_datetime(pd.Series(np.asarray(update_dates))).dt.date <= day).to_numpy(dtype=bool)


def seen_at_meeting(updates: pd.DataFrame, meeting_date: dt.date) -> np.ndarray:
    """Whether the meeting on `meeting_date` saw each of `updates` (today's rows, with the columns
    UPDATE_KEY): dated on or before the meeting and held, the same, by the meeting's snapshot
    (meeting_snapshot; without one, the date alone decides). An update dated before the meeting but
    registered (or changed) after it was not seen."""
    day = pd.Timestamp(meeting_date).date()
    dated = dated_for(updates["update_date"], day)
    then = meeting_snapshot(day)
    if then is None:
        return dated
    held = updates[UPDATE_KEY].merge(_updates_in(then), on=UPDATE_KEY, how="left", indicator=True)
    return dated & (held["_merge"] == "both").to_numpy(dtype=bool)


@viewcache.cached
def _updates_in(sid: str) -> pd.DataFrame:
    """Every update snapshot `sid` holds (UPDATE_KEY, one row each)."""
    with db.pinned(sid):
        return db.run("handlingsplan_updates")[UPDATE_KEY].drop_duplicates(ignore_index=True)


@viewcache.cached
def _as_seen(changed: pd.DataFrame, then_sid: str, since: dt.date, day: dt.date) -> pd.DataFrame:
    """changed_since with each status and progress at the meeting read from snapshot `then_sid` (an
    initiative it lacks had not started); the notes after the meeting stay the query's."""
    with db.pinned(then_sid):
        seen = initiatives(since).set_index("initiative_id")
    now = initiatives(day)
    out = pd.DataFrame(
        {
            "principle_id": now["principle_id"],
            "initiative_id": now["initiative_id"],
            "title": now["title"],
            "owner": now["owner"],
            "status_then": now["initiative_id"].map(seen["status"]).fillna("ikke startet"),
            "status_now": now["status"],
            "progress_then": now["initiative_id"].map(seen["progress_pct"]).fillna(0.0),
            "progress_now": now["progress_pct"],
        }
    )
    out["status_changed"] = out["status_now"] != out["status_then"]
    notes = changed[["initiative_id", "new_notes", "latest_update", "latest_note"]]
    out = out.merge(notes, on="initiative_id", how="left")
    out["new_notes"] = out["new_notes"].fillna(0).astype(int)
    out = out[out["status_changed"] | (out["new_notes"] > 0)]
    return out.sort_values(
        ["status_changed", "principle_id", "initiative_id"], ascending=[False, True, True], ignore_index=True
    )


def notes_since(since: dt.date, day: dt.date | None = None) -> pd.DataFrame:
    """The notes the meeting on `since` did not see (seen_at_meeting), newest first
    (of queries/handlingsplan_notes.sql), with `late`: dated on or before the meeting, but registered
    after it (not in the meeting's snapshot), where the others are dated after it."""
    day = day or clock.today()
    since = pd.Timestamp(since).date()
    return _notes_unseen(since, day, meeting_snapshot(since))


@viewcache.cached
def _notes_unseen(since: dt.date, day: dt.date, then_sid: str | None) -> pd.DataFrame:
    """notes_since; `then_sid` (the meeting's snapshot) only keys the cache."""
    now = db.run("handlingsplan_notes", today=day)
    out = now[~seen_at_meeting(now, since)].reset_index(drop=True)
    out["late"] = dated_for(out["update_date"], since)
    return out


def status_changes_table(changed: pd.DataFrame) -> pd.DataFrame:
    ch = changed[changed["status_changed"]]
    return pd.DataFrame(
        {
            "Id": ch["initiative_id"].to_numpy(),
            "Initiativ": ch["title"].to_numpy(),
            "Statusskift": [
                f"{charts.status_label(a)}  →  {charts.status_label(b)}"
                for a, b in zip(ch["status_then"], ch["status_now"])
            ],
            STATUS_LATE: ["Ja" if late else "Nej" for late in ch["status_late"]],
            "Fremdrift ved mødet": ch["progress_then"].astype(float).to_numpy(),
            "Fremdrift nu": ch["progress_now"].astype(float).to_numpy(),
            "Ansvarlig": ch["owner"].to_numpy(),
        }
    )


def notes_table(notes: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Dato": [fmt.date(d) for d in notes["update_date"]],
            "Id": notes["initiative_id"].to_numpy(),
            "Initiativ": notes["title"].to_numpy(),
            "Status": [charts.status_label(s) for s in notes["status"]],
            "Bemærkning": notes["note"].astype(str).to_numpy(),
        }
    )


# What a meeting did not see although it is dated for it (seen_at_meeting): the same words in the history,
# the notes and the page Siden sidste møde.
LATE = "Registreret efter mødet"
NOTES_AFTER = "Dateret efter mødet"
NOTES_LATE = f"{LATE}, men dateret til og med mødedagen"
# the status changes' column: 'Ja' when the change comes only from updates dated for the meeting and registered
# after it (every changed row was registered after the meeting, so LATE itself would read 'Nej' wrongly)
STATUS_LATE = "Kun sent registreret"
NOTES_LATE_NOTE = (
    "Mødet så dem ikke: de var ikke med i det datasæt, der var aktuelt på mødedatoen. Derfor tæller de med som nye."
)


def status_late_note(table: pd.DataFrame) -> str:
    """Said with the status changes (status_changes_table): how many of them were only registered late
    (STATUS_LATE 'Ja'), and what that means (plain text); '' without changes."""
    total, n = len(table), int((table[STATUS_LATE] == "Ja").sum())
    if not total:
        return ""
    if not n:
        if total == 1:
            return "Statusskiftet er sket efter mødet."
        return "Begge statusskift er sket efter mødet." if total == 2 else "Alle statusskift er sket efter mødet."
    if total == 1:
        which = "Statusskiftet er"
    elif n == total:
        which = "Begge statusskift er" if total == 2 else f"Alle {fmt.number(total)} statusskift er"
    else:
        which = f"{fmt.number(n)} af de {fmt.number(total)} statusskift er"
    rest = "" if n == total else " De øvrige er sket helt eller delvis efter mødet."
    return (
        f"{which} {NOTES_LATE[:1].lower()}{NOTES_LATE[1:]} (»Ja« under {STATUS_LATE}): mødet så ikke de opdateringer, "
        f"der gav den nye status.{rest}"
    )


@dataclass(frozen=True)
class Changes:
    """What changed since a meeting for the initiatives shown."""

    meeting: dict  # meeting_date, body, title
    n_changed: int  # initiatives whose status changed
    summary: str  # markdown (escaped): 'Siden **...** (...): **2 initiativer** har skiftet status, ...'
    status_changes: pd.DataFrame  # status_changes_table()
    status_note: str  # status_late_note(): which status changes were only registered after the meeting
    notes: pd.DataFrame  # notes_table(): the new notes dated after the meeting
    late_notes: pd.DataFrame  # notes_table(): those dated on or before it, registered after it (NOTES_LATE)

    @property
    def n_notes(self) -> int:
        return len(self.notes) + len(self.late_notes)


@viewcache.cached
def changes(meeting: dict, ids, day: dt.date | None = None) -> Changes:
    """The status changes and new notes since `meeting` among the initiatives in `ids`."""
    ids = set(ids)
    since = meeting["meeting_date"]
    changed = changed_since(since, day)
    changed = changed[changed["initiative_id"].isin(ids)]
    notes = notes_since(since, day)
    notes = notes[notes["initiative_id"].isin(ids)]
    late = notes[notes["late"]]
    n_changed = int(changed["status_changed"].sum())
    table = status_changes_table(changed)
    split = (
        f": {fmt.number(len(notes) - len(late))} dateret efter mødet og {fmt.number(len(late))} "
        f"{NOTES_LATE[:1].lower()}{NOTES_LATE[1:]}"
        if len(late)
        else ""
    )
    summary = (
        f"Siden **{fmt.md(meeting['title'])}** ({fmt.date(since)}): "
        f"**{fmt.count(n_changed, 'initiativ', 'initiativer')}** har skiftet status, og der er "
        f"**{fmt.count(len(notes), 'ny bemærkning', 'nye bemærkninger')}**{split}."
    )
    return Changes(
        meeting=meeting,
        n_changed=n_changed,
        summary=summary,
        status_changes=table,
        status_note=status_late_note(table),
        notes=notes_table(notes[~notes["late"]]),
        late_notes=notes_table(late),
    )


# --- the key message -----------------------------------------------------------------------------


def plan_key_message(t: dict, n_all: int, meeting=None, n_changed: int | None = None) -> str:
    """The top line: how many initiatives, how they stand, overdue, and changes since the meeting."""
    shown = fmt.count(t["total"], "initiativ", "initiativer")
    head = f"**{shown}**" if t["total"] == n_all else f"**{shown}** (af {fmt.number(n_all)}, filtreret)"
    parts = [f"{t[s]} {STATUS_PHRASE[s][0 if t[s] == 1 else 1]}" for s in charts.STATUS_ORDER if t[s]]
    text = f"{head}: " + ", ".join(parts) + "."
    if t["overdue"]:
        text += f" **{fmt.count(t['overdue'], 'initiativ', 'initiativer')} har overskredet fristen.**"
    if meeting is not None and n_changed is not None:
        text += (
            f" Siden {fmt.md(meeting['title'])} ({fmt.date(meeting['meeting_date'])}) har "
            f"{fmt.count(n_changed, 'initiativ', 'initiativer')} skiftet status."
        )
    return text


# --- one initiative ('initiativ') ----------------------------------------------------------------


@viewcache.cached
def initiative_choices(shown: pd.DataFrame) -> dict[str, dict]:
    """The 'initiativ' choices: 'P1-02 Takstgennemsigtighed' -> the initiative's row."""
    return {f"{r['initiative_id']} {r['title']}": r.to_dict() for _, r in shown.iterrows()}


@viewcache.cached
def history(initiative_id: str, day: dt.date | None = None) -> pd.DataFrame:
    """One initiative's updates up to today, newest first (queries/handlingsplan_history.sql), each with the
    meeting it is dated for (meeting_date, meeting_body, meeting_title: dated_meeting) and the first meeting
    that saw it (seen_date, seen_body: seen_at_meeting), a later one when the update was registered after
    the meeting it is dated for; `corrected`: that meeting did see an update of the initiative on that date,
    with other values (changed after the meeting)."""
    hist = db.run("handlingsplan_history", initiative=initiative_id, today=day or clock.today())
    mtgs = all_meetings().iloc[::-1].reset_index(drop=True)  # oldest first
    dated_at = dated_meeting(hist["update_date"], mtgs)
    for i, (col, name) in enumerate(
        (("meeting_date", "meeting_date"), ("meeting_body", "body"), ("meeting_title", "title"))
    ):
        hist.insert(2 + i, col, mtgs[name].reindex(dated_at).to_numpy())  # after update_date
    seen_date = np.full(len(hist), None, dtype=object)
    seen_body = np.full(len(hist), None, dtype=object)
    for m in mtgs.itertuples(index=False):
        mdate = pd.Timestamp(m.meeting_date).date()
        open_ = np.array([s is None for s in seen_date], dtype=bool) & dated_for(hist["update_date"], mdate)
        if not open_.any():
            continue
        seen = open_.copy()
        seen[open_] = seen_at_meeting(hist[open_], mdate)
        seen_date[seen], seen_body[seen] = mdate, m.body
    hist["seen_date"], hist["seen_body"] = seen_date, seen_body
    dates = pd.to_datetime(hist["update_date"]).dt.date.to_numpy()
    missed = [
        not fmt._missing(m) and (s is None or s != pd.Timestamp(m).date())
        for m, s in zip(hist["meeting_date"], seen_date)
    ]
    hist["corrected"] = [
        miss and _held_that_day(i, d, m)
        for miss, i, d, m in zip(missed, hist["initiative_id"], dates, hist["meeting_date"])
    ]
    hist["missed"] = missed
    return hist


def dated_meeting(update_dates, mtgs: pd.DataFrame) -> np.ndarray:
    """The meeting each update is dated for: the first of `mtgs` (oldest first) it is dated for (dated_for),
    as a position in `mtgs`, -1 when none is (dated after the last registered meeting)."""
    out = np.full(len(update_dates), -1)
    for i, mdate in enumerate(mtgs["meeting_date"]):
        out[(out < 0) & dated_for(update_dates, mdate)] = i
    return out


def _held_that_day(initiative_id: str, day: dt.date, meeting_date) -> bool:
    """The snapshot of the meeting on `meeting_date` held an update of the initiative dated `day`."""
    then = meeting_snapshot(meeting_date)
    if then is None:
        return False
    held = _updates_in(then)
    dates = pd.to_datetime(held["update_date"]).dt.date
    return bool(((held["initiative_id"] == initiative_id) & (dates == day)).any())


def all_meetings() -> pd.DataFrame:
    """Every registered meeting, also those after today, newest first (as meetings())."""
    return db.run("handlingsplan_meetings", today=dt.date(9999, 12, 31))


def meeting_cell(r) -> str:
    """'Til mødet' in the history: the meeting the update is dated for ('12. nov. 2026 · DASSOS-møde, ...'),
    or, when that meeting did not see it, LATE and the meeting that saw it first:
    'Registreret efter mødet 12. nov. 2026 (DASSOS); til mødet 3. dec. 2026 (KKR)'."""
    if fmt._missing(r["meeting_date"]):
        return fmt.MISSING
    if not r["missed"]:
        return f"{fmt.date(r['meeting_date'])} · {r['meeting_title']}"
    what = "Rettet efter mødet" if r["corrected"] else LATE
    text = f"{what} {meeting_label({'meeting_date': r['meeting_date'], 'body': r['meeting_body']})}"
    if r["seen_date"] is None:
        return text
    return text + f"; til mødet {meeting_label({'meeting_date': r['seen_date'], 'body': r['seen_body']})}"


def history_table(hist: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Opdateret": [fmt.date(d) for d in hist["update_date"]],
            "Til mødet": [meeting_cell(r) for _, r in hist.iterrows()],
            "Status": [charts.status_label(s) for s in hist["status"]],
            "Fremdrift": hist["progress_pct"].astype(float).to_numpy(),
            "Bemærkning": [fmt.MISSING if fmt._missing(n) else str(n) for n in hist["note"]],
        }
    )


@dataclass(frozen=True)
class Detail:
    """One initiative as 'Detaljer om et initiativ' shows it (text fields go to st.text, not markdown)."""

    heading: str  # markdown (escaped): '### P1-02 Takstgennemsigtighed'
    status: str  # '! Risiko', with '   ⚠ Overskredet' when overdue
    progress: int
    progress_text: str  # 'Fremdrift 40 %'
    owner: str
    period: str  # '1. feb. 2026 – 30. jun. 2027'
    principle: str
    description: str
    note_heading: str  # markdown: '#### Seneste bemærkning (6. okt. 2026)'
    note: str
    history: pd.DataFrame  # history_table()


@viewcache.cached
def detail(row: dict, day: dt.date | None = None) -> Detail:
    return Detail(
        heading=f"### {fmt.md(row['initiative_id'])} {fmt.md(row['title'])}",
        status=row["status_label"] + (f"   {OVERDUE}" if row["overdue"] else ""),
        progress=int(row["progress_pct"]),
        progress_text=f"Fremdrift {fmt.pct(row['progress_pct'], 0)}",
        owner=row["owner"],
        period=f"{fmt.date(row['start_date'])} – {fmt.date(row['deadline'])}",
        principle=principle_label(row["principle_id"], row["principle_name"]),
        description=plain(row["description"]),
        note_heading=f"#### Seneste bemærkning ({fmt.date(row['update_date'])})",
        note=plain(row["note"]),
        history=history_table(history(row["initiative_id"], day)),
    )
