"""Request limits enforced before any view reads the body.

DRF's parsers read the request stream directly, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE alone
does not bound a JSON body: the declared Content-Length is checked here instead, and a body
over the limit is refused with 413 before a byte of it is read.
"""

import re

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _


def body_limit(content_type: str) -> int:
    """Multipart bodies carry documents; everything else (JSON, forms) is small."""
    if content_type.split(";")[0].strip().lower() == "multipart/form-data":
        return settings.MAX_UPLOAD_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class RequestLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raw = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw)
            if length < 0:
                raise ValueError(raw)
        except ValueError:
            message = _("Content-Length must be a whole number of bytes (got %(value)s).")
            return JsonResponse({"detail": message % {"value": raw[:40]}}, status=400)
        limit = body_limit(request.META.get("CONTENT_TYPE", ""))
        if length > limit:
            message = _(
                "The request body is %(size)s bytes; the limit is %(limit)s bytes for this "
                "content type."
            )
            # No `Connection: close` here: hop-by-hop headers are the server's (wsgiref refuses
            # them). Both servers keep the unread body from being read as the next request:
            # runserver drains it after the response, gunicorn discards it before parsing the
            # next request on a kept-alive connection (tests/servers prove both).
            return JsonResponse({"detail": message % {"size": length, "limit": limit}}, status=413)
        return self.get_response(request)


def plain_str(value) -> str:
    """`value` as an exact `str`: `str()` keeps a str subclass such as SafeString as it is."""
    return str.__str__(str(value))


class WSGIResponseMiddleware:
    """Every response leaves as a WSGI server expects it, whichever layer built it.

    - Header names and values are plain `str`: PEP 3333 asks for exact strings and wsgiref
      (`manage.py runserver`) asserts it, so a Location built from a str subclass (DRF's
      `Hyperlink`, a SafeString, a lazy translation) answered 500 after the row was created.
    - A Content-Length, which CommonMiddleware adds only to the responses that pass through
      it: without one, a 413 refused before then (RequestLimitsMiddleware) could only end
      with the connection, which runserver keeps open while it drains the refused body.
    - No body on HEAD (the length stays that of GET), rather than bytes the server drops.

    Outermost in MIDDLEWARE, so it sees every other layer's response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.streaming:
            if not response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
            if request.method == "HEAD":
                response.content = b""
        for name, value in list(response.items()):
            if type(name) is not str or type(value) is not str:
                response[plain_str(name)] = plain_str(value)  # replaced in place
        return response


# C0 control characters (NUL to US) and DEL. No address of ours holds one, and PostgreSQL
# refuses a NUL in a query (a 500 once a view passed it on).
_CONTROL = re.compile("[\x00-\x1f\x7f]")


def _shown(text: str) -> str:
    """The first control character of `text` as U+XXXX, for the message."""
    found = _CONTROL.search(text)
    return f"U+{ord(found.group()):04X}" if found else ""


class ControlCharactersMiddleware:
    """A control character (NUL, newline, …) in the path or the query string is a 400, before
    any view, URL pattern or database sees it: naming the query parameter whose value holds
    it, or the path."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _CONTROL.search(request.path_info):
            message = _("The address holds a control character (%(char)s); none is allowed.")
            return JsonResponse(
                {"detail": message % {"char": _shown(request.path_info)}}, status=400
            )
        for name, values in request.GET.lists():
            if _CONTROL.search(name):
                message = _(
                    "A query parameter name holds a control character (%(char)s); none is allowed."
                )
                return JsonResponse({"detail": message % {"char": _shown(name)}}, status=400)
            for value in values:
                if _CONTROL.search(value):
                    message = _("Control characters (%(char)s) are not allowed in a query value.")
                    return JsonResponse({name: [message % {"char": _shown(value)}]}, status=400)
        return self.get_response(request)
