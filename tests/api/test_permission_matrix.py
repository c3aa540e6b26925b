"""Who sees and does what through the API: the rules of issue 4 as a generated matrix.

Roles × token scopes × confidentiality × endpoints, for reads and for writes, plus personal
data by scope. The expected answer of every cell comes from `sees()` / `expected_write()`
below, written from the rules of the issue, never by calling the application's own code.

Speed: one world is built for the whole module inside a transaction rolled back at its end;
each test runs in a savepoint of it (pytest-django's `db`), and each write cell in a savepoint
of its own, so every cell starts from the same rows. Read cells loop over the three levels of
confidentiality inside one test (one list answers for all three records); write cells loop
over the token scopes.
"""

import datetime
from dataclasses import dataclass, field
from itertools import product

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from api.models import ApiToken
from contacts import services
from contacts.models import Agreement, FollowUp, Interaction, Organization, Person
from tests.factories import (
    AgreementFactory,
    ContactPointFactory,
    CountryFactory,
    FollowUpFactory,
    InteractionFactory,
    OrganizationFactory,
    ParticipantFactory,
    PersonFactory,
    UnitFactory,
    UserFactory,
)

BASE = "/api/v1"
D = datetime.date

# ---------------------------------------------------------------------------------------------
# The dimensions

# Callers. The records belong to one unit; "none", viewer and editor are members of it too (to
# show that membership alone opens nothing restricted), the others belong to another unit.
ROLES = (
    "none",  # a staff account without any role
    "viewer",
    "editor",
    "manager_own",  # manager of the unit owning the records
    "manager_other",  # manager of another unit
    "administrator",
    "staff_viewer",  # a viewer of another unit, listed on the interactions' staff
)
ROLE_GROUP = {
    "none": None,
    "viewer": "viewer",
    "editor": "editor",
    "manager_own": "manager",
    "manager_other": "manager",
    "administrator": "administrator",
    "staff_viewer": "viewer",
}
RANK = {None: -1, "viewer": 0, "editor": 1, "manager": 2, "administrator": 3}

# Token scopes; "session" is a login without a token (all the role allows).
SCOPES = {
    "session": None,
    "read": ["read"],
    "read+write": ["read", "write"],
    "read+write+personal-data": ["read", "write", "personal-data"],
    "public-only": ["public-only"],
}
CONFIDENTIALITY = ("public", "internal", "restricted")

# Distinct dates and kinds per level, so contact-history summaries show which ones they count.
YEAR = {"public": 2021, "internal": 2022, "restricted": 2023}
KIND = {"public": "meeting", "internal": "phone_call", "restricted": "email"}


# ---------------------------------------------------------------------------------------------
# The rules, independently of the application


def reads(role: str) -> bool:
    return ROLE_GROUP[role] is not None


def personal_data(role: str, scope: str) -> bool:
    """Sessions and tokens with the personal-data scope (public-only never)."""
    return reads(role) and scope in ("session", "read+write+personal-data")


def sees(role: str, scope: str, confidentiality: str | None, kind: str) -> bool:
    """Whether `role` with `scope` sees a live record of `kind` ("interaction", "agreement",
    "follow-up", "person", "organization") at `confidentiality` (a follow-up: its
    interaction's)."""
    if not reads(role):
        return False
    if scope == "public-only":
        return kind not in ("follow-up",) and confidentiality in (None, "public")
    if confidentiality != "restricted":
        return True
    if role in ("administrator", "manager_own"):
        return True
    return role == "staff_viewer" and kind in ("interaction", "follow-up")


def writes(role: str, scope: str, needed: str) -> bool:
    return (
        scope not in ("read", "public-only")
        and RANK[ROLE_GROUP[role]] >= RANK[needed]
        and reads(role)
    )


# ---------------------------------------------------------------------------------------------
# The world, built once for the module


