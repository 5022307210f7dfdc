"""The Centrale udmeldinger page: the national board's notices since 2014 (real data) - the key message,
the next or pending event, the open notices, the status filter and the tables.

Runs queries/udmeldinger_*.sql and returns plain view data (dataclasses and frames with Danish column
names); the timeline figure is in overblik/udmeldinger_figures.py. The Overblik page reuses `summary()`,
`next_event()`, `open_table()` and `notices()`.

Text written by people (target groups, outcomes, answers) is never passed to markdown as it is: the
tables show it in cells, and `fmt.md()` escapes it where a sentence in markdown quotes it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from overblik import clock, db, fmt, region, viewcache
from overblik import udmeldinger_figures as figures

TABLES = ("central_notices",)
SHARED_FILTERS: tuple[str, ...] = ()  # national notices: none of the sidebar's filters (filters.KEYS) applies
NOT_STATED = "Ikke oplyst i kilderne"
OUTCOME_UNKNOWN = "Udfald ikke fundet i offentlige kilder"  # how the reference data says it
GROUPS = {
    "alle": "Alle udmeldinger",
    "åbne": "Kun åbne",
    "afsluttede": "Kun afsluttede",
    "ukendt": "Kun udfald ukendt",
}
STATE_LABELS = {"åben": "Åben: afventer styrelsen", "afsluttet": "Afsluttet", "udfald ukendt": "Udfald ukendt"}


def _first_year(issued: pd.Series) -> int | None:
    """The year of the earliest notice (partial ISO dates), or None without notices."""
    first = fmt.pdate_start(issued.min()) if len(issued) else None
    return first.year if first else None


# --- the status filter ('status' in the URL) ---------------------------------------------------


def filter_options() -> list[str]:
    """The status filter's choices: the groups, then every status value in the data."""
    statuses = db.run("udmeldinger_statuses")["status"].tolist()
    return list(GROUPS) + [s for s in statuses if s not in GROUPS]


def filter_label(choice: str) -> str:
    """The choice as shown and as written to the URL: 'Kun åbne', 'Status: Afsluttet'."""
    return GROUPS.get(choice, f"Status: {choice}")


def notices(choice: str = "alle") -> pd.DataFrame:
    """The notices the choice keeps, oldest first (queries/udmeldinger_list.sql)."""
    return db.run("udmeldinger_list", choice=choice)


# --- the summary (also the Overblik page's block) ----------------------------------------------


@dataclass(frozen=True)
class Summary:
    n_open: int  # the board's assessment for Midtjylland is pending
    n_closed: int  # closed with a known outcome
    n_unknown: int  # outcome not found in public sources ('udfald ukendt'), counted apart
    n_total: int
    first_year: int | None  # the year of the first notice
    latest: dict | None  # the latest decision: notice_id, target_group, decision_date, status, ...
    next: dict | None  # the open notice with the next or pending event (queries/udmeldinger_next_event.sql)
    n_outcome_unknown: int
    open: pd.DataFrame  # the open notices (queries/udmeldinger_open.sql)


def summary(day: dt.date | None = None) -> Summary:
    """Open/closed counts, the latest decision, the next or pending event, the open notices."""
    day = day or clock.today()
    counts = db.run("udmeldinger_counts").iloc[0]
    latest = db.run("udmeldinger_latest_decision")
    nxt = db.run("udmeldinger_next_event", today=day)
    everything = notices("alle")
    return Summary(
        n_open=int(counts["n_open"]),
        n_closed=int(counts["n_closed"]),
        n_unknown=int(counts["n_unknown"]),
        n_total=int(counts["n_total"]),
        first_year=_first_year(everything["issued"]),
        latest=None if latest.empty else latest.iloc[0].to_dict(),
        next=None if nxt.empty else nxt.iloc[0].to_dict(),
        n_outcome_unknown=int((everything["state"] == "udfald ukendt").sum()),
        open=db.run("udmeldinger_open"),
    )


