"""Writes with rules for events, anniversaries and calendar feeds (see `contacts.services`)."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models, transaction

from contacts.models import Interaction
from contacts.services import save_record
from events.models import CalendarFeed, Event, EventInteraction


def save_event(
    event: Event,
    *,
    values: Mapping[str, Any],
    relations: Mapping[str, Iterable[models.Model]] | None = None,
    user=None,
) -> Event:
    """Create or change an event and its organisations, people, staff and pillars at once."""
    return save_record(event, values=values, relations=relations, user=user)


def set_interaction_event(interaction: Interaction, event: Event | None, *, user=None) -> None:
    """Say at which event `interaction` happened (None: at none). History keeps the old link."""
    link = EventInteraction.objects.filter(interaction=interaction).first()
    if event is None:
        if link is not None:
            link._history_user = user
            link.delete()
        return
    if link is not None and link.event_id == event.pk:
        return
    link = link or EventInteraction(interaction=interaction)
    link.event = event
    link.stamp(user)
    link.save()


def create_feed(*, owner, values: Mapping[str, Any], user=None) -> tuple[CalendarFeed, str]:
    """A new calendar feed for `owner` and its secret token (returned once, stored hashed)."""
    feed = CalendarFeed(owner=owner)
    key = feed.set_token()
    save_record(feed, values=values, user=user or owner)
    return feed, key


def regenerate_feed_token(feed: CalendarFeed, *, user=None) -> str:
    """A new token for `feed`: the old URL answers 404 from now on."""
    with transaction.atomic():
        key = feed.set_token()
        feed.stamp(user)
        feed.save()
    return key
