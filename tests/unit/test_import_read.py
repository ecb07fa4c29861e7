# READ and DETECT: every encoding, delimiter and container a legacy export comes in.
import io
import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from importers.read import OLE_MAGIC, UnreadableFile, decode, read_bytes, read_tables, sniff_delimiter

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/samples is not present on this machine")


def one(data: bytes, name="clients.csv"):
    tables = read_bytes(data, name)
    assert len(tables) == 1
    return tables[0]


def code_of(data: bytes, name="x.csv", **kw) -> str:
    with pytest.raises(UnreadableFile) as info:
        read_bytes(data, name, **kw)
    return info.value.code


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp1252", "cp1252"), ("utf-16", "utf-16")],
)
def test_encodings(encoding, expected):
    text = "Cognome;Nome;Città;Note\nNicolò;Zoë;Forlì;costo 10 €\nD'Angelo;Anna;Cantù;“ok”\n"
    table = one(text.encode(encoding))
    assert table.encoding == expected
    assert table.header == ["Cognome", "Nome", "Città", "Note"]
    assert table.rows[0] == ["Nicolò", "Zoë", "Forlì", "costo 10 €"]


def test_latin1_without_euro_reads_as_cp1252_compatible():
    table = one("Nome;Città\nNicolò;Forlì\n".encode("latin-1"))
    assert table.rows == [["Nicolò", "Forlì"]]


@pytest.mark.parametrize("delimiter", [";", ",", "\t", "|"])
def test_delimiters(delimiter):
    text = delimiter.join(["a", "b", "c"]) + "\n" + delimiter.join(["1", "2,5", "x"]) + "\n"
    if delimiter == ",":
        text = 'a,b,c\n1,"2,5",x\n'
    table = one(text.encode())
    assert table.delimiter == delimiter
    assert table.rows == [["1", "2,5", "x"]]


def test_quoted_newlines_and_leading_zeros_stay():
    table = one(b'Codice;Note;CAP\n001;"prima riga\nseconda riga";00184\n')
    assert table.rows == [["001", "prima riga\nseconda riga", "00184"]]


def test_header_under_title_and_blank_rows_and_footer_total():
    text = "Elenco clienti al 31/12/2024;;\n;;\nCognome;Nome;Importo\nRossi;Mario;10\n;;\nBianchi;Anna;20\nTotale;;30\n"
    table = one(text.encode())
    assert table.header == ["Cognome", "Nome", "Importo"]
    assert table.header_row == 2
    assert table.rows == [["Rossi", "Mario", "10"], ["Bianchi", "Anna", "20"]]
    assert table.row_numbers == [4, 6]
    assert table.skipped == [(1, "preamble"), (2, "blank"), (5, "blank"), (7, "footer")]


def test_duplicate_and_empty_headers_and_ragged_rows():
    table = one(b"Phone,Name,Phone,,Notes,\n1,Anna,2,x\n3,Bea,4,y,long,extra1,extra2\n")
    assert table.header == ["Phone", "Name", "Phone (2)", "column_4", "Notes", "extra"]
    assert table.rows[0] == ["1", "Anna", "2", "x", "", ""]
    assert table.rows[1] == ["3", "Bea", "4", "y", "long", "extra1 | extra2"]
    assert table.ragged == [(2, "short"), (3, "long")]  # said: on the page, in the report and by the CLI


def test_a_trailing_delimiter_or_a_row_of_the_headers_width_is_not_ragged():
    table = one(b"Nome;Cognome;Note;\nAnna;Rossi;x;\nBea;Verdi;;\nCarlo;Neri;y\n")
    assert table.ragged == [] and table.header == ["Nome", "Cognome", "Note"]