def next_event(n: dict | None) -> tuple[str, str, str]:
    """(metric label, date as shown, what happens) for the next or pending event of the summary."""
    if not n:
        return "Afventer beslutning", "Ingen", ""
    if not fmt._missing(n["next_date"]):
        return "Næste hændelse", fmt.pdate(n["next_date"]), "næste hændelse"
    if not fmt._missing(n["renewed_treatment"]):
        return "Afventer beslutning siden", fmt.pdate(n["renewed_treatment"]), "anmodet"
    return "Afventer beslutning siden", fmt.pdate(n["latest_event"]), "seneste hændelse"


def key_message(s: Summary) -> list[str]:
    """Markdown sentences for the top of the page (data text escaped)."""
    lines = [
        f"**{fmt.count(s.n_open, 'åben', 'åbne')}** (styrelsens vurdering afventer), "
        f"**{fmt.count(s.n_closed, 'afsluttet', 'afsluttede')}** og **{fmt.number(s.n_unknown)} med udfald "
        f"ukendt** af {s.n_total} centrale udmeldinger siden {s.first_year}."
    ]
    if s.latest:
        d = s.latest
        lines.append(
            f"**Seneste beslutning:** {fmt.pdate(d['decision_date'])}: {fmt.md(d['target_group'])} "
            f"({fmt.md(d['status'])})."
        )
    if s.next:
        n = s.next
        label, when, what = next_event(n)
        head = "Næste hændelse" if label == "Næste hændelse" else "Afventer"
        lines.append(f"**{head}:** {fmt.md(n['target_group'])}: {fmt.md(n['status'])} ({what} {when}).")
    if s.n_unknown:
        lines.append(
            f"Udfald ukendt: for {fmt.count(s.n_unknown, 'udmelding', 'udmeldinger')} er udfaldet ikke fundet i "
            "offentlige kilder; de tælles for sig, hverken som åbne eller afsluttede."
        )
    return lines


def open_table(df: pd.DataFrame) -> pd.DataFrame:
    """The open notices by name, as listed at the top of the page."""
    return pd.DataFrame(
        {
            "Udmelding": df["notice_id"],
            "Målgruppe": df["target_group"],
            "Status": df["status"],
            "Udfald indtil nu": df["outcome"],
            "Kilde": df["source_url"],
        }
    )


def notice_table(df: pd.DataFrame) -> pd.DataFrame:
    """The notices as the page shows and downloads them (Danish column names, Danish dates)."""

    def text(v):
        return NOT_STATED if fmt._missing(v) or not str(v).strip() else str(v)

    return pd.DataFrame(
        {
            "Udmelding": df["notice_id"],
            "Målgruppe": df["target_group"],
            "Status": df["status"],
            "Udfald": [text(v) for v in df["outcome"]],
            region.response_label(): [text(v) for v in df["midtjylland_response"]],
            "Kilde": df["source_url"],
            "Udmeldt": [fmt.pdate(v) for v in df["issued"]],
            "Afrapportering": [fmt.pdate(v) for v in df["report_submitted"]],
            "Seneste beslutning/hændelse": [fmt.pdate(v) for v in df["decision_date"]],
            "Fornyet behandling anmodet": [fmt.pdate(v) for v in df["renewed_treatment"]],
            "Stade": [STATE_LABELS[v] for v in df["state"]],
        }
    )


# --- the source links (outside the grid, so the keyboard and screen readers reach them) ----------


def source_link(notice_id, target_group, url) -> str:
    """One notice's source as a markdown list item: 'CU-2019-1 · [Kilde: <target group> (sbst.dk)](url)'.
    Only an http(s) address becomes a link; any other address is shown as escaped text."""
    title = "Kilde: " + fmt.md(fmt.shorten(target_group, 80))
    host = fmt.web_host(url)
    if host:
        return f"- {fmt.md(notice_id)} · {fmt.md_link(url, f'{title} ({fmt.md(host)})')}"
    url = "" if fmt._missing(url) else str(url).strip()
    where = f" (adresse: {fmt.md(url)})" if url else " (ingen adresse oplyst)"
    return f"- {fmt.md(notice_id)} · {title}{where}"


