"""fetch-dst: spending (REGK31, BUDK32) and population (FOLK1A) from Danmarks Statistik's StatBank.

    python -m overblik fetch-dst [--years A-B] [--from-dir DIR] [--note TEXT]

Online, each table is read in two calls (StatBank's API, https://api.statbank.dk/console):
tableinfo (which years and codes the table has today; REGK31's FUNKTION texts also give the current
function names) and a data call (POST JSON, format CSV, valuePresentation Code). With --from-dir the
data replies are read from DIR/REGK31.csv, DIR/BUDK32.csv and DIR/FOLK1A.csv instead, and the function
names are left as they are.

Every one of the country's 98 municipalities is fetched (overblik/reference/municipalities.csv, plus any
other municipality the snapshot has): StatBank has them all. The regions and the whole country are not
fetched as such: the dashboard derives them by summing their municipalities (spending and inhabitants),
so every figure rests on the same municipal rows. A snapshot whose municipalities table lacks some of the
98, or their region, gets the reference's rows (code, name, landsdel, region_code) in the new snapshot.

The result is published as a new snapshot. Without --years it is a full refresh: spending and
population are replaced by StatBank's series. With --years A-B it is an update of those years: the
spending rows of the (year, kind) combinations the replies cover are replaced (regnskab from REGK31,
budget from BUDK32), and so are the population rows of the years FOLK1A covers; every other existing
row is kept (a year is covered when the reply has it, even if all its values are '..'). When rows are
kept, the table's source names both origins, and it stays illustrative if the kept rows were.
account_functions gets the current names (online only), every other table is carried over from
CURRENT with its metadata. Any failure aborts before anything is written: CURRENT and the snapshots
are untouched. The new snapshot is handed to store.publish based on the snapshot that was read, so a
publish by someone else in the meantime is refused rather than overwritten. overblik.cli prints.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
from pathlib import Path

import pandas as pd
import requests

from overblik import clock, fmt, schema, store

BASE_URL = "https://api.statbank.dk/v1"  # $OVERBLIK_STATBANK_URL overrides (tests, proxies)
TIMEOUT = (10, 120)  # seconds: connect, read
FIRST_YEAR = 2016
LICENCE = "CC BY 4.0"
SPENDING_TABLES = {"REGK31": "regnskab", "BUDK32": "budget"}
POPULATION_TABLE = "FOLK1A"
# The population's age groups, built from FOLK1A's single years. 0-17, 18-64 and 65+ cover every age;
# 0-22 overlaps them: the denominator of the children's functions per inhabitant (as FLIS's key figures for
# children at risk).
AGE_GROUPS = (("0-17", 0, 17), ("18-64", 18, 64), ("65+", 65, 10_000), ("0-22", 0, 22))
MISSING = ("..", "")
_NAMES_PREFIX = "Navne: Danmarks Statistik, StatBank REGK31"
_CODE_PREFIX = re.compile(r"^\s*\d\.\d{2}\.\d{2}\.?\s*")


class DstError(RuntimeError):
    """A failure with a message for the user (Danish)."""


class UsageError(DstError):
    """A bad command-line argument (exit code 2, like argparse)."""


class NoAnswer(DstError):
    """StatBank could not be reached, did not answer in time, or answered with an HTTP error (ErrorReply)."""


class ErrorReply(NoAnswer):
    """StatBank answered with an HTTP error."""


class Conflict(DstError):
    """Someone else published after the current snapshot was read (store.Conflict): nothing is written."""


def base_url() -> str:
    return (os.environ.get("OVERBLIK_STATBANK_URL") or BASE_URL).rstrip("/")


def _quiet(msg: str) -> None:
    """The default progress callback: says nothing (overblik.cli passes one that prints)."""


# ---------------------------------------------------------------------------------------------
# HTTP


def _call(session, method: str, url: str, table: str, **kw) -> requests.Response:
    try:
        r = session.request(method, url, timeout=TIMEOUT, **kw)
    except requests.Timeout:
        raise NoAnswer(
            f"Kunne ikke hente {table} fra Danmarks Statistik: ingen svar inden for {TIMEOUT[1]} sekunder ({url})."
        ) from None
    except requests.RequestException as e:
        raise NoAnswer(
            f"Kunne ikke hente {table} fra Danmarks Statistik: ingen forbindelse til {url} ({type(e).__name__})."
        ) from None
    if r.status_code != 200:
        detail = ""
        try:
            detail = str(r.json().get("message") or "")
        except (ValueError, AttributeError):
            detail = (r.text or "")[:200].strip()
        raise ErrorReply(
            f"Kunne ikke hente {table} fra Danmarks Statistik: HTTP {r.status_code}"
            + (f": {detail}" if detail else "")
            + "."
        )
    return r


def fetch(table: str, variables: dict[str, list[str]], session=None) -> str:
    """The CSV body of a data call (POST JSON, valuePresentation=Code), decoded from UTF-8 with BOM."""
    session = session or requests.Session()
    body = {
        "table": table,
        "format": "CSV",
        "valuePresentation": "Code",
        "variables": [{"code": code, "values": [str(v) for v in values]} for code, values in variables.items()],
    }
    r = _call(session, "POST", f"{base_url()}/data", table, json=body)
    try:
        return r.content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DstError(f"Uventet svar fra Danmarks Statistik ({table}): ikke UTF-8.") from None


def tableinfo(table: str, session=None) -> dict:
    """The table's metadata: {"variables": [{"id", "values": [{"id", "text"}, ...]}, ...], ...}."""
    session = session or requests.Session()
    r = _call(session, "GET", f"{base_url()}/tableinfo/{table}", table, params={"format": "JSON", "lang": "da"})
    try:
        info = json.loads(r.content.decode("utf-8-sig"))
        info["variables"]
    except (ValueError, KeyError, TypeError):
        raise DstError(
            f"Uventet svar fra Danmarks Statistik (tableinfo {table}): ikke gyldig JSON med variabler."
        ) from None
    return info


