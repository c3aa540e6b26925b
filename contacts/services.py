"""Writes with rules: validate everything first, then write all of it in one transaction.

Each function takes keyword-only arguments, runs the models' `full_clean()` on every row it is
about to write, and either writes everything or nothing. Errors come back keyed like the input.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from contacts.models import ContactPoint, Interaction, Organization, Participant, Person, Tag
from crm.errors import NestedValidationError
from crm.models import SearchableModel
from crm.services import archive, locked, purge, restore

__all__ = ["archive", "purge", "restore", "save_interaction", "save_record", "tags_named"]

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

    Nothing is written unless the row and every contact point are valid. An existing row is
    locked and re-read first, so that concurrent writers take turns: each one's replacement
    of the contact points, participants, tags or relations starts from the last one's result
    (all or nothing, never a merge of two), and fields it does not set are not overwritten
    with what it read before the other committed.
    """
    with transaction.atomic():
        locked(instance)  # what follows reads (and replaces) the row as it is now
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

        instance.save()
        for name, related in (relations or {}).items():
            getattr(instance, name).set(list(related))
        if tags is not None:
            instance.tags.set(tags_named(tags, user=user))
        if plan is not None:
            _apply_contact_points(instance, *plan)
        if relations and isinstance(instance, SearchableModel):
            instance.refresh_search()  # its search text holds its related rows' names
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
        tags.append(tag if tag is not None else _new_tag(name, user))
    return tags


def _new_tag(name: str, user) -> Tag:
    """Create the tag `name`, or take the one a concurrent request has just created: the
    unique index decides (a check before the insert would race), and the losing insert is
    rolled back to its savepoint without spoiling the request's transaction."""
    tag = Tag(name=name)
    tag.stamp(user)
    try:
        tag.full_clean(validate_unique=False)
    except ValidationError as exc:  # reported under the field the names came in
        messages = [f"{name!r}: {message}" for message in exc.messages]
        raise NestedValidationError({"tags": messages}) from None
    try:
        with transaction.atomic():
            tag.save()
    except IntegrityError:
        return Tag.objects.get(name=name)
    return tag


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
