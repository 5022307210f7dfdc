"""The demo snapshot: the real reference facts plus deterministic illustrative data.

Real tables (provenance 'real') are read from the project's own copies of the reference facts in
overblik/reference/*.csv: municipalities, operators (the municipalities and the five regions),
account functions, agreement periods, target groups, principles, central notices (mapped to the
contract in central_notices_contract.csv, written by hand from central_notices.csv and the seeds),
secured units and the national offers.

Everything else (population, price index, spending, offers, offer years, demand, meetings,
initiatives and their status updates) is illustrative: plausible in size and shape, generated with
numpy Generators seeded with fixed numbers. Nothing depends on today's date, set order or hash
randomisation, so the same version of this module always builds identical rows.

Scale (for benchmarks), `build(scale=N)`:
  - municipalities: 19*N; the synthetic ones ("Syntetisk kommune <code>") take the unused codes
    101, 102, ... (never one of the 19 real codes) and copy the profile of a real municipality.
    Codes must stay 3-digit, so N <= MAX_SCALE (46).
  - operators: every municipality plus the five regions (1081-1085).
  - offers: 200*N generated offers plus the three secured offers (Koglen, Grenen, Kofoedsminde),
    which are real units and are never copied.
  - years: every year range is N times as long, extended backwards from its last year, but never
    before 2000 (the contract's first valid year). So population and price index 2016-2026 become
    2027-11N..2026, spending accounts 2016-2025 become 2026-10N..2025, budgets 2025-2026 become
    2027-2N..2026, offer years 2019-2026 become 2027-8N..2026, demand 2026 becomes 2027-N..2026 - each
    capped at 2000 (at most 27 years). Meetings and initiatives are not scaled.
  The adopted budget for the coming year (2027) and its price index forecast are one year at any scale.
scale=1 is the shipped demo.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from overblik import schema, store

REFERENCE = Path(__file__).resolve().parent / "reference"

SEED = 20261120
MIN_YEAR = 2000  # the contract's first valid year
LAST_YEAR = 2026  # population, budgets, offers and demand run to this year
LAST_ACCOUNTS_YEAR = 2025  # the last year with accounts (regnskab)
BUDGET_YEAR = 2027  # the adopted budget for the coming year (kind 'budget'), with a price index forecast
BASE_YEAR = 2026  # price index = 100
MAX_SCALE = 43  # 19*42 = 798 synthetic municipalities fit in the 801 codes 101-999 no real one has
DEMO_REGION = 1082  # the region the demo's offers, demand, initiatives and meetings describe

CREATED = "2026-11-20T00:00:00+00:00"
NOTE = "Demodata (fiktive eksempeldata) med reelle referencedata"
REAL_DATE = "2026-11-01"  # when the reference facts were gathered
ILLUSTRATIVE_DATE = "2026-11-20"
ILLUSTRATIVE_SOURCE = "Fiktive eksempeldata (genereret af overblik.demo)"
DEMO_ID = store.DEMO_ID

# The earlier demo snapshot (illustrative, see earlier()): published before the DASSOS meeting of 12 Nov
# 2026 and after the reference facts were gathered (REAL_DATE), so 'Siden sidste møde' has data then.
EARLIER_ID = "demo-2026-11-02"
EARLIER_CREATED = "2026-11-02T00:00:00+00:00"
EARLIER_NOTE = "Demodata (fiktive eksempeldata), tidligere udgave før datatræk i november"
EARLIER_DATE = "2026-11-02"

REGIONS = [
    (1081, "Region Nordjylland"),
    (1082, "Region Midtjylland"),
    (1083, "Region Syddanmark"),
    (1084, "Region Hovedstaden"),
    (1085, "Region Sjælland"),
]

REAL_SOURCES = {
    "municipalities": "Danmarks Statistik (kommunekoder, landsdele og regioner)",
    "operators": "Danmarks Statistik (kommune- og regionskoder)",
    # 15 functions are in the project's verified reference (StatBank's FUNKTION); 5.38.38, 5.38.51 and 5.28.22
    # come from the municipal budget and accounts system (overblik/reference/account_functions.csv, how_sure)
    "account_functions": (
        "Danmarks Statistik, StatBank (FUNKTION, den kommunale kontoplan) og Budget- og regnskabssystem for "
        "kommuner; nummeret 5.28.22 er ikke bekræftet i StatBank; lovgrundlag udledt"
    ),
    "agreements": "Rammeaftaler 2019-20 til 2025-26 og Rammeaftale 2027-28 (udkast), sekretariatmidtjylland.viborg.dk",
    "target_groups": "Rammeaftale 2027-28 (udkast)",
    "principles": "Rammeaftale 2027-28 (udkast)",
    "central_notices": "Socialstyrelsen / Social- og Boligstyrelsen, sbst.dk; Rammeaftale 2021-22, 2023-24 og 2027-28 (udkast)",
    "secured_units": "Driftsherrernes hjemmesider (dok.rm.dk, kompasset.rn.dk, regionsjaelland.dk)",
    "national_offers": "Kapacitetsrapport maj 2015 (lands- og landsdelsdækkende tilbud)",
}

SHORT_NAMES = {
    "B1": "B1 Autisme, udadreagerende",
    "B2": "B2 Psykiatri og selvskade",
    "B3": "B3 Komplekse handicap",
    "V1": "V1 Psykiatri, udadreagerende",
    "V2": "V2 Autisme/udviklingshæmning",
    "V3": "V3 Erhvervet hjerneskade",
}
GROUPS = ["B1", "B2", "B3", "V1", "V2", "V3"]
SHORT_GROUPS = {"B1", "B2", "V1", "V2"}  # the groups with a capacity gap in the demo

SECURED = [  # offer_id, unit name in secured_units.csv, operator, legal basis, real secured places
    ("S-KOGLEN", "Koglen", 1082, "Barnets lov (sikret døgninstitution)", 10),
    ("S-GRENEN", "Grenen", 1082, "Barnets lov (sikret døgninstitution)", 15),
    ("S-KOFOEDSMINDE", "Kofoedsminde", 1085, "SEL §108 (sikret boform, dom)", 81),
]


def _rng(*keys: int) -> np.random.Generator:
    return np.random.default_rng([SEED, *keys])


def _ref(name: str) -> pd.DataFrame:
    return pd.read_csv(REFERENCE / f"{name}.csv", dtype=str, keep_default_na=False, encoding="utf-8")


def _years(first: int, last: int, scale: int) -> np.ndarray:
    n = (last - first + 1) * scale
    return np.arange(max(MIN_YEAR, last - n + 1), last + 1)


def _blank(v: str):
    return None if v == "" else v


# ---------------------------------------------------------------------------------------------
# Real reference tables


def _real_tables() -> dict[str, pd.DataFrame]:
    mun = _ref("municipalities")
    municipalities = pd.DataFrame(
        {
            "municipality_code": mun["municipality_code"].astype(int),
            "name": mun["name"],
            "landsdel": mun["landsdel"],
            "region_code": mun["region_code"].astype(int),
        }
    )

    af = _ref("account_functions")
    account_functions = pd.DataFrame(
        {
            "function_code": af["function_code"],
            "name": af["name"],
            "area": af["area"],
            "legal_basis": [_blank(v) for v in af["legal_basis_inferred"]],
        }
    )

    ag = _ref("agreements")
    agreements = pd.DataFrame(
        {
            "period": ag["period"],
            "start_year": ag["start_year"].astype(int),
            "end_year": ag["end_year"].astype(int),
            "development_areas": ag["development_areas"],
            "rate_rule": ag["rate_rule"],
            "rate_max_yearly_change_pct": [None if v == "" else float(v) for v in ag["rate_max_yearly_change_pct"]],
            "rate_min_reduction_over_period_pct": [
                None if v == "" else float(v) for v in ag["rate_min_reduction_over_period_pct"]
            ],
            "source": ag["source"],
            "rate_price_basis": [_blank(v) for v in ag["rate_price_basis"]],
        }
    )

    tg = _ref("target_groups")
    target_groups = pd.DataFrame(
        {
            "target_group_id": tg["target_group_id"],
            "area": tg["area"],
            "short_name": [SHORT_NAMES[t] for t in tg["target_group_id"]],
            "name": tg["name"],
        }
    )

    pr = _ref("principles")
    principles = pd.DataFrame(
        {
            "principle_id": [*list(pr["principle_id"]), "U"],
            "name": [*list(pr["name"]), "Udviklingsområdet: Borgere med komplekse udfordringer"],
        }
    )

    cn = _ref("central_notices_contract")
    notice_cols = schema.TABLES["central_notices"].column_names
    central_notices = cn[notice_cols].copy()
    for col in ("report_submitted", "decision_date", "renewed_treatment", "midtjylland_response"):
        central_notices[col] = [_blank(v) for v in central_notices[col]]
    central_notices["is_open"] = central_notices["is_open"].astype(int)

    su = _ref("secured_units")
    secured_places = {"Koglen": 10, "Grenen": 15, "Kompasset": 10, "Kofoedsminde": 81}
    offer_of = {unit: oid for oid, unit, *_ in SECURED}
    secured_units = pd.DataFrame(
        {
            "unit_name": su["name"],
            "operator": su["operator"],
            "kind": su["kind"],
            "places": [secured_places[n] for n in su["name"]],
            "places_note": su["places"],
            "offer_id": [offer_of.get(n) for n in su["name"]],
            "source": su["source"],
        }
    )

    no = _ref("national_offers_2015")
    national_offers = pd.DataFrame({"name": no["name"], "note": [_blank(v) for v in no["note"]]})

    return {
        "municipalities": municipalities,
        "account_functions": account_functions,
        "agreements": agreements,
        "target_groups": target_groups,
        "principles": principles,
        "central_notices": central_notices,
        "secured_units": secured_units,
        "national_offers": national_offers,
    }


# ---------------------------------------------------------------------------------------------
# Municipalities at scale, and their illustrative profiles

# yearly population growth since 2013 (illustrative; Aarhus fastest, Lemvig/Struer/Samsø shrink)
GROWTH = {
    751: 0.013,
    746: 0.011,
    615: 0.010,
    710: 0.008,
    740: 0.008,
    727: 0.006,
    766: 0.006,
    730: 0.005,
    657: 0.005,
    706: 0.005,
    791: 0.004,
    756: 0.004,
    661: 0.002,
    779: 0.0005,
    707: 0.0,
    760: -0.0005,
    665: -0.004,
    671: -0.003,
    741: -0.004,
}
# age shares (0-17, 18-64, 65+) in 2013
AGE_SHARES = {
    751: (0.19, 0.68, 0.13),
    741: (0.15, 0.52, 0.33),
    746: (0.25, 0.58, 0.17),
    710: (0.25, 0.58, 0.17),
    766: (0.24, 0.58, 0.18),
    665: (0.21, 0.57, 0.22),
    671: (0.21, 0.57, 0.22),
    779: (0.21, 0.58, 0.21),
    707: (0.20, 0.58, 0.22),
    760: (0.22, 0.57, 0.21),
    727: (0.22, 0.58, 0.20),
    706: (0.22, 0.57, 0.21),
}
DEFAULT_SHARES = (0.23, 0.60, 0.17)
BENDING = {657, 730, 791, 661, 706}  # municipalities whose spending bends in 2024-25


def _municipality_frame(scale: int) -> pd.DataFrame:
    """Region Midtjylland's municipalities (the region the demo's offers, demand and initiatives are
    about): code, name, landsdel, template (real code whose profile it copies), pop2013. At scale > 1,
    synthetic municipalities of the region in codes no real municipality has."""
    all_ref = _ref("municipalities")
    ref = all_ref[all_ref["region_code"].astype(int) == DEMO_REGION].reset_index(drop=True)
    real = pd.DataFrame(
        {
            "municipality_code": ref["municipality_code"].astype(int),
            "name": ref["name"],
            "landsdel": ref["landsdel"],
            "template": ref["municipality_code"].astype(int),
            "pop2013": ref["population_2013"].astype(float),
        }
    )
    if scale == 1:
        return real
    if not 1 <= scale <= MAX_SCALE:
        raise ValueError(f"scale skal være mellem 1 og {MAX_SCALE} (kommunekoder har 3 cifre)")
    taken = set(all_ref["municipality_code"].astype(int).tolist())
    free = [c for c in range(101, 1000) if c not in taken]
    n = len(real) * (scale - 1)
    codes = free[:n]
    idx = np.arange(n) % len(real)
    factor = _rng(1, scale).uniform(0.75, 1.25, n)
    extra = pd.DataFrame(
        {
            "municipality_code": codes,
            "name": [f"Syntetisk kommune {c}" for c in codes],
            "landsdel": real["landsdel"].to_numpy()[idx],
            "template": real["template"].to_numpy()[idx],
            "pop2013": np.round(real["pop2013"].to_numpy()[idx] * factor),
        }
    )
    return pd.concat([real, extra], ignore_index=True)


MODEL_YEARS = np.arange(MIN_YEAR, LAST_YEAR + 1)  # every illustrative series is modelled over these


def _population_model(
    mun: pd.DataFrame, growth: np.ndarray | None = None, shares: np.ndarray | None = None
) -> np.ndarray:
    """Persons [municipality, model year, age group], integers as floats. Growth and age shares by the
    template's profile unless given (one per municipality)."""
    tmpl = mun["template"].to_numpy()
    if growth is None:
        growth = np.array([GROWTH.get(int(t), 0.004) for t in tmpl])
    if shares is None:
        shares = np.array([AGE_SHARES.get(int(t), DEFAULT_SHARES) for t in tmpl])  # (M, 3)
    t = (MODEL_YEARS - 2013).astype(float)
    total = mun["pop2013"].to_numpy()[:, None] * (1 + growth[:, None]) ** t[None, :]  # (M, Y)
    # ageing: 65+ +0.25 pp a year, 0-17 -0.08 pp a year, the rest to 18-64
    s_old = shares[:, None, 2] + 0.0025 * t[None, :]
    s_young = shares[:, None, 0] - 0.0008 * t[None, :]
    s_mid = 1 - s_old - s_young
    sh = np.stack([s_young, s_mid, s_old], axis=2)  # (M, Y, 3)
    return np.round(total[:, :, None] * sh)


