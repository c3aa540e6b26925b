"""`python manage.py issue_token USERNAME`: print a new API key, once."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from api.models import ApiToken


class Command(BaseCommand):
    help = "Issue an API token for USERNAME and print its key (shown only this once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for.")
        parser.add_argument("--expires-in", type=int, metavar="DAYS", help="Expire after DAYS.")

    def handle(self, *args, username: str, name: str, expires_in: int | None, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if expires_in is not None and expires_in <= 0:
            raise CommandError("--expires-in takes a positive number of days.")
        expires_at = timezone.now() + timedelta(days=expires_in) if expires_in else None
        _token, key = ApiToken.issue(user, name=name, expires_at=expires_at)
        self.stdout.write(key)
