"""Opdater data's tab "Danmarks Statistik": spending (REGK31 accounts, BUDK32 budgets) and population (FOLK1A)
from StatBank, for editors, without the command line.

The tab runs `python -m overblik fetch-dst` itself: dst.run, with the years chosen (the full default range is
the command without --years: a full refresh; any other range is --years A-B: the other years' rows are kept),
the editor's note, the editor (events log) and the snapshot the page showed (store.publish refuses when
another one became current). Nothing is published when StatBank's rows are those the data already hold. When
the office network blocks StatBank, the saved API replies (REGK31.csv, BUDK32.csv, FOLK1A.csv) can be uploaded
instead: they are written to a temporary folder and read as `fetch-dst --from-dir` reads it.

Every action calls auth.require_editor() first, on the server (opdater's rule). `tab()` draws the tab; the
rest returns data and Danish texts.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import streamlit as st

from overblik import auth, dst, fmt, opdater, store, ui

# (StatBank table, what it holds, the spending kind or population)
TABLES = (
    ("REGK31", "Regnskaber", "regnskab"),
    ("BUDK32", "Budgetter", "budget"),
    ("FOLK1A", "Befolkning pr. 1. januar", "population"),
)
SAVED = tuple(f"{t}.csv" for t, _, _ in TABLES)
TAB = "Danmarks Statistik"
NOT_ASKED = "Ikke spurgt endnu"


def is_statbank_reply(file_name: str) -> bool:
    """Whether an uploaded file is named as one of StatBank's replies (REGK31.csv, budk32.xlsx, ...)."""
    return Path(file_name).stem.strip().upper() in {t for t, _, _ in TABLES}


def statbank_reply_message(file_name: str) -> str:
    """The rule the Excel upload gives a StatBank reply instead of "ukendt tabel"."""
    return f"{file_name} er et udtræk fra Danmarks Statistik, ikke et ark fra projektmappen"


STATBANK_REPLY_HINT = (
    f'Udgifter og befolkning fra Danmarks Statistik hentes under fanen "{TAB}" øverst på denne side. Dér kan '
    "de gemte svar (REGK31.csv, BUDK32.csv og FOLK1A.csv) også uploades."
)


# ---------------------------------------------------------------------------------------------
# What the data hold, what StatBank has


def held_years(sid: str) -> dict[str, set[int]]:
    """The years of each StatBank table's rows in snapshot `sid`: {'REGK31': {...}, 'BUDK32': ..., 'FOLK1A': ...}."""
    have = store.manifest(sid)["tables"]
    sp = store.read_table("spending", sid) if "spending" in have else pd.DataFrame(columns=["year", "kind"])
    pop = store.read_table("population", sid) if "population" in have else pd.DataFrame(columns=["year"])
    out = {}
    for table, _, kind in TABLES:
        years = pop["year"] if kind == "population" else sp.loc[sp["kind"] == kind, "year"]
        out[table] = {int(y) for y in years.dropna().unique()}
    return out


def statbank_years(session=None) -> dict[str, set[int]]:
    """The years each table has at StatBank today (tableinfo; FOLK1A's first quarters), from FIRST_YEAR.
    Editors only. Raises dst.NoAnswer when StatBank does not answer."""
    auth.require_editor()
    out = {}
    for table, _, kind in TABLES:
        codes = dst.variable_values(dst.tableinfo(table, session), "Tid")
        pattern = r"\d{4}K1" if kind == "population" else r"\d{4}"
        out[table] = {int(c[:4]) for c in codes if re.fullmatch(pattern, c) and int(c[:4]) >= dst.FIRST_YEAR}
    return out


def full_range(today=None) -> tuple[int, int]:
    """The years slider's range and default: the command's defaults together (accounts end a year earlier)."""
    return dst.FIRST_YEAR, max(dst.default_years(t, today)[1] for t, _, _ in TABLES)


def years_text(chosen: tuple[int, int]) -> str | None:
    """The command's --years for the slider's choice: None (a full refresh) for the whole default range."""
    a, b = int(chosen[0]), int(chosen[1])
    return None if (a, b) == full_range() else f"{a}-{b}"


