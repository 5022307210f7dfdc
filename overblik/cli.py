"""Command line: python -m overblik <command> ... (see README, "Real data").

Every message the commands print lives here; ingest, dst, demo and store return results, report
progress through a callback and raise errors with Danish messages. Results go to stdout, progress and
errors to stderr. Exit codes: 0 done, 1 refused or failed (nothing changed), 2 bad arguments.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from overblik import clock  # the standard library only: no start-up cost for the commands

PAUSE_ENV = "OVERBLIK_TEST_PAUSE_AT"  # tests: pause publishing at a write step so it can be killed


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m overblik", description="Rammeaftale-overblik: data commands")
    sub = p.add_subparsers(dest="command", required=True)

    d = sub.add_parser("demo", help="write the deterministic demo snapshot")
    d.add_argument("--out", help="data folder to write to (default: the data folder)")
    d.add_argument("--scale", type=int, default=1, help="multiply municipalities, offers and years (benchmarks)")
    d.add_argument("--no-current", action="store_true", help="write the snapshot without making it current")

    e = sub.add_parser("export-workbook", help="the current snapshot as an Excel workbook, one sheet per table")
    e.add_argument("out")

    v = sub.add_parser("validate", help="check an .xlsx workbook or a folder of .csv/.parquet files")
    v.add_argument("input")

    pub = sub.add_parser("publish", help="validate, then publish a new snapshot and make it current")
    pub.add_argument("input")
    pub.add_argument("--note", default="")
    pub.add_argument(
        "--erstat",
        action="store_true",
        help="publish a workbook exported before the latest publishes even though it deletes or changes what they "
        "published (refused otherwise)",
    )
    for a in (v, pub):
        a.add_argument(
            "--tom",
            action="append",
            default=[],
            metavar="TABEL",
            help="the table is meant to be empty (an empty sheet is refused otherwise); may be repeated",
        )

    sub.add_parser("snapshots", help="list snapshots")

    r = sub.add_parser("rollback", help="make an earlier snapshot current again")
    r.add_argument("id")

    f = sub.add_parser("fetch-dst", help="spending and population from Danmarks Statistik's StatBank")
    f.add_argument("--years", help="year range A-B, e.g. 2016-2025")
    f.add_argument(
        "--from-dir", help="read saved API replies (REGK31.csv, BUDK32.csv, FOLK1A.csv) instead of the network"
    )
    f.add_argument("--note", default="")

    mp = sub.add_parser("meeting-pack", help="the meeting pack (PDF) for a meeting, as the button on the pages")
    mp.add_argument("--meeting", required=True, metavar="YYYY-MM-DD", help="the meeting's date (meetings table)")
    mp.add_argument(
        "--body", metavar="DASSOS|KKR", help="the meeting's body: needed when both met that day (meetings table)"
    )
    mp.add_argument("--kommune", action="append", default=[], help="municipality name or code; may be repeated")
    mp.add_argument("--aar", metavar="A-B", help="period, e.g. 2016-2026 (default: all years)")
    mp.add_argument("--omraade", default="alle", help="Alle, 'Børn og unge' or Voksne")
    mp.add_argument(
        "--link", help="the dashboard's public address for the cover's link (default: $OVERBLIK_PUBLIC_URL)"
    )
    mp.add_argument("--out", required=True, help="the PDF file to write")
    return p


def progress(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _step(step: str) -> None:
    """Progress for store.publish's steps; with $OVERBLIK_TEST_PAUSE_AT=step it waits there to be killed."""
    progress(
        {"manifest": "Manifest skrevet", "renamed": "Snapshot lagt på plads"}.get(
            step, f"Skrevet {step.removeprefix('table:')}"
        )
    )
    if os.environ.get(PAUSE_ENV) == step:
        progress(f"PAUSE {step}")
        time.sleep(3600)


# ---------------------------------------------------------------------------------------------
# demo


