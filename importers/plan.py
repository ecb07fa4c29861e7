"""PREVIEW: what an import will do, row by row, before anything is written.

A plan holds one `Outcome` per source row (created / updated / skipped / rejected, so the counts always add
up), the cards to create (`NewCards`), the cards to update with their values before and after, and the
invoice history to add. `pipeline.commit` writes it; `run.problem_rows` and the report read it.
"""

from __future__ import annotations

import bisect
import itertools
import os
import shutil
import weakref
from collections import Counter, deque
from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from core.models import Client
from core.store.repository import CLIENT_COLUMNS, card_from_stored, stored_table
from importers.rows import Message

COUNT_NAMES = ("rows_read", "created", "updated", "skipped", "rejected", "flagged", "duplicates")


@dataclass(slots=True)
class Outcome:
    file: str
    row: int
    action: str  # create, update, skip, reject
    raw: list[str] | None
    header: list[str]
    flagged: bool = False
    duplicate: bool = False
    ref: Any = None  # client number, or "new:N" for a card this import creates
    messages: list[Message] = field(default_factory=list)
    rows: Sequence | None = None  # the table's rows, when `raw` is read from them only if asked (`cells`)
    index: int = 0

    def cells(self) -> list[str]:
        """The source row as it was read."""
        return list(self.raw) if self.rows is None else list(self.rows[self.index])


@dataclass(slots=True)
class OutcomeRun:
    """The outcomes of a chunk of a client table's rows, kept as columns: a million planned rows would otherwise be
    a million objects. A row whose outcome needed more than these columns say (an update, a likely duplicate)
    keeps its `Outcome` in `rich`."""

    file: str
    header: list[str]
    rows: Sequence  # the table's rows
    row_numbers: list[int]  # the table's row numbers
    offset: int  # where the chunk starts in the table
    actions: list[str]
    refs: list
    flagged: list[bool]
    duplicate: list[bool]
    messages: list  # a list of `Message` per row, or None
    rich: dict[int, Outcome] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.actions)

    def outcome(self, r: int) -> Outcome:
        found = self.rich.get(r)
        if found is not None:
            return found
        where = self.offset + r
        said = self.messages[r]
        return Outcome(self.file, self.row_numbers[where], self.actions[r], None, self.header, self.flagged[r],
                       self.duplicate[r], self.refs[r], list(said) if said else [], self.rows, where)  # fmt: skip

    def notable(self) -> list[int]:
        """The rows rejected, flagged or with messages, in order (a rich row as its `Outcome` says)."""
        rows = {r for r, said in enumerate(self.messages) if said}
        rows.update(itertools.compress(range(len(self.actions)), self.flagged))
        rows.update(r for r, action in enumerate(self.actions) if action == "reject")
        rows.difference_update(self.rich)
        rows.update(r for r, o in self.rich.items() if o.action == "reject" or o.flagged or o.messages)
        return sorted(rows)


class Outcomes(Sequence):
    """A plan's outcomes in source order: `Outcome` objects, and runs of a client table's rows kept as columns
    (`OutcomeRun`), read as outcomes when asked."""

    def __init__(self, outcomes=()) -> None:
        self._parts: list[Outcome | OutcomeRun] = list(outcomes)
        self._length = len(self._parts)

    def append(self, outcome: Outcome) -> None:
        self._parts.append(outcome)
        self._length += 1

    def add_run(self, run: OutcomeRun) -> None:
        self._parts.append(run)
        self._length += len(run)

    def __len__(self) -> int:
        return self._length

    def __iter__(self):
        for part in self._parts:
            if isinstance(part, Outcome):
                yield part
            else:
                yield from map(part.outcome, range(len(part)))

    def __getitem__(self, index):
        if isinstance(index, slice):
            return list(self)[index]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError(index)
        for part in self._parts:
            size = 1 if isinstance(part, Outcome) else len(part)
            if index < size:
                return part if isinstance(part, Outcome) else part.outcome(index)
            index -= size
        raise IndexError(index)

    def notable(self):
        """The outcomes rejected, flagged or with messages, in order: what the report and the errors list read."""
        for part in self._parts:
            if isinstance(part, Outcome):
                if part.action == "reject" or part.flagged or part.messages:
                    yield part
            else:
                yield from map(part.outcome, part.notable())

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(COUNT_NAMES, 0)
        counts["rows_read"] = self._length
        names = {"create": "created", "update": "updated", "skip": "skipped", "reject": "rejected"}
        singles = []
        for part in self._parts:
            if isinstance(part, Outcome):
                singles.append(part)
                continue
            keep = [r not in part.rich for r in range(len(part))] if part.rich else None
            for action, count in Counter(_kept(part.actions, keep)).items():
                counts[names[action]] += count
            counts["flagged"] += sum(_kept(part.flagged, keep))
            counts["duplicates"] += sum(_kept(part.duplicate, keep))
            singles.extend(part.rich.values())
        for outcome in singles:
            counts[names[outcome.action]] += 1
            counts["flagged"] += outcome.flagged
            counts["duplicates"] += outcome.duplicate
        return counts


