"""Every error the API answers is in Vietnamese when the client names no language (the site's
default), and in English with `Accept-Language: en`: DRF's and Django's messages included (DRF's
own Vietnamese catalogue is partial; ours, in locale/vi, completes it)."""

import re

import pytest
from rest_framework.test import APIClient

from api.models import ApiToken
from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1"

# Words an English message carries and a Vietnamese one does not.
ENGLISH = re.compile(
    r"\b(the|not|Invalid|invalid|must|Ensure|Expected|provided|matches|Use|Unsupported|"
    r"found|page|required|valid|choice|object|does|exist|credentials|changed|scheme)\b"
)


def client_for(key: str | None, lang: str | None, scheme: str = "Token") -> APIClient:
    extra = {"HTTP_ACCEPT_LANGUAGE": lang} if lang else {}
    client = APIClient(**extra)
    if key:
        client.credentials(HTTP_AUTHORIZATION=f"{scheme} {key}")
    return client


@pytest.fixture
def world():
    editor = UserFactory(username="bien-tap", role="editor")
    viewer = UserFactory(username="xem", role="viewer")
    _t, full = ApiToken.issue(editor, scopes=["read", "write", "personal-data"])
    _t, impersonal = ApiToken.issue(editor, scopes=["read", "write"])
    _t, reader = ApiToken.issue(viewer, scopes=["read"])
    person = PersonFactory()
    organization = OrganizationFactory()
    FollowUpFactory()
    return {
        "full": full,
        "impersonal": impersonal,
        "reader": reader,
        "person": person,
        "organization": organization,
    }


def cases(world, lang):
    """(name, response) for each kind of error, asked with `lang` (None: no header)."""
    full = client_for(world["full"], lang)
    person = world["person"]
    etag_miss = full.patch(
        f"{BASE}/people/{person.pk}/",
        {"name_vi": "Xốc"},
        format="json",
        HTTP_IF_MATCH='"stale"',
    )
    yield "401 no credentials", client_for(None, lang).get(f"{BASE}/people/")
    yield "401 bad token", client_for("nope", lang).get(f"{BASE}/people/")
    yield "401 bearer", client_for(world["full"], lang, "Bearer").get(f"{BASE}/people/")
    yield "404 row", full.get(f"{BASE}/people/987654321/")
    yield "404 page", full.get(f"{BASE}/people/", {"page": 99})
    yield "404 route", full.get(f"{BASE}/no-such-list/")
    yield "406", full.get(f"{BASE}/people/", HTTP_ACCEPT="application/x-nothing")
    yield "400 page", full.get(f"{BASE}/people/", {"page": "x"})
    yield "400 date", full.get(f"{BASE}/interactions/", {"date_after": "01/13/2026"})
    yield "412", etag_miss
    yield (
        "415",
        full.generic("POST", f"{BASE}/organizations/", "x", content_type="application/x-yaml"),
    )
    yield "400 page size", full.get(f"{BASE}/people/", {"page_size": 501})
    yield "400 choice filter", full.get(f"{BASE}/follow-ups/", {"status": "bogus"})
    yield (
        "400 choice field",
        full.post(
            f"{BASE}/organizations/",
            {"name_vi": "Tổ chức", "kind": "bogus"},
            format="json",
        ),
    )
    yield (
        "400 related id",
        full.post(
            f"{BASE}/interactions/",
            {
                "occurred_on": "2026-03-02",
                "kind": "meeting",
                "subject": "Làm việc",
                "organizations": [987654321],
            },
            format="json",
        ),
    )
    yield (
        "400 required",
        full.post(f"{BASE}/interactions/", {}, format="json"),
    )
    yield (
        "400 json",
        full.generic(
            "POST", f"{BASE}/organizations/", b"{not json", content_type="application/json"
        ),
    )
    yield (
        "400 personal data",
        client_for(world["impersonal"], lang).patch(
            f"{BASE}/people/{person.pk}/", {"home_commune": "x"}, format="json"
        ),
    )
    yield (
        "403 role",
        client_for(world["reader"], lang).post(
            f"{BASE}/organizations/", {"name_vi": "x"}, format="json"
        ),
    )
    yield "405", full.put(f"{BASE}/changes/", {}, format="json")


def messages(response) -> str:
    """The messages of an error body (not its keys, which name fields and parameters)."""

    def values(node):
        if isinstance(node, dict):
            for value in node.values():
                yield from values(value)
        elif isinstance(node, list):
            for value in node:
                yield from values(value)
        else:
            yield str(node)

    return " | ".join(values(response.json()))


@pytest.mark.parametrize("lang", [None, "vi"])
def test_errors_are_vietnamese_by_default(world, lang):
    english = {}
    for name, response in cases(world, lang):
        assert response.status_code >= 400, (name, response.status_code)
        body = messages(response)
        if ENGLISH.search(body):
            english[name] = body
    assert english == {}


def test_errors_are_english_on_request(world):
    vietnamese = {}
    for name, response in cases(world, "en"):
        body = messages(response)
        if re.search("[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđư]", body):
            vietnamese[name] = body
    assert vietnamese == {}


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "Basic"])
def test_another_scheme_is_a_401_naming_the_token_scheme(world, scheme):
    response = client_for(world["full"], "en", scheme).get(f"{BASE}/people/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "Authorization: Token <key>" in response.json()["detail"]
    assert scheme in response.json()["detail"]
    vietnamese = client_for(world["full"], None, scheme).get(f"{BASE}/people/")
    assert "Hãy dùng kiểu xác thực Token" in vietnamese.json()["detail"]


def test_a_missing_row_is_named(world):
    response = client_for(world["full"], "en").get(f"{BASE}/people/987654321/")
    assert response.json() == {"detail": "No person with this id (or not visible to you)."}
    response = client_for(world["full"], None).get(f"{BASE}/organizations/987654321/")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("Không có ")
