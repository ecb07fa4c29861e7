"""MATCH: finding the card a row belongs to, by exact keys (tax code, VAT number, e-mail, name + place +
phone), and likely duplicates by similar names in the same place (rapidfuzz, in small blocks)."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

import numpy
from rapidfuzz import fuzz, process

from core.search import fold, fold_array, fold_column
from importers.column_checks import each_pair

if TYPE_CHECKING:
    from core.store.uow import UnitOfWork


def exact_key(kind: str, *parts: str) -> str:
    """One exact key as a single string ("tax\x00RSSMRA…"): a million cards' keys take far less memory than
    tuples, and hash once."""
    return "\x00".join((kind, *parts))


_LOW = (1 << 64) - 1


def key_ids(keys: list[str]) -> list[int]:
    """Exact keys as the index holds them: 128 bits from two of this process's string hashes, 0 for no key ("").
    A million cards' keys then take some 40 bytes each rather than 70 to 100 (about 130 MB at a million rows);
    two different keys share an id with a chance of 2^-128. The ids are this process's own: keys travel between
    processes as text."""
    return [(hash(k) << 64) ^ (hash(k + "\x01") & _LOW) if k else 0 for k in keys]


def _keys(values: dict) -> list[str]:
    keys = []
    if values.get("tax_code"):
        keys.append(exact_key("tax", values["tax_code"].replace(" ", "").upper()))
    if values.get("vat_number"):
        keys.append(
            exact_key("vat", (values.get("vat_country") or "IT") + values["vat_number"].replace(" ", "").upper())
        )
    keys += [exact_key("email", e.lower()) for e in values.get("emails", []) if e]
    name = fold(values.get("display_name", ""))
    place = values.get("postal_code") or fold(values.get("city", ""))
    if name:
        keys.append(exact_key("name", name, place, (values.get("phones") or [""])[0]))
    return keys


BLOCK_LIMIT = 2000  # likely duplicates are looked for among the latest cards of the same block
LIKELY_THRESHOLD = 92.0
LIKELY_CHUNK = 1024  # names of one block scored together
SMALL_BLOCK = 256  # blocks up to this size are scored one name at a time


def _block_key(values: dict, name: str) -> tuple:
    """Place (postal code, else city) and the name's first letter: small blocks keep matching linear."""
    return (values.get("postal_code") or fold(values.get("city", "")), name[:1])


def _sorted_tokens(name: str) -> str:
    """token_sort_ratio's own preprocessing, done once per name instead of once per comparison."""
    return " ".join(sorted(name.split()))


_PLAIN_WORDS = r"^[\x21-\x7e]+( [\x21-\x7e]+)?$"  # one or two ASCII words, one space between


def sorted_tokens_many(names) -> list[str]:
    """`_sorted_tokens` of many names (an Arrow array of text): names of one or two plain ASCII words ordered by
    Arrow (byte order is code point order), the others one by one."""
    import pyarrow as pa
    import pyarrow.compute as pc

    parts = pc.split_pattern(names, " ", max_splits=1)
    first = pc.list_element(parts, 0)
    second = pc.binary_join(pc.list_slice(parts, 1, 2), "")  # "" for a single word
    swapped = pc.if_else(pc.less(second, first), pc.binary_join_element_wise(second, first, " "), names)
    plain = pc.or_(pc.equal(names, ""), pc.match_substring_regex(names, _PLAIN_WORDS))
    result = pc.if_else(pc.equal(second, ""), names, swapped)
    others = pc.invert(plain)
    if pc.any(others).as_py():
        rest = [_sorted_tokens(v) for v in names.filter(others).to_pylist()]
        result = pc.replace_with_mask(result, others, pa.array(rest, pa.string()))
    return result.to_pylist()


def exact_keys_many(kind: str, values: list[str], *, upper: bool) -> list[str]:
    """`exact_key(kind, ...)` of every value, "" for an empty one: with `upper` (tax codes) without spaces and
    upper-cased, else (e-mails) lower-cased. ASCII values are keyed by Arrow, the others one by one."""
    import pyarrow as pa
    import pyarrow.compute as pc

    column = pa.array(values, pa.string())
    text = pc.ascii_upper(pc.replace_substring(column, " ", "")) if upper else pc.ascii_lower(column)
    keyed = pc.if_else(pc.equal(column, ""), "", pc.binary_join_element_wise(pa.scalar(kind + "\x00"), text, ""))
    other = pc.invert(pc.string_is_ascii(column))
    if pc.any(other).as_py():
        rest = [
            exact_key(kind, v.replace(" ", "").upper() if upper else v.lower())
            for v in column.filter(other).to_pylist()
        ]
        keyed = pc.replace_with_mask(keyed, other, pa.array(rest, pa.string()))
    return keyed.to_pylist()


