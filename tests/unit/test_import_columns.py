# The column-wise planner (importers/client_table.py, columns.py) must plan exactly what the row-by-row reference
# (rows.card_row + Planner.place_card) plans: the same outcomes, messages, cards and updates, on real
# exports, on the benchmark's generated file, on tables made to hit every rule, and on random tables.
import datetime
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.data import italian_csv
from core.models import Client, ClientKind
from core.store import UnitOfWork, connect
from importers import fields as F
from importers.mapping import suggest_mapping
from importers.pipeline import Options, Planner
from importers.read import read_tables

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/samples is not present on this machine")


def _plain(card) -> dict:
    return (Client(**card) if isinstance(card, dict) else card).model_dump()


def _summary(planner: Planner) -> dict:
    plan = planner.plan
    return {
        "outcomes": [(o.file, o.row, o.action, o.flagged, o.duplicate, o.ref,
                      [(m.column, m.value, m.message) for m in o.messages]) for o in plan.outcomes],
        "new_cards": {ref: _plain(card) for ref, card in plan.new_cards.items()},
        "updates": {n: (_plain(a), _plain(b)) for n, (a, b) in plan.updates.items()},
        "counts": plan.counts(),
    }  # fmt: skip


def both_ways(conn, tables, options: Options) -> tuple[dict, dict]:
    """Plan the same tables column by column and row by row (nothing is written)."""
    results = []
    for method in ("add_client_table", "add_client_table_by_rows"):
        with UnitOfWork(conn) as uow:
            planner = Planner(uow, options)
            for source, header, rows, mapping in tables:
                getattr(planner, method)(source, header, rows, list(range(2, len(rows) + 2)), mapping)
            results.append(_summary(planner))
    return results[0], results[1]


def assert_same(conn, tables, options: Options) -> dict:
    by_columns, by_rows = both_ways(conn, tables, options)
    for i, (a, b) in enumerate(zip(by_columns["outcomes"], by_rows["outcomes"], strict=True)):
        assert a == b, f"row {i}"
    for ref in by_rows["new_cards"]:
        assert by_columns["new_cards"][ref] == by_rows["new_cards"][ref], ref
    assert by_columns == by_rows
    return by_columns


def table(header, rows, **targets):
    mapping = suggest_mapping(header, rows)
    if targets:
        mapping = mapping.with_targets(targets)
    return ("t.csv", header, rows, mapping)


@pytest.fixture
def conn(tmp_path):
    connection = connect(tmp_path / "c.duckdb")
    yield connection
    connection.close()


TRICKY_HEADER = ["Cognome Nome", "Nome", "Cognome", "Ragione sociale", "CF / P.IVA", "Codice fiscale", "Partita IVA",
                 "Indirizzo completo", "CAP", "Città", "Provincia", "Nazione", "Email", "Email 2", "Telefono", "PEC",
                 "Codice destinatario", "Data di nascita", "Tipo cliente", "Attivo", "Note", "Annotazioni", "Tag",
                 "Extra", "Città 2"]  # fmt: skip
