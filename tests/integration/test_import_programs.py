# Other programs' exports imported end to end, as a person reading them sees them: the real samples in
# ../shared/samples, the layouts of known programs (Akaunting, Easyfatt, NFS-e, Tessera Sanitaria, e-invoices), and
# invoice history (a document listed twice, an invoice's lines).
import json

import pytest

from core import services
from core.store import UnitOfWork, connect
from tests.integration.helpers import SAMPLES, cli, clients, needs_samples, run_import, write_csv


@needs_samples
@pytest.mark.parametrize(
    "name", sorted(p.name for p in (SAMPLES / "crm_exports").iterdir()) if SAMPLES.is_dir() else []
)
def test_every_real_export_is_accounted_for(tmp_path, name):
    """What a person reading each file sees: its rows, the cards and invoices they make (the first card's name)."""
    report, _ = run_import(tmp_path, SAMPLES / "crm_exports" / name)
    counts = tuple(report[k] for k in ("rows_read", "created", "updated", "skipped", "rejected"))
    conn = connect(tmp_path / "import.duckdb")
    names = [r[0] for r in conn.execute("SELECT display_name FROM clients ORDER BY client_number").fetchall()]
    invoices = conn.execute("SELECT count(*) FROM imported_invoices").fetchone()[0]
    conn.close()
    expected_counts, expected_invoices, first = REAL_EXPORTS[name]
    assert (counts, invoices) == (expected_counts, expected_invoices)
    assert first is ... or (names[0] if names else None) == first


# file: ((rows, created, updated, skipped, rejected), invoices, first card's name; ... where this test says nothing
# of it). Easyfatt's sample lists its document twice; Fatture in Cloud's API samples show the same two clients five
# times; Akaunting's bills and NFS-e responses hold no client; the NFS-e batch's RPS carries its amount in its items.
REAL_EXPORTS = {
    "akaunting_bills.xlsx": ((8, 0, 0, 0, 8), 0, None),
    "akaunting_customers.xlsx": ((1, 1, 0, 0, 0), 0, "Customer Test"),
    "easyfatt_Documents_kml.DefXml": ((2, 1, 0, 1, 0), 1, ...),
    "fattureincloud_ClientsApi.json": ((5, 2, 0, 3, 0), 0, "Rossi Maria"),
    "invoiceninja_freshbooks_invoices.csv": ((3, 1, 2, 0, 0), 1, "X-Men"),
    "invoiceninja_i2g_invoices.csv": ((4, 4, 0, 0, 0), 4, "Gordon Barry"),
    "invoiceninja_invoicely_invoices.csv": ((1, 1, 0, 0, 0), 1, "Wayne Bruce"),
    "invoiceninja_vendors.csv": ((20, 20, 0, 0, 0), 0, "Ondricka Terrill"),
    "invoiceninja_wave_clients.csv": ((4, 4, 0, 0, 0), 0, ...),
    "invoiceninja_zoho_contacts.csv": ((5, 5, 0, 0, 0), 0, "Avengers"),
    "nfse_belem_Lote_TomadorEstrangeiro.xml": ((1, 1, 0, 0, 0), 1, "International Corporation"),
    "nfse_belem_retorno_consultalote29051.xml": ((1, 0, 0, 0, 1), 0, None),
    "nfse_teresina_retorno_consultalote29044.xml": ((1, 0, 0, 0, 1), 0, None),
    "openstamanager_example-anagrafiche.csv": ((1, 1, 0, 0, 0), 0, "Rossi Mario"),
    "roundcube_all.csv": ((1, 1, 0, 0, 0), 0, "Last Name First Name"),
    "roundcube_gmail.csv": ((1, 1, 0, 0, 0), 0, "Lastname Firstname"),
    "roundcube_tb_plain.csv": ((1, 1, 0, 0, 0), 0, "Lastname Firstname"),
}


@needs_samples
def test_real_exports_as_a_person_reads_them(tmp_path):
    db = tmp_path / "real.duckdb"
    report, _ = run_import(tmp_path, SAMPLES / "crm_exports" / "openstamanager_example-anagrafiche.csv", db=db)
    (card,) = clients(db)
    assert (card["kind"], card["first_name"], card["last_name"], card["city"], card["province"]) == (
        "private", "Mario", "Rossi", "Este", "PD",
    )  # fmt: skip
    assert card["pec"] == "email@pec.it" and card["needs_review"]  # "12345" is no SdI code: kept, flagged
    assert json.loads(card["custom_fields"])["IBAN"] == "IT60 X054 2811 1010 0000 0123 456"
    report, _ = run_import(tmp_path, SAMPLES / "crm_exports" / "invoiceninja_vendors.csv", db=tmp_path / "v.duckdb")
    assert report["rows_read"] == 20 and report["created"] == 20
    report, _ = run_import(
        tmp_path, SAMPLES / "crm_exports" / "invoiceninja_freshbooks_invoices.csv", db=tmp_path / "f.duckdb"
    )
    conn = connect(tmp_path / "f.duckdb")
    assert report["rows_read"] == 3 and report["files"][0]["profile"] == "freshbooks"
    assert conn.execute("SELECT number, total::VARCHAR, issue_date::VARCHAR FROM imported_invoices").fetchall() == [
        ("0000001", "7890.00", "2021-01-28")  # its three lines (650 + 490 + 6,750), summed; leading zeros kept
    ]
    assert conn.execute("SELECT display_name, last_invoice_date::VARCHAR FROM clients").fetchall()[0][1] == "2021-01-28"
    conn.close()


