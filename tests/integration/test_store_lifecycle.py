# The store on a real DuckDB file: migrations, unit of work, versions, lifecycle, history, search.
import datetime
import subprocess
import sys
import threading
from dataclasses import replace

import pytest

from core import services
from core.errors import ClientNotFound, DatabaseLocked, DatabaseUnreadable, InvalidCard, InvalidState, StaleEdit
from core.store import UnitOfWork, connect
from core.store.db import apply_migrations, schema_version
from core.store.migrations import MIGRATIONS
from core.store.queries import ClientQuery, list_clients, list_trash

NOW = datetime.datetime(2026, 11, 23, 10, 0, 0)
GIULIA = {"kind": "private", "first_name": "Giulia", "last_name": "Bianchi", "tax_code": "BNCGLI87D52H501V",
          "emails": "giulia.bianchi@example.it", "phones": "347 123 4567", "city": "Roma"}  # fmt: skip


@pytest.fixture
def conn(tmp_path):
    connection = connect(tmp_path / "store.duckdb")
    yield connection
    connection.close()


def create(conn, data=None, **kw):
    return services.create_client(UnitOfWork(conn), data or GIULIA, user="tester", at=NOW, **kw)


def test_bulk_writing_settings_are_restored_even_after_an_error(conn):
    def settings():
        return conn.execute(
            "SELECT current_setting('threads'), current_setting('write_buffer_row_group_count')"
        ).fetchone()

    conn.execute("SET threads = 3")
    before = settings()
    with UnitOfWork(conn) as uow, uow.imports.bulk_writing():
        assert settings() == (1, 1)
    assert settings() == before == (3, 5)
    with pytest.raises(RuntimeError), UnitOfWork(conn) as uow, uow.imports.bulk_writing():
        raise RuntimeError("boom")
    assert settings() == before


def test_migrations_from_empty_are_recorded_and_not_repeated(tmp_path):
    path = tmp_path / "m.duckdb"
    conn = connect(path)
    assert schema_version(conn) == MIGRATIONS[-1][0]
    rows = conn.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
    assert rows == [(n, name) for n, name, _sql in MIGRATIONS]
    conn.close()
    conn = connect(path)
    assert apply_migrations(conn) == []
    assert conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(MIGRATIONS)


def test_unit_of_work_rolls_back_unless_committed(conn):
    client = create(conn)
    with UnitOfWork(conn) as uow:
        card = uow.clients.get(client.client_number)
        uow.clients.save(card.model_copy(update={"city": "Milano"}), card.version)
    assert services.get_client(UnitOfWork(conn), client.client_number).city == "Roma"
    with pytest.raises(RuntimeError), UnitOfWork(conn) as uow:
        uow.clients.save(card.model_copy(update={"city": "Napoli"}), card.version)
        raise RuntimeError("boom")
    assert services.get_client(UnitOfWork(conn), client.client_number).city == "Roma"


def test_an_invalid_card_writes_nothing(conn):
    with pytest.raises(InvalidCard) as info:
        create(conn, {**GIULIA, "tax_code": "BNCGLI87D52H501X"})
    assert list(info.value.check.errors) == ["tax_code"]
    assert conn.execute("SELECT count(*) FROM clients").fetchone()[0] == 0


def test_version_conflict_overwrites_nothing(conn):
    client = create(conn)
    first = services.update_client(
        UnitOfWork(conn), client.client_number, {**GIULIA, "city": "Milano"}, expected_version=1
    )
    assert first.version == 2
    with pytest.raises(StaleEdit):
        services.update_client(UnitOfWork(conn), client.client_number, {**GIULIA, "city": "Napoli"}, expected_version=1)
    stored = services.get_client(UnitOfWork(conn), client.client_number)
    assert (stored.city, stored.version) == ("Milano", 2)


