"""Phone numbers: parsed with phonenumbers against a default region, stored in E.164.

>>> validate('333 123 4567', 'IT')
'+393331234567'
>>> format('+393331234567', 'IT')
'333 123 4567'
"""

from __future__ import annotations

import phonenumbers

from core.errors import InvalidIdentifier
from core.identifiers._util import make_is_valid


def compact(value: str | None) -> str:
    return (value or "").strip()


def validate(value: str | None, region: str = "IT") -> str:
    text = compact(value)
    if not text:
        raise InvalidIdentifier("error.required")
    try:
        number = phonenumbers.parse(text, (region or "IT").upper())
    except phonenumbers.NumberParseException as exc:
        raise InvalidIdentifier("error.phone.invalid", value=text) from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidIdentifier("error.phone.invalid", value=text)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


is_valid = make_is_valid(validate)


def format(value: str, region: str = "IT") -> str:
    """National format for numbers of the default region, international for the others."""
    try:
        number = phonenumbers.parse(value, (region or "IT").upper())
    except phonenumbers.NumberParseException:
        return value
    home = phonenumbers.region_code_for_number(number) == (region or "IT").upper()
    style = phonenumbers.PhoneNumberFormat.NATIONAL if home else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, style)


def digits(value: str) -> str:
    """Every digit of the number, national and international forms (for search)."""
    if value.startswith("+") and value[1:].isdigit():  # E.164 as stored: split off the country code directly
        for size in (1, 2, 3):
            if int(value[1 : 1 + size]) in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
                return f"{value[1:]} {value[1 + size :]}"
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return "".join(ch for ch in value if ch.isdigit())
    national = str(number.national_number)
    if number.italian_leading_zero:
        national = "0" * (number.number_of_leading_zeros or 1) + national
    return f"{number.country_code}{national} {national}"
