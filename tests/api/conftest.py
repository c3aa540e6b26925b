import pytest
from rest_framework.test import APIClient

from api.models import ApiToken
from tests.factories import UserFactory


@pytest.fixture
def api_user(db):
    return UserFactory(
        username="officer", first_name="Thu", last_name="Nguyễn", role="administrator"
    )


@pytest.fixture
def api(api_user) -> APIClient:
    """A staff member's client, authenticated with a real token, answering in English."""
    _token, key = ApiToken.issue(api_user, scopes=["read", "write", "personal-data"])
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")
