"""The roles' admin permissions, defined once: which actions on which models per role.

The table matches what the API allows (api/access.py `ACTION_ROLES`, api/calendar.py
`FeedPermission`, api/tokens.py `OwnTokens`): viewers read, editors also add and change the
domain's records, managers also delete (in the admin, deleting an archivable row archives it:
`crm.admin.TrackedAdmin` decides that by the archive rule), administrators do everything
(purging is theirs alone, by the same admin rule). Which rows a permission reaches is decided
by the one gate (`visible_to`), not here: feeds and tokens are each user's own.

The groups are kept in step with this table on every `migrate` (`sync_role_groups`, a
`post_migrate` handler), so a model added later is covered as soon as it has an entry; a model
of our apps without an entry gets its app's default and fails tests/crm/test_roles.py.
"""

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS

from crm.access import ADMINISTRATOR, EDITOR, MANAGER, ROLES, VIEWER

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
ALL = (VIEW, ADD, CHANGE, DELETE)

# A policy: the actions each role holds on a model.
Policy = dict[str, tuple[str, ...]]

# Records the domain's staff keep: read by all, written by editors, deleted (archived) by
# managers, as the API's DELETE/restore need a manager and purge an administrator.
RECORDS: Policy = {
    VIEWER: (VIEW,),
    EDITOR: (VIEW, ADD, CHANGE),
    MANAGER: (VIEW, ADD, CHANGE, DELETE),
    ADMINISTRATOR: ALL,
}
# Reference data (countries, units, ASEAN pillars): read-only in the API, kept by
# administrators in the admin.
REFERENCE: Policy = {VIEWER: (VIEW,), EDITOR: (VIEW,), MANAGER: (VIEW,), ADMINISTRATOR: ALL}
# Fixed by a migration (the ASEAN pillars): listed, never edited.
FIXED: Policy = {role: (VIEW,) for role in ROLES}
# Each user's own rows (the gate shows nobody another's): every role keeps its own.
OWN: Policy = {role: ALL for role in ROLES}
# API tokens: every role reviews and revokes its own (revoking is a change; names, scopes and
# expiry are the administrators' to edit, see api/admin.py); issued by the API only.
TOKENS: Policy = {VIEWER: (VIEW, CHANGE), EDITOR: (VIEW, CHANGE), MANAGER: (VIEW, CHANGE)} | {
    ADMINISTRATOR: (VIEW, CHANGE, DELETE)
}
# Login records (django-axes): administrators review them and unlock accounts by deleting.
LOGIN_RECORDS: Policy = {ADMINISTRATOR: (VIEW, DELETE)}
# No role: superusers only (accounts and groups, whose editing would hand out roles), or
# nobody through the admin at all (bookkeeping the admin does not show).
NOBODY: Policy = {}

# Every model of our apps, by "app_label.model_name".
MODELS: dict[str, Policy] = {
    "contacts.country": REFERENCE,
    "contacts.unit": REFERENCE,
    "contacts.pillartag": FIXED,
    "contacts.tag": RECORDS,
    "contacts.organization": RECORDS,
    "contacts.person": RECORDS,
    "contacts.position": RECORDS,
    "contacts.contactpoint": RECORDS,
    "contacts.interaction": RECORDS,
    "contacts.participant": RECORDS,
    "contacts.followup": RECORDS,
    "contacts.agreement": RECORDS,
    "events.event": RECORDS,
    "events.eventinteraction": RECORDS,
    "events.anniversary": RECORDS,
    "events.calendarfeed": OWN,
    "api.apitoken": TOKENS,
    "crm.change": NOBODY,  # the changes feed's journal, read through the API
}
# Apps whose models we do not define: one policy for all their models.
APP_DEFAULTS: dict[str, Policy] = {
    "axes": LOGIN_RECORDS,
    "auth": NOBODY,
    "admin": NOBODY,
    "contenttypes": NOBODY,
    "sessions": NOBODY,
    "authtoken": NOBODY,
}
# Our apps: a model listed nowhere above is read by all and kept by administrators until it
# gets an entry (tests/crm/test_roles.py fails meanwhile).
OUR_APPS = ("crm", "contacts", "events", "briefings", "api")


def is_history(model) -> bool:
    """django-simple-history's shadow models: shown through their row's history pages."""
    return model.__name__.startswith("Historical") and hasattr(model, "instance_type")


def policy_for(model) -> Policy:
    """The policy of `model`: its entry, else its app's default (history models: none)."""
    opts = model._meta
    label = f"{opts.app_label}.{opts.model_name}"
    if label in MODELS:
        return MODELS[label]
    if is_history(model) or opts.app_label not in OUR_APPS:
        return APP_DEFAULTS.get(opts.app_label, NOBODY)
    return REFERENCE


def permissions_of(role: str) -> set[tuple[str, str]]:
    """(app_label, codename) of every model permission `role` holds."""
    held = set()
    for model in global_apps.get_models():
        opts = model._meta
        for action in policy_for(model).get(role, ()):
            if action in opts.default_permissions:
                held.add((opts.app_label, f"{action}_{opts.model_name}"))
    return held


def sync_role_groups(*, using: str = DEFAULT_DB_ALIAS, apps=global_apps, **kwargs) -> None:
    """Make the four groups hold exactly the permissions of the table (and exist)."""
    from django.contrib.auth.management import create_permissions

    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using, apps=global_apps)
    try:
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
    except LookupError:  # migrated to a point before auth's tables
        return
    every = {
        (app_label, codename): pk
        for pk, app_label, codename in Permission.objects.using(using).values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    for role in ROLES:
        group, _created = Group.objects.using(using).get_or_create(name=role)
        wanted = [every[key] for key in permissions_of(role) if key in every]
        group.permissions.set(wanted)


def on_post_migrate(sender, *, using: str = DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    """`post_migrate` is sent once per app; sync once, after the last one."""
    configs = [c for c in global_apps.get_app_configs() if c.models_module is not None]
    if configs and sender.label == configs[-1].label:
        sync_role_groups(using=using, apps=apps)
