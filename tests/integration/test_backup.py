# Backups: a verified copy with its manifest; restore only from a verified backup, keeping the current file.
import subprocess
import sys
from pathlib import Path

import pytest

from core import backup as bk
from core import services
from core.demo import load_demo
from core.errors import CodedError, DatabaseLocked
from core.store import UnitOfWork, connect

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "cartella.duckdb"
    conn = connect(path)
    load_demo(conn, 40, seed=5)
    conn.close()
    return path


def test_backup_then_restore_brings_back_exactly_what_was_saved(db, tmp_path):
    conn = connect(db)
    info = bk.backup(conn, db)
    assert Path(info.path).parent == db.parent / "backups" and Path(info.path).is_file()
    assert info.counts["clients"] == 40 and info.counts["invoices"] > 0
    assert bk.list_backups(db)[0].sha256 == info.sha256
    services.create_client(UnitOfWork(conn), {"kind": "private", "first_name": "Dopo", "last_name": "Backup"})
    conn.close()
    restored, kept = bk.restore(Path(info.path), db)
    assert restored.sha256 == info.sha256
    assert kept is not None and kept.is_file()  # the file being replaced is kept, never destroyed
    conn = connect(db)
    assert bk.table_counts(conn) == info.counts
    names = [r[0] for r in conn.execute("SELECT display_name FROM clients").fetchall()]
    assert "Backup Dopo" not in names
    conn.close()
    conn = connect(kept)  # and the previous state is still there, intact
    assert conn.execute("SELECT count(*) FROM clients").fetchone()[0] == 41
    conn.close()


def test_a_damaged_or_unverifiable_backup_replaces_nothing(db, tmp_path):
    conn = connect(db)
    info = bk.backup(conn, db, tmp_path / "copy.duckdb")
    conn.close()
    before = db.read_bytes()
    damaged = tmp_path / "copy.duckdb"
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    with pytest.raises(CodedError) as exc:
        bk.restore(damaged, db)
    assert exc.value.code == "error.backup_damaged"
    bk.manifest_path(damaged).unlink()
    with pytest.raises(CodedError) as exc:
        bk.restore(damaged, db)
    assert exc.value.code == "error.backup_no_manifest"
    with pytest.raises(CodedError) as exc:
        bk.restore(tmp_path / "nowhere.duckdb", db)
    assert exc.value.code == "error.backup_missing"
    assert db.read_bytes() == before and info.counts


def test_restore_refuses_a_database_the_app_has_open(db, tmp_path):
    conn = connect(db)
    info = bk.backup(conn, db)
    conn.close()
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb,time; c=duckdb.connect({str(db)!r}); print('open', flush=True); "
         "time.sleep(30)"], stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(DatabaseLocked):
            bk.restore(Path(info.path), db)
    finally:
        holder.kill()
        holder.wait()
    assert not list(db.parent.glob("*.before-restore-*"))


def test_backup_never_overwrites_the_database(db):
    conn = connect(db)
    with pytest.raises(CodedError) as exc:
        bk.backup(conn, db, db)
    conn.close()
    assert exc.value.code == "error.backup_same_file"


def test_cli_backup_and_restore(db, tmp_path):
    out = tmp_path / "manual.duckdb"
    run = lambda *a: subprocess.run([sys.executable, "cli.py", *a], cwd=ROOT, capture_output=True, text=True)  # noqa: E731
    made = run("backup", "--db", str(db), "--out", str(out))
    assert made.returncode == 0, made.stderr
    assert "verified" in made.stdout and out.is_file() and bk.manifest_path(out).is_file()
    back = run("restore", "--db", str(db), "--from", str(out))
    assert back.returncode == 0, back.stderr
    bad = run("restore", "--db", str(db), "--from", str(tmp_path / "missing.duckdb"))
    assert bad.returncode == 1 and "Traceback" not in bad.stderr and "no backup file" in bad.stderr
