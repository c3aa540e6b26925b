"""Synthetic data at scale (`manage.py generate_synthetic`), at small sizes."""

import datetime
from collections import defaultdict

import phonenumbers
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

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
from crm.text import fold

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)
SMALL = Sizes(people=60, organizations=12, interactions=80)


def snapshot() -> dict[str, list]:
    """The generated content without ids or timestamps (which differ between databases)."""
    return {
        "people": list(
            Person.objects.order_by("notes").values_list(
                "full_name_native", "name_latin", "nationality", "category", "search_text"
            )
        ),
        "organizations": list(
            Organization.objects.filter(notes=synthetic.ORGANIZATION_MARKER)
            .order_by("name_vi")
            .values_list("name_native", "kind", "parent__name_vi")
        ),
        "positions": list(
            Position.objects.order_by("person__notes", "start_date").values_list(
                "person__notes", "organization__name_vi", "title", "start_date", "end_date"
            )
        ),
        "interactions": sorted(
            Interaction.objects.values_list("occurred_on", "kind", "subject", "confidentiality")
        ),
        "phones": sorted(ContactPoint.objects.values_list("kind", "value")),
        "participants": sorted(
            Participant.objects.values_list("interaction__subject", "person__notes", "role")
        ),
    }


def test_same_seed_same_data():
    generate(SMALL, seed=7, today=TODAY)
    first = snapshot()
    for model in (FollowUp, Participant, Interaction, Position, ContactPoint):
        model.objects.all().delete()
    Person.objects.all().delete()
    synthetic_organizations = Organization.objects.filter(notes=synthetic.ORGANIZATION_MARKER)
    synthetic_organizations.filter(parent__isnull=False).delete()
    synthetic_organizations.delete()
    generate(SMALL, seed=7, today=TODAY)
    assert snapshot() == first
    assert len(first["people"]) == 60 and len(first["interactions"]) == 80


def test_another_seed_other_data():
    generate(Sizes(people=60), seed=1, today=TODAY)
    first = snapshot()["people"]
    Person.objects.all().delete()
    generate(Sizes(people=60), seed=2, today=TODAY)
    assert snapshot()["people"] != first


def test_people_are_fictional_in_four_scripts_with_transliterations():
    generate(Sizes(people=200), seed=3, today=TODAY)
    people = list(Person.objects.all())
    assert all(p.notes.startswith(synthetic.PERSON_MARKER) for p in people)
    scripts = {"KH": "\u1780", "LA": "\u0e80", "TH": "\u0e00"}
    blocks = {"KH": ("\u1780", "\u17ff"), "LA": ("\u0e80", "\u0eff"), "TH": ("\u0e00", "\u0e7f")}
    seen = set()
    for person in people:
        assert person.name_latin.isascii(), person.name_latin
        if person.nationality_id in blocks:
            low, high = blocks[person.nationality_id]
            assert any(low <= c <= high for c in person.full_name_native), person
            seen.add(person.nationality_id)
        else:
            assert person.nationality_id == "VN"
            assert fold(person.name_latin) == fold(person.full_name_native)
    assert seen == set(scripts)
    reference_provinces = Organization.objects.exclude(subdivision_code="")
    assert not Organization.objects.exclude(notes=synthetic.ORGANIZATION_MARKER).exclude(
        pk__in=reference_provinces
    )


def test_phone_numbers_are_valid_e164_for_their_country():
    generate(Sizes(people=120, organizations=20), seed=4, today=TODAY)
    phones = ContactPoint.objects.filter(kind__in=ContactPoint.PHONE_KINDS).select_related(
        "person", "organization"
    )
    regions = set()
    for point in phones:
        number = phonenumbers.parse(point.value, None)
        assert phonenumbers.is_valid_number(number), point.value
        assert point.value == phonenumbers.format_number(
            number, phonenumbers.PhoneNumberFormat.E164
        )
        region = phonenumbers.region_code_for_number(number)
        owner_country = (
            point.organization.country_id
            if point.person is None
            else point.person.residence_country_id
        )
        if point.kind == ContactPoint.Kind.PHONE:
            assert region == owner_country, (point.value, owner_country)
        regions.add(region)
    assert {"VN", "KH", "LA", "TH"} <= regions


@pytest.mark.parametrize("seed", [1, 2])
def test_phone_number_is_valid_for_every_region(seed):
    rng = synthetic.Random(seed)
    for region in ["VN", "KH", "LA", "TH", "AU", "US", "FR", "JP", "KR", "SG", "MM"]:
        number = phonenumbers.parse(synthetic.phone_number(rng, region), None)
        assert phonenumbers.is_valid_number(number)
        assert phonenumbers.region_code_for_number(number) == region


