"""Calendar feeds as the four clients see them: bytes, validators, visibility.

Each test subscribes the way a client does (GET the secret URL, then parse what came back with
icalendar and expand it with recurring-ical-events, as Thunderbird and Apple's parsers would).
"""

import datetime
import re
import zoneinfo
from urllib.parse import urlsplit

import pytest
import recurring_ical_events
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from contacts.services import archive
from events.models import Event
from events.services import regenerate_feed_token
from tests.factories import (
    AnniversaryFactory,
    CalendarFeedFactory,
    CountryFactory,
    EventFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def client() -> Client:
    return Client()


@pytest.fixture
def data(today):
    kh, bn = CountryFactory(code="KH"), CountryFactory(code="BN")
    return {
        "cambodia": AnniversaryFactory(
            title_vi="Ngày thiết lập quan hệ ngoại giao Việt Nam – Campuchia",
            title_en="Vietnam–Cambodia diplomatic relations",
            country=kh,
            visibility="public",
        ),
        "brunei": AnniversaryFactory(
            title_vi="Ngày thiết lập quan hệ ngoại giao Việt Nam – Brunei",
            title_en="Vietnam–Brunei diplomatic relations",
            country=bn,
            origin_year=1992,
            origin_month=2,
            origin_day=29,
            visibility="public",
        ),
        "thai_day": AnniversaryFactory(
            title_vi="Quốc khánh Thái Lan",
            title_en="Thailand National Day",
            kind="national_day",
            origin_year=None,
            origin_month=12,
            origin_day=5,
            visibility="public",
        ),
        "fair": EventFactory(
            title_vi="Hội chợ thương mại biên giới",
            title_en="Border trade fair",
            kind="trade_fair",
            start_date=datetime.date(2027, 1, 10),
            end_date=datetime.date(2027, 1, 12),
            status="cancelled",
            visibility="public",
        ),
        "seminar": EventFactory(
            title_vi="Hội thảo xúc tiến đầu tư",
            all_day=False,
            starts_at=datetime.datetime(2027, 3, 10, 8, 0, tzinfo=HANOI),
            ends_at=datetime.datetime(2027, 3, 10, 11, 30, tzinfo=HANOI),
            visibility="public",
        ),
        "vientiane": EventFactory(
            title_vi="Làm việc tại Viêng Chăn",
            all_day=False,
            time_zone="Asia/Vientiane",
            starts_at=datetime.datetime(
                2027, 4, 2, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Vientiane")
            ),
            ends_at=datetime.datetime(
                2027, 4, 2, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Vientiane")
            ),
        ),
    }


def subscribe(client, feed, **headers):
    return client.get(f"/calendar/{feed.key}.ics", **headers)


def parse(response) -> Calendar:
    calendar = Calendar.from_ical(response.content)
    for component in calendar.walk():
        assert not component.errors, (component.name, component.errors)
    return calendar


def summaries(calendar: Calendar) -> list[str]:
    return [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]


def event_by_uid(calendar: Calendar, prefix: str):
    matches = [e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith(prefix)]
    assert len(matches) == 1, [str(e["UID"]) for e in calendar.walk("VEVENT")]
    return matches[0]


# --- the file -------------------------------------------------------------------------------


def test_feed_headers_and_calendar_properties(client, data):
    feed = CalendarFeedFactory(name="Lịch của tôi")
    response = subscribe(client, feed)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, max-age=3600"
    assert response["ETag"] and response["Last-Modified"]
    text = response.content.decode()
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in text
    assert "X-PUBLISHED-TTL:PT1H\r\n" in text
    assert "METHOD:" not in text
    calendar = parse(response)
    assert str(calendar["NAME"]) == str(calendar["X-WR-CALNAME"]) == "Lịch của tôi"
    assert str(calendar["X-WR-TIMEZONE"]) == "Asia/Ho_Chi_Minh"
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["CALSCALE"]) == "GREGORIAN"
    assert calendar["PRODID"]


