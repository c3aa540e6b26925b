"""No lost update on PostgreSQL: real threads, each with its own connection, sending the same
write at once. `contacts.services.save_record` locks the row it changes and re-reads it
first, so replacements (contact points, participants, tags, pillars and other relations)
take turns whole; a new tag named by several requests at once is created once; of writers
offering the same ETag one wins and the others get 412.

PostgreSQL only: the test run's SQLite database lives in shared-cache memory, where threads
lock tables rather than wait; concurrent writers on SQLite are tested through the real servers
on a file database (tests/servers/test_concurrency.py).
"""

import threading
from collections.abc import Callable

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient

from api.models import ApiToken
from contacts.models import Organization, Person, Tag
from tests.factories import (
    AgreementFactory,
    CountryFactory,
    EventFactory,
    InteractionFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="real concurrent transactions need PostgreSQL (SQLite: tests/servers)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS = 4
ROUNDS = 3
SECONDS = 30


@pytest.fixture
def key() -> str:
    manager = UserFactory(role="manager")  # edits, and archives on DELETE
    _token, key = ApiToken.issue(manager, scopes=["read", "write", "personal-data"])
    return key


def at_once(key: str, requests: list[tuple[str, str, dict, dict]]) -> list:
    """Send each (method, url, data, headers) from its own thread and database connection,
    released together by a barrier; the responses, in order."""
    barrier = threading.Barrier(len(requests), timeout=SECONDS)
    responses: list = [None] * len(requests)

    def run(index: int, method: str, url: str, data: dict, headers: dict) -> None:
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        try:
            barrier.wait()
            send: Callable = getattr(client, method.lower())
            responses[index] = send(url, data, format="json", **headers)
        except Exception as error:  # reported as the response
            responses[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(i, *request), daemon=True)
        for i, request in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(SECONDS * 2)
    assert not any(thread.is_alive() for thread in threads), "a request did not finish"
    return responses


def codes(responses) -> list:
    return [getattr(response, "status_code", repr(response)) for response in responses]


def test_the_same_new_tags_from_concurrent_creates_are_created_once(key):
    """People and organisations naming the same new tags at once: every create lands, each
    tag is one row (the unique index decides; the losing insert takes the winner's row)."""
    CountryFactory(code="KH")
    person = {"full_name_native": "Sok", "name_vi": "Xốc", "category": "counterpart_official"}
    organization = {
        "name_native": "ស្ថាប័ន",
        "name_vi": "Sở",
        "kind": "counterpart_province",
        "country": "KH",
    }
    for round_ in range(ROUNDS):  # races are won by timing: give them a few chances
        names = [f"cùng lúc {round_}", f"kết nghĩa {round_}"]
        requests = [("POST", "/api/v1/people/", person | {"tags": names}, {})] * THREADS + [
            ("POST", "/api/v1/organizations/", organization | {"tags": names}, {})
        ] * 2
        responses = at_once(key, requests)
        assert codes(responses) == [201] * len(requests), [getattr(r, "data", r) for r in responses]
        assert Tag.objects.filter(name__in=names).count() == 2
        assert Person.objects.filter(tags__name=names[0]).count() == THREADS
        assert Organization.objects.filter(tags__name=names[1]).count() == 2


def pillars(n: int) -> dict:
    return {"pillars": [("political_security", "economic", "socio_cultural")[n % 3]]}


# (endpoint, factory, the replacement thread n sends, what is left of it on the row)
REPLACEMENTS = [
    (
        "people",
        PersonFactory,
        lambda n: {"contact_points": [{"kind": "phone", "value": f"043 944 44{n}"}]},
        lambda row: row.contact_points.count(),
    ),
    (
        "organizations",
        OrganizationFactory,
        lambda n: {"contact_points": [{"kind": "email", "value": f"so{n}@example.org"}]},
        lambda row: row.contact_points.count(),
    ),
    ("people", PersonFactory, lambda n: {"tags": [f"nhãn {n}"]}, lambda row: row.tags.count()),
    ("organizations", OrganizationFactory, pillars, lambda row: row.pillars.count()),
    (
        "interactions",
        InteractionFactory,
        lambda n: {"people": [PersonFactory().pk]},
        lambda row: row.participants.count(),
    ),
    (
        "interactions",
        InteractionFactory,
        lambda n: {"organizations": [OrganizationFactory().pk]},
        lambda row: row.organizations.count(),
    ),
    (
        "events",
        EventFactory,
        lambda n: {"people": [PersonFactory().pk]},
        lambda row: row.people.count(),
    ),
    (
        "agreements",
        AgreementFactory,
        lambda n: {"parties": [OrganizationFactory().pk]},
        lambda row: row.parties.count(),
    ),
]


def test_concurrent_replacements_take_turns_whole(key):
    """Each PATCH replaces a list with one item, without If-Match: all succeed, one after
    the other, and one item is left (never the union of what was sent). One test over every
    kind of replacement: each transactional test costs a flush of the database."""
    CountryFactory(code="KH")
    for endpoint, factory, replacement, left in REPLACEMENTS:
        row = factory()
        url = f"/api/v1/{endpoint}/{row.pk}/"
        requests = [("PATCH", url, replacement(n), {}) for n in range(THREADS)]
        responses = at_once(key, requests)
        case = (endpoint, replacement(0))
        assert codes(responses) == [200] * THREADS, (
            case,
            [getattr(r, "data", r) for r in responses],
        )
        assert left(type(row).objects.get(pk=row.pk)) == 1, case


def test_concurrent_patches_of_different_fields_keep_both(key):
    """A PATCH writes what it was sent onto the row as it is under the lock, not onto what it
    read before another writer committed."""
    for round_ in range(ROUNDS):
        person = PersonFactory(notes="", honorific="")
        url = f"/api/v1/people/{person.pk}/"
        notes, honorific = {"notes": f"ghi chú {round_}"}, {"honorific": f"Ông {round_}"}
        requests = [("PATCH", url, notes, {}), ("PATCH", url, honorific, {})] * (THREADS // 2)
        assert codes(at_once(key, requests)) == [200] * len(requests)
        person.refresh_from_db()
        assert (person.notes, person.honorific) == (notes["notes"], honorific["honorific"])


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_writers_offering_the_same_etag_one_wins(key, method):
    person = PersonFactory()
    url = f"/api/v1/people/{person.pk}/"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    etag = client.get(url)["ETag"]
    requests = [
        (method, url, {"notes": f"người thứ {n}"} if method == "PATCH" else {}, {})
        for n in range(THREADS)
    ]
    requests = [(m, u, d, {"HTTP_IF_MATCH": etag}) for m, u, d, _h in requests]
    responses = at_once(key, requests)
    won = 200 if method == "PATCH" else 204
    assert sorted(codes(responses)) == [won] + [412] * (THREADS - 1)
    if method == "PATCH":
        winner = next(r for r in responses if r.status_code == 200).data["notes"]
        assert Person.objects.get(pk=person.pk).notes == winner
    else:
        assert Person.objects.get(pk=person.pk).archived_at is not None
