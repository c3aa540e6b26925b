"""`manage.py load_reference`: load the reference fixtures (countries, units, provinces)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from contacts.reference import ReferenceDataError, default_directory, load_reference


class Command(BaseCommand):
    help = (
        "Upsert the reference data from fixtures/reference/*.toml by natural key. Safe to run "
        "again: reference fields are restored, nothing is duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory",
            type=Path,
            default=None,
            help=f"Folder holding the TOML fixtures (default: {default_directory()}).",
        )

    def handle(self, *args, directory: Path | None, **options):
        try:
            counts = load_reference(directory)
        except ReferenceDataError as exc:
            raise CommandError(str(exc)) from exc
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count}")
        self.stdout.write(
            self.style.SUCCESS(f"Reference data loaded ({sum(counts.values())} rows).")
        )
