import collections
import datetime

import pytest

from core import services
from core.demo import generate_clients, load_demo
from core.store import UnitOfWork, connect
from core.validation import check_card

AT = datetime.datetime(2026, 11, 23, 9, 0)


def test_same_seed_same_cards_other_seed_other_cards():
    assert generate_clients(50, 3, AT) == generate_clients(50, 3, AT)
    assert generate_clients(50, 3, AT) != generate_clients(50, 4, AT)


@pytest.mark.parametrize("seed", [0, 1, 99])
def test_client_one_is_always_giulia_bianchi(seed):
    first = generate_clients(5, seed, AT)[0]
    assert (first.client_number, first.display_name, first.city, first.active, first.deleted_at) == (
        1, "Bianchi Giulia", "Roma", True, None,
    )  # fmt: skip


def test_every_card_passes_the_same_checks_as_the_forms():
    cards = generate_clients(800, 11, AT)
    for card in cards:
        check = check_card(card.editable_values(), quick=bool(card.missing_fields))
        assert check.ok, (card.client_number, check.errors)
        assert check.warnings == {}, (card.client_number, check.warnings)
        assert check.missing_fields == card.missing_fields
    mix = collections.Counter((c.kind, c.country) for c in cards)
    assert set(mix) == {("private", "IT"), ("company", "IT"), ("public_administration", "IT"),
                        ("private", "BR"), ("company", "BR")}  # fmt: skip
    assert 0.7 < mix[("private", "IT")] / len(cards) < 0.85
    assert 0.03 < sum(not c.active for c in cards) / len(cards) < 0.13
    assert 0.01 < sum(c.deleted_at is not None for c in cards) / len(cards) < 0.06
    assert any(c.needs_review for c in cards) and any(c.missing_fields for c in cards) and any(c.tags for c in cards)
    assert all(c.deleted_at is None or AT - datetime.timedelta(days=26) < c.deleted_at < AT for c in cards)


def test_load_demo_fills_an_empty_database_only(tmp_path):
    conn = connect(tmp_path / "demo.duckdb")
    assert load_demo(conn, 120, seed=5, at=AT) == 120
    cards = generate_clients(120, 5, AT)
    counts = conn.execute(
        "SELECT count(*), count(*) FILTER (deleted_at IS NOT NULL), count(*) FILTER (NOT active) FROM clients"
    ).fetchone()
    assert counts == (120, sum(c.deleted_at is not None for c in cards), sum(not c.active for c in cards))
    assert conn.execute("SELECT count(*) FROM client_history WHERE action = 'created'").fetchone()[0] == 120
    with pytest.raises(ValueError, match="not empty"):
        load_demo(conn, 10)
    new = services.create_client(UnitOfWork(conn), {"kind": "private", "last_name": "Nuova"}, quick=True)
    assert new.client_number == 121
    with pytest.raises(ValueError):
        load_demo(connect(tmp_path / "other.duckdb"), 0)
