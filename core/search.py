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


def fold_column(values: list[str]) -> list[str]:
    """`fold` of a whole column: ASCII text lower-cased by Arrow, the rest folded one by one."""
    import pyarrow as pa
    import pyarrow.compute as pc

    column = pa.array(values, pa.string())
    folded = pc.utf8_lower(column).to_pylist()
    for i in pc.indices_nonzero(pc.invert(pc.string_is_ascii(column))).to_pylist():
        folded[i] = fold(values[i])
    return folded


def search_texts(columns: dict[str, list]) -> list[str]:
    """`search_text` of many cards given as columns, each column folded at once."""
    emails = [" ".join(e for e in items if e) if items else "" for items in columns["emails"]]
    numbers: dict[str, str] = {}
    phones = []
    for values in columns["phones"]:
        found = []
        for value in values or ():
            digits = numbers.get(value)
            if digits is None:
                digits = numbers[value] = phone.digits(value)
            if digits:
                found.append(digits)
        phones.append(" ".join(found))
    parts = [fold_column([v or "" for v in columns[name]]) for name in SEARCHED] + [fold_column(emails), phones]
    return [" ".join(filter(None, words)) for words in zip(*parts, strict=True)]


def query_terms(query: str) -> list[str]:
    """Terms that must all appear. A phone-looking query becomes one run of digits."""
    query = (query or "").strip()
    if not query:
        return []
    if _PHONE_QUERY.match(query) and sum(ch.isdigit() for ch in query) >= 5:
        digits = "".join(ch for ch in query if ch.isdigit())
        return [digits.lstrip("0") if query.startswith(("+", "00")) else digits]
    return [t for t in fold(query).split() if t]