def _kept(column: list, keep: list[bool] | None):
    return column if keep is None else itertools.compress(column, keep)


class NewCards(MutableMapping):
    """The cards an import creates, by ref ("new:N"), in the order they were planned.

    A card is a `Client`, or one row of a table of cards in their stored form (Arrow) as a client table's chunk
    is planned: a million cards planned from a large file take a fraction of the memory their Python values
    would. A table's card is read out as a dict of fields only when asked for; a card set again (a merge)
    replaces it. Review notes on a table's card are kept aside until `seal` writes them in. `stored_batches`
    gives every card, numbered, ready for the insert.

    For a large import the tables can be set aside on disk (`spill_to`): each is written to a file at its seal
    and only its display names stay in memory; its cards are read back from the file, memory-mapped, when asked
    for (`fetch` reads a chunk's worth at once) and when written. `close` removes the files.
    """

    def __init__(self) -> None:
        self._count = 0  # refs given: "new:0" .. "new:<count - 1>", in planned order
        self._singles: dict[str, Client] = {}  # cards set one by one, or set again (merged)
        self._order: list[int | str] = []  # tables (by index) and cards first set one by one, in planned order
        self._tables: list[Any] = []
        self._starts: list[int] = []  # table -> the N of its first ref: its refs run on from there
        self._rows: list[list[int]] = []  # table -> the row of each of its refs, in ref order
        self._gone: dict[int, set[int]] = {}  # table -> its rows set again (merged) since
        self._notes: dict[int, dict[int, str]] = {}  # table -> row -> a review note not yet written in
        self._folder: str | None = None  # where sealed tables are set aside (`spill_to`)
        self._files: dict[int, str] = {}  # table -> its file, for the tables set aside
        self._fetched: dict[str, dict] = {}  # cards of tables set aside read back (`fetch`), until the next seal
        self._closed = False

    def spill_to(self, folder: str) -> None:
        """Set every table aside in `folder` at its seal, from now on. The owner calls `close` when done; the
        folder also goes when these cards are let go of, or when the program ends."""
        self._folder = folder
        self._remove = weakref.finalize(self, shutil.rmtree, folder, ignore_errors=True)

    @property
    def spilling(self) -> bool:
        return self._folder is not None

    def close(self) -> None:
        """Remove the tables set aside: their cards can no longer be read (the plan's outcomes still can)."""
        if self._folder is not None:
            self._remove()
            self._closed = True

    def add_table(self, refs: list[str], table, rows: list[int]) -> None:
        """Cards in their stored form (`planned_table`): ref i is row rows[i] of `table`; the other rows of the
        table are not cards of this import."""
        if refs and (refs[0] != f"new:{self._count}" or refs[-1] != f"new:{self._count + len(refs) - 1}"):
            raise ValueError("a table's refs continue the refs given before it")
        self._order.append(len(self._tables))
        self._tables.append(table)
        self._starts.append(self._count)
        self._rows.append(rows)
        self._count += len(refs)

    def _where(self, ref: str):
        """A ref's card: a `Client`, or (table, row). KeyError for a ref never given."""
        card = self._singles.get(ref)
        if card is not None:
            return card
        n = int(ref[4:]) if isinstance(ref, str) and ref.startswith("new:") and ref[4:].isdigit() else -1
        b = bisect.bisect_right(self._starts, n) - 1
        if n < 0 or b < 0 or n - self._starts[b] >= len(self._rows[b]) or ref != f"new:{n}":
            raise KeyError(ref)
        return b, self._rows[b][n - self._starts[b]]

    def mark(self, ref: str, note: str) -> None:
        """Mark a card for review, `note` added to its reasons."""
        where = self._where(ref)
        if isinstance(where, tuple) and where[0] not in self._files:  # written into its table at the next seal
            notes = self._notes.setdefault(where[0], {})
            notes[where[1]] = _with_note(notes.get(where[1], ""), note)
            return
        card = where if not isinstance(where, tuple) else Client(**self[ref])  # a card set aside: set again
        self[ref] = card.model_copy(
            update={"needs_review": True, "review_reason": _with_note(card.review_reason, note)}
        )

    def seal(self) -> None:
        """Write the review notes kept aside into their tables; when spilling, set the new tables aside."""
        for b, notes in self._notes.items():
            self._tables[b] = _marked(self._tables[b], notes)
        self._notes.clear()
        self._fetched.clear()
        if self._folder is None:
            return
        import pyarrow as pa

        for b in range(len(self._files), len(self._tables)):  # the tables added since the last seal
            path = os.path.join(self._folder, f"cards-{b}.arrow")
            table = self._tables[b]
            with pa.OSFile(path, "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
                writer.write_table(table)
            self._files[b] = path
            # what `name_of` reads, copied: a table read from the helper's file is one buffer, which a slice of it
            # would keep whole (300 MB of a million rows' cards)
            names = table.column("display_name")
            self._tables[b] = pa.table({"display_name": pa.concat_arrays(names.chunks) if names.chunks else names})

    def _table(self, b: int):
        """Table b whole: read from its file, memory-mapped, if it was set aside."""
        if b not in self._files:
            return self._tables[b]
        if self._closed:
            raise RuntimeError("the import's planned cards were removed when it ended")
        import pyarrow as pa

        with pa.memory_map(self._files[b]) as source:
            return pa.ipc.open_file(source).read_all()

    def fetch(self, refs) -> None:
        """Read at once the cards of tables set aside among `refs` (others are passed over), for what asks for
        them one by one before the next seal."""
        wanted: dict[int, dict[int, str]] = {}
        for ref in refs:
            try:
                where = self._where(ref)
            except KeyError:  # a stored card's number, or a card of the chunk being placed
                continue
            if isinstance(where, tuple) and where[0] in self._files and ref not in self._fetched:
                wanted.setdefault(where[0], {})[where[1]] = ref
        for b, rows in wanted.items():
            self._fetched.update(zip(rows.values(), cards_of(self._table(b), list(rows)), strict=True))

    def __getitem__(self, ref: str) -> Client | dict:
        where = self._where(ref)
        if not isinstance(where, tuple):
            return where
        if where[0] in self._files:
            self.fetch([ref])
            return dict(self._fetched[ref])
        card = card_from_stored(self._tables[where[0]].slice(where[1], 1).to_pylist()[0])
        note = self._notes.get(where[0], {}).get(where[1])
        if note:
            card["needs_review"], card["review_reason"] = True, _with_note(card["review_reason"], note)
        return card

    def name_of(self, ref: str) -> str:
        """The display name of a planned card (read without building the whole card)."""
        where = self._where(ref)
        if not isinstance(where, tuple):
            return where.display_name
        return self._tables[where[0]].column("display_name")[where[1]].as_py()

    def __setitem__(self, ref: str, card: Client) -> None:
        """Set a card again (a merge), or the next ref's card ("new:<len>")."""
        try:
            where = self._where(ref)
        except KeyError:
            if ref != f"new:{self._count}":
                raise ValueError(f"the next ref is new:{self._count}, not {ref}") from None
            self._order.append(ref)
            self._count += 1
        else:
            if isinstance(where, tuple):
                self._gone.setdefault(where[0], set()).add(where[1])
        self._singles[ref] = card

    def __delitem__(self, ref: str) -> None:
        raise TypeError("a planned card is set again, never taken out: its ref would be given twice")

    def __iter__(self):
        for item in self._order:
            if isinstance(item, str):
                yield item
            else:
                yield from self._table_refs(item)

    def __len__(self) -> int:
        return self._count

    def _table_refs(self, b: int) -> list[str]:
        """Table b's refs, which run on from its first."""
        return [f"new:{n}" for n in range(self._starts[b], self._starts[b] + len(self._rows[b]))]

    def __contains__(self, ref) -> bool:  # without reading the card (it may be on disk)
        try:
            self._where(ref)
        except KeyError:
            return False
        return True

    def stored_batches(self, numbers: dict[str, int]):
        """Every card in its stored form with its client number (`numbers`: ref -> number), as Arrow tables:
        each table's cards, then the cards set one by one. A row that is no card, or whose card was set again
        (merged) since, stays in its table with no number (null): it is not to be written (copying
        the table to leave it out would cost more than skipping it at the insert)."""
        import pyarrow as pa

        self.seal()
        for b, rows in enumerate(self._rows):
            refs = self._table_refs(b)
            gone = self._gone.get(b, ())
            if len(gone) == len(refs):
                continue
            table = self._table(b)
            given = [None] * len(table)
            deque(map(given.__setitem__, rows, map(numbers.__getitem__, refs)), maxlen=0)
            for row in gone:
                given[row] = None
            yield table.append_column("client_number", pa.array(given, pa.int64()))
        singles = sorted(self._singles.items(), key=lambda item: int(item[0][4:]))  # in planned order
        if singles:
            columns = {name: [card.__dict__[name] for _ref, card in singles] for name in _PLANNED}
            table = stored_table(columns)
            yield table.append_column("client_number", pa.array([numbers[ref] for ref, _card in singles], pa.int64()))


# a planned card's fields; its number, times and version are given when it is written
_PLANNED = tuple(name for name in CLIENT_COLUMNS if name not in ("client_number", "created_at", "updated_at",
                                                                  "version", "deleted_at", "last_invoice_date"))  # fmt: skip


def cards_of(table, rows: list[int]) -> list[dict]:
    """The cards (`card_from_stored`) of some rows of a stored table, read at once, in the order asked."""
    import pyarrow as pa

    return list(map(card_from_stored, table.take(pa.array(rows, pa.int64())).to_pylist()))


def _with_note(reasons: str, note: str) -> str:
    return "; ".join(filter(None, [reasons, note]))


def _marked(table, notes: dict[int, str]):
    """A stored table with the rows in `notes` marked for review, each note added to the row's reasons."""
    import pyarrow as pa

    if not notes:
        return table
    needs, reasons = table.column("needs_review").to_pylist(), table.column("review_reason").to_pylist()
    for r, note in notes.items():
        needs[r], reasons[r] = True, _with_note(reasons[r], note)
    names = table.column_names
    table = table.set_column(names.index("needs_review"), "needs_review", pa.array(needs, pa.bool_()))
    return table.set_column(names.index("review_reason"), "review_reason", pa.array(reasons, pa.string()))


def planned_table(columns: dict[str, list]):
    """Planned cards given as columns (every `Client` field), in their stored form (`stored_table`)."""
    return stored_table({name: columns[name] for name in _PLANNED})


@dataclass
class Plan:
    outcomes: Outcomes = field(default_factory=Outcomes)
    new_cards: NewCards = field(default_factory=NewCards)
    updates: dict[int, tuple[Client, Client]] = field(default_factory=dict)
    invoices: list[dict] = field(default_factory=list)
    paid: dict[tuple, Any] = field(default_factory=dict)  # the invoices payments pay (`payments.PaidState`)
    payments: list[tuple] = field(default_factory=list)  # each payment: (invoice key, date, amount, before, after)
    files: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return self.outcomes.counts()

    def errors(self) -> list[dict]:
        return [
            {"file": o.file, "row": o.row, "column": m.column, "value": m.value, "message": m.message}
            for o in self.outcomes.notable()
            for m in o.messages
        ]
