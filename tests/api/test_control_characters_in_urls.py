"""A control character (NUL, newline, …) in the address is a 400 before any view runs
(`crm.middleware.ControlCharactersMiddleware`): PostgreSQL refuses a NUL in a query, so a NUL
that reached a lookup was a 500 (`/api/v1/briefings/countries/K%00H/`). Every route, every
path parameter, every method; and a query value or name on every route."""

import pytest

from api.models import ApiToken
from tests.api.routes import api_routes, concrete_url, one_row_of_each, resource_of

pytestmark = pytest.mark.django_db

CONTROLS = ["%00", "%0A", "%0D", "%09", "%1F", "%7F"]


@pytest.fixture
def rows(editor) -> dict[str, object]:
    return one_row_of_each(editor.user)


def call(client, method: str, url: str):
    return client.generic(method, url, b"{}", content_type="application/json")


@pytest.mark.parametrize("route", api_routes(), ids=lambda route: route.template)
@pytest.mark.parametrize("control", ["%00", "%0A"])
def test_a_control_character_in_a_path_parameter_is_400(editor, rows, route, control):
    real = {name: rows.get(resource_of(route), 1) for _converter, name in route.parameters}
    for _converter, name in route.parameters:
        for where in ("start", "middle", "end"):
            value = str(real[name])
            value = {
                "start": control + value,
                "middle": value[:1] + control + value[1:],
                "end": value + control,
            }[where]
            url = route.url(**{**real, name: value})
            for method in sorted(route.methods):
                response = call(editor, method, url)
                assert response.status_code == 400, (method, url, response.content)
                assert response["Content-Type"] == "application/json"
                assert "U+00" in response.json()["detail"]


@pytest.mark.parametrize("route", api_routes(), ids=lambda route: route.template)
def test_a_control_character_in_a_query_value_is_400_naming_the_parameter(editor, rows, route):
    url = concrete_url(route, rows) if route.parameters else route.template
    for control in CONTROLS:
        for method in sorted(route.methods):
            response = call(editor, method, f"{url}?q=a{control}b&format=json")
            assert response.status_code == 400, (method, url, control, response.content)
            assert list(response.json()) == ["q"], (method, url)


@pytest.mark.parametrize("route", api_routes(), ids=lambda route: route.template)
def test_a_control_character_in_a_query_name_is_400(editor, rows, route):
    url = concrete_url(route, rows) if route.parameters else route.template
    response = editor.get(f"{url}?a%00b=1")
    assert response.status_code == 400
    assert "U+0000" in response.json()["detail"]


def test_a_nul_in_a_country_code_of_a_briefing_is_400_on_every_database(editor, rows):
    response = editor.get("/api/v1/briefings/countries/K%00H/")
    assert response.status_code == 400


def test_the_message_is_vietnamese_by_default(editor):
    response = editor.get("/api/v1/people/?q=a%00b", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    assert "U+0000" in response.json()["q"][0]
    assert "not allowed" not in response.json()["q"][0]


@pytest.mark.parametrize("query", ["q=caf%C3%A9", "q=a%20b", "q=%E2%80%8B", "q=%C2%A0"])
def test_other_characters_are_not_refused(editor, query):
    """Only C0 controls and DEL: accents, spaces, zero-width and no-break spaces are text."""
    assert editor.get(f"/api/v1/people/?{query}").status_code == 200


@pytest.fixture
def wsgi_client(settings):
    """The WSGI application itself (as a server calls it), in this test's transaction: the end
    of a request does not close the connection that holds it."""
    from django.core import signals
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections
    from werkzeug.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield Client(get_wsgi_application())
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/v1/briefings/countries/K\x00H/", ""),
        ("/api/v1/people/1\x00/", ""),
        ("/api/v1/people/", "q=a%00b"),
        ("/api/v1/people/", "q=a%0d%0ab"),
    ],
)
def test_through_the_wsgi_application(editor, wsgi_client, path, query):
    """As a server hands it over: the path already decoded in PATH_INFO, the query raw."""
    _token, key = ApiToken.issue(editor.user, scopes=["read"])
    response = wsgi_client.get(path, query_string=query, headers={"Authorization": f"Token {key}"})
    assert response.status_code == 400, response.get_data()
    assert response.headers["Content-Type"] == "application/json"
