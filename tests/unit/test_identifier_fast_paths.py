"""The fast paths for phones and e-mails answer exactly as phonenumbers and email-validator do wherever they
answer at all (elsewhere they hand over to the library)."""

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.it import codicefiscale

from core.identifiers import email, phone


def _library_phone(text: str, region: str):
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _e164_many(values: list[str], region: str) -> list[str | None]:
    """What the bulk path answers for each value (None: left to `phone.validate`)."""
    found = phone.fast_e164_found(values, region)
    return [found.get(v) for v in values]


PREFIXES = ["", "", "+39", "0039", "+39 0", "+34", "0034", "+55", "+1", "+378", "+41", "+379", "3", "0", "06698",
            "+800", "39", "+44", "+351", "+54 9"]  # fmt: skip
SEPARATORS = ["", " ", "-", ".", "/", "(", ")"]


@st.composite
def phone_texts(draw):
    prefix = draw(st.sampled_from(PREFIXES))
    digits = draw(st.text(alphabet="0123456789", min_size=1, max_size=13))
    parts, rest = [], digits
    while rest:
        cut = draw(st.integers(min_value=1, max_value=max(1, len(rest))))
        parts.append(rest[:cut])
        rest = rest[cut:]
    return prefix + draw(st.sampled_from(SEPARATORS)).join(parts)


@settings(max_examples=4000, deadline=None)
@given(phone_texts(), st.sampled_from(["IT", "ES", "BR", "SM", "CH", "PT"]))
def test_phone_fast_path_agrees_with_phonenumbers(text, region):
    fast = phone.fast_e164(text, region)
    if fast is not ...:
        assert fast == _library_phone(text, region), (text, region)


def test_phone_fast_path_covers_the_everyday_numbers():
    for text in ("333 123 4567", "+39 347 1234567", "06 4991 1234", "0039 02 1234 5678", "+34 612 345 678"):
        assert phone.fast_e164(text, "IT") is not ..., text
        assert phone.fast_e164(text, "IT") == _library_phone(text, "IT")


def _library_email(address: str):
    try:
        return validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError:
        return None


LOCAL = st.one_of(
    st.text(alphabet="abcXYZ019._%+-", min_size=1, max_size=70),
    st.sampled_from(["Info", "SALES", "postMaster", "Mario.Rossi", "www", "info.x"]),  # RFC 2142 names and others
)
LABEL = st.text(alphabet="abcXYZ019-", min_size=1, max_size=66)
TLD = st.sampled_from(["it", "COM", "br", "es", "test", "local", "x", "museum", "onion", "c0m", "invalid"])


@settings(max_examples=4000, deadline=None)
@given(LOCAL, st.lists(LABEL, min_size=0, max_size=3), TLD)
def test_email_fast_path_agrees_with_email_validator(local, labels, tld):
    address = f"{local}@{'.'.join([*labels, tld])}"
    fast = email.fast_normalised(address)
    if fast is not None:
        assert fast == _library_email(address), address


def test_email_fast_path_covers_the_everyday_addresses():
    for address in ("mario.rossi@example.it", "Anna_Bianchi+studio@Mail.Example.COM", "info@studio-rossi.it"):
        assert email.fast_normalised(address) == _library_email(address)


@settings(max_examples=3000, deadline=None)
@given(st.sampled_from(["39", "393", "3906", "390", "34", "346"]), st.text(alphabet="0123456789", max_size=11),
       st.sampled_from(["IT", "ES"]))  # fmt: skip
def test_national_numbers_that_start_like_the_country_code(prefix, digits, region):
    text = prefix + digits
    fast = phone.fast_e164(text, region)
    if fast is not ...:
        assert fast == _library_phone(text, region), (text, region)
    many = _e164_many([text], region)[0]
    if many is not None:
        assert many == fast, (text, region)


# The codice fiscale read without python-stdnum: random codes shaped like real ones (right and wrong check
# letters, impossible dates, omocodia letters) get the answers stdnum gives.
_CF_CHARS = {
    "letter": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "digit": "0123456789LMNPQRSTUV",
    "month": "ABCDEHLMPRST",
}
_CF_SHAPE = ["letter"] * 6 + ["digit"] * 2 + ["month"] + ["digit"] * 2 + ["letter"] + ["digit"] * 3


@st.composite
def codici_fiscali(draw):
    body = "".join(draw(st.sampled_from(_CF_CHARS[kind])) for kind in _CF_SHAPE)
    if draw(st.booleans()):
        day = draw(st.sampled_from(["00", "01", "29", "30", "31", "32", "40", "41", "69", "71", "72", "99"]))
        body = body[:9] + day + body[11:]
    right = codicefiscale.calc_check_digit(body)
    last = right if draw(st.booleans()) else draw(st.sampled_from(_CF_CHARS["letter"] + "0"))
    return body + last


