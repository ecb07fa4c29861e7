"""Use cases on client cards. Each takes plain values and a unit of work, and commits once."""

from __future__ import annotations

import datetime
import getpass
from collections.abc import Mapping
from typing import Any

from core.errors import InvalidCard, InvalidState, StaleEdit
from core.models import EDITABLE_FIELDS, Client, HistoryEntry
from core.validation import CardCheck, check_card

TRASH_DAYS = 30


def now() -> datetime.datetime:
    return datetime.datetime.now().replace(microsecond=0)


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def _checked(data: Mapping[str, Any], quick: bool, region: str) -> CardCheck:
    check = check_card(data, quick=quick, region=region)
    if not check.ok:
        raise InvalidCard(check)
    return check


def _diff(old: Mapping[str, Any], new: Mapping[str, Any], names) -> dict[str, list]:
    return {n: [old.get(n), new.get(n)] for n in names if old.get(n) != new.get(n)}


def create_client(
    uow, data: Mapping[str, Any], *, quick: bool = False, region: str = "IT", user: str | None = None, at=None
) -> Client:
    """Check and store a new card; raises InvalidCard (with every field error) and writes nothing."""
    check = _checked(data, quick, region)
    at = at or now()
    with uow:
        client = check.to_client(client_number=uow.clients.next_number(), created_at=at, updated_at=at, version=1)
        uow.clients.add(client)
        values = client.editable_values()
        changes = {n: [None, v] for n, v in values.items() if v not in (None, "", [], False)}
        uow.history.add(_entry(client, "created", changes, user, at))
        uow.commit()
    return client


def update_client(
    uow,
    number: int,
    data: Mapping[str, Any],
    *,
    expected_version: int,
    quick: bool = False,
    region: str = "IT",
    user: str | None = None,
    at=None,
) -> Client:
    """Save an edited card. Raises StaleEdit (writing nothing) if it changed since `expected_version`.

    Saving a card without errors clears its 'needs review' mark: a person has looked at it.
    """
    check = _checked(data, quick, region)
    at = at or now()
    with uow:
        current = uow.clients.get(number)
        if current.version != expected_version:
            raise StaleEdit(number=number)
        if current.in_trash:
            raise InvalidState("error.in_trash", number=number)
        update = {**check.values, "missing_fields": check.missing_fields, "needs_review": False, "review_reason": ""}
        changed = _diff(current.model_dump(), update, (*EDITABLE_FIELDS, "needs_review"))
        if not changed:
            return current
        client = uow.clients.save(current.model_copy(update={**update, "updated_at": at}), expected_version)
        uow.history.add(_entry(client, "changed", changed, user, at))
        uow.commit()
    return client


def _entry(client: Client, action: str, changes: dict, user: str | None, at) -> HistoryEntry:
    return HistoryEntry(
        client_number=client.client_number,
        at=at,
        user_name=current_user() if user is None else user,
        action=action,
        changes=changes,
    )


def _change_state(uow, number: int, action: str, update: dict, allowed, user, at, expected_version=None) -> Client:
    at = at or now()
    with uow:
        current = uow.clients.get(number)
        if expected_version is not None and current.version != expected_version:
            raise StaleEdit(number=number)
        if not allowed(uow, current):
            raise InvalidState(f"error.cannot_{action}", number=number)
        changes = _diff(current.model_dump(), update, update.keys())
        client = uow.clients.save(current.model_copy(update={**update, "updated_at": at}), current.version)
        uow.history.add(_entry(client, action, changes, user, at))
        uow.commit()
    return client


def deactivate_client(uow, number: int, *, user=None, at=None, expected_version=None) -> Client:
    """Inactive cards stay, searchable, but out of new work."""
    return _change_state(
        uow,
        number,
        "deactivated",
        {"active": False},
        lambda _uow, c: c.active and not c.in_trash,
        user,
        at,
        expected_version,
    )


def reactivate_client(uow, number: int, *, user=None, at=None, expected_version=None) -> Client:
    return _change_state(
        uow,
        number,
        "reactivated",
        {"active": True},
        lambda _uow, c: not c.active and not c.in_trash,
        user,
        at,
        expected_version,
    )


def delete_client(uow, number: int, *, user=None, at=None, expected_version=None) -> Client:
    """Move the card to the trash; it can be restored for TRASH_DAYS days."""
    at = at or now()

    def allowed(uow, card: Client) -> bool:
        if uow.billing.has_issued(number):  # invoices are fiscal records: deactivate such a card instead
            raise InvalidState("error.delete_has_invoices", number=number)
        return not card.in_trash

    return _change_state(uow, number, "deleted", {"deleted_at": at}, allowed, user, at, expected_version)


def restore_client(uow, number: int, *, user=None, at=None) -> Client:
    return _change_state(uow, number, "restored", {"deleted_at": None}, lambda _uow, c: c.in_trash, user, at)


def days_left(deleted_at: datetime.datetime, at: datetime.datetime | None = None) -> int:
    """Whole days before a trashed card is purged (0 = at the next start)."""
    remaining = deleted_at + datetime.timedelta(days=TRASH_DAYS) - (at or now())
    return max(0, remaining.days + (1 if remaining.seconds else 0)) if remaining.total_seconds() > 0 else 0


def purge_trash(uow, *, older_than_days: int = TRASH_DAYS, at=None) -> list[int]:
    """Delete for good every card in the trash for longer than `older_than_days`. Returns their numbers."""
    if older_than_days < 0:
        raise ValueError("older_than_days must be zero or more")
    cutoff = (at or now()) - datetime.timedelta(days=older_than_days)
    with uow:
        numbers = uow.clients.trashed_before(cutoff)
        uow.billing.purge_clients(numbers)
        uow.clients.purge(numbers)
        uow.commit()
    return numbers


def get_client(uow, number: int) -> Client:
    with uow:
        return uow.clients.get(number)


def client_history(uow, number: int) -> list[HistoryEntry]:
    with uow:
        return uow.history.for_client(number)


def get_setting(uow, key: str, default: str = "") -> str:
    with uow:
        return uow.settings.get(key, default)


def set_setting(uow, key: str, value: str) -> None:
    with uow:
        uow.settings.set(key, value)
        uow.commit()
