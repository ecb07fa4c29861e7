"""READ and DETECT: any legacy export to tables of text cells, with the header found and nothing lost.

The file's content decides how it is read, not its extension: ".xls" files that are really HTML tables or
CSV are common in web exports. Every cell stays text exactly as written (leading zeros kept); rows left
aside (titles, blank lines, totals) are listed in `skipped`.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

from charset_normalizer import from_bytes

from importers import ahead
from importers.columnar import read_delimited, read_sheet
from importers.detect import shape as _shape
from importers.records import read_json, read_xml_records
from importers.table import Table, UnreadableFile
from importers.table import cell_text as _cell_text

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
MAX_ZIP_DEPTH = 2
ZIP_RATIO = 100
DELIMITERS = (";", ",", "\t", "|")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _human(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


def max_import_bytes() -> int:
    """The largest input an import reads: `CARTELLA_MAX_IMPORT_MB` megabytes where that is a positive number,
    else 200 MB (`make run` gives the app's upload box the same limit)."""
    try:
        megabytes = float(os.environ.get("CARTELLA_MAX_IMPORT_MB", ""))
    except ValueError:
        return DEFAULT_MAX_BYTES
    return int(megabytes * 1024 * 1024) if megabytes > 0 else DEFAULT_MAX_BYTES


def read_tables(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, name: str | None = None) -> list[Table]:
    """The tables of a file, or of every file in a folder (a folder of e-invoices, say), as of a ZIP archive's."""
    path = Path(path)
    name = name or path.name
    if path.is_dir():
        return _read_folder(path, name, max_bytes)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UnreadableFile("import.read.missing", file=name, reason=exc.strerror or str(exc)) from exc
    if size > max_bytes:
        raise UnreadableFile("import.read.too_large", file=name, limit=_human(max_bytes))
    return read_bytes(path.read_bytes(), name, max_bytes=max_bytes)


def read_bytes(data: bytes, name: str, *, max_bytes: int = DEFAULT_MAX_BYTES, _depth: int = 0) -> list[Table]:
    if len(data) > max_bytes:
        raise UnreadableFile("import.read.too_large", file=name, limit=_human(max_bytes))
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise UnreadableFile("import.read.empty", file=name)
    if data[:4] == b"PK\x03\x04":
        return _read_zip_like(data, name, max_bytes, _depth)
    if data[:8] == OLE_MAGIC:
        if "EncryptedPackage".encode("utf-16-le") in data or b"EncryptedPackage" in data:
            raise UnreadableFile("import.read.password", file=name)
        return _read_workbook(data, name, "xls")
    if _looks_like_einvoice(data):
        return [Table(source=name, file_kind="fatturapa", data=data)]
    text, encoding = decode(data, name)
    stripped = text.lstrip()
    if stripped[:1] == "<":
        if re.search(r"<(\w+:)?FatturaElettronica", stripped[:4000]):
            return [Table(source=name, file_kind="fatturapa", data=data)]
        if re.search(r"<table", stripped, re.I) and not stripped.startswith("<?xml"):
            return _read_html(text, name, encoding)
        return read_xml_records(text, name, encoding)  # decoded by its bytes, not a declaration that may lie
    if stripped[:1] in "[{":
        try:
            return read_json(json.loads(text), name, encoding)
        except ValueError:
            pass  # not JSON after all: try it as delimited text
    return [_read_csv(text, name, encoding)]


# ------------------------------------------------------------------ containers


def _read_zip_like(data: bytes, name: str, max_bytes: int, depth: int) -> list[Table]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
    except zipfile.BadZipFile as exc:
        raise UnreadableFile("import.read.corrupt", file=name) from exc
    if "[Content_Types].xml" in names or "mimetype" in names:
        if any(n.startswith("xl/") for n in names):
            return _read_workbook(data, name, "xlsx")
        if "mimetype" in names and b"opendocument.spreadsheet" in archive.read("mimetype"):
            return _read_workbook(data, name, "ods")
        raise UnreadableFile("import.read.unsupported", file=name)
    if depth >= MAX_ZIP_DEPTH:
        raise UnreadableFile("import.read.zip_bomb", file=name)
    total = sum(i.file_size for i in archive.infolist())
    if total > max_bytes:
        raise UnreadableFile("import.read.zip_bomb", file=name)
    tables = []
    for info in archive.infolist():
        if info.is_dir() or info.filename.startswith(("__MACOSX/", ".")) or "/." in info.filename:
            continue
        if info.file_size > 10 * 1024 * 1024 and info.file_size > ZIP_RATIO * max(info.compress_size, 1):
            raise UnreadableFile("import.read.zip_bomb", file=name)
        with archive.open(info) as member:
            content = member.read(max_bytes + 1)
        if len(content) > max_bytes:
            raise UnreadableFile("import.read.zip_bomb", file=name)
        tables += _member_tables(lambda n, data=content: read_bytes(data, n, max_bytes=max_bytes, _depth=depth + 1),
                                 f"{name}/{info.filename}")  # fmt: skip
    if not tables:
        raise UnreadableFile("import.read.empty", file=name)
    return tables


def _member_tables(read, member_name: str) -> list[Table]:
    """`read(member_name)`, or, for a member of an archive or a folder that cannot be read, a table that says
    why (reported as a rejected row, never skipped); an archive bomb stops the whole import."""
    try:
        return read(member_name)
    except UnreadableFile as exc:
        if exc.code == "import.read.zip_bomb":
            raise
        return [Table(source=member_name, file_kind="unreadable", data=None, sheets=[exc.code])]


def _read_folder(folder: Path, name: str, max_bytes: int) -> list[Table]:
    """Every file in a folder and its subfolders (hidden ones left out), in name order, read as a ZIP's members
    are; their sizes count towards one limit."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not any(
        part.startswith(".") for part in p.relative_to(folder).parts))  # fmt: skip
    if sum(p.stat().st_size for p in files) > max_bytes:
        raise UnreadableFile("import.read.too_large", file=name, limit=_human(max_bytes))
    tables = []
    for path in files:
        tables += _member_tables(lambda n, path=path: read_tables(path, max_bytes=max_bytes, name=n),
                                 f"{name}/{path.relative_to(folder).as_posix()}")  # fmt: skip
    if not tables:
        raise UnreadableFile("import.read.empty", file=name)
    return tables


def _looks_like_einvoice(data: bytes) -> bool:
    """A signed e-invoice (.p7m, DER or base64) or an XML e-invoice, seen from its bytes."""
    head = data[:200]
    if b"FatturaElettronica" in data[:200_000] and not head.lstrip().startswith(b"<"):
        return head[:1] == b"\x30" or head[:2] == b"MI"
    return head[:2] == b"MI" and b"<" not in head and b"," not in head[:100]


# ------------------------------------------------------------------ text


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Text and its encoding: BOM, then strict UTF-8, then charset-normalizer (cp1252 over latin-1)."""
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding), encoding
    if data.count(b"\x00") > len(data) // 10:
        sample = data[:4000]
        odd_zeros, even_zeros = sample[1::2].count(0), sample[0::2].count(0)
        half = len(sample) // 2
        for encoding, zeros in (("utf-16-le", odd_zeros), ("utf-16-be", even_zeros)):
            if zeros < half * 0.6:  # UTF-16 text without a BOM: mostly ASCII, so every other byte is zero
                continue
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if _printable(text) > 0.95:
                return text, encoding
        raise UnreadableFile("import.read.binary", file=name)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:  # Western Windows exports (Italian, Spanish, Portuguese): cp1252 first
        text = data.decode("cp1252")
        if _printable(text) >= 0.98:
            return text, "cp1252"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:1_000_000]).best()
    encoding = (best.encoding if best else "cp1252").replace("_", "-")
    if encoding in ("latin-1", "iso8859-1", "iso-8859-1", "cp1250", "iso8859-15", "windows-1250", "mac-roman"):
        encoding = "cp1252"
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        text, encoding = data.decode("latin-1"), "latin-1"
    if _printable(text) < 0.9:
        raise UnreadableFile("import.read.binary", file=name)
    return text, encoding


