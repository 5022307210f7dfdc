"""Fixed prices: which years the price index can deflate. One rule for every place that deflates
(udgifter.to_fixed and so the Udgifter page, the Overblik page's spending block, the cost curve and the
other regions) and for the warning at validate/publish (overblik/ingest.py).

A year has an index when the price_index table has a row for it with an index above 0. Spending of a
year without one has no fixed-price value (udgifter.to_fixed gives NaN, never a silent 1): the year is
left out of every fixed-price figure. It must never vanish silently, so:
- validate/publish warns (`warnings`), naming the table, the years and the consequence;
- where the reader sees fixed prices and such a year is left out, the page says so (`note`);
- a fixed-price headline number is for the latest accounts year WITH an index (`latest_indexed`), and says
  which year it is and why (`skipped_remark`, `skipped_help`), instead of showing '–' for the latest year.

Plain pandas, no Streamlit, so ingest can use it without the pages' imports.
"""

from __future__ import annotations

import pandas as pd

KINDS = ("regnskab", "budget")  # schema.SPENDING_KINDS, in the order the texts name them
KIND_LABEL = {"regnskab": "Regnskab", "budget": "Budget"}


def index_by_year(price_index: pd.DataFrame) -> pd.Series:
    """The usable index per year (int year -> float index): rows with an index above 0."""
    if price_index is None or price_index.empty:
        return pd.Series(dtype=float)
    idx = pd.Series(
        pd.to_numeric(price_index["index"], errors="coerce").astype(float).to_numpy(),
        index=pd.Index(price_index["year"].astype(int).to_numpy(), name="year"),
    )
    return idx[idx.notna() & (idx > 0)].sort_index()


def unindexed(spending: pd.DataFrame, price_index: pd.DataFrame) -> dict[str, list[int]]:
    """{kind: sorted years} of the spending rows (year, kind) whose year the index lacks: the years that
    fixed prices leave out. Empty when every year has an index (or there is no spending)."""
    if spending is None or spending.empty:
        return {}
    have = set(index_by_year(price_index).index)
    out: dict[str, list[int]] = {}
    pairs = spending[["kind", "year"]].dropna().drop_duplicates()
    for kind, year in sorted(((str(k), int(y)) for k, y in pairs.itertuples(index=False)), key=lambda r: r[1]):
        if year not in have:
            out.setdefault(kind, []).append(year)
    return {k: out[k] for k in (*KINDS, *sorted(set(out) - set(KINDS))) if k in out}


def _years(years: list[int]) -> str:
    from overblik import fmt

    return fmt.listing([str(y) for y in years])


def warnings(missing: dict[str, list[int]]) -> list[str]:
    """The Danish warnings at validate/publish, one per kind: 'Udgifter for 2027 (budget) har intet
    prisindeks i price_index; året vises ikke i faste priser, før indekset er tilføjet.'"""
    return [
        f"Udgifter for {_years(ys)} ({kind}) har intet prisindeks i price_index; "
        f"{'året vises' if len(ys) == 1 else 'årene vises'} ikke i faste priser, før indekset er tilføjet."
        for kind, ys in missing.items()
    ]


def note(missing: dict[str, list[int]]) -> str:
    """The reader's note where fixed prices leave years out: 'Budget 2027 vises ikke i faste priser, fordi
    pris- og lønindekset (tabellen Prisindeks) mangler for 2027.' ('' when nothing is left out)."""
    if not missing:
        return ""
    parts = [f"{KIND_LABEL.get(k, k.capitalize())} {_years(ys)}" for k, ys in missing.items()]
    parts = [parts[0]] + [p[0].lower() + p[1:] for p in parts[1:]]
    years = sorted({y for ys in missing.values() for y in ys})
    return (
        f"{' og '.join(parts)} vises ikke i faste priser, fordi pris- og lønindekset (tabellen Prisindeks) mangler "
        f"for {_years(years)}."
    )


def latest_indexed(years, price_index: pd.DataFrame) -> tuple[int | None, list[int]]:
    """(the latest of `years` the index can deflate, the later years it cannot): the year a fixed-price
    headline number is for, and the accounts years it skips for want of an index. (None, years) when no
    year has an index."""
    have = set(index_by_year(price_index).index)
    ys = sorted(int(y) for y in years)
    ok = [y for y in ys if y in have]
    latest = ok[-1] if ok else None
    return latest, [y for y in ys if latest is None or y > latest]


def skipped_remark(skipped) -> str:
    """The remark wherever a fixed-price headline number or sentence is for an earlier year than the latest
    accounts year, for want of a price index: 'prisindeks mangler for 2025' ('' when nothing is skipped). The
    one wording: beside the numbers on Udgifter and Overblik, and in their key sentences (in_year; Overblik's
    'i 2024 (faste priser; prisindeks mangler for 2025)'). It names the year the reader looks for and why it
    is not there."""
    return f"prisindeks mangler for {_years(list(skipped))}" if skipped else ""


def in_year(year: int, skipped) -> str:
    """How a sentence about a fixed-price headline year opens: 'I 2025', or 'I 2024 (prisindeks mangler for
    2025)' when it skips later accounts years (latest_indexed; skipped_remark)."""
    return f"I {year}" + (f" ({skipped_remark(skipped)})" if skipped else "")


def skipped_help(year: int, skipped: list[int]) -> str:
    """The headline number's help when it skips the latest accounts years: 'Tallet er for 2024, det seneste
    regnskabsår med prisindeks: regnskab 2025 kan først vises i faste priser, når pris- og lønindekset for
    2025 er tilføjet (tabellen Prisindeks).' ('' when nothing is skipped)."""
    if not skipped:
        return ""
    return (
        f"Tallet er for {year}, det seneste regnskabsår med prisindeks: regnskab {_years(skipped)} kan først vises i "
        f"faste priser, når pris- og lønindekset for {_years(skipped)} er tilføjet (tabellen Prisindeks)."
    )
