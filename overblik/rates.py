"""Rates (takster) of the offers under the agreement against each agreement period's rate rule.

The rule numbers and the price basis come from the agreements table (rate_max_yearly_change_pct,
rate_min_reduction_over_period_pct, rate_price_basis); nothing here knows a percentage. Inputs are
plain frames, so the Udgifter page, the Overblik page and the tests can all use them:

- offer_years: offer_id, year, places, rate_dkk_per_day (optionally name, operator, legal_basis), one
  row per offer and year (queries/udgifter_rates.sql);
- agreements: period, start_year, end_year, rate_rule, the two rule numbers and rate_price_basis
  (queries/udgifter_agreements.sql);
- price_index: year, index (queries/udgifter_price_index.sql), for the fixed-price basis.

The reading of the agreement texts (stated on the page):
- "Taksterne kan ikke stige i perioden" (seed 001, 2019-2022; seed 003, 2025-26) is judged against the
  level of the year before the period (the baseline: 2018 for 2019-2022, 2024 for 2025-26), not year
  on year: an offer whose rate in any year of the period lies above its baseline level is over the
  rule, even if it fell from the year before. rate_max_yearly_change_pct is that allowed change from
  the baseline (0 = "kan ikke stige").
- "Taksterne reduceres med minimum 2 pct. i hele perioden" compares the period's last year with the
  baseline.
- The price basis is data (rate_price_basis): 'faste' compares rates deflated with the price index
  (rates are raised with the price and wage index every year), 'løbende' compares nominal rates.
- An offer without a rate in the baseline year (or, in fixed prices, a year the index lacks) cannot be
  judged: 'kan ikke vurderes' with the reason, never a tick.
- The region verdict shows both the places-weighted average change from the baseline and the number
  of offers over the rule.
- Consecutive periods with the same numeric rule are one takstaftale (2019-20 + 2021-22 =
  "Takstaftale 2019-2022"). A period whose rule text names the common principles (2027-28) has no
  number: the follow-up is on the four principles.

The year-on-year development (takstudvikling: offer_changes, average_change, rate_index) is kept for
the management information; it is never the rule check.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

TOLERANCE_PCT = 1e-9  # only float noise; a rate that rises by 0,01 % has risen
MAX_COL = "rate_max_yearly_change_pct"
MIN_COL = "rate_min_reduction_over_period_pct"
BASIS_COL = "rate_price_basis"
PRICE_BASES = ("faste", "løbende")
DEFAULT_BASIS = "faste"
BASIS_LABEL = {"faste": "faste priser (takster renset for pris- og lønudvikling)", "løbende": "løbende priser"}
# Why a rise can be legitimate: seed 001_b80690d77a8c3fab.txt (Styringsaftale, Regulering af over-/underskud).
REGULATION_NOTE = (
    "En stigning kan skyldes den lovpligtige regulering af tidligere års over- og underskud: "
    "»Finansieringsbekendtgørelsen bestemmer, at driftsherre skal indregne tidligere års over- og "
    "underskud i taksterne« (Rammeaftale 2021-22, styringsaftalen)."
)
CARRY_OVER_QUOTE = (
    "»Der er mulighed for at fratrække den del over 3 pct., der blev aftalt i sidste takstaftale periode« "
    "(Rammeaftale 2021-22, takstaftalen 2019-2022). Data viser ikke, hvilke tilbud der har brugt muligheden."
)


@dataclass(frozen=True)
class PrinciplesText:
    """An agreement text that states the common principles, quoted verbatim."""

    source: str  # the agreement it quotes, as the page names it
    rule: str  # the sentence that replaces the rate agreement
    principles: tuple[str, ...]  # the principles, as the text lists them


# The agreement periods whose text on the common principles the dashboard has, by period. Seed
# 000_03aaf58d390a14a2.txt (Rammeaftale 2027-28, draft), "Styring og økonomi" and "De fælles principper".
# No seed states the principles for a later period: principles_note says the latest known ones apply.
PRINCIPLES_TEXTS = {
    "2027-28": PrinciplesText(
        "Rammeaftale 2027-28 (udkast)",
        "takstaftalen erstattes af et nyt styringsredskab i fælles principper for samarbejdet på det "
        "specialiserede socialområde i Midtjylland",
        (
            "Princip 1: Fælles om kontrakter og takster",
            "Princip 2: Fælles om kvalitet",
            "Princip 3: Fælles om tilbud",
            "Princip 4: Fælles om implementering",
        ),
    ),
}
NUMBER_WORDS = {2: "to", 3: "tre", 4: "fire", 5: "fem", 6: "seks"}
PRINCIPLES_FOLLOW_UP = (
    "Taksterne følges derfor op gennem principperne, især Princip 1, og den årlige ledelsesinformation om "
    "takstudvikling: se status for initiativerne på siden Handlingsplan."
)


def principles_note(period: str, start_year: int) -> str:
    """What the page says of a period whose rate rule is the common principles: the text of its own
    agreement, quoted; for a period whose text the dashboard does not have (2029-30), that the latest
    known principles (those of the latest quoted period before it) apply until new ones are published."""
    from overblik import fmt

    def quoted(t: PrinciplesText) -> str:
        return fmt.listing([f"»{x}«" for x in t.principles])

    own = PRINCIPLES_TEXTS.get(period)
    if own is not None:
        return f"{own.source} siger, at »{own.rule}«. Principperne er {quoted(own)}. " + PRINCIPLES_FOLLOW_UP
    known = sorted(PRINCIPLES_TEXTS.items(), key=lambda kv: int(kv[0][:4]))
    before = [kv for kv in known if int(kv[0][:4]) < start_year] or known
    latest = before[-1][1]
    return (
        f"Dashboardet har endnu ingen aftaletekst for {period}. Indtil nye principper er offentliggjort, anvender "
        f"dashboardet de senest kendte: de {NUMBER_WORDS.get(len(latest.principles), len(latest.principles))} fælles "
        f"principper i {latest.source}, "
        f"{quoted(latest)}. " + PRINCIPLES_FOLLOW_UP.replace("derfor ", "")
    )


def rate_unit(legal_basis) -> str:
    """What a rate is per: 'døgn' for residential offers, 'dag' for day offers (SEL §§ 103-104) and special
    schools (FSL), whose rates are per day of attendance, not per døgn."""
    b = str(legal_basis or "")
    return "dag" if b.startswith("FSL") or any(x in b for x in ("§103", "§104", "§ 103", "§ 104")) else "døgn"


def _number(v) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


def _basis(v) -> str:
    s = "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v).strip().lower()
    return s if s in PRICE_BASES else DEFAULT_BASIS


@dataclass(frozen=True)
class RulePeriod:
    """One rate rule over one or more consecutive agreement periods."""

    periods: tuple[str, ...]  # agreement periods, e.g. ('2019-20', '2021-22')
    start_year: int
    end_year: int
    max_change_pct: float | None  # allowed change from the baseline level; None: no limit
    min_reduction_pct: float | None  # required fall from the baseline by the last year; None: none
    rule_text: str
    price_basis: str = DEFAULT_BASIS  # 'faste' or 'løbende'

    @property
    def label(self) -> str:
        """'2019-2022' for merged periods, else the agreement's own label ('2025-26')."""
        return self.periods[0] if len(self.periods) == 1 else f"{self.start_year}-{self.end_year}"

    @property
    def has_rule(self) -> bool:
        return self.max_change_pct is not None or self.min_reduction_pct is not None

    @property
    def principles(self) -> bool:
        """The period's rule is the common principles (no number), as the 2027-28 agreement states."""
        return not self.has_rule and "princip" in self.rule_text.lower()

    @property
    def baseline_year(self) -> int:
        """The level the rule is judged against: the year before the period."""
        return self.start_year - 1

    def covers(self, year: int) -> bool:
        return self.start_year <= year <= self.end_year

    def limit(self, year: int) -> float | None:
        """The highest allowed change from the baseline in `year`, %: the no-rise limit, and in the
        period's last year also the required reduction (the stricter one)."""
        bits = [x for x in (self.max_change_pct,) if x is not None]
        if self.min_reduction_pct is not None and year == self.end_year:
            bits.append(-self.min_reduction_pct)
        return min(bits) if bits else None

    def describe(self) -> str:
        """The rule in short Danish, from the numbers: 'ingen stigning fra 2018; mindst −2,0 % i 2022'."""
        from overblik import fmt

        bits = []
        if self.max_change_pct is not None:
            bits.append(
                f"ingen stigning fra {self.baseline_year}"
                if self.max_change_pct == 0
                else f"højst {fmt.pct(self.max_change_pct, signed=True)} fra {self.baseline_year}"
            )
        if self.min_reduction_pct is not None:
            bits.append(f"mindst {fmt.pct(-self.min_reduction_pct)} i {self.end_year}")
        if bits:
            return "; ".join(bits)
        # without numbers the sources do not say there was no rate agreement (2023-24: »under afklaring«)
        return "fælles principper" if self.principles else "ingen talregel i kilderne"

    def sentence(self) -> str:
        """The rule as a clause for the help text, from the numbers: 'taksterne må ikke ligge over niveauet
        i 2018, og i 2022 skal de ligge mindst 2 % under det'; without numbers, the agreement's own text."""
        mx, mn = self.max_change_pct, self.min_reduction_pct
        bits = []
        if mx is not None:
            bits.append(
                f"taksterne må ikke ligge over niveauet i {self.baseline_year}"
                if mx == 0
                else f"taksterne må højst ligge {_whole_pct(mx)} over niveauet i {self.baseline_year}"
                if mx > 0
                else f"taksterne skal ligge mindst {_whole_pct(-mx)} under niveauet i {self.baseline_year}"
            )
        if mn is not None:
            bits.append(
                ("og i" if bits else "i")
                + f" {self.end_year} skal de ligge mindst {_whole_pct(mn)} under niveauet i {self.baseline_year}"
            )
        if bits:  # the price basis is the dashboard's reading, not the agreement's words (definitions.rate_rule_help)
            return ", ".join(bits)
        return self.rule_text[:1].lower() + self.rule_text[1:]


