"""Rates (takster) of the offers under the agreement against each agreement period's rate rule.

The rule numbers come from the agreements table (rate_max_yearly_change_pct,
rate_min_reduction_over_period_pct); nothing here knows a percentage. Inputs are plain frames, so the
Udgifter page, the Overblik page and the tests can all use them:

- offer_years: offer_id, year, places, rate_dkk_per_day (optionally name, operator), one row per
  offer and year (queries/udgifter_rates.sql);
- agreements: period, start_year, end_year, rate_rule and the two rule numbers
  (queries/udgifter_agreements.sql).

The rate headline of Udgifter and Overblik is verdict(): the latest rate change up to the period's end
(none if it falls before the period's start), against its year's rule, as a RateVerdict with the
measure's one name, 'Takstændring'.

Choices, stated on the page:
- Rate change of an offer in year t: rate(t) / rate(t-1) - 1, only when the offer has both years.
- The average change in year t: the per-offer changes averaged with the places in year t as weights
  (definitions 'rate_change'). The rate index chains these changes (first year = 100), so offers that
  open or close do not move the curve.
- Rule periods: consecutive agreement periods with the same numeric rule are one takstaftale
  (2019-20 and 2021-22 = "Takstaftale 2019-2022"); periods without numbers have no check.
- The yearly rule applies to every year of the rule period, the first year measured against the
  year before the period.
- The reduction over the period is measured from the baseline: the year before the period if the
  data has it, otherwise the first year of the data (within the period). It is checked once the data
  reaches the period's last year; an offer without a rate in the baseline year or the last year is not
  checked against it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

TOLERANCE_PCT = 1e-9  # only float noise; a rate that rises by 0,01 % has risen
MAX_COL = "rate_max_yearly_change_pct"
MIN_COL = "rate_min_reduction_over_period_pct"


def _number(v) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


@dataclass(frozen=True)
class RulePeriod:
    """One rate rule over one or more consecutive agreement periods."""

    periods: tuple[str, ...]  # agreement periods, e.g. ('2019-20', '2021-22')
    start_year: int
    end_year: int
    max_yearly_change_pct: float | None  # None: no yearly limit
    min_reduction_pct: float | None  # None: no required reduction over the period
    rule_text: str

    @property
    def label(self) -> str:
        """'2019-2022' for merged periods, else the agreement's own label ('2025-26')."""
        return self.periods[0] if len(self.periods) == 1 else f"{self.start_year}-{self.end_year}"

    @property
    def has_rule(self) -> bool:
        return self.max_yearly_change_pct is not None or self.min_reduction_pct is not None

    def covers(self, year: int) -> bool:
        return self.start_year <= year <= self.end_year

    def baseline_year(self, years) -> int | None:
        """The year the reduction over the period is measured from: the year before the period if the
        data has it, otherwise the first year of the data within the period."""
        have = sorted(int(y) for y in set(years))
        if self.start_year - 1 in have:
            return self.start_year - 1
        inside = [y for y in have if self.start_year <= y <= self.end_year]
        return inside[0] if inside else None

    def describe(self) -> str:
        """The rule in short Danish, from the numbers: 'ingen stigning; mindst −2,0 % over perioden'."""
        from overblik import fmt

        bits = []
        if self.max_yearly_change_pct is not None:
            bits.append(
                "ingen stigning pr. år"
                if self.max_yearly_change_pct == 0
                else f"højst {fmt.pct(self.max_yearly_change_pct, signed=True)} pr. år"
            )
        if self.min_reduction_pct is not None:
            bits.append(f"mindst {fmt.pct(-self.min_reduction_pct)} over perioden")
        return "; ".join(bits) if bits else "ingen talregel"

    def sentence(self) -> str:
        """The rule as a clause for the help text, from the numbers: 'taksterne må ikke stige, og de skal
        samlet falde med mindst 2 % over perioden'; without numbers, the agreement's own rule text."""
        mx, mn = self.max_yearly_change_pct, self.min_reduction_pct
        bits = []
        if mx is not None:
            bits.append(
                "taksterne må ikke stige"
                if mx == 0
                else f"taksterne må højst stige {_whole_pct(mx)} om året"
                if mx > 0
                else f"taksterne skal falde med mindst {_whole_pct(-mx)} om året"
            )
        if mn is not None:
            bits.append(
                ("og de skal" if bits else "taksterne skal")
                + f" samlet falde med mindst {_whole_pct(mn)} over perioden"
            )
        if bits:
            return ", ".join(bits)
        return self.rule_text[:1].lower() + self.rule_text[1:]


