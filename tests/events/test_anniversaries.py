"""Anniversary arithmetic: ordinals, milestones, the 29 February rule, titles."""

import calendar
import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from events.anniversaries import occurrence_date, ordinal_en
from events.models import Anniversary


def anniversary(**values) -> Anniversary:
    defaults = {
        "title_vi": "Ngày thiết lập quan hệ ngoại giao Việt Nam – Campuchia",
        "title_en": "Vietnam–Cambodia diplomatic relations",
        "kind": Anniversary.Kind.DIPLOMATIC_RELATIONS,
        "origin_year": 1967,
        "origin_month": 6,
        "origin_day": 24,
    }
    return Anniversary(**{**defaults, **values})


@pytest.mark.parametrize(
    ("year", "ordinal", "milestone"),
    [
        (1968, 1, False),
        (1972, 5, True),
        (2026, 59, False),
        (2027, 60, True),
        (2028, 61, False),
        (2032, 65, True),
        (2067, 100, True),
    ],
)
def test_ordinals_and_milestones_across_years(year, ordinal, milestone):
    found = anniversary().occurrence(year)
    assert (found.date, found.ordinal, found.is_milestone) == (
        datetime.date(year, 6, 24),
        ordinal,
        milestone,
    )


def test_the_60th_title_in_both_languages():
    found = anniversary().occurrence(2027)
    assert found.title_vi == (
        "Kỷ niệm 60 năm Ngày thiết lập quan hệ ngoại giao Việt Nam – Campuchia "
        "(24/6/1967 – 24/6/2027), năm tròn"
    )
    assert found.title_en == (
        "60th anniversary: Vietnam–Cambodia diplomatic relations (24 June 1967 – 24 June 2027), "
        "round year"
    )


def test_no_occurrence_in_or_before_the_origin_year():
    assert anniversary().occurrence(1967) is None
    assert anniversary().occurrence(1900) is None


def test_milestones_are_configurable_per_anniversary():
    every_ten = anniversary(milestone_every=10)
    assert not every_ten.occurrence(2022).is_milestone  # 55th
    assert every_ten.occurrence(2027).is_milestone  # 60th
    assert not anniversary(milestone_every=0).occurrence(2027).is_milestone


def test_brunei_leap_day_falls_on_28_february_in_common_years():
    brunei = anniversary(
        title_vi="Ngày thiết lập quan hệ ngoại giao Việt Nam – Brunei",
        title_en="Vietnam–Brunei diplomatic relations",
        origin_year=1992,
        origin_month=2,
        origin_day=29,
    )
    in_2027 = brunei.occurrence(2027)
    assert (in_2027.date, in_2027.ordinal, in_2027.is_milestone) == (
        datetime.date(2027, 2, 28),
        35,
        True,
    )
    assert in_2027.title_vi.endswith("(29/2/1992 – 28/2/2027), năm chẵn")
    assert brunei.occurrence(2028).date == datetime.date(2028, 2, 29)
    assert brunei.occurrence(2100).date == datetime.date(2100, 2, 28)  # 2100 is not leap


def test_an_observance_without_a_year_has_no_ordinal_and_no_milestone():
    thai = anniversary(
        title_vi="Quốc khánh Thái Lan",
        title_en="Thailand National Day",
        origin_year=None,
        origin_month=12,
        origin_day=5,
    )
    found = thai.occurrence(2030)
    assert (found.date, found.ordinal, found.is_milestone) == (
        datetime.date(2030, 12, 5),
        None,
        False,
    )
    assert (found.title_vi, found.title_en) == ("Quốc khánh Thái Lan", "Thailand National Day")
    assert thai.origin_date is None


def test_occurrences_in_a_window_across_a_year_end():
    laos = anniversary(origin_year=1975, origin_month=12, origin_day=2)
    tet = anniversary(origin_year=1995, origin_month=1, origin_day=15)
    start, end = datetime.date(2026, 11, 26), datetime.date(2027, 2, 1)
    assert [o.date for o in laos.occurrences(start, end)] == [datetime.date(2026, 12, 2)]
    assert [o.date for o in tet.occurrences(start, end)] == [datetime.date(2027, 1, 15)]


@pytest.mark.parametrize(
    ("year", "month", "day", "field"),
    [(1991, 2, 29, "origin_day"), (2000, 4, 31, "origin_day"), (2000, 13, 1, "origin_month")],
)
@pytest.mark.django_db
def test_impossible_origins_are_refused_naming_the_field(year, month, day, field):
    with pytest.raises(ValidationError) as error:
        anniversary(origin_year=year, origin_month=month, origin_day=day).full_clean()
    assert field in error.value.message_dict


def test_29_february_without_a_year_is_allowed():
    anniversary(origin_year=None, origin_month=2, origin_day=29).clean()


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (23, "23rd"),
        (60, "60th"),
        (101, "101st"),
        (111, "111th"),
        (112, "112th"),
    ],
)
def test_english_ordinals(number, text):
    assert ordinal_en(number) == text


# --- properties ---------------------------------------------------------------------------

origins = st.dates(min_value=datetime.date(1800, 1, 1), max_value=datetime.date(2100, 12, 31))
years = st.integers(min_value=1801, max_value=2400)


@given(origin=origins, year=years, every=st.integers(min_value=0, max_value=25))
def test_occurrence_properties(origin, year, every):
    rule = anniversary(
        origin_year=origin.year,
        origin_month=origin.month,
        origin_day=origin.day,
        milestone_every=every,
    )
    found = rule.occurrence(year)
    if year <= origin.year:
        assert found is None
        return
    assert found.date.year == year
    assert found.ordinal == year - origin.year
    assert found.is_milestone == (every > 0 and found.ordinal % every == 0)
    if (origin.month, origin.day) == (2, 29) and not calendar.isleap(year):
        assert (found.date.month, found.date.day) == (2, 28)
    else:
        assert (found.date.month, found.date.day) == (origin.month, origin.day)
    assert str(found.ordinal) in found.title_vi and ordinal_en(found.ordinal) in found.title_en


@given(month=st.integers(1, 12), day=st.integers(1, 31), year=years)
def test_occurrence_date_is_always_a_real_day_in_that_month(month, day, year):
    if day > calendar.monthrange(2000, month)[1]:
        return
    on = occurrence_date(month, day, year)
    assert (on.year, on.month) == (year, month)
    assert on.day == day or (month, day, on.day) == (2, 29, 28)


@given(number=st.integers(min_value=1, max_value=10_000))
def test_english_ordinal_suffix_property(number):
    text = ordinal_en(number)
    assert text[:-2] == str(number)
    teen = 10 <= number % 100 <= 20
    expected = "th" if teen else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    assert text[-2:] == expected


def test_next_occurrence_and_next_milestone():
    cambodia = anniversary()
    assert cambodia.next_occurrence(datetime.date(2026, 6, 24)).date == datetime.date(2026, 6, 24)
    assert cambodia.next_occurrence(datetime.date(2026, 6, 25)).date == datetime.date(2027, 6, 24)
    assert cambodia.next_milestone(datetime.date(2026, 11, 26)).ordinal == 60
    assert cambodia.next_milestone(datetime.date(2027, 6, 25)).ordinal == 65
    assert anniversary(milestone_every=0).next_milestone(datetime.date(2026, 1, 1)) is None
    observance = anniversary(origin_year=None)
    assert observance.next_milestone(datetime.date(2026, 1, 1)) is None
