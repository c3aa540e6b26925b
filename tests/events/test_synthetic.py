"""Synthetic events (`generate_synthetic --events N`), at small sizes."""

import datetime
import zoneinfo

import pytest
from django.core.management import call_command

from contacts import synthetic
from contacts.models import (
    ContactPoint,
    FollowUp,
    Interaction,
    Organization,
    Participant,
    Person,
    Position,
)
from contacts.synthetic import Sizes, generate
from events import synthetic as event_synthetic
from events.agenda import Window
from events.models import Anniversary, Event, EventInteraction

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)
SMALL = Sizes(people=60, organizations=12, interactions=600, events=150)
ZONES = {"Asia/Ho_Chi_Minh", "Asia/Phnom_Penh", "Asia/Vientiane", "Asia/Bangkok"}


def snapshot() -> dict[str, list]:
    """The generated events without ids or timestamps."""
    return {
        "events": list(
            Event.objects.order_by("title_vi").values_list(
                "title_vi",
                "title_en",
                "kind",
                "status",
                "all_day",
                "start_date",
                "end_date",
                "starts_at",
                "ends_at",
                "time_zone",
                "country",
                "visibility",
                "owner_unit__code",
                "budget_planned",
                "budget_spent",
                "search_text",
            )
        ),
        "organizations": sorted(
            Event.organizations.through.objects.values_list(
                "event__title_vi", "organization__name_vi"
            )
        ),
        "people": sorted(
            Event.people.through.objects.values_list("event__title_vi", "person__notes")
        ),
        "pillars": sorted(
            Event.pillars.through.objects.values_list("event__title_vi", "pillartag_id")
        ),
        "at_events": sorted(
            EventInteraction.objects.values_list(
                "event__title_vi", "interaction__occurred_on", "interaction__subject"
            )
        ),
    }


def delete_synthetic() -> None:
    EventInteraction.objects.all().delete()
    Event.objects.all().delete()
    for model in (FollowUp, Participant, Interaction, Position, ContactPoint):
        model.objects.all().delete()
    Person.objects.all().delete()
    organizations = Organization.objects.filter(notes=synthetic.ORGANIZATION_MARKER)
    organizations.filter(parent__isnull=False).delete()
    organizations.delete()


def test_same_seed_same_events():
    generate(SMALL, seed=7, today=TODAY)
    first = snapshot()
    delete_synthetic()
    generate(SMALL, seed=7, today=TODAY)
    assert snapshot() == first
    assert len(first["events"]) == 150
    assert first["organizations"] and first["people"] and first["at_events"]


def test_another_seed_other_events():
    generate(Sizes(organizations=5, events=30), seed=1, today=TODAY)
    first = snapshot()["events"]
    delete_synthetic()
    generate(Sizes(organizations=5, events=30), seed=2, today=TODAY)
    assert snapshot()["events"] != first


def test_events_are_valid_and_varied():
    result = generate(SMALL, seed=3, today=TODAY)
    assert result["counts"]["events"] == Event.objects.count() == 150
    events = list(Event.objects.order_by("pk"))
    for event in events[::5]:
        before = (event.start_date, event.end_date)
        event.full_clean()  # derives the dates again: they must not move
        assert (event.start_date, event.end_date) == before, event
    for event in events:
        assert event.description_vi.startswith(event_synthetic.EVENT_MARKER)
        assert event.search_text == event.build_search_text()
        assert event.start_date <= event.end_date
        if event.all_day:
            assert event.starts_at is None and event.ends_at is None
        else:
            zone = zoneinfo.ZoneInfo(event.time_zone)
            assert event.starts_at.astimezone(zone).date() == event.start_date
            assert event.ends_at.astimezone(zone).date() == event.end_date
            assert event.starts_at <= event.ends_at
        if event.start_date > TODAY:
            assert event.status != Event.Status.DONE
        if event.budget_spent is not None:
            assert event.budget_planned is not None
    assert {e.time_zone for e in events if not e.all_day} == ZONES
    assert {e.status for e in events} == set(Event.Status.values)
    assert {e.visibility for e in events} == {"public", "internal", "restricted"}
    assert {e.kind for e in events} >= {"delegation_visit", "conference", "festival"}
    assert any(e.end_date > e.start_date for e in events if e.all_day)
    assert any(e.end_date > e.start_date for e in events if not e.all_day)
    assert all(e.owner_unit_id for e in events)
    assert not Event.objects.filter(staff=None).exists()
    assert not Event.objects.filter(pillars=None).exists()
    assert Event.objects.filter(organizations__isnull=False).exists()
    assert Event.objects.filter(people__isnull=False).exists()


def test_events_span_the_history_and_half_fall_in_a_feeds_window():
    generate(Sizes(organizations=5, events=400), seed=4, today=TODAY)
    window = Window.public(TODAY)
    first = Event.objects.order_by("start_date").first().start_date
    assert TODAY.year - first.year >= 15
    inside = Event.objects.overlapping(window.start, window.end).count()
    assert 0.45 * 400 <= inside <= 0.65 * 400, inside
    assert Event.objects.filter(start_date__gt=TODAY).exists()


def test_interactions_at_events_happened_during_them():
    generate(Sizes(people=20, organizations=5, interactions=3000, events=150), seed=5, today=TODAY)
    links = list(EventInteraction.objects.select_related("event", "interaction"))
    assert links
    for link in links:
        event, interaction = link.event, link.interaction
        assert event.start_date <= interaction.occurred_on <= event.end_date
        assert event.end_date < TODAY
        assert event.status in ("done", "confirmed")


def test_reference_anniversaries_are_loaded_when_missing():
    Anniversary.objects.all().delete()
    generate(Sizes(events=3), seed=1, today=TODAY)
    assert Anniversary.objects.filter(code__isnull=False).count() >= 20
    assert Event.objects.count() == 3


def test_command_generates_events(capsys):
    call_command(
        "generate_synthetic",
        "--people=10",
        "--organizations=3",
        "--interactions=20",
        "--events=12",
        "--seed=1",
        "--today=2026-06-15",
        "--no-progress",
    )
    out = capsys.readouterr().out
    assert "events: 12" in out
    assert Event.objects.count() == 12
