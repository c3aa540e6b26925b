"""OpenAPI details drf-spectacular cannot infer: short read forms and the error responses."""

from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes

from contacts.filters import IdFilter, IntegerFilter
from crm.numbers import INT64_MAX, INT64_MIN

ERROR_SCHEMAS = {
    "Error": {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "ValidationError": {
        "type": "object",
        "description": "Field-keyed messages; nested lists keep the position of each item, "
        'e.g. {"contact_points": [{}, {"value": ["… is not a valid phone number for region '
        'KH."]}]}.',
        "additionalProperties": {},
    },
}


def _error(description: str, schema: str = "Error", headers: dict | None = None) -> dict:
    response = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }
    if headers:
        response["headers"] = headers
    return response


RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}}


class ShortRelatedFieldExtension(OpenApiSerializerFieldExtension):
    """Written as an id, read as the short serializer's object."""

    target_class = "api.fields.ShortRelatedField"
    match_subclasses = True  # the event of an interaction, too

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return build_basic_type(OpenApiTypes.STR if self._string_key() else OpenApiTypes.INT)
        return auto_schema.resolve_serializer(self.target.short, direction).ref

    def _string_key(self) -> bool:
        queryset = self.target.queryset
        return queryset is not None and queryset.model._meta.pk.get_internal_type() == "CharField"


class NameListFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "api.fields.NameListField"

    def map_serializer_field(self, auto_schema, direction):
        return {
            "type": "array",
            "items": auto_schema._map_serializer_field(self.target.child, direction),
        }


class StrictFilterExtension(DjangoFilterExtension):
    """Id and number filters are read by `crm.numbers.parse_int`: the schema says integer,
    with the bounds outside which the filter answers 400."""

    priority = 1  # before drf-spectacular's own

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        if isinstance(filter_field, IdFilter):
            low, high = 1, INT64_MAX
        elif isinstance(filter_field, IntegerFilter):
            low = filter_field.extra.get("min_value", INT64_MIN)
            high = filter_field.extra.get("max_value", INT64_MAX)
        else:
            return parameters
        for parameter in parameters:
            parameter["schema"] = {"type": "integer", "minimum": low, "maximum": high}
        return parameters


def error_responses(path: str, method: str, operation: dict) -> dict[str, dict]:
    """The errors one operation can answer (every one of them JSON, `api.exceptions`)."""
    detail = "{" in path
    writes = method in {"post", "put", "patch", "delete"}
    if "requestBody" in operation:
        bad = "Invalid input: messages keyed by field (or by parameter)."
    elif operation.get("parameters"):
        bad = "Unknown or malformed parameter: messages keyed by the parameter."
    else:
        bad = "Malformed request (a control character in the address, a bad Content-Length)."
    if detail:
        missing = "No such record, or not visible to you (also: an id that is not one)."
    elif any(p["name"] == "page" for p in operation.get("parameters", [])):
        missing = "A page past the last one."
    else:
        missing = "Not found."
    errors = {
        "400": _error(bad, "ValidationError"),
        "401": _error("Missing, invalid, expired or revoked credentials."),
        "403": _error("Authenticated, but not allowed to do this."),
        "404": _error(missing),
        "405": _error("Method not allowed on this resource."),
        "406": _error("No representation matches the Accept header."),
        "429": _error("Too many requests: wait as Retry-After says.", headers=RETRY_AFTER),
        "503": _error("The database is unavailable for a moment.", headers=RETRY_AFTER),
    }
    if method == "delete" or path.endswith("/purge/"):
        errors["409"] = _error("Still referenced by other records.")
    if detail and method in {"put", "patch", "delete"}:
        errors["412"] = _error("If-Match does not match the current ETag.")
    if writes:
        errors["413"] = _error("The body is larger than the limit for its content type.")
    if "requestBody" in operation:
        errors["415"] = _error("Unsupported Content-Type.")
    return errors


def add_error_responses(result, generator, request, public):
    """Document the errors every operation can answer, in the shape the API sends them: a
    response an operation declares without a body gets the error body."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(ERROR_SCHEMAS)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status, response in error_responses(path, method, operation).items():
                declared = responses.setdefault(status, response)
                declared.setdefault("content", response["content"])
    return result
