"""Streamlit building blocks shared by the pages: header, footer, chart blocks with source, table and
downloads, the illustrative-data marker. Pages stay thin by composing these.
"""

from __future__ import annotations

import functools
import io
import json
import re
import threading
from typing import Literal, NamedTuple

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit import dataframe_util

from overblik import charts, clock, data, db, filters, fmt, region, schema, share, viewcache

ILLUSTRATIVE = data.PROVENANCE_DA["illustrative"]
ILLUSTRATIVE_HELP = (
    "Tallene er fiktive eksempeldata (demodata), ikke virkelige tal. De viser, hvordan siden virker, "
    "indtil sekretariatet udgiver egne data. Se 'Om data'."
)
# the first row of an illustrative table's Excel file (xlsx_bytes)
ILLUSTRATIVE_NOTE = (
    f"{ILLUSTRATIVE.upper()}: tallene er ikke virkelige tal. Kilde, datadato og filtre står på arket 'Filtre'."
)


def illustrative_marker(key: str | None = None) -> None:
    """The visible marker on anything that rests on illustrative data. No icon: Streamlit writes a material
    icon as its name, which screen readers read out in English ("science Fiktive eksempeldata")."""
    st.badge(ILLUSTRATIVE, color="orange", help=ILLUSTRATIVE_HELP)


