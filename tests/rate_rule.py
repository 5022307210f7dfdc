"""The agreement's rate rule restated in SQL over the snapshot, for the Udgifter tests (AppTest and browser): every
offer's rate against its rate the year before the agreement period, in fixed prices, and the offers over the rule.
It restates the rule on purpose instead of calling overblik.rates."""

from __future__ import annotations

import pandas as pd

# The years the rule is read in: 2019-2022 (one takstaftale, measured from 2018) and 2025-26 (from 2024); 2023-24
# had no rule and 2027-28 has the common principles instead.
RULE_YEARS = (range(2019, 2023), range(2025, 2027))


def rule_levels(sql, year: int, operator: int | None = None):
    """Every offer's rate in `year` against its rate in the year before `year`'s agreement period, in fixed
    prices (rate / price index), as the agreement's rule reads: (period, baseline, frame of offer_id, places,
    change in %, limit in %). The limit: the allowed change (0: no rise), in the period's last year the
    required reduction if stricter."""
    g = sql(
        "SELECT period, start_year, end_year, rate_max_yearly_change_pct AS mx, "
        "rate_min_reduction_over_period_pct AS mn FROM {agreements} WHERE $y BETWEEN start_year AND end_year",
        {"y": year},
    )
    # consecutive periods with the same numbers are one takstaftale (2019-20 + 2021-22)
    start, end = int(g.start_year[0]), int(g.end_year[0])
    if start in (2019, 2021):
        start, end = 2019, 2022
    base = start - 1
    limit = float(g.mx[0])
    if g.mn[0] == g.mn[0] and year == end:
        limit = min(limit, -float(g.mn[0]))
    where = "AND o.operator_code = $op" if operator else ""
    d = sql(
        f"""
        SELECT a.offer_id, a.places, a.rate_dkk_per_day AS rate,
               ((a.rate_dkk_per_day / pa."index") / (b.rate_dkk_per_day / pb."index") - 1) * 100 AS ch
        FROM {{offer_years}} a
        JOIN {{offer_years}} b ON b.offer_id = a.offer_id AND b.year = $b
        JOIN {{offers}} o ON o.offer_id = a.offer_id
        JOIN {{price_index}} pa ON pa.year = a.year
        JOIN {{price_index}} pb ON pb.year = $b
        WHERE o.kind = 'rammeaftale' AND a.year = $y {where}""",
        {"y": year, "b": base, **({"op": operator} if operator else {})},
    )
    d["rose"] = d.ch > float(g.mx[0]) + 1e-9  # over the allowed rise, not only short of the required fall
    return str(g.period[0]), base, d, limit


def offers_over_rule(sql) -> pd.DataFrame:
    """The offers over the rule, one row per offer and rule period in the latest year it was over: offer_id, name,
    operator, period, year, baseline, change (%), rate (kr., current prices), unit ('dag' for day offers, SEL §§
    103-104, and special schools, FSL; else 'døgn') and rose (over the allowed rise, else short of the fall)."""
    years = sql("SELECT DISTINCT year FROM {offer_years} ORDER BY year").year.tolist()
    rows = []
    for y in years:
        if not any(y in r for r in RULE_YEARS):
            continue
        period, base, d, limit = rule_levels(sql, y)
        over = d[d.ch > limit + 1e-9].assign(year=y, baseline=base, period="2019-2022" if y <= 2022 else period)
        rows.append(over[["offer_id", "period", "year", "baseline", "ch", "rate", "rose"]])
    o = pd.concat(rows).sort_values("year").groupby(["offer_id", "period"]).tail(1)
    names = sql("""
        SELECT o.offer_id, o.name, p.name AS operator,
               CASE WHEN o.legal_basis LIKE 'FSL%' OR regexp_matches(o.legal_basis, '§ ?10[34]') THEN 'dag'
                    ELSE 'døgn' END AS unit
        FROM {offers} o JOIN {operators} p ON p.operator_code = o.operator_code""")
    return o.rename(columns={"ch": "change"}).merge(names, on="offer_id").reset_index(drop=True)
