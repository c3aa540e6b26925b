"""The four roles as groups, with the admin permissions that match what the API allows."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DOMAIN_APPS = ("contacts",)
EDITABLE = (
    "organization", "person", "position", "contactpoint", "interaction", "participant",
    "followup", "agreement", "tag",
)  # fmt: skip


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True  # create_permissions skips apps without models
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    domain = Permission.objects.filter(content_type__app_label__in=DOMAIN_APPS)

    def perms(actions, models=None):
        found = domain.filter(codename__regex=rf"^({'|'.join(actions)})_")
        if models is not None:
            found = found.filter(content_type__model__in=models)
        return list(found)

    roles = {
        "viewer": perms(["view"]),
        "editor": perms(["view"]) + perms(["add", "change"], EDITABLE),
        "manager": perms(["view"]) + perms(["add", "change"], EDITABLE),
        "administrator": list(domain),
    }
    for name, permissions in roles.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)


def drop_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["viewer", "editor", "manager", "administrator"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("crm", "0001_initial"),
        ("contacts", "0004_archive_confidentiality_personal_search"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, drop_roles)]