YOUNG_0_22 = 23 / 18 * 0.97  # 0-22 relative to 0-17 (illustrative: 23 birth years, slightly smaller cohorts)


def _population(mun: pd.DataFrame, pop: np.ndarray, scale: int) -> pd.DataFrame:
    years = _years(2016, LAST_YEAR, scale)
    yi = years - MIN_YEAR
    sub = pop[:, yi, :]  # (M, Y, 3)
    # 0-22 (overlapping 0-17 and 18-64): the 0-17-year-olds plus five birth years of about the same size
    young = np.round(sub[:, :, 0] * YOUNG_0_22)
    sub = np.concatenate([sub, young[:, :, None]], axis=2)  # (M, Y, 4) in schema.AGE_GROUPS order
    m, y, a = np.meshgrid(np.arange(len(mun)), np.arange(len(years)), np.arange(4), indexing="ij")
    return pd.DataFrame(
        {
            "municipality_code": mun["municipality_code"].to_numpy()[m.ravel()],
            "year": years[y.ravel()],
            "age_group": np.array(schema.AGE_GROUPS, dtype=object)[a.ravel()],
            "persons": sub.ravel().astype(np.int64),
        }
    )


PRICE_RISE = {2021: 0.025, 2022: 0.045, 2023: 0.040, 2024: 0.025, 2025: 0.022, 2026: 0.020}  # PL, illustrative
PRICE_FORECAST = 0.021  # PL forecast for BUDGET_YEAR (illustrative, like KL's skøn for the coming year)


def _price_index(scale: int) -> pd.DataFrame:
    years = _years(2016, BASE_YEAR, scale)
    index = {BASE_YEAR: 100.0}
    for y in range(BASE_YEAR, int(years[0]), -1):  # index(y-1) = index(y) / (1 + rise in y)
        index[y - 1] = index[y] / (1 + PRICE_RISE.get(y, 0.020 if y >= 2016 else 0.018))
    out = pd.DataFrame({"year": years, "index": [round(index[int(y)], 2) for y in years], "source": PRICE_INDEX_SOURCE})
    forecast = {"year": BUDGET_YEAR, "index": round(100.0 * (1 + PRICE_FORECAST), 2), "source": PRICE_FORECAST_SOURCE}
    return pd.concat([out, pd.DataFrame([forecast])], ignore_index=True)


PRICE_INDEX_SOURCE = (
    "Illustrativt indeks formet som KL's pris- og lønskøn for kommunale serviceudgifter; "
    "indlæs det gældende PL-indeks via arbejdsbogen"
)
PRICE_FORECAST_SOURCE = (
    f"Illustrativt PL-skøn (prognose) for {BUDGET_YEAR}; " + PRICE_INDEX_SOURCE[0].lower() + PRICE_INDEX_SOURCE[1:]
)


# ---------------------------------------------------------------------------------------------
# Spending

# DKK per inhabitant of the function's age group in 2016 (illustrative), age group index (0 = 0-17, 1 = 18-64)
FUNCTION_COST = {
    "5.38.38": (900, 1),
    "5.38.51": (650, 1),
    "5.28.22": (1500, 0),
    "5.38.42": (190, 1),
    "5.38.44": (60, 1),
    "5.38.45": (150, 1),
    "5.38.50": (1450, 1),
    "5.38.52": (750, 1),
    "5.38.53": (90, 1),
    "5.38.58": (190, 1),
    "5.38.59": (340, 1),
    "5.28.20": (1200, 0),
    "5.28.21": (1900, 0),
    "5.28.23": (1100, 0),
    "5.28.24": (190, 0),
    "3.22.08": (3700, 0),
    "3.22.17": (45, 1),
    "3.30.46": (150, 1),
}


