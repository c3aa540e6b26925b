"""API tokens: shown once, stored as a SHA-256 digest with a short prefix to recognise them.

Each token carries scopes: what a client holding it may do, within what its user may do.
"""

import hashlib
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from crm.models import VisibleQuerySet

PREFIX_LENGTH = 8

# `read` and `write` the records the user may see; `personal-data` their contact points and
# other personal details; `public-only` narrows reading to what is public.
SCOPES = ("read", "write", "personal-data", "public-only")
DEFAULT_SCOPES = ("read", "write")  # personal data only when asked for
# Scopes that take away rather than grant: a token issued by another must keep them.
RESTRICTING_SCOPES = frozenset({"public-only"})
# Scopes public-only cannot be combined with: it is for reading public records.
NOT_PUBLIC_ONLY = ("write", "personal-data")
# Longest lifetime asked for in days (--expires-in, `expires_in_days`): ten years.
MAX_EXPIRES_IN_DAYS = 3650


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def default_scopes() -> list[str]:
    return list(DEFAULT_SCOPES)


def normalize_scopes(scopes: Iterable[str]) -> list[str]:
    """The scopes checked, without repeats, in the order of SCOPES; ValidationError if wrong."""
    if isinstance(scopes, str) or not isinstance(scopes, list | tuple | set | frozenset):
        raise ValidationError(_("Scopes are a list of names."), code="invalid")
    unknown = [repr(s) for s in scopes if not isinstance(s, str) or s not in SCOPES]
    if unknown:
        raise ValidationError(
            _("Unknown scope %(unknown)s; the scopes are: %(scopes)s.")
            % {"unknown": ", ".join(unknown), "scopes": ", ".join(SCOPES)},
            code="unknown_scope",
        )
    if not scopes:
        raise ValidationError(_("Give at least one scope."), code="no_scope")
    chosen = [scope for scope in SCOPES if scope in scopes]
    conflicting = [scope for scope in NOT_PUBLIC_ONLY if scope in chosen]
    if "public-only" in chosen and conflicting:
        raise ValidationError(
            _("public-only can only be combined with read, not with %(conflicting)s.")
            % {"conflicting": ", ".join(conflicting)},
            code="public_only",
        )
    return chosen


def validate_scopes(value) -> None:
    normalize_scopes(value)


def within_scopes(scopes: Iterable[str], granted: Iterable[str]) -> bool:
    """Whether a token with `scopes` may do no more than one with `granted`: it grants nothing
    `granted` does not, and keeps every restriction (public-only) of `granted`."""
    scopes, granted = set(scopes), set(granted)
    grants = scopes - RESTRICTING_SCOPES
    return grants <= granted and (granted & RESTRICTING_SCOPES) <= scopes


def new_key() -> str:
    """256 random bits, URL-safe. Never starting with "-", which a shell command line would
    take for an option (`revoke_token -abc…`)."""
    while (key := secrets.token_urlsafe(32)).startswith("-"):
        pass
    return key


class ApiTokenQuerySet(VisibleQuerySet):
    def restrict(self, viewer) -> "ApiTokenQuerySet":
        """A token is its user's: administrators see every token (to revoke them), others
        their own."""
        if viewer.is_administrator:
            return self
        if viewer.public_only or viewer.user is None:
            return self.none()
        return self.filter(user=viewer.user)

    def usable(self) -> "ApiTokenQuerySet":
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A key for `Authorization: Token <key>`. The key itself is never stored.

    The key is 256 random bits; its first characters (the prefix) identify it in lists and
    in `revoke_token`, the digest authenticates it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, db_index=True, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    scopes = models.JSONField(
        _("scopes"),
        default=default_scopes,
        validators=[validate_scopes],
        help_text=_("What the token allows: read, write, personal-data, public-only."),
    )

    objects = ApiTokenQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    def save(self, *args, **kwargs) -> None:
        self.scopes = normalize_scopes(self.scopes)
        super().save(*args, **kwargs)

    @classmethod
    def issue(
        cls, user, *, name: str = "", expires_at=None, scopes: Iterable[str] | None = None
    ) -> tuple["ApiToken", str]:
        """Create a token for `user`; returns it with the key, which is shown this once.

        `scopes` defaults to read and write; ValidationError if they are not valid together.
        """
        scopes = normalize_scopes(default_scopes() if scopes is None else scopes)
        key = new_key()
        token = cls.objects.create(
            user=user,
            name=name,
            prefix=key[:PREFIX_LENGTH],
            digest=digest(key),
            expires_at=expires_at,
            scopes=scopes,
        )
        return token, key

    def has_scope(self, name: str) -> bool:
        """Whether the token carries scope `name`; a name not in SCOPES is a ValueError (a typo
        must not quietly read as "not granted" or be mistaken for a restriction)."""
        if name not in SCOPES:
            raise ValueError(f"Unknown scope {name!r}; the scopes are: {', '.join(SCOPES)}.")
        return name in self.scopes

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and (
            self.expires_at is None or self.expires_at > timezone.now()
        )

    def revoke(self, *, by=None) -> bool:
        """Revoke the token (kept, with its history, for the audit trail); `by` is the user
        recorded in the history. False if it was already revoked."""
        if self.revoked_at is not None:
            return False
        self.revoked_at = timezone.now()
        if by is not None:
            self._history_user = by
        self.save(update_fields=["revoked_at"])
        return True

    @classmethod
    def authenticate(cls, key: str) -> "ApiToken | None":
        return cls.objects.usable().select_related("user").filter(digest=digest(key)).first()
