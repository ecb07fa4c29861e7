# Identifier checks as tables of real-world cases: each error is checked by its message key.
import datetime

import pytest

from core.errors import InvalidIdentifier
from core.identifiers import address, detect, email, person, phone, sdi, tax_code, vat


def code_of(fn, *args) -> str:
    with pytest.raises(InvalidIdentifier) as info:
        fn(*args)
    return info.value.code


@pytest.mark.parametrize(
    ("value", "country", "expected"),
    [
        ("RSSMRA30A01H501I", "IT", "RSSMRA30A01H501I"),
        ("rssmra30a01h501i", "IT", "RSSMRA30A01H501I"),
        (" RSS MRA 30A01 H501I ", "IT", "RSSMRA30A01H501I"),
        ("RSSMRA30A01H50MA", "IT", "RSSMRA30A01H50MA"),  # omocodia on the last digit
        ("RSSMRAPLALMHRLMQ", "IT", "RSSMRAPLALMHRLMQ"),  # omocodia on every digit
        ("BNCGLI87D52H501V", "IT", "BNCGLI87D52H501V"),  # a woman: day + 40
        ("01114601006", "IT", "01114601006"),  # the 11-digit numeric form
        ("IT01114601006", "IT", "01114601006"),
        ("390.533.447-05", "BR", "39053344705"),  # CPF with punctuation
        ("39053344705", "BR", "39053344705"),
        ("11.222.333/0001-81", "BR", "11222333000181"),  # CNPJ
        ("12345678Z", "ES", "12345678Z"),  # DNI
        ("X1234567L", "ES", "X1234567L"),  # NIE
        ("B58378431", "ES", "B58378431"),  # CIF
        ("AB 123 456", "FR", "AB123456"),  # other countries: kept, compacted
    ],
)
def test_valid_tax_codes(value, country, expected):
    assert tax_code.validate(value, country) == expected
    assert tax_code.is_valid(value, country)


@pytest.mark.parametrize(
    ("value", "country", "code"),
    [
        ("RSSMRA30A01H501X", "IT", "error.tax_code.checksum"),
        ("RSSMRA30A01H501", "IT", "error.tax_code.length_it"),
        ("RSSMRA30Z01H501I", "IT", "error.tax_code.format"),  # Z is no month letter
        ("123456789012345A", "IT", "error.tax_code.format"),
        ("01114601007", "IT", "error.tax_code.checksum"),
        ("", "IT", "error.required"),
        ("390.533.447-06", "BR", "error.tax_code.checksum"),
        ("3905334470", "BR", "error.tax_code.length_br"),
        ("11222333000182", "BR", "error.tax_code.checksum"),
        ("12345678A", "ES", "error.tax_code.checksum"),
        ("X" * 31, "FR", "error.tax_code.length"),
    ],
)
def test_invalid_tax_codes(value, country, code):
    assert code_of(tax_code.validate, value, country) == code
    assert not tax_code.is_valid(value, country)


@pytest.mark.parametrize(
    ("value", "country", "shown"),
    [("39053344705", "BR", "390.533.447-05"), ("11222333000181", "BR", "11.222.333/0001-81"),
     ("RSSMRA30A01H501I", "IT", "RSSMRA30A01H501I")],
)  # fmt: skip
def test_tax_code_format(value, country, shown):
    assert tax_code.format(value, country) == shown


@pytest.mark.parametrize(
    ("value", "country", "expected"),
    [
        ("01114601006", "IT", "01114601006"),
        ("IT01114601006", "IT", "01114601006"),
        ("IT 011 146 010 06", "IT", "01114601006"),
        ("it01114601006", "IT", "01114601006"),
        ("DE136695976", "DE", "136695976"),
        ("FR40303265045", "FR", "40303265045"),
        ("CHE-123.456.788", "CH", "CHE123456788"),  # outside the EU: kept as typed
    ],
)
def test_valid_vat_numbers(value, country, expected):
    assert vat.validate(value, country) == expected


@pytest.mark.parametrize(
    ("value", "country", "code"),
    [
        ("01114601007", "IT", "error.vat_number.checksum"),
        ("0111460100", "IT", "error.vat_number.length"),
        ("01114602004", "IT", "error.vat_number.component"),  # office code 200 with a valid Luhn digit
        ("DE136695976", "IT", "error.vat_number.country_mismatch"),
        ("DE136695977", "DE", "error.vat_number.checksum"),
        ("", "IT", "error.required"),
    ],
)
def test_invalid_vat_numbers(value, country, code):
    assert code_of(vat.validate, value, country) == code


def test_vat_split_and_format():
    assert vat.split("IT 01114601006") == ("IT", "01114601006")
    assert vat.split("01114601006", "SM") == ("SM", "01114601006")
    assert vat.format("01114601006", "IT") == "IT01114601006"


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [("a4707h7", "company", "A4707H7"), ("0000000", "company", "0000000"), ("XXXXXXX", "private", "XXXXXXX"),
     ("UFY9MH", "public_administration", "UFY9MH"), (" ufy 9mh ", "public_administration", "UFY9MH")],
)  # fmt: skip
def test_valid_sdi_codes(value, kind, expected):
    assert sdi.validate(value, kind) == expected


