# MAP and NORMALISE: header synonyms in four languages, values that reveal a column, known layouts,
# splitting combined columns, and the normalisers, each as a table of cases.
import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from importers import fields as F
from importers.mapping import signature, suggest_mapping
from importers.normalise import (
    clean,
    country_code,
    date_order,
    kind_of,
    looks_like_company,
    parse_amount,
    parse_date,
    postal_code,
    proper_case,
    split_address,
    split_full_name,
    vat_number,
)
from importers.rows import card_row


@pytest.mark.parametrize(
    ("header", "target"),
    [
        ("Cognome", "last_name"), ("Apellido", "last_name"), ("Sobrenome", "last_name"), ("Last Name", "last_name"),
        ("Nome", "first_name"), ("Nombre", "first_name"), ("Given Name", "first_name"),
        ("Ragione sociale", "company_name"), ("Razón social", "company_name"), ("Razão Social", "company_name"),
        ("Codice Fiscale", "tax_code"), ("C.F.", "tax_code"), ("CPF", "tax_code"), ("NIF", "tax_code"),
        ("Partita IVA", "vat_number"), ("P.IVA", "vat_number"), ("VAT number", "vat_number"),
        ("CF / P.IVA", F.TAX_OR_VAT), ("Cognome Nome", F.FULL_NAME_LAST_FIRST), ("Nome completo", F.FULL_NAME_FIRST_LAST),
        ("Indirizzo completo", F.FULL_ADDRESS), ("Codice destinatario", "sdi_code"), ("PEC", "pec"),
        ("E-mail", "emails"), ("Correo electrónico", "emails"), ("Cellulare", "phones"), ("Telefone", "phones"),
        ("CAP", "postal_code"), ("CEP", "postal_code"), ("Città", "city"), ("CITTA'", "city"), ("Cidade", "city"),
        ("Prov.", "province"), ("Nazione", "country"), ("País", "country"), ("Data di nascita", "birth_date"),
        ("Fecha de nacimiento", "birth_date"), ("Luogo di nascita", "birth_place"), ("Tipologia", F.KIND),
        ("Note", F.NOTES), ("Colore preferito", F.CUSTOM),
    ],
)  # fmt: skip
def test_header_synonyms(header, target):
    mapping = suggest_mapping([header, "Altro"], [["x", "y"]])
    assert mapping.targets()[header] == target


def test_values_reveal_a_column_whatever_its_header():
    rows = [["RSSMRA30A01H501I", "mario@example.it", "01114601006"], ["BNCGLI87D52H501V", "anna@example.it", "x"]]
    mapping = suggest_mapping(["Campo 1", "Campo 2", "Campo 3"], rows)
    assert mapping.targets() == {"Campo 1": "tax_code", "Campo 2": "emails", "Campo 3": F.CUSTOM}
    assert [c.reason for c in mapping.columns] == ["values", "values", "unmapped"]


def test_a_second_column_for_the_same_field_is_kept_not_dropped():
    mapping = suggest_mapping(["Indirizzo", "Billing Street", "Vuota"], [["Via Roma 1", "Via Po 2", ""]])
    assert mapping.targets() == {"Indirizzo": "street", "Billing Street": F.CUSTOM, "Vuota": F.IGNORE}


def test_saved_and_user_mappings_win():
    mapping = suggest_mapping(["A", "B"], [["Verdi", "Luca"]], saved={"A": "last_name"})
    assert mapping.targets()["A"] == "last_name" and mapping.columns[0].reason == "saved"
    changed = mapping.with_targets({"B": "first_name"})
    assert changed.targets() == {"A": "last_name", "B": "first_name"} and changed.columns[1].reason == "user"
    with pytest.raises(ValueError):
        mapping.with_targets({"B": "shoe_size"})
    assert signature(["Nome", "Città"]) == signature(["citta", "NOME"])


