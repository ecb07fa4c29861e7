# The plan's own data (importers/plan.py): the new cards an import creates, kept as blocks and Arrow tables,
# and the outcomes of its rows, kept as columns, must read back as the cards and outcomes they stand for.
import pytest

from core.models import Client


def _add(cards, refs: list[str], rows: list[dict]) -> None:
    """A table of cards, one per ref, as a chunk whose every row creates a card."""
    from importers.plan import planned_table

    cards.add_table(refs, planned_table({k: [row[k] for row in rows] for k in rows[0]}), list(range(len(refs))))


@pytest.fixture(params=[False, True], ids=["in memory", "set aside on disk"])
def new_cards(request, tmp_path):
    """New cards whose tables stay in memory, or are set aside on disk at each seal (as a large import's are)."""
    from importers.plan import NewCards

    cards = NewCards()
    if request.param:
        cards.spill_to(str(tmp_path))
    yield cards
    cards.close()


def test_new_cards_keep_their_order_across_blocks_and_merges(new_cards):
    def card(name: str) -> dict:
        return Client(kind="private", last_name=name).model_dump()

    cards = new_cards
    cards["new:0"] = Client(**card("A"))
    names = ["B", "C", "D"]
    _add(cards, ["new:1", "new:2", "new:3"], [card(n) for n in names])
    cards["new:4"] = Client(**card("E"))
    cards["new:2"] = Client(**card("C2"))  # a merge replaces a block's card
    assert cards["new:3"]["last_name"] == "D" and len(cards) == 5
    cards.seal()  # the table's cards read back the same
    assert cards["new:3"] == card("D") and cards["new:1"] == card("B")
    numbers = {f"new:{i}": 10 + i for i in range(5)}
    written = {row["client_number"]: row["last_name"] for batch in cards.stored_batches(numbers)
               for row in batch.to_pylist() if row["client_number"] is not None}  # fmt: skip
    assert written == {10: "A", 11: "B", 12: "C2", 13: "D", 14: "E"}
    with pytest.raises(TypeError):
        del cards["new:1"]  # a ref taken out would be given again: never
    with pytest.raises(ValueError):
        cards["new:7"] = Client(**card("G"))  # the next ref is new:5
    with pytest.raises(KeyError):
        cards["new:05"]
    cards["new:4"] = Client(**card("E2"))
    _add(cards, ["new:5"], [card("F")])
    cards["new:5"] = Client(**card("F2"))  # a whole table's cards set again
    _add(cards, ["new:6", "new:7"], [card("G"), card("H")])
    with pytest.raises(ValueError):
        _add(cards, ["new:9"], [card("J")])
    numbers.update({"new:5": 15, "new:6": 16, "new:7": 17})
    assert list(cards) == [f"new:{i}" for i in range(8)] and len(cards) == 8
    assert "new:7" in cards and "new:8" not in cards and 3 not in cards
    written = [(row["client_number"], row["last_name"]) for batch in cards.stored_batches(numbers)
               for row in batch.to_pylist() if row["client_number"] is not None]  # fmt: skip
    assert sorted(written) == [(10, "A"), (11, "B"), (12, "C2"), (13, "D"), (14, "E2"), (15, "F2"), (16, "G"),
                               (17, "H")]  # fmt: skip
    assert [number for number, _name in written[-4:]] == [10, 12, 14, 15]  # the cards set one by one, in order


def test_new_cards_from_a_stored_table_marked_for_review(new_cards):
    from importers.plan import planned_table

    def card(name: str, reason: str = "") -> dict:
        return Client(kind="private", last_name=name, needs_review=bool(reason), review_reason=reason).model_dump()

    rows = [card("A"), card("B", "cap: da verificare"), card("C"), card("D")]
    table = planned_table({k: [row[k] for row in rows] for k in rows[0]})
    cards = new_cards
    cards.add_table(["new:0", "new:1"], table, [1, 3])  # rows 0 and 2 of the chunk are no card of this import
    cards.mark("new:0", "simile a Rossi")  # noted now, written into the table at the seal
    assert cards["new:0"]["review_reason"] == "cap: da verificare; simile a Rossi" and cards["new:0"]["needs_review"]
    assert cards.name_of("new:1") == "D" and not cards["new:1"]["needs_review"]
    _add(cards, ["new:2"], [card("E")])
    cards["new:3"] = Client(**card("F"))
    cards.mark("new:2", "simile a E.")
    cards.mark("new:3", "simile a F.")
    cards.seal()
    assert cards["new:0"]["review_reason"] == "cap: da verificare; simile a Rossi"
    written = {row["client_number"]: (row["last_name"], row["needs_review"], row["review_reason"])
               for batch in cards.stored_batches({f"new:{i}": 10 + i for i in range(4)})
               for row in batch.to_pylist() if row["client_number"] is not None}  # fmt: skip
    assert written == {10: ("B", True, "cap: da verificare; simile a Rossi"), 11: ("D", False, ""),
                       12: ("E", True, "simile a E."), 13: ("F", True, "simile a F.")}  # fmt: skip


