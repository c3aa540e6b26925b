"""Every route of the API, read from the URL configuration itself (new routes are covered as
they are added): its path template with the converter of each parameter, and the methods its
view answers."""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
# Not the API's JSON: the schema document, its interactive docs, the browsable API's login.
NOT_JSON = ("/api/schema/", "/api/docs/", "/api/auth/")


@dataclass(frozen=True)
class Route:
    template: str  # "/api/v1/people/<id:pk>/revisions/"
    callback: object

    @property
    def parameters(self) -> list[tuple[str, str]]:
        """(converter, name) of each path parameter, in order."""
        return [(m["converter"] or "str", m["name"]) for m in PARAMETER.finditer(self.template)]

    def url(self, **values: object) -> str:
        """The path with each parameter replaced by `values[name]`."""
        return PARAMETER.sub(lambda m: str(values[m["name"]]), self.template)

    @property
    def methods(self) -> set[str]:
        """The HTTP methods the view answers (a viewset route: those of its action map), but
        HEAD: it is GET without a body (and DRF adds it to a viewset's map on first use)."""
        actions = getattr(self.callback, "actions", None)
        if actions:
            methods = {method.upper() for method in actions} | {"OPTIONS"}
        else:
            view_class = getattr(self.callback, "cls", None) or getattr(
                self.callback, "view_class", None
            )
            methods = {"GET", "OPTIONS"}
            if view_class is not None:
                names = view_class.http_method_names
                methods = {m.upper() for m in names if hasattr(view_class, m)}
        return methods - {"HEAD"}

    @property
    def is_json_api(self) -> bool:
        return not self.template.startswith(NOT_JSON)


def _walk(patterns, prefix: str):
    for pattern in patterns:
        text = str(pattern.pattern).lstrip("^").rstrip("$").replace("\\", "")
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + text)
        elif isinstance(pattern, URLPattern):
            yield Route("/" + prefix + text, pattern.callback)


def api_routes() -> list[Route]:
    """Every route under /api/."""
    routes = [route for route in _walk(get_resolver().url_patterns, "") if route.template]
    return [route for route in routes if route.template.startswith("/api/")]


def json_api_routes() -> list[Route]:
    return [route for route in api_routes() if route.is_json_api]


def one_row_of_each(owner) -> dict[str, object]:
    """One row of every resource, public, linked the way real data is, and visible to any role;
    `owner` owns the calendar feed and the token. Returns the key of each, by the path segment
    that names its resource (`people`, `countries`, …)."""
    from api.models import ApiToken
    from contacts.models import Confidentiality
    from tests.factories import (
        AgreementFactory,
        AnniversaryFactory,
        CalendarFeedFactory,
        CountryFactory,
        EventFactory,
        FollowUpFactory,
        ParticipantFactory,
        PositionFactory,
        UnitFactory,
    )

    country = CountryFactory(code="KH")
    unit = UnitFactory()
    position = PositionFactory(organization__owner_unit=unit)
    participant = ParticipantFactory(
        person=position.person, interaction__confidentiality=Confidentiality.PUBLIC
    )
    participant.interaction.organizations.add(position.organization)
    follow_up = FollowUpFactory(interaction=participant.interaction)
    agreement = AgreementFactory(confidentiality=Confidentiality.PUBLIC)
    event = EventFactory(visibility=Confidentiality.PUBLIC)
    anniversary = AnniversaryFactory(country=country, visibility=Confidentiality.PUBLIC)
    feed = CalendarFeedFactory(owner=owner)
    token, _key = ApiToken.issue(owner, scopes=["read"])
    return {
        "countries": country.code,
        "units": unit.pk,
        "organizations": position.organization_id,
        "people": position.person_id,
        "positions": position.pk,
        "interactions": participant.interaction_id,
        "follow-ups": follow_up.pk,
        "agreements": agreement.pk,
        "events": event.pk,
        "anniversaries": anniversary.pk,
        "calendar-feeds": feed.pk,
        "tokens": token.pk,
    }


def resource_of(route: Route) -> str:
    """The resource a route's path parameter addresses: the segment before it."""
    head = route.template.split("<", 1)[0].rstrip("/")
    return head.rsplit("/", 1)[-1]


def concrete_url(route: Route, rows: dict[str, object]) -> str:
    """The route's address for the row of its resource."""
    return route.url(**{name: rows[resource_of(route)] for _conv, name in route.parameters})