TRICKY_ROWS = [
    ["ROSSI MARIO", "", "", "", "RSSMRA30A01H501I", "", "", "Via Roma 1, 00184 Roma (RM)", "", "", "", "Italia",
     "mario@example.it; m.rossi@example.it", "MARIO@example.it", "333 123 4567", "", "", "01/01/1930", "", "sì",
     "prima nota", "seconda", "vip, amici", "x", "Roma"],
    ["", "Giulia", "Bianchi", "", "", "BNCGLI87D52H501X", "", "", "185", "Roma", "rm", "", "giulia@example", "",
     "06 6982", "", "", "31/02/1987", "privato", "forse", "", "", "", "", "Milano"],
    ["", "", "", "ACME SRL", "01114601006", "", "", "", "20100", "Milano", "MI", "IT", "info@acme.it", "", "",
     "acme@pec.it", "ABC1234", "", "", "no", "", "", "", "", ""],
    ["", "", "", "Comune di Prova", "", "80012345678", "", "", "00100", "Roma", "Padova", "", "", "", "", "", "UFX123",
     "", "PA", "", "", "", "", "", ""],
    ["", "", "", "", "", "", "", "", "", "", "", "", "nessuno@example.it", "", "", "", "", "", "", "", "", "", "",
     "", ""],
    ["Rossi Mario", "", "", "", "RSSMRA30A01H501I", "", "", "", "00184", "Roma", "RM", "", "", "", "3331234567", "",
     "", "1930-01-01", "", "", "", "", "", "", ""],
    ["Rosi Mario", "", "", "", "", "", "", "", "00184", "Roma", "RM", "", "", "", "", "", "", "", "", "", "", "", "",
     "", ""],
    ["Silva João", "", "", "", "390.533.447-05", "", "", "", "01310-100", "São Paulo", "SP", "Brasil", "", "",
     "+55 11 91234 5678", "", "", "12/31/1990", "", "", "", "", "", "", ""],
    ["De Luca Marco", "", "", "", "", "", "IT 01114601006", "", "00184", "Roma", "RM", "Narnia", "", "", "", "", "",
     "", "azienda", "", "", "", "", "", ""],
    ["", "Ana", "García", "", "", "12345678Z", "", "", "28001", "Madrid", "", "España", "ana@example.es", "", "",
     "", "", "", "", "", "", "", "", "", ""],
    ["", "Luca", "Verdi", "Verdi & Figli", "", "VRDLCU80A01F205Z", "1234567", "", "1", "Milano", "", "", "",
     "", "12", "not-a-pec", "0000000", "01/01/2099", "", "", "", "", "", "", ""],
    ["NULL", "-", "n/a", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
    ["", "", "", "ASL Roma 1", "", "RSSMRA30A01H501I", "", "", "00184", "Roma", "RM", "", "asl@example.it", "",
     "", "", "UFX123", "", "PA", "", "", "", "", "", ""],
    ["Bianchi Anna", "", "", "", "", "", "", "", "00184", "Roma", "RM", "", "anna@example.it; anna@EXAMPLE.it",
     "Anna@Example.it", "", "", "", "01/01/1850", "", "", "", "", "", "", ""],
]  # fmt: skip


@pytest.fixture(params=[None, 3], ids=["one chunk", "chunks of 3 rows"])
def chunk(request, monkeypatch):
    """Plan in one chunk, or in chunks of a few rows sharing the index and new cards (as a 1M-row file is)."""
    import importers.client_table

    if request.param:
        monkeypatch.setattr(importers.client_table, "CHUNK_ROWS", request.param)
    return request.param


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize("on_duplicate", ["update", "skip", "create"])
@pytest.mark.parametrize("unmapped", [F.CUSTOM, F.NOTES])
def test_every_rule_planned_alike(conn, strict, on_duplicate, unmapped, chunk):
    tables = [table(TRICKY_HEADER, TRICKY_ROWS, **{"Cognome Nome": F.FULL_NAME_LAST_FIRST, "Città 2": "city",
                                                    "Extra": F.CUSTOM, "Email 2": "emails", "Annotazioni": F.NOTES,
                                                    "CF / P.IVA": F.TAX_OR_VAT, "Tipo cliente": F.KIND,
                                                    "Attivo": "active"})]  # fmt: skip
    result = assert_same(conn, tables, Options(on_duplicate=on_duplicate, strict=strict, unmapped=unmapped))
    actions = [o[2] for o in result["outcomes"]]
    assert actions.count("reject") >= 1  # the nameless row
    assert len(actions) == len(TRICKY_ROWS)


def test_existing_cards_are_matched_alike(conn, chunk):
    first = [table(TRICKY_HEADER, TRICKY_ROWS[:4])]
    with UnitOfWork(conn) as uow:
        from importers.pipeline import commit

        planner = Planner(uow, Options())
        for source, header, rows, mapping in first:
            planner.add_client_table(source, header, rows, list(range(2, len(rows) + 2)), mapping)
        commit(uow, planner.plan, Options(), at=datetime.datetime(2026, 1, 1))
        uow.commit()
    result = assert_same(conn, [table(TRICKY_HEADER, TRICKY_ROWS)], Options())
    assert any(isinstance(o[5], int) for o in result["outcomes"])  # matched a stored card


@pytest.mark.parametrize("on_duplicate", ["update", "skip", "create"])
def test_a_second_email_finds_its_card_alike(conn, chunk, on_duplicate):
    """Rows are matched on every e-mail they carry, the second one too, within the file and against stored cards."""
    stored = [["Verdi", "Anna", "anna@old.it"]]
    with UnitOfWork(conn) as uow:
        from importers.pipeline import commit

        planner = Planner(uow, Options())
        source, header, cells, mapping = table(["Cognome", "Nome", "Email"], stored)
        planner.add_client_table(source, header, cells, [2], mapping)
        commit(uow, planner.plan, Options(), at=datetime.datetime(2026, 1, 1))
        uow.commit()
    rows = [["Rossi", "Mario", "mario@a.it; m.rossi@b.it"], ["Bianchi", "Luca", "luca@c.it"],
            ["Russo", "Maria", "M.Rossi@b.it"], ["Neri", "Paolo", "paolo@d.it, anna@old.it"],
            ["Gialli", "Sara", "sara@e.it; luca@c.it; mario@a.it"], ["Blu", "Ugo", "ugo@f.it"]]  # fmt: skip
    result = assert_same(conn, [table(["Cognome", "Nome", "Email"], rows)], Options(on_duplicate=on_duplicate))
    assert [o[4] for o in result["outcomes"]] == [False, False, True, True, True, False]  # found by a later e-mail


def test_the_benchmark_file_is_planned_alike(conn, tmp_path, monkeypatch):
    import importers.client_table
    from importers.columnar import ArrowRows

    monkeypatch.setattr(importers.client_table, "CHUNK_ROWS", 2500)  # three chunks, the last one short
    path = italian_csv(tmp_path / "bench.csv", 6000)
    (tab,) = read_tables(path)
    assert isinstance(tab.rows, ArrowRows)  # read column-wise by Arrow, as every large plain file is
    mapping = suggest_mapping(tab.header, tab.rows)
    result = assert_same(conn, [(tab.source, tab.header, tab.rows, mapping)], Options())
    assert result["counts"]["flagged"] > 0 and result["counts"]["duplicates"] > 0


@needs_samples
@pytest.mark.parametrize("name", sorted(p.name for p in (SAMPLES / "crm_exports").glob("*.*sv")) +
                         sorted(p.name for p in (SAMPLES / "crm_exports").glob("*.xlsx")) if SAMPLES.is_dir() else [])  # fmt: skip
def test_real_exports_are_planned_alike(conn, name):
    tables = []
    for tab in read_tables(SAMPLES / "crm_exports" / name):
        if tab.file_kind in ("unreadable", "fatturapa"):
            continue
        mapping = suggest_mapping(tab.header, tab.rows)
        if mapping.table_kind == "clients":
            tables.append((tab.source, tab.header, tab.rows, mapping))
    if not tables:
        pytest.skip(f"{name} holds no client table")
    assert_same(conn, tables, Options())


CELLS = {
    "first_name": ["", "Mario", "GIULIA", "anna maria", "José"],
    "last_name": ["", "Rossi", "DE LUCA", "d'angelo", "Rosi"],
    "company_name": ["", "ACME SRL", "Studio Bianchi", "Comune di Prova", "Verdi"],
    "tax_code": ["", "RSSMRA30A01H501I", "RSSMRA30A01H501X", "80012345678", "12345678Z", "BNCGLI87D52H501V"],
    "vat_number": ["", "01114601006", "1114601006", "IT01114601006", "DE136695976", "123"],
    "sdi_code": ["", "ABC1234", "UFX123", "0000000", "xx"],
    "emails": ["", "a@example.it", "A@Example.IT; b@example.it", "bad@", "info@acme.it", "a@example.it; a@EXAMPLE.it"],
    "phones": ["", "333 123 4567", "+39 06 6982", "12", "+55 11 91234 5678"],
    "postal_code": ["", "00184", "184", "1", "28001"],
    "city": ["", "Roma", "MILANO", "São Paulo"],
    "province": ["", "RM", "mi", "Padova", "ZZ"],
    "country": ["", "IT", "Italia", "Brasil", "ES", "Narnia"],
    "birth_date": ["", "01/01/1930", "12/31/1990", "31/02/1987", "2099-01-01", "1930-01-01", "01/01/1850"],
    F.KIND: ["", "privato", "azienda", "PA", "boh"],
    "active": ["", "sì", "no", "forse"],
    F.FULL_NAME_LAST_FIRST: ["", "ROSSI MARIO", "De Luca Marco", "Mario", "ACME SRL"],
    F.TAX_OR_VAT: ["", "RSSMRA30A01H501I", "01114601006", "IT01114601006"],
    F.NOTES: ["", "nota"],
    F.CUSTOM: ["", "x", "NULL"],
    "vat_country": ["", "IT", "DE", "xx"],
    "pec": ["", "a@pec.it", "bad pec"],
    "street": ["", "VIA ROMA 1", "Via Verdi 2"],
    "tags": ["", "vip", "a, b; a"],
    "attention": ["", "x", "no", "boh"],
    F.REVIEW: ["", "check the address"],
    F.FULL_ADDRESS: ["", "Via Roma 1, 00184 Roma (RM)", "Rua X 10, 01310 São Paulo, Brasil", "somewhere"],
    F.CUSTOM_JSON: ["", '{"a": 1}', "[1]", "{bad"],
    F.FULL_NAME_FIRST_LAST: ["", "Mario Rossi", "Studio Verdi SRL", "Anna"],
}


@st.composite
def random_tables(draw):
    targets = draw(st.lists(st.sampled_from(sorted(CELLS)), min_size=1, max_size=8))
    header = [f"c{i}" for i in range(len(targets))]
    rows = draw(st.lists(st.tuples(*[st.sampled_from(CELLS[t]) for t in targets]).map(list), min_size=1,
                         max_size=25))  # fmt: skip
    mapping = suggest_mapping(header, rows).with_targets(dict(zip(header, targets, strict=True)))
    return ("r.csv", header, rows, mapping)


@settings(
    max_examples=int(os.environ.get("CARTELLA_EXAMPLES", 150)),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(random_tables(), st.sampled_from(["update", "skip", "create"]), st.booleans(), st.sampled_from([None, 1, 2, 5]))
def test_random_tables_are_planned_alike(conn, tab, on_duplicate, strict, chunk_rows):
    import importers.client_table

    default = importers.client_table.CHUNK_ROWS
    importers.client_table.CHUNK_ROWS = chunk_rows or default
    try:
        assert_same(conn, [tab], Options(on_duplicate=on_duplicate, strict=strict))
    finally:
        importers.client_table.CHUNK_ROWS = default


def test_likely_duplicates_look_back_the_same_window(conn, monkeypatch, chunk):
    import importers.match

    monkeypatch.setattr(importers.match, "BLOCK_LIMIT", 3)
    monkeypatch.setattr(importers.match, "LIKELY_CHUNK", 2)
    # "Ross Mario" is one letter from "Rossi Mario": seen 3 places back, not 4
    names = ["Russo Anna", "Rossi Mario", "Ricci Luca", "Romano Paolo", "Rinaldi Sara", "Ross Mario", "Rizzo Ugo",
             "Rossi Mari", "Rossi Maria"]  # fmt: skip
    rows = [[name, "00184", f"x{i}@example.it"] for i, name in enumerate(names)]
    result = assert_same(conn, [table(["Cognome Nome", "CAP", "Email"], rows)], Options())
    assert [o[4] for o in result["outcomes"]] == [False] * 8 + [True]


@settings(max_examples=3000, deadline=None)
@given(st.one_of(st.text(max_size=12), st.text(alphabet=" \t\u00a0\u2003'-=+@0123456789nulNUL/a.#?", max_size=8)))
def test_a_cell_is_cleaned_as_normalise_cleans_it(text):
    from importers.columns import clean_cell
    from importers.normalise import clean

    assert clean_cell(text) == clean(text)


def test_new_cards_keep_their_order_across_blocks_and_merges():
    from importers.plan import NewCards

    def card(name: str) -> dict:
        return Client(kind="private", last_name=name).model_dump()

    cards = NewCards()
    cards["new:0"] = Client(**card("A"))
    names = ["B", "C", "D"]
    cards.add_block(["new:1", "new:2", "new:3"], {k: [card(n)[k] for n in names] for k in card("B")})
    cards["new:4"] = Client(**card("E"))
    cards["new:2"] = Client(**card("C2"))  # a merge replaces a block's card
    assert cards["new:3"]["last_name"] == "D" and len(cards) == 5
    cards.seal()  # the block is kept as Arrow: its cards read back the same
    assert cards["new:3"] == card("D") and cards["new:1"] == card("B")
    numbers = {f"new:{i}": 10 + i for i in range(5)}
    written = {row["client_number"]: row["last_name"] for batch in cards.stored_batches(numbers)
               for row in batch.to_pylist() if row["client_number"] is not None}  # fmt: skip
    assert written == {10: "A", 11: "B", 12: "C2", 13: "D", 14: "E"}
    del cards["new:1"]  # a block's card taken out, then a whole block gone
    cards["new:4"] = Client(**card("E2"))
    cards.add_block(["new:5"], {k: [card("F")[k]] for k in card("F")})
    cards["new:5"] = Client(**card("F2"))
    numbers["new:5"] = 15
    written = [(row["client_number"], row["last_name"]) for batch in cards.stored_batches(numbers)
               for row in batch.to_pylist() if row["client_number"] is not None]  # fmt: skip
    assert sorted(written) == [(10, "A"), (12, "C2"), (13, "D"), (14, "E2"), (15, "F2")]


def test_new_cards_from_a_stored_table_marked_for_review():
    from importers.plan import NewCards, planned_table

    def card(name: str, reason: str = "") -> dict:
        return Client(kind="private", last_name=name, needs_review=bool(reason), review_reason=reason).model_dump()

    rows = [card("A"), card("B", "cap: da verificare"), card("C"), card("D")]
    table = planned_table({k: [row[k] for row in rows] for k in rows[0]})
    cards = NewCards()
    cards.add_table(["new:0", "new:1"], table, [1, 3])  # rows 0 and 2 of the chunk are no card of this import
    cards.mark("new:0", "simile a Rossi")  # noted now, written into the table at the seal
    assert cards["new:0"]["review_reason"] == "cap: da verificare; simile a Rossi" and cards["new:0"]["needs_review"]
    assert cards.name_of("new:1") == "D" and not cards["new:1"]["needs_review"]
    cards.add_block(["new:2"], {k: [card("E")[k]] for k in card("E")})
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


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=12), st.text(alphabet=" \t\u00a0'-=+@0123456789nulNUL/a.#?é", max_size=8)),
                max_size=30))  # fmt: skip
