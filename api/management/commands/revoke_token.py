"""`python manage.py revoke_token PREFIX_OR_KEY`: revoke a token, keeping it for the record."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from api.models import PREFIX_LENGTH, ApiToken, digest


class Command(BaseCommand):
    help = (
        "Revoke the API token with this key, or the one usable token with this prefix (the "
        f"first {PREFIX_LENGTH} characters of the key, as lists show it). The token is kept, "
        "revoked, for the audit trail."
    )

    def add_arguments(self, parser):
        parser.add_argument("token", metavar="PREFIX_OR_KEY")

    def handle(self, *args, token: str, **options):
        value = token.strip().removesuffix("…")  # as lists and the admin show it
        if not value:
            raise CommandError("Give a token's key or prefix.")
        found = ApiToken.objects.select_related("user").filter(digest=digest(value)).first()
        if found is None:
            found = self._by_prefix(value)
        what = self._describe(found)
        if not found.revoke():
            when = timezone.localtime(found.revoked_at)
            self.stdout.write(f"Already revoked on {when:%Y-%m-%d %H:%M %Z}: {what}.")
            return
        self.stdout.write(f"Revoked {what}.")

    def _by_prefix(self, value: str) -> ApiToken:
        if len(value) > PREFIX_LENGTH:  # a key, then, but no token has it: do not echo it
            raise CommandError("No token has this key.")
        matching = ApiToken.objects.filter(prefix=value)
        usable = list(matching.usable().select_related("user")[:2])
        if len(usable) == 1:
            return usable[0]
        if usable:
            count = matching.usable().count()
            raise CommandError(
                f"Prefix {value!r} matches {count} usable tokens: give the full key, or revoke "
                "the right one in the admin."
            )
        if matching.exists():
            raise CommandError(f"No usable token has the prefix {value!r}: revoked or expired.")
        raise CommandError(f"No token has the key or prefix {value!r}.")

    @staticmethod
    def _describe(token: ApiToken) -> str:
        name = f"“{token.name}”" if token.name else "unnamed"
        return f"token {token.prefix}… of {token.user.get_username()} ({name})"
