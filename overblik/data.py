"""What the pages know about the current data: snapshot id, manifest, provenance per table.

Pages read data only through here and through db.run(); they never touch files.
"""

from __future__ import annotations

from dataclasses import dataclass

from overblik import fmt, store


@dataclass(frozen=True)
class Provenance:
    tables: tuple[str, ...]
    sources: tuple[str, ...]
    data_date: str | None  # the newest data date among the tables, ISO
    illustrative: bool

    def caption(self) -> str:
        """'Kilde: ... · Data pr. 20. nov. 2026'."""
        text = "Kilde: " + "; ".join(self.sources)
        if self.data_date:
            text += f" · Data pr. {fmt.date(self.data_date)}"
        return text


def snapshot_id() -> str:
    return store.current_id()


def manifest(sid: str | None = None) -> dict:
    return store.manifest(sid)


def provenance(*tables: str, sid: str | None = None) -> Provenance:
    """Sources, data date and illustrative flag for the tables a figure rests on."""
    doc = manifest(sid)
    entries = [doc["tables"][t] for t in tables if t in doc["tables"]]
    sources: list[str] = []
    for e in entries:
        if e["source"] not in sources:
            sources.append(e["source"])
    dates = [e["data_date"] for e in entries if e.get("data_date")]
    return Provenance(
        tables=tuple(tables),
        sources=tuple(sources),
        data_date=max(dates) if dates else None,
        illustrative=any(e["provenance"] == "illustrative" for e in entries),
    )


def snapshot_summary(sid: str | None = None) -> dict:
    """The header's facts: id, newest data date, whether any table is illustrative."""
    doc = manifest(sid)
    dates = [t["data_date"] for t in doc["tables"].values() if t.get("data_date")]
    return {
        "id": doc["id"],
        "created": doc.get("created"),
        "data_date": max(dates) if dates else None,
        "illustrative": store.is_illustrative(doc),
        "illustrative_tables": [n for n, t in doc["tables"].items() if t["provenance"] == "illustrative"],
    }