def _whole_pct(x: float) -> str:
    """'2 %' for whole numbers, '2,5 %' otherwise."""
    from overblik import fmt

    return fmt.pct(x, 0 if float(x).is_integer() else 1)


def rule_periods(agreements: pd.DataFrame) -> list[RulePeriod]:
    """The agreement periods as rule periods, merging consecutive periods with the same numeric rule
    and price basis."""
    out: list[RulePeriod] = []
    for row in agreements.sort_values("start_year").to_dict("records"):
        mx, mn = _number(row.get(MAX_COL)), _number(row.get(MIN_COL))
        basis = _basis(row.get(BASIS_COL))
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.has_rule
            and prev.end_year + 1 == int(row["start_year"])
            and (prev.max_change_pct, prev.min_reduction_pct, prev.price_basis) == (mx, mn, basis)
        ):
            out[-1] = RulePeriod(
                (*prev.periods, str(row["period"])),
                prev.start_year,
                int(row["end_year"]),
                mx,
                mn,
                prev.rule_text,
                basis,
            )
        else:
            out.append(
                RulePeriod(
                    (str(row["period"]),),
                    int(row["start_year"]),
                    int(row["end_year"]),
                    mx,
                    mn,
                    str(row["rate_rule"]),
                    basis,
                )
            )
    return out