# The one shared stylesheet (issue 16, WCAG 2.1 AA). Streamlit's theme has no option for these:
# captions in a grey of 7:1 on white (Streamlit fades them to 3.9:1); a 3 px focus ring of 5.2:1
# on every control, radios and segmented controls included; metric labels and values wrap instead of
# ending in "..."; columns wrap into rows below 1024 px (720 px is a 1440 px screen at 200 % zoom).
# A row of metrics drawn as one horizontal block (ui.row) has equal widths and wraps like the columns.
TEXT_MUTED = "#55575F"
FOCUS = "#0072B2"
STYLE = f"""<style>
[data-testid="stCaptionContainer"] {{ opacity: 1; color: {TEXT_MUTED}; }}
:focus-visible, label:has(input:focus-visible) {{
  outline: 3px solid {FOCUS} !important; outline-offset: 2px !important;
}}
[data-testid="stMetricLabel"] *, [data-testid="stMetricValue"], [data-testid="stMetricValue"] * {{
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  overflow-wrap: anywhere;
}}
/* a metric's delta says what its number leaves out ('V3 ikke indberettet · ...'): wrapped, never cut off */
[data-testid="stMetricDelta"] {{ height: auto; }}
[data-testid="stMetricDelta"] * {{ white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }}
[data-testid="stHorizontalBlock"] > [data-testid="stElementContainer"]:has(> [data-testid="stMetric"]) {{ flex: 1 1 0; }}
/* the uploader's own "100MB per file": the browser's limit, not the 25 MB its Danish label states */
[data-testid="stFileUploaderDropzoneInstructions"] {{ display: none; }}
/* "Vis tal" behind a button (ui.numbers_popover): room for the table's columns, not 320 px */
[data-testid="stPopoverBody"]:has([data-testid="stDataFrame"]) {{ width: min(94vw, 76rem) !important; max-width: 94vw !important; }}
/* A collapsed sidebar is pushed off screen (data-collapsed="true"), but its links and filters stayed in the
   Tab order and the accessibility tree (WCAG 2.4.3): hidden, after its closing slide; shown at once on opening. */
[data-testid="stSidebar"][data-collapsed="true"] {{
  visibility: hidden; transition: transform 0.3s, min-width 0.3s, max-width 0.3s, visibility 0s 0.3s;
}}
/* widget labels set visibility: visible themselves; while collapsed they follow the sidebar */
[data-testid="stSidebar"][data-collapsed="true"] * {{ visibility: inherit !important; }}
/* A caption's row (ui.source: the caption and the marker) scrolled its caption's negative bottom margin
   (about 13 px) and so became an unnamed Tab stop in Chromium: it does not scroll. */
[data-testid="stHorizontalBlock"]:has(> [data-testid="stElementContainer"] [data-testid="stCaptionContainer"]) {{
  overflow: visible;
}}
/* "Del link" (ui.share_link) at the right end of the title's row, not a row of its own; a long title wraps
   before it */
[data-testid="stVerticalBlock"]:has(> .st-key-del-link) {{ position: relative; }}
.st-key-del-link {{ position: absolute; top: 1.6rem; right: 0; z-index: 1; }}
[data-testid="stElementContainer"]:has(+ .st-key-del-link) h1 {{ padding-right: 8rem; }}
[data-testid="stPopoverBody"]:has([data-testid="stCode"]) {{ width: min(94vw, 40rem) !important; max-width: 94vw !important; }}
/* tables of text (ui.text_table) read from the top of each row, as in a document */
[data-testid="stTable"] td {{ vertical-align: top; }}
h2 {{ font-size: 1.6rem !important; }}
h3 {{ font-size: 1.25rem !important; }}
@media (max-width: 1024px) {{
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"]) {{ flex-wrap: wrap; }}
  [data-testid="stHorizontalBlock"] > [data-testid="stColumn"] {{ min-width: min(100%, 15rem); }}
  [data-testid="stHorizontalBlock"] > [data-testid="stElementContainer"]:has(> [data-testid="stMetric"]) {{
    min-width: min(100%, 15rem); }}
}}
</style>"""
# Streamlit serves <html lang="en"> and has no option for it: the document is Danish. Its own controls name
# themselves in English to screen readers ('Help for Periode', 'Main menu', the period slider's 'start' and
# 'end') and show a few English words ('Skip to main content', 'Choose an option', the file chooser's texts)
# (WCAG 3.1.2). Once per browser tab, an observer puts those names and texts in Danish as the frontend draws
# them (DANISH: exact names; DANISH_PATTERNS: names with a label in them). Ours are Danish already. A page's
# texts are changed only where they are one of Streamlit's own (TEXTS), so data that happens to read 'Open'
# is shown as it is.
DANISH = {
    "Skip to main content": "Gå til hovedindholdet",
    "Main menu": "Hovedmenu",
    "Sidebar": "Sidepanel",
    "Collapse sidebar": "Skjul sidepanelet",
    "Expand sidebar": "Vis sidepanelet",
    "App pages": "Sider",
    "Navigate to home page": "Gå til forsiden",
    "Link to heading": "Link til overskriften",
    "Help": "Hjælp",
    "Open": "Åbn",
    "Search": "Søg",
    "Show/hide columns": "Vis/skjul kolonner",
    "Download as CSV": "Hent som CSV",
    "Fullscreen": "Fuld skærm",
    "Close fullscreen": "Luk fuld skærm",
    "Copy to clipboard": "Kopiér",
    "Copied!": "Kopieret",
    "Choose an option": "Vælg",
    "Choose options": "Vælg",
    "No results": "Ingen resultater",
    "Clear all": "Ryd alle",
    "Running...": "Arbejder ...",
    "Upload": "Vælg fil",
    "file upload": "Vælg fil",
    "Browse files": "Vælg fil",
    "Drag and drop a file here": "Træk filen hertil",
    "Drag and drop file here": "Træk filen hertil",
    "Drag and drop files here": "Træk filerne hertil",
}
DANISH_PATTERNS = [  # (JavaScript regular expression, replacement)
    (r"^Help for (.+)$", "Hjælp til $1"),
    (r"^(.+) — start$", "$1 — fra"),
    (r"^(.+) — end$", "$1 — til"),
    (r"^(?:Limit )?([\d.,]+)\s*([KMG]B) per file(.*)$", "Højst $1 $2 pr. fil$3"),
]
TEXTS = [
    "Skip to main content",
    "Choose an option",
    "Choose options",
    "No results",
    "Browse files",
    "Upload",
    "Drag and drop a file here",
    "Drag and drop file here",
    "Drag and drop files here",
]
DANISH_JS = (
    r"""<script>
(() => {
  if (window.__overblikDanish) return;
  window.__overblikDanish = true;
  const exact = new Map(Object.entries(__EXACT__));
  const patterns = __PATTERNS__.map(([re, to]) => [new RegExp(re), to]);
  const da = (v) => {
    const t = v.trim();
    // functions as replacements: a label's own '$&' or "$'" is text, not a pattern
    if (exact.has(t)) return v.replace(t, () => exact.get(t));
    for (const [re, to] of patterns) if (re.test(t)) return v.replace(t, () => t.replace(re, to));
    return null;
  };
  const ATTRS = ['aria-label', 'title', 'placeholder', 'alt'];
  const fix = (el) => {
    for (const a of ATTRS) {
      const v = el.getAttribute && el.getAttribute(a);
      const d = v && da(v);
      if (d && d !== v) el.setAttribute(a, d);
    }
  };
  const texts = new Set(__TEXTS__);
  const DATA = '[data-testid="stMarkdownContainer"], [data-testid="stTable"], [data-testid="stDataFrame"], ' +
    '[data-testid="stCode"], [data-testid="stMetric"], .js-plotly-plot';
  const text = (n) => {
    const v = n.nodeValue, t = v && v.trim();
    if (!t || !(texts.has(t) || / per file/.test(t))) return;
    const p = n.parentElement;  // data text that reads like one of them stays (a button's label is Streamlit's)
    if (p && p.closest(DATA) && !p.closest('button')) return;
    const d = da(v);
    if (d && d !== v) n.nodeValue = d;
  };
  const all = (root) => {
    if (root.nodeType === 3) return text(root);
    if (root.nodeType !== 1) return;
    fix(root);
    for (const el of root.querySelectorAll('*')) fix(el);
    const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (w.nextNode()) text(w.currentNode);
  };
  new MutationObserver((changes) => {
    for (const c of changes) {
      if (c.type === 'attributes') fix(c.target);
      else if (c.type === 'characterData') text(c.target);
      else for (const n of c.addedNodes) all(n);
    }
  }).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true,
                             attributeFilter: ATTRS});
  all(document.body);
})();
</script>""".replace("__EXACT__", json.dumps(DANISH, ensure_ascii=False))
    .replace("__PATTERNS__", json.dumps(DANISH_PATTERNS, ensure_ascii=False))
    .replace("__TEXTS__", json.dumps(TEXTS, ensure_ascii=False))
)
LANG = "<script>document.documentElement.lang = 'da';</script>" + DANISH_JS


def style() -> None:
    """The shared stylesheet, the print stylesheet and script, and the document language; dashboard.py
    calls this once per run. Two elements, not four: every element is sent on every run."""
    st.html(STYLE + PRINT_CSS)
    st.sidebar.html(LANG + PRINT_JS, unsafe_allow_javascript=True)  # the sidebar: no gap in the page itself


