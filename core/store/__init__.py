"""All SQL lives here. Values are always bound as parameters."""

from core.store.db import connect, default_db_path
from core.store.uow import UnitOfWork

__all__ = ["UnitOfWork", "connect", "default_db_path"]
