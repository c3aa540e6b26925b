"""`Authorization: Token <key>` against hashed ApiToken rows."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header

from api.models import ApiToken

# last_used_at is written at most this often per token: a busy client costs no write a request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class HashedTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        """DRF's, except that another scheme (`Bearer …`, as many clients default to) is a
        401 saying which scheme to use, instead of being ignored as if nothing was sent."""
        header = get_authorization_header(request).split()
        if header and header[0].lower() != self.keyword.lower().encode():
            raise exceptions.AuthenticationFailed(
                _(
                    "Use the Token scheme: Authorization: Token <key> "
                    "(the %(scheme)s scheme is not accepted)."
                )
                % {"scheme": header[0].decode("latin-1")[:20]}
            )
        return super().authenticate(request)

    def authenticate_credentials(self, key: str):
        token = ApiToken.authenticate(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
