"""A version recorded while a row was hidden from someone stays hidden from them (issue 11).

`crm.history` is the one rule; the API's `revisions` and the admin's history pages use it.
Each shown version is compared with the previous shown one, so no diff reveals a hidden value.
"""

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from rest_framework.test import APIClient

from api.models import ApiToken
from contacts.models import Agreement, Interaction
from crm import history
from crm.access import Viewer
from events.models import Event
from tests.factories import (
    AgreementFactory,
    AnniversaryFactory,
    CountryFactory,
    EventFactory,
    InteractionFactory,
    UnitFactory,
    UserFactory,
)

BASE = "/api/v1"
SECRET, REDACTED = "Tóm tắt mật XYZQ", "Đã lược bỏ"
ROLES_OF = {
    "viewer": "viewer",
    "editor": "editor",
    "manager": "manager",
    "administrator": "administrator",
    "other_manager": "manager",
    "other_viewer": "viewer",
}


@pytest.fixture
def world(db):
    CountryFactory(code="KH")
    unit, other = UnitFactory(code="hist-a"), UnitFactory(code="hist-b")
    users = {
        name: UserFactory(
            username=f"hist-{name}", role=role, units=[other if "other" in name else unit]
        )
        for name, role in ROLES_OF.items()
    }
    return unit, users


def client_for(user, scopes=None) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if scopes is None:
        client.force_authenticate(user=user)
    else:
        _token, key = ApiToken.issue(user, scopes=scopes)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def redact_in_one_patch(world, resource, row):
    """The manager who wrote the restricted summary redacts it and makes the row internal."""
    _unit, users = world
    response = client_for(users["manager"]).patch(
        f"{BASE}/{resource}/{row.pk}/",
        {"summary": REDACTED, "confidentiality": "internal"},
        format="json",
    )
    assert response.status_code == 200, response.content[:300]


@pytest.mark.parametrize(
    ("resource", "make"),
    [
        ("interactions", lambda unit: InteractionFactory(summary=SECRET, owner_unit=unit,
                                                         confidentiality="restricted")),
        ("agreements", lambda unit: AgreementFactory(summary=SECRET, owner_unit=unit,
                                                     confidentiality="restricted")),
    ],
)  # fmt: skip
def test_a_redacted_restricted_summary_stays_out_of_revisions(world, resource, make):
    unit, users = world
    row = make(unit)
    redact_in_one_patch(world, resource, row)
    url = f"{BASE}/{resource}/{row.pk}/revisions/"

    for name in ("viewer", "editor", "other_manager", "other_viewer"):
        response = client_for(users[name]).get(url)
        assert response.status_code == 200
        assert SECRET not in response.content.decode(), name
        shown = response.json()["results"]
        oldest = shown[-1]
        summary = next(c for c in oldest["changes"] if c["field"] == "summary")
        assert summary == {"field": "summary", "old": None, "new": REDACTED}, name
        assert all(c["field"] != "confidentiality" or c["new"] != "restricted"
                   for r in shown for c in r["changes"])  # fmt: skip

    for name in ("manager", "administrator"):
        shown = client_for(users[name]).get(url).json()["results"]
        assert shown[-1]["action"] == "create"
        changes = {c["field"]: c for r in shown for c in r["changes"] if r["action"] == "update"}
        assert changes["summary"] == {"field": "summary", "old": SECRET, "new": REDACTED}, name


@pytest.mark.parametrize(
    ("resource", "make", "field"),
    [
        ("events", lambda unit, text: EventFactory(
            description_vi=text, visibility="internal", owner_unit=unit), "description_vi"),
        ("anniversaries", lambda unit, text: AnniversaryFactory(
            title_en=text, visibility="internal", owner_unit=unit), "title_en"),
    ],
)  # fmt: skip
def test_internal_made_public_keeps_its_internal_past_from_public_only_tokens(
    world, resource, make, field
):
    unit, users = world
    row = make(unit, "Nội bộ QRST")
    manager = client_for(users["manager"])
    response = manager.patch(
        f"{BASE}/{resource}/{row.pk}/",
        {field: "Công khai", "visibility": "public"},
        format="json",
    )
    assert response.status_code == 200, response.content[:300]
    url = f"{BASE}/{resource}/{row.pk}/revisions/"

    public = client_for(users["viewer"], scopes=["read", "public-only"]).get(url)
    assert public.status_code == 200
    assert "bộ QRST" not in public.content.decode()
    assert [r["action"] for r in public.json()["results"]] == ["update"]

    staff = client_for(users["viewer"], scopes=["read"]).get(url)
    assert "bộ QRST" in staff.content.decode()


