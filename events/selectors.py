"""Reads for events, anniversaries and feeds: `visible_to(who)` first, then what each
representation needs, prefetched through `visible_to(who)` too (see `contacts.selectors`)."""

from django.db.models import Prefetch, QuerySet

from contacts import selectors as contacts
from contacts.models import Interaction, Organization, Person, PillarTag
from events.models import Anniversary, CalendarFeed, Event, EventInteraction


def events(who, *, archived: bool = False) -> QuerySet[Event]:
    return (
        Event.objects.visible_to(who, archived=archived)
        .select_related("country", "owner_unit")
        .prefetch_related(
            Prefetch("organizations", queryset=Organization.objects.visible_to(who)),
            Prefetch("people", queryset=Person.objects.visible_to(who)),
            "staff",
            Prefetch("pillars", queryset=PillarTag.objects.all()),
        )
    )


def anniversaries(who, *, archived: bool = False) -> QuerySet[Anniversary]:
    return Anniversary.objects.visible_to(who, archived=archived).select_related(
        "country", "organization", "agreement", "owner_unit"
    )


def calendar_feeds(who, *, archived: bool = False) -> QuerySet[CalendarFeed]:
    return CalendarFeed.objects.visible_to(who, archived=archived).select_related(
        "country", "organization", "unit"
    )


def with_event(interactions: QuerySet[Interaction], who) -> QuerySet[Interaction]:
    """Prefetch the event each interaction happened at, when `who` may see that event."""
    visible = Event.objects.visible_to(who)
    links = EventInteraction.objects.filter(event__in=visible).select_related("event")
    return interactions.prefetch_related(Prefetch("event_link", queryset=links))


def interactions(who, *, archived: bool = False) -> QuerySet[Interaction]:
    return with_event(contacts.interactions(who, archived=archived), who)


def person_history(person: Person, who) -> QuerySet[Interaction]:
    return with_event(contacts.person_history(person, who), who)


def organization_history(organization: Organization, who) -> QuerySet[Interaction]:
    return with_event(contacts.organization_history(organization, who), who)


def event_of(interaction: Interaction, who) -> Event | None:
    """The event `interaction` happened at, if `who` may see it (prefetched by `with_event`;
    read here, visibility checked, when it was not)."""
    if not Interaction.event_link.is_cached(interaction):
        link = EventInteraction.objects.filter(
            interaction=interaction, event__in=Event.objects.visible_to(who)
        ).select_related("event")
        return link[0].event if link else None
    try:
        link = interaction.event_link
    except EventInteraction.DoesNotExist:
        return None
    return link.event if link is not None else None