def test_concurrent_edits_from_two_threads_one_wins(conn):
    client = create(conn)
    results = []

    def edit(city):
        try:
            services.update_client(UnitOfWork(conn), client.client_number, {**GIULIA, "city": city}, expected_version=1)
            results.append(city)
        except StaleEdit:
            results.append("stale")

    threads = [threading.Thread(target=edit, args=(c,)) for c in ("Milano", "Napoli")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results)[1] == "stale" or sorted(results)[0] == "stale"
    winner = next(r for r in results if r != "stale")
    assert services.get_client(UnitOfWork(conn), client.client_number).city == winner


def test_history_records_every_step_with_old_and_new_values(conn):
    number = create(conn).client_number
    services.update_client(UnitOfWork(conn), number, {**GIULIA, "city": "Tivoli"}, expected_version=1, user="anna")
    services.deactivate_client(UnitOfWork(conn), number, user="anna")
    services.reactivate_client(UnitOfWork(conn), number, user="anna")
    services.delete_client(UnitOfWork(conn), number, user="anna")
    services.restore_client(UnitOfWork(conn), number, user="anna")
    history = services.client_history(UnitOfWork(conn), number)
    assert [h.action for h in history] == ["restored", "deleted", "reactivated", "deactivated", "changed", "created"]
    assert history[4].changes == {"city": ["Roma", "Tivoli"]}
    assert history[4].user_name == "anna" and history[-1].user_name == "tester"
    assert history[3].changes == {"active": [True, False]}
    assert history[-1].changes["tax_code"] == [None, "BNCGLI87D52H501V"]


def test_saving_without_changes_writes_no_version(conn):
    client = create(conn)
    same = services.update_client(UnitOfWork(conn), client.client_number, GIULIA, expected_version=1)
    assert same.version == 1
    assert len(services.client_history(UnitOfWork(conn), client.client_number)) == 1


def test_lifecycle_rules(conn):
    number = create(conn).client_number
    with pytest.raises(InvalidState):
        services.reactivate_client(UnitOfWork(conn), number)
    services.delete_client(UnitOfWork(conn), number)
    with pytest.raises(InvalidState):
        services.delete_client(UnitOfWork(conn), number)
    with pytest.raises(InvalidState):
        services.update_client(UnitOfWork(conn), number, GIULIA, expected_version=2)
    with pytest.raises(ClientNotFound):
        services.get_client(UnitOfWork(conn), 999)


def test_trash_restore_and_purge(conn):
    old = create(conn).client_number
    recent = create(conn, {**GIULIA, "first_name": "Anna"}).client_number
    kept = create(conn, {**GIULIA, "first_name": "Sara"}).client_number
    services.delete_client(UnitOfWork(conn), old, at=NOW - datetime.timedelta(days=31))
    services.delete_client(UnitOfWork(conn), recent, at=NOW - datetime.timedelta(days=2))
    assert set(list_trash(conn)["client_number"]) == {old, recent}
    assert list_clients(conn, ClientQuery(status="all"))[1] == 1
    assert services.days_left(NOW - datetime.timedelta(days=2), NOW) == 28
    assert services.days_left(NOW - datetime.timedelta(days=31), NOW) == 0

    assert services.purge_trash(UnitOfWork(conn), at=NOW) == [old]
    with pytest.raises(ClientNotFound):
        services.get_client(UnitOfWork(conn), old)
    assert services.client_history(UnitOfWork(conn), old) == []  # everything attached goes too
    services.restore_client(UnitOfWork(conn), recent)
    assert {c for c in list_clients(conn, ClientQuery())[0]["client_number"]} == {recent, kept}
    assert services.purge_trash(UnitOfWork(conn), older_than_days=0, at=NOW) == []


def test_client_numbers_are_never_reused(conn):
    first = create(conn).client_number
    services.delete_client(UnitOfWork(conn), first, at=NOW - datetime.timedelta(days=40))
    services.purge_trash(UnitOfWork(conn), at=NOW)
    with pytest.raises(InvalidCard):
        create(conn, {"kind": "private"})  # a failed attempt consumes nothing visible
    assert create(conn).client_number > first


