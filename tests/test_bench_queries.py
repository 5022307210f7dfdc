"""The query bench (bench/queries.py) replays the calls the pages made on a scaled demo snapshot."""

from __future__ import annotations

from bench import queries
from overblik import db, demo


def test_replay_asks_calls_made_on_an_older_snapshot_of_the_scaled_one(tmp_path, monkeypatch):
    # Overblik's "Siden mødet" queries the snapshot valid at the meeting; the scaled demo has no history.
    big = tmp_path / "x2"
    demo.write(big, scale=2)
    monkeypatch.setenv("OVERBLIK_DATA_DIR", str(big))
    calls = [("filter_years", {}), ("filter_years", {"snapshot": "demo-2026-11-02"})]
    try:
        assert all("snapshot" not in p for _, p in queries.widened(calls))
        assert set(queries.replay(calls, big)) == {"filter_years"}
    finally:
        db.clear()
