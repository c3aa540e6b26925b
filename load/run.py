"""The load and fault runs: many simulated staff clients against the gunicorn instances.

Started by load/run.sh (`make load`), which sets up PostgreSQL, Redis and the servers and
passes their addresses. Phases:

1. probe: which optional endpoints this build serves (calendar feeds, briefings);
2. baseline: one client alone, the same mix, no pause: the single-client median;
3. load: CLIENTS clients for DURATION seconds, each with its own token, alternating between the
   instances, pausing THINK seconds on average between requests (people, not a benchmark loop);
4. throttle check: each user's throttle history in Redis counts its requests to both instances;
5. fault (unless --no-fault): the same load while PostgreSQL is restarted; failures must be
   503, never a hang (client timeout) nor another status, and every 201 must be a row after.

Everything is bounded: fixed durations, a timeout on every request, no retries.
"""

import argparse
import asyncio
import datetime
import json
import os
import pickle
import random
import subprocess
import sys
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil
import psycopg
import redis

TIMEOUT = 10.0  # seconds: a request slower than this counts as a hang
API = "/api/v1"
SEARCHES = ["dong thap", "pray veng", "nguyen", "champasak", "kien giang", "campuchia", "lao"]
OK = {200, 201, 304}


@dataclass
class Sample:
    op: str
    started: float
    latency: float
    status: int | str  # HTTP status, or "timeout" / "connection error"
    client: int
    api: bool


@dataclass
class World:
    """What the clients know: where the servers are, ids to read, optional endpoints."""

    ports: list[int]
    keys: list[str]
    admin_key: str
    run_id: str
    people: list[int] = field(default_factory=list)
    organizations: list[int] = field(default_factory=list)
    interactions: list[int] = field(default_factory=list)
    feeds: bool = False  # /calendar/public.ics answers (the events app is installed)
    feed_token: str | None = None  # a private feed's token (LOAD_FEED_TOKEN), if any
    briefings: bool = False  # /api/v1/briefings/organizations/{id}/ is in the schema
    etags: dict[str, str] = field(default_factory=dict)
    written: dict[str, str] = field(default_factory=dict)  # subject -> phase, for 201s
    write_seq: int = 0


# ---------------------------------------------------------------------------------------------
# The mix: (name, weight, function). Each function sends one request and returns it.


