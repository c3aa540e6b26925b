"""Generated requests against the served OpenAPI contract (`/api/schema/`): valid and invalid
input for every operation of the schema, whatever it holds (new endpoints are covered as
they are added), checked for no 5xx, for statuses the operation documents and for bodies that
match the schema.

Bounded to stay well under two minutes on each database: a fixed number of examples per
operation (fewer for the writes), derandomised so that a run is reproducible; the data is
this test's own (made by the factories, rolled back afterwards).
"""

import functools
import json
import re
import zlib

import pytest
import schemathesis
from django.core import signals
from django.core.cache import caches
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import RequestFactory
from drf_spectacular.views import SpectacularAPIView
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from api.models import ApiToken
from events.models import EventInteraction
from tests.factories import (
    AgreementFactory,
    CountryFactory,
    EventFactory,
    FollowUpFactory,
    ParticipantFactory,
    PositionFactory,
    UnitFactory,
    UserFactory,
)

SAFE_EXAMPLES = 10  # per GET operation
UNSAFE_EXAMPLES = 5  # per POST/PUT/PATCH/DELETE operation
# No 5xx; every status answered is one the operation documents; every body matches its schema.
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]

CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {
            "mode": "all",  # positive and negative (invalid) input
            "deterministic": True,
            "with-security-parameters": False,  # we send a real token instead
        },
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    }
)


@pytest.fixture
def admin_headers(db) -> dict[str, str]:
    user = UserFactory(username="schema-admin", role="administrator")
    _token, key = ApiToken.issue(user, scopes=["read", "write", "personal-data"])
    return {"Authorization": f"Token {key}", "Accept-Language": "en"}


@pytest.fixture
def rows(db) -> None:
    """One row of each kind, linked the way real data is."""
    CountryFactory(code="KH")
    position = PositionFactory(organization__owner_unit=UnitFactory())
    participant = ParticipantFactory(person=position.person)
    FollowUpFactory(interaction=participant.interaction)
    # An interaction at an event: its `event` is served as the event's short form.
    EventInteraction.objects.create(interaction=participant.interaction, event=EventFactory())
    AgreementFactory()


def served_schema() -> dict:
    """What `/api/schema/?format=json` serves, from its own view: at collection the database is
    out of bounds, so the view is called without the per-request transaction (the test below
    proves the whole stack serves the same document)."""
    request = RequestFactory().get("/api/schema/", {"format": "json"})
    response = SpectacularAPIView.as_view()(request)
    return json.loads(response.render().content)


@functools.cache
def django_app():
    # Built on first use, not at import: middleware reads the settings the test run sets
    # (plain http: no https redirect).
    return get_wsgi_application()


def app(environ, start_response):
    """The application in-process (WSGI), so requests run in the test's own transaction."""
    return django_app()(environ, start_response)


schema = schemathesis.openapi.from_dict(served_schema(), config=CONFIG)
schema.app = app


@pytest.mark.django_db
def test_the_schema_tested_is_the_one_served(api):
    assert api.get("/api/schema/", {"format": "json"}).json() == served_schema()


@pytest.fixture(autouse=True)
def _in_process(settings):
    """As Django's test client does: the test host is allowed, and the end of a request does not
    close the database connection (it holds the test's transaction)."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def real_ids(rows, admin_headers):
    """The id of one visible row of a list endpoint, read through the API (once a test)."""
    from werkzeug.test import Client

    found: dict[str, str | None] = {}

    def lookup(list_path: str) -> str | None:
        if list_path not in found:
            found[list_path] = None
            response = Client(app).get(list_path, headers=admin_headers)
            body = response.get_json(silent=True)
            results = body.get("results") if isinstance(body, dict) else None
            if response.status_code == 200 and results and "url" in results[0]:
                found[list_path] = results[0]["url"].rstrip("/").rsplit("/", 1)[-1]
        return found[list_path]

    return lookup


def aim_at_real_rows(case, real_ids) -> None:
    """Half the reads and edits of a detail path address a row that exists (a generated id
    almost never does); deletes, purges and restores keep the generated ids."""
    if case.method.upper() not in {"GET", "PUT", "PATCH"} or not case.path_parameters:
        return
    match = re.match(r"^(.*/)\{[^}/]+\}/", case.path)
    if not match or zlib.crc32(repr(case.path_parameters).encode()) % 2:
        return
    real = real_ids(match.group(1))
    if real:
        case.path_parameters[next(iter(case.path_parameters))] = real


def run(case, headers, real_ids) -> None:
    caches["default"].clear()  # throttle counters: thousands of requests come from one user
    aim_at_real_rows(case, real_ids)
    response = case.call_and_validate(headers=headers, checks=CHECKS)
    # The API redirects nowhere: a redirect here would mean the requests never reached it.
    assert not 300 <= response.status_code < 400, response.status_code


@schema.include(method="GET").parametrize()
@pytest.mark.django_db
@hypothesis_settings(
    max_examples=SAFE_EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_reads(case, admin_headers, real_ids):
    run(case, admin_headers, real_ids)


@schema.exclude(method="GET").parametrize()
@pytest.mark.django_db
@hypothesis_settings(
    max_examples=UNSAFE_EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_writes(case, admin_headers, real_ids):
    run(case, admin_headers, real_ids)
