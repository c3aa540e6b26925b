"""Third-party admin pages in the staff's language: django-axes' and the accounts' role names.

django-axes ships no Vietnamese and leaves its app name, two columns and its rows' titles
untranslatable (a label from the app's module name, columns without a description, English
f-strings in `__str__`); our catalogue
(locale/vi/LC_MESSAGES/django.po) translates its verbose names, and this names the rest
through gettext. The four groups are the roles: their names stay the codes the code checks,
and the admin shows them by their translated label. Called from `crm.apps.CrmConfig.ready`,
after the admin is discovered.
"""

from django.apps import apps
from django.contrib import admin
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from crm.access import ROLE_LABELS


def localise() -> None:
    """Give axes' app and its untitled admin columns translatable names (and its lists an
    order), and show groups (the roles) by their labels."""
    localise_roles()
    if not apps.is_installed("axes"):
        return
    apps.get_app_config("axes").verbose_name = _("Login protection")
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    AccessAttempt.__str__ = _attempt_str
    AccessLog.__str__ = _log_str
    AccessFailureLog.__str__ = _failure_str
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model_admin = admin.site._registry.get(model)
        if model_admin is not None and not model_admin.ordering:
            # Newest first, and a stable order for pages and autocompletes.
            model_admin.ordering = ("-attempt_time", "-pk")
    attempt_admin = admin.site._registry.get(AccessAttempt)
    if attempt_admin is None:  # AXES_ENABLE_ADMIN off
        return
    cls = type(attempt_admin)
    if hasattr(cls, "cleanup_expired_attempts"):
        cls.cleanup_expired_attempts = _cleanup_expired_attempts  # its message is an f-string
    for name, label in (("status", _("status")), ("expiration", _("expires at"))):
        method = getattr(cls, name, None)
        if method is not None:
            method.short_description = label


@admin.action(description=_("Clean up expired attempts"))
def _cleanup_expired_attempts(model_admin, request, queryset) -> None:
    """axes' own action, with a message that can be translated. axes reads the time of a login
    attempt from the request, which only its login handlers set: none here (its own action
    answered 500), so the cool-off is counted back from now."""
    request.axes_attempt_time = getattr(request, "axes_attempt_time", None)
    count = model_admin.handler.clean_expired_user_attempts(request=request)
    model_admin.message_user(
        request,
        ngettext(
            "Cleaned up %(count)d expired access attempt.",
            "Cleaned up %(count)d expired access attempts.",
            count,
        )
        % {"count": count},
    )


def _when(value) -> str:
    return formats.date_format(timezone.localtime(value), "d/m/Y H:i:s") if value else ""


# axes' own __str__ are English f-strings: titles, breadcrumbs and autocompletes show them.
def _attempt_str(self) -> str:
    return gettext("Failed logins of %(username)s, last at %(time)s") % {
        "username": self.username,
        "time": _when(self.attempt_time),
    }


def _log_str(self) -> str:
    return gettext("Login of %(username)s at %(time)s") % {
        "username": self.username,
        "time": _when(self.attempt_time),
    }


def _failure_str(self) -> str:
    text = gettext("Failed login of %(username)s at %(time)s from %(ip)s") % {
        "username": self.username,
        "time": _when(self.attempt_time),
        "ip": self.ip_address,
    }
    return f"{text} ({gettext('locked out')})" if self.locked_out else text


def role_label(group) -> str:
    """A group as staff read it: a role's label ("Người xem"), another group's name."""
    return str(ROLE_LABELS.get(group.name, group.name))


def localise_roles() -> None:
    from django.contrib.auth.admin import GroupAdmin, UserAdmin
    from django.contrib.auth.models import Group

    group_admin = admin.site._registry.get(Group)
    if isinstance(group_admin, GroupAdmin) and "role" not in group_admin.list_display:
        group_admin.list_display = ("role", "name")
        type(group_admin).role = admin.display(description=_("role"), ordering="name")(
            lambda self, group: role_label(group)
        )
    user_admin = next((a for a in admin.site._registry.values() if isinstance(a, UserAdmin)), None)
    if user_admin is not None:
        original = type(user_admin).formfield_for_manytomany

        def formfield_for_manytomany(self, db_field, request, **kwargs):
            field = original(self, db_field, request, **kwargs)
            if db_field.name == "groups" and field is not None:
                field.label_from_instance = role_label
            return field

        type(user_admin).formfield_for_manytomany = formfield_for_manytomany
