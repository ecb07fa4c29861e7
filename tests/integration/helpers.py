"""What the import's end-to-end tests share: running `cli.py` and reading what an import wrote."""

import csv
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.store import connect

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT.parent / "shared" / "samples"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/samples is not present on this machine")
REPORT_KEYS = {"rows_read", "created", "updated", "skipped", "rejected", "flagged", "duplicates", "batch_id", "errors"}


def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "cli.py", *map(str, args)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)  # fmt: skip


def run_import(tmp_path, *files, db=None, extra=()) -> tuple[dict, subprocess.CompletedProcess]:
    """`cli.py import` that must succeed; its report, checked against the contract, and the process."""
    db = db or tmp_path / "import.duckdb"
    report = tmp_path / f"report-{time.monotonic_ns()}.json"
    result = cli("import", *files, "--db", db, "--report", report, *extra)
    assert result.returncode == 0, result.stderr
    data = json.loads(report.read_text())
    assert set(data) >= REPORT_KEYS
    assert data["created"] + data["updated"] + data["skipped"] + data["rejected"] == data["rows_read"]
    for error in data["errors"]:
        assert set(error) == {"file", "row", "column", "value", "message"}
    return data, result


def clients(db: Path) -> list[dict]:
    conn = connect(db)
    frame = conn.execute("SELECT * FROM clients WHERE deleted_at IS NULL ORDER BY client_number").df()
    conn.close()
    return frame.to_dict("records")


def write_csv(path: Path, rows: list[list[str]], delimiter=";", encoding="utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


# a practice's patients as an old program exports them: capitals, a bad e-mail, a row with no name
PEOPLE = [
    ["Cognome", "Nome", "Codice Fiscale", "E-mail", "Cellulare", "Indirizzo", "CAP", "Città", "Prov", "Nato il", "Hobby"],
    ["ROSSI", "MARIO", "RSSMRA30A01H501I", "mario@example.it", "333 123 4567", "Via Roma 1", "184", "Roma", "RM", "01/01/1930", "vela"],
    ["Bianchi", "Giulia", "BNCGLI87D52H501X", "giulia@example", "06 6982", "Via Merulana 120", "00185", "Roma", "rm", "12/04/1987", ""],
    ["", "", "", "", "", "", "", "", "", "", "solo un hobby"],
    ["De Luca", "Anna", "", "anna@example.it", "", "", "", "Milano", "MI", "31/12/1990", ""],
]  # fmt: skip
