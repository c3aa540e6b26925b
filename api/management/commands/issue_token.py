"""`python manage.py issue_token USERNAME`: print a new API key, once."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from api.models import DEFAULT_SCOPES, MAX_EXPIRES_IN_DAYS, SCOPES, ApiToken


class Command(BaseCommand):
    help = (
        "Issue an API token for USERNAME and print its key (shown only this once). "
        f"Scopes: {', '.join(SCOPES)}; public-only can only be combined with read."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for.")
        parser.add_argument("--expires-in", type=int, metavar="DAYS", help="Expire after DAYS.")
        parser.add_argument(
            "--scopes",
            default=",".join(DEFAULT_SCOPES),
            metavar="SCOPE,…",
            help=f"Comma-separated (default: {','.join(DEFAULT_SCOPES)}); "
            "personal-data only when asked for.",
        )

    def handle(
        self,
        *args,
        username: str,
        name: str,
        expires_in: int | None,
        scopes: str,
        **options,
    ):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if expires_in is not None and expires_in <= 0:
            raise CommandError("--expires-in takes a positive number of days.")
        if expires_in is not None and expires_in > MAX_EXPIRES_IN_DAYS:
            raise CommandError(f"--expires-in takes at most {MAX_EXPIRES_IN_DAYS} days.")
        expires_at = timezone.now() + timedelta(days=expires_in) if expires_in else None
        names = [scope.strip() for scope in scopes.split(",") if scope.strip()]
        try:
            token, key = ApiToken.issue(user, name=name, expires_at=expires_at, scopes=names)
        except ValidationError as error:
            raise CommandError(f"--scopes: {' '.join(error.messages)}") from None
        self.stdout.write(key)  # alone on stdout, for scripts
        expiry = f"expires {token.expires_at:%Y-%m-%d %H:%M %Z}" if expires_at else "no expiry"
        self.stderr.write(
            f"Token {token.prefix}… for {user.get_username()}: scopes {', '.join(token.scopes)}; "
            f"{expiry}. The key is shown only this once."
        )
