"""Cartella from a terminal: the same services the app uses.

    python cli.py demo --db PATH --clients N [--seed S]
    python cli.py export --db PATH --format csv|xlsx --out FILE
    python cli.py purge-trash --db PATH [--older-than-days 30]

Errors exit non-zero with one line on stderr; user mistakes never print a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from core import services
from core.errors import CartellaError
from core.i18n import t
from core.store import UnitOfWork, connect, default_db_path

EXIT_USER_ERROR = 1
LANG = os.environ.get("CARTELLA_LANG", "en")


def _db(args) -> Path:
    return Path(args.db) if args.db else default_db_path()


def cmd_demo(args) -> int:
    from core.demo import load_demo

    if args.clients < 1:
        return _fail(t("cli.demo_count", LANG))
    conn = connect(_db(args))
    try:
        created = load_demo(conn, args.clients, seed=args.seed)
    except ValueError as exc:
        message = t("cli.demo_not_empty", LANG, path=str(_db(args))) if "empty" in str(exc) else str(exc)
        return _fail(message)
    print(t("cli.demo_done", LANG, count=created, path=str(_db(args))))
    return 0


def cmd_export(args) -> int:
    from core.export import export_clients

    conn = connect(_db(args))
    count = export_clients(conn, args.out, args.format)
    print(t("cli.export_done", LANG, count=count, path=str(args.out)))
    return 0


def cmd_purge_trash(args) -> int:
    if args.older_than_days < 0:
        return _fail(t("cli.days_negative", LANG))
    conn = connect(_db(args))
    purged = services.purge_trash(UnitOfWork(conn), older_than_days=args.older_than_days)
    print(t("cli.purged", LANG, count=len(purged)))
    return 0


def _fail(message: str) -> int:
    print(f"cartella: {message}", file=sys.stderr)
    return EXIT_USER_ERROR


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cli.py", description="Cartella from the command line")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="fill an empty database with realistic demo clients")
    demo.add_argument("--db", help="database file (default: $CARTELLA_DB or data/cartella.duckdb)")
    demo.add_argument("--clients", type=int, required=True, help="how many clients")
    demo.add_argument("--seed", type=int, default=0, help="random seed (same seed, same clients)")
    demo.set_defaults(func=cmd_demo)

    export = sub.add_parser("export", help="write active and inactive clients to CSV or XLSX")
    export.add_argument("--db")
    export.add_argument("--format", choices=["csv", "xlsx"], required=True)
    export.add_argument("--out", required=True, help="file to write")
    export.set_defaults(func=cmd_export)

    purge = sub.add_parser("purge-trash", help="delete for good the cards in the trash for too long")
    purge.add_argument("--db")
    purge.add_argument("--older-than-days", type=int, default=services.TRASH_DAYS)
    purge.set_defaults(func=cmd_purge_trash)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except CartellaError as exc:
        return _fail(t(exc.code, LANG, **exc.params))
    except OSError as exc:
        return _fail(f"{exc.strerror or exc}: {exc.filename or ''}".strip(": "))


if __name__ == "__main__":
    sys.exit(main())
