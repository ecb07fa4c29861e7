# The import end to end through `cli.py import`: the report contract, exit codes, duplicates, strictness, dry runs,
# undo, a round trip, a killed import, large files, and random CSVs that must never crash it. Other programs'
# exports and invoice history: test_import_programs.py.
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.store import UnitOfWork, connect
from importers.pipeline import Options, undo
from importers.run import execute, prepare
from tests.integration.helpers import PEOPLE, ROOT, cli, clients, run_import, write_csv


def test_a_client_file_end_to_end(tmp_path):
    source = write_csv(tmp_path / "pazienti.csv", PEOPLE, encoding="cp1252")
    report, result = run_import(tmp_path, source)
    assert {k: report[k] for k in ("rows_read", "created", "rejected", "flagged")} == {
        "rows_read": 4, "created": 3, "rejected": 1, "flagged": 1,
    }  # fmt: skip
    assert "import" in result.stdout and "rows 4" in result.stdout
    rossi, bianchi, deluca = clients(tmp_path / "import.duckdb")
    assert (rossi["first_name"], rossi["last_name"], rossi["postal_code"], rossi["phones"]) == (
        "Mario", "Rossi", "00184", ["+393331234567"],
    )  # fmt: skip
    assert json.loads(rossi["custom_fields"]) == {"Hobby": "vela"}
    assert bianchi["needs_review"] and bianchi["tax_code"] == "BNCGLI87D52H501X"  # the original value is kept
    assert "check character" in bianchi["review_reason"] and bianchi["province"] == "RM"
    assert str(deluca["birth_date"])[:10] == "1990-12-31"
    rejected = [e for e in report["errors"] if e["row"] == 4]
    assert rejected and "No usable name" in rejected[0]["message"]


def test_the_same_file_twice_creates_nothing_new(tmp_path):
    source = write_csv(tmp_path / "p.csv", PEOPLE)
    run_import(tmp_path, source)
    again, _ = run_import(tmp_path, source)
    assert (again["created"], again["updated"], again["skipped"], again["rejected"]) == (0, 0, 3, 1)
    assert len(clients(tmp_path / "import.duckdb")) == 3


def test_a_name_written_the_other_way_round_is_read_by_its_codice_fiscale(tmp_path):
    """A "Paziente" column is "Cognome Nome", but a practice types some names first name first: the codice fiscale
    tells which is which, and the card is not flagged for a surname that does not match its code."""
    source = write_csv(tmp_path / "p.csv", [["Paziente", "Codice fiscale"], ["GIULIA NERI", "NREGLI90A41H501G"],
                                            ["Rossi Mario", "RSSMRA85T10A562S"]])  # fmt: skip
    report, _ = run_import(tmp_path, source)
    assert (report["created"], report["flagged"]) == (2, 0)
    names = [(c["first_name"], c["last_name"], c["needs_review"]) for c in clients(tmp_path / "import.duckdb")]
    assert names == [("Giulia", "Neri", False), ("Mario", "Rossi", False)]


def test_a_card_known_by_name_place_and_phone_is_found_again(tmp_path):
    """No tax code, no e-mail: the stored card is found by its name, place and phone (a second import of the same
    file once created it again, as a likely duplicate)."""
    source = write_csv(tmp_path / "p.csv", [["Cognome", "Nome", "Città", "Telefono"], ["Rossi", "Mario", "Milano",
                                            "333 1234567"], ["Bianchi", "Anna", "Roma", ""]])  # fmt: skip
    run_import(tmp_path, source)
    again, _ = run_import(tmp_path, source)
    assert (again["created"], again["skipped"], again["flagged"]) == (0, 2, 0)
    assert len(clients(tmp_path / "import.duckdb")) == 2


@pytest.mark.parametrize(("policy", "created", "updated", "skipped"), [("update", 0, 1, 0), ("skip", 0, 0, 1),
                                                                       ("create", 1, 0, 0)])  # fmt: skip
