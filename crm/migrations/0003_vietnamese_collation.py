"""The ICU collation `vi_icu` (Vietnamese order, see crm/collation.py) on PostgreSQL.

SQLite gets a collation of the same name from Python on every connection, so nothing to do."""

from django.db import migrations

COLLATION = "vi_icu"  # crm.collation.COLLATION, frozen here


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE COLLATION IF NOT EXISTS {COLLATION} (provider = icu, locale = 'vi-VN')"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP COLLATION IF EXISTS {COLLATION}")


class Migration(migrations.Migration):
    dependencies = [("crm", "0002_roles")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
