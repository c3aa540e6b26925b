"""The reference anniversaries (facts from shared/reference/facts.md) and the demo events."""

import datetime

import pytest

from contacts.demo import load_demo
from contacts.reference import load_reference
from events.models import Anniversary, Event, EventInteraction

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 26)


@pytest.fixture
def loaded():
    return load_reference()


@pytest.mark.parametrize(
    ("code", "origin"),
    [
        ("relations-la", (1962, 9, 5)),
        ("relations-kh", (1967, 6, 24)),
        ("relations-id", (1955, 12, 30)),
        ("relations-mm", (1975, 5, 28)),
        ("relations-my", (1973, 3, 30)),
        ("relations-sg", (1973, 8, 1)),
        ("relations-th", (1976, 8, 6)),
        ("relations-ph", (1976, 7, 12)),
        ("relations-bn", (1992, 2, 29)),
        ("relations-tl", (2002, 7, 28)),
        ("asean-founding", (1967, 8, 8)),
        ("asean-vietnam-accession", (1995, 7, 28)),
        ("national-day-tl", (1975, 11, 28)),
        ("restoration-of-independence-tl", (2002, 5, 20)),
        ("national-day-mm", (1948, 1, 4)),
        ("national-day-th", (None, 12, 5)),
        ("national-day-vn", (1945, 9, 2)),
    ],
)
def test_reference_dates_are_the_verified_ones(loaded, code, origin):
    anniversary = Anniversary.objects.get(code=code)
    assert (anniversary.origin_year, anniversary.origin_month, anniversary.origin_day) == origin
    assert anniversary.source.strip(), code
    assert anniversary.visibility == "public"


def test_every_asean_member_has_relations_and_a_national_day(loaded):
    members = {"BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "TL"}
    relations = set(
        Anniversary.objects.filter(kind="diplomatic_relations").values_list("country", flat=True)
    )
    national = set(
        Anniversary.objects.filter(kind="national_day").values_list("country", flat=True)
    )
    assert relations == members
    assert members | {"VN"} <= national


def test_brunei_35th_in_2027_is_a_milestone_on_28_february(loaded):
    found = Anniversary.objects.get(code="relations-bn").occurrence(2027)
    assert (found.date, found.ordinal, found.is_milestone) == (datetime.date(2027, 2, 28), 35, True)


def test_reloading_changes_nothing(loaded):
    before = list(Anniversary.objects.values_list("code", "updated_at"))
    history = Anniversary.history.count()
    assert load_reference() == loaded
    assert list(Anniversary.objects.values_list("code", "updated_at")) == before
    assert Anniversary.history.count() == history


def test_the_staff_keep_their_milestone_rule_and_notes_across_reloads(loaded):
    anniversary = Anniversary.objects.get(code="relations-kh")
    anniversary.milestone_every, anniversary.notes = 10, "Kỷ niệm lớn mỗi 10 năm."
    anniversary.save()
    load_reference()
    anniversary.refresh_from_db()
    assert (anniversary.milestone_every, anniversary.notes) == (10, "Kỷ niệm lớn mỗi 10 năm.")


def test_demo_events_are_loaded_idempotently(loaded):
    counts = load_demo(today=TODAY)
    assert counts["events"] == Event.objects.count() == 8
    assert counts["interactions_at_events"] == EventInteraction.objects.count() == 4
    again = load_demo(today=TODAY)
    assert (again["created"], again["changed"]) == (0, 0)
    celebration = Event.objects.get(kind="diplomatic_anniversary")
    assert celebration.start_date == datetime.date(2027, 6, 24)  # the 60th of Vietnam–Cambodia
    cancelled = Event.objects.get(status="cancelled")
    assert cancelled.visibility == "public"
    visit = Event.objects.get(title_vi__startswith="Đoàn đại biểu tỉnh Prây Veng")
    assert visit.kind == "delegation_visit"
    assert visit.organizations.filter(subdivision_code="KH-14").exists()
    assert visit.interaction_links.count() == 1