@viewcache.cached
def source_links(choice: str | None) -> str:
    """One markdown block with the source link of every notice the page shows: those the status choice
    keeps, then the open notices listed at the top of the page (when the choice leaves them out)."""
    df = notices(choice or "alle")
    rows = list(zip(df["notice_id"], df["target_group"], df["source_url"]))
    seen = {r[0] for r in rows}
    opened = db.run("udmeldinger_open")
    rows += [r for r in zip(opened["notice_id"], opened["target_group"], opened["source_url"]) if r[0] not in seen]
    if not rows:
        return ""
    return "**Kilder** (åbner den offentlige kilde)\n\n" + "\n".join(source_link(*r) for r in rows)


# --- the page's view data ----------------------------------------------------------------------


@dataclass(frozen=True)
class Top:
    """The top of the page: the key message, the four metrics and the open notices."""

    key_message: list[str]  # markdown sentences
    n_open: str
    n_closed: str
    n_unknown: str
    latest_decision: str  # 'dec. 2025', or '–' without any decision
    next_label: str  # 'Næste hændelse', 'Afventer beslutning siden' or 'Afventer beslutning'
    next_when: str
    open: pd.DataFrame  # open_table(); empty when every notice is closed


@viewcache.cached
def top(day: dt.date | None = None) -> Top:
    s = summary(day)
    label, when, _ = next_event(s.next)
    return Top(
        key_message=key_message(s),
        n_open=str(s.n_open),
        n_closed=str(s.n_closed),
        n_unknown=str(s.n_unknown),
        latest_decision=fmt.pdate(s.latest["decision_date"]) if s.latest else fmt.MISSING,
        next_label=label,
        next_when=when,
        open=open_table(s.open),
    )


@dataclass(frozen=True)
class Notices:
    """The notices a status choice keeps: the timeline (figure, its events as a table) and the table."""

    figure: object  # plotly Figure
    events: pd.DataFrame  # Udmelding, Målgruppe, Hændelse, Dato
    table: pd.DataFrame  # notice_table()
    takeaway: str = ""  # the timeline's one-sentence takeaway (timeline_takeaway)


def timeline_takeaway(df: pd.DataFrame, day: dt.date) -> str:
    """The timeline in one sentence: how many notices since when, how many wait, and for how long the
    longest-waiting open one has been open (plain text)."""
    first = _first_year(df["issued"])
    text = f"{fmt.count(len(df), 'central udmelding', 'centrale udmeldinger')} siden {first}"
    open_ = df[df["state"] == "åben"]
    if open_.empty:
        return text + ("; den er ikke åben." if len(df) == 1 else "; ingen af dem er åbne.")
    oldest = open_.assign(_s=[fmt.pdate_start(v) for v in open_["issued"]]).sort_values("_s").iloc[0]
    n = len(open_)
    wait = (
        f" (udmeldt {fmt.pdate(oldest['issued'])})"
        if n == 1
        else f" (den ældste udmeldt {fmt.pdate(oldest['issued'])})"
    )
    return text + f"; {n} {'er åben' if n == 1 else 'er åbne'} og afventer styrelsen{wait}."


@viewcache.cached
def chosen(choice: str | None, day: dt.date | None = None) -> Notices | None:
    """The view for a status choice (None: the choice keeps no notice)."""
    df = notices(choice or "alle")
    if df.empty:
        return None
    fig, events = figures.timeline(df, day or clock.today())
    return Notices(
        figure=fig, events=events, table=notice_table(df), takeaway=timeline_takeaway(df, day or clock.today())
    )
