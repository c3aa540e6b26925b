"""Which versions of a row a viewer may read, and what changed between them.

One rule for every door that shows history (the API's `revisions`, the admin's history pages):
a version is shown only to those who could have seen the row as it was then. A version recorded
while the row was restricted (or internal, for public-only callers) stays hidden from everyone
else, even once the row itself has been made public; and each shown version is compared with
the previous *shown* one, so a diff never reveals a hidden value as "old".

Rows without confidentiality of their own (people, organisations, follow-ups, participants…)
are reached only through `visible_to`, which already applies their parent's current rule (a
follow-up follows its interaction as it is now): all their versions are shown.
"""

from collections import defaultdict
from typing import Any

from crm.access import as_viewer
from crm.models import ConfidentialQuerySet

# Bookkeeping of the history rows themselves and of every tracked row: never a "change".
HIDDEN = {"history_id", "history_date", "history_change_reason", "history_type",
          "history_user", "history_user_id", "history_relation", "id",
          "created_at", "updated_at", "created_by_id", "updated_by_id"}  # fmt: skip
ACTIONS = {"+": "create", "~": "update", "-": "delete"}


def confidentiality_rule(model) -> tuple[str, str | None] | None:
    """(confidentiality field, staff field) for models whose rows are public, internal or
    restricted (their queryset is a `ConfidentialQuerySet`); None for the others."""
    queryset = model._default_manager.all()
    if not isinstance(queryset, ConfidentialQuerySet):
        return None
    return queryset.confidentiality_field, queryset.staff_field


def shown_versions(instance, who, records=None) -> list:
    """The historical records of `instance` that `who` may read, oldest first.

    Each record is judged by its own confidentiality and owner unit with
    `Viewer.may_see`. Staff lists are taken as they were in that version: the history tracks
    the staff many-to-many (`m2m_fields`), one query for all records. `records` is the
    record queryset to start from (default: all of the instance's history).
    """
    viewer = as_viewer(who)
    if records is None:
        records = instance.history.all()
    records = list(records.order_by("history_date", "history_id"))
    rule = confidentiality_rule(type(instance))
    if rule is None or not records:
        return records if viewer.can_read else []
    field, staff_field = rule
    staff = _staff_by_version(instance, type(records[0]), staff_field, records)
    return [
        record
        for record in records
        if viewer.may_see(getattr(record, field), record.owner_unit_id, staff(record))
    ]


def _staff_by_version(instance, history_model, staff_field, records):
    """A function from a record to the staff ids listed on the row in that version."""
    if staff_field is None:
        return lambda record: ()
    descriptor = history_model.__dict__.get(staff_field)
    if descriptor is None:
        # The history does not track this staff list: the current list stands for all.
        current = set(getattr(instance, staff_field).values_list("pk", flat=True))
        return lambda record: current
    user_column = type(instance)._meta.get_field(staff_field).m2m_reverse_field_name() + "_id"
    ids = [record.history_id for record in records]
    rows = descriptor.model.objects.filter(history_id__in=ids).values_list(
        "history_id", user_column
    )
    staff: dict[int, set[int]] = defaultdict(set)
    for history_id, user_id in rows:
        staff[history_id].add(user_id)
    return lambda record: staff.get(record.history_id, ())


def revisions(instance, who, *, hidden_fields: set[str] = frozenset()) -> list[dict[str, Any]]:
    """The versions of `instance` that `who` may read, newest first, each compared with the
    shown version before it, without `hidden_fields` (those the caller's representation leaves
    out: personal data, notes).

    Two queries (the records with their users, and the staff of each version), whatever
    their number; the comparison is done here on the loaded rows.
    """
    records = shown_versions(instance, who, instance.history.select_related("history_user"))
    hidden = HIDDEN | set(hidden_fields)
    fields = (
        [f.attname for f in records[0]._meta.concrete_fields if f.attname not in hidden]
        if records
        else []
    )
    out, previous = [], None
    for record in records:
        changes = [
            {
                "field": name,
                "old": _plain(getattr(previous, name)) if previous else None,
                "new": _plain(getattr(record, name)),
            }
            for name in fields
            if previous is None or getattr(previous, name) != getattr(record, name)
        ]
        user = record.history_user
        out.append(
            {
                "changed_at": record.history_date,
                "changed_by": {"id": user.pk, "username": user.get_username()} if user else None,
                "action": ACTIONS[record.history_type],
                "reason": record.history_change_reason or "",
                "changes": changes,
            }
        )
        previous = record
    out.reverse()
    return out


def _plain(value):
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value) if not hasattr(value, "isoformat") else value.isoformat()
