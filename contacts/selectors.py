"""Reads: what a user may see, with the prefetching each representation needs.

Every API view starts from one of these functions; each starts from the model's
`visible_to(who)`, and nested rows (contact points, positions, participants, follow-ups) are
prefetched through `visible_to(who)` as well, so no path shows more than the list does.
"""

from typing import Any

from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear

from contacts.models import (
    Agreement,
    ContactPoint,
    Country,
    FollowUp,
    Interaction,
    Organization,
    Participant,
    Person,
    PillarTag,
    Position,
    Tag,
    Unit,
    held_on,
)


def countries(who, *, archived: bool = False) -> QuerySet[Country]:
    return Country.objects.visible_to(who, archived=archived)


def units(who, *, archived: bool = False) -> QuerySet[Unit]:
    return Unit.objects.visible_to(who, archived=archived)


def _contact_points(who) -> Prefetch:
    return Prefetch("contact_points", queryset=ContactPoint.objects.visible_to(who))


def people(who, *, archived: bool = False) -> QuerySet[Person]:
    current = Position.objects.visible_to(who).current().select_related("organization")
    return Person.objects.visible_to(who, archived=archived).prefetch_related(
        _contact_points(who),
        Prefetch("positions", queryset=current, to_attr="current_positions"),
        Prefetch("tags", queryset=Tag.objects.all()),
    )


def organizations(who, *, archived: bool = False) -> QuerySet[Organization]:
    current = Position.objects.visible_to(who).current().select_related("person")
    return Organization.objects.visible_to(who, archived=archived).prefetch_related(
        _contact_points(who),
        Prefetch("positions", queryset=current, to_attr="current_positions"),
        Prefetch("pillars", queryset=PillarTag.objects.all()),
        Prefetch("tags", queryset=Tag.objects.all()),
    )


def positions(who, *, archived: bool = False) -> QuerySet[Position]:
    return Position.objects.visible_to(who, archived=archived).select_related(
        "person", "organization"
    )


def interactions(who, *, archived: bool = False) -> QuerySet[Interaction]:
    # The page's interactions are visible, so their parts need no second visibility check.
    participants = Participant.objects.of_visible_interactions(who).select_related("person")
    return Interaction.objects.visible_to(who, archived=archived).prefetch_related(
        Prefetch("participants", queryset=participants),
        Prefetch("organizations", queryset=Organization.objects.visible_to(who)),
        "staff",
        Prefetch("pillars", queryset=PillarTag.objects.all()),
        Prefetch("follow_ups", queryset=FollowUp.objects.of_visible_interactions(who)),
    )


def follow_ups(who, *, archived: bool = False) -> QuerySet[FollowUp]:
    """Open ones first, by due date (undated last); each marked `is_overdue`."""
    return FollowUp.objects.visible_to(who, archived=archived).in_work_order()


def agreements(who, *, archived: bool = False) -> QuerySet[Agreement]:
    return Agreement.objects.visible_to(who, archived=archived).prefetch_related(
        Prefetch("parties", queryset=Organization.objects.visible_to(who))
    )


# ---------------------------------------------------------------------------------------------
# Contact histories


def person_history(person: Person, who) -> QuerySet[Interaction]:
    """The interactions `person` took part in, newest first."""
    took_part = Participant.objects.filter(interaction=OuterRef("pk"), person=person)
    return interactions(who).filter(Exists(took_part))


def organization_history(organization: Organization, who) -> QuerySet[Interaction]:
    """Interactions involving `organization`, and those with its people while they held a
    position there: not before they took the post, not after they left it.

    Written as two id sets (`pk IN …`) rather than correlated EXISTS over every interaction:
    the same rows, an order of magnitude faster on 100,000 interactions."""
    involved = Interaction.organizations.through.objects.filter(organization=organization).values(
        "interaction_id"
    )
    held_then = Position.objects.filter(
        held_on(OuterRef("interaction__occurred_on")),
        organization=organization,
        person=OuterRef("person"),
    )
    its_people = Position.objects.filter(organization=organization).values("person")
    with_its_people = (
        Participant.objects.filter(person__in=its_people)
        .filter(Exists(held_then))
        .values("interaction_id")
    )
    return interactions(who).filter(Q(pk__in=involved) | Q(pk__in=with_its_people))


def history_summary(history: QuerySet[Interaction], who) -> dict[str, Any]:
    """First and last contact, counts by year and by kind, and open follow-ups of `history`.

    Computed in the database over the whole (filtered) history, not the page: four queries
    whatever its length.
    """
    plain = history.order_by()
    span = plain.aggregate(first=Min("occurred_on"), last=Max("occurred_on"), count=Count("pk"))
    by_year = (
        plain.annotate(year=ExtractYear("occurred_on"))
        .values("year")
        .annotate(count=Count("pk"))
        .order_by("year")
    )
    by_kind = plain.values("kind").annotate(count=Count("pk")).order_by("kind")
    open_follow_ups = (
        FollowUp.objects.of_visible_interactions(who)
        .filter(interaction__in=plain.values("pk"), status=FollowUp.Status.OPEN)
        .order_by("due_on", "pk")
    )
    return {
        "count": span["count"],
        "first_contact": span["first"],
        "last_contact": span["last"],
        "by_year": {str(row["year"]): row["count"] for row in by_year},
        "by_kind": {row["kind"]: row["count"] for row in by_kind},
        "open_follow_ups": list(open_follow_ups),
    }
