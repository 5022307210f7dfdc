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
