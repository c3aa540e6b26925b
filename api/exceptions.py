"""One error shape for every failure: DRF's field-keyed dict, or `{"detail": …}`."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from crm.errors import NestedValidationError


def exception_handler(exc, context):
    if isinstance(exc, NestedValidationError):
        exc = ValidationError(exc.detail)
    elif isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        exc = ValidationError(detail if isinstance(detail, dict) else {"non_field_errors": detail})
    elif isinstance(exc, ProtectedError | RestrictedError):
        blocking = getattr(exc, "protected_objects", None) or exc.restricted_objects
        kinds = sorted({str(obj._meta.verbose_name_plural) for obj in blocking})
        return Response(
            {"detail": f"Still referenced by other records: {', '.join(kinds)}."},
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)