def test_lines_are_folded_at_75_octets_crlf_and_valid_utf8(client, data):
    EventFactory(
        title_vi="Đoàn đại biểu " + "ខេត្តព្រៃវែង ແຂວງຈໍາປາສັກ จังหวัดอุดรธานี " * 6,
        start_date=datetime.date(2027, 5, 1),
    )
    body = subscribe(client, CalendarFeedFactory()).content
    body.decode("utf-8")  # raises on invalid UTF-8
    assert body.endswith(b"\r\n")
    lines = body.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # the long title was folded


def test_every_tzid_has_its_vtimezone_and_timed_events_are_never_floating(client, data):
    text = subscribe(client, CalendarFeedFactory()).content.decode()
    used = set(re.findall(r"TZID=([^:;]+)[:;]", text))
    defined = set(re.findall(r"BEGIN:VTIMEZONE\r\nTZID:([^\r]+)", text))
    assert used == {"Asia/Ho_Chi_Minh", "Asia/Vientiane"}
    assert used <= defined
    assert "DTSTART;TZID=Asia/Ho_Chi_Minh:20270310T080000" in text
    assert "DTEND;TZID=Asia/Vientiane:20270402T100000" in text
    events = re.findall(r"BEGIN:VEVENT.*?END:VEVENT", text, re.S)
    floating = [e for e in events if re.search(r"^DT(START|END):\d{8}T\d{6}\r$", e, re.M)]
    assert floating == []


def test_all_day_items_have_an_exclusive_dtend_after_dtstart(client, data):
    calendar = parse(subscribe(client, CalendarFeedFactory()))
    fair = event_by_uid(calendar, f"event-{data['fair'].pk}@")
    assert fair["DTSTART"].params.get("VALUE") == "DATE"
    assert fair.decoded("DTSTART") == datetime.date(2027, 1, 10)
    assert fair.decoded("DTEND") == datetime.date(2027, 1, 13)
    for component in calendar.walk("VEVENT"):
        assert component.decoded("DTEND") > component.decoded("DTSTART")


def test_occurrences_are_expanded_with_their_ordinals_never_rrules(client, data):
    text = subscribe(client, CalendarFeedFactory()).content.decode()
    assert "RRULE" not in text
    calendar = Calendar.from_ical(text)
    # The window: a year back, three years ahead of 26 November 2026.
    brunei = sorted(
        (e.decoded("DTSTART"), str(e["SUMMARY"]))
        for e in calendar.walk("VEVENT")
        if str(e["UID"]).startswith(f"anniversary-{data['brunei'].pk}-")
        and "Chuẩn bị" not in str(e["SUMMARY"])
    )
    assert [day for day, _ in brunei] == [
        datetime.date(2026, 2, 28),
        datetime.date(2027, 2, 28),
        datetime.date(2028, 2, 29),
        datetime.date(2029, 2, 28),
    ]
    assert brunei[1][1] == (
        "Kỷ niệm 35 năm Ngày thiết lập quan hệ ngoại giao Việt Nam – Brunei (29/2/1992 – 28/2/2027)"
        ", năm chẵn"
    )


def test_recurring_ical_events_sees_the_expected_dates(client, data):
    calendar = parse(subscribe(client, CalendarFeedFactory()))
    in_2027 = recurring_ical_events.of(calendar).between(
        datetime.date(2027, 1, 1), datetime.date(2028, 1, 1)
    )
    by_summary = {str(e["SUMMARY"]): e.decoded("DTSTART") for e in in_2027}
    assert by_summary[
        "Kỷ niệm 60 năm Ngày thiết lập quan hệ ngoại giao Việt Nam – Campuchia "
        "(24/6/1967 – 24/6/2027), năm tròn"
    ] == datetime.date(2027, 6, 24)
    assert any(day == datetime.date(2027, 2, 28) for s, day in by_summary.items() if "Brunei" in s)
    assert by_summary["Quốc khánh Thái Lan"] == datetime.date(2027, 12, 5)
    seminar = [e for e in in_2027 if str(e["SUMMARY"]) == "Hội thảo xúc tiến đầu tư"][0]
    assert seminar.decoded("DTSTART") == datetime.datetime(2027, 3, 10, 8, 0, tzinfo=HANOI)


