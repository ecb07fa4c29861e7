"""Exact keys as the match index holds them: each key text hashed to a 128-bit id (two keyed siphashes, the same
in every process), a chunk's keys as numpy columns (`KeyColumns`), and `ExactIndex`, {key id: ref} kept mostly in
sorted numpy runs (24 bytes a key) and looked up many keys at once."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy
from pandas.util import hash_array

_LOW = (1 << 64) - 1
_SEEDS = ("cartella-exact-1", "cartella-exact-2")  # siphash keys (16 bytes each) of the ids' two halves


def key_halves(keys) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Exact keys (text, "" for none) as the index holds them: the two 64-bit halves of a 128-bit id made from two
    keyed siphashes of the key, the high half never 0 for a key and both 0 for none. The same key gives the same
    id in every process (the helper keys its chunks), and two different keys share one with a chance of 2^-127."""
    values = numpy.asarray(keys, dtype=object)
    if not len(values):
        return numpy.zeros(0, numpy.uint64), numpy.zeros(0, numpy.uint64)
    high = hash_array(values, hash_key=_SEEDS[0], categorize=False) | numpy.uint64(1)
    low = hash_array(values, hash_key=_SEEDS[1], categorize=False)
    none = values == ""
    if none.any():
        high[none] = low[none] = 0
    return high, low


def key_ids(keys) -> list[int]:
    """`key_halves` as Python ints (high << 64 | low; 0 for no key): the ids one card at a time is matched by."""
    high, low = key_halves(keys)
    return [(h << 64) | lo for h, lo in zip(high.tolist(), low.tolist(), strict=True)]


@dataclass
class KeyColumns:
    """A chunk's exact keys as the index holds them (`key_halves`): the halves of its rows' tax code, VAT number,
    first e-mail and name + place + phone keys, each an array of shape (4, rows), 0 where a row has none; and
    {row: the ids of its further e-mails}."""

    high: numpy.ndarray
    low: numpy.ndarray
    more: dict[int, list[int]]

    def row_ids(self, r: int) -> list[int]:
        """A row's key ids in the order a card is looked up by (`_keys`): tax code, VAT number, e-mails, name."""
        high, low = self.high[:, r].tolist(), self.low[:, r].tolist()
        ids = [(h << 64) | lo for h, lo in zip(high, low, strict=True) if h]
        further = self.more.get(r)
        if not further:
            return ids
        name = [ids.pop()] if high[3] else []
        return ids + further + name

    def entries(self, *, emails_in_order: bool = False) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
        """Every key of the rows as (high halves, low halves, the row of each), a column at a time, the further
        e-mails last; `emails_in_order`: each row's further e-mails right after its first, the order in which a
        key two cards share goes to the first."""
        n = self.high.shape[1]
        rows, high, low = numpy.tile(numpy.arange(n), 4), self.high.ravel(), self.low.ravel()
        if self.more:
            extra_rows = numpy.asarray([r for r, ids in self.more.items() for _ in ids], numpy.int64)
            extra_high, extra_low = id_halves(itertools.chain.from_iterable(self.more.values()))
            if emails_in_order:
                column = numpy.concatenate([numpy.repeat(numpy.arange(4), n), numpy.full(len(extra_rows), 2)])
                position = numpy.concatenate([numpy.zeros(4 * n, numpy.int64),
                                              *(numpy.arange(1, len(ids) + 1) for ids in self.more.values())])  # fmt: skip
            rows = numpy.concatenate([rows, extra_rows])
            high, low = numpy.concatenate([high, extra_high]), numpy.concatenate([low, extra_low])
            if emails_in_order:
                order = numpy.lexsort((position, rows, column))
                rows, high, low = rows[order], high[order], low[order]
        held = high != 0
        return high[held], low[held], rows[held]


def hashed(keys: list) -> KeyColumns:
    """`keys_of_columns`' keys as the index holds them."""
    halves = [key_halves(column) for column in keys[:4]]
    return KeyColumns(numpy.stack([h for h, _lo in halves]), numpy.stack([lo for _h, lo in halves]),
                      {r: key_ids(further) for r, further in keys[4].items()})  # fmt: skip


_NO_CODE = numpy.iinfo(numpy.int64).min  # a key id not in a run
SINGLE_LOOKUPS = 2_000  # one-key lookups in the runs after which they become a dict (`ExactIndex.get`)


def _code(ref) -> int:
    """A ref as a run holds it: N for a planned card "new:N", -1 - number for a stored card."""
    return int(ref[4:]) if isinstance(ref, str) else -1 - ref


def _ref(code: int):
    return f"new:{code}" if code >= 0 else -1 - code


def codes_of(refs) -> numpy.ndarray:
    return numpy.fromiter(map(_code, refs), numpy.int64, len(refs))


