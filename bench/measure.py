"""Time the registered operations in this process, against the database of DATABASE_URL.

Run by `python -m bench` (which prepares the database and sets the environment); writes a JSON
file of figures that `bench.report` turns into Markdown.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import statistics
import sys
import time
from dataclasses import dataclass

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")


@dataclass
class Fixture:
    """What operations are built from: the caller and the rows they read."""

    viewer: object
    today: datetime.date
    two_years_ago: datetime.date
    person_query: str
    person_id: int
    organization_id: int
    interaction_id: int
    busy_person_id: int
    busy_organization_id: int
    user: object = None  # the bench administrator
    client: object = None  # the authenticated APIClient (set before operations are built)


def build_fixture():
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.utils import timezone

    from api.models import ApiToken
    from contacts.models import Interaction, Organization, Participant, Person
    from contacts.synthetic import ORGANIZATION_MARKER
    from crm.access import Viewer

    user, _created = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    ApiToken.objects.filter(user=user).delete()
    _token, key = ApiToken.issue(user, name="bench", scopes=["read", "personal-data"])
    today = timezone.localdate()
    through = Interaction.organizations.through.objects
    fixture = Fixture(
        viewer=Viewer.of(user, scopes=["read", "personal-data"]),
        today=today,
        two_years_ago=today - datetime.timedelta(days=730),
        person_query="nguyen thi",
        person_id=Person.objects.filter(positions__end_date=None, contact_points__kind="phone")
        .order_by("pk")
        .values_list("pk", flat=True)[0],
        organization_id=Organization.objects.filter(
            notes=ORGANIZATION_MARKER, positions__end_date=None
        )
        .order_by("pk")
        .values_list("pk", flat=True)[0],
        interaction_id=Participant.objects.values("interaction")
        .annotate(n=Count("id"))
        .order_by("-n", "interaction")[0]["interaction"],
        busy_person_id=Participant.objects.values("person")
        .annotate(n=Count("id"))
        .order_by("-n", "person")[0]["person"],
        busy_organization_id=through.filter(organization__notes=ORGANIZATION_MARKER)
        .values("organization")
        .annotate(n=Count("id"))
        .order_by("-n", "organization")[0]["organization"],
        user=user,
    )
    return fixture, key


def sizes() -> dict[str, int]:
    from contacts.models import ContactPoint, FollowUp, Interaction, Organization, Person, Position
    from events.models import Anniversary, Event, EventInteraction

    return {
        "people": Person.objects.count(),
        "organizations": Organization.objects.count(),
        "positions": Position.objects.count(),
        "contact points": ContactPoint.objects.count(),
        "interactions": Interaction.objects.count(),
        "follow-ups": FollowUp.objects.count(),
        "events": Event.objects.count(),
        "interactions at events": EventInteraction.objects.count(),
        "anniversaries": Anniversary.objects.count(),
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def time_operation(client, operation, repeat: int, warmup: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(operation.path, **operation.headers)
    result = {
        "group": operation.group,
        "name": operation.name,
        "path": operation.path,
        "floor_kind": operation.floor_kind,
        "goal": operation.goal,
        "status": response.status_code,
        "queries": len(queries.captured_queries),
        "bytes": len(response.content),
    }
    if response.status_code != operation.status:
        result["error"] = f"answered {response.status_code}, expected {operation.status}"
        return result
    if operation.repeat is not None:
        repeat, warmup = min(repeat, operation.repeat), min(warmup, 1)
    result["repeat"] = repeat
    prepare = operation.prepare or (lambda: None)
    floor = operation.floor or (lambda: None)
    for _ in range(warmup):
        prepare()
        client.get(operation.path, **operation.headers)
        floor()
    requests, floors = [], []
    gc.collect()
    for _ in range(repeat):  # interleaved, so that both see the same noise
        prepare()
        started = time.perf_counter()
        client.get(operation.path, **operation.headers)
        middle = time.perf_counter()
        floor()
        ended = time.perf_counter()
        requests.append(middle - started)
        floors.append(ended - middle)
    median = statistics.median(requests)
    result.update(median_ms=median * 1000, p95_ms=percentile(requests, 0.95) * 1000)
    if operation.floor is not None:
        result.update(
            floor_ms=statistics.median(floors) * 1000,
            floor_p95_ms=percentile(floors, 0.95) * 1000,
            ratio=median / statistics.median(floors),
        )
    return result


def search_plan(fixture) -> dict:
    """The plan of the people search the `list, q` operation runs (PostgreSQL only)."""
    from api.views import PersonViewSet
    from bench.floors import filtered

    queryset = filtered(PersonViewSet, fixture.viewer, {"q": fixture.person_query})
    plan = queryset[:100].explain(analyze=True)
    return {"query": fixture.person_query, "plan": plan, "uses_trigram_index": "_trgm" in plan}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", required=True)
    parser.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", 30)))
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--only", default="", help="Run operations whose name contains this.")
    args = parser.parse_args(argv)

    django.setup()
    from django.db import connection
    from django.test import override_settings
    from rest_framework.test import APIClient

    from bench.operations import collect
    from bench.urls import TRIVIAL_PATH

    vendor = connection.vendor
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    fixture, key = build_fixture()
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    fixture.client = client
    report = {"vendor": vendor, "sizes": sizes(), "repeat": args.repeat, "operations": []}
    with override_settings(ROOT_URLCONF="bench.urls"):
        trivial = [0.0] * args.repeat
        for index in range(args.repeat + args.warmup):
            started = time.perf_counter()
            client.get(TRIVIAL_PATH)
            if index >= args.warmup:
                trivial[index - args.warmup] = time.perf_counter() - started
        report["trivial_ms"] = statistics.median(trivial) * 1000
        print(f"[{vendor}] trivial view: {report['trivial_ms']:.2f} ms", file=sys.stderr)
        for operation in collect(fixture):
            label = f"{operation.group} {operation.name}"
            if vendor not in operation.vendors or args.only not in label:
                continue
            result = time_operation(client, operation, args.repeat, args.warmup)
            report["operations"].append(result)
            if "error" in result:
                print(f"[{vendor}] {label}: {result['error']}", file=sys.stderr)
                continue
            floor = (
                f"floor {result['floor_ms']:7.2f}  ratio {result['ratio']:5.2f}"
                if "ratio" in result
                else "no floor"
            )
            print(
                f"[{vendor}] {label:<36} median {result['median_ms']:8.2f} ms  "
                f"p95 {result['p95_ms']:8.2f}  {floor}  ({result['queries']} queries)",
                file=sys.stderr,
            )
    if vendor == "postgresql":
        report["search_plan"] = search_plan(fixture)
        print(report["search_plan"]["plan"], file=sys.stderr)
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(report, handle, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
