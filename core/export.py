"""Writing the client list to CSV or XLSX, in the column contract other tools rely on."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from core.store.queries import EXPORT_COLUMNS, export_rows

FORMATS = ("csv", "xlsx")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Prefix an apostrophe to text a spreadsheet would run as a formula (CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _rows(conn: duckdb.DuckDBPyConnection, batch: int = 10_000):
    relation = export_rows(conn)
    reader = relation.to_arrow_reader(batch)
    for record_batch in reader:
        columns = [record_batch.column(i).to_pylist() for i in range(record_batch.num_columns)]
        yield from zip(*columns, strict=True)


def export_clients(conn: duckdb.DuckDBPyConnection, out: str | Path, fmt: str) -> int:
    """Write every active and inactive card (not the trash) to `out`. Returns the number of rows."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    count = _write_csv(conn, tmp) if fmt == "csv" else _write_xlsx(conn, tmp)
    tmp.replace(out)  # a crash mid-way never leaves a half-written file under the real name
    return count


def _write_csv(conn, path: Path) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(EXPORT_COLUMNS)
        for row in _rows(conn):
            writer.writerow([neutralise(v) for v in row])
            count += 1
    return count


def _write_xlsx(conn, path: Path) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("clients")
    sheet.append(list(EXPORT_COLUMNS))
    count = 0
    for row in _rows(conn):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text stays text: never a formula, leading zeros kept
            cells.append(cell)
        sheet.append(cells)
        count += 1
    book.save(path)
    return count
