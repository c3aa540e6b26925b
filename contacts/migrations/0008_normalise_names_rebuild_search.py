"""Names as `crm.text.normalize_name` stores them (NFC, one space, no stray space after a
Khmer or Lao administrative word), partners and units in the state their sources support, and
every search column rebuilt: interactions, agreements and people are now found by the names of
their organisations and people, and joined-up spellings ("chanthi", "ខេត្តក្រចេះ") are indexed.

The builders below are this migration's copy of the models' (`build_search_text`,
`search_columns`), as historical models have no methods; they write with `bulk_update`, so no
history row and no new `updated_at`."""

from django.db import migrations

from contacts.phones import national_digits
from crm.text import join_for_search, normalize_name

NAME_FIELDS = {
    "Country": ("name_vi", "name_en", "name_native"),
    "Unit": ("name_vi", "name_en", "abbreviation"),
    "Tag": ("name",),
    "Organization": ("name_native", "name_vi", "name_en", "abbreviation", "region"),
    "Person": ("full_name_native", "name_latin", "name_vi", "honorific"),
}
ORG_NAMES = ("name_native", "name_vi", "name_en", "abbreviation")
PERSON_NAMES = ("full_name_native", "name_latin", "name_vi")
PHONE_KINDS = {"phone", "zalo", "whatsapp"}
# Partners whose last known agreement has expired and whose state no source gives (facts.md §4).
TO_CONFIRM_PARTNERS = ("KH-1", "KH-15", "LA-CH")
BATCH = 500


def names_of(rows, fields):
    unique = {row.pk: row for row in rows}
    return [getattr(unique[pk], name) for pk in sorted(unique) for name in fields]


def contact_values(points):
    values = []
    for point in points:
        values.append(point.value)
        if point.kind in PHONE_KINDS:
            values.append(national_digits(point.value))
    return values


def rebuild(model, prefetch, build):
    """`build(row)` gives the row's search columns; changed rows are written in batches."""
    pks = list(model.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):
        rows = list(
            model.objects.filter(pk__in=pks[start : start + BATCH]).prefetch_related(*prefetch)
        )
        stale, columns = [], set()
        for row in rows:
            values = build(row)
            if any(getattr(row, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(row, name, value)
                columns.update(values)
                stale.append(row)
        if stale:
            model.objects.bulk_update(stale, sorted(columns))


def normalise_names(apps):
    for model_name, fields in NAME_FIELDS.items():
        model = apps.get_model("contacts", model_name)
        for row in model.objects.only("pk", *fields).iterator():
            changed = {}
            for name in fields:
                value = getattr(row, name)
                if value and normalize_name(value) != value:
                    changed[name] = normalize_name(value)
            if changed:
                model.objects.filter(pk=row.pk).update(**changed)


def forwards(apps, schema_editor):
    normalise_names(apps)
    Unit = apps.get_model("contacts", "Unit")
    Organization = apps.get_model("contacts", "Organization")
    # facts.md §4: what the merged Đồng Tháp did with its Sở Ngoại vụ is unverified.
    Unit.objects.filter(code="so-ngoai-vu", status="confirmed").update(status="to_confirm")
    # Only rows as the reference loader left them: a status staff set themselves (the row has
    # an author) is their decision, kept.
    Organization.objects.filter(
        subdivision_code__in=TO_CONFIRM_PARTNERS,
        relationship_status="active",
        updated_by__isnull=True,
    ).update(relationship_status="to_confirm")

    rebuild(
        apps.get_model("contacts", "Country"),
        (),
        lambda c: {"search_text": join_for_search(c.code, c.name_vi, c.name_en, c.name_native)},
    )
    rebuild(
        Organization,
        ("contact_points",),
        lambda o: {
            "search_text": join_for_search(
                *(getattr(o, name) for name in ORG_NAMES),
                o.region,
                o.subdivision_code,
                *contact_values(o.contact_points.all()),
            )
        },
    )
    rebuild(
        apps.get_model("contacts", "Person"),
        ("contact_points", "positions__organization"),
        lambda p: {
            "search_text": join_for_search(
                *(getattr(p, name) for name in PERSON_NAMES),
                *names_of([pos.organization for pos in p.positions.all()], ORG_NAMES),
            ),
            "search_personal": join_for_search(
                p.home_commune, p.home_commune_former, *contact_values(p.contact_points.all())
            ),
        },
    )
    rebuild(
        apps.get_model("contacts", "Interaction"),
        ("organizations", "people"),
        lambda i: {
            "search_text": join_for_search(
                i.subject,
                i.summary,
                *names_of(i.organizations.all(), ORG_NAMES),
                *names_of(i.people.all(), PERSON_NAMES),
            )
        },
    )
    rebuild(
        apps.get_model("contacts", "Agreement"),
        ("parties",),
        lambda a: {
            "search_text": join_for_search(
                a.title, a.summary, a.signed_at, *names_of(a.parties.all(), ORG_NAMES)
            )
        },
    )


class Migration(migrations.Migration):
    dependencies = [("contacts", "0007_bilingual_reference_texts_unit_status")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