@pytest.mark.parametrize(
    ("value", "kind", "code"),
    [
        ("UFY9MH", "company", "error.sdi_code.office_code_for_company"),
        ("A4707H", "private", "error.sdi_code.office_code_for_company"),
        ("A4707H7X", "company", "error.sdi_code.length"),
        ("A4707H7", "public_administration", "error.sdi_code.length_pa"),
        ("A47_7H7", "company", "error.sdi_code.format"),
    ],
)
def test_invalid_sdi_codes(value, kind, code):
    assert code_of(sdi.validate, value, kind) == code


def test_sdi_placeholders_do_not_route_invoices():
    assert not sdi.is_real_code("0000000") and not sdi.is_real_code("XXXXXXX") and sdi.is_real_code("A4707H7")


@pytest.mark.parametrize(
    ("value", "ok"),
    [("mario.rossi@example.it", True), ("Mario.Rossi@EXAMPLE.IT", True), ("studio@pec.example.it", True),
     ("mario@", False), ("www.example.com / info@example.com", False), ("mario rossi@example.it", False)],
)  # fmt: skip
def test_emails(value, ok):
    assert email.is_valid(value) is ok


def test_email_errors_name_the_field():
    assert code_of(email.validate, "bad@", "pec") == "error.pec.invalid"
    assert code_of(email.validate, "bad@") == "error.email.invalid"


@pytest.mark.parametrize(
    ("value", "region", "e164"),
    [
        ("333 123 4567", "IT", "+393331234567"),
        ("+39 333 1234567", "IT", "+393331234567"),
        ("0039 333 1234567", "IT", "+393331234567"),
        ("06 6982", "IT", "+39066982"),  # Rome landline: the leading zero stays
        ("02 1234 5678", "IT", "+390212345678"),
        ("(11) 98765-4321", "BR", "+5511987654321"),
        ("+55 11 98765-4321", "IT", "+5511987654321"),
        ("612 34 56 78", "ES", "+34612345678"),
    ],
)
def test_valid_phones(value, region, e164):
    assert phone.validate(value, region) == e164


@pytest.mark.parametrize("value", ["123", "abc", "+39 12", "333-12"])
def test_invalid_phones(value):
    assert code_of(phone.validate, value, "IT") == "error.phone.invalid"


def test_phone_format_and_search_digits():
    assert phone.format("+393331234567", "IT") == "333 123 4567"
    assert phone.format("+5511987654321", "IT") == "+55 11 98765-4321"
    assert phone.digits("+39066982") == "39066982 066982"


@pytest.mark.parametrize(
    ("value", "country", "expected"),
    [("00184", "IT", "00184"), ("01310-100", "BR", "01310100"), ("28013", "ES", "28013"), ("SW1A 1AA", "GB", "SW1A 1AA")],
)  # fmt: skip
def test_postal_codes(value, country, expected):
    assert address.validate_postal_code(value, country) == expected


@pytest.mark.parametrize(
    ("value", "country", "code"),
    [("184", "IT", "error.postal_code.it"), ("0018A", "IT", "error.postal_code.it"), ("0131010", "BR", "error.postal_code.br")],
)  # fmt: skip
def test_invalid_postal_codes(value, country, code):
    assert code_of(address.validate_postal_code, value, country) == code


def test_provinces():
    assert address.validate_province("rm") == "RM"
    assert address.validate_province("EE") == "EE"
    assert code_of(address.validate_province, "XX", "IT") == "error.province.unknown"
    assert address.validate_province("SP", "BR") == "SP"  # states abroad are not checked


@pytest.mark.parametrize(
    ("value", "country", "expected"),
    [
        ("RSSMRA30A01H501I", "IT", ("private", "tax_code", "IT")),
        ("IT01114601006", "IT", ("company", "vat_number", "IT")),
        ("01114601006", "IT", ("company", "vat_number", "IT")),
        ("11222333000181", "IT", ("company", "tax_code", "BR")),
        ("390.533.447-05", "IT", ("private", "tax_code", "BR")),
        ("RSSMRA30A01H501X", "IT", None),
        ("hello", "IT", None),
    ],
)
def test_guess_kind(value, country, expected):
    assert detect.guess_kind(value, country) == expected


@pytest.mark.parametrize(
    ("surname", "name", "codes"),
    [("Rossi", "Mario", ("RSS", "MRA")), ("Fo", "Al", ("FOX", "LAX")), ("D'Angelo", "Nicolò", ("DNG", "NCL")),
     ("De Luca", "Gianfranco", ("DLC", "GFR")), ("Bianchi", "Giulia", ("BNC", "GLI"))],
)  # fmt: skip
def test_codice_fiscale_name_codes(surname, name, codes):
    assert (person.surname_code(surname), person.name_code(name)) == codes


def test_derive_birth_date_and_sex():
    assert person.derive("BNCGLI87D52H501V") == (datetime.date(1987, 4, 12), "F")
    assert person.derive("RSSMRAPLALMHRLMQ") == (datetime.date(1930, 1, 1), "M")
    assert person.derive("01114601006") == (None, "")


def test_mismatches_are_reported_per_field():
    cf = "BNCGLI87D52H501V"
    assert person.mismatches(cf, "Giulia", "Bianchi", datetime.date(1987, 4, 12)) == []
    assert person.mismatches(cf, "Marco", "Rossi", datetime.date(1987, 4, 13)) == [
        ("last_name", "warning.cf_surname"),
        ("first_name", "warning.cf_name"),
        ("birth_date", "warning.cf_birth_date"),
    ]
