"""The demo snapshot: deterministic, valid, real reference facts intact, plausible illustrative data.

Expected values are computed here with plain pandas from the frames and the reference CSVs, never by
calling the demo module's own helpers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from overblik import cli, demo, schema, store

ROOT = Path(__file__).resolve().parent.parent
REF = ROOT / "overblik" / "reference"
TODAY = "2026-11-23"


def ref(name: str) -> pd.DataFrame:
    return pd.read_csv(REF / f"{name}.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def built():
    return demo.build()


@pytest.fixture(scope="module")
def tables(built):
    return built[0]


def midt(tables: dict) -> dict:
    """The tables restricted to Region Midtjylland's municipalities (region_code 1082), as the dashboard
    serves them by default: the demo's other 79 municipalities only add population and spending."""
    mun = tables["municipalities"]
    codes = set(mun.loc[mun["region_code"] == 1082, "municipality_code"])
    out = dict(tables)
    for name in ("municipalities", "population", "spending"):
        out[name] = tables[name][tables[name]["municipality_code"].isin(codes)].reset_index(drop=True)
    return out


def _manifest(base: Path, sid: str) -> dict:
    return json.loads((base / "snapshots" / sid / "manifest.json").read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------
# Determinism and validity


def test_build_twice_gives_identical_frames(built):
    tables2, meta2 = demo.build()
    tables1, meta1 = built
    assert list(tables1) == list(tables2) == list(schema.TABLES)
    for name in tables1:
        pd.testing.assert_frame_equal(tables1[name], tables2[name], check_exact=True, obj=name)
    assert meta1 == meta2


def test_write_twice_gives_identical_snapshots(tmp_path, monkeypatch):
    a, b = tmp_path / "a", tmp_path / "b"
    monkeypatch.setenv("OVERBLIK_DATA_DIR", str(a))
    assert demo.write(a) == "demo"
    monkeypatch.setenv("OVERBLIK_DATA_DIR", str(b))
    assert demo.write(b) == "demo"
    ma, mb = _manifest(a, "demo"), _manifest(b, "demo")
    assert {n: e["sha256"] for n, e in ma["tables"].items()} == {n: e["sha256"] for n, e in mb["tables"].items()}
    assert ma == mb
    assert ma["created"] == "2026-11-20T00:00:00+00:00"
    assert ma["note"] == "Demodata (fiktive eksempeldata) med reelle referencedata"
    assert set(ma["tables"]) == set(schema.TABLES)
    assert (a / "CURRENT").read_text().strip() == "demo"
    assert store.verify("demo", a) == []
    # the earlier demo snapshot is written too, identically, and is the demo's parent
    ea, eb = _manifest(a, demo.EARLIER_ID), _manifest(b, demo.EARLIER_ID)
    assert ea == eb and ea["created"] == "2026-11-02T00:00:00+00:00" and ea["parent"] is None
    assert ma["parent"] == demo.EARLIER_ID and store.verify(demo.EARLIER_ID, a) == []
    assert sorted(p.name for p in (a / "snapshots").iterdir()) == ["demo", demo.EARLIER_ID]  # no staging left
    assert not [p.name for p in a.iterdir() if p.name not in ("snapshots", "CURRENT")]
    # the shipped snapshots are exactly what the demo writes (a reference CSV edited without
    # `python -m overblik demo` would leave the shipped data behind)
    for sid in ("demo", demo.EARLIER_ID):
        assert _manifest(ROOT / "data", sid) == _manifest(a, sid), sid


def test_independent_of_hash_seed(tmp_path):
    """Two fresh interpreters with different hash seeds write byte-identical tables."""
    hashes = []
    for seed in ("1", "2"):
        out = tmp_path / f"h{seed}"
        env = dict(os.environ, PYTHONHASHSEED=seed, OVERBLIK_DATA_DIR=str(out), PYTHONPATH=str(ROOT))
        r = subprocess.run(
            [sys.executable, "-m", "overblik", "demo", "--out", str(out)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert r.returncode == 0, r.stderr
        assert r.stdout.strip() == "demo"
        hashes.append({n: e["sha256"] for n, e in _manifest(out, "demo")["tables"].items()})
    assert hashes[0] == hashes[1]


def test_earlier_snapshot_differs_only_as_documented(tables):
    """demo.earlier(): the illustrative differences of the earlier demo snapshot, counted row by row."""
    before = demo.earlier(tables)
    assert schema.errors(schema.validate(before)) == []
    for name in demo.REAL_SOURCES:  # real reference facts are never changed
        pd.testing.assert_frame_equal(before[name], tables[name], check_exact=True, obj=name)
    for name in ("population", "price_index", "initiatives", "meetings", "agreements"):
        pd.testing.assert_frame_equal(before[name], tables[name], check_exact=True, obj=name)
    key = ["municipality_code", "year", "function_code", "kind"]
    sp = tables["spending"].merge(before["spending"], on=key, suffixes=("", "_then"))
    assert len(sp) == len(tables["spending"])
    diff = sp[sp["net_1000_dkk"] != sp["net_1000_dkk_then"]]
    assert sorted(zip(diff["municipality_code"], diff["kind"], diff["year"])) == [
        (615, "budget", 2026),
        (657, "regnskab", 2025),
        (730, "regnskab", 2025),
        (746, "budget", 2026),
        (751, "regnskab", 2025),
    ]
    assert ((diff["net_1000_dkk_then"] / diff["net_1000_dkk"] - 1).abs() < 0.035).all()
    gone = set(tables["offers"]["offer_id"]) - set(before["offers"]["offer_id"])
    assert len(gone) == 1 and set(before["offers"]["offer_id"]) < set(tables["offers"]["offer_id"])
    assert not gone & set(before["offer_years"]["offer_id"]) and not gone & set(before["extra_services"]["offer_id"])
    oy = tables["offer_years"].merge(before["offer_years"], on=["offer_id", "year"], suffixes=("", "_then"))
    changed = oy[oy["places"] != oy["places_then"]]
    assert len(changed) == 1 and changed["year"].iloc[0] == 2026
    assert (changed["places"] - changed["places_then"]).iloc[0] == 4
    de = tables["demand"].merge(before["demand"], on=["municipality_code", "year", "target_group_id"])
    assert (de["citizens_waiting_x"] - de["citizens_waiting_y"]).sum() == 3
    up = before["initiative_updates"]
    assert up["update_date"].max() <= "2026-11-02" and len(up) < len(tables["initiative_updates"])
    now = tables["initiative_updates"]
    assert len(up) == (now["update_date"] <= "2026-11-02").sum()


def test_validates_without_errors(tables):
    problems = schema.validate(tables)
    assert schema.errors(problems) == []
    # the only warnings are over-occupancy, and there are some but not too many
    assert {p.rule for p in problems} == {"overbelægning over 100 %"}
    assert 0.03 < len(problems) / len(tables["offer_years"]) < 0.3


def test_provenance(built):
    _tables, meta = built
    real = {
        "municipalities",
        "operators",
        "account_functions",
        "agreements",
        "target_groups",
        "principles",
        "central_notices",
        "secured_units",
        "national_offers",
    }
    for name, m in meta.items():
        if name in real:
            assert m.provenance == "real" and m.data_date == "2026-11-01" and m.source, name
        else:
            assert m.provenance == "illustrative", name
            assert m.source == "Fiktive eksempeldata (genereret af overblik.demo)"
            assert m.data_date == "2026-11-20"
    assert meta["municipalities"].source == "Danmarks Statistik (kommunekoder, landsdele og regioner)"


# ---------------------------------------------------------------------------------------------
# Sizes and shapes


def test_row_counts(tables):
    n = {k: len(v) for k, v in tables.items()}
    assert n["municipalities"] == 98  # the whole country; 19 in Region Midtjylland
    assert len(midt(tables)["municipalities"]) == 19
    assert n["operators"] == 24
    assert n["population"] == 98 * 11 * 4  # 0-17, 18-64, 65+ and the overlapping 0-22
    assert n["price_index"] == 12  # 2016-2026 and the 2027 forecast
    assert n["account_functions"] == 18
    assert n["spending"] == 98 * 18 * (10 + 3)  # accounts 2016-2025, budgets 2025-2027
    assert n["agreements"] == 5
    assert n["target_groups"] == 6
    assert 183 <= n["offers"] <= 223
    assert n["offer_years"] == n["offers"] * 9  # 2018-2026
    assert 0 < n["extra_services"] < n["offer_years"]
    assert n["demand"] == 19 * 1 * 6  # from the 2026 survey only
    assert n["central_notices"] == 8
    assert n["principles"] == 5
    assert 24 <= n["initiatives"] <= 28
    assert n["meetings"] >= 10
    assert n["secured_units"] == 4
    assert n["national_offers"] == 10


def test_years_and_kinds(tables):
    pop = tables["population"]
    assert sorted(pop["year"].unique()) == list(range(2016, 2027))
    pi = tables["price_index"].set_index("year")["index"]
    assert sorted(pi.index) == list(range(2016, 2028)) and pi[2026] == 100  # 2027: the PL forecast
    assert pi.is_monotonic_increasing
    rise = pi.pct_change()
    assert rise[2022] > rise[2019] and rise[2023] > rise[2019]
    sp = tables["spending"]
    assert sorted(sp.loc[sp["kind"] == "regnskab", "year"].unique()) == list(range(2016, 2026))
    assert sorted(sp.loc[sp["kind"] == "budget", "year"].unique()) == [2025, 2026, 2027]
    assert set(sp["function_code"]) == set(ref("account_functions")["function_code"])
    assert sorted(tables["offer_years"]["year"].unique()) == list(range(2018, 2027))  # 2018: the baseline
    assert sorted(tables["demand"]["year"].unique()) == [2026]  # no constructed history before the 2026 survey


def test_population_plausible(tables):
    tables = midt(tables)
    whole = tables["population"][tables["population"]["age_group"] != "0-22"]  # 0-22 overlaps the others
    pop = whole.pivot_table(index="municipality_code", columns="year", values="persons", aggfunc="sum")
    mun = (
        ref("municipalities")
        .query("region_code == '1082'")
        .assign(municipality_code=lambda d: d["municipality_code"].astype(int))
        .set_index("municipality_code")
    )
    ratio = pop[2016] / mun["population_2013"].astype(float)
    assert ratio.between(0.9, 1.1).all()
    growth = pop[2026] / pop[2016]
    assert growth.idxmax() == 751  # Aarhus grows fastest
    assert (growth[[665, 671, 741]] < 1).all()  # Lemvig, Struer, Samsø shrink
    shares = tables["population"].groupby("age_group")["persons"].sum() / whole["persons"].sum()
    assert 0.18 < shares["0-17"] < 0.26 and 0.55 < shares["18-64"] < 0.66 and 0.14 < shares["65+"] < 0.24
    assert 0.22 < shares["0-22"] < 0.33 and shares["0-22"] > shares["0-17"]


def test_spending_plausible(tables):
    sp = midt(tables)["spending"]
    acc = sp[sp["kind"] == "regnskab"].groupby("year")["net_1000_dkk"].sum()
    assert (acc.between(5e6, 4e7)).all()  # 5-40 billion DKK a year
    growth = acc.pct_change().dropna()
    assert growth.between(0.02, 0.06).all()
    # budgets within +-5 % of accounts
    key = ["municipality_code", "function_code"]
    b = sp[(sp["kind"] == "budget") & (sp["year"] == 2025)].set_index(key)["net_1000_dkk"]
    r = sp[(sp["kind"] == "regnskab") & (sp["year"] == 2025)].set_index(key)["net_1000_dkk"]
    assert (b / r).between(0.95, 1.05).all()
    # some municipalities bend: falling spending in fixed prices 2023 -> 2025
    pi = tables["price_index"].set_index("year")["index"]
    per = sp[sp["kind"] == "regnskab"].pivot_table(
        index="municipality_code", columns="year", values="net_1000_dkk", aggfunc="sum"
    )
    fixed = per[[2023, 2025]] / pi[[2023, 2025]].to_numpy() * 100
    bending = (fixed[2025] < fixed[2023]).sum()
    assert 2 <= bending <= 10


def test_offers_and_offer_years(tables):
    offers, oy = tables["offers"], tables["offer_years"]
    ram = offers[offers["kind"] == "rammeaftale"]
    assert 180 <= len(ram) <= 220
    assert set(ram["target_group_id"].dropna()) == {"B1", "B2", "B3", "V1", "V2", "V3"}
    assert ram["target_group_id"].isna().sum() > 0  # general offers
    assert (offers["operator_code"] == 1082).sum() >= 10
    assert offers["operator_code"].nunique() >= 12
    assert offers["offer_id"].is_unique and offers["name"].is_unique
    # children's offers are under Barnets lov from 2024 (no "SEL §66" on an offer that exists today)
    assert set(ram["legal_basis"]) <= {
        "SEL §108",
        "SEL §107",
        "Barnets lov §43",
        "SEL §104",
        "SEL §103",
        "FSL §20 stk. 2",
    }
    # about 10,000 places under the agreement (seed 000: "ca. 10.000 pladser")
    places = oy[oy["offer_id"].isin(ram["offer_id"])].groupby("year")["places"].sum()
    assert places.between(9_000, 11_000).all(), places
    x = oy.merge(offers[["offer_id", "kind", "legal_basis"]], on="offer_id")
    r = x[x["kind"] == "rammeaftale"]
    # per døgn for residential offers, per day for day offers (§§ 103-104), per school day for special schools
    day = r["legal_basis"].isin(["SEL §103", "SEL §104"])
    school = r["legal_basis"].str.startswith("FSL")
    assert r.loc[~day & ~school, "rate_dkk_per_day"].between(1500, 15000).all()
    assert r.loc[day, "rate_dkk_per_day"].between(400, 2000).all()
    assert r.loc[school, "rate_dkk_per_day"].between(1500, 4000).all()  # about 300.000-800.000 kr. a year
    assert x.loc[x["kind"] == "sikret", "rate_dkk_per_day"].min() > r["rate_dkk_per_day"].median()
    assert r["budgeted_occupancy_pct"].between(90, 97).all()
    assert r["occupancy_pct"].between(85, 105).mean() > 0.8
    assert (r["occupancy_pct"] > 100).any() and (r["occupancy_pct"] < r["budgeted_occupancy_pct"]).any()
    # surplus follows occupancy against budget
    diff = x["occupancy_pct"] - x["budgeted_occupancy_pct"]
    assert ((x["surplus_deficit_1000_dkk"] > 0) == (diff > 0.05)).loc[diff.abs() > 0.05].all()


def test_rates_mostly_follow_the_period_rules(tables):
    """Read as the agreement states it, in fixed prices against the year before the period (hand-written
    here with pandas, not overblik.rates): a handful of offers go over, and histories differ."""
    offers, oy = tables["offers"], tables["offer_years"]
    ids = offers.loc[offers["kind"] == "rammeaftale", "offer_id"]
    nominal = oy[oy["offer_id"].isin(ids)].pivot(index="offer_id", columns="year", values="rate_dkk_per_day")
    pi = tables["price_index"].set_index("year")["index"]
    real = nominal / pi[nominal.columns].to_numpy()
    above_2018 = (real[[2019, 2020, 2021, 2022]].gt(real[2018], axis=0)).any(axis=1)
    short_2022 = real[2022] / real[2018] - 1 > -0.02
    above_2024 = (real[[2025, 2026]].gt(real[2024], axis=0)).any(axis=1)
    broken = above_2018 | short_2022 | above_2024
    assert 2 <= broken.sum() <= 0.15 * len(real)  # a handful go over
    assert above_2018.sum() >= 1 and above_2024.sum() >= 1
    # the case exists: above 2024 in 2026 although it fell from 2025 to 2026
    assert ((real[2026] > real[2024]) & (real[2026] < real[2025])).any()
    change = real.pct_change(axis=1)
    assert change[[2023, 2024]].median().between(0.005, 0.03).all()  # the unregulated years rise
    assert change[2021].std() > 0.003  # histories vary between offers


def test_purchases_fit_spending_on_the_matching_functions(tables):
    """Rates × occupied place-days (what the municipalities pay the offers) are a plausible share of the
    accounts on the function they are booked on, every year. The mapping is written out here."""
    fn = {"SEL §108": "5.38.50", "SEL §107": "5.38.52", "SEL §103": "5.38.58", "SEL §104": "5.38.59"}
    days = {"SEL §103": 230, "SEL §104": 230}
    x = tables["offer_years"].merge(tables["offers"][["offer_id", "legal_basis"]], on="offer_id")
    x["function_code"] = x["legal_basis"].map(
        lambda b: (
            "5.28.24"
            if b.startswith("Barnets lov (sikret")
            else fn.get(b.split(" (")[0], "3.22.08" if b.startswith("FSL") else "5.28.23")
        )
    )
    x["days"] = x["legal_basis"].map(lambda b: 200 if b.startswith("FSL") else days.get(b, 365))
    x["paid"] = x["rate_dkk_per_day"] * x["places"] * x["occupancy_pct"] / 100 * x["days"] / 1000
    paid = x.groupby(["function_code", "year"])["paid"].sum()
    sp = midt(tables)["spending"]
    acc = sp[sp["kind"] == "regnskab"].groupby(["function_code", "year"])["net_1000_dkk"].sum()
    share = (paid / acc).dropna()
    assert len(share) >= 7 * 8
    assert share.between(0.05, 0.95).all(), share[~share.between(0.05, 0.95)]  # never more than the accounts
    assert (share.groupby("function_code").median().drop("3.22.08") > 0.3).all()  # a large part of the posts


def test_extra_services_and_price_index_source(tables):
    es = tables["extra_services"].merge(tables["offers"], on="offer_id")
    assert (es["kind"] == "rammeaftale").all() and es["year"].max() == 2025 and (es["amount_1000_dkk"] >= 0).all()
    assert es["offer_id"].nunique() >= 20
    assert tables["price_index"]["source"].str.contains("PL-indeks").all()


def test_demand_difficulty(tables):
    d = tables["demand"]
    # every group was identified because suitable offers are hard to find (seed 000): at least half of
    # the municipalities report significant or great difficulty (2-3) for each of them
    share = (d[d["year"] == 2026]["difficulty"] >= 2).groupby(d["target_group_id"]).mean()
    assert (share >= 0.5).all(), share


def test_capacity_gap(tables):
    """gap = occupied places + citizens waiting - places offered, for rammeaftale offers, per target group."""
    offers, oy, d = tables["offers"], tables["offer_years"], tables["demand"]
    x = oy.merge(offers, on="offer_id")
    x = x[(x["kind"] == "rammeaftale") & x["target_group_id"].notna()].copy()
    x["occupied"] = x["places"] * x["occupancy_pct"] / 100
    cap = x.groupby(["target_group_id", "year"])[["places", "occupied"]].sum()
    waiting = d.groupby(["target_group_id", "year"])["citizens_waiting"].sum()
    gap = (cap["occupied"] + waiting - cap["places"]).unstack()
    g2026 = gap[2026]
    assert sorted(g2026[g2026 >= 1].index) == ["B1", "B2", "V1", "V2"]
    # B3 and V3: free places, yet lacking suitable offers (test_demand_difficulty)
    assert (g2026[["B3", "V3"]] <= -20).all()


# ---------------------------------------------------------------------------------------------
# Real reference tables equal the reference facts


def test_municipalities_and_operators(tables):
    m = ref("municipalities")
    got = tables["municipalities"].sort_values("municipality_code").reset_index(drop=True)
    assert got["municipality_code"].tolist() == sorted(m["municipality_code"].astype(int))
    exp = m.assign(municipality_code=m["municipality_code"].astype(int)).sort_values("municipality_code")
    assert got["name"].tolist() == exp["name"].tolist()
    assert got["landsdel"].tolist() == exp["landsdel"].tolist()
    assert got["region_code"].tolist() == exp["region_code"].astype(int).tolist()
    assert "population_2013" not in tables["municipalities"].columns
    ops = tables["operators"].set_index("operator_code")
    own = exp.loc[exp["region_code"] == "1082", "municipality_code"]
    assert set(ops.index) == set(own) | {1081, 1082, 1083, 1084, 1085}
    assert ops.loc[1082, "name"] == "Region Midtjylland" and ops.loc[1085, "name"] == "Region Sjælland"
    assert (ops.loc[ops.index >= 1081, "kind"] == "region").all()
    assert (ops.loc[ops.index < 1000, "kind"] == "kommune").all()


def test_central_notices(tables):
    exp = ref("central_notices").set_index("notice_id")
    got = tables["central_notices"].set_index("notice_id")
    assert sorted(got.index) == sorted(exp.index) and len(got) == 8
    for nid, e in exp.iterrows():
        g = got.loc[nid]
        assert g["source_url"] == e["source_url"]
        assert g["target_group"] == e["target_group"]
        assert g["issued"] == e["issued"] and g["report_submitted"] == e["report_submitted"]
        assert g["status"] == e["latest_status"]
        assert g["decision_date"] == e["latest_event_date"]
        assert g["outcome"] == e["outcome"]
        # open = the national board's assessment is pending; an unknown outcome is not open
        assert g["is_open"] == (1 if "afventer" in e["latest_status"] else 0)
    assert got.loc["CU-2019-1", "renewed_treatment"] == "2023-11-23"  # the verified reference: requested 2023-11-23
    assert got.loc["CU-2019-2", "renewed_treatment"] == "2024-05"
    assert got["renewed_treatment"].notna().sum() == 2
    assert got.loc["CU-2022-1", "outcome"] == "Udfald ikke fundet i offentlige kilder"
    assert "Vestdanmark" in got.loc["CU-2019-1", "midtjylland_response"]
    assert (
        got.loc[["CU-2014-1", "CU-2014-2", "CU-2015-1", "CU-2022-1", "CU-2022-2"], "midtjylland_response"].isna().all()
    )


def test_target_groups_principles_agreements(tables):
    tg = tables["target_groups"].set_index("target_group_id")
    e = ref("target_groups").set_index("target_group_id")
    assert list(tg.index) == ["B1", "B2", "B3", "V1", "V2", "V3"]
    assert (tg["name"] == e["name"]).all() and (tg["area"] == e["area"]).all()
    assert tg["short_name"].str.len().max() <= 28 and tg["short_name"].is_unique
    assert all(s.startswith(i + " ") for i, s in tg["short_name"].items())

    pr = tables["principles"].set_index("principle_id")["name"]
    ep = ref("principles").set_index("principle_id")["name"]
    assert list(pr.index) == ["P1", "P2", "P3", "P4", "U"]
    assert (pr[ep.index] == ep).all()
    assert "komplekse udfordringer" in pr["U"]

    ag = tables["agreements"].set_index("period")
    ea = ref("agreements").set_index("period")
    assert list(ag.index) == list(ea.index)
    assert (ag["rate_rule"] == ea["rate_rule"]).all()
    assert (
        ag.loc["2019-20", "rate_max_yearly_change_pct"] == 0
        and ag.loc["2019-20", "rate_min_reduction_over_period_pct"] == 2
    )
    assert ag.loc["2025-26", "rate_max_yearly_change_pct"] == 0 and pd.isna(
        ag.loc["2025-26", "rate_min_reduction_over_period_pct"]
    )
    assert pd.isna(ag.loc["2027-28", "rate_max_yearly_change_pct"])
    # each source names the agreement and where it is published, not the project's copy of its text
    assert all(s.startswith(("Rammeaftale", "rammeaftale.viborg.dk")) for s in ag["source"])
    assert not ag["source"].str.contains(r"seed|\.txt").any()

    af = tables["account_functions"].set_index("function_code")
    ef = ref("account_functions").set_index("function_code")
    assert (af["name"] == ef["name"]).all()
    assert af.loc["5.38.50", "legal_basis"] == "SEL §108" and pd.isna(af.loc["5.28.21", "legal_basis"])
    assert tables["national_offers"]["name"].tolist() == ref("national_offers_2015")["name"].tolist()


def test_secured_units_and_offers(tables):
    su = tables["secured_units"].set_index("unit_name")
    assert su["places"].to_dict() == {"Koglen": 10, "Grenen": 15, "Kompasset": 10, "Kofoedsminde": 81}
    assert su["places_note"].tolist() == ref("secured_units")["places"].tolist()
    assert su["source"].tolist() == ref("secured_units")["source"].tolist()
    assert pd.isna(su.loc["Kompasset", "offer_id"])
    offers = tables["offers"].set_index("offer_id")
    oy = tables["offer_years"]
    for unit in ("Koglen", "Grenen", "Kofoedsminde"):
        oid = su.loc[unit, "offer_id"]
        o = offers.loc[oid]
        assert o["name"] == unit and o["kind"] == "sikret"
        assert pd.isna(o["target_group_id"]) and pd.isna(o["municipality_code"])
        assert (oy.loc[oy["offer_id"] == oid, "places"] == su.loc[unit, "places"]).all()
    assert offers.loc[su.loc["Kofoedsminde", "offer_id"], "operator_code"] == 1085
    assert offers.loc[su.loc["Koglen", "offer_id"], "operator_code"] == 1082


# ---------------------------------------------------------------------------------------------
# Meetings and the action plan


def test_meetings(tables):
    m = tables["meetings"]
    assert set(m["body"]) == {"DASSOS", "KKR"}
    dates = m["meeting_date"].astype(str)
    assert dates.min() >= "2025-01-01"
    past = m[dates <= TODAY]
    assert past["meeting_date"].astype(str).max() == "2026-11-12"
    assert past.loc[past["meeting_date"].astype(str).idxmax(), "body"] == "DASSOS"
    per_year = m.assign(y=dates.str[:4]).groupby(["y", "body"]).size()
    assert per_year[("2025", "DASSOS")] == 4 and per_year[("2025", "KKR")] == 2


def test_initiatives_and_updates(tables):
    ini, up, m = tables["initiatives"], tables["initiative_updates"], tables["meetings"]
    assert set(ini["principle_id"]) == {"P1", "P2", "P3", "P4", "U"}
    assert ini["initiative_id"].is_unique
    assert (ini["start_date"].astype(str) >= "2025-01-01").all() and (ini["deadline"].astype(str) <= "2028-12-31").all()
    assert set(up["initiative_id"]) == set(ini["initiative_id"])
    dates = sorted(m["meeting_date"].astype(str))
    last, prev = dates[-1], dates[-2]
    assert up["update_date"].astype(str).max() <= last
    # no update is dated after the data's own date (the snapshot says 'Data pr. 20. nov. 2026'); those
    # for the meeting ahead were made early
    assert up["update_date"].astype(str).max() <= "2026-11-20"
    up = up.assign(d=up["update_date"].astype(str)).sort_values(["initiative_id", "d"])
    latest = up[up["d"] <= last].groupby("initiative_id").tail(1).set_index("initiative_id")
    before = up[up["d"] <= prev].groupby("initiative_id").tail(1).set_index("initiative_id")
    assert set(latest["status"]) == set(schema.STATUSES)
    both = latest.index.intersection(before.index)
    changed = (latest.loc[both, "status"] != before.loc[both, "status"]).sum()
    assert changed >= 3
    # progress is consistent with status
    assert (up.loc[up["status"] == "afsluttet", "progress_pct"] == 100).all()
    assert (up.loc[up["status"] == "ikke startet", "progress_pct"] == 0).all()
    assert (up.loc[~up["status"].isin(["afsluttet", "ikke startet"]), "progress_pct"].between(5, 95)).all()
    # a few are overdue
    x = ini.set_index("initiative_id").join(latest["status"])
    overdue = x[(x["deadline"].astype(str) < TODAY) & (x["status"] != "afsluttet")]
    assert 1 <= len(overdue) <= 6
    # every initiative started before 2027 has 4-6 updates if enough meetings followed its start
    counts = up.groupby("initiative_id").size()
    assert counts.max() <= 6 and (counts >= 2).all()


# ---------------------------------------------------------------------------------------------
# Scale


def test_scale_3(tables):
    t3, meta3 = demo.build(3)
    assert schema.errors(schema.validate(t3)) == []
    gen1 = (tables["offers"]["kind"] == "rammeaftale").sum()
    gen3 = (t3["offers"]["kind"] == "rammeaftale").sum()
    assert gen3 == 3 * gen1
    assert (t3["offers"]["kind"] == "sikret").sum() == 3
    mun = t3["municipalities"]
    assert len(mun) == 98 + 2 * 19 and mun["municipality_code"].is_unique
    assert mun["municipality_code"].between(101, 999).all()
    real = set(tables["municipalities"]["municipality_code"])
    synth = mun[~mun["municipality_code"].isin(real)]
    assert len(synth) == 2 * 19 and synth["name"].str.startswith("Syntetisk").all()
    assert (synth["region_code"] == 1082).all()  # synthetic municipalities are Region Midtjylland's
    assert set(midt(t3)["municipalities"]["municipality_code"]) <= set(t3["operators"]["operator_code"])
    for name in ("population", "spending", "offer_years", "demand"):
        years = t3[name]["year"]
        assert years.min() >= 2000 and years.max() <= (2027 if name == "spending" else 2026)  # the 2027 budget
        assert years.nunique() > tables[name]["year"].nunique(), name
    assert meta3["municipalities"].provenance == "illustrative"  # synthetic municipalities are not real


def test_scale_out_of_range():
    with pytest.raises(ValueError):
        demo.build(0)
    with pytest.raises(ValueError):
        demo.build(demo.MAX_SCALE + 1)


# ---------------------------------------------------------------------------------------------
# Writing: regenerate the demo, never touch other snapshots; the CLI


def test_regenerate_keeps_other_snapshots(tmp_path, monkeypatch):
    base = tmp_path / "data"
    monkeypatch.setenv("OVERBLIK_DATA_DIR", str(base))
    assert demo.write(base) == "demo"
    first = _manifest(base, "demo")
    tables, meta = demo.build()
    other = store.publish(
        tables,
        meta,
        note="anden",
        sid="20260101T000000000000Z",
        base=base,
        make_current=False,
        created="2026-01-01T00:00:00+00:00",
    )
    # CURRENT names the demo: regenerating without make_current keeps it pointing at the (new) demo
    assert demo.write(base, make_current=False) == "demo"
    assert store.current_id(base) == "demo"
    assert store.verify("demo", base) == []
    assert _manifest(base, "demo") == first
    assert store.verify(other, base) == []
    # CURRENT names another snapshot: make_current=False leaves it there, the demo is still replaced
    store.set_current(other, base)
    assert demo.write(base, make_current=False) == "demo"
    assert store.current_id(base) == other
    assert store.verify(other, base) == [] and store.verify("demo", base) == []
    # and a scaled demo is a separate snapshot
    assert demo.write(base, scale=2, make_current=False) == "demo-x2"
    ids = {d["id"] for d in store.list_snapshots(base)}
    assert ids == {"demo", demo.EARLIER_ID, "demo-x2", other}
    assert _manifest(base, "demo-x2")["parent"] is None  # a scaled demo has no earlier snapshot
    assert store.current_id(base) == other


def test_cli_demo(tmp_path, monkeypatch, capsys):
    out = tmp_path / "cli"
    monkeypatch.setenv("OVERBLIK_DATA_DIR", str(tmp_path / "unused"))
    assert cli.main(["demo", "--out", str(out), "--no-current"]) == 0
    assert capsys.readouterr().out.strip() == "demo"
    assert not (out / "CURRENT").exists()
    assert cli.main(["demo", "--out", str(out)]) == 0
    assert (out / "CURRENT").read_text().strip() == "demo"
    assert not (tmp_path / "unused").exists()
    # the default folder is the data folder
    monkeypatch.setenv("OVERBLIK_DATA_DIR", str(tmp_path / "default"))
    assert cli.main(["demo"]) == 0
    assert (tmp_path / "default" / "CURRENT").read_text().strip() == "demo"


def test_other_regions_plausible_and_different(tables):
    """The 79 municipalities outside Region Midtjylland have population and spending for every year, and
    the regions' spending per inhabitant is plausible and not all alike (so the comparison shows something)."""
    mun, pop, sp = tables["municipalities"], tables["population"], tables["spending"]
    assert mun.groupby("region_code").size().to_dict() == {1081: 11, 1082: 19, 1083: 22, 1084: 29, 1085: 17}
    assert set(pop["municipality_code"]) == set(sp["municipality_code"]) == set(mun["municipality_code"])
    acc = sp[sp["kind"] == "regnskab"].merge(mun, on="municipality_code")
    people = pop[pop["age_group"] != "0-22"].merge(mun, on="municipality_code")
    per = (
        acc.groupby(["region_code", "year"])["net_1000_dkk"].sum()
        * 1000
        / people.groupby(["region_code", "year"])["persons"].sum()
    )
    per = per.dropna()  # population runs to 2026, accounts to 2025
    assert per.between(5_000, 30_000).all()  # kr. per inhabitant, all ages
    latest = per.xs(2025, level="year")
    assert latest.max() / latest.min() > 1.1
    country = people[people["year"] == 2026]["persons"].sum()
    assert 5_500_000 < country < 6_500_000
