"""AppTest helpers: open the "Vis tal" expanders and popovers, find a page's table by a column it has, and
a metric by its label."""

from __future__ import annotations

import re
import urllib.parse

import pandas as pd
from streamlit.runtime.state.common import user_key_from_element_id

# A number as ui.dataframe shows it ('1.234,5', '−3', '–' for missing): tables show Danish text
# whatever the browser's language (issue 16); tests read the numbers back from what is shown.
_DANISH = re.compile(r"^[−-]?\d{1,3}(?:\.\d{3})*(?:,\d+)?$")


def _missing(v) -> bool:
    return v is None or v is pd.NA or v == "–" or (isinstance(v, float) and v != v)


def _number(text):
    if _missing(text):
        return float("nan")
    return float(text.replace(".", "").replace(",", ".").replace("−", "-"))


def shown(element) -> pd.DataFrame:
    """An AppTest dataframe's value with the columns shown as Danish numbers read back as numbers."""
    df = element.value.copy()
    for c in df.columns:
        if df[c].dtype != object and not pd.api.types.is_string_dtype(df[c]):
            continue
        texts = [v for v in df[c] if not _missing(v)]
        if texts and all(isinstance(v, str) and _DANISH.match(v) for v in texts):
            df[c] = [_number(v) for v in df[c]]
    return df


def numbers_keys(at) -> list[str]:
    """The session-state keys of the "Vis tal" expanders and popovers on the page as last run (ui.chart and
    ui.numbers_popover key them f"{key}-tal"; a keyed expander's or popover's element id ends with its key)."""
    keys = [user_key_from_element_id(b.proto.id) for b in [*at.get("expander"), *at.get("popover")] if b.proto.id]
    return [k for k in keys if k and k.endswith("-tal")]


def open_numbers(at):
    """Open every "Vis tal" expander and popover, as a reader clicking them does (each opening reruns the
    page; here one rerun opens them all), and return the AppTest. They stay open on later runs."""
    keys = numbers_keys(at)
    assert keys, "no 'Vis tal' on the page"
    for key in keys:
        at.session_state[key] = True
    return at.run()


# ui.text_table's cells are markdown: escaped text (fmt.md), short cells with no-break spaces and hyphens, and
# links named by their host. Read back as the reader sees the text; a link as its address.
_LINK = re.compile(r"^\[(?:[^\]\\]|\\.)*\]\((.*)\)$")
_ESCAPED = re.compile(r"\\(.)")


def plain(cell: str) -> str:
    """One ui.text_table cell as the reader reads it (a link: its address)."""
    link = _LINK.match(cell)
    if link:
        return urllib.parse.unquote(link.group(1))
    text = _ESCAPED.sub(r"\1", cell).replace("\u2060", "")
    return text.replace("\u00a0", " ").replace("\u2011", "-")


def text_tables(at) -> list[pd.DataFrame]:
    """Every ui.text_table (st.table) on the page, its cells and column names as plain text."""
    return [pd.DataFrame({plain(c): [plain(v) for v in t.value[c]] for c in t.value.columns}) for t in at.table]


def table(at, column: str):
    """The value of the first table on an AppTest page that has `column` (a dataframe, or a text table
    read as plain text)."""
    for df in at.dataframe:
        if column in df.value.columns:
            return shown(df)
    for t in text_tables(at):
        if column in t.columns:
            return t
    raise AssertionError(f"no table with column {column!r}")


def metric(at, label: str) -> str:
    """The value of the metric with this label on an AppTest page."""
    return next(m.value for m in at.metric if m.label == label)
