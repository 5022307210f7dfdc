"""The two status pages: Centrale udmeldinger (the national board's notices, real data) and
Handlingsplan (the action plan's initiatives, their status and what changed since a meeting).

Pages call these functions and draw the results; the questions themselves live in
queries/udmeldinger_*.sql and queries/handlingsplan_*.sql. The Overblik page reuses the same queries
(udmeldinger_counts, udmeldinger_latest_decision, udmeldinger_next_event, udmeldinger_open,
handlingsplan_initiatives, handlingsplan_changed_since).

Text written by people (notes, descriptions, target groups) is never passed to markdown or HTML as
it is: the pages show it with st.text or in dataframe cells, and `fmt.md()` escapes it where a sentence
in markdown must quote it.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from overblik import charts, clock, db, fmt

NOT_STATED = "Ikke oplyst i kilderne"
OUTCOME_UNKNOWN = "Udfald ikke fundet i offentlige kilder"  # how the reference data says it
OVERDUE = "⚠ Overskredet"
# a status in a sentence: (one, several) - '1 forsinket', '3 forsinkede'
STATUS_PHRASE = {
    "på sporet": ("på sporet", "på sporet"),
    "risiko": ("med risiko", "med risiko"),
    "forsinket": ("forsinket", "forsinkede"),
    "afsluttet": ("afsluttet", "afsluttede"),
    "ikke startet": ("ikke startet", "ikke startet"),
}


def today() -> dt.date:
    return clock.today()


def shorten(text: str, limit: int = 48) -> str:
    """Cut a long name at a word boundary: 'Borgere med udviklingshæmning og dom med…'."""
    text = str(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def invalid_choice(raw: list[str], labels) -> list[str]:
    """The URL values among `raw` that match no widget label (Streamlit drops them silently)."""
    labels = set(labels)
    return [v for v in raw if v not in labels]


def _pdate_ts(s) -> pd.Timestamp | None:
    d = fmt.pdate_start(s)
    return None if d is None else pd.Timestamp(d)


def _month_ticks(first: dt.date, last: dt.date, months: int = 6) -> tuple[list[str], list[str]]:
    """Tick positions every `months` months with Danish labels ('jan. 2026')."""
    vals, texts = [], []
    y, m = first.year, 1 + ((first.month - 1) // months) * months
    while dt.date(y, m, 1) <= last:
        vals.append(f"{y}-{m:02d}-01")
        texts.append(fmt.pdate(f"{y}-{m:02d}"))
        m += months
        if m > 12:
            y, m = y + 1, m - 12
    return vals, texts


def _today_line(fig: go.Figure, day: dt.date) -> None:
    """A dashed vertical 'I dag' line (shapes, not add_vline, which trips on date axes)."""
    x = day.isoformat()
    fig.add_shape(type="line", x0=x, x1=x, y0=0, y1=1, yref="paper", xref="x",
                  line=dict(color="#262730", width=1.5, dash="dash"), layer="above")
    fig.add_annotation(x=x, y=1, yref="paper", text=f"I dag {fmt.date(day)}", showarrow=False,
                       xanchor="right", yanchor="bottom", font=dict(size=12, color="#262730"), xshift=-4)


# =============================================================================================
# Centrale udmeldinger

NOTICE_GROUPS = {"alle": "Alle udmeldinger", "åbne": "Kun åbne", "afsluttede": "Kun afsluttede"}

# Event columns on the timeline: (column, legend label, symbol, colour, size)
NOTICE_EVENTS = [
    ("issued", "Udmeldt", "circle", "#0072B2", 11),
    ("report_submitted", "Afrapportering indsendt", "square", "#E69F00", 11),
    ("decision", "Beslutning (afsluttet)", "diamond", "#009E73", 15),
    ("latest_event", "Seneste hændelse (åben)", "diamond-open", "#CC79A7", 16),
    ("renewed_treatment", "Fornyet behandling anmodet", "triangle-up", "#D55E00", 10),
]


def notice_filter_options() -> list[str]:
    """The status filter's choices: the groups, then every status value in the data."""
    statuses = db.run("udmeldinger_statuses")["status"].tolist()
    return list(NOTICE_GROUPS) + [s for s in statuses if s not in NOTICE_GROUPS]