async def list_people(c, w, rnd):
    pages = max(1, (len(w.people) + 19) // 20)
    return await c.get(f"{API}/people/", params={"page_size": 20, "page": rnd.randint(1, pages)})


async def list_organizations(c, w, rnd):
    return await c.get(f"{API}/organizations/", params={"page_size": 20})


async def list_interactions(c, w, rnd):
    return await c.get(f"{API}/interactions/", params={"page_size": 20, "ordering": "-occurred_on"})


async def search_people(c, w, rnd):
    return await c.get(f"{API}/people/", params={"q": rnd.choice(SEARCHES)})


async def search_organizations(c, w, rnd):
    return await c.get(f"{API}/organizations/", params={"q": rnd.choice(SEARCHES)})


async def search_interactions(c, w, rnd):
    return await c.get(f"{API}/interactions/", params={"q": rnd.choice(SEARCHES)})


async def person_detail(c, w, rnd):
    return await c.get(f"{API}/people/{rnd.choice(w.people)}/")


async def organization_detail(c, w, rnd):
    return await c.get(f"{API}/organizations/{rnd.choice(w.organizations)}/")


async def person_history(c, w, rnd):
    return await c.get(f"{API}/people/{rnd.choice(w.people)}/contact-history/")


async def organization_history(c, w, rnd):
    return await c.get(f"{API}/organizations/{rnd.choice(w.organizations)}/contact-history/")


async def write_interaction(c, w, rnd):
    w.write_seq += 1
    subject = f"load {w.run_id} #{w.write_seq}"
    body = {
        "occurred_on": datetime.datetime.now(datetime.UTC).date().isoformat(),
        "kind": "meeting",
        "subject": subject,
        "summary": "Written by the load run.",
        "people": rnd.sample(w.people, k=min(2, len(w.people))),
        "organizations": [rnd.choice(w.organizations)],
    }
    response = await c.post(f"{API}/interactions/", json=body)
    response.subject = subject
    return response


# --- Extension points: endpoints from other branches, used only when this build serves them.


async def public_feed(c, w, rnd):
    """The public calendar feed, polled as calendar clients do: with If-None-Match."""
    return await conditional_get(c, w, "/calendar/public.ics")


async def private_feed(c, w, rnd):
    return await conditional_get(c, w, f"/calendar/{w.feed_token}.ics")


async def conditional_get(c, w, path):
    headers = {"If-None-Match": w.etags[path]} if path in w.etags else {}
    response = await c.get(path, headers=headers)
    if response.status_code == 200 and "ETag" in response.headers:
        w.etags[path] = response.headers["ETag"]
    return response


async def briefing(c, w, rnd):
    return await c.get(f"{API}/briefings/organizations/{rnd.choice(w.organizations)}/")


CORE_MIX = [
    ("list people", 10, list_people),
    ("list organizations", 8, list_organizations),
    ("list interactions", 8, list_interactions),
    ("search people", 8, search_people),
    ("search organizations", 5, search_organizations),
    ("search interactions", 4, search_interactions),
    ("person detail", 10, person_detail),
    ("organization detail", 8, organization_detail),
    ("person contact history", 7, person_history),
    ("organization contact history", 7, organization_history),
    ("write interaction", 10, write_interaction),
]
NOT_API = {"public feed", "private feed"}


def mix_for(world: World) -> list[tuple[str, int, object]]:
    mix = list(CORE_MIX)
    if world.feeds:
        mix.append(("public feed", 10, public_feed))
        if world.feed_token:
            mix.append(("private feed", 5, private_feed))
    if world.briefings:
        mix.append(("briefing", 5, briefing))
    return mix


# ---------------------------------------------------------------------------------------------
# Clients


def http_client(port: int, key: str | None) -> httpx.AsyncClient:
    headers = {"Accept": "application/json", "Accept-Language": "en"}
    if key:
        headers["Authorization"] = f"Token {key}"
    return httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}",
        headers=headers,
        timeout=TIMEOUT,
        # Idle connections expire before gunicorn's keep-alive (5 s) closes them under us.
        limits=httpx.Limits(max_connections=1, max_keepalive_connections=1, keepalive_expiry=2),
    )


async def simulated_client(
    number: int, world: World, until: float, think: float, samples: list, phase: str
):
    rnd = random.Random(f"{world.run_id}-{phase}-{number}")  # noqa: S311 - not cryptography
    mix = mix_for(world)
    weights = [weight for _name, weight, _f in mix]
    clients = [http_client(port, world.keys[number]) for port in world.ports]
    turn = number  # alternate between the instances, as a proxy would
    try:
        while time.monotonic() < until:
            name, _weight, send = rnd.choices(mix, weights)[0]
            client = clients[turn % len(clients)]
            turn += 1
            started = time.monotonic()
            try:
                # A total deadline (httpx's timeouts are per phase: connect, write, each read).
                response = await asyncio.wait_for(send(client, world, rnd), TIMEOUT)
                status = response.status_code
                if status == 201 and hasattr(response, "subject"):
                    world.written[response.subject] = phase
            except (TimeoutError, httpx.TimeoutException):
                status = "timeout"
            except httpx.TransportError as error:
                status = f"connection error ({type(error).__name__})"
            samples.append(
                Sample(
                    name, started, time.monotonic() - started, status, number, name not in NOT_API
                )
            )
            if think:
                await asyncio.sleep(rnd.uniform(0, 2 * think))
    finally:
        for client in clients:
            await client.aclose()


async def run_clients(world, count, duration, think, phase, during=None):
    samples: list[Sample] = []
    until = time.monotonic() + duration
    tasks = [
        asyncio.create_task(simulated_client(n, world, until, think, samples, phase))
        for n in range(count)
    ]
    extra = await during() if during else None
    await asyncio.gather(*tasks)
    return samples, extra


# ---------------------------------------------------------------------------------------------
# Measurements


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds == seconds else "n/a"


class MemorySampler:
    """Peak resident memory of every gunicorn worker (children of the masters), sampled."""

    def __init__(self, master_pids: list[int]):
        self.masters = [psutil.Process(pid) for pid in master_pids]
        self.peak_worker = 0
        self.peak_total = 0
        self.workers_seen: set[int] = set()
        self.running = True

    async def run(self):
        while self.running:
            total = 0
            for master in self.masters:
                try:
                    children = master.children()
                except psutil.NoSuchProcess:
                    continue
                for worker in children:
                    try:
                        rss = worker.memory_info().rss
                    except psutil.NoSuchProcess:
                        continue
                    self.workers_seen.add(worker.pid)
                    self.peak_worker = max(self.peak_worker, rss)
                    total += rss
            self.peak_total = max(self.peak_total, total)
            await asyncio.sleep(0.5)


