from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from crm.numbers import INT64_MAX, parse_int

DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE = 50, 500
PAGE_DESCRIPTION = (
    "Page number, from 1. 0, a negative or non-integer value answers 400; a page past the "
    "last one answers 404."
)
PAGE_SIZE_DESCRIPTION = (
    f"Rows per page: 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}); any other value "
    "answers 400."
)
PAGE_SCHEMA = {"type": "integer", "format": "int64", "minimum": 1, "maximum": INT64_MAX}
PAGE_SIZE_SCHEMA = {
    "type": "integer",
    "minimum": 1,
    "maximum": MAX_PAGE_SIZE,
    "default": DEFAULT_PAGE_SIZE,
}


class PageNumber(PageNumberPagination):
    """`page` and `page_size` (default 50, at most 500), both read strictly
    (`crm.numbers.parse_int`): a malformed value is a 400 naming the parameter, while a
    well-formed page past the last one is a 404, as DRF has it."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    last_page_strings = ()  # "page=last" is not a number: 400 like any other word
    invalid_page_message = gettext_lazy("Page {page_number}: {message}")

    def get_page_number(self, request, paginator) -> int:
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        try:
            return parse_int(raw, minimum=1)
        except ValueError:
            message = _("Use a whole number from 1 to %(max)d (got %(value)r).") % {
                "max": INT64_MAX,
                "value": raw[:40],
            }
            raise ValidationError({self.page_query_param: [message]}) from None

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            return parse_int(raw, minimum=1, maximum=self.max_page_size)
        except ValueError:
            message = _("Use a whole number from 1 to %(max)d (got %(value)r).") % {
                "max": self.max_page_size,
                "value": raw[:40],
            }
            raise ValidationError({self.page_size_query_param: [message]}) from None

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["description"] = PAGE_DESCRIPTION
                parameter["schema"] = dict(PAGE_SCHEMA)
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = PAGE_SIZE_DESCRIPTION
                parameter["schema"] = dict(PAGE_SIZE_SCHEMA)
        return parameters


# For views that paginate outside a list action (contact histories): the same two parameters.
PAGE_PARAMETERS = [
    OpenApiParameter("page", PAGE_SCHEMA, description=PAGE_DESCRIPTION),
    OpenApiParameter("page_size", PAGE_SIZE_SCHEMA, description=PAGE_SIZE_DESCRIPTION),
]