def notice_filter_label(choice: str) -> str:
    return NOTICE_GROUPS.get(choice, f"Status: {choice}")


def notices(choice: str = "alle") -> pd.DataFrame:
    return db.run("udmeldinger_list", choice=choice)


def notice_summary(day: dt.date | None = None) -> dict:
    """The key message: open/closed counts, the latest decision, the next or pending event."""
    day = day or today()
    counts = db.run("udmeldinger_counts").iloc[0]
    latest = db.run("udmeldinger_latest_decision")
    nxt = db.run("udmeldinger_next_event", today=day)
    all_notices = notices("alle")
    return {
        "n_open": int(counts["n_open"]),
        "n_closed": int(counts["n_closed"]),
        "n_total": int(counts["n_total"]),
        "first_year": int(fmt.pdate_start(all_notices["issued"].min()).year) if len(all_notices) else None,
        "latest": None if latest.empty else latest.iloc[0].to_dict(),
        "next": None if nxt.empty else nxt.iloc[0].to_dict(),
        "n_outcome_unknown": int((all_notices["outcome"] == OUTCOME_UNKNOWN).sum()),
        "open": db.run("udmeldinger_open"),
    }


def next_event(n: dict | None) -> tuple[str, str, str]:
    """(metric label, date as shown, what happens) for the next or pending event of the summary."""
    if not n:
        return "Afventer beslutning", "Ingen", ""
    if not fmt._missing(n["next_date"]):
        return "Næste hændelse", fmt.pdate(n["next_date"]), "næste hændelse"
    if not fmt._missing(n["renewed_treatment"]):
        return "Afventer beslutning siden", fmt.pdate(n["renewed_treatment"]), "anmodet"
    return "Afventer beslutning siden", fmt.pdate(n["latest_event"]), "seneste hændelse"


def notice_key_message(s: dict) -> list[str]:
    """Markdown sentences for the top of the page (data text escaped)."""
    lines = [
        f"**{fmt.count(s['n_open'], 'åben', 'åbne')}** og **{fmt.count(s['n_closed'], 'afsluttet', 'afsluttede')}** "
        f"centrale udmeldinger siden {s['first_year']}."
    ]
    if s["latest"]:
        d = s["latest"]
        lines.append(f"**Seneste beslutning:** {fmt.pdate(d['decision_date'])}: {fmt.md(d['target_group'])} "
                     f"({fmt.md(d['status'])}).")
    if s["next"]:
        n = s["next"]
        label, when, what = next_event(n)
        head = "Næste hændelse" if label == "Næste hændelse" else "Afventer"
        lines.append(f"**{head}:** {fmt.md(n['target_group'])}: {fmt.md(n['status'])} ({what} {when}).")
    if s["n_outcome_unknown"]:
        lines.append(f"For {fmt.count(s['n_outcome_unknown'], 'udmelding', 'udmeldinger')} er udfaldet "
                     "ikke fundet i offentlige kilder.")
    return lines


def notice_label(row) -> str:
    label = f"{row['notice_id']} · {shorten(row['target_group'], 46)}"
    return label + " (åben)" if int(row["is_open"]) == 1 else label


def notice_events(df: pd.DataFrame) -> pd.DataFrame:
    """One row per dated event of each notice (long form), placed on the first day its date covers."""
    rows = []
    for _, r in df.iterrows():
        for col, label, *_ in NOTICE_EVENTS:
            source = "decision_date" if col in ("decision", "latest_event") else col
            if col == "decision" and int(r["is_open"]) == 1:
                continue
            if col == "latest_event" and int(r["is_open"]) == 0:
                continue
            value = r[source]
            if fmt._missing(value):
                continue
            rows.append({
                "notice_id": r["notice_id"], "label": notice_label(r), "target_group": r["target_group"],
                "event": col, "event_label": label, "date": value, "start": _pdate_ts(value),
            })
    return pd.DataFrame(rows, columns=["notice_id", "label", "target_group", "event", "event_label", "date", "start"])


