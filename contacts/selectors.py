"""Reads: what a user may see, with the prefetching each representation needs.

Every API view starts from one of these functions; each starts from the model's
`visible_to(user)`, and nested rows (contact points, positions, participants, follow-ups) are
prefetched through `visible_to(user)` as well, so no path shows more than the list does.
"""

from typing import Any

from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, QuerySet
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


def countries(user) -> QuerySet[Country]:
    return Country.objects.visible_to(user)


def units(user) -> QuerySet[Unit]:
    return Unit.objects.visible_to(user)


def _contact_points(user) -> Prefetch:
    return Prefetch("contact_points", queryset=ContactPoint.objects.visible_to(user))


def people(user) -> QuerySet[Person]:
    current = Position.objects.visible_to(user).current().select_related("organization")
    return Person.objects.visible_to(user).prefetch_related(
        _contact_points(user),
        Prefetch("positions", queryset=current, to_attr="current_positions"),
        Prefetch("tags", queryset=Tag.objects.all()),
    )


def organizations(user) -> QuerySet[Organization]:
    current = Position.objects.visible_to(user).current().select_related("person")
    return Organization.objects.visible_to(user).prefetch_related(
        _contact_points(user),
        Prefetch("positions", queryset=current, to_attr="current_positions"),
        Prefetch("pillars", queryset=PillarTag.objects.all()),
        Prefetch("tags", queryset=Tag.objects.all()),
    )


def positions(user) -> QuerySet[Position]:
    return Position.objects.visible_to(user).select_related("person", "organization")


def interactions(user) -> QuerySet[Interaction]:
    participants = Participant.objects.visible_to(user).select_related("person")
    return Interaction.objects.visible_to(user).prefetch_related(
        Prefetch("participants", queryset=participants),
        Prefetch("organizations", queryset=Organization.objects.visible_to(user)),
        "staff",
        Prefetch("pillars", queryset=PillarTag.objects.all()),
        Prefetch("follow_ups", queryset=FollowUp.objects.visible_to(user)),
    )


def follow_ups(user) -> QuerySet[FollowUp]:
    return FollowUp.objects.visible_to(user)


def agreements(user) -> QuerySet[Agreement]:
    return Agreement.objects.visible_to(user).prefetch_related(
        Prefetch("parties", queryset=Organization.objects.visible_to(user))
    )


# ---------------------------------------------------------------------------------------------
# Contact histories


def person_history(person: Person, user) -> QuerySet[Interaction]:
    """The interactions `person` took part in, newest first."""
    took_part = Participant.objects.filter(interaction=OuterRef("pk"), person=person)
    return interactions(user).filter(Exists(took_part))


def organization_history(organization: Organization, user) -> QuerySet[Interaction]:
    """Interactions involving `organization`, and those with its people while they held a
    position there: not before they took the post, not after they left it."""
    involved = Interaction.organizations.through.objects.filter(
        interaction=OuterRef("pk"), organization=organization
    )
    held_then = Position.objects.filter(
        held_on(OuterRef(OuterRef("occurred_on"))),
        organization=organization,
        person=OuterRef("person"),
    )
    its_people = Participant.objects.filter(interaction=OuterRef("pk")).filter(Exists(held_then))
    return interactions(user).filter(Exists(involved) | Exists(its_people))


def history_summary(history: QuerySet[Interaction], user) -> dict[str, Any]:
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
        FollowUp.objects.visible_to(user)
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
