"""`manage.py briefing`: the same bytes as the API, with explicit permissions."""

import io

import docx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_writes_a_docx_for_an_organization(world, admin, today, tmp_path):
    target = tmp_path / "prey-veng.docx"
    call_command(
        "briefing", "organization", str(world.org.pk), "--format", "docx",
        "-o", str(target), "--user", admin.username, "--lang", "en",
    )  # fmt: skip
    document = docx.Document(str(target))
    assert document.paragraphs[0].text == ("Organisation briefing: Prey Veng Province (ខេត្តព្រៃវែង)")
    text = "\n".join(cell.text for t in document.tables for r in t.rows for cell in r.cells)
    assert "ខេត្តព្រៃវែង" in text and "19/11/2026" in text


def test_a_directory_gets_the_usual_file_name(world, admin, today, tmp_path):
    call_command(
        "briefing", "country", "kh", "--format", "md", "-o", f"{tmp_path}/",
        "--user", admin.username,
    )  # fmt: skip
    assert [p.name for p in tmp_path.iterdir()] == ["briefing-country-kh-cambodia-2026-11-26.md"]


@pytest.mark.parametrize("spelling", ["out/", "out/nested/", "out"])
def test_a_missing_folder_is_made(world, admin, today, tmp_path, monkeypatch, spelling):
    """`-o out/` as the README writes it, on a fresh clone where `out/` does not exist."""
    monkeypatch.chdir(tmp_path)
    if spelling == "out":
        (tmp_path / "out").mkdir()  # an existing folder, named without its slash
    call_command(
        "briefing", "organization", str(world.org.pk), "--format", "docx", "-o", spelling,
        "--user", admin.username,
    )  # fmt: skip
    written = list((tmp_path / spelling).iterdir())
    assert [p.suffix for p in written] == [".docx"]
    assert written[0].name.startswith(f"briefing-organization-{world.org.pk}-")


def test_the_command_shows_what_the_user_sees(world, today, capsys):
    viewer = UserFactory(role="viewer")
    call_command(
        "briefing", "person", str(world.governor.pk), "--user", viewer.username,
        "--no-personal-data", stdout=io.StringIO(),
    )  # fmt: skip
    out = capsys.readouterr().out
    assert "Sok Chanthy" in out and "+855" not in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["organization", "1"], "the following arguments are required: --user"),
        (["organization", "1", "--user", "nobody"], "No user 'nobody'"),
        (["organization", "x", "--user", "{admin}"], "numeric id"),
        (["organization", "999999", "--user", "{admin}"], "No organization 999999"),
        (["organization", "1", "--user", "{admin}", "--format", "docx"], "needs -o"),
        (["organization", "1", "--user", "{admin}", "--limit", "5000"], "--limit"),
    ],
)
def test_errors(world, admin, args, message):
    args = [a.format(admin=admin.username) for a in args]
    if args[1] == "1":
        args[1] = str(world.org.pk)
    with pytest.raises(CommandError, match=message):
        call_command("briefing", *args)
