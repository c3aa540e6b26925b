import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.test import override_settings

# The test client speaks plain http, so production's https redirect would answer every request
# with a 301; the cache is the run's own, in memory, never a Redis that REDIS_URL may point at.
# Everything else is the production configuration (DEBUG off), whatever the environment.
TEST_OVERRIDES = {
    "SECURE_SSL_REDIRECT": False,
    "CACHES": {
        alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": alias}
        for alias in ("default", "feeds")
    },
}


@pytest.fixture(autouse=True, scope="session")
def _test_transport_and_cache():
    with override_settings(**TEST_OVERRIDES):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache(_test_transport_and_cache):
    """Each test starts with no throttle counters (nor anything else cached)."""
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def staff_user(db):
    return get_user_model().objects.create_user(
        username="staff", password="pw-for-tests-only", is_staff=True, is_superuser=True
    )


@pytest.fixture
def admin_client(client, staff_user):
    client.force_login(staff_user)
    return client
