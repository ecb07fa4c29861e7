"""Read side: list and summary queries straight from SQL, returning DataFrames and plain values."""

from __future__ import annotations

from dataclasses import dataclass, replace

import duckdb
import pandas as pd

from core.search import query_terms

KINDS = ("private", "company", "public_administration")
STATUSES = ("active", "inactive", "all", "needs_review", "incomplete")
# Each sort is a total order (it ends on the client number), so pages never overlap: (column, descending).
SORT_KEYS = {
    "name": (("sort_name", False), ("client_number", False)),
    "number": (("client_number", False),),
    "number_desc": (("client_number", True),),
    "recent": (("updated_at", True), ("client_number", True)),
    "city": (("city", False), ("sort_name", False), ("client_number", False)),
}
_TEXT_KEYS = {"city"}  # compared without regard to case (names are: `sort_name` is stored lower-cased)


def _key(column: str) -> str:
    return f"{column} COLLATE NOCASE" if column in _TEXT_KEYS else column


SORTS = {name: ", ".join(_key(c) + (" DESC" if desc else "") for c, desc in keys) for name, keys in SORT_KEYS.items()}


def _after(sort: str, values: tuple) -> tuple[str, list]:
    """The cards that come after `values` (a row's sort key) in the sort: keyset paging, no offset to skip."""
    return _beyond(SORT_KEYS[sort], values)


def _beyond(keys: tuple, values: tuple) -> tuple[str, list]:
    """k1 >= v1 AND (k1 > v1 OR beyond(the rest)): lexicographic order, with a range DuckDB prunes on first."""
    (column, desc), rest = keys[0], keys[1:]
    ge, gt = ("<=", "<") if desc else (">=", ">")
    if not rest:
        return f"{_key(column)} {gt} ?", [values[0]]
    inner, params = _beyond(rest, values[1:])
    return f"({_key(column)} {ge} ? AND ({_key(column)} {gt} ? OR {inner}))", [values[0], values[0], *params]


def page_key(frame: pd.DataFrame, sort: str) -> tuple | None:
    """The sort key of a page's last row: where the next page starts."""
    if not len(frame):
        return None
    row = frame.iloc[-1]
    values = []
    for column, _desc in SORT_KEYS[sort]:
        value = row[column]
        if isinstance(value, pd.Timestamp):
            value = value.to_pydatetime()
        values.append(value.item() if hasattr(value, "item") else value)
    return tuple(values)


@dataclass(frozen=True)
class ClientQuery:
    kind: str | None = None  # None = all kinds
    status: str = "active"
    search: str = ""
    tag: str | None = None
    sort: str = "name"
    limit: int = 50
    offset: int = 0
    after: tuple | None = None  # the sort key of the previous page's last row (Next), instead of an offset


def _where(query: ClientQuery) -> tuple[str, list]:
    clauses, params = ["deleted_at IS NULL"], []
    if query.kind:
        if query.kind not in KINDS:
            raise ValueError(f"unknown kind {query.kind!r}")
        clauses.append("kind = ?")
        params.append(query.kind)
    if query.status == "active":
        clauses.append("active")
    elif query.status == "inactive":
        clauses.append("NOT active")
    elif query.status == "needs_review":
        clauses.append("needs_review")
    elif query.status == "incomplete":
        clauses.append("len(missing_fields) > 0")
    if query.tag:
        clauses.append("list_contains(tags, ?)")
        params.append(query.tag)
    for term in query_terms(query.search):
        if term.isdigit() and len(term) <= 7:
            clauses.append("(contains(search_text, ?) OR client_number = ?)")
            params += [term, int(term)]
        else:
            clauses.append("contains(search_text, ?)")
            params.append(term)
    return " AND ".join(clauses), params


_LIST_SELECT = """client_number, display_name, kind, coalesce(emails[1], '') AS email,
                   coalesce(phones[1], '') AS phone, city, last_invoice_date, active, needs_review,
                   len(missing_fields) > 0 AS incomplete, updated_at, sort_name"""
DEEP_OFFSET = 1000  # from here on, a page is cut from the matches' sort keys rather than from whole rows


def list_clients(conn: duckdb.DuckDBPyConnection, query: ClientQuery) -> tuple[pd.DataFrame, int]:
    """One page of the client table and the number of matching cards.

    Plain filters: the page, then a count (a first page that is not full is its own total). A search, or a
    deep page: the matching cards' sort keys are gathered once, in one scan, and both the page and the count
    come from them (a search over a million cards scans them once, not twice). With `after` (the Next button)
    the page starts after the previous page's last row rather than skipping an offset.
    """
    if query.sort not in SORTS:
        query = replace(query, sort="name", after=None)
    by_keys = query.search.strip() or (query.offset >= DEEP_OFFSET and query.after is None)
    return (_page_by_keys if by_keys else _page_by_rows)(conn.cursor(), query)


def _page_where(query: ClientQuery) -> tuple[str, list, str, list]:
    """(the filter, its parameters, the page's start, its parameters)."""
    where, params = _where(query)
    if query.after is None:
        return where, params, "TRUE", []
    start, start_params = _after(query.sort, query.after)
    return where, params, start, start_params


