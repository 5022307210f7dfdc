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
