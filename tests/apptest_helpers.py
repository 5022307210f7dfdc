"""AppTest helpers: open the "Vis tal" expanders and popovers, find a page's table by a column it has, and
a metric by its label."""

from __future__ import annotations

from streamlit.runtime.state.common import user_key_from_element_id


def numbers_keys(at) -> list[str]:
    """The session-state keys of the "Vis tal" expanders and popovers on the page as last run (ui.chart and
    ui.numbers_popover key them f"{key}-tal"; a keyed expander's or popover's element id ends with its key)."""
    keys = [user_key_from_element_id(b.proto.id) for b in [*at.get("expander"), *at.get("popover")] if b.proto.id]
    return [k for k in keys if k and k.endswith("-tal")]


def open_numbers(at):
    """Open every "Vis tal" expander and popover, as a reader clicking them does (each opening reruns the
    page; here one rerun opens them all), and return the AppTest. They stay open on later runs."""
    keys = numbers_keys(at)
    assert keys, "no 'Vis tal' on the page"
    for key in keys:
        at.session_state[key] = True
    return at.run()


def table(at, column: str):
    """The value of the first dataframe on an AppTest page that has `column`."""
    for df in at.dataframe:
        if column in df.value.columns:
            return df.value
    raise AssertionError(f"no table with column {column!r}")


def metric(at, label: str) -> str:
    """The value of the metric with this label on an AppTest page."""
    return next(m.value for m in at.metric if m.label == label)
