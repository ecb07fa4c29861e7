"""READ, column-wise: large delimited text read by Arrow into text columns, kept as Arrow until planned.

A million-row export read by the `csv` module becomes a million Python lists (1.6 GB before anything else
happens); Arrow keeps the same cells in a fraction of that, and the planner takes them a chunk of rows at a
time (`ArrowRows.columns`). This path answers only where it reads exactly what `csv.reader` + `detect.shape`
would (quoted cells included, badly quoted ones too); anything it cannot be sure of (empty or ragged lines,
lone carriage returns, a quote left open above the first data row) it leaves to the plain reader. The tests read the same
files both ways.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from importers.detect import HEADER_SCAN, _is_blank, _is_footer, find_header, unique_header
from importers.table import Table

MIN_CHARS = 256 * 1024  # below this the plain reader is as quick, and the table stays a plain list
CHUNK_ROWS = 50_000  # rows turned into Python values at a time
MIN_SHEET_ROWS = 2_000  # a sheet this long is kept as Arrow columns (`read_sheet`)
_HEAD_LINES = HEADER_SCAN + 20


class ArrowRows(Sequence):
    """A table's data rows as Arrow text columns; a row becomes a list of str only when it is read."""

    def __init__(self, columns: list) -> None:
        self.arrays = columns
        self._length = len(columns[0]) if columns else 0

    def __len__(self) -> int:
        return self._length

    def columns(self, start: int = 0, stop: int | None = None) -> list[list[str]]:
        """The cells of rows start..stop, one list per column."""
        stop = self._length if stop is None else min(stop, self._length)
        return [array.slice(start, max(0, stop - start)).to_pylist() for array in self.arrays]

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(self._length)
            rows = [list(row) for row in zip(*self.columns(start, stop), strict=True)] if start < stop else []
            return rows[::step] if step != 1 else rows
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError(index)
        return [array[index].as_py() for array in self.arrays]

    def __iter__(self):
        for start in range(0, self._length, CHUNK_ROWS):
            for row in zip(*self.columns(start, start + CHUNK_ROWS), strict=True):
                yield list(row)

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and len(other) == len(self) and list(self) == list(other)


def read_delimited(text: str, delimiter: str, table: Table) -> Table | None:
    """`table` filled as `detect.shape(table, csv.reader(text))` would fill it, or None to leave it to them."""
    if len(text) < MIN_CHARS or "\x00" in text or text.count("\r") != text.count("\r\n"):
        return None
    cut = -1
    for _ in range(_HEAD_LINES):  # the first lines, without copying the rest of a large text
        cut = text.find("\n", cut + 1)
        if cut < 0:
            break
    lines = (text[:cut] if cut >= 0 else text).split("\n")
    head = list(csv.reader(io.StringIO("\n".join(lines), newline=""), delimiter=delimiter))
    found = _header_of(head)
    if found is None:
        return None
    index, header_cells = found
    if any(line.count('"') % 2 for line in lines[: index + 1]):
        return None  # a quote left open above the body: records and lines might not be the same
    start = sum(len(line) + 1 for line in lines[: index + 1])  # the body: every line after the header
    end = len(text) - (2 if text.endswith("\r\n") else 1 if text.endswith("\n") else 0)
    if start >= end or text.find("\n\n", start) >= 0 or text.find("\n\r\n", start) >= 0 or \
            text.startswith(("\n", "\r\n"), start) or text.endswith("\n", start, end):  # fmt: skip
        return None  # empty lines: the plain reader lists them
    kept = len(header_cells)
    first = next(csv.reader(io.StringIO(text[start : start + (1 << 16)], newline=""), delimiter=delimiter), [])
    width = len(first)  # as many cells on every line as in the first row
    if width < kept:
        return None  # short rows are padded by the plain reader
    columns = _arrow_columns(text, start, len(text), delimiter, width)  # the last line end too: inside an
    # unclosed quote it is part of the cell, as the csv module reads it
    if columns is None:
        return None
    return _keep_rows(table, head, index, header_cells, columns)


def read_sheet(rows: list[list], table: Table, text_of) -> Table | None:
    """`table` filled as `detect.shape(table, <the cells as text>, text=True)` would fill it for a sheet without
    merged cells (`rows`: every row the same length, cells as the workbook reader gives them; `text_of` turns a
    cell that is not a str into text), its data rows kept as Arrow text columns; or None to leave it to
    `shape`. A large sheet's cells are then never turned into rows of Python text."""
    if len(rows) < MIN_SHEET_ROWS or len(set(map(len, rows))) != 1:
        return None
    head = [[v if type(v) is str else text_of(v) for v in row] for row in rows[:_HEAD_LINES]]
    found = _header_of(head)
    if found is None:
        return None
    index, header_cells = found
    columns = []
    for column in zip(*rows[index + 1 :], strict=True):  # the body, a column at a time (rows alike in length)
        if set(map(type, column)) != {str}:
            column = [v if type(v) is str else text_of(v) for v in column]
        columns.append(text_array(column))
    if not columns or not header_cells:
        return None
    return _keep_rows(table, head, index, header_cells, columns)


