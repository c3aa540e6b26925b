import datetime

import phonenumbers
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from contacts.demo import (
    PERSON_MARKER,
    MissingReferenceDataError,
    load_demo,
    plan_interactions,
    read_fixtures,
)
from contacts.models import (
    Agreement,
    ContactPoint,
    FollowUp,
    Interaction,
    Organization,
    Participant,
    Person,
    Position,
    Tag,
)
from contacts.reference import load_reference

pytestmark = pytest.mark.django_db

MODELS = [Person, Organization, ContactPoint, Position, Interaction, Participant, FollowUp]
MODELS += [Agreement, Tag]


def row_counts() -> dict[str, int]:
    """Rows of every table the demo writes, their history tables, and the m2m links."""
    counts = {model._meta.label: model.objects.count() for model in MODELS}
    for model in MODELS:
        history = getattr(model, "history", None)
        if history is not None:
            counts[f"{model._meta.label} history"] = history.count()
    counts["users"] = get_user_model().objects.count()
    counts["interaction links"] = sum(
        through.objects.count()
        for through in (
            Interaction.organizations.through,
            Interaction.staff.through,
            Interaction.pillars.through,
        )
    )
    counts["agreement parties"] = Agreement.parties.through.objects.count()
    return counts


@pytest.fixture(scope="class")
def loaded(django_db_setup, django_db_blocker):
    """Reference data and the demo, loaded once for a test class and rolled back after it.

    The loads run in an outer transaction; each test's own transaction nests inside it as a
    savepoint, and the outer one is rolled back when the class is done, so no other test sees
    the demo rows.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            load_reference()
            counts = load_demo()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield counts
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_refuses_to_load_without_the_reference_data():
    with pytest.raises(MissingReferenceDataError, match="load_reference"):
        load_demo()
    assert Person.objects.count() == 0


def test_the_command_says_to_run_load_reference_first():
    with pytest.raises(CommandError, match="load_reference"):
        call_command("load_demo")


class TestIdempotence:
    def test_a_second_load_writes_nothing(self):
        load_reference()
        first = load_demo()
        after_first = row_counts()
        second = load_demo()
        assert first["created"] > 300
        assert (second["created"], second["changed"]) == (0, 0)
        assert row_counts() == after_first  # same rows, no new history rows
        assert {**first, "created": 0, "changed": 0} == second
        assert Person.objects.count() == second["people"]
        assert Interaction.objects.count() == second["interactions"]
        assert FollowUp.objects.count() == second["follow_ups"]
        assert Participant.objects.count() == second["participants"]
        assert Agreement.objects.count() == second["agreements"]

    def test_a_load_on_a_later_day_moves_dates_instead_of_adding_rows(self):
        load_reference()
        load_demo(today=datetime.date(2026, 11, 26))
        before = row_counts()
        load_demo(today=datetime.date(2026, 11, 27))
        after = row_counts()
        assert {k: v for k, v in after.items() if "history" not in k} == {
            k: v for k, v in before.items() if "history" not in k
        }
        assert Interaction.objects.aggregate(Max("occurred_on"))["occurred_on__max"] == (
            datetime.date(2026, 11, 26)
        )


def test_the_plan_is_deterministic():
    directory_data, log_data = read_fixtures()
    today = datetime.date(2027, 2, 28)
    assert plan_interactions(directory_data, log_data, today) == plan_interactions(
        directory_data, log_data, today
    )


@pytest.mark.parametrize("later", [1, 17, 45, 200, 366])
def test_the_same_interactions_on_a_later_day(later):
    """Subjects are the natural key: apart from the yearly greetings, a later day's plan has
    the same ones (the dates move), so loading every day never accumulates copies."""
    directory_data, log_data = read_fixtures()
    today = datetime.date(2026, 11, 26)

    def subjects(day):
        plan = plan_interactions(directory_data, log_data, day)
        return {item["subject"] for item in plan if item["kind"] != "greetings"}

    assert subjects(today) == subjects(today + datetime.timedelta(days=later))


@pytest.mark.usefixtures("loaded")
class TestContent:
    def test_enough_people_and_organisations(self):
        assert Person.objects.count() >= 25
        assert Organization.objects.filter(subdivision_code="").count() >= 8
        categories = set(Person.objects.values_list("category", flat=True))
        assert categories == set(Person.Category.values)

    def test_every_person_is_marked_fictional(self):
        for person in Person.objects.all():
            assert person.notes.startswith(PERSON_MARKER), person

    def test_demo_organisations_are_marked_as_demo_data(self):
        for org in Organization.objects.filter(subdivision_code=""):
            assert org.notes.startswith("Dữ liệu demo / demo data."), org

    def test_names_in_their_own_scripts(self):
        names = list(Person.objects.values_list("full_name_native", flat=True))
        assert any("\u1780" <= char <= "\u17ff" for name in names for char in name)  # Khmer
        assert any("\u0e80" <= char <= "\u0eff" for name in names for char in name)  # Lao
        assert any("\u0e00" <= char <= "\u0e7f" for name in names for char in name)  # Thai
        sok = Person.objects.get(name_latin="Sok Chanthy")
        assert (sok.full_name_native, sok.name_vi) == ("សុខ ចាន់ធី", "Xốc Chăn-thi")

    def test_overseas_vietnamese_have_new_and_former_home_communes(self):
        diaspora = Person.objects.filter(category=Person.Category.OVERSEAS_VIETNAMESE)
        assert diaspora.count() >= 8
        assert set(diaspora.values_list("residence_country", flat=True)) >= {"TH", "KH", "LA", "AU"}
        for person in diaspora:
            assert person.home_commune.startswith(("Phường ", "Xã ")), person
            assert person.home_commune_former, person
        assert (
            Person.objects.search("Tien Giang", personal=True)
            .filter(category="overseas_vietnamese")
            .exists()
        )

    def test_birthdays_without_a_year_and_on_29_february(self):
        assert Person.objects.filter(birth_month__isnull=False, birth_year__isnull=True).exists()
        assert Person.objects.filter(birth_month__isnull=False, birth_year__isnull=False).exists()
        leap = Person.objects.filter(birth_month=2, birth_day=29)
        assert leap.exists()
        for person in leap.exclude(birth_year=None):
            assert person.birth_year % 4 == 0
        assert Person.objects.filter(birth_year__isnull=False, birth_month__isnull=True).exists()

    def test_every_phone_is_valid_e164(self):
        phones = ContactPoint.objects.filter(kind__in=ContactPoint.PHONE_KINDS)
        assert phones.count() >= 40
        regions = set()
        for point in phones:
            assert point.value.startswith("+"), point.value
            number = phonenumbers.parse(point.value, None)
            assert phonenumbers.is_valid_number(number), point.value
            assert (
                phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
                == point.value
            )
            regions.add(phonenumbers.region_code_for_number(number))
        assert regions >= {"VN", "KH", "LA", "TH", "AU"}

    def test_emails_use_example_domains_only(self):
        emails = ContactPoint.objects.filter(kind=ContactPoint.Kind.EMAIL)
        assert emails.exists()
        for point in emails:
            assert point.value.rsplit("@", 1)[1].endswith(("example.org", "example.com"))
        for user in get_user_model().objects.filter(username__startswith="demo."):
            assert user.email.endswith("@example.org")
            assert not user.has_usable_password()
            assert user.units.exists()

    def test_governor_successions(self):
        for code in ("KH-14", "LA-CH"):
            governors = Position.objects.filter(
                organization__subdivision_code=code, title="Tỉnh trưởng"
            )
            assert governors.current().count() == 1
            assert governors.past().count() == 1
        assert (
            Person.objects.filter(positions__end_date__isnull=False)
            .filter(positions__end_date__isnull=True)
            .exists()
        )

    def test_three_years_of_interactions(self):
        assert Interaction.objects.count() >= 50
        span = Interaction.objects.aggregate(first=Min("occurred_on"), last=Max("occurred_on"))
        assert span["last"] <= timezone.localdate()
        assert (span["last"] - span["first"]).days >= 3 * 365

    def test_every_kind_and_confidentiality_and_unit(self):
        interactions = Interaction.objects.all()
        assert set(interactions.values_list("kind", flat=True)) == set(Interaction.Kind.values)
        levels = list(interactions.values_list("confidentiality", flat=True))
        assert set(levels) == {"public", "internal", "restricted"}
        assert levels.count("internal") > levels.count("restricted")
        units = set(interactions.values_list("owner_unit__code", flat=True))
        assert units == {"so-ngoai-vu", "lhhn"}

    def test_participants_staff_and_pillars(self):
        assert Participant.objects.exclude(role="").count() >= 50
        assert Interaction.objects.filter(staff__isnull=True).count() == 0
        pillars = set(Interaction.objects.values_list("pillars__code", flat=True))
        assert pillars >= {"political_security", "economic", "socio_cultural"}

    def test_national_day_greetings(self):
        greetings = Interaction.objects.filter(kind=Interaction.Kind.GREETINGS)
        assert greetings.filter(occurred_on__month=11, occurred_on__day=9).count() >= 2
        assert greetings.filter(occurred_on__month=12, occurred_on__day=2).count() >= 2

    def test_follow_ups_in_every_status(self):
        today = timezone.localdate()
        follow_ups = FollowUp.objects.all()
        assert set(follow_ups.values_list("status", flat=True)) == set(FollowUp.Status.values)
        assert follow_ups.filter(status="open", due_on__lt=today).exists()  # overdue
        assert follow_ups.filter(status="open", due_on__gte=today).exists()  # upcoming
        for done in follow_ups.filter(status="done"):
            assert done.done_at is not None
            assert done.done_at <= timezone.now()
        assert not follow_ups.filter(status__in=["open", "cancelled"], done_at__isnull=False)
        assert not follow_ups.filter(assignee__isnull=True).exists()

    def test_agreements(self):
        statuses = set(Agreement.objects.values_list("status", flat=True))
        assert {"draft", "expired", "in_force"} <= statuses
        kinds = set(Agreement.objects.values_list("kind", flat=True))
        assert {"mou", "twinning"} <= kinds
        assert not Agreement.objects.filter(parties__isnull=True).exists()
        champasak = Agreement.objects.get(title__contains="Chăm-pa-xắc giai đoạn 2022–2025")
        assert champasak.status == "expired"
        assert champasak.parties.get().subdivision_code == "LA-CH"


@pytest.mark.django_db
def test_demo_staff_have_roles():
    from django.contrib.auth import get_user_model

    from contacts.demo import load_demo
    from contacts.reference import load_reference

    load_reference()
    load_demo()
    roles = {
        u.username: {g.name for g in u.groups.all()}
        for u in get_user_model().objects.filter(username__startswith="demo.")
    }
    assert roles["demo.tranminh"] == {"manager"}
    assert roles["demo.phamlan"] == {"viewer"}
