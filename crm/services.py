"""Archive, restore and purge: the writes every door (API, admin) uses to take a row out of
lists and bring it back. Here, below the domain apps, so that the shared admin base can call
them; `contacts.services` re-exports them."""

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from crm.models import Change

Record = TypeVar("Record", bound=models.Model)


def archive(instance: Record, *, user=None) -> Record:
    """Take a row out of lists and searches without losing it (restore brings it back)."""
    if instance.archived_at is None:
        instance.archived_at = timezone.now()
        _save_as(instance, Change.Action.ARCHIVE, user)
    return instance


def restore(instance: Record, *, user=None) -> Record:
    if instance.archived_at is not None:
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
