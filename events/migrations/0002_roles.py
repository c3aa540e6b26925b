"""The roles' admin permissions for events, anniversaries and calendar feeds, matching the API:
every role reads and makes its own calendar feeds (the gate shows each their own), editors
and managers write events and anniversaries, administrators do everything."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITABLE = ("event", "anniversary", "eventinteraction")
OWN = ("calendarfeed",)  # every role, on their own rows only


def grant(apps, schema_editor):
    app_config = apps.get_app_config("events")
    app_config.models_module = True  # create_permissions skips apps without models
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    domain = Permission.objects.filter(content_type__app_label="events")

    def perms(actions, models=None):
        found = domain.filter(codename__regex=rf"^({'|'.join(actions)})_")
        if models is not None:
            found = found.filter(content_type__model__in=models)
        return list(found)

    reader = perms(["view"]) + perms(["add", "change"], OWN)
    writer = reader + perms(["add", "change"], EDITABLE)
    roles = {"viewer": reader, "editor": writer, "manager": writer, "administrator": list(domain)}
    for name, permissions in roles.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    events = Permission.objects.filter(content_type__app_label="events")
    for group in Group.objects.filter(name__in=["viewer", "editor", "manager", "administrator"]):
        group.permissions.remove(*events)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("crm", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