@needs_samples
def test_an_akaunting_workbook_of_supplier_bills_creates_no_client(tmp_path):
    """Its six sheets hold one supplier's bill and that bill's lines, history, totals and payment: none is a client
    (the totals once became cards named "bills.total"). Each row is reported, with what it is."""
    report, _ = run_import(tmp_path, SAMPLES / "crm_exports" / "akaunting_bills.xlsx")
    assert (report["rows_read"], report["rejected"], report["created"]) == (8, 8, 0)
    assert {f["table"] for f in report["files"]} == {"other"} and clients(tmp_path / "import.duckdb") == []
    said = {e["file"].split("#")[1]: e["message"] for e in report["errors"]}
    assert "supplier's bill" in said["bills"] and "not a client record" in said["bill_totals"]


@needs_samples
def test_tessera_sanitaria_submissions_name_no_client(tmp_path):
    """The official 730 samples: one expense document each (the doctor's two lines are one document), its patient an
    encrypted codice fiscale. Said so, row by row."""
    files = sorted((SAMPLES / "tessera_sanitaria").glob("*.xml"))
    report, _ = run_import(tmp_path, *files)
    assert (report["rows_read"], report["rejected"]) == (3, 3) and clients(tmp_path / "import.duckdb") == []
    assert {f["profile"] for f in report["files"]} == {"tessera_sanitaria"}
    assert all("Sistema TS" in e["message"] for e in report["errors"])


def test_akaunting_invoices_become_invoice_history(tmp_path):
    """Akaunting's invoice export (its older customer_* columns, as in its import template)."""
    header = ["invoice_number", "order_number", "invoice_status_code", "invoiced_at", "due_at", "amount",
              "currency_code", "currency_rate", "customer_id", "customer_name", "customer_email", "customer_tax_number",
              "customer_phone", "customer_address", "notes"]  # fmt: skip
    rows = [["INV-00001", "", "sent", "2024-11-30", "2024-12-07", "122.0000", "EUR", "1.00000000", "1", "Studio Verdi",
             "info@verdi.it", "00743110157", "", "", ""],
            ["INV-00002", "", "paid", "2024-12-15", "2024-12-22", "61.0000", "EUR", "1.00000000", "1", "Studio Verdi",
             "info@verdi.it", "00743110157", "", "", ""]]  # fmt: skip
    report, _ = run_import(tmp_path, write_csv(tmp_path / "invoices.csv", [header, *rows], delimiter=","))
    assert report["files"][0]["profile"] == "akaunting_invoices" and report["rejected"] == 0
    (card,) = clients(tmp_path / "import.duckdb")
    assert (card["display_name"], card["vat_number"], list(card["emails"])) == ("Studio Verdi", "00743110157",
                                                                                ["info@verdi.it"])  # fmt: skip
    conn = connect(tmp_path / "import.duckdb")
    assert conn.execute("SELECT number, issue_date::VARCHAR, total::VARCHAR FROM imported_invoices ORDER BY number"
                        ).fetchall() == [("INV-00001", "2024-11-30", "122.00"), ("INV-00002", "2024-12-15", "61.00")]  # fmt: skip
    conn.close()


def test_a_document_listed_twice_is_counted_once_and_lines_are_summed(tmp_path):
    """A program that exports whole documents (Akaunting here) lists an invoice twice only when it is the same one:
    counted once, said. A table of unknown layout may list an invoice's lines: its rows are summed."""
    header = ["invoice_number", "invoiced_at", "amount", "currency_code", "customer_name", "customer_email"]
    row = ["INV-7", "2024-11-30", "122.00", "EUR", "Studio Verdi", "info@verdi.it"]
    report, _ = run_import(tmp_path, write_csv(tmp_path / "docs.csv", [header, row, row], delimiter=","))
    assert (report["created"], report["skipped"], report["duplicates"]) == (1, 1, 1)
    assert "INV-7 appears again" in report["errors"][-1]["message"]
    lines = [["Numero fattura", "Data fattura", "Cliente", "Totale"], ["7", "30/11/2024", "Studio Bianchi", "100,00"],
             ["7", "30/11/2024", "Studio Bianchi", "22,00"]]  # fmt: skip
    report, _ = run_import(tmp_path, write_csv(tmp_path / "lines.csv", lines), db=tmp_path / "lines.duckdb")
    assert (report["created"], report["updated"]) == (1, 1)
    totals = {}
    for db in ("import.duckdb", "lines.duckdb"):
        conn = connect(tmp_path / db)
        totals[db] = conn.execute("SELECT number, total::VARCHAR FROM imported_invoices").fetchall()
        conn.close()
    assert totals == {"import.duckdb": [("INV-7", "122.00")], "lines.duckdb": [("7", "122.00")]}