def test_a_column_is_cleaned_as_each_cell_is(values):
    import pyarrow as pa

    from importers.columns import clean_column
    from importers.normalise import clean

    assert clean_column(values) == [clean(v) for v in values]
    assert clean_column(pa.chunked_array([values], pa.string())) == [clean(v) for v in values]  # a read column


def _search_text_by_hand(card: dict) -> str:
    """The search text as first written, one card and one word at a time (the reference)."""
    from core.identifiers import phone
    from core.search import SEARCHED, fold

    words = [fold(card.get(name) or "") for name in SEARCHED]
    words.append(fold(" ".join(e for e in card.get("emails") or [] if e)))
    words.append(" ".join(d for d in map(phone.digits, card.get("phones") or []) if d))
    return " ".join(w for w in words if w)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.fixed_dictionaries({
    "first_name": st.sampled_from(["", "Nicolò", "ANNA", "Zoë"]), "last_name": st.text(max_size=6),
    "company_name": st.sampled_from(["", "Città SRL"]), "tax_code": st.sampled_from(["", "RSSMRA30A01H501I"]),
    "vat_number": st.just(""), "pec": st.sampled_from(["", "a@pec.it"]),
    "emails": st.lists(st.sampled_from(["", "A@b.it", "ö@x.it"]), max_size=2),
    "phones": st.lists(st.sampled_from(["+393331234567", "+12025550123", "06 123", ""]), max_size=2),
}), min_size=1, max_size=8))  # fmt: skip
def test_search_texts_of_a_batch_are_those_of_each_card(cards):
    from core.search import fold, search_text, search_texts

    columns = {name: [c[name] for c in cards] for name in cards[0]}
    assert search_texts(columns) == [search_text(c) for c in cards] == [_search_text_by_hand(c) for c in cards]
    for card, text in zip(cards, search_texts(columns), strict=True):
        for word in (card["first_name"], card["company_name"], card["tax_code"]):
            assert fold(word) in text