@dataclass
class World:
    users: dict = field(default_factory=dict)
    keys: dict = field(default_factory=dict)  # (role, scope) -> token key
    person: Person | None = None
    organization: Organization | None = None
    interactions: dict = field(default_factory=dict)  # confidentiality -> Interaction
    follow_ups: dict = field(default_factory=dict)
    agreements: dict = field(default_factory=dict)
    hidden_archived: Interaction | None = None  # archived, restricted
    targets: dict = field(default_factory=dict)  # (endpoint, confidentiality, archived) -> row
    phone_digits: str = "012345678"
    commune: str = "Phường Đạo Thạnh"

    def client(self, role: str, scope: str) -> APIClient:
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        if SCOPES[scope] is None:
            client.force_authenticate(user=self.users[role])
        else:
            client.credentials(HTTP_AUTHORIZATION=f"Token {self.keys[role, scope]}")
        return client


def build_world() -> World:
    w = World()
    CountryFactory(code="KH")
    own = UnitFactory(code="matrix-own")
    other = UnitFactory(code="matrix-other")
    for role in ROLES:
        units = [own] if role in ("none", "viewer", "editor", "manager_own") else [other]
        w.users[role] = UserFactory(username=f"matrix-{role}", role=ROLE_GROUP[role], units=units)
        for scope, scopes in SCOPES.items():
            if scopes is not None:
                _token, w.keys[role, scope] = ApiToken.issue(w.users[role], scopes=scopes)
    listed = w.users["staff_viewer"]

    w.person = PersonFactory(
        full_name_native="Sok Matrix",
        name_vi="Xốc Ma-trận",
        birth_year=1970,
        birth_month=5,
        birth_day=6,
        home_commune=w.commune,
        home_commune_former="Xã Mỹ Phong cũ",
        notes="Thích trà sen",
    )
    ContactPointFactory(person=w.person, kind="phone", value="+85512345678")
    w.organization = OrganizationFactory(name_vi="Tổ chức Ma-trận", notes="Ghi chú nội bộ")
    for level in CONFIDENTIALITY:
        interaction = InteractionFactory(
            confidentiality=level,
            owner_unit=own,
            subject=f"Zebra {level}",
            occurred_on=D(YEAR[level], 3, 1),
            kind=KIND[level],
        )
        interaction.staff.add(listed)
        interaction.organizations.add(w.organization)
        ParticipantFactory(interaction=interaction, person=w.person)
        w.interactions[level] = interaction
        w.follow_ups[level] = FollowUpFactory(
            interaction=interaction, action=f"Follow {level}", due_on=D(YEAR[level], 4, 1)
        )
        w.agreements[level] = AgreementFactory(
            confidentiality=level, owner_unit=own, title=f"Okapi {level}"
        )
        w.agreements[level].parties.add(w.organization)

    # Targets of the write matrix: live and archived, internal and restricted, in the owner unit.
    now = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    for archived in (False, True):
        stamp = {"archived_at": now} if archived else {}
        w.targets["people", None, archived] = PersonFactory(**stamp)
        w.targets["organizations", None, archived] = OrganizationFactory(**stamp)
        for level in ("internal", "restricted"):
            interaction = InteractionFactory(
                confidentiality=level, owner_unit=own, subject="Target", **stamp
            )
            interaction.staff.add(listed)
            w.targets["interactions", level, archived] = interaction
            w.targets["agreements", level, archived] = AgreementFactory(
                confidentiality=level, owner_unit=own, **stamp
            )
            parent = w.targets["interactions", level, False]
            w.targets["follow-ups", level, archived] = FollowUpFactory(interaction=parent, **stamp)
    # Archived through the service, so the changes feed records it.
    w.hidden_archived = InteractionFactory(
        confidentiality="restricted", owner_unit=own, subject="Hidden archived"
    )
    services.archive(w.hidden_archived, user=w.users["administrator"])
    return w


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        yield built
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _feed_sees_this_transaction(monkeypatch):
    """On PostgreSQL the feed serves only changes of transactions older than every one still
    in flight, and these tests run inside one: lift that horizon (it is tested in
    test_changes.py) so the feed's visibility rules can be tested here."""
    monkeypatch.setattr("crm.changes.safe_horizon", lambda: None)


# ---------------------------------------------------------------------------------------------
# Read endpoints: each returns what the caller was shown, in a form `expected_read` predicts


