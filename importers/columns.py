"""MAP and NORMALISE a client table column by column (VALIDATE: `column_checks`; the plan: `client_table`).

`rows.card_row` and `Planner.place_card` state the rules one row at a time, and stay the reference (they
also serve e-invoices and invoice tables, one client at a time). This module applies the same rules to
whole columns: every normaliser runs once per distinct value (a CAP, a city, a name), the per-row work is
reduced to a few list look-ups, and likely duplicates are scored a block at a time. The tests hold both
paths to the same cards, outcomes and messages.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Sequence

from core.identifiers import sdi
from core.models import ClientKind
from importers import fields as F
from importers.column_checks import check_columns, each, each_pair
from importers.normalise import (
    NULL_TOKENS,
    clean,
    country_code,
    date_order,
    fill_each,
    kind_of,
    looks_like_company,
    parse_dates,
    postal_code,
    proper_case,
    proper_case_many,
    split_address,
    split_full_name,
    vat_number,
)
from importers.rows import LIST_SEPARATORS, NAME_FIELDS, Message, decide_kind, split_cell, tax_or_vat_field, truthy

PRIVATE, COMPANY, PA = (k.value for k in ClientKind)
TEXT_TARGETS = ("first_name", "last_name", "company_name", "tax_code", "vat_country", "vat_number", "sdi_code", "pec",
                "street", "postal_code", "city", "province", "country", "birth_place", F.REVIEW)  # fmt: skip


def _json_dict(value: str) -> dict | None:
    try:
        kept = json.loads(value)
    except ValueError:
        return None
    return {str(k): str(v) for k, v in kept.items()} if isinstance(kept, dict) else None


def _country(value: str) -> str:
    code = country_code(value or "") or "IT"
    return code if len(code) == 2 else "IT"


def _bad_country(value: str) -> bool:
    return bool(value) and len(country_code(value)) != 2


def _province(value: str, country: str) -> tuple[str, str]:
    """(the province, the text kept aside as a custom field) as `rows.finish` decides them."""
    if len(value) == 2:
        return value.upper(), ""
    if value and country == "IT":
        return "", value
    return value, ""


def _parts(value: str) -> tuple[str, ...]:
    return tuple(split_cell(value)) if value else ()


def _split_column(cells: list[str]) -> list[tuple[str, ...]]:
    """`_parts` of a whole column: the cells holding a list separator (found by Arrow) are split, the others
    are one item each."""
    import pyarrow as pa
    import pyarrow.compute as pc

    parts = [(v,) if v else () for v in cells]
    listed = pc.match_substring_regex(pa.array(cells, pa.string()), "|".join(map(re.escape, LIST_SEPARATORS)))
    for r in pc.indices_nonzero(pc.fill_null(listed, False)).to_pylist():
        parts[r] = _parts(cells[r])
    return parts


class Columns:
    """One client table as columns: cleaned cells in, card values out, with per-row extras kept sparse."""

    def __init__(self, header: list[str], targets: list[str], cells: list[list[str]], n: int,
                 orders: dict[int, str] | None = None) -> None:  # fmt: skip
        self.header, self.targets, self.cells, self.n = header, targets, cells, n
        self.orders = orders or {}  # date columns: day- or month-first, decided over the whole table
        self.text: dict[str, list[str]] = {}
        self.lists: dict[str, list[tuple]] = {}
        self.flags: dict[str, list[bool | None]] = {}
        self.kind: list[str] = [""] * n
        self.birth: list[datetime.date | None] = [None] * n
        self.notes: list[list[str] | None] = [None] * n
        self.custom: list[dict | None] = [None] * n
        self.messages: list[list[Message] | None] = [None] * n

    def col(self, name: str) -> list[str]:
        if name not in self.text:
            self.text[name] = [""] * self.n
        return self.text[name]

    def put_custom(self, r: int, name: str, value: str) -> None:
        if self.custom[r] is None:
            self.custom[r] = {}
        self.custom[r][name] = value

    def message(self, r: int, message: Message) -> None:
        if self.messages[r] is None:
            self.messages[r] = []
        self.messages[r].append(message)

    def note(self, r: int, text: str) -> None:
        if self.notes[r] is None:
            self.notes[r] = []
        self.notes[r].append(text)


def columns_of(rows: Sequence[list[str]], width: int) -> list[list[str]]:
    """Rows as columns, ragged rows padded (or cut) to `width`."""
    if any(len(r) != width for r in rows):
        rows = [(list(r) + [""] * width)[:width] for r in rows]
    if not rows:
        return [[] for _ in range(width)]
    return [list(column) for column in zip(*rows, strict=True)]


_PLAIN_CELL = r"^[\x21-\x26\x28-\x7e]([\x20-\x7e]*[\x21-\x7e])?$"  # ASCII, nothing to trim or unquote


def clean_column(values) -> list[str]:
    """`clean` of a whole column (a list, or an Arrow array of text): the plain ASCII cells are found by Arrow
    and kept as they are (empty, or neither a NULL token nor with double inner spaces); only the others are
    cleaned, each distinct one once."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        column, values = values, values.to_pylist()  # a list of our own, cleaned in place
    else:
        values = list(values)
        try:
            column = pa.array(values, pa.string())
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            return each(clean_cell, values)
    if column.null_count:
        return each(clean_cell, values)
    length = pc.utf8_length(column)
    token = pc.and_(pc.less_equal(length, 4), pc.is_in(pc.ascii_lower(column), pa.array(sorted(NULL_TOKENS))))
    plain = pc.or_(
        pc.equal(length, 0),
        pc.and_(pc.match_substring_regex(column, _PLAIN_CELL),
                pc.invert(pc.or_(pc.match_substring(column, "  "), token))),
    )  # fmt: skip
    return fill_each(values, values, pc.indices_nonzero(pc.invert(plain)).to_pylist(), clean_cell)


