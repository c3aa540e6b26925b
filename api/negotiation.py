"""Content negotiation for every API view: DRF's, except that OPTIONS is always answered in
JSON. The answer to OPTIONS describes the view (its name, parsers, renderers, fields); a view
whose renderers draw a document (a briefing in Markdown or Word, an event as iCalendar) cannot
render that description, whatever `?format=` or Accept asked for."""

from rest_framework.negotiation import DefaultContentNegotiation

from api.renderers import ORJSONRenderer


class ContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        if request.method == "OPTIONS":
            return ORJSONRenderer(), ORJSONRenderer.media_type
        return super().select_renderer(request, renderers, format_suffix)
