"""The Om data slice: the view data behind the Om data page (tables with provenance, the snapshot
history, the data contract in Danish, the workbook download) and the data contract in English for the
README. The page opens no file: every read of the snapshot store goes through here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from overblik import data, fmt, schema, store, viewcache

TYPE_DA = {"int": "heltal", "float": "tal", "str": "tekst", "date": "dato", "pdate": "dato (evt. kun år/måned)"}


@viewcache.cached
def tables_overview(sid: str | None = None) -> pd.DataFrame:
    doc = data.manifest(sid)
    rows = []
    for name, entry in doc["tables"].items():
        t = schema.TABLES.get(name)
        rows.append(
            {
                "Tabel": t.title if t else name,
                "Navn": name,
                "Datagrundlag": data.PROVENANCE_DA.get(entry["provenance"], entry["provenance"]),
                "Kilde": entry["source"],
                "Data pr.": fmt.date(entry.get("data_date")),
                "Rækker": entry["rows"],
            }
        )
    return pd.DataFrame(rows)


def _rule(col: schema.Column) -> str:
    bits = []
    if col.allowed is not None:
        bits.append("tilladt: " + ", ".join(str(a) for a in col.allowed))
    if col.min is not None and col.max is not None:
        bits.append(f"{fmt.number(col.min, 0)}-{fmt.number(col.max, 0)}")
    elif col.min is not None:
        bits.append(f"mindst {fmt.number(col.min, 0)}")
    elif col.max is not None:
        bits.append(f"højst {fmt.number(col.max, 0)}")
    if col.pattern_hint and col.type not in ("date",):
        bits.append(f"format {col.pattern_hint}")
    return "; ".join(bits)


@viewcache.cached
def columns_overview() -> list:
    """Per table: (name, title, description, DataFrame of its columns)."""
    out = []
    for t in schema.TABLES.values():
        fks = t.foreign_keys
        rows = [
            {
                "Kolonne": c.name,
                "Betydning": c.description,
                "Type": TYPE_DA[c.type],
                "Påkrævet": "ja" if c.required else "nej",
                "Regel": _rule(c),
                "Nøgle": "ja" if c.name in t.key else "",
                "Henviser til": f"{fks[c.name][0]}.{fks[c.name][1]}" if c.name in fks else "",
            }
            for c in t.shown(editors=False)  # the columns in what a reader can see and download
        ]
        out.append((t.name, t.title, t.description, pd.DataFrame(rows)))
    return out


def contract_markdown() -> str:
    """The data contract as Markdown, for the README (tests/test_readme.py keeps the two equal)."""
    types = {"int": "int", "float": "float", "str": "text", "date": "date", "pdate": "partial date"}
    out = []
    for t in schema.TABLES.values():
        out.append(f"#### `{t.name}` ({t.title})\n")
        fk = "; ".join(f"{c} → {a}.{b}" for c, (a, b) in t.foreign_keys.items())
        out.append(f"{t.description} Key: {', '.join(t.key)}." + (f" Foreign keys: {fk}." if fk else "") + "\n")
        out.append("| column | type | required | rule | meaning (Danish) |\n|---|---|---|---|---|")
        for c in t.columns:
            rule = "; ".join(
                filter(None, [_rule(c), "editors only (not in the readers' views and downloads)" * c.editors_only])
            )
            out.append(f"| `{c.name}` | {types[c.type]} | {'yes' if c.required else 'no'} | {rule} | {c.description} |")
        out.append("")
    return "\n".join(out)


def snapshot_history() -> pd.DataFrame:
    """The snapshot history for Om data, newest first, with Danish column names."""
    return _snapshot_history(store.state())


@viewcache.cached
def _snapshot_history(state: tuple) -> pd.DataFrame:
    """snapshot_history(), built once per state of the store (`state`: store.state())."""
    h = store.snapshot_history()

    return pd.DataFrame(
        {
            "Datasæt": [store.dataset_name(i, c) for i, c in zip(h["id"], h["created"])],  # when it was published
            "Aktuelt": h["current"].map({True: "● aktuelt", False: ""}),
            "Bemærkning": h["note"].fillna(""),
            "Ændrede tabeller": [schema.titles(c) for c in h["changed"]],
            "Nye tabeller": [schema.titles(a) for a in h["added"]],
            "Datagrundlag": h["illustrative"].map({True: "Indeholder fiktive eksempeldata", False: "Reelle data"}),
        }
    )


@dataclass(frozen=True)
class WorkbookDownload:
    """The current snapshot as the secretariat's editable workbook, for st.download_button."""

    file_name: str
    build: Callable[[], bytes]  # builds the workbook when the user clicks


def workbook_download() -> WorkbookDownload:
    sid = data.snapshot_id()

    def build() -> bytes:
        from overblik import ingest

        return ingest.workbook_bytes(sid)

    return WorkbookDownload(f"rammeaftale-overblik-{sid}.xlsx", build)
