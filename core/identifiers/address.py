"""Postal codes and Italian provinces.

>>> validate_postal_code('00184', 'IT')
'00184'
>>> validate_province('rm')
'RM'
"""

from __future__ import annotations

import re

from core.errors import InvalidIdentifier

# Sigle of the Italian provinces and metropolitan cities, plus the Sardinian ones abolished in 2016
# (still on many cards) and EE for addresses abroad.
PROVINCES = frozenset(
    """AG AL AN AO AP AQ AR AT AV BA BG BI BL BN BO BR BS BT BZ CA CB CE CH CL CN CO CR CS CT CZ EN
    FC FE FG FI FM FR GE GO GR IM IS KR LC LE LI LO LT LU MB MC ME MI MN MO MS MT NA NO NU OR PA PC
    PD PE PG PI PN PO PR PT PU PV PZ RA RC RE RG RI RM RN RO SA SI SO SP SR SS SU SV TA TE TN TO TP
    TR TS TV UD VA VB VC VE VI VR VT VV CI VS OG OT EE""".split()
)

_POSTAL = {
    "IT": (re.compile(r"^\d{5}$"), "error.postal_code.it"),
    "ES": (re.compile(r"^\d{5}$"), "error.postal_code.es"),
    "BR": (re.compile(r"^\d{8}$"), "error.postal_code.br"),
}


def compact_postal_code(value: str | None, country: str = "IT") -> str:
    code = (value or "").strip().upper()
    if (country or "IT").upper() == "BR":
        code = code.replace("-", "").replace(".", "")
    return code.replace(" ", "") if (country or "IT").upper() in _POSTAL else code


def validate_postal_code(value: str | None, country: str = "IT") -> str:
    code = compact_postal_code(value, country)
    if not code:
        raise InvalidIdentifier("error.required")
    rule = _POSTAL.get((country or "IT").upper())
    if rule and not rule[0].match(code):
        raise InvalidIdentifier(rule[1], value=code)
    if len(code) > 12:
        raise InvalidIdentifier("error.postal_code.length")
    return code


def format_postal_code(value: str, country: str = "IT") -> str:
    if (country or "IT").upper() == "BR" and len(value) == 8 and value.isdigit():
        return f"{value[:5]}-{value[5:]}"
    return value


def validate_province(value: str | None, country: str = "IT") -> str:
    code = (value or "").strip().upper()
    if not code:
        raise InvalidIdentifier("error.required")
    if (country or "IT").upper() == "IT" and code not in PROVINCES:
        raise InvalidIdentifier("error.province.unknown", value=code)
    return code


def validate_country(value: str | None) -> str:
    code = (value or "").strip().upper()
    if not re.match(r"^[A-Z]{2}$", code):
        raise InvalidIdentifier("error.country.format", value=code)
    return code
