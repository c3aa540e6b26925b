"""Settings come from the environment; production refuses to start without a secret."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def run_django(env: dict[str, str], code: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(  # noqa: S603 - our own interpreter and a fixed snippet
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=clean | {"DJANGO_SETTINGS_MODULE": "crm.settings"} | env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = run_django({}, "")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_manage_py_without_a_secret_says_what_to_set_in_one_line():
    """Not a 43-line traceback through Django's loader: one line naming what to set."""
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, str(ROOT / "manage.py"), "check"],
        env=clean,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "SECRET_KEY" in lines[0] and "DEBUG=1" in lines[0]
    assert "Traceback" not in result.stderr


def test_debug_uses_a_development_key_and_loopback_hosts():
    code = "from django.conf import settings as s; print(s.DEBUG, s.ALLOWED_HOSTS)"
    result = run_django({"DEBUG": "1"}, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True ['127.0.0.1', 'localhost', '[::1]']"


def test_environment_overrides():
    code = (
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.ALLOWED_HOSTS, s.TIME_ZONE, s.LANGUAGE_CODE,"
        " s.DATABASES['default']['CONN_HEALTH_CHECKS'])"
    )
    result = run_django(
        {
            "SECRET_KEY": "k" * 50,
            "ALLOWED_HOSTS": "crm.example.org, api.example.org",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/crm",
        },
        code,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "['crm.example.org',",
        "'api.example.org']",
        "Asia/Ho_Chi_Minh",
        "vi",
        "True",
    ]


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_system_checks_pass():
    call_command("check", fail_level="WARNING")
