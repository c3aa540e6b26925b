"""The changes feed: a row per create, update, archive, restore and delete of a domain record.

Rows are written from django-simple-history's signal, in the writing transaction, so a change
exists exactly when the write committed. See `crm.models.Change` for the ordering guarantee.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from crm.models import Change
from crm.numbers import parse_int

HISTORY_ACTIONS = {"+": Change.Action.CREATE, "~": Change.Action.UPDATE, "-": Change.Action.DELETE}


def record_change(sender, instance, history_instance, **kwargs) -> None:
    change_type = getattr(type(instance), "change_type", None)
    if change_type is None:
        return
    action = (
        getattr(instance, "_change_action", None) or HISTORY_ACTIONS[history_instance.history_type]
    )
    confidentiality = getattr(instance, "confidentiality", "public")
    Change.objects.create(
        type=change_type,
        object_id=str(instance.pk),
        action=action,
        changed_at=history_instance.history_date or timezone.now(),
        txid=current_txid(),
        public=confidentiality == "public",
        restricted=confidentiality == "restricted",
    )


def current_txid():
    if connection.vendor == "postgresql":
        return RawSQL("pg_current_xact_id()::text::bigint", [])
    return 0


def safe_horizon() -> int | None:
    """Transactions with an id below this have all finished: their changes are final.

    Transaction ids are cluster-wide: a transaction left open anywhere on the PostgreSQL
    server (another database included) holds the feed back until it ends. The feed then waits;
    it never skips. Keep `idle_in_transaction_session_timeout` set in production.

    None means no limit (SQLite runs one writer at a time and commits before others read).
    """
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
        return cursor.fetchone()[0]


@dataclass(frozen=True)
class Cursor:
    txid: int = 0
    id: int = 0

    def encode(self) -> str:
        return f"{self.txid}-{self.id}"

    @classmethod
    def decode(cls, raw: str | None) -> "Cursor":
        """Raises ValueError for anything but a cursor this feed handed out."""
        if not raw:
            return cls()
        txid, _, row = raw.partition("-")
        return cls(parse_int(txid), parse_int(row))


def changes_after(cursor: Cursor, limit: int) -> list[Change]:
    """The next `limit` final changes after `cursor`, oldest first."""
    queryset = Change.objects.filter(
        Q(txid__gt=cursor.txid) | Q(txid=cursor.txid, id__gt=cursor.id)
    ).order_by("txid", "id")
    horizon = safe_horizon()
    if horizon is not None:
        queryset = queryset.filter(txid__lt=horizon)
    return list(queryset[:limit])


def ever_shown(rows: Iterable[Change], *, public_only: bool) -> set[tuple[str, str]]:
    """The (type, id) pairs among `rows` that were at some change public (for public-only
    callers) or not restricted (for others): only those may show as "removed"."""
    ids_by_type: dict[str, set[str]] = {}
    for row in rows:
        ids_by_type.setdefault(row.type, set()).add(row.object_id)
    if not ids_by_type:
        return set()
    match = Q()
    for change_type, ids in ids_by_type.items():
        match |= Q(type=change_type, object_id__in=ids)
    flag = {"public": True} if public_only else {"restricted": False}
    return set(Change.objects.filter(match, **flag).values_list("type", "object_id").distinct())