def wanted(table: str, text: str | None) -> tuple[int, int]:
    """The years the command asks `table` for."""
    chosen = dst.parse_years(text)
    return dst.default_years(table) if chosen is None else chosen


def overview(held: dict[str, set[int]], available: dict[str, set[int]] | None, text: str | None) -> pd.DataFrame:
    """Per table: the years the data hold, the years StatBank has (once asked), the years fetched, and the new
    ones (fetched, not held)."""
    rows = []
    for table, what, _ in TABLES:
        a, b = wanted(table, text)
        span = set(range(a, b + 1))
        if available is None:
            at_dst, fetched, new = NOT_ASKED, fmt.year_runs(span), NOT_ASKED
        else:
            have = available.get(table, set())
            at_dst, fetched, new = (
                fmt.year_runs(have),
                fmt.year_runs(have & span),
                fmt.year_runs((have & span) - held[table]),
            )
        rows.append(
            {
                "Data": f"{what} ({table})",
                "I de aktuelle data": fmt.year_runs(held[table]),
                "Hos Danmarks Statistik": at_dst,
                "Hentes": fetched,
                "Nye år": new,
            }
        )
    return pd.DataFrame(rows)


def scope(text: str | None) -> str:
    """What a fetch of these years does to the rows already there."""
    if text is None:
        a, b = full_range()
        return (
            f"Alle år ({a}-{b}, regnskaber til og med {b - 1}): udgifter og befolkning erstattes helt af Danmarks "
            "Statistiks tal. De øvrige tabeller (handlingsplan, møder, kapacitet osv.) bevares, som de er."
        )
    return (
        f"Kun {text}: udgifter og befolkning for disse år erstattes af Danmarks Statistiks tal; rækkerne for de "
        "øvrige år bevares, og det samme gør de øvrige tabeller."
    )


# ---------------------------------------------------------------------------------------------
# Fetch and publish


def fetch_and_publish(
    text: str | None, note: str, based_on: str, progress: Callable[[str], None] = dst._quiet, session=None
) -> str:
    """fetch-dst [--years] --note: returns the new snapshot id, or `based_on` when nothing changed (editors
    only; a note is required)."""
    who = auth.require_editor()
    note = opdater._note(note)
    return dst.run(text, None, note, session=session, progress=progress, by=who, based_on=based_on)


def publish_saved(
    files: list[tuple[str, bytes]],
    text: str | None,
    note: str,
    based_on: str,
    progress: Callable[[str], None] = dst._quiet,
) -> str:
    """fetch-dst --from-dir with the uploaded replies (file name, bytes): as fetch_and_publish."""
    who = auth.require_editor()
    note = opdater._note(note)
    by_table: dict[str, bytes] = {}
    for name, raw in files:
        table = Path(name).stem.strip().upper()
        if table not in {t for t, _, _ in TABLES} or Path(name).suffix.lower() != ".csv":
            raise opdater.Refused(
                f"{name} er ikke et af de gemte svar: filerne skal hedde {fmt.listing(list(SAVED))}. Intet er udgivet."
            )
        by_table[table] = raw
    lacking = [f"{t}.csv" for t, _, _ in TABLES if t not in by_table]
    if lacking:
        raise opdater.Refused(
            f"Mangler {fmt.listing(lacking)}: upload alle tre gemte svar ({fmt.listing(list(SAVED))}) på én gang. "
            "Intet er udgivet."
        )
    with tempfile.TemporaryDirectory(prefix="overblik-dst-") as tmp:
        folder = Path(tmp)
        for table, raw in by_table.items():
            (folder / f"{table}.csv").write_bytes(raw)

        def local(msg: str) -> str:  # the file's name, never the server's temporary folder
            return msg.replace(f"{folder}/", "").replace(str(folder), "den uploadede mappe")

        try:
            return dst.run(text, tmp, note, progress=lambda m: progress(local(m)), by=who, based_on=based_on)
        except dst.DstError as e:
            raise type(e)(local(str(e))) from None