def test_an_nfse_rps_of_several_items_is_one_invoice_of_their_total(tmp_path):
    def rps(number, client, *amounts):
        items = "".join(f"<Item><DiscriminacaoServico>S{i}</DiscriminacaoServico><ValorTotal>{a}</ValorTotal></Item>"
                        for i, a in enumerate(amounts))  # fmt: skip
        return (f"<RPS><NumeroRPS>{number}</NumeroRPS><DataEmissaoRPS>2024-03-0{number}T00:00:00</DataEmissaoRPS>"
                f"<CPFCNPJTomador>39053344705</CPFCNPJTomador><RazaoSocialTomador>{client}</RazaoSocialTomador>"
                f"<EmailTomador>c{number}@exemplo.com.br</EmailTomador><Itens>{items}</Itens></RPS>")  # fmt: skip

    source = tmp_path / "lote.xml"
    source.write_text(
        f"<Lote>{rps(1, 'Padaria Silva Ltda', '10.00', '5.50')}{rps(2, 'Padaria Silva Ltda', '7.00')}</Lote>"
    )
    report, _ = run_import(tmp_path, source)
    assert report["files"][0]["profile"] == "nfse" and report["rejected"] == 0
    conn = connect(tmp_path / "import.duckdb")
    assert conn.execute("SELECT number, total::VARCHAR, currency FROM imported_invoices ORDER BY number").fetchall() == [
        ("1", "15.50", "BRL"), ("2", "7.00", "BRL")]  # fmt: skip
    conn.close()


@needs_samples
def test_an_easyfatt_document_listed_twice_is_counted_once(tmp_path):
    report, _ = run_import(tmp_path, SAMPLES / "crm_exports" / "easyfatt_Documents_kml.DefXml")
    assert (report["rows_read"], report["created"], report["skipped"]) == (2, 1, 1)
    conn = connect(tmp_path / "import.duckdb")
    assert conn.execute("SELECT number, issue_date::VARCHAR, total::VARCHAR FROM imported_invoices").fetchall() == [
        ("725", "2023-01-30", "112.50")  # was 225.00: the document's total twice
    ]
    conn.close()


@needs_samples
def test_a_folder_of_e_invoices(tmp_path):
    files = sorted((SAMPLES / "fatturapa").glob("*.xml"))
    report, _ = run_import(tmp_path, *files)
    assert report["rows_read"] == len(files) + 2  # two "lotto" files hold two invoices each
    assert report["rejected"] == 1  # the header-only sample, with its reason
    conn = connect(tmp_path / "import.duckdb")
    beta = conn.execute("SELECT count(*) FROM clients WHERE lower(display_name) = 'amministrazione beta'").fetchone()[0]
    assert beta == 1  # the same buyer across files is one card
    invoices = conn.execute(
        "SELECT source, number, issue_date::VARCHAR, total::VARCHAR FROM imported_invoices"
    ).fetchall()
    assert len(invoices) == 16 and ("IT01234567890_FPA01.xml", "123", "2017-01-18", "6.10") in invoices
    # the same issuer's invoice 123 of the same day for the same client, in three more files: counted once (they were
    # summed into one wrong total); another issuer's invoice 123 of the same day is its own
    again = sorted(e["file"] for e in report["errors"] if "appears again" in e["message"])
    assert again == ["IT01234567890_FPA02.xml", "IT01234567890_FPR02.xml", "IT01234567890_FPR03.xml"]
    assert ("IT02780790107_11004.xml", "123", "2014-12-18", "41.48") in invoices
    assert report["skipped"] == 3 and report["created"] + report["updated"] == 16
    conn.close()