# The function a purchase in an offer is booked on, by the offer's legal basis (first match), and the
# share of the function's spending that is purchases in offers under the agreement (illustrative: the rest
# is the municipalities' own offers outside the agreement, private offers and other measures).
FUNCTION_OF_BASIS = (
    ("Barnets lov (sikret", "5.28.24"),
    ("SEL §108", "5.38.50"),
    ("SEL §107", "5.38.52"),
    ("SEL §103", "5.38.58"),
    ("SEL §104", "5.38.59"),
    ("FSL", "3.22.08"),
    ("SEL §66", "5.28.23"),
    ("Barnets lov", "5.28.23"),
)
OFFER_SHARE = {  # (lowest, highest) plausible share of the function's spending; outside it, the nearest bound
    "5.38.50": (0.4, 0.8),
    "5.38.52": (0.4, 0.8),
    "5.38.58": (0.3, 0.8),
    "5.38.59": (0.3, 0.8),
    "5.28.23": (0.4, 0.8),
    "5.28.24": (0.5, 0.8),
    "3.22.08": (0.05, 0.6),  # most special-school places are the municipalities' own, outside the agreement
}


def purchase_function(legal_basis: str) -> str | None:
    return next((f for prefix, f in FUNCTION_OF_BASIS if str(legal_basis).startswith(prefix)), None)


def purchases(offers: pd.DataFrame, offer_years: pd.DataFrame) -> pd.DataFrame:
    """Rates × occupied place-days per account function and year, 1,000 DKK: what the municipalities
    pay the offers (function_code, year, purchases_1000_dkk)."""
    x = offer_years.merge(offers[["offer_id", "legal_basis"]], on="offer_id")
    days = x["legal_basis"].map(lambda b: DAYS_PER_YEAR[rate_unit(str(b))])
    x = x.assign(
        function_code=x["legal_basis"].map(purchase_function),
        purchases_1000_dkk=x["rate_dkk_per_day"] * x["places"] * x["occupancy_pct"] / 100 * days / 1000,
    )
    return (
        x.dropna(subset=["function_code"])
        .groupby(["function_code", "year"], as_index=False)["purchases_1000_dkk"]
        .sum()
    )


def _spending(
    mun: pd.DataFrame, pop: np.ndarray, functions: list[str], scale: int, bought: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Spending per municipality, function and year. With `bought` (purchases()), a function whose
    purchases in the last accounts year fall outside OFFER_SHARE of the region's spending on it is scaled
    so that they are at the nearest bound: rates × occupied place-days fit the accounts."""
    rng = _rng(3, scale)
    M, F, Y = len(mun), len(functions), len(MODEL_YEARS)
    cost = np.array([FUNCTION_COST[f][0] for f in functions], dtype=float)
    age = np.array([FUNCTION_COST[f][1] for f in functions])
    level = cost[None, :] * rng.lognormal(0.0, 0.2, (M, F))  # municipal differences
    # nominal growth per inhabitant: municipality trend + function + year noise
    trend = rng.uniform(0.026, 0.040, M)
    growth = trend[:, None, None] + rng.normal(0, 0.006, (M, F, 1)) + rng.normal(0, 0.010, (M, F, Y))
    bending = np.array([int(t) in BENDING for t in mun["template"]])
    for y in (2024, 2025):
        yi = y - MIN_YEAR
        growth[bending, :, yi] = rng.uniform(-0.02, 0.004, (int(bending.sum()), F))
    growth[:, :, 0] = 0.0
    idx = np.cumprod(1 + growth, axis=2)
    idx = idx / idx[:, :, [2016 - MIN_YEAR]]  # 2016 = the cost levels above
    persons = pop[:, :, :2][:, :, age]  # (M, Y, F) persons in each function's age group
    model = level[:, :, None] * idx * np.transpose(persons, (0, 2, 1)) / 1000  # (M, F, Y), 1,000 DKK
    if bought is not None:
        ref = bought[bought["year"] == LAST_ACCOUNTS_YEAR].set_index("function_code")["purchases_1000_dkk"]
        yi = LAST_ACCOUNTS_YEAR - MIN_YEAR
        for fi, f in enumerate(functions):
            if f in ref.index and f in OFFER_SHARE:
                share = ref[f] / model[:, fi, yi].sum()
                lo, hi = OFFER_SHARE[f]
                if not lo <= share <= hi:
                    model[:, fi, :] *= share / min(max(share, lo), hi)

    frames = []
    acc_years = _years(2016, LAST_ACCOUNTS_YEAR, scale)
    bud_years = _years(2025, LAST_YEAR, scale)
    for kind, years, noise in (
        ("regnskab", acc_years, None),
        ("budget", bud_years, rng.uniform(-0.045, 0.045, (M, F, len(bud_years)))),
    ):
        vals = model[:, :, years - MIN_YEAR]
        if noise is not None:
            vals = vals * (1 + noise)
        mm, ff, yy = np.meshgrid(np.arange(M), np.arange(F), np.arange(len(years)), indexing="ij")
        frames.append(
            pd.DataFrame(
                {
                    "municipality_code": mun["municipality_code"].to_numpy()[mm.ravel()],
                    "year": years[yy.ravel()],
                    "function_code": np.array(functions, dtype=object)[ff.ravel()],
                    "kind": kind,
                    "net_1000_dkk": np.round(vals.ravel(), 1),
                }
            )
        )
    # The adopted budget for the coming year (BUDGET_YEAR), the year after the model's last: the last
    # model year with the PL forecast, the age group's growth of the last year, a municipal ambition
    # (real growth per inhabitant between -1.5 % and +1 %) and the same budget noise as above.
    brng = _rng(11, scale)
    last = LAST_YEAR - MIN_YEAR
    demography = persons[:, last, :] / persons[:, last - 1, :]  # (M, F)
    ambition = brng.uniform(-0.015, 0.010, (M, 1))
    vals = model[:, :, last] * (1 + PRICE_FORECAST) * demography * (1 + ambition)
    vals = vals * (1 + brng.uniform(-0.045, 0.045, (M, F)))
    bm, bf = np.meshgrid(np.arange(M), np.arange(F), indexing="ij")
    frames.append(
        pd.DataFrame(
            {
                "municipality_code": mun["municipality_code"].to_numpy()[bm.ravel()],
                "year": BUDGET_YEAR,
                "function_code": np.array(functions, dtype=object)[bf.ravel()],
                "kind": "budget",
                "net_1000_dkk": np.round(vals.ravel(), 1),
            }
        )
    )
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(["municipality_code", "year", "function_code", "kind"], ignore_index=True)


# ---------------------------------------------------------------------------------------------
# The other four regions' 79 municipalities: population and spending only (ILLUSTRATIVE), so that the
# comparison with the other regions and the whole country has something to show. Their codes, names,
# landsdele and regions are real (reference/municipalities.csv); everything else is made up.

# approximate inhabitants around 2013, thousands (illustrative sizes, rounded; not a source)
OTHER_SIZE = {
    101: 560, 147: 102, 151: 48, 153: 34, 155: 14, 157: 73, 159: 66, 161: 22, 163: 27, 165: 28, 167: 51,
    169: 49, 173: 54, 175: 37, 183: 21, 185: 42, 187: 15, 190: 39, 201: 24, 210: 39, 217: 62, 219: 49,
    223: 25, 230: 55, 240: 42, 250: 44, 253: 48, 259: 58, 260: 31, 265: 85, 269: 21, 270: 41, 306: 33,
    316: 69, 320: 35, 326: 49, 329: 33, 330: 78, 336: 22, 340: 29, 350: 27, 360: 45, 370: 81, 376: 62,
    390: 45, 400: 41, 410: 37, 420: 41, 430: 51, 440: 24, 450: 31, 461: 193, 479: 58, 480: 29, 482: 13,
    492: 6, 510: 56, 530: 26, 540: 75, 550: 38, 561: 115, 563: 3, 573: 50, 575: 43, 580: 59, 607: 50,
    621: 90, 630: 109, 773: 21, 787: 44, 810: 36, 813: 61, 820: 37, 825: 2, 840: 29, 846: 42, 849: 38,
    851: 205, 860: 66,
}  # fmt: skip
# per region: spending level per inhabitant against Midtjylland's, its real drift a year from 2016,
# yearly population growth (all illustrative: enough difference for the comparison to show something)
OTHER_REGIONS = {
    1081: (1.06, 0.004, 0.002),
    1083: (1.02, -0.002, 0.002),
    1084: (0.92, 0.006, 0.009),
    1085: (1.09, 0.009, 0.003),
}


def _other_frame() -> pd.DataFrame:
    """The 79 municipalities outside the demo's region: code, name, landsdel, region_code, template (the
    Midtjylland municipality nearest in size, whose spending per inhabitant it starts from), pop2013."""
    ref = _ref("municipalities")
    ref = ref[ref["region_code"].astype(int) != DEMO_REGION]
    own = _ref("municipalities")
    own = own[own["region_code"].astype(int) == DEMO_REGION]
    own_codes = own["municipality_code"].astype(int).to_numpy()
    own_pop = own["population_2013"].astype(float).to_numpy()
    codes = ref["municipality_code"].astype(int).to_numpy()
    size = np.array([OTHER_SIZE[int(c)] * 1000.0 for c in codes])
    nearest = np.abs(np.log(size[:, None]) - np.log(own_pop[None, :])).argmin(axis=1)
    return pd.DataFrame(
        {
            "municipality_code": codes,
            "name": ref["name"].to_numpy(),
            "landsdel": ref["landsdel"].to_numpy(),
            "region_code": ref["region_code"].astype(int).to_numpy(),
            "template": own_codes[nearest],
            "pop2013": size,
        }
    )


def _other_regions(
    mun: pd.DataFrame, pop: np.ndarray, spending: pd.DataFrame, scale: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(municipalities, population, spending) of the 79 other municipalities. Spending: each function's
    amount per inhabitant of its age group in the template municipality, times the region's level and
    drift and a municipal factor, times the municipality's own inhabitants. Deterministic (own seed)."""
    other = _other_frame()
    rng = _rng(30, scale)
    n = len(other)
    region = other["region_code"].to_numpy()
    growth = np.array([OTHER_REGIONS[int(r)][2] for r in region]) + rng.normal(0, 0.002, n)
    shares = np.array(DEFAULT_SHARES)[None, :] + rng.normal(0, 0.01, (n, 1)) * np.array([1.0, -1.0, 0.0])
    opop = _population_model(other, growth, shares)
    population = _population(other, opop, scale)

    # spending per inhabitant of the function's age group in the template municipality
    age = {f: FUNCTION_COST[f][1] for f in FUNCTION_COST}
    row_of = {int(c): i for i, c in enumerate(mun["municipality_code"])}
    sp = spending[spending["municipality_code"].isin(set(other["template"]))]
    t_persons = pop[
        sp["municipality_code"].map(row_of).to_numpy(),
        np.minimum(sp["year"].to_numpy(), LAST_YEAR) - MIN_YEAR,  # the 2027 budget: per inhabitant of 2026
        sp["function_code"].map(age).to_numpy(),
    ]
    sp = sp.assign(per=sp["net_1000_dkk"].to_numpy() / t_persons).rename(columns={"municipality_code": "template"})
    functions = sorted(FUNCTION_COST)
    factor = pd.DataFrame(
        {
            "municipality_code": np.repeat(other["municipality_code"].to_numpy(), len(functions)),
            "function_code": np.tile(functions, n),
            "own": rng.lognormal(0.0, 0.12, n * len(functions)),
        }
    )
    x = other[["municipality_code", "template", "region_code"]].merge(sp, on="template")
    x = x.merge(factor, on=["municipality_code", "function_code"])
    level = x["region_code"].map(lambda r: OTHER_REGIONS[int(r)][0])
    drift = x["region_code"].map(lambda r: OTHER_REGIONS[int(r)][1])
    persons = opop[
        x["municipality_code"].map({int(c): i for i, c in enumerate(other["municipality_code"])}).to_numpy(),
        np.minimum(x["year"].to_numpy(), LAST_YEAR) - MIN_YEAR,
        x["function_code"].map(age).to_numpy(),
    ]
    x["net_1000_dkk"] = np.round(x["per"] * level * (1 + drift) ** (x["year"] - 2016) * x["own"] * persons, 1)
    spend = x[["municipality_code", "year", "function_code", "kind", "net_1000_dkk"]]
    municipalities = other[["municipality_code", "name", "landsdel", "region_code"]]
    return municipalities, population, spend


