# Large plain files are read column-wise by Arrow (importers/columnar.py); wherever that path answers, the
# table must be the one csv.reader + detect.shape make of the same text: header, rows, line numbers, every
# row set aside. Elsewhere it must step aside.
import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import importers.columnar
from importers.columnar import ArrowRows
from importers.read import UnreadableFile, read_bytes

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/samples is not present on this machine")


def _read(data: bytes, name: str, columnar: bool):
    defaults = importers.columnar.MIN_CHARS, importers.columnar.MIN_SHEET_ROWS
    importers.columnar.MIN_CHARS = importers.columnar.MIN_SHEET_ROWS = 0 if columnar else 1 << 62
    try:
        return read_bytes(data, name)
    except UnreadableFile as exc:
        return exc.code
    finally:
        importers.columnar.MIN_CHARS, importers.columnar.MIN_SHEET_ROWS = defaults


def both_ways(data: bytes, name: str = "x.csv"):
    fast, plain = _read(data, name, True), _read(data, name, False)
    assert fast == plain
    return fast


CELLS = ["Rossi", "Mario", "", " ", "  \u00a0", "Totale", "TOTALE 12", "03100", "1.234,50", "Nicolò", "\u2003x", "a b",
         "\x1c", "x\ty", "'0012", "NULL", "é€", '"a;b"', '"x""y"', '"two\nlines"', '""', 'a"b', '"ab"c', '"', ' "q"',
         '"\r\n"', '"a\n\nb"']  # fmt: skip


@st.composite
def texts(draw):
    width = draw(st.integers(1, 5))
    header = draw(st.lists(st.sampled_from(["Cognome", "Nome", "CAP", "Città", "", "Note", "Nome"]), min_size=width,
                           max_size=width))  # fmt: skip
    lines = draw(st.lists(st.sampled_from(["Anagrafica clienti", "", "Esportato il 01/02/2025"]), max_size=3))
    quoted = draw(st.booleans())  # many exports quote every header cell
    lines.append(";".join(f'"{h}"' if quoted else h for h in header) + draw(st.sampled_from(["", ";", ";;"])))
    rows = draw(st.lists(st.lists(st.sampled_from(CELLS), min_size=width, max_size=width), min_size=1, max_size=60))
    tidy = draw(st.booleans())  # a tidy export (the Arrow path's), or one with odd lines (the csv module's)
    for row in rows:
        lines.append(";".join(row) + ("" if tidy else draw(st.sampled_from(["", "", "", ";", ";x", "\r"]))))
    lines += draw(st.lists(st.sampled_from(["Totale;;", ";" * width, "Totale clienti: 3"] + [""] * (not tidy)),
                           max_size=2))  # fmt: skip
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    end = draw(st.sampled_from(["", newline] + [newline * 2] * (not tidy)))
    return newline.join(lines) + end


@settings(max_examples=500, deadline=None)
@given(texts(), st.sampled_from(["utf-8", "cp1252"]))
def test_plain_text_is_read_alike_both_ways(text, encoding):
    both_ways(text.encode(encoding, errors="replace"))


def test_a_large_plain_file_is_held_as_arrow_columns():
    rows = [f"Rossi {i};Mario;{i:05d};Via Roma {i}" for i in range(20_000)]
    data = ("Anagrafica\n\nCognome;Nome;CAP;Indirizzo\n" + "\n".join(rows) + "\n;;;\nTotale;;;\n").encode()
    table = both_ways(data)[0]
    assert isinstance(table.rows, ArrowRows) and len(table.rows) == 20_000
    assert table.rows[0] == ["Rossi 0", "Mario", "00000", "Via Roma 0"]
    assert table.rows[-1] == ["Rossi 19999", "Mario", "19999", "Via Roma 19999"]
    assert table.row_numbers[:2] == [4, 5] and table.skipped[-2:] == [(20_004, "blank"), (20_005, "footer")]