def _xlsx(rows, sheets=("Clienti",)) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name in sheets:
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_every_sheet_text_kept():
    import datetime

    data = _xlsx([["Codice", "CAP", "Nato il", "Importo", "Attivo"],
                  ["001", "00184", datetime.date(1980, 5, 1), 12.5, True],
                  ["002", 184, datetime.datetime(1990, 1, 2), 3.0, False]], sheets=("A", "B"))  # fmt: skip
    tables = read_bytes(data, "book.xlsx")
    assert [t.source for t in tables] == ["book.xlsx#A", "book.xlsx#B"]
    assert tables[0].file_kind == "xlsx" and tables[0].sheets == ["A", "B"]
    assert tables[0].rows == [
        ["001", "00184", "1980-05-01", "12.5", "true"],
        ["002", "184", "1990-01-02", "3", "false"],
    ]


def test_merged_header_cells_group_row_and_vertical_merge():
    book = Workbook()
    sheet = book.active
    for row in (["Anagrafica clienti 2026"], [], ["Cliente", None, "Recapiti", None, "Codice fiscale"],
                ["Cognome", "Nome", "Telefono", "Email", None],
                ["Rossi", "Mario", "333 1234567", "m@x.it", "RSSMRA80A01H501U"],
                ["Bianchi", "Anna", "06 1234567", "a@x.it", "BNCNNA80A41H501U"]):  # fmt: skip
        sheet.append(row)
    sheet.merge_cells("A1:E1")
    sheet.merge_cells("A3:B3")
    sheet.merge_cells("C3:D3")
    sheet.merge_cells("E3:E4")
    buffer = io.BytesIO()
    book.save(buffer)
    (table,) = read_bytes(buffer.getvalue(), "merged.xlsx")
    assert table.header == ["Cognome", "Nome", "Telefono", "Email", "Codice fiscale"]
    assert table.rows[0] == ["Rossi", "Mario", "333 1234567", "m@x.it", "RSSMRA80A01H501U"]
    assert len(table.rows) == 2 and table.row_numbers == [5, 6]
    assert (3, "preamble") in table.skipped


def test_merged_cells_in_data_rows_are_filled_not_dropped():
    book = Workbook()
    sheet = book.active
    for row in (["Condominio", "Amministratore", "Città"], ["Via Roma 1", "Studio Neri", "Milano"],
                ["Via Roma 3", None, None]):  # fmt: skip
        sheet.append(row)
    sheet.merge_cells("B2:B3")
    sheet.merge_cells("C2:C3")
    buffer = io.BytesIO()
    book.save(buffer)
    (table,) = read_bytes(buffer.getvalue(), "condomini.xlsx")
    assert table.header == ["Condominio", "Amministratore", "Città"]
    assert table.rows == [["Via Roma 1", "Studio Neri", "Milano"], ["Via Roma 3", "Studio Neri", "Milano"]]


def test_xls_that_is_really_html_or_csv():
    html = b"<html><body><table><tr><th>Nome</th><th>Citt&agrave;</th></tr><tr><td>Anna</td><td>Roma</td></tr></table>"
    table = one(html, "export.xls")
    assert (table.file_kind, table.header, table.rows) == ("html", ["Nome", "Città"], [["Anna", "Roma"]])
    table = one(b"Nome;Citta\nAnna;Roma\n", "export.xls")
    assert table.file_kind == "csv" and table.rows == [["Anna", "Roma"]]


def test_zip_of_two_csv_files():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.csv", "Nome;Citta\nAnna;Roma\n")
        archive.writestr("sub/b.csv", "Nome,Citta\nBea,Milano\n")
        archive.writestr("__MACOSX/._a.csv", "junk")
    tables = read_bytes(buffer.getvalue(), "export.zip")
    assert [t.source for t in tables] == ["export.zip/a.csv", "export.zip/sub/b.csv"]
    assert [t.rows for t in tables] == [[["Anna", "Roma"]], [["Bea", "Milano"]]]


def test_zip_bomb_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("bomb.csv", "w") as member:
        chunk = b"0" * (1024 * 1024)
        for _ in range(300):
            member.write(chunk)
    assert len(buffer.getvalue()) < 2 * 1024 * 1024
    assert code_of(buffer.getvalue(), "bomb.zip") == "import.read.zip_bomb"


