"""Shared world for the admin gate tests: two units, one user per role, a manager of the other
unit, and an owner of rows (feeds, tokens) that belong to nobody else."""

from types import SimpleNamespace

import pytest

from tests.factories import UnitFactory, UserFactory

# Each role logs in as a member of its group; `other_manager` manages another unit.
ROLES = ("viewer", "editor", "manager", "administrator", "other_manager")
# Who may read a restricted row of unit A (the rule of `crm.access.Viewer.may_see`).
SEES_RESTRICTED = {"manager", "administrator"}


@pytest.fixture
def world(db):
    unit, other = UnitFactory(code="gate-a"), UnitFactory(code="gate-b")
    users = {
        role: UserFactory(username=f"gate-{role}", role=role, units=[unit]) for role in ROLES[:4]
    }
    users["other_manager"] = UserFactory(
        username="gate-other-manager", role="manager", units=[other]
    )
    owner = UserFactory(username="gate-owner", role="editor", units=[unit])
    return SimpleNamespace(unit=unit, other=other, users=users, owner=owner)