@pytest.mark.parametrize("text", [
    'Cognome;"No\nme";Note\nRossi;Mario;"a; b"\n',  # a header cell over two lines: the csv module's
    "Cognome;Nome;Note\nRossi;Mario\nBianchi;Anna;x\n",  # a short row
    "Cognome;Nome;Note\nRossi;Mario;x;y\n",  # cells beyond the header: an "extra" column
    "Cognome;Nome;Note\nRossi;Mario;x\n\nBianchi;Anna;y\n",  # an empty line among the rows
    "Cognome;Nome;Note\rRossi;Mario;x\r",  # old Mac line ends
])  # fmt: skip
def test_what_the_arrow_path_leaves_to_the_csv_module(text):
    table = both_ways(text.encode())[0]
    assert isinstance(table.rows, list)


@needs_samples
@pytest.mark.parametrize("path", sorted(p for p in (SAMPLES / "crm_exports").glob("*") if p.is_file()),
                         ids=lambda p: p.name)  # fmt: skip
def test_real_exports_are_read_alike_both_ways(path):
    both_ways(path.read_bytes(), path.name)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab;\r\n\x0b\x1c\u2028", max_size=80), st.integers(0, 12), st.integers(1, 9))
def test_the_first_lines_are_those_of_the_whole_text(text, count, size):
    from importers.read import first_lines

    assert first_lines(text, count, size) == text.splitlines()[:count]


@pytest.mark.parametrize("newline", ["\n", "\r\n", ""])
@pytest.mark.parametrize("cell", ['"ab"c', '"', '"unterminated', '"a""', '"two\nlines"', '"x\r\ny"', '"a;b"', 'a"b'])
@pytest.mark.parametrize("rows", [(3, 9), (0,)])
@pytest.mark.parametrize("header", ["Nome;Note", '"Nome";"Note"', '"No;me";"""Note"""'])
def test_quoted_and_badly_quoted_cells_are_read_as_the_csv_module_reads_them(newline, cell, rows, header):
    lines = [f"Rossi{i};{cell if i in rows else 'ok'}" for i in range(10)]
    text = header + (newline or "\n") + (newline or "\n").join(lines) + newline
    table = both_ways(text.encode())[0]
    assert isinstance(table.rows, ArrowRows)


def test_an_invoice_table_held_as_arrow_is_imported_as_a_plain_one(tmp_path):
    import importers.run as run
    from core.store import connect
    from importers.pipeline import Options

    lines = ["Client Name,Invoice #,Date Issued,Date Paid,Item Name,Line Subtotal,Tax 1 Amount,Line Total"]
    for i in range(3000):
        lines += [f"Client {i % 300},{i:07d},2025-0{1 + i % 9}-1{i % 10},,Service {k},{50 + k}.00,0.00,{50 + k}.00"
                  for k in range(2)]  # fmt: skip
    path = tmp_path / "invoices.csv"
    path.write_text("\n".join(lines) + "\n")

    def imported(columnar: bool):
        default = importers.columnar.MIN_CHARS
        importers.columnar.MIN_CHARS = 0 if columnar else 1 << 62
        try:
            conn = connect(tmp_path / f"{columnar}.duckdb")
            prepared = run.prepare(conn, [path])
            assert isinstance(prepared[0].table.rows, ArrowRows) == columnar
            report = run.execute(conn, prepared, Options())
            rows = conn.execute(
                "SELECT number, issue_date, total, client_number FROM imported_invoices ORDER BY 1"
            ).fetchall()
            return report.counts, report.errors, rows
        finally:
            importers.columnar.MIN_CHARS = default

    fast, plain = imported(True), imported(False)
    assert fast == plain and len(fast[2]) == 3000


SHEET_CELLS = ["Rossi", "Mario", "", " ", "  \u00a0", "Totale", "TOTALE 12", "03100", "Nicolò", "\u2003x", "a b", "\x1c",
               "x\ty", "NULL", "é€", None, 0, 7, 1.0, 2.5, -0.0, True, False, datetime.date(2025, 2, 1),
               datetime.datetime(2025, 2, 1, 9, 30), datetime.datetime(2025, 2, 1), datetime.timedelta(hours=2)]  # fmt: skip


