"""API tokens with scopes: `issue_token --scopes`, `revoke_token`, the admin and
`/api/v1/tokens/` (staff list, issue and revoke their own tokens; the key is shown once)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from drf_spectacular.drainage import GENERATOR_STATS
from rest_framework.test import APIClient

from api import models as token_models
from api.models import SCOPES, ApiToken, digest
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/tokens/"
LISTED = {
    "id",
    "url",
    "name",
    "prefix",
    "scopes",
    "created_at",
    "expires_at",
    "last_used_at",
    "revoked_at",
}


def issue(username: str, *args: str) -> str:
    out = StringIO()
    call_command("issue_token", username, *args, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def revoke(value: str) -> str:
    out = StringIO()
    call_command("revoke_token", value, stdout=out)
    return out.getvalue()


def client_with(key: str) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def token_client(user, scopes=None, **kwargs) -> tuple[ApiToken, APIClient]:
    token, key = ApiToken.issue(user, scopes=scopes, **kwargs)
    return token, client_with(key)


def session_client(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)  # a session: no token, so no scope bound
    return client


@pytest.fixture
def officer(db):
    return UserFactory(username="officer", role="viewer")


@pytest.fixture
def colleague(db):
    return UserFactory(username="colleague", role="viewer")


# ---------------------------------------------------------------------------------------------
# The model


def test_issue_defaults_to_read_and_write(officer):
    token, _key = ApiToken.issue(officer)
    assert token.scopes == ["read", "write"]
    assert token.has_scope("read") and token.has_scope("write")
    assert not token.has_scope("personal-data")
    assert not token.has_scope("public-only")


def test_scopes_are_stored_once_each_in_a_fixed_order(officer):
    token, _key = ApiToken.issue(officer, scopes=["personal-data", "read", "read"])
    token.refresh_from_db()
    assert token.scopes == ["read", "personal-data"]


@pytest.mark.parametrize(
    ("scopes", "message"),
    [
        (["read", "admin"], "admin"),
        ([], "at least one"),
        ("read", "list"),
        (["public-only", "write"], "public-only"),
        (["public-only", "read", "personal-data"], "personal-data"),
    ],
)
def test_invalid_scopes_are_refused(officer, scopes, message):
    with pytest.raises(ValidationError, match=message):
        ApiToken.issue(officer, scopes=scopes)
    assert not ApiToken.objects.exists()


def test_the_model_validates_scopes_for_forms(officer):
    token, _key = ApiToken.issue(officer)
    token.scopes = ["read", "everything"]
    with pytest.raises(ValidationError) as error:
        token.full_clean()
    assert "scopes" in error.value.message_dict
    assert "everything" in str(error.value)


def test_has_scope_refuses_a_name_that_is_no_scope(officer):
    token, _key = ApiToken.issue(officer)
    with pytest.raises(ValueError, match="personal_data"):
        token.has_scope("personal_data")


def test_public_only_goes_with_read(officer):
    token, _key = ApiToken.issue(officer, scopes=["public-only", "read"])
    assert token.scopes == ["read", "public-only"]
    assert token.has_scope("public-only")


def test_a_key_never_starts_like_a_command_line_option(officer, monkeypatch):
    keys = iter(["-starts-with-a-dash" + "x" * 30, "fine" + "x" * 39])
    monkeypatch.setattr(token_models.secrets, "token_urlsafe", lambda _n: next(keys))
    _token, key = ApiToken.issue(officer)
    assert key.startswith("fine")


# ---------------------------------------------------------------------------------------------
# issue_token --scopes


def test_issue_token_defaults_to_read_and_write(officer):
    key = issue("officer")
    token = ApiToken.objects.get(digest=digest(key))
    assert token.scopes == ["read", "write"]


def test_issue_token_with_scopes(officer):
    key = issue("officer", "--scopes", "read,write,personal-data", "--name", "export")
    assert "\n" not in key  # the key alone on stdout
    token = ApiToken.objects.get(digest=digest(key))
    assert token.scopes == ["read", "write", "personal-data"]
    assert token.name == "export"


def test_issue_token_takes_spaces_and_any_order(officer):
    key = issue("officer", "--scopes", " public-only , read ")
    assert ApiToken.objects.get(digest=digest(key)).scopes == ["read", "public-only"]


@pytest.mark.parametrize(
    ("scopes", "message"),
    [
        ("read,admin", "admin"),
        ("read,Write", "Write"),
        ("", "at least one"),
        (",", "at least one"),
        ("public-only,write", "public-only can only be combined with read"),
        ("public-only,read,personal-data", "personal-data"),
    ],
)
def test_issue_token_refuses_invalid_scopes(officer, scopes, message):
    with pytest.raises(CommandError, match=message):
        issue("officer", "--scopes", scopes)
    assert not ApiToken.objects.exists()


def test_issue_token_refuses_an_expiry_beyond_ten_years(officer):
    with pytest.raises(CommandError, match="at most"):
        issue("officer", "--expires-in", "100000000")
    assert not ApiToken.objects.exists()


# ---------------------------------------------------------------------------------------------
# revoke_token


def test_revoke_token_by_prefix(officer):
    token, key = ApiToken.issue(officer, name="pipeline")
    assert client_with(key).get(URL).status_code == 200
    output = revoke(token.prefix)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.prefix in output and "officer" in output and "pipeline" in output
    assert client_with(key).get(URL).status_code == 401


def test_revoke_token_by_prefix_as_lists_show_it(officer):
    token, _key = ApiToken.issue(officer)
    revoke(f"{token.prefix}…")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_revoke_token_by_key(officer):
    token, key = ApiToken.issue(officer)
    other, _ = ApiToken.issue(officer)
    output = revoke(key)
    token.refresh_from_db()
    other.refresh_from_db()
    assert token.revoked_at is not None
    assert other.revoked_at is None
    assert key not in output
    assert client_with(key).get(URL).status_code == 401


def test_revoke_token_records_it_in_the_history(officer):
    token, key = ApiToken.issue(officer)
    revoke(key)
    latest = token.history.first()
    assert latest.history_type == "~"
    assert latest.revoked_at is not None


def test_revoke_token_by_key_of_an_expired_token(officer):
    token, key = ApiToken.issue(officer, expires_at=timezone.now() - timedelta(days=1))
    revoke(key)
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_revoke_token_twice_says_so_and_keeps_the_first_date(officer):
    token, key = ApiToken.issue(officer)
    revoke(key)
    token.refresh_from_db()
    first = token.revoked_at
    assert "Already revoked" in revoke(key)
    token.refresh_from_db()
    assert token.revoked_at == first


def test_revoke_token_ambiguous_prefix_is_an_error_and_revokes_nothing(officer, colleague):
    first, _ = ApiToken.issue(officer)
    second, _ = ApiToken.issue(colleague)
    ApiToken.objects.filter(pk=second.pk).update(prefix=first.prefix)
    with pytest.raises(CommandError, match="matches 2 usable tokens"):
        revoke(first.prefix)
    assert not ApiToken.objects.filter(revoked_at__isnull=False).exists()


def test_revoke_token_prefix_counts_only_usable_tokens(officer):
    revoked, _ = ApiToken.issue(officer)
    revoked.revoke()
    expired, _ = ApiToken.issue(officer, expires_at=timezone.now() - timedelta(days=1))
    usable, _ = ApiToken.issue(officer)
    ApiToken.objects.update(prefix=usable.prefix)
    revoke(usable.prefix)
    usable.refresh_from_db()
    expired.refresh_from_db()
    assert usable.revoked_at is not None
    assert expired.revoked_at is None


def test_revoke_token_prefix_of_a_revoked_token_is_an_error(officer):
    token, _key = ApiToken.issue(officer)
    token.revoke()
    with pytest.raises(CommandError, match="revoked or expired"):
        revoke(token.prefix)


@pytest.mark.parametrize("value", ["nothing1", "abc", "x" * 43])
def test_revoke_token_unknown_is_an_error(officer, value):
    ApiToken.issue(officer)
    with pytest.raises(CommandError, match="No token") as error:
        revoke(value)
    if len(value) > 8:
        assert value not in str(error.value)  # a key is not echoed
    assert not ApiToken.objects.filter(revoked_at__isnull=False).exists()


def test_revoke_token_a_prefix_must_match_exactly(officer):
    token, _key = ApiToken.issue(officer)
    with pytest.raises(CommandError):
        revoke(token.prefix[:4])
    with pytest.raises(CommandError):
        revoke(token.prefix.swapcase() if token.prefix.swapcase() != token.prefix else "zzzzzzzz")
    token.refresh_from_db()
    assert token.revoked_at is None


# ---------------------------------------------------------------------------------------------
# /api/v1/tokens/: list and detail


def test_list_shows_only_the_callers_tokens_without_key_or_digest(officer, colleague):
    mine, key = ApiToken.issue(officer, name="mine")
    ApiToken.issue(colleague, name="theirs")
    response = client_with(key).get(URL)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [row["name"] for row in results] == ["mine"]
    assert set(results[0]) == LISTED
    assert results[0]["prefix"] == mine.prefix
    assert results[0]["scopes"] == ["read", "write"]
    assert results[0]["url"].endswith(f"{URL}{mine.pk}/")
    assert key not in response.content.decode()
    assert mine.digest not in response.content.decode()


def test_list_filters_usable_tokens(officer):
    usable, key = ApiToken.issue(officer, name="usable")
    revoked, _ = ApiToken.issue(officer, name="revoked")
    revoked.revoke()
    expired, _ = ApiToken.issue(officer, name="expired", expires_at=timezone.now())
    client = client_with(key)

    def names(params: dict) -> set[str]:
        return {row["name"] for row in client.get(URL, params).json()["results"]}

    assert names({}) == {"usable", "revoked", "expired"}
    assert names({"usable": "true"}) == {"usable"}
    assert names({"usable": "false"}) == {"revoked", "expired"}
    response = client.get(URL, {"usable": "maybe"})
    assert response.status_code == 400
    assert "usable" in response.json()


def test_detail_of_own_token(officer):
    token, key = ApiToken.issue(officer, scopes=["read", "personal-data"])
    response = client_with(key).get(f"{URL}{token.pk}/")
    assert response.status_code == 200
    assert set(response.json()) == LISTED
    assert response.json()["scopes"] == ["read", "personal-data"]
    assert key not in response.content.decode()


def test_another_users_token_is_404(officer, colleague):
    theirs, _ = ApiToken.issue(colleague)
    _mine, key = ApiToken.issue(officer)
    client = client_with(key)
    assert client.get(f"{URL}{theirs.pk}/").status_code == 404
    assert client.delete(f"{URL}{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_anonymous_is_401_and_non_staff_403(db):
    assert APIClient().get(URL).status_code == 401
    _token, key = ApiToken.issue(UserFactory(is_staff=False))
    client = client_with(key)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {}, format="json").status_code == 403


def test_no_update(officer):
    token, key = ApiToken.issue(officer)
    client = client_with(key)
    assert client.put(f"{URL}{token.pk}/", {"name": "x"}, format="json").status_code == 405
    assert client.patch(f"{URL}{token.pk}/", {"scopes": ["read"]}, format="json").status_code == 405


# ---------------------------------------------------------------------------------------------
# /api/v1/tokens/: create, the key shown once


def test_create_shows_the_key_once_and_it_authenticates(officer):
    _caller, key = ApiToken.issue(officer)
    client = client_with(key)
    response = client.post(URL, {"name": "exporter"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert set(body) == LISTED | {"key"}
    new_key = body["key"]
    assert len(new_key) >= 40
    assert response["Location"] == body["url"]
    token = ApiToken.objects.get(pk=body["id"])
    assert token.user == officer
    assert token.name == "exporter"
    assert token.scopes == ["read", "write"] == body["scopes"]
    assert token.digest == digest(new_key)
    assert token.expires_at is None
    # never again: neither in the detail nor in the list
    detail, listed = client.get(body["url"]), client.get(URL)
    assert detail.status_code == listed.status_code == 200
    assert "key" not in detail.json()
    assert all("key" not in row for row in listed.json()["results"])
    for response in (detail, listed):
        assert new_key not in response.content.decode()
    assert client_with(new_key).get(URL).status_code == 200


def test_create_with_scopes_and_expiry(officer):
    before = timezone.now()
    response = session_client(officer).post(
        URL,
        {"name": "n", "scopes": ["personal-data", "read"], "expires_in_days": 7},
        format="json",
    )
    assert response.status_code == 201
    token = ApiToken.objects.get(pk=response.json()["id"])
    assert token.scopes == ["read", "personal-data"]
    assert before + timedelta(days=7) <= token.expires_at <= timezone.now() + timedelta(days=7)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"scopes": ["read", "admin"]}, "scopes", "admin"),
        ({"scopes": []}, "scopes", "at least one"),
        ({"scopes": "read"}, "scopes", "list"),
        ({"scopes": ["public-only", "write"]}, "scopes", "public-only"),
        ({"expires_in_days": 0}, "expires_in_days", ""),
        ({"expires_in_days": 100000000}, "expires_in_days", ""),
        ({"name": "x" * 101}, "name", ""),
    ],
)
def test_create_refuses_invalid_input(officer, data, field, message):
    response = session_client(officer).post(URL, data, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert message in str(response.json()[field])
    assert not ApiToken.objects.exists()


def test_create_with_the_browsable_apis_session_needs_csrf(officer):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(officer)
    assert client.get(URL).status_code == 200
    assert client.post(URL, {"name": "x"}, format="json").status_code == 403
    assert not ApiToken.objects.exists()


# ---------------------------------------------------------------------------------------------
# A token cannot give more than it has


def test_a_token_issues_only_within_its_scopes(officer):
    _caller, client = token_client(officer, ["read", "write"])
    response = client.post(URL, {"scopes": ["read", "personal-data"]}, format="json")
    assert response.status_code == 400
    assert "personal-data" in str(response.json()["scopes"])
    assert ApiToken.objects.count() == 1


def test_a_token_issues_a_subset_of_its_scopes(officer):
    _caller, client = token_client(officer, ["read", "write", "personal-data"])
    response = client.post(URL, {"scopes": ["read", "personal-data"]}, format="json")
    assert response.status_code == 201
    assert response.json()["scopes"] == ["read", "personal-data"]


def test_a_session_issues_any_scopes(officer):
    response = session_client(officer).post(URL, {"scopes": list(SCOPES[:3])}, format="json")
    assert response.status_code == 201


def test_issuing_with_a_token_needs_the_write_scope(officer):
    _caller, client = token_client(officer, ["read", "personal-data"])
    assert client.get(URL).status_code == 200
    response = client.post(URL, {"scopes": ["read"]}, format="json")
    assert response.status_code == 403
    assert ApiToken.objects.count() == 1


def test_a_public_only_token_can_neither_issue_nor_drop_its_restriction(officer):
    _caller, client = token_client(officer, ["read", "public-only"])
    assert client.post(URL, {"scopes": ["read"]}, format="json").status_code == 403
    assert token_models.within_scopes(["read", "public-only"], ["read", "public-only"])
    assert not token_models.within_scopes(["read"], ["read", "public-only"])


def test_a_token_that_expires_issues_only_tokens_that_expire_no_later(officer):
    _caller, client = token_client(officer, expires_at=timezone.now() + timedelta(days=10))
    forever = client.post(URL, {"name": "forever"}, format="json")
    assert forever.status_code == 400
    assert "outlives" in str(forever.json()["expires_in_days"])
    assert client.post(URL, {"expires_in_days": 11}, format="json").status_code == 400
    assert client.post(URL, {"expires_in_days": 9}, format="json").status_code == 201


# ---------------------------------------------------------------------------------------------
# /api/v1/tokens/: revoke


def test_delete_revokes_and_keeps_the_token(officer):
    target, target_key = ApiToken.issue(officer, name="old")
    _caller, client = token_client(officer)
    response = client.delete(f"{URL}{target.pk}/")
    assert response.status_code == 204
    target.refresh_from_db()  # still there, for the audit trail
    assert target.revoked_at is not None
    latest = target.history.first()
    assert latest.revoked_at is not None
    assert latest.history_user == officer
    assert client_with(target_key).get(URL).status_code == 401
    detail = client.get(f"{URL}{target.pk}/")
    assert detail.status_code == 200
    assert detail.json()["revoked_at"] is not None
    # again: still revoked, at the first date
    assert client.delete(f"{URL}{target.pk}/").status_code == 204
    revoked_at = target.revoked_at
    target.refresh_from_db()
    assert target.revoked_at == revoked_at


def test_a_token_revoking_itself_then_answers_401(officer):
    caller, client = token_client(officer, ["read"])  # even without `write`
    assert client.delete(f"{URL}{caller.pk}/").status_code == 204
    assert client.get(URL).status_code == 401


def test_a_token_without_write_revokes_no_other_token(officer):
    other, _ = ApiToken.issue(officer)
    _caller, client = token_client(officer, ["read"])
    assert client.delete(f"{URL}{other.pk}/").status_code == 403
    other.refresh_from_db()
    assert other.revoked_at is None


def test_a_session_revokes_its_users_tokens(officer):
    token, key = ApiToken.issue(officer)
    assert session_client(officer).delete(f"{URL}{token.pk}/").status_code == 204
    assert client_with(key).get(URL).status_code == 401


# ---------------------------------------------------------------------------------------------
# Admin


@pytest.fixture
def admin_browser(staff_user) -> Client:
    client = Client()
    client.force_login(staff_user)
    return client


def test_admin_lists_tokens_and_filters_them(admin_browser, officer):
    token, key = ApiToken.issue(officer, name="pipeline", scopes=["read", "personal-data"])
    ApiToken.issue(officer, name="other")
    page = admin_browser.get("/admin/api/apitoken/")
    assert page.status_code == 200
    html = page.content.decode()
    assert token.prefix in html and "pipeline" in html and "đọc, dữ liệu cá nhân" in html
    assert key not in html
    by_scope = admin_browser.get("/admin/api/apitoken/", {"scope": "personal-data"})
    assert "pipeline" in by_scope.content.decode()
    assert "other" not in by_scope.content.decode()
    for status in ("usable", "expired", "revoked"):
        assert admin_browser.get("/admin/api/apitoken/", {"status": status}).status_code == 200


def test_admin_cannot_add_a_token(admin_browser):
    assert admin_browser.get("/admin/api/apitoken/add/").status_code == 403


def test_admin_change_form_shows_no_key_and_validates_scopes(admin_browser, officer):
    token, key = ApiToken.issue(officer)
    url = f"/admin/api/apitoken/{token.pk}/change/"
    page = admin_browser.get(url)
    assert page.status_code == 200
    assert key not in page.content.decode()
    response = admin_browser.post(url, {"name": "n", "scopes": ["public-only", "write"]})
    assert response.status_code == 200  # the form again, with the error
    assert "public-only" in response.content.decode()
    token.refresh_from_db()
    assert token.scopes == ["read", "write"]
    response = admin_browser.post(url, {"name": "n", "scopes": ["read"]})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.scopes == ["read"]


def test_admin_action_revokes_the_selected_tokens(admin_browser, staff_user, officer):
    first, first_key = ApiToken.issue(officer)
    second, _ = ApiToken.issue(officer)
    kept, _ = ApiToken.issue(officer)
    response = admin_browser.post(
        "/admin/api/apitoken/",
        {"action": "revoke_selected", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Đã thu hồi 2 token" in response.content.decode()
    first.refresh_from_db()
    kept.refresh_from_db()
    assert first.revoked_at is not None and kept.revoked_at is None
    assert first.history.first().history_user == staff_user
    assert client_with(first_key).get(URL).status_code == 401


# ---------------------------------------------------------------------------------------------
# Schema


def test_schema_is_valid_without_warnings_and_describes_tokens(db):
    GENERATOR_STATS.reset()
    out = StringIO()
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", stdout=out
    )
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()  # public
    paths = schema["paths"]
    assert set(paths[URL]) == {"get", "post"}
    assert set(paths[f"{URL}{{id}}/"]) == {"get", "delete"}
    created = paths[URL]["post"]["responses"]["201"]["content"]["application/json"]["schema"]
    components = schema["components"]["schemas"]
    issued = components[created["$ref"].rsplit("/", 1)[1]]
    assert "key" in issued["properties"]
    listed = paths[f"{URL}{{id}}/"]["get"]["responses"]["200"]["content"]["application/json"]
    token_schema = components[listed["schema"]["$ref"].rsplit("/", 1)[1]]
    assert set(token_schema["properties"]) == LISTED
    request = paths[URL]["post"]["requestBody"]["content"]["application/json"]["schema"]
    request_schema = components[request["$ref"].rsplit("/", 1)[1]]
    assert set(request_schema["properties"]) == {"name", "scopes", "expires_in_days"}
    items = request_schema["properties"]["scopes"]["items"]
    if "$ref" in items:  # enums are components of their own
        items = components[items["$ref"].rsplit("/", 1)[1]]
    assert items["enum"] == list(SCOPES)


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English; the project's default language is Vietnamese."""
    from django.utils import translation

    with translation.override("en"):
        yield
