"""READ ahead: a large workbook named on the command line is parsed in a thread while the program starts.

python-calamine parses a sheet without holding the Python lock (1.1 s for a 100,000-row sheet), and `cli.py`
spends its first 0.8 s loading modules and opening the database: `start` runs the parse meanwhile, and
`read._read_workbook` takes what it found (`parsed`) when it is handed the same bytes. Anything unexpected
(another file's bytes, a parse that failed) leaves the reader to do its own work, with its own messages. This
module loads nothing else, so that it can be started first.
"""

from __future__ import annotations

import hashlib
import os
import threading

MIN_BYTES = 1024 * 1024  # a smaller workbook parses in the time a thread takes to pay off
EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")

_started: dict[tuple[int, bytes], tuple[threading.Thread, dict]] = {}  # (size, digest) -> its thread and result
_guard = threading.Lock()


def _digest(data: bytes) -> tuple[int, bytes]:
    return len(data), hashlib.blake2b(data, digest_size=16).digest()


def start(paths: list[str]) -> None:
    """Start parsing each large workbook among `paths` (any other argument is passed over)."""
    for path in paths:
        if not path.lower().endswith(EXTENSIONS):
            continue
        try:
            if os.path.getsize(path) < MIN_BYTES:
                continue
            with open(path, "rb") as file:
                data = file.read()
        except OSError:
            continue  # the reader reports it
        result: dict = {}
        thread = threading.Thread(target=_parse, args=(data, result), name="cartella-read-ahead", daemon=True)
        with _guard:
            _started[_digest(data)] = (thread, result)
        thread.start()


def _parse(data: bytes, result: dict) -> None:
    import io

    try:
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = {}
        for name in book.sheet_names:
            try:
                sheets[name] = book.get_sheet_by_name(name)
            except Exception:  # the reader meets it again and decides
                continue
        result["book"], result["sheets"] = book, sheets
    except Exception:  # a damaged or protected file: the reader says what is wrong
        return


def parsed(data: bytes):
    """(workbook, {sheet name: parsed sheet}) for these bytes if they were parsed ahead, else None. Taken once."""
    if not _started:
        return None
    with _guard:
        found = _started.pop(_digest(data), None)
    if found is None:
        return None
    thread, result = found
    thread.join()
    return (result["book"], result["sheets"]) if "book" in result else None