def header(
    title: str,
    subtitle: str = "",
    tables: tuple[str, ...] | None = None,
    *,
    share: Literal["filtered", "unfiltered"] | None = "filtered",
) -> None:
    """Page title with the data date and, when any table is illustrative, the marker.

    `tables` (optional) names the tables the whole page rests on; then only they decide the data date
    and the marker (a page of real data only carries none). `share`: the page's "Del link" (share_link) at
    the right of the title: "filtered" where the shared filters shape the page, "unfiltered" where they do
    not (the sentence says so), None for none (Opdater data)."""
    filters.ensure_shell()
    s = data.snapshot_summary()
    if tables is not None:
        prov = data.provenance(*tables)
        s = {**s, "illustrative": prov.illustrative, "data_date": prov.data_date}
    st.title(title)
    if share:
        share_link(title, filtered=share == "filtered")
    bits = [region.name()] + ([subtitle] if subtitle else [])  # the served region (overblik.region)
    if s["data_date"]:
        bits.append(f"Data pr. {fmt.date(s['data_date'])}")
    _caption_and_marker(" · ".join(bits), s["illustrative"])
    fresh = new_data_notice(s)
    if fresh:
        # role="status": screen readers announce it. No icon: Streamlit writes a material icon as its name, which
        # would be announced first ("update Der er udgivet ...")
        st.info(fmt.md(fresh))
    old = stale_notice(s["data_date"])
    if old:
        st.warning(old, icon=":material/history:")


SHARE_KEY = "del-link"


def share_link(title: str, filtered: bool = True) -> None:
    """ "Del link": the exact link of this view (share.link: the page's address and this run's query
    parameters) in a code box, whose button copies it, and one sentence saying what it reopens (share.sentence).
    Drawn only while open (opening it reruns the page; its state is st.session_state[SHARE_KEY]): closed, it
    is one element. The stylesheet (STYLE) sets it at the right end of the title's row."""
    with st.popover(
        "Del link",
        icon=":material/link:",
        key=SHARE_KEY,
        on_change="rerun",
    ) as box:
        if box.open:
            query = share.pairs(st.query_params)
            try:
                url = st.context.url
            except Exception:  # no browser context
                url = None
            st.code(share.link(url, query), language=None, wrap_lines=True)
            f = st.session_state.get("_filters")
            st.caption(fmt.md(share.sentence(title, query, f, filtered)) + " Kopiér linket med knappen i feltet.")


# The snapshot this session's previous run showed ((id, created)): a run that shows another says so once.
SEEN_KEY = "_overblik_seen_snapshot"


def new_data_notice(summary: dict) -> str:
    """'Der er udgivet nye data 29. nov. 2026 kl. 13.01; tallene er opdateret.' in the first run of a session
    that shows another snapshot than its previous run did (a publish between two clicks changes the figures
    under the reader); '' on the session's first run and whenever the snapshot is the one seen before. A
    rollback (an earlier snapshot made current again) is said as one. Per run: one session_state lookup."""
    now = (summary["id"], summary.get("created"))
    seen = st.session_state.get(SEEN_KEY)
    if seen == now:
        return ""
    st.session_state[SEEN_KEY] = now
    if seen is None:
        return ""
    return switched_text(seen[1], now[1])


def switched_text(before, after) -> str:
    """The notice for a switch from the snapshot created `before` to the one created `after` (ISO, UTC)."""
    try:
        when = fmt.moment(after)
        back = bool(before) and pd.Timestamp(after) < pd.Timestamp(before)
    except (ValueError, TypeError):  # no or an unreadable time in the manifest: the notice without it
        return "Der er udgivet nye data; tallene er opdateret."
    if back:
        return f"Dataene er rullet tilbage til datasættet fra {when}; tallene er opdateret."
    return f"Der er udgivet nye data {when}; tallene er opdateret."


# DASSOS meets every quarter and the secretariat publishes before each meeting: data older than a quarter and
# a month means a publish was missed, and a reader should know before repeating the numbers.
STALE_AFTER_DAYS = 122


def stale_notice(data_date) -> str:
    """'Tallene er pr. 20. nov. 2026, …' when the data date is more than STALE_AFTER_DAYS before today, else ''."""
    if not data_date:
        return ""
    day = clock.today()
    when = pd.Timestamp(data_date).date()
    if (day - when).days <= STALE_AFTER_DAYS:
        return ""
    months = (day.year - when.year) * 12 + day.month - when.month - (day.day < when.day)
    return (
        f"Tallene er pr. {fmt.date(when)}, {months} måneder før i dag, og der er ikke udgivet nyere data. "
        "Spørg sekretariatet, før tallene bruges."
    )


def _caption_and_marker(caption: str, illustrative: bool) -> None:
    """A caption with the illustrative marker at the right end of its row: one horizontal block (a row
    of columns would be three blocks, each sent on every run)."""
    if not illustrative:
        st.caption(caption)
        return
    with st.container(horizontal=True, vertical_alignment="center", gap="medium", wrap=False):
        st.caption(caption, width="stretch")
        illustrative_marker()


def footer() -> None:
    st.divider()
    st.caption(
        f"Rammeaftale-overblik · {region.kkr_name()} og DASSOS · Datasæt {fmt.md(data.dataset_name(full=True))} · "
        "Kilder og definitioner: se 'Om data'."
    )
    st.page_link("pages/tilgaengelighed.py", label="Tilgængelighedserklæring", icon=":material/accessibility:")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "data"


def spreadsheet_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Every text cell neutralised against formula injection (schema.spreadsheet_text, OWASP); every
    download goes through this."""
    out = df.copy()
    for c in out.columns:
        if not pd.api.types.is_numeric_dtype(out[c]) and not pd.api.types.is_datetime64_any_dtype(out[c]):
            out[c] = out[c].map(schema.spreadsheet_text)
    out.columns = [schema.spreadsheet_text(str(c)) for c in out.columns]
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV the way Danish Excel reads it: ';' separated, decimal comma, UTF-8 with BOM; no formulas."""
    return spreadsheet_frame(df).to_csv(index=False, sep=";", decimal=",", lineterminator="\r\n").encode("utf-8-sig")


