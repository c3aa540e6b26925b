"""The operation registry: what `make bench` measures.

An operation is a request (method, path, headers, the status it must answer) and a *floor*: the
same work done as plainly as Python allows, measured in the same process and the same run, so
that the ratio holds on a noisy machine. Operations are grouped in modules, one per app; to add
some (the calendar, the iCalendar feeds, briefings), write `bench/operations/<app>.py` with a
`register(fixture)` function returning a list of `Operation`, and name the module in `MODULES`.
See bench/README.md ("Adding an operation").
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Modules whose `register(fixture)` gives operations, in report order.
MODULES = ["bench.operations.contacts", "bench.operations.events", "bench.operations.briefings"]


@dataclass(frozen=True)
class Operation:
    """One timed request and its floor.

    - `path`: the URL, with its query string.
    - `floor`: a callable doing the floor's work once (built once, called on each repeat);
      `floor_kind` says in a few words what it is, for the report. None: no floor (the
      figures are reported without a ratio).
    - `goal`: the ratio (median of the request / median of the floor) to stay within; None:
      no goal.
    - `repeat`: a cap on the timed runs of a slow operation (a feed rendered in seconds).
    - `prepare`: called before each request, not timed (clearing a cache so that the request
      does the whole work).
    - `headers`: extra request headers (`HTTP_IF_NONE_MATCH`…); `status` the one expected.
    - `vendors`: the databases it runs on (`sqlite`, `postgresql`).
    """

    group: str
    name: str
    path: str
    floor: Callable[[], Any] | None
    floor_kind: str
    goal: float | None = 3.0
    headers: dict[str, str] = field(default_factory=dict)
    status: int = 200
    vendors: tuple[str, ...] = ("sqlite", "postgresql")
    prepare: Callable[[], Any] | None = None
    repeat: int | None = None  # at most this many timed runs (and one warm-up): slow ones


def collect(fixture) -> list[Operation]:
    operations: list[Operation] = []
    for name in MODULES:
        operations.extend(importlib.import_module(name).register(fixture))
    return operations
