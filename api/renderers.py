"""Renderers for the API's non-JSON answers."""

from rest_framework.renderers import BaseRenderer


class ICalendarRenderer(BaseRenderer):
    """Bytes already rendered by `events.calendar`, passed through."""

    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        # Errors (404, 401…) on an .ics route: plain text the client can show.
        return str(data.get("detail", data) if isinstance(data, dict) else data).encode()
