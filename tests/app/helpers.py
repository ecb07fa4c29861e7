"""Helpers shared by the AppTest tests."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.store import UnitOfWork

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def app_conn(at: AppTest):
    """The connection the app itself opened (DuckDB allows one writer process per file)."""
    from pages._ui import _connection, db_path

    return _connection(str(db_path().resolve()))


def uow(at: AppTest) -> UnitOfWork:
    return UnitOfWork(app_conn(at))