@settings(max_examples=int(os.environ.get("CARTELLA_EXAMPLES", 150)) // 3, deadline=None)
@given(random_tables(), random_tables(), st.sampled_from(["update", "skip", "create"]))
def test_random_tables_over_stored_cards_are_planned_alike(first, second, on_duplicate):
    import tempfile

    from importers.pipeline import commit

    with tempfile.TemporaryDirectory() as folder:
        connection = connect(Path(folder) / "s.duckdb")
        with UnitOfWork(connection) as uow:
            planner = Planner(uow, Options())
            source, header, rows, mapping = first
            planner.add_client_table(source, header, rows, list(range(2, len(rows) + 2)), mapping)
            commit(uow, planner.plan, Options(), at=datetime.datetime(2026, 1, 1))
            uow.commit()
        assert_same(connection, [first, second], Options(on_duplicate=on_duplicate))
        connection.close()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["private", "company", "public_administration", ClientKind.PRIVATE]),
                          *[st.sampled_from(["", "Rossi", "Nicolò", " ", "ACME srl"])] * 3), min_size=1, max_size=20))  # fmt: skip
def test_display_names_of_many_are_those_of_each(cards):
    from core.models import display_name, display_names

    assert display_names(*zip(*cards, strict=True)).to_pylist() == [display_name(*card) for card in cards]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab@.;,: \n*é", max_size=14), max_size=30))