def xlsx_bytes(
    df: pd.DataFrame, sheet: str = "Data", about: list[tuple[str, str]] | None = None, illustrative: bool = False
) -> bytes:
    """An .xlsx with text as text: neutralised like the CSV, and xlsxwriter's automatic conversion of
    text to formulas and links is off. `about` (what the table covers and rests on) goes on a sheet of its
    own, 'Filtre'. An `illustrative` table says so on its first sheet too, the one a reader sees: a note in
    the first row, a blank row, then the table, with Excel's filter buttons on exactly the table's rows and
    its header frozen, so sorting and filtering leave the note out."""
    df = spreadsheet_frame(df)
    buf = io.BytesIO()
    sheet = re.sub(r"[\[\]:*?/\\]", " ", sheet).strip()[:31].strip() or "Data"  # Excel forbids []:*?/\
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    top = 2 if illustrative else 0  # the table's header row
    with pd.ExcelWriter(buf, engine="xlsxwriter", engine_kwargs={"options": options}) as xw:
        df.to_excel(xw, index=False, sheet_name=sheet, startrow=top)
        ws = xw.sheets[sheet]
        for i, col in enumerate(df.columns):
            width = max([len(str(col))] + [len(str(v)) for v in df[col].head(200)]) + 2
            ws.set_column(i, i, min(width, 60))
        if illustrative:
            ws.write_string(
                0, 0, ILLUSTRATIVE_NOTE, xw.book.add_format({"bold": True, "font_color": charts.MARKER_TEXT})
            )
            ws.autofilter(top, 0, top + len(df), max(len(df.columns) - 1, 0))
            ws.freeze_panes(top + 1, 0)
        if about:
            spreadsheet_frame(pd.DataFrame(about, columns=["Filter", "Værdi"])).to_excel(
                xw, index=False, sheet_name="Filtre"
            )
            xw.sheets["Filtre"].set_column(0, 1, 28)
    return buf.getvalue()


def downloads(
    df: pd.DataFrame,
    name: str,
    key: str,
    about: tuple[tuple[str, str], ...] = (),
    *,
    tables: tuple[str, ...],
    shared: tuple[str, ...],
) -> None:
    """CSV and XLSX of a table, built on click. Both say what they cover and rest on: `about` (e.g. the
    meeting compared with), the shared filters that change the table (`shared`, filter_lines; none for a
    national or region-wide table) and the provenance of the snapshot `tables` it is made from
    (provenance_lines: real or illustrative, source, data date). In the file name (Danish letters kept;
    `about` and the filters) and in the first rows (CSV) or a sheet of their own ('Filtre', XLSX; an
    illustrative table says so on its first sheet too)."""
    shown = filter_lines(shared)
    base = file_slug(" ".join([name, *[v for _, v in about], *[v for _, v in shown]]))
    rows = [*about, *shown, *provenance_lines(tables)]
    illustrative = bool(tables) and data.provenance(*tables).illustrative
    # one horizontal block with two stretched buttons (as two columns drew them, but one block, not three)
    row = st.container(horizontal=True, gap="small")
    # The files are built when the user clicks, not on every rerun of the page.
    row.download_button(
        "Hent CSV",
        lambda: _with_filters_csv(df, rows),
        f"{base}.csv",
        "text/csv",
        key=f"{key}-csv",
        icon=":material/download:",
        width="stretch",
    )
    row.download_button(
        "Hent Excel",
        lambda: xlsx_bytes(df, name, rows, illustrative),
        f"{base}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}-xlsx",
        icon=":material/download:",
        width="stretch",
    )


def file_slug(text: str) -> str:
    """A file name from words, Danish letters kept: 'Udgifter pr. område Hele regionen 2016-2026' ->
    'udgifter-pr-område-hele-regionen-2016-2026'."""
    return re.sub(r"[^0-9a-zæøå]+", "-", str(text).lower()).strip("-") or "data"


def filter_lines(shared: tuple[str, ...]) -> list[tuple[str, str]]:
    """The shared filters of this run that apply to a table, as (label, value) rows: `shared` names them
    (filters.KEYS, some of them, or none for a table the sidebar does not touch); 'Område' only when an area
    is chosen."""
    f = st.session_state.get("_filters")
    if f is None:
        return []
    rows = [
        (filters.MUNICIPALITIES_KEY, "Kommuner", f.scope_label),
        (filters.YEARS_KEY, "Periode", f.period_label),
        (filters.AREA_KEY, "Område", f.area_label if f.area_key != "alle" else ""),
    ]
    return [(label, value) for key, label, value in rows if key in shared and value]


def provenance_lines(tables: tuple[str, ...]) -> list[tuple[str, str]]:
    """What a download made from the snapshot `tables` rests on, from their provenance (data.provenance):
    real or illustrative data, source and data date; then the snapshot. No tables (a table about the
    snapshot itself, such as Om data's list of tables): the snapshot only."""
    rows: list[tuple[str, str]] = []
    if tables:
        prov = data.provenance(*tables)
        rows.append(("Datagrundlag", data.PROVENANCE_DA["illustrative" if prov.illustrative else "real"]))
        if prov.sources:
            rows.append(("Kilde", "; ".join(prov.sources)))
        if prov.data_date:
            rows.append(("Data pr.", fmt.date(prov.data_date)))
    return [*rows, ("Datasæt", data.dataset_name(full=True))]


