"""Site-wide error views."""

import math
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
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


def lockout(request, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' AXES_LOCKOUT_CALLABLE: the sign-in page of a locked-out account says, in
    the reader's language, why and for how long (AXES_COOLOFF_TIME), with Retry-After; axes'
    own page is an English line without the duration."""
    from django.conf import settings
    from django.contrib import admin

    cool_off = settings.AXES_COOLOFF_TIME
    seconds = int(cool_off.total_seconds()) if cool_off else 0
    minutes = max(1, math.ceil(seconds / 60)) if seconds else 0
    if minutes:
        message = ngettext(
            "Too many failed sign-in attempts: this account is locked from this address for "
            "%(minutes)d minute. Try again after that, or ask an administrator to unlock it.",
            "Too many failed sign-in attempts: this account is locked from this address for "
            "%(minutes)d minutes. Try again after that, or ask an administrator to unlock it.",
            minutes,
        ) % {"minutes": minutes}
    else:
        message = _(
            "Too many failed sign-in attempts: this account is locked. Ask an administrator "
            "to unlock it."
        )
    context = {
        **admin.site.each_context(request),
        "title": _("Account locked"),
        "message": message,
    }
    response = render(request, "crm/lockout.html", context, status=429)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response
