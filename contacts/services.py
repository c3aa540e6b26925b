"""Writes with rules: validate everything first, then write all of it in one transaction.

Each function takes keyword-only arguments, runs the models' `full_clean()` on every row it is
about to write, and either writes everything or nothing. Errors come back keyed like the input.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from contacts.models import ContactPoint, Interaction, Organization, Participant, Person, Tag
from crm.errors import NestedValidationError
from crm.models import Change

Record = TypeVar("Record", bound=models.Model)

CONTACT_POINT_FIELDS = ("kind", "label", "value", "is_primary")


def save_record(
    instance: Record,
    *,
    values: Mapping[str, Any],
    relations: Mapping[str, Iterable[models.Model]] | None = None,
    tags: Iterable[str] | None = None,
    contact_points: Sequence[Mapping[str, Any]] | None = None,
    user=None,
) -> Record:
    """Create or update `instance` with `values`, its many-to-many `relations`, its `tags` by
    name and, for people and organisations, the full list of its `contact_points` (items with
    an `id` change that point, items without one are added, points left out are removed).

    Nothing is written unless the row and every contact point are valid.
    """
    for name, value in values.items():
        setattr(instance, name, value)
    if hasattr(instance, "stamp"):
        instance.stamp(user)

    errors: dict[str, Any] = {}
    try:
        instance.full_clean()
    except ValidationError as exc:
        errors.update(exc.message_dict)

    plan = None
    if contact_points is not None:
        plan, point_errors = _plan_contact_points(instance, contact_points, user)
        if any(point_errors):
            errors["contact_points"] = point_errors
    if errors:
        raise NestedValidationError(errors)

    with transaction.atomic():
        instance.save()
        for name, related in (relations or {}).items():
            getattr(instance, name).set(list(related))
        if tags is not None:
            instance.tags.set(tags_named(tags, user=user))
        if plan is not None:
            _apply_contact_points(instance, *plan)
    return instance


def _plan_contact_points(
    owner: Person | Organization, items: Sequence[Mapping[str, Any]], user
) -> tuple[tuple[list[ContactPoint], list[ContactPoint]], list[dict[str, Any]]]:
    """Validate each item against the owner as it is about to be saved (its country decides
    the phone region). Returns ((points to save, points to delete), errors by position)."""
    owner_field = "person" if isinstance(owner, Person) else "organization"
    existing = {point.pk: point for point in owner.contact_points.all()} if owner.pk else {}
    to_save: list[ContactPoint] = []
    errors: list[dict[str, Any]] = []
    for item in items:
        point_id = item.get("id")
        if point_id is not None and point_id not in existing:
            errors.append(
                {"id": [f"Contact point {point_id} does not belong to this {owner_field}."]}
            )
            continue
        point = existing.get(point_id) or ContactPoint()
        setattr(point, owner_field, owner)
        for name in CONTACT_POINT_FIELDS:
            if name in item:
                setattr(point, name, item[name])
        point.stamp(user)
        try:
            point.full_clean(exclude=["person", "organization"])
        except ValidationError as exc:
            errors.append(exc.message_dict)
        else:
            errors.append({})
        to_save.append(point)
    kept = {point.pk for point in to_save if point.pk}
    to_delete = [point for pk, point in existing.items() if pk not in kept]
    return (to_save, to_delete), errors


def _apply_contact_points(
    owner: Person | Organization, to_save: list[ContactPoint], to_delete: list[ContactPoint]
) -> None:
    owner_field = "person" if isinstance(owner, Person) else "organization"
    for point in to_delete:
        point.delete()
    for point in to_save:
        setattr(point, owner_field, owner)  # a new owner has its primary key only now
        point.save()


def tags_named(names: Iterable[str], *, user=None) -> list[Tag]:
    """The tags with these names, creating the missing ones (staff type tags freely)."""
    tags = []
    for name in dict.fromkeys(n.strip() for n in names if n and n.strip()):
        tag = Tag.objects.filter(name=name).first()
        if tag is None:
            tag = Tag(name=name)
            tag.stamp(user)
            try:
                tag.full_clean()
            except ValidationError as exc:  # reported under the field the names came in
                messages = [f"{name!r}: {message}" for message in exc.messages]
                raise NestedValidationError({"tags": messages}) from None
            tag.save()
        tags.append(tag)
    return tags


def save_interaction(
    interaction: Interaction,
    *,
    values: Mapping[str, Any],
    people: Iterable[Person] | None = None,
    relations: Mapping[str, Iterable[models.Model]] | None = None,
    user=None,
) -> Interaction:
    """Save an interaction, its many-to-many relations and its participants in one transaction.

    Participants are rows of their own (with a role), added and removed one by one so that the
    history shows who was added to or taken off an interaction, and by whom.
    """
    with transaction.atomic():
        save_record(interaction, values=values, relations=relations, user=user)
        if people is not None:
            _sync_participants(interaction, list(people), user)
    return interaction


def _sync_participants(interaction: Interaction, people: list[Person], user) -> None:
    wanted = {person.pk: person for person in people}
    current = {p.person_id: p for p in interaction.participants.all()}
    for person_id, participant in current.items():
        if person_id not in wanted:
            participant.delete()
    for person_id, person in wanted.items():
        if person_id not in current:
            participant = Participant(interaction=interaction, person=person)
            participant.stamp(user)
            participant.save()


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