def notice_timeline(df: pd.DataFrame, day: dt.date | None = None) -> tuple[go.Figure, pd.DataFrame]:
    """The timeline since 2014: a row per notice, a marker per event, open notices run on to today."""
    day = day or today()
    events = notice_events(df)
    labels = [notice_label(r) for _, r in df.iterrows()]
    fig = charts.figure(height=max(260, 70 + 46 * len(labels)))
    # a thin line from the first to the last event; open notices continue (dotted) to today
    for _, r in df.iterrows():
        ev = events[events["notice_id"] == r["notice_id"]]
        if ev.empty:
            continue
        first, last = ev["start"].min(), ev["start"].max()
        lab = notice_label(r)
        fig.add_trace(go.Scatter(x=[first, last], y=[lab, lab], mode="lines", line=dict(color="#9A9A9A", width=2),
                                 hoverinfo="skip", showlegend=False))
        if int(r["is_open"]) == 1:
            fig.add_trace(go.Scatter(x=[last, pd.Timestamp(day)], y=[lab, lab], mode="lines",
                                     line=dict(color="#CC79A7", width=2, dash="dot"), hoverinfo="skip",
                                     name="Åben: afventer", legendgroup="open",
                                     showlegend=not any(t.legendgroup == "open" for t in fig.data)))
    for col, label, symbol, colour, size in NOTICE_EVENTS:
        ev = events[events["event"] == col]
        if ev.empty:
            continue
        hollow = symbol.endswith("-open")
        fig.add_trace(go.Scatter(
            x=ev["start"], y=ev["label"], mode="markers", name=label,
            marker=dict(symbol=symbol, size=size, color=colour,
                        line=dict(width=2 if hollow else 1, color=colour if hollow else "white")),
            customdata=list(zip(ev["target_group"], [fmt.pdate(v) for v in ev["date"]])),
            hovertemplate="<b>%{customdata[0]}</b><br>" + label + ": %{customdata[1]}<extra></extra>",
        ))
    _today_line(fig, day)
    first_year = min([e.year for e in events["start"]] + [day.year]) if not events.empty else 2014
    fig.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed", tickformat="",
                     showgrid=True, gridcolor="#EFEFEF")
    fig.update_xaxes(type="date", tickformat="%Y", dtick="M12", showgrid=True, gridcolor="#EFEFEF",
                     range=[f"{first_year}-01-01", f"{day.year + 1}-07-01"])
    fig.update_layout(margin=dict(l=8, r=24, t=70, b=8), legend=dict(y=1.02, yanchor="bottom"))
    table = pd.DataFrame({
        "Udmelding": events["notice_id"],
        "Målgruppe": events["target_group"],
        "Hændelse": events["event_label"],
        "Dato": [fmt.pdate(v) for v in events["date"]],
    })
    return fig, table


def notice_table(df: pd.DataFrame) -> pd.DataFrame:
    """The notices as the page shows and downloads them (Danish column names, Danish dates)."""
    def text(v):
        return NOT_STATED if fmt._missing(v) or not str(v).strip() else str(v)

    return pd.DataFrame({
        "Udmelding": df["notice_id"],
        "Målgruppe": df["target_group"],
        "Status": df["status"],
        "Udfald": [text(v) for v in df["outcome"]],
        "Midtjyllands svar": [text(v) for v in df["midtjylland_response"]],
        "Kilde": df["source_url"],
        "Udmeldt": [fmt.pdate(v) for v in df["issued"]],
        "Afrapportering": [fmt.pdate(v) for v in df["report_submitted"]],
        "Seneste beslutning/hændelse": [fmt.pdate(v) for v in df["decision_date"]],
        "Fornyet behandling anmodet": [fmt.pdate(v) for v in df["renewed_treatment"]],
        "Åben/afsluttet": ["Åben" if int(v) == 1 else "Afsluttet" for v in df["is_open"]],
    })


def open_table(df: pd.DataFrame) -> pd.DataFrame:
    """The open notices by name, as listed at the top of the page."""
    return pd.DataFrame({
        "Udmelding": df["notice_id"],
        "Målgruppe": df["target_group"],
        "Status": df["status"],
        "Udfald indtil nu": df["outcome"],
        "Kilde": df["source_url"],
    })


# =============================================================================================
# Handlingsplan


