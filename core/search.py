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
    parts = [fold(values[name]) for name in SEARCHED if values.get(name)]
    parts += [fold(e) for e in values.get("emails", ()) if e]
    parts += [d for d in map(phone.digits, values.get("phones", ())) if d]
    return " ".join(parts)


def query_terms(query: str) -> list[str]:
    """Terms that must all appear. A phone-looking query becomes one run of digits."""
    query = (query or "").strip()
    if not query:
        return []
    if _PHONE_QUERY.match(query) and sum(ch.isdigit() for ch in query) >= 5:
        digits = "".join(ch for ch in query if ch.isdigit())
        return [digits.lstrip("0") if query.startswith(("+", "00")) else digits]
    return [t for t in fold(query).split() if t]
