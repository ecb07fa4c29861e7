"""Domain exceptions. Each carries a message key so screens and the CLI can translate it."""

from __future__ import annotations


class CartellaError(Exception):
    """Base class: `code` is a translation key, `params` fill its placeholders."""

    code = "error.unexpected"

    def __init__(self, *args: object, **params: object) -> None:
        super().__init__(*args or (self.code,))
        self.params = params


class CodedError(CartellaError, ValueError):
    """A failure whose message key is chosen where it happens (`code`), with its parameters."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code, **params)
        self.code = code


class InvalidIdentifier(CodedError):
    """An identifier failed its check; `code` says which check (``error.tax_code.checksum`` ...)."""


class ClientNotFound(CartellaError):
    code = "error.client_not_found"


class StaleEdit(CartellaError):
    """The card changed since it was opened: nothing was written."""

    code = "error.stale_edit"


class InvalidCard(CartellaError):
    """The card has field errors; `check` holds them per field."""

    code = "error.invalid_card"

    def __init__(self, check: object) -> None:
        super().__init__("invalid card")
        self.check = check


class InvalidState(CodedError):
    """The action does not fit the card's state (e.g. restoring a card that is not in the trash).

    `code` names the case: ``error.in_trash``, ``error.cannot_restored``, ``error.delete_has_invoices``...
    """


class DatabaseLocked(CartellaError):
    code = "error.db_locked"


class DatabaseUnreadable(CartellaError):
    code = "error.db_unreadable"
