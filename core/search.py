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
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def search_text(values: dict) -> str:
    parts = [
        values.get("first_name", ""),
        values.get("last_name", ""),
        values.get("company_name", ""),
        values.get("tax_code", ""),
        values.get("vat_number", ""),
        values.get("pec", ""),
        *values.get("emails", []),
    ]
    text = " ".join(fold(p) for p in parts if p)
    digits = " ".join(phone.digits(p) for p in values.get("phones", []))
    return f"{text} {digits}".strip()


def query_terms(query: str) -> list[str]:
    """Terms that must all appear. A phone-looking query becomes one run of digits."""
    query = (query or "").strip()
    if not query:
        return []
    if _PHONE_QUERY.match(query) and sum(ch.isdigit() for ch in query) >= 5:
        digits = "".join(ch for ch in query if ch.isdigit())
        return [digits.lstrip("0") if query.startswith(("+", "00")) else digits]
    return [t for t in fold(query).split() if t]
