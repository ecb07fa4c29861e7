"""Likely duplicates among stored cards: exact identifiers, similar names in the same place, and the
evidence of two different people that overrides a similar name."""

from bench.data import clients_with_duplicates
from core import services
from core.duplicates import find_duplicates
from core.store import UnitOfWork, connect


def _card(conn, **values):
    data = {"kind": "private", **values}
    return services.create_client(UnitOfWork(conn), data, quick=True).client_number


def test_pairs_by_identifier_and_by_name(tmp_path):
    conn = connect(tmp_path / "d.duckdb")
    a = _card(conn, first_name="Mario", last_name="Rossi", emails="mario@example.it", postal_code="00184")
    b = _card(conn, first_name="Marco", last_name="Verdi", emails="MARIO@example.it", postal_code="20121")
    c = _card(conn, first_name="Giulia", last_name="Bianchini", postal_code="00184")
    d = _card(conn, first_name="Giulia", last_name="Bianchii", postal_code="00184")  # one slip
    e = _card(conn, first_name="Bianchini", last_name="Giulia", postal_code="00184")  # swapped fields
    _card(conn, first_name="Giulia", last_name="Bianchini", postal_code="50122")  # another city: not a pair
    f = _card(conn, first_name="Anna", last_name="Neri", tax_code="NRENNA80A41H501T", postal_code="00184")
    g = _card(conn, first_name="Anna", last_name="Neri", tax_code="NRENNA81A41H501U", postal_code="00184")
    pairs = {(p.first, p.second): p.reason for p in find_duplicates(conn)}
    assert pairs[(a, b)] == "email"
    assert pairs[(c, d)] == "name" and pairs[(c, e)] == "name" and pairs[(d, e)] == "name"
    assert (f, g) not in pairs  # two different tax codes are two people, whatever the name
    assert len(pairs) == 4


def test_trashed_cards_are_left_out(tmp_path):
    conn = connect(tmp_path / "t.duckdb")
    a = _card(conn, first_name="Luca", last_name="Ferrarini", postal_code="10121")
    b = _card(conn, first_name="Luca", last_name="Ferrarin", postal_code="10121")
    assert [(p.first, p.second) for p in find_duplicates(conn)] == [(a, b)]
    services.delete_client(UnitOfWork(conn), b)
    assert find_duplicates(conn) == []


def test_precision_and_recall_on_generated_cards_with_known_duplicates(tmp_path):
    truth = clients_with_duplicates(tmp_path / "g.duckdb", 5000, seed=3)
    found = {(p.first, p.second) for p in find_duplicates(connect(tmp_path / "g.duckdb"))}
    hits = len(found & truth)
    assert hits / len(found) >= 0.95 and hits / len(truth) >= 0.95, (hits, len(found), len(truth))
