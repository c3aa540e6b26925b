"""The calendar (`/api/v1/calendar/` for a year) and a calendar feed (`/calendar/<token>.ics`):
rendered, answered 304, and served from the cache keyed by the feed's data version."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.cache import caches

from bench import floors
from bench.operations import Operation
from bench.urls import TRIVIAL_PATH
from crm.access import Viewer
from events.agenda import Window, agenda
from events.calendar import FeedOptions, build_calendar
from events.models import Anniversary, CalendarFeed, Event

# The largest page the API serves: a year of a busy calendar in few requests.
CALENDAR_PAGE_SIZE = 500
FEED_NAME = "bench feed"
EVENT_COLUMNS = [
    "id",
    "start_date",
    "end_date",
    "all_day",
    "starts_at",
    "ends_at",
    "time_zone",
    "title_vi",
    "title_en",
    "kind",
    "status",
    "visibility",
    "country_id",
]
ANNIVERSARY_COLUMNS = ["id", "title_vi", "title_en", "kind", "visibility", "country_id"]
ANNIVERSARY_COLUMNS += ["origin_year", "origin_month", "origin_day", "milestone_every"]


def calendar_floor(viewer, start: datetime.date, end: datetime.date):
    """The year's rows, plainly: COUNT of the events, the page's events with `.values()` and
    the anniversaries (their occurrences are computed from these columns), then json.dumps."""
    events = Event.objects.visible_to(viewer).overlapping(start, end)
    anniversaries = Anniversary.objects.visible_to(viewer)

    def run() -> bytes:
        data = {
            "count": events.count(),
            "events": list(events[:CALENDAR_PAGE_SIZE].values(*EVENT_COLUMNS)),
            "anniversaries": list(anniversaries.values(*ANNIVERSARY_COLUMNS)),
        }
        return floors.dumps(data)

    return run


def bench_feed(user) -> tuple[CalendarFeed, str]:
    """A feed of everything (all kinds, cancelled included, preparation items) owned by the
    bench administrator; a new token each run (the key is only readable when it is made)."""
    CalendarFeed.objects.filter(owner=user, name=FEED_NAME).delete()
    feed = CalendarFeed(owner=user, name=FEED_NAME)
    key = feed.set_token()
    feed.save()
    return feed, key


def register(fixture) -> list[Operation]:
    client = fixture.client
    viewer = fixture.viewer
    year = fixture.today.year
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    operations = [
        Operation(
            "calendar",
            f"{year}, page of {CALENDAR_PAGE_SIZE}",
            f"/api/v1/calendar/?from={start}&to={end}&page_size={CALENDAR_PAGE_SIZE}",
            calendar_floor(viewer, start, end),
            "values + json.dumps (count, page of events, anniversaries)",
        )
    ]

    feed, key = bench_feed(fixture.user)
    path = f"/calendar/{key}.ics"
    first = client.get(path)
    etag = first["ETag"]
    body = first.content
    feed_agenda = agenda(
        Viewer.of(feed.owner),
        Window.for_feed(feed, fixture.today),
        preparation_days=feed.preparation_days,
    )
    options = FeedOptions(
        name=feed.name,
        language=feed.language,
        # As the view: PUBLIC_BASE_URL, else https on the request's host.
        base_url=(settings.PUBLIC_BASE_URL or "https://testserver").rstrip("/"),
        uid_domain=settings.CALENDAR_UID_DOMAIN,
        alarms=feed.alarms,
    )
    calendar = build_calendar(feed_agenda, options)
    if calendar.to_ical() != body:
        raise ValueError("The floor's calendar is not the feed the view serves.")
    count = body.count(b"BEGIN:VEVENT")
    label = (
        f"feed ({len(feed_agenda.events):,} events, {len(feed_agenda.occurrences)} occurrences, "
        f"{len(feed_agenda.preparations)} preparations: {count:,} VEVENTs)"
    )
    cache = caches[settings.FEED_CACHE_ALIAS]
    trivial = lambda: client.get(TRIVIAL_PATH)  # noqa: E731
    operations += [
        Operation(
            "calendar",
            label + ", rendered",
            path,
            calendar.to_ical,
            "icalendar to_ical() of the built Calendar",
            goal=2.0,
            prepare=cache.clear,
            repeat=7,
        ),
        Operation(
            "calendar",
            "feed, If-None-Match: 304",
            path,
            trivial,
            "trivial view",
            goal=1.5,
            headers={"HTTP_IF_NONE_MATCH": etag},
            status=304,
        ),
        Operation(
            "calendar",
            "feed, cached (no validators)",
            path,
            trivial,
            "trivial view",
            goal=2.0,
        ),
    ]
    return operations