def test_on_duplicate(tmp_path, policy, created, updated, skipped):
    db = tmp_path / "d.duckdb"
    run_import(
        tmp_path,
        write_csv(tmp_path / "a.csv", [["Cognome", "Nome", "Email"], ["Rossi", "Mario", "m@example.it"]]),
        db=db,
    )
    second = write_csv(
        tmp_path / "b.csv", [["Cognome", "Nome", "Email", "Città"], ["Rossi", "Mario", "M@example.it", "Roma"]]
    )
    report, _ = run_import(tmp_path, second, db=db, extra=("--on-duplicate", policy))
    assert (report["created"], report["updated"], report["skipped"], report["duplicates"]) == (
        created,
        updated,
        skipped,
        1,
    )
    cities = [c["city"] for c in clients(db)]
    assert cities == {"update": ["Roma"], "skip": [""], "create": ["", "Roma"]}[policy]


def test_strict_rejects_what_would_be_flagged(tmp_path):
    report, _ = run_import(tmp_path, write_csv(tmp_path / "p.csv", PEOPLE), extra=("--strict",))
    assert (report["created"], report["rejected"], report["flagged"]) == (2, 2, 0)


def test_dry_run_writes_nothing(tmp_path):
    db = tmp_path / "dry.duckdb"
    report, result = run_import(tmp_path, write_csv(tmp_path / "p.csv", PEOPLE), db=db, extra=("--dry-run",))
    assert report["created"] == 3 and report["batch_id"] is None and "nothing written" in result.stdout
    assert clients(db) == []


def test_mapping_file_and_profile(tmp_path):
    source = write_csv(tmp_path / "x.csv", [["Col A", "Col B"], ["Verdi", "Luca"]])
    mapping = tmp_path / "m.json"
    mapping.write_text(json.dumps({"Col A": "last_name", "Col B": "first_name"}))
    report, _ = run_import(tmp_path, source, extra=("--mapping", mapping))
    assert report["created"] == 1 and clients(tmp_path / "import.duckdb")[0]["display_name"] == "Verdi Luca"
    assert cli("import", source, "--db", tmp_path / "z.duckdb", "--profile", "nonsense").returncode == 2


def _zip(members: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [(b"", "empty.csv", "is empty"), (b"Nome;Cognome\n", "head.csv", "no rows"),
     (bytes(range(256)) * 50, "junk.xlsx", "not a text"), (b"PK\x03\x04junk", "broken.xlsx", "damaged"),
     (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
      b"<p:FatturaElettronica xmlns:p='x'>&b;</p:FatturaElettronica>", "bomb.xml", "refused for safety"),
     (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
      b"<FatturaElettronica>&x;</FatturaElettronica>", "xxe.xml", "refused for safety"),
     (_zip({"a.csv": b"", "b.csv": b"Nome;Cognome\n"}), "all_bad.zip", "a.csv is empty")],
)  # fmt: skip
def test_unreadable_input_exits_2_and_writes_nothing(tmp_path, content, name, words):
    path = tmp_path / name
    path.write_bytes(content)
    db = tmp_path / "u.duckdb"
    result = cli("import", path, "--db", db)
    assert result.returncode == 2 and words in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    conn = connect(db)
    assert conn.execute("SELECT count(*) FROM import_batches").fetchone()[0] == 0
    conn.close()


def test_undo_restores_updated_and_removes_created(tmp_path):
    db = tmp_path / "undo.duckdb"
    run_import(
        tmp_path,
        write_csv(tmp_path / "a.csv", [["Cognome", "Nome", "Email"], ["Rossi", "Mario", "m@example.it"]]),
        db=db,
    )
    second, _ = run_import(tmp_path, write_csv(tmp_path / "b.csv", [["Cognome", "Nome", "Email", "Città"],
                                                                    ["Rossi", "Mario", "m@example.it", "Roma"],
                                                                    ["Verdi", "Anna", "a@example.it", "Pisa"]]), db=db)  # fmt: skip
    assert (second["created"], second["updated"]) == (1, 1)
    conn = connect(db)
    with UnitOfWork(conn) as uow:
        result = undo(uow, second["batch_id"])
        uow.commit()
    assert (len(result["removed"]), len(result["restored"]), result["kept"]) == (1, 1, [])
    rows = conn.execute("SELECT display_name, city FROM clients ORDER BY 1").fetchall()
    assert rows == [("Rossi Mario", "")]
    assert (
        conn.execute("SELECT status FROM import_batches WHERE batch_id = ?", [second["batch_id"]]).fetchone()[0]
        == "undone"
    )
    conn.close()


