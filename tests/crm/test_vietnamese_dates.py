"""Dates are read day first (dd/mm/yyyy) or ISO, never month first, and shown dd/mm/yyyy: in the
admin (crm/formats), the API's filters and query options (crm.dates), messages and documents."""

import datetime

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from api.models import ApiToken
from contacts.models import Person, Position
from crm import dates
from tests.factories import (
    CountryFactory,
    FollowUpFactory,
    InteractionFactory,
    OrganizationFactory,
    ParticipantFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
BASE = "/api/v1"


@pytest.fixture
def editor():
    return UserFactory(username="bien-tap", role="editor")


@pytest.fixture
def admin_as_editor(editor) -> Client:
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def api(editor) -> APIClient:
    _token, key = ApiToken.issue(editor, scopes=["read", "write", "personal-data"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def management(prefix: str, total: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": 0,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("02/03/2026", datetime.date(2026, 3, 2)),
        ("2/3/2026", datetime.date(2026, 3, 2)),
        ("13/01/2026", datetime.date(2026, 1, 13)),
        ("2026-03-02", datetime.date(2026, 3, 2)),
    ],
)
def test_an_editor_types_a_date_in_the_admin_day_first(admin_as_editor, typed, meant, lang):
    """Through the person page's positions inline, as staff enter it."""
    CountryFactory(code="KH")
    organization = OrganizationFactory()
    data = {
        "full_name_native": "សុខ ចាន់ធី",
        "name_latin": "Sok Chanthy",
        "name_vi": "Xốc Chăn-thi",
        "category": Person.Category.COUNTERPART_OFFICIAL,
        "nationality": "KH",
        "languages": ["km"],
        **management("contact_points", 0),
        **management("positions", 1),
        "positions-0-organization": organization.pk,
        "positions-0-title": "Phó Tỉnh trưởng",
        "positions-0-start_date": typed,
    }
    url = reverse("admin:contacts_person_add")
    response = admin_as_editor.post(url, data, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert Position.objects.get().start_date == meant


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_month_first_is_refused_by_admin_fields(lang):
    with translation.override(lang):
        for field in (forms.DateField(), forms.DateTimeField()):
            with pytest.raises(forms.ValidationError):
                field.clean("01/13/2026")
        assert forms.DateField().clean("02/03/2026") == datetime.date(2026, 3, 2)
        read = forms.DateTimeField().clean("02/03/2026 09:30")
        assert (read.day, read.month, read.hour, read.minute) == (2, 3, 9, 30)
        assert forms.DateTimeField().clean("2026-03-02 09:30").day == 2


def test_the_admin_list_shows_dates_day_first(admin_as_editor):
    CountryFactory(code="KH", asean_joined_on=datetime.date(1999, 4, 30))
    for lang in ("vi", "en"):
        response = admin_as_editor.get(
            reverse("admin:contacts_country_changelist"), HTTP_ACCEPT_LANGUAGE=lang
        )
        assert response.status_code == 200
        assert "30/04/1999" in response.content.decode()


@pytest.fixture
def history():
    person = PersonFactory()
    for day in (datetime.date(2026, 2, 3), datetime.date(2026, 3, 1), datetime.date(2026, 3, 2)):
        ParticipantFactory(person=person, interaction=InteractionFactory(occurred_on=day))
    return person


def test_filters_and_query_options_read_day_first(api, history):
    listed = api.get(f"{BASE}/interactions/", {"date_after": "02/03/2026"})
    assert listed.status_code == 200, listed.content
    assert [row["occurred_on"] for row in listed.json()["results"]] == ["2026-03-02"]
    since = api.get(f"{BASE}/people/{history.pk}/contact-history/", {"since": "02/03/2026"})
    assert since.status_code == 200, since.content
    assert [row["occurred_on"] for row in since.json()["results"]] == ["2026-03-02"]
    until = api.get(f"{BASE}/people/{history.pk}/contact-history/", {"until": "13/02/2026"})
    assert [row["occurred_on"] for row in until.json()["results"]] == ["2026-02-03"]
    briefing = api.get(f"{BASE}/briefings/people/{history.pk}/", {"since": "02/03/2026"})
    assert briefing.status_code == 200, briefing.content
    calendar = api.get(f"{BASE}/calendar/", {"from": "02/03/2026", "to": "13/03/2026"})
    assert calendar.status_code == 200, calendar.content


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("interactions/", "date_after"),
        ("follow-ups/", "due_before"),
        ("events/", "date_after"),
        ("people/{pk}/contact-history/", "since"),
        ("briefings/people/{pk}/", "until"),
        ("calendar/", "from"),
    ],
)
def test_month_first_is_a_400_naming_the_parameter(api, history, path, name):
    response = api.get(f"{BASE}/{path.format(pk=history.pk)}", {name: "01/13/2026"})
    assert response.status_code == 400, response.content
    assert name in response.json()


@settings(max_examples=40, deadline=None)
@given(st.dates(min_value=dates.MIN_DATE, max_value=dates.MAX_DATE))
def test_what_is_shown_is_read_back_as_the_same_date(value):
    shown = dates.format_date(value)
    assert shown == f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    assert dates.parse_date(shown) == value
    with translation.override("vi"):
        assert forms.DateField().clean(shown) == value


def test_messages_show_dates_day_first(api, history):
    response = api.get(
        f"{BASE}/briefings/people/{history.pk}/", {"since": "13/03/2026", "until": "02/03/2026"}
    )
    assert response.status_code == 400
    assert "02/03/2026" in str(response.json()) and "13/03/2026" in str(response.json())
    assert "30/12/9999" in dates.date_range_message()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("02/03/2026 09:30", "2026-03-02T09:30:00+07:00"),
        ("13/01/2026 17:05:09", "2026-01-13T17:05:09+07:00"),
        ("2026-03-02T09:30:00+07:00", "2026-03-02T09:30:00+07:00"),
    ],
)
def test_api_datetimes_read_day_first(api, typed, stored):
    follow_up = FollowUpFactory()
    response = api.patch(
        f"{BASE}/follow-ups/{follow_up.pk}/", {"status": "done", "done_at": typed}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["done_at"] == stored


def test_api_datetimes_refuse_month_first(api):
    follow_up = FollowUpFactory()
    response = api.patch(
        f"{BASE}/follow-ups/{follow_up.pk}/",
        {"status": "done", "done_at": "01/13/2026 09:30"},
        format="json",
    )
    assert response.status_code == 400
    assert "done_at" in response.json()