def test_dtstamp_is_the_last_change_not_now(client, data):
    calendar = parse(subscribe(client, CalendarFeedFactory()))
    fair = event_by_uid(calendar, f"event-{data['fair'].pk}@")
    data["fair"].refresh_from_db()
    expected = data["fair"].updated_at.astimezone(datetime.UTC).replace(microsecond=0)
    assert fair.decoded("DTSTAMP") == expected
    assert fair.decoded("LAST-MODIFIED") == expected


def test_two_requests_without_a_change_return_identical_bytes(client, data, settings):
    feed = CalendarFeedFactory()
    first = subscribe(client, feed).content
    dummy = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    settings.CACHES = {"default": dummy, "feeds": dummy}
    second = subscribe(client, feed).content  # rebuilt, not served from the cache
    assert first == second


def test_uid_stays_and_sequence_grows_when_title_time_or_status_change(client, data):
    feed = CalendarFeedFactory()
    uid = f"event-{data['fair'].pk}@"
    before = event_by_uid(parse(subscribe(client, feed)), uid)
    fair = Event.objects.get(pk=data["fair"].pk)
    fair.location = "Cửa khẩu Thường Phước"  # not shown as a change of time, title or status
    fair.save()
    unchanged = event_by_uid(parse(subscribe(client, feed)), uid)
    assert unchanged["SEQUENCE"] == before["SEQUENCE"] == 0
    fair.title_vi, fair.status = "Hội chợ thương mại biên giới (dời lịch)", "planned"
    fair.save()
    fair.start_date = fair.end_date = datetime.date(2027, 1, 20)
    fair.save()
    after = event_by_uid(parse(subscribe(client, feed)), uid)
    assert str(after["UID"]) == str(before["UID"])
    assert after["SEQUENCE"] == 2
    assert str(after["SUMMARY"]) == "Hội chợ thương mại biên giới (dời lịch)"


def test_cancelled_events_stay_marked_or_are_left_out_by_option(client, data):
    feed = CalendarFeedFactory()
    fair = event_by_uid(parse(subscribe(client, feed)), f"event-{data['fair'].pk}@")
    assert str(fair["STATUS"]) == "CANCELLED"
    assert str(fair["SUMMARY"]) == "[HỦY] Hội chợ thương mại biên giới"
    english = CalendarFeedFactory(language="en")
    fair_en = event_by_uid(parse(subscribe(client, english)), f"event-{data['fair'].pk}@")
    assert str(fair_en["SUMMARY"]) == "[CANCELLED] Border trade fair"
    without = CalendarFeedFactory(include_cancelled=False)
    assert not any("Hội chợ" in s for s in summaries(parse(subscribe(client, without))))


def test_milestones_get_a_preparation_item_90_days_ahead_by_default(client, data):
    calendar = parse(subscribe(client, CalendarFeedFactory()))
    prep = event_by_uid(calendar, f"anniversary-{data['cambodia'].pk}-2027-prep@")
    assert prep.decoded("DTSTART") == datetime.date(2027, 6, 24) - datetime.timedelta(days=90)
    assert str(prep["SUMMARY"]).startswith("Chuẩn bị: Kỷ niệm 60 năm Ngày thiết lập")
    # Not for ordinary years, nor for observances.
    assert not [
        e
        for e in calendar.walk("VEVENT")
        if str(e["UID"]).endswith("2028-prep@crm-doi-ngoai.local")
    ]


def test_preparation_lead_time_is_configurable_and_zero_turns_it_off(client, data):
    thirty = parse(subscribe(client, CalendarFeedFactory(preparation_days=30)))
    prep = event_by_uid(thirty, f"anniversary-{data['cambodia'].pk}-2027-prep@")
    assert prep.decoded("DTSTART") == datetime.date(2027, 5, 25)
    none = subscribe(client, CalendarFeedFactory(preparation_days=0)).content.decode()
    assert "-prep@" not in none and "Chuẩn bị" not in none


