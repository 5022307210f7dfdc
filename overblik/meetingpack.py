"""The meeting pack (mødepakke): one PDF appendix for a DASSOS or KKR agenda, from the same slices as the
pages. Used by the button "Hent mødepakke (PDF)" (Overblik, Siden sidste møde) and by
`python -m overblik meeting-pack`.

Typesetting: Typst (the `typst` Python package, a self-contained compiler: no system TeX, no browser, a
page-numbered A4 document in well under a second). Every text from data goes into the document as a
JSON string and is placed by Typst's code mode, so it is always text, never markup. Charts are the
pages' own Plotly figures written as SVG by kaleido (vector in the PDF), the QR code an SVG by segno.

Contents: cover (meeting, filters, data date, snapshot, provenance, live link + QR), Overblik's numbers
and charts, what changed since the meeting (overblik.siden), the key chart and table of Udgifter,
Kapacitet, Centrale udmeldinger and Handlingsplan, and a sources page. Every page carries the data
date, the snapshot and the page number in its footer, and "Fiktive eksempeldata" where the data is
illustrative.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import tempfile
import textwrap
import threading
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go

from overblik import (
    charts,
    clock,
    costcurve,
    data,
    db,
    filters,
    fmt,
    handlingsplan,
    kapacitet,
    region,
    schema,
    siden,
    store,
    udmeldinger,
)
from overblik import handlingsplan_figures as hp_figs
from overblik import kapacitet_figures as kap_figs
from overblik import overblik as overview
from overblik import udgifter as u

TEMPLATE = Path(__file__).resolve().parent / "meetingpack.typ"
LINK_ENV = "OVERBLIK_PUBLIC_URL"  # the dashboard's public address, for the cover's link and QR code
DEFAULT_LINK = "http://localhost:8501"
PAGE = "siden-sidste-moede"
ILLUSTRATIVE = "Fiktive eksempeldata"
PROGRESS = ["Fremdrift ved mødet", "Fremdrift nu"]  # left out of the pack's status changes (too wide on paper)
PDF_FONT = "Liberation Sans, Arial, sans-serif"  # in Chromium (kaleido) and Typst alike: the SVG text fits
KALEIDO_TABS = 3  # Chromium tabs drawing charts in parallel
CHART_WIDTH = 900  # px at which the charts are laid out (they are scaled to the text width)

_kaleido_lock = threading.Lock()
_kaleido_started = False


# ---------------------------------------------------------------------------------------------
# Names, links


def file_name(meeting: dict, f: filters.Filters) -> str:
    """'moedepakke-2026-11-12-dassos-hele-regionen-2016-2026.pdf' (the body too: DASSOS and KKR may meet on
    the same day)."""
    scope = "hele-regionen" if f.whole_region else "-".join(f.names.get(c, str(c)) for c in f.chosen[:3])
    area = "" if f.area_key == "alle" else f"-{f.area_label}"
    day = pd.Timestamp(meeting["meeting_date"]).date().isoformat()
    raw = f"moedepakke-{day}-{meeting['body']}-{scope}-{f.period_label}{area}"
    return slug(raw) + ".pdf"


def slug(text: str) -> str:
    """A file name part that keeps Danish letters: 'Børn og unge' -> 'børn-og-unge'."""
    import re

    out = re.sub(r"[^0-9a-zæøå]+", "-", str(text).lower()).strip("-")
    return out or "data"


def link(meeting: dict, f: filters.Filters, base: str | None = None) -> str:
    """The live link to the same view: /siden-sidste-moede with the meeting and the shared filters,
    written the way the bound widgets write them (labels)."""
    base = (base or os.environ.get(LINK_ENV) or DEFAULT_LINK).rstrip("/")
    q: list[tuple[str, str]] = [("siden", handlingsplan.meeting_label(meeting))]
    q += [(filters.YEARS_KEY, str(f.year_from)), (filters.YEARS_KEY, str(f.year_to))]
    q += [(filters.MUNICIPALITIES_KEY, f.names.get(c, str(c))) for c in f.chosen]
    if f.area_key != "alle":
        q.append((filters.AREA_KEY, f.area_label))
    return f"{base}/{PAGE}?{urlencode(q)}"


def make_filters(year_from=None, year_to=None, municipalities=(), area_key: str = "alle") -> filters.Filters:
    """Filters outside Streamlit (the command line): names as on the page; unknown names raise ValueError."""
    opts = filters.options()
    years = opts["years"]
    by_name = {n.lower(): c for c, n in opts["names"].items()}
    chosen = []
    for m in municipalities:
        code = by_name.get(str(m).lower()) or (int(m) if str(m).isdigit() and int(m) in opts["names"] else None)
        if code is None:
            raise ValueError(f"Ukendt kommune: {m}")
        chosen.append(code)
    if area_key not in filters.AREAS:
        labels = {v[0].lower(): k for k, v in filters.AREAS.items()}
        area_key = labels.get(str(area_key).lower(), "")
        if not area_key:
            raise ValueError("Ukendt område: brug Alle, Børn og unge eller Voksne")
    y0 = int(year_from or years[0])
    y1 = int(year_to or years[-1])
    return filters.Filters(
        max(y0, years[0]), min(y1, years[-1]), tuple(chosen), tuple(opts["municipalities"]), opts["names"], area_key
    )


# ---------------------------------------------------------------------------------------------
# Charts as SVG


def _write_svgs(figs: list[tuple[str, go.Figure, int]], folder: Path) -> None:
    """Every figure as folder/<name>.svg through one long-lived kaleido (Chromium) process with a few
    tabs rendering side by side; started on the first pack of the process."""
    import kaleido

    specs = [
        {
            "fig": fig.to_plotly_json(),
            "path": str(folder / f"{name}.svg"),
            "opts": {"format": "svg", "width": width, "height": int(fig.layout.height or 320)},
        }
        for name, fig, width in figs
    ]
    with _kaleido_lock:
        _kaleido()
        errors = kaleido.write_fig_from_object_sync(specs)
    if errors:
        raise RuntimeError(f"Graferne kunne ikke tegnes: {errors[0]}")


def _kaleido() -> None:
    """Start the process's kaleido (Chromium) server once; callers hold _kaleido_lock."""
    import kaleido

    global _kaleido_started
    if not _kaleido_started:
        # mathjax=False: no chart of ours has LaTeX, and kaleido's page otherwise loads MathJax from a CDN
        # on every tab reload (after each chart). Without internet, or with a slow resolver, that reload
        # waited for the lookup to time out: 5 s more on one pack in two (docs/performance.md). plotly.js
        # comes from the installed plotly package.
        kaleido.start_sync_server(n=KALEIDO_TABS, silence_warnings=True, mathjax=False)
        _kaleido_started = True


