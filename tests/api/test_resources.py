"""Every resource under /api/v1/: list, retrieve, create, PUT, PATCH, delete, anonymous."""

import pytest

from tests.api.crud import CRUDTests
from tests.factories import (
    AgreementFactory,
    CountryFactory,
    FollowUpFactory,
    InteractionFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


class TestCountries(CRUDTests):
    endpoint = "countries"
    factory = CountryFactory
    read_only = True
    lookup = "code"

    def make(self):
        return CountryFactory(code="TH")

    def test_code_is_case_insensitive_and_asean_flag(self, api):
        CountryFactory(code="BN", asean_joined_on="1984-01-07")
        body = api.get(f"{self.url()}bn/").json()
        assert body["id"] == body["code"] == "BN"
        assert body["asean_member"] is True
        assert api.get(self.url(), {"asean": "true"}).json()["count"] == 1


class TestUnits(CRUDTests):
    endpoint = "units"
    factory = UnitFactory
    read_only = True


class TestOrganizations(CRUDTests):
    endpoint = "organizations"
    factory = OrganizationFactory
    create_data = {
        "name_native": "ខេត្តព្រៃវែង",
        "name_vi": "tỉnh Prây Veng",
        "name_en": "Prey Veng Province",
        "kind": "counterpart_province",
        "country": "KH",
        "subdivision_code": "KH-14",
        "pillars": ["economic", "socio_cultural"],
        "tags": ["kết nghĩa"],
        "contact_points": [{"kind": "phone", "value": "043 944 444"}],
    }
    update_data = {
        "name_native": "ແຂວງຈໍາປາສັກ",
        "name_vi": "tỉnh Chăm-pa-xắc",
        "name_en": "Champasak Province",
        "abbreviation": "",
        "kind": "counterpart_province",
        "country": "LA",
        "region": "Champasak",
        "subdivision_code": "LA-CH",
        "website": "",
        "address": "",
        "relationship_status": "active",
        "notes": "",
        "pillars": [],
        "tags": [],
        "contact_points": [],
    }
    patch_data = {"relationship_status": "dormant"}

    def test_create_stores_pillars_tags_and_contact_points(self, api):
        body = api.post(self.url(), self.create_data, format="json").json()
        assert body["pillars"] == ["economic", "socio_cultural"]
        assert body["tags"] == ["kết nghĩa"]
        assert body["contact_points"][0]["value"] == "+85543944444"

    def test_current_people(self, api):
        org = OrganizationFactory()
        current = PositionFactory(organization=org, title="Tỉnh trưởng")
        PositionFactory(organization=org, end_date="2020-01-01", start_date="2015-01-01")
        body = api.get(self.url(org)).json()
        assert [p["id"] for p in body["current_people"]] == [current.pk]
        assert body["current_people"][0]["person"]["id"] == current.person_id

    def test_purge_of_a_referenced_row_is_409(self, api):
        position = PositionFactory()
        org = position.organization
        assert api.delete(self.url(org)).status_code == 204  # archived
        response = api.post(f"{self.url(org)}purge/")
        assert response.status_code == 409
        assert "positions" in response.json()["detail"]


class TestPeople(CRUDTests):
    endpoint = "people"
    factory = PersonFactory
    create_data = {
        "full_name_native": "សុខ ចាន់ធី",
        "name_latin": "Sok Chanthy",
        "name_vi": "Xốc Chăn-thi",
        "category": "counterpart_official",
        "nationality": "KH",
        "languages": ["km", "vi"],
        "birth_month": 2,
        "birth_day": 29,
    }
    update_data = {
        "full_name_native": "ສົມພອນ ແກ້ວມະນີ",
        "name_latin": "Somphone Keomany",
        "name_vi": "Xổm-phon Kẹo-ma-ni",
        "honorific": "Ông",
        "gender": "male",
        "nationality": "LA",
        "residence_country": "LA",
        "category": "counterpart_official",
        "home_commune": "",
        "home_commune_former": "",
        "occupation": "",
        "languages": ["lo"],
        "birth_year": None,
        "birth_month": None,
        "birth_day": None,
        "notes": "",
        "tags": [],
        "contact_points": [],
    }
    patch_data = {"honorific": "Ngài"}


class TestPositions(CRUDTests):
    endpoint = "positions"
    factory = PositionFactory
    create_data = {
        "person": lambda: PersonFactory().pk,
        "organization": lambda: OrganizationFactory().pk,
        "title": "Phó Tỉnh trưởng",
        "start_date": "2024-01-01",
    }
    update_data = {
        "person": lambda: PersonFactory().pk,
        "organization": lambda: OrganizationFactory().pk,
        "title": "Tỉnh trưởng",
        "department": "",
        "start_date": "2024-12-01",
        "end_date": None,
        "is_primary": True,
    }
    patch_data = {"end_date": "2030-01-01"}

    def test_reads_short_forms_and_current_filter(self, api):
        current = PositionFactory()
        PositionFactory(start_date="2010-01-01", end_date="2012-01-01")
        body = api.get(self.url(), {"current": "true"}).json()
        assert [row["id"] for row in body["results"]] == [current.pk]
        row = body["results"][0]
        assert row["person"]["name_vi"] == current.person.name_vi
        assert row["organization"]["country"] == current.organization.country_id
        assert row["is_current"] is True
        assert api.get(self.url(), {"current": "false"}).json()["count"] == 1

    def test_end_before_start_is_400_naming_the_field(self, api):
        data = self.resolve(self.create_data) | {"end_date": "2023-01-01"}
        response = api.post(self.url(), data, format="json")
        assert response.status_code == 400
        assert "end_date" in response.json()


class TestInteractions(CRUDTests):
    endpoint = "interactions"
    factory = InteractionFactory
    create_data = {
        "occurred_on": "2026-11-16",
        "occurred_time": "09:30:00",
        "kind": "inbound_delegation",
        "subject": "Đoàn tỉnh Prây Veng chào xã giao",
        "summary": "Trao đổi về cửa khẩu Thường Phước – Kaoh Roka.",
        "people": lambda: [PersonFactory().pk, PersonFactory().pk],
        "organizations": lambda: [OrganizationFactory().pk],
        "pillars": ["political_security"],
        "confidentiality": "internal",
    }
    update_data = {
        "occurred_on": "2026-11-17",
        "occurred_time": None,
        "time_zone": "Asia/Phnom_Penh",
        "kind": "meeting",
        "subject": "Làm việc",
        "summary": "",
        "outcome": "",
        "location": "",
        "people": [],
        "organizations": [],
        "staff": [],
        "pillars": [],
        "confidentiality": "public",
    }
    patch_data = {"outcome": "Thống nhất ký biên bản."}

    def test_create_with_participants_reads_them_back(self, api, api_user):
        data = self.resolve(self.create_data) | {"staff": [api_user.pk]}
        body = api.post(self.url(), data, format="json").json()
        assert sorted(p["id"] for p in body["people"]) == sorted(data["people"])
        assert body["people"][0]["role"] == ""
        assert body["staff"] == [
            {"id": api_user.pk, "username": "officer", "full_name": "Thu Nguyễn"}
        ]
        assert body["organizations"][0]["id"] == data["organizations"][0]

    def test_removing_a_participant_is_recorded(self, api):
        body = api.post(self.url(), self.resolve(self.create_data), format="json").json()
        keep = body["people"][0]["id"]
        response = api.patch(f"{self.url()}{body['id']}/", {"people": [keep]}, format="json")
        assert [p["id"] for p in response.json()["people"]] == [keep]
        from contacts.models import Participant

        assert Participant.history.filter(history_type="-").count() == 1

    def test_unknown_time_zone_is_400(self, api):
        data = self.resolve(self.create_data) | {"time_zone": "Mars/Olympus"}
        response = api.post(self.url(), data, format="json")
        assert response.status_code == 400
        assert "Mars/Olympus" in response.json()["time_zone"][0]


class TestFollowUps(CRUDTests):
    endpoint = "follow-ups"
    factory = FollowUpFactory
    create_data = {
        "interaction": lambda: InteractionFactory().pk,
        "action": "Gửi biên bản đã ký",
        "due_on": "2026-11-30",
    }
    update_data = {
        "interaction": lambda: InteractionFactory().pk,
        "action": "Dự thảo MoU 2026–2030",
        "details": "",
        "due_on": "2026-12-15",
        "assignee": None,
        "status": "open",
        "done_at": None,
    }
    patch_data = {"status": "cancelled"}

    def test_marking_done_records_when(self, api):
        follow_up = FollowUpFactory()
        body = api.patch(self.url(follow_up), {"status": "done"}, format="json").json()
        assert body["status"] == "done" and body["done_at"] is not None

    def test_due_before(self, api):
        soon = FollowUpFactory(due_on="2026-11-30")
        FollowUpFactory(due_on="2027-01-15")
        body = api.get(self.url(), {"due_before": "2026-12-01"}).json()
        assert [row["id"] for row in body["results"]] == [soon.pk]


class TestAgreements(CRUDTests):
    endpoint = "agreements"
    factory = AgreementFactory
    create_data = {
        "title": "Biên bản ghi nhớ hợp tác giai đoạn 2026–2030",
        "kind": "mou",
        "parties": lambda: [OrganizationFactory().pk],
        "status": "draft",
    }
    update_data = {
        "title": "Biên bản ghi nhớ hợp tác giai đoạn 2022–2025",
        "kind": "mou",
        "parties": [],
        "signed_on": "2022-03-01",
        "signed_at": "Pakse",
        "valid_from": "2022-03-01",
        "valid_until": "2025-12-31",
        "status": "expired",
        "summary": "",
    }
    patch_data = {"status": "in_force"}

    def test_valid_until_before_signing_is_400(self, api):
        data = self.resolve(self.create_data) | {
            "signed_on": "2026-01-01",
            "valid_until": "2025-01-01",
        }
        response = api.post(self.url(), data, format="json")
        assert response.status_code == 400
        assert "valid_until" in response.json()
