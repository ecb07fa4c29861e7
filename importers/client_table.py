"""PLAN a client table: chunk by chunk, each chunk prepared (cleaned, checked and keyed column by column:
`columns`, `column_checks`; `prepare_chunk`) then placed in order (exact keys, then likely duplicates scored a
block at a time; `_place_chunk`), into outcomes and new cards. Preparing needs no other chunk, so for a large
table a helper process prepares most chunks while this one places (`importers.worker`). `rows.card_row` and
`Planner.place_card` state the same rules one row at a time and stay the reference: the tests hold both to the
same plan.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import logging
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from core.i18n import t
from importers.columnar import CHUNK_ROWS, ArrowRows, text_array
from importers.columns import Columns, card_fields, clean_column, collect, columns_of, finish
from importers.match import key_ids, keys_of_columns
from importers.normalise import clean, date_order_counted
from importers.plan import Outcome, OutcomeRun, cards_of, planned_table
from importers.rows import Message
from importers.worker import ChunkWorker, import_folder, release_memory

log = logging.getLogger(__name__)
HELPER_MIN_ROWS = 60_000  # below this a second process would cost more than it saves
HERE_EVERY = 5  # of the chunks, every HERE_EVERY-th (the first included) is prepared here, the rest by the helper
SPILL_MIN_ROWS = 200_000  # from this size a table's planned cards are set aside on disk (`NewCards.spill_to`)
LARGE_CHUNK_ROWS = 25_000  # and it is prepared in smaller chunks: each process's work on one takes less memory


def _chunk_columns(rows: Sequence[list[str]], start: int, stop: int, width: int) -> list:
    """The raw cells of rows start..stop, one list per column (Arrow-held rows give Arrow slices)."""
    if isinstance(rows, ArrowRows):
        return [array.slice(start, stop - start) for array in rows.arrays]
    return columns_of(rows[start:stop], width)


def _date_orders(rows: Sequence[list[str]], targets: list[str]) -> dict[int, str]:
    """Day- or month-first for each date column, decided from the cleaned values of the whole column (every
    chunk of a large table reads its dates the same way)."""

    orders = {}
    for i, target in enumerate(targets):
        if target != "birth_date":
            continue
        if isinstance(rows, ArrowRows):
            counted = rows.arrays[i].value_counts().to_pylist()
            counts = Counter()
            for item in counted:
                counts[clean(item["values"])] += item["counts"]
        else:
            counts = Counter(clean(r[i]) if i < len(r) else "" for r in rows)
        orders[i] = date_order_counted(counts)
    return orders


def _cards_at(table, rows) -> dict[int, dict]:
    """The cards of some rows of a `planned_table`, read at once: {row: fields}."""
    rows = sorted(rows)
    return dict(zip(rows, cards_of(table, rows), strict=True)) if rows else {}


# ---------------------------------------------------------------- match (Planner.place_card, by column)


def _decide(index, keys: list, rejected: list[bool], create_anyway: bool,
            created: int) -> tuple[list[int], list[str], dict[int, object], set[int]]:  # fmt: skip
    """What `Planner.place_card` decides row after row, for a chunk at once: (the rows that create a card, in
    order, their refs, {row: the card it found} for the rows that found one, the rows that create a card although
    they found one (`create_anyway`)).

    A row none of whose keys is in the index or in another row of the chunk (nearly all of them) creates a card,
    whatever the other rows do: only the rows sharing a key are decided one after another; the keys of the rest
    go into the index in bulk.
    """
    taxes, vats, emails, names = map(key_ids, keys[:4])  # the keys as the index holds them (0: none)
    more = {r: key_ids(further) for r, further in keys[4].items()}
    exact = index.exact
    counts = Counter(itertools.chain(taxes, vats, emails, names, itertools.chain.from_iterable(more.values())))
    counts.pop(0, None)
    shared = {key for key, count in counts.items() if count > 1}
    shared.update(exact.present(counts))
    tangled: set[int] = set()
    if shared:
        for column in (taxes, vats, emails, names):
            tangled.update(r for r, key in enumerate(column) if key in shared)
        tangled.update(r for r, further in more.items() if not shared.isdisjoint(further))
    accepted_before = list(itertools.accumulate((not x for x in rejected), initial=0))
    found: dict[int, object] = {}
    duplicate: set[int] = set()
    new_tangled = 0
    keys_of = {r: [k for k in (taxes[r], vats[r], emails[r], *more.get(r, ()), names[r]) if k] for r in tangled}
    held = exact.lookup(itertools.chain.from_iterable(keys_of.values()))  # these keys in the index, then as set
    for j, r in enumerate(sorted(tangled)):
        row_keys = keys_of[r]
        card = next((held[k] for k in row_keys if k in held), None)  # `find_ids`, over `held`
        if card is not None and not create_anyway:
            found[r] = card
            continue
        if card is not None:
            duplicate.add(r)
        ref = f"new:{created + accepted_before[r] - j + new_tangled}"  # the plain rows above it, then these
        new_tangled += 1
        for key in row_keys:  # `setdefault`
            if key not in held:
                held[key] = ref
                exact.put(key, ref)
    chosen = [r for r in range(len(rejected)) if not rejected[r] and r not in found]
    refs = [f"new:{i}" for i in range(created, created + len(chosen))]
    plain = [r not in tangled for r in chosen]
    rows, plain_refs = list(itertools.compress(chosen, plain)), list(itertools.compress(refs, plain))
    new_keys = [column[r] for column in (taxes, vats, emails, names) for r in rows]  # keys no other row has
    new_refs = plain_refs * 4
    if more:
        further = [(key, ref) for r, ref in zip(rows, plain_refs, strict=True) for key in more.get(r, ())]
        new_keys += [key for key, _ref in further]
        new_refs += [ref for _key, ref in further]
    exact.add_new(new_keys, new_refs)
    return chosen, refs, found, duplicate


@dataclass
class PreparedChunk:
    """A chunk of rows cleaned, checked and keyed: everything that needs no other chunk and no stored card."""

    table: Any  # every row as the card it would be, in its stored form (`planned_table`)
    keys: list  # `match.keys_of_columns`
    blocks: list
    rejected: list[bool]
    flagged: list[bool]
    messages: list  # per row: what its cells said (None for most rows)


def prepare_chunk(header: list[str], targets: list[str], orders: dict[int, str], strict: bool, lang: str,
                  region: str, unmapped: str, raw: list, n: int) -> PreparedChunk:  # fmt: skip
    """Clean, check and key `n` rows given as raw columns (lists or Arrow arrays of text); the arguments before
    them are the table's settings, the same for every chunk."""
    columns = Columns(header, targets, [clean_column(column) for column in raw], n, orders)
    collect(columns)
    out = finish(columns, strict=strict, lang=lang, region=region, unmapped=unmapped)
    fields = card_fields(columns, out)
    table = planned_table(fields)
    keys, blocks = keys_of_columns(fields, table.column("display_name").combine_chunks(), out["rejected"])
    return PreparedChunk(table, keys, blocks, out["rejected"], out["flagged"], columns.messages)