def status_filter_label(status: str) -> str:
    """The status as a filter choice (and URL value): 'På sporet'."""
    return status[:1].upper() + status[1:]


def principle_label(pid: str, name: str, limit: int | None = None) -> str:
    text = f"{pid} · {name}"
    return shorten(text, limit) if limit else text


def initiatives(day: dt.date | None = None) -> pd.DataFrame:
    """Every initiative with its status today (latest update on or before today)."""
    df = db.run("handlingsplan_initiatives", today=day or today())
    df["status_label"] = [charts.status_label(s) for s in df["status"]]
    return df


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


def status_counts(df: pd.DataFrame) -> pd.DataFrame:
    """Initiatives per principle and status: one row per principle, a column per status, and 'I alt'."""
    principles = df[["principle_id", "principle_name"]].drop_duplicates().sort_values("principle_id")
    counts = (df.groupby(["principle_id", "status"]).size().unstack(fill_value=0)
              .reindex(columns=list(charts.STATUS_ORDER), fill_value=0))
    out = principles.merge(counts, left_on="principle_id", right_index=True, how="left").fillna(0)
    for s in charts.STATUS_ORDER:
        out[s] = out[s].astype(int)
    out["total"] = out[list(charts.STATUS_ORDER)].sum(axis=1)
    return out.reset_index(drop=True)


def totals(df: pd.DataFrame) -> dict:
    """Counts for the metrics: per status, overdue and all."""
    out = {s: int((df["status"] == s).sum()) for s in charts.STATUS_ORDER}
    out["overdue"] = int(df["overdue"].sum())
    out["total"] = len(df)
    return out


def counts_table(counts: pd.DataFrame) -> pd.DataFrame:
    names = zip(counts["principle_id"], counts["principle_name"])
    table = pd.DataFrame({"Princip": [principle_label(p, n) for p, n in names]})
    for s in charts.STATUS_ORDER:
        table[status_filter_label(s)] = counts[s].to_numpy()
    table["I alt"] = counts["total"].to_numpy()
    return table


def counts_figure(counts: pd.DataFrame) -> go.Figure:
    """Stacked horizontal bars: initiatives per principle by status (colour, pattern and symbol)."""
    labels = [principle_label(p, n, 44) for p, n in zip(counts["principle_id"], counts["principle_name"])]
    fig = charts.figure(height=max(220, 90 + 44 * len(labels)))
    for s in charts.STATUS_ORDER:
        values = counts[s].tolist()
        if not any(values):
            continue
        fig.add_trace(go.Bar(
            y=labels, x=values, orientation="h", name=charts.status_label(s),
            marker=dict(color=charts.status_colour(s), line=dict(color="#FFFFFF", width=1),
                        pattern=charts.status_bar_pattern(s, 9)),
            text=[str(v) if v else "" for v in values], textposition="inside", insidetextanchor="middle",
            textfont=dict(color="#FFFFFF" if s != "ikke startet" else "#262730", size=15, weight="bold",
                          shadow="0 0 3px #262730" if s != "ikke startet" else "none"),
            hovertemplate="%{y}<br>" + charts.status_label(s) + ": %{x:,.0f}<extra></extra>",
        ))
    fig.update_layout(barmode="stack", bargap=0.35, showlegend=True, legend=dict(traceorder="normal"))
    charts.style(fig, y_format="", x_format=charts.FMT_INT, x_title="Antal initiativer")
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=labels)
    fig.update_xaxes(dtick=1 if counts["total"].max() <= 10 else None)
    return fig


