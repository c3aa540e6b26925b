"""Errors: 404, 405, 415; unknown or malformed filter values and page sizes are 400 naming the
parameter; nested contact point errors keep their position, and a failed write leaves nothing."""

import pytest

from contacts.models import ContactPoint, Person, Tag
from tests.factories import (
    ContactPointFactory,
    CountryFactory,
    InteractionFactory,
    PersonFactory,
    PositionFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

BASE = "/api/v1"
LISTS = [
    "countries",
    "units",
    "organizations",
    "people",
    "positions",
    "interactions",
    "follow-ups",
    "agreements",
]
WRITABLE = LISTS[2:]


@pytest.fixture
def rows(db):
    """One row of every resource, so that detail URLs exist."""
    CountryFactory(code="KH")
    position = PositionFactory()
    interaction = InteractionFactory()
    return {
        "countries": "KH",
        "units": UnitFactory().pk,
        "organizations": position.organization_id,
        "people": position.person_id,
        "positions": position.pk,
        "interactions": interaction.pk,
        "follow-ups": interaction.follow_ups.create(action="Gửi thư").pk,
    }


# ---------------------------------------------------------------------------------------------
# 404


@pytest.mark.parametrize("resource", LISTS)
def test_unknown_id_is_404(api, resource):
    key = "ZZ" if resource == "countries" else 999999
    response = api.get(f"{BASE}/{resource}/{key}/")
    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize("resource", WRITABLE)
def test_writes_to_an_unknown_id_are_404(api, resource):
    url = f"{BASE}/{resource}/999999/"
    assert api.put(url, {}, format="json").status_code == 404
    assert api.patch(url, {}, format="json").status_code == 404
    assert api.delete(url).status_code == 404


@pytest.mark.parametrize("owner", ["people", "organizations"])
def test_contact_history_of_an_unknown_id_is_404(api, owner):
    assert api.get(f"{BASE}/{owner}/999999/contact-history/").status_code == 404


def test_malformed_ids_and_unknown_paths_are_404(api, rows):
    assert api.get(f"{BASE}/people/abc/").status_code == 404
    assert api.get(f"{BASE}/countries/KHM/").status_code == 404
    assert api.get(f"{BASE}/no-such-resource/").status_code == 404


# ---------------------------------------------------------------------------------------------
# 405


@pytest.mark.parametrize("resource", ["countries", "units"])
def test_read_only_resources_refuse_writes(api, rows, resource):
    detail = f"{BASE}/{resource}/{rows[resource]}/"
    assert api.post(f"{BASE}/{resource}/", {}, format="json").status_code == 405
    assert api.put(detail, {}, format="json").status_code == 405
    assert api.patch(detail, {}, format="json").status_code == 405
    response = api.delete(detail)
    assert response.status_code == 405
    assert "DELETE" in response.json()["detail"]


@pytest.mark.parametrize("resource", WRITABLE)
def test_wrong_method_on_list_is_405(api, resource):
    url = f"{BASE}/{resource}/"
    for method in ("put", "patch", "delete"):
        assert getattr(api, method)(url, {}, format="json").status_code == 405, method


def test_post_on_a_detail_is_405(api, rows):
    assert api.post(f"{BASE}/people/{rows['people']}/", {}, format="json").status_code == 405


@pytest.mark.parametrize("owner", ["people", "organizations"])
def test_contact_history_is_read_only(api, rows, owner):
    url = f"{BASE}/{owner}/{rows[owner]}/contact-history/"
    assert api.post(url, {}, format="json").status_code == 405
    assert api.delete(url).status_code == 405


# ---------------------------------------------------------------------------------------------
# 415


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "text/csv"])
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH"])
def test_wrong_content_type_is_415(api, rows, method, content_type):
    url = f"{BASE}/people/" if method == "POST" else f"{BASE}/people/{rows['people']}/"
    response = api.generic(method, url, '{"honorific": "Ngài"}', content_type=content_type)
    assert response.status_code == 415
    assert content_type in response.json()["detail"]
    assert not Person.objects.filter(honorific="Ngài").exists()


