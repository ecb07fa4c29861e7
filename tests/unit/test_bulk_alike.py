# Each column-at-once function of the import must answer what its one-value function answers (the reference):
# cleaning, search texts, display names, list splitting, folding, token sorting and exact keys.
from hypothesis import given, settings
from hypothesis import strategies as st

from core.models import ClientKind


@settings(max_examples=3000, deadline=None)
@given(st.one_of(st.text(max_size=12), st.text(alphabet=" \t\u00a0\u2003'-=+@0123456789nulNUL/a.#?", max_size=8)))
def test_a_cell_is_cleaned_as_normalise_cleans_it(text):
    from importers.columns import clean_cell
    from importers.normalise import clean

    assert clean_cell(text) == clean(text)


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
