"""Load the fictional demo data (fixtures/demo/*.toml): `manage.py load_demo`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from contacts.demo import DemoDataError, default_directory, load_demo


class Command(BaseCommand):
    help = (
        "Upsert fictional demo people, organisations, interactions, follow-ups and agreements "
        "(dates relative to today). Needs `load_reference` first. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory",
            type=Path,
            default=None,
            help=f"Folder holding the demo TOML files (default: {default_directory()}).",
        )

    def handle(self, *args, directory: Path | None, **options):
        try:
            counts = load_demo(directory=directory)
        except DemoDataError as exc:
            raise CommandError(str(exc)) from exc
        created, changed = counts.pop("created"), counts.pop("changed")
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count}")
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded: {created} rows created, {changed} changed.")
        )
