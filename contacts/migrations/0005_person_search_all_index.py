"""One trigram index over a person's names and personal data together, for searches by callers
allowed personal data: the expression `search_text || ' ' || search_personal`, the one
`crm.models.SearchAll` compiles to, so each term is one indexed LIKE (two columns OR-ed per
term were costed above a sequential scan at 50,000 people). PostgreSQL only."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS contacts_person_search_all_trgm ON contacts_person "
            "USING gin ((search_text || ' ' || search_personal) gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS contacts_person_search_all_trgm")


class Migration(migrations.Migration):
    dependencies = [("contacts", "0004_archive_confidentiality_personal_search")]

    operations = [migrations.RunPython(create_index, drop_index)]
