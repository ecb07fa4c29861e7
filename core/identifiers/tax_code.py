"""Personal or company tax code, checked by the country that issued it.

- IT: codice fiscale, 16 characters (persons, omocodia included) or 11 digits (companies, PA)
- BR: CPF (11 digits, persons) or CNPJ (14 digits, companies)
- ES: NIF (DNI, NIE or CIF)
- any other country: kept as typed, compacted, up to 30 characters

>>> validate('rssmra30a01h501i')
'RSSMRA30A01H501I'
>>> validate('390.533.447-05', 'BR')
'39053344705'
>>> format('39053344705', 'BR')
'390.533.447-05'
"""

from __future__ import annotations

import datetime
import re

from stdnum.br import cnpj, cpf
from stdnum.es import nif
from stdnum.it import codicefiscale

from core.dates import dates_of
from core.errors import InvalidIdentifier
from core.identifiers._util import make_is_valid, run_stdnum, squeeze

CF_PERSON = re.compile(r"^[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-EHLMPR-T][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$")
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LETTERS = _ALPHABET[10:]
_ODD_VALUES = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]
_ODD = {ch: _ODD_VALUES[i if i < 10 else i - 10] for i, ch in enumerate(_ALPHABET)}  # 1st, 3rd, ... character
_EVEN = {ch: i if i < 10 else i - 10 for i, ch in enumerate(_ALPHABET)}
_DATE_DIGITS = {**{ch: i for i, ch in enumerate("0123456789")}, **{ch: i for i, ch in enumerate("LMNPQRSTUV")}}
_MONTHS = "ABCDEHLMPRST"


def person_birth_date(number: str) -> datetime.date | None:
    """The birth date in a personal codice fiscale (upper case, compact) that python-stdnum accepts, read
    without it (this runs for every row of an import); None for any code stdnum would refuse. Tests prove the
    two agree."""
    if len(number) != 16 or not CF_PERSON.match(number):
        return None
    total = sum(map(_ODD.__getitem__, number[0:15:2])) + sum(map(_EVEN.__getitem__, number[1:15:2]))
    if _LETTERS[total % 26] != number[15]:
        return None
    digits = _DATE_DIGITS
    year = 1900 + digits[number[6]] * 10 + digits[number[7]]
    try:
        return datetime.date(year if year >= 1920 else year + 100, _MONTHS.index(number[8]) + 1,
                             (digits[number[9]] * 10 + digits[number[10]]) % 40)  # fmt: skip
    except ValueError:
        return None


def compact(value: str | None, country: str = "IT") -> str:
    return squeeze(value)


def person_birth_dates(numbers: list[str], *, sexes: bool = False):
    """`person_birth_date` of many codes at once: shape (Arrow), check letter and date (numpy). With `sexes`,
    (the dates, `person.sex_of` of every code whose date was found, else "")."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if not numbers:
        return ([], []) if sexes else []
    column = pa.array(numbers, pa.string())
    shaped_mask = pc.fill_null(pc.match_substring_regex(column, CF_PERSON.pattern), False)
    shaped = column.filter(shaped_mask)
    if not len(shaped):
        return ([None] * len(numbers), [""] * len(numbers)) if sexes else [None] * len(numbers)
    _validity, offsets, data = shaped.buffers()  # every shaped code is 16 ASCII bytes, one after the other
    start = int(np.frombuffer(offsets, dtype=np.int32, count=1, offset=4 * shaped.offset)[0])
    codes = np.frombuffer(data, dtype=np.uint8, count=16 * len(shaped), offset=start).reshape(-1, 16)
    total = _ODD_TABLE[codes[:, 0:15:2]].sum(axis=1) + _EVEN_TABLE[codes[:, 1:15:2]].sum(axis=1)
    right = (total % 26 + 65) == codes[:, 15]
    year = 1900 + _DIGIT_TABLE[codes[:, 6]] * 10 + _DIGIT_TABLE[codes[:, 7]]
    year = np.where(year >= 1920, year, year + 100)
    month = _MONTH_TABLE[codes[:, 8]] + 1
    written_day = _DIGIT_TABLE[codes[:, 9]] * 10 + _DIGIT_TABLE[codes[:, 10]]  # over 40 for women
    dates = dates_of(year, month, np.where(right, written_day % 40, 0))  # 30 February: stdnum refuses it too
    found: list[datetime.date | None] = [None] * len(numbers)
    where = pc.indices_nonzero(shaped_mask).to_pylist()
    for index, born in zip(where, dates, strict=True):
        found[index] = born
    if not sexes:
        return found
    found_sexes = [""] * len(numbers)
    for index, sex, born in zip(where, np.where(written_day > 40, "F", "M").tolist(), dates, strict=True):
        if born:
            found_sexes[index] = sex
    return found, found_sexes


def _table(mapping: dict[str, int]):
    import numpy as np

    table = np.zeros(256, dtype=np.int64)
    for ch, value in mapping.items():
        table[ord(ch)] = value
    return table


_ODD_TABLE, _EVEN_TABLE = _table(_ODD), _table(_EVEN)
_DIGIT_TABLE, _MONTH_TABLE = _table(_DATE_DIGITS), _table({ch: i for i, ch in enumerate(_MONTHS)})


def validate(value: str | None, country: str = "IT") -> str:
    """Return the compact tax code or raise InvalidIdentifier."""
    number = compact(value, country)
    country = (country or "IT").upper()
    if not number:
        raise InvalidIdentifier("error.required")
    if country == "IT":
        if number.startswith("IT") and len(number) == 13:
            number = number[2:]
        if len(number) not in (11, 16):
            raise InvalidIdentifier("error.tax_code.length_it")
        if len(number) == 16 and not CF_PERSON.match(number):
            raise InvalidIdentifier("error.tax_code.format")
        if len(number) == 16 and person_birth_date(number):
            return number
        return run_stdnum(codicefiscale, number, "tax_code")
    if country == "BR":
        if len(number) == 14:
            return run_stdnum(cnpj, number, "tax_code")
        if len(number) != 11:
            raise InvalidIdentifier("error.tax_code.length_br")
        return run_stdnum(cpf, number, "tax_code")
    if country == "ES":
        return run_stdnum(nif, number, "tax_code")
    if len(number) > 30:
        raise InvalidIdentifier("error.tax_code.length")
    return number


is_valid = make_is_valid(validate)


def format(value: str, country: str = "IT") -> str:
    """The shape people write it in: CPF/CNPJ punctuated, others compact."""
    number = compact(value, country)
    country = (country or "IT").upper()
    if country == "BR" and number.isdigit():
        if len(number) == 11:
            return cpf.format(number)
        if len(number) == 14:
            return cnpj.format(number)
    return number


def is_person_code(value: str, country: str = "IT") -> bool:
    """True when the code identifies a natural person (16-char CF, CPF, DNI/NIE)."""
    number = compact(value, country)
    country = (country or "IT").upper()
    if country == "IT":
        return len(number) == 16
    if country == "BR":
        return len(number) == 11
    if country == "ES":
        return number[:1].isdigit() or number[:1] in "XYZKLM"
    return False