def _with_filters_csv(df: pd.DataFrame, about: list[tuple[str, str]]) -> bytes:
    """The filters as the first rows ('Filtre;Kommuner;Hele regionen'), a blank row, then the table. The
    rows are written as the table is (quoted where a value holds ';', as a source may)."""
    head = spreadsheet_frame(pd.DataFrame([("Filtre", k, v) for k, v in about]))
    text = head.to_csv(index=False, header=False, sep=";", lineterminator="\r\n")
    return text.encode("utf-8-sig") + b"\r\n" + csv_bytes(df).removeprefix("\ufeff".encode("utf-8"))


def _lead(takeaway: str) -> str:
    """A chart's one-sentence takeaway (plain text) opening its caption, escaped for markdown and in bold."""
    return f"**{fmt.md(takeaway)}** " if takeaway else ""


def source(*tables: str, note: str = "", takeaway: str = "") -> None:
    """The source and data-date caption under a chart or a table, with the illustrative marker where
    any of `tables` is illustrative. A chart's `takeaway` (plain text, one sentence of what it shows)
    opens the caption."""
    prov = data.provenance(*tables)
    _caption_and_marker(_lead(takeaway) + prov.caption() + (f" · {note}" if note else ""), prov.illustrative)


def source_line(*tables: str, note: str = "", takeaway: str = "") -> None:
    """A one-line source for small blocks (the Overblik page): the illustrative marker where any of
    `tables` is illustrative, and 'Data pr. ...' with the full source (and note) in its help. A chart's
    `takeaway` (plain text) opens the line; then the marker is part of the same caption (one element, and
    no row of its own under a small chart) and its explanation joins the help."""
    prov = data.provenance(*tables)
    when = f"Data pr. {fmt.date(prov.data_date)}" if prov.data_date else "Kilde"
    about = prov.caption() + (f" · {note}" if note else "")
    if takeaway:
        marker = f":orange-badge[{ILLUSTRATIVE}] " if prov.illustrative else ""
        st.caption(
            _lead(takeaway) + marker + when,
            help=about + (f"  \n{ILLUSTRATIVE_HELP}" if prov.illustrative else ""),
        )
        return
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        if prov.illustrative:
            illustrative_marker()
        st.caption(when, width="content", help=about)


@viewcache.cached
def table_data(df: pd.DataFrame):
    """The Arrow table st.dataframe builds from a frame (Streamlit's own conversion, so the same bytes
    are sent), built once per frame content: the page tables are sent on every run."""
    return dataframe_util.convert_pandas_df_to_arrow_table(df)


def _is_localized(config) -> bool:
    return isinstance(config, dict) and (config.get("type_config") or {}).get("format") == "localized"


def _is_text(config) -> bool:
    """A column configured as text (grid_columns): a number in it is shown as Danish text, not as '3951.0'."""
    return isinstance(config, dict) and (config.get("type_config") or {}).get("type") == "text"


def danish_table(df: pd.DataFrame, column_config: dict | None = None) -> tuple[pd.DataFrame, dict]:
    """The frame as shown: every number Danish ('1.234,5') whatever the browser's language. Streamlit's
    'localized' follows the browser and its printf formats write '1,234.5', and its default shows whole
    numbers as '245761', so the numeric columns configured 'localized' (number_columns) and those without
    a configuration or configured as text (grid_columns), but years (fmt.YEAR_COLUMNS), become right-aligned
    text; downloads keep the numeric frame."""
    config = dict(column_config or {})
    shown = None
    for c in df.columns:
        col = df[c]
        if not pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
            continue
        cfg = config.get(c)
        if not (_is_localized(cfg) or ((cfg is None or _is_text(cfg)) and c not in fmt.YEAR_COLUMNS)):
            continue
        if shown is None:
            shown = df.copy()
        shown[c] = fmt.column(col.to_numpy(dtype=float, na_value=float("nan")))
        old = cfg if isinstance(cfg, dict) else {}
        config[c] = st.column_config.TextColumn(
            old.get("label"), width=old.get("width"), help=old.get("help"), alignment="right"
        )
    return (df if shown is None else shown), config


@viewcache.cached
def shown_table(df: pd.DataFrame, column_config: dict | None = None) -> tuple:
    """danish_table's frame as the Arrow table st.dataframe sends, and its column configuration: the
    numbers are written as Danish text once per table content, not on every run."""
    shown, config = danish_table(df, column_config)
    return dataframe_util.convert_pandas_df_to_arrow_table(shown), config


def dataframe(df: pd.DataFrame, column_config: dict | None = None, **kwargs):
    """st.dataframe with Danish numbers (danish_table)."""
    data, config = shown_table(df, column_config)
    return st.dataframe(data, column_config=config, **kwargs)


# A short cell (an id, a date, a status, a percentage) is kept on one line: at 1440 px the table's automatic
# column widths otherwise broke "P1-01" after its hyphen and "31. dec. 2026" over three lines.
SHORT_CELL = 16
_UNBROKEN = str.maketrans({" ": "\u00a0", "-": "\u2011"})  # no-break space and non-breaking hyphen


def _cell(value) -> str:
    text = fmt.MISSING if schema.missing(value) else str(value)
    return fmt.md(text.translate(_UNBROKEN) if len(text) <= SHORT_CELL else text)