# ---------------------------------------------------------------------------------------------
# Offers and offer years

GROUP_PLAN = [("B1", 30), ("B2", 28), ("B3", 24), ("V1", 40), ("V2", 36), ("V3", 22), (None, 20)]  # 200
REGION_SHARE = {"B1": 0.25, "B2": 0.2, "B3": 0.15, "V1": 0.35, "V2": 0.35, "V3": 0.2, None: 0.05}
LEGAL = {  # target group -> (legal basis, probability)
    "B1": [("Barnets lov §43", 0.75), ("FSL §20 stk. 2", 0.25)],
    "B2": [("Barnets lov §43", 1.0)],
    "B3": [("Barnets lov §43", 0.6), ("FSL §20 stk. 2", 0.4)],
    "V1": [("SEL §107", 0.5), ("SEL §108", 0.5)],
    "V2": [("SEL §108", 0.7), ("SEL §107", 0.3)],
    "V3": [("SEL §107", 0.45), ("SEL §108", 0.35), ("SEL §104", 0.2)],
    None: [("SEL §104", 0.6), ("SEL §103", 0.4)],
}
NAMES = {  # (target group, legal basis) -> name templates
    ("B1", "Barnets lov §43"): ["Center for Autisme, {p}", "Børnehuset {p}", "Specialbørnehjemmet {p}"],
    ("B1", "FSL §20 stk. 2"): ["Autismeskolen {p}", "Specialskolen {p}"],
    ("B2", "Barnets lov §43"): ["Døgninstitutionen {p}", "Ungecenter {p}", "Børne- og ungecenter {p}"],
    ("B3", "Barnets lov §43"): ["Børne- og ungehjemmet {p}", "Aflastningscenter {p}"],
    ("B3", "FSL §20 stk. 2"): ["Specialskolen {p}", "Center for Specialundervisning, {p}"],
    ("V1", "SEL §107"): ["Socialpsykiatrisk center {p}", "Botilbuddet {p}"],
    ("V1", "SEL §108"): ["Bostedet {p}", "Socialpsykiatrisk bocenter {p}"],
    ("V2", "SEL §108"): ["Bocenter {p}", "Autismecenter {p}", "Bostedet {p}"],
    ("V2", "SEL §107"): ["Botilbuddet {p}", "Center for Autisme, {p}"],
    ("V3", "SEL §107"): ["Neurocenter {p}", "Hjerneskadecenter {p}"],
    ("V3", "SEL §108"): ["Bo- og neurocenter {p}", "Bostedet {p}"],
    ("V3", "SEL §104"): ["Hjerneskadecenter {p}, dagtilbud"],
    (None, "SEL §104"): ["Aktivitets- og samværstilbuddet {p}", "Værestedet {p}"],
    (None, "SEL §103"): ["Beskyttet værksted {p}", "Beskæftigelsestilbuddet {p}"],
}
PLACE_FIRST = [
    "Eng",
    "Sol",
    "Linde",
    "Birke",
    "Kilde",
    "Mølle",
    "Fjord",
    "Skov",
    "Bøge",
    "Elme",
    "Tofte",
    "Rosen",
    "Hede",
    "Lyng",
    "Ege",
    "Vester",
    "Øster",
    "Nørre",
    "Sønder",
    "Bakke",
    "Strand",
    "Kastanie",
    "Lærke",
    "Mose",
    "Ahorn",
    "Hassel",
    "Kløver",
    "Rønne",
    "Pile",
    "Hyld",
]
PLACE_LAST = ["vej", "bakken", "gården", "ly", "huset", "vang", "høj", "dal", "bo", "haven", "lund", "toften", "lyst"]
# 2019 rate, DKK per day (low, high) and places (low, high) per target group; None = general day offers
# 2018 rate (illustrative), DKK per døgn for residential offers, by target group
RATES = {
    "B1": (4500, 9500),
    "B2": (4500, 10000),
    "B3": (3500, 8000),
    "V1": (2200, 6500),
    "V2": (2500, 7000),
    "V3": (2500, 6500),
    None: (1600, 3000),
}
# Day offers and special schools are priced per day, not per døgn (illustrative 2018 levels, DKK per
# day of attendance): beskyttet beskæftigelse (§ 103), aktivitets- og samværstilbud (§ 104), and special
# schools per school day (about 200 a year: 1.800-3.000 kr. a day is 360.000-600.000 kr. a year).
DAY_RATES = {"SEL §103": (550, 1100), "SEL §104": (750, 1500), "FSL §20 stk. 2": (1800, 3000)}
DAYS_PER_YEAR = {"døgn": 365, "dag": 230, "skoledag": 200}  # attendance days behind a year's purchases


def rate_unit(legal_basis: str) -> str:
    """'døgn', 'dag' (day offers §§ 103-104) or 'skoledag' (special schools), as the demo prices them."""
    if legal_basis.startswith("FSL"):
        return "skoledag"
    return "dag" if legal_basis in ("SEL §103", "SEL §104") else "døgn"


def _pl_factor(year: int) -> float:
    """The demo's price and wage index relative to 2018 (the same rises as _price_index)."""
    f = 1.0
    for y in range(2019, year + 1):
        f *= 1 + PRICE_RISE.get(y, 0.020)
    for y in range(year + 1, 2019):
        f /= 1 + PRICE_RISE.get(y, 0.020 if y >= 2016 else 0.018)
    return f


