"""Partners are found by every spelling they carry, and the reference data says only what its
sources say (issue 12). Runs on SQLite and PostgreSQL (trigram path) alike."""

import datetime
import re
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from api.models import ApiToken
from contacts.demo import load_demo
from contacts.models import Country, Interaction, Organization, Person, Unit
from contacts.reference import load_reference
from contacts.services import save_interaction, save_record
from crm.text import fold, join_for_search, normalize_name, search_terms
from events.models import Anniversary, Event
from tests.factories import (
    AgreementFactory,
    EventFactory,
    InteractionFactory,
    OrganizationFactory,
    ParticipantFactory,
    PersonFactory,
    PositionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 26)


def client_for(role: str, language: str = "vi") -> APIClient:
    user = UserFactory(role=role)
    _token, key = ApiToken.issue(user, scopes=["read"])
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def found(client: APIClient, resource: str, query: str) -> set[int]:
    response = client.get(f"/api/v1/{resource}/", {"q": query, "page_size": 500})
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# ---------------------------------------------------------------------------------------------
# The issue's examples, against the demo data


@pytest.fixture
def demo():
    load_reference()
    load_demo(today=TODAY)


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_demo_interactions_are_found_by_every_spelling_of_their_partner(demo, role):
    """Every interaction with an organisation of Prey Veng (or Champasak) is found by each
    spelling of the name: Vietnamese reading, English, native script, joined up."""
    client = client_for(role)
    visible = Interaction.objects.visible_to(UserFactory(role=role))
    cases = [
        ("KH-14", ("pray veng", "prey veng", "Prey Veng Province", "ព្រៃវែង", "ខេត្តព្រៃវែង")),
        ("LA-CH", ("cham pa xac", "champasak", "champaxac", "chăm-pa-xắc", "ແຂວງຈໍາປາສັກ")),
    ]
    for code, spellings in cases:
        linked = set(
            visible.filter(organizations__subdivision_code=code)
            .values_list("pk", flat=True)
            .distinct()
        )
        assert len(linked) >= 3, code
        for spelling in spellings:
            assert linked <= found(client, "interactions", spelling), spelling


def test_demo_people_are_found_by_their_organisation(demo):
    client = client_for("viewer")
    holders = set(
        Person.objects.filter(positions__organization__subdivision_code="KH-14").values_list(
            "pk", flat=True
        )
    )
    assert holders
    assert holders <= found(client, "people", "prey veng")
    assert holders <= found(client, "people", "prây veng")


def test_demo_khmer_provinces_are_found_by_their_usual_spelling(demo):
    for code, usual in [("KH-10", "ខេត្តក្រចេះ"), ("KH-16", "ខេត្តរតនគិរី"), ("KH-23", "ខេត្តកែប")]:
        assert list(Organization.objects.search(usual).values_list("subdivision_code", flat=True))
        assert Organization.objects.search(usual).get().subdivision_code == code
    spaced = Organization.objects.filter(name_native__contains="ខេត្ត ")
    assert not spaced.exists()


# ---------------------------------------------------------------------------------------------
# Factory-built rows: every spelling, and the text follows renames and relation changes


@pytest.fixture
def partner():
    return OrganizationFactory(
        name_native="ແຂວງຈໍາປາສັກ", name_vi="tỉnh Chăm-pa-xắc", name_en="Champasak Province"
    )


@pytest.fixture
def chanthy():
    return PersonFactory(
        full_name_native="សុខ ចាន់ធី", name_latin="Sok Chanthy", name_vi="Xốc Chăn-thi"
    )


def test_hyphenated_readings_match_joined_up_and_apart(chanthy):
    for query in ("chanthi", "chan thi", "chăn-thi", "Xốc Chăn-thi", "xoc chanthi"):
        assert Person.objects.search(query).get() == chanthy, query
    # Khmer family and given names written apart are found typed joined up.
    assert Person.objects.search("សុខចាន់ធី").get() == chanthy


def test_interaction_found_by_its_organisations_and_people(partner, chanthy):
    user = UserFactory(role="editor")
    interaction = save_interaction(
        InteractionFactory.build(subject="Làm việc", summary=""),
        values={},
        people=[chanthy],
        relations={"organizations": [partner]},
        user=user,
    )
    for query in ("champasak", "cham pa xac", "ຈໍາປາສັກ", "sok chanthy", "chanthi", "ចាន់ធី"):
        assert Interaction.objects.search(query).get() == interaction, query

    # Relations changed through the service: the old names leave, the new ones come.
    other = OrganizationFactory(name_native="Pursat", name_en="Pursat Province", name_vi="")
    save_interaction(
        interaction, values={}, people=[], relations={"organizations": [other]}, user=user
    )
    assert not Interaction.objects.search("champasak").exists()
    assert not Interaction.objects.search("chanthi").exists()
    assert Interaction.objects.search("pursat").get() == interaction