def clean_cell(value: str) -> str:
    """`normalise.clean`, answered at once for the usual cell: printable, longer than any NULL token, with
    single inner spaces and nothing to trim or unquote (tests hold the two to the same answers)."""
    if type(value) is str and len(value) > 4 and value.isprintable() and value[0] not in " '" and value[-1] != " " \
            and "  " not in value:  # fmt: skip
        return value
    return clean(value)


# ---------------------------------------------------------------- collect (rows._collect, by column)


def collect(c: Columns) -> None:
    notes_columns = c.targets.count(F.NOTES)
    full_names: list[tuple[list[str], bool]] = []
    for i, (name, target, cells) in enumerate(zip(c.header, c.targets, c.cells, strict=True)):
        if target == F.IGNORE:
            continue
        if target in ("emails", "tags", "phones"):
            parts = [(v,) if v else () for v in cells] if target == "phones" else _split_column(cells)
            current = c.lists.get(target)
            c.lists[target] = parts if current is None else [a + b for a, b in zip(current, parts, strict=True)]
        elif target in (F.FULL_NAME_LAST_FIRST, F.FULL_NAME_FIRST_LAST):
            full_names.append((cells, target == F.FULL_NAME_LAST_FIRST))
        elif target == F.TAX_OR_VAT:
            dest = each(lambda v: tax_or_vat_field(v) if v else "", cells)
            for r, v in enumerate(cells):
                if v:
                    column = c.col(dest[r])
                    column[r] = column[r] or v
        elif target == F.CUSTOM_JSON:
            parsed = each(_json_dict, cells)
            for r, v in enumerate(cells):
                if v and parsed[r] is None:
                    c.put_custom(r, name, v)
                elif v:
                    for key, value in parsed[r].items():
                        c.put_custom(r, key, value)
        elif target == F.FULL_ADDRESS:
            parts = each(lambda v: split_address(v) if v else {}, cells)
            for r, found in enumerate(parts):
                for key, part in found.items():
                    column = c.col(key)
                    column[r] = column[r] or part
        elif target in F.FLAG_TARGETS:
            flags = each(truthy, cells)
            column = c.flags.setdefault(target, [None] * c.n)
            for r, v in enumerate(cells):
                if v and flags[r] is None:
                    c.put_custom(r, name, v)
                elif v:
                    column[r] = flags[r]
        elif target == F.KIND:
            kinds = each(lambda v: kind_of(v) if v else None, cells)
            for r, v in enumerate(cells):
                if v and kinds[r] is None:
                    c.put_custom(r, name, v)
                elif v:
                    c.kind[r] = kinds[r]
        elif target == "birth_date":
            order = c.orders.get(i) or date_order(cells)
            dates = parse_dates(cells, order)
            for r, v in enumerate(cells):
                if v and dates[r] is None:
                    c.put_custom(r, name, v)
                    c.message(r, Message(name, v, "import.msg.bad_date"))
                elif v:
                    c.birth[r] = dates[r]
        elif target == F.NOTES:
            for r, v in enumerate(cells):
                if v:
                    c.note(r, v if notes_columns == 1 else f"{name}: {v}")
        elif target in F.CARD_TARGETS:
            if target not in c.text:
                c.text[target] = list(cells)
                continue
            column = c.text[target]
            for r, v in enumerate(cells):
                if v and column[r] and column[r] != v:
                    c.put_custom(r, name, v)  # a second column for the same field: kept, not overwritten
                elif v:
                    column[r] = v
        else:  # custom, or invoice fields met in a client table (put_custom, written out: a cell at a time)
            custom = c.custom
            for r, v in enumerate(cells):
                if v:
                    if custom[r] is None:
                        custom[r] = {name: v}
                    else:
                        custom[r][name] = v
    if full_names:
        _full_names(c, full_names)
    countries = [i for i, target in enumerate(c.targets) if target == "country"]
    if countries:
        original = c.cells[countries[0]]
        for r, bad in enumerate(each(_bad_country, original)):
            if bad:
                c.custom[r] = c.custom[r] or {}
                c.custom[r].setdefault("country", original[r])


