"""Archive, restore and purge: the writes every door (API, admin) uses to take a row out of
lists and bring it back. Here, below the domain apps, so that the shared admin base can call
them; `contacts.services` re-exports them."""

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from crm.models import Change

Record = TypeVar("Record", bound=models.Model)


def locked(instance: Record) -> Record:
    """`instance` re-read under a row lock held until the transaction ends (no-op for a new
    row). Call it inside `transaction.atomic`. PostgreSQL locks the row; SQLite ignores FOR
    UPDATE, but there every transaction takes the database's write lock when it begins
    (`transaction_mode` IMMEDIATE in crm/settings.py), which serialises writers the same way.
    Prefetched relations are dropped, so children are read after the lock too."""
    if instance.pk is not None and not instance._state.adding:
        instance.refresh_from_db(from_queryset=type(instance)._base_manager.select_for_update())
    return instance


def archive(instance: Record, *, user=None) -> Record:
    """Take a row out of lists and searches without losing it (restore brings it back)."""
    with transaction.atomic():
        if locked(instance).archived_at is None:
            instance.archived_at = timezone.now()
            _save_as(instance, Change.Action.ARCHIVE, user)
    return instance


def restore(instance: Record, *, user=None) -> Record:
    with transaction.atomic():
        if locked(instance).archived_at is not None:
            instance.archived_at = None
            _save_as(instance, Change.Action.RESTORE, user)
    return instance


def purge(instance: models.Model, *, user=None) -> None:
    """Delete an archived row for good. Its history rows stay: who made it, who purged it."""
    if getattr(instance, "archived_at", None) is None:
        raise ValidationError("Archive a record before purging it.")
    instance._change_action = Change.Action.DELETE
    instance._history_user = user
    instance.delete()


def _save_as(instance: models.Model, action: str, user) -> None:
    instance._change_action = action  # read by the changes feed's history signal
    if hasattr(instance, "stamp"):
        instance.stamp(user)
    instance.save()
