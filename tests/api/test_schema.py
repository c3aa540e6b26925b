"""The OpenAPI contract: valid, complete (every route, method, filter and error), and its
interactive docs work offline (every asset served by us, no CDN)."""

import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.test import Client
from openapi_spec_validator import validate

from api.urls import router

pytestmark = pytest.mark.django_db

BASE = "/api/v1"
WRITES = {"post", "put", "patch"}


_fetched: dict[str, dict] = {}


@pytest.fixture
def schema(api) -> dict:
    """The JSON schema as served; fetched once per run (it does not depend on the data)."""
    if "schema" not in _fetched:
        response = api.get("/api/schema/", {"format": "json"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
        _fetched["schema"] = response.json()
    return _fetched["schema"]


def router_operations() -> set[tuple[str, str]]:
    """(path, method) of every route the router serves, spelt as the schema spells them."""
    operations = set()
    for prefix, viewset, _basename in router.registry:
        for route in router.get_routes(viewset):
            path = route.url.strip("^$").format(prefix=prefix, lookup="{id}", trailing_slash="/")
            for method, action in route.mapping.items():
                if hasattr(viewset, action):
                    operations.add((f"{BASE}/{path}", method))
    return operations


def schema_operations(schema: dict) -> set[tuple[str, str]]:
    return {(path, method) for path, item in schema["paths"].items() for method in item}


def query_parameters(schema: dict, path: str, method: str = "get") -> dict[str, dict]:
    parameters = schema["paths"][path][method].get("parameters", [])
    return {p["name"]: p for p in parameters if p["in"] == "query"}


# ---------------------------------------------------------------------------------------------
# Validity


def test_json_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate(schema)


def test_schema_by_accept_header_and_yaml_by_default(api):
    by_header = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert by_header.status_code == 200
    validate(by_header.json())
    default = api.get("/api/schema/")
    assert default.status_code == 200
    validate(yaml.safe_load(default.content))


# ---------------------------------------------------------------------------------------------
# Completeness


def test_every_route_and_method_is_described_and_nothing_else(schema):
    # The non-router paths: the changes feed, the calendar and the briefings.
    expected = router_operations() | {(f"{BASE}/changes/", "get"), (f"{BASE}/calendar/", "get")}
    expected |= {
        (f"{BASE}/briefings/{kind}/{{{key}}}/", "get")
        for kind, key in [
            ("organizations", "id"),
            ("people", "id"),
            ("countries", "code"),
            ("events", "id"),
        ]
    }
    assert (f"{BASE}/people/{{id}}/contact-history/", "get") in expected
    assert (f"{BASE}/countries/", "post") not in expected  # read-only resources
    assert schema_operations(schema) == expected


@pytest.mark.parametrize(
    ("resource", "methods"),
    [
        ("countries", {"get"}),
        ("units", {"get"}),
        ("organizations", {"get", "post", "put", "patch", "delete"}),
        ("people", {"get", "post", "put", "patch", "delete"}),
        ("positions", {"get", "post", "put", "patch", "delete"}),
        ("interactions", {"get", "post", "put", "patch", "delete"}),
        ("follow-ups", {"get", "post", "put", "patch", "delete"}),
        ("agreements", {"get", "post", "put", "patch", "delete"}),
        ("events", {"get", "post", "put", "patch", "delete"}),
        ("anniversaries", {"get", "post", "put", "patch", "delete"}),
        ("calendar-feeds", {"get", "post", "put", "patch", "delete"}),
    ],
)
def test_each_resource_has_its_methods(schema, resource, methods):
    paths = schema["paths"]
    assert set(paths[f"{BASE}/{resource}/"]) == methods & {"get", "post"}
    assert set(paths[f"{BASE}/{resource}/{{id}}/"]) == methods - {"post"}


@pytest.mark.parametrize("owner", ["people", "organizations"])
def test_contact_history_is_described_with_its_filters_and_summary(schema, owner):
    path = f"{BASE}/{owner}/{{id}}/contact-history/"
    parameters = query_parameters(schema, path)
    assert {"since", "until", "kind", "pillar", "page", "page_size"} <= set(parameters)
    assert parameters["since"]["schema"]["format"] == "date"
    assert parameters["until"]["schema"]["format"] == "date"
    assert "meeting" in parameters["kind"]["schema"]["enum"]
    assert set(parameters["pillar"]["schema"]["enum"]) == {
        "political_security",
        "economic",
        "socio_cultural",
    }
    body = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    ref = body["schema"]["$ref"].rsplit("/", 1)[1]
    properties = schema["components"]["schemas"][ref]["properties"]
    assert {"count", "next", "previous", "results", "summary"} <= set(properties)


# Filters each list takes, beyond `page`, `page_size`, `updated_since` and `ordering`.
FILTERS = {
    "countries": {"q", "asean"},
    "units": set(),
    "organizations": {"q", "country", "kind", "status", "pillar", "tag", "owner_unit", "parent"},
    "people": {
        "q",
        "country",
        "nationality",
        "residence_country",
        "category",
        "gender",
        "organization",
        "tag",
        "owner_unit",
    },
    "positions": {"person", "organization", "current"},
    "interactions": {
        "q",
        "date_after",
        "date_before",
        "kind",
        "pillar",
        "confidentiality",
        "organization",
        "person",
        "country",
        "owner_unit",
    },
    "follow-ups": {
        "status",
        "interaction",
        "assignee",
        "due_before",
        "due_after",
        "overdue",
        "mine",
    },
    "agreements": {
        "q",
        "kind",
        "status",
        "organization",
        "owner_unit",
        "signed_after",
        "signed_before",
        "valid_until_after",
        "valid_until_before",
    },
}


@pytest.mark.parametrize("resource", list(FILTERS))
def test_every_filter_of_a_list_is_described(schema, resource):
    parameters = query_parameters(schema, f"{BASE}/{resource}/")
    common = {"page", "page_size", "updated_since", "ordering", "archived"}
    assert set(parameters) == FILTERS[resource] | common
    assert parameters["updated_since"]["schema"]["format"] == "date-time"
    assert parameters["ordering"]["schema"]["items"]["enum"]  # the allowed fields, listed


def test_filters_match_the_filtersets(schema):
    """Each filterset's filters appear under their query names (ranges as _after/_before)."""
    for prefix, viewset, _basename in router.registry:
        documented = set(query_parameters(schema, f"{BASE}/{prefix}/"))
        filterset = getattr(viewset, "filterset_class", None)
        for name, field in filterset.base_filters.items() if filterset else ():
            names = {name}
            if type(field).__name__ == "DateFromToRangeFilter":
                names = {f"{name}_after", f"{name}_before"}
            assert names <= documented, (prefix, name)


@pytest.mark.parametrize(
    ("path", "names"),
    [
        ("people", {"q", "updated_since"}),
        ("interactions", {"date_after", "date_before"}),
        ("follow-ups", {"due_before"}),
        ("positions", {"current"}),
    ],
)
def test_filter_types(schema, path, names):
    parameters = query_parameters(schema, f"{BASE}/{path}/")
    formats = {
        "q": ("string", None),
        "updated_since": ("string", "date-time"),
        "date_after": ("string", "date"),
        "date_before": ("string", "date"),
        "due_before": ("string", "date"),
        "current": ("boolean", None),
    }
    for name in names:
        kind, fmt = formats[name]
        assert parameters[name]["schema"]["type"] == kind, name
        assert parameters[name]["schema"].get("format") == fmt, name


def test_contact_history_documents_the_page_size_bounds(schema):
    for owner in ("people", "organizations"):
        parameters = query_parameters(schema, f"{BASE}/{owner}/{{id}}/contact-history/")
        assert "500" in parameters["page_size"]["description"]


def test_lists_document_the_page_size_bounds(schema):
    """Not DRF's generic "Number of results to return per page.": the bounds and default."""
    for prefix, _viewset, _basename in router.registry:
        page_size = query_parameters(schema, f"{BASE}/{prefix}/")["page_size"]
        assert page_size["schema"].get("maximum") == 500, prefix
        assert page_size["schema"].get("minimum") == 1, prefix
        assert "500" in page_size["description"], prefix


# ---------------------------------------------------------------------------------------------
# Errors


def test_error_responses_are_documented(schema):
    """Every status an operation can answer is in the schema, with the body it is sent with."""
    components = schema["components"]["schemas"]
    assert {"Error", "ValidationError"} <= set(components)
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            where = f"{method.upper()} {path}"
            # Anything may be refused (400: a control character in the address), unauthorised,
            # forbidden, not found (an unknown format), throttled or met by a database outage.
            assert {"400", "401", "403", "404", "405", "406", "429", "503"} <= set(responses), where
            if "requestBody" in operation:
                assert "415" in responses, where
            if method in WRITES | {"delete"}:
                assert "413" in responses, where
            if method in {"put", "patch", "delete"} and "{id}" in path:
                assert "412" in responses, where
            if method == "delete" or path.endswith("/purge/"):
                assert "409" in responses, where
            assert responses["400"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ValidationError"
            }, where
            for status, response in responses.items():
                if status.startswith(("4", "5")):
                    assert response["description"], (where, status)
                    assert list(response["content"]) == ["application/json"], (where, status)
            for status in ("429", "503"):
                assert "Retry-After" in responses[status]["headers"], where


def model_of(viewset):
    serializer = getattr(viewset, "serializer_class", None)
    return serializer.Meta.model


@pytest.mark.parametrize(
    ("prefix", "viewset"), [(prefix, viewset) for prefix, viewset, _ in router.registry]
)
def test_restore_and_purge_exist_exactly_for_archivable_rows(schema, api, prefix, viewset):
    """Positions are deleted for good: no restore, no purge (a POST there was a 500). Calendar
    feeds and tokens are revoked, not restored."""
    from api.views import DomainViewSet

    archivable = any(f.name == "archived_at" for f in model_of(viewset)._meta.concrete_fields)
    documented = {
        name
        for name in ("restore", "purge")
        if f"{BASE}/{prefix}/{{id}}/{name}/" in schema["paths"]
    }
    if issubclass(viewset, DomainViewSet):
        assert documented == ({"restore", "purge"} if archivable else set()), prefix
    else:
        assert not documented, prefix
    for name in {"restore", "purge"} - documented:
        response = api.post(f"{BASE}/{prefix}/1/{name}/")
        assert response.status_code in {404, 405}, (prefix, name)
        assert response["Content-Type"] == "application/json"


# ---------------------------------------------------------------------------------------------
# Interactive docs, offline


@pytest.fixture
def docs_html(api_user) -> str:
    client = Client()
    client.force_login(api_user)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    return response.content.decode()


def test_docs_reference_no_url_outside_the_server(docs_html):
    assert not re.search(r"https?://", docs_html)
    assert not re.search(r"""(?:src|href)\s*=\s*["']//""", docs_html)  # protocol-relative
    assert '"/api/schema/"' in docs_html


def test_docs_assets_are_local_static_files(docs_html):
    assets = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", docs_html)
    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets)
    assert any(asset.endswith("swagger-ui.css") for asset in assets)
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not a static file"


def test_the_event_of_an_interaction_is_documented_as_served(schema):
    """Written as an id, served as the event's short form (or null): it was documented as an
    integer both ways."""
    components = schema["components"]["schemas"]
    served = components["Interaction"]["properties"]["event"]
    assert served["allOf"] == [{"$ref": "#/components/schemas/EventShort"}]
    assert served["nullable"] is True
    for request in ("InteractionRequest", "PatchedInteractionRequest"):
        written = components[request]["properties"]["event"]
        assert written["type"] == "integer" and written["nullable"] is True


def test_every_short_related_field_is_documented_by_its_short_form(schema):
    """Every field written by id and read short (`ShortRelatedField` and its subclasses) is
    an object in responses, an id in requests."""
    from api.fields import ShortRelatedField

    for prefix, viewset, _basename in router.registry:
        serializer = viewset.serializer_class()
        name = serializer.__class__.__name__.removesuffix("Serializer")
        served = schema["components"]["schemas"].get(name, {}).get("properties", {})
        for field_name, field in serializer.fields.items():
            child = getattr(field, "child_relation", field)
            if isinstance(child, ShortRelatedField) and field_name in served:
                text = str(served[field_name])
                assert "$ref" in text, (prefix, field_name, text)


def test_fields_hidden_from_some_callers_are_not_required(schema):
    """Account fields are absent for public-only tokens: the schema may not require them."""
    from api.serializers import ACCOUNT_FIELDS

    for name, component in schema["components"]["schemas"].items():
        required = set(component.get("required", ()))
        assert not required & ACCOUNT_FIELDS, (name, required & ACCOUNT_FIELDS)
