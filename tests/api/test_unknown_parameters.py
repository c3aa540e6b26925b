"""A query parameter the route does not take answers 400 naming it, on every route and
method (lists, details, actions, the calendar, briefings, changes, tokens, feeds): a misspelt
or unsupported filter (`follow-ups/?overdue=true` before that filter existed) once answered
every row as if it were no filter at all. Every parameter the schema documents is taken."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from api.models import ApiToken
from tests.api.routes import concrete_url, json_api_routes, one_row_of_each
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

UNKNOWN = "Unknown parameter"


@pytest.fixture
def admin_client() -> APIClient:
    user = UserFactory(role="administrator")
    _token, key = ApiToken.issue(user, scopes=["read", "write", "personal-data"])
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    client.user = user
    return client


@pytest.fixture
def rows(admin_client) -> dict[str, object]:
    return one_row_of_each(admin_client.user)


def call(client: APIClient, method: str, url: str, params: dict):
    query = "&".join(f"{name}={value}" for name, value in params.items())
    return getattr(client, method.lower())(f"{url}?{query}", format="json")


@pytest.mark.parametrize("route", json_api_routes(), ids=lambda route: route.template)
def test_every_route_and_method_names_unknown_parameters(admin_client, rows, route):
    url = concrete_url(route, rows) if route.parameters else route.template
    for method in sorted(route.methods):
        response = call(admin_client, method, url, {"overdue_typo": "true", "sort": "x"})
        assert response.status_code == 400, (method, url, response.content)
        body = response.json()
        assert set(body) == {"overdue_typo", "sort"}, (method, url, body)
        assert UNKNOWN in body["sort"][0]


def test_nothing_is_changed_by_a_write_with_an_unknown_parameter(admin_client, rows):
    url = f"/api/v1/organizations/{rows['organizations']}/"
    response = admin_client.delete(f"{url}?confirm=yes")
    assert response.status_code == 400
    assert admin_client.get(url).status_code == 200  # not archived


def test_unauthenticated_callers_get_401_first():
    response = APIClient().get("/api/v1/people/?nonsense=1")
    assert response.status_code == 401


def test_the_message_is_vietnamese_by_default(admin_client):
    response = admin_client.get("/api/v1/people/?xyz=1", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    assert "Tham số" in response.json()["xyz"][0]


@given(
    names=st.lists(
        st.from_regex(r"[a-z_]{1,12}", fullmatch=True), min_size=1, max_size=3, unique=True
    ),
    resource=st.sampled_from(["people", "follow-ups", "events", "countries", "tokens"]),
)
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_any_undeclared_name_is_named_and_declared_ones_are_not(admin_client, names, resource):
    response = admin_client.get(f"/api/v1/{resource}/?" + "&".join(f"{n}=" for n in names))
    if response.status_code == 200:
        return  # every name happened to be one the list takes
    assert response.status_code == 400, response.content
    body = response.json()
    for name, messages in body.items():
        assert name in names
        assert UNKNOWN in messages[0]
    known = set(re.search(r"takes: (.*)\.$", next(iter(body.values()))[0])[1].split(", "))
    assert set(body) == set(names) - known


def documented_query_parameters(schema: dict):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
            if names:
                yield path, method, names


def test_every_documented_parameter_is_taken(admin_client, rows):
    schema = admin_client.get("/api/schema/", {"format": "json"}).json()
    checked = 0
    for path, method, names in documented_query_parameters(schema):
        if not path.startswith("/api/v1/") or method != "get":
            continue
        resource = path.split("{", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        url = re.sub(r"\{[a-z_]+\}", str(rows.get(resource, "")), path)
        for name in names:
            response = admin_client.get(url, {name: "1"})
            if response.status_code == 400:
                assert UNKNOWN not in str(response.json().get(name)), (path, name)
            checked += 1
    assert checked > 100
