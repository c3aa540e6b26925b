"""Năm tròn (every 10th year) and năm chẵn (the other milestones, every 5th) told apart in
titles, the admin's next-occurrence column, feeds' CATEGORIES and the API (issue 12)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from events.anniversaries import EVEN, ROUND, milestone_kind
from tests.factories import AnniversaryFactory, CalendarFeedFactory, UserFactory


@settings(max_examples=200, deadline=None)
@given(ordinal=st.integers(1, 500), every=st.sampled_from([0, 1, 2, 5, 10, 25]))
def test_milestone_kind_follows_the_plan(ordinal, every):
    kind = milestone_kind(ordinal, every)
    if not every or ordinal % every:
        assert kind is None
    elif ordinal % 10 == 0:
        assert kind == ROUND
    else:
        assert kind == EVEN


@pytest.fixture
def anniversaries(db):
    # In 2027: the 60th (năm tròn), the 35th (năm chẵn), the 33rd (no milestone).
    return {
        "round": AnniversaryFactory(title_vi="Tròn", origin_year=1967, visibility="public"),
        "even": AnniversaryFactory(title_vi="Chẵn", origin_year=1992, visibility="public"),
        "none": AnniversaryFactory(title_vi="Thường", origin_year=1994, visibility="public"),
    }


def test_titles_say_which_milestone(anniversaries):
    round_, even, none = (anniversaries[k].occurrence(2027) for k in ("round", "even", "none"))
    assert (round_.milestone, even.milestone, none.milestone) == (ROUND, EVEN, None)
    assert round_.is_milestone and even.is_milestone and not none.is_milestone
    assert round_.title_vi.endswith(", năm tròn") and round_.title_en.endswith(", round year")
    assert even.title_vi.endswith(", năm chẵn") and even.title_en.endswith(", milestone year")
    assert "năm tròn" not in none.title_vi and "năm chẵn" not in none.title_vi


def test_feed_categories_say_nam_tron_or_nam_chan(client, anniversaries, today):
    feed = CalendarFeedFactory(owner=UserFactory(role="viewer"), preparation_days=0)
    calendar = Calendar.from_ical(client.get(f"/calendar/{feed.key}.ics").content)
    for component in calendar.walk("VEVENT"):
        uid = str(component["UID"])
        cats = component.get("CATEGORIES")
        values = [str(v) for v in cats.cats] if cats is not None else []
        if f"-{anniversaries['round'].pk}-2027" in uid:
            assert "Năm tròn" in values and "Năm chẵn" not in values
        if f"-{anniversaries['even'].pk}-2027" in uid:
            assert "Năm chẵn" in values and "Năm tròn" not in values
        if f"-{anniversaries['none'].pk}-2027" in uid:
            assert "Năm chẵn" not in values and "Năm tròn" not in values


def test_the_api_gives_the_kind_of_milestone(client, anniversaries, today):
    client.force_login(UserFactory(role="viewer"))
    response = client.get(
        "/api/v1/calendar/",
        {"from": "2027-01-01", "to": "2027-12-31"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200, response.content[:500]
    body = response.json()
    items = body["results"] if isinstance(body, dict) else body
    by_id = {i["source"]["id"]: i for i in items if i["item_type"] == "occurrence"}
    found = {key: by_id[row.pk] for key, row in anniversaries.items()}
    assert (found["round"]["milestone"], found["round"]["is_milestone"]) == ("round", True)
    assert (found["even"]["milestone"], found["even"]["is_milestone"]) == ("even", True)
    assert (found["none"]["milestone"], found["none"]["is_milestone"]) == (None, False)
    detail = client.get(f"/api/v1/anniversaries/{anniversaries['round'].pk}/").json()
    assert detail["next_occurrence"]["milestone"] == "round"


def test_the_admin_column_says_which_milestone(client, anniversaries, today):
    client.force_login(UserFactory(role="viewer"))
    page = client.get("/admin/events/anniversary/").content.decode()
    assert "24/06/2027 (60) ★ năm tròn" in page
    assert "★ năm chẵn" in page