def test_renames_reach_every_row_that_names_them(partner, chanthy):
    interaction = InteractionFactory(subject="Gặp gỡ", summary="")
    interaction.organizations.set([partner])
    ParticipantFactory(interaction=interaction, person=chanthy)
    interaction.refresh_search()
    agreement = AgreementFactory(title="Bản ghi nhớ", summary="")
    save_record(agreement, values={}, relations={"parties": [partner]})
    event = EventFactory(title_vi="Hội nghị", title_en="", description_vi="", description_en="")
    save_record(event, values={}, relations={"organizations": [partner], "people": [chanthy]})
    holder = PositionFactory(organization=partner).person

    save_record(partner, values={"name_en": "Champassak Province (new)"})
    for model, row in [
        (Interaction, interaction),
        (Person, holder),
        (Event, event),
        (type(agreement), agreement),
    ]:
        assert model.objects.search("champassak").filter(pk=row.pk).exists(), model

    save_record(chanthy, values={"name_latin": "Sok Chanthea"})
    assert Interaction.objects.search("chanthea").get() == interaction
    assert Event.objects.search("chanthea").get() == event


def test_posts_and_participants_changed_one_by_one_follow(partner, chanthy):
    position = PositionFactory(person=chanthy, organization=partner)
    assert Person.objects.search("champasak").get() == chanthy
    position.delete()
    assert not Person.objects.search("champasak").exists()

    interaction = InteractionFactory(subject="Gặp gỡ", summary="")
    participant = ParticipantFactory(interaction=interaction, person=chanthy)
    assert Interaction.objects.search("chanthi").get() == interaction
    participant.delete()
    assert not Interaction.objects.search("chanthi").exists()


def test_rebuilding_dependents_is_set_based(partner):
    """Renaming an organisation named by 3 or by 15 interactions costs the same queries."""

    def rename_cost(count: int, name: str) -> int:
        organization = OrganizationFactory(name_native=name, name_vi="", name_en="")
        for _ in range(count):
            InteractionFactory().organizations.add(organization)
        Interaction.objects.filter(organizations=organization).first().refresh_search()
        organization = Organization.objects.get(pk=organization.pk)
        with CaptureQueriesContext(connection) as queries:
            save_record(organization, values={"name_en": f"{name} renamed"})
        assert Interaction.objects.search(f"{name} renamed").count() == count
        return len(queries)

    assert rename_cost(3, "Alpha") == rename_cost(15, "Bravo")


# ---------------------------------------------------------------------------------------------
# Names normalised on input, in one place (the model), for the admin and the API alike


def test_names_are_normalised_by_the_model():
    organization = OrganizationFactory.build(
        name_native="ខេត្ត  ក្រចេះ",
        name_vi="  tỉnh\u00a0Kra-chê ",
        name_en="Kratie\tProvince",
        country=Country.objects.get_or_create(code="KH", defaults={"name_vi": "C", "name_en": "C"})[
            0
        ],
    )
    organization.full_clean()
    assert organization.name_native == "ខេត្តក្រចេះ"
    assert organization.name_vi == "tỉnh Kra-chê"
    assert organization.name_en == "Kratie Province"
    person = PersonFactory.build(full_name_native="Nguye\u0302\u0303n  Văn An")
    person.clean_fields(exclude=["nationality", "residence_country", "owner_unit"])
    assert person.full_name_native == "Nguyễn Văn An"


