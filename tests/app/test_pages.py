# AppTest journeys from app.py: every page renders, create -> listed, field errors, trash -> restore.
import pytest
from streamlit.testing.v1 import AppTest

from core import services
from core.store import queries
from tests.app.helpers import APP, app_conn, uow

PAGES = ["pages/clients.py", "pages/new_client.py", "pages/client_card.py", "pages/import_data.py", "pages/trash.py",
         "pages/invoices.py", "pages/finance.py", "pages/practice.py", "pages/backup.py"]  # fmt: skip


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [e.value for e in at.error] + [w.value for w in at.warning]
    parts += [i.value for i in at.info] + [s.value for s in at.success] + [t.value for t in at.title]
    return "\n".join(str(p) for p in parts)


def _table_names(at: AppTest) -> list[str]:
    return list(at.dataframe[0].value["display_name"]) if at.dataframe else []


def test_empty_database_shows_the_three_ways_in(app):
    assert not app.exception
    labels = [b.label for b in app.button]
    assert {"Import…", "New client", "Load demo data"} <= set(labels)
    next(b for b in app.button if b.label == "Import…").click().run()
    assert not app.exception
    assert app.title[0].value == "Import from another program"


def test_demo_button_fills_the_table(app):
    next(b for b in app.button if b.label == "Load demo data").click().run()
    assert not app.exception
    assert "Bianchi Giulia" in _table_names(app)
    assert "200 demo clients loaded." in _texts(app)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders(demo_db, page):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_in_italian(demo_db, page, monkeypatch):
    monkeypatch.setenv("CARTELLA_LANG", "it")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    assert at.title[0].value in {
        "Clienti", "Nuovo cliente", "Bianchi Giulia", "Scheda cliente", "Cestino", "Importa da un altro programma",
        "Fatture", "Andamento economico", "Studio e prestazioni", "Backup",
    }  # fmt: skip


def test_filters_and_search(demo_db):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.text_input(key="clients.search").input("giulia bianchi").run()
    assert _table_names(at) == ["Bianchi Giulia"]
    at.text_input(key="clients.search").input("").run()
    at.selectbox(key="clients.kind").select("company").run()
    kinds = set(at.dataframe[0].value["kind"])
    assert kinds == {"Company"}
    total = queries.list_clients(app_conn(at), queries.ClientQuery(kind="company"))[1]
    assert f"Found: {total} " in at.caption[0].value


def _fill_new_private(at: AppTest, **values) -> AppTest:
    at.switch_page("pages/new_client.py").run()
    for name, value in values.items():
        at.text_input(key=f"new.private.0.{name}").input(value)
    at.button(key="FormSubmitter:new.private.0-Save client").click().run()
    return at


def test_creating_a_client_shows_it_in_the_table(app):
    _fill_new_private(app, first_name="Nicolò", last_name="Ferraro", emails="nicolo@example.it")
    assert not app.exception
    assert app.title[0].value == "Ferraro Nicolò"
    assert any("saved" in s.value for s in app.success)
    app.switch_page("pages/clients.py").run()
    app.text_input(key="clients.search").input("NICOLO").run()
    assert _table_names(app) == ["Ferraro Nicolò"]


def test_invalid_tax_code_shows_the_error_beside_the_field(app):
    _fill_new_private(app, first_name="Mario", last_name="Rossi", tax_code="RSSMRA30A01H501X")
    assert not app.exception
    assert app.title[0].value == "New client"
    assert [e.value for e in app.error] == [
        "The check character does not match: a character was probably mistyped.",
        "Not saved: fix the fields marked in red above (errors: 1).",
    ]
    # nothing was written
    assert queries.count_clients(app_conn(app)) == 0
    # fix it: the error goes and the card is saved
    app.text_input(key="new.private.0.tax_code").input("RSSMRA30A01H501I")
    app.button(key="FormSubmitter:new.private.0-Save client").click().run()
    assert app.title[0].value == "Rossi Mario"
    assert queries.count_clients(app_conn(app)) == 1


