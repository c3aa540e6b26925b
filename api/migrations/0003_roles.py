"""The roles' admin permissions for API tokens: every role views (the gate shows each their own
tokens; they are issued and revoked through the API or `issue_token`, which keep a token's
restricting scopes), administrators view, change and revoke every token."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    app_config = apps.get_app_config("api")
    app_config.models_module = True  # create_permissions skips apps without models
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    domain = Permission.objects.filter(content_type__app_label="api")
    view = list(domain.filter(codename__startswith="view_"))
    roles = {"viewer": view, "editor": view, "manager": view, "administrator": list(domain)}
    for name, permissions in roles.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    tokens = Permission.objects.filter(content_type__app_label="api")
    for group in Group.objects.filter(name__in=["viewer", "editor", "manager", "administrator"]):
        group.permissions.remove(*tokens)


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0002_apitoken_scopes"),
        ("crm", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