def test_names_are_normalised_through_the_api():
    client = client_for("editor", "en")
    client_user = UserFactory(role="editor")
    _token, key = ApiToken.issue(client_user, scopes=["read", "write"])
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    Country.objects.get_or_create(code="LA", defaults={"name_vi": "Lào", "name_en": "Laos"})
    response = client.post(
        "/api/v1/organizations/",
        {"name_native": "ແຂວງ ສາລະວັນ ", "kind": "counterpart_province", "country": "LA"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["name_native"] == "ແຂວງສາລະວັນ"
    assert found(client, "organizations", "ແຂວງສາລະວັນ") == {response.json()["id"]}


khmer_letters = st.characters(min_codepoint=0x1780, max_codepoint=0x17B3)
pieces = st.one_of(
    st.characters(min_codepoint=0x1780, max_codepoint=0x17B3),  # Khmer letters
    st.sampled_from([" ", "  ", "\t", "\u00a0", "-", "a", "ă", "Đ", "ແ", "ຂ", "ខេត្ត ", "ແຂວງ "]),
)
texts = st.lists(pieces, max_size=12).map("".join)


@settings(max_examples=60, deadline=None)
@given(texts)
def test_normalize_name_properties(text):
    name = normalize_name(text)
    assert normalize_name(name) == name  # idempotent: stored names stay as they are
    assert unicodedata.is_normalized("NFC", name)
    assert "  " not in name and name == name.strip()
    assert not re.search("(?<![\u1780-\u17ff])ខេត្ត [\u1780-\u17ff]", name)
    # Whatever was typed, the stored name is found by itself and by its folded form.
    if search_terms(name):
        stored = join_for_search(name)
        assert all(term in stored for term in search_terms(name))
        assert all(term in stored for term in search_terms(fold(name)))


def test_normalize_name_rule():
    assert normalize_name("ខេត្ត ក្រចេះ") == "ខេត្តក្រចេះ"
    assert normalize_name("ແຂວງ ຈໍາປາສັກ") == "ແຂວງຈໍາປາສັກ"
    assert normalize_name("ນະຄອນຫຼວງ ວຽງຈັນ") == "ນະຄອນຫຼວງວຽງຈັນ"
    assert normalize_name("ហ៊ុន សែន") == "ហ៊ុន សែន"  # a person's names stay apart
    assert normalize_name("ខេត្ត Kratie") == "ខេត្ត Kratie"  # another script follows


# ---------------------------------------------------------------------------------------------
# Reference data: only what its sources say, in Vietnamese and English


@pytest.fixture
def reference():
    return load_reference()


def test_units_are_data_with_their_status(reference):
    assert Unit.objects.get(code="so-ngoai-vu").status == Unit.Status.TO_CONFIRM
    assert Unit.objects.get(code="lhhn").status == Unit.Status.CONFIRMED
    assert not Unit.objects.filter(receives_reports=True).exists()  # the province says which
    first, second = Unit.objects.all()[:2]
    first.receives_reports = True
    first.full_clean()
    first.save()
    second.receives_reports = True
    with pytest.raises(ValidationError) as raised:
        second.full_clean()
    assert "yearly reports" in str(raised.value)


def test_anniversaries_name_what_the_date_is(reference):
    charter = Anniversary.objects.get(code="asean-charter")
    assert charter.kind == Anniversary.Kind.ENTRY_INTO_FORCE
    assert "in force" in charter.title_en and "hiệu lực" in charter.title_vi
    union = Anniversary.objects.get(code="dong-thap-ufo-founding")
    assert union.origin_year == 1988
    assert "predecessor" in union.title_en and "tiền thân" in union.title_vi
    assert "1994" in union.notes and "1994" in union.notes_en


def test_reference_texts_carry_both_languages(reference):
    for country in Country.objects.exclude(national_day_name_en=""):
        assert country.national_day_name_vi, country.code
    for country in Country.objects.exclude(notes_en=""):
        assert country.notes_vi, country.code
    for organization in Organization.objects.exclude(notes_en=""):
        assert organization.notes, organization.subdivision_code
    for anniversary in Anniversary.objects.exclude(notes_en=""):
        assert anniversary.notes, anniversary.code
    assert load_reference() == reference  # idempotent with the new fields


@pytest.mark.parametrize(
    ("language", "national_day", "notes"),
    [("vi", "Ngày Độc lập (1953)", None), ("en", "Independence Day (1953)", None)],
)
def test_api_serves_reference_texts_in_the_readers_language(
    reference, language, national_day, notes
):
    client = client_for("viewer", language)
    body = client.get("/api/v1/countries/KH/").json()
    assert body["national_day_name"] == national_day
    assert body["national_day_name_vi"] == "Ngày Độc lập (1953)"
    assert body["national_day_name_en"] == "Independence Day (1953)"
    timor_leste = client.get("/api/v1/countries/TL/").json()
    assert ("20/5" if language == "vi" else "20 May") in timor_leste["notes"]
