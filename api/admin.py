"""API tokens in the admin: review and revoke. Tokens are issued by `issue_token` or the API,
which show the key once; the admin never sees a key, so it issues none."""

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from api.models import SCOPES, ApiToken
from crm.access import as_viewer
from crm.admin import TrackedAdmin

# The scopes' names as staff read them (the codes stay what the API takes).
SCOPE_LABELS = {
    "read": _("read"),
    "write": _("write"),
    "personal-data": _("personal data"),
    "public-only": _("public records only"),
}


def scope_choices() -> list[tuple[str, str]]:
    return [(scope, SCOPE_LABELS.get(scope, scope)) for scope in SCOPES]


class ApiTokenForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("scopes"),
        choices=scope_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("public-only can only be combined with read."),
    )

    class Meta:
        model = ApiToken
        fields = ("name", "scopes", "expires_at")


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("usable", _("usable")), ("expired", _("expired")), ("revoked", _("revoked"))]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        now = timezone.now()
        if self.value() == "usable":
            return queryset.usable()
        if self.value() == "expired":
            return queryset.filter(revoked_at__isnull=True, expires_at__lte=now)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


class ScopeFilter(admin.SimpleListFilter):
    """Tokens carrying a scope. Matched in Python: JSON containment is not portable to SQLite,
    and tokens are few."""

    title = _("scope")
    parameter_name = "scope"

    def lookups(self, request, model_admin):
        return scope_choices()

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        scope = self.value()
        if scope not in SCOPES:
            return queryset
        rows = queryset.values_list("pk", "scopes")
        return queryset.filter(pk__in=[pk for pk, scopes in rows if scope in (scopes or [])])


@admin.register(ApiToken)
class ApiTokenAdmin(TrackedAdmin):
    """Through the one gate: staff see (and revoke) their own tokens, administrators all."""

    form = ApiTokenForm
    list_display = (
        "prefix",
        "user",
        "name",
        "scope_list",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    list_filter = (StatusFilter, ScopeFilter, "created_at", "last_used_at")
    list_select_related = ("user",)
    search_fields = ("prefix", "name", "user__username")
    fields = (
        "user",
        "name",
        "scopes",
        "expires_at",
        "prefix",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    readonly_fields = ("user", "prefix", "created_at", "last_used_at", "revoked_at")
    actions = ("revoke_selected",)

    def has_add_permission(self, request) -> bool:
        return False  # a key is shown once, by `issue_token` or POST /api/v1/tokens/

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if obj is not None and obj.revoked_at is not None:  # a revoked token is final
            return (*readonly, "name", "scope_list", "expires_at")
        if not as_viewer(request.user).is_administrator:  # staff revoke their own, no more
            return (*readonly, "name", "scope_list", "expires_at")
        return readonly

    def get_fields(self, request, obj=None):
        """Scopes shown read-only are shown by their names, not as the stored codes."""
        fields = super().get_fields(request, obj)
        if "scope_list" in self.get_readonly_fields(request, obj):
            return tuple("scope_list" if name == "scopes" else name for name in fields)
        return fields

    @admin.display(description=_("scopes"))
    def scope_list(self, obj: ApiToken) -> str:
        return ", ".join(str(SCOPE_LABELS.get(scope, scope)) for scope in obj.scopes)

    @admin.action(description=_("Revoke selected tokens"), permissions=["change"])
    def revoke_selected(self, request, queryset: QuerySet) -> None:
        revoked = sum(
            token.revoke(by=request.user)
            for token in queryset.filter(revoked_at__isnull=True).select_related("user")
        )
        self.message_user(
            request,
            ngettext("Revoked %(count)d token.", "Revoked %(count)d tokens.", revoked)
            % {"count": revoked},
        )
