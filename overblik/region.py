"""The region the dashboard serves: one value of configuration, owned here.

OVERBLIK_REGION=<DST region code> (1081-1085), else `[region] code = ...` in .streamlit/secrets.toml,
else 1082 (Region Midtjylland). Another KKR region gets the same product, with its own municipalities,
by setting this one value; its agreement texts, targets and initiatives come from its own data folder.

The rule of what "the region's municipalities" are lives in db._connect: the views `municipalities`,
`spending` and `population` hold only the configured region's municipalities (a municipality without a
region_code, as in snapshots from before the contract had the column, counts as the configured region's),
and `all_municipalities`, `all_spending` and `all_population` hold all of them.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping

ENV = "OVERBLIK_REGION"
DEFAULT = 1082
NAMES = {
    1081: "Region Nordjylland",
    1082: "Region Midtjylland",
    1083: "Region Syddanmark",
    1084: "Region Hovedstaden",
    1085: "Region Sjælland",
}
COUNTRY = "Hele landet"


class RegionError(ValueError):
    pass


@functools.cache
def _secrets() -> Mapping:
    """secrets.toml, read once per process (a change of region is a restart, like any other setting)."""
    try:
        import streamlit as st

        return st.secrets.to_dict()
    except Exception:  # no secrets.toml, or not in a Streamlit process
        return {}


def _parse(raw: object, where: str) -> int:
    try:
        value = int(str(raw).strip())
    except ValueError:
        value = 0
    if value not in NAMES:
        raise RegionError(
            f"{where}={raw!r} er ikke en regionskode; brug en af "
            + ", ".join(f"{c} ({n})" for c, n in NAMES.items())
            + "."
        )
    return value


def code() -> int:
    """The configured region's DST code (1081-1085)."""
    raw = os.environ.get(ENV, "").strip()
    if raw:
        return _parse(raw, ENV)
    section = _secrets().get("region") or {}
    if isinstance(section, Mapping) and section.get("code") not in (None, ""):
        return _parse(section["code"], "[region] code")
    return DEFAULT


def name(region_code: int | None = None) -> str:
    """'Region Midtjylland'."""
    return NAMES[region_code or code()]


def short_name(region_code: int | None = None) -> str:
    """'Midtjylland'."""
    return name(region_code).removeprefix("Region ")


def response_label(region_code: int | None = None) -> str:
    """'Midtjyllands svar': the column of the region's answer to a central notice."""
    return short_name(region_code) + "s svar"


def kkr_name(region_code: int | None = None) -> str:
    """'KKR Midtjylland' (the municipal contact council of the region)."""
    return "KKR " + short_name(region_code)
