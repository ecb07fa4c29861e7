"""Cartella from a terminal: the same services the app uses.

    python cli.py demo --db PATH --clients N [--seed S]
    python cli.py export --db PATH --format csv|xlsx --out FILE
    python cli.py purge-trash --db PATH [--older-than-days 30]
    python cli.py report --db PATH --year YYYY --format xlsx|pdf|csv --out FILE
    python cli.py backup --db PATH [--out FILE]
    python cli.py restore --db PATH --from FILE
    python cli.py import FILE... --db PATH [--profile NAME] [--mapping FILE.json]
                  [--on-duplicate update|skip|create] [--strict] [--dry-run] [--report OUT.json]

Errors exit non-zero with one line on stderr; user mistakes never print a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import logging
import os
import sys
from pathlib import Path

if __name__ == "__main__":  # starting up makes hundreds of thousands of objects and no garbage: the cyclic collector
    gc.disable()  # would walk them again and again (a tenth of a small import); it resumes once they are frozen
    if sys.argv[1:2] == ["import"]:
        from importers import ahead

        ahead.start(sys.argv[2:])  # a large workbook is parsed while the modules below load and the database opens

from core import services
from core.errors import CartellaError
from core.i18n import t
from core.store import UnitOfWork, connect, default_db_path

EXIT_USER_ERROR = 1
EXIT_UNREADABLE = 2
LANG = os.environ.get("CARTELLA_LANG", "en")


def _db(args) -> Path:
    return Path(args.db) if args.db else default_db_path()


_OPEN: list = []  # the connections a command opened: `main` closes them (each checkpoints its file)


def _connect(args):
    conn = connect(_db(args))
    _OPEN.append(conn)
    return conn


def cmd_demo(args) -> int:
    from core.demo import load_demo

    if args.clients < 1:
        return _fail(t("cli.demo_count", LANG))
    conn = _connect(args)
    try:
        created = load_demo(conn, args.clients, seed=args.seed)
    except ValueError as exc:
        message = t("cli.demo_not_empty", LANG, path=str(_db(args))) if "empty" in str(exc) else str(exc)
        return _fail(message)
    print(t("cli.demo_done", LANG, count=created, path=str(_db(args))))
    return 0


def cmd_export(args) -> int:
    from core.export import export_clients

    conn = _connect(args)
    count = export_clients(conn, args.out, args.format)
    print(t("cli.export_done", LANG, count=count, path=str(args.out)))
    return 0


def cmd_purge_trash(args) -> int:
    if args.older_than_days < 0:
        return _fail(t("cli.days_negative", LANG))
    conn = _connect(args)
    purged = services.purge_trash(UnitOfWork(conn), older_than_days=args.older_than_days)
    print(t("cli.purged", LANG, count=len(purged)))
    return 0


EARLY_HELPER_BYTES = 4 * 1024 * 1024  # a file this large likely holds a table big enough for a chunk helper


def _phone_region(text: str) -> str:
    import phonenumbers

    code = text.strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise argparse.ArgumentTypeError(t("cli.region_unknown", LANG, region=text))
    return code


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def cmd_import(args) -> int:
    import json

    from importers import fields
    from importers.pipeline import Options
    from importers.run import UnreadableFile, execute, prepare

    overrides = None
    if args.mapping:
        try:
            overrides = json.loads(Path(args.mapping).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            print(f"cartella: {t('cli.mapping_unreadable', LANG, path=args.mapping, reason=exc)}", file=sys.stderr)
            return EXIT_UNREADABLE
    if any(_size(f) >= EARLY_HELPER_BYTES for f in args.files):
        from importers.worker import start_early

        start_early()  # a large table: its helper process loads while the file is read
    conn = _connect(args)
    try:
        prepared = prepare(conn, [Path(f) for f in args.files], profile=args.profile, overrides=overrides, lang=LANG)
    except UnreadableFile as exc:
        print(f"cartella: {t(exc.code, LANG, **exc.params)}", file=sys.stderr)
        return EXIT_UNREADABLE
    except (ValueError, OSError) as exc:
        print(f"cartella: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    region = args.region or services.get_setting(UnitOfWork(conn), "phone_region") or "IT"  # as the page's sidebar
    options = Options(on_duplicate=args.on_duplicate, strict=args.strict, lang=LANG, unmapped=fields.CUSTOM,
                      region=region)  # fmt: skip
    report = execute(conn, prepared, options, dry_run=args.dry_run, progress=_progress_bar())
    if args.report:
        Path(args.report).write_text(json.dumps(report.as_json(), ensure_ascii=False, indent=2, default=str))
    counts = report.counts
    print(t("cli.import_done" if not args.dry_run else "cli.import_dry_run", LANG, **counts,
            batch=report.batch_id or "-"))  # fmt: skip
    for item in report.files:  # rows read with their cells moved or missing: said, never silently
        for kind in ("long", "short"):
            if item.get(f"{kind}_rows"):
                lines = ", ".join(map(str, item[f"{kind}_rows"][:20])) + (
                    " …" if len(item[f"{kind}_rows"]) > 20 else ""
                )
                print(f"{item['file']}: {t(f'import.ragged.{kind}', LANG, rows=lines)}")
    return 0


def cmd_report(args) -> int:
    from core.reports import write_report

    if not 1900 <= args.year <= 9999:
        return _fail(t("cli.year_invalid", LANG, year=args.year))
    conn = _connect(args)
    out = write_report(conn, args.year, args.format, args.out, lang=LANG)
    print(t("cli.report_done", LANG, year=args.year, path=str(out)))
    return 0


def cmd_backup(args) -> int:
    from core.backup import backup

    conn = _connect(args)
    try:
        info = backup(conn, _db(args), Path(args.out) if args.out else None)
    finally:
        conn.close()
    print(t("cli.backup_done", LANG, path=info.path, size=round(info.size / 1e6, 1), rows=sum(info.counts.values()),
            tables=len(info.counts)))  # fmt: skip
    return 0


def cmd_restore(args) -> int:
    from core.backup import restore

    info, kept = restore(Path(args.source), _db(args))
    print(t("cli.restore_done", LANG, path=str(_db(args)), backup=info.path, kept=str(kept or "-")))
    return 0


def _progress_bar():
    """A progress bar on stderr when it is a terminal; nothing otherwise."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        print(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end="", file=sys.stderr, flush=True)
        if done >= total:
            print(file=sys.stderr)

    return show


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

    imp = sub.add_parser("import", help="import clients and invoice history from legacy CSV/XLSX/XML exports")
    imp.add_argument("files", nargs="+", metavar="FILE")
    imp.add_argument("--db")
    imp.add_argument("--profile", help="force a known program's layout (e.g. openstamanager, invoiceninja)")
    imp.add_argument("--mapping", metavar="FILE.json", help='{"source column": "target field", ...}')
    imp.add_argument("--on-duplicate", choices=["update", "skip", "create"], default="update")
    imp.add_argument("--strict", action="store_true", help="reject rows whose identifiers fail instead of flagging")
    imp.add_argument("--dry-run", action="store_true", help="check and count everything, write nothing")
    imp.add_argument("--report", metavar="OUT.json", help="write the report as JSON")
    imp.add_argument("--region", metavar="CC", type=_phone_region,
                     help="country of phone numbers written without +prefix (default: the app's setting, else IT)")  # fmt: skip
    imp.set_defaults(func=cmd_import)

    purge = sub.add_parser("purge-trash", help="delete for good the cards in the trash for too long")
    purge.add_argument("--db")
    purge.add_argument("--older-than-days", type=int, default=services.TRASH_DAYS)
    purge.set_defaults(func=cmd_purge_trash)

    report = sub.add_parser("report", help="the yearly financial summary (one row per month in CSV)")
    report.add_argument("--db")
    report.add_argument("--year", type=int, required=True)
    report.add_argument("--format", choices=["xlsx", "pdf", "csv"], required=True)
    report.add_argument("--out", required=True, help="file to write")
    report.set_defaults(func=cmd_report)

    back = sub.add_parser("backup", help="a verified copy of the database (default: data/backups/<name>-<time>)")
    back.add_argument("--db")
    back.add_argument("--out", help="backup file to write")
    back.set_defaults(func=cmd_backup)

    rest = sub.add_parser("restore", help="replace the database with a verified backup (stop the app first)")
    rest.add_argument("--db")
    rest.add_argument("--from", dest="source", required=True, metavar="FILE", help="backup file")
    rest.set_defaults(func=cmd_restore)
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
    finally:
        while _OPEN:
            _OPEN.pop().close()


def _exit(code: int) -> None:
    """End the process once everything is written and closed, without freeing what the command built object
    by object (a planned import of a million rows took seconds to tear down); the system takes the memory back."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError):  # a reader that went away (`| head`): nothing more to say to it
            stream.flush()
    logging.shutdown()
    os._exit(code)


if __name__ == "__main__":
    gc.freeze()  # what start-up made stays: later collections leave it out
    gc.enable()
    _exit(main())
