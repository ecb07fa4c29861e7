# The import's inputs at their edges, through `cli.py import`: folders, the size limit, rows whose cells do not fit
# the header, and the progress bar.
import json
import os
import re
import subprocess
import sys

import pytest

from tests.integration.helpers import PEOPLE, ROOT, cli, clients, run_import, write_csv


@pytest.mark.parametrize(("setting", "limit"), [("", 200 << 20), ("1.5", int(1.5 * (1 << 20))), ("0", 200 << 20),
                                                ("-3", 200 << 20), ("lots", 200 << 20), ("500", 500 << 20)])  # fmt: skip
def test_the_size_limit_is_configurable(monkeypatch, setting, limit):
    from importers.read import max_import_bytes

    monkeypatch.setenv("CARTELLA_MAX_IMPORT_MB", setting)
    assert max_import_bytes() == limit


def test_a_file_over_the_configured_limit_exits_2_and_writes_nothing(tmp_path):
    source = write_csv(tmp_path / "p.csv", PEOPLE + [["Rossi", f"Nome{i}"] + [""] * 9 for i in range(200)])
    db = tmp_path / "limit.duckdb"
    env = {**os.environ, "CARTELLA_MAX_IMPORT_MB": "0.002"}  # 2 KB
    result = subprocess.run([sys.executable, "cli.py", "import", str(source), "--db", str(db)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 2 and "larger than the limit of 2 KB" in result.stderr
    assert clients(db) == []
    report, _ = run_import(tmp_path, source, db=db)  # the default limit reads it
    assert report["created"] > 200


def test_ragged_rows_are_read_and_said(tmp_path):
    source = tmp_path / "storto.csv"
    source.write_text("Nome;Cognome;Email\nMario;Rossi\nAnna;Verdi;a@example.it;oops;more\nLuca;Bianchi;l@example.it\n")
    report, result = run_import(tmp_path, source)
    assert report["created"] == 3 and (report["files"][0]["long_rows"], report["files"][0]["short_rows"]) == ([3], [2])
    assert "storto.csv: Rows with more cells than the header" in result.stdout and "): 3\n" in result.stdout
    assert "storto.csv: Rows with fewer cells than the header (the missing ones are read as empty): 2" in result.stdout
    anna = next(c for c in clients(tmp_path / "import.duckdb") if c["first_name"] == "Anna")
    assert json.loads(anna["custom_fields"]) == {"extra": "oops | more"}  # nothing lost


def test_a_progress_bar_on_a_terminal_and_none_in_a_pipe(tmp_path):
    source = write_csv(tmp_path / "p.csv", PEOPLE)
    leader, follower = os.openpty()
    try:
        done = subprocess.run([sys.executable, "cli.py", "import", str(source), "--db", str(tmp_path / "t.duckdb")],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=follower, timeout=120)  # fmt: skip
        os.close(follower)
        shown = b""
        while True:
            try:
                part = os.read(leader, 4096)
            except OSError:  # the terminal's other end is closed: all was read
                break
            if not part:
                break
            shown += part
    finally:
        os.close(leader)
    assert done.returncode == 0
    assert re.search(rb"\[#{30}\] 4/4", shown), shown
    piped = cli("import", source, "--db", tmp_path / "p.duckdb")
    assert piped.returncode == 0 and "#" not in piped.stderr


def test_a_folder_is_read_as_its_files_are(tmp_path):
    folder = tmp_path / "fatture"
    (folder / "2025").mkdir(parents=True)
    (folder / "clienti.csv").write_text("Cognome;Nome\nRossi;Mario\n")
    (folder / "2025" / "altri.csv").write_text("Cognome;Nome\nVerdi;Anna\nBianchi;Luca\n")
    (folder / "2025" / "vuoto.csv").write_text("")
    (folder / ".nascosto.csv").write_text("Cognome;Nome\nNero;Carlo\n")
    report, _ = run_import(tmp_path, folder)
    assert (report["rows_read"], report["created"], report["rejected"]) == (4, 3, 1)
    assert any("fatture/2025/vuoto.csv is empty" in e["message"] for e in report["errors"])
    assert sorted(c["display_name"] for c in clients(tmp_path / "import.duckdb")) == [
        "Bianchi Luca", "Rossi Mario", "Verdi Anna"]  # fmt: skip
    empty = tmp_path / "nulla"
    empty.mkdir()
    result = cli("import", empty, "--db", tmp_path / "e.duckdb")
    assert result.returncode == 2 and "nulla is empty" in result.stderr


def _workbook_bytes(rows: list[list]) -> bytes:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_real_password_protected_workbook_exits_2_and_writes_nothing(tmp_path):
    # encrypted as Excel does it (ECMA-376 agile encryption, by msoffcrypto-tool), not a constructed header
    import io

    from msoffcrypto.format.ooxml import OOXMLFile

    plain = _workbook_bytes([["Cognome", "Nome", "Codice fiscale"], ["Rossi", "Mario", "RSSMRA80A01H501U"]])
    locked = io.BytesIO()
    OOXMLFile(io.BytesIO(plain)).encrypt("segreta", locked)
    source = tmp_path / "clienti.xlsx"
    source.write_bytes(locked.getvalue())
    db = tmp_path / "locked.duckdb"
    result = cli("import", source, "--db", db)
    assert result.returncode == 2
    assert (
        result.stderr.strip() == "cartella: clienti.xlsx is protected by a password: save it without one and try again."
    )
    assert "Traceback" not in result.stderr and clients(db) == []
    source.write_bytes(plain)  # the same workbook saved without the password goes in
    report, _ = run_import(tmp_path, source, db=db)
    assert report["created"] == 1 and clients(db)[0]["tax_code"] == "RSSMRA80A01H501U"


def test_a_real_biff_xls_keeps_leading_zeros_and_reads_day_first_and_serial_dates(tmp_path):
    import xlwt  # writes the binary Excel 97-2003 format, as older programs export it

    book = xlwt.Workbook()
    sheet = book.add_sheet("Clienti")
    rows = [["Cognome", "Nome", "CAP", "Data di nascita"], ["Rossi", "Mario", "00184", "01/02/1980"],
            ["Bianchi", "Anna", "20121", "15/06/1975"], ["Verdi", "Luca", "40100", 29221.0]]  # fmt: skip
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    source = tmp_path / "vecchio.xls"
    book.save(str(source))
    report, _ = run_import(tmp_path, source)
    assert (report["rows_read"], report["created"], report["rejected"]) == (3, 3, 0)
    assert report["files"][0]["kind"] == "xls" and report["files"][0]["file"] == "vecchio.xls#Clienti"
    cards = clients(tmp_path / "import.duckdb")
    assert [(c["last_name"], c["postal_code"], str(c["birth_date"])[:10]) for c in cards] == [
        ("Rossi", "00184", "1980-02-01"),
        ("Bianchi", "20121", "1975-06-15"),
        ("Verdi", "40100", "1980-01-01"),
    ]
