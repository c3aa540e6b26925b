"""Reads for calendars: the events and anniversary occurrences a viewer may see in a window.

One function serves `/api/v1/calendar/`, the iCalendar feeds and the briefings, so every
calendar shows the same items under the same visibility rules (`visible_to`).
"""

import datetime
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from django.db.models import Count, Max, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from contacts.models import PillarTag
from crm.access import as_viewer
from events.anniversaries import Occurrence
from events.models import Anniversary, CalendarFeed, Event

MAX_RANGE_DAYS = 3653  # ten years, leap days included
FEED_DAYS_BACK, FEED_YEARS_AHEAD = 365, 3


@dataclass(frozen=True)
class Window:
    """What to show: days from `start` to `end` (both included) and the filters."""

    start: datetime.date
    end: datetime.date
    kinds: tuple[str, ...] = ()
    country: str | None = None  # ISO code
    organization: int | None = None
    unit: int | None = None
    milestones_only: bool = False
    include_cancelled: bool = True

    @classmethod
    def public(cls, today: datetime.date | None = None) -> "Window":
        """A feed's window moves with the date: a year back, three years ahead."""
        today = today or timezone.localdate()
        return cls(
            start=today - datetime.timedelta(days=FEED_DAYS_BACK),
            end=add_years(today, FEED_YEARS_AHEAD),
        )

    @classmethod
    def for_feed(cls, feed: CalendarFeed, today: datetime.date | None = None) -> "Window":
        """The feed's filters over the moving window."""
        return replace(
            cls.public(today),
            kinds=tuple(feed.kinds or ()),
            country=feed.country_id,
            organization=feed.organization_id,
            unit=feed.unit_id,
            milestones_only=feed.milestones_only,
            include_cancelled=feed.include_cancelled,
        )


@dataclass(frozen=True)
class Preparation:
    """An all-day reminder `lead` days before a milestone: subscribed calendars mostly ignore
    VALARM, so the preparation shows as an item of its own."""

    occurrence: Occurrence
    date: datetime.date


@dataclass
class Agenda:
    events: list[Event] = field(default_factory=list)
    occurrences: list[Occurrence] = field(default_factory=list)
    preparations: list[Preparation] = field(default_factory=list)

    def items(self) -> list[Event | Occurrence]:
        """Events and occurrences in one list, by date (then time, then title)."""

        return sorted([*self.events, *self.occurrences], key=item_key)


def item_key(item: Event | Occurrence):
    """Calendar order: by day, then local start time (all-day first), anniversaries before
    events, then title; ties keep the input order (events by start, then id)."""
    if isinstance(item, Event):
        start = item.starts_at.astimezone(item.zone).time() if item.starts_at else None
        return (item.start_date, start or datetime.time.min, 1, item.title_vi)
    return (item.date, datetime.time.min, 0, item.title_vi)


class AgendaItems(Sequence):
    """`agenda(who, window).items()` without reading every event of the window: `len()`
    counts them in the database, and a slice reads only the events it may hold (the first
    `stop` events by start day, and the rest of the last of those days, since the order within
    a day is by local time and title). The same items in the same order as `items()`, for a
    paginated list of a long window. Events carry no prefetched relations (the list shows
    none)."""

    def __init__(self, who, window: Window):
        viewer = as_viewer(who)
        self.events = events(viewer, window, prefetch=False)
        self.occurrences = occurrences(viewer, window)
        self._count: int | None = None

    def __len__(self) -> int:
        if self._count is None:
            self._count = self.events.count() + len(self.occurrences)
        return self._count

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0] if index >= 0 else self[:][index]
        start, stop, step = index.indices(len(self))
        if stop <= start:
            return []
        # The start day of the stop-th event by (start_date, starts_at, id): every event that
        # may come before position `stop` starts on or before it (the order is by day first).
        last_day = self.events.order_by("start_date", "starts_at", "id").values("start_date")[
            stop - 1 : stop
        ]
        limit = Coalesce(Subquery(last_day), Value(datetime.date.max))
        loaded = list(self.events.filter(start_date__lte=limit))
        return sorted([*loaded, *self.occurrences], key=item_key)[start:stop:step]


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


