"""The one clock of the product: what "today" is.

The real date, or OVERBLIK_TODAY=YYYY-MM-DD when set (tests set it, so overdue counts, "next deadline" and
data dates do not drift as the calendar moves). Every "today" in the product comes from `today()`, and
every moment it records (a publish's id and time, a rollback in the events log) from `now()`: on a fixed
day, that day at the wall clock's time of day (Danish time), so a demo or test that publishes "today"
publishes on its today, not weeks after it.
"""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

ENV = "OVERBLIK_TODAY"
TZ = ZoneInfo("Europe/Copenhagen")  # the time of day kept on a fixed day is Danish time


class ClockError(ValueError):
    pass


def today() -> dt.date:
    raw = os.environ.get(ENV, "").strip()
    if not raw:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ClockError(f"{ENV}={raw!r} er ikke en dato; skriv den som ÅÅÅÅ-MM-DD, fx 2026-11-29.") from None


def _wall() -> dt.datetime:
    """The machine's clock, in UTC (one place, so tests can fix it)."""
    return dt.datetime.now(dt.UTC)


def now() -> dt.datetime:
    """The product's moment, in UTC: the wall clock; with OVERBLIK_TODAY set, that day at the wall clock's
    time of day in Danish time (so the day of a publish, read in Danish time, is today())."""
    wall = _wall()
    if not os.environ.get(ENV, "").strip():
        return wall
    local = wall.astimezone(TZ)
    return dt.datetime.combine(today(), local.time(), TZ).astimezone(dt.UTC)