def test_new_cards_set_aside_on_disk_are_read_back_and_removed(tmp_path, monkeypatch):
    from importers import plan
    from importers.plan import NewCards

    def card(name: str) -> dict:
        return Client(kind="private", last_name=name, emails=[f"{name.lower()}@example.it"]).model_dump()

    folder = tmp_path / "aside"
    folder.mkdir()
    cards = NewCards()
    cards.spill_to(str(folder))
    _add(cards, ["new:0", "new:1", "new:2"], [card("A"), card("B"), card("C")])
    cards.seal()
    _add(cards, ["new:3"], [card("D")])
    cards.seal()
    assert sorted(p.name for p in folder.iterdir()) == ["cards-0.arrow", "cards-1.arrow"]
    assert cards._tables[0].column_names == ["display_name"]  # only the names stay in memory
    reads = []
    monkeypatch.setattr(plan, "cards_of", lambda table, rows: reads.append(rows) or [card(f"read {r}") for r in rows])
    cards.fetch(["new:2", "new:0", 7, "new:3"])  # a chunk's cards read at once, one read a table
    assert sorted(reads) == [[0], [2, 0]] and cards["new:2"]["last_name"] == "read 2"
    cards.seal()  # what was fetched is let go of
    monkeypatch.undo()
    assert cards["new:1"] == card("B") and cards.name_of("new:3") == "D"
    cards.mark("new:1", "simile a Rossi")  # a card set aside is set again, with the note
    cards["new:2"] = Client(**card("C2"))
    numbers = {f"new:{i}": 10 + i for i in range(4)}
    written = {row["client_number"]: (row["last_name"], row["review_reason"]) for batch in cards.stored_batches(numbers)
               for row in batch.to_pylist() if row["client_number"] is not None}  # fmt: skip
    assert written == {10: ("A", ""), 11: ("B", "simile a Rossi"), 12: ("C2", ""), 13: ("D", "")}
    cards.close()
    assert not folder.exists() and cards.name_of("new:0") == "A"
    with pytest.raises(RuntimeError):
        cards["new:0"]


def test_cards_set_aside_keep_only_their_names_in_memory(tmp_path):
    """A table read from the helper's file is one buffer; the names kept of it must not keep it whole."""
    import pyarrow as pa

    from importers.plan import NewCards, planned_table
    from importers.worker import _read_table, _write_table

    rows = [Client(kind="private", last_name=f"Name {i}", notes="x" * 500).model_dump() for i in range(20_000)]
    _write_table(str(tmp_path / "chunk.arrow"), planned_table({k: [row[k] for row in rows] for k in rows[0]}))
    del rows
    before = pa.total_allocated_bytes()
    table = _read_table(str(tmp_path / "chunk.arrow"))
    assert pa.total_allocated_bytes() - before > 10_000_000  # the notes alone
    folder = tmp_path / "aside"
    folder.mkdir()
    cards = NewCards()
    cards.spill_to(str(folder))
    cards.add_table([f"new:{i}" for i in range(20_000)], table, list(range(20_000)))
    cards.seal()
    del table
    assert pa.total_allocated_bytes() - before < 1_000_000  # the names only
    assert cards.name_of("new:19999") == "Name 19999" and cards["new:7"]["notes"] == "x" * 500
    cards.close()


def test_a_folder_of_cards_set_aside_goes_with_them(tmp_path):
    import gc

    from importers.plan import NewCards

    folder = tmp_path / "aside"
    folder.mkdir()
    cards = NewCards()
    cards.spill_to(str(folder))
    _add(cards, ["new:0"], [Client(kind="private", last_name="A").model_dump()])
    cards.seal()
    assert (folder / "cards-0.arrow").exists()
    del cards
    gc.collect()
    assert not folder.exists()


def test_outcomes_read_alike_from_objects_and_columns():
    from importers.plan import Outcome, OutcomeRun, Outcomes
    from importers.rows import Message

    table = [["a"], ["b"], ["c"], ["d"]]  # the run covers rows 1..3 of the table
    run = OutcomeRun("t.csv", ["h"], table, [10, 11, 12, 13], 1, ["create", "reject", "create"], ["new:1", None, "new:2"],
                     [False, False, True], [False, False, False], [None, [Message("x", "c", "bad")], None])  # fmt: skip
    run.rich[2] = Outcome("t.csv", 13, "update", None, ["h"], duplicate=True, ref=7, rows=table, index=3)
    outcomes = Outcomes([Outcome("t.csv", 9, "create", ["z"], ["h"], ref="new:0")])
    outcomes.add_run(run)
    outcomes.append(Outcome("u.csv", 2, "skip", ["y"], ["h"], duplicate=True, ref=3))
    listed = [(o.row, o.action, o.ref, o.flagged, o.duplicate, o.cells()) for o in outcomes]
    assert listed == [(9, "create", "new:0", False, False, ["z"]), (11, "create", "new:1", False, False, ["b"]),
                      (12, "reject", None, False, False, ["c"]), (13, "update", 7, False, True, ["d"]),
                      (2, "skip", 3, False, True, ["y"])]  # fmt: skip
    assert len(outcomes) == 5 and outcomes[-1].row == 2 and outcomes[3].ref == 7 and outcomes[1:3][1].row == 12
    with pytest.raises(IndexError):
        outcomes[5]
    with pytest.raises(IndexError):
        outcomes[-6]
    assert [(o.row, [m.message for m in o.messages]) for o in outcomes.notable()] == [(12, ["bad"])]
    assert outcomes.counts() == {"rows_read": 5, "created": 2, "updated": 1, "skipped": 1, "rejected": 1,
                                 "flagged": 0, "duplicates": 2}  # fmt: skip