def test_malformed_json_is_400(api):
    response = api.generic(
        "POST", f"{BASE}/people/", '{"name_vi": ', content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


# ---------------------------------------------------------------------------------------------
# Unknown or malformed filter values: 400 naming the parameter


BAD_FILTERS = [
    ("organizations", "kind", "bogus"),
    ("interactions", "kind", "bogus"),
    ("organizations", "country", "ZZ"),
    ("people", "country", "ZZ"),
    ("people", "nationality", "ZZ"),
    ("interactions", "country", "ZZ"),
    ("organizations", "pillar", "x"),
    ("interactions", "pillar", "x"),
    ("organizations", "status", "bogus"),
    ("agreements", "status", "bogus"),
    ("follow-ups", "status", "bogus"),
    ("people", "category", "bogus"),
    ("interactions", "confidentiality", "secret"),
    ("people", "organization", "999999"),
    ("people", "organization", "abc"),
    ("interactions", "person", "999999"),
    ("positions", "organization", "999999"),
    ("organizations", "owner_unit", "999999"),
    ("follow-ups", "due_before", "soon"),
    ("follow-ups", "assignee", "abc"),
    *[(resource, "ordering", "bogus") for resource in LISTS],
    *[(resource, "updated_since", "yesterday") for resource in LISTS],
]


@pytest.mark.parametrize(("resource", "name", "value"), BAD_FILTERS)
def test_bad_filter_value_is_400_naming_it(api, resource, name, value):
    response = api.get(f"{BASE}/{resource}/", {name: value})
    assert response.status_code == 400, response.content
    body = response.json()
    assert list(body) == [name]
    assert body[name] and all(isinstance(message, str) for message in body[name])


def test_a_bad_field_among_good_ones_in_ordering_is_400(api):
    response = api.get(f"{BASE}/people/", {"ordering": "name_vi,-bogus"})
    assert response.status_code == 400
    assert "ordering" in response.json()


@pytest.mark.parametrize(("resource", "name"), [("positions", "current"), ("countries", "asean")])
def test_a_boolean_filter_refuses_other_values(api, rows, resource, name):
    """django-filter's own BooleanFilter reads "maybe" as "no filter" and returns every row."""
    response = api.get(f"{BASE}/{resource}/", {name: "maybe"})
    assert response.status_code == 400
    assert list(response.json()) == [name]
    for value in ("true", "false", "1", "0", "True"):
        assert api.get(f"{BASE}/{resource}/", {name: value}).status_code == 200, value


@pytest.mark.parametrize(
    ("resource", "name", "value"),
    [
        ("interactions", "date_after", "not-a-date"),
        ("interactions", "date_before", "2026-13-01"),
        ("agreements", "signed_after", "x"),
        ("agreements", "valid_until_before", "x"),
    ],
)
def test_a_bad_date_range_bound_is_400(api, resource, name, value):
    assert api.get(f"{BASE}/{resource}/", {name: value}).status_code == 400


@pytest.mark.parametrize("name", ["date_after", "date_before"])
def test_a_bad_date_bound_names_the_parameter_sent(api, name):
    response = api.get(f"{BASE}/interactions/", {name: "not-a-date"})
    assert list(response.json()) == [name]


@pytest.mark.parametrize("name", ["signed_after", "valid_until_before"])
def test_a_bad_agreement_date_bound_names_the_parameter_sent(api, name):
    response = api.get(f"{BASE}/agreements/", {name: "not-a-date"})
    assert list(response.json()) == [name]


@pytest.mark.parametrize(
    ("resource", "name", "value"),
    [
        ("people", "country", "ZZ"),
        ("people", "updated_since", "yesterday"),
        ("interactions", "date_after", "not-a-date"),
        ("positions", "current", "maybe"),
    ],
)
def test_a_filter_error_names_the_value(api, resource, name, value):
    """Shared convention: messages name the problem and the value."""
    response = api.get(f"{BASE}/{resource}/", {name: value})
    assert value in response.json()[name][0]


@pytest.mark.parametrize(
    ("name", "value"),
    [("since", "not-a-date"), ("until", "2026-02-30"), ("kind", "bogus"), ("pillar", "x")],
)
@pytest.mark.parametrize("owner", ["people", "organizations"])
def test_bad_contact_history_filter_is_400(api, rows, owner, name, value):
    response = api.get(f"{BASE}/{owner}/{rows[owner]}/contact-history/", {name: value})
    assert response.status_code == 400
    assert list(response.json()) == [name]


# ---------------------------------------------------------------------------------------------
# page_size


@pytest.mark.parametrize("size", ["0", "501", "abc", "-1", "1.5"])
@pytest.mark.parametrize("resource", ["people", "interactions"])
def test_page_size_out_of_range_or_malformed_is_400(api, resource, size):
    response = api.get(f"{BASE}/{resource}/", {"page_size": size})
    assert response.status_code == 400
    assert list(response.json()) == ["page_size"]
    assert "500" in response.json()["page_size"][0]


def test_page_size_bounds_on_contact_history(api, rows):
    url = f"{BASE}/people/{rows['people']}/contact-history/"
    assert api.get(url, {"page_size": "501"}).status_code == 400
    assert api.get(url, {"page_size": "500"}).status_code == 200


def test_page_size_500_and_default_50(api):
    PersonFactory.create_batch(51, nationality=CountryFactory(code="KH"))
    default = api.get(f"{BASE}/people/").json()
    assert len(default["results"]) == 50
    assert default["next"] is not None
    body = api.get(f"{BASE}/people/", {"page_size": "500"}).json()
    assert len(body["results"]) == body["count"] == 51
    assert body["next"] is None
    assert len(api.get(f"{BASE}/people/", {"page_size": "1"}).json()["results"]) == 1


# ---------------------------------------------------------------------------------------------
# Nested contact points: errors keep their position; nothing is written


@pytest.fixture
def countries(db):
    for code in ("KH", "LA", "VN"):
        CountryFactory(code=code)


def cambodian(**extra) -> dict:
    return {
        "full_name_native": "ស៊ឹម សុភា",
        "name_latin": "Sim Sophea",
        "category": "counterpart_official",
        "nationality": "KH",
        **extra,
    }


def test_a_bad_second_number_names_its_position_and_region(api, countries):
    data = cambodian(
        tags=["tag mới"],
        contact_points=[
            {"kind": "phone", "value": "012 345 678"},
            {"kind": "phone", "value": "012 34"},
        ],
    )
    response = api.post(f"{BASE}/people/", data, format="json")
    assert response.status_code == 400
    body = response.json()
    assert list(body) == ["contact_points"]
    first, second = body["contact_points"]
    assert first == {}
    assert list(second) == ["value"]
    assert "012 34" in second["value"][0]
    assert "not a valid phone number for region KH" in second["value"][0]
    # Nothing written: no person, no point, no new tag, no history of any of them.
    assert not Person.objects.exists()
    assert not ContactPoint.objects.exists()
    assert not Tag.objects.exists()
    assert not Person.history.exists()
    assert not ContactPoint.history.exists()


def test_an_organisation_number_is_read_in_its_country(api, countries):
    data = {
        "name_native": "ແຂວງຈໍາປາສັກ",
        "kind": "counterpart_province",
        "country": "LA",
        "contact_points": [
            {"kind": "email", "value": "not-an-email"},
            {"kind": "phone", "value": "1"},
        ],
    }
    response = api.post(f"{BASE}/organizations/", data, format="json")
    assert response.status_code == 400
    email, phone = response.json()["contact_points"]
    assert "not-an-email" in email["value"][0]
    assert "region LA" in phone["value"][0]


def test_a_person_error_and_a_point_error_come_together(api, countries):
    data = cambodian(
        birth_month=2, birth_day=30, contact_points=[{"kind": "phone", "value": "012 34"}]
    )
    body = api.post(f"{BASE}/people/", data, format="json").json()
    assert set(body) == {"birth_day", "contact_points"}


@pytest.fixture
def sophea(api, countries):
    """A Cambodian with a phone and an email, created over HTTP (so with history)."""
    data = cambodian(
        honorific="Bà",
        tags=["kết nghĩa"],
        contact_points=[
            {"kind": "phone", "value": "012 345 678"},
            {"kind": "email", "value": "sophea@example.org"},
        ],
    )
    response = api.post(f"{BASE}/people/", data, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def snapshot(person_id: int) -> dict:
    person = Person.objects.get(pk=person_id)
    return {
        "person": (person.honorific, person.updated_at, person.search_text),
        "tags": sorted(person.tags.values_list("name", flat=True)),
        "points": sorted(
            ContactPoint.objects.filter(person=person).values_list("id", "kind", "value")
        ),
        "history": (Person.history.count(), ContactPoint.history.count()),
        "tag_rows": Tag.objects.count(),
    }


def test_a_patch_that_fails_half_way_changes_nothing(api, sophea):
    before = snapshot(sophea["id"])
    phone, _email = sophea["contact_points"]
    data = {
        "honorific": "Ngài",
        "tags": ["mới"],
        "contact_points": [
            {"id": phone["id"], "value": "011 222 333"},  # valid change
            {"kind": "phone", "value": "012 34"},  # invalid new point
        ],  # and the email left out: it would be removed
    }
    response = api.patch(f"{BASE}/people/{sophea['id']}/", data, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "contact_points": [{}, {"value": [response.json()["contact_points"][1]["value"][0]]}]
    }
    assert snapshot(sophea["id"]) == before
    assert api.get(f"{BASE}/people/{sophea['id']}/").json() == sophea


def test_a_point_of_someone_else_is_refused_and_nothing_changes(api, sophea):
    stranger = ContactPointFactory(person=PersonFactory())
    before = snapshot(sophea["id"])
    data = {"contact_points": [{"id": stranger.pk, "value": "x@example.org"}]}
    response = api.patch(f"{BASE}/people/{sophea['id']}/", data, format="json")
    assert response.status_code == 400
    assert "id" in response.json()["contact_points"][0]
    assert snapshot(sophea["id"]) == before
    stranger.refresh_from_db()
    assert stranger.value != "x@example.org"


def test_a_put_missing_a_required_field_names_it(api, sophea):
    response = api.put(f"{BASE}/people/{sophea['id']}/", {"name_vi": "Xim"}, format="json")
    assert response.status_code == 400
    assert {"full_name_native", "category"} <= set(response.json())
