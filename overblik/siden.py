"""'Siden sidste møde': what changed in all the data since a meeting (DASSOS or KKR).

The data *then* is the snapshot that was current at the meeting: the latest one published on or before
the meeting's date (Danish time). The data *now* is this run's snapshot. Nothing here restates a rule:

- The Overblik headline numbers then and now are overblik.overblik's own results (spending, capacity_block,
  notices, plan, headlines), computed once against each snapshot (db.pinned) - then as the meeting saw
  them (that day), now as today.
- Capacity per target group is overblik.kapacitet.gap_by_target_group on each snapshot.
- Spending revisions, offers and central notices are row-level comparisons of queries/siden_*.sql run on
  each snapshot; initiatives are overblik.handlingsplan.changes() (status as the meeting saw it, in the
  meeting's snapshot, against now, and the notes that snapshot did not hold: dated after the meeting, and
  apart, those dated for it but registered after it).

Every row says which snapshot it comes from: the first snapshot after the meeting's in which the row has
its value of today (the snapshots published in between are compared too).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

import pandas as pd

from overblik import clock, data, db, filters, fmt, handlingsplan, kapacitet, store, udmeldinger, viewcache
from overblik import overblik as overview
from overblik.ui import Col  # how the page's grids show a column

MAX_CHAIN = 12  # snapshots compared between the meeting's and today's; older changes count from the next
KIND_LABELS = {"regnskab": "Regnskab", "budget": "Budget"}
TABLES = (
    "spending",
    "offers",
    "offer_years",
    "demand",
    "central_notices",
    "initiatives",
    "initiative_updates",
    "meetings",
)


# ---------------------------------------------------------------------------------------------
# Which snapshots (the list and the snapshot at a meeting: data.snapshots, data.snapshot_at)


def chain(then: data.SnapshotRef, now: data.SnapshotRef, refs: list[data.SnapshotRef]) -> list[data.SnapshotRef]:
    """then, the snapshots published after it up to now, and now (at most MAX_CHAIN in between)."""
    between = [r for r in refs if then.created < r.created < now.created and r.sid not in (then.sid, now.sid)]
    return [then, *between[-MAX_CHAIN:], now] if then.sid != now.sid else [now]


# ---------------------------------------------------------------------------------------------
# The comparison


CHANGED = "Ja"  # a key figure's or a target group's value changed in the data
NEW_YEAR = "Nyt år"  # now for a later year than the meeting saw (spending, capacity, key figures)
DATE_ONLY = "Nej, kun datoen"  # the data is the same; the figure moved with today's date (deadlines passed)
HEADLINE_NOTE = (  # under the key figures (page and pack): what 'Ændret' says
    f"Ændret: »{CHANGED}« = tallet er ændret i data; »{NEW_YEAR}« = tallet gælder nu et senere år end ved "
    f"mødet; »{DATE_ONLY}« = samme data, men tallet afhænger af datoen (fx frister, der er overskredet siden)."
)


@dataclass(frozen=True)
class HeadlineChange:
    block: str
    label: str  # as today
    then: str  # as at the meeting ('–' without a snapshot then)
    now: str
    change: str = ""  # '' (the same), CHANGED, NEW_YEAR or DATE_ONLY: _change()

    @property
    def changed(self) -> bool:
        """Its value changed in the data (not only its year, nor only with today's date)."""
        return self.change == CHANGED


class Section(NamedTuple):
    """A part of the comparison below the key figures: its title, table, what to say when it is empty,
    its file name, the snapshot tables it is made from and the shared filters (filters.KEYS) that change it;
    `text`: a table of texts, shown whole (ui.text_table) rather than in a grid that cuts long notes.
    `grid` and `columns`: what the page's grid shows instead of `table` (the downloads keep `table`): the
    same rows with fewer, narrower columns (Col), so that every column is in view on a laptop's screen.
    `note`: said under the table (the capacity section below region level: kapacitet.region_note); `units`:
    the numbers' units in a table of texts (ui.text_table)."""

    title: str
    table: pd.DataFrame
    empty: str
    name: str
    tables: tuple[str, ...]
    shared: tuple[str, ...]
    text: bool = False
    grid: pd.DataFrame | None = None
    columns: dict[str, Col] | None = None
    note: str = ""  # said under the title (plain text)
    units: dict[str, str] | None = None


@dataclass(frozen=True)
class Comparison:
    meeting: dict  # meeting_date, body, title
    then: data.SnapshotRef | None  # None: no snapshot had been published by the meeting's date
    now: data.SnapshotRef
    first: data.SnapshotRef | None  # the oldest snapshot (for the 'none then' message)
    headlines: list[HeadlineChange]
    spending: pd.DataFrame  # Danish columns, one row per revised, new or removed year/kind/area
    capacity: pd.DataFrame  # one row per target group, then -> now
    capacity_years: tuple[int | None, int | None]  # the year shown then and now (_year_shown)
    offers: pd.DataFrame  # opened, closed, changed in places
    offer_years: tuple[int | None, int | None]
    notices: pd.DataFrame  # status or outcome changed, or new
    initiatives: pd.DataFrame  # status changes since the meeting (handlingsplan.status_changes_table)
    notes: pd.DataFrame  # new notes dated after the meeting (handlingsplan.Changes.notes)
    late_notes: pd.DataFrame  # dated for it, registered after it (handlingsplan.Changes.late_notes)
    between: list[data.SnapshotRef] = field(default_factory=list)

    @property
    def same(self) -> bool:
        return self.then is not None and self.then.sid == self.now.sid

    @property
    def comparable(self) -> bool:
        """False when no snapshot had been published by the meeting's date: the data cannot be compared
        (the action plan's dated changes still can)."""
        return self.then is not None

    @property
    def meeting_label(self) -> str:
        return handlingsplan.meeting_label(self.meeting)

    def snapshot_text(self) -> str:
        """Which data is compared, in one or two sentences (plain text)."""
        m = f"{self.meeting['title']}, {fmt.date(self.meeting['meeting_date'])}"
        if self.then is None:
            first = f" Det første datasæt blev udgivet {fmt.date(self.first.published)}." if self.first else ""
            return (
                f"Der fandtes intet udgivet datasæt på datoen for mødet ({m}), så tallene kan ikke sammenlignes "
                f"med mødet: kolonnen 'Ved mødet' er tom, og 'Nu' viser dagens tal.{first} Nu: {self.now.label}. "
                "Handlingsplanens statusskift og bemærkninger siden mødet vises alligevel, ud fra "
                "opdateringernes datoer. Ved næste møde kan tallene sammenlignes med dette datasæt."
            )
        if self.same:
            return (
                f"Data ved mødet ({m}) og nu er det samme datasæt: {self.now.label}. Ingen data er ændret siden; "
                "nøgletal, der afhænger af datoen (fx overskredne frister), er regnet for i dag, og "
                "handlingsplanens statusskift og bemærkninger siden mødet vises ud fra opdateringernes datoer."
            )
        n = len(self.between)
        mid = f" ({fmt.count(n, 'datasæt', 'datasæt')} udgivet imellem)" if n else ""
        return f"Ved mødet ({m}): {self.then.label}. Nu: {self.now.label}{mid}."

    def dataset_dates(self) -> dict[str, str]:
        """{snapshot label: the short name a grid's "Fra datasæt" shows}: the day it was published ('20. nov.
        2026'), with the time where two of the compared snapshots were published the same day. The page's
        first lines name each snapshot in full; the downloads keep the full label."""
        refs = [r for r in (self.then, *self.between, self.now) if r is not None]
        days = [r.published for r in refs]
        return {
            r.label: fmt.date(r.published)
            + (f" kl. {r.created.tz_convert(data.TZ):%H.%M}" if days.count(r.published) > 1 else "")
            for r in refs
        }

    def counts(self) -> list[tuple[str, int]]:
        """('1 nøgletal ændret', 1), ('3 nye udgiftstal (regnskab 2026)', 3), ... in the page's order: what
        changed in the data, new years apart from revisions; without a snapshot at the meeting only the
        action plan's changes (the data's cannot be counted). Key figures that differ only because of
        today's date are not here (date_only())."""
        heads = [h.change for h in self.headlines]
        what = self.spending["Hvad"] if len(self.spending) else pd.Series(dtype=str)
        new_spending = self.spending[what == NEW_YEAR]
        new_what = ", ".join(
            f"{kind.lower()} {year}"
            for year, kind in new_spending[["År", "Art"]].drop_duplicates().sort_values(["År", "Art"]).to_numpy()
        )
        cap = self.capacity["Ændret"] if len(self.capacity) else pd.Series(dtype=str)
        new_year = f"kapacitetstal for et nyt år ({self.capacity_years[1]})"
        data_items = [
            (heads.count(CHANGED), "nøgletal ændret", "nøgletal ændret"),
            (heads.count(NEW_YEAR), "nøgletal for et nyt år", "nøgletal for et nyt år"),
            (int((what == "Revideret").sum()), "udgiftstal revideret", "udgiftstal revideret"),
            (len(new_spending), f"nyt udgiftstal ({new_what})", f"nye udgiftstal ({new_what})"),
            (int((what == "Fjernet").sum()), "udgiftstal fjernet", "udgiftstal fjernet"),
            (int(cap.eq(CHANGED).sum()), "målgruppe med ændrede kapacitetstal", "målgrupper med ændrede kapacitetstal"),
            (int(cap.eq(NEW_YEAR).sum()), f"målgruppe med {new_year}", f"målgrupper med {new_year}"),
            (len(self.offers), "tilbud åbnet, lukket eller ændret", "tilbud åbnet, lukket eller ændret"),
            (len(self.notices), "central udmelding ændret", "centrale udmeldinger ændret"),
        ]
        items = [
            *(data_items if self.comparable else []),
            (len(self.initiatives), "initiativ med statusskift", "initiativer med statusskift"),
        ]
        return [(fmt.count(n, one, many), n) for n, one, many in items]

    def date_only(self) -> str:
        """'1 nøgletal er anderledes end ved mødet alene på grund af datoen (...)', or '' when none is."""
        n = sum(h.change == DATE_ONLY for h in self.headlines)
        if not n:
            return ""
        what = fmt.count(n, "nøgletal er", "nøgletal er")
        return f"{what} anderledes end ved mødet alene på grund af datoen (fx frister, der er overskredet siden)"

    def summary(self) -> str:
        """'Siden 12. nov. 2026 (DASSOS): 1 nøgletal ændret, 2 udgiftstal revideret, ...' (plain text)."""
        parts = [text for text, n in self.counts() if n]
        date_only = self.date_only()
        if not self.comparable:
            what = (", ".join(parts) + "; " if parts else "") + "tallene kan ikke sammenlignes med mødet"
        elif parts:
            what = ", ".join(parts)
        else:
            what = "ingen data ændret" if date_only else "intet ændret"
        return f"Siden {self.meeting_label}: {what}" + (f"; {date_only}." if date_only else ".")

    def headline_table(self) -> pd.DataFrame:
        """Overblik's key figures at the meeting and now, one row each ('Ændret' third: in view on a laptop's
        screen, as in the capacity table)."""
        return pd.DataFrame(
            [
                {
                    "Blok": h.block,
                    "Nøgletal": h.label,
                    "Ændret": h.change,
                    "Ved mødet": h.then,
                    "Nu": h.now,
                }
                for h in self.headlines
            ]
        )

    def sections(self, region_note: str = "") -> list[Section]:
        """Each part below the key figures, in the page's and the pack's order. `region_note`: the capacity
        section's note for less than the whole region (kapacitet.region_note of the shared filters)."""
        no_data = NOT_COMPARABLE if not self.comparable else None
        cap_then, cap_now = self.capacity_years
        if cap_now is None:
            cap_title = "Kapacitet pr. målgruppe"
        elif not self.comparable:
            cap_title = f"Kapacitet pr. målgruppe, {cap_now}"
        elif cap_then == cap_now:
            cap_title = f"Kapacitet pr. målgruppe, {cap_now}: ved mødet → nu"
        else:
            cap_title = f"Kapacitet pr. målgruppe, {years_compared(cap_then, cap_now)}"
        offer_then, offer_now = self.offer_years
        offer_year = f", {years_compared(offer_then, offer_now)}" if self.comparable and offer_now else ""
        plan = (*handlingsplan.TABLES, "meetings")
        short = self.dataset_dates()
        return [
            Section(
                "Udgifter: reviderede tal og nye år (løbende priser)",
                self.spending,
                no_data or "Ingen udgiftstal er ændret.",
                "udgiftsrevisioner",
                ("spending", "account_functions"),
                filters.KEYS,
                grid=_dated(self.spending, short),
                columns=SPENDING_GRID,
            ),
            Section(
                cap_title,
                self.capacity,
                overview.NO_CAPACITY,
                "kapacitet ved mødet og nu",
                overview.CAPACITY_TABLES,
                filters.KEYS,
                grid=_capacity_grid(self.capacity, short),
                columns=CAPACITY_GRID,
                note=region_note if len(self.capacity) else "",
            ),
            Section(
                "Tilbud åbnet, lukket eller ændret i pladstal" + offer_year,
                self.offers,
                no_data or "Ingen tilbud er ændret.",
                "tilbud ændret",
                ("offers", "offer_years", "operators"),
                filters.KEYS,
                grid=_offers_grid(self.offers, short),
                columns=OFFER_GRID,
            ),
            Section(
                "Centrale udmeldinger med ny status eller nyt udfald",
                self.notices,
                no_data or "Ingen centrale udmeldinger er ændret.",
                "udmeldinger ændret",
                udmeldinger.TABLES,
                udmeldinger.SHARED_FILTERS,
                text=True,
            ),
            Section(
                "Initiativer, der har skiftet status",
                self.initiatives,
                "Ingen initiativer har skiftet status.",
                "statusskift",
                plan,
                handlingsplan.SHARED_FILTERS,
                text=True,  # shown whole, as on Handlingsplan: a grid of its titles did not fit at 1440 px
                note=handlingsplan.status_late_note(self.initiatives),
                units=handlingsplan.PERCENT,
            ),
            Section(
                "Nye bemærkninger til initiativerne"
                + (f": {handlingsplan.NOTES_AFTER.lower()}" if len(self.late_notes) else ""),
                self.notes,
                "Ingen nye bemærkninger.",
                "bemærkninger",
                plan,
                handlingsplan.SHARED_FILTERS,
                text=True,
            ),
            *(
                [
                    Section(
                        f"Bemærkninger {handlingsplan.NOTES_LATE.lower()}",
                        self.late_notes,
                        "",
                        "bemærkninger registreret efter mødet",
                        plan,
                        handlingsplan.SHARED_FILTERS,
                        text=True,
                        note=handlingsplan.NOTES_LATE_NOTE,
                    )
                ]
                if len(self.late_notes)
                else []
            ),
        ]


NOT_COMPARABLE = "Kan ikke sammenlignes: der fandtes intet udgivet datasæt på mødets dato."


def meeting_choices(day: dt.date | None = None) -> dict[str, dict]:
    """The 'siden' choices (the same as Overblik and Handlingsplan)."""
    return handlingsplan.meeting_choices(day)


def default_meeting_index(mtgs: dict, day: dt.date | None = None) -> int:
    return handlingsplan.default_meeting_index(mtgs, day)


def no_meeting_held(day: dt.date | None = None) -> str:
    """When no meeting has been held yet (the same sentence as Handlingsplan)."""
    return handlingsplan.no_meeting_held(day)


def compare(meeting: dict, params: dict, whole_region: bool, day: dt.date | None = None) -> Comparison:
    """Everything that changed since `meeting` for the shared filters (params = Filters.params())."""
    return _compare(meeting, params, whole_region, day or clock.today(), data.snapshots())


@viewcache.cached
def _compare(meeting: dict, params: dict, whole_region: bool, day: dt.date, refs: list[data.SnapshotRef]) -> Comparison:
    """compare(), cached: besides the current snapshot, it depends on every snapshot (`refs`, in the key)."""
    now_sid = db.snapshot_id()
    now = next((r for r in refs if r.sid == now_sid), None) or data.snapshot_ref(store.manifest(now_sid))
    mdate = pd.Timestamp(meeting["meeting_date"]).date()
    then = data.snapshot_at(mdate, refs)
    label = handlingsplan.meeting_label(meeting)

    now_heads = _headlines(params, whole_region, day, label)
    then_heads = then_today = None
    if then is not None:
        with db.pinned(then.sid):
            then_heads = _headlines(params, whole_region, mdate, None)  # as the meeting saw them
            # the meeting's data counted as of today: what differs from now is the data, the rest is the date
            then_today = now_heads if then.sid == now.sid else _headlines(params, whole_region, day, None)
    heads = []
    for block, pair in now_heads.items():
        for i, h in enumerate(pair):
            t = then_heads[block][i] if then_heads else None
            if h.label.startswith("Ændret siden"):
                t = None  # "changed since the meeting" has no value at the meeting itself: nothing to compare
            then_text = fmt.MISSING if t is None else _head_text(t, h)
            change = "" if t is None or then_today is None else _change(t, then_today[block][i], h)
            heads.append(HeadlineChange(block, h.label, then_text, _head_text(h, h), change))

    snaps = chain(then, now, refs) if then is not None else [now]
    labels = [r.label for r in snaps]
    cap, cap_years = _capacity(snaps, labels, params)
    if then is None:  # today's figures, with nothing to compare them with
        cap = cap.assign(Ændret=fmt.MISSING)
    offers, offer_years = _offers(snaps, labels, params) if len(snaps) > 1 else (_empty(OFFER_COLS), (None, None))
    ch = handlingsplan.changes(meeting, handlingsplan.initiatives(day)["initiative_id"], day)
    return Comparison(
        meeting=meeting,
        then=then,
        now=now,
        first=refs[0] if refs else None,
        headlines=heads,
        spending=_spending(snaps, labels, params) if len(snaps) > 1 else _empty(SPENDING_COLS),
        capacity=cap,
        capacity_years=cap_years,
        offers=offers,
        offer_years=offer_years,
        notices=_notices(snaps, labels) if len(snaps) > 1 else _empty(NOTICE_COLS),
        initiatives=ch.status_changes,  # dated by the plan's own updates, not by a dataset: no "Fra datasæt"
        notes=ch.notes,
        late_notes=ch.late_notes,
        between=snaps[1:-1],
    )


def _headlines(params: dict, whole_region: bool, day: dt.date, since_label: str | None):
    s = overview.spending(params, whole_region)
    c = overview.capacity_block(params)
    n = overview.notices(day)
    p = overview.plan(day, since_label)
    return overview.headlines(s, c, n, p)


def _same_value(a: overview.Headline, b: overview.Headline) -> bool:
    """Whether two key figures have the same value: the number and its remark; the label is not compared
    (only its year may differ). For different years only the number: the remark then compares each with
    its own year before ('−2 fra 2026', 'uændret fra 2027')."""
    if a.year != b.year:
        return a.value == b.value
    return (a.value, a.delta) == (b.value, b.delta)


def _change(seen: overview.Headline, then_today: overview.Headline, now: overview.Headline) -> str:
    """How a key figure differs from the meeting's: `seen` as the meeting saw it, `then_today` the meeting's
    data counted as of today, `now` today's. A difference between the last two is in the data (CHANGED, or
    NEW_YEAR when the figure is now for a later year); one only between the first two is the date's."""
    if not _same_value(then_today, now):
        return NEW_YEAR if then_today.year != now.year else CHANGED
    return DATE_ONLY if not _same_value(seen, now) else ""


def _head_text(h: overview.Headline, now: overview.Headline) -> str:
    """'1.234,5 mio. kr. (+0,2 % fra 2024)'; the label too where it differs from today's, else the year where
    only that differs ('2026: 6 af 6')."""
    text = h.value + (f" ({h.delta})" if h.delta else "")
    if h.label != now.label:
        return f"{h.label}: {text}"
    return f"{h.year}: {text}" if h.year is not None and now.year is not None and h.year != now.year else text


def _empty(cols: list[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=cols)


def _year_shown(frame: pd.DataFrame, year: int) -> int | None:
    """The year of `frame` compared with today's `year`: the same year where the snapshot has it, else its
    latest (the meeting saw only older years); None when it has no rows."""
    if frame.empty:
        return None
    return year if (frame["year"] == year).any() else int(frame["year"].max())


def _in_year(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """The rows of `frame` in _year_shown(frame, year)."""
    return frame[frame["year"] == _year_shown(frame, year)]


def years_compared(then: int | None, now: int | None) -> str:
    """'2027' when the meeting and now show the same year; '2026 ved mødet → 2027 nu' when the meeting had
    only an older year (no year then: '2027, nyt siden mødet')."""
    if then == now:
        return str(now)
    if then is None:
        return f"{now}, nyt siden mødet"
    return f"{then} ved mødet → {now} nu"


def _origin(sigs: list, labels: list[str]) -> str:
    """The first snapshot from which a row has had its value of today."""
    last = len(sigs) - 1
    i = last
    while i > 0 and sigs[i - 1] == sigs[last]:
        i -= 1
    return labels[i]


def _sig(frame: pd.DataFrame, key, cols: list[str]):
    if key not in frame.index:
        return None
    row = frame.loc[key, cols]
    return tuple(None if fmt._missing(v) else v for v in row)


# ---------------------------------------------------------------------------------------------
# Spending revisions

SPENDING_COLS = [
    "År",
    "Art",
    "Område",
    "Ved mødet, mio. kr.",
    "Nu, mio. kr.",
    "Ændring, mio. kr.",
    "Hvad",
    "Fra datasæt",
]


# The grids are sized for Siden's main column at 1440 px with the sidebar open (980 px): the widths add up to
# less, so no column is beyond the grid's right edge (a reader would have to scroll sideways to find it).
DATASET_HELP = (
    "Det datasæt, ændringen kom med, ved sin udgivelsesdato; datasættene står med fulde navne øverst på siden "
    "og i Hent data."
)
SPENDING_GRID = {
    "År": Col("År", 56, right=True),
    "Art": Col("Art", 84),
    "Område": Col("Område", 140),
    "Ved mødet, mio. kr.": Col("Ved mødet, mio. kr.", 140, right=True),
    "Nu, mio. kr.": Col("Nu, mio. kr.", 110, right=True),
    "Ændring, mio. kr.": Col("Ændring, mio. kr.", 135, right=True),
    "Hvad": Col("Hvad", 96),
    "Fra datasæt": Col("Fra datasæt", 150, DATASET_HELP),
}


def _texts(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame's numbers as Danish text ('1.234,5'), years as they are ('2026'): a grid shows text as it is."""
    out = frame.copy()
    for c in out.columns:
        col = out[c]
        if c not in fmt.YEAR_COLUMNS and pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
            out[c] = fmt.column(col.to_numpy(dtype=float, na_value=float("nan")))
    return out


def _dated(frame: pd.DataFrame, short: dict[str, str]) -> pd.DataFrame:
    """The grid of a table with a "Fra datasæt" column: numbers as text, each snapshot by its short name."""
    out = _texts(frame)
    if "Fra datasæt" in out:
        out["Fra datasæt"] = [short.get(v, v) for v in out["Fra datasæt"]]
    return out


def _spending_frame(sid: str, params: dict) -> pd.DataFrame:
    df = db.run("siden_spending", snapshot=sid, **params)
    df["net_1000_dkk"] = df["net_1000_dkk"].round(1)
    return df.set_index(["year", "kind", "area"])


def _spending(snaps: list[data.SnapshotRef], labels: list[str], params: dict) -> pd.DataFrame:
    frames = [_spending_frame(r.sid, params) for r in snaps]
    then, now = frames[0], frames[-1]
    rows = []
    for key in sorted(set(then.index) | set(now.index)):
        sigs = [_sig(f, key, ["net_1000_dkk"]) for f in frames]
        if sigs[0] == sigs[-1]:
            continue
        a = sigs[0][0] if sigs[0] else None
        b = sigs[-1][0] if sigs[-1] else None
        year, kind, area = key
        what = NEW_YEAR if a is None else ("Fjernet" if b is None else "Revideret")
        rows.append(
            [
                int(year),
                KIND_LABELS.get(kind, kind),
                area,
                None if a is None else round(a / 1000, 1),
                None if b is None else round(b / 1000, 1),
                None if a is None or b is None else round((b - a) / 1000, 1),
                what,
                _origin(sigs, labels),
            ]
        )
    return pd.DataFrame(rows, columns=SPENDING_COLS)


# ---------------------------------------------------------------------------------------------
# Capacity per target group

CAPACITY_VALUES = ["places", "occupancy", "reports", "waiting", "placed_private", "single_arrangements", "gap"]


def _capacity_frame(sid: str, params: dict) -> pd.DataFrame:
    with db.pinned(sid):
        df = kapacitet.gap_by_target_group(
            year_from=params["year_from"],
            year_to=params["year_to"],
            municipalities=params["municipalities"],
            area=params["area"],
        )
    df = df.assign(occupancy=df["occupancy_pct"].round(1))
    return df


def _arrow(a, b, show, none: str = "(ingen)") -> str:
    """'12 → 15', '12' (unchanged), '(ingen) → 15'; `none` names a missing value ('ikke indberettet' for
    the numbers the municipalities report)."""
    if a is None and b is None:
        return fmt.MISSING if none == "(ingen)" else none
    if a is None:
        return f"{none} → {show(b)}"
    if b is None:
        return f"{show(a)} → {none}"
    return show(b) if show(a) == show(b) else f"{show(a)} → {show(b)}"


def _capacity(
    snaps: list[data.SnapshotRef], labels: list[str], params: dict
) -> tuple[pd.DataFrame, tuple[int | None, int | None]]:
    """Per target group, the latest year with offer and demand data today, against the same year at the
    meeting, or, when the meeting had no data for that year yet, the latest year it had (every row then
    says 'Nyt år', and the section's title names both years). Returns the table and (year then, year now)."""
    frames = [_capacity_frame(r.sid, params) for r in snaps]
    now = frames[-1]
    if now.empty:
        return pd.DataFrame(columns=CAPACITY_COLS), (None, None)
    year = int(now["year"].max())
    picked = [_in_year(f, year).set_index("target_group_id") for f in frames]
    years = (_year_shown(frames[0], year), year)
    new_year = len(snaps) > 1 and years[0] != year
    rows = []
    for gid, r in picked[-1].iterrows():
        sigs = [_sig(f, gid, CAPACITY_VALUES) for f in picked]
        t, n = sigs[0], sigs[-1]

        def pair(i: int, show, none: str = "(ingen)", t=t, n=n) -> str:
            return _arrow(t[i] if t else None, n[i] if n else None, show, none)

        number, pct = fmt.number, (lambda v: fmt.pct(v, 1))
        chosen = int(r["municipalities"])
        missing = kapacitet.NOT_REPORTED  # the reported numbers without a report: never 0
        changed = len(snaps) > 1 and t != n
        rows.append(
            [
                r["short_name"],
                NEW_YEAR if new_year else ("Ja" if changed else "Nej"),
                pair(0, number),
                pair(1, pct),
                pair(2, lambda v, m=chosen: kapacitet.coverage(v, m)),
                pair(3, number, missing),
                pair(4, number, missing),
                pair(5, number, missing),
                pair(6, lambda v: fmt.number(v, signed=True), missing),
                _origin(sigs, labels) if changed else fmt.MISSING,
            ]
        )
    return pd.DataFrame(rows, columns=CAPACITY_COLS), years


CAPACITY_COLS = [  # 'Ændret' second: what a reader looks for first stays in view on a laptop's screen
    "Målgruppe",
    "Ændret",
    "Udbudte pladser",
    "Belægning",
    "Kommuner med indberetning",
    "Ventende borgere",
    "I private tilbud",
    "Enkeltmandsforanstaltninger",
    "Mangel (+) / ledige (−)",
    "Fra datasæt",
]


# The capacity grid: "Ændret" says when as well (the day of the snapshot the change came with, for "Ja"), so
# "Fra datasæt" is not a column of its own; the reported numbers' headers are short, their names in the help.
CAPACITY_GRID = {
    "Målgruppe": Col("Målgruppe", 200),
    "Ændret": Col(
        "Ændret",
        96,
        "Nej: uændret siden mødet. Ellers udgivelsesdatoen for det datasæt, ændringen kom med (datasættene står "
        "øverst på siden). Nyt år: mødet havde kun tal for et tidligere år.",
    ),
    "Udbudte pladser": Col("Pladser", 100, "Udbudte pladser", right=True),
    "Belægning": Col("Belægning", 116, right=True),
    "Kommuner med indberetning": Col("Indberettet", 118, "Kommuner med indberetning", right=True),
    "Ventende borgere": Col("Ventende", 84, "Ventende borgere", right=True),
    "I private tilbud": Col("Privat", 76, "I private tilbud", right=True),
    "Enkeltmandsforanstaltninger": Col("Enkeltm.", 76, "Enkeltmandsforanstaltninger", right=True),
    "Mangel (+) / ledige (−)": Col("Mangel (+)", 84, "Mangel (+) / ledige (−) pladser", right=True),
}


def _capacity_grid(frame: pd.DataFrame, short: dict[str, str]) -> pd.DataFrame:
    out = frame.drop(columns="Fra datasæt")
    if len(out):
        out["Ændret"] = [
            short.get(origin, origin) if changed == CHANGED else changed
            for changed, origin in zip(frame["Ændret"], frame["Fra datasæt"])
        ]
    return out


# ---------------------------------------------------------------------------------------------
# Offers opened, closed or changed in places

OFFER_COLS = [
    "Tilbud",
    "Driftsherre",
    "Beliggenhed",
    "Målgruppe",
    "Ændring",
    "Pladser ved mødet",
    "Pladser nu",
    "Fra datasæt",
]


def _offers(
    snaps: list[data.SnapshotRef], labels: list[str], params: dict
) -> tuple[pd.DataFrame, tuple[int | None, int | None]]:
    """The offers opened, closed or changed in places in today's latest year (against the same year at the
    meeting, or the latest it had: _year_shown). Returns the table and (year then, year now)."""
    raw = [db.run("siden_offers", snapshot=r.sid, **params) for r in snaps]
    if raw[-1].empty:
        return _empty(OFFER_COLS), (None, None)
    year = int(raw[-1]["year"].max())
    frames = [_in_year(f, year).set_index("offer_id") for f in raw]
    years = (_year_shown(raw[0], year), year)
    then, now = frames[0], frames[-1]
    rows = []
    for oid in sorted(set(then.index) | set(now.index)):
        sigs = [_sig(f, oid, ["places"]) for f in frames]
        if sigs[0] == sigs[-1]:
            continue
        a = sigs[0][0] if sigs[0] else None
        b = sigs[-1][0] if sigs[-1] else None
        src = now if b is not None else then
        r = src.loc[oid]
        what = "Åbnet" if a is None else ("Lukket" if b is None else "Ændret pladstal")
        rows.append(
            [
                f"{r['name']} ({oid})",
                r["operator"],
                r["location"],
                r["short_name"],
                what,
                None if a is None else int(a),
                None if b is None else int(b),
                _origin(sigs, labels),
            ]
        )
    return pd.DataFrame(rows, columns=OFFER_COLS), years


# The offers' grid: the places at the meeting and now in one column ("32 → 36", "– → 15" for an opened offer).
OFFER_GRID = {
    "Tilbud": Col("Tilbud", 200),
    "Driftsherre": Col("Driftsherre", 150),
    "Beliggenhed": Col("Beliggenhed", 100),
    "Målgruppe": Col("Målgruppe", 208),  # "V2 Autisme/udviklingshæmning" whole (cut by 2 px at 196)
    "Ændring": Col("Ændring", 110),
    "Pladser": Col("Pladser", 96, "Pladser ved mødet → pladser nu", right=True),
    "Fra datasæt": Col("Fra datasæt", 104, DATASET_HELP),
}


def _offers_grid(frame: pd.DataFrame, short: dict[str, str]) -> pd.DataFrame:
    out = _dated(frame, short)
    places = [
        _arrow(None if fmt._missing(a) else a, None if fmt._missing(b) else b, fmt.number, fmt.MISSING)
        for a, b in zip(frame["Pladser ved mødet"], frame["Pladser nu"])
    ]
    out = out.drop(columns=["Pladser ved mødet", "Pladser nu"])
    out.insert(out.columns.get_loc("Ændring") + 1, "Pladser", places)
    return out


# ---------------------------------------------------------------------------------------------
# Central notices whose status or outcome changed

NOTICE_COLS = [
    "Udmelding",
    "Målgruppe",
    "Status ved mødet",
    "Status nu",
    "Udfald ved mødet",
    "Udfald nu",
    "Fra datasæt",
]
NOTICE_VALUES = ["status", "outcome", "state", "decision_date"]


def _notices(snaps: list[data.SnapshotRef], labels: list[str]) -> pd.DataFrame:
    frames = [db.run("siden_notices", snapshot=r.sid).set_index("notice_id") for r in snaps]
    then, now = frames[0], frames[-1]
    rows = []
    for nid in sorted(set(then.index) | set(now.index)):
        sigs = [_sig(f, nid, NOTICE_VALUES) for f in frames]
        if sigs[0] == sigs[-1]:
            continue
        t, n = sigs[0], sigs[-1]
        group = (now if n else then).loc[nid, "target_group"]
        rows.append(
            [
                nid,
                group,
                t[0] if t else "(ny)",
                n[0] if n else "(fjernet)",
                (t[1] or fmt.MISSING) if t else fmt.MISSING,
                (n[1] or fmt.MISSING) if n else fmt.MISSING,
                _origin(sigs, labels),
            ]
        )
    return pd.DataFrame(rows, columns=NOTICE_COLS)
