"""A copy of the shipped data with hostile text in every kind of data text a page shows (names, notes,
sources), published straight through the store, as if it had slipped past validation."""

from __future__ import annotations

import shutil
from pathlib import Path

from overblik import store

ROOT = Path(__file__).resolve().parent.parent

IMG = "<img src=x onerror=alert(1)>"
LINK = "[Log ind her](http://evil.example/login)"
PICTURE = "![x](http://evil.example/x.png)"
ANCHOR = '<a href="http://evil.example/a">klik</a>'
# Markdown without tags: a line of '===' makes the line above it a heading, an entity becomes '<b>', a
# Material shortcode an icon (a reviewer put a heading in the sidebar with a crafted link).
MARKUP = "TALLENE ER FORKERTE\n===\n    kode &lt;b&gt;fed&lt;/b&gt; :material/warning:"
HOSTILE = f"{IMG} {LINK} {PICTURE} {ANCHOR} {MARKUP}"
# Each hostile string on its own, for the fields where a whole line would be too long for a chart.
EACH = (IMG, LINK, PICTURE, ANCHOR, MARKUP)

# A link with invalid filter values that are echoed in the "ugyldige filterværdier" notice.
QUERY = {"kommune": [LINK, IMG], "omraade": [ANCHOR], "aar": [PICTURE, MARKUP, "2024"]}


def _hostile(df, column, every: int = 1):
    df = df.copy()
    df[column] = [f"{EACH[i % len(EACH)]} {v}" if i % every == 0 else v for i, v in enumerate(df[column])]
    return df


def make(base: Path) -> Path:
    """Copy the shipped data to `base` and publish a hostile snapshot there; returns `base`."""
    shutil.copytree(ROOT / "data", base, dirs_exist_ok=True)
    sid = store.current_id(base)
    tables = store.read_tables(sid, base)
    doc = store.manifest(sid, base)
    tables["offers"] = _hostile(tables["offers"], "name")
    tables["operators"] = _hostile(tables["operators"], "name")
    tables["target_groups"] = _hostile(tables["target_groups"], "short_name")
    tables["target_groups"] = _hostile(tables["target_groups"], "name")
    tables["initiatives"] = _hostile(tables["initiatives"], "title")
    tables["initiatives"] = _hostile(tables["initiatives"], "owner")
    tables["initiative_updates"] = _hostile(tables["initiative_updates"], "note")
    tables["central_notices"] = _hostile(tables["central_notices"], "target_group")
    tables["central_notices"] = _hostile(tables["central_notices"], "outcome")
    tables["principles"] = _hostile(tables["principles"], "name")
    tables["account_functions"] = _hostile(tables["account_functions"], "name")
    tables["secured_units"] = _hostile(tables["secured_units"], "unit_name")
    tables["national_offers"] = _hostile(tables["national_offers"], "name")
    tables["meetings"] = _hostile(tables["meetings"], "title")
    meta = {
        name: store.TableMeta(e["provenance"], f"{e['source']} {HOSTILE}", e["data_date"])
        for name, e in doc["tables"].items()
    }
    store.publish(tables, meta, note=f"Fjendtlig tekst {HOSTILE}", base=base)
    return base
