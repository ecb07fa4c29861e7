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
from core.i18n import LANGUAGES, format_date, normalise_language, t
from core.store import UnitOfWork, connect, default_db_path

# Session-state keys (ids and filter values only; never DataFrames or connections).
KEY_LANG = "lang"
KEY_CLIENT = "selected_client"
KEY_DATA_VERSION = "data_version"
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


def sidebar(conn) -> str:
    if KEY_LANG not in st.session_state:
        st.session_state[KEY_LANG] = normalise_language(
            services.get_setting(UnitOfWork(conn), "language") or os.environ.get("CARTELLA_LANG")
        )
    with st.sidebar:
        st.selectbox(
            t("sidebar.language", lang()),
            list(LANGUAGES),
            format_func=LANGUAGES.get,
            key=KEY_LANG,
            on_change=lambda: services.set_setting(UnitOfWork(conn), "language", st.session_state[KEY_LANG]),
        )
        if KEY_REGION not in st.session_state:
            st.session_state[KEY_REGION] = services.get_setting(UnitOfWork(conn), "phone_region") or "IT"
        st.selectbox(
            t("sidebar.phone_region", lang()),
            PHONE_REGIONS,
            key=KEY_REGION,
            help=t("sidebar.phone_region_help", lang()),
            on_change=lambda: services.set_setting(UnitOfWork(conn), "phone_region", st.session_state[KEY_REGION]),
        )
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


def data_version() -> int:
    return st.session_state.get(KEY_DATA_VERSION, 0)


def bump() -> None:
    """Every write bumps the data version, which keys the cached reads."""
    st.session_state[KEY_DATA_VERSION] = data_version() + 1


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


def show_value(value) -> str:
    """A stored value as a person reads it in the history table."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return tr("common.yes") if value else tr("common.no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
