"""E-mail and PEC addresses: syntax only (email-validator, no DNS look-up).

>>> validate(' Mario.Rossi@Example.COM ')
'Mario.Rossi@example.com'
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from core.errors import InvalidIdentifier
from core.identifiers._util import make_is_valid


def compact(value: str | None) -> str:
    return (value or "").strip()


def validate(value: str | None, field: str = "email") -> str:
    address = compact(value)
    if not address:
        raise InvalidIdentifier("error.required")
    try:
        return validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise InvalidIdentifier(f"error.{field}.invalid", value=address) from exc


is_valid = make_is_valid(validate)


def format(value: str) -> str:
    return compact(value)