@needs_samples
def test_the_folder_itself_imports_as_its_files_do(tmp_path):
    folder = SAMPLES / "fatturapa"
    by_files, _ = run_import(tmp_path / "files", *sorted(folder.glob("*.xml")))
    by_folder, _ = run_import(tmp_path / "folder", folder)
    keys = ("rows_read", "created", "updated", "skipped", "rejected", "flagged", "duplicates")
    assert [by_folder[k] for k in keys] == [by_files[k] for k in keys]

    def invoices(db):
        conn = connect(db)
        found = conn.execute("SELECT source, number, issue_date::VARCHAR, total::VARCHAR FROM imported_invoices "
                             "ORDER BY ALL").fetchall()  # fmt: skip
        conn.close()
        return found

    assert invoices(tmp_path / "folder" / "import.duckdb") == [
        (f"fatturapa/{source}", *rest) for source, *rest in invoices(tmp_path / "files" / "import.duckdb")
    ]


def test_a_carepatron_or_simplepractice_client_export(tmp_path):
    source = tmp_path / "clients.csv"
    source.write_text("Client ID,First Name,Last Name,Date of Birth,Email,Phone Number,Status\n"
                      "1001,JANE,DOE,03/14/1985,jane@example.com,,Active\n"
                      "1002,John,Smith,12/25/1990,john@example.com,,Inactive\n")  # fmt: skip
    report, _ = run_import(tmp_path, source)
    assert report["files"][0]["profile"] == "carepatron" and (report["created"], report["flagged"]) == (2, 0)
    cards = {c["last_name"]: c for c in clients(tmp_path / "import.duckdb")}
    assert (cards["Doe"]["first_name"], str(cards["Doe"]["birth_date"])[:10]) == ("Jane", "1985-03-14")  # month first
    assert json.loads(cards["Smith"]["custom_fields"]) == {"Client ID": "1002", "Status": "Inactive"}


def test_phones_without_a_prefix_are_read_for_the_region_given_or_the_apps_setting(tmp_path):
    """A US export's "(415) 867-5309" is not an Italian number: `--region US` (or the region chosen in the app's
    sidebar, which the CLI reads from the database) reads it as +1; an unknown code stops before anything is read."""
    source = tmp_path / "clients.csv"
    source.write_text("Client ID,First Name,Last Name,Phone Number\n1001,Jane,Doe,(415) 867-5309\n")
    italian, _ = run_import(tmp_path, source, db=tmp_path / "it.duckdb")
    assert italian["flagged"] == 1 and clients(tmp_path / "it.duckdb")[0]["needs_review"]
    given, _ = run_import(tmp_path, source, db=tmp_path / "us.duckdb", extra=("--region", "us"))
    assert given["flagged"] == 0 and clients(tmp_path / "us.duckdb")[0]["phones"] == ["+14158675309"]

    conn = connect(tmp_path / "setting.duckdb")
    services.set_setting(UnitOfWork(conn), "phone_region", "US")
    conn.close()
    run_import(tmp_path, source, db=tmp_path / "setting.duckdb")
    assert clients(tmp_path / "setting.duckdb")[0]["phones"] == ["+14158675309"]

    wrong = cli("import", source, "--db", tmp_path / "x.duckdb", "--region", "XX")
    assert wrong.returncode == 2 and "XX is not a country code for phone numbers" in wrong.stderr
    assert not (tmp_path / "x.duckdb").exists()


def test_a_mapping_the_user_corrected_is_used_for_the_next_file_of_that_layout(tmp_path):
    db = tmp_path / "m.duckdb"
    header = ["Col A", "Col B", "Col C"]
    mapping = tmp_path / "m.json"
    mapping.write_text(json.dumps({"Col A": "last_name", "Col B": "first_name", "Col C": "city"}))
    run_import(tmp_path, write_csv(tmp_path / "a.csv", [header, ["Verdi", "Luca", "Pisa"]]), db=db,
               extra=("--mapping", mapping))  # fmt: skip
    report, _ = run_import(tmp_path, write_csv(tmp_path / "b.csv", [header, ["Neri", "Anna", "Lucca"]]), db=db)
    assert report["created"] == 1
    anna = next(c for c in clients(db) if c["first_name"] == "Anna")
    assert (anna["last_name"], anna["city"], anna["custom_fields"]) == ("Neri", "Lucca", "{}")


@pytest.mark.parametrize("chunked", [False, True])
def test_a_signed_e_invoice_file_imports_as_its_xml_does(tmp_path, chunked):
    from tests.unit.test_fatturapa import MINIMAL, _p7m

    source = tmp_path / "IT01234567890_00007.xml.p7m"
    source.write_bytes(_p7m(MINIMAL, chunked))
    report, _ = run_import(tmp_path, source)
    assert (report["rows_read"], report["created"], report["rejected"]) == (1, 1, 0)
    conn = connect(tmp_path / "import.duckdb")
    found = conn.execute("SELECT c.display_name, c.tax_code, i.number, i.total::VARCHAR FROM imported_invoices i "
                         "JOIN clients c USING (client_number)").fetchall()  # fmt: skip
    conn.close()
    assert found == [("Bianchi Giulia", "BNCGLI87D52H501V", "2026/0007", "70.00")]