def test_round_trip_demo_export_import(tmp_path):
    source_db, target_db = tmp_path / "demo.duckdb", tmp_path / "copy.duckdb"
    assert cli("demo", "--db", source_db, "--clients", "120", "--seed", "9").returncode == 0
    conn = connect(source_db)
    conn.execute("""UPDATE clients SET custom_fields = '{"Codice vecchio": "001", "IBAN": "IT60 X054"}'
                    WHERE client_number = 3""")
    conn.close()
    assert cli("export", "--db", source_db, "--format", "csv", "--out", tmp_path / "x.csv").returncode == 0
    report, _ = run_import(tmp_path, tmp_path / "x.csv", db=target_db, extra=("--on-duplicate", "create"))
    original, copy = clients(source_db), clients(target_db)
    assert report["rejected"] == 0 and len(copy) == len(original)
    keys = ("custom_fields", "kind", "display_name", "first_name", "last_name", "company_name", "tax_code", "vat_number", "sdi_code",
            "pec", "emails", "phones", "street", "postal_code", "city", "province", "country", "birth_date", "active",
            "tags", "notes")  # fmt: skip

    def project(card):
        card = {
            **card,
            "custom_fields": {
                k: v for k, v in json.loads(card["custom_fields"] or "{}").items() if k != "client_number"
            },
        }  # the source number is kept, as a custom field
        return {k: (list(card[k]) if k in ("emails", "phones", "tags") else str(card[k])[:10] if k == "birth_date"
                    else card[k]) for k in keys}  # fmt: skip

    assert [project(c) for c in copy] == [project(c) for c in original]


def test_a_killed_import_leaves_all_or_nothing(tmp_path):
    from bench.data import italian_csv

    source = italian_csv(tmp_path / "big.csv", 40000)  # about 4 s to import: killed half-way
    db = tmp_path / "kill.duckdb"
    connect(db).close()
    proc = subprocess.Popen([sys.executable, "cli.py", "import", str(source), "--db", str(db)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    time.sleep(2.0)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    conn = connect(db)
    count = conn.execute("SELECT count(*) FROM clients").fetchone()[0]
    batches = conn.execute("SELECT count(*) FROM import_batches").fetchone()[0]
    conn.close()
    assert (count, batches) in ((0, 0),) or (batches == 1 and count > 39000)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=6), min_size=1, max_size=8),
       st.sampled_from([";", ",", "\t"]))  # fmt: skip
def test_random_csvs_never_crash(tmp_path, rows, delimiter):
    from importers.read import UnreadableFile

    text = "\n".join(delimiter.join(cell.replace("\n", " ").replace("\r", " ") for cell in row) for row in rows)
    conn = connect(tmp_path / f"fuzz-{os.getpid()}.duckdb")
    try:
        prepared = prepare(conn, [("random.csv", text.encode("utf-8"))])
    except UnreadableFile:
        return
    report = execute(conn, prepared, Options(), dry_run=True)
    counts = report.counts
    assert counts["created"] + counts["updated"] + counts["skipped"] + counts["rejected"] == counts["rows_read"]
    conn.close()


def test_an_unreadable_member_of_a_zip_is_reported_not_skipped(tmp_path):
    import zipfile

    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("clienti.csv", "Cognome;Nome\nRossi;Mario\n")
        z.writestr("vuoto.csv", "")
    report, _ = run_import(tmp_path, archive)
    assert (report["rows_read"], report["created"], report["rejected"]) == (2, 1, 1)
    assert any("vuoto.csv is empty" in e["message"] for e in report["errors"])


def test_rows_fixed_by_hand_replace_their_originals_and_nothing_else(tmp_path):
    from importers.run import execute, prepare, problem_rows, with_fixes

    conn = connect(tmp_path / "fix.duckdb")
    data = b"Cognome Nome;Codice Fiscale\r\nVERDI LUCA;VRDLCU80A01H501R\r\n;;\r\n;RSSMRA80A01H501U\r\n"
    prepared = prepare(conn, [("fix.csv", data)])
    checked = execute(conn, prepared, Options(), dry_run=True)
    problems = problem_rows(checked)
    assert [(p["row"], p["action"]) for p in problems] == [(2, "create"), (4, "reject")]  # flagged, rejected
    assert problems[1]["cells"] == ["", "RSSMRA80A01H501U"] and "name" in problems[1]["reason"]
    fixed = with_fixes(prepared, {"fix.csv": {4: ["Rossi Mario", "RSSMRA80A01H501U"]}})
    assert prepared[0].table.rows[-1] == ["", "RSSMRA80A01H501U"]  # the original is untouched
    report = execute(conn, fixed, Options())
    assert (report.counts["created"], report.counts["rejected"]) == (2, 0)
    names = sorted(r[0] for r in conn.execute("SELECT display_name FROM clients").fetchall())
    assert names == ["Rossi Mario", "Verdi Luca"]


