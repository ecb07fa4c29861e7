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
    if text.isascii():  # nothing to decompose
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


SEARCHED = ("first_name", "last_name", "company_name", "tax_code", "vat_number", "pec")


def search_text(values: dict) -> str:
    """Folded names, identifiers and e-mails, then the phones' digits: what a list search matches."""
    return search_texts({name: [values.get(name) or ""] for name in SEARCHED} | {
        "emails": [values.get("emails") or []], "phones": [values.get("phones") or []]})[0]  # fmt: skip


def search_texts(columns: dict[str, list]) -> list[str]:
    """`search_text` of many cards given as columns: each distinct name or address is folded once."""
    folded: dict[str, str] = {}

    def fold_all(values) -> list[str]:
        for value in values:
            if value not in folded:
                folded[value] = fold(value or "")
        return [folded[v] for v in values]

    texts = []
    named = zip(*(fold_all(columns[name]) for name in SEARCHED), strict=True)
    for parts, emails, phones in zip(named, columns["emails"], columns["phones"], strict=True):
        words = [p for p in parts if p]
        if emails:
            words += [fold(e) for e in emails if e]
        if phones:
            words += [d for d in map(phone.digits, phones) if d]
        texts.append(" ".join(words))
    return texts


def query_terms(query: str) -> list[str]:
    """Terms that must all appear. A phone-looking query becomes one run of digits."""
    query = (query or "").strip()
    if not query:
        return []
    if _PHONE_QUERY.match(query) and sum(ch.isdigit() for ch in query) >= 5:
        digits = "".join(ch for ch in query if ch.isdigit())
        return [digits.lstrip("0") if query.startswith(("+", "00")) else digits]
    return [t for t in fold(query).split() if t]
