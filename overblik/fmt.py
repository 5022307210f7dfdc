"""Danish formatting of numbers, money, percentages and dates: "1.234,5 mio. kr.", "23. nov. 2026".

Every figure a user reads goes through here. Missing values read "–".
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
import urllib.parse

import numpy as np
import pandas as pd
from babel.dates import format_date
from babel.numbers import format_decimal

from overblik import clock
from overblik.schema import missing as _missing

LOCALE = "da_DK"
MISSING = "–"
MINUS = "−"  # a real minus sign reads better than a hyphen


def _pattern(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def number(x, decimals: int = 0, signed: bool = False) -> str:
    """1234.5 -> '1.235'; number(1234.5, 1) -> '1.234,5'; signed adds '+'."""
    if _missing(x):
        return MISSING
    x = float(x)
    if math.isinf(x):
        return MISSING
    text = format_decimal(abs(x), format=_pattern(decimals), locale=LOCALE)
    if round(abs(x), decimals) == 0:
        return text
    if x < 0:
        return MINUS + text
    return ("+" + text) if signed else text


YEAR_COLUMNS = ("År",)  # table columns whose numbers are years, shown as they are ('2026', not '2.026')


def column(values) -> list[str]:
    """A table column's numbers as the tables write them: all with as many decimals as the numbers
    were rounded to (0, 1 or 2), so 14.229,0 stands under 14.201,8 and 1.948 beside 1.458."""
    values = np.asarray(values, dtype=float)
    finite = values[~np.isnan(values)]
    decimals = next((d for d in (0, 1) if np.allclose(finite, finite.round(d), rtol=0, atol=1e-9)), 2)
    return [number(x, decimals) for x in values]


def mio_kr(x_1000_dkk, decimals: int = 1, signed: bool = False) -> str:
    """An amount in 1.000 kr. as '1.234,5 mio. kr.'."""
    if _missing(x_1000_dkk):
        return MISSING
    return f"{number(float(x_1000_dkk) / 1000, decimals, signed)} mio. kr."


def kr(x, decimals: int = 0, signed: bool = False) -> str:
    """An amount in kr. as '1.234 kr.'."""
    if _missing(x):
        return MISSING
    return f"{number(x, decimals, signed)} kr."


def pct(x, decimals: int = 1, signed: bool = False) -> str:
    """A percentage (12.3 means 12,3 %) as '12,3 %'."""
    if _missing(x):
        return MISSING
    return f"{number(x, decimals, signed)} %"


def _day(d) -> dt.date:
    """A date, a datetime, a Timestamp or an ISO string as a date."""
    if isinstance(d, str):
        return dt.date.fromisoformat(d[:10])
    if isinstance(d, (pd.Timestamp, dt.datetime)):
        return d.date()
    return d


def date(d) -> str:
    """A date as '23. nov. 2026'."""
    return MISSING if _missing(d) else format_date(_day(d), "d. MMM y", locale=LOCALE)


def moment(ts) -> str:
    """A moment (an ISO string or a Timestamp; naive means UTC, as the manifests write it) in Danish time:
    '29. nov. 2026 kl. 13.01'."""
    local = pd.Timestamp(ts)
    local = (local.tz_localize("UTC") if local.tzinfo is None else local).tz_convert(clock.TZ)
    return f"{date(local.date())} kl. {local:%H.%M}"


def long_date(d) -> str:
    """A date in words with its weekday, as a confirmation repeats it: 'torsdag 10. december 2026'."""
    return MISSING if _missing(d) else format_date(_day(d), "EEEE d. MMMM y", locale=LOCALE)


def pdate(s) -> str:
    """A partial ISO date ('2015', '2015-11', '2015-11-01') at the precision the source gives."""
    if _missing(s):
        return MISSING
    s = str(s)
    if len(s) == 4:
        return s
    if len(s) == 7:
        return format_date(dt.date.fromisoformat(s + "-01"), "MMM y", locale=LOCALE)
    return date(s)


def pdate_start(s) -> dt.date | None:
    """The first day a partial ISO date covers (for sorting and timelines)."""
    if _missing(s):
        return None
    s = str(s)
    return dt.date.fromisoformat(s + "-01-01"[len(s) - 4 :] if len(s) < 10 else s)


def count(n: int, singular: str, plural: str) -> str:
    """'1 initiativ', '3 initiativer'."""
    return f"{number(n)} {singular if n == 1 else plural}"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&=])")
# Streamlit's Markdown turns bare web and e-mail addresses into links even when escaped (GFM autolink
# literals); an invisible word joiner after "http"/"www" and before "@" keeps them text.
_AUTOLINK = re.compile(r"(?i)(https?|www|ftp)(?=\\[:.])|(?=@)")
WORD_JOINER = "\u2060"


# Streamlit draws ':material/warning:' as an icon even with its colons escaped: a word joiner after the colon.
_ICON = re.compile(r"(?i)(?<=:)(?=material/)")
_LINE_BREAKS = re.compile(r"\s*[\r\n\u2028\u2029]+\s*")


def md(text) -> str:
    """Data text made safe to quote inside a markdown sentence: every markdown character escaped (so no
    HTML, entity, image, link, heading, list, colour or icon), line breaks made spaces (a line of '===' under
    a text would make it a heading, four spaces a code block), and addresses not turned into links."""
    if _missing(text):
        return MISSING
    text = _ICON.sub(WORD_JOINER, _LINE_BREAKS.sub(" ", str(text)).strip())
    return _AUTOLINK.sub(lambda m: (m.group(1) or "") + WORD_JOINER, _MD_SPECIAL.sub(r"\\\1", text))


# characters kept in a link's address; any other (spaces, brackets, quotes, < >) is percent-encoded so
# the address cannot end the markdown link early or open markup
_URL_SAFE = ":/?#@!$&*+,;=%-._~"


def web_host(url) -> str | None:
    """The host of an http(s) address without 'www.' ('sbst.dk'), or None for any other text."""
    parts = urllib.parse.urlsplit(str(url).strip()) if not _missing(url) else None
    if not (parts and parts.scheme.lower() in ("http", "https") and parts.netloc):
        return None
    return (parts.hostname or parts.netloc).removeprefix("www.")


def md_link(url, label: str | None = None) -> str:
    """An address as a markdown link named by `label` (markdown, already escaped) or by its host
    ('[sbst.dk](…)'). Only an http(s) address becomes a link; any other is escaped text, and none "–"."""
    host = web_host(url)
    if host is None:
        return md(url)
    return f"[{label or md(host)}]({urllib.parse.quote(str(url).strip(), safe=_URL_SAFE)})"


def shorten(text, limit: int = 48) -> str:
    """Cut a long name at a word boundary: 'Borgere med udviklingshæmning og dom med…'."""
    text = str(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def value(v) -> str:
    """A data value shown to the secretariat, in Danish: 0,955 and 2.840,5 (not 0.955, 2840.5), 15. jan.
    2027; a number keeps the decimals it has (up to four); text is shortened."""
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, numbers.Real):
        decimals = len(repr(float(v)).split(".")[1].rstrip("0")) if "e" not in repr(float(v)) else 2
        return number(v, min(decimals, 4))
    if isinstance(v, (dt.date, pd.Timestamp)):
        return date(v)
    return shorten(str(v), 120)


def invalid_choice(raw: list[str], labels) -> list[str]:
    """The URL values among `raw` that match no widget label (Streamlit drops them silently)."""
    labels = set(labels)
    return [v for v in raw if v not in labels]


def change_sentence(subject: str, y0, y1, v0, v1, tail: str = "", plural: bool = True) -> str | None:
    """A chart's takeaway for a change between two years: 'Udgifterne steg 12,3 % fra 2016 til 2025
    i faste priser.' (`tail` follows the years; `plural` for 'uændrede'/'uændret'). None without two
    years or without a base to compare with."""
    if _missing(v0) or _missing(v1) or y0 is None or y1 is None or y0 == y1 or float(v0) == 0:
        return None
    change = (float(v1) / float(v0) - 1) * 100
    if round(change, 1) == 0:
        return f"{subject} var {'uændrede' if plural else 'uændret'} fra {y0} til {y1}{tail}."
    return f"{subject} {'steg' if change > 0 else 'faldt'} {pct(abs(change))} fra {y0} til {y1}{tail}."


def years(values) -> str:
    """The span of some years: '2018-2026', '2025' for one year, '' for none."""
    ys = [int(y) for y in values]
    if not ys:
        return ""
    a, b = min(ys), max(ys)
    return str(a) if a == b else f"{a}-{b}"


def year_runs(years) -> str:
    """Years as runs, gaps shown: '2016-2020, 2022-2025'; '–' for none (years() gives the span only)."""
    ys = sorted({int(y) for y in years})
    if not ys:
        return MISSING
    runs, start = [], ys[0]
    for prev, nxt in zip(ys, [*ys[1:], 0]):
        if nxt != prev + 1:
            runs.append(str(start) if start == prev else f"{start}-{prev}")
            start = nxt
    return ", ".join(runs)


def listing(items: list[str]) -> str:
    """'a, b og c'."""
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " og " + items[-1] if items else ""
