"""Om data in a real browser: the workbook download is the snapshot as an editable workbook."""

import pytest
from helpers import assert_no_exception, open_page, screenshot

pytestmark = pytest.mark.browser


def test_om_data_downloads_the_workbook(page, server, tmp_path):
    import openpyxl

    open_page(page, server + "/om-data")
    assert_no_exception(page)
    with page.expect_download() as dl:
        page.get_by_role("button", name="Hent som Excel").click()
    path = tmp_path / dl.value.suggested_filename
    dl.value.save_as(path)
    assert path.name.endswith(".xlsx")
    wb = openpyxl.load_workbook(path, read_only=True)
    assert wb.sheetnames[0] == "Om" and "offers" in wb.sheetnames and "Kilder" in wb.sheetnames
    screenshot(page, "om-data")
