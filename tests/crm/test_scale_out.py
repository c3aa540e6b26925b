"""Scale-out settings: shared state in Redis when REDIS_URL is set (throttles, sessions, the
feeds cache), a bounded connect timeout and health checks for PostgreSQL."""

import json

from tests.crm.test_settings import run_django

PRINT = (
    "import json; from django.conf import settings as s; "
    "print(json.dumps({'caches': s.CACHES, 'session': s.SESSION_ENGINE, "
    "'db': {k: s.DATABASES['default'].get(k) for k in "
    "('ENGINE', 'OPTIONS', 'CONN_HEALTH_CHECKS', 'CONN_MAX_AGE', 'ATOMIC_REQUESTS')}}))"
)
KEY = {"SECRET_KEY": "k" * 50}
PG = {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/crm"}


def settings_with(env: dict[str, str]) -> dict:
    result = run_django(KEY | env, PRINT)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_redis_every_cache_is_the_process_own_memory():
    s = settings_with({"REDIS_URL": ""})
    assert set(s["caches"]) == {"default", "feeds"}
    for alias in ("default", "feeds"):
        assert s["caches"][alias]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert s["session"] == "django.contrib.sessions.backends.db"


def test_with_redis_throttles_sessions_and_feeds_are_shared():
    s = settings_with({"REDIS_URL": "redis://127.0.0.1:6379/2"})
    redis = "django.core.cache.backends.redis.RedisCache"
    assert s["caches"]["default"] == {"BACKEND": redis, "LOCATION": "redis://127.0.0.1:6379/2"}
    assert s["caches"]["feeds"] == {
        "BACKEND": redis,
        "LOCATION": "redis://127.0.0.1:6379/2",
        "KEY_PREFIX": "feeds",
    }
    # Read from Redis, written through to the database: a Redis restart logs nobody out.
    assert s["session"] == "django.contrib.sessions.backends.cached_db"


def test_postgresql_connects_with_a_timeout_and_health_checks():
    db = settings_with(PG)["db"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert db["OPTIONS"] == {"connect_timeout": 5}
    assert db["CONN_HEALTH_CHECKS"] is True
    assert db["CONN_MAX_AGE"] == 60
    assert db["ATOMIC_REQUESTS"] is True


def test_connect_timeout_follows_the_environment():
    db = settings_with(PG | {"DB_CONNECT_TIMEOUT": "2"})["db"]
    assert db["OPTIONS"] == {"connect_timeout": 2}


def test_sqlite_writers_queue_instead_of_failing():
    """WAL, a busy timeout, and transactions that take the write lock when they begin (so a
    request never reads, then fails to upgrade to write): no PostgreSQL options."""
    db = settings_with({"DATABASE_URL": "sqlite:///tmp-not-created.sqlite3"})["db"]
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["ATOMIC_REQUESTS"] is True
    options = db["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    pragmas = [p.strip() for p in options["init_command"].split(";") if p.strip()]
    assert pragmas == [
        "PRAGMA journal_mode=WAL",
        "PRAGMA synchronous=NORMAL",
        f"PRAGMA busy_timeout={options['timeout'] * 1000}",
    ]
    assert "connect_timeout" not in options


def test_a_file_sqlite_database_runs_in_wal_mode(tmp_path):
    code = (
        "from django.db import connection; c = connection.cursor(); "
        "print(c.execute('PRAGMA journal_mode').fetchone()[0], "
        "c.execute('PRAGMA synchronous').fetchone()[0], "
        "c.execute('PRAGMA busy_timeout').fetchone()[0])"
    )
    result = run_django(KEY | {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}, code)
    assert result.returncode == 0, result.stderr
    journal, synchronous, busy = result.stdout.split()
    assert journal == "wal"
    assert synchronous == "1"  # NORMAL
    assert int(busy) >= 5000
