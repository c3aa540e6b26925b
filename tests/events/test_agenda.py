"""`AgendaItems` (the calendar list's lazily read items are `agenda().items()`, slice by
slice) and the shortcuts of `build_calendar` (time zones, kind labels)."""

import datetime
import zoneinfo

import pytest
from django.utils import translation

from events.agenda import AgendaItems, Window, agenda
from events.calendar import FeedOptions, build_calendar, kind_label
from events.models import Anniversary, Event
from tests.factories import AnniversaryFactory, EventFactory, UserFactory

pytestmark = pytest.mark.django_db


def at(day: datetime.date, hour: int, zone: str) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=zoneinfo.ZoneInfo(zone))


def describe(items) -> list[tuple]:
    return [(type(item).__name__, getattr(item, "pk", None), str(item)) for item in items]


def test_every_slice_is_the_same_as_the_whole_agenda():
    user = UserFactory(role="viewer")
    first = datetime.date(2027, 3, 1)
    # Crowded days: all-day and timed events in zones where local order differs from UTC
    # order, equal titles (ties keep the database order), multi-day events, anniversaries.
    for offset in range(6):
        day = first + datetime.timedelta(days=offset)
        EventFactory(title_vi="B", start_date=day)
        EventFactory(title_vi="A", start_date=day, end_date=day + datetime.timedelta(days=2))
        for hour, zone in ((9, "Asia/Tokyo"), (8, "Asia/Bangkok"), (9, "Europe/Paris")):
            EventFactory(
                title_vi=f"T{offset}",
                all_day=False,
                starts_at=at(day, hour, zone),
                ends_at=at(day, hour + 1, zone),
                time_zone=zone,
                start_date=day,
            )
    AnniversaryFactory(origin_month=3, origin_day=2, title_vi="A")
    AnniversaryFactory(origin_month=3, origin_day=4, title_vi="Z")
    EventFactory(title_vi="before the window", start_date=datetime.date(2027, 2, 1))
    window = Window(start=first, end=datetime.date(2027, 3, 31))

    whole = agenda(user, window).items()
    lazy = AgendaItems(user, window)
    assert len(lazy) == len(whole) == 6 * 5 + 2
    expected = describe(whole)
    for start in range(len(whole) + 1):
        for stop in range(start, len(whole) + 2):
            assert describe(AgendaItems(user, window)[start:stop]) == expected[start:stop], (
                start,
                stop,
            )
    assert describe([lazy[0], lazy[-1]]) == [expected[0], expected[-1]]


def test_a_built_calendar_has_every_time_zone_it_uses():
    """The VTIMEZONEs come from the TZIDs of the timed events (no walk of the calendar): the
    same set icalendar finds by walking it."""
    user = UserFactory(role="viewer")
    day = datetime.date(2027, 3, 1)
    for zone in ("Asia/Bangkok", "Asia/Vientiane", "Europe/Paris", "UTC"):
        EventFactory(
            all_day=False,
            starts_at=at(day, 9, zone),
            ends_at=at(day + datetime.timedelta(days=1), 10, zone),
            time_zone=zone,
            start_date=day,
        )
    EventFactory(start_date=day)
    AnniversaryFactory(origin_month=3, origin_day=1)
    calendar = build_calendar(
        agenda(user, Window(start=day, end=day + datetime.timedelta(days=30))),
        FeedOptions(name="test"),
    )
    assert calendar.get_missing_tzids() == set()
    assert {tz.tz_name for tz in calendar.timezones} == calendar.get_used_tzids() - {"UTC"}
    assert {tz.tz_name for tz in calendar.timezones} == {
        "Asia/Bangkok",
        "Asia/Vientiane",
        "Europe/Paris",
    }


@pytest.mark.parametrize("language", ["vi", "en"])
def test_kind_labels_are_get_kind_display(language):
    event, anniversary = EventFactory.build(), AnniversaryFactory.build()
    with translation.override(language):
        for kind in Event.Kind.values:
            event.kind = kind
            assert kind_label(Event, kind, language) == str(event.get_kind_display())
        for kind in Anniversary.Kind.values:
            anniversary.kind = kind
            assert kind_label(Anniversary, kind, language) == str(anniversary.get_kind_display())
