"""Renderers: a faster JSON renderer, and iCalendar bytes passed through.

`ORJSONRenderer` gives DRF's JSONRenderer output, written by orjson. Same media type, same bytes
for what our serializers produce: compact, UTF-8 (not ASCII escaped), U+2028/U+2029 escaped as
DRF does; dates, times, Decimals, lazy translations and anything else orjson does not know
natively go through DRF's own encoder. A request for indented output
(`Accept: application/json; indent=4`) is answered by DRF's renderer.
"""

import orjson
from django.template import loader
from rest_framework import renderers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS
_ENCODER = JSONEncoder()


class ORJSONRenderer(JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        renderer_context = renderer_context or {}
        if self.get_indent(accepted_media_type, renderer_context):
            return super().render(data, accepted_media_type, renderer_context)
        rendered = orjson.dumps(data, default=_ENCODER.default, option=_OPTIONS)
        # As DRF does: these two are valid JSON but end a line in JavaScript.
        return rendered.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")


class ICalendarRenderer(BaseRenderer):
    """Bytes already rendered by `events.calendar`, passed through."""

    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        # Errors are rendered in JSON (api.exceptions); anything else, as text, not a crash.
        return str(data.get("detail", data) if isinstance(data, dict) else data).encode()


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's browsable API, whose filter form is built from the rows the view's filters apply
    to: `filter_queryset_for_form()` when the view defines it (a contact history filters
    interactions, not the organisation or person it is read under); no form for a view
    without filters (the calendar, which has no queryset)."""

    def get_filter_form(self, data, view, request):
        if not getattr(view, "filter_backends", None):
            return None
        rows = getattr(view, "filter_queryset_for_form", None)
        if rows is None:
            return super().get_filter_form(data, view, request)
        if not isinstance(data, dict) or "results" not in data:
            return None  # not a page of a list
        queryset = rows()
        elements = [
            html
            for backend in view.filter_backends
            if hasattr(backend, "to_html") and (html := backend().to_html(request, queryset, view))
        ]
        if not elements:
            return None
        return loader.get_template(self.filter_template).render({"elements": elements})
