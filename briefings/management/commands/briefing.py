"""`manage.py briefing organization|person|country|event ID --user USERNAME [options]`.

Writes the same file the API serves. Whose permissions apply is never implied: `--user` is
required, and the briefing shows what that user sees in a session (personal data included,
unless `--no-personal-data`). A user without a role gets an error, not an empty document.
"""

import datetime
import os
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from briefings.compute import DEFAULT_LIMIT, KINDS, LANGUAGES, MAX_LIMIT, Options, briefing
from briefings.render import FORMATS, filename, render
from crm.access import PERSONAL_DATA, READ, WRITE, Viewer


def date_argument(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Use a date as YYYY-MM-DD (got {value!r}).") from None


class Command(BaseCommand):
    help = "Write the briefing of an organisation, a person, a country or an event (a visit)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("key", help="The id (a country's ISO code, e.g. KH).")
        parser.add_argument("--format", dest="fmt", choices=FORMATS, default="json")
        parser.add_argument(
            "-o",
            "--output",
            help="File to write; a directory ending in / gets the usual file name; "
            "default: standard output (not for docx).",
        )
        parser.add_argument(
            "--user", required=True, help="Whose permissions apply (username); required."
        )
        parser.add_argument(
            "--no-personal-data",
            action="store_true",
            help="Leave personal data out, as for a token without the personal-data scope.",
        )
        parser.add_argument("--lang", choices=LANGUAGES, default="vi")
        parser.add_argument("--since", type=date_argument)
        parser.add_argument("--until", type=date_argument)
        parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT)
        parser.add_argument("--today", type=date_argument, help="Compute as on this day.")

    def handle(self, *args, kind, key, fmt, output, user, no_personal_data, **options):
        User = get_user_model()
        try:
            account = User.objects.get(**{User.USERNAME_FIELD: user})
        except User.DoesNotExist:
            raise CommandError(f"No user {user!r}.") from None
        scopes = {READ, WRITE} if no_personal_data else {READ, WRITE, PERSONAL_DATA}
        viewer = Viewer.of(account, scopes=scopes)
        if not viewer.can_read:
            raise CommandError(
                f"User {user!r} has no role (or is inactive): they may read nothing."
            )
        if not 0 <= options["limit"] <= MAX_LIMIT:
            raise CommandError(f"--limit must be from 0 to {MAX_LIMIT} (got {options['limit']}).")
        if options["since"] and options["until"] and options["since"] > options["until"]:
            raise CommandError("--since is after --until.")
        if kind != "country":
            if not key.isdigit():
                raise CommandError(f"A {kind} is given by its numeric id (got {key!r}).")
            key = int(key)
        chosen = Options(
            since=options["since"],
            until=options["until"],
            limit=options["limit"],
            lang=options["lang"],
            today=options["today"],
        )
        data = briefing(kind, key, viewer, chosen)
        if data is None:
            raise CommandError(f"No {kind} {key!r} that {user!r} may see.")
        content = render(data, fmt)
        if output is None:
            if fmt == "docx":
                raise CommandError("A DOCX file needs -o FILE.")
            sys.stdout.buffer.write(content)
            return
        target = Path(output)
        if output.endswith(("/", os.sep)) or target.is_dir():
            target = target / filename(data, fmt)  # a folder: the usual file name in it
        target.parent.mkdir(parents=True, exist_ok=True)  # `-o out/` makes `out/`
        output = str(target)
        with open(output, "wb") as handle:
            handle.write(content)
        self.stderr.write(f"Wrote {output} ({len(content)} bytes).")
