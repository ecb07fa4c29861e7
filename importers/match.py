"""MATCH: finding the card a row belongs to, by exact keys (tax code, VAT number, e-mail, name + place +
phone), and likely duplicates by similar names in the same place (rapidfuzz, in small blocks)."""

from __future__ import annotations

from typing import Any

from rapidfuzz import fuzz, process

from core.search import fold
from core.store.uow import UnitOfWork


def _keys(values: dict) -> list[tuple]:
    keys = []
    if values.get("tax_code"):
        keys.append(("tax", values["tax_code"].replace(" ", "").upper()))
    if values.get("vat_number"):
        keys.append(("vat", (values.get("vat_country") or "IT") + values["vat_number"].replace(" ", "").upper()))
    keys += [("email", e.lower()) for e in values.get("emails", []) if e]
    name = fold(values.get("display_name", ""))
    place = values.get("postal_code") or fold(values.get("city", ""))
    if name:
        keys.append(("name", name, place, (values.get("phones") or [""])[0]))
    return keys


BLOCK_LIMIT = 2000  # likely duplicates are looked for among the latest cards of the same block


def _block_key(values: dict, name: str) -> tuple:
    """Place (postal code, else city) and the name's first letter: small blocks keep matching linear."""
    return (values.get("postal_code") or fold(values.get("city", "")), name[:1])


def _sorted_tokens(name: str) -> str:
    """token_sort_ratio's own preprocessing, done once per name instead of once per comparison."""
    return " ".join(sorted(name.split()))


class MatchIndex:
    """Exact keys (tax code, VAT number, e-mail, name + place + phone) and name blocks for likely duplicates.

    A block keeps two parallel lists, token-sorted names and refs, so rapidfuzz scores it without copying.
    """

    def __init__(self) -> None:
        self.exact: dict[tuple, Any] = {}
        self.blocks: dict[tuple, tuple[list[str], list[Any]]] = {}

    def add(self, ref, values: dict) -> None:
        for key in _keys(values):
            self.exact.setdefault(key, ref)
        name = fold(values.get("display_name", ""))
        if name:
            names, refs = self.blocks.setdefault(_block_key(values, name), ([], []))
            names.append(_sorted_tokens(name))
            refs.append(ref)

    def find(self, values: dict):
        for key in _keys(values):
            if key in self.exact:
                return self.exact[key]
        return None

    def likely(self, values: dict, threshold: float = 92.0):
        """A card with a very similar name in the same place (rapidfuzz scores the whole block in C)."""
        name = fold(values.get("display_name", ""))
        names, refs = self.blocks.get(_block_key(values, name), ((), ()))
        if not names:
            return None
        start = max(0, len(names) - BLOCK_LIMIT)
        recent = names[start:] if start else names
        found = process.extractOne(_sorted_tokens(name), recent, scorer=fuzz.ratio, score_cutoff=threshold)
        return refs[start + found[2]] if found else None


def build_index(uow: UnitOfWork) -> MatchIndex:
    index = MatchIndex()
    for number, tax, vat_country, vat, emails, display, postal, city in uow.imports.match_rows():
        index.add(
            number,
            {"tax_code": tax, "vat_country": vat_country, "vat_number": vat, "emails": list(emails or []),
             "display_name": display, "postal_code": postal, "city": city},
        )  # fmt: skip
    return index