def variable_values(info: dict, variable: str) -> dict[str, str]:
    """{code: text} of one variable in a tableinfo reply (variable id matched case-insensitively)."""
    for var in info["variables"]:
        if str(var.get("id", "")).upper() == variable.upper():
            return {str(v["id"]): str(v.get("text", "")) for v in var.get("values", [])}
    raise DstError(
        f"Uventet svar fra Danmarks Statistik: tabellen {info.get('id', '?')} har ingen variabel {variable}."
    )


# ---------------------------------------------------------------------------------------------
# Parsing


def parse(text: str, table: str = "svaret") -> pd.DataFrame:
    """A StatBank CSV reply as a frame: one column per variable code (upper case, so Tid -> TID),
    all text, plus INDHOLD as float with NaN where the value is missing ('..')."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise DstError(f"{table}: svaret er tomt.")
    df = pd.read_csv(io.StringIO(text), sep=";", dtype=str, keep_default_na=False, na_filter=False)
    df.columns = [str(c).strip().lstrip("\ufeff").upper() for c in df.columns]
    if "INDHOLD" not in df.columns:
        raise DstError(f"{table}: svaret har ingen kolonne INDHOLD (kolonner: {', '.join(df.columns)}).")
    for c in df.columns:
        df[c] = df[c].str.strip()
    values = []
    for i, v in enumerate(df["INDHOLD"].tolist()):
        if v in MISSING:
            values.append(float("nan"))
            continue
        try:
            values.append(schema.as_float(v))  # the contract's number rule: finite, Danish or plain
        except ValueError:
            raise DstError(f"{table}: linje {i + 2}: INDHOLD er ikke et tal: {v[:80]!r}.") from None
    df["INDHOLD"] = pd.array(values, dtype="float64")
    return df


def _require(df: pd.DataFrame, table: str, columns: list[str]) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DstError(f"{table}: svaret mangler kolonne(r) {', '.join(missing)} (kolonner: {', '.join(df.columns)}).")


def _keep(df: pd.DataFrame, column: str, value: str) -> pd.DataFrame:
    """Rows where column == value, if the reply has the column (a reply may carry several values)."""
    return df[df[column] == value] if column in df.columns else df


def _drop_missing(df: pd.DataFrame, table: str, notes: list[str]) -> pd.DataFrame:
    n = int(df["INDHOLD"].isna().sum())
    if n:
        notes.append(f"{table}: {n} manglende værdi(er) ('..') sprunget over")
    return df[df["INDHOLD"].notna()]


def _int_codes(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce")


def spending_frame(
    df: pd.DataFrame,
    table: str,
    kind: str,
    municipalities: set[int],
    functions: dict[str, str],
    years: tuple[int, int] | None,
    notes: list[str],
) -> pd.DataFrame:
    """Parsed REGK31/BUDK32 reply -> spending rows of one kind. `functions` maps FUNKTION -> '5.38.50'."""
    _require(df, table, ["OMRÅDE", "FUNKTION", "TID"])
    df = _keep(_keep(_keep(df, "DRANST", "1"), "ART", "TOT"), "PRISENHED", "LOBM")
    df = _drop_missing(df, table, notes)
    out = pd.DataFrame(
        {
            "municipality_code": _int_codes(df["OMRÅDE"]),
            "year": _int_codes(df["TID"]),
            "function_code": df["FUNKTION"].map(functions),
            "kind": kind,
            "net_1000_dkk": df["INDHOLD"],
        }
    )
    known = out["municipality_code"].isin(municipalities) & out["function_code"].notna() & out["year"].notna()
    if years:
        known &= out["year"].between(*years)
    if int((~known).sum()):
        notes.append(
            f"{table}: {int((~known).sum())} række(r) uden for de valgte kommuner, funktioner og år sprunget over"
        )
    return out[known].astype({"municipality_code": "int64", "year": "int64"}).reset_index(drop=True)


def population_frame(
    df: pd.DataFrame, municipalities: set[int], years: tuple[int, int] | None, notes: list[str]
) -> pd.DataFrame:
    """Parsed FOLK1A reply (single years of age, quarter 1) -> persons per municipality, year, age group."""
    table = POPULATION_TABLE
    _require(df, table, ["OMRÅDE", "ALDER", "TID"])
    df = _keep(_keep(df, "KØN", "TOT"), "CIVILSTAND", "TOT")
    df = df[df["ALDER"].str.fullmatch(r"\d+") & df["TID"].str.fullmatch(r"\d{4}K1")]  # no IALT, 1 January
    df = _drop_missing(df, table, notes)
    rows = pd.DataFrame(
        {
            "municipality_code": _int_codes(df["OMRÅDE"]),
            "year": df["TID"].str[:4].astype("int64"),
            "age": df["ALDER"].astype("int64"),
            "persons": df["INDHOLD"],
        }
    )
    known = rows["municipality_code"].isin(municipalities)
    if years:
        known &= rows["year"].between(*years)
    if int((~known).sum()):
        notes.append(f"{table}: {int((~known).sum())} række(r) uden for de valgte kommuner og år sprunget over")
    rows = rows[known]
    parts = [rows[rows["age"].between(lo, hi)].assign(age_group=name) for name, lo, hi in AGE_GROUPS]
    out = (
        pd.concat(parts, ignore_index=True)
        .groupby(["municipality_code", "year", "age_group"], as_index=False)["persons"]
        .sum()
        .astype({"municipality_code": "int64", "year": "int64"})
    )
    order = {name: i for i, (name, _, _) in enumerate(AGE_GROUPS)}
    out = out.sort_values(
        ["municipality_code", "year", "age_group"], key=lambda s: s.map(order) if s.name == "age_group" else s
    )
    out["persons"] = [int(p) if float(p).is_integer() else p for p in out["persons"]]
    return out[["municipality_code", "year", "age_group", "persons"]].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Years


def parse_years(text: str | None) -> tuple[int, int] | None:
    """'2016-2025' -> (2016, 2025); '2024' -> (2024, 2024); None -> None (the defaults apply)."""
    if text is None:
        return None
    m = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", text)
    if not m:
        raise UsageError(
            f"Ugyldig --years {text!r}: skriv to årstal som ÅÅÅÅ-ÅÅÅÅ, fx {FIRST_YEAR}-{clock.today().year - 1}."
        )
    a, b = int(m.group(1)), int(m.group(2) or m.group(1))
    if a > b:
        raise UsageError(f"Ugyldig --years {text!r}: første år ({a}) er efter sidste år ({b}).")
    if a < 2000 or b > 2100:
        raise UsageError(f"Ugyldig --years {text!r}: årene skal ligge mellem 2000 og 2100.")
    return a, b


def default_years(table: str, today: dt.date | None = None) -> tuple[int, int]:
    """Accounts up to last year; budgets and population (1 January) up to this year."""
    year = (today or clock.today()).year
    return (FIRST_YEAR, year - 1) if table == "REGK31" else (FIRST_YEAR, year)


def _available(
    wanted: tuple[int, int], available: dict[str, str], table: str, suffix: str = "", progress=_quiet
) -> list[str]:
    """Time codes in `wanted` that the table has (tableinfo), e.g. ['2016', ...] or ['2016K1', ...]."""
    codes = [f"{y}{suffix}" for y in range(wanted[0], wanted[1] + 1)]
    have = [c for c in codes if c in available]
    skipped = [c for c in codes if c not in available]
    if skipped:
        progress(f"  {table}: findes endnu ikke / ikke længere for {', '.join(skipped)}; springes over")
    if not have:
        raise DstError(f"{table} har ingen data for årene {wanted[0]}-{wanted[1]}.")
    return have


# ---------------------------------------------------------------------------------------------
# Reading: network or saved replies


REFERENCE = Path(__file__).resolve().parent / "reference" / "municipalities.csv"
MUNICIPALITIES_SOURCE = "Danmarks Statistik (kommunekoder, landsdele og regioner)"
_MUNICIPALITY_COLUMNS = ["municipality_code", "name", "landsdel", "region_code"]


def municipalities_table(current: pd.DataFrame) -> pd.DataFrame:
    """All 98 municipalities with their landsdel and region (the reference), plus any other municipality
    the snapshot has, kept as it is."""
    ref = pd.read_csv(REFERENCE, dtype=str, keep_default_na=False, encoding="utf-8")
    ref = ref.assign(
        municipality_code=ref["municipality_code"].astype("int64"), region_code=ref["region_code"].astype("Int64")
    )[_MUNICIPALITY_COLUMNS]
    extra = current[~current["municipality_code"].astype("int64").isin(set(ref["municipality_code"]))].copy()
    if "region_code" not in extra.columns:
        extra["region_code"] = pd.NA
    extra = extra.astype({"municipality_code": "int64", "region_code": "Int64"})[_MUNICIPALITY_COLUMNS]
    out = pd.concat([ref, extra], ignore_index=True) if len(extra) else ref
    return out.sort_values("municipality_code", ignore_index=True)


def _same_municipalities(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    if "region_code" not in b.columns:
        return False

    def rows(df: pd.DataFrame) -> set:
        return {
            (int(c), str(n), str(ld), None if pd.isna(r) else int(r))
            for c, n, ld, r in df[_MUNICIPALITY_COLUMNS].itertuples(index=False)
        }

    return rows(a) == rows(b)


def _function_codes(functions: pd.DataFrame) -> dict[str, str]:
    """{'53850': '5.38.50', ...} for the functions in the snapshot."""
    return {code.replace(".", ""): code for code in functions["function_code"].astype(str)}


def read_online(
    years: tuple[int, int] | None, municipalities: list[int], functions: dict[str, str], session=None, progress=_quiet
) -> tuple[dict[str, str], dict[str, str]]:
    """({table: csv text}, {FUNKTION code: current name}) from StatBank."""
    session = session or requests.Session()
    texts: dict[str, str] = {}
    names: dict[str, str] = {}
    areas = [str(m) for m in municipalities]
    for table in SPENDING_TABLES:
        progress(f"{table}: henter tabeloplysninger ...")
        info = tableinfo(table, session)
        funktion = variable_values(info, "FUNKTION")
        omraade = variable_values(info, "OMRÅDE")
        tid = variable_values(info, "Tid")
        if table == "REGK31":
            names = funktion
        wanted_functions = [f for f in functions if f in funktion]
        lacking = [functions[f] for f in functions if f not in funktion]
        if lacking:
            progress(f"  {table}: funktion(er) findes ikke i tabellen og springes over: {', '.join(lacking)}")
        wanted_areas = [a for a in areas if a in omraade]
        if not wanted_functions or not wanted_areas:
            raise DstError(f"{table} har ingen af de valgte funktioner/kommuner.")
        times = _available(years or default_years(table), tid, table, progress=progress)
        progress(
            f"{table}: henter {len(wanted_areas)} kommuner x {len(wanted_functions)} funktioner, "
            f"{times[0]}-{times[-1]} ..."
        )
        texts[table] = fetch(
            table,
            {
                "OMRÅDE": wanted_areas,
                "FUNKTION": wanted_functions,
                "DRANST": ["1"],
                "ART": ["TOT"],
                "PRISENHED": ["LOBM"],
                "Tid": times,
            },
            session,
        )
    table = POPULATION_TABLE
    progress(f"{table}: henter tabeloplysninger ...")
    info = tableinfo(table, session)
    ages = sorted((a for a in variable_values(info, "ALDER") if a.isdigit()), key=int)
    omraade = variable_values(info, "OMRÅDE")
    times = _available(years or default_years(table), variable_values(info, "Tid"), table, "K1", progress)
    wanted_areas = [a for a in areas if a in omraade]
    progress(f"{table}: henter {len(wanted_areas)} kommuner x {len(ages)} alderstrin, {times[0]}-{times[-1]} ...")
    texts[table] = fetch(
        table,
        {
            "OMRÅDE": wanted_areas,
            "KØN": ["TOT"],
            "ALDER": ages,
            "CIVILSTAND": ["TOT"],
            "Tid": times,
        },
        session,
    )
    return texts, names


def read_saved(folder: str | Path, progress=_quiet) -> dict[str, str]:
    """{table: csv text} from DIR/REGK31.csv, DIR/BUDK32.csv, DIR/FOLK1A.csv."""
    folder = Path(folder)
    texts = {}
    for table in (*SPENDING_TABLES, POPULATION_TABLE):
        path = folder / f"{table}.csv"
        progress(f"{table}: læser {path}")
        try:
            texts[table] = path.read_bytes().decode("utf-8-sig")
        except FileNotFoundError:
            raise DstError(
                f"Filen {path} findes ikke. --from-dir skal pege på en mappe med REGK31.csv, "
                f"BUDK32.csv og FOLK1A.csv (svar fra StatBank med valuePresentation=Code)."
            ) from None
        except UnicodeDecodeError:
            raise DstError(f"Filen {path} er ikke UTF-8 (StatBank svarer i UTF-8).") from None
    return texts


# ---------------------------------------------------------------------------------------------
# Names, transformation, publishing


def updated_functions(current: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """account_functions with the names from REGK31's FUNKTION texts; area and legal_basis kept."""
    out = current.copy()
    new = []
    for code, old in zip(out["function_code"].astype(str), out["name"]):
        text = _CODE_PREFIX.sub("", names.get(code.replace(".", ""), "")).strip()
        new.append(text or old)
    out["name"] = new
    return out