def test_locked_file_names_the_file_and_the_process(tmp_path):
    path = tmp_path / "locked.duckdb"
    code = f"import duckdb,time; c=duckdb.connect({str(path)!r}); print('ready', flush=True); time.sleep(60)"
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(DatabaseLocked) as info:
            connect(path)
        assert info.value.params == {"path": str(path), "pid": str(holder.pid)}
    finally:
        holder.kill()
        holder.wait()


def test_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "notes.duckdb"
    path.write_text("shopping list" * 100)
    with pytest.raises(DatabaseUnreadable) as info:
        connect(path)
    assert info.value.params["path"] == str(path)


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("nicolo", ["Ferraro Nicolò"]),
        ("NICOLÒ ferraro", ["Ferraro Nicolò"]),
        ("ferraro nicolo", ["Ferraro Nicolò"]),
        ("nicolo.ferraro@example", ["Ferraro Nicolò"]),
        ("bncgli87d52h501v", ["Bianchi Giulia"]),
        ("347 123 4567", ["Bianchi Giulia"]),
        ("+39 347 1234567", ["Bianchi Giulia"]),
        ("0039 347-123-4567", ["Bianchi Giulia"]),
        ("01114601006", ["Clima Rossi S.r.l."]),
        ("clima", ["Clima Rossi S.r.l."]),
        ("zzz", []),
    ],
)
def test_search_is_accent_and_case_insensitive(conn, search, expected):
    create(conn)
    create(
        conn, {"kind": "private", "first_name": "Nicolò", "last_name": "Ferraro", "emails": "nicolo.ferraro@example.it"}
    )
    create(
        conn,
        {"kind": "company", "company_name": "Clima Rossi S.r.l.", "vat_number": "01114601006", "sdi_code": "A4707H7"},
    )
    frame, total = list_clients(conn, ClientQuery(search=search))
    assert list(frame["display_name"]) == expected and total == len(expected)


def test_filters_paging_and_number_search(conn):
    for i in range(7):
        create(conn, {"kind": "private", "first_name": f"Persona{i}", "last_name": "Test"}, quick=True)
    create(conn, {"kind": "company", "company_name": "Clima", "vat_number": "01114601006", "sdi_code": "A4707H7"})
    services.deactivate_client(UnitOfWork(conn), 2)
    assert list_clients(conn, ClientQuery(kind="company"))[1] == 1
    assert list_clients(conn, ClientQuery(kind="private"))[1] == 6
    assert list_clients(conn, ClientQuery(status="inactive"))[0]["client_number"].tolist() == [2]
    assert list_clients(conn, ClientQuery(status="all"))[1] == 8
    page2, total = list_clients(conn, ClientQuery(sort="number", limit=3, offset=3))
    assert total == 7 and page2["client_number"].tolist() == [5, 6, 7]
    assert list_clients(conn, ClientQuery(search="8"))[0]["client_number"].tolist() == [8]
    with pytest.raises(ValueError):
        list_clients(conn, ClientQuery(kind="martian"))


def test_list_total_with_and_without_the_count_query(conn):
    for first in ("Anna", "Bruno", "Carla"):
        create(conn, {"kind": "private", "first_name": first, "last_name": "Rossi"})
    full, total_full = list_clients(conn, ClientQuery(limit=2))
    short, total_short = list_clients(conn, ClientQuery(limit=50))
    second, total_second = list_clients(conn, ClientQuery(limit=2, offset=2))
    assert (len(full), total_full) == (2, 3)  # a full page: counted
    assert (len(short), total_short) == (3, 3)  # a first page with room left is its own total
    assert (len(second), total_second) == (1, 3)  # a later page: counted