def text_array(values: Sequence[str]):
    """`pa.array(values, pa.string())` of Python strings, built from one joined and encoded text (a quarter of
    the time: 0.12 against 0.44 s for a 100,000-row sheet of 18 columns). A value holding NUL, which the join
    uses as its separator, or one that cannot be encoded, leaves it to `pa.array`."""
    import numpy
    import pyarrow as pa

    count = len(values)
    try:
        encoded = "\x00".join(values).encode("utf-8")
    except UnicodeEncodeError:
        return pa.array(values, pa.string())
    data = numpy.frombuffer(encoded, numpy.uint8)
    ends = numpy.flatnonzero(data == 0)  # NUL is one byte in UTF-8, and no other character holds that byte
    if count == 0 or len(ends) != count - 1 or len(encoded) >= 1 << 31:
        return pa.array(values, pa.string())
    offsets = numpy.empty(count + 1, numpy.int32)
    offsets[0] = 0
    offsets[1:-1] = ends - numpy.arange(len(ends))  # each value starts past the separators before it
    offsets[-1] = len(encoded) - len(ends)
    return pa.StringArray.from_buffers(count, pa.py_buffer(offsets), pa.py_buffer(data[data != 0]))


def _header_of(head: list[list[str]]) -> tuple[int, list[str]] | None:
    """The header row's index in the first rows and its cells (trailing empty ones dropped), as `shape` finds
    them; None when `shape` might look further down."""
    index = find_header(head)
    if index > HEADER_SCAN or all(_is_blank(row) for row in head):
        return None
    header_cells = list(head[index])
    while header_cells and not header_cells[-1].strip():
        header_cells.pop()
    return index, header_cells


def _keep_rows(table: Table, head: list[list[str]], index: int, header_cells: list[str], columns: list) -> Table | None:
    """The end of `shape` by columns: the header row at `index` of `head` (the first rows, as text),
    `columns` the body's cells as Arrow text; blank rows and the footer left out and listed. None where
    `shape` would gather cells beyond the header in an "extra" column, or find no data row."""
    import pyarrow.compute as pc

    kept = len(header_cells)
    if any(pc.any(pc.invert(_blank(c))).as_py() for c in columns[kept:]):
        return None  # cells beyond the header: the plain reader gathers them in an "extra" column
    columns = columns[:kept]
    count = len(columns[0])
    blank = _blank(columns[0])
    for column in columns[1:]:
        if not pc.any(blank).as_py():
            break  # no row is blank (the usual table): the other columns need not be read
        blank = pc.and_(blank, _blank(column))
    last = count
    while last and (blank[last - 1].as_py() or _is_footer([c[last - 1].as_py() for c in columns])):
        last -= 1
    table.header_row = index
    table.skipped = [(i + 1, "preamble" if not _is_blank(r) else "blank") for i, r in enumerate(head[:index])]
    table.header = unique_header(header_cells)
    first_line = index + 2
    blanks = pc.indices_nonzero(blank).to_pylist()
    table.skipped += [(first_line + b, "blank") for b in blanks if b < last]
    table.skipped += [(first_line + f, "blank" if blank[f].as_py() else "footer") for f in range(last, count)]
    keep = pc.invert(blank)
    if last < count or blanks:
        import pyarrow as pa

        keep = pc.and_(keep, pa.array([True] * last + [False] * (count - last)))
        numbers = [first_line + i for i in pc.indices_nonzero(keep).to_pylist()]
        columns = [c.filter(keep) for c in columns]
    else:
        numbers = list(range(first_line, first_line + count))
    if not numbers:
        return None  # header only: the plain reader says so
    table.rows = ArrowRows(columns)
    table.row_numbers = numbers
    return table


# what str.strip() removes, for RE2: a cell of only these is blank, as `detect._is_blank` sees it
_SPACE = r"^[\t\n\x0b\x0c\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]*$"


def _blank(column):
    import pyarrow.compute as pc

    return pc.match_substring_regex(column, _SPACE)


def _arrow_columns(text: str, start: int, end: int, delimiter: str, width: int) -> list | None:
    """Every line of text[start:end] split on `delimiter` into `width` text columns, or None if a line has
    another number of cells (ragged rows are the plain reader's)."""
    import pyarrow as pa
    from pyarrow import csv as pa_csv

    try:
        encoded = text.encode("utf-8")  # one copy, as UTF-8; the body is a view of it
    except UnicodeEncodeError:
        return None
    skip, tail = len(text[:start].encode("utf-8")), len(text[end:].encode("utf-8"))
    data = pa.py_buffer(encoded)
    data = data.slice(skip, len(encoded) - skip - tail)
    ragged = []

    def invalid(row) -> str:
        ragged.append(row)
        return "skip"

    names = [f"c{i}" for i in range(width)]
    try:
        read = pa_csv.read_csv(
            pa.BufferReader(data),
            read_options=pa_csv.ReadOptions(column_names=names, use_threads=True, block_size=16 << 20),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, quote_char='"', double_quote=True,
                                              escape_char=False, newlines_in_values=True, ignore_empty_lines=False,
                                              invalid_row_handler=invalid),
            convert_options=pa_csv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()), null_values=[],
                                                  strings_can_be_null=False, quoted_strings_can_be_null=False),
        )  # fmt: skip
    except (pa.ArrowInvalid, ValueError):
        return None
    if ragged:
        return None
    return [read.column(name) for name in names]