def level_of(mapping: dict, pk) -> str | None:
    for level, row in mapping.items():
        if str(row.pk) == str(pk):
            return level
    return None


def levels(mapping: dict, ids) -> set[str]:
    return {level for pk in ids if (level := level_of(mapping, pk)) is not None}


def nested_follow_ups(w: World, rows: list[dict]) -> set[str]:
    return levels(w.follow_ups, [f["id"] for row in rows for f in row["follow_ups"]])


def get(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    body = response.json()
    if "count" in body and body.get("next") is None:
        # One page holds everything: the count counts what is shown, nothing hidden.
        assert body["count"] == len(body["results"]), (url, body["count"])
    return body


def read_interactions_list(client, w):
    rows = get(client, f"{BASE}/interactions/", {"page_size": 500})["results"]
    return {
        "ids": levels(w.interactions, [r["id"] for r in rows]),
        "nested follow-ups": nested_follow_ups(w, rows),
        "archived listed": str(w.hidden_archived.pk) in {str(r["id"]) for r in rows},
    }


def read_interactions_detail(client, w):
    out = {"status": {}, "nested follow-ups": set()}
    for level, interaction in w.interactions.items():
        response = client.get(f"{BASE}/interactions/{interaction.pk}/")
        out["status"][level] = response.status_code
        if response.status_code == 200:
            out["nested follow-ups"] |= nested_follow_ups(w, [response.json()])
    return out


def read_interactions_search(client, w):
    body = get(client, f"{BASE}/interactions/", {"q": "zebra"})
    return {
        "ids": levels(w.interactions, [r["id"] for r in body["results"]]),
        "count": body["count"],
    }


def read_history(client, w, owner: str):
    row = w.person if owner == "people" else w.organization
    body = get(client, f"{BASE}/{owner}/{row.pk}/contact-history/")
    summary = body["summary"]
    kind_level = {kind: level for level, kind in KIND.items()}
    year_level = {str(year): level for level, year in YEAR.items()}
    return {
        "ids": levels(w.interactions, [r["id"] for r in body["results"]]),
        "count": body["count"],
        "summary count": summary["count"],
        "by_kind": {kind_level[k]: n for k, n in summary["by_kind"].items()},
        "by_year": {year_level[y]: n for y, n in summary["by_year"].items()},
        "first/last": (summary["first_contact"], summary["last_contact"]),
        "open follow-ups": levels(w.follow_ups, [f["id"] for f in summary["open_follow_ups"]]),
        "nested follow-ups": nested_follow_ups(w, body["results"]),
    }


def read_follow_ups_list(client, w):
    body = get(client, f"{BASE}/follow-ups/", {"page_size": 500})
    return {"ids": levels(w.follow_ups, [r["id"] for r in body["results"]])}


def read_follow_ups_detail(client, w):
    return {
        "status": {
            level: client.get(f"{BASE}/follow-ups/{row.pk}/").status_code
            for level, row in w.follow_ups.items()
        }
    }


def read_agreements_list(client, w):
    rows = get(client, f"{BASE}/agreements/", {"page_size": 500})["results"]
    return {"ids": levels(w.agreements, [r["id"] for r in rows])}


def read_agreements_search(client, w):
    body = get(client, f"{BASE}/agreements/", {"q": "okapi"})
    return {"ids": levels(w.agreements, [r["id"] for r in body["results"]]), "count": body["count"]}


def read_agreements_detail(client, w):
    return {
        "status": {
            level: client.get(f"{BASE}/agreements/{row.pk}/").status_code
            for level, row in w.agreements.items()
        }
    }


def whole_feed(client) -> list[dict]:
    """Every change the caller is shown, from the start (pages of the largest size)."""
    seen, cursor = [], None
    while True:
        params = {"limit": 1000} | ({"after": cursor} if cursor else {})
        body = get(client, f"{BASE}/changes/", params)
        seen += body["results"]
        if body["next"] == cursor or body["next"] is None:
            return seen
        cursor = body["next"]


def read_changes(client, w):
    seen = whole_feed(client)
    by_type = {"interaction": w.interactions, "follow-up": w.follow_ups, "agreement": w.agreements}
    shown = set()
    for change in seen:
        if change["type"] in by_type:
            level = level_of(by_type[change["type"]], change["id"])
            if level is not None:
                shown.add((change["type"], level))
    hidden = str(w.hidden_archived.pk)
    return {
        "records": shown,
        "archived restricted mentioned": any(
            c["type"] == "interaction" and c["id"] == hidden for c in seen
        ),
    }


READERS = {
    "interactions-list": read_interactions_list,
    "interactions-detail": read_interactions_detail,
    "interactions-search": read_interactions_search,
    "person-contact-history": lambda c, w: read_history(c, w, "people"),
    "organization-contact-history": lambda c, w: read_history(c, w, "organizations"),
    "follow-ups-list": read_follow_ups_list,
    "follow-ups-detail": read_follow_ups_detail,
    "changes-feed": read_changes,
    "agreements-list": read_agreements_list,
    "agreements-detail": read_agreements_detail,
    "agreements-search": read_agreements_search,
}
READ_URLS = {  # what a caller without a role is refused (403)
    "interactions-list": lambda w: f"{BASE}/interactions/",
    "interactions-detail": lambda w: f"{BASE}/interactions/{w.interactions['public'].pk}/",
    "interactions-search": lambda w: f"{BASE}/interactions/?q=zebra",
    "person-contact-history": lambda w: f"{BASE}/people/{w.person.pk}/contact-history/",
    "organization-contact-history": (
        lambda w: f"{BASE}/organizations/{w.organization.pk}/contact-history/"
    ),
    "follow-ups-list": lambda w: f"{BASE}/follow-ups/",
    "follow-ups-detail": lambda w: f"{BASE}/follow-ups/{w.follow_ups['public'].pk}/",
    "changes-feed": lambda w: f"{BASE}/changes/",
    "agreements-list": lambda w: f"{BASE}/agreements/",
    "agreements-detail": lambda w: f"{BASE}/agreements/{w.agreements['public'].pk}/",
    "agreements-search": lambda w: f"{BASE}/agreements/?q=okapi",
}


def expected_read(endpoint: str, role: str, scope: str, observed: dict) -> dict:
    """What the rules say `observed` should be, key by key."""

    def visible(kind):
        return {level for level in CONFIDENTIALITY if sees(role, scope, level, kind)}

    interactions, follow_ups = visible("interaction"), visible("follow-up")
    # Nested follow-ups show only inside interactions the caller sees.
    nested = follow_ups & interactions
    expected: dict = {}
    if endpoint == "interactions-list":
        expected = {"ids": interactions, "nested follow-ups": nested, "archived listed": False}
    elif endpoint == "interactions-detail":
        expected = {
            "status": {lvl: 200 if lvl in interactions else 404 for lvl in CONFIDENTIALITY},
            "nested follow-ups": nested,
        }
    elif endpoint == "interactions-search":
        expected = {"ids": interactions, "count": len(interactions)}
    elif endpoint.endswith("contact-history"):
        dates = sorted(f"{YEAR[lvl]}-03-01" for lvl in interactions)
        expected = {
            "ids": interactions,
            "count": len(interactions),
            "summary count": len(interactions),
            "by_kind": {lvl: 1 for lvl in interactions},
            "by_year": {lvl: 1 for lvl in interactions},
            "first/last": (dates[0], dates[-1]) if dates else (None, None),
            "open follow-ups": nested,
            "nested follow-ups": nested,
        }
    elif endpoint == "follow-ups-list":
        expected = {"ids": follow_ups}
    elif endpoint == "follow-ups-detail":
        expected = {"status": {lvl: 200 if lvl in follow_ups else 404 for lvl in CONFIDENTIALITY}}
    elif endpoint == "agreements-list":
        expected = {"ids": visible("agreement")}
    elif endpoint == "agreements-search":
        expected = {"ids": visible("agreement"), "count": len(visible("agreement"))}
    elif endpoint == "agreements-detail":
        agreements = visible("agreement")
        expected = {"status": {lvl: 200 if lvl in agreements else 404 for lvl in CONFIDENTIALITY}}
    elif endpoint == "changes-feed":
        expected = {
            "records": {("interaction", lvl) for lvl in interactions}
            | {("follow-up", lvl) for lvl in follow_ups}
            | {("agreement", lvl) for lvl in visible("agreement")},
            # Those who could see it when live are entitled to hear of its archiving (see
            # test_the_feed_reports_archiving_a_restricted_record_to_those_who_saw_it); those
            # who never could must never hear of it.
            "archived restricted mentioned": observed.get("archived restricted mentioned")
            if "restricted" in interactions
            else False,
        }
    return expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "scope", "endpoint"),
    list(product(ROLES, SCOPES, READERS)),
    ids=lambda value: value,
)
def test_read_matrix(world, role, scope, endpoint):
    client = world.client(role, scope)
    if not reads(role):
        assert client.get(READ_URLS[endpoint](world)).status_code == 403
        return
    observed = READERS[endpoint](client, world)
    assert observed == expected_read(endpoint, role, scope, observed)