def id_halves(ids) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Key ids (Python ints) as their two halves."""
    ids = list(ids)
    return (numpy.fromiter((i >> 64 for i in ids), numpy.uint64, len(ids)),
            numpy.fromiter((i & _LOW for i in ids), numpy.uint64, len(ids)))  # fmt: skip


def _ids(high: numpy.ndarray, low: numpy.ndarray) -> list[int]:
    return [(h << 64) | lo for h, lo in zip(high.tolist(), low.tolist(), strict=True)]


def first_of_each(high: numpy.ndarray, low: numpy.ndarray) -> numpy.ndarray:
    """The positions of the first occurrence of each key (halves) among them, in order."""
    if not len(high):
        return numpy.zeros(0, numpy.intp)
    order = numpy.lexsort((numpy.arange(len(high)), low, high))  # by key, then position: each key's first first
    sorted_high, sorted_low = high[order], low[order]
    first = numpy.ones(len(order), bool)
    first[1:] = (sorted_high[1:] != sorted_high[:-1]) | (sorted_low[1:] != sorted_low[:-1])
    return numpy.sort(order[first])


def repeated(high: numpy.ndarray, low: numpy.ndarray) -> numpy.ndarray:
    """Which of the keys (halves) occur more than once among them."""
    found = numpy.zeros(len(high), bool)
    if len(high) > 1:
        order = numpy.lexsort((low, high))
        sorted_high, sorted_low = high[order], low[order]
        same = (sorted_high[1:] == sorted_high[:-1]) & (sorted_low[1:] == sorted_low[:-1])
        found[order[1:][same]] = True
        found[order[:-1][same]] = True
    return found


class ExactIndex:
    """{key id: ref}, the first ref given a key kept. Keys added one at a time sit in a dict; keys added many at
    once (a chunk's new cards, a batch of stored cards) go into runs of three arrays (the ids' halves, sorted, and
    the refs' codes): 24 bytes a key instead of a dict entry and a 128-bit int (some 80), about 200 MB less at a
    million rows, and no Python object a key. Runs of alike size are merged, so a lookup searches a few of them.
    Many keys are looked up at once, as halves (`codes`, `present_halves`); one at a time is slower, so a table
    matched row by row, after SINGLE_LOOKUPS of them, turns the runs into the dict (and a lookup of many keys
    turns the dict back into a run)."""

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
            found.update(zip(_ids(high, low), map(_ref, codes.tolist()), strict=True))
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
        code = self._codes(*id_halves([key]))[0]
        return None if code == _NO_CODE else _ref(int(code))

    def setdefault(self, key: int, ref) -> None:
        if key and self.get(key) is None:
            self._one[key] = ref

    def lookup(self, keys) -> dict[int, Any]:
        """{key id: ref} of the key ids held, all looked up at once."""
        keys = [k for k in keys if k]
        found = {k: self._one[k] for k in keys if k in self._one}
        rest = [k for k in keys if k not in found]
        if rest and self._runs:
            codes = self._codes(*id_halves(rest))
            found.update((k, _ref(int(c))) for k, c in zip(rest, codes.tolist(), strict=True) if c != _NO_CODE)
        return found

    def present(self, keys) -> set[int]:
        """Which of the key ids are in the index, all looked up at once."""
        keys = [k for k in keys if k]
        return set(itertools.compress(keys, self.present_halves(*id_halves(keys)))) if keys else set()

    def present_halves(self, high: numpy.ndarray, low: numpy.ndarray) -> numpy.ndarray:
        """Which of the keys (halves, none 0) are in the index."""
        return self.codes(high, low) != _NO_CODE

    def codes(self, high: numpy.ndarray, low: numpy.ndarray) -> numpy.ndarray:
        """The refs' codes (`_code`) of the keys (halves, none 0), `_NO_CODE` where a key is not held. Keys held in
        the dict go into a run first: a lookup of many keys is a table matched chunk by chunk."""
        if self._one:
            one, self._one = self._one, {}
            self.add_run(*id_halves(one), codes_of(list(one.values())))
        return self._codes(high, low)

    def add_new(self, keys: list[int], refs: list) -> None:
        """Keys none of which is in the index or repeated among them (0s are left out), with their refs."""
        pairs = [(k, r) for k, r in zip(keys, refs, strict=True) if k]
        if pairs:
            self.add_run(*id_halves(k for k, _r in pairs), codes_of([r for _k, r in pairs]))

    def add_run(self, high: numpy.ndarray, low: numpy.ndarray, codes: numpy.ndarray) -> None:
        """Keys (halves, none 0) none of which is in the index or repeated among them, with their refs' codes."""
        if not len(high):
            return
        order = numpy.argsort(high, kind="stable")
        self._runs.append((high[order], low[order], codes[order]))
        while len(self._runs) > 1 and len(self._runs[-2][0]) <= 2 * len(self._runs[-1][0]):
            (h1, l1, c1), (h2, l2, c2) = self._runs[-2], self._runs.pop()
            high, low, codes = numpy.concatenate([h1, h2]), numpy.concatenate([l1, l2]), numpy.concatenate([c1, c2])
            order = numpy.argsort(high, kind="stable")
            self._runs[-1] = (high[order], low[order], codes[order])

    def add_first(self, pairs) -> None:
        """(key id, ref) pairs in order: a key already held, or given twice, keeps its first ref."""
        pairs = [(k, r) for k, r in pairs if k]
        self.add_first_halves(*id_halves(k for k, _r in pairs), codes_of([r for _k, r in pairs]))

    def add_first_halves(self, high: numpy.ndarray, low: numpy.ndarray, codes: numpy.ndarray) -> None:
        """Keys (halves, none 0) in order with their refs' codes: a key already held, or given twice, keeps its
        first ref."""
        first = first_of_each(high, low)
        high, low, codes = high[first], low[first], codes[first]
        new = ~self.present_halves(high, low)
        self.add_run(high[new], low[new], codes[new])

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
