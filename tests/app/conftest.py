import pytest
from streamlit.testing.v1 import AppTest

from core.store import connect
from tests.app.helpers import APP


@pytest.fixture
def db_file(tmp_path, monkeypatch):
    path = tmp_path / "app.duckdb"
    monkeypatch.setenv("CARTELLA_DB", str(path))
    monkeypatch.setenv("CARTELLA_LANG", "en")
    return path


@pytest.fixture
def demo_db(db_file):
    from core.demo import load_demo

    conn = connect(db_file)
    load_demo(conn, 60, seed=3)
    conn.close()
    return db_file


@pytest.fixture
def app(db_file):
    """A fresh AppTest on the app's entry point, already run once."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = "en"
    at.run()
    return at