def failure(e: Exception) -> str:
    """The Danish message of a failed fetch (nothing was written)."""
    msg = str(e).strip()
    if isinstance(e, dst.ErrorReply):
        return (
            f"Danmarks Statistik svarer med en fejl: {msg} Intet er ændret. Prøv igen senere; fortsætter fejlen, "
            'kan de gemte svar uploades under "Uden forbindelse til Danmarks Statistik" nedenfor.'
        )
    if isinstance(e, dst.NoAnswer):
        return (
            f"Danmarks Statistik svarer ikke: {msg} Intet er ændret. Prøv igen om lidt. Spærrer kontorets netværk "
            'for Danmarks Statistik, kan de gemte svar uploades under "Uden forbindelse til Danmarks Statistik" '
            "nedenfor."
        )
    if isinstance(e, dst.Conflict | store.Conflict):
        return f"{msg} Oversigten viser nu de nyeste data; tryk igen for at hente og udgive oven på dem."
    if isinstance(e, dst.DstError) and "Intet er ændret" not in msg and "Intet er udgivet" not in msg:
        return f"{msg} Intet er ændret."
    return msg


def result(sid: str, based_on: str) -> str:
    """The Danish result of a fetch that went through: the new data's date and years, or that nothing changed."""
    if sid == based_on:
        return (
            f"Ingen ændringer: de aktuelle data (datasæt {store.name_of(sid)}) har allerede disse tal fra Danmarks "
            "Statistik. "
            "Intet nyt datasæt er udgivet."
        )
    date = store.manifest(sid)["tables"]["spending"]["data_date"]
    held = held_years(sid)
    parts = [f"{what.lower()} {fmt.year_runs(held[t])}" for t, what, _ in TABLES]
    return (
        f"Udgivet som datasæt {store.name_of(sid, full=True)} med tal fra Danmarks Statistik pr. {fmt.date(date)}: "
        f"{fmt.listing(parts)}. "
        "Dashboardet viser de nye data fra nu af."
    )


# ---------------------------------------------------------------------------------------------
# The tab

_RESULT, _ASK, _FETCH, _SAVED, _CLEAR = "dst-result", "dst-ask-asked", "dst-fetch-asked", "dst-saved-asked", "dst-clear"
FORM = "dst-form"  # the years and the note (opdater.form)


def _remember(key: str) -> None:
    st.session_state[key] = True


def _run(label: str, action: Callable[[Callable[[str], None]], str], current: str) -> None:
    """Run a fetch with its progress in st.status; the result and the progress are kept for the next run."""
    log: list[str] = []
    with st.status(label, expanded=True) as status:

        def progress(msg: str) -> None:
            log.append(msg)
            st.text(msg)

        try:
            sid = action(progress)
        except (dst.DstError, opdater.Refused, auth.NotEditor, store.StoreError) as e:
            st.session_state[_RESULT] = ("error", failure(e), log)
            status.update(label="Intet er ændret", state="error")
        else:
            st.session_state[_RESULT] = ("success" if sid != current else "info", result(sid, current), log)
            st.session_state[_CLEAR] = sid != current
            status.update(label="Færdig", state="complete")
    st.rerun()  # the page's data, and this tab's overview, from the new snapshot


