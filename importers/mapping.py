"""MAP: source columns -> card or invoice fields, from header synonyms, known programs' layouts, the values
themselves (a column of valid codici fiscali is the tax code whatever its header) and mappings saved earlier.

Nothing is dropped: a column that maps to nothing is kept as a custom field (or in the notes).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from core.identifiers import email, phone, tax_code, vat
from importers import fields as F
from importers.normalise import clean

SCALAR_CARD_TARGETS = set(F.CARD_TARGETS) - {"emails", "phones", "tags"}
SAMPLE_ROWS = 200


@dataclass
class ColumnMap:
    source: str
    target: str
    reason: str  # header, values, profile, saved, user, duplicate, unmapped, empty
    samples: list[str] = field(default_factory=list)


@dataclass
class Mapping:
    table_kind: str  # "clients", "invoices", "payments" (`fields.table_kind`), or "other": a known program's table
    # that holds no client records
    columns: list[ColumnMap]
    profile: str | None = None

    def targets(self) -> dict[str, str]:
        return {c.source: c.target for c in self.columns}

    def with_targets(self, changes: dict[str, str]) -> Mapping:
        """The same mapping with some columns sent elsewhere by the user (a table of no client records is then
        imported as the columns now say)."""
        if not any(c.source in changes and changes[c.source] != c.target for c in self.columns):
            return self
        unknown = set(changes.values()) - set(F.ALL_TARGETS)
        if unknown:
            raise ValueError(f"unknown target(s): {', '.join(sorted(unknown))}")
        cols = [
            ColumnMap(c.source, changes[c.source], "user", c.samples) if c.source in changes else c
            for c in self.columns
        ]
        return Mapping(F.table_kind(c.target for c in cols), cols, self.profile)


def signature(header: list[str]) -> str:
    """Identifies a layout, so that a mapping the user corrected can be offered again."""
    keys = ",".join(sorted(F.header_key(h) for h in header))
    return hashlib.sha1(keys.encode()).hexdigest()[:16]


def _mostly(present: list[str], test) -> bool:
    """Whether `test` holds for at least 80% of the values (it stops as soon as more than 20% have failed)."""
    failed = 0
    for v in present:
        if not test(v):
            failed += 1
            if failed * 5 > len(present):
                return False
    return bool(present)


def _value_target(values: list[str]) -> str | None:
    """A target recognised from the values alone (80% of the non-empty ones must agree)."""
    present = [v for v in values if v]
    if len(present) < 1:
        return None

    def is_cf(v):
        return len(v.replace(" ", "")) == 16 and tax_code.is_valid(v, "IT")

    def is_piva(v):
        return vat.is_valid(v, "IT") and len(vat.compact(v, "IT")) == 11

    def is_phone(v):
        return sum(ch.isdigit() for ch in v) >= 6 and phone.is_valid(v, "IT")

    checks = [
        ("tax_code", is_cf),
        ("vat_number", is_piva),
        ("emails", lambda v: "@" in v and email.is_valid(v)),
        ("phones", is_phone),
    ]
    for target, test in checks:
        if _mostly(present, test):
            return target
    if _mostly(present, lambda v: tax_code.is_valid(v, "IT") or is_piva(v)):
        return F.TAX_OR_VAT
    return None


def _header_targets(name: str, invoices: bool) -> list[str]:
    targets = list(F.SYNONYMS.get(F.header_key(name), []))
    if not targets:
        key = F.header_key(re.sub(r"\s*\(\d+\)$", "", name))  # "Phone (2)" from a duplicated header
        targets = list(F.SYNONYMS.get(key, []))
    invoice_first = [t for t in targets if t in F.INVOICE_TARGETS]
    card_first = [t for t in targets if t not in F.INVOICE_TARGETS]
    return invoice_first + card_first if invoices else card_first


def _is_invoice_table(header: list[str], profile: str | None) -> bool:
    if profile and any(t in F.INVOICE_TARGETS for t in F.PROFILES[profile]["mapping"].values()):
        return True
    keys = {F.header_key(h) for h in header}
    hits = keys & F.INVOICE_HINTS
    has_number = any("invoice_number" in F.SYNONYMS.get(k, []) for k in hits)
    paid = {"invoice_total", "invoice_net", "invoice_paid_date", "payment_amount"}  # an amount, or when it was paid
    return has_number and any(set(F.SYNONYMS.get(k, [])) & paid for k in hits)


def suggest_mapping(
    header: list[str],
    rows: list[list[str]],
    *,
    saved: dict[str, str] | None = None,
    unmapped: str = F.CUSTOM,
    profile: str | None = None,
) -> Mapping:
    """Propose a target for every column; `saved` (a mapping the user corrected before) wins.

    `profile` forces a known program's layout instead of recognising it from the headers.
    """
    profile = profile or F.detect_profile(header)
    invoices = _is_invoice_table(header, profile)
    profile_map = F.PROFILES[profile]["mapping"] if profile else {}
    sample = rows[:SAMPLE_ROWS]
    columns: list[ColumnMap] = []
    used: set[str] = set()
    for index, name in enumerate(header):
        values = [clean(r[index]) if index < len(r) else "" for r in sample]
        samples = [v for v in values if v][:5]
        target, reason = None, ""
        if saved and name in saved:
            target, reason = saved[name], "saved"
        elif name in profile_map:
            target, reason = profile_map[name], "profile"
        found = _value_target(values) if target is None and not invoices else None
        if found in ("tax_code", "vat_number", F.TAX_OR_VAT):  # identifiers are trusted over headers
            target, reason = found, "values"
        if target is None:
            for candidate in _header_targets(name, invoices):
                if candidate in SCALAR_CARD_TARGETS | set(F.INVOICE_TARGETS) and candidate in used:
                    continue
                target, reason = candidate, "header"
                break
        if target is None and found:
            target, reason = found, "values"
        if target is None or (target in SCALAR_CARD_TARGETS and target in used and reason != "saved"):
            target, reason = (unmapped, "unmapped") if any(values) else (unmapped, "empty")
            if reason == "empty" and not any(clean(r[index]) for r in rows if index < len(r)):
                target = F.IGNORE
        used.add(target)
        columns.append(ColumnMap(name, target, reason, samples))
    mapped_before = any(c.reason == "saved" for c in columns)  # the user chose where this layout's columns go
    other = profile and F.PROFILES[profile].get("not_clients") and not mapped_before
    kind = "other" if other else F.table_kind(c.target for c in columns) if invoices else "clients"
    return Mapping(kind, columns, profile)
