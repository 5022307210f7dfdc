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


def test_now_on_a_fixed_day_keeps_the_wall_time_of_day(monkeypatch):
    monkeypatch.setenv(clock.ENV, "2026-11-29")
    before = dt.datetime.now(clock.TZ)
    now = clock.now().astimezone(clock.TZ)
    after = dt.datetime.now(clock.TZ)
    assert now.date() == dt.date(2026, 11, 29) and clock.now().tzinfo is not None
    # the same time of day as the wall clock (Danish time), to the second
    seconds = now.hour * 3600 + now.minute * 60 + now.second
    assert before.hour * 3600 + before.minute * 60 + before.second <= seconds
    assert seconds <= after.hour * 3600 + after.minute * 60 + after.second or after.date() != before.date()


def test_now_is_the_wall_clock_without_the_variable(monkeypatch):
    monkeypatch.delenv(clock.ENV, raising=False)
    assert abs((clock.now() - dt.datetime.now(dt.UTC)).total_seconds()) < 5


def test_a_publish_on_a_fixed_day_is_dated_that_day_and_ordered_after_earlier_ones(own_data, tmp_path, monkeypatch):
    """With OVERBLIK_TODAY the snapshot's id, its time, a rollback's event and the data date follow the product's
    day: it is the one current at a meeting that day (Siden sidste møde), not at one before it, and it sorts
    after the shipped demo snapshots (published 2 and 20 Nov 2026)."""
    import json

    import pandas as pd

    from overblik import data, ingest, store

    monkeypatch.setenv(clock.ENV, "2026-11-29")
    demo = (own_data / "CURRENT").read_text().strip()
    pi = pd.read_parquet(own_data / "snapshots" / demo / "price_index.parquet")
    (tmp_path / "in").mkdir()
    pi.assign(source="KL, PL-skøn").to_parquet(tmp_path / "in" / "price_index.parquet")
    sid, _ = ingest.publish(tmp_path / "in", note="på dagen", base=own_data)
    doc = json.loads((own_data / "snapshots" / sid / "manifest.json").read_text())
    ref = data.snapshot_ref(doc)
    assert ref.published == dt.date(2026, 11, 29)
    stamped = dt.datetime.strptime(sid, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=dt.UTC)
    assert abs((stamped - ref.created.to_pydatetime()).total_seconds()) < 60  # the id names the same moment
    assert doc["tables"]["price_index"]["data_date"] == "2026-11-29"
    refs = [data.snapshot_ref(d) for d in store.list_snapshots(own_data)]
    assert [r.sid for r in refs][-2:] == [demo, sid]
    assert data.snapshot_at(dt.date(2026, 11, 29), refs).sid == sid
    assert data.snapshot_at(dt.date(2026, 11, 28), refs).sid == demo
    store.rollback(demo, own_data, by="redaktoer@eksempel.dk", note="tilbage")
    events = [json.loads(x) for x in (own_data / store.EVENTS).read_text().splitlines()]
    assert pd.Timestamp(events[-1]["at"]).tz_convert(clock.TZ).date() == dt.date(2026, 11, 29)
