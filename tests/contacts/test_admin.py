"""The admin is the staff's data-entry screen: every page opens, edits are attributed."""

import pytest
from django.contrib import admin
from django.urls import reverse

from contacts.models import ContactPoint, Organization, Person, PillarTag
from tests.factories import (
    AgreementFactory,
    ContactPointFactory,
    CountryFactory,
    FollowUpFactory,
    InteractionFactory,
    OrganizationFactory,
    ParticipantFactory,
    PersonFactory,
    PositionFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_of_each():
    CountryFactory(code="KH")
    UnitFactory()
    PositionFactory()
    ContactPointFactory()
    ParticipantFactory()
    FollowUpFactory()
    AgreementFactory().parties.add(OrganizationFactory())
    Organization.objects.first().tags.create(name="kết nghĩa")


def contact_models():
    return [m for m in admin.site._registry if m._meta.app_label == "contacts"]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", contact_models(), ids=lambda m: m.__name__)
def test_every_page_answers_200(admin_client, one_of_each, model):
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    assert admin_client.get(admin_url(model, "changelist"), {"q": "dong thap"}).status_code == 200
    obj = model.objects.first()
    assert obj is not None, f"no {model.__name__} row to open"
    assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200
    assert admin_client.get(admin_url(model, "history", obj.pk)).status_code == 200
    expected_add = 403 if model is PillarTag else 200
    assert admin_client.get(admin_url(model, "add")).status_code == expected_add


def test_changelist_search_ignores_accents(admin_client):
    PersonFactory(full_name_native="Nguyễn Văn An", name_vi="Nguyễn Văn An")
    PersonFactory(full_name_native="Trần Thị Bình", name_vi="Trần Thị Bình")
    response = admin_client.get(admin_url(Person, "changelist"), {"q": "nguyen van an"})
    assert "Nguyễn Văn An" in response.text
    assert "Trần Thị Bình" not in response.text


def test_autocomplete_ignores_accents(admin_client):
    OrganizationFactory(name_vi="Ủy ban nhân dân tỉnh Đồng Tháp")
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "dong thap",
            "app_label": "contacts",
            "model_name": "position",
            "field_name": "organization",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["Ủy ban nhân dân tỉnh Đồng Tháp"]


def inline_management(prefix: str, total: int = 1) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": 0,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


def person_form(country: str, phone: str) -> dict:
    return {
        "full_name_native": "សុខ ចាន់ធី",
        "name_latin": "Sok Chanthy",
        "name_vi": "Xốc Chăn-thi",
        "category": Person.Category.COUNTERPART_OFFICIAL,
        "nationality": country,
        "languages": ["km", "vi"],
        **inline_management("contact_points"),
        "contact_points-0-kind": "phone",
        "contact_points-0-label": "mobile",
        "contact_points-0-value": phone,
        **inline_management("positions", 0),
    }


def test_adding_a_person_with_a_phone_normalises_it_and_records_who(admin_client, staff_user):
    CountryFactory(code="KH")
    response = admin_client.post(admin_url(Person, "add"), person_form("KH", "012 345 678"))
    assert response.status_code == 302, response.context["errors"]
    person = Person.objects.get()
    assert person.languages == ["km", "vi"]
    assert person.contact_points.get().value == "+85512345678"
    assert person.created_by == person.updated_by == staff_user
    assert person.history.get().history_user == staff_user
    assert ContactPoint.history.get().history_user == staff_user
    assert Person.objects.search("012 345 678", personal=True).get() == person


def test_an_invalid_phone_is_shown_and_nothing_is_saved(admin_client):
    CountryFactory(code="KH")
    response = admin_client.post(admin_url(Person, "add"), person_form("KH", "012 34"))
    assert response.status_code == 200
    errors = " ".join(str(e) for e in response.context["inline_admin_formsets"][0].formset.errors)
    assert "012 34" in errors and "KH" in errors
    assert not Person.objects.exists()


def test_a_change_records_the_user_in_history(admin_client, staff_user):
    person = PersonFactory()
    data = person_form("KH", "091 234 567") | {"name_vi": "Xốc Chanh-thi"}
    response = admin_client.post(admin_url(Person, "change", person.pk), data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.updated_by == staff_user
    latest = person.history.first()
    assert latest.history_user == staff_user
    assert latest.name_vi == "Xốc Chanh-thi"


def test_interaction_page_has_participants_and_follow_ups_inlines(admin_client):
    interaction = InteractionFactory()
    response = admin_client.get(admin_url(type(interaction), "change", interaction.pk))
    assert 'id="participants-group"' in response.text
    assert 'id="follow_ups-group"' in response.text


def test_labels_are_vietnamese_first_and_english_on_request(admin_client):
    url = admin_url(Person, "changelist")
    assert "Chọn cá nhân để thay đổi" in admin_client.get(url).text
    english = admin_client.get(url, headers={"accept-language": "en"}).text
    assert "Select person to change" in english


def test_the_admin_hides_restricted_interactions_like_the_api(client):
    from contacts.models import Confidentiality
    from tests.factories import UserFactory

    viewer = UserFactory(role="viewer")
    client.force_login(viewer)
    InteractionFactory(subject="Buổi gặp công khai XYZ", confidentiality=Confidentiality.PUBLIC)
    secret = InteractionFactory(
        subject="Buổi gặp mật QWE", confidentiality=Confidentiality.RESTRICTED
    )
    from contacts.models import Interaction

    page = client.get(admin_url(Interaction, "changelist"))
    assert page.status_code == 200
    assert "Buổi gặp công khai XYZ" in page.text and "QWE" not in page.text
    assert client.get(admin_url(Interaction, "change", secret.pk)).status_code == 302