def _full_names(c: Columns, full_names: list[tuple[list[str], bool]]) -> None:
    first, last, company = c.col("first_name"), c.col("last_name"), c.col("company_name")
    codes = c.text.get("tax_code") or [""] * c.n
    split = {}
    for r, code in enumerate(codes):
        for cells, last_first in full_names:
            text = cells[r]
            if not text:
                continue
            if looks_like_company(text) or c.kind[r] in (COMPANY, PA):
                company[r] = company[r] or text
            elif not (first[r] or last[r]):
                key = (text, last_first, code)
                if key not in split:
                    split[key] = split_full_name(proper_case(text), last_first, code)
                first[r], last[r] = split[key]
            elif text != f"{first[r]} {last[r]}".strip():
                company[r] = company[r] or text


# ---------------------------------------------------------------- finish (rows.finish), then check (column_checks)


def finish(c: Columns, *, strict: bool, lang: str, region: str, unmapped: str) -> dict[str, list]:
    for name in TEXT_TARGETS:
        c.col(name)
    text = c.text
    sdi_lengths = each(lambda v: len(sdi.compact(v)), text["sdi_code"])
    company_like = each(looks_like_company, text["company_name"])
    kinds = [
        decide_kind(k, bool(f or la), co, bool(va), like, length)
        for k, f, la, co, va, like, length in zip(c.kind, text["first_name"], text["last_name"], text["company_name"],
                                                  text["vat_number"], company_like, sdi_lengths, strict=True)
    ]  # fmt: skip
    for name in NAME_FIELDS:
        text[name] = proper_case_many(text[name])
    country = text["country"] = each(_country, text["country"])
    text["postal_code"] = each_pair(lambda v, k: postal_code(v, k) if v else v, text["postal_code"], country)
    text["vat_number"] = each_pair(lambda v, k: vat_number(v, k) if v else v, text["vat_number"], country)
    provinces = each_pair(_province, text["province"], country)
    text["province"] = [p for p, _aside in provinces]
    for r, (_p, aside) in enumerate(provinces):
        if aside:
            c.put_custom(r, "province", aside)
    if unmapped == F.NOTES:
        for r, kept in enumerate(c.custom):
            if kept:
                for key, value in kept.items():
                    c.note(r, f"{key}: {value}")
                c.custom[r] = None
    notes = ["\n".join(lines).strip() if lines else "" for lines in c.notes]
    return check_columns(c, kinds, notes, strict=strict, lang=lang, region=region)


# ---------------------------------------------------------------- cards


def card_fields(c: Columns, out: dict) -> dict[str, list]:
    """Every `Client` field as a column over the table's rows (meaningful for the accepted rows)."""
    n = c.n
    flags = {name: c.flags.get(name) or [None] * n for name in F.FLAG_TARGETS}
    review = c.text[F.REVIEW]
    reasons = list(review)
    for r in range(n):
        if out["flagged"][r] and not out["rejected"][r]:
            said = "; ".join(f"{m.column}: {m.message}" if m.column else m.message for m in c.messages[r])
            reasons[r] = "; ".join(x for x in (review[r], said) if x)
    fields = {name: out[name] for name in ("kind", "first_name", "last_name", "company_name", "tax_code",
              "vat_country", "vat_number", "sdi_code", "pec", "emails", "phones", "street", "postal_code", "city",
              "province", "country", "birth_date", "birth_place", "sex", "tags", "notes")}  # fmt: skip
    for name in ("attention", "no_reminders", "ts_opposition", "psych_bonus"):
        fields[name] = [bool(v) for v in flags[name]]
    fields["active"] = [True if v is None else v for v in flags["active"]]
    fields["needs_review"] = [bool(x) for x in reasons]
    fields["review_reason"] = reasons
    fields["missing_fields"] = out["missing_fields"]
    fields["custom_fields"] = [kept or {} for kept in c.custom]
    for name, value in (("client_number", None), ("last_invoice_date", None), ("created_at", None),
                        ("updated_at", None), ("deleted_at", None), ("version", 0)):  # fmt: skip
        fields[name] = [value] * n
    return fields


__all__ = ["Columns", "card_fields", "clean_column", "collect", "finish"]
