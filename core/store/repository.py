"""Client and history repositories over one DuckDB cursor (inside a unit of work)."""

from __future__ import annotations

import datetime
import functools
import json
import types
import typing
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

from core.errors import ClientNotFound, StaleEdit
from core.models import Client, HistoryEntry, display_names
from core.search import search_text_array

# Stored columns of `clients`, in one place: every SELECT and INSERT is built from this list.
CLIENT_COLUMNS = tuple(name for name in Client.model_fields)
_EXTRA_COLUMNS = ("display_name", "search_text", "sort_name")


def _quoted(names) -> str:
    return ", ".join(f'"{n}"' for n in names)


_JSON_COLUMNS = {"custom_fields"}  # stored as JSON text


_to_json = json.JSONEncoder(ensure_ascii=False).encode
_quote = json.encoder.encode_basestring  # the quoting `_to_json` uses (C)


def json_text(value: dict) -> str:
    """`_to_json` of a dict, written directly when every key and value is text (a custom field as read from a
    cell): a million of them in a fraction of the encoder's time."""
    try:
        return "{" + ", ".join([_quote(k) + ": " + _quote(v) for k, v in value.items()]) + "}"
    except TypeError:  # a number, list or null among the values (fields kept from a JSON column)
        return _to_json(value)


def _stored(columns: dict[str, list]) -> dict[str, list]:
    """Cards' fields as stored: kept columns as JSON text, plus the display name, the search text and the name's
    sort key (the last three as Arrow arrays)."""
    import pyarrow.compute as pc

    columns = dict(columns)
    for name in _JSON_COLUMNS:
        columns[name] = [json_text(v) if v else "{}" for v in columns[name]]
    columns["display_name"] = display_names(columns["kind"], columns["first_name"], columns["last_name"],
                                            columns["company_name"])  # fmt: skip
    columns["search_text"] = search_text_array(columns)
    columns["sort_name"] = pc.utf8_lower(columns["display_name"])  # as DuckDB's lower() and NOCASE order names
    return columns


def _row_values(client: Client) -> list:
    """The stored columns of one card, as `add_columns` stores many."""
    stored = _stored({name: [client.__dict__[name]] for name in CLIENT_COLUMNS})
    return [stored[name][0] for name in CLIENT_COLUMNS] + [stored[name][0].as_py() for name in _EXTRA_COLUMNS]


def client_from_row(row) -> Client:
    data = dict(zip(CLIENT_COLUMNS, row, strict=True))
    for name in _JSON_COLUMNS:
        data[name] = json.loads(data[name] or "{}")
    return Client(**data)


class ClientRepository:
    def __init__(self, cursor: duckdb.DuckDBPyConnection) -> None:
        self.cursor = cursor

    def next_number(self) -> int:
        """A fresh client number. Sequence values are never handed out twice, even after a rollback."""
        return self.cursor.execute("SELECT nextval('client_number_seq')").fetchone()[0]

    def add(self, client: Client) -> None:
        names = (*CLIENT_COLUMNS, *_EXTRA_COLUMNS)
        marks = ", ".join("?" for _ in names)
        self.cursor.execute(f"INSERT INTO clients ({_quoted(names)}) VALUES ({marks})", _row_values(client))

    def get(self, number: int) -> Client:
        row = self.cursor.execute(
            f"SELECT {_quoted(CLIENT_COLUMNS)} FROM clients WHERE client_number = ?", [number]
        ).fetchone()
        if row is None:
            raise ClientNotFound(number=number)
        return client_from_row(row)

    def save(self, client: Client, expected_version: int) -> Client:
        """Write the card if nobody changed it since `expected_version`; returns it with the new version."""
        names = [n for n in (*CLIENT_COLUMNS, *_EXTRA_COLUMNS) if n not in ("client_number", "version")]
        values = dict(zip((*CLIENT_COLUMNS, *_EXTRA_COLUMNS), _row_values(client), strict=True))
        assignments = ", ".join(f'"{n}" = ?' for n in names)
        row = self.cursor.execute(
            f"UPDATE clients SET {assignments}, version = version + 1 "
            "WHERE client_number = ? AND version = ? RETURNING version",
            [values[n] for n in names] + [client.client_number, expected_version],
        ).fetchone()
        if row is None:
            self.get(client.client_number)  # raises ClientNotFound when it is gone
            raise StaleEdit(number=client.client_number)
        return client.model_copy(update={"version": row[0]})

    def trashed_before(self, cutoff: datetime.datetime) -> list[int]:
        rows = self.cursor.execute(
            "SELECT client_number FROM clients WHERE deleted_at IS NOT NULL AND deleted_at < ? ORDER BY 1",
            [cutoff],
        ).fetchall()
        return [r[0] for r in rows]

    def purge(self, numbers: list[int]) -> None:
        """Delete cards for good, with everything attached to them."""
        if not numbers:
            return
        self.cursor.execute("DELETE FROM client_history WHERE client_number IN (SELECT unnest(?))", [numbers])
        self.cursor.execute("DELETE FROM clients WHERE client_number IN (SELECT unnest(?))", [numbers])