def _rates(rng: np.random.Generator, groups: list, bases: np.ndarray, years: np.ndarray, scale: int) -> np.ndarray:
    """Rates [offer, year], DKK per day (nominal). Real rates (in 2018 prices) follow the rule of each
    period read as the agreement states it, judged in fixed prices against the year before the period:
    2019-2022 no rise above 2018 and at least 2 % below it by 2022, 2023-24 rises (no rule), 2025-26 no
    rise above 2024; a few offers go over. Each offer has its own drift, so the histories differ."""
    n, Y = len(groups), len(years)
    lo = np.array([DAY_RATES.get(b, RATES[g])[0] for g, b in zip(groups, bases)], dtype=float)
    hi = np.array([DAY_RATES.get(b, RATES[g])[1] for g, b in zip(groups, bases)], dtype=float)
    r18 = rng.uniform(lo, hi)  # 2018 level in 2018 prices
    drift = rng.normal(0.0, 0.004, n)  # an offer's own tendency
    change = np.zeros((n, Y))  # real change from the year before
    for j, y in enumerate(years):
        if 2019 <= y <= 2022:
            change[:, j] = rng.uniform(-0.012, -0.0065, n) + np.clip(drift, -0.004, 0.0005)
        elif y in (2023, 2024):
            change[:, j] = rng.uniform(0.005, 0.03, n) + drift
        elif y in (2025, 2026):
            # held (a little under the level: whole kroner and the index's rounding must not lift it) or cut
            change[:, j] = np.where(rng.random(n) < 0.4, rng.uniform(-0.004, -0.002, n), rng.uniform(-0.012, -0.002, n))
        elif y < 2018:
            change[:, j] = rng.uniform(0.0, 0.02, n)
    breakers = rng.choice(n, size=RULE_BREAKERS * scale, replace=False)
    third = len(breakers) // 3
    j21 = np.where(years == 2021)[0][0]
    change[breakers[:third], j21] = rng.uniform(0.03, 0.05, third)  # above 2018 in 2021
    j25, j26 = np.where(years == 2025)[0][0], np.where(years == 2026)[0][0]
    for k, o in enumerate(breakers[third:]):
        if k % 2 == 0:  # above 2024 in 2025, then falling a little: still above 2024 in 2026
            change[o, j25] = rng.uniform(0.025, 0.045)
            change[o, j26] = rng.uniform(-0.015, -0.005)
        else:
            change[o, j26] = rng.uniform(0.01, 0.035)
    i18 = int(np.where(years == 2018)[0][0])
    real = np.empty((n, Y))
    real[:, i18] = r18
    for j in range(i18 + 1, Y):
        real[:, j] = real[:, j - 1] * (1 + change[:, j])
    for j in range(i18 - 1, -1, -1):
        real[:, j] = real[:, j + 1] / (1 + change[:, j + 1])
    pl = np.array([_pl_factor(int(y)) for y in years])
    return np.round(real * pl[None, :])


# Places (low, high) per legal basis: about 10,000 places under the agreement in total (seed 000: "I
# Midtjylland er ca. 10.000 pladser ... omfattet af Rammeaftalen"). Children's offers are under Barnets
# lov from 2024 (before: SEL §66); special schools and day offers are larger than residential offers.
PLACES = {
    "Barnets lov §43": (8, 26),
    "FSL §20 stk. 2": (70, 200),
    "SEL §107": (22, 66),
    "SEL §108": (24, 78),
    "SEL §104": (45, 120),
    "SEL §103": (55, 140),
}
RULE_BREAKERS = 6  # per 200 offers: offers whose rates break the period's rule


def _offers(mun: pd.DataFrame, scale: int) -> tuple[pd.DataFrame, dict]:
    rng = _rng(4, scale)
    groups = [g for g, n in GROUP_PLAN for _ in range(n)] * scale
    order = rng.permutation(len(groups))
    groups = [groups[i] for i in order]
    n = len(groups)

    codes = mun["municipality_code"].to_numpy()
    weights = mun["pop2013"].to_numpy() ** 0.9
    weights = weights / weights.sum()
    u_region = rng.random(n)
    home = rng.choice(len(codes), size=n, p=weights)  # operator (municipal offers)
    site = rng.choice(len(codes), size=n, p=weights)  # location (regional offers)
    u_legal = rng.random(n)
    u_name = rng.integers(0, 1_000_000, n)

    places = [a + b for a in PLACE_FIRST for b in PLACE_LAST]
    places = [places[i] for i in _rng(5).permutation(len(places))]

    rows = []
    for i, g in enumerate(groups):
        regional = u_region[i] < REGION_SHARE[g]
        operator = 1082 if regional else int(codes[home[i]])
        location = int(codes[site[i]]) if regional else operator
        cum = 0.0
        for basis, p in LEGAL[g]:  # noqa: B007 - the loop picks `basis`, used below
            cum += p
            if u_legal[i] < cum:
                break
        templates = NAMES[(g, basis)]
        place = places[i % len(places)] + ("" if i < len(places) else f" {i // len(places) + 1}")
        rows.append(
            {
                "offer_id": f"T{i + 1:04d}",
                "name": templates[u_name[i] % len(templates)].format(p=place),
                "operator_code": operator,
                "municipality_code": location,
                "legal_basis": basis,
                "target_group_id": g,
                "kind": "rammeaftale",
            }
        )
    for oid, unit, operator, basis, _ in SECURED:
        rows.append(
            {
                "offer_id": oid,
                "name": unit,
                "operator_code": operator,
                "municipality_code": None,
                "legal_basis": basis,
                "target_group_id": None,
                "kind": "sikret",
            }
        )
    offers = pd.DataFrame(rows)
    offers["municipality_code"] = offers["municipality_code"].astype("Int64")
    return offers, {"groups": groups}


def _offer_years(offers: pd.DataFrame, groups: list, scale: int) -> pd.DataFrame:
    rng = _rng(6, scale)
    years = _years(2018, LAST_YEAR, scale)  # 2018: the baseline of the 2019-2022 rate rule
    Y = len(years)
    t = (years - 2019).astype(float)
    i19 = int(np.where(years == 2019)[0][0])
    n = len(groups)

    # places: a base number, now and then a small capacity change
    basis = offers["legal_basis"].to_numpy()[:n]
    lo = np.array([PLACES[b][0] for b in basis])
    hi = np.array([PLACES[b][1] for b in basis])
    p0 = rng.integers(lo, hi + 1)
    steps = np.where(rng.random((n, Y)) < 0.12, rng.choice([-2, -1, 1, 2], size=(n, Y)), 0)
    steps[:, 0] = 0
    cum = np.cumsum(steps, axis=1)
    places = np.maximum(2, p0[:, None] + cum - cum[:, [i19]])

    # occupancy: rising for the short groups, falling for the others, flat for general offers
    short = np.array([g in SHORT_GROUPS for g in groups])
    general = np.array([g is None for g in groups])
    mean = np.where(short[:, None], 94.0 + 0.8 * t[None, :], 89.0 - 0.4 * t[None, :])
    mean = np.where(general[:, None], 93.0, mean)
    occ = mean + rng.normal(0, 3.5, (n, 1)) + rng.normal(0, 2.5, (n, Y))
    occ = np.clip(np.round(occ, 1), 55, 135)
    budget = np.round(rng.uniform(90, 97, n) * 2) / 2
    budgeted = np.repeat(budget[:, None], Y, axis=1)

    rate = _rates(rng, groups, offers["legal_basis"].to_numpy()[:n], years, scale)

    # surplus/deficit follows occupancy against budgeted occupancy
    days = np.where(general, 250, 365)
    k = rng.uniform(0.45, 0.75, n)
    surplus = (occ - budgeted) / 100 * places * rate * (days * k)[:, None] / 1000

    o, y = np.meshgrid(np.arange(n), np.arange(Y), indexing="ij")
    gen = pd.DataFrame(
        {
            "offer_id": offers["offer_id"].to_numpy()[:n][o.ravel()],
            "year": years[y.ravel()],
            "places": places.ravel().astype(np.int64),
            "occupancy_pct": occ.ravel(),
            "budgeted_occupancy_pct": budgeted.ravel(),
            "rate_dkk_per_day": rate.ravel(),
            "surplus_deficit_1000_dkk": np.round(surplus.ravel(), 1),
        }
    )

    # the secured offers: real places, pressure on capacity, higher rates
    srng = _rng(7, scale)
    sec = []
    for (oid, _unit, _, _, real_places), (occ_mean, occ_trend, r) in zip(
        SECURED, [(103.0, 0.8, 19500.0), (104.0, 0.6, 21000.0), (97.0, 0.2, 13500.0)]
    ):
        occ_s = np.clip(np.round(occ_mean + occ_trend * t + srng.normal(0, 2.5, Y), 1), 60, 135)
        ch = np.where(np.isin(years, [2023, 2024]), 0.03, np.where(np.isin(years, [2020, 2021, 2022]), -0.008, 0.0))
        ch[years < 2019] = 0.0
        rs = np.empty(Y)
        rs[i19] = r
        for j in range(i19 + 1, Y):
            rs[j] = rs[j - 1] * (1 + ch[j])
        for j in range(i19 - 1, -1, -1):
            rs[j] = rs[j + 1] / 1.02
        rs = np.round(rs)
        bud = 95.0
        sec.append(
            pd.DataFrame(
                {
                    "offer_id": oid,
                    "year": years,
                    "places": real_places,
                    "occupancy_pct": occ_s,
                    "budgeted_occupancy_pct": bud,
                    "rate_dkk_per_day": rs,
                    "surplus_deficit_1000_dkk": np.round((occ_s - bud) / 100 * real_places * rs * 365 * 0.6 / 1000, 1),
                }
            )
        )
    return pd.concat([gen, *sec], ignore_index=True)


