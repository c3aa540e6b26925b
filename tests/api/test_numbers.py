"""Ids and numbers are read strictly everywhere (`crm.numbers.parse_int`): ASCII digits within
the 64-bit range of the id columns, else a 400 naming the parameter (query strings, bodies) or
the API's JSON 404 (paths). Python's `int()` takes "١٢" and 23 digits; the database then
cannot hold them (SQLite: OverflowError, a 500)."""

import django_filters
import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.urls import router
from contacts.filters import CountryCodeFilter, IdFilter, IntegerFilter
from crm.numbers import INT64_MAX, INT64_MIN, parse_int
from tests.api.routes import api_routes, concrete_url, json_api_routes, one_row_of_each
from tests.factories import PersonFactory

BASE = "/api/v1"
# Not ids in any form the API takes: non-ASCII digits, separators, signs, decimals, exponents,
# blanks, and whole numbers beyond the id columns' range.
NOT_IDS = [
    "²",
    "١٢",
    "１２",
    "1_000",
    " 1",
    "1 ",
    "+1",
    "-1",
    "0",
    "1.0",
    "1e3",
    "0x1f",
    "abc",
    str(INT64_MAX + 1),
    "9" * 23,
]


# ---------------------------------------------------------------------------------------------
# The parser


@given(st.text(max_size=25))
def test_parse_int_takes_exactly_ascii_digits_in_range(text):
    try:
        value = parse_int(text)
    except ValueError:
        assert not (text.isascii() and text.isdigit() and 0 <= int(text) <= INT64_MAX)
    else:
        assert text.isascii() and text.isdigit() and int(text) == value <= INT64_MAX


@given(st.integers(min_value=-(2**70), max_value=2**70))
def test_parse_int_bounds_are_inclusive_and_never_pass_64_bits(number):
    inside = INT64_MIN <= number <= INT64_MAX
    for raw in (number, str(number)):
        try:
            assert parse_int(raw, minimum=INT64_MIN - 5, maximum=INT64_MAX + 5) == number
        except ValueError:
            assert not inside
        else:
            assert inside


@pytest.mark.parametrize("raw", [True, False, 1.0, None, b"1", [1]])
def test_parse_int_refuses_what_is_not_an_int_or_a_str(raw):
    with pytest.raises(ValueError):
        parse_int(raw)


# ---------------------------------------------------------------------------------------------
# Query strings: every id and number filter of every list


def strict_filters():
    """(list path, parameter) of every id or number filter of every list in the router."""
    for prefix, viewset, _basename in router.registry:
        filterset = getattr(viewset, "filterset_class", None)
        for name, field in (filterset.base_filters if filterset else {}).items():
            if isinstance(field, IdFilter | IntegerFilter):
                yield f"{BASE}/{prefix}/", name


def test_no_filterset_uses_django_filters_lenient_number_or_id_filters():
    """django-filter's own ModelChoiceFilter and NumberFilter pass "١٢" and 23 digits on to
    the database: every filterset the API serves uses ours."""
    lenient = (
        django_filters.ModelChoiceFilter,
        django_filters.ModelMultipleChoiceFilter,
        django_filters.NumberFilter,
    )
    for prefix, viewset, _basename in router.registry:
        filterset = getattr(viewset, "filterset_class", None)
        for name, field in (filterset.base_filters if filterset else {}).items():
            if isinstance(field, lenient):
                assert isinstance(field, IdFilter | IntegerFilter | CountryCodeFilter), (
                    prefix,
                    name,
                )
    assert len(list(strict_filters())) >= 20


@pytest.mark.parametrize(("path", "name"), list(strict_filters()))
@pytest.mark.parametrize("value", NOT_IDS)
def test_a_malformed_id_or_number_filter_is_400_naming_it(editor, path, name, value):
    response = editor.get(path, {name: value})
    assert response.status_code == 400, (path, name, value, response.content)
    assert list(response.json()) == [name]


@pytest.mark.parametrize(("path", "name"), list(strict_filters()))
def test_the_largest_id_is_read_and_matches_nothing(editor, path, name):
    response = editor.get(path, {name: str(INT64_MAX)})
    assert response.status_code in {200, 400}, response.content  # 400: out of the bounds
    if response.status_code == 400:
        assert list(response.json()) == [name]


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/calendar/", "unit"),
        ("/api/v1/calendar/", "organization"),
        ("/api/v1/changes/", "limit"),
        ("/api/v1/changes/", "after"),
        ("/api/v1/people/", "page"),
        ("/api/v1/people/", "page_size"),
        ("/api/v1/calendar/", "page"),
        ("/api/v1/calendar/", "page_size"),
    ],
)
@pytest.mark.parametrize("value", NOT_IDS)
def test_other_numbers_in_query_strings_are_400_naming_them(editor, path, name, value):
    if name == "after":
        if value == "0":
            return  # "0-1": a cursor (the start of the feed)
        value = f"{value}-1"
    response = editor.get(path, {name: value})
    assert response.status_code == 400, (path, name, value, response.content)
    assert list(response.json()) == [name]


