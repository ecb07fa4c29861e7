"""PREVIEW: what an import will do, row by row, before anything is written.

A plan holds one `Outcome` per source row (created / updated / skipped / rejected, so the counts always add
up), the cards to create (`NewCards`), the cards to update with their values before and after, and the
invoice history to add. `pipeline.commit` writes it; `run.problem_rows` and the report read it.
"""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from core.models import Client
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


class NewCards(MutableMapping):
    """The cards an import creates, by ref ("new:N"), in the order they were planned.

    A card is a `Client`, or a whole block of them kept as columns (one list per `Client` field) as a client
    table is planned; a block's card is read out as a dict of fields only when asked for, and a card set
    again (a merge) replaces it. `columns()` gives every card as columns, for the Arrow insert.
    """

    def __init__(self) -> None:
        self._where: dict[str, Any] = {}  # ref -> a Client, or (block, row)
        self._blocks: list[dict[str, list]] = []

    def add_block(self, refs: list[str], columns: dict[str, list]) -> None:
        self._blocks.append(columns)
        block = len(self._blocks) - 1
        self._where.update((ref, (block, i)) for i, ref in enumerate(refs))

    def __getitem__(self, ref: str) -> Client | dict:
        where = self._where[ref]
        if isinstance(where, tuple):
            block, row = where
            return {name: column[row] for name, column in self._blocks[block].items()}
        return where

    def __setitem__(self, ref: str, card: Client) -> None:
        self._where[ref] = card

    def __delitem__(self, ref: str) -> None:
        del self._where[ref]

    def __iter__(self):
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)

    def columns(self, names: tuple[str, ...]) -> dict[str, list]:
        """Every card, in order, as one list per field: runs of a block are copied as slices."""
        out: dict[str, list] = {name: [] for name in names}
        run: list = []  # [block, first row, end row]

        def flush() -> None:
            if run:
                block, start, end = run
                for name in names:
                    out[name].extend(self._blocks[block][name][start:end])
                run.clear()

        for where in self._where.values():
            if isinstance(where, tuple):
                if run and run[0] == where[0] and run[2] == where[1]:
                    run[2] += 1
                    continue
                flush()
                run.extend([where[0], where[1], where[1] + 1])
            else:
                flush()
                data = where.__dict__
                for name in names:
                    out[name].append(data[name])
        flush()
        return out


@dataclass
class Plan:
    outcomes: list[Outcome] = field(default_factory=list)
    new_cards: NewCards = field(default_factory=NewCards)
    updates: dict[int, tuple[Client, Client]] = field(default_factory=dict)
    invoices: list[dict] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(COUNT_NAMES, 0)
        counts["rows_read"] = len(self.outcomes)
        names = {"create": "created", "update": "updated", "skip": "skipped", "reject": "rejected"}
        for outcome in self.outcomes:
            counts[names[outcome.action]] += 1
            counts["flagged"] += outcome.flagged
            counts["duplicates"] += outcome.duplicate
        return counts

    def errors(self) -> list[dict]:
        return [
            {"file": o.file, "row": o.row, "column": m.column, "value": m.value, "message": m.message}
            for o in self.outcomes
            for m in o.messages
        ]
