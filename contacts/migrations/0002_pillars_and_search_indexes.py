"""Seed the three ASEAN pillars; on PostgreSQL, trigram indexes for the folded search columns.

SQLite has no trigram indexes: there the same `LIKE '%term%'` query runs without one, which is
fine at the embedded scale. The PostgreSQL operations are skipped on other databases.
"""

from django.db import migrations

PILLARS = ["political_security", "economic", "socio_cultural"]
SEARCHABLE_TABLES = [
    "contacts_country",
    "contacts_organization",
    "contacts_person",
    "contacts_interaction",
    "contacts_agreement",
]


def seed_pillars(apps, schema_editor):
    PillarTag = apps.get_model("contacts", "PillarTag")
    for code in PILLARS:
        PillarTag.objects.get_or_create(code=code)


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table in SEARCHABLE_TABLES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_trgm "
            f"ON {table} USING gin (search_text gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in SEARCHABLE_TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("contacts", "0001_initial")]

    operations = [
        migrations.RunPython(seed_pillars, migrations.RunPython.noop),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
