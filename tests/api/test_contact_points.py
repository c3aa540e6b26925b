"""Contact points are written inside their person or organisation: add, change, remove at once."""

import pytest

from contacts.models import ContactPoint
from tests.factories import CountryFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

PEOPLE = "/api/v1/people/"


@pytest.fixture(autouse=True)
def countries(db):
    for code in ("KH", "LA", "VN", "TH"):
        CountryFactory(code=code)


def cambodian(api, *points):
    data = {
        "full_name_native": "សុខ ចាន់ធី",
        "name_latin": "Sok Chanthy",
        "category": "counterpart_official",
        "nationality": "KH",
        "contact_points": list(points),
    }
    response = api.post(PEOPLE, data, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_business_card_number_comes_back_in_e164(api):
    body = cambodian(api, {"kind": "phone", "label": "mobile", "value": "012 345 678"})
    assert body["contact_points"][0]["value"] == "+85512345678"
    assert body["contact_points"][0]["display_value"] == "+855 12 345 678"


def test_a_cambodian_and_a_lao_number_on_one_person(api):
    body = cambodian(
        api,
        {"kind": "phone", "value": "012 345 678"},
        {"kind": "whatsapp", "value": "+856 20 23 123 456"},
        {"kind": "email", "value": "Chanthy@Example.org"},
    )
    assert [p["value"] for p in body["contact_points"]] == [
        "+85512345678",
        "+8562023123456",
        "chanthy@example.org",
    ]


def test_put_changes_adds_and_removes_in_one_request(api):
    body = cambodian(
        api,
        {"kind": "phone", "value": "012 345 678"},
        {"kind": "email", "value": "old@example.org"},
    )
    phone, email = body["contact_points"]
    response = api.patch(
        f"{PEOPLE}{body['id']}/",
        {
            "contact_points": [
                {"id": phone["id"], "kind": "phone", "value": "091 234 567", "is_primary": True},
                {"kind": "telegram", "value": "@chanthy"},
            ]
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    points = response.json()["contact_points"]
    assert [(p["kind"], p["value"], p["is_primary"]) for p in points] == [
        ("phone", "+85591234567", True),
        ("telegram", "@chanthy", False),
    ]
    assert points[0]["id"] == phone["id"]  # changed in place, not replaced
    assert not ContactPoint.objects.filter(pk=email["id"]).exists()
    assert ContactPoint.history.filter(id=email["id"], history_type="-").exists()


def test_patch_without_contact_points_leaves_them(api):
    body = cambodian(api, {"kind": "phone", "value": "012 345 678"})
    response = api.patch(f"{PEOPLE}{body['id']}/", {"honorific": "Ngài"}, format="json")
    assert response.json()["contact_points"] == body["contact_points"]


def test_an_id_of_someone_elses_point_is_refused(api):
    first = cambodian(api, {"kind": "phone", "value": "012 345 678"})
    second = cambodian(api)
    stolen = first["contact_points"][0]["id"]
    response = api.patch(
        f"{PEOPLE}{second['id']}/",
        {"contact_points": [{"id": stolen, "kind": "phone", "value": "012 345 679"}]},
        format="json",
    )
    assert response.status_code == 400
    assert "does not belong" in response.json()["contact_points"][0]["id"][0]
    assert ContactPoint.objects.get(pk=stolen).value == "+85512345678"


def test_region_follows_the_country_in_the_same_request(api):
    body = cambodian(api)
    response = api.patch(
        f"{PEOPLE}{body['id']}/",
        {"nationality": "LA", "contact_points": [{"kind": "phone", "value": "020 23 123 456"}]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["contact_points"][0]["value"] == "+8562023123456"


def test_organisation_contact_points(api):
    org = OrganizationFactory(country=CountryFactory(code="TH"))
    response = api.patch(
        f"/api/v1/organizations/{org.pk}/",
        {"contact_points": [{"kind": "phone", "value": "02 123 4567"}]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["contact_points"][0]["value"] == "+6621234567"


def test_contact_values_are_searchable_through_the_api(api):
    body = cambodian(api, {"kind": "phone", "value": "012 345 678"})
    found = api.get(PEOPLE, {"q": "012 345 678"}).json()["results"]
    assert [row["id"] for row in found] == [body["id"]]