@st.composite
def sheets(draw):
    """Rows as a workbook reader gives them: one length for all (most of the time), cells of any type."""
    width = draw(st.integers(1, 5))
    header = draw(st.lists(st.sampled_from(["Cognome", "Nome", "CAP", "Città", "", "Note", "Nome", None]),
                           min_size=width, max_size=width))  # fmt: skip
    top = [[draw(st.sampled_from(["Anagrafica clienti", "", None]))] + [""] * (width - 1)
           for _ in range(draw(st.integers(0, 3)))]  # fmt: skip
    body = draw(st.lists(st.lists(st.sampled_from(SHEET_CELLS), min_size=width, max_size=width), min_size=1,
                         max_size=60))  # fmt: skip
    tail = draw(st.lists(st.sampled_from([["Totale"] + [""] * (width - 1), [""] * width, [None] * width]),
                         max_size=2))  # fmt: skip
    rows = [list(r) for r in [*top, header, *body, *tail]]
    if draw(st.booleans()):  # a cell beyond the header here and there: the "extra" column
        rows = [[*r, draw(st.sampled_from(["", "", "x", None]))] for r in rows]
    if draw(st.integers(0, 9)) == 0:
        rows[-1] = rows[-1][:-1]  # a short last row: not a workbook's shape, left to `shape`
    return rows


@settings(max_examples=500, deadline=None)
@given(sheets())
def test_a_sheet_is_shaped_alike_by_columns(rows):
    from importers.detect import shape
    from importers.table import Table, cell_text

    default = importers.columnar.MIN_SHEET_ROWS
    importers.columnar.MIN_SHEET_ROWS = 0
    try:
        fast = importers.columnar.read_sheet([list(r) for r in rows], Table("s.xlsx#1", "xlsx"), cell_text)
    finally:
        importers.columnar.MIN_SHEET_ROWS = default
    try:
        plain = shape(Table("s.xlsx#1", "xlsx"), [[cell_text(c) if type(c) is not str else c for c in r] for r in rows],
                      text=True)  # fmt: skip
    except UnreadableFile as exc:
        plain = exc.code
    if fast is not None:
        assert isinstance(fast.rows, ArrowRows)
        assert fast == plain


def test_a_large_sheet_is_held_as_arrow_columns(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Anagrafica"])
    sheet.append([])
    sheet.append(["Cognome", "Nome", "CAP", "Nato il", "Importo"])
    for i in range(3000):
        sheet.append([f"Rossi {i}", "Mario", f"{i:05d}", datetime.date(1980, 1, 1 + i % 28), 1.5 * i])
    sheet.append([])
    sheet.append(["Totale", None, None, None, 3.0])
    path = tmp_path / "large.xlsx"
    book.save(path)
    table = both_ways(path.read_bytes(), "large.xlsx")[0]
    assert isinstance(table.rows, ArrowRows) and len(table.rows) == 3000
    assert table.rows[1] == ["Rossi 1", "Mario", "00001", "1980-01-02", "1.5"]
    assert table.row_numbers[:2] == [4, 5] and table.skipped == [(1, "preamble"), (2, "blank"), (3004, "blank"),
                                                                 (3005, "footer")]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(["a", "é", "€", "😀", " ", "\x00", "\n", "\ud800"]), max_size=4),
                max_size=30))  # fmt: skip
def test_a_text_array_holds_the_strings_it_was_given(values):
    import pyarrow as pa

    from importers.columnar import text_array

    try:
        expected = pa.array(values, pa.string())
    except (UnicodeEncodeError, pa.ArrowException) as exc:  # a lone surrogate: refused alike
        with pytest.raises(type(exc)):
            text_array(values)
        return
    got = text_array(values)
    got.validate(full=True)
    assert got.type == pa.string() and got.equals(expected) and got.to_pylist() == values
