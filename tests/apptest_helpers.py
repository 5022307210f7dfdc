"""AppTest helpers: find a page's table by a column it has, and a metric by its label."""

from __future__ import annotations


def table(at, column: str):
    """The value of the first dataframe on an AppTest page that has `column`."""
    for df in at.dataframe:
        if column in df.value.columns:
            return df.value
    raise AssertionError(f"no table with column {column!r}")


def metric(at, label: str) -> str:
    """The value of the metric with this label on an AppTest page."""
    return next(m.value for m in at.metric if m.label == label)