def _page_by_rows(cur, query: ClientQuery) -> tuple[pd.DataFrame, int]:
    where, params, start, start_params = _page_where(query)
    frame = cur.execute(
        f"SELECT {_LIST_SELECT} FROM clients WHERE {where} AND {start} ORDER BY {SORTS[query.sort]} LIMIT ? OFFSET ?",
        [*params, *start_params, int(query.limit), int(query.offset)],
    ).df()
    if query.offset == 0 and query.after is None and len(frame) < query.limit:
        return frame, len(frame)
    return frame, cur.execute(f"SELECT count(*) FROM clients WHERE {where}", params).fetchone()[0]


def _page_by_keys(cur, query: ClientQuery) -> tuple[pd.DataFrame, int]:
    where, params, start, start_params = _page_where(query)
    order = SORTS[query.sort]
    columns = ", ".join(c for c, _desc in SORT_KEYS[query.sort] if c != "client_number")
    frame = cur.execute(
        f"""WITH matches AS MATERIALIZED (
                SELECT client_number{", " + columns if columns else ""} FROM clients WHERE {where}),
             page AS (SELECT client_number FROM matches WHERE {start} ORDER BY {order} LIMIT ? OFFSET ?)
            SELECT {_LIST_SELECT}, (SELECT count(*) FROM matches) AS matched
            FROM page JOIN clients USING (client_number) ORDER BY {order}""",
        [*params, *start_params, int(query.limit), int(query.offset)],
    ).df()
    matched = int(frame["matched"].iloc[0]) if len(frame) else 0
    frame = frame.drop(columns="matched")
    if len(frame) or (query.offset == 0 and query.after is None):  # an empty first page: nothing matched
        return frame, matched
    return frame, cur.execute(f"SELECT count(*) FROM clients WHERE {where}", params).fetchone()[0]


def count_clients(conn: duckdb.DuckDBPyConnection, *, include_trash: bool = False) -> int:
    sql = "SELECT count(*) FROM clients" + ("" if include_trash else " WHERE deleted_at IS NULL")
    return conn.cursor().execute(sql).fetchone()[0]


def all_tags(conn: duckdb.DuckDBPyConnection) -> list[str]:
    rows = (
        conn.cursor()
        .execute("SELECT DISTINCT unnest(tags) AS tag FROM clients WHERE deleted_at IS NULL ORDER BY 1")
        .fetchall()
    )
    return [r[0] for r in rows]


def list_trash(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return (
        conn.cursor()
        .execute(
            "SELECT client_number, display_name, kind, deleted_at FROM clients "
            "WHERE deleted_at IS NOT NULL ORDER BY deleted_at DESC"
        )
        .df()
    )


EXPORT_COLUMNS = (
    "client_number",
    "kind",
    "display_name",
    "first_name",
    "last_name",
    "company_name",
    "tax_code",
    "vat_number",
    "sdi_code",
    "pec",
    "email",
    "phone",
    "street",
    "postal_code",
    "city",
    "province",
    "country",
    "birth_date",
    "active",
    "needs_review",
    "tags",
    "notes",
    "vat_country",
    "other_emails",
    "other_phones",
    "birth_place",
    "sex",
    "attention",
    "no_reminders",
    "ts_opposition",
    "psych_bonus",
    "review_reason",
    "missing_fields",
    "last_invoice_date",
    "created_at",
    "updated_at",
    "custom_fields",
)


def export_rows(conn: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyRelation:
    """Active and inactive cards (not the trash), one row each, in the export contract's columns.

    The contract's 22 columns come first; what follows keeps the rest of the card so nothing is lost.
    Lists are joined with '; ', dates are ISO, booleans are true/false.
    """
    return conn.cursor().sql(
        """SELECT client_number, kind, display_name, first_name, last_name, company_name, tax_code,
                  vat_number, sdi_code, pec, coalesce(emails[1], '') AS email, coalesce(phones[1], '') AS phone,
                  street, postal_code, city, province, country,
                  coalesce(strftime(birth_date, '%Y-%m-%d'), '') AS birth_date,
                  CASE WHEN active THEN 'true' ELSE 'false' END AS active,
                  CASE WHEN needs_review THEN 'true' ELSE 'false' END AS needs_review,
                  array_to_string(tags, '; ') AS tags, notes, vat_country,
                  array_to_string(emails[2:], '; ') AS other_emails,
                  array_to_string(phones[2:], '; ') AS other_phones, birth_place, sex,
                  attention::VARCHAR AS attention, no_reminders::VARCHAR AS no_reminders,
                  ts_opposition::VARCHAR AS ts_opposition, psych_bonus::VARCHAR AS psych_bonus,
                  review_reason, array_to_string(missing_fields, '; ') AS missing_fields,
                  coalesce(strftime(last_invoice_date, '%Y-%m-%d'), '') AS last_invoice_date,
                  strftime(created_at, '%Y-%m-%dT%H:%M:%S') AS created_at,
                  strftime(updated_at, '%Y-%m-%dT%H:%M:%S') AS updated_at,
                  CASE WHEN coalesce(custom_fields, '{}') = '{}' THEN '' ELSE custom_fields END AS custom_fields
           FROM clients WHERE deleted_at IS NULL ORDER BY client_number"""
    )