def test_a_list_column_is_split_as_each_cell_is(cells):
    from importers.columns import _parts, _split_column

    assert _split_column(cells) == [_parts(v) for v in cells]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=10), st.sampled_from(["Nicolò", "ÀÉ", "ß", "ﬁ", "İ", "Σ"])),
                max_size=20))  # fmt: skip
def test_a_column_is_folded_as_each_text_is(values):
    import pyarrow as pa

    from core.search import fold, fold_column

    expected = [fold(v or "") for v in values]
    assert fold_column(values) == expected
    assert fold_column(pa.array(values, pa.string())) == expected


WORDS = st.text(alphabet="abcz AZ09 \t´'é-", max_size=12)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(WORDS, st.text(max_size=10)), max_size=30))
def test_names_are_token_sorted_together_as_one_by_one(names):
    import pyarrow as pa

    from importers.match import _sorted_tokens, sorted_tokens_many

    assert sorted_tokens_many(pa.array(names, pa.string())) == [_sorted_tokens(n) for n in names]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.text(alphabet="aZ09 .@ßİé", max_size=10), st.just("")), max_size=20),
       st.booleans())  # fmt: skip
def test_exact_keys_made_together_as_one_by_one(values, upper):
    from importers.match import exact_key, exact_keys_many

    def one(v):
        return exact_key("k", v.replace(" ", "").upper() if upper else v.lower()) if v else ""

    assert exact_keys_many("k", values, upper=upper) == [one(v) for v in values]
    assert exact_keys_many("k", [v for v in values if v.isascii()], upper=upper) == [
        one(v) for v in values if v.isascii()
    ]


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