def test_both_ways_of_cutting_a_page_agree(tmp_path):
    """The page cut from whole rows and the page cut from the matches' sort keys (searches, deep pages) give
    the same cards in the same order and the same total, for every sort, filter and depth."""
    from bench.data import synthetic_clients
    from core.store import queries

    conn = connect(synthetic_clients(tmp_path / "s.duckdb", 3000))
    cases = 0
    for sort in (*queries.SORTS, "bogus"):
        for spec in ({}, {"search": "rossi"}, {"search": "example.it"}, {"search": "zzzz"}, {"kind": "company"},
                     {"status": "all", "search": "12"}, {"status": "inactive"}, {"tag": "nope"}):  # fmt: skip
            for offset in (0, 45, 1200, 5000):
                query = queries.ClientQuery(sort=sort, offset=offset, **spec)
                fixed = query if sort in queries.SORTS else replace(query, sort="name")
                rows = queries._page_by_rows(conn.cursor(), fixed)
                keys = queries._page_by_keys(conn.cursor(), fixed)
                assert rows[1] == keys[1], query
                assert rows[0].to_dict("records") == keys[0].to_dict("records"), query
                assert queries.list_clients(conn, query)[1] == rows[1]
                cases += bool(len(rows[0]))
    assert cases > 50
    for sort in queries.SORTS:  # Next after Next: the same pages as offsets, ending on the same last card
        for spec in ({}, {"search": "rossi"}, {"kind": "company"}, {"status": "all"}):
            first = queries.ClientQuery(sort=sort, limit=400, **spec)
            after, seen, page = None, [], 0
            while True:
                frame, total = queries.list_clients(conn, replace(first, after=after))
                expected, expected_total = queries.list_clients(conn, replace(first, offset=page * 400))
                assert frame["client_number"].tolist() == expected["client_number"].tolist(), (sort, spec, page)
                assert total == expected_total
                if len(frame) < 400:
                    break
                seen += frame["client_number"].tolist()
                after, page = queries.page_key(frame, sort), page + 1
            assert len(set(seen)) == len(seen)
            assert page >= 1 or spec  # all 3,000 cards take several pages
    conn.close()


def test_the_name_order_ignores_case_whichever_way_a_card_was_written(conn):
    from core.models import Client
    from core.store.repository import add_many

    names = ["bianchi", "Bianco", "ÀLBA", "alberto", "ZOË", "zoe", "Ørsted", "DE LUCA", "de angelis"]
    for name in names[:4]:  # the form
        create(conn, {"kind": "private", "last_name": name}, quick=True)
    with UnitOfWork(conn) as uow:  # the import's bulk insert
        add_many(uow.cursor, [Client(kind="private", last_name=n, client_number=100 + i, created_at=NOW,
                                     updated_at=NOW, version=1) for i, n in enumerate(names[4:])])  # fmt: skip
        uow.commit()
    services.update_client(
        UnitOfWork(conn), 1, {"kind": "private", "last_name": "Zeta"}, expected_version=1, quick=True, user="t", at=NOW
    )  # a saved edit: the name and its sort key change together
    frame, _total = list_clients(conn, ClientQuery(sort="name"))
    shown = list(frame["display_name"])
    expected = sorted(["Zeta", *names[1:]], key=str.lower)
    assert shown == expected
    stored = conn.execute("SELECT display_name, sort_name FROM clients").fetchall()
    assert all(sort == name.lower() for name, sort in stored)


def test_a_database_from_before_the_sort_key_gets_it(tmp_path):
    import duckdb

    path = tmp_path / "old.duckdb"
    raw = duckdb.connect(str(path))
    raw.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
                "applied_at TIMESTAMP NOT NULL DEFAULT now())")  # fmt: skip
    for number, name, sql in MIGRATIONS[:3]:
        raw.execute(sql)
        raw.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [number, name])
    raw.execute("INSERT INTO clients (client_number, kind, last_name, display_name, created_at, updated_at) "
                "VALUES (1, 'private', 'ÈRCOLI', 'ÈRCOLI', now()::TIMESTAMP, now()::TIMESTAMP)")  # fmt: skip
    raw.close()
    conn = connect(path)
    assert conn.execute("SELECT sort_name FROM clients").fetchall() == [("èrcoli",)]
    conn.close()
