# The match index of the stored cards (importers/match.py, `build_index`): keyed column by column, a batch of cards
# at a time, it must hold exactly what `MatchIndex.add` of each card in turn holds, phones included, and leave the
# trash out.
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import services
from core.store import UnitOfWork, connect
from core.store.imports import ImportRepository
from importers import match

CARDS = [
    {"kind": "private", "first_name": "Mario", "last_name": "Rossi", "tax_code": "RSSMRA85T10A562S",
     "emails": ["mario@a.it", "M.Rossi@B.it"], "phones": ["333 1234567"], "city": "Milano", "postal_code": "20121"},
    {"kind": "private", "first_name": "Anna", "last_name": "Verdi", "emails": ["m.rossi@b.it", "anna@v.it"],
     "city": "Milano", "postal_code": "20121"},  # her first e-mail is Rossi's second: it stays his
    {"kind": "company", "company_name": "Caffè Nerò S.r.l.", "vat_number": "00743110157", "city": "Forlì",
     "emails": ["info@caffenero.it"]},
    {"kind": "private", "first_name": "Nicolò", "last_name": "D'Ámbrosio", "phones": ["06 1234567"], "city": "Roma"},
    {"kind": "private", "first_name": "Maria", "last_name": "Rossi", "tax_code": "RSSMRA85T10A562S",
     "city": "Milano", "postal_code": "20121"},  # the tax code stays with the first card
    {"kind": "private", "first_name": "Luca", "last_name": "Bianchi", "emails": ["luca@c.it"]},  # then trashed
]  # fmt: skip


@pytest.mark.parametrize("batch", [2, 100_000], ids=["batches of 2 cards", "one batch"])
def test_stored_cards_are_indexed_as_one_by_one(tmp_path, monkeypatch, batch):
    monkeypatch.setattr(ImportRepository.match_batches, "__defaults__", (batch,))
    conn = connect(tmp_path / "m.duckdb")
    uow = UnitOfWork(conn)
    cards = [services.create_client(uow, card, quick=True) for card in CARDS]
    services.delete_client(uow, cards[-1].client_number)
    with UnitOfWork(conn) as uow:
        index = match.build_index(uow)
    reference = match.MatchIndex()
    for card in cards[:-1]:
        reference.add(card.client_number, {**card.model_dump(), "display_name": card.display_name})
    assert index.exact == reference.exact and index.blocks == reference.blocks
    rossi, verdi, _caffe, nicolo, _maria, _luca = (card.client_number for card in cards)
    assert cards[3].display_name == "D'Ámbrosio Nicolò"
    assert index.find({"emails": ["M.ROSSI@b.it"]}) == rossi and index.find({"emails": ["anna@v.it"]}) == verdi
    assert index.find({"tax_code": "rssmra85t10a562s"}) == rossi
    assert index.find({"display_name": "D'AMBROSIO Nicolo", "city": "ROMA", "phones": ["+39061234567"]}) == nicolo
    assert index.find({"emails": ["luca@c.it"]}) is None  # the trash is not matched
    conn.close()


KEYS = st.integers(min_value=-(2**127), max_value=2**127 - 1)
REFS = st.one_of(st.integers(min_value=1, max_value=10**6), st.integers(0, 10**6).map(lambda n: f"new:{n}"))
STEPS = st.lists(st.one_of(
    st.tuples(st.just("setdefault"), KEYS, REFS),
    st.tuples(st.just("first"), st.lists(st.tuples(st.one_of(KEYS, st.just(0)), REFS), max_size=40)),
    st.tuples(st.just("new"), st.lists(KEYS, max_size=40, unique=True), REFS),
), max_size=25)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(STEPS, st.booleans())
def test_the_exact_index_answers_as_a_dict_keeping_each_keys_first_ref(steps, row_by_row):
    """Keys set one at a time, many at once (first ref kept) or known new, into runs merged as they grow: every
    lookup (one key, many, present or not) answers as a plain dict does, also once the runs become a dict."""
    with pytest.MonkeyPatch.context() as patch:
        if row_by_row:
            patch.setattr(match, "SINGLE_LOOKUPS", 3)
        index, model = match.ExactIndex(), {}
        for step in steps:
            if step[0] == "setdefault":
                index.setdefault(step[1], step[2])
                if step[1]:
                    model.setdefault(step[1], step[2])
            elif step[0] == "first":
                index.add_first(step[1])
                for key, ref in step[1]:
                    if key:
                        model.setdefault(key, ref)
            else:
                fresh = [k for k in step[1] if k and k not in model]
                index.add_new(fresh, [step[2]] * len(fresh))
                model.update(dict.fromkeys(fresh, step[2]))
        probes = [*model, 12345, -(2**100)]
        assert index.lookup(probes) == {k: model[k] for k in probes if k in model}
        assert index.present(probes) == {k for k in probes if k in model}
        assert [index.get(k) for k in probes] == [model.get(k) for k in probes]
        assert index.as_dict() == model and len(index) == len(model)
