"""VAT numbers (partita IVA and EU VAT), stored without the country prefix.

>>> split('IT 01114601006')
('IT', '01114601006')
>>> validate('01114601006', 'IT')
'01114601006'
>>> format('01114601006', 'IT')
'IT01114601006'
"""

from __future__ import annotations

from stdnum.eu import vat as eu_vat
from stdnum.it import iva

from core.errors import InvalidIdentifier
from core.identifiers._util import make_is_valid, run_stdnum, squeeze

EU_COUNTRIES = {c.upper() for c in eu_vat.MEMBER_STATES} | {"EL"}
# Prefixes stripped only before a digit: Swiss UIDs keep their "CHE".
_OTHER_PREFIXES = {"CH", "GB", "SM"}


def split(value: str | None, default_country: str = "IT") -> tuple[str, str]:
    """('IT', '01114601006') from 'IT01114601006' or from '01114601006' with default 'IT'."""
    number = squeeze(value)
    prefix, rest = number[:2], number[2:]
    if rest and prefix.isalpha() and (prefix in EU_COUNTRIES or (prefix in _OTHER_PREFIXES and rest[0].isdigit())):
        return prefix, rest
    return (default_country or "IT").upper(), number


def compact(value: str | None, country: str = "IT") -> str:
    return split(value, country)[1]


def validate(value: str | None, country: str = "IT") -> str:
    """Return the compact number without prefix, or raise InvalidIdentifier.

    A prefix in the value wins over `country` only when they agree; a mismatch is an error.
    """
    prefix, number = split(value, country)
    country = (country or "IT").upper()
    if not number:
        raise InvalidIdentifier("error.required")
    if prefix != country:
        raise InvalidIdentifier("error.vat_number.country_mismatch", prefix=prefix, country=country)
    if country == "IT":
        return run_stdnum(iva, number, "vat_number")
    if country in EU_COUNTRIES:
        run_stdnum(eu_vat, country + number, "vat_number")
        return number
    if len(number) > 30:
        raise InvalidIdentifier("error.vat_number.length")
    return number


def italian_valid_many(numbers: list[str]) -> list[bool]:
    """Which plain partite IVA (eleven ASCII digits) are right, all at once with numpy: the office code and the
    Luhn check digit as python-stdnum tests them (False also means "ask `validate`"; the tests compare the two)."""
    import numpy as np

    shaped = [i for i, n in enumerate(numbers) if len(n) == 11 and n.isascii() and n.isdigit()]
    result = [False] * len(numbers)
    if not shaped:
        return result
    digits = (
        np.frombuffer("".join(numbers[i] for i in shaped).encode("ascii"), dtype=np.uint8)
        .reshape(-1, 11)
        .astype(np.int64)
        - 48
    )
    doubled = digits[:, 1:11:2] * 2
    total = digits[:, 0:11:2].sum(axis=1) + (doubled // 10 + doubled % 10).sum(axis=1)
    office = digits[:, 7] * 100 + digits[:, 8] * 10 + digits[:, 9]
    right = (
        (total % 10 == 0)
        & (digits[:, :7].any(axis=1))
        & (((office >= 1) & (office <= 100)) | np.isin(office, [120, 121, 888, 999]))
    )
    for i, ok in zip(shaped, right.tolist(), strict=True):
        result[i] = ok
    return result


is_valid = make_is_valid(validate)


def format(value: str, country: str = "IT") -> str:
    prefix, number = split(value, country)
    return f"{prefix}{number}" if number else ""