def test_staff_listed_then_see_that_version_and_others_do_not(world):
    """The staff list is read as it was in each version (the history tracks it)."""
    unit, users = world
    listed, other = users["other_viewer"], users["viewer"]
    row = InteractionFactory(summary=SECRET, confidentiality="restricted", owner_unit=unit)
    row.staff.add(listed)  # a version with the staff member listed
    redact_in_one_patch(world, "interactions", row)
    row.staff.remove(listed)  # later versions without them

    def texts(user):
        viewer = Viewer.of(user)
        return {c["new"] for r in history.revisions(row, viewer) for c in r["changes"]} | {
            c["old"] for r in history.revisions(row, viewer) for c in r["changes"]
        }

    assert SECRET in texts(listed)
    assert SECRET not in texts(other)


# ---------------------------------------------------------------------------------------------
# The admin's history pages follow the same rule


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize(
    ("model", "resource", "make"),
    [
        (Interaction, "interactions", lambda unit: InteractionFactory(
            summary=SECRET, owner_unit=unit, confidentiality="restricted")),
        (Agreement, "agreements", lambda unit: AgreementFactory(
            summary=SECRET, owner_unit=unit, confidentiality="restricted")),
    ],
)  # fmt: skip
@pytest.mark.parametrize("name", list(ROLES_OF))
def test_the_admin_history_hides_versions_recorded_while_hidden(
    client, world, model, resource, make, name
):
    unit, users = world
    row = make(unit)
    redact_in_one_patch(world, resource, row)
    client.force_login(users[name])
    sees_then = name in {"manager", "administrator"}

    page = client.get(admin_url(model, "history", row.pk))
    assert page.status_code == 200
    assert (SECRET in page.content.decode()) is sees_then  # the old value in the deltas
    for record in row.history.all():
        version = client.get(admin_url(model, "simple_history", row.pk, record.history_id))
        was_hidden = record.confidentiality == "restricted" and not sees_then
        assert version.status_code == (404 if was_hidden else 200)
        assert (SECRET in version.content.decode()) is (record.summary == SECRET and sees_then)


def test_the_admin_event_history_follows_visibility(client, world):
    unit, users = world
    event = EventFactory(description_vi="Mô tả mật QRST", visibility="restricted", owner_unit=unit)
    event.description_vi, event.visibility = "Mô tả công khai", "public"
    event.save()
    first = event.history.earliest("history_date")
    client.force_login(users["viewer"])
    assert client.get(admin_url(Event, "simple_history", event.pk, first.pk)).status_code == 404
    assert "mật QRST" not in client.get(admin_url(Event, "history", event.pk)).content.decode()
    client.force_login(users["manager"])
    assert client.get(admin_url(Event, "simple_history", event.pk, first.pk)).status_code == 200


# ---------------------------------------------------------------------------------------------
# The rule as a property: whatever the sequence of states, a viewer reads only the values of
# versions it could have seen then, and each diff starts from the previous shown version.

STATES = st.lists(
    st.tuples(st.sampled_from(["public", "internal", "restricted"]), st.sampled_from("ab")),
    min_size=1,
    max_size=6,
)


def could_see(viewer: Viewer, confidentiality: str, unit_id, unit_ids) -> bool:
    """An independent statement of the rule (no staff listed on these rows)."""
    if viewer.public_only:
        return confidentiality == "public"
    if confidentiality != "restricted" or viewer.is_administrator:
        return True
    return viewer.at_least("manager") and unit_id in unit_ids


class TestShownVersionsProperty(TestCase):
    @settings(max_examples=25, deadline=None)
    @given(states=STATES)
    def test_only_values_of_versions_seen_then(self, states):
        units = {"a": UnitFactory(code="prop-a"), "b": UnitFactory(code="prop-b")}
        viewers = [
            Viewer.of(UserFactory(username="prop-viewer", role="viewer", units=[units["a"]])),
            Viewer.of(UserFactory(username="prop-manager", role="manager", units=[units["a"]])),
            Viewer.of(UserFactory(username="prop-admin", role="administrator")),
        ]
        viewers.append(Viewer.of(viewers[0].user, scopes=["read", "public-only"]))
        row = None
        for step, (confidentiality, unit) in enumerate(states):
            values = {"summary": f"v{step}", "confidentiality": confidentiality,
                      "owner_unit": units[unit]}  # fmt: skip
            if row is None:
                row = InteractionFactory(**values)
            else:
                for name, value in values.items():
                    setattr(row, name, value)
                row.save()
        records = list(row.history.order_by("history_date", "history_id"))
        for viewer in viewers:
            allowed = [
                r.summary
                for r in records
                if could_see(viewer, r.confidentiality, r.owner_unit_id, viewer.unit_ids)
            ]
            shown = list(reversed(history.revisions(row, viewer)))
            assert len(shown) == len(allowed)
            previous = None
            for revision, summary in zip(shown, allowed, strict=True):
                change = next((c for c in revision["changes"] if c["field"] == "summary"), None)
                if summary != previous:
                    assert change == {"field": "summary", "old": previous, "new": summary}
                else:
                    assert change is None
                previous = summary