def keys_of_columns(fields: dict[str, list], display, rejected: list[bool]) -> tuple[list, list]:
    """`_keys` of every row as columns (tax code, VAT number, first e-mail, name + place + phone: "" where a
    row has none; then {row: its further e-mails}; rejected rows have none), and `MatchIndex.block_of` of every
    row (`display`: the rows' display names, Arrow). Each distinct value is folded once."""
    folded = fold_array(display)
    names = folded.to_pylist()
    places = [code or city for code, city in zip(fields["postal_code"], fold_column(fields["city"]), strict=True)]
    sorted_names = sorted_tokens_many(folded)
    taxes = exact_keys_many("tax", fields["tax_code"], upper=True)
    vats = each_pair(lambda k, v: exact_key("vat", (k or "IT") + v.replace(" ", "").upper()) if v else "",
                     fields["vat_country"], fields["vat_number"])  # fmt: skip
    lists = fields["emails"]
    several = max(map(len, lists), default=0) > 1
    emails = exact_keys_many("email", [items[0] if len(items) == 1 else "" for items in lists] if several else
                             [items[0] if items else "" for items in lists], upper=False)  # fmt: skip
    more: dict[int, list[str]] = {}
    for r in [r for r, items in enumerate(lists) if len(items) > 1] if several else ():
        row_keys = [exact_key("email", e.lower()) for e in lists[r] if e]
        emails[r] = row_keys[0] if row_keys else ""
        if len(row_keys) > 1:
            more[r] = row_keys[1:]
    # exact_key("name", name, place, phone), written out: a call a row saved
    name_keys = [f"name\x00{name}\x00{place}\x00{phones[0] if phones else ''}" if name else ""
                 for name, place, phones in zip(names, places, fields["phones"], strict=True)]  # fmt: skip
    blocks = [((place, name[:1]), tokens) if name else None
              for name, place, tokens in zip(names, places, sorted_names, strict=True)]  # fmt: skip
    for r in itertools.compress(range(len(rejected)), rejected):
        taxes[r] = vats[r] = emails[r] = name_keys[r] = ""
        more.pop(r, None)
    return [taxes, vats, emails, name_keys, more], blocks


_NO_CODE = numpy.iinfo(numpy.int64).min  # a key id not in a run
SINGLE_LOOKUPS = 2_000  # one-key lookups in the runs after which they become a dict (`ExactIndex.get`)


def _code(ref) -> int:
    """A ref as a run holds it: N for a planned card "new:N", -1 - number for a stored card."""
    return int(ref[4:]) if isinstance(ref, str) else -1 - ref


def _ref(code: int):
    return f"new:{code}" if code >= 0 else -1 - code


