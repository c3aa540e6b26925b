"""Archive, restore and purge; ETags and If-Match; revisions (issue 4).

DELETE archives: the row leaves lists, searches and contact histories, managers find it with
`?archived=true` and restore it; administrators alone purge it, and only once archived, its
history kept. A write with a stale If-Match gets 412 and changes nothing. Revisions are newest
first, say who, when and what changed, and hide personal fields without personal data.
"""

import datetime

import pytest
from rest_framework.test import APIClient

from api.models import ApiToken
from contacts.models import Agreement, FollowUp, Interaction, Organization, Person
from tests.factories import (
    AgreementFactory,
    CountryFactory,
    FollowUpFactory,
    InteractionFactory,
    OrganizationFactory,
    ParticipantFactory,
    PersonFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

BASE = "/api/v1"
D = datetime.date


def client_for(user, scopes=None) -> APIClient:
    """A session (no token: everything the role allows) or a token with `scopes`."""
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if scopes is None:
        client.force_authenticate(user=user)
    else:
        _token, key = ApiToken.issue(user, scopes=scopes)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def unit(db):
    CountryFactory(code="KH")
    return UnitFactory(code="archive-unit")


@pytest.fixture
def users(unit):
    return {
        role: UserFactory(username=f"arch-{role}", role=role, units=[unit])
        for role in ("viewer", "editor", "manager", "administrator")
    }


@pytest.fixture
def clients(users):
    return {role: client_for(user) for role, user in users.items()}


# Each archivable resource: how to make a row that a search for "walrus" finds (None: no q).
RESOURCES = {
    "people": (Person, lambda unit: PersonFactory(name_vi="Walrus Người")),
    "organizations": (Organization, lambda unit: OrganizationFactory(name_vi="Walrus Tổ chức")),
    "interactions": (
        Interaction,
        lambda unit: InteractionFactory(subject="Walrus gặp", owner_unit=unit),
    ),
    "agreements": (Agreement, lambda unit: AgreementFactory(title="Walrus MOU", owner_unit=unit)),
    "follow-ups": (
        FollowUp,
        lambda unit: FollowUpFactory(
            action="Walrus việc", interaction=InteractionFactory(owner_unit=unit)
        ),
    ),
}
SEARCHABLE = {"people", "organizations", "interactions", "agreements"}


def ids(response) -> list:
    assert response.status_code == 200, response.content[:300]
    return [row["id"] for row in response.json()["results"]]


def row_values(model, pk) -> dict:
    return model.objects.filter(pk=pk).values().get()


# ---------------------------------------------------------------------------------------------
# Archive, ?archived=true, restore


@pytest.mark.parametrize("resource", RESOURCES)
def test_delete_archives_and_the_row_leaves_lists_and_searches(clients, unit, resource):
    model, make = RESOURCES[resource]
    row, kept = make(unit), make(unit)
    manager = clients["manager"]
    url = f"{BASE}/{resource}/{row.pk}/"
    assert row.pk in ids(manager.get(f"{BASE}/{resource}/", {"page_size": 500}))

    response = manager.delete(url)

    assert response.status_code == 204
    archived = model.objects.get(pk=row.pk)  # still there, only archived
    assert archived.archived_at is not None
    for role, client in clients.items():
        listed = ids(client.get(f"{BASE}/{resource}/", {"page_size": 500}))
        assert row.pk not in listed, role
        assert kept.pk in listed, role
        assert client.get(url).status_code == 404, role
        if resource in SEARCHABLE:
            found = ids(client.get(f"{BASE}/{resource}/", {"q": "walrus"}))
            assert found == [kept.pk], role
    assert manager.delete(url).status_code == 404  # already archived: not a live row


def test_an_archived_interaction_leaves_contact_histories_and_their_counts(clients, unit):
    person = PersonFactory()
    archived = InteractionFactory(owner_unit=unit, occurred_on=D(2024, 1, 1), kind="meeting")
    live = InteractionFactory(owner_unit=unit, occurred_on=D(2025, 1, 1), kind="email")
    for interaction in (archived, live):
        ParticipantFactory(interaction=interaction, person=person)
        FollowUpFactory(interaction=interaction)
    manager = clients["manager"]
    assert manager.delete(f"{BASE}/interactions/{archived.pk}/").status_code == 204

    body = manager.get(f"{BASE}/people/{person.pk}/contact-history/").json()
    assert [row["id"] for row in body["results"]] == [live.pk]
    assert body["count"] == body["summary"]["count"] == 1
    assert body["summary"]["by_year"] == {"2025": 1}
    assert body["summary"]["by_kind"] == {"email": 1}
    assert body["summary"]["first_contact"] == "2025-01-01"
    assert [f["id"] for f in body["summary"]["open_follow_ups"]] == [live.follow_ups.get().pk]


def test_an_archived_follow_up_leaves_its_interaction(clients, unit):
    interaction = InteractionFactory(owner_unit=unit)
    archived, kept = (
        FollowUpFactory(interaction=interaction),
        FollowUpFactory(interaction=interaction),
    )
    manager = clients["manager"]
    assert manager.delete(f"{BASE}/follow-ups/{archived.pk}/").status_code == 204
    nested = manager.get(f"{BASE}/interactions/{interaction.pk}/").json()["follow_ups"]
    assert [f["id"] for f in nested] == [kept.pk]


@pytest.mark.parametrize("resource", RESOURCES)
def test_archived_true_shows_archived_rows_to_managers_only(clients, unit, resource):
    _model, make = RESOURCES[resource]
    archived, live = make(unit), make(unit)
    assert clients["manager"].delete(f"{BASE}/{resource}/{archived.pk}/").status_code == 204
    archived_list = f"{BASE}/{resource}/?archived=true&page_size=500"
    archived_detail = f"{BASE}/{resource}/{archived.pk}/?archived=true"

    for role in ("manager", "administrator"):
        client = clients[role]
        listed = ids(client.get(archived_list))
        assert archived.pk in listed and live.pk not in listed, role
        response = client.get(archived_detail)
        assert response.status_code == 200, role
        assert response.json()["id"] == archived.pk
        assert response["ETag"]
        if resource in SEARCHABLE:
            assert ids(client.get(archived_list + "&q=walrus")) == [archived.pk]

    for role in ("viewer", "editor"):
        client = clients[role]
        response = client.get(archived_list)
        # Not shown: an empty list (or a refusal), never the row.
        assert response.status_code in (200, 403), role
        if response.status_code == 200:
            assert response.json()["count"] == 0 and ids(response) == [], role
        assert client.get(archived_detail).status_code == 404, role


def test_a_manager_token_without_personal_data_still_lists_archived_rows(users, unit):
    person = PersonFactory()
    client_for(users["manager"]).delete(f"{BASE}/people/{person.pk}/")
    token = client_for(users["manager"], ["read"])
    assert person.pk in ids(token.get(f"{BASE}/people/", {"archived": "true"}))
    public_only = client_for(users["manager"], ["public-only"])
    response = public_only.get(f"{BASE}/people/", {"archived": "true"})
    assert response.status_code == 403 or ids(response) == []


def test_archived_takes_true_or_false_only(clients):
    response = clients["manager"].get(f"{BASE}/people/", {"archived": "yes please"})
    assert response.status_code == 400
    assert "archived" in response.json()


def test_a_restricted_archived_interaction_is_for_its_units_managers(clients, unit):
    restricted = InteractionFactory(owner_unit=unit, confidentiality="restricted")
    internal = InteractionFactory(owner_unit=unit, confidentiality="internal")
    for row in (restricted, internal):
        assert clients["manager"].delete(f"{BASE}/interactions/{row.pk}/").status_code == 204
    outsider = client_for(UserFactory(username="arch-outsider", role="manager"))
    listed = ids(outsider.get(f"{BASE}/interactions/", {"archived": "true"}))
    assert internal.pk in listed and restricted.pk not in listed
    assert outsider.post(f"{BASE}/interactions/{restricted.pk}/restore/").status_code == 404
    assert (
        outsider.get(f"{BASE}/interactions/{restricted.pk}/revisions/?archived=true").status_code
        == 404
    )
    assert Interaction.objects.get(pk=restricted.pk).archived_at is not None
    listed = ids(clients["manager"].get(f"{BASE}/interactions/", {"archived": "true"}))
    assert {internal.pk, restricted.pk} <= set(listed)


@pytest.mark.parametrize("resource", RESOURCES)
def test_restore_brings_the_row_back_for_managers(clients, unit, resource):
    model, make = RESOURCES[resource]
    row = make(unit)
    manager = clients["manager"]
    manager.delete(f"{BASE}/{resource}/{row.pk}/")
    restore = f"{BASE}/{resource}/{row.pk}/restore/"

    for role in ("viewer", "editor"):
        assert clients[role].post(restore).status_code == 403, role
        assert model.objects.get(pk=row.pk).archived_at is not None

    response = manager.post(restore)

    assert response.status_code == 200, response.content[:300]
    assert response.json()["id"] == row.pk
    assert model.objects.get(pk=row.pk).archived_at is None
    assert row.pk in ids(manager.get(f"{BASE}/{resource}/", {"page_size": 500}))
    assert clients["viewer"].get(f"{BASE}/{resource}/{row.pk}/").status_code == 200
    if resource in SEARCHABLE:
        assert ids(clients["viewer"].get(f"{BASE}/{resource}/", {"q": "walrus"})) == [row.pk]
    assert row.pk not in ids(manager.get(f"{BASE}/{resource}/", {"archived": "true"}))
    # A live row has nothing to restore.
    assert manager.post(restore).status_code == 404


def test_restore_and_archive_need_the_write_scope(users):
    person = PersonFactory()
    read_only = client_for(users["manager"], ["read"])
    assert read_only.delete(f"{BASE}/people/{person.pk}/").status_code == 403
    assert Person.objects.get(pk=person.pk).archived_at is None
    client_for(users["manager"]).delete(f"{BASE}/people/{person.pk}/")
    assert read_only.post(f"{BASE}/people/{person.pk}/restore/").status_code == 403
    assert Person.objects.get(pk=person.pk).archived_at is not None


# ---------------------------------------------------------------------------------------------
# Purge


@pytest.mark.parametrize("resource", RESOURCES)
def test_purge_is_for_administrators_and_archived_rows_only(clients, unit, resource):
    model, make = RESOURCES[resource]
    row = make(unit)
    purge = f"{BASE}/{resource}/{row.pk}/purge/"
    history = model.history.model.objects.filter(id=row.pk)

    # Live: refused even to an administrator, and the row stays.
    response = clients["administrator"].post(purge)
    assert response.status_code in (400, 404, 409), response.content[:300]
    assert model.objects.filter(pk=row.pk, archived_at__isnull=True).exists()

    clients["manager"].delete(f"{BASE}/{resource}/{row.pk}/")
    for role in ("viewer", "editor", "manager"):
        assert clients[role].post(purge).status_code == 403, role
        assert model.objects.filter(pk=row.pk).exists(), role
    records_before = history.count()

    response = clients["administrator"].post(purge)

    assert response.status_code == 204, response.content[:300]
    assert not model.objects.filter(pk=row.pk).exists()
    # History stays, with the purge as its last record, by the administrator.
    assert history.count() == records_before + 1
    last = history.order_by("-history_date", "-history_id").first()
    assert last.history_type == "-"
    assert last.history_user.username == "arch-administrator"
    assert clients["administrator"].post(purge).status_code == 404


def test_purge_needs_an_administrator_token_with_write(users):
    person = PersonFactory()
    client_for(users["manager"]).delete(f"{BASE}/people/{person.pk}/")
    admin = users["administrator"]
    for scopes in (["read"], ["public-only"]):
        response = client_for(admin, scopes).post(f"{BASE}/people/{person.pk}/purge/")
        assert response.status_code == 403, scopes
        assert Person.objects.filter(pk=person.pk).exists()
    response = client_for(admin, ["read", "write"]).post(f"{BASE}/people/{person.pk}/purge/")
    assert response.status_code == 204
    assert not Person.objects.filter(pk=person.pk).exists()


def test_the_changes_feed_records_archive_restore_and_purge(clients, monkeypatch):
    # On PostgreSQL the feed holds back this test's own open transaction: lift the horizon.
    monkeypatch.setattr("crm.changes.safe_horizon", lambda: None)
    person = PersonFactory()
    admin = clients["administrator"]
    url = f"{BASE}/people/{person.pk}/"
    cursor = admin.get(f"{BASE}/changes/", {"limit": 1000}).json()["next"]

    def actions_since_last_read():
        nonlocal cursor
        body = admin.get(f"{BASE}/changes/", {"after": cursor, "limit": 1000}).json()
        cursor = body["next"]
        return [c["action"] for c in body["results"] if c["id"] == str(person.pk)]

    admin.delete(url)
    admin.post(f"{url}restore/")
    assert actions_since_last_read() == ["archive", "restore"]
    admin.delete(url)
    admin.post(f"{url}purge/")
    assert actions_since_last_read() == ["archive", "delete"]


# ---------------------------------------------------------------------------------------------
# ETag and If-Match


def test_detail_has_an_etag_that_changes_after_an_edit(clients):
    person = PersonFactory()
    editor = clients["editor"]
    url = f"{BASE}/people/{person.pk}/"
    first = editor.get(url)["ETag"]
    assert first.startswith('"') and first.endswith('"')
    assert editor.get(url)["ETag"] == first  # stable while nothing changes

    patched = editor.patch(url, {"occupation": "Giáo viên"}, format="json", HTTP_IF_MATCH=first)

    assert patched.status_code == 200
    second = editor.get(url)["ETag"]
    assert second != first
    assert patched["ETag"] == second  # the write's answer carries the new ETag


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_stale_if_match_gets_412_and_changes_nothing(clients, method):
    person = PersonFactory(occupation="Trước")
    editor, manager = clients["editor"], clients["manager"]
    url = f"{BASE}/people/{person.pk}/"
    stale = manager.get(url)["ETag"]
    assert editor.patch(url, {"occupation": "Giữa"}, format="json").status_code == 200
    before = row_values(Person, person.pk)

    body = {"full_name_native": "Tên mới", "category": "domestic", "occupation": "Sau"}
    if method == "delete":
        response = manager.delete(url, HTTP_IF_MATCH=stale)
    else:
        response = getattr(manager, method)(url, body, format="json", HTTP_IF_MATCH=stale)

    assert response.status_code == 412
    assert row_values(Person, person.pk) == before
    assert before["occupation"] == "Giữa" and before["archived_at"] is None


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_current_etag_lets_the_write_through(clients, method):
    person = PersonFactory(occupation="Trước")
    manager = clients["manager"]
    url = f"{BASE}/people/{person.pk}/"
    current = manager.get(url)["ETag"]
    body = {"full_name_native": "Tên mới", "category": "domestic", "occupation": "Sau"}
    if method == "delete":
        response = manager.delete(url, HTTP_IF_MATCH=current)
        assert response.status_code == 204
        assert Person.objects.get(pk=person.pk).archived_at is not None
    else:
        response = getattr(manager, method)(url, body, format="json", HTTP_IF_MATCH=current)
        assert response.status_code == 200, response.json()
        assert Person.objects.get(pk=person.pk).occupation == "Sau"


@pytest.mark.parametrize("resource", ["organizations", "interactions", "agreements", "follow-ups"])
def test_if_match_on_every_archivable_resource(clients, unit, resource):
    model, make = RESOURCES[resource]
    row = make(unit)
    manager = clients["manager"]
    url = f"{BASE}/{resource}/{row.pk}/"
    stale = manager.get(url)["ETag"]
    model.objects.filter(pk=row.pk).update(updated_at=row.updated_at + datetime.timedelta(1))
    before = row_values(model, row.pk)
    assert manager.delete(url, HTTP_IF_MATCH=stale).status_code == 412
    assert row_values(model, row.pk) == before
    current = manager.get(url)["ETag"]
    assert current != stale
    assert manager.delete(url, HTTP_IF_MATCH=current).status_code == 204


def test_if_match_takes_weak_lists_and_star(clients):
    person = PersonFactory()
    editor = clients["editor"]
    url = f"{BASE}/people/{person.pk}/"
    tag = editor.get(url)["ETag"]
    weak = editor.patch(url, {"occupation": "a"}, format="json", HTTP_IF_MATCH=f"W/{tag}")
    assert weak.status_code == 200
    tag = weak["ETag"]
    listed = editor.patch(url, {"occupation": "b"}, format="json", HTTP_IF_MATCH=f'"nope", {tag}')
    assert listed.status_code == 200
    assert (
        editor.patch(url, {"occupation": "c"}, format="json", HTTP_IF_MATCH="*").status_code == 200
    )
    assert Person.objects.get(pk=person.pk).occupation == "c"


def test_archive_and_restore_change_the_etag(clients):
    person = PersonFactory()
    manager = clients["manager"]
    url = f"{BASE}/people/{person.pk}/"
    live = manager.get(url)["ETag"]
    manager.delete(url)
    archived = manager.get(url + "?archived=true")["ETag"]
    assert archived != live
    manager.post(url + "restore/")
    restored = manager.get(url)["ETag"]
    assert restored not in (live, archived)
    stale = manager.patch(url, {"occupation": "x"}, format="json", HTTP_IF_MATCH=live)
    assert stale.status_code == 412


# ---------------------------------------------------------------------------------------------
# Revisions


def revisions(client, url, **params):
    response = client.get(url + "revisions/", params)
    assert response.status_code == 200, response.content[:300]
    return response.json()["results"]


def change(revision, name):
    found = [c for c in revision["changes"] if c["field"] == name]
    return found[0] if found else None


def test_revisions_are_newest_first_with_who_when_and_what(users, clients):
    editor, manager = clients["editor"], clients["manager"]
    created = editor.post(
        f"{BASE}/organizations/",
        {"name_native": "Ban Hữu nghị", "name_vi": "Ban cũ", "kind": "ngo", "country": "KH"},
        format="json",
    )
    assert created.status_code == 201
    url = f"{BASE}/organizations/{created.json()['id']}/"
    assert manager.patch(url, {"name_vi": "Ban mới"}, format="json").status_code == 200

    history = revisions(clients["viewer"], url)

    assert [r["action"] for r in history] == ["update", "create"]
    newest, oldest = history
    assert newest["changed_by"] == {"id": users["manager"].pk, "username": "arch-manager"}
    assert oldest["changed_by"] == {"id": users["editor"].pk, "username": "arch-editor"}
    assert newest["changed_at"] >= oldest["changed_at"]
    assert change(newest, "name_vi") == {"field": "name_vi", "old": "Ban cũ", "new": "Ban mới"}
    assert {c["field"] for c in newest["changes"]} == {"name_vi"}
    assert change(oldest, "name_native") == {
        "field": "name_native",
        "old": None,
        "new": "Ban Hữu nghị",
    }


def test_revisions_of_an_archived_row(users, clients):
    person = PersonFactory(name_vi="Cũ")
    manager = clients["manager"]
    url = f"{BASE}/people/{person.pk}/"
    clients["editor"].patch(url, {"name_vi": "Mới"}, format="json")
    manager.delete(url)

    assert clients["manager"].get(url + "revisions/").status_code == 404  # not a live row
    assert clients["viewer"].get(url + "revisions/?archived=true").status_code == 404
    history = revisions(manager, url, archived="true")

    assert [r["action"] for r in history] == ["update", "update", "create"]
    archive = history[0]
    assert archive["changed_by"]["username"] == "arch-manager"
    assert change(archive, "archived_at")["old"] is None
    assert change(archive, "archived_at")["new"] is not None
    assert history[1]["changed_by"]["username"] == "arch-editor"
    assert change(history[1], "name_vi") == {"field": "name_vi", "old": "Cũ", "new": "Mới"}


def test_history_stays_after_a_restore(clients):
    person = PersonFactory()
    manager = clients["manager"]
    url = f"{BASE}/people/{person.pk}/"
    manager.delete(url)
    manager.post(url + "restore/")
    restored, archived, created = revisions(clients["viewer"], url)
    assert created["action"] == "create"
    assert change(archived, "archived_at")["old"] is None
    assert change(archived, "archived_at")["new"] is not None
    assert change(restored, "archived_at") == {
        "field": "archived_at",
        "old": change(archived, "archived_at")["new"],
        "new": None,
    }
    assert restored["changed_by"]["username"] == "arch-manager"


PERSONAL = {
    "birth_year",
    "birth_month",
    "birth_day",
    "home_commune",
    "home_commune_former",
    "notes",
}


@pytest.mark.parametrize(
    ("scopes", "shown"),
    [
        (None, True),
        (["read"], False),
        (["read", "write"], False),
        (["read", "write", "personal-data"], True),
        (["public-only"], False),
    ],
    ids=["session", "read", "read+write", "read+write+personal-data", "public-only"],
)
def test_personal_fields_are_absent_from_revisions_without_personal_data(users, scopes, shown):
    session = client_for(users["editor"])
    created = session.post(
        f"{BASE}/people/",
        {
            "full_name_native": "Sok Revision",
            "category": "foreign_partner",
            "home_commune": "Phường Một",
            "birth_year": 1980,
            "birth_month": 2,
            "birth_day": 3,
            "notes": "Riêng tư",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    url = f"{BASE}/people/{created.json()['id']}/"
    changed = {"home_commune": "Phường Hai", "notes": "Riêng tư hơn", "occupation": "Kỹ sư"}
    assert session.patch(url, changed, format="json").status_code == 200

    history = revisions(client_for(users["viewer"], scopes), url)

    update, create = history
    fields = {c["field"] for r in history for c in r["changes"]}
    assert "occupation" in fields and "full_name_native" in fields
    if shown:
        assert PERSONAL <= fields
        assert change(update, "home_commune") == {
            "field": "home_commune",
            "old": "Phường Một",
            "new": "Phường Hai",
        }
        assert change(create, "birth_year")["new"] == 1980
    else:
        assert not PERSONAL & fields, sorted(PERSONAL & fields)
        assert {c["field"] for c in update["changes"]} == {"occupation"}
        serialized = str(history)
        for secret in ("Phường", "Riêng tư", "1980"):
            assert secret not in serialized


def test_revisions_follow_visibility(users, unit):
    restricted = InteractionFactory(owner_unit=unit, confidentiality="restricted")
    url = f"{BASE}/interactions/{restricted.pk}/"
    assert client_for(users["viewer"]).get(url + "revisions/").status_code == 404
    assert client_for(users["manager"]).get(url + "revisions/").status_code == 200
    public = InteractionFactory(owner_unit=unit, confidentiality="public")
    follow_up = FollowUpFactory(interaction=public)
    public_only = client_for(users["administrator"], ["public-only"])
    assert public_only.get(f"{BASE}/interactions/{public.pk}/revisions/").status_code == 200
    assert public_only.get(f"{BASE}/follow-ups/{follow_up.pk}/revisions/").status_code == 404


def test_public_only_revisions_do_not_show_organisation_notes(users):
    organization = OrganizationFactory(notes="Ghi chú nội bộ")
    client = client_for(users["viewer"], ["public-only"])
    url = f"{BASE}/organizations/{organization.pk}/"
    assert "notes" not in client.get(url).json()
    history = revisions(client, url)
    assert "notes" not in {c["field"] for r in history for c in r["changes"]}
