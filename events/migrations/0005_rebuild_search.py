"""Events are found by the names of their organisations and people (and joined-up spellings);
anniversaries by their English notes too: rebuild both search columns. This migration's copy
of the models' builders (historical models have no methods); `bulk_update`, no history rows."""

from django.db import migrations

from crm.text import join_for_search

ORG_NAMES = ("name_native", "name_vi", "name_en", "abbreviation")
PERSON_NAMES = ("full_name_native", "name_latin", "name_vi")
BATCH = 500


def names_of(rows, fields):
    unique = {row.pk: row for row in rows}
    return [getattr(unique[pk], name) for pk in sorted(unique) for name in fields]


def rebuild(model, prefetch, build):
    pks = list(model.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):
        rows = model.objects.filter(pk__in=pks[start : start + BATCH]).prefetch_related(*prefetch)
        stale = []
        for row in rows:
            text = build(row)
            if row.search_text != text:
                row.search_text = text
                stale.append(row)
        if stale:
            model.objects.bulk_update(stale, ["search_text"])


def forwards(apps, schema_editor):
    rebuild(
        apps.get_model("events", "Event"),
        ("organizations", "people"),
        lambda e: join_for_search(
            e.title_vi,
            e.title_en,
            e.description_vi,
            e.description_en,
            e.location,
            *names_of(e.organizations.all(), ORG_NAMES),
            *names_of(e.people.all(), PERSON_NAMES),
        ),
    )
    rebuild(
        apps.get_model("events", "Anniversary"),
        (),
        lambda a: join_for_search(a.title_vi, a.title_en, a.notes, a.notes_en),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0004_anniversary_notes_en_entry_into_force"),
        ("contacts", "0008_normalise_names_rebuild_search"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
