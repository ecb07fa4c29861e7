"""Accent- and case-insensitive search text, computed once when a card is written."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from core.identifiers import phone

_PHONE_QUERY = re.compile(r"^[\d\s+\-./()]+$")


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """'Nicolò D'Ámbrosio' -> "nicolo d'ambrosio"."""
    if not text:
        return ""
    if text.isascii():  # nothing to decompose
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


SEARCHED = ("first_name", "last_name", "company_name", "tax_code", "vat_number", "pec")


def search_text(values: dict) -> str:
    """Folded names, identifiers and e-mails, then the phones' digits: what a list search matches."""
    return search_texts({name: [values.get(name) or ""] for name in SEARCHED} | {
        "emails": [values.get("emails") or []], "phones": [values.get("phones") or []]})[0]  # fmt: skip


def fold_column(values) -> list[str]:
    """`fold` of a whole column (a list or an Arrow array): ASCII text lower-cased by Arrow, the rest folded
    one by one."""
    return fold_array(values).to_pylist()


def fold_array(values):
    """`fold` of every text (Arrow array or list, None as ''), as an Arrow array."""
    import pyarrow as pa
    import pyarrow.compute as pc

    column = pc.fill_null(values if isinstance(values, (pa.Array, pa.ChunkedArray)) else pa.array(values, pa.string()),
                          "")  # fmt: skip
    folded = pc.utf8_lower(column)
    other = pc.invert(pc.string_is_ascii(column))
    if pc.any(other).as_py():
        rest = [fold(v) for v in column.filter(other).to_pylist()]
        folded = pc.replace_with_mask(folded, other, pa.array(rest, pa.string()))
    return folded


def search_texts(columns: dict[str, list]) -> list[str]:
    """`search_text` of many cards given as columns."""
    return search_text_array(columns).to_pylist()


def search_text_array(columns: dict[str, list]):
    """`search_text` of many cards given as columns, as an Arrow array: each column folded at once, the
    words joined by Arrow (empty ones left out)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    emails = pa.array(columns["emails"], pa.list_(pa.string()))
    if pc.any(pc.equal(pc.list_flatten(emails), "")).as_py():
        emails = pa.array([[e for e in items if e] if items else [] for items in columns["emails"]],
                          pa.list_(pa.string()))  # fmt: skip
    phones = pa.array(columns["phones"], pa.list_(pa.string()))
    flat = pc.list_flatten(phones)
    distinct = pc.unique(flat)
    digits = phone.digits_array(distinct)
    found = pc.take(digits, pc.index_in(flat, value_set=distinct))
    keep = pc.not_equal(found, "")
    owner = pc.list_parent_indices(phones)
    phone_words = pc.binary_join(_as_lists(found.filter(keep), owner.filter(keep), len(phones)), " ")
    parts = [fold_array(columns[name]) for name in SEARCHED]
    parts += [fold_array(pc.binary_join(emails, " ")), pc.fill_null(phone_words, "")]
    text = parts[0]
    for part in parts[1:]:  # words joined by one space, empty ones left out
        both = pc.binary_join_element_wise(text, part, " ")
        text = pc.if_else(pc.equal(text, ""), part, pc.if_else(pc.equal(part, ""), text, both))
    return text


def _as_lists(values, owners, count: int):
    """Values grouped into `count` lists by their owner's index (owners ascending)."""
    import numpy as np
    import pyarrow as pa

    counts = np.bincount(owners.to_numpy(zero_copy_only=False), minlength=count) if len(owners) else np.zeros(count)
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets), values)


def query_terms(query: str) -> list[str]:
    """Terms that must all appear. A phone-looking query becomes one run of digits."""
    query = (query or "").strip()
    if not query:
        return []
    if _PHONE_QUERY.match(query) and sum(ch.isdigit() for ch in query) >= 5:
        digits = "".join(ch for ch in query if ch.isdigit())
        return [digits.lstrip("0") if query.startswith(("+", "00")) else digits]
    return [t for t in fold(query).split() if t]
