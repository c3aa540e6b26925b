"""Follow-ups as staff work through them: open ones first (the status codes once sorted
"cancelled", "done", "open", so open work came last), then by due date with undated ones
last; `is_overdue` marks open ones due before today; `overdue` and `mine` filter them."""

import datetime

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from contacts.models import FollowUp
from tests.factories import FollowUpFactory, InteractionFactory, UserFactory

pytestmark = pytest.mark.django_db

STATUSES = [FollowUp.Status.OPEN, FollowUp.Status.DONE, FollowUp.Status.CANCELLED]


@pytest.fixture
def editor() -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.user = UserFactory(role="editor")
    client.force_login(client.user)
    return client


def make(interaction, status: str, due_in: int | None, assignee=None) -> FollowUp:
    today = timezone.localdate()
    due = None if due_in is None else today + datetime.timedelta(days=due_in)
    done_at = timezone.now() if status == FollowUp.Status.DONE else None
    return FollowUpFactory(
        interaction=interaction, status=status, due_on=due, done_at=done_at, assignee=assignee
    )


def expected_order(rows: list[FollowUp]) -> list[int]:
    far = datetime.date.max
    return [
        f.pk
        for f in sorted(
            rows, key=lambda f: (f.status != FollowUp.Status.OPEN, f.due_on or far, f.pk)
        )
    ]


def listed(client: APIClient, **params) -> list[dict]:
    response = client.get("/api/v1/follow-ups/", {"page_size": 500, **params})
    assert response.status_code == 200, response.content
    return response.json()["results"]


@given(
    specs=st.lists(
        st.tuples(st.sampled_from(STATUSES), st.none() | st.integers(-40, 40)),
        min_size=1,
        max_size=8,
    )
)
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_open_first_by_due_date_overdue_marked(editor, specs):
    FollowUp.objects.all().delete()
    interaction = InteractionFactory()
    rows = [make(interaction, status, due_in) for status, due_in in specs]
    today = timezone.localdate()
    results = listed(editor)
    assert [r["id"] for r in results] == expected_order(rows)
    overdue = {f.pk for f in rows if f.status == "open" and f.due_on and f.due_on < today}
    assert {r["id"] for r in results if r["is_overdue"]} == overdue
    assert {r["id"] for r in listed(editor, overdue="true")} == overdue
    assert {r["id"] for r in listed(editor, overdue="false")} == {f.pk for f in rows} - overdue
    # Sorting by status asked for explicitly reads the same way: open first.
    by_status = [r["status"] == "open" for r in listed(editor, ordering="status")]
    assert by_status == sorted(by_status, reverse=True)


def test_due_today_is_not_overdue_and_closed_work_never_is(editor):
    interaction = InteractionFactory()
    today = make(interaction, FollowUp.Status.OPEN, 0)
    done = make(interaction, FollowUp.Status.DONE, -10)
    late = make(interaction, FollowUp.Status.OPEN, -1)
    flags = {r["id"]: r["is_overdue"] for r in listed(editor)}
    assert flags == {today.pk: False, done.pk: False, late.pk: True}
    detail = editor.get(f"/api/v1/follow-ups/{late.pk}/").json()
    assert detail["is_overdue"] is True


def test_is_overdue_is_read_only_and_in_the_answer_to_a_write(editor):
    interaction = InteractionFactory()
    response = editor.post(
        "/api/v1/follow-ups/",
        {"interaction": interaction.pk, "action": "Gửi thư", "due_on": "2020-01-01"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["is_overdue"] is True
    url = response.json()["url"]
    response = editor.patch(url, {"is_overdue": False, "status": "done"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["is_overdue"] is False  # done: not overdue, whatever was sent


def test_mine_is_what_is_assigned_to_the_caller(editor):
    interaction = InteractionFactory()
    other = UserFactory(role="editor")
    mine = make(interaction, FollowUp.Status.OPEN, 3, assignee=editor.user)
    theirs = make(interaction, FollowUp.Status.OPEN, 3, assignee=other)
    nobody = make(interaction, FollowUp.Status.OPEN, None)
    assert [r["id"] for r in listed(editor, mine="true")] == [mine.pk]
    assert {r["id"] for r in listed(editor, mine="false")} == {theirs.pk, nobody.pk}
    response = editor.get("/api/v1/follow-ups/", {"mine": "yes"})
    assert response.status_code == 400
    assert list(response.json()) == ["mine"]
    response = editor.get("/api/v1/follow-ups/", {"overdue": "maybe"})
    assert response.status_code == 400
    assert list(response.json()) == ["overdue"]


def test_the_model_default_order_is_the_work_order_too():
    """The admin's list, an interaction's nested follow-ups and briefings read the default."""
    interaction = InteractionFactory()
    rows = [
        make(interaction, FollowUp.Status.DONE, -5),
        make(interaction, FollowUp.Status.OPEN, None),
        make(interaction, FollowUp.Status.CANCELLED, 1),
        make(interaction, FollowUp.Status.OPEN, 7),
        make(interaction, FollowUp.Status.OPEN, -2),
    ]
    assert [f.pk for f in FollowUp.objects.all()] == expected_order(rows)
    assert [f.pk for f in interaction.follow_ups.all()] == expected_order(rows)