def period_of(year: int, periods: list[RulePeriod]) -> RulePeriod | None:
    return next((p for p in periods if p.covers(int(year))), None)


# =============================================================================================
# The year-on-year development (takstudvikling): management information, not the rule check


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


# =============================================================================================
# The rule: every offer's level against its period's baseline

LEVEL_COLUMNS = [
    "offer_id",
    "name",
    "operator",
    "legal_basis",
    "year",
    "period",
    "baseline_year",
    "places",
    "rate",
    "base_rate",
    "change_pct",
    "limit_pct",
    "status",  # 'inden for', 'over', 'kan ikke vurderes'
    "kind",  # 'stigning' (above the baseline level) or 'reduktion' (required fall not reached), or ''
    "reason",  # why an offer cannot be judged
]


def _deflator(price_index: pd.DataFrame | None) -> dict[int, float]:
    if price_index is None or price_index.empty:
        return {}
    return {int(y): float(i) for y, i in zip(price_index["year"], price_index["index"]) if pd.notna(i) and i > 0}


def levels(
    offer_years: pd.DataFrame, agreements: pd.DataFrame, price_index: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per offer and year of every period with a numeric rule: the change from the baseline level
    (the year before the period) in the period's price basis, the limit that year and the status.

    status 'kan ikke vurderes' (with the reason) where the offer has no rate in the baseline year, or,
    in fixed prices, the price index lacks the baseline year or the year."""
    oy = offer_years.copy()
    oy["year"] = oy["year"].astype(int)
    rate = oy.set_index(["offer_id", "year"])["rate_dkk_per_day"]
    idx = _deflator(price_index)
    rows: list[dict] = []
    for p in rule_periods(agreements):
        if not p.has_rule:
            continue
        base = p.baseline_year
        inside = oy[oy["year"].between(p.start_year, p.end_year)]
        for r in inside.to_dict("records"):
            o, y = r["offer_id"], int(r["year"])
            b = rate.get((o, base))
            row = {
                "offer_id": o,
                "name": r.get("name"),
                "operator": r.get("operator"),
                "legal_basis": r.get("legal_basis"),
                "year": y,
                "period": p.label,
                "baseline_year": base,
                "places": r.get("places"),
                "rate": float(r["rate_dkk_per_day"]),
                "base_rate": None if b is None or pd.isna(b) else float(b),
                "change_pct": None,
                "limit_pct": p.limit(y),
                "status": "kan ikke vurderes",
                "kind": "",
                "reason": "",
            }
            if row["base_rate"] is None or row["base_rate"] <= 0:
                row["reason"] = f"ingen takst i {base}, året før perioden"
            elif p.price_basis == "faste" and (base not in idx or y not in idx):
                missing = ", ".join(str(x) for x in (base, y) if x not in idx)
                row["reason"] = f"prisindekset mangler for {missing}"
            else:
                ratio = row["rate"] / row["base_rate"]
                if p.price_basis == "faste":
                    ratio *= idx[base] / idx[y]
                ch = (ratio - 1) * 100
                row["change_pct"] = ch
                over = ch > row["limit_pct"] + TOLERANCE_PCT
                row["status"] = "over" if over else "inden for"
                if over:
                    rose = p.max_change_pct is not None and ch > p.max_change_pct + TOLERANCE_PCT
                    row["kind"] = "stigning" if rose else "reduktion"
            rows.append(row)
    return pd.DataFrame(rows, columns=LEVEL_COLUMNS)


def period_summary(lv: pd.DataFrame) -> pd.DataFrame:
    """Per period and year: the places-weighted average change from the baseline (judged offers), the
    number of offers judged, over the rule and not judged, and the limit."""
    cols = ["period", "year", "baseline_year", "change_pct", "limit_pct", "judged", "over", "unknown"]
    if lv.empty:
        return pd.DataFrame(columns=cols)
    out = []
    for (period, year), g in lv.groupby(["period", "year"], sort=True):
        j = g[g["status"] != "kan ikke vurderes"]
        w = j["places"].astype(float).clip(lower=0)
        avg = float((j["change_pct"].astype(float) * w).sum() / w.sum()) if len(j) and w.sum() > 0 else None
        out.append(
            {
                "period": period,
                "year": int(year),
                "baseline_year": int(g["baseline_year"].iloc[0]),
                "change_pct": avg,
                "limit_pct": g["limit_pct"].iloc[0],
                "judged": len(j),
                "over": int((j["status"] == "over").sum()),
                "unknown": int(len(g) - len(j)),
            }
        )
    return pd.DataFrame(out, columns=cols)


def over_rule(lv: pd.DataFrame) -> pd.DataFrame:
    """The offers over the rule: one row per offer and period, in the latest year it was over."""
    o = lv[lv["status"] == "over"].sort_values(["offer_id", "period", "year"])
    o = o.groupby(["offer_id", "period"], as_index=False).tail(1)
    return o.sort_values(["year", "change_pct"], ascending=[False, False], ignore_index=True)


def by_operator(lv: pd.DataFrame, year: int) -> pd.DataFrame:
    """Per operator in `year`: offers judged, offers over the rule, the places-weighted average change."""
    g = lv[(lv["year"] == year) & (lv["status"] != "kan ikke vurderes")]
    if g.empty:
        return pd.DataFrame(columns=["operator", "judged", "over", "change_pct"])
    g = g.assign(w=g["places"].astype(float), wc=g["places"].astype(float) * g["change_pct"].astype(float))
    t = g.groupby("operator", as_index=False).agg(
        judged=("offer_id", "count"),
        over=("status", lambda s: int((s == "over").sum())),
        w=("w", "sum"),
        wc=("wc", "sum"),
    )
    t["change_pct"] = t["wc"] / t["w"].where(t["w"] > 0)
    return t[["operator", "judged", "over", "change_pct"]].sort_values(
        ["over", "change_pct"], ascending=[False, False], ignore_index=True
    )


# =============================================================================================
# The rate headline of Udgifter and Overblik: one verdict, one wording

RATE_NAME = "Takstændring"  # the measure's one Danish name (definitions 'rate_change')
NO_RATE_CHANGE = "Ingen takster i perioden"


@dataclass(frozen=True)
class RateVerdict:
    """The rates of the latest year with rates against its period's rule, for the whole selection."""

    year: int
    period: str | None  # the rule period's label ('2025-26', '2019-2022'); None outside every period
    baseline_year: int | None  # None without a numeric rule
    rule: str  # the rule in short Danish (RulePeriod.describe)
    price_basis: str | None
    change_pct: float | None  # places-weighted average change from the baseline; None: not judged
    over: int = 0  # offers over the rule in the year
    judged: int = 0  # offers judged in the year
    unknown: int = 0  # offers that cannot be judged
    limit_pct: float | None = None
    status: str = "none"  # 'inden for', 'over', 'enkelte over', 'kan ikke vurderes', 'principper', 'ingen regel'
    reason: str = ""  # why it cannot be judged

    @property
    def within(self) -> bool | None:
        """True only when the average and every offer are within; None without a verdict."""
        return {"inden for": True, "over": False, "enkelte over": False}.get(self.status)

    @property
    def label(self) -> str:
        if self.baseline_year is not None:
            return f"{RATE_NAME} {self.baseline_year}-{self.year}"
        return f"{RATE_NAME} {self.year}"

    @property
    def value(self) -> str:
        from overblik import fmt

        return fmt.MISSING if self.change_pct is None else fmt.pct(self.change_pct, signed=True)

    @property
    def offers_text(self) -> str:
        from overblik import fmt

        return (
            "ingen tilbud over reglen" if not self.over else f"{fmt.count(self.over, 'tilbud', 'tilbud')} over reglen"
        )

    @property
    def summary(self) -> str:
        """Both numbers of the region verdict: 'Gennemsnit −0,3 % · 3 tilbud over reglen'."""
        if self.change_pct is None:
            return ""
        return f"Gennemsnit {self.value} · {self.offers_text}"

    @property
    def delta(self) -> str:
        """The one short wording of the verdict on Udgifter and Overblik (the metric's value is the average,
        its label the years, its help the rule): '⚠ 3 tilbud over reglen'."""
        if self.status == "inden for":
            return "✓ Ingen tilbud over reglen"
        if self.status == "over":
            return f"✕ Over reglen, {self.offers_text.removesuffix(' over reglen')}"
        if self.status == "enkelte over":
            return f"⚠ {self.offers_text[:1].upper()}{self.offers_text[1:]}"
        if self.status == "kan ikke vurderes":
            return f"Kan ikke vurderes ({self.period})"
        if self.status == "principper":
            return f"Fælles principper ({self.period})"
        if self.period is None:
            return "Ingen aftaleperiode for året"
        return f"Ingen talregel i kilderne ({self.period})"

    @property
    def colour(self) -> str:
        """The metric's delta colour; the verdict is never colour alone (✓/✕/⚠ and words)."""
        return {"inden for": "green", "over": "red", "enkelte over": "orange"}.get(self.status, "gray")

    def sentence(self) -> str:
        """One plain sentence for the key message."""
        from overblik import fmt

        if self.status in ("inden for", "over", "enkelte over") and self.change_pct is not None:
            where = "under" if self.change_pct < 0 else "over"
            level = (
                f"på niveau med {self.baseline_year}"
                if round(self.change_pct, 1) == 0
                else f"{fmt.pct(abs(self.change_pct))} {where} niveauet i {self.baseline_year}"
            )
            return (
                f"Taksterne lå i {self.year} i gennemsnit {level} ({self.price_basis} priser); "
                f"{self.offers_text} for {self.period} ({self.rule})."
            )
        if self.status == "kan ikke vurderes":
            return f"Taksterne i {self.year} kan ikke vurderes mod reglen for {self.period}: {self.reason}."
        if self.status == "principper":
            return f"I {self.period} er takstaftalen erstattet af de fælles principper."
        return ""


def latest_rate_year(offer_years: pd.DataFrame, year_from: int, year_to: int) -> int | None:
    ys = [int(y) for y in offer_years["year"].unique() if year_from <= int(y) <= year_to] if len(offer_years) else []
    return max(ys) if ys else None


def verdict(
    offer_years: pd.DataFrame,
    agreements: pd.DataFrame,
    year_from: int,
    year_to: int,
    price_index: pd.DataFrame | None = None,
) -> RateVerdict | None:
    """The rate headline for the period filter year_from-year_to: the latest year of the period with
    rates, against its period's rule read as above; None when the period has no rates."""
    year = latest_rate_year(offer_years, year_from, year_to)
    if year is None:
        return None
    p = period_of(year, rule_periods(agreements))
    if p is None:
        return RateVerdict(year, None, None, "", None, None, status="ingen regel")
    if not p.has_rule:
        return RateVerdict(
            year, p.label, None, p.describe(), None, None, status="principper" if p.principles else "ingen regel"
        )
    lv = levels(offer_years, agreements, price_index)
    g = lv[(lv["period"] == p.label) & (lv["year"] == year)]
    s = period_summary(g)
    common: dict[str, Any] = dict(
        year=year, period=p.label, baseline_year=p.baseline_year, rule=p.describe(), price_basis=p.price_basis
    )
    if s.empty or s.iloc[0]["change_pct"] is None or pd.isna(s.iloc[0]["change_pct"]):
        reasons = sorted(set(g["reason"])) if len(g) else [f"ingen takster i {p.baseline_year}, året før perioden"]
        return RateVerdict(
            **common, change_pct=None, unknown=len(g), status="kan ikke vurderes", reason="; ".join(reasons)
        )
    r = s.iloc[0]
    avg, limit = float(r["change_pct"]), float(r["limit_pct"])
    status = "over" if avg > limit + TOLERANCE_PCT else ("enkelte over" if r["over"] else "inden for")
    return RateVerdict(
        **common,
        change_pct=avg,
        over=int(r["over"]),
        judged=int(r["judged"]),
        unknown=int(r["unknown"]),
        limit_pct=limit,
        status=status,
        reason="; ".join(sorted(set(g.loc[g["reason"] != "", "reason"]))),
    )
