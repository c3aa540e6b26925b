"""`/api/v1/tokens/`: staff list, issue and revoke their own API tokens.

The key is in the answer to the POST that issues it, and never again. DELETE revokes: the token
stays, with its history, for the audit trail. A token cannot issue a token that may do more than
itself: its scopes, and its expiry, bound those of the tokens it issues.
"""

from datetime import timedelta

import django_filters as filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from api.access import viewer_for
from api.models import (
    MAX_EXPIRES_IN_DAYS,
    SCOPES,
    ApiToken,
    default_scopes,
    normalize_scopes,
    within_scopes,
)
from api.parameters import DeclaredParametersMixin
from contacts.filters import BooleanFilter, ParameterErrorsMixin
from crm import dates


def calling_token(request) -> ApiToken | None:
    """The token the request is authenticated with; None for a session."""
    return request.auth if isinstance(request.auth, ApiToken) else None


# ---------------------------------------------------------------------------------------------
# Serializers


class ScopesField(serializers.ListField):
    """A list of scope names, checked together (public-only goes with read alone); each error
    names the scope at fault rather than its position in the list."""

    def __init__(self, **kwargs):
        super().__init__(child=serializers.ChoiceField(choices=SCOPES), **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str) or not isinstance(data, list | tuple):
            self.fail("not_a_list", input_type=type(data).__name__)
        try:
            return normalize_scopes(data)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None


class TokenSerializer(serializers.ModelSerializer):
    scopes = ScopesField(
        required=False,
        help_text=_(
            "read, write, personal-data, public-only (with read alone). Default: read, write. "
            "Issued with a token: within that token's scopes."
        ),
    )
    expires_in_days = serializers.IntegerField(
        write_only=True,
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_EXPIRES_IN_DAYS,
        help_text=_(
            "Days until the token expires; none: it does not. Issued with a token that expires: "
            "required, and at most the days that token has left."
        ),
    )

    class Meta:
        model = ApiToken
        fields = (
            "id",
            "url",
            "name",
            "prefix",
            "scopes",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "expires_in_days",
        )
        read_only_fields = ("prefix", "created_at", "expires_at", "last_used_at", "revoked_at")

    def validate(self, attrs: dict) -> dict:
        now = timezone.now()
        days = attrs.pop("expires_in_days", None)
        attrs["expires_at"] = now + timedelta(days=days) if days else None
        caller = calling_token(self.context["request"])
        if caller is None:
            return attrs
        scopes = attrs.get("scopes") or default_scopes()
        if not within_scopes(scopes, caller.scopes):
            raise serializers.ValidationError(
                {
                    "scopes": [
                        _(
                            "A token can only issue tokens within its own scopes (%(own)s); "
                            "asked for %(asked)s."
                        )
                        % {"own": ", ".join(caller.scopes), "asked": ", ".join(scopes)}
                    ]
                }
            )
        if caller.expires_at is not None and (
            attrs["expires_at"] is None or attrs["expires_at"] > caller.expires_at
        ):
            left = (caller.expires_at - now).days
            raise serializers.ValidationError(
                {
                    "expires_in_days": [
                        _(
                            "A token cannot issue a token that outlives it: this one expires "
                            "at %(expires_at)s, in %(left)s full day(s)."
                        )
                        % {
                            "expires_at": dates.format_datetime(
                                timezone.localtime(caller.expires_at)
                            ),
                            "left": left,
                        }
                    ]
                }
            )
        return attrs

    def create(self, validated_data: dict) -> ApiToken:
        token, key = ApiToken.issue(
            self.context["request"].user,
            name=validated_data.get("name", ""),
            expires_at=validated_data["expires_at"],
            scopes=validated_data.get("scopes"),
        )
        token.key = key  # for IssuedTokenSerializer, this once
        return token


class IssuedTokenSerializer(TokenSerializer):
    key = serializers.CharField(
        read_only=True,
        help_text=_("The key, for `Authorization: Token <key>`: shown this once, never again."),
    )

    class Meta(TokenSerializer.Meta):
        fields = (*TokenSerializer.Meta.fields, "key")


# ---------------------------------------------------------------------------------------------
# Filters and permissions


class TokenFilter(ParameterErrorsMixin, filters.FilterSet):
    usable = BooleanFilter(
        method="filter_usable",
        label="true: neither revoked nor expired; false: revoked or expired.",
    )

    class Meta:
        model = ApiToken
        fields = ("usable",)

    def filter_usable(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        usable = ApiToken.objects.usable().values("pk")
        return queryset.filter(pk__in=usable) if value else queryset.exclude(pk__in=usable)


class OwnTokens(BasePermission):
    """Staff with a role, on their own tokens (the queryset holds no one else's). Called with a
    token: reading needs `read`; issuing and revoking need `write`, except that a token may
    always revoke itself.

    Not the API's default permission: that one is about the contacts domain (roles, record
    actions), while any staff member may manage their own keys.
    """

    message = _("Only staff with a role manage API tokens, with a token that has the scope needed.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        if viewer_for(request).role is None:  # any role may manage its own tokens
            return False
        token = calling_token(request)
        if token is None:
            return True
        if request.method in SAFE_METHODS:
            return token.has_scope("read")
        return view.action == "destroy" or token.has_scope("write")  # destroy: per object

    def has_object_permission(self, request, view, obj) -> bool:
        token = calling_token(request)
        if token is None or request.method in SAFE_METHODS:
            return True
        return obj.pk == token.pk or token.has_scope("write")


# ---------------------------------------------------------------------------------------------
# Views


@extend_schema_view(
    list=extend_schema(summary="Your API tokens, newest first (never their keys)."),
    retrieve=extend_schema(summary="One of your API tokens (never its key)."),
    create=extend_schema(
        summary="Issue a token; the answer holds its key, shown this once.",
        responses={status.HTTP_201_CREATED: IssuedTokenSerializer},
    ),
    destroy=extend_schema(
        summary="Revoke the token: it is kept, revoked, for the audit trail.",
        responses={status.HTTP_204_NO_CONTENT: None},
    ),
)
class TokenViewSet(
    DeclaredParametersMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = TokenSerializer
    filterset_class = TokenFilter
    permission_classes = [OwnTokens]

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # the schema has no user
            return ApiToken.objects.none()
        return ApiToken.objects.filter(user=self.request.user).order_by("-created_at", "-pk")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token = serializer.save()
        data = IssuedTokenSerializer(token, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": data["url"]})

    def perform_destroy(self, instance: ApiToken) -> None:
        instance.revoke(by=self.request.user)