def test_invoice_tables_are_told_apart():
    header = ["Numero fattura", "Data fattura", "Cliente", "Imponibile", "IVA", "Totale"]
    mapping = suggest_mapping(header, [["1", "01/02/2024", "Rossi", "100,00", "22,00", "122,00"]])
    assert mapping.table_kind == "invoices"
    assert mapping.targets() == {"Numero fattura": "invoice_number", "Data fattura": "invoice_date",
                                 "Cliente": "invoice_client", "Imponibile": "invoice_net", "IVA": "invoice_vat",
                                 "Totale": "invoice_total"}  # fmt: skip


@pytest.mark.parametrize(
    ("header", "profile"),
    [
        (["Codice", "Ragione sociale", "Codice destinatario", "Tipologia", "Split Payment"], "openstamanager"),
        (["Name", "Balance", "Paid to Date", "Billing Street", "ID Number", "VAT Number"], "invoiceninja"),
        (["Client Name", "Invoice #", "Date Issued", "Line Total"], "freshbooks"),
        (["Given Name", "Family Name", "Group Membership", "E-mail 1 - Value"], "google_contacts"),
        (["client_number", "display_name", "needs_review", "sdi_code", "tax_code"], "cartella"),
        (["invoice_number", "invoiced_at", "amount", "currency_code", "contact_name"], "akaunting_invoices"),
        (["bill_number", "billed_at", "amount", "currency_code", "contact_name"], "akaunting_bills"),
        (["bill_number", "code", "name", "amount", "sort_order"], "akaunting_details"),
        (["invoice_number", "transaction_number", "paid_at", "amount", "account_name"], "akaunting_details"),
        (["bill_number", "name", "amount"], None),
        (["Nome", "Cognome"], None),
    ],
)
def test_known_programs(header, profile):
    assert F.detect_profile(header) == profile


def test_tables_of_no_client_records_are_told_apart():
    """A known program's sheet of supplier bills or of document details holds no client: its kind says so (the
    import rejects its rows with the reason) until the user maps a column."""
    totals = suggest_mapping(["bill_number", "code", "name", "amount", "sort_order"],
                             [["BILL-1", "total", "bills.total", "90", "3"]])  # fmt: skip
    assert (totals.table_kind, totals.profile) == ("other", "akaunting_details")
    assert totals.with_targets({}) is totals and totals.with_targets({"code": totals.targets()["code"]}) is totals
    assert totals.targets()["name"] == "company_name"
    assert totals.with_targets({"name": "last_name"}).table_kind == "clients"
    again = suggest_mapping(["bill_number", "code", "name", "amount", "sort_order"], [["BILL-1", "total", "x", "9", "3"]],
                            saved={"name": "last_name"})  # fmt: skip
    assert again.table_kind == "clients"  # the user mapped this layout before: as they chose
    invoices = suggest_mapping(["invoice_number", "invoiced_at", "amount", "currency_code", "customer_name",
                                "customer_email"], [["INV-1", "2017-11-30", "10.0000", "USD", "Test", "t@c.com"]])  # fmt: skip
    assert invoices.table_kind == "invoices" and invoices.targets() == {
        "invoice_number": "invoice_number", "invoiced_at": "invoice_date", "amount": "invoice_total",
        "currency_code": F.CUSTOM, "customer_name": "invoice_client", "customer_email": "emails"}  # fmt: skip


@pytest.mark.parametrize(
    ("value", "expected"),
    [("  Mario   Rossi ", "Mario Rossi"), ("NULL", ""), ("n/a", ""), ("-", ""), ("NA", "NA"), ("'=1+2", "=1+2"),
     ("'+393331234567", "+393331234567"), ("\u00a0x\u00a0", "x"), (None, "")],
)  # fmt: skip
def test_clean(value, expected):
    assert clean(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("ROSSI MARIO", "Rossi Mario"), ("D'ANGELO", "D'Angelo"), ("CLIMA SRL", "Clima SRL"), ("Rossi", "Rossi"),
     ("MCLAREN", "Mclaren"), ("12345", "12345")],
)  # fmt: skip
def test_proper_case(value, expected):
    assert proper_case(value) == expected