def test_the_report_to_download_gives_each_problem_row_in_its_files_layout_with_why(tmp_path):
    import csv
    import io

    from importers.run import problem_rows_csv

    conn = connect(tmp_path / "report.duckdb")
    first = b"Cognome Nome;Codice Fiscale\r\nVERDI LUCA;VRDLCU80A01H501R\r\n;RSSMRA80A01H501U\r\n"
    second = b"Nome;Cognome;E-mail\r\nGiulia;Bianchi;giulia@example\r\nAnna;Neri;anna@example.it\r\n"
    report = execute(conn, prepare(conn, [("a.csv", first), ("b.csv", second)]), Options(), dry_run=True)
    text = problem_rows_csv(report, "it").decode("utf-8")
    assert text.startswith("\ufeff")  # Excel opens it as UTF-8
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [r[:-2] for r in rows] == [["Cognome Nome", "Codice Fiscale"], ["VERDI LUCA", "VRDLCU80A01H501R"],
                                      ["", "RSSMRA80A01H501U"], ["Nome", "Cognome", "E-mail"],
                                      ["Giulia", "Bianchi", "giulia@example"]]  # fmt: skip
    assert rows[0][-2:] == ["motivo", "origine"] and [r[-1] for r in rows[1:3]] == ["a.csv:2", "a.csv:3"]
    assert rows[2][-2].startswith("scartata: ") and rows[4][-2].startswith("importata, da verificare: ")
    assert rows[4][-1] == "b.csv:2" and "giulia@example" in rows[4][-2]
    conn.close()


def test_a_large_file_imported_with_the_chunk_helper_gives_the_cards_planned_without_it(tmp_path, monkeypatch):
    import importers.client_table
    from bench.data import italian_csv

    path = italian_csv(tmp_path / "large.csv", 65_000)  # over the helper's threshold in rows and bytes
    assert os.path.getsize(path) >= 4 * 1024 * 1024
    data, _ = run_import(tmp_path, path)  # the CLI starts the helper early; it prepares the second chunk
    monkeypatch.setattr(importers.client_table, "HELPER_MIN_ROWS", 10**9)
    conn = connect(tmp_path / "alone.duckdb")
    report = execute(conn, prepare(conn, [path]), Options())  # planned and written in this process alone
    conn.close()
    columns = "kind, first_name, last_name, company_name, tax_code, emails, phones, city, needs_review, review_reason"
    with_helper, alone = (
        connect(db).execute(f"SELECT client_number, {columns} FROM clients ORDER BY client_number").fetchall()
        for db in (tmp_path / "import.duckdb", tmp_path / "alone.duckdb")
    )
    assert len(with_helper) == data["created"] == report.counts["created"] > 60_000
    assert with_helper == alone
    assert data["flagged"] == report.counts["flagged"] and data["duplicates"] == report.counts["duplicates"]


def test_cards_set_aside_on_disk_are_written_alike_and_their_folder_removed(tmp_path, monkeypatch):
    import tempfile

    import importers.client_table
    from bench.data import italian_csv

    path = italian_csv(tmp_path / "large.csv", 8000)
    monkeypatch.setattr(importers.client_table, "CHUNK_ROWS", 2500)  # four chunks: merges reach back across them
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    written = {}
    for spill in (False, True):
        monkeypatch.setattr(importers.client_table, "SPILL_MIN_ROWS", 0 if spill else 10**9)
        conn = connect(tmp_path / f"spill-{spill}.duckdb")
        report = execute(conn, prepare(conn, [path]), Options())
        written[spill] = (report.counts, conn.execute("SELECT * EXCLUDE (created_at, updated_at) FROM clients "
                                                      "ORDER BY client_number").fetchall())  # fmt: skip
        conn.close()
        assert list(temporary.iterdir()) == []  # the cards set aside went with the import
    assert written[True] == written[False] and written[True][0]["updated"] > 0  # merged into cards set aside

    def stop(done, total):
        if done > 5000:
            raise KeyboardInterrupt  # the user stops the import half-way

    conn = connect(tmp_path / "stopped.duckdb")
    with pytest.raises(KeyboardInterrupt):
        execute(conn, prepare(conn, [path]), Options(), progress=stop)
    assert conn.execute("SELECT count(*) FROM clients").fetchone()[0] == 0 and list(temporary.iterdir()) == []