def _whole_pct(x: float) -> str:
    """'2 %' for whole numbers, '2,5 %' otherwise."""
    from overblik import fmt

    return fmt.pct(x, 0 if float(x).is_integer() else 1)


def rule_periods(agreements: pd.DataFrame) -> list[RulePeriod]:
    """The agreement periods as rule periods, merging consecutive periods with the same numeric rule."""
    out: list[RulePeriod] = []
    for row in agreements.sort_values("start_year").itertuples(index=False):
        mx, mn = _number(getattr(row, MAX_COL)), _number(getattr(row, MIN_COL))
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.has_rule
            and prev.end_year + 1 == int(row.start_year)
            and (prev.max_yearly_change_pct, prev.min_reduction_pct) == (mx, mn)
        ):
            out[-1] = RulePeriod(
                (*prev.periods, str(row.period)), prev.start_year, int(row.end_year), mx, mn, prev.rule_text
            )
        else:
            out.append(
                RulePeriod((str(row.period),), int(row.start_year), int(row.end_year), mx, mn, str(row.rate_rule))
            )
    return out


def period_of(year: int, periods: list[RulePeriod]) -> RulePeriod | None:
    return next((p for p in periods if p.covers(int(year))), None)


def offer_changes(offer_years: pd.DataFrame) -> pd.DataFrame:
    """Per offer and year: the rate, the year before's rate and the change in %, where the offer has both."""
    df = offer_years.sort_values(["offer_id", "year"]).copy()
    prev = df[["offer_id", "year", "rate_dkk_per_day"]].rename(columns={"rate_dkk_per_day": "rate_before"})
    prev["year"] = prev["year"] + 1
    df = df.merge(prev, on=["offer_id", "year"], how="inner")
    df = df[df["rate_before"] > 0]
    df["change_pct"] = (df["rate_dkk_per_day"] / df["rate_before"] - 1) * 100
    return df.reset_index(drop=True)


def average_change(offer_years: pd.DataFrame) -> pd.DataFrame:
    """Per year: the places-weighted average rate change from the year before (offers with both years),
    the number of offers compared, and the places-weighted average rate of all offers that year."""
    ch = offer_changes(offer_years)
    ch = ch[ch["places"] > 0]
    ch = ch.assign(w=ch["places"] * ch["change_pct"])
    avg = ch.groupby("year").agg(w=("w", "sum"), places=("places", "sum"), offers=("offer_id", "count"))
    avg["change_pct"] = avg["w"] / avg["places"]
    oy = offer_years[offer_years["places"] > 0]
    level = (
        oy.assign(pr=oy["places"] * oy["rate_dkk_per_day"])
        .groupby("year")
        .agg(pr=("pr", "sum"), all_places=("places", "sum"))
    )
    level["avg_rate"] = level["pr"] / level["all_places"]
    out = level[["avg_rate"]].join(avg[["change_pct", "offers"]], how="left")
    out["offers"] = out["offers"].fillna(0).astype(int)
    return out.reset_index().sort_values("year", ignore_index=True)


def rate_index(offer_years: pd.DataFrame) -> pd.DataFrame:
    """The rate index: first year = 100, chained with the average change of each following year.

    Columns: year, index, change_pct, offers, avg_rate. A year without a comparable year before it
    (a gap in the data) keeps the level of the year before.
    """
    df = average_change(offer_years)
    level, values = 100.0, []
    for i, ch in enumerate(df["change_pct"]):
        if i > 0 and pd.notna(ch):
            level *= 1 + ch / 100
        values.append(level)
    df["index"] = values
    return df[["year", "index", "change_pct", "offers", "avg_rate"]]


def _rule_label(p: RulePeriod, kind: str) -> str:
    from overblik import fmt

    if kind == "yearly":
        limit = (
            "ingen stigning"
            if p.max_yearly_change_pct == 0
            else f"højst {fmt.pct(p.max_yearly_change_pct, signed=True)} pr. år"
        )
        return f"Steg fra året før ({p.label}: {limit})"
    return f"Faldt under {fmt.pct(p.min_reduction_pct)} over {p.label} (krav: mindst {fmt.pct(-p.min_reduction_pct)})"


