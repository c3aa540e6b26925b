"""Briefing of an organisation with 5,000 interactions, as JSON and as DOCX (no goal: the
figures are reported).

Synthetic organisations have a few dozen interactions each, so the benchmark makes one busy
organisation: the first counterpart province of the reference data (the province's partners
are where the traffic is) is linked to 5,000 interactions spread over the 20 years (every
k-th interaction by id). It is done once per database (it is idempotent) and the link table
is analysed again afterwards.
"""

from __future__ import annotations

from django.db import connection

from bench.operations import Operation
from contacts.models import Interaction, Organization

BUSY_INTERACTIONS = 5000


def busy_organization() -> Organization:
    organization = (
        Organization.objects.exclude(subdivision_code="").order_by("subdivision_code").first()
    )
    if organization is None:
        raise ValueError("No counterpart province: the reference data is missing.")
    through = Interaction.organizations.through
    linked = through.objects.filter(organization=organization).count()
    if linked < BUSY_INTERACTIONS:
        ids = list(Interaction.objects.order_by("pk").values_list("pk", flat=True))
        step = max(1, len(ids) // BUSY_INTERACTIONS)
        already = set(
            through.objects.filter(organization=organization).values_list(
                "interaction_id", flat=True
            )
        )
        chosen = [pk for pk in ids[::step] if pk not in already][: BUSY_INTERACTIONS - linked]
        through.objects.bulk_create(
            [through(interaction_id=pk, organization_id=organization.pk) for pk in chosen],
            batch_size=2000,
        )
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {through._meta.db_table}")
    return organization


def register(fixture) -> list[Operation]:
    organization = busy_organization()
    count = Interaction.organizations.through.objects.filter(organization=organization).count()
    base = f"/api/v1/briefings/organizations/{organization.pk}/"
    return [
        Operation(
            "briefings",
            f"organisation ({count:,} interactions), {fmt}",
            f"{base}?format={fmt}",
            None,
            "none",
            goal=None,
        )
        for fmt in ("json", "docx")
    ]
