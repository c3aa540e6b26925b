"""The Markdown report of one `make bench` run (bench/results/latest.md)."""

from __future__ import annotations

import platform
import re
from datetime import UTC, datetime
from pathlib import Path


def shown(path: str) -> str:
    """The request as printed: a calendar feed's secret token is not published."""
    return re.sub(r"/calendar/[A-Za-z0-9_-]{20,}\.ics", "/calendar/<token>.ics", path)


def _row(result: dict, repeat: int) -> str:
    label = f"{result['group']} {result['name']}"
    if result.get("repeat") not in (None, repeat):
        label += f" ({result['repeat']} runs)"
    if "error" in result:
        return f"| {label} | `{shown(result['path'])}` | error: {result['error']} | | | | | |"
    times = (
        f"| {label} | `{shown(result['path'])}` | {result['median_ms']:.2f} | "
        f"{result['p95_ms']:.2f} | "
    )
    if "ratio" not in result:
        return times + f"— | — | no goal | {result['queries']} |"
    ratio, goal = result["ratio"], result["goal"]
    if goal is None:
        verdict = "no goal"
    else:
        verdict = f"≤ {goal:g}: " + (
            "yes" if ratio <= goal else f"**no** ({ratio / goal:.1f}× over)"
        )
    return times + f"{result['floor_ms']:.2f} | {ratio:.2f} | {verdict} | {result['queries']} |"


def render(reports: list[dict]) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Benchmark results",
        "",
        f"Run {now} on {platform.python_implementation()} {platform.python_version()}, "
        f"{platform.machine()}. How to read it: bench/README.md.",
        "",
    ]
    for report in reports:
        generation = report.get("generation", {})
        asked = generation.get("sizes", {})
        lines += [
            f"## {report['vendor']}",
            "",
            "Rows: "
            + ", ".join(f"{name} {count:,}" for name, count in report["sizes"].items())
            + f". Generated with `generate_synthetic` (people {asked.get('people', '?'):,}, "
            f"organisations {asked.get('organizations', '?'):,}, interactions "
            f"{asked.get('interactions', '?'):,}, events {asked.get('events', 0):,}, "
            f"seed {asked.get('seed', '?')}) in "
            f"{generation.get('generation_seconds', '?')} s "
            f"on {generation.get('generated_on', '?')}.",
            "",
            f"Each operation {report['repeat']} times after a warm-up, interleaved with its floor. "
            f"Trivial authenticated view: {report['trivial_ms']:.2f} ms (median).",
            "",
            "| operation | request | median ms | p95 ms | floor ms | ratio | goal | queries |",
            "| --- | --- | ---: | ---: | ---: | ---: | --- | ---: |",
            *(_row(result, report["repeat"]) for result in report["operations"]),
            "",
        ]
        plan = report.get("search_plan")
        if plan:
            used = "uses" if plan["uses_trigram_index"] else "does **not** use"
            lines += [
                f"People search `q={plan['query']}` (page query, after ANALYZE) {used} the "
                "trigram GIN index:",
                "",
                "```",
                plan["plan"],
                "```",
                "",
            ]
    return "\n".join(lines)


def write_report(reports: list[dict], target: Path) -> None:
    target.write_text(render(reports), encoding="utf-8")