def _halves(ids) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Key ids as two arrays: their high halves (signed) and low halves."""
    ids = list(ids)
    return (numpy.fromiter((i >> 64 for i in ids), numpy.int64, len(ids)),
            numpy.fromiter((i & _LOW for i in ids), numpy.uint64, len(ids)))  # fmt: skip


class ExactIndex:
    """{key id: ref}, the first ref given a key kept. Keys added one at a time sit in a dict; keys added many at
    once (a chunk's rows that share no key, a batch of stored cards) go into runs of three arrays (the ids' halves,
    sorted, and the refs' codes): 24 bytes a key instead of a dict entry and a 128-bit int (some 80), about 200 MB
    less at a million rows. Runs of alike size are merged, so a lookup searches a few of them. Many keys are looked
    up at once (`present`, `lookup`); one at a time is slower, so a table matched row by row, after
    SINGLE_LOOKUPS of them, turns the runs into the dict."""

    def __init__(self) -> None:
        self._one: dict[int, Any] = {}
        self._runs: list[tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]] = []
        self._single = 0  # lookups of one key in the runs so far

    def __len__(self) -> int:
        return len(self._one) + sum(len(run[0]) for run in self._runs)

    def __eq__(self, other) -> bool:
        return isinstance(other, ExactIndex) and self.as_dict() == other.as_dict()

    def as_dict(self) -> dict[int, Any]:
        found = {}
        for high, low, codes in self._runs:
            found.update(((h << 64) ^ lo, _ref(c))
                         for h, lo, c in zip(high.tolist(), low.tolist(), codes.tolist(), strict=True))  # fmt: skip
        return {**found, **self._one}

    def get(self, key: int):
        found = self._one.get(key)
        if found is not None or not self._runs:
            return found
        self._single += 1
        if self._single > SINGLE_LOOKUPS:  # a table matched row by row: the dict answers one key far faster
            self._one = {**self.as_dict(), **self._one}
            self._runs = []
            return self._one.get(key)
        code = self._codes(*_halves([key]))[0]
        return None if code == _NO_CODE else _ref(int(code))

    def setdefault(self, key: int, ref) -> None:
        if key and self.get(key) is None:
            self._one[key] = ref

    def put(self, key: int, ref) -> None:
        """A key known not to be in the index."""
        self._one[key] = ref

    def lookup(self, keys) -> dict[int, Any]:
        """{key id: ref} of the key ids held, all looked up at once."""
        keys = [k for k in keys if k]
        found = {k: self._one[k] for k in keys if k in self._one}
        rest = [k for k in keys if k not in found]
        if rest and self._runs:
            codes = self._codes(*_halves(rest))
            found.update((k, _ref(int(c))) for k, c in zip(rest, codes, strict=True) if c != _NO_CODE)
        return found

    def present(self, keys) -> set[int]:
        """Which of the key ids are in the index, all looked up at once."""
        keys = [k for k in keys if k]
        if not keys:
            return set()
        held = numpy.fromiter((k in self._one for k in keys), bool, len(keys))
        if self._runs:
            held |= self._codes(*_halves(keys)) != _NO_CODE
        return set(itertools.compress(keys, held))

    def add_new(self, keys: list[int], refs: list) -> None:
        """Keys none of which is in the index or repeated among them (0s are left out), with their refs."""
        pairs = [(k, r) for k, r in zip(keys, refs, strict=True) if k]
        if not pairs:
            return
        high, low = _halves(k for k, _r in pairs)
        codes = numpy.fromiter((_code(r) for _k, r in pairs), numpy.int64, len(pairs))
        order = numpy.argsort(high, kind="stable")
        self._runs.append((high[order], low[order], codes[order]))
        while len(self._runs) > 1 and len(self._runs[-2][0]) <= 2 * len(self._runs[-1][0]):
            (h1, l1, c1), (h2, l2, c2) = self._runs[-2], self._runs.pop()
            high, low, codes = numpy.concatenate([h1, h2]), numpy.concatenate([l1, l2]), numpy.concatenate([c1, c2])
            order = numpy.argsort(high, kind="stable")
            self._runs[-1] = (high[order], low[order], codes[order])

    def add_first(self, pairs) -> None:
        """(key id, ref) pairs in order: a key already held, or given twice, keeps its first ref."""
        first: dict[int, Any] = {}
        for key, ref in pairs:
            if key and key not in first:
                first[key] = ref
        held = self.present(first)
        keys = [k for k in first if k not in held]
        self.add_new(keys, [first[k] for k in keys])

    def _codes(self, high: numpy.ndarray, low: numpy.ndarray) -> numpy.ndarray:
        """The refs' codes of the ids (halves) found in the runs, `_NO_CODE` for the others."""
        found = numpy.full(len(high), _NO_CODE, numpy.int64)
        for run_high, run_low, codes in self._runs:
            at = numpy.minimum(numpy.searchsorted(run_high, high), len(run_high) - 1)
            same_high, open_ = run_high[at] == high, found == _NO_CODE
            hit = same_high & (run_low[at] == low) & open_
            found[hit] = codes[at[hit]]
            for q in numpy.flatnonzero(same_high & ~hit & open_):  # another key with the same high half first
                j = at[q] + 1
                while j < len(run_high) and run_high[j] == high[q]:
                    if run_low[j] == low[q]:
                        found[q] = codes[j]
                        break
                    j += 1
        return found


class MatchIndex:
    """Exact keys (tax code, VAT number, e-mail, name + place + phone; held as `key_ids`) and name blocks for likely
    duplicates.

    A block keeps two parallel lists, token-sorted names and refs, so rapidfuzz scores it without copying.
    """

    def __init__(self) -> None:
        self.exact = ExactIndex()
        self.blocks: dict[tuple, tuple[list[str], list[Any]]] = {}

    @staticmethod
    def block_of(values: dict) -> tuple[tuple, str] | None:
        """(block key, token-sorted name) of a card, or None when it has no name."""
        name = fold(values.get("display_name", ""))
        return (_block_key(values, name), _sorted_tokens(name)) if name else None

    def add(self, ref, values: dict) -> None:
        self.add_keys(ref, _keys(values), self.block_of(values))

    def add_keys(self, ref, keys: list[str], block: tuple[tuple, str] | None) -> int:
        """Index a card; returns its position in its name block (-1 without a name)."""
        for key in key_ids(keys):
            self.exact.setdefault(key, ref)
        return -1 if block is None else self.add_block(ref, block)

    def add_block(self, ref, block: tuple[tuple, str]) -> int:
        """Put a card's name in its block; returns its position there."""
        return self.add_blocks([ref], [block])[0]

    def add_cards(self, refs: list, keys: list, blocks: list[tuple[tuple, str] | None]) -> None:
        """`add` of many cards in order, their keys and blocks given as `keys_of_columns` gives them: a key two
        cards share stays with the first."""
        taxes, vats, emails, names = map(key_ids, keys[:4])
        more = {r: key_ids(further) for r, further in keys[4].items()}
        if more:  # a card's further e-mails come before the next card's first one
            pairs = [(key, ref) for r, ref in enumerate(refs) for key in (emails[r], *more.get(r, ()))]
        else:
            pairs = zip(emails, refs, strict=True)
        # no key of one column is another's (each begins with its kind): only the order within a column counts
        self.exact.add_first(
            itertools.chain(*(zip(column, refs, strict=True) for column in (taxes, vats, names)), pairs)
        )
        self.add_blocks(refs, blocks)

    def add_blocks(self, refs: list, blocks: list[tuple[tuple, str] | None]) -> list[int]:
        """`add_block` of many cards in order (-1 for a card without a name): their positions in their blocks."""
        positions = []
        index = self.blocks
        for ref, block in zip(refs, blocks, strict=True):
            if block is None:
                positions.append(-1)
                continue
            entry = index.get(block[0])
            if entry is None:
                entry = index[block[0]] = ([], [])
            positions.append(len(entry[0]))
            entry[0].append(block[1])
            entry[1].append(ref)
        return positions

    def find(self, values: dict):
        return self.find_keys(_keys(values))

    def find_keys(self, keys: list[str]):
        return self.find_ids(key_ids(keys))

    def find_ids(self, ids: list[int]):
        for key in ids:
            found = self.exact.get(key)
            if found is not None:
                return found
        return None

    def likely(self, values: dict, threshold: float = LIKELY_THRESHOLD):
        """A card with a very similar name in the same place (rapidfuzz scores the whole block in C)."""
        name = fold(values.get("display_name", ""))
        names, refs = self.blocks.get(_block_key(values, name), ((), ()))
        if not names:
            return None
        start = max(0, len(names) - BLOCK_LIMIT)
        recent = names[start:] if start else names
        found = process.extractOne(_sorted_tokens(name), recent, scorer=fuzz.ratio, score_cutoff=threshold)
        return refs[start + found[2]] if found else None

    def likely_many(self, queries: list[tuple[tuple, str, int]]) -> dict[int, Any]:
        """`likely` for many cards at once, as if each had been asked when it was indexed: query i is
        (block key, token-sorted name, position in its block); the answer maps i to the similar card's ref.
        Names are scored a chunk of a block at a time (rapidfuzz cdist, both cores)."""
        found: dict[int, Any] = {}
        by_block: dict[tuple, list[tuple[int, str, int]]] = {}  # the large blocks' queries, for a matrix each
        blocks, extract_one, ratio = self.blocks, process.extractOne, fuzz.ratio
        for i, (block, name, position) in enumerate(queries):
            names, refs = blocks[block]
            if len(names) > SMALL_BLOCK:
                by_block.setdefault(block, []).append((i, name, position))
                continue
            start = max(0, position - BLOCK_LIMIT)  # a small block: one query at a time costs less than a matrix
            hit = extract_one(name, names[start:position], scorer=ratio, score_cutoff=LIKELY_THRESHOLD)
            if hit:
                found[i] = refs[start + hit[2]]
        for block, items in by_block.items():
            names, refs = blocks[block]
            for start in range(0, len(items), LIKELY_CHUNK):
                part = items[start : start + LIKELY_CHUNK]
                low, high = max(0, part[0][2] - BLOCK_LIMIT), part[-1][2]
                if high <= low:
                    continue
                scores = process.cdist([name for _i, name, _p in part], names[low:high], scorer=fuzz.ratio,
                                       score_cutoff=LIKELY_THRESHOLD, dtype=numpy.float64, workers=-1)  # fmt: skip
                for row, (i, _name, position) in enumerate(part):
                    first = max(0, position - BLOCK_LIMIT) - low
                    window = scores[row, first : position - low]
                    if window.size and window.max() >= LIKELY_THRESHOLD:
                        found[i] = refs[low + first + int(window.argmax())]  # the first best, as extractOne
        return found


def build_index(uow: UnitOfWork) -> MatchIndex:
    """The index of every card outside the trash, keyed column by column a batch of cards at a time, as `add` of
    each card in turn would key it (a million stored cards: 5.0 s, not 7.5)."""
    index = MatchIndex()
    for batch in uow.imports.match_batches():
        text = {name: batch.column(name).fill_null("").to_pylist()
                for name in ("tax_code", "vat_country", "vat_number", "postal_code", "city")}  # fmt: skip
        text["emails"] = [items or [] for items in batch.column("emails").to_pylist()]
        text["phones"] = [[phone] if phone else [] for phone in batch.column("phone").to_pylist()]
        keys, blocks = keys_of_columns(text, batch.column("display_name"), [False] * batch.num_rows)
        index.add_cards(batch.column("client_number").to_pylist(), keys, blocks)
    return index
