"""`GET /api/v1/briefings/{organizations,people,countries,events}/{id}/`: a briefing, computed
once by `briefings.compute` and rendered in the format asked for with `?format=`: `json`
(default), `md`, `html` (one printable page) or `docx` (Word).

Options: `since`, `until` (the history window, ISO or dd/mm/yyyy dates), `limit` (interactions
in full, 0 to 1000, default 50; the summary counts them all), `lang` (`vi` default, or `en`: the
labels). Bad values answer 400 naming the parameter; a row the caller may not see answers 404,
as its detail would. Errors are JSON whatever the format asked for (`api.exceptions`).
"""

import datetime

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from api.access import viewer_for
from api.negotiation import ContentNegotiation
from api.parameters import DeclaredParametersMixin
from briefings import compute
from briefings.render import MEDIA_TYPES, filename, render
from crm import dates
from crm.numbers import parse_int


class BriefingRenderer(BaseRenderer):
    """Renders a briefing's data with `briefings.render` (the command writes the same bytes)."""

    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return render(data, self.format)


class BriefingJSONRenderer(BriefingRenderer):
    media_type = MEDIA_TYPES["json"]
    format = "json"


class MarkdownRenderer(BriefingRenderer):
    media_type = "text/markdown"
    format = "md"
    charset = "utf-8"


class HTMLRenderer(BriefingRenderer):
    media_type = "text/html"
    format = "html"
    charset = "utf-8"


class DocxRenderer(BriefingRenderer):
    media_type = MEDIA_TYPES["docx"]
    format = "docx"


RENDERERS = [BriefingJSONRenderer, MarkdownRenderer, HTMLRenderer, DocxRenderer]
FORMAT_NAMES = [renderer.format for renderer in RENDERERS]


class FormatNegotiation(ContentNegotiation):
    """An unknown `?format=` is a 400 naming the parameter (DRF's default is a 404)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        wanted = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if wanted and wanted not in FORMAT_NAMES:
            raise ValidationError(
                {
                    "format": [
                        _("Unknown format %(value)r: use one of %(known)s.")
                        % {"value": wanted, "known": ", ".join(FORMAT_NAMES)}
                    ]
                }
            )
        return super().select_renderer(request, renderers, format_suffix)


def parse_date(params, name: str) -> datetime.date | None:
    raw = params.get(name)
    if raw in (None, ""):
        return None
    try:
        return dates.parse_date(raw)
    except dates.DateRangeError as exc:
        raise ValidationError({name: [f"{exc} ({raw!r})"]}) from None
    except ValueError:
        raise ValidationError(
            {name: [_("Use a date as YYYY-MM-DD or DD/MM/YYYY (got %(value)r).") % {"value": raw}]}
        ) from None


def parse_options(params) -> compute.Options:
    since, until = parse_date(params, "since"), parse_date(params, "until")
    if since and until and since > until:
        raise ValidationError(
            {
                "until": [
                    _("%(until)s is before since (%(since)s).")
                    % {
                        "until": dates.format_date(until),
                        "since": dates.format_date(since),
                    }
                ]
            }
        )
    raw_limit = params.get("limit", str(compute.DEFAULT_LIMIT))
    try:
        limit = parse_int(raw_limit, minimum=0, maximum=compute.MAX_LIMIT)
    except ValueError:
        raise ValidationError(
            {
                "limit": [
                    _("Use a whole number from 0 to %(max)d (got %(value)r).")
                    % {"max": compute.MAX_LIMIT, "value": raw_limit[:40]}
                ]
            }
        ) from None
    lang = params.get("lang", "vi")
    if lang not in compute.LANGUAGES:
        raise ValidationError({"lang": [_("Use vi or en (got %(value)r).") % {"value": lang}]})
    return compute.Options(since=since, until=until, limit=limit, lang=lang)


PARAMETERS = [
    OpenApiParameter(
        "format",
        enum=FORMAT_NAMES,
        description="json (default), md (Markdown), html (one printable page), docx (Word).",
    ),
    OpenApiParameter("since", OpenApiTypes.DATE, description="History on or after this date."),
    OpenApiParameter("until", OpenApiTypes.DATE, description="History on or before this date."),
    OpenApiParameter(
        "limit",
        {"type": "integer", "minimum": 0, "maximum": compute.MAX_LIMIT},
        description=f"Interactions shown in full, 0 to {compute.MAX_LIMIT} "
        f"(default {compute.DEFAULT_LIMIT}); the summary counts them all.",
    ),
    OpenApiParameter(
        "lang", enum=list(compute.LANGUAGES), description="Labels: vi (default) or en."
    ),
]
RESPONSES = {
    (200, MEDIA_TYPES["json"]): OpenApiResponse(OpenApiTypes.OBJECT, description="The data."),
    (200, "text/markdown"): OpenApiResponse(OpenApiTypes.STR, description="Markdown."),
    (200, "text/html"): OpenApiResponse(OpenApiTypes.STR, description="One printable page."),
    (200, MEDIA_TYPES["docx"]): OpenApiResponse(OpenApiTypes.BINARY, description="Word."),
    404: OpenApiResponse(description="No such row, or not visible to the caller."),
}


class BriefingView(DeclaredParametersMixin, APIView):
    kind: str
    query_parameters = ("since", "until", "limit", "lang")
    renderer_classes = RENDERERS
    content_negotiation_class = FormatNegotiation

    def briefing(self, request, key) -> Response:
        options = parse_options(request.query_params)
        data = compute.briefing(self.kind, key, viewer_for(request), options)
        if data is None:
            raise Http404
        fmt = request.accepted_renderer.format
        disposition = "attachment" if fmt == "docx" else "inline"
        response = Response(data)
        response["Content-Disposition"] = f'{disposition}; filename="{filename(data, fmt)}"'
        return response


def briefing_view(kind: str, lookup: str, summary: str) -> type[BriefingView]:
    @extend_schema(summary=summary, parameters=PARAMETERS, responses=RESPONSES)
    def get(self, request, **kwargs):
        return self.briefing(request, kwargs[lookup])

    get.__doc__ = summary
    name = f"{kind.title()}BriefingView"
    return type(name, (BriefingView,), {"kind": kind, "get": get, "__doc__": summary})


OrganizationBriefingView = briefing_view(
    "organization",
    "pk",
    "An organisation: profile, people in post and before, agreements, contact history, "
    "open follow-ups, the next 180 days.",
)
PersonBriefingView = briefing_view(
    "person",
    "pk",
    "A person: profile, positions over time, languages, contact history, open follow-ups, "
    "next birthday (personal data).",
)
CountryBriefingView = briefing_view(
    "country",
    "code",
    "A country: facts, organisations by kind with their last contact, latest interactions, "
    "overseas Vietnamese living there, the next 180 days.",
)
EventBriefingView = briefing_view(
    "event",
    "pk",
    "A visit or meeting: the event, anniversaries during it, and the briefing of every "
    "organisation and person linked to it.",
)
