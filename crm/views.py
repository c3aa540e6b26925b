"""Site-wide error views."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

# Seconds a client should wait before trying again while the database is unreachable.
DATABASE_RETRY_AFTER = 5


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """handler500: an unreachable database (restart, failover, connection refused or dropped)
    is a temporary outage, so it answers 503 with Retry-After instead of a 500. The connection
    is dropped by Django at the end of the request and, with CONN_HEALTH_CHECKS, a fresh one is
    opened by the next request once the server is back: no restart of the workers is needed."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        response = JsonResponse(
            {"detail": _("The database is unavailable at the moment; try again shortly.")},
            status=503,
        )
        response["Retry-After"] = str(DATABASE_RETRY_AFTER)
        return response
    return defaults.server_error(request, template_name)


def not_found(request, exception=None):
    """handler404: under /api/ (an address no route matches, such as an id that is not a
    whole number or beyond the id columns' range) the API's JSON error; elsewhere Django's
    page."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)
