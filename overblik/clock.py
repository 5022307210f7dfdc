"""The one clock of the product: what "today" is.

The real date, or OVERBLIK_TODAY=YYYY-MM-DD when set (tests set it, so overdue counts, "next deadline" and
data dates do not drift as the calendar moves). Every "today" in the product comes from `today()`.
"""

from __future__ import annotations

import datetime as dt
import os

ENV = "OVERBLIK_TODAY"


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
