import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).parent / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    reason = "Debian's chromium is not installed (make test installs it)"
    if os.environ.get("CARTELLA_REQUIRE_BROWSER"):
        pytest.fail(reason)
    pytest.skip(reason)


def _serve(db: Path):
    """`streamlit run app.py` on a free loopback port over `db`; yields its URL and paths."""
    port = _free_port()
    env = {**os.environ, "CARTELLA_LANG": "en"}
    log_path = db.parent / "streamlit.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--", "--db", str(db)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(120):
                try:
                    if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).status == 200:
                        break
                except OSError:
                    time.sleep(0.5)
            else:
                raise RuntimeError("streamlit did not start: " + log_path.read_text()[-2000:])
            yield {"url": url, "db": db, "log": db.parent / "cartella.log"}
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture(scope="session")
def served_app(tmp_path_factory):
    """The app over a temporary database holding 300 demo clients."""
    _require_chromium()
    db = tmp_path_factory.mktemp("browser") / "demo.duckdb"
    subprocess.run(
        [sys.executable, "cli.py", "demo", "--db", str(db), "--clients", "300", "--seed", "2"],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    yield from _serve(db)


@pytest.fixture(scope="session")
def empty_app(tmp_path_factory):
    """The app over a new, empty database: what a new user sees after `make run`."""
    _require_chromium()
    yield from _serve(tmp_path_factory.mktemp("browser-empty") / "new.duckdb")


@pytest.fixture(scope="session")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB")
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture(scope="session")
def shots() -> Path:
    SHOTS.mkdir(exist_ok=True)
    return SHOTS
