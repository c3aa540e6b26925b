"""The browsable API, which the README offers to staff logged in to the admin, renders every
GET route for a session login of every role: 200, or the documented 4xx (a role without the
right: 403), never a 500. It once failed on every form holding a many-to-many field
(interactions, positions, agreements, events) and on views without a queryset (the calendar,
the contact histories)."""

import pytest
from django.test import Client

from tests.api.routes import concrete_url, json_api_routes, one_row_of_each
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["viewer", "editor", "manager", "administrator"]
# A browser's Accept: pages first, files (an event's .ics) by the catch-all.
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
GET_ROUTES = [route for route in json_api_routes() if "GET" in route.methods]


@pytest.mark.parametrize("role", ROLES)
def test_every_get_route_renders_as_html_for_every_role(role):
    user = UserFactory(role=role)
    rows = one_row_of_each(user)
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(user)
    failures = []
    for route in GET_ROUTES:
        url = concrete_url(route, rows) if route.parameters else route.template
        try:
            response = client.get(url, HTTP_ACCEPT=BROWSER)
        except Exception as exc:  # the test client re-raises a view's exception  # noqa: BLE001
            failures.append((url, repr(exc)[:200]))
            continue
        if response.status_code != 200:
            failures.append((url, response.status_code))
        elif not (url.endswith("/ics/") or "/briefings/" in url):
            # Pages; an .ics is a file and a briefing has its own printable HTML page.
            assert response["Content-Type"].startswith("text/html"), (role, url)
            assert b"<html" in response.content.lower()
    assert not failures, failures


def test_a_page_for_an_unseen_row_is_a_404_page():
    user = UserFactory(role="viewer")
    client = Client()
    client.force_login(user)
    response = client.get("/api/v1/interactions/999999/", HTTP_ACCEPT="text/html")
    assert response.status_code == 404