# ---------------------------------------------------------------------------------------------
# Write matrix: endpoint × method × role × scope → status, and the row changed only on success

NEEDS = {
    "POST": "editor",
    "PATCH": "editor",
    "DELETE": "manager",
    "restore": "manager",
    "purge": "administrator",
}
SUCCESS = {"POST": 201, "PATCH": 200, "DELETE": 204, "restore": 200, "purge": 204}
MODELS = {
    "people": Person,
    "organizations": Organization,
    "interactions": Interaction,
    "agreements": Agreement,
    "follow-ups": FollowUp,
}
KIND_OF = {
    "people": "person",
    "organizations": "organization",
    "interactions": "interaction",
    "agreements": "agreement",
    "follow-ups": "follow-up",
}
PATCHED = {  # a field each PATCH sets to "changed"
    "people": "occupation",
    "organizations": "address",
    "interactions": "location",
    "agreements": "signed_at",
    "follow-ups": "details",
}


def post_body(endpoint: str, w: World) -> dict:
    return {
        "people": {"full_name_native": "Người mới", "category": "foreign_partner"},
        "organizations": {"name_native": "Tổ chức mới", "kind": "ngo", "country": "KH"},
        "interactions": {"occurred_on": "2026-01-05", "kind": "meeting", "subject": "Mới"},
        "agreements": {"title": "Thỏa thuận mới", "kind": "mou"},
        "follow-ups": {
            "interaction": w.targets["interactions", "internal", False].pk,
            "action": "Việc mới",
        },
    }[endpoint]