def close_renderer(timeout: float = 15) -> bool:
    """Stop the process's kaleido (Chromium) server, waiting at most `timeout` seconds; False if it did not
    stop in time. The command line calls it before it exits: kaleido otherwise stops Chromium at exit,
    where a Chromium that does not answer keeps the finished command from ending."""
    import kaleido

    global _kaleido_started
    with _kaleido_lock:
        if not _kaleido_started:
            return True
        stopper = threading.Thread(target=kaleido.stop_sync_server, kwargs={"silence_warnings": True}, daemon=True)
        stopper.start()
        stopper.join(timeout)
        _kaleido_started = stopper.is_alive()
        return not _kaleido_started


PNG_TITLE = 44  # px above a chart's own top margin for its title in the PNG
PNG_LINE = 22  # px per line under the chart
PNG_PAD = 12  # px above the first line and below the last


def chart_png(fig: go.Figure, title: str, lines: list[str], illustrative: bool, width: int = 1200) -> bytes:
    """A chart as the PNG people paste into their papers: its title above it; the filters, source and
    data date under it; and the marker 'Fiktive eksempeldata' where the data is illustrative.

    The lines under the chart are a picture of their own (png_footer), joined below the chart's: placed
    inside the chart's figure, they stood below its plot area, which the axes' and legends' own room
    (Plotly's automargin) moves by an amount known only once the chart is drawn."""
    import kaleido
    from PIL import Image

    fig = _for_print(fig)
    top = int(fig.layout.margin.t or 36)  # read once: fig.layout.margin follows every update
    fig.update_layout(
        title=dict(
            text=charts.text(title), x=0, xanchor="left", y=1, yanchor="top", yref="container", pad=dict(t=12, l=8)
        ),
        margin=dict(t=top + PNG_TITLE),
        height=int(fig.layout.height or 320) + PNG_TITLE,
    )
    foot = png_footer(lines, illustrative, width)
    with _kaleido_lock:
        _kaleido()
        pictures = [
            Image.open(io.BytesIO(kaleido.calc_fig_sync(f.to_plotly_json(), opts=_png_opts(f, width))))
            for f in (fig, foot)
        ]
    out = Image.new("RGB", (pictures[0].width, sum(p.height for p in pictures)), "white")
    out.paste(pictures[0], (0, 0))
    out.paste(pictures[1], (0, pictures[0].height))
    buf = io.BytesIO()
    out.save(buf, format="PNG")
    return buf.getvalue()


