"""Throttling: past its rate a user (by token) or an anonymous address gets 429 with
Retry-After; nobody else's budget is touched. The rates are lowered here (the real ones come
from API_THROTTLE_USER / API_THROTTLE_ANON, see tests/crm/test_hardening.py), and every test
starts with an empty cache (tests/conftest.py), so no counter leaks from one test to another."""

import pytest
from django.core.cache import cache
from rest_framework.settings import api_settings
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from api.models import ApiToken
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/people/"
PUBLIC_URL = "/api/schema/?format=json"  # the kind of view an anonymous client may use
USER_RATE, ANON_RATE = 3, 2


@pytest.fixture(autouse=True)
def low_rates(monkeypatch):
    # The throttles read their rates from this class attribute, bound when DRF was imported:
    # override_settings(REST_FRAMEWORK=…) alone would not reach it.
    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {"user": f"{USER_RATE}/hour", "anon": f"{ANON_RATE}/hour"},
    )
    cache.clear()


def colleague_client(api_user) -> APIClient:
    """A second staff member with a token granted exactly as the `api` fixture's."""
    colleague = UserFactory(username="colleague", is_superuser=api_user.is_superuser)
    colleague.groups.set(api_user.groups.all())
    model = ApiToken.objects.filter(user=api_user).get()
    grants = {"scopes": model.scopes} if hasattr(model, "scopes") else {}
    _token, key = ApiToken.issue(colleague, **grants)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def assert_throttled(response) -> None:
    assert response.status_code == 429
    wait = int(response["Retry-After"])
    assert 0 < wait <= 3600
    assert "throttled" in response.json()["detail"].lower()


def test_the_throttles_are_configured():
    names = [cls.__name__ for cls in api_settings.DEFAULT_THROTTLE_CLASSES]
    assert names == ["UserRateThrottle", "AnonRateThrottle"]
    assert UserRateThrottle.scope == "user"
    assert AnonRateThrottle.scope == "anon"


def test_a_token_past_its_rate_gets_429_with_retry_after(api):
    for _ in range(USER_RATE):
        assert api.get(URL).status_code == 200
    assert_throttled(api.get(URL))
    assert_throttled(api.post(URL, {}, format="json"))  # writes count against the same budget


def test_another_users_token_is_not_throttled(api, api_user):
    other = colleague_client(api_user)
    for _ in range(USER_RATE):
        assert api.get(URL).status_code == 200
    assert_throttled(api.get(URL))
    for _ in range(USER_RATE):
        assert other.get(URL).status_code == 200
    assert_throttled(other.get(URL))


def test_anonymous_past_its_rate_gets_429_with_retry_after():
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(ANON_RATE):
        assert client.get(PUBLIC_URL).status_code == 200
    assert_throttled(client.get(PUBLIC_URL))


def test_anonymous_addresses_have_their_own_budgets():
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(ANON_RATE):
        assert client.get(PUBLIC_URL, REMOTE_ADDR="192.0.2.1").status_code == 200
    assert_throttled(client.get(PUBLIC_URL, REMOTE_ADDR="192.0.2.1"))
    # A made-up X-Forwarded-For does not buy a new budget (no proxy is trusted by default)…
    spoofed = client.get(PUBLIC_URL, REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert_throttled(spoofed)
    # …another address has one of its own.
    assert client.get(PUBLIC_URL, REMOTE_ADDR="192.0.2.2").status_code == 200


def test_anonymous_budget_is_not_an_authenticated_users(api):
    anonymous = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(ANON_RATE):
        anonymous.get(PUBLIC_URL)
    assert_throttled(anonymous.get(PUBLIC_URL))
    assert api.get(URL).status_code == 200


def test_the_cache_starts_empty():
    """Counters from an earlier test (the ones above fill them) never carry over."""
    assert cache.get("throttle_anon_127.0.0.1") is None
    client = APIClient()
    for _ in range(ANON_RATE):
        assert client.get(PUBLIC_URL).status_code == 200
