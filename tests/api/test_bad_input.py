"""Bad input never reaches a 500: bodies over the limit are 413 naming it (before a byte is
read), malformed JSON and invalid UTF-8 are 400 naming the problem, and broken encodings in
query strings are read, not crashed on."""

import pytest

from contacts.models import Interaction, Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

LIMIT = 2_621_440  # Django's DATA_UPLOAD_MAX_MEMORY_SIZE, ours too


def post_raw(client, url, body: bytes, content_type="application/json", **extra):
    return client.generic("POST", url, body, content_type=content_type, **extra)


# ---------------------------------------------------------------------------------------------
# 413


@pytest.mark.parametrize("url", ["/api/v1/interactions/", "/api/v1/people/"])
def test_a_body_over_the_limit_is_413_naming_the_limit(editor, url):
    body = b'{"subject": "' + b"x" * LIMIT + b'"}'
    response = post_raw(editor, url, body)
    assert response.status_code == 413
    detail = response.json()["detail"]
    assert str(len(body)) in detail
    assert str(LIMIT) in detail
    assert "Connection" not in response  # hop-by-hop: the server's, never the app's
    assert not Interaction.objects.exists()
    assert not Person.objects.exists()


def test_the_declared_length_is_enough_to_refuse(editor):
    """Refused on Content-Length alone: nothing of the body is read (nor need be sent)."""
    response = post_raw(editor, "/api/v1/people/", b"{}", CONTENT_LENGTH=str(10 * LIMIT))
    assert response.status_code == 413


def test_a_body_at_the_limit_is_read(editor):
    body = b'{"subject": "' + b"x" * (LIMIT - 20) + b'"}'
    response = post_raw(editor, "/api/v1/interactions/", body)
    assert response.status_code == 400  # read and validated: the subject is far too long
    assert "subject" in response.json()


def test_multipart_has_a_larger_limit_for_documents(editor, settings):
    settings.MAX_UPLOAD_BYTES = 2 * LIMIT
    document = b"%PDF-1.4 " + b"x" * (LIMIT + 10)
    body = (
        b"--x\r\n"
        b'Content-Disposition: form-data; name="document"; filename="mou.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n" + document + b"\r\n--x--\r\n"
    )
    multipart = "multipart/form-data; boundary=x"
    response = post_raw(editor, "/api/v1/agreements/", body, content_type=multipart)
    assert response.status_code == 400  # read: over the JSON limit, under the upload one
    assert "title" in response.json()
    response = post_raw(
        editor, "/api/v1/agreements/", b"", content_type=multipart, CONTENT_LENGTH=str(3 * LIMIT)
    )
    assert response.status_code == 413
    assert str(2 * LIMIT) in response.json()["detail"]


@pytest.mark.parametrize("length", ["abc", "-5", "1e9"])
def test_a_malformed_content_length_is_400(editor, length):
    response = post_raw(editor, "/api/v1/people/", b"{}", CONTENT_LENGTH=length)
    assert response.status_code == 400
    assert "Content-Length" in response.json()["detail"]


def test_the_413_message_is_vietnamese_by_default(editor):
    response = post_raw(
        editor,
        "/api/v1/people/",
        b"{}",
        CONTENT_LENGTH=str(2 * LIMIT),
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code == 413
    assert "limit" not in response.json()["detail"]


# ---------------------------------------------------------------------------------------------
# Malformed JSON, invalid UTF-8


@pytest.mark.parametrize(
    "body",
    [
        b'{"subject": ',
        b"{'subject': 'single quotes'}",
        b'{"subject": "x",}',
        b"[1, 2",
        b"NaN-ish",
        b'{"subject": "\\ud800"',
    ],
)
@pytest.mark.parametrize("url", ["/api/v1/interactions/", "/api/v1/people/"])
def test_malformed_json_is_400_naming_the_problem(editor, url, body):
    response = post_raw(editor, url, body)
    assert response.status_code == 400, response.content
    assert "JSON parse error" in response.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        b'{"subject": "\xff\xfe"}',
        b'{"subject": "caf\xe9"}',  # Latin-1, not UTF-8
        b'{"subject": "\xed\xa0\x80"}',  # an encoded surrogate
        b"\xef\xbb\xbf\xc3",
    ],
)
@pytest.mark.parametrize("url", ["/api/v1/interactions/", "/api/v1/people/"])
def test_invalid_utf8_in_a_json_body_is_400(editor, url, body):
    response = post_raw(editor, url, body)
    assert response.status_code == 400, response.content
    detail = response.json()["detail"]
    assert "JSON parse error" in detail
    assert "utf-8" in detail.lower()


