"""Authentication: hashed tokens issued by `issue_token`, session for the browsable API,
401 without valid credentials, 403 for non-staff."""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/people/"


def issue(username: str, *args: str) -> str:
    out = StringIO()
    call_command("issue_token", username, *args, stdout=out)
    return out.getvalue()


def client_with(key: str, keyword: str = "Token") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {key}")
    return client


@pytest.fixture
def officer(db):
    return UserFactory(username="officer", role="editor")


# ---------------------------------------------------------------------------------------------
# issue_token


def test_issue_token_prints_one_key_which_authenticates(officer):
    output = issue("officer", "--name", "publishing pipeline")
    lines = output.splitlines()
    assert len(lines) == 1
    key = lines[0].strip()
    assert len(key) >= 40  # 256 random bits
    token = ApiToken.objects.get()
    assert token.user == officer
    assert token.name == "publishing pipeline"
    assert token.expires_at is None
    assert client_with(key).get(URL).status_code == 200


def test_only_the_digest_and_a_prefix_are_stored(officer):
    key = issue("officer").strip()
    token = ApiToken.objects.get()
    assert token.digest == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[: len(token.prefix)]
    assert len(token.prefix) < len(key) // 2
    stored = [str(getattr(token, field.attname)) for field in ApiToken._meta.concrete_fields]
    assert not any(key in value for value in stored)
    for historical in ApiToken.history.all():  # nor in the history of the row
        values = [str(getattr(historical, f.attname)) for f in historical._meta.concrete_fields]
        assert not any(key in value for value in values)


def test_each_call_issues_a_new_key(officer):
    first, second = issue("officer").strip(), issue("officer").strip()
    assert first != second
    assert ApiToken.objects.count() == 2
    assert client_with(first).get(URL).status_code == 200
    assert client_with(second).get(URL).status_code == 200


def test_expires_in_sets_the_expiry(officer):
    before = timezone.now()
    issue("officer", "--expires-in", "30")
    expires_at = ApiToken.objects.get().expires_at
    assert before + timedelta(days=30) <= expires_at <= timezone.now() + timedelta(days=30)


@pytest.mark.parametrize("days", ["0", "-3"])
def test_expires_in_must_be_positive(officer, days):
    with pytest.raises(CommandError, match="positive"):
        issue("officer", "--expires-in", days)
    assert not ApiToken.objects.exists()


def test_unknown_user_is_an_error(db):
    with pytest.raises(CommandError, match="nobody"):
        issue("nobody")
    assert not ApiToken.objects.exists()


# ---------------------------------------------------------------------------------------------
# Token authentication


def test_anonymous_is_401_with_the_scheme_to_use(anonymous):
    response = anonymous.get(URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(
    "header",
    [
        "Token not-a-key",
        "Token ",
        "Token two words",
        "token lowercase-keyword-and-wrong-key",
    ],
)
def test_wrong_or_malformed_token_is_401(officer, header):
    ApiToken.issue(officer)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en", HTTP_AUTHORIZATION=header)
    assert client.get(URL).status_code == 401


def test_another_scheme_is_not_a_token(officer):
    _token, key = ApiToken.issue(officer)
    assert client_with(key, keyword="Bearer").get(URL).status_code == 401


def test_revoked_token_is_401(officer):
    token, key = ApiToken.issue(officer)
    token.revoked_at = timezone.now()
    token.save()
    response = client_with(key).get(URL)
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_expired_token_is_401(officer):
    token, key = ApiToken.issue(officer, expires_at=timezone.now() + timedelta(days=1))
    assert client_with(key).get(URL).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client_with(key).get(URL)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_token_of_an_inactive_user_is_401(officer):
    _token, key = ApiToken.issue(officer)
    officer.is_active = False
    officer.save()
    assert client_with(key).get(URL).status_code == 401


def test_non_staff_user_is_403(db):
    _token, key = ApiToken.issue(UserFactory(is_staff=False))
    client = client_with(key)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {}, format="json").status_code == 403


def test_last_used_at_is_recorded_without_history(officer):
    token, key = ApiToken.issue(officer)
    assert token.last_used_at is None
    history = ApiToken.history.count()
    before = timezone.now()
    client = client_with(key)
    assert client.get(URL).status_code == 200
    token.refresh_from_db()
    assert before <= token.last_used_at <= timezone.now()
    first_use = token.last_used_at
    assert client.get(URL).status_code == 200  # within the minute: no second write
    token.refresh_from_db()
    assert token.last_used_at == first_use
    assert ApiToken.history.count() == history


def test_token_writes_need_no_csrf_token(officer):
    _token, key = ApiToken.issue(officer)
    client = APIClient(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Token {key}")
    data = {"full_name_native": "Sok", "category": "foreign_partner"}
    assert client.post(URL, data, format="json").status_code == 201


# ---------------------------------------------------------------------------------------------
# Session authentication (the browsable API)


def test_session_of_a_staff_user_works_and_browses(officer):
    client = APIClient()
    client.force_login(officer)
    assert client.get(URL).status_code == 200
    page = client.get(URL, HTTP_ACCEPT="text/html")
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")


def test_session_of_a_non_staff_user_is_403(db):
    client = APIClient()
    client.force_login(UserFactory(is_staff=False))
    assert client.get(URL).status_code == 403


def test_session_writes_need_the_csrf_token(officer):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(officer)
    data = {"full_name_native": "Sok", "category": "foreign_partner"}
    response = client.post(URL, data, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