def summarize(samples: list[Sample], duration: float) -> dict:
    # Every request counts, failures included (a timeout at its deadline: a lower bound).
    latencies = [s.latency for s in samples]
    statuses = Counter(s.status for s in samples)
    by_op = defaultdict(list)
    for s in samples:
        by_op[s.op].append(s)
    return {
        "requests": len(samples),
        "throughput": len(samples) / duration,
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "p99": percentile(latencies, 99),
        "max": max(latencies, default=float("nan")),
        "statuses": statuses,
        "errors": {k: v for k, v in statuses.items() if k not in OK},
        "by_op": {
            op: {
                "n": len(rows),
                "p50": percentile([r.latency for r in rows], 50),
                "p95": percentile([r.latency for r in rows], 95),
                "errors": sum(1 for r in rows if r.status not in OK),
            }
            for op, rows in sorted(by_op.items())
        },
    }


def throttle_counts(redis_url: str, user_ids: dict[int, int]) -> dict[int, int]:
    """Length of DRF's UserRateThrottle history per client, read from the shared Redis."""
    connection = redis.Redis.from_url(redis_url)
    counts = {}
    for client, user_id in user_ids.items():
        raw = connection.get(f":1:throttle_user_{user_id}")
        counts[client] = len(pickle.loads(raw)) if raw else 0  # noqa: S301 - our own cache
    return counts


def rows_written(database_url: str, run_id: str) -> set[str]:
    with psycopg.connect(database_url, connect_timeout=5) as connection:
        rows = connection.execute(
            "SELECT subject FROM contacts_interaction WHERE subject LIKE %s",
            (f"load {run_id} #%",),
        ).fetchall()
    return {subject for (subject,) in rows}


# ---------------------------------------------------------------------------------------------
# The run


async def probe(world: World, admin_key: str) -> list[str]:
    notes = []
    async with http_client(world.ports[0], admin_key) as client:
        for path, target in (("/people/", world.people), ("/organizations/", world.organizations)):
            response = await client.get(f"{API}{path}", params={"page_size": 200})
            response.raise_for_status()
            target.extend(row["id"] for row in response.json()["results"])
        schema = (await client.get("/api/schema/", params={"format": "json"})).json()
        world.briefings = "/api/v1/briefings/organizations/{id}/" in schema.get("paths", {})
        feed = await client.get("/calendar/public.ics")
        world.feeds = feed.status_code == 200
    world.feed_token = os.environ.get("LOAD_FEED_TOKEN") or world.feed_token
    notes.append(
        "feeds: polled with If-None-Match"
        if world.feeds
        else f"feeds: not available on this build (/calendar/public.ics answered "
        f"{feed.status_code})"
    )
    if world.feeds and not world.feed_token:
        notes.append("private feed: not polled (set LOAD_FEED_TOKEN to a feed token)")
    notes.append(
        "briefings: included" if world.briefings else "briefings: not available on this build"
    )
    if not world.people or not world.organizations:
        raise SystemExit("No people or organisations to read: load the demo data first.")
    return notes