def test_rows_are_searchable_like_saved_rows():
    generate(Sizes(people=40, organizations=10, interactions=20), seed=5, today=TODAY)
    for model in (Person, Organization, Interaction):
        for row in model.objects.all()[:15]:
            stored = {name: getattr(row, name) for name in row.search_columns()}
            assert stored == row.search_columns(), row  # as save() would have built them
            assert row.search_text
    person = Person.objects.filter(contact_points__kind="phone").first()
    phone = person.contact_points.filter(kind="phone").first()
    assert person in Person.objects.search(phone.value, personal=True)
    assert person in Person.objects.search(fold(person.name_latin))


def test_positions_over_time_are_consistent():
    generate(Sizes(people=300, organizations=8), seed=6, today=TODAY)
    positions = list(Position.objects.order_by("start_date"))
    assert positions
    posts = defaultdict(list)
    careers = defaultdict(list)
    for position in positions:
        assert position.start_date is not None
        assert position.end_date is None or position.start_date < position.end_date <= TODAY
        posts[(position.organization_id, position.title)].append(position)
        careers[position.person_id].append(position)
    for held in posts.values():  # one holder at a time, so at most one current
        assert sum(p.is_current(TODAY) for p in held) <= 1
        for before, after in zip(held, held[1:], strict=False):
            assert before.end_date is not None and before.end_date <= after.start_date
    for career in careers.values():  # one post after another
        assert sum(p.end_date is None for p in career) <= 1
        for before, after in zip(career, career[1:], strict=False):
            assert before.end_date is not None and before.end_date <= after.start_date
    assert any(len(c) > 1 for c in careers.values())
    assert any(p.end_date is None for p in positions)


def test_interactions_span_twenty_years_with_their_parts():
    generate(Sizes(people=80, organizations=10, interactions=300), seed=8, today=TODAY)
    first = Interaction.objects.order_by("occurred_on").first().occurred_on
    assert TODAY.year - first.year >= 15
    assert Interaction.objects.filter(occurred_on__gt=TODAY).count() == 0
    assert not Interaction.objects.filter(organizations=None).exists()
    assert not Interaction.objects.filter(staff=None).exists()
    assert not Interaction.objects.filter(pillars=None).exists()
    assert Participant.objects.exists()
    done = FollowUp.objects.filter(status="done")
    assert done.exists() and not done.filter(done_at=None).exists()
    assert set(Interaction.objects.values_list("confidentiality", flat=True)) == {
        "public",
        "internal",
        "restricted",
    }


def test_query_count_does_not_grow_with_size():
    def queries(sizes):
        with CaptureQueriesContext(connection) as context:
            generate(sizes, seed=9, today=TODAY, batch_size=10_000)
        return len(context.captured_queries)

    generate(Sizes(people=1), seed=9, today=TODAY)  # reference data, staff and tags in place
    small = queries(Sizes(people=20, organizations=5, interactions=20))
    large = queries(Sizes(people=200, organizations=50, interactions=200))
    # Bulk inserts: on SQLite a batch is split by the parameter limit, so allow a few more.
    assert large <= small + 30, (small, large)
    assert large < 200


def test_command_prints_counts_and_time(capsys):
    call_command(
        "generate_synthetic",
        "--people=10",
        "--organizations=3",
        "--interactions=5",
        "--seed=1",
        "--today=2026-06-15",
        "--no-progress",
    )
    out = capsys.readouterr().out
    assert "people: 10" in out and "interactions: 5" in out
    assert "Synthetic data generated in" in out


def test_events_need_the_events_app(monkeypatch):
    # As if the events app were not installed: no registered step, the app unknown.
    monkeypatch.setattr(synthetic, "_REGISTERED", [])
    installed = synthetic.apps.is_installed
    monkeypatch.setattr(
        synthetic.apps, "is_installed", lambda name: name != "events" and installed(name)
    )
    with pytest.raises(CommandError, match="events app not installed"):
        call_command("generate_synthetic", "--people=1", "--events=5", "--no-progress")
    assert not Person.objects.exists()


def test_a_registered_step_runs_with_its_size(monkeypatch):
    made = []
    monkeypatch.setattr(synthetic, "_REGISTERED", [])
    monkeypatch.setitem(synthetic.OPTIONAL_APPS, "events", "contacts")  # "installed"
    with pytest.raises(synthetic.SyntheticError, match="no synthetic step"):
        generate(Sizes(events=3), seed=1, today=TODAY)
    synthetic.register_step(
        synthetic.Step("events", lambda context, count: made.append(count), size="events")
    )
    generate(Sizes(events=3), seed=1, today=TODAY)
    assert made == [3]
