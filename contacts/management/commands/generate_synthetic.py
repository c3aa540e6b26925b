"""Fill the database with deterministic fictional data at scale: `manage.py generate_synthetic`."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from contacts.synthetic import Sizes, SyntheticError, generate, summary_lines


class Command(BaseCommand):
    help = (
        "Add deterministic synthetic (fictional) people, organisations, positions over time, "
        "and interactions over 20 years with participants, pillars and follow-ups, written with "
        "bulk inserts in one transaction. Same --seed, sizes and --today: same data (run it on "
        "an empty, migrated database). Bulk inserts bypass django-simple-history and the "
        "changes feed: these rows have no history and no Change rows. Loads the reference data "
        "if it is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=1000)
        parser.add_argument("--organizations", type=int, default=100)
        parser.add_argument("--interactions", type=int, default=5000)
        parser.add_argument(
            "--events", type=int, default=0, help="Needs the events app (and its step)."
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="The day the 20 years of history end (ISO date; default today).",
        )
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        sizes = Sizes(
            people=options["people"],
            organizations=options["organizations"],
            interactions=options["interactions"],
            events=options["events"],
        )
        if min(sizes.as_dict().values()) < 0 or options["batch_size"] < 1:
            raise CommandError("Sizes must be 0 or more, and --batch-size at least 1.")
        try:
            result = generate(
                sizes,
                seed=options["seed"],
                today=options["today"],
                batch_size=options["batch_size"],
                progress=None if options["no_progress"] else self.stderr._out,
            )
        except SyntheticError as exc:
            raise CommandError(str(exc)) from exc
        for line in summary_lines(result):
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(f"Synthetic data generated in {result['seconds']:.1f}s.")
        )
