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
from core.models import Client
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
            try:
                for source, header, rows, mapping in tables:
                    getattr(planner, method)(source, header, rows, list(range(2, len(rows) + 2)), mapping)
                results.append(_summary(planner))
            finally:
                planner.plan.new_cards.close()
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
    ["GIULIA NERI", "", "", "", "NREGLI90A41H501G", "", "", "", "00184", "Roma", "RM", "", "", "", "", "", "", "",
     "", "", "", "", "", "", ""],  # first name first in a "Cognome Nome" column: her codice fiscale says so
]  # fmt: skip


@pytest.fixture(params=[(None, False), (3, False), (3, True)],
                ids=["one chunk", "chunks of 3 rows", "chunks of 3 rows set aside on disk"])  # fmt: skip
def chunk(request, monkeypatch):
    """Plan in one chunk, or in chunks of a few rows sharing the index and new cards (as a 1M-row file is), their
    new cards kept in memory or set aside on disk (as a 1M-row file's are)."""
    import importers.client_table

    rows, spill = request.param
    if rows:
        monkeypatch.setattr(importers.client_table, "CHUNK_ROWS", rows)
    if spill:
        monkeypatch.setattr(importers.client_table, "SPILL_MIN_ROWS", 0)
    return rows


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


@pytest.mark.parametrize("spill", [False, True], ids=["in memory", "set aside on disk"])
def test_the_benchmark_file_is_planned_alike(conn, tmp_path, monkeypatch, spill):
    import importers.client_table
    from importers.columnar import ArrowRows

    monkeypatch.setattr(importers.client_table, "CHUNK_ROWS", 2500)  # three chunks, the last one short
    monkeypatch.setattr(importers.client_table, "SPILL_MIN_ROWS", 0 if spill else 1 << 62)
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
@given(random_tables(), st.sampled_from(["update", "skip", "create"]), st.booleans(), st.sampled_from([None, 1, 2, 5]),
       st.booleans())  # fmt: skip
def test_random_tables_are_planned_alike(conn, tab, on_duplicate, strict, chunk_rows, spill):
    import importers.client_table

    defaults = importers.client_table.CHUNK_ROWS, importers.client_table.SPILL_MIN_ROWS
    importers.client_table.CHUNK_ROWS = chunk_rows or defaults[0]
    importers.client_table.SPILL_MIN_ROWS = 0 if spill else defaults[1]
    try:
        assert_same(conn, [tab], Options(on_duplicate=on_duplicate, strict=strict))
    finally:
        importers.client_table.CHUNK_ROWS, importers.client_table.SPILL_MIN_ROWS = defaults


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


@pytest.mark.parametrize(("rows", "sizes", "aside"), [(9, [9], False), (12, [4, 4, 4], True)])
def test_a_large_table_is_planned_in_smaller_chunks_its_cards_set_aside(conn, monkeypatch, rows, sizes, aside):
    import importers.client_table

    monkeypatch.setattr(importers.client_table, "SPILL_MIN_ROWS", 10)
    monkeypatch.setattr(importers.client_table, "LARGE_CHUNK_ROWS", 4)
    prepared = []
    real = importers.client_table.prepare_chunk
    monkeypatch.setattr(importers.client_table, "prepare_chunk", lambda *a: prepared.append(a[-1]) or real(*a))
    source, header, cells, mapping = table(["Cognome", "Nome"], [[f"Rossi{i}", "Anna"] for i in range(rows)])
    with UnitOfWork(conn) as uow:
        planner = Planner(uow, Options())
        planner.add_client_table(source, header, cells, list(range(2, rows + 2)), mapping)
        assert prepared == sizes and planner.plan.new_cards.spilling == aside and len(planner.plan.new_cards) == rows
        planner.plan.new_cards.close()