def test_a_json_body_that_is_not_an_object_is_400(editor):
    for body in (b"[]", b"42", b'"text"', b"null"):
        response = post_raw(editor, "/api/v1/interactions/", body)
        assert response.status_code == 400, (body, response.content)


def test_a_nul_character_in_a_json_string_is_400(editor):
    response = post_raw(
        editor,
        "/api/v1/people/",
        b'{"name_vi": "Nguy\\u0000n", "category": "counterpart_official"}',
    )
    assert response.status_code == 400
    assert "name_vi" in response.json()


# ---------------------------------------------------------------------------------------------
# Query strings


@pytest.mark.parametrize(
    "query",
    [
        "q=%FF%FE",
        "q=caf%E9",
        "q=%ZZ%",
        "q=%",
        "q=%00",
        "q=a%00b",
        "q=%ED%A0%80",
        "ordering=%FF",
        "updated_since=%FF",
        "page=%FF",
        "page_size=%00",
        "%FF=%FF",
        "q=" + "x" * 5000,
    ],
)
@pytest.mark.parametrize("resource", ["people", "organizations", "interactions"])
def test_broken_query_strings_never_500(editor, resource, query):
    PersonFactory()
    response = editor.get(f"/api/v1/{resource}/?{query}")  # 404: an invalid page number
    assert response.status_code in {200, 400, 404}, (query, response.content)


def test_a_nul_in_a_search_is_400_naming_the_parameter(editor):
    response = editor.get("/api/v1/people/?q=a%00b")
    assert response.status_code == 400
    assert "q" in response.json()


@pytest.mark.parametrize("path", ["/api/v1/people/%FF/", "/api/v1/%FF%FE/", "/api/v1/people/%E9/"])
def test_broken_paths_are_json_404(editor, path):
    response = editor.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_a_nul_in_a_path_is_400(editor):
    """Refused before routing (`crm.middleware.ControlCharactersMiddleware`): see
    test_control_characters.py for every route."""
    response = editor.get("/api/v1/people/%00/")
    assert response.status_code == 400
    assert "U+0000" in response.json()["detail"]


# Found by schemathesis: the revisions and contact-history actions looked their row up with
# Django's get_object_or_404, which lets the ValueError of a non-integer id through (500).
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/units/abc/revisions/",
        "/api/v1/people/abc/revisions/",
        "/api/v1/interactions/unit-1/revisions/",
        "/api/v1/people/abc/contact-history/",
        "/api/v1/organizations/1.5/contact-history/",
    ],
)
def test_a_non_integer_id_in_an_action_is_404(editor, path):
    assert editor.get(path).status_code == 404


# Found by schemathesis: a filter error naming a value with "%" in it was formatted twice
# (by us, then by django-filter) and the second time raised TypeError (500).
@pytest.mark.parametrize(
    ("resource", "query", "name"),
    [
        ("people", "ordering=%25g", "ordering"),
        ("interactions", "ordering=name%25s,%25(x)s", "ordering"),
        ("units", "updated_since=%25d", "updated_since"),
        ("people", "updated_since=100%25", "updated_since"),
        ("positions", "current=%25s", "current"),
    ],
)
def test_a_percent_sign_in_a_bad_filter_value_is_400_naming_it(editor, resource, query, name):
    response = editor.get(f"/api/v1/{resource}/?{query}")
    assert response.status_code == 400, response.content
    assert list(response.json()) == [name]
    value = query.split("=", 1)[1].replace("%25", "%")
    assert value in response.json()[name][0]


# Found by schemathesis on PostgreSQL, which refuses a NUL in a query: a related row written by
# a string key (a country code) with a NUL in it was looked up as is (500).
@pytest.mark.parametrize("field", ["nationality", "residence_country"])
def test_a_nul_in_a_related_key_is_400_naming_the_field(editor, field):
    body = {"name_vi": "Nguyễn Văn A", "category": "foreign_partner", field: "K\u0000H"}
    response = editor.post("/api/v1/people/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()


@pytest.mark.parametrize("value", ["13:35:39Z", "13:35:39+07:00"])
def test_a_local_time_with_an_offset_is_400_not_silently_stripped(api, value):
    """An interaction's time is local to its `time_zone`; found by schemathesis, which read
    the schema's `format: time` (RFC 3339, offset required) against the naive value served."""
    data = {
        "occurred_on": "2026-11-16",
        "kind": "meeting",
        "subject": "Họp",
        "occurred_time": value,
    }
    response = api.post("/api/v1/interactions/", data, format="json")
    assert response.status_code == 400
    assert "occurred_time" in response.json()


def test_the_schema_describes_local_times_by_pattern(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    field = schema["components"]["schemas"]["Interaction"]["properties"]["occurred_time"]
    text = str(field)
    assert "pattern" in text and "'format': 'time'" not in text