def markdown(args, world, notes, baseline, load, memory, throttle, fault) -> str:
    lines = [
        f"# Load run {world.run_id}",
        "",
        f"{datetime.datetime.now(datetime.UTC).strftime('%Y-%m-%d %H:%M UTC')}; "
        f"{os.cpu_count()} CPU cores shared by the servers, PostgreSQL, Redis and this client; "
        f"gunicorn on ports {', '.join(map(str, world.ports))} "
        f"({os.environ.get('GUNICORN_WORKERS', '?')} workers × "
        f"{os.environ.get('GUNICORN_THREADS', '?')} threads each). Load average at the end: "
        f"{' / '.join(f'{x:.1f}' for x in os.getloadavg())} (1 / 5 / 15 min).",
        "",
        *[f"- {note}" for note in notes],
        "",
        "## Load",
        "",
        f"{args.clients} clients for {args.duration:.0f} s, each with its own token, alternating "
        f"between the instances, pausing 0–{2 * args.think:.1f} s (mean {args.think:.1f} s) "
        "between requests; timeout "
        f"{TIMEOUT:.0f} s. Baseline: one client alone for {args.baseline:.0f} s, no pause.",
        "",
        "| measure | value |",
        "| --- | --- |",
        f"| requests | {load['requests']} |",
        f"| throughput | {load['throughput']:.1f} req/s |",
        f"| p50 / p95 / p99 / max | {ms(load['p50'])} / {ms(load['p95'])} / {ms(load['p99'])}"
        f" / {ms(load['max'])} |",
        f"| errors | {sum(load['errors'].values())} {dict(load['errors']) or ''} |",
        f"| statuses | {dict(sorted(load['statuses'].items(), key=str))} |",
        f"| single-client median (baseline, {baseline['requests']} requests) | "
        f"{ms(baseline['p50'])} |",
        f"| p95 / single-client median | {load['p95'] / baseline['p50']:.1f}× (goal < 10×) |",
        f"| peak RSS of one worker | {memory.peak_worker / 2**20:.0f} MiB |",
        f"| peak RSS of all workers together | {memory.peak_total / 2**20:.0f} MiB "
        f"({len(memory.workers_seen)} worker processes seen) |",
        f"| throttle counters shared | {throttle} |",
        "",
        "| operation | requests | p50 | p95 | errors |",
        "| --- | --- | --- | --- | --- |",
    ]
    for op, row in load["by_op"].items():
        lines.append(
            f"| {op} | {row['n']} | {ms(row['p50'])} | {ms(row['p95'])} | {row['errors']} |"
        )
    if fault:
        lines += ["", "## Fault: PostgreSQL restarted under load", "", *fault]
    return "\n".join(lines) + "\n"


