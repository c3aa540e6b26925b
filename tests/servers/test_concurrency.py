"""Concurrent writers through the real servers, on the embedded file SQLite database: they
wait their turn (WAL, IMMEDIATE transactions, a busy timeout: crm/settings.py) instead of
failing with "database is locked", and the If-Match check runs under the write lock."""

import threading
import uuid
from collections import Counter
from collections.abc import Callable

from tests.servers.conftest import REQUEST_SECONDS
from tests.servers.test_http import API, PERSON, new_person

WRITERS = 10


def at_once(calls: list[Callable[[], object]]) -> list[object]:
    """Run every call in its own thread, released together; each result, in order."""
    barrier = threading.Barrier(len(calls), timeout=REQUEST_SECONDS)
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        barrier.wait()
        try:
            results[index] = call()
        except Exception as error:  # reported as the result
            results[index] = error

    threads = [threading.Thread(target=run, args=item, daemon=True) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(REQUEST_SECONDS * 2)
    assert not any(thread.is_alive() for thread in threads), "a request did not finish"
    return results


def statuses(replies) -> list[int | str]:
    return [getattr(reply, "status", repr(reply)) for reply in replies]


def test_creates_and_patches_with_the_same_if_match_at_once(server):
    """Ten writers at once: five creates (sharing a new tag) and five PATCHes offering the
    same ETag. Every create lands, exactly one PATCH wins, the others get 412."""
    target = new_person(server)
    etag = server.request("GET", target["url"]).header("ETag")
    tag = f"đồng thời {uuid.uuid4().hex[:8]}"
    creates = [
        (
            lambda n=n: server.request(
                "POST", f"{API}/people/", PERSON | {"notes": f"c{n}", "tags": [tag]}
            )
        )
        for n in range(WRITERS // 2)
    ]
    patches = [
        (
            lambda n=n: server.request(
                "PATCH", target["url"], {"notes": f"p{n}"}, headers={"If-Match": etag}
            )
        )
        for n in range(WRITERS // 2)
    ]
    replies = at_once(creates + patches)
    created, patched = replies[: len(creates)], replies[len(creates) :]
    assert statuses(created) == [201] * len(creates), [
        r.body for r in created if hasattr(r, "body")
    ]
    assert sorted(statuses(patched)) == [200] + [412] * (len(patches) - 1)

    for reply in created:  # every row was written and reads back
        body = reply.json()
        again = server.request("GET", body["url"])
        assert again.status == 200 and again.json()["tags"] == [tag]
    winner = next(reply for reply in patched if reply.status == 200).json()["notes"]
    assert server.request("GET", target["url"]).json()["notes"] == winner
    assert "Traceback" not in server.log_text()


def test_concurrent_replacements_of_the_contact_points_leave_one_list(server):
    """Without If-Match, replacements take turns: each replaces the last one's list whole,
    so one contact point is left, never the union of all of them."""
    target = new_person(server)
    replace = [
        (
            lambda n=n: server.request(
                "PATCH",
                target["url"],
                {"contact_points": [{"kind": "phone", "value": f"043 944 44{n}"}]},
            )
        )
        for n in range(WRITERS)
    ]
    replies = at_once(replace)
    assert Counter(statuses(replies)) == {200: WRITERS}
    points = server.request("GET", target["url"]).json()["contact_points"]
    assert len(points) == 1
    assert points[0]["value"] in {reply.json()["contact_points"][0]["value"] for reply in replies}