def expected_write(endpoint: str, method: str, role: str, scope: str, level: str | None) -> int:
    if not writes(role, scope, NEEDS[method]):
        return 403
    if method != "POST" and not sees(role, scope, level, KIND_OF[endpoint]):
        return 404
    return SUCCESS[method]


def attempt(client, endpoint: str, method: str, target, w: World):
    """Send the request; return (status, whether the row changed as that method changes it)."""
    model = MODELS[endpoint]
    if method == "POST":
        before = model.objects.count()
        response = client.post(f"{BASE}/{endpoint}/", post_body(endpoint, w), format="json")
        return response.status_code, model.objects.count() == before + 1
    url = f"{BASE}/{endpoint}/{target.pk}/"
    if method == "PATCH":
        response = client.patch(url, {PATCHED[endpoint]: "changed"}, format="json")
        row = model.objects.get(pk=target.pk)
        return response.status_code, getattr(row, PATCHED[endpoint]) == "changed"
    if method == "DELETE":
        response = client.delete(url)
        return response.status_code, model.objects.get(pk=target.pk).archived_at is not None
    response = client.post(f"{url}{method}/")
    if method == "restore":
        return response.status_code, model.objects.get(pk=target.pk).archived_at is None
    return response.status_code, not model.objects.filter(pk=target.pk).exists()