def demo(args) -> int:
    """`python -m overblik demo [--out DIR] [--scale N] [--no-current]`: prints the snapshot id."""
    from overblik import demo as _demo
    from overblik import store

    base = Path(args.out) if getattr(args, "out", None) else None
    try:
        sid = _demo.write(base, scale=getattr(args, "scale", 1), make_current=not getattr(args, "no_current", False))
    except (ValueError, store.StoreError) as e:
        print(str(e), file=sys.stderr)
        return 1
    print(sid)
    return 0


# ---------------------------------------------------------------------------------------------
# export-workbook, validate, publish, snapshots, rollback


def _report(problems, shown: int = 5) -> None:
    """Every error in full; then the warnings, the first `shown` of a kind in full and the rest by row."""
    from overblik import schema

    for p in schema.errors(problems):
        print(p.message())
    kinds: dict[tuple, list] = {}
    for p in problems:
        if p.severity != "fejl":
            kinds.setdefault((p.file, p.sheet, p.table, p.column, p.rule), []).append(p)
    for (file, sheet, table, column, rule), ps in kinds.items():
        for p in ps[:shown]:
            print(p.message())
        if ps[shown:]:
            rows = ", ".join(str(p.row) for p in ps[shown:])
            print(
                schema.Problem(
                    table,
                    None,
                    column,
                    f"{rule} også i {len(ps) - shown} rækker mere: {rows}",
                    None,
                    file,
                    sheet,
                    "advarsel",
                ).message()
            )


def _changes(r) -> str:
    if r["compared_with"] is None:
        return "første snapshot"
    parts = [
        f"{label}: {', '.join(r[k])}"
        for k, label in (("changed", "ændret"), ("added", "ny"), ("removed", "fjernet"))
        if r[k]
    ]
    return "; ".join(parts) or "ingen ændringer"


def _local(ts) -> str:
    try:
        return ts.tz_convert(clock.TZ).strftime("%Y-%m-%d %H:%M")
    except Exception:
        return ts.strftime("%Y-%m-%d %H:%M UTC")


def data_command(args) -> int:
    """export-workbook | validate | publish | snapshots | rollback."""
    from overblik import fmt, ingest, schema, store

    cmd = args.command
    n = ingest.n_dk
    try:
        if cmd == "export-workbook":
            Path(args.out).write_bytes(ingest.workbook_bytes(editors=True))  # the secretariat's, round-trip
            print(f"Skrev {args.out} (snapshot {store.current_id()})")
            return 0

        if cmd in ("validate", "publish"):
            try:
                stale = ingest.stale_workbook(Path(args.input), store.current_id())
            except store.StoreError:
                stale = None
            if stale:
                print(f"Advarsel: {stale.message()}")
            if cmd == "validate":
                tables, _, _, problems, current = ingest.check(args.input, progress=progress, allow_empty=args.tom)
                sid = None
            else:
                try:
                    sid, problems = ingest.publish(
                        args.input,
                        note=args.note,
                        hook=_step,
                        progress=progress,
                        allow_empty=args.tom,
                        replace=args.erstat,
                    )
                except ingest.Overwrites as e:
                    print(
                        f"Intet er udgivet. {e} Skal filen alligevel erstatte det, der er udgivet siden, så kør "
                        "publish igen med --erstat.",
                        file=sys.stderr,
                    )
                    return 1
            _report(problems)
            errors = schema.errors(problems)
            warnings = len(problems) - len(errors)
            if errors:
                print(
                    f"{fmt.count(len(errors), 'fejl', 'fejl')} og {fmt.count(warnings, 'advarsel', 'advarsler')} i "
                    f"{Path(args.input).name}. Intet er udgivet; ret fejlene og prøv igen."
                )
                return 1
            if sid:
                progress(
                    f"Udgivet snapshot {sid} og gjort aktuelt"
                    + (f" ({fmt.count(warnings, 'advarsel', 'advarsler')})" if warnings else "")
                )
                still = store.illustrative_tables(sid)
                if still:
                    progress(
                        f"Stadig illustrative data (vises med mærkat): {', '.join(still)}. "
                        "En tabel bliver reel, når dens linje i Kilder siger real."
                    )
                print(sid)
                return 0
            rows = {name: len(df) - sum(schema.blank_rows(df)) for name, df in tables.items()}  # empty ones skipped
            counts = ", ".join(f"{name} {n(k)}" for name, k in rows.items())
            print(
                f"OK: {Path(args.input).name} er gyldig ({fmt.count(len(tables), 'tabel', 'tabeller')}, "
                f"{fmt.count(sum(rows.values()), 'række', 'rækker')}: {counts})"
                + (f", {fmt.count(warnings, 'advarsel', 'advarsler')}" if warnings else "")
                + "."
            )
            carried = [name for name in current[1] if name not in tables]
            if carried:
                print(f"Ved udgivelse overtages uændret fra snapshot {current[0]}: {', '.join(carried)}.")
            return 0

        if cmd == "snapshots":
            history = store.snapshot_history()
            if history.empty:
                print("Ingen snapshots endnu.")
                return 0
            print("Snapshots, nyeste først (* = aktuelt):")
            for _, r in history.iterrows():
                note = f'  "{r["note"]}"' if r["note"] else ""
                print(f"{'*' if r['current'] else ' '} {r['id']}  {_local(r['created'])}  {_changes(r)}{note}")
            return 0

        if cmd == "rollback":
            store.rollback(args.id)
            print(f"Aktuelt snapshot er nu {args.id}")
            return 0
    except (ingest.InputError, store.StoreError) as e:
        print(f"Fejl: {e}", file=sys.stderr)
        return 1
    return 2


