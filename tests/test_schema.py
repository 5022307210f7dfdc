"""The data contract: every rule has a failing case, and each problem names table, row, column, rule, value."""

import pandas as pd
import pytest
import tiny

from overblik import schema


def _set(table, column, value, row=0):
    def mutate(t):
        df = t[table].astype(object)
        df.loc[row, column] = value
        t[table] = df

    return mutate


def _dup_first_row(table):
    def mutate(t):
        t[table] = pd.concat([t[table], t[table].iloc[[0]]], ignore_index=True)

    return mutate


def _drop_column(table, column):
    def mutate(t):
        t[table] = t[table].drop(columns=[column])

    return mutate


def _add_column(table, column):
    def mutate(t):
        t[table] = t[table].assign(**{column: 1})

    return mutate


CASES = [
    # (id, mutation, table, column, rule text, value)
    ("type-int", _set("offer_years", "places", "ti"), "offer_years", "places", "heltal", "ti"),
    ("type-float", _set("offer_years", "occupancy_pct", "høj"), "offer_years", "occupancy_pct", "skal være tal", "høj"),
    ("type-date", _set("initiatives", "deadline", "i morgen"), "initiatives", "deadline", "dato", "i morgen"),
    (
        "type-pdate",
        _set("central_notices", "issued", "ca. nov 2014"),
        "central_notices",
        "issued",
        "dato",
        "ca. nov 2014",
    ),
    ("required", _set("offers", "name", None), "offers", "name", "påkrævet", None),
    ("allowed", _set("initiative_updates", "status", "grøn"), "initiative_updates", "status", "tilladt", "grøn"),
    ("min", _set("offer_years", "places", -1), "offer_years", "places", "mindre end 0", -1),
    (
        "max-occupancy",
        _set("offer_years", "occupancy_pct", 250.0),
        "offer_years",
        "occupancy_pct",
        "større end 200",
        250.0,
    ),
    ("max-difficulty", _set("demand", "difficulty", 4), "demand", "difficulty", "større end 3", 4),
    (
        "pattern",
        _set("account_functions", "function_code", "53850"),
        "account_functions",
        "function_code",
        "format",
        "53850",
    ),
    (
        "pattern-url",
        _set("central_notices", "source_url", "sbst.dk"),
        "central_notices",
        "source_url",
        "format",
        "sbst.dk",
    ),
    (
        "unique-key",
        _dup_first_row("municipalities"),
        "municipalities",
        "municipality_code",
        "nøglen findes allerede",
        751,
    ),
    (
        "foreign-key",
        _set("spending", "municipality_code", 999),
        "spending",
        "municipality_code",
        "findes ikke i municipalities",
        999,
    ),
    (
        "dates-ordered",
        _set("initiatives", "deadline", "2024-01-01"),
        "initiatives",
        "deadline",
        "frist før start",
        None,
    ),
    ("years-ordered", _set("agreements", "end_year", 2024), "agreements", "end_year", "slutår før startår", 2024),
    (
        "report-after-issue",
        _set("central_notices", "report_submitted", "2013"),
        "central_notices",
        "report_submitted",
        "afrapportering før udmelding",
        "2013",
    ),
    ("missing-column", _drop_column("offers", "kind"), "offers", "kind", "kolonne mangler", None),
    ("unknown-column", _add_column("offers", "farve"), "offers", "farve", "ukendt kolonne", "farve"),
]


def test_tiny_set_is_valid():
    assert schema.errors(schema.validate(tiny.tables())) == []


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_each_rule_fails(case):
    _, mutate, table, column, rule, value = case
    t = tiny.tables()
    mutate(t)
    problems = schema.errors(schema.validate(t))
    hits = [p for p in problems if p.table == table and p.column == column and rule in p.rule]
    assert hits, [p.message() for p in problems]
    p = hits[0]
    if value is not None:
        assert p.value == value
    if rule not in ("kolonne mangler", "ukendt kolonne"):
        assert p.row is not None and p.row >= 2  # the row the user sees in Excel (header is row 1)
    assert table in p.message() and column in p.message()


def test_unknown_table():
    t = tiny.tables()
    t["farver"] = pd.DataFrame({"a": [1]})
    assert any(p.rule == "ukendt tabel" for p in schema.validate(t))


def test_every_problem_is_reported_not_just_the_first():
    t = tiny.tables()
    _set("offer_years", "places", -1)(t)
    _set("offer_years", "occupancy_pct", 300.0)(t)
    _set("demand", "difficulty", 9)(t)
    assert len(schema.errors(schema.validate(t))) == 3


def test_over_occupancy_is_valid_but_flagged():
    t = tiny.tables()
    _set("offer_years", "occupancy_pct", 120.0)(t)
    problems = schema.validate(t)
    assert schema.errors(problems) == []
    assert [p.severity for p in problems] == ["advarsel"]


def _rates(*rows) -> pd.DataFrame:
    """offer_years rows (offer, year, rate) of the tiny data set's T1 otherwise."""
    base = tiny.tables()["offer_years"].iloc[0].to_dict()
    return pd.DataFrame([{**base, "offer_id": o, "year": y, "rate_dkk_per_day": r} for o, y, r in rows])


RATE_LIMIT_NOTE = "kontrollér tallet (dashboardets egen kontrol af ændringer over 25 %, ikke en regel i rammeaftalen)"


