"""Calendar feeds over HTTP: `/calendar/<token>.ics` and `/calendar/public.ics`.

Calendar clients cannot log in, so a feed is found by its secret token and shows what its owner
may see at the time of the request. Conditional requests are cheap: the ETag and Last-Modified
come from two aggregate queries (`events.agenda.data_version`), a match answers 304 before
anything is built, and an unchanged feed's bytes are cached under that version.
"""

from dataclasses import replace

from django.conf import settings
from django.core.cache import caches
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from rest_framework.exceptions import ValidationError

from crm.access import Viewer
from events.agenda import Window, agenda, data_version
from events.calendar import FeedOptions, public_base_url, render_calendar
from events.models import CalendarFeed

CONTENT_TYPE = "text/calendar; charset=utf-8"
CACHE_CONTROL = "private, max-age=3600"
CACHE_SECONDS = 24 * 3600
PUBLIC_NAMES = {"vi": "Lịch đối ngoại (công khai)", "en": "Foreign relations calendar (public)"}


def feed_options(request: HttpRequest, *, name: str, language: str | None) -> FeedOptions:
    language = language or "vi"
    if language not in PUBLIC_NAMES:
        raise ValidationError({"lang": [f"Use vi or en (got {language!r})."]})
    return FeedOptions(
        name=name,
        language=language,
        base_url=public_base_url(request),
        uid_domain=settings.CALENDAR_UID_DOMAIN,
    )


@require_safe
def token_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = CalendarFeed.by_token(token)
    if feed is None or not feed.owner.is_active:
        raise Http404("No calendar feed at this address.")
    viewer = Viewer.of(feed.owner)
    if not viewer.can_read:
        raise Http404("No calendar feed at this address.")
    options = feed_options(request, name=feed.name, language=feed.language)
    options = replace(options, alarms=feed.alarms)
    return serve(request, viewer, feed, options)


@require_safe
def public_feed(request: HttpRequest) -> HttpResponse:
    """Public events and anniversaries, for anyone (`?lang=en` for English titles)."""
    language = request.GET.get("lang") or "vi"
    if language not in PUBLIC_NAMES:
        return HttpResponse(
            f"lang: use vi or en (got {language!r}).", status=400, content_type="text/plain"
        )
    options = feed_options(request, name=PUBLIC_NAMES[language], language=language)
    # No links to API records (they answer 401 to the public) and no preparation items (staff
    # work, not public dates).
    options = replace(options, record_links=False)
    return serve(request, Viewer.public(), None, options, preparation_days=0)


def serve(
    request: HttpRequest,
    viewer: Viewer,
    feed: CalendarFeed | None,
    options: FeedOptions,
    *,
    preparation_days: int | None = None,
) -> HttpResponse:
    """The feed's bytes (cached by data version) with its validators; `preparation_days`
    defaults to the feed's own lead time."""
    today = timezone.localdate()
    days = feed.preparation_days if preparation_days is None else preparation_days
    version = f"{options.base_url}|{options.language}|{options.alarms}|{options.record_links}"
    version += f"|{days}"
    etag, last_modified = data_version(feed, viewer, today, extra=version)
    not_modified = get_conditional_response(
        request, etag=etag, last_modified=int(last_modified.timestamp())
    )
    if not_modified is not None:
        not_modified["ETag"] = etag
        not_modified["Last-Modified"] = http_date(last_modified.timestamp())
        not_modified["Cache-Control"] = CACHE_CONTROL
        return not_modified

    cache = caches[settings.FEED_CACHE_ALIAS]
    key = "calendar-feed:" + etag.strip('"')
    body = cache.get(key)
    if body is None:
        window = Window.for_feed(feed, today) if feed else Window.public(today)
        with translation.override(options.language):
            body = render_calendar(agenda(viewer, window, preparation_days=days), options)
        cache.set(key, body, CACHE_SECONDS)

    response = HttpResponse(b"" if request.method == "HEAD" else body, content_type=CONTENT_TYPE)
    response["Content-Length"] = str(len(body))
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified.timestamp())
    response["Cache-Control"] = CACHE_CONTROL
    response["Content-Language"] = options.language
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    return response
