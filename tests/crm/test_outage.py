"""A database outage (server restarting, connection refused or dropped) answers 503 with
Retry-After and the API's error shape, wherever in the request it strikes; other errors stay
500. The real thing (PostgreSQL restarted under load) is `make load FAULT=1`."""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError, connection
from rest_framework.test import APIClient

from api.models import ApiToken
from api.views import PersonViewSet
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_and_key():
    user = UserFactory(role="editor")
    _token, key = ApiToken.issue(user, scopes=["read", "write"])
    # The test client re-raises a view's exception by default; a real server answers instead.
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en", raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def assert_unavailable(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"] == "application/json"
    assert "database is unavailable" in response.json()["detail"]


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("connection to server failed: Connection refused"),
        OperationalError("terminating connection due to administrator command"),
        InterfaceError("connection already closed"),
    ],
)
def test_an_unreachable_database_is_503_with_retry_after(client_and_key, error):
    with mock.patch.object(connection, "cursor", side_effect=error):
        response = client_and_key.get("/api/v1/people/")
    assert_unavailable(response)


def test_a_dropped_connection_during_a_write_is_503(client_and_key):
    def failing(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    with mock.patch.object(PersonViewSet, "create", failing):
        response = client_and_key.post(
            "/api/v1/people/", {"name_vi": "Nguyễn Văn A"}, format="json"
        )
    assert_unavailable(response)


def test_outside_the_api_too(client):
    client.raise_request_exception = False
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("refused")):
        response = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code in {200, 503}  # the login page may need no query at all
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("refused")):
        response = client.post(
            "/admin/login/", {"username": "x", "password": "y"}, HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code in {403, 503}  # CSRF may refuse it first; never a 500


def test_the_message_is_vietnamese_by_default(client_and_key):
    client_and_key.defaults.pop("HTTP_ACCEPT_LANGUAGE")
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("refused")):
        response = client_and_key.get("/api/v1/people/")
    assert response.status_code == 503
    assert "database is unavailable" not in response.json()["detail"]


def test_other_errors_are_still_500(client_and_key):
    def failing(*args, **kwargs):
        raise RuntimeError("a bug")

    with mock.patch.object(PersonViewSet, "list", failing):
        response = client_and_key.get("/api/v1/people/")
    assert response.status_code == 500
