"""factory_boy factories for the domain models; every name here is fictional."""

import datetime

import factory
from django.contrib.auth import get_user_model

from contacts.models import (
    Agreement,
    ContactPoint,
    Country,
    FollowUp,
    Interaction,
    Organization,
    Participant,
    Person,
    Position,
    Unit,
)
from events.models import Anniversary, CalendarFeed, Event


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    is_staff = True

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        """`UserFactory(role="manager")` puts the user in that role's group."""
        if extracted:
            from django.contrib.auth.models import Group

            self.groups.add(Group.objects.get(name=extracted))

    @factory.post_generation
    def units(self, create, extracted, **kwargs):
        for unit in extracted or ():
            unit.members.add(self)


class CountryFactory(factory.django.DjangoModelFactory):
    """Countries are keyed by ISO code; the common ones come with real names."""

    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = "KH"
    name_vi = factory.LazyAttribute(
        lambda o: {"KH": "Campuchia", "LA": "Lào", "VN": "Việt Nam", "TH": "Thái Lan"}.get(
            o.code, o.code
        )
    )
    name_en = factory.LazyAttribute(
        lambda o: {"KH": "Cambodia", "LA": "Laos", "VN": "Viet Nam", "TH": "Thailand"}.get(
            o.code, o.code
        )
    )


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"unit-{n}")
    name_vi = factory.Sequence(lambda n: f"Đơn vị {n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name_native = factory.Sequence(lambda n: f"ស្ថាប័ន {n}")
    name_vi = factory.Sequence(lambda n: f"Tổ chức {n}")
    name_en = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organization.Kind.FOREIGN_GOVERNMENT
    country = factory.SubFactory(CountryFactory)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name_native = factory.Sequence(lambda n: f"សុខ {n}")
    name_latin = factory.Sequence(lambda n: f"Sok {n}")
    name_vi = factory.Sequence(lambda n: f"Xốc {n}")
    category = Person.Category.COUNTERPART_OFFICIAL
    nationality = factory.SubFactory(CountryFactory)


class ContactPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPoint

    person = factory.SubFactory(PersonFactory)
    kind = ContactPoint.Kind.EMAIL
    value = factory.Sequence(lambda n: f"contact{n}@example.org")


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)
    title = "Phó Tỉnh trưởng"
    start_date = datetime.date(2020, 1, 1)


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interaction

    occurred_on = datetime.date(2026, 3, 2)
    kind = Interaction.Kind.MEETING
    subject = factory.Sequence(lambda n: f"Làm việc với đoàn {n}")


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    interaction = factory.SubFactory(InteractionFactory)
    person = factory.SubFactory(PersonFactory)


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    interaction = factory.SubFactory(InteractionFactory)
    action = factory.Sequence(lambda n: f"Gửi biên bản {n}")


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    title = factory.Sequence(lambda n: f"Biên bản ghi nhớ {n}")
    kind = Agreement.Kind.MOU


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title_vi = factory.Sequence(lambda n: f"Sự kiện {n}")
    kind = Event.Kind.CONFERENCE
    start_date = datetime.date(2027, 3, 10)
    end_date = factory.LazyAttribute(lambda o: o.start_date)


class AnniversaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Anniversary

    title_vi = factory.Sequence(lambda n: f"Ngày kỷ niệm {n}")
    title_en = factory.Sequence(lambda n: f"Anniversary {n}")
    kind = Anniversary.Kind.DIPLOMATIC_RELATIONS
    origin_year = 1967
    origin_month = 6
    origin_day = 24


class CalendarFeedFactory(factory.django.DjangoModelFactory):
    """`CalendarFeedFactory(owner=user)`; the secret is on `feed.key` (shown once in real use)."""

    class Meta:
        model = CalendarFeed
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory, role="viewer")
    name = factory.Sequence(lambda n: f"Lịch {n}")

    @factory.post_generation
    def key(self, create, extracted, **kwargs):
        self.key = self.set_token()
        if create:
            self.save()