@viewcache.cached
def _text_cells(df: pd.DataFrame, links: tuple[str, ...], units: dict[str, str]) -> pd.DataFrame:
    """text_table's cells as markdown: data text escaped (fmt.md), numbers as the tables write them
    (fmt.column, then the column's unit: '65 %'), the `links` columns' addresses as links named by their
    host (fmt.md_link)."""
    cells = {}
    for c in df.columns:
        col = df[c]
        if c in links:
            cells[fmt.md(c)] = [fmt.md_link(v) for v in col]
        elif pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col) and c not in fmt.YEAR_COLUMNS:
            unit = units.get(c, "")
            numbers = fmt.column(col.to_numpy(dtype=float, na_value=float("nan")))
            cells[fmt.md(c)] = [_cell(v if v == fmt.MISSING else f"{v} {unit}".rstrip()) for v in numbers]
        else:
            cells[fmt.md(c)] = [_cell(v) for v in col]
    return pd.DataFrame(cells)


def text_table(df: pd.DataFrame, links: tuple[str, ...] = (), units: dict[str, str] | None = None) -> None:
    """A table of texts shown whole: st.table wraps every cell, where st.dataframe's fixed row heights and
    column widths cut long outcomes and notes (and hide the columns beyond its width). It is a plain HTML
    table, which screen readers read cell by cell, and its links are reached by Tab. st.table reads markdown,
    so every cell is escaped (_text_cells)."""
    st.table(_text_cells(df, tuple(links), units or {}), hide_index=True)


def numbers_popover(
    table: pd.DataFrame,
    name: str,
    key: str,
    label: str = "Vis tal",
    column_config: dict | None = None,
    *,
    tables: tuple[str, ...],
    shared: tuple[str, ...],
) -> None:
    """A small chart's numbers behind a button: the table and its CSV/XLSX downloads (`tables` and
    `shared` as in downloads), drawn only while the popover is open (opening it reruns the page; its state
    is st.session_state[f"{key}-tal"])."""
    with st.popover(label, icon=":material/table_view:", key=f"{key}-tal", on_change="rerun") as numbers:
        if numbers.open:
            dataframe(table, hide_index=True, column_config=column_config, width="stretch")
            downloads(table, name, key, tables=tables, shared=shared)


def _png_button(
    fig: go.Figure, title: str, key: str, tables: tuple[str, ...], shared: tuple[str, ...], note: str
) -> None:
    """'Hent graf som billede (PNG)': the chart with its title, the filters that apply to it (filter_lines),
    source, data date and marker, drawn by kaleido when clicked (never on a page run)."""
    shown = filter_lines(shared)
    prov = data.provenance(*tables)

    def png() -> bytes:
        from overblik import meetingpack  # kaleido (Chromium) only when someone asks for a picture

        lines = [" · ".join(f"{k}: {v}" for k, v in shown)] if shown else []
        lines += [prov.caption().replace("\\", "")] + ([note] if note else [])
        return meetingpack.chart_png(fig, title, lines, prov.illustrative)

    st.download_button(
        "Hent graf som billede (PNG)",
        png,
        file_slug(" ".join([title, *[v for _, v in shown]])) + ".png",
        "image/png",
        key=f"{key}-png",
        icon=":material/image:",
    )


def chart(
    fig: go.Figure,
    table: pd.DataFrame,
    *,
    tables: tuple[str, ...],
    shared: tuple[str, ...],
    key: str,
    title: str = "",
    column_config: dict | None = None,
    note: str = "",
    takeaway: str = "",
    on_select="ignore",
    selection_mode=("points", "box", "lasso"),
):
    """A chart with its source and data date under it, its numbers as a table, and downloads (the
    last two behind "Vis tal", built only when opened).

    `takeaway` is one plain-text sentence of what the chart shows in data terms, computed by the slice
    from the same data ("Udgifterne steg 12,3 % fra 2016 til 2025 i faste priser."): it opens the
    caption under the chart and is part of the chart's accessible name (charts.alt).

    `tables` names the snapshot tables the figure rests on; their provenance decides the caption and
    the illustrative marker, and what the downloads and the picture say they rest on. `shared` names the
    shared filters (filters.KEYS) that change what the table holds: only they are written in the files and
    the picture. `table` is what the user sees and downloads (Danish column names).
    `on_select`/`selection_mode` go to st.plotly_chart (a callback there reads the selection from
    st.session_state[f"{key}-fig"]); returns what st.plotly_chart returns.
    """
    if title:
        st.subheader(title, anchor=False)  # a real heading (h3) under the page's h2 sections
    fig = charts.safe(fig)  # data text shown as text, never as Plotly markup
    # The image download is the button below (title, filters, source, date and marker in the picture),
    # not the toolbar's camera, whose picture would carry none of them.
    removed = list(charts.CONFIG["modeBarButtonsToRemove"])  # type: ignore[call-overload]
    config = {**charts.CONFIG, "modeBarButtonsToRemove": [*removed, "toImage"]}
    event = st.plotly_chart(
        fig,
        config=config,
        key=f"{key}-fig",
        width="stretch",
        on_select=on_select,
        selection_mode=selection_mode,
        theme=None,  # the house template (charts.TEMPLATE) decides the text colours, not Streamlit's faded grey
        alt=charts.alt(title, fig, takeaway),
    )
    source(*tables, note=note, takeaway=takeaway)
    # The table and downloads are drawn only while the expander is open (opening it reruns the page;
    # its state is st.session_state[f"{key}-tal"]): a closed one sends nothing on each run.
    with st.expander("Vis tal som tabel og hent data", key=f"{key}-tal", on_change="rerun") as numbers:
        if numbers.open:
            dataframe(table, hide_index=True, column_config=column_config, width="stretch")
            downloads(table, title or key, key, tables=tables, shared=shared)
            _png_button(fig, title or key, key, tables, shared, note)
    return event


