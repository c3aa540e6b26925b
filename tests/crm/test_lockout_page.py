"""The locked-out sign-in page says why and for how long (AXES_COOLOFF_TIME), in Vietnamese by
default and in English on request, with Retry-After."""

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [(None, "15 phút"), ("vi", "15 phút"), ("en", "15 minutes")],
)
def test_the_lockout_page_says_how_long(lang, expected):
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    UserFactory(username="bien-tap", role="editor")
    client = Client(**({"HTTP_ACCEPT_LANGUAGE": lang} if lang else {}))
    for attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        response = client.post(
            LOGIN, {"username": "bien-tap", "password": f"wrong-{attempt}", "next": "/admin/"}
        )
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    page = response.content.decode()
    assert expected in page
    if lang != "en":
        assert "Account locked" not in page and "try again later" not in page.lower()
        assert "Quá nhiều lần đăng nhập sai" in page
