"""All SQL lives here. Values are always bound as parameters.

`connect`, `default_db_path` and `UnitOfWork` are loaded when first asked for: a process that only shapes cards
(the import's helper) then never loads DuckDB (some 40 MB).
"""

__all__ = ["UnitOfWork", "connect", "default_db_path"]


def __getattr__(name: str):
    if name in ("connect", "default_db_path"):
        from core.store import db

        return getattr(db, name)
    if name == "UnitOfWork":
        from core.store.uow import UnitOfWork

        return UnitOfWork
    raise AttributeError(f"module 'core.store' has no attribute {name!r}")
