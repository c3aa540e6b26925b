"""crm.middleware.WSGIResponseMiddleware: whatever a view or another middleware puts in a
response, it leaves as a WSGI server accepts it (tests/servers runs the real servers)."""

from wsgiref.headers import Headers

from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.test import RequestFactory
from django.utils.functional import lazy
from django.utils.safestring import SafeString
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.relations import Hyperlink

from crm.middleware import WSGIResponseMiddleware

# Header text a server can send: printable latin-1 without line breaks.
header_text = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0xFF, blacklist_characters="\x7f"),
    min_size=1,
    max_size=60,
)
kinds = st.sampled_from(
    [
        str,
        SafeString,
        lambda value: Hyperlink(value, None),
        lambda value: lazy(lambda: value, str)(),
        lambda value: value.encode("latin-1").decode("latin-1"),
    ]
)


def through(response, method: str = "GET"):
    request = getattr(RequestFactory(), method.lower())("/")
    return WSGIResponseMiddleware(lambda _request: response)(request)


@given(value=header_text, kind=kinds)
def test_every_header_leaves_as_a_plain_str(value, kind):
    response = HttpResponse(b"{}")
    response["Location"] = kind(value)
    response["X-Name"] = SafeString(value)
    out = through(response)
    for name, sent in out.items():
        assert type(name) is str and type(sent) is str
    assert out["Location"] == str(value) and out["X-Name"] == value
    Headers(list(out.items()))  # wsgiref's own check: AssertionError on anything but str


def test_a_response_built_before_common_middleware_gets_its_length():
    response = through(JsonResponse({"detail": "quá lớn"}, status=413))
    assert response["Content-Length"] == str(len(response.content))
    assert "Connection" not in response


def test_head_keeps_the_length_of_get_and_sends_no_body():
    body = b'{"results": []}'
    response = through(HttpResponse(body), method="HEAD")
    assert response.content == b""
    assert response["Content-Length"] == str(len(body))


def test_streaming_responses_are_left_to_stream():
    response = through(StreamingHttpResponse(iter([b"a", b"b"])))
    assert not response.has_header("Content-Length")
    assert b"".join(response.streaming_content) == b"ab"
