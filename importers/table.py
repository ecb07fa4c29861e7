"""The shape every reader produces: a table of text cells, and the one error a reader raises."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from core.errors import CodedError


class UnreadableFile(CodedError):
    """`code` is a message key; `params` fill it."""


@dataclass
class Table:
    source: str
    file_kind: str
    encoding: str | None = None
    delimiter: str | None = None
    header_row: int = 0
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    # lines whose cells are more ("long") or fewer ("short") than the header's: read, and said (never silently)
    ragged: list[tuple[int, str]] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)
    data: bytes | None = None  # the raw document, for e-invoices parsed elsewhere


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return str(value)
    return str(value)
