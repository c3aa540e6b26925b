"""`/api/v1/events/`, `/api/v1/anniversaries/`, `/api/v1/calendar/` and
`/api/v1/calendar-feeds/`."""

import datetime

import pytest
from icalendar import Calendar
from rest_framework.test import APIClient

from api.changes import feed_models
from api.models import ApiToken
from crm.models import Change
from events.models import CalendarFeed, Event, EventInteraction
from tests.api.crud import CRUDTests
from tests.events.conftest import TODAY
from tests.factories import (
    AnniversaryFactory,
    CalendarFeedFactory,
    CountryFactory,
    EventFactory,
    InteractionFactory,
    OrganizationFactory,
    PersonFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
BASE = "/api/v1"


def client_for(user, scopes=("read", "write", "personal-data")) -> APIClient:
    _token, key = ApiToken.issue(user, scopes=list(scopes))
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def frozen(monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    return TODAY


class TestEvents(CRUDTests):
    endpoint = "events"
    factory = EventFactory
    create_data = {
        "title_vi": "Đoàn tỉnh Prây Veng thăm Đồng Tháp",
        "title_en": "Prey Veng delegation visits Đồng Tháp",
        "kind": "delegation_visit",
        "start_date": "2027-01-12",
        "end_date": "2027-01-14",
        "country": "KH",
        "organizations": lambda: [OrganizationFactory().pk],
        "people": lambda: [PersonFactory().pk],
        "pillars": ["political_security", "economic"],
        "visibility": "internal",
        "budget_planned": 150_000_000,
    }
    update_data = {
        "title_vi": "Hội thảo xúc tiến đầu tư",
        "title_en": "",
        "description_vi": "",
        "description_en": "",
        "kind": "conference",
        "status": "confirmed",
        "all_day": False,
        "starts_at": "2027-03-10T08:00:00+07:00",
        "ends_at": "2027-03-10T11:30:00+07:00",
        "time_zone": "Asia/Ho_Chi_Minh",
        "location": "Mỹ Tho",
        "organizations": [],
        "people": [],
        "staff": [],
        "pillars": [],
        "visibility": "public",
        "budget_planned": None,
        "budget_spent": None,
    }
    patch_data = {"status": "cancelled"}

    def test_a_timed_event_gets_its_days_from_its_times_in_its_zone(self, api):
        data = {
            "title_vi": "Họp trực tuyến với Viêng Chăn",
            "kind": "other",
            "all_day": False,
            "starts_at": "2027-03-10T23:30:00+07:00",
            "ends_at": "2027-03-11T01:00:00+07:00",
            "time_zone": "Asia/Tokyo",
        }
        body = api.post(self.url(), data, format="json").json()
        assert (body["start_date"], body["end_date"]) == ("2027-03-11", "2027-03-11")
        assert body["starts_at"] == "2027-03-11T01:30:00+09:00"

    @pytest.mark.parametrize(
        ("data", "field"),
        [
            ({"start_date": "2027-01-14", "end_date": "2027-01-12"}, "end_date"),
            ({"all_day": False, "starts_at": "2027-03-10T08:00:00+07:00"}, "ends_at"),
            (
                {
                    "all_day": False,
                    "starts_at": "2027-03-10T08:00:00+07:00",
                    "ends_at": "2027-03-10T07:00:00+07:00",
                },
                "ends_at",
            ),
            ({"time_zone": "Mars/Olympus", "start_date": "2027-01-01"}, "time_zone"),
            ({}, "start_date"),
            ({"start_date": "2027-01-01", "budget_planned": -5}, "budget_planned"),
        ],
    )
    def test_bad_dates_are_400_naming_the_field_and_write_nothing(self, api, data, field):
        payload = {"title_vi": "Sự kiện lỗi", "kind": "other", **data}
        response = api.post(self.url(), payload, format="json")
        assert response.status_code == 400
        assert field in response.json(), response.json()
        assert not Event.objects.filter(title_vi="Sự kiện lỗi").exists()

    def test_sequence_grows_on_time_title_or_status_only(self, api):
        event = EventFactory()
        api.patch(self.url(event), {"location": "Cao Lãnh"}, format="json")
        assert api.get(self.url(event)).json()["sequence"] == 0
        api.patch(self.url(event), {"status": "confirmed"}, format="json")
        assert api.get(self.url(event)).json()["sequence"] == 1

    def test_filters(self, api):
        kh = CountryFactory(code="KH")
        org = OrganizationFactory()
        match = EventFactory(
            kind="trade_fair",
            status="confirmed",
            visibility="public",
            country=kh,
            start_date=datetime.date(2027, 1, 10),
            end_date=datetime.date(2027, 1, 12),
            title_vi="Hội chợ Đồng Tháp",
        )
        match.organizations.add(org)
        EventFactory(start_date=datetime.date(2027, 5, 1))
        for query in (
            {"kind": "trade_fair"},
            {"status": "confirmed"},
            {"visibility": "public"},
            {"country": "kh"},
            {"organization": org.pk},
            {"date_after": "2027-01-12", "date_before": "2027-01-31"},
            {"q": "dong thap"},
        ):
            ids = [row["id"] for row in api.get(self.url(), query).json()["results"]]
            assert ids == [match.pk], query
        for bad in ({"kind": "party"}, {"date_after": "soon"}, {"country": "XX"}):
            response = api.get(self.url(), bad)
            assert response.status_code == 400 and set(bad) <= set(response.json())

    def test_one_event_as_an_ics_download(self, api):
        event = EventFactory(title_vi="Lễ kỷ niệm 60 năm", title_en="60th anniversary")
        response = api.get(f"{self.url(event)}ics/")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert response["Content-Disposition"] == f'attachment; filename="event-{event.pk}.ics"'
        vevent = Calendar.from_ical(response.content).walk("VEVENT")[0]
        assert str(vevent["SUMMARY"]) == "Lễ kỷ niệm 60 năm"
        english = api.get(f"{self.url(event)}ics/", {"lang": "en"})
        assert str(Calendar.from_ical(english.content).walk("VEVENT")[0]["SUMMARY"]) == (
            "60th anniversary"
        )
        assert api.get(f"{self.url(event)}ics/", {"lang": "xx"}).status_code == 400

    def test_public_only_tokens_see_public_events_without_budget_or_staff(self, api_user):
        EventFactory(title_vi="Nội bộ", visibility="internal")
        EventFactory(title_vi="Công khai", visibility="public", budget_planned=5)
        pipeline = client_for(api_user, scopes=["public-only"])
        rows = pipeline.get(self.url()).json()["results"]
        assert [row["title_vi"] for row in rows] == ["Công khai"]
        assert not {"budget_planned", "budget_spent", "staff"} & set(rows[0])

    def test_restricted_events_follow_the_interaction_rule(self):
        unit, other = UnitFactory(), UnitFactory()
        secret = EventFactory(visibility="restricted", owner_unit=unit)
        listed = UserFactory(role="viewer")
        secret.staff.add(listed)
        for user, sees in (
            (UserFactory(role="viewer"), False),
            (UserFactory(role="manager", units=[other]), False),
            (UserFactory(role="manager", units=[unit]), True),
            (listed, True),
            (UserFactory(role="administrator"), True),
        ):
            status = client_for(user).get(self.url(secret)).status_code
            assert status == (200 if sees else 404), user

    def test_viewers_cannot_write_events(self):
        viewer = client_for(UserFactory(role="viewer"))
        assert viewer.post(self.url(), {"title_vi": "x"}, format="json").status_code == 403

    def test_events_join_the_changes_feed(self, api):
        """Every write of an event is a change row (the feed serves it once its transaction is
        older than every one in flight: tests/api/test_changes.py covers the serving)."""
        body = api.post(self.url(), self.resolve(self.create_data), format="json").json()
        api.delete(body["url"])
        actions = Change.objects.filter(type="event", object_id=str(body["id"])).order_by("id")
        assert actions.first().action == "create" and actions.last().action == "archive"
        assert feed_models()["event"] is Event

    def test_khmer_and_lao_titles_round_trip(self, api):
        data = {"title_vi": "ពិធីបុណ្យ ບຸນປີໃໝ່", "kind": "festival", "start_date": "2027-04-14"}
        body = api.post(self.url(), data, format="json").json()
        assert api.get(body["url"]).json()["title_vi"] == "ពិធីបុណ្យ ບຸນປີໃໝ່"
        assert api.get(self.url(), {"q": "ບຸນປີໃໝ່"}).json()["count"] == 1


class TestAnniversaries(CRUDTests):
    endpoint = "anniversaries"
    factory = AnniversaryFactory
    create_data = {
        "title_vi": "Ngày thiết lập quan hệ ngoại giao Việt Nam – Brunei",
        "title_en": "Vietnam–Brunei diplomatic relations",
        "kind": "diplomatic_relations",
        "origin_year": 1992,
        "origin_month": 2,
        "origin_day": 29,
        "country": "KH",
        "visibility": "public",
    }
    update_data = {
        "title_vi": "Quốc khánh Thái Lan",
        "title_en": "Thailand National Day",
        "kind": "national_day",
        "origin_year": None,
        "origin_month": 12,
        "origin_day": 5,
        "milestone_every": 0,
        "visibility": "public",
        "notes": "",
        "source": "",
    }
    patch_data = {"milestone_every": 10}

    def test_next_occurrence_carries_the_ordinal_and_the_29_february_rule(self, api, frozen):
        brunei = api.post(self.url(), self.resolve(self.create_data), format="json").json()
        assert brunei["origin_date"] == "1992-02-29"
        assert brunei["next_occurrence"] == {
            "date": "2027-02-28",
            "ordinal": 35,
            "is_milestone": True,
            "milestone": "even",
            "title_vi": "Kỷ niệm 35 năm Ngày thiết lập quan hệ ngoại giao Việt Nam – Brunei "
            "(29/2/1992 – 28/2/2027), năm chẵn",
            "title_en": "35th anniversary: Vietnam–Brunei diplomatic relations "
            "(29 February 1992 – 28 February 2027), milestone year",
        }

    def test_a_29_february_origin_in_a_common_year_is_400(self, api):
        data = self.resolve(self.create_data) | {"origin_year": 1991}
        response = api.post(self.url(), data, format="json")
        assert response.status_code == 400
        assert "1991" in response.json()["origin_day"][0]

    def test_the_rule_is_stated_in_the_api_docs(self, api):
        schema = api.get("/api/schema/", {"format": "json"}).json()
        text = str(schema)
        assert "28 February in common years" in text


# ---------------------------------------------------------------------------------------------
# The calendar


class TestCalendar:
    url = f"{BASE}/calendar/"

    @pytest.fixture
    def data(self, frozen):
        kh = CountryFactory(code="KH")
        return {
            "cambodia": AnniversaryFactory(country=kh, visibility="public"),
            "thai": AnniversaryFactory(
                title_vi="Quốc khánh Thái Lan",
                kind="national_day",
                origin_year=None,
                origin_month=12,
                origin_day=5,
            ),
            "visit": EventFactory(
                title_vi="Đoàn Prây Veng",
                kind="delegation_visit",
                country=kh,
                start_date=datetime.date(2027, 6, 24),
            ),
        }

    def test_events_and_occurrences_in_one_list_by_date(self, api, data):
        body = api.get(self.url, {"from": "2027-06-01", "to": "2027-12-31"}).json()
        rows = body["results"]
        assert [(r["date"], r["item_type"]) for r in rows] == [
            ("2027-06-24", "occurrence"),
            ("2027-06-24", "event"),
            ("2027-12-05", "occurrence"),
        ]
        sixty = rows[0]
        assert (sixty["ordinal"], sixty["is_milestone"]) == (60, True)
        assert sixty["source"]["url"].endswith(f"/api/v1/anniversaries/{data['cambodia'].pk}/")
        assert (
            sixty["source"]["url"]
            == f"http://testserver/api/v1/anniversaries/{data['cambodia'].pk}/"
        )
        assert rows[1]["source"]["url"] == f"http://testserver/api/v1/events/{data['visit'].pk}/"
        assert sixty["uid"] == f"anniversary-{data['cambodia'].pk}-2027"
        assert rows[1]["source"] == {
            "type": "event",
            "id": data["visit"].pk,
            "url": f"http://testserver/api/v1/events/{data['visit'].pk}/",
        }
        assert rows[2]["ordinal"] is None and rows[2]["is_milestone"] is False

    def test_default_range_is_a_year_from_today(self, api, data):
        dates = [r["date"] for r in api.get(self.url).json()["results"]]
        assert dates[0] == "2026-12-05" and dates[-1] <= "2027-11-26"

    def test_filters(self, api, data):
        def kinds(**query):
            return [
                (r["item_type"], r["kind"])
                for r in api.get(
                    self.url, {"from": "2027-01-01", "to": "2027-12-31", **query}
                ).json()["results"]
            ]

        assert kinds(milestones_only="true") == [("occurrence", "diplomatic_relations")]
        assert kinds(kind="national_day") == [("occurrence", "national_day")]
        assert kinds(kind=["delegation_visit", "national_day"]) == [
            ("event", "delegation_visit"),
            ("occurrence", "national_day"),
        ]
        assert kinds(country="kh") == [
            ("occurrence", "diplomatic_relations"),
            ("event", "delegation_visit"),
        ]
        org = OrganizationFactory()
        data["visit"].organizations.add(org)
        assert kinds(organization=org.pk) == [("event", "delegation_visit")]

    @pytest.mark.parametrize(
        ("query", "field"),
        [
            ({"from": "2027-01-01", "to": "2037-01-03"}, "to"),
            ({"from": "2027-01-01", "to": "2026-01-01"}, "to"),
            ({"from": "yesterday"}, "from"),
            ({"kind": "party"}, "kind"),
            ({"milestones_only": "maybe"}, "milestones_only"),
            ({"country": "XX"}, "country"),
            ({"organization": "999999"}, "organization"),
        ],
    )
    def test_bad_queries_are_400_naming_the_parameter(self, api, data, query, field):
        response = api.get(self.url, query)
        assert response.status_code == 400
        assert field in response.json()

    def test_ten_years_is_the_limit(self, api, data):
        ok = api.get(self.url, {"from": "2027-01-01", "to": "2036-12-31", "page_size": 500})
        assert ok.status_code == 200 and ok.json()["count"] == 21  # 2 × 10 years + the event

    def test_visibility_applies(self, api_user, data):
        data["visit"].visibility = "internal"
        data["visit"].save()
        pipeline = client_for(api_user, scopes=["public-only"])
        rows = pipeline.get(self.url, {"from": "2027-01-01", "to": "2027-12-31"}).json()["results"]
        assert [r["item_type"] for r in rows] == ["occurrence", "occurrence"]  # no event


# ---------------------------------------------------------------------------------------------
# Calendar feeds


class TestCalendarFeeds:
    url = f"{BASE}/calendar-feeds/"

    def test_creation_shows_the_links_once(self, api, api_user):
        response = api.post(
            self.url,
            {"name": "Năm chẵn", "milestones_only": True, "kinds": ["diplomatic_relations"]},
            format="json",
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        assert type(response["Location"]) is str  # wsgiref refuses str subclasses
        assert body["feed_url"].startswith("https://testserver/calendar/")
        key = body["feed_url"].rsplit("/", 1)[1].removesuffix(".ics")
        assert len(key) >= 43  # 256 bits, base64
        assert body["webcal_url"] == "webcal://" + body["feed_url"].removeprefix("https://")
        assert body["google_url"].startswith(
            "https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2F"
        )
        feed = CalendarFeed.objects.get(pk=body["id"])
        assert feed.owner == api_user and key not in feed.token_digest
        listed = api.get(self.url).json()["results"][0]
        assert "feed_url" not in listed and listed["token_prefix"] == key[:8]
        assert APIClient().get(f"/calendar/{key}.ics").status_code == 200

    def test_regenerate_token(self, api):
        body = api.post(self.url, {"name": "Lịch"}, format="json").json()
        old = body["feed_url"].removeprefix("https://testserver")
        again = api.post(f"{body['url']}regenerate-token/").json()
        new = again["feed_url"].removeprefix("https://testserver")
        assert old != new
        assert APIClient().get(old).status_code == 404
        assert APIClient().get(new).status_code == 200

    def test_viewers_keep_their_own_feeds_and_see_nobody_elses(self):
        viewer = UserFactory(role="viewer")
        client = client_for(viewer)
        assert client.post(self.url, {"name": "Của tôi"}, format="json").status_code == 201
        someone_else = CalendarFeedFactory()
        assert [f["name"] for f in client.get(self.url).json()["results"]] == ["Của tôi"]
        assert client.get(f"{self.url}{someone_else.pk}/").status_code == 404
        assert client.delete(f"{self.url}{someone_else.pk}/").status_code == 404

    def test_public_only_and_read_only_tokens(self):
        user = UserFactory(role="editor")
        assert client_for(user, ["public-only"]).get(self.url).status_code == 403
        reader = client_for(user, ["read"])
        assert reader.get(self.url).status_code == 200
        assert reader.post(self.url, {"name": "x"}, format="json").status_code == 403

    def test_bad_settings_are_400(self, api):
        for data, field in (
            ({"name": "x", "kinds": ["party"]}, "kinds"),
            ({"name": "x", "preparation_days": 5000}, "preparation_days"),
            ({"name": "x", "language": "fr"}, "language"),
            ({}, "name"),
        ):
            response = api.post(self.url, data, format="json")
            assert response.status_code == 400 and field in response.json(), (data, response.json())

    def test_delete_archives_and_the_address_stops_working(self, api):
        body = api.post(self.url, {"name": "Lịch"}, format="json").json()
        assert api.delete(body["url"]).status_code == 204
        assert (
            APIClient().get(body["feed_url"].removeprefix("https://testserver")).status_code == 404
        )
        assert CalendarFeed.objects.filter(pk=body["id"]).exists()


# ---------------------------------------------------------------------------------------------
# Interactions at events


def test_an_interaction_points_to_the_event_it_happened_at(api):
    event = EventFactory(title_vi="Hội nghị xúc tiến")
    data = {
        "occurred_on": "2027-03-10",
        "kind": "meeting",
        "subject": "Gặp bên lề",
        "event": event.pk,
    }
    body = api.post(f"{BASE}/interactions/", data, format="json").json()
    assert body["event"]["id"] == event.pk and body["event"]["title_vi"] == "Hội nghị xúc tiến"
    assert EventInteraction.objects.get(interaction_id=body["id"]).event == event
    cleared = api.patch(body["url"], {"event": None}, format="json").json()
    assert cleared["event"] is None
    assert not EventInteraction.objects.filter(interaction_id=body["id"]).exists()


def test_a_hidden_event_reads_as_null_and_cannot_be_linked():
    unit = UnitFactory()
    secret = EventFactory(visibility="restricted", owner_unit=unit)
    interaction = InteractionFactory()
    EventInteraction.objects.create(interaction=interaction, event=secret)
    viewer = client_for(UserFactory(role="editor"))
    assert viewer.get(f"{BASE}/interactions/{interaction.pk}/").json()["event"] is None
    response = viewer.patch(
        f"{BASE}/interactions/{interaction.pk}/", {"event": secret.pk}, format="json"
    )
    assert response.status_code == 400 and "event" in response.json()