def png_footer(lines: list[str], illustrative: bool, width: int = 1200) -> go.Figure:
    """The lines under a chart's PNG as a figure of their own, one annotation a line, every one inside it:
    the marker (where illustrative) first, then `lines`, each wrapped to the picture's width."""
    texts = [ILLUSTRATIVE.upper()] if illustrative else []
    per_line = max((width - 16) // 7, 40)  # characters: 12 px Liberation Sans averages under 7 px
    for line in lines:
        texts += textwrap.wrap(line, per_line) or [""]
    foot = go.Figure()
    foot.update_layout(
        width=width,
        height=2 * PNG_PAD + PNG_LINE * len(texts),
        margin=dict(l=8, r=8, t=0, b=0),
        xaxis=dict(visible=False),
        yaxis=dict(visible=False),
        showlegend=False,
        font_family=PDF_FONT,
        paper_bgcolor="white",
        plot_bgcolor="white",
    )
    for i, text in enumerate(texts):
        marker = illustrative and i == 0
        foot.add_annotation(
            text=charts.text(text),
            x=0,
            xref="paper",
            xanchor="left",
            y=1,
            yref="paper",
            yanchor="top",
            yshift=-(PNG_PAD + PNG_LINE * i),
            showarrow=False,
            align="left",
            font=dict(
                size=13 if marker else 12,
                color=charts.MARKER_TEXT if marker else "#555555",
                weight=700 if marker else 400,
            ),
        )
    return foot


def _png_opts(fig: go.Figure, width: int) -> dict:
    return {"format": "png", "width": width, "height": int(fig.layout.height), "scale": 2}


def _for_print(fig: go.Figure, height: int | None = None) -> go.Figure:
    # A copy: a figure from a slice may be cached, frozen and shared (viewcache); it is never changed.
    fig = charts.safe(go.Figure(fig.to_dict()))
    fig.update_layout(font_family=PDF_FONT, paper_bgcolor="white", plot_bgcolor="white")
    if height:
        fig.update_layout(height=height)
    return fig


# ---------------------------------------------------------------------------------------------
# The document's data


def _cell(v) -> str:
    if v is None or (not isinstance(v, (list, tuple, dict)) and pd.isna(v)):
        return fmt.MISSING
    if isinstance(v, bool):
        return "Ja" if v else "Nej"
    if isinstance(v, float):
        return fmt.number(v, 0 if v.is_integer() else 1)
    if isinstance(v, int):
        return str(v) if 1900 <= v <= 2100 else fmt.number(v)
    if isinstance(v, (dt.date, pd.Timestamp)):
        return fmt.date(v)
    return str(v)


def _table(df: pd.DataFrame, limit: int | None = None) -> dict:
    """{'columns': [...], 'rows': [[...]], 'more': n} with every cell as text."""
    shown = df if limit is None else df.head(limit)

    def texts(c, col: pd.Series) -> list[str]:  # numbers as the page's tables write them (ui.danish_table)
        if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col) and c not in fmt.YEAR_COLUMNS:
            return fmt.column(col.to_numpy(dtype=float, na_value=float("nan")))
        return [_cell(v) for v in col]

    cells = [texts(c, shown[c]) for c in shown.columns]
    return {
        "columns": [str(c) for c in df.columns],
        "rows": [list(row) for row in zip(*cells)] if cells else [],
        "more": max(len(df) - len(shown), 0),
    }


def _prov(*tables: str) -> dict:
    p = data.provenance(*tables)
    return {"caption": p.caption().replace("\\", ""), "illustrative": p.illustrative}