def plan_client_table(planner, source: str, header: list[str], rows: Sequence[list[str]], row_numbers: list[int],
                      mapping, progress: Callable[[int], None] | None = None) -> None:  # fmt: skip
    """Plan every row of a client table (create / update / skip / reject) into `planner.plan`.

    A large table is planned a chunk of rows at a time (CHUNK_ROWS; LARGE_CHUNK_ROWS from SPILL_MIN_ROWS rows,
    where its new cards are also set aside on disk), with the same index and new cards throughout (as several
    files are): only one chunk's cells are Python values at any moment. From HELPER_MIN_ROWS rows, a
    helper process prepares most chunks ahead (placing them stays here, in order); whatever it does not hand
    back is prepared here, with the same result.
    """
    n, width = len(rows), len(header)
    targets = [mapping.targets()[h] for h in header]
    options = planner.options
    settings = (header, targets, _date_orders(rows, targets), options.strict, options.lang, options.region,
                options.unmapped)  # fmt: skip
    size = min(CHUNK_ROWS, LARGE_CHUNK_ROWS) if n >= SPILL_MIN_ROWS else CHUNK_ROWS
    bounds = [(start, min(n, start + size)) for start in range(0, n, size)]
    helped = [i for i in range(len(bounds)) if i % HERE_EVERY] if n >= HELPER_MIN_ROWS else []
    if n >= SPILL_MIN_ROWS and not planner.plan.new_cards.spilling:
        _spill(planner.plan.new_cards)
    helper = _helper(settings, [functools.partial(_sendable, rows, *bounds[i], width) for i in helped])
    try:
        for i, (start, stop) in enumerate(bounds):
            prepared = helper.result() if helper and i % HERE_EVERY else None
            if prepared is None:
                raw = _chunk_columns(rows, start, stop, width)
                prepared = prepare_chunk(*settings, raw, stop - start)
            if progress:
                progress(start + (stop - start) // 2)
            _place_chunk(planner, source, header, prepared, rows, row_numbers, start)
            del prepared
            if helper and i % HERE_EVERY == 0:
                release_memory()  # what preparing that chunk here took
            if progress:
                progress(stop)
    finally:
        if helper:
            helper.close()


def _spill(cards) -> None:
    try:
        cards.spill_to(import_folder())
    except OSError as exc:  # no room for a temporary folder: the cards stay in memory
        log.info("planned cards kept in memory: %s", exc)


def _helper(settings: tuple, chunks: list) -> ChunkWorker | None:
    if not chunks:
        return None
    try:
        return ChunkWorker(settings, chunks)
    except OSError as exc:  # no second process here: every chunk is prepared in this one
        log.info("chunk helper could not start: %s", exc)
        return None


def _sendable(rows: Sequence[list[str]], start: int, stop: int, width: int) -> tuple[list, int]:
    """The raw columns of rows start..stop to send to the helper, and their row count: Arrow arrays copied to
    their own buffers (a slice would carry the whole file's)."""
    import pyarrow as pa

    columns = _chunk_columns(rows, start, stop, width)
    if not isinstance(rows, ArrowRows):
        return [text_array(c) for c in columns], stop - start
    return [pa.concat_arrays(c.chunks if isinstance(c, pa.ChunkedArray) else [c]) for c in columns], stop - start


def _place_chunk(planner, source: str, header: list[str], prepared: PreparedChunk, rows: Sequence[list[str]],
                 row_numbers: list[int], offset: int) -> None:  # fmt: skip
    """Match a prepared chunk's rows in order against the index (stored cards and the rows before them) and
    record what each row does."""
    from core.models import Client

    options, plan, index = planner.options, planner.plan, planner.index
    table, keys, blocks, flagged = prepared.table, prepared.keys, prepared.blocks, prepared.flagged
    n = len(flagged)
    # exact keys decide, in order, which rows create a card; then likely duplicates are scored in blocks
    chosen, refs, found, duplicate = _decide(index, keys, prepared.rejected, options.on_duplicate == "create",
                                             len(plan.new_cards))  # fmt: skip
    actions, ref_of, new_flagged, duplicates = ["reject"] * n, [None] * n, [False] * n, [False] * n
    put = deque(maxlen=0).extend  # runs the setters below in C, a column at a time
    put(map(actions.__setitem__, chosen, itertools.repeat("create")))
    put(map(ref_of.__setitem__, chosen, refs))
    put(map(new_flagged.__setitem__, chosen, map(flagged.__getitem__, chosen)))
    put(map(duplicates.__setitem__, duplicate, itertools.repeat(True)))
    queries, asked = [], []
    chosen_blocks = [blocks[r] for r in chosen]
    for r, block, position in zip(chosen, chosen_blocks, index.add_blocks(refs, chosen_blocks), strict=True):
        if position > 0 and r not in duplicate:  # the first name of its block has nothing to be like
            queries.append((block[0], block[1], position))
            asked.append(r)
    likely = {asked[i]: ref for i, ref in index.likely_many(queries).items()}
    lang, said = options.lang, prepared.messages
    run = OutcomeRun(source, header, rows, row_numbers, offset, actions, ref_of, new_flagged, duplicates, said)
    cards = _cards_at(table, found)
    plan.new_cards.fetch(found.values())  # the cards of earlier chunks these rows update, if set aside: at once
    plan.new_cards.add_table(refs, table, chosen)
    for r in sorted(likely.keys() | found.keys()):  # the rows a column cannot say: a likely duplicate, a card found
        where = offset + r
        outcome = Outcome(source, row_numbers[where], "reject", None, header, rows=rows, index=where)
        run.rich[r] = outcome
        if said[r]:
            outcome.messages.extend(said[r])
        outcome.flagged = flagged[r]
        if r in likely:
            at = bisect.bisect_left(chosen, r)
            other = likely[r]
            outcome.duplicate = outcome.flagged = True
            label = other if isinstance(other, int) else plan.new_cards.name_of(other)
            note = t("import.msg.likely_duplicate", lang, other=label)
            outcome.messages.append(Message("", table.column("display_name")[r].as_py(), note))
            outcome.action, outcome.ref = "create", refs[at]
            plan.new_cards.mark(refs[at], note)
        elif options.on_duplicate == "skip":
            outcome.action, outcome.ref, outcome.flagged, outcome.duplicate = "skip", found[r], False, True
        else:
            outcome.duplicate = True
            planner._update(outcome, found[r], Client(**cards[r]))
    plan.outcomes.add_run(run)
    plan.new_cards.seal()


__all__ = ["plan_client_table"]
