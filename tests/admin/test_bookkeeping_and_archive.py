"""No admin form offers a bookkeeping field as an input, and archiving goes through the
archive and restore actions with the API's role rules (issue 11)."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse

from contacts.models import Agreement, FollowUp, Interaction
from crm.admin import BOOKKEEPING_FIELDS
from crm.models import Change
from crm.services import archive
from tests.admin.conftest import ROLES
from tests.admin.test_gate import CASES
from tests.factories import AgreementFactory, FollowUpFactory, InteractionFactory

pytestmark = pytest.mark.django_db


def form_inputs(model_admin, request, obj) -> set[str]:
    """Every input name of the admin's form and its inlines' forms for `obj`."""
    names = set(model_admin.get_form(request, obj, change=obj is not None).base_fields)
    for formset, _inline in model_admin.get_formsets_with_inlines(request, obj):
        names |= set(formset.form.base_fields)
    return names


@pytest.mark.parametrize(
    "model", list(admin.site._registry), ids=lambda m: f"{m._meta.app_label}.{m.__name__}"
)
def test_no_admin_form_has_a_bookkeeping_input(world, model):
    model_admin = admin.site._registry[model]
    superuser = get_user_model().objects.create_superuser("gate-root", password="x")
    row = CASES[model][0].make(world, "Bookkeeping", superuser)
    for user in (superuser, *world.users.values()):
        request = RequestFactory().get("/admin/")
        request.user = user
        for obj in (None, row):
            offered = form_inputs(model_admin, request, obj) & BOOKKEEPING_FIELDS
            assert not offered, (user.username, obj, offered)


def test_the_list_names_every_bookkeeping_field_of_the_models():
    """A model field named like bookkeeping but missing from the list would be typed by staff:
    the list covers the stamps, search columns, sequences, token hashes and archive mark."""
    from django.apps import apps

    found = {
        field.name
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.name.startswith(("search_", "token_", "archived", "created_", "updated_"))
        or field.name in {"sequence", "digest", "prefix", "last_used_at", "revoked_at"}
    }
    assert found <= BOOKKEEPING_FIELDS | {"created_on"}, found - BOOKKEEPING_FIELDS


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def agreement_form(agreement, **extra) -> dict:
    return {
        "title": agreement.title,
        "kind": agreement.kind,
        "status": agreement.status,
        "confidentiality": agreement.confidentiality,
        "summary": "",
        "signed_at": "",
    } | extra


@pytest.mark.parametrize("role", ["editor", "manager", "administrator"])
def test_posting_archived_at_in_a_form_archives_nothing(client, world, role):
    agreement = AgreementFactory(confidentiality="internal")
    client.force_login(world.users[role])
    response = client.post(
        url(Agreement, "change", agreement.pk),
        agreement_form(agreement, archived_at_0="2026-01-01", archived_at_1="10:00", notes="x"),
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.archived_at is None


def act(client, model, action, *rows, **extra):
    """An action on rows picked from the list: of live rows, or archived ones to restore or
    purge them."""
    listing = "" if action == "archive_selected" else "?archived=yes"
    return client.post(
        url(model, "changelist") + listing,
        {"action": action, "_selected_action": [row.pk for row in rows], **extra},
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "make",
    [
        lambda: AgreementFactory(confidentiality="internal"),
        lambda: FollowUpFactory(interaction=InteractionFactory(confidentiality="internal")),
        lambda: InteractionFactory(confidentiality="internal"),
    ],
    ids=["agreement", "follow-up", "interaction"],
)
def test_archive_and_restore_are_for_managers_and_above(client, world, role, make):
    row = make()
    model = type(row)
    user = world.users[role]
    client.force_login(user)
    allowed = role in {"manager", "administrator", "other_manager"}

    act(client, model, "archive_selected", row)
    row.refresh_from_db()
    assert (row.archived_at is not None) is allowed
    if not allowed:
        return
    latest = row.history.first()
    assert latest.history_user == user and latest.archived_at is not None
    assert Change.objects.filter(type=model.change_type, object_id=str(row.pk)).last().action == (
        "archive"
    )

    act(client, model, "restore_selected", row)
    row.refresh_from_db()
    assert row.archived_at is None
    assert Change.objects.filter(type=model.change_type, object_id=str(row.pk)).last().action == (
        "restore"
    )


def test_a_manager_cannot_archive_a_restricted_row_of_another_unit(client, world):
    secret = InteractionFactory(confidentiality="restricted", owner_unit=world.unit)
    client.force_login(world.users["other_manager"])
    act(client, Interaction, "archive_selected", secret)
    secret.refresh_from_db()
    assert secret.archived_at is None


def test_the_actions_are_offered_to_managers_only(client, world):
    FollowUpFactory()
    for role, offered in (("editor", False), ("manager", True)):
        client.force_login(world.users[role])
        page = client.get(url(FollowUp, "changelist")).content.decode()
        assert ('value="archive_selected"' in page) is offered, role
        assert ("Lưu trữ các dòng đã chọn" in page) is offered, role  # Vietnamese by default


# ---------------------------------------------------------------------------------------------
# Deleting in the admin archives (as DELETE does in the API); purging is for administrators


@pytest.mark.parametrize("role", ROLES)
def test_deleting_archives_for_managers_and_above(client, world, role):
    row = InteractionFactory(confidentiality="internal", owner_unit=world.unit)
    client.force_login(world.users[role])
    allowed = role in {"manager", "administrator", "other_manager"}
    page = client.get(url(Interaction, "delete", row.pk))
    assert page.status_code == (200 if allowed else 403)
    if allowed:
        assert "Đồng ý, lưu trữ" in page.content.decode()  # it says what it does

    done = client.post(url(Interaction, "delete", row.pk), {"post": "yes"}, follow=True)

    row = Interaction.objects.get(pk=row.pk)  # still there: archived, not deleted
    assert (row.archived_at is not None) is allowed
    if allowed:
        change = Change.objects.filter(type="interaction", object_id=str(row.pk)).last()
        assert change.action == "archive"
        message = [str(m) for m in done.context["messages"]]
        assert any("đã được lưu trữ" in m for m in message), message  # not "deleted"
        assert not any("xóa" in m.lower() for m in message), message
        listing = client.get(url(Interaction, "changelist")).content.decode()
        assert 'value="delete_selected"' not in listing  # archive_selected says what it does


def test_the_delete_page_names_no_related_row(client, world):
    from events.models import EventInteraction
    from tests.factories import EventFactory

    row = InteractionFactory(confidentiality="internal", owner_unit=world.unit)
    event = EventFactory(
        title_vi="Sự kiện mật UNB", visibility="restricted", owner_unit=world.other
    )
    EventInteraction.objects.create(interaction=row, event=event)
    client.force_login(world.users["manager"])
    page = client.get(url(Interaction, "delete", row.pk)).content.decode()
    assert "mật UNB" not in page


def test_lists_show_live_rows_and_archived_ones_on_request(client, world):
    AgreementFactory(title="Còn hiệu lực LVA", confidentiality="internal")
    gone = AgreementFactory(title="Đã lưu trữ QXZ", confidentiality="internal")

    archive(gone)
    client.force_login(world.users["manager"])
    default = client.get(url(Agreement, "changelist")).content.decode()
    assert "lực LVA" in default and "trữ QXZ" not in default
    archived = client.get(url(Agreement, "changelist"), {"archived": "yes"}).content.decode()
    assert "trữ QXZ" in archived and "lực LVA" not in archived
    both = client.get(url(Agreement, "changelist"), {"archived": "all"}).content.decode()
    assert "trữ QXZ" in both and "lực LVA" in both
    assert client.get(url(Agreement, "change", gone.pk)).status_code == 200

    client.force_login(world.users["viewer"])
    for params in ({}, {"archived": "yes"}, {"archived": "all"}):
        assert "trữ QXZ" not in client.get(url(Agreement, "changelist"), params).content.decode()
    assert client.get(url(Agreement, "change", gone.pk)).status_code == 302


@pytest.mark.parametrize("role", ["manager", "administrator"])
def test_purging_is_for_administrators(client, world, role):

    row = archive(AgreementFactory(confidentiality="internal"))
    client.force_login(world.users[role])
    page = client.get(url(Agreement, "changelist"), {"archived": "yes"}).content.decode()
    assert ('value="purge_selected"' in page) is (role == "administrator")

    asked = act(client, Agreement, "purge_selected", row)
    assert Agreement.objects.filter(pk=row.pk).exists()  # nothing purged before confirming
    if role == "administrator":
        assert asked.status_code == 200
        assert str(row) in asked.content.decode() and 'name="confirm_purge"' in (
            asked.content.decode()
        )

    act(client, Agreement, "purge_selected", row, confirm_purge="yes")

    assert Agreement.objects.filter(pk=row.pk).exists() is (role != "administrator")
