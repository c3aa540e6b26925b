"""Lists (page of 100; plain, with `q`, with filters), details and contact histories."""

from urllib.parse import urlencode

from api import views
from bench import floors
from bench.operations import Operation
from contacts import selectors
from contacts.models import Interaction, Organization, Person

FLOOR = "values + json.dumps"


def register(fixture) -> list[Operation]:
    viewer = fixture.viewer
    operations = []

    def listing(group, name, viewset, shape, params):
        query = urlencode({"page_size": floors.PAGE_SIZE, **params})
        operations.append(
            Operation(
                group,
                name,
                f"/api/v1/{group}/?{query}",
                floors.list_floor(viewset, viewer, params, shape),
                FLOOR,
            )
        )

    people, organizations = views.PersonViewSet, views.OrganizationViewSet
    interactions = views.InteractionViewSet
    listing("people", "list", people, floors.PERSON, {})
    listing("people", "list, q", people, floors.PERSON, {"q": fixture.person_query})
    listing(
        "people",
        "list, filters",
        people,
        floors.PERSON,
        {"nationality": "KH", "category": "counterpart_official"},
    )
    listing("organizations", "list", organizations, floors.ORGANIZATION, {})
    listing("organizations", "list, q", organizations, floors.ORGANIZATION, {"q": "cong ty"})
    listing(
        "organizations",
        "list, filters",
        organizations,
        floors.ORGANIZATION,
        {"country": "KH", "status": "active"},
    )
    listing("interactions", "list", interactions, floors.INTERACTION, {})
    listing("interactions", "list, q", interactions, floors.INTERACTION, {"q": "hoc bong"})
    listing(
        "interactions",
        "list, filters",
        interactions,
        floors.INTERACTION,
        {
            "kind": "meeting",
            "pillar": "economic",
            "date_after": fixture.two_years_ago.isoformat(),
        },
    )

    for group, model, pk, shape in (
        ("people", Person, fixture.person_id, floors.PERSON),
        ("organizations", Organization, fixture.organization_id, floors.ORGANIZATION),
        ("interactions", Interaction, fixture.interaction_id, floors.INTERACTION),
    ):
        operations.append(
            Operation(
                group,
                "detail",
                f"/api/v1/{group}/{pk}/",
                floors.detail_floor(model, pk, shape),
                FLOOR,
            )
        )

    person = Person.objects.get(pk=fixture.busy_person_id)
    organization = Organization.objects.get(pk=fixture.busy_organization_id)
    for group, owner, history in (
        ("people", person, selectors.person_history(person, viewer)),
        ("organizations", organization, selectors.organization_history(organization, viewer)),
    ):
        operations.append(
            Operation(
                group,
                "contact history",
                f"/api/v1/{group}/{owner.pk}/contact-history/?page_size={floors.PAGE_SIZE}",
                floors.history_floor(history),
                FLOOR + " (page, count, summary)",
            )
        )
    return operations
