"""`crm.dates`: the supported range and the one way dates are read (ISO 8601 or day first)."""

import datetime
import zoneinfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crm import dates

fast = settings(max_examples=300, deadline=None)
OFFSETS = st.integers(-(24 * 60 - 1), 24 * 60 - 1).map(
    lambda minutes: datetime.timezone(datetime.timedelta(minutes=minutes))
)
# Every zone a time zone field accepts: each shift stays within the margin.
ZONES = st.sampled_from(sorted(zoneinfo.available_timezones())).map(zoneinfo.ZoneInfo)


@fast
@given(st.text())
def test_any_text_is_a_date_or_a_value_error(text):
    for parse in (dates.parse_date, dates.parse_datetime):
        try:
            value = parse(text)
        except ValueError:
            continue
        assert (dates.date_in_range if parse is dates.parse_date else dates.datetime_in_range)(
            value
        )


@fast
@given(st.dates())
def test_iso_and_day_first_dates(day):
    for written in (day.isoformat(), f"{day.day:02d}/{day.month:02d}/{day.year:04d}"):
        if dates.date_in_range(day):
            assert dates.parse_date(written) == day
        else:
            with pytest.raises(dates.DateRangeError):
                dates.parse_date(written)


@fast
@given(st.datetimes(), OFFSETS)
def test_datetimes_in_any_offset(naive, offset):
    moment = naive.replace(tzinfo=offset)
    try:
        parsed = dates.parse_datetime(moment.isoformat())
    except dates.DateRangeError:
        assert not dates.datetime_in_range(moment)
    else:
        assert parsed == moment


@fast
@given(st.datetimes(), OFFSETS, ZONES)
def test_a_supported_instant_has_a_supported_date_in_every_zone(naive, offset, zone):
    """The margin: wherever a supported instant is shown, its day is a supported date, and
    the day after it (an exclusive end) is representable."""
    moment = naive.replace(tzinfo=offset)
    if dates.datetime_in_range(moment):
        local = moment.astimezone(zone).date()
        assert dates.date_in_range(local)
        assert local + datetime.timedelta(days=1)


def test_the_bounds():
    assert dates.parse_date("0001-01-02") == dates.MIN_DATE
    assert dates.parse_date("30/12/9999") == dates.MAX_DATE
    for outside in ("0001-01-01", "9999-12-31", "01/01/0001"):
        with pytest.raises(dates.DateRangeError):
            dates.parse_date(outside)
    for outside in ("0001-01-01T00:00:00+23:00", "9999-12-31T23:59:59-12:00"):
        with pytest.raises(dates.DateRangeError):
            dates.parse_datetime(outside)
    assert dates.parse_datetime("0001-01-04T00:00:00Z") == dates.MIN_DATETIME


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2026-11-01T09:00:00+07:00", "2026-11-01T09:00:00+07:00"),
        ("2026-11-01T09:00:00 07:00", "2026-11-01T09:00:00+07:00"),  # "+" read as a space
        ("2026-11-01T02:00:00Z", "2026-11-01T09:00:00+07:00"),
        ("2026-11-01", "2026-11-01T00:00:00+07:00"),  # no offset: the server's zone
        ("01/11/2026", "2026-11-01T00:00:00+07:00"),  # day first, never month first
        ("1/11/2026 9:30", "2026-11-01T09:30:00+07:00"),
        ("01/11/2026 09:00:00+0000", "2026-11-01T16:00:00+07:00"),
    ],
)
def test_written_forms(written, expected):
    assert dates.parse_datetime(written) == datetime.datetime.fromisoformat(expected)


def test_add_days_clips_instead_of_overflowing():
    assert dates.add_days(dates.MAX_DATE, 365) == dates.MAX_DATE
    assert dates.add_days(datetime.date.max, 1) == dates.MAX_DATE
    assert dates.add_days(datetime.date.min, -1) == dates.MIN_DATE
    assert dates.add_days(datetime.date(2026, 1, 1), 1) == datetime.date(2026, 1, 2)