def _functions_source(old: str) -> str:
    if old.startswith(_NAMES_PREFIX) and "; " in old:
        old = old.split("; ", 1)[1].removeprefix("øvrige kolonner: ")
    return f"{_NAMES_PREFIX} ({LICENCE}); øvrige kolonner: {old}"


OTHER_YEARS = "; øvrige år: "
_YEAR_RUN = re.compile(r"(\d{4})(?:-(\d{4}))?")


def kept_years_source(statbank: str, years: set[int], old: str) -> str:
    """The source of a table whose `years` were fetched from StatBank (`statbank`: its source) while the other years'
    rows were kept from CURRENT, whose source was `old`: '<statbank> (<years>); øvrige år: <the original source>'.
    When `old` says that already (an earlier --years fetch), its StatBank years join `years` and its original source
    stays the one 'øvrige år' names: the text is the same for the same years, and does not grow with each fetch (a
    chain an earlier version wrote is folded too). `old` == `statbank`: every year is StatBank's."""
    original = old
    pattern = re.compile(re.escape(statbank) + r"(?: \(([\d, -]*)\))?" + re.escape(OTHER_YEARS) + "(.*)", re.DOTALL)
    while m := pattern.fullmatch(original):
        for a, b in _YEAR_RUN.findall(m.group(1) or ""):
            years = years | set(range(int(a), int(b or a) + 1))
        original = m.group(2)
    if original == statbank:
        return statbank
    span = f" ({fmt.year_runs(years)})" if years else ""
    return f"{statbank}{span}{OTHER_YEARS}{original}"


