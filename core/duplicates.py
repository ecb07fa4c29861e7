"""Likely duplicate cards among those stored: the pairs a person should look at (and merge).

Two ways a pair is found:
- an exact shared identifier: tax code, VAT number (with its country) or e-mail, found by SQL self-joins;
- a very similar name in the same place (postal code, else city): token-sort ratio ≥ 88, or a single
  typing slip (one insertion, deletion or substitution) in a name of 8 letters or more. Names are compared
  only within blocks of the same place and the same first letter of the token-sorted name, each block
  scored in C (`process.cdist`), so the work grows with the blocks, not with the square of the cards.
  Evidence of two people overrides a similar name: two different tax codes never pair, and two cards that
  both have e-mail addresses, none in common, pair only with a ratio of 95 or more.
Cards in the trash are left out.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from core.search import fold

NAME_THRESHOLD = 88
DISTINCT_EMAILS_THRESHOLD = 95
CHUNK = 2000  # rows of a block scored at once (memory: CHUNK x block size bytes)


@dataclass(frozen=True)
class DuplicatePair:
    first: int  # the lower client number
    second: int
    reason: str  # tax_code, vat_number, email or name
    score: float


def _exact_pairs(conn: duckdb.DuckDBPyConnection) -> list[DuplicatePair]:
    cur = conn.cursor()
    rows = cur.execute(
        """WITH live AS (SELECT * FROM clients WHERE deleted_at IS NULL),
                keys AS (
                    SELECT client_number, 'tax_code' AS reason, upper(tax_code) AS k FROM live WHERE tax_code <> ''
                    UNION ALL
                    SELECT client_number, 'vat_number', vat_country || vat_number FROM live WHERE vat_number <> ''
                    UNION ALL
                    SELECT client_number, 'email', lower(unnest(emails)) FROM live)
           SELECT a.client_number, b.client_number, min(a.reason)
           FROM keys a JOIN keys b ON a.reason = b.reason AND a.k = b.k AND a.client_number < b.client_number
           GROUP BY ALL"""
    ).fetchall()
    return [DuplicatePair(a, b, reason, 100.0) for a, b, reason in rows]


def _name_pairs(conn: duckdb.DuckDBPyConnection, threshold: float) -> list[DuplicatePair]:
    rows = (
        conn.cursor()
        .execute(
            """SELECT client_number, display_name, CASE WHEN postal_code <> '' THEN postal_code ELSE city END,
                      upper(tax_code), list_transform(emails, e -> lower(e))
               FROM clients WHERE deleted_at IS NULL AND display_name <> ''"""
        )
        .fetchall()
    )
    blocks: dict[tuple[str, str], tuple[list[int], list[str]]] = {}
    evidence: dict[int, tuple[str, frozenset]] = {}
    for number, name, place, tax, emails in rows:
        tokens = " ".join(sorted(fold(name).split()))
        if not tokens:
            continue
        numbers, names = blocks.setdefault((fold(place or ""), tokens[:1]), ([], []))
        numbers.append(number)
        names.append(tokens)
        evidence[number] = (tax or "", frozenset(emails or ()))
    pairs = []
    for numbers, names in blocks.values():
        if len(names) < 2:
            continue
        for start in range(0, len(names), CHUNK):
            chunk = names[start : start + CHUNK]
            scores = process.cdist(chunk, names, scorer=fuzz.ratio, score_cutoff=threshold, dtype=np.uint8,
                                   workers=-1)  # fmt: skip
            slips = process.cdist(chunk, names, scorer=Levenshtein.distance, score_cutoff=1, dtype=np.uint8,
                                  workers=-1)  # fmt: skip
            lengths = np.array([len(n) for n in chunk])[:, None]
            hits = (scores > 0) | ((slips <= 1) & (lengths >= 8))
            for i, j in zip(*np.nonzero(hits), strict=True):
                if start + i >= j:
                    continue  # each pair once, never a card with itself
                a, b = sorted((numbers[start + i], numbers[j]))
                score = float(max(scores[i, j], fuzz.ratio(chunk[i], names[j])))
                if _two_people(evidence[a], evidence[b], score):
                    continue
                pairs.append(DuplicatePair(a, b, "name", score))
    return pairs


def _two_people(first: tuple[str, frozenset], second: tuple[str, frozenset], score: float) -> bool:
    (tax_a, emails_a), (tax_b, emails_b) = first, second
    if tax_a and tax_b and tax_a != tax_b:
        return True
    return bool(emails_a and emails_b and not emails_a & emails_b and score < DISTINCT_EMAILS_THRESHOLD)


def find_duplicates(conn: duckdb.DuckDBPyConnection, threshold: float = NAME_THRESHOLD) -> list[DuplicatePair]:
    """Every likely duplicate pair once, identifiers first, then by name similarity (highest first)."""
    found: dict[tuple[int, int], DuplicatePair] = {}
    for pair in _exact_pairs(conn) + sorted(_name_pairs(conn, threshold), key=lambda p: -p.score):
        found.setdefault((pair.first, pair.second), pair)
    return list(found.values())