def build_data(f: filters.Filters, meeting: dict, day: dt.date, base_url: str | None = None) -> tuple[dict, list]:
    """The document's text (a JSON-able dict) and its figures (name, figure), for this run's snapshot."""
    p = f.params()
    summary = data.snapshot_summary()
    doc = data.manifest()
    spend = overview.spending(p, f.whole_region)
    cap = overview.capacity_block(p)
    notices = overview.notices(day)
    plan = overview.plan(day, handlingsplan.meeting_label(meeting))
    heads = overview.headlines(spend, cap, notices, plan)
    cmp_ = siden.compare(meeting, p, f.whole_region, day)
    curve = costcurve.view(p, f.scope_label)
    figs: list[tuple[str, go.Figure, int]] = []

    def add(name: str, fig: go.Figure, height: int | None = None, width: int = CHART_WIDTH) -> str:
        figs.append((name, _for_print(fig, height), width))
        return f"{name}.svg"

    ov_charts = []
    if not spend.trend.empty:
        fig, _ = overview.spending_figure(spend)
        ov_charts.append(
            {
                "title": f"Udgifter pr. område, mio. kr. ({spend.price_year}-priser)",
                "file": add("ov-udgifter", fig, 260, 520),
            }
            | _prov(*overview.SPENDING_TABLES)
        )
    if cap.year is not None:
        fig, _ = overview.capacity_figure(cap)
        ov_charts.append(
            {"title": f"Mangel og belægning pr. målgruppe, {cap.year}", "file": add("ov-kapacitet", fig, 260, 520)}
            | _prov(*overview.CAPACITY_TABLES)
        )
    fig, _ = overview.notice_figure(notices, day)
    ov_charts.append(
        {"title": "Centrale udmeldinger: fra udmelding til beslutning", "file": add("ov-udmeldinger", fig, 260, 520)}
        | _prov(*overview.NOTICE_TABLES)
    )
    fig, _ = overview.plan_figure(plan)
    ov_charts.append(
        {
            "title": f"Handlingsplan: {fmt.count(plan.totals['total'], 'initiativ', 'initiativer')} efter status i dag",
            "file": add("ov-handlingsplan", fig, 200, 520),
        }
        | _prov(*overview.PLAN_TABLES)
    )
    headline_rows = pd.DataFrame(
        [
            {"Blok": block, "Nøgletal": h.label, "Værdi": h.value, "Bemærkning": h.delta or ""}
            for block, pair in heads.items()
            for h in pair
        ]
    )

    # --- detail pages ------------------------------------------------------------------------
    details = []
    view = u.view(f, fixed=True, per_capita=False, breakdown="Område")
    if view.per_year is not None:
        c = view.per_year
        details.append(
            {"page": "Udgifter", "title": c.title, "file": add("udgifter", c.fig, 380), "table": _table(c.table)}
            | _prov(*c.tables)
        )
    gap = kapacitet.gap_by_target_group(
        year_from=f.year_from, year_to=f.year_to, municipalities=p["municipalities"], area=p["area"]
    )
    s = kapacitet.summary(gap)
    if s.year is not None:
        details.append(
            {
                "page": "Kapacitet",
                "title": f"Pladstallet: manglende (+) eller ledige pladser (−) pr. målgruppe, {s.year}",
                "file": add("kapacitet", kap_figs.gap_overview_figure(gap), 380),
                "table": _table(kap_figs.gap_table(kapacitet.year_rows(gap, s.year))),
                # below region level the place count is a rough signal, said as the pages say it
                "note": kapacitet.region_note(f.chosen, f.all_municipalities),
            }
            | _prov(*overview.CAPACITY_TABLES)
        )
    all_notices = udmeldinger.notices("alle")
    details.append(  # the timeline is Overblik's (above); its full version is slow to draw as SVG
        {
            "page": "Centrale udmeldinger",
            "title": "",
            "file": "",
            "table": _table(udmeldinger.notice_table(all_notices).drop(columns=["Kilde"], errors="ignore")),
        }
        | _prov(*overview.NOTICE_TABLES)
    )
    everything = handlingsplan.initiatives(day)
    counts = handlingsplan.status_counts(everything)
    details.append(
        {
            "page": "Handlingsplan",
            "title": "Initiativer pr. princip og status",
            "file": add("handlingsplan", hp_figs.counts_figure(counts), 340),
            "table": _table(handlingsplan.initiative_table(everything).drop(columns=["Fremdrift"], errors="ignore")),
        }
        | _prov(*handlingsplan.TABLES)
    )

    sources = pd.DataFrame(
        [
            {
                "Tabel": schema.title(name),
                "Kilde": e["source"],
                "Data pr.": fmt.date(e.get("data_date")),
                "Art": ILLUSTRATIVE if e["provenance"] == "illustrative" else "Reelle data",
            }
            for name, e in doc["tables"].items()
        ]
    )
    url = link(meeting, f, base_url)
    changes = {
        "text": cmp_.snapshot_text(),
        "summary": cmp_.summary(),
        "headlines": _table(cmp_.headline_table()),
        "headline_note": siden.HEADLINE_NOTE,
        "sections": [  # the page's parts, in its order
            {
                "title": s.title,
                "table": _table(s.table.drop(columns=PROGRESS, errors="ignore")),
                "empty": s.empty,
                "note": s.note,
            }
            for s in cmp_.sections(kapacitet.region_note(f.chosen, f.all_municipalities))
        ],
    }
    doc_data = {
        "title": "Mødepakke: Rammeaftale-overblik",
        "subtitle": "Bilag om rammeaftalen for det specialiserede socialområde og specialundervisning, "
        + region.name(),
        # the pack shows what changed since the meeting, not that meeting's pack
        "meeting": f"Ændringer siden {meeting['title']} ({fmt.date(meeting['meeting_date'])})",
        "filters": [
            ["Periode", f.period_label],
            ["Kommuner", f.scope_label],
            ["Område", f.area_label],
            ["Siden mødet", handlingsplan.meeting_label(meeting)],
        ],
        "data_date": fmt.date(summary["data_date"]),
        "snapshot": cmp_.now.label,  # 'datasæt 29. nov. 2026 kl. 13.01, <who>: <note>' (never the id)
        "snapshot_name": cmp_.now.full_name,
        "provenance": (
            f"Tabeller med fiktive eksempeldata: {schema.titles(summary['illustrative_tables'])}. "
            "Tallene viser, hvordan overblikket virker, og er ikke virkelige tal."
            if summary["illustrative"]
            else "Alle tabeller er reelle data; kilderne står på sidste side."
        ),
        "illustrative": bool(summary["illustrative"]),
        "marker": ILLUSTRATIVE,
        "link": url,
        "made": fmt.date(day),
        # the first thing read, as on Overblik: is the cost curve bending (overblik.costcurve, one wording)
        "curve": {"answer": curve.verdict.value, "sentence": curve.verdict.sentence},
        "key_message": overview.key_message(
            spend,
            cap,
            notices,
            plan,
            f.area_label,
            f.chosen_names,
            kapacitet.covers_region(f.chosen, f.all_municipalities),
        ),
        "headlines": _table(headline_rows),
        "overblik_charts": ov_charts,
        "changes": changes,
        "details": details,
        "sources": _table(sources),
        "footer": f"Data pr. {fmt.date(summary['data_date'])} · datasæt {cmp_.now.name}",
    }
    return doc_data, figs


