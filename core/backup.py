"""Backups of the database file, verified both ways.

A backup is a copy of the DuckDB file taken right after a checkpoint while no write can happen (the unit of
work's write lock), with a manifest beside it: SHA-256 of the copy, schema version and the row count of every
table. It is verified when written (the copy is opened and counted) and again before a restore. A restore
never destroys the current file: it is kept beside, renamed `…before-restore-<time>`.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

from core.errors import CodedError
from core.store.db import connect
from core.store.migrations import MIGRATIONS
from core.store.uow import write_lock

CHUNK = 1 << 20


@dataclass
class BackupInfo:
    path: str
    created_at: str
    source: str
    schema_version: int
    sha256: str
    size: int
    counts: dict[str, int]


def manifest_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ".json")


def default_backup_path(db: Path, at: datetime.datetime | None = None) -> Path:
    stamp = (at or datetime.datetime.now()).strftime("%Y%m%d-%H%M%S")
    return db.parent / "backups" / f"{db.stem}-{stamp}.duckdb"


def table_counts(conn: duckdb.DuckDBPyConnection) -> dict[str, int]:
    cur = conn.cursor()
    names = [r[0] for r in cur.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
    return {name: cur.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def _schema_version(conn: duckdb.DuckDBPyConnection) -> int:
    return conn.cursor().execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]


def _copy_hashing(source: Path, target: Path) -> str:
    digest = hashlib.sha256()
    with source.open("rb") as reader, target.open("wb") as writer:
        while block := reader.read(CHUNK):
            digest.update(block)
            writer.write(block)
        writer.flush()
        os.fsync(writer.fileno())
    return digest.hexdigest()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as reader:
        while block := reader.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _open_copy(path: Path) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise CodedError("error.backup_damaged", path=str(path), reason=str(exc).splitlines()[0]) from exc


def backup(conn: duckdb.DuckDBPyConnection, db_file: Path, out: Path | None = None) -> BackupInfo:
    """Write a verified copy of the open database `db_file` to `out` (default data/backups/<name>-<time>)."""
    out = Path(out) if out else default_backup_path(Path(db_file))
    if out.resolve() == Path(db_file).resolve():
        raise CodedError("error.backup_same_file", path=str(out))
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    with write_lock(conn):
        conn.cursor().execute("CHECKPOINT")
        counts = table_counts(conn)
        version = _schema_version(conn)
        sha = _copy_hashing(Path(db_file), partial)
    copy = _open_copy(partial)
    try:
        if table_counts(copy) != counts:
            raise CodedError("error.backup_verify", path=str(out))
    finally:
        copy.close()
    os.replace(partial, out)
    info = BackupInfo(str(out), datetime.datetime.now().isoformat(timespec="seconds"), str(db_file), version, sha,
                      out.stat().st_size, counts)  # fmt: skip
    manifest_path(out).write_text(json.dumps(asdict(info), indent=2), encoding="utf-8")
    return info


def verify(backup_file: Path) -> BackupInfo:
    """Check a backup against its manifest (SHA-256, schema, every table's rows). Raises CodedError."""
    backup_file = Path(backup_file)
    if not backup_file.is_file():
        raise CodedError("error.backup_missing", path=str(backup_file))
    manifest = manifest_path(backup_file)
    if not manifest.is_file():
        raise CodedError("error.backup_no_manifest", path=str(manifest))
    try:
        info = BackupInfo(**json.loads(manifest.read_text(encoding="utf-8")))
    except (ValueError, TypeError) as exc:
        raise CodedError("error.backup_no_manifest", path=str(manifest)) from exc
    if _sha256(backup_file) != info.sha256:
        raise CodedError("error.backup_damaged", path=str(backup_file), reason="SHA-256")
    copy = _open_copy(backup_file)
    try:
        if table_counts(copy) != info.counts or _schema_version(copy) != info.schema_version:
            raise CodedError("error.backup_verify", path=str(backup_file))
    finally:
        copy.close()
    if info.schema_version > MIGRATIONS[-1][0]:
        raise CodedError("error.backup_newer", path=str(backup_file), version=info.schema_version)
    return info


def restore(backup_file: Path, db_file: Path, at: datetime.datetime | None = None) -> tuple[BackupInfo, Path | None]:
    """Replace `db_file` with a verified backup; the current file is kept beside it. Returns (info, kept)."""
    info = verify(backup_file)
    db_file = Path(db_file)
    db_file.parent.mkdir(parents=True, exist_ok=True)
    kept = None
    if db_file.exists():
        connect(db_file, migrate=False).close()  # raises DatabaseLocked while the app has it open
        stamp = (at or datetime.datetime.now()).strftime("%Y%m%d-%H%M%S")
        kept = db_file.with_name(f"{db_file.name}.before-restore-{stamp}")
        os.replace(db_file, kept)
        wal = db_file.with_name(db_file.name + ".wal")
        if wal.exists():  # a log of the old file must never be replayed onto the restored one
            os.replace(wal, kept.with_name(kept.name + ".wal"))
    partial = db_file.with_name(db_file.name + ".restoring")
    if _copy_hashing(Path(backup_file), partial) != info.sha256:
        partial.unlink(missing_ok=True)
        raise CodedError("error.backup_damaged", path=str(backup_file), reason="SHA-256")
    os.replace(partial, db_file)
    conn = connect(db_file)  # applies newer migrations to an older backup
    try:
        restored = table_counts(conn)
    finally:
        conn.close()
    if any(restored.get(name) != count for name, count in info.counts.items()):
        raise CodedError("error.backup_verify", path=str(db_file))
    return info, kept


def list_backups(db_file: Path) -> list[BackupInfo]:
    folder = Path(db_file).parent / "backups"
    found = []
    for manifest in sorted(folder.glob("*.duckdb.json"), reverse=True):
        try:
            found.append(BackupInfo(**json.loads(manifest.read_text(encoding="utf-8"))))
        except (ValueError, TypeError):
            continue
    return found