def events(who, window: Window, *, prefetch: bool = True) -> QuerySet[Event]:
    """The visible, live events on any day of the window, with what a calendar shows: their
    country, and their pillars (the feeds' categories) unless `prefetch=False`."""
    if window.milestones_only:
        return Event.objects.none()
    queryset = Event.objects.visible_to(who).overlapping(window.start, window.end)
    queryset = _filtered(queryset, window, organization="organizations")
    if not window.include_cancelled:
        queryset = queryset.exclude(status=Event.Status.CANCELLED)
    queryset = queryset.select_related("country")
    if not prefetch:
        return queryset
    return queryset.prefetch_related(Prefetch("pillars", queryset=PillarTag.objects.all()))


def anniversaries(who, window: Window) -> QuerySet[Anniversary]:
    queryset = _filtered(Anniversary.objects.visible_to(who), window, organization="organization")
    return queryset.select_related("country")


def _filtered(queryset: QuerySet, window: Window, *, organization: str) -> QuerySet:
    """The window's filters, the same for events and anniversaries: each kind is matched
    against the row's own vocabulary (national_day is in both)."""
    wanted = {
        "kind__in": window.kinds,
        "country": window.country,
        organization: window.organization,
        "owner_unit": window.unit,
    }
    return queryset.filter(**{name: value for name, value in wanted.items() if value})


def occurrences(who, window: Window) -> list[Occurrence]:
    found = [
        occurrence
        for anniversary in anniversaries(who, window)
        for occurrence in anniversary.occurrences(window.start, window.end)
    ]
    if window.milestones_only:
        found = [occurrence for occurrence in found if occurrence.is_milestone]
    return sorted(found, key=lambda o: (o.date, o.anniversary.pk))


def agenda(who, window: Window, *, preparation_days: int = 0) -> Agenda:
    """Everything `who` may see in `window`; with `preparation_days`, a preparation item that
    many days before each milestone (the milestone itself may fall after the window)."""
    viewer = as_viewer(who)
    result = Agenda(events=list(events(viewer, window)))
    if preparation_days <= 0:
        result.occurrences = occurrences(viewer, window)
        return result
    lead = datetime.timedelta(days=preparation_days)
    wide = occurrences(viewer, replace(window, end=window.end + lead))
    result.occurrences = [o for o in wide if o.date <= window.end]
    result.preparations = [
        Preparation(occurrence=o, date=o.date - lead)
        for o in wide
        if o.is_milestone and window.start <= o.date - lead <= window.end
    ]
    return result


def data_version(
    feed: CalendarFeed | None, viewer, today: datetime.date, extra: str = ""
) -> tuple[str, datetime.datetime]:
    """An ETag and a Last-Modified for a feed, from two aggregate queries.

    Any write to any event or anniversary (archival and deletion included: archiving bumps
    `updated_at`, deleting lowers the count) changes it, as do the feed's settings, its
    owner's role and units, and the date (the window moves). A change elsewhere makes clients
    fetch an unchanged feed again, which is cheap; a missed change would not be.
    """
    stamps = []
    parts = [str(today), str(getattr(viewer, "role", None)), str(sorted(viewer.unit_ids))]
    parts += [str(viewer.public_only), extra]
    for model in (Event, Anniversary):
        row = model.objects.aggregate(last=Max("updated_at"), count=Count("pk"))
        parts += [str(row["last"]), str(row["count"])]
        stamps.append(row["last"])
    if feed is not None:
        parts += [str(feed.pk), feed.updated_at.isoformat(), feed.token_digest]
        stamps.append(feed.updated_at)
    midnight = datetime.datetime.combine(
        today, datetime.time.min, tzinfo=timezone.get_current_timezone()
    )
    stamps.append(midnight)
    last_modified = max(stamp for stamp in stamps if stamp is not None)
    etag = '"' + hashlib.sha256("|".join(parts).encode()).hexdigest()[:32] + '"'
    return etag, last_modified
