"""Dates at the edges of what the system can represent (`crm.dates`): any date or datetime,
in any offset, into any date filter of any list is 200 or 400 naming the parameter; a date
written at the edge of the supported range is stored (201) or refused (400 naming the field),
and whatever is stored is served: its detail, the lists, its `.ics`, the calendar, the feeds.
"""

import datetime
import re
import zoneinfo

import django_filters
import pytest
from django.core.cache import caches
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from rest_framework import serializers
from rest_framework.test import APIClient

from api.briefings import PARAMETERS as BRIEFING_PARAMETERS
from api.calendar import CalendarQuerySerializer
from api.models import ApiToken
from api.urls import BRIEFINGS, router
from contacts.filters import BaseFilterSet
from crm import dates
from tests.factories import (
    CalendarFeedFactory,
    CountryFactory,
    EventFactory,
    InteractionFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
BASE = "/api/v1"
DATE_FILTERS = (django_filters.DateFilter, django_filters.DateTimeFilter)
SLOW = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
WRITES = settings(SLOW, max_examples=60)  # each example writes, then reads six documents


def date_parameters() -> list[tuple[str, str]]:
    """(path template, parameter) for every date and datetime filter of every list, read
    from the router, the viewsets' filtersets and actions, the calendar's query and the
    briefings' documented parameters: nothing listed by hand."""
    found = []
    for prefix, viewset, _basename in router.registry:
        filtersets = [getattr(viewset, "filterset_class", None)]
        for action in viewset.get_extra_actions():
            filterset = action.kwargs.get("filterset_class")
            if filterset is not None:
                path = f"{prefix}/{{pk}}/{action.url_path}"
                found += [(path, name) for name in date_filters(filterset)]
        found += [(prefix, name) for fs in filtersets if fs for name in date_filters(fs)]
    calendar_fields = CalendarQuerySerializer().get_fields()
    found += [
        ("calendar", name)
        for name, field in calendar_fields.items()
        if isinstance(field, serializers.DateField | serializers.DateTimeField)
    ]
    dated = [p.name for p in BRIEFING_PARAMETERS if "date" in str(p.type).lower()]
    for route in BRIEFINGS:
        path = "briefings/" + re.sub(r"<(?:[a-z_]+:)?(pk|code)>", r"{\1}", str(route.pattern))
        found += [(path.rstrip("/"), name) for name in dated]
    return found


def date_filters(filterset) -> list[str]:
    return [
        name
        for name, filter_ in filterset.base_filters.items()
        if isinstance(filter_, DATE_FILTERS)
    ]


PARAMETERS = date_parameters()


def test_the_enumeration_finds_the_known_filters():
    names = {(path, name) for path, name in PARAMETERS}
    filtersets = {p: getattr(viewset, "filterset_class", None) for p, viewset, _ in router.registry}
    lists = [p for p, fs in filtersets.items() if fs and issubclass(fs, BaseFilterSet)]
    assert len(lists) >= 10
    assert all((prefix, "updated_since") in names for prefix in lists)
    for known in [
        ("interactions", "date_after"),
        ("events", "date_before"),
        ("follow-ups", "due_after"),
        ("agreements", "valid_until_before"),
        ("people/{pk}/contact-history", "since"),
        ("organizations/{pk}/contact-history", "until"),
        ("calendar", "from"),
        ("calendar", "to"),
        ("briefings/people/{pk}", "since"),
    ]:
        assert known in names, known


@pytest.fixture
def world():
    user = UserFactory(role="manager")
    _token, key = ApiToken.issue(user, scopes=["read", "write", "personal-data"])
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    interaction = InteractionFactory()
    person, organization = PersonFactory(), OrganizationFactory()
    interaction.people.add(person)
    interaction.organizations.add(organization)
    CountryFactory(code="KH")
    event = EventFactory()
    pks = {"people": person.pk, "organizations": organization.pk, "events": event.pk}
    return {"client": client, "pk": pks}


def url_for(path: str, world) -> str:
    owner = path.split("/")[1] if path.startswith("briefings/") else path.split("/")[0]
    return f"{BASE}/{path.format(pk=world['pk'].get(owner, 0), code='KH')}/"


def check(world, path: str, name: str, value: str) -> None:
    response = world["client"].get(url_for(path, world), {name: value})
    assert response.status_code in {200, 400}, (path, name, value, response.content[:300])
    if response.status_code == 400:
        assert name in response.json(), (path, name, value, response.content)


EDGES = [
    "0001-01-01T00:00:00+23:00",
    "0001-01-01T00:00:00-23:59",
    "9999-12-31T23:59:59-12:00",
    "9999-12-31T23:59:59.999999+23:59",
    "0001-01-01",
    "9999-12-31",
    "0001-01-02",
    "9999-12-30",
    "01/01/0001",
    "31/12/9999",
    "0001-01-04T00:00:00Z",
    "9999-12-28T23:59:59Z",
    "9999-12-31T23:59:59 12:00",  # a "+" sent unencoded arrives as a space
    "2026-13-01",
    "",
    "2000-01-01T00:00:00+16:00",  # PostgreSQL refuses offsets beyond ±15:59
    "2000-01-01T00:00:00-23:59",
]


def test_dates_at_the_edges_into_every_date_filter(world):
    for path, name in PARAMETERS:
        for value in EDGES:
            check(world, path, name, value)


def test_the_extreme_offsets_of_the_issue_are_400_naming_updated_since(world):
    for path, name in PARAMETERS:
        if name == "updated_since":
            for value in ("0001-01-01T00:00:00+23:00", "9999-12-31T23:59:59-12:00"):
                response = world["client"].get(url_for(path, world), {name: value})
                assert response.status_code == 400
                assert "0001-01-04" in response.json()[name][0]


OFFSETS = st.integers(-(24 * 60 - 1), 24 * 60 - 1).map(
    lambda minutes: datetime.timezone(datetime.timedelta(minutes=minutes))
)
# Naive bounds: hypothesis draws naive datetimes, and an offset (or none) is added to each.
FIRST, LAST = datetime.datetime.min, datetime.datetime.max  # noqa: DTZ901
FEW_DAYS = datetime.timedelta(days=5)
EDGE_INSTANTS = st.one_of(
    st.datetimes(FIRST, LAST),  # naive: an offset is added, or none
    st.datetimes(FIRST, FIRST + FEW_DAYS),
    st.datetimes(LAST - FEW_DAYS, LAST),
)


@st.composite
def written_dates(draw) -> str:
    """A date or datetime as a client may write it: ISO 8601 with any offset or none, a date
    alone, day first."""
    moment = draw(EDGE_INSTANTS).replace(tzinfo=draw(st.none() | OFFSETS))
    return draw(
        st.sampled_from(
            [
                moment.isoformat(),
                moment.date().isoformat(),
                f"{moment.day:02d}/{moment.month:02d}/{moment.year:04d}",
                moment.isoformat().replace("+", " "),
            ]
        )
    )


@SLOW
@given(parameter=st.sampled_from(PARAMETERS), value=written_dates())
def test_any_date_into_any_date_filter_is_200_or_400_naming_it(world, parameter, value):
    check(world, *parameter, value)


# ---------------------------------------------------------------------------------------------
# Writing dates at the edges


ZONES = [
    "Pacific/Kiritimati",  # UTC+14
    "Etc/GMT+12",  # UTC-12
    "Pacific/Pago_Pago",
    "America/Sitka",
    "Asia/Manila",
    "Asia/Ho_Chi_Minh",
    "UTC",
]


@pytest.fixture
def served(world):
    """Checks that everything is served after a write: detail, list, `.ics`, calendar, feeds."""
    owner = UserFactory(role="viewer")
    feed = CalendarFeedFactory(owner=owner)
    plain = Client()

    def check_served(event: dict) -> None:
        caches["feeds"].clear()
        client = world["client"]
        assert client.get(f"{BASE}/events/{event['id']}/").status_code == 200
        assert client.get(f"{BASE}/events/").status_code == 200
        ics = client.get(f"{BASE}/events/{event['id']}/ics/")
        assert ics.status_code == 200, ics.content[:300]
        assert len(Calendar.from_ical(ics.content).walk("VEVENT")) == 1
        calendar = client.get(
            f"{BASE}/calendar/", {"from": event["start_date"], "to": event["end_date"]}
        )
        assert calendar.status_code == 200, calendar.content
        assert event["id"] in [item["source"]["id"] for item in calendar.json()["results"]]
        assert plain.get(f"/calendar/{feed.key}.ics").status_code == 200
        assert plain.get("/calendar/public.ics").status_code == 200
        briefing = client.get(f"{BASE}/briefings/events/{event['id']}/")
        assert briefing.status_code == 200, briefing.content[:300]

    return check_served


def post_event(world, data: dict):
    base = {"title_vi": "Sự kiện", "kind": "conference", "visibility": "public"}
    return world["client"].post(f"{BASE}/events/", {**base, **data}, format="json")


DATE_FIELDS = {"start_date", "end_date", "starts_at", "ends_at"}


@WRITES
@given(
    start=EDGE_INSTANTS,
    offset=OFFSETS,
    hours=st.integers(0, 60),
    zone=st.sampled_from(ZONES),
)
def test_timed_events_at_the_edges_are_201_or_400_and_served(
    world, served, start, offset, hours, zone
):
    start = start.replace(tzinfo=offset)
    try:
        end = start + datetime.timedelta(hours=hours)
    except OverflowError:
        end = start
    response = post_event(
        world,
        {
            "all_day": False,
            "starts_at": start.isoformat(),
            "ends_at": end.isoformat(),
            "time_zone": zone,
        },
    )
    assert response.status_code in {201, 400}, response.content
    if response.status_code == 400:
        assert set(response.json()) <= DATE_FIELDS, response.content
        assert not (dates.datetime_in_range(start) and dates.datetime_in_range(end))
        return
    assert dates.datetime_in_range(start) and dates.datetime_in_range(end)
    event = response.json()
    local = start.astimezone(zoneinfo.ZoneInfo(zone))
    assert event["start_date"] == local.date().isoformat()
    served(event)


DAYS = st.one_of(
    st.dates(datetime.date(1, 1, 1), datetime.date(1, 1, 8)),
    st.dates(datetime.date(9999, 12, 24), datetime.date(9999, 12, 31)),
    st.dates(),
)


@WRITES
@given(start=DAYS, length=st.integers(0, 3))
def test_all_day_events_at_the_edges_are_201_or_400_and_served(world, served, start, length):
    try:
        end = start + datetime.timedelta(days=length)
    except OverflowError:
        end = start
    data = {"start_date": start.isoformat(), "end_date": end.isoformat()}
    response = post_event(world, data)
    assert response.status_code in {201, 400}, response.content
    if response.status_code == 400:
        assert set(response.json()) <= DATE_FIELDS, response.content
        assert not (dates.date_in_range(start) and dates.date_in_range(end))
        return
    assert dates.MIN_DATE <= start <= end <= dates.MAX_DATE
    served(response.json())


def test_the_last_supported_day_has_its_exclusive_end(world, served):
    response = post_event(world, {"start_date": "9999-12-30"})
    assert response.status_code == 201, response.content
    served(response.json())
    ics = world["client"].get(f"{BASE}/events/{response.json()['id']}/ics/").content
    assert b"DTEND;VALUE=DATE:99991231" in ics
    response = post_event(world, {"start_date": "9999-12-31"})
    assert response.status_code == 400
    assert "9999-12-30" in response.json()["start_date"][0]


def test_year_one_west_of_utc_is_400_naming_the_field(world):
    response = post_event(
        world,
        {
            "all_day": False,
            "starts_at": "0001-01-01T00:00:00Z",
            "ends_at": "0001-01-01T01:00:00Z",
            "time_zone": "America/New_York",
        },
    )
    assert response.status_code == 400
    assert set(response.json()) == {"starts_at", "ends_at"}


def test_the_calendar_default_end_never_overflows(world):
    response = world["client"].get(f"{BASE}/calendar/", {"from": "9999-12-30"})
    assert response.status_code == 200, response.content
    response = world["client"].get(f"{BASE}/calendar/", {"from": "9999-12-31"})
    assert response.status_code == 400
    assert "from" in response.json()


@pytest.mark.parametrize(
    ("month", "day", "year", "status"),
    [(1, 1, 1, 400), (1, 2, 1, 201), (12, 30, 9999, 201), (12, 31, 9999, 400)],
)
def test_anniversary_origins_at_the_edges(world, month, day, year, status):
    data = {"title_vi": "Kỷ niệm", "kind": "founding", "origin_month": month, "origin_day": day}
    response = world["client"].post(
        f"{BASE}/anniversaries/", {**data, "origin_year": year}, format="json"
    )
    assert response.status_code == status, response.content
    if status == 400:
        assert list(response.json()) == ["origin_year"]
    calendar = world["client"].get(f"{BASE}/calendar/", {"from": "9990-01-01", "to": "9999-12-30"})
    assert calendar.status_code == 200


def record_data(resource: str) -> dict:
    if resource == "interactions":
        return {"subject": "Thăm", "kind": "meeting", "occurred_on": "2026-11-01"}
    if resource == "follow-ups":
        return {"interaction": InteractionFactory().pk, "action": "Gửi thư"}
    if resource == "agreements":
        return {"title": "Biên bản ghi nhớ", "kind": "mou"}
    return {
        "person": PersonFactory().pk,
        "organization": OrganizationFactory().pk,
        "title": "Tỉnh trưởng",
    }


WRITTEN_DATES = [
    ("interactions", "occurred_on"),
    ("follow-ups", "due_on"),
    ("agreements", "signed_on"),
    ("agreements", "valid_from"),
    ("agreements", "valid_until"),
    ("positions", "start_date"),
    ("positions", "end_date"),
]


@pytest.mark.parametrize(("resource", "field"), WRITTEN_DATES)
@pytest.mark.parametrize(
    ("value", "status"),
    [("0001-01-01", 400), ("0001-01-02", 201), ("9999-12-30", 201), ("9999-12-31", 400)],
)
def test_written_dates_at_the_edges(world, resource, field, value, status):
    client = world["client"]
    response = client.post(
        f"{BASE}/{resource}/", {**record_data(resource), field: value}, format="json"
    )
    assert response.status_code == status, response.content
    if status == 400:
        assert list(response.json()) == [field]
        return
    assert client.get(f"{BASE}/{resource}/{response.json()['id']}/").status_code == 200
    assert client.get(f"{BASE}/{resource}/").status_code == 200


def test_dates_are_read_day_first_in_bodies_and_filters(world):
    response = post_event(world, {"start_date": "10/03/2027", "end_date": "12/03/2027"})
    assert response.status_code == 201, response.content
    assert (response.json()["start_date"], response.json()["end_date"]) == (
        "2027-03-10",
        "2027-03-12",
    )
    client = world["client"]
    for after in ("2027-03-11", "11/03/2027", "11/3/2027"):
        found = client.get(f"{BASE}/events/", {"date_after": after, "date_before": "2027-03-11"})
        assert [e["id"] for e in found.json()["results"]] == [response.json()["id"]], after
    nothing = client.get(f"{BASE}/events/", {"date_after": "13/03/2027"}).json()["results"]
    assert response.json()["id"] not in [e["id"] for e in nothing]