def fragment(func):
    """st.fragment for a part of a page with its own controls: changing one of them reruns only this
    part (a few elements instead of the whole page), against the snapshot of the page run that drew it
    (one snapshot per page, even if a new one is published meanwhile). Widgets bound to the URL
    (bind="query-params") keep working inside it. Call it with the values it needs from the page."""

    @st.fragment
    @functools.wraps(func)
    def part(sid: str, *args, **kwargs):
        db.pin(sid)
        return func(*args, **kwargs)

    @functools.wraps(func)
    def call(*args, **kwargs):
        return part(db.snapshot_id(), *args, **kwargs)

    return call


def row():
    """A row of equal-width elements (metrics, widgets) as ONE horizontal block: st.columns(n) sends
    n + 1 blocks on every run. Wraps into rows on a narrow screen like the columns do (STYLE)."""
    return st.container(horizontal=True, gap="small")


def kept_notice(name: str, text: str, discard: str | None, on_discard=None, args: tuple = ()) -> None:
    """The line over an editor's table or form drawn again from unsaved edits kept from earlier in the session
    (opdater: editing, form), with the button `discard` that throws them away (none when None). Keys
    `{name}-draft-notice` and `{name}-discard`."""
    with st.container(key=f"{name}-draft-notice"):
        st.info(fmt.md(text), icon=":material/edit_note:")
        if discard:
            st.button(discard, key=f"{name}-discard", on_click=on_discard, args=args, icon=":material/delete:")


def metric(
    label: str,
    value: str,
    delta: str | None = None,
    help: str = "",
    delta_color: str = "normal",
    illustrative: bool = False,
    delta_arrow: str = "auto",
) -> None:
    """st.metric in the house style. fmt writes negative numbers with a real minus sign ('−2,1 %'),
    which st.metric does not read as negative: the arrow is derived from the text here."""
    if delta_arrow == "auto" and delta and str(delta).lstrip().startswith(fmt.MINUS):
        delta_arrow = "down"
        # st.metric cannot see the sign either, so it would colour the change as a rise
        delta_color = {"normal": "red", "inverse": "green"}.get(delta_color, delta_color)
    st.metric(
        label,
        value,
        delta=delta,
        help=help,
        delta_color=delta_color,  # type: ignore[arg-type]  # one of st.metric's names, passed on
        border=True,
        delta_arrow=delta_arrow,  # type: ignore[arg-type]
    )
    if illustrative:
        illustrative_marker()


_numeric: dict[tuple, list] = {}  # (columns, dtypes) -> the numeric columns (select_dtypes is slow)
_numeric_lock = threading.Lock()


def number_columns(df: pd.DataFrame, skip: tuple[str, ...] = fmt.YEAR_COLUMNS) -> dict:
    """st.column_config giving every numeric column of `df` (but `skip`) the 'localized' format, which
    ui.dataframe (danish_table) shows as '1.234,5' in any browser."""
    key = (tuple(df.columns), tuple(map(str, df.dtypes)))
    with _numeric_lock:
        numeric = _numeric.get(key)
    if numeric is None:
        numeric = list(df.select_dtypes("number").columns)
        with _numeric_lock:
            if len(_numeric) > 1000:
                _numeric.clear()
            _numeric[key] = numeric
    return {c: st.column_config.NumberColumn(c, format="localized") for c in numeric if c not in skip}


class Col(NamedTuple):
    """How a grid shows one column (grid_columns): a short header (the table's own name, in the downloads, goes
    into `help`), a width in pixels, and `right` for numbers (right-aligned)."""

    label: str
    width: int
    help: str = ""
    right: bool = False


def grid_columns(columns: dict) -> dict:
    """st.column_config for a grid from {column: Col}: a short header with the column's full name in its help, a
    fixed width, numbers right-aligned. A numeric column is shown as Danish text by dataframe (danish_table)."""
    out = {}
    for c, spec in columns.items():
        col = Col(*spec)
        out[c] = st.column_config.TextColumn(
            col.label,
            width=col.width,
            help=col.help or None,
            alignment="right" if col.right else "left",
        )
    return out


def meeting_pack_button(make, file_name: str, key: str) -> None:
    """'Hent mødepakke (PDF)': the pack is made when the button is clicked (`make(base_url)` returns the
    bytes). The app's address is read now, in the page's run: the click's callable runs without it."""
    url = app_url()
    st.download_button(
        "Hent mødepakke (PDF)",
        lambda: make(url),
        file_name,
        "application/pdf",
        key=key,
        icon=":material/picture_as_pdf:",
        help="Et bilag til dagsordenen: forside med link og QR-kode, Overbliks tal og grafer, hvad der er "
        "ændret siden mødet, nøglegrafer og tabeller fra de fire sider og kilderne. Tager et par sekunder.",
    )


def app_url() -> str | None:
    """The address the browser used to reach the app ('http://host:port'), for links in the pack."""
    try:
        url = st.context.url
    except Exception:
        return None
    m = re.match(r"^(https?://[^/?#]+)", url or "")
    return m.group(1) if m else None


def link_values(key: str, labels) -> list[str]:
    """The values a link (the URL) gives the widget `key` that match none of its `labels`: Streamlit drops
    them silently. Call it before the widget is drawn, and show the result with link_notice after it."""
    return fmt.invalid_choice(st.query_params.get_all(key), labels)


def link_notice(bad: list[str], what: str, instead: str) -> None:
    """A quiet note under a widget whose link value could not be used: '⚠ Linket havde et initiativ, som
    ikke findes her: P9-99. Siden viser i stedet det første initiativ.' The values are shown as text."""
    if bad:
        values = ", ".join(fmt.md(fmt.shorten(b, 80)) for b in bad)
        st.caption(f"⚠ Linket havde {what}, som ikke findes her: {values}. {instead}")