def write_cells():
    for endpoint in MODELS:
        for method in NEEDS:
            if method == "POST":
                yield endpoint, method, None
                continue
            for level in (
                (None,)
                if endpoint in ("people", "organizations")
                else (
                    "internal",
                    "restricted",
                )
            ):
                yield endpoint, method, level


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("endpoint", "method", "level", "role"),
    [(*cell, role) for cell, role in product(write_cells(), ROLES)],
    ids=lambda value: str(value) if value is not None else "-",
)
def test_write_matrix(world, endpoint, method, level, role):
    archived = method in ("restore", "purge")
    target = None if method == "POST" else world.targets[endpoint, level, archived]
    wrong = []
    for scope in SCOPES:
        expected = expected_write(endpoint, method, role, scope, level)
        client = world.client(role, scope)
        if expected == SUCCESS[method]:  # undone, so the next scope finds the same row
            with transaction.atomic():
                status, changed = attempt(client, endpoint, method, target, world)
                transaction.set_rollback(True)
        else:  # a refusal changes nothing (checked), so there is nothing to undo
            status, changed = attempt(client, endpoint, method, target, world)
        if status != expected or changed != (expected == SUCCESS[method]):
            wrong.append(f"{scope}: expected {expected}, got {status} (row changed: {changed})")
    assert not wrong, "\n".join(wrong)


# ---------------------------------------------------------------------------------------------
# Personal data by scope: absent (not null) without it, and never searched


# Personal data and organisation notes depend on the scope, not on the role (any role reads):
# no role, the lowest and the highest are enough.
DATA_ROLES = ("none", "viewer", "administrator")
PERSONAL = (
    "contact_points",
    "birth_year",
    "birth_month",
    "birth_day",
    "home_commune",
    "home_commune_former",
    "notes",
)


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "scope"), list(product(DATA_ROLES, SCOPES)), ids=lambda v: v)
def test_personal_fields_on_people_list_and_detail(world, role, scope):
    client = world.client(role, scope)
    url = f"{BASE}/people/{world.person.pk}/"
    if not reads(role):
        assert client.get(url).status_code == 403
        return
    detail = get(client, url)
    rows = get(client, f"{BASE}/people/", {"page_size": 500})["results"]
    listed = next(row for row in rows if row["id"] == world.person.pk)
    for row in (detail, listed):
        assert row["full_name_native"] == "Sok Matrix"  # names are for every reader
        if personal_data(role, scope):
            assert set(PERSONAL) <= set(row)
            assert row["birth_year"] == 1970
            assert row["home_commune"] == world.commune
            assert [p["value"] for p in row["contact_points"]] == ["+85512345678"]
        else:
            assert not set(PERSONAL) & set(row), sorted(set(PERSONAL) & set(row))


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "scope"), list(product(DATA_ROLES, SCOPES)), ids=lambda v: v)
def test_organisation_notes_are_absent_for_public_only(world, role, scope):
    client = world.client(role, scope)
    url = f"{BASE}/organizations/{world.organization.pk}/"
    if not reads(role):
        assert client.get(url).status_code == 403
        return
    detail = get(client, url)
    rows = get(client, f"{BASE}/organizations/", {"page_size": 500})["results"]
    listed = next(row for row in rows if row["id"] == world.organization.pk)
    for row in (detail, listed):
        if scope == "public-only":
            assert "notes" not in row
        else:
            assert row["notes"] == "Ghi chú nội bộ"


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "scope"), list(product(DATA_ROLES, SCOPES)), ids=lambda v: v)
def test_q_matches_phones_and_home_communes_only_with_personal_data(world, role, scope):
    client = world.client(role, scope)
    if not reads(role):
        assert client.get(f"{BASE}/people/", {"q": "matrix"}).status_code == 403
        return

    def found(query):
        body = get(client, f"{BASE}/people/", {"q": query})
        ids = [row["id"] for row in body["results"]]
        assert body["count"] == len(ids)  # a count does not reveal a hidden match either
        return world.person.pk in ids

    assert found("Sok Matrix")
    with_personal = personal_data(role, scope)
    assert found(world.phone_digits) == with_personal  # national form
    assert found("+85512345678") == with_personal  # E.164
    assert found("dao thanh") == with_personal  # home commune, accent-free
    assert found("my phong") == with_personal  # former home address


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("scope", "status"),
    [("session", 200), ("read+write", 400), ("read+write+personal-data", 200)],
)
def test_writing_a_personal_field_needs_personal_data(world, scope, status):
    client = world.client("editor", scope)
    response = client.patch(
        f"{BASE}/people/{world.person.pk}/", {"birth_year": 1971}, format="json"
    )
    assert response.status_code == status, response.json()
    if status == 400:
        assert set(response.json()) == {"birth_year"}
    expected_year = 1971 if status == 200 else 1970
    assert Person.objects.get(pk=world.person.pk).birth_year == expected_year