def test_milestones_only_feed_lists_round_years_and_no_events(client, data):
    calendar = parse(subscribe(client, CalendarFeedFactory(milestones_only=True)))
    titles = summaries(calendar)
    sixtieth = "Kỷ niệm 60 năm Ngày thiết lập quan hệ ngoại giao Việt Nam – Campuchia"
    assert f"{sixtieth} (24/6/1967 – 24/6/2027), năm tròn" in titles
    assert not any("59 năm" in t or "61 năm" in t or "Hội" in t for t in titles)
    assert "Quốc khánh Thái Lan" not in titles


def test_alarms_are_an_option_off_by_default(client, data):
    assert "BEGIN:VALARM" not in subscribe(client, CalendarFeedFactory()).content.decode()
    calendar = parse(subscribe(client, CalendarFeedFactory(alarms=True)))
    alarms = [a for a in calendar.walk("VALARM")]
    assert alarms and all(str(a["ACTION"]) == "DISPLAY" for a in alarms)


def test_the_window_moves_with_the_date(client, data, monkeypatch):
    feed = CalendarFeedFactory()
    assert "2030" not in " ".join(summaries(parse(subscribe(client, feed))))
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2027, 12, 1))
    titles = " ".join(summaries(parse(subscribe(client, feed))))
    assert "24/6/2030" in titles and "24/6/2026" not in titles


# --- HTTP validators --------------------------------------------------------------------------


def test_304_for_a_matching_if_none_match(client, data):
    feed = CalendarFeedFactory()
    first = subscribe(client, feed)
    again = subscribe(client, feed, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]


def test_304_for_if_modified_since_and_if_none_match_wins(client, data):
    feed = CalendarFeedFactory()
    first = subscribe(client, feed)
    since = first["Last-Modified"]
    assert subscribe(client, feed, HTTP_IF_MODIFIED_SINCE=since).status_code == 304
    stale = subscribe(client, feed, HTTP_IF_NONE_MATCH='"stale"', HTTP_IF_MODIFIED_SINCE=since)
    assert stale.status_code == 200


def test_head_answers_headers_without_a_body(client, data):
    feed = CalendarFeedFactory()
    get = subscribe(client, feed)
    head = client.head(f"/calendar/{feed.key}.ics")
    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] == get["ETag"]
    assert head["Content-Length"] == str(len(get.content))
    assert client.post(f"/calendar/{feed.key}.ics").status_code == 405


def test_etag_changes_after_an_edit_an_archival_and_a_deletion(client, data):
    feed = CalendarFeedFactory()
    etags = [subscribe(client, feed)["ETag"]]
    seminar = Event.objects.get(pk=data["seminar"].pk)
    seminar.title_vi = "Hội thảo xúc tiến đầu tư (đổi tên)"
    seminar.save()
    etags.append(subscribe(client, feed)["ETag"])
    archive(seminar)
    etags.append(subscribe(client, feed)["ETag"])
    assert "đổi tên" not in subscribe(client, feed).content.decode()
    Event.objects.get(pk=data["vientiane"].pk).delete()
    etags.append(subscribe(client, feed)["ETag"])
    assert len(set(etags)) == 4
    old = subscribe(client, feed, HTTP_IF_NONE_MATCH=etags[0])
    assert old.status_code == 200


def test_a_regenerated_token_retires_the_old_url(client, data):
    feed = CalendarFeedFactory()
    old_key = feed.key
    assert subscribe(client, feed).status_code == 200
    new_key = regenerate_feed_token(feed)
    assert client.get(f"/calendar/{old_key}.ics").status_code == 404
    assert client.get(f"/calendar/{new_key}.ics").status_code == 200
    assert client.get("/calendar/not-a-token.ics").status_code == 404