EXTRA_SHARE = (0.01, 0.06)  # tillægsydelser as a share of a residential offer's purchases (illustrative)


def _extra_services(offers: pd.DataFrame, offer_years: pd.DataFrame, scale: int) -> pd.DataFrame:
    """Tillægsydelser in the accounts (1,000 DKK) per offer and accounts year: about half the residential
    offers under the agreement sell extra services on top of the rate, 1-6 % of their purchases."""
    rng = _rng(10, scale)
    ram = offers[(offers["kind"] == "rammeaftale") & (offers["legal_basis"].map(rate_unit) == "døgn")]
    ids = sorted(ram["offer_id"])
    chosen = {o for o, u in zip(ids, rng.random(len(ids))) if u < 0.5}
    share = dict(zip(ids, rng.uniform(*EXTRA_SHARE, len(ids))))
    x = offer_years[offer_years["offer_id"].isin(chosen) & (offer_years["year"] <= LAST_ACCOUNTS_YEAR)]
    x = x.sort_values(["offer_id", "year"], ignore_index=True)
    bought = x["rate_dkk_per_day"] * x["places"] * x["occupancy_pct"] / 100 * 365 / 1000
    noise = rng.normal(1.0, 0.2, len(x)).clip(0.4, 1.8)
    amount = bought * x["offer_id"].map(share) * noise
    return pd.DataFrame({"offer_id": x["offer_id"], "year": x["year"], "amount_1000_dkk": amount.round(1)})


# ---------------------------------------------------------------------------------------------
# Demand

# Demand per target group exists from the municipalities' joint survey in early 2026 (seed 000): the
# shipped demo has demand rows for 2026 only (a larger scale extends the years backwards for benchmarks).
# per 10,000 inhabitants of the group's age group: (2019, 2026) for waiting, private, single arrangements
DEMAND_RATES = {
    "B1": ((0.6, 2.2), (3.0, 5.0), (0.30, 0.90)),
    "B2": ((0.6, 2.0), (4.0, 6.5), (0.40, 1.00)),
    "B3": ((0.30, 0.35), (1.5, 1.8), (0.10, 0.12)),
    "V1": ((0.35, 1.1), (3.0, 5.0), (0.30, 0.80)),
    "V2": ((0.3, 1.0), (2.5, 4.5), (0.30, 0.90)),
    "V3": ((0.15, 0.2), (1.0, 1.2), (0.05, 0.08)),
}
# (base, trend): the 2026 level is base + trend. All six groups were identified because suitable offers
# are hard to find (seed 000); B3 and V3 have free places but still lack suitable offers.
DIFFICULTY = {
    "B1": (2.0, 0.6),
    "B2": (2.1, 0.6),
    "B3": (1.6, 0.5),
    "V1": (1.9, 0.6),
    "V2": (2.0, 0.6),
    "V3": (1.5, 0.6),
}


def _demand(mun: pd.DataFrame, pop: np.ndarray, scale: int) -> pd.DataFrame:
    rng = _rng(8, scale)
    years = _years(LAST_YEAR, LAST_YEAR, scale)
    M, Y, G = len(mun), len(years), len(GROUPS)
    frac = np.clip(1 - (LAST_YEAR - years) / 7.0, 0, 1)  # 1 in 2026 (earlier years only at scale > 1)
    age = np.array([0 if g.startswith("B") else 1 for g in GROUPS])
    persons = pop[:, years - MIN_YEAR, :][:, :, age]  # (M, Y, G)
    mfactor = rng.lognormal(0, 0.25, (M, 1, G))

    def counts(pair_index: int) -> np.ndarray:
        a = np.array([DEMAND_RATES[g][pair_index][0] for g in GROUPS])
        b = np.array([DEMAND_RATES[g][pair_index][1] for g in GROUPS])
        per10k = np.maximum(0.02, a[None, :] + (b - a)[None, :] * frac[:, None])  # (Y, G)
        return rng.poisson(per10k[None, :, :] * persons / 10000 * mfactor)

    waiting, private, single = counts(0), counts(1), counts(2)
    base = np.array([DIFFICULTY[g][0] for g in GROUPS])
    trend = np.array([DIFFICULTY[g][1] for g in GROUPS])
    latent = (
        base[None, None, :]
        + trend[None, None, :] * frac[None, :, None]
        + rng.choice([-0.5, 0.0, 0.0, 0.5], size=(M, 1, G))
        + rng.normal(0, 0.35, (M, Y, G))
    )
    difficulty = np.clip(np.round(latent), 0, 3).astype(np.int64)

    m, y, g = np.meshgrid(np.arange(M), np.arange(Y), np.arange(G), indexing="ij")
    return pd.DataFrame(
        {
            "municipality_code": mun["municipality_code"].to_numpy()[m.ravel()],
            "year": years[y.ravel()],
            "target_group_id": np.array(GROUPS, dtype=object)[g.ravel()],
            "difficulty": difficulty.ravel(),
            "citizens_waiting": waiting.ravel().astype(np.int64),
            "placed_private": private.ravel().astype(np.int64),
            "single_arrangements": single.ravel().astype(np.int64),
        }
    )


# ---------------------------------------------------------------------------------------------
# Meetings, initiatives and status updates

MEETINGS = [
    ("2025-02-13", "DASSOS", "DASSOS-møde, 1. kvartal 2025"),
    ("2025-04-08", "KKR", "KKR Midtjylland, forår 2025"),
    ("2025-05-15", "DASSOS", "DASSOS-møde, 2. kvartal 2025"),
    ("2025-08-28", "DASSOS", "DASSOS-møde, 3. kvartal 2025"),
    ("2025-10-07", "KKR", "KKR Midtjylland, efterår 2025"),
    ("2025-11-13", "DASSOS", "DASSOS-møde, 4. kvartal 2025"),
    ("2026-02-12", "DASSOS", "DASSOS-møde, 1. kvartal 2026"),
    ("2026-04-14", "KKR", "KKR Midtjylland, forår 2026"),
    ("2026-05-07", "DASSOS", "DASSOS-møde, 2. kvartal 2026"),
    ("2026-08-27", "DASSOS", "DASSOS-møde, 3. kvartal 2026"),
    ("2026-10-06", "KKR", "KKR Midtjylland, efterår 2026"),
    ("2026-11-12", "DASSOS", "DASSOS-møde, 4. kvartal 2026"),
    ("2026-12-03", "KKR", "KKR Midtjylland, december 2026"),  # ahead: its status updates are made by 20 Nov
]

