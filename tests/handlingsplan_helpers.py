"""Helpers for the Handlingsplan tests (AppTest and browser): a note with HTML, the meeting label."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from overblik import clock, store

if TYPE_CHECKING:
    import pandas as pd

# A note written by a person that tries HTML, a script and markdown: it must show literally.
EVIL_NOTE = "<b>x</b><script>alert(1)</script> **y**"


def meeting_label(meeting_date, body: str) -> str:
    """The label the 'siden' selectbox shows and writes to the URL: '6. okt. 2026 (KKR)'."""
    from overblik import fmt

    return f"{fmt.date(meeting_date)} ({body})"


def snapshot_with_note(src: Path, dst: Path, note: str = EVIL_NOTE, today: dt.date | None = None) -> dict:
    """Copy the data folder `src` to `dst` and publish there a new snapshot in which the latest update
    (on or before today) of the first initiative carries `note`. Returns the initiative's id, title
    and the update date."""
    today = today or clock.today()
    shutil.copytree(src, dst, dirs_exist_ok=True)
    doc = store.manifest(base=dst)
    tables = store.read_tables(base=dst)
    meta = {n: store.TableMeta(e["provenance"], e["source"], e["data_date"]) for n, e in doc["tables"].items()}
    ups = tables["initiative_updates"].copy()
    dates = ups["update_date"].map(lambda d: d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)[:10]))
    first = sorted(tables["initiatives"]["initiative_id"])[0]
    mine = ups[(ups["initiative_id"] == first) & (dates <= today)]
    latest = dates[mine.index].idxmax()
    ups["note"] = ups["note"].astype(object)
    ups.loc[latest, "note"] = note
    tables["initiative_updates"] = ups
    store.publish(tables, meta, note="test: note with HTML", base=dst)
    title = tables["initiatives"].set_index("initiative_id").loc[first, "title"]
    return {"initiative_id": first, "title": str(title), "update_date": dates[latest]}


# An update as readers see it (the columns of initiative_updates a page shows)
UPDATE = "initiative_id, update_date, status, progress_pct, note"
NOTES = f"SELECT {UPDATE} FROM {{initiative_updates}} WHERE update_date <= $t AND note IS NOT NULL"


def unseen_notes(sql, sql_at, since, today):
    """The notes a meeting did not see, by independent SQL, newest first: today's notes that the snapshot
    current on the meeting's date did not hold (the same row) by that date (sql and sql_at: the tests'
    fixtures)."""
    now = sql(NOTES, {"t": today})
    seen = sql_at(since)(NOTES, {"t": since})
    out = now.merge(seen, how="left", indicator=True).query("_merge == 'left_only'").drop(columns="_merge")
    return out.sort_values(["update_date", "initiative_id"], ascending=[False, True], ignore_index=True)


def registered_after(data_dir: Path, then_sid: str, today) -> pd.DataFrame:
    """current EXCEPT the meeting's snapshot `then_sid`: today's updates (up to `today`) that the meeting's
    snapshot did not hold, by SQL over the two snapshots' Parquet files, newest first."""
    import duckdb

    now = data_dir / "snapshots" / (data_dir / "CURRENT").read_text().strip() / "initiative_updates.parquet"
    then = data_dir / "snapshots" / then_sid / "initiative_updates.parquet"
    con = duckdb.connect(":memory:")
    try:
        return con.execute(
            f"SELECT * FROM (SELECT {UPDATE} FROM read_parquet('{now.as_posix()}') WHERE update_date <= $t "
            f"EXCEPT SELECT {UPDATE} FROM read_parquet('{then.as_posix()}')) "
            "ORDER BY update_date DESC, initiative_id",
            {"t": today},
        ).df()
    finally:
        con.close()


# Each initiative's status on $at by the updates dated on or before it ('ikke startet' without one)
STATUS_ON = """
    SELECT i.initiative_id,
           coalesce((SELECT arg_max(u.status, u.update_date) FROM {initiative_updates} AS u
                     WHERE u.initiative_id = i.initiative_id AND u.update_date <= $at), 'ikke startet') AS status
    FROM {initiatives} AS i ORDER BY 1
"""


def status_changes(sql, sql_at, since, today) -> dict[str, tuple[str, str, bool]]:
    """The status changes since the meeting on `since`, by independent SQL: {initiative: (the status the
    meeting saw, the status now, late)}. Seen: in the snapshot current on the meeting's date (sql_at); late:
    today's updates dated on or before the meeting day already give the status now, so the change was only
    registered after the meeting (nothing dated after it changed the status)."""
    then = sql_at(since)(STATUS_ON, {"at": since}).set_index("initiative_id")["status"]
    dated = sql(STATUS_ON, {"at": since}).set_index("initiative_id")["status"]
    now = sql(STATUS_ON, {"at": today}).set_index("initiative_id")["status"]
    seen = {i: then.get(i, "ikke startet") for i in now.index}
    return {i: (seen[i], now[i], dated[i] == now[i]) for i in now.index if seen[i] != now[i]}
