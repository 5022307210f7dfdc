"""A tiny, valid set of tables in the data contract, built in code, for unit tests that need no demo."""

from __future__ import annotations

import pandas as pd

from overblik import schema, store


def tables() -> dict[str, pd.DataFrame]:
    t = {
        "municipalities": pd.DataFrame(
            {"municipality_code": [751, 730], "name": ["Aarhus", "Randers"], "landsdel": ["Østjylland", "Østjylland"]}
        ),
        "operators": pd.DataFrame(
            {
                "operator_code": [751, 730, 1082],
                "name": ["Aarhus Kommune", "Randers Kommune", "Region Midtjylland"],
                "kind": ["kommune", "kommune", "region"],
            }
        ),
        "population": pd.DataFrame(
            {
                "municipality_code": [751, 751],
                "year": [2025, 2025],
                "age_group": ["0-17", "18-64"],
                "persons": [70000, 240000],
            }
        ),
        "price_index": pd.DataFrame({"year": [2024, 2025], "index": [98.0, 100.0]}),
        "account_functions": pd.DataFrame(
            {"function_code": ["5.38.50"], "name": ["Botilbud"], "area": ["Voksne"], "legal_basis": ["SEL §108"]}
        ),
        "spending": pd.DataFrame(
            {
                "municipality_code": [751, 751],
                "year": [2024, 2025],
                "function_code": ["5.38.50"] * 2,
                "kind": ["regnskab"] * 2,
                "net_1000_dkk": [1000.0, 1100.0],
            }
        ),
        "agreements": pd.DataFrame(
            {
                "period": ["2025-26"],
                "start_year": [2025],
                "end_year": [2026],
                "development_areas": ["Mental sundhed"],
                "rate_rule": ["Ingen stigning"],
                "rate_max_yearly_change_pct": [0.0],
                "rate_min_reduction_over_period_pct": [None],
                "source": ["seed"],
            }
        ),
        "target_groups": pd.DataFrame(
            {
                "target_group_id": ["V1"],
                "area": ["Voksne"],
                "short_name": ["V1 Psykiatri"],
                "name": ["Voksne med psykiatriske problemstillinger"],
            }
        ),
        "offers": pd.DataFrame(
            {
                "offer_id": ["T1"],
                "name": ["Bostedet"],
                "operator_code": [1082],
                "municipality_code": [751],
                "legal_basis": ["SEL §108"],
                "target_group_id": ["V1"],
                "kind": ["rammeaftale"],
            }
        ),
        "offer_years": pd.DataFrame(
            {
                "offer_id": ["T1"],
                "year": [2025],
                "places": [10],
                "occupancy_pct": [95.0],
                "budgeted_occupancy_pct": [95.0],
                "rate_dkk_per_day": [2500.0],
                "surplus_deficit_1000_dkk": [0.0],
            }
        ),
        "extra_services": pd.DataFrame({"offer_id": ["T1"], "year": [2025], "amount_1000_dkk": [120.0]}),
        "demand": pd.DataFrame(
            {
                "municipality_code": [751],
                "year": [2025],
                "target_group_id": ["V1"],
                "difficulty": [2],
                "citizens_waiting": [3],
                "placed_private": [1],
                "single_arrangements": [0],
            }
        ),
        "central_notices": pd.DataFrame(
            {
                "notice_id": ["CU-2014-1"],
                "target_group": ["Hjerneskade"],
                "issued": ["2014-11-01"],
                "report_submitted": ["2016-03"],
                "status": ["Afsluttet"],
                "decision_date": ["2017-03-21"],
                "renewed_treatment": [None],
                "outcome": ["Fornødent udbud"],
                "midtjylland_response": [None],
                "is_open": [0],
                "source_url": ["https://www.sbst.dk/"],
            }
        ),
        "principles": pd.DataFrame(
            {"principle_id": ["P1", "U"], "name": ["Fælles om kontrakter og takster", "Udviklingsområdet"]}
        ),
        "initiatives": pd.DataFrame(
            {
                "initiative_id": ["I1"],
                "principle_id": ["P1"],
                "title": ["Kontraktskabelon"],
                "description": ["En fælles skabelon"],
                "owner": ["DASSOS"],
                "start_date": ["2025-01-01"],
                "deadline": ["2026-06-30"],
            }
        ),
        "initiative_updates": pd.DataFrame(
            {
                "initiative_id": ["I1"],
                "update_date": ["2026-11-12"],
                "status": ["risiko"],
                "progress_pct": [40.0],
                "note": ["Forsinket af høring"],
            }
        ),
        "meetings": pd.DataFrame({"meeting_date": ["2026-11-12"], "body": ["DASSOS"], "title": ["DASSOS-møde"]}),
        "secured_units": pd.DataFrame(
            {
                "unit_name": ["Koglen"],
                "operator": ["Region Midtjylland"],
                "kind": ["Sikret institution"],
                "places": [10],
                "places_note": ["10 sikrede pladser"],
                "offer_id": [None],
                "source": ["dok.rm.dk"],
            }
        ),
        "national_offers": pd.DataFrame({"name": ["Kofoedsminde"], "note": ["sikret boform"]}),
    }
    assert set(t) == set(schema.TABLES)
    return t


def meta(provenance: str = "illustrative") -> dict[str, store.TableMeta]:
    return {n: store.TableMeta(provenance, "Testdata", "2026-11-20") for n in schema.TABLES}


def write(base, note: str = "tiny", sid: str | None = None, tables_: dict | None = None) -> str:
    return store.publish(tables_ or tables(), meta(), note=note, sid=sid, base=base)