BREACH_COLUMNS = ["offer_id", "name", "operator", "year", "change_pct", "rule", "period", "kind", "from_year"]


def breaches(offer_years: pd.DataFrame, agreements: pd.DataFrame) -> pd.DataFrame:
    """Every offer that broke its period's rule: a yearly change above the limit (kind 'yearly'), or a
    change over a finished period above minus the required reduction (kind 'period').

    Columns: offer_id, name, operator, year (the year of the rise, or the period's last year),
    change_pct, rule (Danish), period (label), kind, from_year (the year the change is measured from).
    """
    periods = rule_periods(agreements)
    info = offer_years.drop_duplicates("offer_id").set_index("offer_id")
    names = info["name"] if "name" in info else pd.Series(dtype=object)
    operators = info["operator"] if "operator" in info else pd.Series(dtype=object)
    rows: list[dict] = []
    changes = offer_changes(offer_years)
    for p in periods:
        if p.max_yearly_change_pct is not None:
            hit = changes[
                changes["year"].between(p.start_year, p.end_year)
                & (changes["change_pct"] > p.max_yearly_change_pct + TOLERANCE_PCT)
            ]
            for r in hit.itertuples(index=False):
                rows.append(
                    {
                        "offer_id": r.offer_id,
                        "year": int(r.year),
                        "change_pct": float(r.change_pct),
                        "rule": _rule_label(p, "yearly"),
                        "period": p.label,
                        "kind": "yearly",
                        "from_year": int(r.year) - 1,
                    }
                )
        if p.min_reduction_pct is not None:
            years = set(offer_years["year"].astype(int))
            base = p.baseline_year(years)
            if base is None or max(years) < p.end_year or base >= p.end_year:
                continue  # not finished (or nothing to measure from): no verdict yet
            rate = offer_years.set_index(["offer_id", "year"])["rate_dkk_per_day"]
            start = rate.xs(base, level="year")
            end = rate.xs(p.end_year, level="year")
            both = start.index.intersection(end.index)
            both = [o for o in both if start[o] > 0]
            for o in both:
                ch = (end[o] / start[o] - 1) * 100
                if ch > -p.min_reduction_pct + TOLERANCE_PCT:
                    rows.append(
                        {
                            "offer_id": o,
                            "year": p.end_year,
                            "change_pct": float(ch),
                            "rule": _rule_label(p, "period"),
                            "period": p.label,
                            "kind": "period",
                            "from_year": base,
                        }
                    )
    out = pd.DataFrame(rows, columns=[c for c in BREACH_COLUMNS if c not in ("name", "operator")])
    out.insert(1, "name", out["offer_id"].map(names))
    out.insert(2, "operator", out["offer_id"].map(operators))
    return out.sort_values(["year", "change_pct"], ascending=[False, False], ignore_index=True)


def yearly_status(offer_years: pd.DataFrame, agreements: pd.DataFrame) -> pd.DataFrame:
    """Per year: the average change (places-weighted), the rule period and whether it is within the
    yearly rule (True/False; None where the year has no yearly rule or no change)."""
    periods = rule_periods(agreements)
    idx = rate_index(offer_years)
    rows = []
    for r in idx.itertuples(index=False):
        p = period_of(r.year, periods)
        limit = p.max_yearly_change_pct if p else None
        within = None
        if limit is not None and pd.notna(r.change_pct):
            within = bool(r.change_pct <= limit + TOLERANCE_PCT)
        rows.append(
            {
                "year": int(r.year),
                "index": r.index,
                "change_pct": r.change_pct,
                "offers": r.offers,
                "avg_rate": r.avg_rate,
                "period": p.label if p else None,
                "rule": p.describe() if p else "ingen aftaleperiode",
                "max_yearly_change_pct": limit,
                "within": within,
            }
        )
    return pd.DataFrame(rows)