@pytest.mark.parametrize(
    ("data", "name", "code", "kw"),
    [
        (b"", "empty.csv", "import.read.empty", {}),
        (b"\n\n  \n", "blank.csv", "import.read.empty", {}),
        (b"Nome;Cognome\n", "header.csv", "import.read.header_only", {}),
        (bytes(range(256)) * 40, "garbage.csv", "import.read.binary", {}),
        (OLE_MAGIC + b"\x00" * 100 + "EncryptedPackage".encode("utf-16-le"), "locked.xlsx", "import.read.password", {}),
        (b"a;b\n1;2\n" * 100, "big.csv", "import.read.too_large", {"max_bytes": 100}),
        (b"PK\x03\x04garbage", "broken.xlsx", "import.read.corrupt", {}),
        (b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaa'>]><r><i><a>&a;</a><b>1</b></i></r>", "x.xml",
         "import.xml.unsafe", {}),
    ],
)  # fmt: skip
def test_bad_input_gets_a_clear_code(data, name, code, kw):
    assert code_of(data, name, **kw) == code


def test_too_large_is_checked_before_reading(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"a;b\n1;2\n" * 1000)
    with pytest.raises(UnreadableFile) as info:
        read_tables(path, max_bytes=100)
    assert info.value.code == "import.read.too_large" and info.value.params["file"] == "big.csv"


def test_json_lists_of_objects_become_tables():
    document = {"clients": [{"name": "Anna", "address": {"city": "Roma", "zip": "00184"}, "tags": ["a", "b"]},
                            {"name": "Bea", "address": {"city": "Milano"}}]}  # fmt: skip
    table = one(json.dumps(document).encode(), "clients.json")
    assert table.header == ["name", "address.city", "address.zip", "tags"]
    assert table.rows == [["Anna", "Roma", "00184", "a; b"], ["Bea", "Milano", "", ""]]


def test_xml_records_and_lying_encoding_declaration():
    xml = '<?xml version="1.0" encoding="UTF-8"?><Export><Rec><Nome>Nicolò</Nome><Citta>Forlì</Citta></Rec>'
    xml += "<Rec><Nome>Anna</Nome><Citta>Roma</Citta></Rec></Export>"
    table = one(xml.encode("latin-1"), "export.xml")
    assert table.rows == [["Nicolò", "Forlì"], ["Anna", "Roma"]]


def test_xml_records_keep_their_nested_fields():
    """A record's nested fields (a document's lines, an RPS's items) become columns named by their path; a field
    of several lines keeps every value. Nothing is left out."""
    xml = "<Lote><RPS><Numero>1</Numero><Cliente>Ana</Cliente><Itens><Item><Valor>10.00</Valor><Desc>A</Desc></Item>"
    xml += "<Item><Valor>5.00</Valor><Desc></Desc></Item></Itens></RPS><RPS><Numero>2</Numero><Cliente>Bia</Cliente>"
    xml += "<Itens><Item><Valor>7.50</Valor><Desc>C</Desc></Item></Itens></RPS></Lote>"
    table = one(xml.encode(), "lote.xml")
    assert table.header == ["Numero", "Cliente", "Itens.Item.Valor", "Itens.Item.Desc"]
    assert table.rows == [["1", "Ana", "10.00; 5.00", "A"], ["2", "Bia", "7.50", "C"]]


def test_fatturapa_is_recognised_not_read_as_table():
    table = one(b'<?xml version="1.0"?><p:FatturaElettronica versione="FPR12"></p:FatturaElettronica>', "a.xml")
    assert table.file_kind == "fatturapa" and table.data.startswith(b"<?xml")


def test_sniffer_prefers_consistent_widths():
    assert sniff_delimiter('a;b;c\n"x, y";2;3\n4;5;6\n') == ";"
    assert sniff_delimiter("a,b\n1,2\n") == ","


def test_decode_refuses_binary():
    with pytest.raises(UnreadableFile):
        decode(b"\x00\x01\x02\x03" * 100, "x")


