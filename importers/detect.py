"""DETECT: the header row under titles and blank rows, footers such as totals, clean unique header names,
and every data row as text padded to the header's width; whatever is set aside is listed, never dropped."""

from __future__ import annotations

import re

from importers.table import Table, UnreadableFile, cell_text

HEADER_SCAN = 30
FOOTER_WORDS = re.compile(
    r"^\s*(totale|totali|total|totals|totale generale|grand total|subtotale|subtotal|somma|sum)\b", re.I
)


def _is_blank(row: list[str]) -> bool:
    return not any((c or "").strip() for c in row)


def _texty(cell: str) -> bool:
    cell = cell.strip()
    return bool(cell) and not re.fullmatch(r"[-+]?[\d.,/ :$€%]+", cell)


def find_header(raw: list[list[str]]) -> int:
    """Index of the header row: the first row (within HEADER_SCAN) with at least two text cells whose
    width matches the rows that follow it; titles, blank rows and preamble above it are skipped."""
    candidates = []
    for index, row in enumerate(raw[:HEADER_SCAN]):
        filled = [c for c in row if (c or "").strip()]
        if len(filled) < 2 or sum(_texty(c) for c in filled) < max(2, len(filled) * 0.6):
            continue
        following = [r for r in raw[index + 1 : index + 11] if not _is_blank(r)]
        width = len(filled)
        if not following:
            candidates.append((0, index))
            continue
        fit = sum(1 for r in following if sum(1 for c in r if (c or "").strip()) >= min(2, width)) / len(following)
        last = max(i for i, c in enumerate(row) if (c or "").strip())
        reach = sum(
            1 for r in following if any((c or "").strip() for c in r[last : last + 1] + r[max(0, last - 2) : last])
        )
        candidates.append((fit + reach / len(following) * 0.2 + min(width, 30) / 300, index))
        if fit >= 0.8:
            return index
    if not candidates:
        return next((i for i, r in enumerate(raw) if not _is_blank(r)), 0)
    return max(candidates)[1]


def unique_header(cells: list[str]) -> list[str]:
    header, seen = [], {}
    for index, cell in enumerate(cells):
        name = " ".join((cell or "").split()) or f"column_{index + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        header.append(name)
    return header


def _is_footer(row: list[str]) -> bool:
    filled = [c.strip() for c in row if (c or "").strip()]
    if not filled:
        return False
    return bool(FOOTER_WORDS.match(filled[0]))


Merged = list[tuple[tuple[int, int], tuple[int, int]]]  # ((first row, first col), (last row, last col))


def fill_merged(raw: list[list[str]], merged: Merged) -> None:
    """Give every cell of a merged range the value of its top-left cell, as a person reading the sheet sees it."""
    for (r0, c0), (r1, c1) in merged:
        if r0 >= len(raw) or c0 >= len(raw[r0]):
            continue
        value = raw[r0][c0]
        outside = [c for i, c in enumerate(raw[r0]) if (i < c0 or i > c1) and (c or "").strip()]
        if r0 == r1 and not outside:
            continue  # a title spread over the sheet's width stays one cell, not a header row
        for r in range(r0, min(r1, len(raw) - 1) + 1):
            row = raw[r]
            row.extend([""] * max(0, c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                row[c] = value


def _two_row_header(raw: list[list[str]], index: int, merged: Merged) -> bool:
    """A group row over a sub-header ('Cliente' over 'Cognome | Nome'): a merge spans the header row
    across columns or down into the next row, and the next row is all text."""
    if index + 1 >= len(raw):
        return False
    spans = any(r0 <= index <= r1 and (c1 > c0 or r1 > index) for (r0, c0), (r1, c1) in merged)
    below = [c for c in raw[index + 1] if (c or "").strip()]
    return spans and len(below) >= 2 and all(_texty(c) for c in below)


def shape(table: Table, raw: list[list[str]], merged: Merged | None = None, *, text: bool = False) -> Table:
    """Find the header, clean it, and keep every data row as text padded to the header's width.

    `merged` (spreadsheets): merged cells are filled, and a group row over a sub-header becomes one header
    whose names are the sub-labels (the group's name where a column has none). `text`: every cell is a str
    already, in lists of the caller's own (no copy is made).
    """
    if not text:
        raw = [[c if isinstance(c, str) else cell_text(c) for c in row] for row in raw]
    if not any(not _is_blank(r) for r in raw):
        raise UnreadableFile("import.read.empty", file=table.source)
    if merged:
        fill_merged(raw, merged)
    header_index = find_header(raw)
    header_cells = list(raw[header_index])
    if merged and _two_row_header(raw, header_index, merged):
        below = list(raw[header_index + 1])
        size = max(len(header_cells), len(below))
        header_cells += [""] * (size - len(header_cells))
        below += [""] * (size - len(below))
        header_cells = [sub if (sub or "").strip() else group for group, sub in zip(header_cells, below, strict=True)]
        header_index += 1  # the group row is reported as preamble
    while header_cells and not (header_cells[-1] or "").strip():
        header_cells.pop()  # a trailing delimiter ("...,Notes,") adds no column
    width = len(header_cells)
    table.header_row = header_index
    table.skipped = [(i + 1, "preamble" if not _is_blank(r) else "blank") for i, r in enumerate(raw[:header_index])]
    data_rows = raw[header_index + 1 :]
    extra = max((len(r) for r in data_rows), default=0) > width and any(
        any((c or "").strip() for c in r[width:]) for r in data_rows
    )
    table.header = unique_header(header_cells) + (["extra"] if extra else [])
    last_data = len(data_rows)
    while last_data and (_is_blank(data_rows[last_data - 1]) or _is_footer(data_rows[last_data - 1])):
        last_data -= 1
    for offset, row in enumerate(data_rows):
        line = header_index + offset + 2
        if _is_blank(row):
            table.skipped.append((line, "blank"))
            continue
        if offset >= last_data:
            table.skipped.append((line, "footer"))
            continue
        cells = [(c or "") for c in row[:width]] + [""] * max(0, width - len(row))
        if len(row) != width:
            _note_ragged(table, line, row, width)
        if extra:
            cells.append(" | ".join(c for c in row[width:] if (c or "").strip()))
        table.rows.append(cells)
        table.row_numbers.append(line)
    if not table.rows:
        raise UnreadableFile("import.read.header_only", file=table.source)
    return table


def _note_ragged(table: Table, line: int, row: list, width: int) -> None:
    """Note a line with cells beyond the header's (kept in the "extra" column) or fewer than it has (the missing
    ones read as empty); empty cells past the header change nothing and are not noted."""
    if len(row) > width and any((c or "").strip() for c in row[width:]):
        table.ragged.append((line, "long"))
    elif len(row) < width and any((c or "").strip() for c in row):
        table.ragged.append((line, "short"))
