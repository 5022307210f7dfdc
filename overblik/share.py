"""'Del link': the exact link of the view a reader sees, and one Danish sentence saying what it reopens.

Every filter is bound to the URL (bind="query-params"), so the view is the page's address and its query
parameters. The link is built from the address the browser used (st.context.url: scheme, host and the
page's path) and this run's query parameters (st.query_params) in the order the URL has them, written as the
browser writes them (urlencode: a space as '+', anything but letters, digits and '-._~' percent-encoded, a
repeated key once per value), so the link is the address bar's text. The sentence names the filters in
words from the same parameters. Drawn by ui.share_link; the functions here are pure.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterable

from overblik import filters, fmt

# How a page's own choice reads in the sentence, by its URL key, from the value as the widget shows it (and
# the URL holds it; several values as 'a, b og c'). A key not listed reads 'key: value'.
CHOICES = {
    # Udgifter
    "priser": lambda v: f"{v.lower()} priser",
    "visning": lambda v: f"visning {v.lower()}",
    "opdeling": lambda v: f"opdelt på {v.lower()}",
    # Kapacitet
    "maalgruppe": lambda v: "alle målgrupper" if v == "Alle" else f"målgruppe {v}",
    "indberetning": lambda v: f"indberetningen for {v}",
    "driftsherre": lambda v: f"driftsherre {v}",
    "flag": lambda v: f"tilbudslisten »{v}«",
    "tilbud": lambda v: f"udviklingen for tilbuddet {v}",
    # Centrale udmeldinger
    "status": lambda v: f"tidslinjen »{v}«",
    # Handlingsplan
    "princip": lambda v: f"princip {v}",
    "initiativstatus": lambda v: f"status {v.lower()}",
    "ansvarlig": lambda v: f"ansvarlig {v}",
    "initiativ": lambda v: f"initiativet {v}",
    # Overblik, Handlingsplan, Siden sidste møde
    "siden": lambda v: f"ændringer siden mødet {v}",
}


def pairs(params) -> list[tuple[str, str]]:
    """(key, value) of st.query_params (or a mapping like it, with get_all) in the order the URL has them,
    a repeated key once per value."""
    return [(k, v) for k in params for v in params.get_all(k)]


def link(page_url: str | None, query: Iterable[tuple[str, str]]) -> str:
    """The page's address and the query, as the address bar holds it: 'http://host/udgifter?priser=Faste'.
    The front page's address has the path '/' (st.context.url leaves it out). No address known (no browser
    context): the query alone, after the path '/'."""
    base = (page_url or "").split("?", 1)[0].split("#", 1)[0]
    parts = urllib.parse.urlsplit(base)
    if not parts.path:
        base += "/"
    q = urllib.parse.urlencode(list(query))
    return base + (f"?{q}" if q else "")


def _scope(f: filters.Filters) -> str:
    """'hele regionen', 'Aarhus Kommune', 'kommunerne Aarhus og Randers', '5 kommuner (Aarhus, Favrskov,
    Randers og 2 andre)' (shortened as f.scope_label is)."""
    if f.whole_region:
        return "hele regionen"
    if len(f.chosen) == 1:
        return f"{f.scope_label} Kommune"
    if len(f.chosen) <= 3:
        return "kommunerne " + fmt.listing([f.names.get(c, str(c)) for c in f.chosen])
    return f"{len(f.chosen)} kommuner ({f.scope_label})"


def _shared(f: filters.Filters, keys: set[str]) -> list[str]:
    """The shared filters in words: the period (one the URL leaves out is the whole period, which grows with
    the data: said so), the municipalities, the area when one is chosen."""
    period = f"perioden {f.period_label}" if filters.YEARS_KEY in keys else f"hele perioden (nu {f.period_label})"
    return [period, _scope(f)] + ([f"området {f.area_label}"] if f.area_key != "alle" else [])


def _carried(f: filters.Filters, keys: set[str]) -> list[str]:
    """The shared filters the URL holds, in words (on a page they do not change)."""
    words = [f"perioden {f.period_label}"] if filters.YEARS_KEY in keys else []
    if filters.MUNICIPALITIES_KEY in keys:
        words.append(_scope(f))
    if filters.AREA_KEY in keys and f.area_key != "alle":
        words.append(f"området {f.area_label}")
    return words


def _choices(query: list[tuple[str, str]]) -> list[str]:
    """The page's own choices in the URL, in its order, one phrase per key (several values: 'a, b og c')."""
    values: dict[str, list[str]] = {}
    for k, v in query:
        if k not in filters.KEYS and v != "":
            values.setdefault(k, []).append(v)
    words = []
    for k, vs in values.items():
        phrase = CHOICES.get(k)
        words.append(phrase(fmt.listing(vs)) if phrase else f"{k}: {fmt.listing(vs)}")
    return words


def sentence(title: str, query: Iterable[tuple[str, str]], f: filters.Filters | None, filtered: bool = True) -> str:
    """'Linket åbner Udgifter med perioden 2019-2025, Aarhus Kommune, faste priser.' Plain text (the values
    are the URL's): show it escaped. `filtered`: the shared filters shape the page, so they are named first; on
    a page they do not change (Centrale udmeldinger, Handlingsplan, Om data) they are named only when the link
    carries them, as coming along."""
    query = list(query)
    keys = {k for k, _ in query}
    own = _choices(query)
    if f is not None and filtered:
        return f"Linket åbner {title} med {', '.join(_shared(f, keys) + own)}."
    text = f"Linket åbner {title}" + (f" med {', '.join(own)}" if own else "")
    carried = _carried(f, keys) if f is not None else []
    if carried:
        text += f"; sidepanelets filtre følger med ({', '.join(carried)}), men ændrer ikke siden"
    return text + "."