EXPECTED = {
    # file: [(table source suffix, header[:3], data rows)]
    "openstamanager_example-anagrafiche.csv": [("", ["Codice", "Ragione sociale", "Nome"], 1)],
    "invoiceninja_vendors.csv": [("", ["Name", "Balance", "Paid to Date"], 20)],
    "invoiceninja_wave_clients.csv": [("", ["customer_name", "email", "contact_first_name"], 4)],
    "invoiceninja_zoho_contacts.csv": [("", ["Created Time", "Last Modified Time", "Display Name"], 5)],
    "invoiceninja_freshbooks_invoices.csv": [("", ["Client Name", "Invoice #", "Date Issued"], 3)],
    "invoiceninja_invoicely_invoices.csv": [("", ["Date", "Due", "Details"], 1)],
    "invoiceninja_i2g_invoices.csv": [("", ["Id", "AccountId", "State"], 4)],
    "roundcube_gmail.csv": [("", ["Name", "Given Name", "Additional Name"], 1)],
    "roundcube_tb_plain.csv": [("", ["First Name", "Last Name", "Display Name"], 1)],
    "roundcube_all.csv": [("", ["Display Name", "Title", "First Name"], 1)],
    "akaunting_customers.xlsx": [("#customers", ["name", "email", "tax_number"], 1)],
    "easyfatt_Documents_kml.DefXml": [("#Document", ["CustomerCode", "CustomerWebLogin", "CustomerName"], 2)],
}


@needs_samples
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_exports(name):
    tables = read_tables(SAMPLES / "crm_exports" / name)
    got = [(t.source.removeprefix(name), t.header[:3], len(t.rows)) for t in tables]
    assert got == EXPECTED[name]


@needs_samples
def test_real_export_details():
    vendors = read_tables(SAMPLES / "crm_exports" / "invoiceninja_vendors.csv")[0]
    assert vendors.header_row == 3 and vendors.header[-1] == "Phone (2)"
    assert vendors.rows[1][vendors.header.index("Billing Postal Code")] == "5144"
    ose = read_tables(SAMPLES / "crm_exports" / "openstamanager_example-anagrafiche.csv")[0]
    assert ose.delimiter == ";" and ose.rows[0][0] == "001"
    assert ose.rows[0][ose.header.index("IBAN")] == "IT60 X054 2811 1010 0000 0123 456"
    zoho = read_tables(SAMPLES / "crm_exports" / "invoiceninja_zoho_contacts.csv")[0]
    assert "2520018000000073005" in zoho.rows[0]
    tb = read_tables(SAMPLES / "crm_exports" / "roundcube_tb_plain.csv")[0]
    assert len(tb.header) == 37 and tb.header[-1] == "Notes"  # the trailing comma adds no column
    bills = read_tables(SAMPLES / "crm_exports" / "akaunting_bills.xlsx")
    assert bills[0].sheets == ["bills", "bill_items", "bill_item_taxes", "bill_histories", "bill_totals",
                               "bill_transactions"]  # fmt: skip
    assert bills[0].rows[0][bills[0].header.index("billed_at")] == "2020-01-01"
    wave = read_tables(SAMPLES / "crm_exports" / "invoiceninja_wave_clients.csv")[0]
    assert wave.rows[0][wave.header.index("city")] == "Glasgow, Scotland"


@needs_samples
@pytest.mark.parametrize(
    "name", ["nfse_teresina_retorno_consultalote29044.xml", "nfse_belem_retorno_consultalote29051.xml"]
)
def test_brazilian_xml_encodings(name):
    table = read_tables(SAMPLES / "crm_exports" / name)[0]
    text = " ".join(" ".join(r) for r in table.rows)
    assert "Ã" not in text  # no mojibake


def _tables_as_lists(tables) -> list:
    return [(t.source, t.header, t.header_row, [list(r) for r in t.rows], t.row_numbers, t.skipped) for t in tables]


