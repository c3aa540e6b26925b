"""HTTP through the real servers (runserver and gunicorn, see conftest.py): what the test
client cannot show, since it never checks headers as a WSGI server does nor keeps a
connection alive."""

import threading

import pytest

from tests.servers.conftest import HOST, REQUEST_SECONDS, read_response

API = "/api/v1"
LIMIT = 2_621_440  # DATA_UPLOAD_MAX_MEMORY_SIZE
PERSON = {
    "full_name_native": "សុខ ចាន់ធី",
    "name_vi": "Xốc Chăn-thi",
    "nationality": "KH",
    "category": "counterpart_official",
}
ORGANIZATION = {
    "name_native": "ខេត្តព្រៃវែង",
    "name_vi": "tỉnh Prây Veng",
    "kind": "counterpart_province",
    "country": "KH",
}


def new_person(server, **extra) -> dict:
    reply = server.request(
        "POST",
        f"{API}/people/",
        PERSON | extra,
    )
    assert reply.status == 201, reply.body
    return reply.json()


def new_organization(server) -> dict:
    reply = server.request("POST", f"{API}/organizations/", ORGANIZATION)
    assert reply.status == 201, reply.body
    return reply.json()


def assert_created(server, reply, role: str = "editor") -> dict:
    """201 whose Location is a plain str naming the new row, readable at that address."""
    assert reply.status == 201, reply.body[:2000]
    body = reply.json()
    locations = [value for name, value in reply.raw_headers if name.lower() == "location"]
    assert locations == [body["url"]]
    assert locations[0].startswith(server.origin)
    again = server.request("GET", locations[0], role=role)
    assert again.status == 200, again.body[:2000]
    assert again.json()["id"] == body["id"]
    return body


def test_a_token_is_issued_with_its_key_and_location(server):
    reply = server.request("POST", f"{API}/tokens/", {"name": "integration"}, role="viewer")
    body = assert_created(server, reply, role="viewer")
    key = body["key"]
    me = server.request("GET", f"{API}/people/", headers={"Authorization": f"Token {key}"})
    assert me.status == 200  # the key the answer carried works: nothing was lost


def test_every_create_endpoint_answers_201_with_its_location(server):
    person = assert_created(
        server,
        server.request(
            "POST",
            f"{API}/people/",
            PERSON
            | {
                "tags": ["máy chủ thật"],
                "contact_points": [{"kind": "phone", "value": "043 944 444"}],
            },
        ),
    )
    organization = assert_created(
        server,
        server.request(
            "POST",
            f"{API}/organizations/",
            ORGANIZATION | {"pillars": ["economic"]},
        ),
    )
    payloads = {
        "positions": {
            "person": person["id"],
            "organization": organization["id"],
            "title": "Phó Tỉnh trưởng",
            "start_date": "2024-01-01",
        },
        "interactions": {
            "occurred_on": "2026-11-16",
            "kind": "meeting",
            "subject": "Chào xã giao",
            "people": [person["id"]],
            "organizations": [organization["id"]],
        },
        "agreements": {"title": "MoU", "kind": "mou", "parties": [organization["id"]]},
        "events": {
            "title_vi": "Đoàn tỉnh Prây Veng thăm Đồng Tháp",
            "kind": "delegation_visit",
            "start_date": "2027-01-12",
            "end_date": "2027-01-14",
            "country": "KH",
            "visibility": "public",
        },
        "anniversaries": {
            "title_vi": "Ngày thiết lập quan hệ ngoại giao",
            "kind": "diplomatic_relations",
            "origin_year": 1992,
            "origin_month": 2,
            "origin_day": 29,
            "country": "KH",
            "visibility": "public",
        },
        "calendar-feeds": {"name": "Lịch của tôi"},
    }
    created = {}
    for endpoint, payload in payloads.items():
        reply = server.request("POST", f"{API}/{endpoint}/", payload)
        created[endpoint] = assert_created(server, reply)
    follow_up = {"interaction": created["interactions"]["id"], "action": "Gửi biên bản"}
    assert_created(server, server.request("POST", f"{API}/follow-ups/", follow_up))
    assert created["calendar-feeds"]["feed_url"].endswith(".ics")


