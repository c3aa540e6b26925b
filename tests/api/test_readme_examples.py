"""The README's API examples work as written, on the demo data `make run` loads: the token
its `issue_token` line makes, then every `curl` of the block, sent through the test client.
Example 2 once failed with the README's own token (no personal-data scope) and example 4
read the history of an organisation that has none."""

import io
import json
import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from contacts.models import Organization, Person

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"


def api_block() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Using the API", 1)[1]
    return section.split("```sh", 1)[1].split("```", 1)[0]


def commands(block: str) -> list[str]:
    """Shell commands of the block: continuation lines joined, quoted text kept whole across
    lines, comment lines dropped."""
    joined = re.sub(r"\\\n\s*", " ", block)
    found, pending = [], ""
    for line in joined.splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        pending = f"{pending}\n{line}" if pending else line.strip()
        try:
            shlex.split(pending)
        except ValueError:  # a quotation still open: the command goes on
            continue
        found.append(pending)
        pending = ""
    assert not pending, pending
    return found


def curl_request(command: str, key: str) -> dict:
    words = shlex.split(command.replace("$KEY", key))
    assert words[0] == "curl"
    request = {"method": "GET", "headers": {}, "body": None}
    rest = iter(words[1:])
    for word in rest:
        if word == "-H":
            name, value = next(rest).split(":", 1)
            request["headers"][name.strip()] = value.strip()
        elif word == "-X":
            request["method"] = next(rest)
        elif word == "-d":
            request["body"] = next(rest)
        else:
            request["url"] = word
    return request


def fresh_ids(path: str) -> str:
    """The README's ids are those of a fresh database (`make run` on a new clone): the nth
    row loaded. Here the sequences may have moved on (PostgreSQL does not roll them back), so
    `organizations/14/` is read as the 14th organisation loaded."""

    def nth(match: re.Match) -> str:
        model = {"organizations": Organization, "people": Person}[match[1]]
        row = model.objects.order_by("pk")[int(match[2]) - 1]
        return f"/{match[1]}/{row.pk}/"

    return re.sub(r"/(organizations|people)/(\d+)/", nth, path)


@pytest.fixture
def demo() -> None:
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    call_command("load_reference", **quiet)
    call_command("load_demo", **quiet)
    call_command("ensure_demo_login", "demo", password="demo-ngoai-vu-2026", **quiet)


def test_the_readme_api_examples_work_as_written(demo):
    lines = commands(api_block())
    token_line = next(line for line in lines if "issue_token" in line)
    args = shlex.split(re.search(r"manage\.py (issue_token[^)]*)\)", token_line)[1])
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    key = out.getvalue().strip()
    client = APIClient()
    answers = []
    for line in lines:
        if not line.startswith("curl"):
            continue
        request = curl_request(line, key)
        url = urlsplit(request["url"])._replace(path=fresh_ids(urlsplit(request["url"]).path))
        headers = {
            "HTTP_" + name.upper().replace("-", "_"): value
            for name, value in request["headers"].items()
            if name != "Content-Type"
        }
        response = client.generic(
            request["method"],
            f"{url.path}?{url.query}" if url.query else url.path,
            data=request["body"] or "",
            content_type=request["headers"].get("Content-Type", "application/octet-stream"),
            **headers,
        )
        assert response.status_code < 400, (line, response.content[:500])
        answers.append(json.loads(response.content))
    assert len(answers) == 4
    found, created, organizations, history = answers
    assert found["count"] >= 1
    # What the README promises the POST answers.
    phones = {point["value"]: point["display_value"] for point in created["contact_points"]}
    assert phones["+85512345678"] == "+855 12 345 678"
    assert organizations["count"] >= 1
    assert history["count"] > 0 and history["summary"]["last_contact"]
    assert "Prey Veng" in Organization.objects.order_by("pk")[13].name_en  # as the README says
