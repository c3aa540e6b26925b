import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from contacts.models import FollowUp, Person, Position
from tests.factories import FollowUpFactory, PersonFactory, PositionFactory

pytestmark = pytest.mark.django_db


class TestBirthday:
    def test_without_a_year(self):
        person = PersonFactory(birth_day=14, birth_month=4)
        person.full_clean()
        assert person.birthday_display == "14/4"
        assert person.next_birthday(datetime.date(2026, 11, 26)) == datetime.date(2027, 4, 14)

    def test_29_february_with_a_leap_year(self):
        person = PersonFactory(birth_day=29, birth_month=2, birth_year=1992)
        person.full_clean()
        assert person.birthday_display == "29/2/1992"

    def test_29_february_falls_on_28_february_in_common_years(self):
        person = PersonFactory(birth_day=29, birth_month=2)
        person.full_clean()  # no year: fine
        assert person.birthday_in(2027) == datetime.date(2027, 2, 28)
        assert person.birthday_in(2028) == datetime.date(2028, 2, 29)
        assert person.next_birthday(datetime.date(2027, 3, 1)) == datetime.date(2028, 2, 29)

    def test_29_february_of_a_common_year_is_rejected(self):
        person = PersonFactory.build(birth_day=29, birth_month=2, birth_year=1991)
        with pytest.raises(ValidationError) as exc:
            person.full_clean(exclude=["nationality"])
        assert "1991" in exc.value.message_dict["birth_day"][0]

    @pytest.mark.parametrize(("day", "month"), [(31, 4), (30, 2), (0, 5), (1, 13)])
    def test_impossible_dates_are_rejected(self, day, month):
        person = PersonFactory.build(birth_day=day, birth_month=month)
        with pytest.raises(ValidationError):
            person.full_clean(exclude=["nationality"])

    def test_day_without_month_is_rejected_by_the_model_and_the_database(self):
        person = PersonFactory.build(birth_day=3)
        with pytest.raises(ValidationError):
            person.full_clean(exclude=["nationality"])
        with pytest.raises(IntegrityError), transaction.atomic():
            PersonFactory(birth_day=3)

    def test_no_birthday(self):
        person = PersonFactory()
        assert person.birthday_display == ""
        assert person.next_birthday() is None


class TestPositions:
    TODAY = datetime.date(2026, 11, 26)

    def test_current_and_past(self):
        person = PersonFactory()
        past = PositionFactory(
            person=person, start_date=datetime.date(2015, 1, 1), end_date=datetime.date(2020, 6, 30)
        )
        open_ended = PositionFactory(person=person, start_date=datetime.date(2020, 7, 1))
        ends_later = PositionFactory(person=person, end_date=datetime.date(2027, 1, 1))
        ends_today = PositionFactory(person=person, end_date=self.TODAY)
        not_started = PositionFactory(person=person, start_date=datetime.date(2027, 1, 1))
        unknown_dates = PositionFactory(person=person, start_date=None)

        current = set(Position.objects.current(on=self.TODAY))
        assert current == {open_ended, ends_later, unknown_dates}
        assert set(Position.objects.past(on=self.TODAY)) == {past, ends_today}
        assert not_started not in current
        assert open_ended.is_current(self.TODAY) and not past.is_current(self.TODAY)

    def test_end_before_start_is_rejected(self):
        position = PositionFactory.build(
            start_date=datetime.date(2024, 1, 1), end_date=datetime.date(2023, 1, 1)
        )
        with pytest.raises(ValidationError) as exc:
            position.full_clean(exclude=["person", "organization"])
        assert "end_date" in exc.value.message_dict

    def test_a_person_keeps_past_positions(self):
        position = PositionFactory(end_date=datetime.date(2021, 1, 1))
        assert position in position.person.positions.all()


def test_follow_up_done_gets_a_time_and_reopening_clears_it():
    follow_up = FollowUpFactory()
    follow_up.status = FollowUp.Status.DONE
    follow_up.full_clean()
    assert follow_up.done_at is not None
    follow_up.status = FollowUp.Status.OPEN
    follow_up.full_clean()
    assert follow_up.done_at is None


def test_languages_must_be_known_codes():
    person = PersonFactory.build(languages=["km", "lo", "vi"])
    person.full_clean(exclude=["nationality"])
    person.languages = ["km", "xx"]
    with pytest.raises(ValidationError) as exc:
        person.full_clean(exclude=["nationality"])
    assert "xx" in exc.value.message_dict["languages"][0]


def test_history_records_each_change():
    person = PersonFactory(name_vi="Xốc Chăn-thi")
    person.name_vi = "Xốc Chanh-thi"
    person.save()
    assert [h.name_vi for h in person.history.all()] == ["Xốc Chanh-thi", "Xốc Chăn-thi"]
    assert Person.history.count() == 2
