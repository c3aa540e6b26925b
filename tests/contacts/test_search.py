"""Accent-free search, the same on SQLite and PostgreSQL (the suite runs on both)."""

import pytest

from contacts.models import ContactPoint, Interaction, Organization, Person
from tests.factories import (
    ContactPointFactory,
    CountryFactory,
    InteractionFactory,
    OrganizationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows():
    return {
        "dong_thap": OrganizationFactory(
            name_native="Ủy ban nhân dân tỉnh Đồng Tháp",
            name_vi="Ủy ban nhân dân tỉnh Đồng Tháp",
            name_en="Dong Thap Provincial People's Committee",
            kind=Organization.Kind.DOMESTIC_AGENCY,
            country=CountryFactory(code="VN"),
        ),
        "prey_veng": OrganizationFactory(
            name_native="ខេត្តព្រៃវែង", name_vi="tỉnh Prây Veng", name_en="Prey Veng Province"
        ),
        "an": PersonFactory(
            full_name_native="Nguyễn Văn An", name_latin="Nguyen Van An", name_vi="Nguyễn Văn An"
        ),
        "anh": PersonFactory(full_name_native="Nguyễn Thị Ánh", name_latin="", name_vi=""),
        "chanthy": PersonFactory(
            full_name_native="សុខ ចាន់ធី", name_latin="Sok Chanthy", name_vi="Xốc Chăn-thi"
        ),
        "somphone": PersonFactory(
            full_name_native="ສົມພອນ ແກ້ວມະນີ",
            name_latin="Somphone Keomany",
            name_vi="Xổm-phon Kẹo-ma-ni",
        ),
    }


def names(queryset):
    return {str(row) for row in queryset}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("dong thap", {"Ủy ban nhân dân tỉnh Đồng Tháp"}),
        ("ĐỒNG THÁP", {"Ủy ban nhân dân tỉnh Đồng Tháp"}),
        ("pray veng", {"tỉnh Prây Veng"}),
        ("ព្រៃវែង", {"tỉnh Prây Veng"}),
        ("prey", {"tỉnh Prây Veng"}),
    ],
)
def test_organisations(rows, query, expected):
    assert names(Organization.objects.search(query)) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nguyen van an", {"Nguyễn Văn An"}),
        ("Nguyễn Văn An", {"Nguyễn Văn An"}),
        ("nguyen", {"Nguyễn Văn An", "Nguyễn Thị Ánh"}),
        ("anh nguyen", {"Nguyễn Thị Ánh"}),  # every term, any order
        ("ចាន់ធី", {"Xốc Chăn-thi"}),  # a Khmer substring
        ("ແກ້ວ", {"Xổm-phon Kẹo-ma-ni"}),  # a Lao substring
        ("chan-thi", {"Xốc Chăn-thi"}),
        ("nobody here", set()),
    ],
)
def test_people(rows, query, expected):
    assert names(Person.objects.search(query)) == expected


def test_empty_query_returns_everything(rows):
    assert Person.objects.search("").count() == Person.objects.count()
    assert Person.objects.search(None).count() == Person.objects.count()


def test_contact_values_are_searchable_as_typed(rows):
    point = ContactPoint(person=rows["chanthy"], kind=ContactPoint.Kind.PHONE, value="012 345 678")
    point.full_clean()
    point.save()
    assert names(Person.objects.search("+85512345678", personal=True)) == {"Xốc Chăn-thi"}
    assert names(Person.objects.search("012345678", personal=True)) == {"Xốc Chăn-thi"}
    # Without the right to personal data, a phone number finds nobody: no probing.
    assert not Person.objects.search("012345678").exists()
    point.delete()
    assert not Person.objects.search("012345678", personal=True).exists()


def test_search_column_follows_edits(rows):
    person = rows["an"]
    person.full_name_native = person.name_vi = person.name_latin = "Trần Văn Bình"
    person.save()
    assert not Person.objects.search("nguyen van an").exists()
    assert names(Person.objects.search("tran van binh")) == {"Trần Văn Bình"}


def test_interactions_search_subject_and_summary():
    InteractionFactory(subject="Đoàn tỉnh Prây Veng thăm Đồng Tháp", summary="Bàn về cửa khẩu")
    InteractionFactory(subject="Gọi điện", summary="Hỏi thăm")
    assert Interaction.objects.search("cua khau").count() == 1
    assert Interaction.objects.search("dong thap").count() == 1


def test_email_contact_search():
    point = ContactPointFactory(value="chanthy@example.org")
    assert Person.objects.search("chanthy@example", personal=True).get() == point.person


def test_postgres_search_is_served_by_the_trigram_index():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes exist on PostgreSQL only")
    PersonFactory.create_batch(3)
    sql, params = Person.objects.search("nguyen").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "contacts_person_search_trgm" in plan


def test_postgres_personal_search_is_one_indexed_expression():
    """With personal data each term is one LIKE on `search_text || ' ' || search_personal`,
    the expression of one trigram index (not two columns OR-ed per term)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes exist on PostgreSQL only")
    PersonFactory.create_batch(3)
    query = Person.objects.search("nguyen thi", personal=True).query
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "contacts_person_search_all_trgm" in plan, plan


def test_personal_search_matches_either_part_never_across_them():
    person = ContactPointFactory(value="chanthy@example.org").person
    assert Person.objects.search("chanthy", personal=True).get() == person
    assert Person.objects.search(person.name_latin.split()[0].lower(), personal=True).exists()
    assert not Person.objects.search("chanthy").exists()  # personal data not searched
