"""Names sort in Vietnamese order on both databases (crm.collation): ICU's vi-VN collation on
PostgreSQL, the same order from a Python sort key on SQLite."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from api.models import ApiToken
from contacts.models import Organization, Unit
from crm.collation import collated, sort_key
from tests.factories import OrganizationFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1"

# As a Vietnamese reader orders them: a < ă < â, d < đ, tones only when the letters tie
# (none, huyền, hỏi, ngã, sắc, nặng), lower case before upper case, a prefix first.
EXPECTED = [
    "An",
    "Ăn",
    "Ân",
    "Cha",
    "Chà",
    "Chả",
    "Chã",
    "Chá",
    "Chạ",
    "Chăn-thi",
    "Dong",
    "Dương",
    "Đồng Tháp",
    "Ô Môn",
    "Ơn",
    "Ưng",
    "Zen",
]


def shuffled() -> list[str]:
    return EXPECTED[7:] + EXPECTED[:7][::-1]


def test_the_python_key_orders_as_a_vietnamese_reader():
    assert sorted(shuffled(), key=sort_key) == EXPECTED


def test_the_database_orders_units_and_organisations_so(db):
    for name in shuffled():
        UnitFactory(name_vi=name)
        OrganizationFactory(name_vi=name)
    assert list(Unit.objects.values_list("name_vi", flat=True)) == EXPECTED
    assert list(Organization.objects.values_list("name_vi", flat=True)) == EXPECTED
    by_name = Unit.objects.order_by(collated("name_vi").desc())
    assert list(by_name.values_list("name_vi", flat=True)) == EXPECTED[::-1]


@pytest.fixture
def editor():
    return UserFactory(username="bien-tap", role="editor")


def test_api_lists_and_ordering_are_in_vietnamese_order(editor):
    for name in shuffled():
        OrganizationFactory(name_vi=name)
    _token, key = ApiToken.issue(editor, scopes=["read"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    default = client.get(f"{BASE}/organizations/", {"page_size": 100})
    assert [row["name_vi"] for row in default.json()["results"]] == EXPECTED
    reverse_ = client.get(f"{BASE}/organizations/", {"page_size": 100, "ordering": "-name_vi"})
    assert reverse_.status_code == 200, reverse_.content
    assert [row["name_vi"] for row in reverse_.json()["results"]] == EXPECTED[::-1]


def test_the_admin_list_is_in_vietnamese_order(editor):
    for name in shuffled():
        OrganizationFactory(name_vi=name)
    client = Client()
    client.force_login(editor)
    response = client.get(reverse("admin:contacts_organization_changelist"))
    assert response.status_code == 200
    assert [o.name_vi for o in response.context["cl"].result_list] == EXPECTED


@pytest.mark.parametrize("header, expected", [("0", EXPECTED), ("-0", EXPECTED[::-1])])
def test_sorting_by_a_name_column_in_the_admin_is_vietnamese_too(editor, header, expected):
    """A click on the name column's header sorts as the default order does (Đ after D)."""
    for name in shuffled():
        UnitFactory(name_vi=name)
    client = Client()
    client.force_login(editor)
    response = client.get(reverse("admin:contacts_unit_changelist"), {"o": header})
    assert response.status_code == 200
    assert [unit.name_vi for unit in response.context["cl"].result_list] == expected


VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
TONES = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]
syllable = st.builds(
    lambda letters, tone, upper: (letters[0].upper() if upper else letters[0]) + tone + letters[1:],
    st.text(VIETNAMESE, min_size=1, max_size=4),
    st.sampled_from(TONES),
    st.booleans(),
)
names = st.lists(syllable, min_size=1, max_size=3).map(" ".join)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="compares with ICU")
@settings(max_examples=60, deadline=None)
@given(st.lists(names, min_size=2, max_size=8, unique=True))
def test_the_python_key_agrees_with_icu(values):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT x FROM unnest(%s::text[]) AS t(x) ORDER BY x COLLATE vi_icu", [values]
        )
        icu = [row[0] for row in cursor.fetchall()]
    import unicodedata

    assert [unicodedata.normalize("NFC", v) for v in icu] == sorted(
        (unicodedata.normalize("NFC", v) for v in values), key=sort_key
    )
