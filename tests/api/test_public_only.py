"""Public-only tokens (the publishing pipeline) never see a staff account: not the staff of an
interaction or event, not an assignee, not who changed a row in its revisions, not an owner;
neither their ids nor their usernames nor their names. One rule (`api.serializers.
ACCOUNT_FIELDS`, `Viewer.sees_internal` in briefings), checked here over every route a
public-only token can read, in every format it can read it in."""

import json

import pytest
from rest_framework.test import APIClient

from api.models import ApiToken
from api.serializers import ACCOUNT_FIELDS
from tests.api.routes import concrete_url, json_api_routes
from tests.factories import (
    AnniversaryFactory,
    CountryFactory,
    OrganizationFactory,
    PersonFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Names no other text of the fixtures holds, so that finding one anywhere is a leak.
ACCOUNTS = [
    ("acct-writer-qz", "Quyzer", "Wroxt"),
    ("acct-staffer-kv", "Kivvel", "Stoph"),
    ("acct-assignee-jx", "Jaxom", "Assix"),
]


def client_for(user, scopes: list[str]) -> APIClient:
    _token, key = ApiToken.issue(user, scopes=scopes)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def world() -> dict:
    """Public rows written through the API by a named editor (so that revisions name them),
    with named staff and a named assignee."""
    writer, staffer, assignee = (
        UserFactory(username=u, first_name=f, last_name=last, role="editor")
        for u, f, last in ACCOUNTS
    )
    api = client_for(writer, ["read", "write", "personal-data"])
    country = CountryFactory(code="KH")
    unit = UnitFactory()
    unit.members.add(writer)
    organization = OrganizationFactory(country=country, owner_unit=unit)
    person = PersonFactory(nationality=country)
    ok = {200, 201}

    def write(method: str, url: str, body: dict) -> dict:
        response = api.generic(method, url, json.dumps(body), content_type="application/json")
        assert response.status_code in ok, (url, response.content)
        return response.json()

    write("PATCH", f"/api/v1/organizations/{organization.pk}/", {"name_en": "Renamed"})
    write("PATCH", f"/api/v1/people/{person.pk}/", {"name_latin": "Renamed"})
    position = write(
        "POST",
        "/api/v1/positions/",
        {
            "person": person.pk,
            "organization": organization.pk,
            "title": "Giám đốc",
            "start_date": "2020-01-01",
        },
    )
    event = write(
        "POST",
        "/api/v1/events/",
        {
            "title_vi": "Hội nghị",
            "kind": "conference",
            "start_date": "2027-03-10",
            "visibility": "public",
            "country": "KH",
            "staff": [staffer.pk],
            "organizations": [organization.pk],
            "people": [person.pk],
        },
    )
    interaction = write(
        "POST",
        "/api/v1/interactions/",
        {
            "occurred_on": "2026-11-16",
            "kind": "meeting",
            "subject": "Làm việc",
            "confidentiality": "public",
            "staff": [staffer.pk, writer.pk],
            "organizations": [organization.pk],
            "people": [person.pk],
            "event": event["id"],
        },
    )
    follow_up = write(
        "POST",
        "/api/v1/follow-ups/",
        {"interaction": interaction["id"], "action": "Gửi thư", "assignee": assignee.pk},
    )
    agreement = write(
        "POST",
        "/api/v1/agreements/",
        {
            "title": "Biên bản",
            "kind": "mou",
            "confidentiality": "public",
            "parties": [organization.pk],
        },
    )
    anniversary = AnniversaryFactory(country=country, visibility="public")
    reader = UserFactory(username="acct-reader-public", role="viewer")
    return {
        "rows": {
            "countries": "KH",
            "units": unit.pk,
            "organizations": organization.pk,
            "people": person.pk,
            "positions": position["id"],
            "interactions": interaction["id"],
            "follow-ups": follow_up["id"],
            "agreements": agreement["id"],
            "events": event["id"],
            "anniversaries": anniversary.pk,
            "calendar-feeds": 1,
            "tokens": 1,
        },
        "public": client_for(reader, ["public-only"]),
        "internal": client_for(reader, ["read"]),
        "account_ids": {writer.pk, staffer.pk, assignee.pk},
    }


def account_keys(value, path="") -> list[str]:
    """Paths of keys naming an account, anywhere in a JSON document."""
    found = []
    if isinstance(value, dict):
        for key, child in value.items():
            if key in ACCOUNT_FIELDS:
                found.append(f"{path}/{key}")
            found += account_keys(child, f"{path}/{key}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += account_keys(child, f"{path}/{index}")
    return found


def readable(client, rows) -> tuple[dict[str, bytes], dict[str, object]]:
    """Every GET route's body that `client` may read (200), in every format it offers; and
    those that are JSON, parsed."""
    bodies, json_bodies = {}, {}
    for route in json_api_routes():
        if "GET" not in route.methods:
            continue
        url = concrete_url(route, rows) if route.parameters else route.template
        formats = ["json", "md", "html"] if "/briefings/" in route.template else [None]
        for fmt in formats:
            response = client.get(url, {"format": fmt} if fmt else {})
            if response.status_code == 200:
                bodies[f"{url}?format={fmt}"] = response.content
                if response["Content-Type"] == "application/json":
                    json_bodies[f"{url}?format={fmt}"] = response.json()
    return bodies, json_bodies


def test_no_account_reaches_a_public_only_token(world):
    bodies, documents = readable(world["public"], world["rows"])
    # The public rows, their revisions, briefings and feeds are read, not refused.
    for expected in (
        "/api/v1/interactions/",
        f"/api/v1/interactions/{world['rows']['interactions']}/",
        f"/api/v1/interactions/{world['rows']['interactions']}/revisions/",
        f"/api/v1/events/{world['rows']['events']}/",
        f"/api/v1/organizations/{world['rows']['organizations']}/revisions/",
        f"/api/v1/people/{world['rows']['people']}/contact-history/",
        f"/api/v1/briefings/organizations/{world['rows']['organizations']}/",
        "/api/v1/changes/",
    ):
        assert any(url.startswith(expected + "?") for url in bodies), expected
    for url, body in bodies.items():
        text = body.decode()
        for username, first, last in ACCOUNTS:
            for name in (username, first, last):
                assert name not in text, (url, name)
    for url, document in documents.items():
        assert not account_keys(document), (url, account_keys(document))


def test_the_same_rows_name_them_for_staff(world):
    """The check above can fail: with the read scope, the same reader sees who took part."""
    bodies, documents = readable(world["internal"], world["rows"])
    seen = "".join(body.decode() for body in bodies.values())
    for username, first, _last in ACCOUNTS:
        assert username in seen or first in seen, username
    interaction = json.loads(
        bodies[f"/api/v1/interactions/{world['rows']['interactions']}/?format=None"]
    )
    assert {user["username"] for user in interaction["staff"]} == {
        "acct-staffer-kv",
        "acct-writer-qz",
    }


def test_public_only_revisions_keep_their_changes_without_who(world):
    public = world["public"]
    url = f"/api/v1/interactions/{world['rows']['interactions']}/revisions/"
    revisions = public.get(url).json()["results"]
    assert revisions and all("changed_by" not in revision for revision in revisions)
    assert any(revision["changes"] for revision in revisions)


def test_no_user_object_in_a_public_only_document(world):
    """No object shaped like an account (a username) anywhere, under any key."""
    _bodies, documents = readable(world["public"], world["rows"])
    for url, document in documents.items():
        assert '"username"' not in json.dumps(document), url
