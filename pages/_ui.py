# Shared screen helpers: the database connection, language, session keys, field errors.
# Pages stay thin: read input, call core, render.
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import streamlit as st

from core import services
from core.errors import CartellaError, DatabaseLocked, DatabaseUnreadable
from core.i18n import LANGUAGES, format_date, format_number, normalise_language, t
from core.store import UnitOfWork, connect, default_db_path

# Session-state keys (ids and filter values only; never DataFrames or connections).
KEY_LANG = "lang"
KEY_CLIENT = "selected_client"
KEY_FLASH = "flash"
KEY_REGION = "phone_region"
PHONE_REGIONS = ("IT", "BR", "ES", "PT", "AR", "MX", "CL", "CO", "CH", "SM", "FR", "DE", "GB", "US")

log = logging.getLogger("cartella")


def db_path() -> Path:
    """`streamlit run app.py -- --db PATH` wins over CARTELLA_DB, which wins over data/cartella.duckdb."""
    args = sys.argv[1:]
    for i, arg in enumerate(args):
        if arg == "--db" and i + 1 < len(args):
            return Path(args[i + 1])
        if arg.startswith("--db="):
            return Path(arg.split("=", 1)[1])
    return default_db_path()


def _setup_logging(path: Path) -> None:
    logger = logging.getLogger()
    target = str(path.parent / "cartella.log")
    if any(getattr(h, "baseFilename", None) == target for h in logger.handlers):
        return
    handler = logging.FileHandler(target, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


@st.cache_resource(show_spinner=False)
def _connection(path: str):
    conn = connect(path)
    purged = services.purge_trash(UnitOfWork(conn))
    if purged:
        log.info("purged %d cards from the trash at start", len(purged))
    return conn


def open_database():
    """The process-wide connection; a locked or foreign file stops the app with a plain message."""
    path = db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    _setup_logging(path)
    try:
        return _connection(str(path.resolve()))
    except (DatabaseLocked, DatabaseUnreadable) as exc:
        st.error(tr(exc.code, **exc.params), icon=":material/lock:")
        st.stop()
    except Exception:
        log.exception("could not open the database %s", path)
        st.error(tr("error.unexpected"))
        st.stop()


KEY_APP_RAN = "app_ran"


def mark_app_ran() -> None:
    st.session_state[KEY_APP_RAN] = True


def page_setup():
    """Start of every page: the connection, after making sure app.py (navigation, sidebar) ran.

    On a fresh server, Streamlit runs a page reached by its URL straight from pages/ (its old
    multipage mode) until app.py has called st.navigation once; we send that first visit through
    app.py so every page always has the sidebar, language and layout.
    """
    if not st.session_state.get(KEY_APP_RAN):
        st.switch_page("app.py")
    return open_database()


def lang() -> str:
    return normalise_language(st.session_state.get(KEY_LANG) or os.environ.get("CARTELLA_LANG"))


def tr(key: str, **params) -> str:
    return t(key, lang(), **params)


def _preference(conn, state_key: str, setting: str, label: str, options, default: str, **kw) -> None:
    """A sidebar choice kept in the session and saved in the database's settings.

    The widget has its own key and an explicit index, so the session value is the one source of truth.
    """
    if state_key not in st.session_state:
        st.session_state[state_key] = services.get_setting(UnitOfWork(conn), setting) or default
    options = list(options)
    current = st.session_state[state_key]
    choice = st.selectbox(
        label, options, index=options.index(current) if current in options else 0, key=f"sidebar.{setting}", **kw
    )
    if choice != current:
        st.session_state[state_key] = choice
        services.set_setting(UnitOfWork(conn), setting, choice)
        st.rerun()


def sidebar(conn) -> str:
    with st.sidebar:
        _preference(
            conn, KEY_LANG, "language", t("sidebar.language", lang()), LANGUAGES,
            normalise_language(os.environ.get("CARTELLA_LANG")), format_func=LANGUAGES.get,
        )  # fmt: skip
        _preference(
            conn, KEY_REGION, "phone_region", tr("sidebar.phone_region"), PHONE_REGIONS, "IT",
            help=tr("sidebar.phone_region_help"),
        )  # fmt: skip
        st.caption(tr("sidebar.database", path=db_path().name))
    return lang()


def region() -> str:
    """Default country for phone numbers typed without a +prefix."""
    return st.session_state.get(KEY_REGION) or "IT"


def run_page(page) -> None:
    """Run the chosen page; an unexpected error is logged and shown as one plain sentence."""
    try:
        page.run()
    except CartellaError as exc:
        st.error(tr(exc.code, **exc.params))
    except Exception:
        log.exception("unexpected error on page %s", getattr(page, "title", "?"))
        st.error(tr("error.unexpected"))


@st.cache_resource(show_spinner=False)
def _versions() -> dict[str, int]:
    """Per database file, a counter every write in this process bumps (shared by all sessions)."""
    return {}


def data_version() -> str:
    """The key of cached reads: which database, and how many writes it has seen."""
    path = str(db_path().resolve())
    return f"{path}#{_versions().get(path, 0)}"


def bump() -> None:
    """Every write bumps the data version, so no session reads a stale cached page."""
    path = str(db_path().resolve())
    versions = _versions()
    versions[path] = versions.get(path, 0) + 1


def flash(message: str, kind: str = "success") -> None:
    """A message shown once on the next run (survives st.rerun / st.switch_page)."""
    st.session_state[KEY_FLASH] = (kind, message)


def show_flash() -> None:
    kind, message = st.session_state.pop(KEY_FLASH, (None, None))
    if message:
        getattr(st, kind)(message)


def uow(conn) -> UnitOfWork:
    return UnitOfWork(conn)


def open_card(number: int) -> None:
    st.session_state[KEY_CLIENT] = int(number)
    st.switch_page("pages/client_card.py")


def kind_label(kind: str) -> str:
    return tr(f"kind.{kind}")


def fmt_date(value) -> str:
    return format_date(value, lang())


def fmt_int(value: int) -> str:
    """A count as the user's language writes it: 100,000 / 100.000."""
    return format_number(value, lang())


def show_value(value) -> str:
    """A stored value as a person reads it in the history table."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return tr("common.yes") if value else tr("common.no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
