# check_card: required fields per kind, quick registration, errors attached to their field, warnings.
import datetime

import pytest

from core.validation import check_card, split_list

GIULIA = {"kind": "private", "first_name": "Giulia", "last_name": "Bianchi", "tax_code": "BNCGLI87D52H501V"}
ADDRESS = {"street": "Via Merulana 120", "postal_code": "00185", "city": "Roma", "province": "RM"}
COMPANY = {"kind": "company", "company_name": "Clima Rossi S.r.l.", "vat_number": "01114601006", "sdi_code": "A4707H7"}
PA = {
    "kind": "public_administration",
    "company_name": "Comune di Roma",
    "tax_code": "02438750586",
    "sdi_code": "UFY9MH",
}


def codes(check, bucket="errors") -> dict[str, list[str]]:
    return {name: [i.code for i in issues] for name, issues in getattr(check, bucket).items()}


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (GIULIA, {}),
        ({"kind": "private", "first_name": "Giulia"}, {"last_name": ["error.required"]}),
        ({"kind": "private", "last_name": "Bianchi"}, {"first_name": ["error.required"]}),
        ({"kind": "private"}, {"last_name": ["error.name_required"], "first_name": ["error.required"]}),
        (COMPANY, {}),
        ({**COMPANY, "vat_number": ""}, {"vat_number": ["error.required_one_of.vat_number_tax_code"]}),
        ({**COMPANY, "vat_number": "", "tax_code": "01114601006"}, {}),
        ({**COMPANY, "sdi_code": ""}, {"sdi_code": ["error.required_one_of.sdi_code_pec"]}),
        ({**COMPANY, "sdi_code": "0000000"}, {"sdi_code": ["error.required_one_of.sdi_code_pec"]}),
        ({**COMPANY, "sdi_code": "0000000", "pec": "clima@pec.example.it"}, {}),
        ({**COMPANY, "sdi_code": "", "country": "DE", "vat_number": "DE136695976"}, {}),  # SdI only for Italy
        ({**COMPANY, "company_name": ""}, {"company_name": ["error.name_required"]}),
        (PA, {}),
        ({**PA, "sdi_code": ""}, {"sdi_code": ["error.required"]}),
        ({**PA, "sdi_code": "A4707H7"}, {"sdi_code": ["error.sdi_code.length_pa"]}),
        ({**PA, "tax_code": ""}, {"tax_code": ["error.required"]}),
        ({**PA, "tax_code": "BNCGLI87D52H501V"}, {"tax_code": ["error.tax_code.pa_numeric"]}),
        ({"kind": "alien", "last_name": "X", "first_name": "Y"}, {"kind": ["error.kind.invalid"]}),
    ],
)
def test_required_fields_per_kind(data, errors):
    assert codes(check_card(data)) == errors


def test_several_errors_at_once_each_on_its_field():
    check = check_card(
        {**GIULIA, "tax_code": "BNCGLI87D52H501X", "emails": "ok@example.it, bad@", "phones": "123",
         "postal_code": "185", "province": "XX", "pec": "nope", "birth_date": "2999-01-01"}
    )  # fmt: skip
    assert codes(check) == {
        "tax_code": ["error.tax_code.checksum"],
        "emails": ["error.email.invalid"],
        "phones": ["error.phone.invalid"],
        "postal_code": ["error.postal_code.it"],
        "province": ["error.province.unknown"],
        "pec": ["error.pec.invalid"],
        "birth_date": ["error.birth_date.range"],
    }
    assert check.errors["emails"][0].params["value"] == "bad@"
    assert not check.ok


def test_quick_registration_needs_only_a_name_and_lists_the_rest():
    check = check_card({"kind": "private", "last_name": "Bianchi"}, quick=True)
    assert check.ok
    assert check.missing_fields == ["first_name", "tax_code", "street", "postal_code", "city", "province"]
    company = check_card({"kind": "company", "company_name": "Clima"}, quick=True)
    assert company.missing_fields == ["vat_number", "sdi_code", "street", "postal_code", "city", "province"]
    assert codes(check_card({"kind": "company"}, quick=True)) == {"company_name": ["error.name_required"]}


def test_a_complete_card_misses_nothing():
    assert check_card({**GIULIA, **ADDRESS}).missing_fields == []
    assert check_card({**COMPANY, **ADDRESS}).missing_fields == []
    assert check_card({**PA, **ADDRESS}).missing_fields == []
    foreign = {"kind": "private", "first_name": "Ana", "last_name": "Silva", "street": "Rua A 1",
               "postal_code": "01310-100", "city": "São Paulo", "country": "BR"}  # fmt: skip
    assert check_card(foreign).missing_fields == []  # no codice fiscale or province abroad


def test_identifiers_are_stored_compact():
    check = check_card(
        {**COMPANY, "vat_number": "it 011 146 010 06", "sdi_code": "a4707h7", "phones": "333 123 4567\n06 6982",
         "emails": "Info@Example.IT", "province": "rm", "postal_code": " 00185 "}
    )  # fmt: skip
    v = check.values
    assert (v["vat_country"], v["vat_number"], v["sdi_code"]) == ("IT", "01114601006", "A4707H7")
    assert v["phones"] == ["+393331234567", "+39066982"]
    assert v["emails"] == ["info@example.it"]
    assert (v["province"], v["postal_code"]) == ("RM", "00185")


def test_vat_prefix_sets_the_vat_country():
    check = check_card({**COMPANY, "vat_number": "DE136695976", "vat_country": ""})
    assert (check.values["vat_country"], check.values["vat_number"]) == ("DE", "136695976")


def test_birth_date_and_sex_come_from_the_codice_fiscale():
    check = check_card(GIULIA)
    assert check.values["birth_date"] == datetime.date(1987, 4, 12)
    assert check.values["sex"] == "F"
    assert check.warnings == {}


def test_disagreements_with_the_codice_fiscale_are_warnings_not_errors():
    check = check_card({**GIULIA, "first_name": "Marco", "birth_date": datetime.date(1987, 4, 13)})
    assert check.ok
    assert codes(check, "warnings") == {"first_name": ["warning.cf_name"], "birth_date": ["warning.cf_birth_date"]}
    assert check.values["birth_date"] == datetime.date(1987, 4, 13)  # what was typed is kept


def test_a_person_with_a_company_code_is_warned():
    assert codes(check_card({**GIULIA, "tax_code": "01114601006"}), "warnings") == {
        "tax_code": ["warning.private_numeric_cf"]
    }


def test_bad_date_text_is_an_error_not_a_crash():
    assert codes(check_card({**GIULIA, "birth_date": "31/02/1990"})) == {"birth_date": ["error.date.invalid"]}


@pytest.mark.parametrize(
    ("value", "expected"),
    [("a@x.it, b@y.it", ["a@x.it", "b@y.it"]), ("a@x.it\nb@y.it;c@z.it", ["a@x.it", "b@y.it", "c@z.it"]),
     (["a", " a ", "b"], ["a", "b"]), (None, []), ("", [])],
)  # fmt: skip
def test_split_list(value, expected):
    assert split_list(value) == expected
