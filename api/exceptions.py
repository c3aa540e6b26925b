"""One error shape for every failure: DRF's field-keyed dict, or `{"detail": …}`, in JSON
whatever format the request asked for (a briefing in Word, an event as iCalendar)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from api.renderers import ORJSONRenderer
from crm.errors import NestedValidationError


def exception_handler(exc, context):
    response = _response_for(exc, context)
    request = context.get("request")
    if response is not None and request is not None:
        # A document renderer (Markdown, Word, iCalendar) cannot draw an error: JSON instead.
        # The browsable API keeps its page.
        renderer = getattr(request, "accepted_renderer", None)
        if not isinstance(renderer, JSONRenderer | BrowsableAPIRenderer):
            request.accepted_renderer = ORJSONRenderer()
            request.accepted_media_type = ORJSONRenderer.media_type
    return response


def _response_for(exc, context):
    if isinstance(exc, NestedValidationError):
        exc = ValidationError(exc.detail)
    elif isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        exc = ValidationError(detail if isinstance(detail, dict) else {"non_field_errors": detail})
    elif isinstance(exc, ProtectedError | RestrictedError):
        blocking = getattr(exc, "protected_objects", None) or exc.restricted_objects
        kinds = sorted({str(obj._meta.verbose_name_plural) for obj in blocking})
        return Response(
            {
                "detail": _("Still referenced by other records: %(kinds)s.")
                % {"kinds": ", ".join(kinds)}
            },
            status=status.HTTP_409_CONFLICT,
        )
    elif isinstance(exc, Http404):
        # Django's "No Person matches the given query." is not translatable: say it ourselves.
        exc = NotFound(_not_found(context.get("view")))
    return drf_exception_handler(exc, context)


def _not_found(view) -> str:
    """ "No person with this id." (in the reader's language), or "Not found." off a row route."""
    lookup = getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", "pk")
    if lookup in (getattr(view, "kwargs", None) or {}):
        try:
            model = view.get_queryset().model  # lazy: no query
        except Exception:  # noqa: BLE001 - a message, never a second error
            model = None
        if model is not None:
            return _("No %(model)s with this id (or not visible to you).") % {
                "model": model._meta.verbose_name
            }
    return _("Not found.")