def build(
    texts: dict[str, str], current: dict[str, pd.DataFrame], years: tuple[int, int] | None, notes: list[str]
) -> dict[str, pd.DataFrame]:
    """The replaced tables (spending, population) from the replies."""
    municipalities = {int(m) for m in current["municipalities"]["municipality_code"]}
    functions = _function_codes(current["account_functions"])
    parts = []
    for table, kind in SPENDING_TABLES.items():
        parts.append(spending_frame(parse(texts[table], table), table, kind, municipalities, functions, years, notes))
    spending = pd.concat(parts, ignore_index=True)
    population = population_frame(parse(texts[POPULATION_TABLE], POPULATION_TABLE), municipalities, years, notes)
    if spending.empty:
        raise DstError("Ingen udgifter i svarene fra REGK31/BUDK32 for de valgte kommuner, funktioner og år.")
    if population.empty:
        raise DstError("Ingen befolkningstal i svaret fra FOLK1A for de valgte kommuner og år.")
    return {"spending": spending, "population": population}


def covered_years(texts: dict[str, str], years: tuple[int, int]) -> dict[str, set[int]]:
    """The years in `years` each reply covers, by what it replaces: {'regnskab', 'budget', 'population'}.

    A year counts when the reply has it at all, also when every value is missing ('..'): StatBank
    was asked and has nothing, so nothing is what the new snapshot holds for it.
    """
    out: dict[str, set[int]] = {}
    sources = [(t, kind, r"\d{4}") for t, kind in SPENDING_TABLES.items()] + [
        (POPULATION_TABLE, "population", r"\d{4}K1")
    ]
    for table, what, pattern in sources:
        df = parse(texts[table], table)
        _require(df, table, ["TID"])
        tid = df.loc[df["TID"].str.fullmatch(pattern), "TID"].str[:4].astype("int64")
        out[what] = {int(y) for y in tid.unique() if years[0] <= y <= years[1]}
    return out


