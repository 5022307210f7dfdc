"""Command line: python -m overblik <command> ... (see README, "Commands")."""

from __future__ import annotations

import argparse
import sys


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

    sub.add_parser("snapshots", help="list snapshots")

    r = sub.add_parser("rollback", help="make an earlier snapshot current again")
    r.add_argument("id")

    f = sub.add_parser("fetch-dst", help="spending and population from Danmarks Statistik's StatBank")
    f.add_argument("--years", help="year range A-B, e.g. 2016-2025")
    f.add_argument("--from-dir", help="read saved API replies (REGK31.csv, BUDK32.csv, FOLK1A.csv) instead of the network")
    f.add_argument("--note", default="")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    cmd = args.command
    if cmd == "demo":
        from overblik import demo

        return demo.main(args)
    if cmd in ("export-workbook", "validate", "publish", "snapshots", "rollback"):
        from overblik import ingest

        return ingest.main(args)
    if cmd == "fetch-dst":
        from overblik import dst

        return dst.main(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
