"""`python -m bench` (`make bench`): prepare the benchmark databases, time, write the report.

For each database (SQLite file `bench/data/bench.sqlite3`, PostgreSQL database `crm_bench`):
if it was not generated with the sizes asked for, recreate it, migrate, and fill it with
`generate_synthetic`; then time the operations in a fresh process (`bench.measure`) and write
`bench/results/latest.md`. Sizes come from the environment (see bench/README.md).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.report import write_report

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "results"
PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432")
PG_NAME = os.environ.get("BENCH_PG_DB", "crm_bench")


def requested_sizes() -> dict[str, int]:
    return {
        "people": int(os.environ.get("BENCH_PEOPLE", 50_000)),
        "organizations": int(os.environ.get("BENCH_ORGANIZATIONS", 5_000)),
        "interactions": int(os.environ.get("BENCH_INTERACTIONS", 100_000)),
        "events": int(os.environ.get("BENCH_EVENTS", 10_000)),
        "seed": int(os.environ.get("BENCH_SEED", 1)),
    }


def database_url(vendor: str) -> str:
    if vendor == "sqlite":
        return f"sqlite:///{DATA / 'bench.sqlite3'}"
    return f"{PG_URL}/{PG_NAME}"


def environment(vendor: str) -> dict[str, str]:
    """Production settings (DEBUG off), plain http, no throttling, the benchmark database."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url(vendor),
        SECRET_KEY=env.get("SECRET_KEY", "bench-only-not-a-secret"),
        SECURE_SSL_REDIRECT="0",
        ALLOWED_HOSTS="testserver",
        API_THROTTLE_USER="1000000000/hour",
        DJANGO_SETTINGS_MODULE="crm.settings",
    )
    env.pop("DEBUG", None)
    env.pop("REDIS_URL", None)
    return env


def run(command: list[str], env: dict[str, str]) -> None:
    print("$", " ".join(command), file=sys.stderr)
    subprocess.run(command, env=env, cwd=ROOT, check=True)  # noqa: S603


def recreate(vendor: str) -> None:
    if vendor == "sqlite":
        (DATA / "bench.sqlite3").unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{PG_NAME}"')
        connection.execute(f'CREATE DATABASE "{PG_NAME}"')


def postgres_available() -> bool:
    try:
        import psycopg

        psycopg.connect(f"{PG_URL}/postgres", connect_timeout=3).close()
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False
    return True


def prepare(vendor: str, sizes: dict[str, int], regenerate: bool) -> dict:
    """The database's generation record, generating it first if needed."""
    DATA.mkdir(exist_ok=True)
    stamp = DATA / f"{vendor}.json"
    if stamp.exists() and not regenerate:
        record = json.loads(stamp.read_text())
        if record["sizes"] == sizes:
            return record
    stamp.unlink(missing_ok=True)
    env = environment(vendor)
    recreate(vendor)
    python = sys.executable
    run([python, "manage.py", "migrate", "--noinput", "-v0"], env)
    started = time.monotonic()
    run(
        [
            python,
            "manage.py",
            "generate_synthetic",
            f"--people={sizes['people']}",
            f"--organizations={sizes['organizations']}",
            f"--interactions={sizes['interactions']}",
            f"--events={sizes['events']}",
            f"--seed={sizes['seed']}",
        ],
        env,
    )
    record = {
        "sizes": sizes,
        "generation_seconds": round(time.monotonic() - started, 1),
        "generated_on": datetime.date.today().isoformat(),  # noqa: DTZ011 - a label only
    }
    stamp.write_text(json.dumps(record))
    return record


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--databases", default=os.environ.get("BENCH_DATABASES", "sqlite,postgresql")
    )
    parser.add_argument("--regenerate", action="store_true", help="Rebuild the databases.")
    parser.add_argument("--only", default="", help="Only operations whose name contains this.")
    args = parser.parse_args(argv)
    sizes = requested_sizes()
    reports = []
    for vendor in [name.strip() for name in args.databases.split(",") if name.strip()]:
        if vendor == "postgresql" and not postgres_available():
            print(f"*** PostgreSQL not reachable at {PG_URL}: skipped. ***", file=sys.stderr)
            continue
        record = prepare(vendor, sizes, args.regenerate)
        out = DATA / f"{vendor}-figures.json"
        command = [sys.executable, "-m", "bench.measure", f"--out={out}"]
        if args.only:
            command.append(f"--only={args.only}")
        run(command, environment(vendor))
        report = json.loads(out.read_text())
        report["generation"] = record
        reports.append(report)
    RESULTS.mkdir(exist_ok=True)
    target = RESULTS / "latest.md"
    write_report(reports, target)
    print(f"Report written to {target.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
