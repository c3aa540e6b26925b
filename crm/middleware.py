"""Request limits enforced before any view reads the body.

DRF's parsers read the request stream directly, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE alone
does not bound a JSON body: the declared Content-Length is checked here instead, and a body
over the limit is refused with 413 before a byte of it is read.
"""

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
            response = JsonResponse(
                {"detail": message % {"size": length, "limit": limit}}, status=413
            )
            # The unread body would otherwise be taken for the next request on the connection.
            response["Connection"] = "close"
            return response
        return self.get_response(request)
