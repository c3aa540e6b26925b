"""`/api/v1/events/` and `/api/v1/anniversaries/`: the same shape as every resource
(selector, serializer, filterset; writes through `events.services`), plus one event as `.ics`."""

from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from api.feeds import feed_options
from api.fields import ShortRelatedField
from api.renderers import ICalendarRenderer
from api.serializers import (
    PersonShortSerializer,
    ServiceModelSerializer,
    organizations_field,
    pillars_field,
    staff_field,
)
from api.views import ArchivableViewSet
from contacts.models import Person
from events import filters, selectors
from events import services as event_services
from events.calendar import render_event
from events.models import Anniversary, Event

TIMESTAMPS = ("created_at", "updated_at")


class EventSerializer(ServiceModelSerializer):
    internal_fields = ("budget_planned", "budget_spent")  # and staff: ACCOUNT_FIELDS
    organizations = organizations_field()
    people = ShortRelatedField(
        PersonShortSerializer, queryset=Person.objects.all(), many=True, required=False
    )
    staff = staff_field()
    pillars = pillars_field()
    ics_url = serializers.HyperlinkedIdentityField(view_name="event-ics", read_only=True)

    class Meta:
        model = Event
        fields = (
            "id",
            "url",
            "title_vi",
            "title_en",
            "description_vi",
            "description_en",
            "kind",
            "status",
            "all_day",
            "start_date",
            "end_date",
            "starts_at",
            "ends_at",
            "time_zone",
            "location",
            "country",
            "organizations",
            "people",
            "staff",
            "pillars",
            "visibility",
            "owner_unit",
            "budget_planned",
            "budget_spent",
            "sequence",
            "ics_url",
            *TIMESTAMPS,
        )
        read_only_fields = ("sequence",)
        extra_kwargs = {
            "start_date": {"required": False, "help_text": "All-day events: the first day."},
            "end_date": {"required": False, "help_text": "Last day, included; default: start."},
        }

    def to_representation(self, event: Event) -> dict[str, Any]:
        """Times are given in the event's own zone (with its offset)."""
        data = super().to_representation(event)
        for name in ("starts_at", "ends_at"):
            value = getattr(event, name)
            if name in data and value is not None:
                data[name] = value.astimezone(event.zone).isoformat()
        return data

    def save_with_service(self, instance, validated_data: dict[str, Any]):
        parts = self.split(validated_data)
        return event_services.save_event(
            instance,
            values=parts["values"],
            relations=parts["relations"],
            user=self.context["request"].user,
        )


class AnniversarySerializer(ServiceModelSerializer):
    origin_date = serializers.DateField(read_only=True, allow_null=True)
    next_occurrence = serializers.SerializerMethodField()

    class Meta:
        model = Anniversary
        fields = (
            "id",
            "url",
            "code",
            "title_vi",
            "title_en",
            "kind",
            "origin_year",
            "origin_month",
            "origin_day",
            "origin_date",
            "milestone_every",
            "next_occurrence",
            "country",
            "organization",
            "agreement",
            "visibility",
            "owner_unit",
            "notes",
            "notes_en",
            "source",
            "sequence",
            *TIMESTAMPS,
        )
        read_only_fields = ("sequence", "code")
        extra_kwargs = {
            "origin_day": {
                "help_text": "29 February is kept, and falls on 28 February in common years."
            },
            "origin_year": {"help_text": "Empty: a yearly observance (no ordinal, no milestones)."},
        }

    def get_next_occurrence(self, anniversary: Anniversary) -> dict | None:
        """The next occurrence from today (this year's if still to come): date, ordinal,
        milestone flag and titles."""
        found = anniversary.next_occurrence(timezone.localdate())
        if found is None:
            return None
        return {
            "date": found.date.isoformat(),
            "ordinal": found.ordinal,
            "is_milestone": found.is_milestone,
            "milestone": found.milestone,
            "title_vi": found.title_vi,
            "title_en": found.title_en,
        }


class EventViewSet(ArchivableViewSet):
    selector = selectors.events
    serializer_class = EventSerializer
    filterset_class = filters.EventFilter

    @extend_schema(
        responses={(200, "text/calendar"): OpenApiResponse(OpenApiTypes.BINARY)},
        parameters=[OpenApiParameter("lang", enum=["vi", "en"], description="Default vi.")],
        filters=False,
    )
    @action(
        detail=True,
        renderer_classes=[ICalendarRenderer],
        filter_backends=[],
        query_parameters=("lang",),
    )
    def ics(self, request, pk=None):
        """The event as an iCalendar file, to import into any calendar."""
        event = self.get_object()
        options = feed_options(request, name=event.title_vi, language=request.GET.get("lang"))
        response = Response(render_event(event, options))
        response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
        return response


class AnniversaryViewSet(ArchivableViewSet):
    """Anniversaries and their rule. The 29 February rule: an anniversary whose origin is
    29 February falls on 28 February in common years. Occurrences are computed: see
    `/api/v1/calendar/`."""

    selector = selectors.anniversaries
    serializer_class = AnniversarySerializer
    filterset_class = filters.AnniversaryFilter