def _json_value(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


class HistoryRepository:
    def __init__(self, cursor: duckdb.DuckDBPyConnection) -> None:
        self.cursor = cursor

    def add(self, entry: HistoryEntry) -> None:
        changes = {k: [_json_value(v) for v in pair] for k, pair in entry.changes.items()}
        self.cursor.execute(
            "INSERT INTO client_history (client_number, changed_at, user_name, action, changes) VALUES (?, ?, ?, ?, ?)",
            [entry.client_number, entry.at, entry.user_name, entry.action, json.dumps(changes)],
        )

    def add_raw(self, number: int, at, user: str, action: str, changes: dict) -> None:
        self.add(HistoryEntry(client_number=number, at=at, user_name=user, action=action, changes=changes))

    def for_client(self, number: int) -> list[HistoryEntry]:
        rows = self.cursor.execute(
            "SELECT client_number, changed_at, user_name, action, changes FROM client_history "
            "WHERE client_number = ? ORDER BY id DESC",
            [number],
        ).fetchall()
        return [
            HistoryEntry(client_number=r[0], at=r[1], user_name=r[2], action=r[3], changes=json.loads(r[4]))
            for r in rows
        ]


class SettingsRepository:
    def __init__(self, cursor: duckdb.DuckDBPyConnection) -> None:
        self.cursor = cursor

    def get(self, key: str, default: str = "") -> str:
        row = self.cursor.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set(self, key: str, value: str) -> None:
        self.cursor.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )


def add_many(cursor: duckdb.DuckDBPyConnection, clients: list[Client]) -> None:
    """Insert many cards in one statement (see `add_columns`)."""
    add_columns(cursor, {name: [c.__dict__[name] for c in clients] for name in CLIENT_COLUMNS})


def add_columns(cursor: duckdb.DuckDBPyConnection, columns: dict[str, list]) -> None:
    """Insert cards given as one list per stored field, through Arrow in one statement (row inserts are far
    too slow in DuckDB); the display name and search text are derived here, field by field."""
    if columns["kind"]:
        insert_stored(cursor, stored_table(columns))


def stored_table(columns: dict[str, list]):
    """Cards given as one list per field (all of them, or all but some left to the database's defaults), in
    their stored form (JSON, display name, search text) as an Arrow table: compact, and ready to insert."""
    import pyarrow as pa

    stored = _stored(columns)
    types = _arrow_types()
    names = (*(n for n in CLIENT_COLUMNS if n in columns), *_EXTRA_COLUMNS)
    return pa.table({name: _arrow(stored[name], types[name]) for name in names})


def _arrow(values, kind):
    import pyarrow as pa

    return values if isinstance(values, pa.Array) else pa.array(values, kind)


def insert_stored(cursor: duckdb.DuckDBPyConnection, batch, *, skip_unnumbered: bool = False, **constants) -> None:
    """Insert a `stored_table` (plus columns given one value for every card, such as `created_at`).
    `skip_unnumbered`: rows whose client_number is null are left out (an import's planned cards that were merged
    away); otherwise such a row is an error, as any card without its number."""
    names = [*batch.column_names, *constants]
    values = ", ".join([_quoted(batch.column_names), *("?" for _ in constants)])
    skip = " WHERE client_number IS NOT NULL" if skip_unnumbered else ""
    cursor.execute(f"INSERT INTO clients ({_quoted(names)}) SELECT {values} FROM batch{skip}",
                   list(constants.values()))  # fmt: skip


def card_from_stored(row: dict) -> dict:
    """A card's fields (as `Client` takes them) from a row of a `stored_table`."""
    card = {name: row.get(name, Client.model_fields[name].default) for name in CLIENT_COLUMNS}
    for name in _JSON_COLUMNS:
        card[name] = json.loads(card[name] or "{}")
    return card


@functools.cache
def _arrow_types() -> dict:
    import pyarrow as pa

    kinds = {bool: pa.bool_(), int: pa.int64(), list[str]: pa.list_(pa.string()), datetime.date: pa.date32(),
             datetime.datetime: pa.timestamp("us")}  # fmt: skip
    found = {}
    for name, info in Client.model_fields.items():
        annotation = info.annotation
        if typing.get_origin(annotation) in (typing.Union, types.UnionType):  # "date | None": the date
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        found[name] = pa.string() if name in _JSON_COLUMNS else kinds.get(annotation, pa.string())
    return found | dict.fromkeys(_EXTRA_COLUMNS, pa.string())
