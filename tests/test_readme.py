"""The README opens with the two commands and lists every table and column of the data contract."""

from pathlib import Path

from overblik import om_data, schema

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
BEGIN, END = "<!-- contract:begin -->", "<!-- contract:end -->"


def test_readme_opens_with_make_run_and_make_test():
    head = README[:600]
    assert "make run" in head and "make test" in head


def test_contract_section_equals_schema():
    section = README.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    assert section == om_data.contract_markdown().strip(), (
        "README's data contract differs from overblik/schema.py: regenerate it with "
        "python -c 'from overblik import om_data; print(om_data.contract_markdown())'"
    )


def test_every_table_and_column_is_listed():
    for t in schema.TABLES.values():
        assert f"#### `{t.name}`" in README
        for c in t.columns:
            assert f"| `{c.name}` |" in README


def test_row_limits_are_the_schemas():
    from overblik.ingest import n_dk

    assert f"more than {n_dk(schema.MAX_ROWS)} rows in a table" in README
    for t in schema.TABLES.values():
        if t.max_rows != schema.MAX_ROWS:
            assert f"{n_dk(t.max_rows)} in `{t.name}`" in README, t.name


def test_every_date_format_named_is_read_as_named():
    import datetime as dt
    import re

    row = next(line for line in README.splitlines() if line.startswith("| dates other than"))
    named = re.findall(r"`([^`]+)`", row)
    assert {"15.01.2026", "15/01/2026", "11/12/2026"} <= set(named)
    for text in named:
        want = dt.date(2026, 12, 11) if text == "11/12/2026" else dt.date(2026, 1, 15)
        assert schema.as_date(text) == want, text  # day first, as the README says