def keep_other_years(
    new: dict[str, pd.DataFrame], old: dict[str, pd.DataFrame], covered: dict[str, set[int]]
) -> tuple[dict[str, pd.DataFrame], dict[str, int]]:
    """`new` spending/population plus the `old` rows of the years (per kind) the replies do not cover.

    Returns the merged tables and, per table, how many old rows were kept.
    """
    merged = dict(new)
    kept: dict[str, int] = {}
    if "spending" in old:
        sp = old["spending"]
        pairs = {(y, kind) for kind in SPENDING_TABLES.values() for y in covered.get(kind, set())}
        keep = sp[[(int(y), k) not in pairs for y, k in zip(sp["year"], sp["kind"])]]
        kept["spending"] = len(keep)
        merged["spending"] = pd.concat([keep[new["spending"].columns], new["spending"]], ignore_index=True)
    if "population" in old:
        pop = old["population"]
        keep = pop[~pop["year"].astype("int64").isin(covered.get("population", set()))]
        kept["population"] = len(keep)
        merged["population"] = pd.concat([keep[new["population"].columns], new["population"]], ignore_index=True)
    for name in kept:
        keys = list(schema.TABLES[name].key)
        merged[name] = merged[name].sort_values(keys, kind="stable").reset_index(drop=True)
    return merged, kept


