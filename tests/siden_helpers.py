"""Helpers for the 'Siden sidste møde' tests: a data folder with three snapshots around a meeting.

    before (published 5 Nov 2026) -> demo (20 Nov 2026, the shipped one) -> after (25 Nov 2026, current)

(the shipped data's earlier demo snapshot, 2 Nov 2026, is older than `before`, so the meeting saw `before`).

The DASSOS meeting of 12 Nov 2026 (the default 'last meeting before today' with today 29 Nov 2026) saw
`before`. Hand-made differences, so the expected then -> now values are known without the app's code:
- spending: Aarhus (751), function SPEND_FN, regnskab 2025: `before` has 5.000 (1.000 kr.) less than demo
  (so demo revised it: origin demo); `after` adds 12.345 to Randers (730), same function and year (origin after).
- offers: OFFER_CHANGED has 7 more places in 2026 in `after`; OFFER_CLOSED has no 2026 row in `after`.
- central notices: the first open notice is closed in `after` with OUTCOME.
- initiatives: `before` holds only the updates dated on or before its publication (5 Nov 2026); those dated
  6-12 Nov were registered after the meeting, so the meeting saw the older status.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from overblik import store

BEFORE_CREATED = "2026-11-05T10:00:00+00:00"
AFTER_CREATED = "2026-11-25T09:00:00+00:00"
BEFORE_ID = "20261105T100000000000Z"
AFTER_ID = "20261125T090000000000Z"
OUTCOME = "Fornødent udbud (testudfald)"
SPEND_FN = None  # filled by build(): the first account function with Aarhus regnskab rows in 2025


def _meta(doc: dict) -> dict:
    return {n: store.TableMeta(e["provenance"], e["source"], e["data_date"]) for n, e in doc["tables"].items()}


def build(src: Path, dst: Path) -> dict:
    """Copy `src` to `dst` and publish `before` and `after` there. Returns the facts the tests check."""
    shutil.copytree(src, dst, dirs_exist_ok=True)
    doc = store.manifest(base=dst)
    tables = store.read_tables(base=dst)
    meta = _meta(doc)
    sp = tables["spending"]
    rows = sp[(sp["municipality_code"] == 751) & (sp["year"] == 2025) & (sp["kind"] == "regnskab")]
    fn = sorted(rows["function_code"])[0]

    before = {k: v.copy() for k, v in tables.items()}
    # the plan as it stood when `before` was published: updates dated later were registered later
    ups = before["initiative_updates"]
    before["initiative_updates"] = ups[pd.to_datetime(ups["update_date"]) <= BEFORE_CREATED[:10]].reset_index(drop=True)
    b = before["spending"]
    mask = (
        (b["municipality_code"] == 751) & (b["year"] == 2025) & (b["kind"] == "regnskab") & (b["function_code"] == fn)
    )
    b.loc[mask, "net_1000_dkk"] = b.loc[mask, "net_1000_dkk"] - 5000
    store.publish(
        before, meta, note="test: before", sid=BEFORE_ID, created=BEFORE_CREATED, base=dst, make_current=False
    )

    after = {k: v.copy() for k, v in tables.items()}
    a = after["spending"]
    mask = (
        (a["municipality_code"] == 730) & (a["year"] == 2025) & (a["kind"] == "regnskab") & (a["function_code"] == fn)
    )
    assert mask.sum() == 1
    a.loc[mask, "net_1000_dkk"] = a.loc[mask, "net_1000_dkk"] + 12345
    oy = after["offer_years"]
    offers = after["offers"]
    ra = sorted(offers[(offers["kind"] == "rammeaftale") & offers["target_group_id"].notna()]["offer_id"])
    in_2026 = set(oy[oy["year"] == 2026]["offer_id"])
    changed, closed = [o for o in ra if o in in_2026][:2]
    m = (oy["offer_id"] == changed) & (oy["year"] == 2026)
    places_then = float(oy.loc[m, "places"].iloc[0])
    oy.loc[m, "places"] = oy.loc[m, "places"] + 7
    closed_places = float(oy.loc[(oy["offer_id"] == closed) & (oy["year"] == 2026), "places"].iloc[0])
    after["offer_years"] = oy[~((oy["offer_id"] == closed) & (oy["year"] == 2026))].reset_index(drop=True)
    cn = after["central_notices"]
    open_ids = sorted(cn[cn["is_open"] == 1]["notice_id"])
    nid = open_ids[0]
    status_then = cn.loc[cn["notice_id"] == nid, "status"].iloc[0]
    cn.loc[cn["notice_id"] == nid, ["is_open", "status", "outcome", "decision_date"]] = [
        0,
        "Afsluttet",
        OUTCOME,
        "2026-11-24",
    ]
    store.publish(after, meta, note="test: after", sid=AFTER_ID, created=AFTER_CREATED, base=dst)
    return {
        "function_code": fn,
        "offer_changed": changed,
        "offer_changed_then": places_then,
        "offer_closed": closed,
        "offer_closed_then": closed_places,
        "notice_id": nid,
        "notice_status_then": status_then,
        "demo_id": doc["id"],
    }


def snapshot_sql(dst: Path, sid: str, text: str, params: dict | None = None) -> pd.DataFrame:
    """Independent SQL over one snapshot's Parquet files: {table} -> read_parquet('<path>') (helpers.snapshot_tables:
    {spending} and the like hold the served region's municipalities only)."""
    import duckdb
    from helpers import snapshot_tables

    folder = dst / "snapshots" / sid
    tables = snapshot_tables(folder)
    con = duckdb.connect(":memory:")
    try:
        return con.execute(text.format(**tables), params or {}).df()
    finally:
        con.close()


NEW_YEAR_CREATED = "2026-11-25T09:00:00+00:00"
NEW_YEAR_ID = "20261125T090000000001Z"


def build_new_year(src: Path, dst: Path) -> None:
    """Copy `src` to `dst` and publish there, as current (25 Nov 2026), the shipped data a year on, as a
    secretariat publishes it: accounts for 2026 (the 2026 budget rows as accounts, 1 % more), population for
    2027, and places and the municipalities' reports for 2027 (the 2026 rows again, each report with one
    more citizen waiting). A meeting on 21 Nov 2026 saw the shipped snapshot (demo, 20 Nov 2026): 2025
    accounts and 2026 capacity."""
    shutil.copytree(src, dst, dirs_exist_ok=True)
    doc = store.manifest(base=dst)
    t = {k: v.copy() for k, v in store.read_tables(base=dst).items()}

    def again(df: pd.DataFrame, year: int, **changes) -> pd.DataFrame:
        new = df[df["year"] == year - 1].assign(year=year, **changes)
        return pd.concat([df, new], ignore_index=True)

    sp = t["spending"]
    accounts = sp[(sp["kind"] == "budget") & (sp["year"] == 2026)].assign(
        kind="regnskab", net_1000_dkk=lambda d: (d["net_1000_dkk"] * 1.01).round(1)
    )
    t["spending"] = pd.concat([sp, accounts], ignore_index=True)
    t["population"] = again(t["population"], 2027)
    t["offer_years"] = again(t["offer_years"], 2027)
    t["demand"] = again(t["demand"], 2027, citizens_waiting=lambda r: r["citizens_waiting"] + 1)
    store.publish(t, _meta(doc), note="test: a year on", sid=NEW_YEAR_ID, created=NEW_YEAR_CREATED, base=dst)
