"""Any JSON at all, sent to any write, is answered below 500: POST on every list route and PATCH
on every detail route of the URL configuration, as an editor, with documents of every shape
(objects, arrays, strings, numbers of any size, null, booleans) and nesting thousands of levels
deep, which Python's json module once met with RecursionError (a 500). Nesting beyond
`api.parsers.MAX_DEPTH` is a 400 saying so."""

import json

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from api.parsers import MAX_DEPTH, depth_exceeds
from tests.api.conftest import token_client
from tests.api.routes import concrete_url, json_api_routes, one_row_of_each
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EXAMPLES = 25  # per route


def write_routes() -> list[tuple[str, object]]:
    """(method, route): POST on list routes, PATCH on detail routes."""
    found = []
    for route in json_api_routes():
        if "POST" in route.methods and not route.parameters and "/auth/" not in route.template:
            found.append(("POST", route))
        if "PATCH" in route.methods and route.parameters:
            found.append(("PATCH", route))
    return found


def field_names(route) -> list[str]:
    """The names the route's serializer reads, so that generated documents hit real fields."""
    view = getattr(route.callback, "cls", None)
    serializer = getattr(view, "serializer_class", None)
    return sorted(serializer().fields) if serializer else ["name"]


scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.sampled_from(["1", "KH", "2026-11-16", "public", "meeting", "\u0000", "²", ""])
)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


def deep(levels: int, kind: str, inner: bytes = b"1") -> bytes:
    """`levels` nested arrays or objects around `inner`, built without recursion."""
    if kind == "array":
        return b"[" * levels + inner + b"]" * levels
    return b'{"a":' * levels + inner + b"}" * levels


@st.composite
def documents(draw, names: list[str]) -> bytes:
    shape = draw(st.sampled_from(["object", "object", "any", "deep"]))
    if shape == "deep":
        levels = draw(st.sampled_from([MAX_DEPTH, MAX_DEPTH + 1, 100, 1025, 3000, 20000]))
        kind = draw(st.sampled_from(["array", "object"]))
        inner = deep(levels, kind)
        # Deep inside a real field, or the whole document.
        return b'{"' + draw(st.sampled_from(names)).encode() + b'": ' + inner + b"}"
    if shape == "any":
        return json.dumps(draw(values)).encode()  # json: integers of any size
    keys = st.sampled_from(names) | st.text(max_size=10)
    document = draw(st.dictionaries(keys, values, max_size=6))
    return json.dumps(document, ensure_ascii=False).encode()


@pytest.fixture
def editor(db) -> APIClient:
    """An editor whose token may also write personal data (contact points)."""
    return token_client(UserFactory(role="editor"))


@pytest.fixture
def rows(editor) -> dict[str, object]:
    return one_row_of_each(editor.user)


@pytest.mark.parametrize(
    ("method", "route"), write_routes(), ids=lambda v: v if isinstance(v, str) else v.template
)
def test_any_json_document_is_answered_below_500(editor, rows, method, route):
    url = concrete_url(route, rows) if route.parameters else route.template

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(body=documents(field_names(route)))
    def check(body: bytes):
        response = editor.generic(method, url, body, content_type="application/json")
        assert response.status_code < 500, (method, url, body[:200], response.content[:300])

    check()


def test_there_are_write_routes_to_test():
    methods = {(method, route.template) for method, route in write_routes()}
    assert ("POST", "/api/v1/people/") in methods
    assert ("PATCH", "/api/v1/interactions/<id:pk>/") in methods
    assert len(methods) >= 19


@pytest.mark.parametrize("levels", [MAX_DEPTH + 1, 1025, 5000, 100_000])
@pytest.mark.parametrize("kind", ["array", "object"])
def test_nesting_beyond_the_limit_is_400_saying_so(editor, levels, kind):
    body = b'{"contact_points": ' + deep(levels - 1, kind) + b"}"
    response = editor.generic("POST", "/api/v1/people/", body, content_type="application/json")
    assert response.status_code == 400
    assert f"deeper than {MAX_DEPTH} levels" in response.json()["detail"]


def test_nesting_up_to_the_limit_is_parsed(editor):
    body = b'{"contact_points": ' + deep(MAX_DEPTH - 2, "array", b"{}") + b"}"
    response = editor.generic("POST", "/api/v1/people/", body, content_type="application/json")
    assert response.status_code == 400  # parsed, then refused by the serializer, field by field
    assert "contact_points" in response.json()
    assert "deeper" not in str(response.json())


@given(st.integers(min_value=0, max_value=60))
def test_depth_exceeds_counts_levels_of_arrays_and_objects(levels):
    document = orjson.loads(deep(levels, "array")) if levels else 1
    assert depth_exceeds(document, MAX_DEPTH) == (levels > MAX_DEPTH)
    mixed = orjson.loads(b'{"a": [' * (levels // 2) + b"1" + b"]}" * (levels // 2))
    assert depth_exceeds(mixed, MAX_DEPTH) == (2 * (levels // 2) > MAX_DEPTH)


@pytest.mark.parametrize("charset", ["utf-8", "latin-1", "utf-16"])
def test_a_declared_charset_is_read(editor, charset):
    body = '{"name_vi": "Nguyễn Thị Á"'.encode(charset, errors="ignore") + b"}"
    if charset == "utf-16":
        body = '{"name_vi": "Nguyễn Thị Á"}'.encode("utf-16")
    response = editor.generic(
        "POST", "/api/v1/people/", body, content_type=f"application/json; charset={charset}"
    )
    assert response.status_code == 400, response.content  # parsed: category is missing
    assert "category" in response.json()


def test_an_unknown_charset_is_400(editor):
    response = editor.generic(
        "POST", "/api/v1/people/", b"{}", content_type="application/json; charset=klingon"
    )
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_form_bodies_cannot_nest(editor):
    """Form and multipart bodies are flat: bracketed names thousands deep are plain names."""
    name = "contact_points" + "[0]" * 5000 + "kind"
    response = editor.post("/api/v1/people/", {name: "email", "name_vi": "A"}, format="multipart")
    assert response.status_code == 400
    response = editor.generic(
        "POST",
        "/api/v1/people/",
        f"{name}=email&name_vi=A".encode(),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