def _printable(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    good = sum(ch.isprintable() or ch in "\r\n\t" for ch in sample)
    return good / len(sample)


def first_lines(text: str, count: int, size: int = 1 << 16) -> list[str]:
    """`text.splitlines()[:count]` without splitting a whole large file (`size`: the first cut)."""
    while True:
        lines = text[:size].splitlines()
        if len(lines) > count + 1 or size >= len(text):  # the last line of a cut may be partial: never kept
            return lines[:count]
        size *= 4


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most consistent number of cells (quotes respected)."""
    lines = [line for line in first_lines(text, 50) if line.strip()][:40]
    best, best_score = ",", -1.0
    for delimiter in DELIMITERS:
        try:
            widths = [len(r) for r in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        if not widths or max(widths) < 2:
            continue
        common = max(set(widths), key=widths.count)
        score = widths.count(common) / len(widths) * min(common, 50) + (0.5 if common > 1 else 0)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(text: str, name: str, encoding: str) -> Table:
    delimiter = sniff_delimiter(text)
    table = Table(source=name, file_kind="csv", encoding=encoding, delimiter=delimiter)
    columnar = read_delimited(text, delimiter, table)  # large plain files: Arrow columns, same table
    if columnar is not None:
        return columnar
    raw = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return _shape(table, raw)


# ------------------------------------------------------------------ spreadsheets


def _read_workbook(data: bytes, name: str, kind: str) -> list[Table]:
    from python_calamine import CalamineWorkbook

    book, sheets = ahead.parsed(data) or (None, {})  # parsed while the command line program started
    try:
        book = book or CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own error types for damaged or protected files
        message = str(exc).lower()
        if "password" in message or "encrypt" in message:
            raise UnreadableFile("import.read.password", file=name) from exc
        raise UnreadableFile("import.read.corrupt", file=name) from exc
    tables = []
    for sheet_name in book.sheet_names:
        try:
            sheet = sheets[sheet_name] if sheet_name in sheets else book.get_sheet_by_name(sheet_name)
            rows = sheet.to_python(skip_empty_area=False)
            merged = list(sheet.merged_cell_ranges or [])
        except Exception:
            continue
        source = f"{name}#{sheet_name}"
        shaped = None if merged else read_sheet(rows, Table(source, kind, sheets=list(book.sheet_names)), _cell_text)
        if shaped is not None:
            tables.append(shaped)
            continue
        raw = [[v if type(v) is str else _cell_text(v) for v in row] for row in rows]
        del rows
        table = Table(source=source, file_kind=kind, sheets=list(book.sheet_names))
        try:
            tables.append(_shape(table, raw, merged, text=True))
        except UnreadableFile:
            continue  # an empty sheet next to full ones
    if not tables:
        raise UnreadableFile("import.read.empty", file=name)
    return tables


# ------------------------------------------------------------------ HTML


class _TableParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._depth += 1
            self.tables.append([])
        elif tag == "tr" and self._depth:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
            span = dict(attrs).get("colspan")
            self._span = int(span) if span and span.isdigit() else 1
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._row.extend([""] * (getattr(self, "_span", 1) - 1))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self.tables:
                self.tables[-1].append(self._row)
            self._row = None
        elif tag == "table":
            self._depth = max(0, self._depth - 1)

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _read_html(text: str, name: str, encoding: str) -> list[Table]:
    parser = _TableParser()
    parser.feed(text)
    tables = []
    for index, rows in enumerate(parser.tables, start=1):
        if len(rows) < 1:
            continue
        table = Table(source=name if len(parser.tables) == 1 else f"{name}#table{index}", file_kind="html",
                      encoding=encoding)  # fmt: skip
        try:
            tables.append(_shape(table, rows))
        except UnreadableFile:
            continue
    if not tables:
        raise UnreadableFile("import.read.empty", file=name)
    return tables