def table(
    df: pd.DataFrame,
    name: str,
    key: str,
    about: tuple[tuple[str, str], ...] = (),
    *,
    tables: tuple[str, ...],
    shared: tuple[str, ...],
    text: bool = False,
    grid: pd.DataFrame | None = None,
    columns: dict | None = None,
    height: int | str = "auto",
    full: bool = False,
    units: dict[str, str] | None = None,
) -> None:
    """A table with its CSV/XLSX downloads (`about`, `tables` and `shared` as in downloads); with `text`, a
    table of texts shown whole (text_table, with the numbers' `units`) instead of a grid. `grid`: what the grid
    (or text table) shows instead of `df` (the downloads keep `df`); `columns`: its columns' header, width,
    help and alignment (grid_columns); `height` the grid's. With `full` (the grid leaves some of `df`'s columns
    out), the expander shows the whole `df` too, 'Vis alle kolonner og hent data' (drawn only while it is open)."""
    shown = df if grid is None else grid
    if text:
        text_table(shown, units=units)
    else:
        config = grid_columns(columns) if columns else None
        dataframe(shown, config, hide_index=True, width="stretch", placeholder=fmt.MISSING, height=height)
    if not full:
        with st.expander("Hent data"):
            downloads(df, name, key, about, tables=tables, shared=shared)
        return
    with st.expander("Vis alle kolonner og hent data", key=f"{key}-alle", on_change="rerun") as whole:
        if whole.open:
            dataframe(df, number_columns(df), hide_index=True, width="stretch", placeholder=fmt.MISSING)
            downloads(df, name, key, about, tables=tables, shared=shared)


PRINT_CSS = """<style>
@media print {
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], .modebar-container { display: none !important; }
  [data-testid="stAppViewContainer"], [data-testid="stMain"], [data-testid="stMainBlockContainer"] {
      margin: 0 !important; padding: 0.5rem !important; max-width: 100% !important; width: 100% !important;
      overflow: visible !important; position: static !important; }
  [data-testid="stPlotlyChart"], .js-plotly-plot, .plot-container { max-width: 100% !important;
      height: auto !important; break-inside: avoid; }
  /* A chart is drawn for the screen's width; on paper it is scaled to the page (see PRINT_JS). */
  .svg-container[data-print-fit] { width: 100% !important; height: auto !important;
      aspect-ratio: var(--print-ratio); }
  .svg-container[data-print-fit] > svg.main-svg { width: 100% !important; height: 100% !important; }
  /* columns side by side as on the screen (Streamlit stacks them on narrow media) */
  [data-testid="stHorizontalBlock"] { flex-wrap: nowrap !important; }
  [data-testid="stColumn"] { min-width: 0 !important; }
  h1, h2, h3 { break-after: avoid; position: static !important; white-space: normal !important; }
  [data-testid="stExpander"], [data-testid="stPopover"], [data-testid="stDownloadButton"] { display: none !important; }
}
</style>"""

# Plotly draws a chart's SVG layers at the pixel size of the screen; a page is narrower. Just before
# printing (and while print is emulated) each layer gets a viewBox of its own size, so the stylesheet
# above can scale the whole chart (vector, text included) to the page's width, whatever the paper; the
# viewBoxes go again after printing. Added once per browser tab. Overblik's small charts (at most half
# a screen wide, narrower than a page) are left as drawn: in Chromium's print of those columns the
# scaled layers were drawn too large or not at all.
PRINT_JS = """<script>
(() => {
  if (window.__overblikPrintFit) return;
  window.__overblikPrintFit = true;
  const set = (el, name, value) => { if (el.getAttribute(name) !== value) el.setAttribute(name, value); };
  const fit = () => {
    for (const c of document.querySelectorAll('.js-plotly-plot .svg-container')) {
      if (c.closest('.st-key-ov-charts')) continue;  // Overblik's small charts are drawn narrower than a page
      const first = c.querySelector(':scope > svg.main-svg');  // its size in px (a responsive chart's
      const w = first && +first.getAttribute('width'), h = first && +first.getAttribute('height');  // box is 100 %)
      if (!(w > 0 && h > 0)) continue;
      if (c.style.getPropertyValue('--print-ratio') !== w + ' / ' + h) c.style.setProperty('--print-ratio', w + ' / ' + h);
      for (const s of c.querySelectorAll(':scope > svg.main-svg')) {
        set(s, 'viewBox', '0 0 ' + s.getAttribute('width') + ' ' + s.getAttribute('height'));
        set(s, 'preserveAspectRatio', 'xMinYMin meet');
      }
      set(c, 'data-print-fit', '');
    }
  };
  // While the page is printed, a chart Plotly draws again (a new size) is fitted again.
  const watch = new MutationObserver(fit);
  const start = () => {
    fit();
    watch.observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ['width', 'height', 'style']});
  };
  const stop = () => {
    watch.disconnect();
    for (const c of document.querySelectorAll('.svg-container[data-print-fit]')) {
      c.removeAttribute('data-print-fit');
      for (const s of c.querySelectorAll(':scope > svg.main-svg')) s.removeAttribute('viewBox');
    }
  };
  window.addEventListener('beforeprint', start);
  window.addEventListener('afterprint', stop);
  window.matchMedia('print').addEventListener('change', (e) => (e.matches ? start() : stop()));
})();
</script>"""


def print_css() -> None:
    """The print stylesheet (Ctrl+P): no sidebar or toolbars, charts scaled to the page width (style()
    sends both with the shared stylesheet on every page)."""
    st.html(PRINT_CSS)
    st.html(PRINT_JS, unsafe_allow_javascript=True, width="content")
