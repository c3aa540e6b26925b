"""The roles are defined once (crm/roles.py) and the groups follow them on every migrate."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from crm import roles
from crm.access import ROLES

pytestmark = pytest.mark.django_db


def test_every_model_of_our_apps_has_an_entry():
    """A model added later must be given its roles here, not forgotten."""
    missing = [
        f"{model._meta.app_label}.{model._meta.model_name}"
        for model in apps.get_models()
        if model._meta.app_label in roles.OUR_APPS
        and not roles.is_history(model)
        and f"{model._meta.app_label}.{model._meta.model_name}" not in roles.MODELS
    ]
    assert missing == []


def test_every_entry_names_a_model():
    for label in roles.MODELS:
        apps.get_model(label)


def test_every_other_app_has_a_default():
    others = {model._meta.app_label for model in apps.get_models()} - set(roles.OUR_APPS)
    assert others - set(roles.APP_DEFAULTS) <= {"simple_history"}


def held(role: str) -> set[tuple[str, str]]:
    return set(
        Group.objects.get(name=role).permissions.values_list("content_type__app_label", "codename")
    )


def test_the_groups_hold_exactly_the_table():
    for role in ROLES:
        assert held(role) == roles.permissions_of(role), role
    # Each role includes the ones before it.
    for lower, higher in zip(ROLES, ROLES[1:], strict=False):
        assert held(lower) <= held(higher)


def test_migrate_puts_the_groups_back_in_step():
    viewer = Group.objects.get(name="viewer")
    viewer.permissions.add(Permission.objects.get(codename="delete_person"))
    Group.objects.get(name="manager").permissions.clear()
    Group.objects.filter(name="editor").delete()
    call_command("migrate", verbosity=0)
    for role in ROLES:
        assert held(role) == roles.permissions_of(role), role


def test_the_table_covers_every_screen_of_the_domain():
    """Every role reads every domain model; the admin and the API agree on who writes."""
    for label, policy in roles.MODELS.items():
        if policy is roles.NOBODY:
            continue
        for role in ROLES:
            assert roles.VIEW in policy.get(role, ()), (label, role)
    for label in ("events.event", "events.anniversary", "contacts.interaction"):
        assert {"add", "change"} <= set(roles.MODELS[label]["editor"])
        assert "delete" not in roles.MODELS[label]["editor"]
        assert "delete" in roles.MODELS[label]["manager"]


def test_a_model_without_an_entry_gets_its_apps_default():
    from axes.models import AccessLog

    assert roles.policy_for(AccessLog) == roles.LOGIN_RECORDS
    history = apps.get_model("contacts", "historicalperson")
    assert roles.policy_for(history) == roles.NOBODY
