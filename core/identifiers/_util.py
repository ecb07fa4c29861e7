from __future__ import annotations

from stdnum import exceptions as stdnum_errors

from core.errors import InvalidIdentifier


def stdnum_reason(exc: stdnum_errors.ValidationError) -> str:
    """Map python-stdnum's exception class to our reason suffix."""
    if isinstance(exc, stdnum_errors.InvalidChecksum):
        return "checksum"
    if isinstance(exc, stdnum_errors.InvalidLength):
        return "length"
    if isinstance(exc, stdnum_errors.InvalidComponent):
        return "component"
    return "format"


def run_stdnum(module, value: str, field: str, **params: object) -> str:
    """Call `module.validate(value)`, turning stdnum's errors into InvalidIdentifier."""
    try:
        return module.validate(value)
    except stdnum_errors.ValidationError as exc:
        raise InvalidIdentifier(f"error.{field}.{stdnum_reason(exc)}", **params) from exc


_SQUEEZED = str.maketrans("", "", " .-/\t\u00a0")


def squeeze(value: str | None) -> str:
    """Upper-case and drop spaces, dots, dashes and slashes."""
    if not value:
        return ""
    return str(value).upper().translate(_SQUEEZED)


def make_is_valid(validate):
    """`is_valid` for a module whose `validate` raises InvalidIdentifier (python-stdnum's shape)."""

    def is_valid(*args, **kwargs) -> bool:
        try:
            return bool(validate(*args, **kwargs))
        except InvalidIdentifier:
            return False

    is_valid.__doc__ = f"True when `{validate.__module__}.validate` accepts the value."
    return is_valid