def publish(
    new: dict[str, pd.DataFrame],
    current_sid: str,
    base: Path,
    note: str,
    kept: dict[str, int] | None = None,
    covered: dict[str, set[int]] | None = None,
    by: str | None = None,
) -> str:
    """Validate the replaced tables against the rest of CURRENT, then write the new snapshot.

    `kept` (rows kept from CURRENT per table, --years) makes the source name both origins; the table
    stays illustrative if the kept rows were. When every replaced table holds the same rows as in
    CURRENT, with the same provenance, nothing is written and `current_sid` is returned: fetching again
    what is already there does not add a snapshot (nor move "Data pr."). `by`: the editor (web page).
    """
    doc = store.manifest(current_sid, base)
    tables = store.read_tables(current_sid, base)
    meta = {name: store.TableMeta(e["provenance"], e["source"], e["data_date"]) for name, e in doc["tables"].items()}
    others = {name: df for name, df in tables.items() if name not in new}
    problems = schema.errors(schema.validate(new, reference=others))
    if problems:
        shown = "\n".join("  " + p.message() for p in problems[:20])
        more = f"\n  ... og {len(problems) - 20} flere" if len(problems) > 20 else ""
        raise DstError(f"Data fra Danmarks Statistik består ikke valideringen:\n{shown}{more}")
    today = clock.today().isoformat()
    sources = {
        "spending": f"Danmarks Statistik, StatBank REGK31/BUDK32 ({LICENCE})",
        "population": f"Danmarks Statistik, StatBank FOLK1A ({LICENCE})",
    }
    kept, covered = kept or {}, covered or {}
    fetched = {
        "spending": covered.get("regnskab", set()) | covered.get("budget", set()),
        "population": covered.get("population", set()),
    }
    for name in new:
        if name == "municipalities":
            meta[name] = store.TableMeta("real", MUNICIPALITIES_SOURCE, today)
        elif name in sources and kept.get(name) and name in meta:
            old = meta[name]
            meta[name] = store.TableMeta(
                old.provenance, kept_years_source(sources[name], fetched[name], old.source), today
            )
        elif name in sources:
            meta[name] = store.TableMeta("real", sources[name], today)
        else:  # account_functions: names from StatBank, the rest as before
            previous = meta.get(name)
            meta[name] = store.TableMeta("real", _functions_source(previous.source if previous else ""), today)
    if all(
        name in tables
        and same_rows(name, new[name], tables[name])
        and meta[name].provenance == doc["tables"][name]["provenance"]
        for name in new
    ):
        return current_sid
    tables.update(new)
    return store.publish(tables, meta, note=note, based_on=current_sid, base=base, by=by)