async def fault_phase(args, world) -> list[str]:
    restart = {}

    async def restart_database():
        await asyncio.sleep(args.fault_at)
        restart["start"] = time.monotonic()
        process = await asyncio.create_subprocess_shell(
            args.restart_cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        _out, err = await process.communicate()
        restart["ready"] = time.monotonic()
        restart["rc"] = process.returncode
        restart["stderr"] = err.decode(errors="replace")[-300:]

    samples, _ = await run_clients(
        world, args.clients, args.fault_duration, args.think, "fault", restart_database
    )
    if restart.get("rc") != 0:
        return [f"The restart command failed ({restart.get('rc')}): {restart.get('stderr')}"]
    start, ready = restart["start"], restart["ready"]
    failures = [s for s in samples if s.status not in OK]
    statuses = Counter(s.status for s in failures)
    last_failure = max((s.started + s.latency for s in failures), default=None)
    first_ok_after = min(
        (s.started for s in samples if s.status in OK and s.started >= ready), default=None
    )
    during = [s for s in samples if start <= s.started <= (last_failure or ready)]
    slowest_failure = max((s.latency for s in failures), default=0.0)
    acknowledged = {subject for subject, phase in world.written.items()}
    rows = rows_written(args.database_url, world.run_id)
    lost = acknowledged - rows
    unacknowledged = rows - acknowledged
    only_503 = set(statuses) <= {503}
    masters_alive = "yes" if all(psutil.pid_exists(pid) for pid in args.pids) else "NO"
    summary = summarize(samples, args.fault_duration)
    lines = [
        f"{args.clients} clients for {args.fault_duration:.0f} s; `{args.restart_cmd}` started "
        f"at {args.fault_at:.0f} s and returned after {ready - start:.1f} s.",
        "",
        "| measure | value |",
        "| --- | --- |",
        f"| requests | {summary['requests']} ({summary['throughput']:.1f} req/s) |",
        f"| failed requests | {len(failures)}: {dict(statuses) or 'none'} |",
        f"| failures were all 503 (no hang, no other status) | {'yes' if only_503 else 'NO'} |",
        f"| slowest failed request | {ms(slowest_failure)} (client timeout {TIMEOUT:.0f} s) |",
        f"| requests started during the outage window | {len(during)} |",
        f"| last failure, after the restart began | "
        f"{(last_failure - start) if last_failure else 0:.1f} s |",
        f"| first success after PostgreSQL was back | "
        f"{(first_ok_after - ready) if first_ok_after else float('nan'):.2f} s later |",
        f"| gunicorn masters still the same processes | {masters_alive} |",
        f"| interactions acknowledged with 201 (all phases) | {len(acknowledged)} |",
        f"| of those, rows found in the database afterwards | {len(acknowledged & rows)} |",
        f"| acknowledged writes lost | {len(lost)} |",
        f"| rows written without a 201 reaching the client | {len(unacknowledged)} |",
    ]
    lines += [
        "",
        "Timeline (seconds from the start of the restart, by when each request was sent):",
        "",
        "| second | ok | 503 | other failures |",
        "| --- | --- | --- | --- |",
    ]
    buckets = defaultdict(Counter)
    for s in samples:
        second = int((s.started - start) // 1)
        kind = "ok" if s.status in OK else "503" if s.status == 503 else "other"
        buckets[second][kind] += 1
    for second in range(-3, int(max(buckets, default=0)) + 1):
        if -3 <= second <= (last_failure - start if last_failure else 0) + 3:
            row = buckets.get(second, Counter())
            lines.append(f"| {second} | {row['ok']} | {row['503']} | {row['other']} |")
    world.fault_ok = only_503 and not lost and first_ok_after is not None
    return lines


async def main(args) -> int:
    keys = json.loads(Path(args.keys).read_text())
    world = World(
        ports=args.ports,
        keys=keys["editors"],
        admin_key=keys["admin"],
        run_id=uuid.uuid4().hex[:8],
    )
    world.feed_token = keys.get("feed")
    notes = await probe(world, keys["admin"])
    print("\n".join(notes), flush=True)

    print(f"baseline: 1 client, {args.baseline:.0f} s ...", flush=True)
    base_samples, _ = await run_clients(world, 1, args.baseline, 0, "baseline")
    baseline = summarize(base_samples, args.baseline)

    print(f"load: {args.clients} clients, {args.duration:.0f} s ...", flush=True)
    memory = MemorySampler(args.pids)
    sampler = asyncio.create_task(memory.run())
    load_samples, _ = await run_clients(world, args.clients, args.duration, args.think, "load")
    memory.running = False
    await sampler
    load = summarize(load_samples, args.duration)

    both = base_samples + load_samples
    sent = Counter(s.client for s in both if s.api)
    # A request the client gave up on (timeout, dropped connection) may or may not have reached
    # the throttle: only users without such failures can be compared exactly.
    unsure = {s.client for s in both if not isinstance(s.status, int)}
    user_ids = dict(enumerate(keys["editor_ids"][: args.clients]))
    counted = throttle_counts(args.redis_url, user_ids)
    exact = [n for n in range(args.clients) if n not in unsure]
    agree = sum(1 for n in exact if counted.get(n) == sent.get(n, 0))
    throttle = (
        f"{agree}/{len(exact)} users whose every request was answered: the Redis count equals "
        f"the requests they sent to both instances ({len(unsure)} users with a timeout or "
        "dropped connection not compared)"
    )

    fault = None
    world.fault_ok = True
    if args.restart_cmd:
        print(f"fault: {args.clients} clients, {args.fault_duration:.0f} s ...", flush=True)
        fault = await fault_phase(args, world)
    else:
        rows = rows_written(args.database_url, world.run_id)
        lost = set(world.written) - rows
        fault = None
        notes.append(f"writes: {len(world.written)} acknowledged, {len(lost)} lost")

    report = markdown(args, world, notes, baseline, load, memory, throttle, fault)
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(report, encoding="utf-8")
    print()
    print(report)
    print(f"(written to {args.output})")
    goals = not load["errors"] and world.fault_ok
    return 0 if goals or not args.strict else 1


def arguments(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ports", type=int, nargs="+", required=True)
    parser.add_argument("--pids", type=int, nargs="+", required=True, help="gunicorn masters")
    parser.add_argument("--keys", required=True, help="JSON from load/setup_data.py")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis-url", required=True)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--baseline", type=float, default=15)
    parser.add_argument("--think", type=float, default=0.5, help="mean pause, seconds")
    parser.add_argument("--restart-cmd", default="", help="restarts PostgreSQL; empty: no fault")
    parser.add_argument("--fault-duration", type=float, default=40)
    parser.add_argument("--fault-at", type=float, default=12)
    parser.add_argument("--output", default="load/results/latest.md")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a goal is missed")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(asyncio.run(main(arguments())))