def tab(current: str) -> None:
    """The tab "Danmarks Statistik" of Opdater data (the page has checked that the user is an editor)."""
    if st.session_state.pop(_CLEAR, False):  # after a publish: an empty form and uploader, as the Excel upload
        opdater.form_done(st.session_state, FORM)
        st.session_state["dst-upload-n"] = st.session_state.get("dst-upload-n", 0) + 1
    st.header("Udgifter og befolkning fra Danmarks Statistik")
    st.markdown(
        "Kommunernes regnskaber (REGK31) og budgetter (BUDK32) for de sociale funktioner og befolkningen pr. "
        "1. januar (FOLK1A) hentes fra Danmarks Statistiks Statistikbank for alle 98 kommuner og udgives som et "
        "nyt datasæt. Regioner og hele landet regnes som summen af kommunerne."
    )
    lo, hi = full_range()
    # the years and the note are kept when the editor leaves the page (opdater.form); said under "Hent og udgiv"
    years = [(a, b) for a in range(lo, hi + 1) for b in range(a, hi + 1)]
    fields = opdater.form(st.session_state, FORM, {"dst-years": (lo, hi), "dst-note": ""}, {"dst-years": years})
    chosen = st.session_state["dst-years"]
    text = years_text(chosen)
    available = st.session_state.get("dst-available")
    st.dataframe(overview(held_years(current), available, text), hide_index=True, width="stretch", key="dst-overview")
    st.button(
        "Se hvilke år Danmarks Statistik har",
        key="dst-ask",
        on_click=_remember,
        args=(_ASK,),
        icon=":material/travel_explore:",
    )
    if st.session_state.pop(_ASK, False):
        with st.spinner("Spørger Danmarks Statistik ..."):
            try:
                st.session_state["dst-available"] = statbank_years()
            except (dst.DstError, auth.NotEditor) as e:
                st.session_state[_RESULT] = ("error", failure(e), [])
        st.rerun()

    st.subheader("Hent og udgiv")
    if fields.restored:
        ui.kept_notice(
            FORM,
            opdater.form_notice("Hent og udgiv"),
            opdater.DISCARD_FORM,
            opdater.form_done,
            (st.session_state, FORM),
        )
    st.slider(
        "År, der hentes",
        min_value=lo,
        max_value=hi,
        key="dst-years",
        format="%d",
        **opdater.keep(st.session_state, fields),
    )
    st.caption(scope(text))
    st.text_input(
        "Bemærkning til udgivelsen (skal udfyldes)",
        key="dst-note",
        placeholder="Fx: Regnskab 2025 fra Danmarks Statistik",
        max_chars=500,
        **opdater.keep(st.session_state, fields),
    )
    st.button(
        "Hent og udgiv",
        type="primary",
        key="dst-fetch",
        on_click=_remember,
        args=(_FETCH,),
        icon=":material/cloud_download:",
    )
    note = st.session_state.get("dst-note", "")
    if st.session_state.pop(_FETCH, False):
        _run(
            "Henter fra Danmarks Statistik ...",
            lambda progress: fetch_and_publish(text, note, current, progress),
            current,
        )

    if _RESULT in st.session_state:
        kind, message, log = st.session_state[_RESULT]
        getattr(st, kind)(fmt.md(message))
        if log:
            with st.expander(f"Forløb ({len(log)} trin)", expanded=False):
                st.text("\n".join(log))

    st.subheader("Uden forbindelse til Danmarks Statistik")
    st.markdown(
        "Spærrer kontorets netværk for Danmarks Statistik, kan svarene hentes på en anden maskine (fx af it) fra "
        "api.statbank.dk med `python -m overblik fetch-dst` eller StatBanks API (CSV, `valuePresentation=Code`) og "
        "gemmes som **REGK31.csv**, **BUDK32.csv** og **FOLK1A.csv**. Upload alle tre her: de udgives med de "
        "valgte år og bemærkningen ovenfor, præcis som ved hentning."
    )
    n = st.session_state.setdefault("dst-upload-n", 0)
    files = st.file_uploader(
        "Gemte svar fra Danmarks Statistik (REGK31.csv, BUDK32.csv og FOLK1A.csv)",
        accept_multiple_files=True,
        key=f"dst-upload-{n}",
        max_upload_size=opdater.UPLOAD_HARD_LIMIT_MB,
    )
    st.button("Udgiv de gemte svar", key="dst-saved", on_click=_remember, args=(_SAVED,), icon=":material/publish:")
    if st.session_state.pop(_SAVED, False):
        uploaded = [(f.name, f.getvalue()) for f in files or []]
        _run(
            "Læser de gemte svar ...",
            lambda progress: publish_saved(uploaded, text, note, current, progress),
            current,
        )
