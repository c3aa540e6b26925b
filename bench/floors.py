"""Floors: the rows a response carries, read with `.values()` and serialised with
`json.dumps`, as plainly as Django allows. No serializer, no view, no middleware, no
authentication; the same filters, ordering and page as the request (through the view's own
selector and FilterSet), a COUNT where the response has one, and one `.values()` query per
nested relation (keyed by the page's ids, not assembled into objects)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db.models import Count, Max, Min, QuerySet
from django.db.models.functions import ExtractYear

from api import serializers as s
from contacts.models import (
    ContactPoint,
    FollowUp,
    Interaction,
    Organization,
    Participant,
    Person,
    Position,
)

PAGE_SIZE = 100
ORG_SHORT = [f"organization__{n}" for n in ("id", "name_native", "name_vi", "name_en")]
ORG_SHORT += ["organization__abbreviation", "organization__country"]
PERSON_SHORT = [f"person__{n}" for n in ("id", "full_name_native", "name_latin", "name_vi")]
POSITION = ["id", "title", "department", "start_date", "end_date", "is_primary"]


def columns(serializer_class) -> list[str]:
    """The model columns a serializer shows (foreign keys as their id column)."""
    model = serializer_class.Meta.model
    names = set(serializer_class.Meta.fields)
    return [f.attname for f in model._meta.concrete_fields if {f.name, f.attname} & names]


@dataclass
class Shape:
    """A representation's own columns and its nested relations, each a function from the
    page's ids to a `.values()` queryset."""

    columns: list[str]
    nested: list[Callable[[list[int]], QuerySet]] = field(default_factory=list)


def _person_contacts(ids):
    return ContactPoint.objects.filter(person_id__in=ids).values(
        "person_id", "id", "kind", "label", "value", "is_primary"
    )


def _organization_contacts(ids):
    return ContactPoint.objects.filter(organization_id__in=ids).values(
        "organization_id", "id", "kind", "label", "value", "is_primary"
    )


PERSON = Shape(
    columns(s.PersonSerializer),
    [
        _person_contacts,
        lambda ids: (
            Position.objects.current()
            .filter(person_id__in=ids)
            .values("person_id", *POSITION, *ORG_SHORT)
        ),
        lambda ids: Person.tags.through.objects.filter(person_id__in=ids).values(
            "person_id", "tag__name"
        ),
    ],
)
ORGANIZATION = Shape(
    columns(s.OrganizationSerializer),
    [
        _organization_contacts,
        lambda ids: (
            Position.objects.current()
            .filter(organization_id__in=ids)
            .values("organization_id", *POSITION, *PERSON_SHORT)
        ),
        lambda ids: Organization.pillars.through.objects.filter(organization_id__in=ids).values(
            "organization_id", "pillartag_id"
        ),
        lambda ids: Organization.tags.through.objects.filter(organization_id__in=ids).values(
            "organization_id", "tag__name"
        ),
    ],
)
INTERACTION = Shape(
    columns(s.InteractionSerializer),
    [
        lambda ids: Participant.objects.filter(interaction_id__in=ids).values(
            "interaction_id", "role", *PERSON_SHORT
        ),
        lambda ids: Interaction.organizations.through.objects.filter(interaction_id__in=ids).values(
            "interaction_id", *ORG_SHORT
        ),
        lambda ids: Interaction.staff.through.objects.filter(interaction_id__in=ids).values(
            "interaction_id", "user__id", "user__username", "user__first_name", "user__last_name"
        ),
        lambda ids: Interaction.pillars.through.objects.filter(interaction_id__in=ids).values(
            "interaction_id", "pillartag_id"
        ),
        lambda ids: FollowUp.objects.filter(interaction_id__in=ids).values(
            "interaction_id", "id", "action", "due_on", "status", "assignee_id"
        ),
    ],
)


def dumps(data) -> bytes:
    return json.dumps(data, default=str, ensure_ascii=False, separators=(",", ":")).encode()


def read(queryset: QuerySet, shape: Shape, *, count: bool) -> dict:
    """The page (first `PAGE_SIZE` rows) of `queryset` and its nested rows, as plain data."""
    data = {}
    if count:
        data["count"] = queryset.count()
    rows = list(queryset.prefetch_related(None)[:PAGE_SIZE].values(*shape.columns))
    ids = [row["id"] for row in rows]
    data["results"] = rows
    data["nested"] = [list(nested(ids)) for nested in shape.nested]
    return data


def filtered(viewset, viewer, params: dict[str, str]) -> QuerySet:
    """The queryset the list view reads: its selector, then its FilterSet on `params`."""
    request = SimpleNamespace(crm_viewer=viewer, user=viewer.user, query_params=params)
    filterset = viewset.filterset_class(
        data=params, queryset=viewset.selector(viewer), request=request
    )
    if not filterset.is_valid():
        raise ValueError(f"{viewset.__name__}: invalid filters {params}: {filterset.errors}")
    return filterset.qs


def list_floor(viewset, viewer, params: dict[str, str], shape: Shape) -> Callable[[], bytes]:
    queryset = filtered(viewset, viewer, params)
    return lambda: dumps(read(queryset, shape, count=True))


def detail_floor(model, pk, shape: Shape) -> Callable[[], bytes]:
    queryset = model.objects.filter(pk=pk)
    return lambda: dumps(read(queryset, shape, count=False))


def history_floor(history: QuerySet) -> Callable[[], bytes]:
    """A contact history: the page as in the interactions list, and the summary's figures."""

    def run() -> bytes:
        data = read(history, INTERACTION, count=True)
        plain = history.order_by().prefetch_related(None)
        data["summary"] = {
            "span": plain.aggregate(first=Min("occurred_on"), last=Max("occurred_on")),
            "by_year": list(
                plain.annotate(year=ExtractYear("occurred_on"))
                .values("year")
                .annotate(count=Count("pk"))
                .order_by("year")
            ),
            "by_kind": list(plain.values("kind").annotate(count=Count("pk")).order_by("kind")),
            "open": list(
                FollowUp.objects.filter(interaction__in=plain.values("pk"), status="open")
                .order_by("due_on", "pk")
                .values("id", "action", "due_on", "status", "assignee_id")
            ),
        }
        return dumps(data)

    return run