def test_missing_names_are_reported_per_field(app):
    _fill_new_private(app, emails="not-an-email")
    errors = [e.value for e in app.error]
    assert "Required." in errors
    assert "'not-an-email' is not a valid e-mail address." in errors


def test_delete_trash_restore(demo_db):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    services.delete_client(uow(at), 1)
    at.switch_page("pages/trash.py").run()
    assert 1 in list(at.dataframe[0].value["client_number"])
    at.multiselect(key="trash.chosen").select(1).run()
    at.button(key="trash.restore").click().run()
    assert not at.exception
    assert "Cards restored: 1." in _texts(at)
    at.switch_page("pages/clients.py").run()
    at.text_input(key="clients.search").input("Bianchi Giulia").run()
    assert _table_names(at) == ["Bianchi Giulia"]


def test_card_edit_and_history(demo_db):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["selected_client"] = 1
    at.run()
    at.switch_page("pages/client_card.py").run()
    assert at.title[0].value == "Bianchi Giulia"
    key = next(t.key for t in at.text_input if t.key and t.key.endswith(".city"))
    at.text_input(key=key).input("Tivoli")
    form = key.rsplit(".", 1)[0]
    at.button(key=f"FormSubmitter:{form}-Save changes").click().run()
    assert not at.exception
    assert any("Changes saved" in s.value for s in at.success)
    assert services.get_client(uow(at), 1).city == "Tivoli"
    history = services.client_history(uow(at), 1)
    assert history[0].action == "changed" and history[0].changes["city"][1] == "Tivoli"


def test_stale_edit_is_refused_on_the_card(demo_db):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["selected_client"] = 1
    at.run()
    at.switch_page("pages/client_card.py").run()
    key = next(t.key for t in at.text_input if t.key and t.key.endswith(".city"))
    # someone else saves the card meanwhile
    card = services.get_client(uow(at), 1)
    services.update_client(
        uow(at), 1, {**card.editable_values(), "notes": "from elsewhere"}, expected_version=card.version
    )
    at.text_input(key=key).input("Tivoli")
    at.button(key=f"FormSubmitter:{key.rsplit('.', 1)[0]}-Save changes").click().run()
    assert any("changed meanwhile" in e.value for e in at.error)
    saved = services.get_client(uow(at), 1)
    assert saved.notes == "from elsewhere" and saved.city != "Tivoli"


def test_import_history_lists_batches_and_undo_works(demo_db, tmp_path):
    from core.store import UnitOfWork
    from importers.pipeline import Options, undo
    from importers.run import execute, prepare

    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    conn = app_conn(at)
    data = b"Cognome;Nome;Email\nVerdi;Luca;luca.verdi@example.it\n"
    report = execute(conn, prepare(conn, [("nuovi.csv", data)]), Options())
    assert report.counts["created"] == 1
    at.switch_page("pages/import_data.py").run()
    assert not at.exception
    assert at.button(key=f"import.undo.{report.batch_id}").label == "Undo this import"
    # the confirmation is a dialog (AppTest cannot click inside it): the browser test clicks it; here, the action
    with UnitOfWork(conn) as uow:
        result = undo(uow, report.batch_id)
        uow.commit()
    assert len(result["removed"]) == 1
    assert queries.list_clients(conn, queries.ClientQuery(search="luca verdi"))[1] == 0
    at.run()
    assert "Undone on" in " ".join(c.value for c in at.caption)


def test_next_and_previous_walk_the_pages_in_order(db_file):
    from core.demo import load_demo
    from core.store import connect

    conn = connect(db_file)
    load_demo(conn, 130, seed=4)
    expected = queries.list_clients(conn, queries.ClientQuery(limit=200))[0]["display_name"].tolist()
    conn.close()
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    seen = [_table_names(at)]
    for _ in range(2):
        at.button(key="clients.next").click().run()
        assert not at.exception
        seen.append(_table_names(at))
    assert "page 3 of 3" in at.caption[0].value
    assert [name for page in seen for name in page] == expected  # no card twice, none missing
    at.button(key="clients.prev").click().run()
    assert _table_names(at) == seen[1] and "page 2 of 3" in at.caption[0].value