def test_rows_fixed_by_hand_in_a_large_table_held_as_arrow(tmp_path):
    from importers.columnar import ArrowRows
    from importers.run import execute, prepare, problem_rows, with_fixes

    lines = ["Anagrafica", "", "Cognome Nome;Codice Fiscale;Note"]
    lines += [f"Verdi Luca {i};;riga {i} di un file abbastanza grande da leggere per colonne" for i in range(6000)]
    lines[10] = ";RSSMRA80A01H501U;senza nome"  # file line 11: rejected, no name
    lines[4000] = "Neri Anna;NRENNA80A41H501X;"  # file line 4001: flagged, a tax code that fails its check
    conn = connect(tmp_path / "fix.duckdb")
    prepared = prepare(conn, [("big.csv", ("\r\n".join(lines) + "\r\n").encode())])
    assert isinstance(prepared[0].table.rows, ArrowRows)
    problems = {p["row"]: p for p in problem_rows(execute(conn, prepared, Options(), dry_run=True))}
    assert problems[11]["action"] == "reject" and problems[4001]["cells"] == ["Neri Anna", "NRENNA80A41H501X", ""]
    fixed = with_fixes(prepared, {"big.csv": {11: ["Rossi Mario", "RSSMRA80A01H501U", "senza nome"],
                                              4001: ["Neri Anna", "NRENNA80A41H501Y", "corretto"], 99999: ["x"]}})  # fmt: skip
    rows, original = fixed[0].table.rows, prepared[0].table.rows
    assert isinstance(rows, ArrowRows) and len(rows) == 6000
    assert rows[7] == ["Rossi Mario", "RSSMRA80A01H501U", "senza nome"]
    assert rows[3997] == ["Neri Anna", "NRENNA80A41H501Y", "corretto"]
    assert [rows[i] for i in (0, 6, 8, 3996, 3998, 5999)] == [original[i] for i in (0, 6, 8, 3996, 3998, 5999)]
    assert original[7] == ["", "RSSMRA80A01H501U", "senza nome"]  # the original is untouched
    report = execute(conn, fixed, Options())
    assert report.counts["rejected"] == 0 and report.counts["created"] == 6000


def test_each_file_can_say_what_its_clients_already_in_cartella_do(tmp_path):
    conn = connect(tmp_path / "per-file.duckdb")
    execute(conn, prepare(conn, [("prima.csv", b"Cognome;Nome;Email\nRossi;Mario;m@example.it\nNeri;Anna;a@example.it\n")]),
            Options())  # fmt: skip
    again = b"Cognome;Nome;Email;Citta\nRossi;Mario;m@example.it;Pisa\n"
    files = [("aggiorna.csv", again), ("lascia.csv", b"Cognome;Nome;Email;Citta\nNeri;Anna;a@example.it;Lucca\n"),
             ("crea.csv", again)]  # fmt: skip
    options = Options(on_duplicate="skip", on_duplicate_of={"aggiorna.csv": "update", "crea.csv": "create"})
    report = execute(conn, prepare(conn, files), options)
    actions = [(o.file, o.action) for o in report.plan.outcomes]
    assert actions == [("aggiorna.csv", "update"), ("lascia.csv", "skip"), ("crea.csv", "create")]
    cards = conn.execute("SELECT display_name, city FROM clients ORDER BY client_number").fetchall()
    assert cards == [("Rossi Mario", "Pisa"), ("Neri Anna", ""), ("Rossi Mario", "Pisa")]
    chosen = conn.execute("SELECT options FROM import_batches ORDER BY batch_id DESC LIMIT 1").fetchone()[0]
    assert json.loads(chosen)["on_duplicate_of"] == {"aggiorna.csv": "update", "crea.csv": "create"}
    with pytest.raises(ValueError):
        execute(conn, prepare(conn, files), Options(on_duplicate_of={"crea.csv": "merge"}), dry_run=True)
    conn.close()
