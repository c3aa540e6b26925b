"""A calendar feed's kinds are picked from a list in the admin, not typed as JSON (issue 12)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from events.models import CALENDAR_KINDS, Anniversary, CalendarFeed, Event
from tests.factories import CalendarFeedFactory, UserFactory

pytestmark = pytest.mark.django_db


def form_data(feed=None, **changes) -> dict:
    data = {
        "name": feed.name if feed else "Lịch của tôi",
        "language": "vi",
        "preparation_days": 90,
        "include_cancelled": "on",
    }
    return data | changes


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_the_add_page_offers_every_kind_as_a_checkbox(client, role):
    client.force_login(UserFactory(role=role))
    page = client.get(reverse("admin:events_calendarfeed_add")).content.decode()
    boxes = re.findall(r'<input type="checkbox" name="kinds" value="([^"]+)"', page)
    assert boxes == list(CALENDAR_KINDS)
    assert '<textarea name="kinds"' not in page
    # Labelled in Vietnamese, by the kinds' own names.
    with translation.override("en"):
        english = str(Event.Kind.TRADE_FAIR.label)
    assert english not in page
    assert "Hội chợ, triển lãm" in page


def test_picked_kinds_are_saved_as_the_list_of_codes(client):
    user = UserFactory(role="viewer")
    client.force_login(user)
    response = client.post(
        reverse("admin:events_calendarfeed_add"),
        form_data(kinds=["trade_fair", "diplomatic_relations"]),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    feed = CalendarFeed.objects.get(owner=user)
    assert sorted(feed.kinds) == ["diplomatic_relations", "trade_fair"]


def test_the_change_page_ticks_the_saved_kinds_and_unticking_all_means_all(client):
    user = UserFactory(role="editor")
    feed = CalendarFeedFactory(owner=user, kinds=[Anniversary.Kind.FOUNDING])
    client.force_login(user)
    url = reverse("admin:events_calendarfeed_change", args=[feed.pk])
    page = client.get(url).content.decode()
    assert re.search(r'name="kinds" value="founding"[^>]*checked', page)
    assert not re.search(r'name="kinds" value="festival"[^>]*checked', page)
    assert client.post(url, form_data(feed)).status_code == 302
    feed.refresh_from_db()
    assert feed.kinds == []


def test_an_unknown_kind_is_refused(client):
    user = UserFactory(role="viewer")
    client.force_login(user)
    response = client.post(reverse("admin:events_calendarfeed_add"), form_data(kinds=["picnic"]))
    assert response.status_code == 200
    assert not CalendarFeed.objects.filter(owner=user).exists()
    assert "picnic" in response.content.decode()  # named in the error
