"""The range of dates and datetimes the system stores and serves, and the one way to read them.

Python (and so Django, DRF and icalendar) represents dates from 0001-01-01 to 9999-12-31 only;
one step past either end is an OverflowError, which used to surface as a 500. Values are never
used alone: from a stored value the system derives

- the day after an all-day event's last day (iCalendar's exclusive DTEND), and the day before;
- a datetime's wall-clock date in another zone: the event's own zone, the server's, UTC, or
  the offset a client wrote it with. UTC offsets stay within ±24h (Python refuses more) and
  IANA zones stay within ±16h (local mean times of the 19th century included);
- windows of calendars and feeds (today ± a few years, `from` + one year by default, at most
  ten years wide) and anniversary occurrences, which are clipped to the range below.

So the supported range keeps a margin on both sides:

- dates: from `MIN_DATE` (0001-01-02) to `MAX_DATE` (9999-12-30): one day of margin, so that
  the day before and the day after (an exclusive end) are representable;
- datetimes: instants whose UTC date lies from `MIN_DATE` + 2 days to `MAX_DATE` − 2 days
  (0001-01-04T00:00Z to 9999-12-28T23:59:59.999999Z): two days of margin, more than any shift
  by an offset or a zone (under 26 hours), so that the wall-clock date of a supported instant
  in any zone is a supported date.

Everything that writes or filters by a date goes through this module: the models' validation
(`crm.models.CleanValuesModel`), every date and datetime filter of the API, the calendar's
`from`/`to`. Input is ISO 8601, or day first (dd/mm/yyyy, as Vietnamese writes dates), never
month first. A checked datetime is handed on in UTC: ISO 8601 allows offsets up to ±23:59,
PostgreSQL only up to ±15:59.
"""

import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext as _

MIN_DATE = datetime.date(1, 1, 2)
MAX_DATE = datetime.date(9999, 12, 30)
DATETIME_MARGIN = datetime.timedelta(days=2)
MIN_DATETIME = datetime.datetime.combine(
    MIN_DATE + DATETIME_MARGIN, datetime.time.min, datetime.UTC
)
MAX_DATETIME = datetime.datetime.combine(
    MAX_DATE - DATETIME_MARGIN, datetime.time.max, datetime.UTC
)

# dd/mm/yyyy (or d/m/yyyy, with / . or -), optionally followed by a time HH:MM[:SS[.ffffff]]
# and an offset (Z, +07, +07:00, +0700).
_DAY_FIRST = re.compile(
    r"(?P<day>\d{1,2})[/.\-](?P<month>\d{1,2})[/.\-](?P<year>\d{4})"
    r"(?:[ T](?P<time>\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)"
    r"(?P<offset>Z|[+-]\d{2}(?::?\d{2})?)?)?",
    re.IGNORECASE,
)


class DateRangeError(ValueError):
    """A well-formed date or datetime outside the supported range (the message says which)."""


def format_date(value: datetime.date) -> str:
    """The one style dates are shown in to people (messages, documents, admin): dd/mm/yyyy,
    as Vietnamese writes them, whatever the language (never month first). Machine formats
    (JSON, iCalendar) stay ISO 8601."""
    # Not strftime: it writes year 1 as "1", not "0001".
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def format_datetime(value: datetime.datetime) -> str:
    """dd/mm/yyyy HH:MM (seconds when there are any), in the value's own zone."""
    seconds = f":{value.second:02d}" if value.second or value.microsecond else ""
    return f"{format_date(value)} {value.hour:02d}:{value.minute:02d}{seconds}"


def date_range_message() -> str:
    return _("Use a date from %(min)s to %(max)s.") % {
        "min": format_date(MIN_DATE),
        "max": format_date(MAX_DATE),
    }


def datetime_range_message() -> str:
    return _("Use a date and time from %(min)s to %(max)s (UTC).") % {
        "min": format_datetime(MIN_DATETIME),
        "max": format_datetime(MAX_DATETIME),
    }