def test_a_body_over_the_limit_is_413_and_never_read_as_the_next_request(server):
    """No `Connection: close` from the app (wsgiref refuses hop-by-hop headers): the server
    deals with the body it was sent and nobody read. runserver drains it and serves the next
    request on the connection; gunicorn discards it, or past its drain limit closes the
    connection. Either way the bytes are never parsed as a request."""
    body = b'{"name_vi": "' + b"x" * LIMIT + b'"}'
    head = (
        f"POST {API}/people/ HTTP/1.1\r\nHost: {HOST}\r\n"
        f"Authorization: Token {server.tokens['editor']}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    follow = f"GET {API}/countries/KH/ HTTP/1.1\r\nHost: {HOST}\r\n" + (
        f"Authorization: Token {server.tokens['editor']}\r\n\r\n"
    )
    with server.raw() as sock:
        errors = []

        def send():  # the client sends it all, as clients do, while the answer comes back
            try:
                sock.sendall(head + body)
                sock.sendall(follow.encode())
            except OSError as error:
                errors.append(error)

        sender = threading.Thread(target=send, daemon=True)
        sender.start()
        refused = read_response(sock)
        assert refused is not None and refused.status == 413, refused
        assert str(LIMIT) in refused.json()["detail"]
        assert refused.header("Connection") in (None, "close", "keep-alive")
        after = read_response(sock)
        sender.join(REQUEST_SECONDS)
    if server.name == "runserver" or after is not None:
        assert after is not None and after.status == 200, (after, errors)
        assert after.json()["code"] == "KH"


def test_a_declared_length_over_the_limit_is_refused_before_the_body_is_sent(server):
    with server.raw() as sock:
        sock.sendall(
            (
                f"POST {API}/people/ HTTP/1.1\r\nHost: {HOST}\r\n"
                f"Authorization: Token {server.tokens['editor']}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {10 * LIMIT}\r\n\r\n{{"
            ).encode()
        )
        refused = read_response(sock)  # framed: it ends without waiting for the body
    assert refused is not None and refused.status == 413
    assert refused.header("Content-Length") == str(len(refused.body))
    assert str(10 * LIMIT) in refused.json()["detail"]


def test_bad_json_is_400(server):
    reply = server.request(
        "POST", f"{API}/people/", b'{"name_vi": ', headers={"Content-Type": "application/json"}
    )
    assert reply.status == 400
    assert "detail" in reply.json()


@pytest.mark.parametrize("authorization", [None, "Token not-a-real-key"])
def test_without_a_valid_token_401(server, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    reply = server.request("GET", f"{API}/people/", role=None, headers=headers)
    assert reply.status == 401
    assert reply.header("Content-Type").startswith("application/json")
    assert "detail" in reply.json()
    assert reply.header("WWW-Authenticate") == "Token"


def test_an_unknown_row_is_404_json(server):
    reply = server.request("GET", f"{API}/people/987654321/")
    assert reply.status == 404
    assert reply.header("Content-Type").startswith("application/json")
    assert "detail" in reply.json()


def test_detail_etag_and_if_match(server):
    person = new_person(server)
    read = server.request("GET", person["url"])
    etag = read.header("ETag")
    assert etag
    stale = '"' + "0" * 32 + '"'
    refused = server.request("PATCH", person["url"], {"notes": "x"}, headers={"If-Match": stale})
    assert refused.status == 412
    changed = server.request("PATCH", person["url"], {"notes": "y"}, headers={"If-Match": etag})
    assert changed.status == 200
    assert changed.header("ETag") not in (None, etag)


def test_feeds_answer_304_when_unchanged(server):
    created = server.request("POST", f"{API}/calendar-feeds/", {"name": "Lịch 304"})
    assert created.status == 201, created.body[:2000]
    own = created.json()["feed_url"].split("/calendar/", 1)[1]
    for path in ("/calendar/public.ics", f"/calendar/{own}"):
        first = server.request("GET", path, role=None, headers={"Accept": "text/calendar"})
        assert first.status == 200, first.body[:2000]
        assert first.body.startswith(b"BEGIN:VCALENDAR")
        etag = first.header("ETag")
        again = server.request(
            "GET", path, role=None, headers={"If-None-Match": etag, "Accept": "text/calendar"}
        )
        assert again.status == 304
        assert again.body == b""
        assert again.header("ETag") == etag


def test_head_answers_headers_without_a_body(server):
    feed = server.request("HEAD", "/calendar/public.ics", role=None)
    assert feed.status == 200
    assert feed.body == b""
    assert feed.header("Content-Type").startswith("text/calendar")
    people = server.request("HEAD", f"{API}/people/")
    assert people.status == 200
    assert people.body == b""
    assert people.header("Content-Type").startswith("application/json")


def test_no_server_error_was_logged(server):
    """Last in the module: whatever ran above, the server never logged a traceback."""
    assert server.request("GET", f"{API}/people/?q=xoc").status == 200
    assert "Traceback" not in server.log_text()
