"""A real WSGI server per test session, for behaviour that depends on the server: headers it
refuses, bodies it drains, connections it keeps alive, requests it runs at once.

`server` is parametrised over the two we ship with: `manage.py runserver --noreload` as
`make run` starts it (wsgiref, threaded, DEBUG on) and gunicorn with crm/gunicorn.conf.py as
production does (DEBUG off; two gthread workers, so connections are kept alive). Each runs on
a free loopback port against its own copy of a migrated file SQLite database, seeded by
tests/servers/seed.py with one user and token per role. Every wait is bounded and the server's
process group is always killed, whatever the tests did.
"""

import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
SETUP_SECONDS = 120  # migrate and seed
START_SECONDS = 30
REQUEST_SECONDS = 30
STOP_SECONDS = 10


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def base_env(database: Path) -> dict[str, str]:
    """The server's environment: its own database, in-process caches, no inherited secrets."""
    dropped = {"SECRET_KEY", "DEBUG", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"}
    env = {k: v for k, v in os.environ.items() if k not in dropped and not k.startswith("GUNICORN")}
    return env | {
        "DJANGO_SETTINGS_MODULE": "crm.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "PYTHONUNBUFFERED": "1",
        "API_THROTTLE_USER": "100000/hour",
        # gunicorn ≥ 25.1 opens a control socket there: one per server, not one per user.
        "XDG_RUNTIME_DIR": str(database.parent),
    }


def run(args: list[str], env: Mapping[str, str]) -> subprocess.CompletedProcess:
    result = subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
        args, cwd=ROOT, env=dict(env), capture_output=True, text=True, timeout=SETUP_SECONDS
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


@dataclass
class Seeded:
    database: Path
    tokens: dict[str, str]


@pytest.fixture(scope="session")
def seeded_database(tmp_path_factory) -> Seeded:
    """Migrated and seeded once; each server gets a copy."""
    database = tmp_path_factory.mktemp("wsgi") / "template.sqlite3"
    env = base_env(database) | {"SECRET_KEY": "test-only-not-a-secret"}
    run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env)
    seeded = run([sys.executable, "-m", "tests.servers.seed"], env)
    return Seeded(database, json.loads(seeded.stdout)["tokens"])


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    raw_headers: list[tuple[str, str]] = field(default_factory=list)

    def json(self):
        return json.loads(self.body)

    def header(self, name: str) -> str | None:
        return self.headers.get(name)


@dataclass
class Server:
    name: str
    port: int
    tokens: dict[str, str]
    database: Path
    log: Path

    @property
    def origin(self) -> str:
        return f"http://{HOST}:{self.port}"

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_SECONDS)

    def request(
        self,
        method: str,
        path: str,
        body: object = None,
        *,
        role: str | None = "editor",
        headers: Mapping[str, str] | None = None,
        connection: http.client.HTTPConnection | None = None,
    ) -> Reply:
        """One request (JSON-encoded unless `body` is bytes), as `role`'s token (None: none).
        A new connection unless one is given to keep alive."""
        sent = {"Accept-Language": "en", "Accept": "application/json"}
        if role is not None:
            sent["Authorization"] = f"Token {self.tokens[role]}"
        if body is not None and not isinstance(body, bytes):
            body = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        sent |= dict(headers or {})
        conn = connection or self.connect()
        try:
            conn.request(method, path.removeprefix(self.origin), body=body, headers=sent)
            response = conn.getresponse()
            data = response.read()
            return Reply(response.status, response.headers, data, response.getheaders())
        finally:
            if connection is None:
                conn.close()

    def raw(self) -> socket.socket:
        return socket.create_connection((HOST, self.port), timeout=REQUEST_SECONDS)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def read_response(sock: socket.socket) -> Reply | None:
    """One response read off a raw socket, framed by its Content-Length (which every response
    has: crm.middleware.WSGIResponseMiddleware); None if the server closed the connection."""
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        message = http.client.HTTPMessage()
        pairs = [tuple(part.strip() for part in line.split(":", 1)) for line in lines[1:]]
        for name, value in pairs:
            message[name] = value
        length = int(message["Content-Length"])
        while len(body) < length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            body += chunk
    except (ConnectionResetError, BrokenPipeError):
        return None
    return Reply(status, message, body, pairs)


def server_command(name: str, port: int) -> tuple[list[str], dict[str, str]]:
    if name == "runserver":  # what `make run` serves
        return (
            [sys.executable, "manage.py", "runserver", "--noreload", f"{HOST}:{port}"],
            {"DEBUG": "1", "PUBLIC_BASE_URL": f"http://{HOST}:{port}"},
        )
    return (
        [sys.executable, "-m", "gunicorn", "-c", "crm/gunicorn.conf.py", "crm.wsgi"],
        {
            "SECRET_KEY": "test-only-not-a-secret",
            "ALLOWED_HOSTS": HOST,
            "SECURE_SSL_REDIRECT": "0",  # plain http on loopback; everything else production
            "GUNICORN_BIND": f"{HOST}:{port}",
            "GUNICORN_WORKERS": "2",
            "GUNICORN_THREADS": "4",
            "GUNICORN_LOG_LEVEL": "warning",
        },
    )


def wait_until_listening(process: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"the server did not listen within {START_SECONDS} s:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    """SIGTERM to the server's own process group (gunicorn's workers too), then SIGKILL."""
    if process.poll() is None:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                break
            try:
                process.wait(timeout=STOP_SECONDS)
                break
            except subprocess.TimeoutExpired:
                continue
    # Workers left behind by a killed master die with the group as well.
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


@pytest.fixture(scope="session", params=["runserver", "gunicorn"])
def server(request, seeded_database, tmp_path_factory) -> Iterator[Server]:
    name = request.param
    folder = tmp_path_factory.mktemp(name)
    database = folder / "db.sqlite3"
    source, copy = sqlite3.connect(seeded_database.database), sqlite3.connect(database)
    source.backup(copy)
    source.close()
    copy.close()
    port = free_port()
    args, extra = server_command(name, port)
    log = folder / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
            args,
            cwd=ROOT,
            env=base_env(database) | extra,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, killed as one
        )
    try:
        wait_until_listening(process, port, log)
        yield Server(name, port, dict(seeded_database.tokens), database, log)
    finally:
        stop(process)
