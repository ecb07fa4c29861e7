"""E-mail and PEC addresses: syntax only (email-validator, no DNS look-up).

>>> validate(' Mario.Rossi@Example.COM ')
'Mario.Rossi@example.com'
"""

from __future__ import annotations

import re

from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email
from email_validator.rfc_constants import CASE_INSENSITIVE_MAILBOX_NAMES

from core.errors import InvalidIdentifier
from core.identifiers._util import make_is_valid


def compact(value: str | None) -> str:
    return (value or "").strip()


# The everyday address (ASCII letters, digits, . _ % + - in the local part; LDH labels; an alphabetic TLD)
# checked without the library: tests prove the answer equals email-validator's wherever this path answers.
_PLAIN = re.compile(
    r"(?P<local>[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*)@"
    r"(?P<domain>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})"
)
_SPECIAL = tuple(SPECIAL_USE_DOMAIN_NAMES)


def fast_normalised(address: str) -> str | None:
    """email-validator's normalised form of a plain address, or None when the library must decide."""
    match = _PLAIN.fullmatch(address)
    if match is None or len(match["local"]) > 64 or len(address) > 254:
        return None
    domain = match["domain"].lower()
    if len(domain) > 253 or "--" in domain or any(domain == s or domain.endswith("." + s) for s in _SPECIAL):
        return None
    local = match["local"]
    if local.lower() in CASE_INSENSITIVE_MAILBOX_NAMES:  # RFC 2142 names (info@, sales@...): lower case
        local = local.lower()
    return f"{local}@{domain}"


def fast_normalised_found(addresses: list[str]) -> dict[str, str]:
    """{address: normalised form} for the plain addresses among `addresses` (`fast_normalised`, by Arrow); an
    address left out is for `validate` to decide."""
    import pyarrow as pa
    import pyarrow.compute as pc

    column = pa.array(addresses, pa.string())
    plain = pc.fill_null(pc.match_substring_regex(column, f"^(?:{_PLAIN.pattern})$"), False)
    if not pc.any(plain).as_py():
        return {}
    matched = column.filter(plain)
    parts = pc.split_pattern(matched, "@", max_splits=1)
    local, domain = pc.list_element(parts, 0), pc.utf8_lower(pc.list_element(parts, 1))
    ok = pc.and_(pc.less_equal(pc.utf8_length(local), 64), pc.less_equal(pc.utf8_length(matched), 254))
    ok = pc.and_(ok, pc.and_(pc.less_equal(pc.utf8_length(domain), 253), pc.invert(pc.match_substring(domain, "--"))))
    for special in _SPECIAL:
        ok = pc.and_(ok, pc.invert(pc.or_(pc.equal(domain, special), pc.ends_with(domain, "." + special))))
    lowered = pc.utf8_lower(local)
    local = pc.if_else(pc.is_in(lowered, value_set=pa.array(sorted(CASE_INSENSITIVE_MAILBOX_NAMES))), lowered, local)
    normalised = pc.binary_join_element_wise(local, domain, "@").filter(ok)
    return dict(zip(matched.filter(ok).to_pylist(), normalised.to_pylist(), strict=True))


def validate(value: str | None, field: str = "email") -> str:
    address = compact(value)
    if not address:
        raise InvalidIdentifier("error.required")
    fast = fast_normalised(address)
    if fast is not None:
        return fast
    try:
        return validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise InvalidIdentifier(f"error.{field}.invalid", value=address) from exc


is_valid = make_is_valid(validate)


def format(value: str) -> str:
    return compact(value)