def date_in_range(value: datetime.date) -> bool:
    return MIN_DATE <= value <= MAX_DATE


def datetime_in_range(value: datetime.datetime) -> bool:
    """An aware datetime within the supported range (a naive one is read in the server's
    zone). False, never an OverflowError, for one that cannot even be moved to UTC."""
    if timezone.is_naive(value):
        value = value.replace(tzinfo=timezone.get_current_timezone())
    try:
        return MIN_DATETIME <= value.astimezone(datetime.UTC) <= MAX_DATETIME
    except (OverflowError, ValueError):
        return False


def check_date(value: datetime.date) -> datetime.date:
    """`value`, or DateRangeError naming the supported range."""
    if not date_in_range(value):
        raise DateRangeError(date_range_message())
    return value


def check_datetime(value: datetime.datetime) -> datetime.datetime:
    """`value` in UTC (read in the server's zone if naive), or DateRangeError naming the
    range. In UTC because PostgreSQL refuses offsets beyond ±15:59 that Python (and ISO 8601)
    allow up to ±23:59: the same instant, in a form every database takes."""
    if timezone.is_naive(value):
        value = value.replace(tzinfo=timezone.get_current_timezone())
    if not datetime_in_range(value):
        raise DateRangeError(datetime_range_message())
    return value.astimezone(datetime.UTC)


def is_day_first(text: str) -> bool:
    """Whether `text` is written day first (dd/mm/yyyy, optionally with a time), not ISO."""
    return _DAY_FIRST.fullmatch(text.strip()) is not None


def parse_date(text: str) -> datetime.date:
    """A supported date from ISO 8601 (2026-11-26) or day first (26/11/2026).

    ValueError (DateRangeError for a real date out of range) otherwise."""
    text = text.strip()
    try:
        value = datetime.date.fromisoformat(text)
    except ValueError:
        match = _DAY_FIRST.fullmatch(text)
        if not match or match["time"]:
            raise ValueError(text) from None
        value = datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))
    return check_date(value)


def parse_datetime(text: str) -> datetime.datetime:
    """A supported, aware datetime from ISO 8601 (2026-11-01T09:00:00+07:00, a date alone for
    its midnight) or day first (01/11/2026 09:00); without an offset, in the server's zone.

    A query string's "+" arrives as a space: "…T09:00:00 07:00" is read as "+07:00".
    ValueError (DateRangeError for a real instant out of range) otherwise."""
    text = text.strip()
    repaired = re.sub(r"(\d) (\d{2}(?::?\d{2})?)$", r"\1+\2", text)
    for candidate in dict.fromkeys([text, repaired]):
        for read in (datetime.datetime.fromisoformat, _day_first_datetime):
            try:
                return check_datetime(read(candidate))
            except DateRangeError:
                raise
            except ValueError:
                continue
    raise ValueError(text)


def _day_first_datetime(text: str) -> datetime.datetime:
    match = _DAY_FIRST.fullmatch(text)
    if not match:
        raise ValueError(text)
    day = datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))
    hour, rest = (match["time"] or "0:00").split(":", 1)
    value = datetime.datetime.fromisoformat(f"{day.isoformat()}T{hour.zfill(2)}:{rest}")
    if match["offset"]:
        # fromisoformat reads every offset form _DAY_FIRST accepts.
        value = datetime.datetime.fromisoformat(f"{value.isoformat()}{match['offset']}")
    return value


def clip_date(value: datetime.date) -> datetime.date:
    """`value` moved into the supported range (for derived bounds, such as a default end)."""
    return min(max(value, MIN_DATE), MAX_DATE)


def add_days(value: datetime.date, days: int) -> datetime.date:
    """`value` + `days`, clipped to the supported range instead of overflowing."""
    try:
        return clip_date(value + datetime.timedelta(days=days))
    except OverflowError:
        return MAX_DATE if days > 0 else MIN_DATE