def test_a_large_rate_change_is_valid_but_flagged():
    """7.387 -> 3.105 kr.: 3105 / 7387 = 0,4203, a change of -57,97 %, said as -58 %; on the 2026 row (Excel row
    3), column rate_dkk_per_day, value 3.105. The other offer's 2.000 -> 2.500 is +25,0 %: not over 25 %."""
    t = tiny.tables()
    t["offer_years"] = _rates(("T1", 2025, 7387.0), ("T1", 2026, 3105.0), ("T2", 2025, 2000.0), ("T2", 2026, 2500.0))
    t["offers"] = pd.concat([t["offers"], t["offers"].assign(offer_id="T2")], ignore_index=True)
    origins = {"offer_years": schema.Origin(file="data.xlsx", sheet="offer_years")}
    problems = schema.validate(t, origins)
    assert schema.errors(problems) == []
    assert [(p.severity, p.row, p.column, p.value) for p in problems] == [("advarsel", 3, "rate_dkk_per_day", 3105.0)]
    assert problems[0].rule == f"takst ændret −58 % fra 2025 (7.387) til 2026 (3.105) for tilbud T1; {RATE_LIMIT_NOTE}"
    assert problems[0].message().startswith("Advarsel: data.xlsx, ark offer_years, række 3, kolonne rate_dkk_per_day: ")


def test_a_rate_change_just_over_the_limit_is_said_with_a_decimal():
    """2.000 -> 2.502 kr. is +25,1 % (502 / 2000): flagged, and not rounded to a '+25 %' that reads as the limit.
    Against the latest earlier year present (2023; 2024 is missing)."""
    t = tiny.tables()
    t["offer_years"] = _rates(("T1", 2023, 2000.0), ("T1", 2025, 2502.0))
    (p,) = schema.validate(t)
    assert p.rule == f"takst ændret +25,1 % fra 2023 (2.000) til 2025 (2.502) for tilbud T1; {RATE_LIMIT_NOTE}"


def test_a_rate_change_is_judged_against_the_current_data_and_flagged_only_when_new():
    """The file holds 2026 only: its 3.105 is compared with 2025's 7.387 in the current data (-58 %). A file that
    repeats a change the current data already holds gets no warning; a previous rate of 0 is no basis."""
    t = tiny.tables()
    t["offer_years"] = _rates(("T1", 2026, 3105.0))
    current = {"offer_years": _rates(("T1", 2025, 7387.0))}
    (p,) = schema.validate(t, reference=current)
    assert p.rule.startswith("takst ændret −58 % fra 2025 (7.387) til 2026 (3.105)")
    both = _rates(("T1", 2025, 7387.0), ("T1", 2026, 3105.0))
    t["offer_years"] = both
    assert schema.validate(t, reference={"offer_years": both}) == []
    t["offer_years"] = _rates(("T1", 2025, 0.0), ("T1", 2026, 3105.0))
    assert schema.validate(t) == []


def test_message_names_file_sheet_row_column_rule_value():
    t = tiny.tables()
    _set("offer_years", "places", "ti")(t)
    origins = {"offer_years": schema.Origin(file="data.xlsx", sheet="offer_years")}
    (p,) = schema.errors(schema.validate(t, origins))
    assert p.message() == "Fejl: data.xlsx, ark offer_years, række 2, kolonne places: skal være heltal: 'ti'"


def test_foreign_keys_resolve_against_reference():
    t = tiny.tables()
    spending = t.pop("spending")
    ref = tiny.tables()
    assert schema.errors(schema.validate({"spending": spending}, reference=ref)) == []
    bad = spending.assign(function_code="9.99.99")
    assert schema.errors(schema.validate({"spending": bad}, reference=ref))


def test_danish_decimal_comma_is_read():
    t = tiny.tables()
    _set("offer_years", "occupancy_pct", "95,5")(t)
    assert schema.errors(schema.validate(t)) == []
    assert schema.coerce("offer_years", t["offer_years"])["occupancy_pct"].iloc[0] == 95.5


def test_coerce_gives_contract_columns_and_types():
    t = tiny.tables()
    for name, df in t.items():
        out = schema.coerce(name, df)
        assert list(out.columns) == schema.TABLES[name].column_names
    assert str(schema.coerce("offers", t["offers"])["operator_code"].dtype) == "Int64"


@pytest.mark.parametrize(
    "text,expected", [("1.234", 1234), ("12.345.678", 12345678), ("-1.000", -1000), ("42", 42), ("42,0", 42)]
)
def test_danish_integers_as_excel_writes_them(text, expected):
    assert schema.as_int(text) == expected


@pytest.mark.parametrize("text,expected", [("1.234,5", 1234.5), ("1.234", 1234.0), ("0,5", 0.5), ("2.5", 2.5)])
def test_danish_decimals(text, expected):
    assert schema.as_float(text) == expected


@pytest.mark.parametrize("text", ["15-01-2026", "15.01.2026", "15/1/2026", "2026-01-15"])
def test_danish_dates_as_excel_writes_them(text):
    import datetime as dt

    assert schema.as_date(text) == dt.date(2026, 1, 15)


def test_impossible_danish_date_is_a_problem():
    t = tiny.tables()
    _set("initiatives", "deadline", "31-02-2026")(t)
    assert [p.column for p in schema.errors(schema.validate(t))] == ["deadline"]
