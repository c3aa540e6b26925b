"""An object's history as the API shows it: newest first, with what changed from what to what."""

from typing import Any

HIDDEN = {"history_id", "history_date", "history_change_reason", "history_type",
          "history_user", "history_user_id", "history_relation", "id",
          "created_at", "updated_at", "created_by_id", "updated_by_id"}  # fmt: skip
ACTIONS = {"+": "create", "~": "update", "-": "delete"}


def of(instance, *, hidden_fields: set[str] = frozenset()) -> list[dict[str, Any]]:
    """Every historical record of `instance`, each compared with the one before it, without
    `hidden_fields`: those the caller's representation leaves out (personal data, notes).

    One query for the records (with their users), whatever their number; the comparison is
    done here on the loaded rows.
    """
    records = list(instance.history.select_related("history_user").order_by("history_date", "pk"))
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