def gantt(df: pd.DataFrame, day: dt.date | None = None) -> tuple[go.Figure, pd.DataFrame]:
    """A bar from start to deadline per initiative, by status; overdue ones marked; a today line."""
    day = day or today()
    df = df.copy()
    df["label"] = [f"{i} {shorten(t, 44)}" for i, t in zip(df["initiative_id"], df["title"])]
    start = pd.to_datetime(df["start_date"])
    end = pd.to_datetime(df["deadline"])
    fig = charts.figure(height=max(240, 110 + 26 * len(df)))
    for s in charts.STATUS_ORDER:
        part = df[df["status"] == s]
        if part.empty:
            continue
        p_start, p_end = start[part.index], end[part.index]
        fig.add_trace(go.Bar(
            y=part["label"], base=p_start.dt.strftime("%Y-%m-%d"),
            x=((p_end - p_start).dt.total_seconds() * 1000 + 86_400_000).tolist(),
            orientation="h", name=charts.status_label(s),
            marker=dict(color=charts.status_colour(s), line=dict(color=charts.status_colour(s), width=1),
                        pattern=charts.status_bar_pattern(s, 6)),
            customdata=list(zip(part["title"], part["owner"], [fmt.date(d) for d in part["start_date"]],
                                [fmt.date(d) for d in part["deadline"]],
                                [fmt.pct(p, 0) for p in part["progress_pct"]])),
            hovertemplate=("<b>%{customdata[0]}</b><br>Ansvarlig: %{customdata[1]}<br>"
                           "%{customdata[2]} – %{customdata[3]}<br>" + charts.status_label(s)
                           + " · fremdrift %{customdata[4]}<extra></extra>"),
        ))
    late = df[df["overdue"]]
    if not late.empty:
        fig.add_trace(go.Scatter(
            x=end[late.index], y=late["label"], mode="markers+text", name=f"{OVERDUE} frist",
            marker=dict(symbol="x-thin-open", size=12, line=dict(width=3, color="#262730"), color="#262730"),
            text=[OVERDUE] * len(late), textposition="middle right", textfont=dict(size=12, color="#262730"),
            customdata=[fmt.date(d) for d in late["deadline"]],
            hovertemplate="Fristen %{customdata} er overskredet<extra></extra>",
        ))
    _today_line(fig, day)
    first = min(start.min().date(), day) if len(df) else day
    last = max(end.max().date(), day) if len(df) else day
    vals, texts = _month_ticks(first, last, 6)
    fig.update_layout(barmode="overlay", bargap=0.3, margin=dict(l=8, r=110, t=70, b=8), showlegend=True,
                      legend=dict(y=1.02, yanchor="bottom"))
    fig.update_xaxes(type="date", tickvals=vals, ticktext=texts, showgrid=True, gridcolor="#EFEFEF",
                     range=[pd.Timestamp(first) - pd.Timedelta(days=20), pd.Timestamp(last) + pd.Timedelta(days=40)])
    fig.update_yaxes(categoryorder="array", categoryarray=df["label"].tolist(), autorange="reversed", tickformat="")
    table = pd.DataFrame({
        "Initiativ": df["initiative_id"],
        "Titel": df["title"],
        "Start": [fmt.date(d) for d in df["start_date"]],
        "Frist": [fmt.date(d) for d in df["deadline"]],
        "Status": df["status_label"],
        "Frist overskredet": ["Ja" if o else "Nej" for o in df["overdue"]],
    })
    return fig, table


def initiative_table(df: pd.DataFrame) -> pd.DataFrame:
    """The initiatives as the page lists them (Danish columns; notes stay plain text in cells)."""
    return pd.DataFrame({
        "Id": df["initiative_id"].to_numpy(),
        "Initiativ": df["title"].to_numpy(),
        "Status": [f"{lab}  {OVERDUE}" if o else lab for lab, o in zip(df["status_label"], df["overdue"])],
        "Fremdrift": df["progress_pct"].astype(float).to_numpy(),
        "Frist": [fmt.date(d) for d in df["deadline"]],
        "Ansvarlig": df["owner"].to_numpy(),
        "Seneste bemærkning": [fmt.MISSING if fmt._missing(n) else str(n) for n in df["note"]],
        "Opdateret": [fmt.date(d) for d in df["update_date"]],
    })


def meetings(day: dt.date | None = None) -> pd.DataFrame:
    """Meetings held on or before today, newest first."""
    return db.run("handlingsplan_meetings", today=day or today())


def meeting_label(row) -> str:
    """'6. okt. 2026 (KKR)': the choice as shown and as written to the URL."""
    return f"{fmt.date(row['meeting_date'])} ({row['body']})"


def default_meeting_index(mtgs: pd.DataFrame) -> int:
    """'Since the last meeting': the meeting before the latest one (the latest if there is only one)."""
    return 1 if len(mtgs) > 1 else 0


