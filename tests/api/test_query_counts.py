"""Every list and detail endpoint runs a constant number of SQL queries, whatever the number of
rows on the page or of nested rows in them (prefetching, not N+1).

Each test measures the same request with 1 row and with 50 (lists and contact histories: rows
on the page; details: nested rows of each kind in the object) and asserts that both counts are
equal and equal to a pinned number, as NetBox pins them in `utilities/testing/query_counts.py`:
a new query anywhere fails its pin, with the SQL listed.

Every request pays, before the view runs (included in the pins):
- 1 query: the token lookup (`ApiToken` joined to its user). `last_used_at` is written at most
  once a minute, so each test makes a warm-up request first and stretches that resolution;
- 2 statements: SAVEPOINT and RELEASE SAVEPOINT of `ATOMIC_REQUESTS` (inside the test's
  transaction).
"""

import datetime
from collections.abc import Callable
from datetime import timedelta
from functools import cached_property
from itertools import count as counter

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.models import Agreement, Interaction, Organization, Person, PillarTag, Tag
from events.models import Anniversary, CalendarFeed, Event, EventInteraction
from tests.factories import (
    AgreementFactory,
    AnniversaryFactory,
    CalendarFeedFactory,
    ContactPointFactory,
    CountryFactory,
    EventFactory,
    FollowUpFactory,
    InteractionFactory,
    OrganizationFactory,
    ParticipantFactory,
    PersonFactory,
    PositionFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
User = get_user_model()

BASE = "/api/v1"
PAGE = {"page_size": 100}
ROWS = 50
PAST, ENDED = datetime.date(2010, 1, 1), datetime.date(2012, 1, 1)
ASEAN = datetime.date(1967, 8, 8)
DUE = datetime.date(2026, 5, 1)

# Pinned counts, the request's own 3 statements included (see the module docstring). A list
# is 2 more (COUNT, page) plus one per prefetched relation; a detail 1 more plus the same.
# Every request also reads the caller's roles and units (2 queries, crm.access.Viewer).
LIST_QUERIES = {
    "countries": 7,
    "units": 7,
    "organizations": 11,  # + contact points, current positions (+ person), pillars, tags
    "people": 10,  # + contact points, current positions (+ organisation), tags
    "positions": 7,  # person and organisation joined
    # + participants (+ person), organisations, staff, pillars, follow-ups, the event it was at
    "interactions": 13,
    "follow-ups": 7,
    "agreements": 8,  # + parties
    "events": 11,  # country, unit joined; + organisations, people, staff, pillars
    "anniversaries": 7,  # country, organisation, agreement, unit joined
    "calendar-feeds": 7,
}
# The owner (with its own prefetches, 4 or 5), the page as in the interactions list (7), and
# the summary (span, by year, by kind, open follow-ups: 4).
HISTORY_QUERIES = {"people": 18, "organizations": 18}
# Events (+ organisations, pillars) and anniversaries: the page is cut from the merged list.
CALENDAR_QUERIES = 8  # 9 before the page was read alone (no prefetches, one COUNT)
DETAIL_QUERIES = {
    "countries": 6,
    "units": 6,
    "organizations": 10,
    "people": 9,
    "positions": 6,
    "interactions": 12,
    "follow-ups": 6,
    "agreements": 7,
    "events": 10,
}


@pytest.fixture
def client(api, monkeypatch):
    """The staff client, warmed up: its token's `last_used_at` is already written."""
    monkeypatch.setattr("api.authentication.LAST_USED_RESOLUTION", timedelta(days=365))
    assert api.get(f"{BASE}/units/").status_code == 200
    return api


def measure(client, url: str) -> tuple[list[str], dict]:
    """The SQL one GET of `url` runs, and its body."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, PAGE)
    assert response.status_code == 200, response.content
    return [query["sql"] for query in context.captured_queries], response.json()


def assert_constant(client, url: str, pinned: int, grow: Callable[[], None]):
    """Measure `url` as it is (1 row), `grow()` it to 50 rows, measure again."""
    one, one_body = measure(client, url)
    grow()
    many, many_body = measure(client, url)
    listing = "\n".join(many)
    assert len(one) == len(many), (
        f"{url}: {len(one)} queries with 1 row, {len(many)} with 50:\n{listing}"
    )
    assert len(many) == pinned, f"{url}: pinned at {pinned}, now {len(many)}:\n{listing}"
    return one_body, many_body


# ---------------------------------------------------------------------------------------------
# Rows that exercise every nested relation of their representation. They are built by the
# factories and inserted in bulk (no save(), no history rows): what is measured is the reading,
# and 50 rich rows take a few statements to write. Related rows that are not the subject of a
# test (the organisation of a position, a participant…) are shared.


def insert(rows: list) -> list:
    return type(rows[0]).objects.bulk_create(rows) if rows else rows


def link(relation, pairs) -> None:
    """Many-to-many rows for `relation` (e.g. `Person.tags`) from (owner, target) pairs."""
    field = relation.field
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    insert([relation.through(**{source: a, target: b}) for a, b in pairs])


class Shared:
    """Related rows built on first use, so that a list never counts one it did not ask for."""

    def __init__(self):
        self.codes = counter()

    @cached_property
    def cambodia(self):
        return CountryFactory(code="KH")

    @cached_property
    def unit(self):
        return UnitFactory()

    @cached_property
    def organization(self):
        return OrganizationFactory(country=self.cambodia)

    @cached_property
    def person(self):
        """Holds a position at every organisation built by `organizations()`, since 2020."""
        return PersonFactory(nationality=self.cambodia)

    @cached_property
    def interpreter(self):
        return PersonFactory(nationality=self.cambodia)

    @cached_property
    def user(self):
        return UserFactory()

    @cached_property
    def interaction(self):
        return InteractionFactory()

    @cached_property
    def event(self):
        return EventFactory()

    @cached_property
    def pillars(self):
        return list(PillarTag.objects.filter(code__in=["economic", "socio_cultural"]))

    @cached_property
    def tags(self):
        return tags(2)

    def country_code(self) -> str:
        n = next(self.codes)
        return chr(ord("A") + n // 26) + chr(ord("A") + n % 26)  # AA, AB, … BX


@pytest.fixture
def shared(db) -> Shared:
    return Shared()


def tags(count: int) -> list[Tag]:
    first = Tag.objects.count()
    return insert([Tag(name=f"nhãn {first + n}") for n in range(count)])


def countries(shared, count: int):
    return insert(
        [
            CountryFactory.build(code=shared.country_code(), asean_joined_on=ASEAN)
            for _ in range(count)
        ]
    )


def units(shared, count: int):
    return insert(UnitFactory.build_batch(count))


def people(shared, count: int) -> list[Person]:
    """Each with two contact points, a current and a past position, two tags."""
    rows = insert(
        PersonFactory.build_batch(count, nationality=shared.cambodia, owner_unit=shared.unit)
    )
    insert(
        [ContactPointFactory.build(person=p) for p in rows]
        + [ContactPointFactory.build(person=p, kind="phone", value="+85512345678") for p in rows]
    )
    insert(
        [PositionFactory.build(person=p, organization=shared.organization) for p in rows]
        + [
            PositionFactory.build(
                person=p, organization=shared.organization, start_date=PAST, end_date=ENDED
            )
            for p in rows
        ]
    )
    link(Person.tags, [(p, tag) for p in rows for tag in shared.tags])
    return rows


def organizations(shared, count: int) -> list[Organization]:
    """Each with a contact point, a current and a past person, two pillars, two tags."""
    rows = insert(
        OrganizationFactory.build_batch(count, country=shared.cambodia, owner_unit=shared.unit)
    )
    insert([ContactPointFactory.build(person=None, organization=o) for o in rows])
    insert(
        [PositionFactory.build(organization=o, person=shared.person) for o in rows]
        + [
            PositionFactory.build(
                organization=o, person=shared.person, start_date=PAST, end_date=ENDED
            )
            for o in rows
        ]
    )
    link(Organization.pillars, [(o, pillar) for o in rows for pillar in shared.pillars])
    link(Organization.tags, [(o, tag) for o in rows for tag in shared.tags])
    return rows


def positions(shared, count: int):
    return insert(
        PositionFactory.build_batch(count, person=shared.person, organization=shared.organization)
    )


def interactions(shared, count: int, *, person=None, organization=None) -> list[Interaction]:
    """Each with two participants (one with a role), an organisation, a member of staff, two
    pillars and two follow-ups."""
    rows = insert(InteractionFactory.build_batch(count, owner_unit=shared.unit))
    insert(
        [
            ParticipantFactory.build(
                interaction=i, person=person or shared.person, role="Trưởng đoàn"
            )
            for i in rows
        ]
        + [ParticipantFactory.build(interaction=i, person=shared.interpreter) for i in rows]
    )
    link(Interaction.organizations, [(i, organization or shared.organization) for i in rows])
    link(Interaction.staff, [(i, shared.user) for i in rows])
    link(Interaction.pillars, [(i, pillar) for i in rows for pillar in shared.pillars])
    insert(
        [FollowUpFactory.build(interaction=i, due_on=DUE, assignee=shared.user) for i in rows]
        + [FollowUpFactory.build(interaction=i, status="cancelled") for i in rows]
    )
    insert([EventInteraction(interaction=i, event=shared.event) for i in rows])
    return rows


def follow_ups(shared, count: int):
    return insert(
        FollowUpFactory.build_batch(
            count, interaction=shared.interaction, assignee=shared.user, due_on=DUE
        )
    )


def agreements(shared, count: int) -> list[Agreement]:
    """Each with two parties."""
    rows = insert(AgreementFactory.build_batch(count, owner_unit=shared.unit))
    other = OrganizationFactory(country=shared.cambodia)
    link(Agreement.parties, [(a, o) for a in rows for o in (shared.organization, other)])
    return rows


def events(shared, count: int) -> list[Event]:
    """Each with two organisations, a person, a member of staff and two pillars; one
    interaction of the first happened at it."""
    rows = insert(EventFactory.build_batch(count, owner_unit=shared.unit, country=shared.cambodia))
    other = OrganizationFactory(country=shared.cambodia)
    link(Event.organizations, [(e, o) for e in rows for o in (shared.organization, other)])
    link(Event.people, [(e, shared.person) for e in rows])
    link(Event.staff, [(e, shared.user) for e in rows])
    link(Event.pillars, [(e, pillar) for e in rows for pillar in shared.pillars])
    return rows


def anniversaries(shared, count: int) -> list[Anniversary]:
    return insert(
        AnniversaryFactory.build_batch(
            count, country=shared.cambodia, organization=shared.organization, owner_unit=shared.unit
        )
    )


def calendar_feeds(shared, count: int) -> list[CalendarFeed]:
    owner = User.objects.get(username="officer")
    feeds = []
    for _ in range(count):
        feed = CalendarFeedFactory.build(owner=owner, country=shared.cambodia, unit=shared.unit)
        feed.set_token()
        feeds.append(feed)
    return insert(feeds)


BUILDERS: dict[str, Callable[[Shared, int], list]] = {
    "countries": countries,
    "units": units,
    "organizations": organizations,
    "people": people,
    "positions": positions,
    "interactions": interactions,
    "follow-ups": follow_ups,
    "agreements": agreements,
    "events": events,
    "anniversaries": anniversaries,
    "calendar-feeds": calendar_feeds,
}


# ---------------------------------------------------------------------------------------------
# Lists


@pytest.mark.parametrize("endpoint", list(LIST_QUERIES))
def test_list(client, shared, endpoint):
    build = BUILDERS[endpoint]
    build(shared, 1)
    one, many = assert_constant(
        client, f"{BASE}/{endpoint}/", LIST_QUERIES[endpoint], lambda: build(shared, ROWS - 1)
    )
    assert one["count"] == 1
    assert many["count"] == len(many["results"]) == ROWS


def test_lists_render_the_nested_rows(client, shared):
    """The rows built above carry what the counts are about (no relation silently empty)."""
    ids = {endpoint: BUILDERS[endpoint](shared, 1)[0].pk for endpoint in BUILDERS}
    rows = {}
    for endpoint, pk in ids.items():
        results = client.get(f"{BASE}/{endpoint}/", PAGE).json()["results"]
        rows[endpoint] = next(row for row in results if row["id"] == pk)
    person = rows["people"]
    assert len(person["contact_points"]) == len(person["tags"]) == 2
    assert [p["organization"]["id"] for p in person["current_positions"]] == [
        shared.organization.pk
    ]
    organization = rows["organizations"]
    assert [p["person"]["id"] for p in organization["current_people"]] == [shared.person.pk]
    assert len(organization["contact_points"]) == 1
    assert organization["pillars"] == ["economic", "socio_cultural"]
    assert len(organization["tags"]) == 2
    interaction = rows["interactions"]
    assert [p["role"] for p in interaction["people"]] == ["Trưởng đoàn", ""]
    assert len(interaction["organizations"]) == len(interaction["staff"]) == 1
    assert len(interaction["pillars"]) == len(interaction["follow_ups"]) == 2
    assert len(rows["agreements"]["parties"]) == 2
    assert interaction["event"]["id"] == shared.event.pk
    event = rows["events"]
    assert len(event["organizations"]) == 2 and len(event["pillars"]) == 2
    assert len(event["people"]) == len(event["staff"]) == 1
    assert rows["positions"]["person"]["id"] == shared.person.pk
    assert rows["follow-ups"]["assignee"] == shared.user.pk


# ---------------------------------------------------------------------------------------------
# Contact histories


def test_person_history(client, shared):
    person = people(shared, 1)[0]
    interactions(shared, 1, person=person)
    url = f"{BASE}/people/{person.pk}/contact-history/"
    one, many = assert_constant(
        client,
        url,
        HISTORY_QUERIES["people"],
        lambda: interactions(shared, ROWS - 1, person=person),
    )
    assert one["count"] == one["summary"]["count"] == 1
    assert many["count"] == len(many["results"]) == many["summary"]["count"] == ROWS
    assert len(many["summary"]["open_follow_ups"]) == ROWS


def test_organization_history(client, shared):
    organization = organizations(shared, 1)[0]
    member = shared.person  # in post there since 2020; the interactions are of 2026
    interactions(shared, 1, organization=organization)

    def grow():
        interactions(shared, 25, organization=organization)
        interactions(shared, ROWS - 26, person=member)  # through its people

    url = f"{BASE}/organizations/{organization.pk}/contact-history/"
    one, many = assert_constant(client, url, HISTORY_QUERIES["organizations"], grow)
    assert one["count"] == 1
    assert many["count"] == len(many["results"]) == many["summary"]["count"] == ROWS


# ---------------------------------------------------------------------------------------------
# Details: an object with 1 nested row of each kind (or 2, as built above), then with 50


def detail_person(shared):
    person = people(shared, 1)[0]

    def grow():
        insert(ContactPointFactory.build_batch(ROWS - 2, person=person))
        insert(
            PositionFactory.build_batch(ROWS - 1, person=person, organization=shared.organization)
        )
        link(Person.tags, [(person, tag) for tag in tags(ROWS - 2)])

    def check(body):
        assert len(body["contact_points"]) == len(body["current_positions"]) == ROWS
        assert len(body["tags"]) == ROWS

    return f"people/{person.pk}", grow, check


def detail_organization(shared):
    organization = organizations(shared, 1)[0]

    def grow():
        insert(ContactPointFactory.build_batch(ROWS - 1, person=None, organization=organization))
        insert(
            PositionFactory.build_batch(ROWS - 1, organization=organization, person=shared.person)
        )
        link(Organization.tags, [(organization, tag) for tag in tags(ROWS - 2)])

    def check(body):
        assert len(body["contact_points"]) == len(body["current_people"]) == ROWS
        assert len(body["tags"]) == ROWS

    return f"organizations/{organization.pk}", grow, check


def detail_interaction(shared):
    interaction = interactions(shared, 1)[0]

    def grow():
        guests = insert(PersonFactory.build_batch(ROWS - 2, nationality=shared.cambodia))
        insert(
            [
                ParticipantFactory.build(interaction=interaction, person=p, role="Phiên dịch")
                for p in guests
            ]
        )
        others = insert(OrganizationFactory.build_batch(ROWS - 1, country=shared.cambodia))
        link(Interaction.organizations, [(interaction, o) for o in others])
        staff = insert(UserFactory.build_batch(ROWS - 1))
        link(Interaction.staff, [(interaction, user) for user in staff])
        insert(FollowUpFactory.build_batch(ROWS - 2, interaction=interaction))

    def check(body):
        assert len(body["people"]) == len(body["follow_ups"]) == ROWS
        assert len(body["organizations"]) == len(body["staff"]) == ROWS

    return f"interactions/{interaction.pk}", grow, check


def detail_agreement(shared):
    agreement = agreements(shared, 1)[0]

    def grow():
        others = insert(OrganizationFactory.build_batch(ROWS - 2, country=shared.cambodia))
        link(Agreement.parties, [(agreement, o) for o in others])

    def check(body):
        assert len(body["parties"]) == ROWS

    return f"agreements/{agreement.pk}", grow, check


def detail_event(shared):
    event = events(shared, 1)[0]

    def grow():
        others = insert(OrganizationFactory.build_batch(ROWS - 2, country=shared.cambodia))
        link(Event.organizations, [(event, o) for o in others])
        guests = insert(PersonFactory.build_batch(ROWS - 1, nationality=shared.cambodia))
        link(Event.people, [(event, p) for p in guests])

    def check(body):
        assert len(body["organizations"]) == len(body["people"]) == ROWS

    return f"events/{event.pk}", grow, check


def detail_flat(endpoint: str):
    """A representation without nested lists: pinned all the same; the table grows to 50."""

    def setup(shared):
        row = BUILDERS[endpoint](shared, 1)[0]
        key = row.code if endpoint == "countries" else row.pk
        return f"{endpoint}/{key}", lambda: BUILDERS[endpoint](shared, ROWS - 1), lambda body: None

    return setup


DETAILS = {
    "countries": detail_flat("countries"),
    "units": detail_flat("units"),
    "organizations": detail_organization,
    "people": detail_person,
    "positions": detail_flat("positions"),
    "interactions": detail_interaction,
    "follow-ups": detail_flat("follow-ups"),
    "agreements": detail_agreement,
    "events": detail_event,
}


@pytest.mark.parametrize("endpoint", list(DETAIL_QUERIES))
def test_detail(client, shared, endpoint):
    path, grow, check = DETAILS[endpoint](shared)
    _one, many = assert_constant(client, f"{BASE}/{path}/", DETAIL_QUERIES[endpoint], grow)
    check(many)


# ---------------------------------------------------------------------------------------------
# The calendar: events and occurrences in one list


def test_calendar(client, shared):
    """A year of the calendar: one event and one anniversary, then 50 of each."""
    window = "/api/v1/calendar/?from=2027-01-01&to=2027-12-31"
    events(shared, 1)
    anniversaries(shared, 1)

    def grow():
        events(shared, ROWS - 1)
        anniversaries(shared, ROWS - 1)

    one, many = assert_constant(client, window, CALENDAR_QUERIES, grow)
    assert one["count"] == 2
    assert many["count"] == 2 * ROWS
