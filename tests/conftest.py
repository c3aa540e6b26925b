import pytest
from django.contrib.auth import get_user_model


@pytest.fixture
def staff_user(db):
    return get_user_model().objects.create_user(
        username="staff", password="pw-for-tests-only", is_staff=True, is_superuser=True
    )


@pytest.fixture
def admin_client(client, staff_user):
    client.force_login(staff_user)
    return client
