"""Every registered admin page, for every role, answers as the role table says (issue 12).

The table below is written from the rules of the issue and the API (viewers read, editors
also add and change records, managers also delete, i.e. archive, administrators do
everything; reference data is the administrators'; feeds and tokens are each user's own;
accounts and groups are superusers'; login records are administrators'), never read from
crm/roles.py. Users are members of the role groups, never superusers. `test_gate.py` covers
which rows each page shows; this file covers which pages open at all.
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.admin.conftest import ROLES
from tests.admin.test_gate import CASES

pytestmark = pytest.mark.django_db

R, E, M, A = "viewer", "editor", "manager", "administrator"
# Pages: "v" changelist, change (read-only or not) and history; "a" add; "d" delete.
RECORDS = {R: "v", E: "va", M: "vad", A: "vad"}
REFERENCE = {R: "v", E: "v", M: "v", A: "vad"}
TABLE: dict[str, dict[str, str]] = {
    "contacts.country": REFERENCE,
    "contacts.unit": REFERENCE,
    "contacts.pillartag": {R: "v", E: "v", M: "v", A: "v"},  # fixed by a migration
    **{
        f"contacts.{name}": RECORDS
        for name in (
            "tag",
            "organization",
            "person",
            "position",
            "contactpoint",
            "interaction",
            "participant",
            "followup",
            "agreement",
        )
    },
    "events.event": RECORDS,
    "events.anniversary": RECORDS,
    "events.calendarfeed": {R: "vad", E: "vad", M: "vad", A: "vad"},  # one's own
    "api.apitoken": {R: "v", E: "v", M: "v", A: "vd"},  # issued by the API only
    "auth.user": {},
    "auth.group": {},
    "axes.accessattempt": {A: "vd"},
    "axes.accesslog": {A: "vd"},
    "axes.accessfailurelog": {A: "vd"},
}


def label(model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def test_the_table_names_every_registered_admin():
    assert {label(model) for model in admin.site._registry} == set(TABLE)


def url(model, view: str, *args) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


PARAMS = [
    pytest.param(model, role, id=f"{label(model)}-{role}")
    for model in admin.site._registry
    for role in ROLES
]


@pytest.mark.parametrize(("model", "role"), PARAMS)
def test_each_role_opens_the_pages_of_its_table(client, world, model, role):
    user = world.users[role]
    case = CASES[model][0]  # public, or one's own
    row = case.make(world, f"Roletable{model.__name__}", user)
    group_role = "manager" if role == "other_manager" else role
    allowed = TABLE[label(model)].get(group_role, "")
    client.force_login(user)
    pages = {
        "changelist": ("v", url(model, "changelist")),
        "change": ("v", url(model, "change", row.pk)),
        "history": ("v", url(model, "history", row.pk)),
        "add": ("a", url(model, "add")),
        "delete": ("d", url(model, "delete", row.pk)),
    }
    index = client.get(reverse("admin:index")).content.decode()
    for name, (letter, page) in pages.items():
        response = client.get(page)
        if letter in allowed:
            assert response.status_code == 200, (name, response.status_code)
        else:
            assert response.status_code in {302, 403}, (name, response.status_code)
    assert (url(model, "changelist") in index) is ("v" in allowed)