def same_rows(name: str, a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Whether two versions of a table hold the same rows, whatever their order."""
    keys = list(schema.TABLES[name].key)

    def rows(df: pd.DataFrame) -> pd.DataFrame:
        return schema.coerce(name, df).sort_values(keys, kind="stable").reset_index(drop=True)

    return rows(a).equals(rows(b))


def run(
    years_text: str | None,
    from_dir: str | None,
    note: str = "",
    session=None,
    progress=_quiet,
    by: str | None = None,
    based_on: str | None = None,
) -> str:
    """The whole command (and Opdater data's "Danmarks Statistik" tab); returns the new snapshot id, or the
    current one when StatBank's rows are those it already holds (nothing is written then). Raises DstError
    (nothing written) on failure: NoAnswer when StatBank is not reached or answers with an error, Conflict
    when another snapshot is current than `based_on` (the one the web page showed) or becomes current
    before the publish. `by`: the editor who publishes (recorded in the events log)."""
    years = parse_years(years_text)
    base = store.data_dir()
    try:
        if based_on is not None:
            store.require_current(based_on, base)
        sid = store.current_id(base)
        current = {name: store.read_table(name, sid, base) for name in ("municipalities", "account_functions")}
    except store.Conflict as e:
        raise Conflict(str(e)) from None
    except (store.StoreError, FileNotFoundError, OSError) as e:
        raise DstError(f"Kan ikke læse det aktuelle snapshot: {e}") from None
    functions = _function_codes(current["account_functions"])
    munis = municipalities_table(current["municipalities"])
    names: dict[str, str] = {}
    if from_dir:
        texts = read_saved(from_dir, progress)
    else:
        municipalities = sorted(int(m) for m in munis["municipality_code"])
        texts, names = read_online(years, municipalities, functions, session, progress)
    notes: list[str] = []
    new = build(texts, {**current, "municipalities": munis}, years, notes)
    if not _same_municipalities(munis, current["municipalities"]):
        new["municipalities"] = munis
        progress(f"Kommuner: alle {len(munis)} med landsdel og region (regioner og hele landet = summen af kommunerne)")
    if names:
        new["account_functions"] = updated_functions(current["account_functions"], names)
        changed = int((new["account_functions"]["name"] != current["account_functions"]["name"]).sum())
        progress(f"REGK31: funktionsnavne opdateret ({changed} ændret)")
    for n in notes:
        progress(n)
    sp, pop = new["spending"], new["population"]
    progress(
        f"Udgifter: {len(sp)} rækker, {sp['year'].min()}-{sp['year'].max()} "
        f"({(sp['kind'] == 'regnskab').sum()} regnskab, {(sp['kind'] == 'budget').sum()} budget); "
        f"befolkning: {len(pop)} rækker, {pop['year'].min()}-{pop['year'].max()}"
    )
    kept: dict[str, int] = {}
    covered: dict[str, set[int]] = {}
    if years:  # an update of those years: keep every other existing row
        covered = covered_years(texts, years)
        try:
            have = store.manifest(sid, base)["tables"]
            old = {name: store.read_table(name, sid, base) for name in ("spending", "population") if name in have}
        except (store.StoreError, FileNotFoundError, OSError) as e:
            raise DstError(f"Kan ikke læse det aktuelle snapshot: {e}") from None
        new, kept = keep_other_years(new, old, covered)
        progress(
            f"Bevaret fra det aktuelle snapshot (år uden for det hentede): {kept.get('spending', 0)} "
            f"udgiftsrækker, {kept.get('population', 0)} befolkningsrækker"
        )
    progress("Validerer og udgiver nyt snapshot ...")
    try:
        out = publish(
            new, sid, base, note or ("fetch-dst --from-dir" if from_dir else "fetch-dst"), kept, covered, by=by
        )
    except store.Conflict as e:
        raise Conflict(f"Kunne ikke udgive snapshot: {e}") from None
    except store.StoreError as e:
        raise DstError(f"Kunne ikke udgive snapshot: {e}") from None
    if out == sid:
        progress(
            f"Ingen ændringer: datasæt {store.name_of(sid, base)} ({sid}) har allerede disse tal. Intet nyt datasæt "
            "er udgivet."
        )
    return out
