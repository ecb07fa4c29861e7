"""Unit of work: one cursor, one transaction, one writer at a time per database."""

from __future__ import annotations

import contextlib
import threading

import duckdb

from core.errors import StaleEdit
from core.store.billing import BillingRepository
from core.store.imports import ImportRepository
from core.store.repository import ClientRepository, HistoryRepository, SettingsRepository

_WRITE_LOCKS: dict[int, threading.RLock] = {}
_LOCKS_GUARD = threading.Lock()


def _write_lock(conn: duckdb.DuckDBPyConnection) -> threading.RLock:
    with _LOCKS_GUARD:
        return _WRITE_LOCKS.setdefault(id(conn), threading.RLock())


@contextlib.contextmanager
def write_lock(conn: duckdb.DuckDBPyConnection):
    """Hold off every unit of work on this connection (e.g. while the database file is copied)."""
    lock = _write_lock(conn)
    with lock:
        yield


class UnitOfWork:
    """`with uow: ...; uow.commit()` — anything not committed is rolled back on exit."""

    def __init__(self, conn: duckdb.DuckDBPyConnection) -> None:
        self._conn = conn
        self._lock = _write_lock(conn)
        self.cursor: duckdb.DuckDBPyConnection | None = None

    def __enter__(self) -> UnitOfWork:
        self._lock.acquire()
        try:
            self.cursor = self._conn.cursor()
            self.cursor.execute("BEGIN TRANSACTION")
        except BaseException:
            self._lock.release()
            raise
        self._committed = False
        self.clients = ClientRepository(self.cursor)
        self.history = HistoryRepository(self.cursor)
        self.settings = SettingsRepository(self.cursor)
        self.imports = ImportRepository(self.cursor)
        self.billing = BillingRepository(self.cursor)
        return self

    def commit(self) -> None:
        try:
            self.cursor.execute("COMMIT")
        except duckdb.TransactionException as exc:
            raise StaleEdit() from exc
        self._committed = True

    def rollback(self) -> None:
        self.cursor.execute("ROLLBACK")

    def __exit__(self, *exc_info) -> None:
        try:
            if not self._committed:
                with contextlib.suppress(duckdb.Error):  # the transaction may already be aborted
                    self.rollback()
            self.cursor.close()
        finally:
            self._lock.release()
