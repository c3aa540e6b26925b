"""Data migrations leave what staff decided alone."""

import importlib

import pytest
from django.apps import apps

from contacts.models import Organization
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

statuses = importlib.import_module("contacts.migrations.0008_normalise_names_rebuild_search")


def test_partners_without_a_source_become_to_confirm_unless_staff_set_their_status():
    loaded = OrganizationFactory(subdivision_code="KH-1", relationship_status="active")
    decided = OrganizationFactory(subdivision_code="KH-15", relationship_status="active")
    Organization.objects.filter(pk=decided.pk).update(updated_by=UserFactory(role="editor"))
    other = OrganizationFactory(subdivision_code="KH-14", relationship_status="active")

    statuses.forwards(apps, None)

    def status(row):
        return Organization.objects.get(pk=row.pk).relationship_status

    assert status(loaded) == "to_confirm"  # as the reference loader left it: the source is silent
    assert status(decided) == "active"  # a staff member's decision stays
    assert status(other) == "active"  # Prey Veng: the source says active
