"""`GET /api/v1/changes/?after=<cursor>`: every create, update, archive, restore and delete,
oldest first, as the caller may see them. See `crm.changes` for why no change is ever skipped.

Visibility is decided at read time by the same `visible_to()` as every list: a change of a row
the caller may see now is shown as recorded; a row the caller may no longer see (archived,
made restricted or internal, purged) shows as `removed` unless the change itself says
`archive` or `delete`; a row the caller could never have seen does not show at all. A consumer
that applies the feed in order therefore holds exactly the ids the lists show.
"""

from django.apps import apps
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api.access import viewer_for
from api.parameters import DeclaredParametersMixin
from crm.changes import Cursor, changes_after, ever_shown
from crm.models import Change
from crm.numbers import parse_int

DEFAULT_LIMIT, MAX_LIMIT = 100, 1000
REMOVED = "removed"


def feed_models() -> dict[str, type]:
    return {
        model.change_type: model
        for model in apps.get_models()
        if getattr(model, "change_type", None) and not model.__name__.startswith("Historical")
    }


class ChangeSerializer(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.CharField(source="object_id")
    action = serializers.ChoiceField(choices=[*Change.Action.values, REMOVED])
    changed_at = serializers.DateTimeField()


class ChangesView(DeclaredParametersMixin, APIView):
    query_parameters = ("after", "limit")

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "after",
                {"type": "string", "pattern": r"^[0-9]{1,19}-[0-9]{1,19}$"},
                description="The `next` of the last page.",
            ),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
                description=f"1 to {MAX_LIMIT} (default {DEFAULT_LIMIT}).",
            ),
        ],
        responses=inline_serializer(
            "ChangesPage",
            {"results": ChangeSerializer(many=True), "next": serializers.CharField()},
        ),
    )
    def get(self, request):
        try:
            cursor = Cursor.decode(request.query_params.get("after"))
        except ValueError:
            raise ValidationError({"after": [_("Not a cursor this feed handed out.")]}) from None
        limit = self._limit(request.query_params.get("limit"))
        rows = changes_after(cursor, limit)
        viewer = viewer_for(request)
        visible = self._visible(rows, viewer, live=True)
        hidden_now = [row for row in rows if (row.type, row.object_id) not in visible]
        # Shown before: archived rows the caller would otherwise see, and purged rows that
        # were at some change visible to callers like this one.
        shown_before = self._visible(hidden_now, viewer, live=False) | ever_shown(
            hidden_now, public_only=viewer.public_only
        )
        results = []
        for row in rows:
            key = (row.type, row.object_id)
            if key in visible:
                results.append(row)
            elif key in shown_before:
                if row.action not in (Change.Action.ARCHIVE, Change.Action.DELETE):
                    row.action = REMOVED
                results.append(row)
        next_cursor = Cursor(rows[-1].txid, rows[-1].id) if rows else cursor
        return Response(
            {"results": ChangeSerializer(results, many=True).data, "next": next_cursor.encode()}
        )

    @staticmethod
    def _limit(raw: str | None) -> int:
        if raw is None:
            return DEFAULT_LIMIT
        try:
            return parse_int(raw, minimum=1, maximum=MAX_LIMIT)
        except ValueError:
            message = _("Use a whole number from 1 to %(max)d (got %(value)r).")
            raise ValidationError(
                {"limit": [message % {"max": MAX_LIMIT, "value": raw[:40]}]}
            ) from None

    @staticmethod
    def _visible(rows: list[Change], viewer, *, live: bool) -> set[tuple[str, str]]:
        """(type, id) of the rows' records that `viewer` may see now (`live`), or would see
        were they not archived: one query per type."""
        models = feed_models()
        ids_by_type: dict[str, set[str]] = {}
        for row in rows:
            ids_by_type.setdefault(row.type, set()).add(row.object_id)
        visible = set()
        for change_type, ids in ids_by_type.items():
            model = models[change_type]
            records = model.objects.filter(pk__in=ids)
            records = records.visible_to(viewer) if live else records.visible_if_live(viewer)
            pks = records.values_list("pk", flat=True)
            visible |= {(change_type, str(pk)) for pk in pks}
            if not live:
                visible |= {(change_type, pk) for pk in purged_visible(model, ids, viewer)}
        return visible


def purged_visible(model, ids: set[str], viewer) -> set[str]:
    """Ids among `ids` whose row was purged while `viewer` could see it, judged on the row's
    last version in its history (confidentiality, owner unit, listed staff)."""
    if not hasattr(model, "history"):
        return set()
    shown = set()
    deletions = model.history.filter(id__in=ids, history_type="-")
    for record in deletions:
        confidentiality = getattr(record, "confidentiality", None)
        if confidentiality is None:  # follow-ups: as secret as their interaction
            confidentiality = "internal"
            if "interaction" in {f.name for f in model._meta.fields}:
                parent = _last_version(apps.get_model("contacts", "Interaction"), record)
                confidentiality = getattr(parent, "confidentiality", "internal")
            if viewer.public_only:
                continue
        staff = []
        if hasattr(record, "staff"):
            # The deletion's own version has no links left: read the version before it.
            before = (
                model.history.filter(id=record.id)
                .exclude(history_type="-")
                .order_by("-history_date", "-history_id")
                .first()
            )
            staff = before.staff.values_list("user_id", flat=True) if before else []
        if viewer.may_see(confidentiality, getattr(record, "owner_unit_id", None), staff):
            shown.add(str(record.id))
    return shown


def _last_version(model, child_record):
    return (
        model.history.filter(id=child_record.interaction_id)
        .order_by("-history_date", "-history_id")
        .first()
    )
