"""The admin pages for events, anniversaries and calendar feeds, as staff use them."""

import pytest
from django.test import Client

from events.models import CalendarFeed
from tests.factories import (
    AnniversaryFactory,
    CalendarFeedFactory,
    EventFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db) -> Client:
    client = Client()
    client.force_login(UserFactory(role="administrator", is_superuser=True))
    return client


def test_lists_and_forms_render(staff):
    event, anniversary = EventFactory(), AnniversaryFactory()
    for url in (
        "/admin/events/event/",
        f"/admin/events/event/{event.pk}/change/",
        "/admin/events/event/add/",
        "/admin/events/anniversary/",
        f"/admin/events/anniversary/{anniversary.pk}/change/",
        "/admin/events/calendarfeed/",
        "/admin/events/calendarfeed/add/",
    ):
        assert staff.get(url).status_code == 200, url
    listing = staff.get("/admin/events/anniversary/").content.decode()
    assert "24/06/1967" in listing  # dd/mm/yyyy, like every date on the staff's pages


def test_search_ignores_accents(staff):
    EventFactory(title_vi="Hội chợ Đồng Tháp")
    page = staff.get("/admin/events/event/", {"q": "hoi cho dong thap"}).content.decode()
    assert "Hội chợ Đồng Tháp" in page


def test_creating_a_feed_shows_its_address_once(staff):
    response = staff.post(
        "/admin/events/calendarfeed/add/",
        {
            "name": "Năm chẵn",
            "language": "vi",
            "preparation_days": 90,
            "include_cancelled": "on",
        },
        follow=True,
    )
    assert response.status_code == 200
    feed = CalendarFeed.objects.get(name="Năm chẵn")
    page = response.content.decode()
    assert "/calendar/" in page and "webcal://" in page and "calendar.google.com" in page
    key = page.split("/calendar/")[1].split(".ics")[0]
    assert len(key) >= 43 and feed.token_prefix == key[:8]
    assert key not in staff.get(f"/admin/events/calendarfeed/{feed.pk}/change/").content.decode()


def test_a_viewer_deletes_their_own_feed_which_archives_it():
    viewer = UserFactory(role="viewer")
    feed, others = CalendarFeedFactory(owner=viewer), CalendarFeedFactory()
    client = Client()
    client.force_login(viewer)
    response = client.post(f"/admin/events/calendarfeed/{feed.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    feed.refresh_from_db()
    assert feed.archived_at is not None
    client.post(f"/admin/events/calendarfeed/{others.pk}/delete/", {"post": "yes"})
    others.refresh_from_db()
    assert others.archived_at is None