# ---------------------------------------------------------------------------------------------
# fetch-dst


def fetch_dst(args) -> int:
    """`python -m overblik fetch-dst [--years A-B] [--from-dir DIR] [--note TEXT]`: prints the new snapshot id."""
    from overblik import dst

    try:
        sid = dst.run(args.years, args.from_dir, args.note or "", progress=progress)
    except dst.UsageError as e:
        print(f"Fejl: {e}", file=sys.stderr)
        return 2
    except dst.DstError as e:
        msg = str(e)
        if "Intet er ændret" not in msg:
            msg += " Intet er ændret."
        print(f"Fejl: {msg}", file=sys.stderr)
        return 1
    print(sid)
    return 0


def meeting_pack(args) -> int:
    from overblik import meetingpack

    try:
        y0 = y1 = None
        if args.aar:
            a, _, b = args.aar.partition("-")
            y0, y1 = int(a), int(b or a)
        f = meetingpack.make_filters(y0, y1, args.kommune, args.omraade)
        meeting = meetingpack.meeting_for(args.meeting, body=args.body)
    except ValueError as e:
        print(f"Fejl: {e}", file=sys.stderr)
        return 2
    started = time.monotonic()
    pdf = meetingpack.build(f, meeting, base_url=args.link)
    Path(args.out).write_bytes(pdf)
    print(f"Mødepakke skrevet: {args.out} ({len(pdf) // 1024} kB, {time.monotonic() - started:.1f} s)", flush=True)
    if not meetingpack.close_renderer():
        # Chromium did not stop: end now (the pack is written) rather than wait for it at exit
        print("Advarsel: grafmotoren (Chromium) stoppede ikke; kommandoen afsluttes alligevel.", file=sys.stderr)
        sys.stderr.flush()
        os._exit(0)
    return 0


COMMANDS = {
    "demo": demo,
    "export-workbook": data_command,
    "validate": data_command,
    "publish": data_command,
    "snapshots": data_command,
    "rollback": data_command,
    "fetch-dst": fetch_dst,
    "meeting-pack": meeting_pack,
}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return COMMANDS[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
