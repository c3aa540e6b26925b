"""OpenAPI details drf-spectacular cannot infer: short read forms and the error responses."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes

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


def _error(description: str, schema: str = "Error") -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


class ShortRelatedFieldExtension(OpenApiSerializerFieldExtension):
    """Written as an id, read as the short serializer's object."""

    target_class = "api.fields.ShortRelatedField"

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


def add_error_responses(result, generator, request, public):
    """Document the errors every operation can answer, in the shape the API sends them."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(ERROR_SCHEMAS)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            responses.setdefault("401", _error("Missing, invalid, expired or revoked credentials."))
            responses.setdefault("403", _error("Authenticated, but not allowed to do this."))
            if "{" in path:
                responses.setdefault("404", _error("No such record, or not visible to you."))
            if method in {"post", "put", "patch"}:
                responses.setdefault("400", _error("Invalid input.", "ValidationError"))
                responses.setdefault("415", _error("Unsupported Content-Type."))
            elif method == "get" and operation.get("parameters"):
                responses.setdefault(
                    "400", _error("Unknown or malformed filter value.", "ValidationError")
                )
            if method == "delete":
                responses.setdefault("409", _error("Still referenced by other records."))
            responses.setdefault("405", _error("Method not allowed on this resource."))
            responses.setdefault("429", _error("Too many requests: see the Retry-After header."))
            if method in {"put", "patch", "delete"} and "{" in path:
                responses.setdefault("412", _error("If-Match does not match the current ETag."))
    return result