# --- visibility -------------------------------------------------------------------------------


def test_a_feed_shows_what_its_owner_may_see_at_request_time(client, data):
    unit = UnitFactory()
    secret = EventFactory(
        title_vi="Làm việc mật",
        visibility="restricted",
        owner_unit=unit,
        start_date=datetime.date(2027, 2, 2),
    )
    manager = UserFactory(role="manager", units=[unit])
    outsider_feed = CalendarFeedFactory()  # a viewer of no unit
    manager_feed = CalendarFeedFactory(owner=manager)
    assert "Làm việc mật" not in summaries(parse(subscribe(client, outsider_feed)))
    assert "Làm việc mật" in summaries(parse(subscribe(client, manager_feed)))
    unit.members.remove(manager)
    manager._crm_role_and_units = None
    assert "Làm việc mật" not in summaries(parse(subscribe(client, manager_feed)))
    secret.staff.add(outsider_feed.owner)
    secret.save()
    assert "Làm việc mật" in summaries(parse(subscribe(client, outsider_feed)))


def test_an_owner_without_a_role_or_deactivated_gets_404(client, data):
    feed = CalendarFeedFactory()
    feed.owner.groups.remove(Group.objects.get(name="viewer"))
    assert subscribe(client, feed).status_code == 404
    feed.owner.groups.add(Group.objects.get(name="viewer"))
    feed.owner.is_active = False
    feed.owner.save()
    assert subscribe(client, feed).status_code == 404


def test_an_archived_feed_answers_404(client, data):
    feed = CalendarFeedFactory()
    archive(feed)
    assert subscribe(client, feed).status_code == 404


def test_the_public_feed_shows_public_items_only(client, data):
    response = client.get("/calendar/public.ics")
    assert response.status_code == 200
    titles = summaries(parse(response))
    assert "Hội thảo xúc tiến đầu tư" in titles
    assert "Làm việc tại Viêng Chăn" not in titles  # internal
    english = summaries(parse(client.get("/calendar/public.ics?lang=en")))
    assert "[CANCELLED] Border trade fair" in english
    assert client.get("/calendar/public.ics?lang=fr").status_code == 400


def test_the_public_feed_links_nowhere_the_public_cannot_open(client, data):
    """Its items once linked to /api/v1/… addresses that answer 401 to anyone without an
    account; staff feeds keep their links."""
    calendar = parse(client.get("/calendar/public.ics"))
    items = list(calendar.walk("VEVENT"))
    assert items
    for item in items:
        assert "URL" not in item, item["UID"]
        assert "/api/" not in str(item.get("DESCRIPTION", ""))
    anonymous = Client()
    staff = parse(subscribe(client, CalendarFeedFactory()))
    links = [str(e["URL"]) for e in staff.walk("VEVENT") if "URL" in e]
    assert links  # a staff feed links its records, which its owner can open
    # …which is why the public feed has none: they answer 401 to anyone else.
    assert anonymous.get(urlsplit(links[0]).path).status_code == 401


def test_the_public_feed_has_no_preparation_items(client, data):
    """Preparation ("Chuẩn bị: …") is the staff's internal work, not a public date."""
    body = client.get("/calendar/public.ics").content.decode()
    assert "Kỷ niệm 60 năm" in body  # the milestone itself is public
    assert "-prep@" not in body and "Chuẩn bị" not in body
    english = client.get("/calendar/public.ics?lang=en").content.decode()
    assert "-prep@" not in english and "Preparation" not in english


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_public_feed_says_its_language(client, data, lang):
    response = client.get(f"/calendar/public.ics?lang={lang}", HTTP_ACCEPT_LANGUAGE="vi")
    assert response["Content-Language"] == lang
    head = client.head(f"/calendar/public.ics?lang={lang}")
    assert head["Content-Language"] == lang


def test_a_staff_feed_says_its_language(client, data):
    feed = CalendarFeedFactory(language="en")
    assert subscribe(client, feed)["Content-Language"] == "en"