# ---------------------------------------------------------------------------------------------
# Cells the matrix cannot express


@pytest.mark.django_db
def test_a_follow_up_cannot_be_attached_to_an_interaction_the_caller_cannot_see(world):
    """An editor gets the same 400 for a restricted interaction as for one that does not
    exist; its unit's manager may attach one."""
    hidden = world.interactions["restricted"]
    editor = world.client("editor", "read+write")
    refused = editor.post(
        f"{BASE}/follow-ups/", {"interaction": hidden.pk, "action": "x"}, format="json"
    )
    missing = editor.post(
        f"{BASE}/follow-ups/", {"interaction": 987654321, "action": "x"}, format="json"
    )
    assert refused.status_code == missing.status_code == 400
    assert refused.json()["interaction"] == [
        message.replace("987654321", str(hidden.pk)) for message in missing.json()["interaction"]
    ]
    manager = world.client("manager_own", "read+write")
    created = manager.post(
        f"{BASE}/follow-ups/", {"interaction": hidden.pk, "action": "x"}, format="json"
    )
    assert created.status_code == 201, created.json()


@pytest.mark.django_db
def test_filtering_follow_ups_by_a_hidden_interaction_reveals_nothing(world):
    viewer = world.client("viewer", "read")
    hidden = viewer.get(f"{BASE}/follow-ups/", {"interaction": world.interactions["restricted"].pk})
    missing = viewer.get(f"{BASE}/follow-ups/", {"interaction": 987654321})
    assert hidden.status_code == missing.status_code


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["administrator", "manager_own", "staff_viewer"])
def test_the_feed_reports_archiving_a_restricted_record_to_those_who_saw_it(world, role):
    client = world.client(role, "read")
    restricted = str(world.interactions["restricted"].pk)
    first = get(client, f"{BASE}/changes/", {"limit": 1000})
    assert any(c["id"] == restricted for c in first["results"] if c["type"] == "interaction")
    manager = world.client("manager_own", "read+write")
    assert manager.delete(f"{BASE}/interactions/{restricted}/").status_code == 204

    later = get(client, f"{BASE}/changes/", {"after": first["next"], "limit": 1000})

    actions = [c["action"] for c in later["results"] if c["id"] == restricted]
    assert actions == ["archive"]
    # Those who never saw it still never hear of it.
    for outsider in ("viewer", "manager_other"):
        feed = whole_feed(world.client(outsider, "read"))
        assert restricted not in {c["id"] for c in feed if c["type"] == "interaction"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["administrator", "manager_own", "staff_viewer"])
def test_the_feed_reports_purging_a_restricted_record_to_those_who_saw_it(world, role):
    client = world.client(role, "read")
    restricted = str(world.interactions["restricted"].pk)
    first = get(client, f"{BASE}/changes/", {"limit": 1000})
    assert any(c["id"] == restricted for c in first["results"] if c["type"] == "interaction")
    administrator = world.client("administrator", "read+write")
    assert administrator.delete(f"{BASE}/interactions/{restricted}/").status_code == 204
    assert administrator.post(f"{BASE}/interactions/{restricted}/purge/").status_code == 204

    later = get(client, f"{BASE}/changes/", {"after": first["next"], "limit": 1000})

    actions = [
        c["action"]
        for c in later["results"]
        if c["type"] == "interaction" and c["id"] == restricted
    ]
    assert actions == ["archive", "delete"]