# The four common principles (P1-P4) replace the rate agreement from Rammeaftale 2027-28 (seed 000): their
# initiatives before 2027 are the preparation phase, started in early 2026 (the page labels them); the
# development area's initiatives (U) belong to "Borgere med komplekse udfordringer" from 2025-26.
# id, principle, title, description, owner, start, deadline, status path (oldest -> latest update):
# S på sporet, R risiko, F forsinket, A afsluttet, I ikke startet
INITIATIVES = [
    (
        "P1-01",
        "P1",
        "Fælles skabelon for kontrakter",
        "En fælles kontraktskabelon for køb og salg af pladser, bygget på den nationale standardkontrakt.",
        "Rammeaftalesekretariatet",
        "2026-01-12",
        "2026-12-31",
        "SSSSSA",
    ),
    (
        "P1-02",
        "P1",
        "Takstgennemsigtighed",
        "Ensartet opdeling i basis- og ydelsestakst og offentliggørelse af takstgrundlaget på tværs af driftsherrer.",
        "Rammeaftalesekretariatet",
        "2026-01-19",
        "2027-06-30",
        "SSSSSR",
    ),
    (
        "P1-03",
        "P1",
        "Fælles principper for tillægsydelser",
        "Fælles principper for, hvornår og hvordan tillægsydelser prisfastsættes og aftales.",
        "Aarhus Kommune",
        "2026-01-29",
        "2027-03-31",
        "SSRRSS",
    ),
    (
        "P1-04",
        "P1",
        "Årlig ledelsesinformation om takster",
        "Opfølgning på takstudvikling, over-/underskud og belægning, når takstaftalen ophører.",
        "Rammeaftalesekretariatet",
        "2026-01-12",
        "2028-06-30",
        "SSSSSS",
    ),
    (
        "P1-05",
        "P1",
        "Fælles model for afregning af enkeltmandsforanstaltninger",
        "En fælles model for prissætning og afregning af enkeltmandsforanstaltninger på tværs af kommunerne.",
        "Randers Kommune",
        "2026-01-22",
        "2026-09-30",
        "SSRRFF",
    ),
    (
        "P1-06",
        "P1",
        "Ensartede varsler ved ændring af pladser",
        "Fælles regler for varsling af lukning, åbning og omlægning af pladser mellem køber og sælger.",
        "Herning Kommune",
        "2027-01-01",
        "2027-12-31",
        "II",
    ),
    (
        "P2-01",
        "P2",
        "Fælles kvalitetsmodel",
        "En fælles kvalitetsmodel med indikatorer for progression og effekt, som bruges ved køb og salg.",
        "DASSOS",
        "2026-01-15",
        "2027-12-31",
        "SSSRRR",
    ),
    (
        "P2-02",
        "P2",
        "Opdatering af guideline for effekt og progression",
        "Den fælles guideline for effekt og progression i samhandlen opdateres og udbredes.",
        "Silkeborg Kommune",
        "2026-01-12",
        "2026-06-30",
        "SSRFFF",
    ),
    (
        "P2-03",
        "P2",
        "Fælles opfølgning på borgerens progression",
        "Fælles metode til opfølgning på borgerens mål og progression på tværs af tilbud.",
        "Viborg Kommune",
        "2026-02-02",
        "2027-12-31",
        "SSSSSS",
    ),
    (
        "P2-04",
        "P2",
        "Kompetenceudvikling om udadreagerende adfærd",
        "Fælles kompetenceforløb for medarbejdere på tilbud til borgere med udadreagerende adfærd.",
        "Region Midtjylland",
        "2026-01-19",
        "2027-06-30",
        "SSSSRF",
    ),
    (
        "P2-05",
        "P2",
        "Rekruttering og fastholdelse på højt specialiserede tilbud",
        "Fælles indsats for rekruttering, fastholdelse og faglige miljøer på de mest specialiserede tilbud.",
        "Horsens Kommune",
        "2026-01-26",
        "2027-12-31",
        "SSRRRR",
    ),
    (
        "P3-01",
        "P3",
        "Fælles overblik over tilbudsviften",
        "Årlig kortlægning af pladser, belægning og ventende borgere pr. målgruppe.",
        "Rammeaftalesekretariatet",
        "2026-01-12",
        "2026-10-31",
        "SSSSAA",
    ),
    (
        "P3-02",
        "P3",
        "Gensidig forpligtelse om kapacitet",
        "Aftale om, at kommunerne melder forventet efterspørgsel, og at driftsherrerne koordinerer kapacitetsudviklingen i KKR-regi.",
        "DASSOS",
        "2026-01-22",
        "2026-10-31",
        "SSSRRR",
    ),
    (
        "P3-03",
        "P3",
        "Fælleskommunalt botilbud for voksne med autisme og udadreagerende adfærd",
        "Etablering af et fælleskommunalt botilbud med skærmede pladser til målgruppe V2.",
        "Aarhus Kommune",
        "2026-01-29",
        "2028-06-30",
        "SSSSSS",
    ),
    (
        "P3-04",
        "P3",
        "Børne- og ungehjem for børn med svær autisme",
        "Nye pladser til børn og unge med svær autisme og udadreagerende adfærd (målgruppe B1).",
        "Region Midtjylland",
        "2026-02-02",
        "2028-06-30",
        "SRRRRS",
    ),
    (
        "P3-05",
        "P3",
        "Koordinering af ansøgninger til botilbudspuljen",
        "Fælles koordinering i KKR-regi af kommunernes ansøgninger til en kommende botilbudspulje.",
        "Rammeaftalesekretariatet",
        "2026-02-01",
        "2027-12-31",
        "SSSRRR",
    ),
    (
        "P4-01",
        "P4",
        "Handlingsplan for de fælles principper",
        "Handlingsplan med initiativer, ansvarlige og milepæle for implementeringen af de fire principper.",
        "DASSOS",
        "2026-01-12",
        "2026-12-31",
        "SSSSSS",
    ),
    (
        "P4-02",
        "P4",
        "Fælles ledelsesinformation til KKR og DASSOS",
        "Et fælles overblik over udgifter, kapacitet, centrale udmeldinger og handlingsplanens status.",
        "Rammeaftalesekretariatet",
        "2026-08-15",
        "2027-06-30",
        "IIS",
    ),
    (
        "P4-03",
        "P4",
        "Lokal forankring i kommunalbestyrelser og regionsråd",
        "Principperne og handlingsplanen drøftes i de politiske udvalg i alle kommuner og i regionen.",
        "DASSOS",
        "2026-06-01",
        "2027-12-31",
        "SSS",
    ),
    (
        "P4-04",
        "P4",
        "Evaluering af de fælles principper",
        "Evaluering af, om principperne har styrket samarbejdet og dæmpet udgiftsudviklingen.",
        "Rammeaftalesekretariatet",
        "2027-06-01",
        "2028-06-30",
        "II",
    ),
    (
        "U-01",
        "U",
        "Kapacitetsanalyse for borgere med komplekse udfordringer",
        "Analyse af behov og kapacitet for de seks målgrupper, der danner grundlag for den fælles kapacitetsudvikling.",
        "Rammeaftalesekretariatet",
        "2025-01-15",
        "2026-12-31",
        "SSSSSS",
    ),
    (
        "U-02",
        "U",
        "Overgang fra ung til voksen",
        "Fælles model for overgangen fra børne- og ungeområdet til voksenområdet med tidlig afklaring og koordinering.",
        "Skanderborg Kommune",
        "2025-02-01",
        "2027-06-30",
        "SSSSSR",
    ),
    (
        "U-03",
        "U",
        "Mental sundhed og psykiatri i det nære",
        "Fælles indsatser for mental sundhed og mod mistrivsel, koblet til psykiatriens 10-årsplan.",
        "Region Midtjylland",
        "2025-01-15",
        "2028-06-30",
        "SSSSSS",
    ),
    (
        "U-04",
        "U",
        "Fælles afdækning af komplekse målgrupper",
        "Fælleskommunal afdækning af de målgrupper, kommunerne har sværest ved at finde tilbud til.",
        "Rammeaftalesekretariatet",
        "2025-09-01",
        "2026-06-30",
        "SSSAAA",
    ),
    (
        "U-05",
        "U",
        "Alternativer til enkeltmandsforanstaltninger",
        "Udvikling af fælles tilbud, der kan erstatte omkostningstunge enkeltmandsforanstaltninger.",
        "Holstebro Kommune",
        "2025-06-01",
        "2027-12-31",
        "SSSSSS",
    ),
    (
        "U-06",
        "U",
        "Samarbejde med behandlingspsykiatrien",
        "Sammenhængende forløb på tværs af kommuner og behandlingspsykiatri for borgere med svær psykisk sygdom.",
        "Region Midtjylland",
        "2025-03-01",
        "2027-12-31",
        "SSRRSS",
    ),
    (
        "U-07",
        "U",
        "Netværk og videndeling om komplekse udfordringer",
        "Fagligt netværk på tværs af kommuner og region om metoder til borgere med komplekse udfordringer.",
        "Ikast-Brande Kommune",
        "2025-02-01",
        "2026-11-30",
        "SSSSSA",
    ),
]
STATUS_CODES = {"S": "på sporet", "R": "risiko", "F": "forsinket", "A": "afsluttet", "I": "ikke startet"}
NOTES = {
    "S": [
        "Arbejdet forløber som planlagt.",
        "Arbejdsgruppen har holdt møde; udkast drøftes på næste møde.",
        "Milepæl nået; næste skridt er høring i kommunerne.",
        "Status drøftet; ingen ændringer i tidsplanen.",
    ],
    "R": [
        "Risiko for forsinkelse: begrænsede ressourcer i arbejdsgruppen.",
        "Afhænger af national afklaring; tidsplanen kan skride.",
        "Uenighed om model; drøftes på næste DASSOS-møde.",
    ],
    "F": [
        "Forsinket: ny tidsplan forelægges DASSOS.",
        "Fristen er overskredet; ny frist foreslås.",
        "Forsinket: afventer afklaring af finansiering.",
    ],
    "A": ["Afsluttet og forelagt DASSOS.", "Afsluttet; resultatet er sendt til kommunerne."],
    "I": ["Opstart planlagt; arbejdsgruppe under nedsættelse.", "Ikke startet endnu; opstart følger tidsplanen."],
}
UPDATE_LEAD_DAYS = [0, 2, 3, 5, 7]  # an update is made on the meeting date or a few days before
LAST_UPDATE = dt.date.fromisoformat(ILLUSTRATIVE_DATE)  # the snapshot's date: no update is dated after it


def _meetings() -> pd.DataFrame:
    return pd.DataFrame(MEETINGS, columns=["meeting_date", "body", "title"])


