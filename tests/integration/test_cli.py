# The CLI contract of the foundation issue: commands, flags, exit codes, export columns.
import csv
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from core import services
from core.store import UnitOfWork, connect
from tests.integration.helpers import cli

CONTRACT = (
    "client_number kind display_name first_name last_name company_name tax_code vat_number sdi_code pec email "
    "phone street postal_code city province country birth_date active needs_review tags notes"
).split()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("cli") / "demo.duckdb"
    result = cli("demo", "--db", str(db), "--clients", "150", "--seed", "4")
    assert result.returncode == 0, result.stderr
    assert "150" in result.stdout
    return db


def _read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_export_csv_has_the_contract_columns_in_order(demo_db, tmp_path):
    out = tmp_path / "clients.csv"
    result = cli("export", "--db", str(demo_db), "--format", "csv", "--out", str(out))
    assert result.returncode == 0, result.stderr
    rows = _read_csv(out)
    assert list(rows[0])[: len(CONTRACT)] == CONTRACT
    conn = connect(demo_db)
    expected = conn.execute("SELECT count(*) FROM clients WHERE deleted_at IS NULL").fetchone()[0]
    in_trash = conn.execute("SELECT count(*) FROM clients WHERE deleted_at IS NOT NULL").fetchone()[0]
    conn.close()
    assert len(rows) == expected and in_trash > 0
    assert {r["kind"] for r in rows} == {"private", "company", "public_administration"}
    assert {r["active"] for r in rows} == {"true", "false"}
    assert {r["needs_review"] for r in rows} <= {"true", "false"}
    for row in rows:
        assert row["birth_date"] == "" or (len(row["birth_date"]) == 10 and row["birth_date"][4] == "-")
        assert row["display_name"]
    giulia = next(r for r in rows if r["client_number"] == "1")
    assert (giulia["last_name"], giulia["first_name"], giulia["display_name"]) == (
        "Bianchi",
        "Giulia",
        "Bianchi Giulia",
    )


def test_export_neutralises_formulas_and_keeps_leading_zeros(tmp_path):
    db = tmp_path / "f.duckdb"
    conn = connect(db)
    services.create_client(
        UnitOfWork(conn),
        {
            "kind": "private",
            "first_name": '=HYPERLINK("x")',
            "last_name": "@Rossi",
            "notes": "-1+2",
            "postal_code": "00184",
            "phones": "+39 333 1234567",
        },
        quick=True,
    )
    conn.close()
    out = tmp_path / "x.csv"
    assert cli("export", "--db", str(db), "--format", "csv", "--out", str(out)).returncode == 0
    row = _read_csv(out)[0]
    assert row["first_name"] == '\'=HYPERLINK("x")'
    assert row["last_name"] == "'@Rossi"
    assert row["notes"] == "'-1+2"
    assert row["phone"] == "'+393331234567"
    assert row["postal_code"] == "00184"
    xlsx = tmp_path / "x.xlsx"
    assert cli("export", "--db", str(db), "--format", "xlsx", "--out", str(xlsx)).returncode == 0
    sheet = load_workbook(xlsx).active
    header = [c.value for c in sheet[1]]
    values = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert header[: len(CONTRACT)] == CONTRACT
    assert values["first_name"] == '=HYPERLINK("x")' and sheet.cell(2, header.index("first_name") + 1).data_type == "s"
    assert values["postal_code"] == "00184"


def test_export_xlsx_matches_csv(demo_db, tmp_path):
    csv_out, xlsx_out = tmp_path / "a.csv", tmp_path / "a.xlsx"
    assert cli("export", "--db", str(demo_db), "--format", "csv", "--out", str(csv_out)).returncode == 0
    assert cli("export", "--db", str(demo_db), "--format", "xlsx", "--out", str(xlsx_out)).returncode == 0
    rows = list(load_workbook(xlsx_out, read_only=True).active.iter_rows(values_only=True))
    assert len(rows) - 1 == len(_read_csv(csv_out))


def test_demo_refuses_a_database_with_clients(demo_db):
    result = cli("demo", "--db", str(demo_db), "--clients", "5")
    assert result.returncode == 1
    assert "already holds clients" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "code", "text"),
    [
        (["export", "--format", "pdf", "--out", "x"], 2, "invalid choice"),
        (["export", "--format", "csv"], 2, "--out"),
        (["demo", "--clients", "0"], 1, "--clients must be 1 or more"),
        (["purge-trash", "--older-than-days", "-1"], 1, "must be 0 or more"),
        (["nonsense"], 2, "invalid choice"),
    ],
)
def test_user_mistakes_exit_non_zero_without_traceback(tmp_path, args, code, text):
    result = cli(*args, "--db", str(tmp_path / "m.duckdb")) if args[0] != "nonsense" else cli(*args)
    assert result.returncode == code
    assert text in result.stderr
    assert "Traceback" not in result.stderr


def test_not_a_database_file(tmp_path):
    bogus = tmp_path / "bogus.duckdb"
    bogus.write_bytes(b"this is not a database" * 100)
    result = cli("export", "--db", str(bogus), "--format", "csv", "--out", str(tmp_path / "o.csv"))
    assert result.returncode == 1
    assert "is not a Cartella database" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "o.csv").exists()


def test_locked_database_is_explained(tmp_path):
    db = tmp_path / "locked.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,time; c=duckdb.connect({str(db)!r}); print('ready', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        result = cli("purge-trash", "--db", str(db))
        assert result.returncode == 1
        assert "in use by another program" in result.stderr and str(holder.pid) in result.stderr
        assert "Traceback" not in result.stderr
    finally:
        holder.kill()
        holder.wait()


def test_purge_trash_respects_the_age(tmp_path):
    db = tmp_path / "p.duckdb"
    conn = connect(db)
    old = services.create_client(UnitOfWork(conn), {"kind": "private", "last_name": "Vecchi"}, quick=True)
    new = services.create_client(UnitOfWork(conn), {"kind": "private", "last_name": "Nuovi"}, quick=True)
    import datetime

    services.delete_client(
        UnitOfWork(conn), old.client_number, at=datetime.datetime.now() - datetime.timedelta(days=31)
    )
    services.delete_client(UnitOfWork(conn), new.client_number, at=datetime.datetime.now() - datetime.timedelta(days=3))
    conn.close()
    result = cli("purge-trash", "--db", str(db))
    assert result.returncode == 0 and "purged from the trash: 1" in result.stdout
    result = cli("purge-trash", "--db", str(db), "--older-than-days", "2")
    assert result.returncode == 0 and "purged from the trash: 1" in result.stdout
    conn = connect(db)
    assert conn.execute("SELECT count(*) FROM clients").fetchone()[0] == 0
