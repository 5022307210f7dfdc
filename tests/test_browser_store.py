"""A damaged snapshot on a real server: refused with a clear Danish message, the page stays on the last
good snapshot, no traceback and no server path on the page."""

import shutil

import pytest
from helpers import open_page
from playwright.sync_api import expect

from overblik import store

pytestmark = pytest.mark.browser


def test_tampered_parquet_is_refused_and_the_page_keeps_the_last_good_snapshot(page, data_dir, tmp_path):
    from conftest import serve

    base = tmp_path / "data"
    shutil.copytree(data_dir, base)
    first = store.current_id(base)
    with serve(base) as url:
        open_page(page, url + "/kapacitet")  # the server opens (and verifies) the first snapshot
        expect(page.get_by_text("Datasæt Eksempeldata, 20. nov. 2026")).to_be_visible()

        tables = store.read_tables(first, base)
        doc = store.manifest(first, base)
        meta = {n: store.TableMeta(e["provenance"], e["source"], e["data_date"]) for n, e in doc["tables"].items()}
        second = store.publish(tables, meta, note="ny", based_on=first, base=base)
        path = base / "snapshots" / second / "offer_years.parquet"
        raw = bytearray(path.read_bytes())
        raw[len(raw) // 2] ^= 0xFF  # one flipped byte
        path.write_bytes(bytes(raw))

        open_page(page, url + "/kapacitet")
        alert = page.get_by_test_id("stAlertContentWarning")
        expect(alert).to_contain_text(
            f"Det nyeste datasæt ({store.name_of(second, base)}) er beskadiget og bruges ikke: offer_years: kontrolsum "
            "passer ikke. Siden viser det seneste gyldige datasæt, Eksempeldata, 20. nov. 2026. Udgiv data igen, "
            "eller rul tilbage."
        )
        expect(page.get_by_text("Datasæt Eksempeldata, 20. nov. 2026")).to_be_visible()
        assert page.get_by_test_id("stException").count() == 0
        body = page.locator("body").inner_text()
        assert str(base) not in body and str(tmp_path) not in body and "Traceback" not in body
        assert page.locator("h1").first.is_visible()