def _initiatives() -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = _rng(9)
    initiatives = pd.DataFrame(
        [r[:7] for r in INITIATIVES],
        columns=["initiative_id", "principle_id", "title", "description", "owner", "start_date", "deadline"],
    )
    meetings = [dt.date.fromisoformat(m[0]) for m in MEETINGS]
    rows = []
    for i, (iid, _, _, _, _, start, deadline, path) in enumerate(INITIATIVES):
        s, d = dt.date.fromisoformat(start), dt.date.fromisoformat(deadline)
        after = [m for m in meetings if m - dt.timedelta(days=7) > s]
        chosen = after[-len(path) :] if after else []
        if len(chosen) < len(path):  # not yet started: updates on the latest meetings anyway
            chosen = meetings[-len(path) :]
        codes = path[-len(chosen) :]
        progress = 0.0
        begun = s  # progress is measured from the start, or from when a not-started initiative began
        prev = ""
        for j, (m, code) in enumerate(zip(chosen, codes)):
            day = m - dt.timedelta(days=UPDATE_LEAD_DAYS[(i + j) % len(UPDATE_LEAD_DAYS)])
            day = min(day, LAST_UPDATE)  # none after the data's own date (for the meeting ahead: made early)
            if code == "I":
                begun = max(s, day)
            elapsed = min(1.0, max(0.0, (day - begun).days / max(1, (d - begun).days)))
            if code == "A":
                p = 100.0
            elif code == "I":
                p = 0.0
            else:
                pace = {"S": rng.uniform(0.9, 1.1), "R": 0.7, "F": 0.5}[code]
                p = min(95.0, max(5.0, round(100 * elapsed * pace / 5) * 5))
            progress = p if code in "AI" else max(progress, p)
            note = (
                "Arbejdet er gået i gang." if prev == "I" and code != "I" else NOTES[code][(i + j) % len(NOTES[code])]
            )
            rows.append(
                {
                    "initiative_id": iid,
                    "update_date": day.isoformat(),
                    "status": STATUS_CODES[code],
                    "progress_pct": float(progress),
                    "note": note,
                }
            )
            prev = code
    return initiatives, pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# Build and write


def build(scale: int = 1) -> tuple[dict[str, pd.DataFrame], dict[str, store.TableMeta]]:
    """Every table of the contract and its provenance. Deterministic: same version, same rows."""
    if not isinstance(scale, int) or not 1 <= scale <= MAX_SCALE:
        raise ValueError(f"scale skal være et heltal mellem 1 og {MAX_SCALE}")
    real = _real_tables()
    mun = _municipality_frame(scale)
    operators = pd.DataFrame(
        [(int(c), f"{n} Kommune", "kommune") for c, n in zip(mun["municipality_code"], mun["name"])]
        + [(c, n, "region") for c, n in REGIONS],
        columns=["operator_code", "name", "kind"],
    )
    pop = _population_model(mun)
    offers, info = _offers(mun, scale)
    initiatives, updates = _initiatives()
    offer_years = _offer_years(offers, info["groups"], scale)
    spending = _spending(
        mun, pop, real["account_functions"]["function_code"].tolist(), scale, purchases(offers, offer_years)
    )
    o_mun, o_pop, o_spend = _other_regions(mun, pop, spending, scale)
    keys = ["municipality_code", "year", "function_code", "kind"]
    tables = {
        "municipalities": pd.concat(
            [mun[["municipality_code", "name", "landsdel"]].assign(region_code=DEMO_REGION), o_mun], ignore_index=True
        ).sort_values("municipality_code", ignore_index=True),
        "operators": operators,
        "population": pd.concat([_population(mun, pop, scale), o_pop], ignore_index=True).sort_values(
            ["municipality_code", "year"], kind="stable", ignore_index=True
        ),
        "price_index": _price_index(scale),
        "account_functions": real["account_functions"],
        "spending": pd.concat([spending, o_spend], ignore_index=True).sort_values(keys, ignore_index=True),
        "agreements": real["agreements"],
        "target_groups": real["target_groups"],
        "offers": offers,
        "offer_years": offer_years,
        "extra_services": _extra_services(offers, offer_years, scale),
        "demand": _demand(mun, pop, scale),
        "central_notices": real["central_notices"],
        "principles": real["principles"],
        "initiatives": initiatives,
        "initiative_updates": updates,
        "meetings": _meetings(),
        "secured_units": real["secured_units"],
        "national_offers": real["national_offers"],
    }
    tables = {name: tables[name] for name in schema.TABLES}  # contract order
    meta = {}
    for name in tables:
        if name in REAL_SOURCES and not (name in ("municipalities", "operators") and scale > 1):
            meta[name] = store.TableMeta("real", REAL_SOURCES[name], REAL_DATE)
        else:
            meta[name] = store.TableMeta("illustrative", ILLUSTRATIVE_SOURCE, ILLUSTRATIVE_DATE)
    return tables, meta


def earlier(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The tables as an earlier data update had them (the demo's snapshot EARLIER_ID, published before
    the DASSOS meeting of 12 Nov 2026), derived from the current demo tables. ILLUSTRATIVE, like the rest
    of the generated data: plausible, deterministic differences that a data update between two meetings
    brings, so that 'Siden sidste møde' has something to compare on the shipped data:

    - spending: the 2025 accounts of three municipalities were preliminary (-1.5 %, +0.8 %, -2.2 % on one
      account function each) and two municipalities' 2026 budgets were revised since (+3 %, -1 % on one
      function each), in both areas;
    - offers: one B1 children's home was not yet in the data (opened since: no offer, offer years or
      extra services then), and one V2 offer had 4 fewer places in 2026 (expanded since);
    - demand: the survey's waiting citizens for B1 in two municipalities were 2 and 1 fewer;
    - initiative_updates: the updates registered after the earlier snapshot's date are absent.

    The real reference tables (central notices included) are the same: they are never changed here.
    Only at scale 1 (the shipped demo)."""
    out = {name: df.copy() for name, df in tables.items()}

    sp = out["spending"]
    for code, fn, kind, year, factor in (
        (751, "5.38.50", "regnskab", 2025, 0.985),
        (730, "3.22.08", "regnskab", 2025, 1.008),
        (657, "5.28.23", "regnskab", 2025, 0.978),
        (615, "5.38.52", "budget", 2026, 1.03),
        (746, "5.28.21", "budget", 2026, 0.99),
    ):
        m = (
            (sp["municipality_code"] == code)
            & (sp["function_code"] == fn)
            & (sp["kind"] == kind)
            & (sp["year"] == year)
        )
        sp.loc[m, "net_1000_dkk"] = (sp.loc[m, "net_1000_dkk"] * factor).round(1)

    offers = out["offers"]
    b1 = sorted(offers[(offers["target_group_id"] == "B1") & (offers["kind"] == "rammeaftale")]["offer_id"])
    v2 = sorted(offers[(offers["target_group_id"] == "V2") & (offers["kind"] == "rammeaftale")]["offer_id"])
    opened, expanded = b1[0], v2[0]
    for name in ("offers", "offer_years", "extra_services"):
        out[name] = out[name][out[name]["offer_id"] != opened].reset_index(drop=True)
    oy = out["offer_years"]
    m = (oy["offer_id"] == expanded) & (oy["year"] == LAST_YEAR)
    oy.loc[m, "places"] = (oy.loc[m, "places"] - 4).clip(lower=2)

    de = out["demand"]
    for code, less in ((751, 2), (740, 1)):
        m = (de["municipality_code"] == code) & (de["year"] == LAST_YEAR) & (de["target_group_id"] == "B1")
        de.loc[m, "citizens_waiting"] = (de.loc[m, "citizens_waiting"] - less).clip(lower=0)

    up = out["initiative_updates"]
    out["initiative_updates"] = up[up["update_date"] <= EARLIER_DATE].reset_index(drop=True)
    return out


def write(base: Path | None = None, scale: int = 1, make_current: bool = True) -> str:
    """Build, validate and publish the demo snapshot ("demo", or "demo-x<scale>"); returns its id.

    At scale 1 an earlier snapshot (EARLIER_ID, see earlier()) is published first, never made current,
    and "demo" records it as its parent. A demo snapshot of the same id is replaced (a demo can be
    regenerated; no other snapshot is ever removed): store.publish writes it completely and swaps it in
    with two renames, so CURRENT never names a half-written demo. If CURRENT named the old demo, it
    names the new one afterwards.
    """
    tables, meta = build(scale)
    parent = None
    base = Path(base) if base else None
    if scale == 1:
        before = earlier(tables)
        _check(before)
        before_meta = {
            n: m if m.provenance == "real" else store.TableMeta(m.provenance, m.source, EARLIER_DATE)
            for n, m in meta.items()
        }
        parent = store.publish(
            before,
            before_meta,
            note=EARLIER_NOTE,
            sid=EARLIER_ID,
            base=base,
            make_current=False,
            created=EARLIER_CREATED,
            replace=True,
            parent=None,
        )
    _check(tables)
    sid = "demo" if scale == 1 else f"demo-x{scale}"
    assert DEMO_ID.match(sid) and DEMO_ID.match(EARLIER_ID)
    return store.publish(
        tables,
        meta,
        note=NOTE,
        sid=sid,
        base=base,
        make_current=make_current,
        created=CREATED,
        replace=True,
        parent=parent,
    )


def _check(tables: dict[str, pd.DataFrame]) -> None:
    problems = schema.errors(schema.validate(tables))
    if problems:
        raise ValueError("Demodata overholder ikke datakontrakten:\n" + "\n".join(p.message() for p in problems[:50]))
