"""A copy of the shipped data with a newer year, 2027, in which some municipalities' capacity reports are
missing: the 2026 offers and reports copied as 2027 (the reports a little changed, so the changes from
2026 are not all zero), then the 2027 reports of target group V3 and of Samsø deleted. Published straight
through the store, as the secretariat's next snapshot (1 June 2027); "today" for these tests is
TODAY (2027-06-15), after the KKR meeting of 3 Dec 2026.

Region-wide, 2027 then has reports for five of the six target groups, each from 18 of the 19
municipalities; Samsø alone has none at all for 2027.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from overblik import store

ROOT = Path(__file__).resolve().parent.parent

YEAR, BEFORE = 2027, 2026
TODAY = "2027-06-15"
SAMSOE = 741  # Samsø's municipality code
MISSING_GROUP = "V3"


def make(base: Path) -> Path:
    """Copy the shipped data to `base` and publish the 2027 snapshot there; returns `base`."""
    shutil.copytree(ROOT / "data", base, dirs_exist_ok=True)
    sid = store.current_id(base)
    tables = store.read_tables(sid, base)
    doc = store.manifest(sid, base)
    years = tables["offer_years"]
    tables["offer_years"] = _with_year(years, years[years["year"] == BEFORE].assign(year=YEAR))
    demand = tables["demand"]
    new = demand[demand["year"] == BEFORE].assign(year=YEAR)
    # a small, deterministic change per municipality, so that 2027 is not 2026 again
    new = new.assign(
        placed_private=new["placed_private"] + new["municipality_code"] % 3,
        citizens_waiting=new["citizens_waiting"] + new["municipality_code"] % 2,
    )
    new = new[(new["target_group_id"] != MISSING_GROUP) & (new["municipality_code"] != SAMSOE)]
    tables["demand"] = _with_year(demand, new)
    meta = {n: store.TableMeta(e["provenance"], e["source"], e["data_date"]) for n, e in doc["tables"].items()}
    store.publish(tables, meta, note="test: 2027 uden V3 og uden Samsø", base=base, created="2027-06-01T08:00:00+00:00")
    return base


def _with_year(table, rows):
    return pd.concat([table, rows], ignore_index=True)