def test_a_workbook_parsed_ahead_is_read_as_the_reader_reads_it(tmp_path, monkeypatch):
    import datetime

    from importers import ahead

    monkeypatch.setattr(ahead, "MIN_BYTES", 0)
    rows = [["Titolo"], [], ["Cognome", "CAP", "Nato il"], *[[f"Rossi {i}", f"{i:05d}", datetime.date(1980, 1, 2)]
                                                            for i in range(50)]]  # fmt: skip
    book, other = tmp_path / "clienti.xlsx", tmp_path / "altro.xlsx"
    workbook = Workbook()
    for name, sheet_rows in (("A", rows), ("B", [["Nome", "Città"], ["Anna", "Roma"], ["Bea", "Bari"]])):
        sheet = workbook.create_sheet(name)
        for row in sheet_rows:
            sheet.append(row)
    workbook.remove(workbook.worksheets[0])
    workbook.save(book)
    other.write_bytes(_xlsx(rows[:10]))
    expected = _tables_as_lists(read_tables(book))
    ahead.start(["--db", str(tmp_path / "x.duckdb"), str(book), str(tmp_path / "missing.xlsx"), "notes.txt"])
    assert len(ahead._started) == 1
    assert _tables_as_lists(read_tables(other)) == _tables_as_lists(read_tables(other))  # other bytes: not taken
    assert len(ahead._started) == 1
    assert _tables_as_lists(read_tables(book)) == expected
    assert not ahead._started  # taken by the reader, once


def test_a_damaged_workbook_parsed_ahead_gets_the_readers_message(tmp_path, monkeypatch):
    from importers import ahead

    monkeypatch.setattr(ahead, "MIN_BYTES", 0)
    path = tmp_path / "rotto.xlsx"
    data = bytearray(_xlsx([["Cognome"], ["Rossi"]]))
    data[len(data) // 2 : len(data) // 2 + 200] = b"\x00" * 200  # the sheet's compressed data damaged
    path.write_bytes(bytes(data))
    with pytest.raises(UnreadableFile) as plain:
        read_tables(path)
    ahead.start([str(path)])
    with pytest.raises(UnreadableFile) as read_ahead:
        read_tables(path)
    assert read_ahead.value.code == plain.value.code and not ahead._started


_ODS_CELL = '<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>'


_ODS_MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                 'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                 '<manifest:file-entry manifest:full-path="/" '
                 'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                 '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                 "</manifest:manifest>")  # fmt: skip


def _ods(sheets: dict[str, list[list[str]]]) -> bytes:
    body = "".join(
        f'<table:table table:name="{name}">'
        + "".join(
            "<table:table-row>" + "".join(_ODS_CELL.format(c) for c in row) + "</table:table-row>" for row in rows
        )
        + "</table:table>"
        for name, rows in sheets.items()
    )
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f"<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>")  # fmt: skip
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", _ODS_MANIFEST)
    return out.getvalue()


def test_an_ods_workbook_offers_every_sheet():
    tables = read_bytes(_ods({"Clienti": [["Cognome", "Nome"], ["Rossi", "Mario"]],
                              "Altri": [["Cognome", "Nome"], ["Verdi", "Luca"], ["Neri", "Anna"]]}), "c.ods")  # fmt: skip
    assert [(t.file_kind, t.source, t.rows) for t in tables] == [
        ("ods", "c.ods#Clienti", [["Rossi", "Mario"]]), ("ods", "c.ods#Altri", [["Verdi", "Luca"], ["Neri", "Anna"]])]  # fmt: skip


def test_a_macro_workbook_gives_the_cached_values_of_its_formulas():
    """An .xlsm whose cell C3 is the formula C2*2, saved with its value 20: the value is read, not the formula."""
    book = io.BytesIO(_xlsx([["Cognome", "Nome", "Importo"], ["Rossi", "Mario", 10], ["Bianchi", "Anna", 20]]))
    out = io.BytesIO()
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<c r="C3" t="n"><v>20</v></c>', b'<c r="C3"><f>C2*2</f><v>20</v></c>')
                assert b"<f>C2*2</f>" in data
            target.writestr(info, data)
    (table,) = read_bytes(out.getvalue(), "conti.xlsm")
    assert table.rows == [["Rossi", "Mario", "10"], ["Bianchi", "Anna", "20"]]