def build(
    f: filters.Filters,
    meeting: dict,
    *,
    sid: str | None = None,
    day: dt.date | None = None,
    base_url: str | None = None,
) -> bytes:
    """The meeting pack as PDF bytes, for snapshot `sid` (default: this run's) and the shared filters."""
    import segno
    import typst

    day = day or clock.today()
    sid = sid or db.snapshot_id()
    with db.pinned(sid):
        doc_data, figs = build_data(f, meeting, day, base_url)
    with tempfile.TemporaryDirectory(prefix="moedepakke-") as tmp:
        root = Path(tmp)
        _write_svgs(figs, root)
        qr = io.BytesIO()
        segno.make(doc_data["link"], error="m").save(qr, kind="svg", scale=4, border=2)
        (root / "qr.svg").write_bytes(qr.getvalue())
        (root / "data.json").write_text(json.dumps(doc_data, ensure_ascii=False), encoding="utf-8")
        (root / "main.typ").write_text(TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
        return typst.compile(str(root / "main.typ"), root=str(root))


def meeting_for(day_text: str, today: dt.date | None = None, body: str | None = None) -> dict:
    """The meeting held on a date (YYYY-MM-DD), from the meetings table; with `body` (DASSOS, KKR, any
    case) that body's. ValueError, in Danish, if there is none, or if there are two that day and no body."""
    want = dt.date.fromisoformat(day_text)
    that_day = [
        m
        for m in handlingsplan.meeting_choices(today or clock.today()).values()
        if pd.Timestamp(m["meeting_date"]).date() == want
    ]
    if not that_day:
        raise ValueError(f"Der er intet møde den {fmt.date(want)} i mødetabellen (kun afholdte møder kan vælges).")
    bodies = " og ".join(m["body"] for m in that_day)
    if body:
        mine = [m for m in that_day if str(m["body"]).casefold() == body.strip().casefold()]
        if not mine:
            raise ValueError(
                f"Der er intet {body.strip().upper()}-møde den {fmt.date(want)} i mødetabellen; den dag: {bodies}."
            )
        return mine[0]
    if len(that_day) > 1:
        held = " og ".join(f"{m['body']} ({m['title']})" for m in that_day)
        raise ValueError(
            f"Den {fmt.date(want)} blev der holdt {len(that_day)} møder: {held}. "
            f"Vælg mødet med --body, fx --body {that_day[-1]['body']}."
        )
    return that_day[0]


__all__ = ["build", "build_data", "file_name", "link", "make_filters", "meeting_for", "store"]