@pytest.mark.parametrize(
    ("text", "last_first", "expected"),
    [("Rossi Mario", True, ("Mario", "Rossi")), ("De Luca Marco", True, ("Marco", "De Luca")),
     ("Mario Rossi", False, ("Mario", "Rossi")), ("Maria De Luca", False, ("Maria", "De Luca")),
     ("Rossi", True, ("", "Rossi")), ("Rossi", False, ("Rossi", ""))],
)  # fmt: skip
def test_split_full_name(text, last_first, expected):
    assert split_full_name(text, last_first) == expected


@pytest.mark.parametrize(
    ("text", "last_first", "tax_code", "expected"),
    [("Mario Rossi", True, "RSSMRA85T10A562S", ("Mario", "Rossi")),  # the code says first name first
     ("Rossi Mario", False, "rss mra 85t10 a562s", ("Mario", "Rossi")),
     ("Rossi Mario", True, "RSSMRA85T10A562S", ("Mario", "Rossi")),  # the column's order fits: kept
     ("Marco De Luca", True, "DLCMRC80A01H501X", ("Marco", "De Luca")),
     ("Mario Rossi", True, "BNCGLI87D52H501X", ("Rossi", "Mario")),  # neither way fits: the column's order
     ("Mario Rossi", True, "01114601006", ("Rossi", "Mario"))],  # no person's code
)  # fmt: skip
def test_a_codice_fiscale_tells_the_name_order(text, last_first, tax_code, expected):
    assert split_full_name(text, last_first, tax_code) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Via Roma 1, 00184 Roma (RM)", {"street": "Via Roma 1", "postal_code": "00184", "city": "Roma", "province": "RM"}),
     ("Corso Italia 5 - 20121 Milano MI", {"street": "Corso Italia 5", "postal_code": "20121", "city": "Milano", "province": "MI"}),
     ("Piazza Duomo", {"street": "Piazza Duomo"})],
)  # fmt: skip
def test_split_address(text, expected):
    assert split_address(text) == expected


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [("28/01/2021", "dmy", "2021-01-28"), ("01/28/2021", "mdy", "2021-01-28"), ("2021-01-28", "dmy", "2021-01-28"),
     ("28.01.2021", "dmy", "2021-01-28"), ("5/3/21", "dmy", "2021-03-05"), ("Jan 28 2021", "dmy", "2021-01-28"),
     ("28 gennaio 2021", "dmy", "2021-01-28"), ("43831", "dmy", "2020-01-01"), ("31/02/2021", "dmy", None),
     ("later", "dmy", None), ("2021-01-28T10:00:00", "dmy", "2021-01-28")],
)  # fmt: skip
def test_parse_date(text, order, expected):
    result = parse_date(text, order)
    assert (result.isoformat() if result else None) == expected


def test_month_names_are_the_locale_data():
    from importers.normalise import _MONTHS, month_prefixes

    assert month_prefixes() == _MONTHS


def test_date_order_is_decided_by_the_whole_column():
    assert date_order(["01/02/2020", "13/02/2020"]) == "dmy"
    assert date_order(["01/02/2020", "02/13/2020"]) == "mdy"
    assert date_order(["01/02/2020"]) == "dmy"  # undecidable: Italian default


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1.234,50", "1234.50"), ("1,234.50", "1234.50"), ("€ 1234", "1234"), ("$-142.85", "-142.85"),
     ("(12.00)", "-12.00"), ("1,020.00", "1020.00"), ("12,5", "12.5"), ("1.000", "1000"), ("0.500", "0.500"),
     ("1.234.567,8", "1234567.8"), ("abc", None)],
)  # fmt: skip
def test_parse_amount(text, expected):
    result = parse_amount(text)
    assert result == (Decimal(expected) if expected else None)


@pytest.mark.parametrize(
    ("function", "value", "country", "expected"),
    [(postal_code, "184", "IT", "00184"), (postal_code, "184.0", "IT", "00184"), (postal_code, "G1 2FF", "GB", "G1 2FF"),
     (vat_number, "1114601006", "IT", "01114601006"), (vat_number, "1114601006.0", "IT", "01114601006"),
     (country_code, "Italia", None, "IT"), (country_code, "Germany", None, "DE"), (country_code, "Brasil", None, "BR"),
     (country_code, "ITA", None, "IT")],
)  # fmt: skip
def test_small_normalisers(function, value, country, expected):
    assert (function(value, country) if country else function(value)) == expected


