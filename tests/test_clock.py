import datetime as dt

import pytest

from overblik import clock


def test_today_from_environment(monkeypatch):
    monkeypatch.setenv(clock.ENV, "2027-03-01")
    assert clock.today() == dt.date(2027, 3, 1)


def test_today_is_the_real_date_without_the_variable(monkeypatch):
    monkeypatch.delenv(clock.ENV, raising=False)
    assert clock.today() == dt.date.today()


def test_malformed_value_is_refused_in_danish(monkeypatch):
    monkeypatch.setenv(clock.ENV, "29-11-2026")
    with pytest.raises(clock.ClockError, match="ÅÅÅÅ-MM-DD"):
        clock.today()


# the machine's clock, fixed: 7 Dec 2026 at 23.30.15,25 UTC, which is 8 Dec at 00.30 in Danish time (CET)
WALL = dt.datetime(2026, 12, 7, 23, 30, 15, 250_000, tzinfo=dt.UTC)


def test_now_on_a_fixed_day_keeps_the_wall_time_of_day(monkeypatch):
    monkeypatch.setattr(clock, "_wall", lambda: WALL)
    monkeypatch.setenv(clock.ENV, "2026-11-29")
    # 29 Nov at the wall clock's Danish time of day, 00.30.15,25 (CET, UTC+1): 28 Nov 23.30.15,25 UTC
    assert clock.now() == dt.datetime(2026, 11, 28, 23, 30, 15, 250_000, tzinfo=dt.UTC)
    assert clock.now().astimezone(clock.TZ).date() == dt.date(2026, 11, 29)


def test_now_is_the_wall_clock_without_the_variable(monkeypatch):
    monkeypatch.setattr(clock, "_wall", lambda: WALL)
    monkeypatch.delenv(clock.ENV, raising=False)
    assert clock.now() == WALL


def test_a_publish_on_a_fixed_day_is_dated_that_day_and_ordered_after_earlier_ones(own_data, tmp_path, monkeypatch):
    """With OVERBLIK_TODAY the snapshot's id, its time, a rollback's event and the data date follow the product's
    day: it is the one current at a meeting that day (Siden sidste møde), not at one before it, and it sorts
    after the shipped demo snapshots (published 2 and 20 Nov 2026)."""
    import json

    import pandas as pd

    from overblik import data, ingest, store

    monkeypatch.setenv(clock.ENV, "2026-11-29")
    monkeypatch.setattr(clock, "_wall", lambda: WALL)  # 29 Nov 2026 00.30.15,25 in Danish time
    demo = (own_data / "CURRENT").read_text().strip()
    pi = pd.read_parquet(own_data / "snapshots" / demo / "price_index.parquet")
    (tmp_path / "in").mkdir()
    pi.assign(source="KL, PL-skøn").to_parquet(tmp_path / "in" / "price_index.parquet")
    sid, _ = ingest.publish(tmp_path / "in", note="på dagen", base=own_data)
    doc = json.loads((own_data / "snapshots" / sid / "manifest.json").read_text())
    ref = data.snapshot_ref(doc)
    assert ref.published == dt.date(2026, 11, 29)
    assert sid == "20261128T233015250000Z"  # the id and the manifest's time name the same moment (UTC)
    assert doc["created"] == "2026-11-28T23:30:15+00:00"
    assert doc["tables"]["price_index"]["data_date"] == "2026-11-29"
    refs = [data.snapshot_ref(d) for d in store.list_snapshots(own_data)]
    assert [r.sid for r in refs][-2:] == [demo, sid]
    assert data.snapshot_at(dt.date(2026, 11, 29), refs).sid == sid
    assert data.snapshot_at(dt.date(2026, 11, 28), refs).sid == demo
    store.rollback(demo, own_data, by="redaktoer@eksempel.dk", note="tilbage")
    events = [json.loads(x) for x in (own_data / store.EVENTS).read_text().splitlines()]
    assert pd.Timestamp(events[-1]["at"]).tz_convert(clock.TZ).date() == dt.date(2026, 11, 29)