@pytest.mark.parametrize("value", NOT_IDS)
def test_a_malformed_briefing_limit_is_400_naming_it(editor, value):
    person = PersonFactory()
    if value == "0":
        return  # a briefing with no interaction in full: fine
    response = editor.get(f"{BASE}/briefings/people/{person.pk}/", {"limit": value})
    assert response.status_code == 400
    assert list(response.json()) == ["limit"]


# ---------------------------------------------------------------------------------------------
# Pages


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.0", "²", "last", "9" * 23])
@pytest.mark.parametrize("resource", ["people", "positions", "tokens", "calendar-feeds"])
def test_a_malformed_page_is_400_naming_page(editor, resource, page):
    response = editor.get(f"{BASE}/{resource}/", {"page": page})
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["page"]


@pytest.mark.parametrize("page", ["2", str(INT64_MAX)])
def test_a_page_past_the_last_is_404(editor, page):
    PersonFactory()
    assert editor.get(f"{BASE}/people/", {"page": "1"}).status_code == 200
    response = editor.get(f"{BASE}/people/", {"page": page})
    assert response.status_code == 404
    assert page in response.json()["detail"]


def test_the_schema_documents_page_errors(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    for prefix, _viewset, _basename in router.registry:
        operation = schema["paths"][f"{BASE}/{prefix}/"]["get"]
        page = {p["name"]: p for p in operation["parameters"]}["page"]
        assert page["schema"]["minimum"] == 1, prefix
        assert "400" in page["description"] and "404" in page["description"], prefix
        assert "page" in operation["responses"]["404"]["description"].lower(), prefix
        assert "400" in operation["responses"]


# ---------------------------------------------------------------------------------------------
# Paths


def id_routes():
    return [route for route in api_routes() if any(c == "id" for c, _ in route.parameters)]


@pytest.mark.parametrize("route", id_routes(), ids=lambda route: route.template)
@pytest.mark.parametrize("key", ["abc", "1.5", "²", "١٢", "-1", "0", "9" * 23, str(INT64_MAX + 1)])
def test_a_path_id_that_is_not_one_is_a_json_404(editor, route, key):
    url = route.url(**{name: key for _converter, name in route.parameters})
    for method in sorted(route.methods - {"OPTIONS", "HEAD"}):
        response = editor.generic(method, url, b"{}", content_type="application/json")
        assert response.status_code == 404, (method, url, response.content)
        assert response["Content-Type"] == "application/json"
        assert response.json()["detail"]


@pytest.mark.parametrize("route", id_routes(), ids=lambda route: route.template)
def test_the_largest_id_is_a_json_404(editor, route):
    url = route.url(**{name: INT64_MAX for _converter, name in route.parameters})
    response = editor.get(url) if "GET" in route.methods else editor.post(url)
    assert response.status_code in {403, 404}, response.content  # 403: purge needs a manager
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/no-such-resource/",
        "/api/v1/people/1/no-such-action/",
        "/api/v2/people/",
        "/api/",
        "/api/v1/countries/KHM/",
        "/api/v1/briefings/countries/K1/",
        "/api/v1/people/1.json",
    ],
)
def test_an_unknown_address_under_api_is_a_json_404(editor, path):
    response = editor.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


def test_outside_the_api_a_404_is_still_a_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_the_schema_describes_path_ids_with_their_range(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    for route in json_api_routes():
        for converter, _name in route.parameters:
            if converter != "id":
                continue
            template = route.template.replace("<id:pk>", "{id}")
            for operation in schema["paths"][template].values():
                (parameter,) = [p for p in operation["parameters"] if p["in"] == "path"]
                assert parameter["schema"]["type"] == "integer"
                assert parameter["schema"]["maximum"] == INT64_MAX


@pytest.mark.django_db
def test_every_route_answers_for_a_real_id(editor):
    """The converters do not stand in the way of a real row (read with the row's own key)."""
    rows = one_row_of_each(editor.user)
    for route in json_api_routes():
        if not route.parameters or "GET" not in route.methods:
            continue
        response = editor.get(concrete_url(route, rows))
        assert response.status_code in {200, 403}, (route.template, response.content)


# ---------------------------------------------------------------------------------------------
# Bodies: related rows written by id


@pytest.mark.parametrize("value", [*NOT_IDS, True, 1.0, 1.5, INT64_MAX + 1, -(2**63) - 1])
def test_a_related_id_that_is_not_one_is_400_naming_the_field(editor, value):
    body = {
        "occurred_on": "2026-11-16",
        "kind": "meeting",
        "subject": "Họp",
        "organizations": [value],
        "people": [value],
        "owner_unit": value,
    }
    response = editor.post(f"{BASE}/interactions/", body, format="json")
    assert response.status_code == 400, response.content
    assert {"organizations", "people", "owner_unit"} <= set(response.json())


def test_a_related_id_as_digits_in_a_string_is_read(editor):
    person = PersonFactory()
    body = {"occurred_on": "2026-11-16", "kind": "meeting", "subject": "Họp"}
    response = editor.post(
        f"{BASE}/interactions/", {**body, "people": [str(person.pk)]}, format="json"
    )
    assert response.status_code == 201, response.content
    assert [p["id"] for p in response.json()["people"]] == [person.pk]