@pytest.mark.parametrize(
    ("text", "kind"),
    [("Privato", "private"), ("persona fisica", "private"), ("Azienda", "company"), ("business", "company"),
     ("PA", "public_administration"), ("Pubblica Amministrazione", "public_administration"), ("boh", None)],
)  # fmt: skip
def test_kind_words(text, kind):
    assert kind_of(text) == kind


def test_company_markers():
    assert looks_like_company("Clima Rossi S.r.l.") and looks_like_company("Condominio Via Roma 12")
    assert not looks_like_company("Mario Rossi")
    assert looks_like_company("INTERNATIONAL CORPORATION") and looks_like_company("Padaria Silva Eireli")
    assert not looks_like_company("Company")  # Outlook's own placeholder for the column


def test_a_row_becomes_a_card_with_nothing_lost():
    header = ["CF / P.IVA", "Nominativo", "Indirizzo completo", "Nato il", "Hobby", "Tipo cliente"]
    targets = [suggest_mapping(header, [["x"] * 6]).targets()[h] for h in header]
    row = card_row(header, ["RSSMRA30A01H501I", "ROSSI MARIO", "Via Roma 1, 00184 Roma (RM)", "31/02/1990", "vela",
                            "Privato"], targets, date_orders={}, strict=False, lang="en")  # fmt: skip
    v = row.check.values
    assert (v["first_name"], v["last_name"], v["tax_code"], v["postal_code"], v["province"]) == (
        "Mario", "Rossi", "RSSMRA30A01H501I", "00184", "RM",
    )  # fmt: skip
    assert row.custom == {"Hobby": "vela", "Nato il": "31/02/1990"}  # the unreadable date is kept as it was
    assert row.flagged and not row.rejected
    assert v["birth_date"] == datetime.date(1930, 1, 1)  # from the codice fiscale instead


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.text(alphabet="aB D'ÀßéŸ-1", max_size=10), st.text(max_size=8)), max_size=25))
def test_a_column_is_proper_cased_as_each_name_is(values):
    from importers.normalise import proper_case, proper_case_many

    assert proper_case_many(values) == [proper_case(v) for v in values]


DATE_PARTS = st.one_of(st.integers(0, 40).map(str), st.integers(0, 12).map(lambda m: f"{m:02d}"),
                       st.sampled_from(["0000", "0001", "1900", "1952", "2000", "2024", "2100", "9999", "24", "1e3"]))  # fmt: skip


@settings(max_examples=800, deadline=None)
@given(st.lists(st.one_of(st.tuples(DATE_PARTS, st.sampled_from("/.-"), DATE_PARTS, st.sampled_from("/.-"), DATE_PARTS)
                          .map("".join), st.text(alphabet="0123456789/.- T:", max_size=12)), max_size=25),
       st.sampled_from(["dmy", "mdy"]))  # fmt: skip
def test_a_date_column_is_read_as_each_date_is(values, order):
    from importers.normalise import parse_date, parse_dates

    assert parse_dates(values, order) == [parse_date(v, order) for v in values]


def test_a_date_column_is_read_as_each_date_is_at_the_edges():
    from importers.normalise import parse_date, parse_dates

    edges = ["29/02/2000", "29/02/1900", "29/02/2024", "29/02/2100", "31/04/2024", "00/01/2024", "01/13/2024",
             "1/1/0001", "31/12/9999", "01/01/0000", "5.3.1999", "05-03-1999", "12/31/2024", ""]  # fmt: skip
    for order in ("dmy", "mdy"):
        assert parse_dates(edges, order) == [parse_date(v, order) for v in edges]
    assert parse_dates(["29/02/2000", "29/02/1900"])[0] == datetime.date(2000, 2, 29)
