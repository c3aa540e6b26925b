import pytest
from rest_framework.test import APIClient

from api.models import ApiToken
from tests.factories import UserFactory


@pytest.fixture
def api_user(db):
    return UserFactory(
        username="officer", first_name="Thu", last_name="Nguyễn", role="administrator"
    )


def token_client(user, scopes=("read", "write", "personal-data")) -> APIClient:
    """`user`'s client, authenticated with a real token of `scopes`, answering in English;
    `client.user` is the user."""
    _token, key = ApiToken.issue(user, scopes=list(scopes))
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    client.user = user
    return client


@pytest.fixture
def api(api_user) -> APIClient:
    """A staff member's client, authenticated with a real token, answering in English."""
    return token_client(api_user)


@pytest.fixture
def editor(db) -> APIClient:
    """A member of the editor group, with a read and write token (no personal data)."""
    return token_client(UserFactory(role="editor"), scopes=("read", "write"))


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")
