"""Guess a client's kind from an identifier someone typed or imported.

>>> guess_kind('RSSMRA30A01H501I')
('private', 'tax_code', 'IT')
>>> guess_kind('IT01114601006')
('company', 'vat_number', 'IT')
"""

from __future__ import annotations

from stdnum.br import cnpj, cpf
from stdnum.it import codicefiscale, iva

from core.identifiers._util import squeeze


def guess_kind(value: str | None, country: str = "IT") -> tuple[str, str, str] | None:
    """(kind, field, country) for a recognised identifier, or None.

    16-character codice fiscale -> private person; 11-digit partita IVA -> company;
    14-digit CNPJ -> company; 11-digit CPF (when not a partita IVA, or country BR) -> private.
    """
    number = squeeze(value)
    if number.startswith("IT") and len(number) == 13:
        number = number[2:]
    if len(number) == 16 and codicefiscale.is_valid(number):
        return "private", "tax_code", "IT"
    if len(number) == 14 and number.isdigit() and cnpj.is_valid(number):
        return "company", "tax_code", "BR"
    if len(number) == 11 and number.isdigit():
        it_ok, br_ok = iva.is_valid(number), cpf.is_valid(number)
        if br_ok and (country.upper() == "BR" or not it_ok):
            return "private", "tax_code", "BR"
        if it_ok:
            return "company", "vat_number", "IT"
    return None