def changed_since(since: dt.date, day: dt.date | None = None) -> pd.DataFrame:
    return db.run("handlingsplan_changed_since", since=since, today=day or today())


def notes_since(since: dt.date, day: dt.date | None = None) -> pd.DataFrame:
    return db.run("handlingsplan_notes_since", since=since, today=day or today())


def status_changes_table(changed: pd.DataFrame) -> pd.DataFrame:
    ch = changed[changed["status_changed"]]
    return pd.DataFrame({
        "Id": ch["initiative_id"].to_numpy(),
        "Initiativ": ch["title"].to_numpy(),
        "Statusskift": [f"{charts.status_label(a)}  →  {charts.status_label(b)}"
                        for a, b in zip(ch["status_then"], ch["status_now"])],
        "Fremdrift ved mødet": ch["progress_then"].astype(float).to_numpy(),
        "Fremdrift nu": ch["progress_now"].astype(float).to_numpy(),
        "Ansvarlig": ch["owner"].to_numpy(),
    })


def notes_table(notes: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Dato": [fmt.date(d) for d in notes["update_date"]],
        "Id": notes["initiative_id"].to_numpy(),
        "Initiativ": notes["title"].to_numpy(),
        "Status": [charts.status_label(s) for s in notes["status"]],
        "Bemærkning": notes["note"].astype(str).to_numpy(),
    })


def history(initiative_id: str, day: dt.date | None = None) -> pd.DataFrame:
    return db.run("handlingsplan_history", initiative=initiative_id, today=day or today())


def history_table(hist: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Opdateret": [fmt.date(d) for d in hist["update_date"]],
        "Til mødet": [fmt.MISSING if fmt._missing(d) else f"{fmt.date(d)} · {t}"
                      for d, t in zip(hist["meeting_date"], hist["meeting_title"])],
        "Status": [charts.status_label(s) for s in hist["status"]],
        "Fremdrift": hist["progress_pct"].astype(float).to_numpy(),
        "Bemærkning": [fmt.MISSING if fmt._missing(n) else str(n) for n in hist["note"]],
    })


def plain(v) -> str:
    """Text for st.text / table cells: the value as written, or '–' when missing."""
    return fmt.MISSING if fmt._missing(v) or not str(v).strip() else str(v)


def counts_line(df: pd.DataFrame) -> str:
    """'✓ På sporet 3 · ! Risiko 1 · ⚠ Overskredet 1' for a group of initiatives (only non-zero)."""
    t = totals(df)
    bits = [f"{charts.status_label(s)} {t[s]}" for s in charts.STATUS_ORDER if t[s]]
    if t["overdue"]:
        bits.append(f"{OVERDUE} {t['overdue']}")
    return " · ".join(bits)


def changes(since: dt.date, ids, day: dt.date | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(initiatives that changed, new notes) since a meeting, for the initiatives in `ids`."""
    ids = set(ids)
    changed = changed_since(since, day)
    notes = notes_since(since, day)
    return changed[changed["initiative_id"].isin(ids)], notes[notes["initiative_id"].isin(ids)]


def plan_key_message(t: dict, n_all: int, meeting=None, n_changed: int | None = None) -> str:
    """The top line: how many initiatives, how they stand, overdue, and changes since the meeting."""
    shown = fmt.count(t["total"], "initiativ", "initiativer")
    head = f"**{shown}**" if t["total"] == n_all else f"**{shown}** (af {fmt.number(n_all)}, filtreret)"
    parts = [f"{t[s]} {STATUS_PHRASE[s][0 if t[s] == 1 else 1]}" for s in charts.STATUS_ORDER if t[s]]
    text = f"{head}: " + ", ".join(parts) + "."
    if t["overdue"]:
        text += f" **{fmt.count(t['overdue'], 'initiativ', 'initiativer')} har overskredet fristen.**"
    if meeting is not None and n_changed is not None:
        text += (f" Siden {fmt.md(meeting['title'])} ({fmt.date(meeting['meeting_date'])}) har "
                 f"{fmt.count(n_changed, 'initiativ', 'initiativer')} skiftet status.")
    return text