@settings(max_examples=4000, deadline=None)
@given(codici_fiscali())
def test_codice_fiscale_read_as_stdnum_reads_it(code):
    from core.identifiers import person, tax_code

    valid = codicefiscale.is_valid(code)
    assert (tax_code.person_birth_date(code) is not None) == valid, code
    assert tax_code.is_valid(code) == valid, code
    if valid:
        assert tax_code.person_birth_date(code) == codicefiscale.get_birth_date(code)
        born, sex = person.derive(code)
        assert born == codicefiscale.get_birth_date(code)
        assert sex == ("F" if int(code[9:11].translate(str.maketrans("LMNPQRSTUV", "0123456789"))) > 40 else "M")
    else:
        assert person.derive(code) == (None, "")


@settings(max_examples=300, deadline=None)
@given(st.lists(codici_fiscali(), max_size=40), st.lists(st.text(max_size=18), max_size=5))
def test_codici_fiscali_read_together_as_one_by_one(codes, others):
    from core.identifiers import person, tax_code

    numbers = codes + others + codes[:3]
    assert tax_code.person_birth_dates(numbers) == [tax_code.person_birth_date(n) for n in numbers]
    dates, sexes = tax_code.person_birth_dates(numbers, sexes=True)
    assert sexes == [person.sex_of(n) if born else "" for n, born in zip(numbers, dates, strict=True)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(LOCAL, st.lists(LABEL, min_size=0, max_size=3), TLD), max_size=30),
       st.lists(st.text(max_size=20), max_size=5))  # fmt: skip
def test_addresses_normalised_together_as_one_by_one(parts, others):
    addresses = [f"{local}@{'.'.join([*labels, tld])}" for local, labels, tld in parts] + others
    assert [email.fast_normalised_found(addresses).get(a) for a in addresses] == [
        email.fast_normalised(a) for a in addresses
    ]


@settings(max_examples=300, deadline=None)
@given(st.lists(phone_texts(), max_size=40), st.lists(st.text(max_size=14), max_size=5),
       st.sampled_from(["IT", "ES", "BR", "SM", "PT"]))  # fmt: skip
def test_phones_read_together_as_one_by_one(texts, others, region):
    values = texts + others + texts[:3]
    for text, fast in zip(values, _e164_many(values, region), strict=True):
        if fast is not None:
            assert fast == phone.fast_e164(text, region) == _library_phone(text, region), (text, region)


def test_phones_read_together_cover_the_everyday_numbers():
    values = ["333 123 4567", "+39 347 1234567", "06 4991 1234", "0039 02 1234 5678", "333-123-4567", "(06) 4991 1234"]
    assert _e164_many(values, "IT") == [_library_phone(v, "IT") for v in values]
    assert _e164_many(["+34 612 345 678", "612345678"], "ES") == ["+34612345678", "+34612345678"]
    assert _e164_many(["39 333 1234567", "3933 3123 4567"], "IT") == ["+393331234567", "+393331234567"]
    assert _e164_many(["+34 612 345 678", "abc", "000000", "0039"], "IT") == [None, None, None, None]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="0123456789", min_size=10, max_size=12), max_size=40),
       st.lists(st.text(max_size=13), max_size=5))  # fmt: skip
def test_partite_iva_read_together_as_stdnum_reads_them(numbers, others):
    from stdnum.it import iva
    from stdnum.luhn import calc_check_digit

    from core.identifiers import vat

    numbers = numbers + [n[:10] + calc_check_digit(n[:10]) for n in numbers if len(n) == 11] + others
    assert vat.italian_valid_many(numbers) == [n.isascii() and iva.is_valid(n) and len(n) == 11 for n in numbers]


def test_partite_iva_read_together_cover_the_everyday_numbers():
    from core.identifiers import vat

    assert vat.italian_valid_many(["01114601006", "00743110157", "01114601007", "00000001006", "0111460100"]) == [
        True, True, False, False, False]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(phone_texts(), st.from_regex(r"\+[0-9]{1,15}", fullmatch=True)), max_size=30))
def test_phone_digits_of_many_as_one_by_one(values):
    assert phone.digits_array(values).to_pylist() == [phone.digits(v) for v in values]


JSON_VALUES = st.one_of(st.text(), st.integers(), st.none(), st.booleans(), st.lists(st.text(), max_size=2))


@settings(max_examples=500, deadline=None)
@given(st.dictionaries(st.one_of(st.text(), st.integers()), JSON_VALUES, max_size=4),
       st.dictionaries(st.text(), st.text(), max_size=4))  # fmt: skip
def test_custom_fields_written_as_the_json_encoder_writes_them(mixed, texts):
    import json

    from core.store.repository import json_text

    encoder = json.JSONEncoder(ensure_ascii=False).encode
    assert json_text(texts) == encoder(texts)  # the direct path: every key and value text
    assert json_text(mixed) == encoder(mixed)
    assert json.loads(json_text(texts)) == texts