def period_status(offer_years: pd.DataFrame, agreements: pd.DataFrame) -> pd.DataFrame:
    """Per rule period with a required reduction: baseline year, the index change from the baseline to
    the last year with data in the period, whether the period is finished, and whether the average met
    the rule (None until the period is finished)."""
    idx = rate_index(offer_years).set_index("year")["index"]
    years = {int(y) for y in idx.index}
    rows = []
    for p in rule_periods(agreements):
        if p.min_reduction_pct is None:
            continue
        base = p.baseline_year(years)
        inside = [y for y in years if p.start_year <= y <= p.end_year]
        if base is None or not inside:
            continue
        last = max(inside)
        change = (idx[last] / idx[base] - 1) * 100
        finished = last == p.end_year and base < p.end_year
        rows.append(
            {
                "period": p.label,
                "baseline_year": base,
                "last_year": last,
                "change_pct": change,
                "min_reduction_pct": p.min_reduction_pct,
                "finished": finished,
                "within": bool(change <= -p.min_reduction_pct + TOLERANCE_PCT) if finished else None,
            }
        )
    return pd.DataFrame(
        rows, columns=["period", "baseline_year", "last_year", "change_pct", "min_reduction_pct", "finished", "within"]
    )


def latest(offer_years: pd.DataFrame, agreements: pd.DataFrame, year: int | None = None) -> dict | None:
    """The average weighted rate change in `year` (default: the latest year with a change) and whether it
    is within that year's rule: {year, change_pct, period, rule, max_yearly_change_pct, within, offers}.
    None when no year has a change. For the headline on Udgifter and Overblik."""
    st = yearly_status(offer_years, agreements)
    st = st[st["change_pct"].notna()]
    if year is not None:
        st = st[st["year"] <= year]
    if st.empty:
        return None
    row = st.iloc[-1]
    return {
        k: (None if (not isinstance(v, (bool, str)) and v is not None and pd.isna(v)) else v)
        for k, v in row.to_dict().items()
    }


RATE_NAME = "Takstændring"  # the measure's one Danish name (definitions 'rate_change')
NO_RATE_CHANGE = "Ingen takstændring i perioden"


@dataclass(frozen=True)
class RateVerdict:
    """The latest rate change against its period's rule: the rate headline of Udgifter and Overblik."""

    year: int
    change_pct: float  # places-weighted average change from the year before, %
    period: str | None  # the rule period's label ('2025-26', '2019-2022'); None outside every period
    rule: str  # the rule in short Danish (RulePeriod.describe)
    within: bool | None  # None: the period has no yearly rule

    @property
    def label(self) -> str:
        return f"{RATE_NAME} {self.year}"

    @property
    def value(self) -> str:
        from overblik import fmt

        return fmt.pct(self.change_pct, signed=True)

    @property
    def verdict(self) -> str:
        """'✓ Inden for reglen', '✕ Over reglen' or 'Ingen talregel'."""
        if self.within is None:
            return "Ingen talregel"
        return "✓ Inden for reglen" if self.within else "✕ Over reglen"

    @property
    def colour(self) -> str:
        """The metric's delta colour; the verdict is never colour alone (✓/✕ and words)."""
        return {True: "green", False: "red"}.get(self.within, "gray")

    @property
    def delta(self) -> str:
        """The verdict with its period, for a metric whose help states the rule: '✓ Inden for reglen 2025-26'."""
        return f"{self.verdict} {self.period or ''}".strip()

    @property
    def delta_with_rule(self) -> str:
        """The verdict with the rule written out: '✓ inden for reglen (2025-26: ingen stigning pr. år)',
        'Ingen talregel for 2023-24' or 'Ingen aftaleperiode for året'."""
        if self.period is None:
            return "Ingen aftaleperiode for året"
        if self.within is None:
            return f"Ingen talregel for {self.period}"
        return f"{'✓ inden for' if self.within else '✕ over'} reglen ({self.period}: {self.rule})"


def verdict(offer_years: pd.DataFrame, agreements: pd.DataFrame, year_from: int, year_to: int) -> RateVerdict | None:
    """The rate headline for the period filter year_from-year_to: the latest year up to year_to with a
    rate change, against that year's rule; None when there is none in the period (the one year rule)."""
    now = latest(offer_years, agreements, year=year_to) if len(offer_years) else None
    if now is None or now["year"] < year_from:
        return None
    return RateVerdict(
        year=int(now["year"]),
        change_pct=float(now["change_pct"]),
        period=now["period"],
        rule=now["rule"],
        within=now["within"],
    )
