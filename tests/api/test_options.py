"""OPTIONS works on every route whatever format is asked for (`api.negotiation`): the answer
describes the view, in JSON. A briefing asked for in Markdown, HTML or Word once tried to draw
that description as a briefing (a 500). Errors are JSON whatever the format, too."""

import pytest

from tests.api.routes import concrete_url, json_api_routes, one_row_of_each

pytestmark = pytest.mark.django_db

FORMATS = [None, "json", "api", "md", "html", "docx", "ics", "xlsx"]
ACCEPTS = ["*/*", "application/json", "text/markdown", "text/calendar", "text/html"]


@pytest.fixture
def rows(editor) -> dict[str, object]:
    return one_row_of_each(editor.user)


def briefing(route) -> bool:
    return "/briefings/" in route.template


@pytest.mark.parametrize("route", json_api_routes(), ids=lambda route: route.template)
def test_options_on_every_route_in_every_format(editor, rows, route):
    url = concrete_url(route, rows) if route.parameters else route.template
    for fmt in FORMATS:
        response = editor.options(f"{url}?format={fmt}" if fmt else url)
        if briefing(route) and fmt not in {None, "json", "md", "html", "docx"}:
            assert response.status_code == 400, response.content  # an unknown format, named
            assert list(response.json()) == ["format"]
            continue
        assert response.status_code == 200, (url, fmt, response.content)
        assert response["Content-Type"] == "application/json"
        assert response.json()["name"]
    for accept in ACCEPTS:
        response = editor.options(url, HTTP_ACCEPT=accept)
        assert response.status_code == 200, (url, accept, response.content)
        assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("fmt", ["json", "md", "html", "docx"])
@pytest.mark.parametrize("kind", ["organizations", "people", "events", "countries"])
def test_briefing_errors_are_json_in_every_format(editor, kind, fmt):
    key = "ZZ" if kind == "countries" else 999999
    response = editor.get(f"/api/v1/briefings/{kind}/{key}/", {"format": fmt})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    response = editor.get(f"/api/v1/briefings/{kind}/{key}/", {"format": fmt, "limit": "x"})
    assert response.status_code == 400
    assert list(response.json()) == ["limit"]


def test_ics_errors_are_json(editor, rows):
    response = editor.get("/api/v1/events/999999/ics/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    response = editor.get(f"/api/v1/events/{rows['events']}/ics/", {"lang": "xx"})
    assert response.status_code == 400
    assert list(response.json()) == ["lang"]


def test_the_browsable_api_keeps_its_error_page(editor):
    response = editor.get("/api/v1/people/999999/", HTTP_ACCEPT="text/html")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
