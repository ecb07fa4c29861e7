"""Opening the DuckDB file: clear errors for a locked or foreign file, migrations on open."""

from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb

from core.errors import DatabaseLocked, DatabaseUnreadable
from core.store.migrations import MIGRATIONS

PROJECT_DIR = Path(__file__).resolve().parents[2]


def default_db_path() -> Path:
    """`CARTELLA_DB` when set, else data/cartella.duckdb in the project."""
    return Path(os.environ.get("CARTELLA_DB") or PROJECT_DIR / "data" / "cartella.duckdb")


def connect(path: str | Path | None = None, *, migrate: bool = True) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the database file and bring its schema up to date.

    Raises DatabaseLocked when another process holds the file, DatabaseUnreadable when the file
    is not a DuckDB database.
    """
    target = Path(path) if path else default_db_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = duckdb.connect(str(target))
    except duckdb.IOException as exc:
        message = str(exc)
        if "lock" in message.lower():
            pid = re.search(r"PID (\d+)", message)
            raise DatabaseLocked(path=str(target), pid=pid.group(1) if pid else "?") from exc
        raise DatabaseUnreadable(path=str(target), reason=message) from exc
    except duckdb.Error as exc:
        raise DatabaseUnreadable(path=str(target), reason=str(exc)) from exc
    if migrate:
        apply_migrations(conn)
    return conn


def schema_version(conn: duckdb.DuckDBPyConnection) -> int:
    cur = conn.cursor()
    cur.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT now())"
    )
    (version,) = cur.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
    return version


def apply_migrations(conn: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply every pending migration, each in its own transaction. Returns the numbers applied."""
    current = schema_version(conn)
    applied = []
    for number, name, sql in MIGRATIONS:
        if number <= current:
            continue
        cur = conn.cursor()
        cur.execute("BEGIN TRANSACTION")
        try:
            cur.execute(sql)
            cur.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [number, name])
            cur.execute("COMMIT")
        except Exception:
            cur.execute("ROLLBACK")
            raise
        applied.append(number)
    return applied
