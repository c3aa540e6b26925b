"""Production hardening: `check --deploy` is clean with DEBUG off, the security settings follow
the environment, and failed admin logins lock out that username from that address."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory

ROOT = Path(__file__).resolve().parents[2]

# Variables a production run may set: each test starts from none of them.
PRODUCTION_VARIABLES = {
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "REDIS_URL",
    "API_THROTTLE_USER",
    "API_THROTTLE_ANON",
}
# Long, random-looking, not "django-insecure-": what security.W009 asks of a real key.
PRODUCTION = {
    "SECRET_KEY": "q7Vx2-Lm9sKp4TzR8wYb1NcE6hJd3GuF0aXoWiQe5yMv7BnC2rZt8kHs4pDl1jAg",
    "ALLOWED_HOSTS": "crm.example.org",
}


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_VARIABLES}
    return subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
        [sys.executable, *args],
        env=clean | {"DJANGO_SETTINGS_MODULE": "crm.settings"} | env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


SETTING_NAMES = [
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "X_FRAME_OPTIONS",
    "CACHES",
    "AUTHENTICATION_BACKENDS",
    "MIDDLEWARE",
    "AXES_FAILURE_LIMIT",
    "AXES_COOLOFF_TIME",
    "AXES_LOCKOUT_PARAMETERS",
    "REST_FRAMEWORK",
]

PRINT_SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    f"print(json.dumps({{n: getattr(s, n, None) for n in {SETTING_NAMES!r}}}, default=str))"
)


def settings_with(env: dict[str, str]) -> dict:
    result = run(env, "-c", PRINT_SETTINGS)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# ---------------------------------------------------------------------------------------------
# check --deploy


def test_deploy_check_has_no_warnings_in_production():
    result = run(PRODUCTION, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr + result.stdout


def test_deploy_check_is_clean_behind_a_tls_proxy_too():
    env = PRODUCTION | {"SECURE_PROXY_SSL_HEADER": "1", "REDIS_URL": "redis://127.0.0.1:6379/0"}
    result = run(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_flags_a_weak_key_and_missing_hosts():
    result = run(
        {"SECRET_KEY": "short"}, "manage.py", "check", "--deploy", "--fail-level", "WARNING"
    )
    assert result.returncode != 0
    assert "security.W009" in result.stderr
    assert "security.W020" in result.stderr


# ---------------------------------------------------------------------------------------------
# Settings values


def test_production_security_settings():
    s = settings_with(PRODUCTION)
    assert s["DEBUG"] is False
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SECURE_PROXY_SSL_HEADER"] is None  # only behind a proxy that says so
    assert s["SESSION_COOKIE_SECURE"] is True
    assert s["SESSION_COOKIE_HTTPONLY"] is True
    assert s["CSRF_COOKIE_SECURE"] is True
    assert s["CSRF_TRUSTED_ORIGINS"] == []
    assert s["SECURE_HSTS_SECONDS"] == 365 * 24 * 60 * 60
    assert s["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert s["SECURE_HSTS_PRELOAD"] is True
    assert s["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert s["SECURE_REFERRER_POLICY"] in {"same-origin", "strict-origin-when-cross-origin"}
    assert s["X_FRAME_OPTIONS"] == "DENY"
    assert s["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_login_lockout_settings():
    s = settings_with(PRODUCTION)
    assert s["AUTHENTICATION_BACKENDS"][0] == "axes.backends.AxesStandaloneBackend"
    assert "django.contrib.auth.backends.ModelBackend" in s["AUTHENTICATION_BACKENDS"]
    assert s["MIDDLEWARE"][-1] == "axes.middleware.AxesMiddleware"
    assert s["AXES_FAILURE_LIMIT"] == 5
    assert s["AXES_COOLOFF_TIME"] == "0:15:00"
    assert s["AXES_LOCKOUT_PARAMETERS"] == [["username", "ip_address"]]


def test_throttle_settings_and_their_environment():
    rest = settings_with(PRODUCTION)["REST_FRAMEWORK"]
    assert rest["DEFAULT_THROTTLE_CLASSES"] == [
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.AnonRateThrottle",
    ]
    assert rest["DEFAULT_THROTTLE_RATES"] == {"user": "2000/hour", "anon": "60/hour"}
    assert rest["NUM_PROXIES"] == 0  # a client's X-Forwarded-For does not pick its bucket
    env = PRODUCTION | {"API_THROTTLE_USER": "100/minute", "API_THROTTLE_ANON": "10/minute"}
    rates = settings_with(env)["REST_FRAMEWORK"]["DEFAULT_THROTTLE_RATES"]
    assert rates == {"user": "100/minute", "anon": "10/minute"}


def test_environment_for_a_proxy_redis_and_trusted_origins():
    s = settings_with(
        PRODUCTION
        | {
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_PROXY_SSL_HEADER": "1",
            "REDIS_URL": "redis://cache.internal:6379/1",
            "CSRF_TRUSTED_ORIGINS": "https://crm.example.org, https://api.example.org",
        }
    )
    assert s["SECURE_SSL_REDIRECT"] is False
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert s["REST_FRAMEWORK"]["NUM_PROXIES"] == 1
    assert s["CSRF_TRUSTED_ORIGINS"] == ["https://crm.example.org", "https://api.example.org"]
    assert s["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/1",
    }


def test_debug_keeps_plain_http_for_the_development_server():
    s = settings_with({"DEBUG": "1"})
    assert s["SECURE_SSL_REDIRECT"] is False
    assert s["SESSION_COOKIE_SECURE"] is False
    assert s["CSRF_COOKIE_SECURE"] is False
    assert s["SECURE_HSTS_SECONDS"] == 0


CLIENT_ADDRESS = (
    "import django; django.setup(); from django.conf import settings; "
    "from django.test import RequestFactory; "
    "r = RequestFactory().get('/', REMOTE_ADDR='10.0.0.1', "
    "HTTP_X_FORWARDED_FOR='6.6.6.6, 203.0.113.7'); "
    "print(settings.AXES_CLIENT_IP_CALLABLE(r))"
)


@pytest.mark.parametrize(("behind_proxy", "address"), [("1", "203.0.113.7"), ("0", "10.0.0.1")])
def test_login_address_is_the_one_our_proxy_saw(behind_proxy, address):
    """Behind the proxy, the last X-Forwarded-For entry (written by it); else the peer."""
    result = run(PRODUCTION | {"SECURE_PROXY_SSL_HEADER": behind_proxy}, "-c", CLIENT_ADDRESS)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == address


def test_login_address_without_a_proxy_ignores_forwarded_for(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert settings.AXES_CLIENT_IP_CALLABLE(request) == "10.0.0.1"


# ---------------------------------------------------------------------------------------------
# Failed admin logins

LOGIN = "/admin/login/"
PASSWORD = "pw-for-tests-only"  # tests/conftest.py's staff_user


def login(client, username: str, password: str, address: str = "127.0.0.1"):
    data = {"username": username, "password": password, "next": "/admin/"}
    return client.post(LOGIN, data, REMOTE_ADDR=address)


@pytest.fixture
def colleague(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(
        username="colleague", password="colleague-pw-for-tests", is_staff=True
    )


def test_right_password_logs_in(client, staff_user):
    response = login(client, "staff", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_five_wrong_passwords_lock_the_account_out(client, staff_user, colleague):
    for attempt in range(1, 6):
        response = login(client, "staff", f"wrong-{attempt}")
        assert response.status_code in {200, 429}  # the form again, then the lockout
        assert "_auth_user_id" not in client.session
    assert response.status_code == 429  # the fifth failure locks

    refused = login(client, "staff", PASSWORD)
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session

    # Another user from the same address is not locked out…
    assert login(client, "colleague", "colleague-pw-for-tests").status_code == 302
    # …nor the same user from another address (lockout is by username and address together).
    other_client = type(client)()
    assert login(other_client, "staff", PASSWORD, address="192.0.2.55").status_code == 302


def test_four_wrong_passwords_do_not_lock(client, staff_user):
    for attempt in range(4):
        assert login(client, "staff", f"wrong-{attempt}").status_code == 200
    assert login(client, "staff", PASSWORD).status_code == 302


def test_force_login_and_sessions_still_work(admin_client):
    assert admin_client.get("/admin/").status_code == 200
