"""The changes feed: complete, never twice, and only what the caller may see.

On PostgreSQL the feed serves only changes of transactions older than every transaction still
in flight, so a test that reads the feed from inside its own open transaction would see
nothing: these tests commit their data (`transaction=True`).
"""

import threading

import pytest
from django.db import connection, transaction

from api.models import ApiToken
from contacts.models import Confidentiality, Interaction, Person
from tests.factories import (
    CountryFactory,
    InteractionFactory,
    PersonFactory,
    UnitFactory,
    UserFactory,
)

URL = "/api/v1/changes/"


def follow(client, after: str | None = None, limit: int = 7) -> tuple[list[dict], str]:
    """Read the whole feed from `after` in small pages, as a polling consumer does."""
    seen, cursor = [], after
    while True:
        params = {"limit": limit} | ({"after": cursor} if cursor else {})
        body = client.get(URL, params).json()
        seen += body["results"]
        if body["next"] == cursor or not body["results"] and body["next"] == cursor:
            return seen, cursor
        cursor = body["next"]


def replay(changes: list[dict]) -> dict[str, set[str]]:
    """What a consumer holds after applying the feed in order."""
    held: dict[str, set[str]] = {}
    for change in changes:
        ids = held.setdefault(change["type"], set())
        if change["action"] in {"create", "update", "restore"}:
            ids.add(change["id"])
        else:
            ids.discard(change["id"])
    return held


def listed(client, resource: str) -> set[str]:
    body = client.get(f"/api/v1/{resource}/", {"page_size": 500}).json()
    return {str(row["id"]) for row in body["results"]}


def token_client(user, scopes):
    from rest_framework.test import APIClient

    _token, key = ApiToken.issue(user, scopes=scopes)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def history(django_db_serialized_rollback, transactional_db):
    """Creates, edits, archives, restores, confidentiality changes and a purge."""
    unit = UnitFactory()
    editor = UserFactory(role="administrator", units=[unit])
    kept = PersonFactory()
    archived = PersonFactory()
    restored = PersonFactory()
    public = InteractionFactory(confidentiality=Confidentiality.PUBLIC, owner_unit=unit)
    became_internal = InteractionFactory(confidentiality=Confidentiality.PUBLIC, owner_unit=unit)
    restricted = InteractionFactory(confidentiality=Confidentiality.RESTRICTED, owner_unit=unit)
    purged = InteractionFactory(confidentiality=Confidentiality.PUBLIC)

    from contacts import services

    kept.name_vi = "Đổi tên"
    kept.save()
    services.archive(archived, user=editor)
    services.archive(restored, user=editor)
    services.restore(restored, user=editor)
    became_internal.confidentiality = Confidentiality.INTERNAL
    became_internal.save()
    services.archive(purged, user=editor)
    services.purge(purged, user=editor)
    return {"unit": unit, "public": public, "restricted": restricted, "internal": became_internal}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_consumer_from_the_start_holds_exactly_what_the_lists_show(api, history):
    changes, _cursor = follow(api)
    held = replay(changes)
    assert held["person"] == listed(api, "people")
    assert held["interaction"] == listed(api, "interactions")
    assert len({(c["type"], c["id"], c["changed_at"], c["action"]) for c in changes}) == len(
        changes
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_public_only_sees_public_records_and_removals_of_once_public_ones(history):
    pipeline = token_client(UserFactory(role="administrator"), ["public-only"])
    changes, _cursor = follow(pipeline)
    interactions = [c for c in changes if c["type"] == "interaction"]
    ids = {c["id"] for c in interactions}
    assert str(history["restricted"].pk) not in ids  # never public: never mentioned
    assert replay(changes)["interaction"] == {str(history["public"].pk)}
    last_internal = [c for c in interactions if c["id"] == str(history["internal"].pk)][-1]
    assert last_internal["action"] == "removed"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_viewer_of_another_unit_never_hears_of_a_restricted_interaction(history):
    viewer = token_client(UserFactory(role="viewer", units=[UnitFactory()]), ["read"])
    changes, _cursor = follow(viewer)
    restricted = str(history["restricted"].pk)
    assert restricted not in {c["id"] for c in changes if c["type"] == "interaction"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_cursor_resumes_without_repeats(api, history):
    first, cursor = follow(api)
    again, _same = follow(api, after=cursor)
    assert again == []
    PersonFactory(name_vi="Mới")
    later, _next = follow(api, after=cursor)
    assert [c["action"] for c in later] == ["create"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    ("params", "field"), [({"after": "nonsense"}, "after"), ({"limit": "0"}, "limit")]
)
def test_bad_parameters_are_400(api, params, field):
    response = api.get(URL, params)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_late_commit_is_never_skipped_by_concurrent_writers(api):
    """Writer A takes its place in the log first but commits last; writer B commits in
    between. A consumer reading between the two commits must not move past A's change."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions: PostgreSQL only (SQLite has one writer)")
    country = CountryFactory(code="KH")  # committed first: the writers only add people
    a_wrote, b_done, consumer_read = threading.Event(), threading.Event(), threading.Event()
    errors = []

    def writer_a():
        try:
            with transaction.atomic():
                PersonFactory(name_vi="A", nationality=country)
                a_wrote.set()
                assert consumer_read.wait(10)
        except Exception as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    def writer_b():
        try:
            assert a_wrote.wait(10)
            with transaction.atomic():
                PersonFactory(name_vi="B", nationality=country)
        except Exception as exc:
            errors.append(exc)
        finally:
            b_done.set()
            connection.close()

    threads = [threading.Thread(target=writer_a), threading.Thread(target=writer_b)]
    for thread in threads:
        thread.start()
    assert b_done.wait(10)
    during, cursor = follow(api)
    consumer_read.set()
    for thread in threads:
        thread.join(10)
    assert not errors, errors
    after, _cursor = follow(api, after=cursor)

    names = dict(Person.objects.values_list("pk", "name_vi"))
    during_names = [names[int(c["id"])] for c in during if c["type"] == "person"]
    after_names = [names[int(c["id"])] for c in after if c["type"] == "person"]
    assert during_names == []  # B is held back while the older A is in flight
    assert sorted(after_names) == ["A", "B"]  # then both, once each


def test_feed_types_cover_the_domain():
    from api.changes import feed_models

    assert set(feed_models()) == {
        "country", "unit", "organization", "person", "position", "interaction", "follow-up",
        "agreement", "event", "anniversary",
    }  # fmt: skip
    assert feed_models()["interaction"] is Interaction
