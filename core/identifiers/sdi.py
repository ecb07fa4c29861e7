"""SdI recipient codes (codice destinatario) for Italian e-invoices.

Companies and private persons use a 7-character code ("0000000" when they have none and receive
through PEC or their tax drawer; "XXXXXXX" for foreign clients). Public administration offices
have a 6-character office code (codice univoco ufficio, from IPA).

>>> validate('a4707h7', 'company')
'A4707H7'
>>> validate('UFY9MH', 'public_administration')
'UFY9MH'
"""

from __future__ import annotations

import re

from core.errors import InvalidIdentifier
from core.identifiers._util import make_is_valid, squeeze

NO_CODE = "0000000"
FOREIGN = "XXXXXXX"
_ALNUM = re.compile(r"^[A-Z0-9]+$")


def compact(value: str | None) -> str:
    return squeeze(value)


def validate(value: str | None, kind: str = "company") -> str:
    code = compact(value)
    if not code:
        raise InvalidIdentifier("error.required")
    if not _ALNUM.match(code):
        raise InvalidIdentifier("error.sdi_code.format")
    if kind == "public_administration":
        if len(code) != 6:
            raise InvalidIdentifier("error.sdi_code.length_pa")
    elif len(code) != 7:
        if len(code) == 6:
            raise InvalidIdentifier("error.sdi_code.office_code_for_company")
        raise InvalidIdentifier("error.sdi_code.length")
    return code


is_valid = make_is_valid(validate)


def is_real_code(code: str) -> bool:
    """True when the code actually routes invoices (not the 'none' or 'foreign' placeholders)."""
    return bool(code) and code not in (NO_CODE, FOREIGN)


def format(value: str) -> str:
    return compact(value)
