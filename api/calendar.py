"""`/api/v1/calendar/` (events and anniversary occurrences in one list) and
`/api/v1/calendar-feeds/` (a staff member's subscriptions, shown with their links once)."""

import re

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response
from rest_framework.reverse import reverse

from api.access import viewer_for
from api.fields import IdRelatedField, SupportedDateField, VisibleRelatedField
from api.parameters import DeclaredParametersMixin
from api.views import SelectorMixin
from contacts.models import Country, Organization, Unit
from contacts.services import archive, save_record
from crm import dates
from crm.access import WRITE
from events import selectors, services
from events.agenda import MAX_RANGE_DAYS, AgendaItems, Window
from events.anniversaries import Occurrence
from events.calendar import public_base_url, subscription_links
from events.models import CALENDAR_KINDS, CalendarFeed, Event

# ---------------------------------------------------------------------------------------------
# The calendar list


class CountryCodeField(serializers.SlugRelatedField):
    """An ISO code in either case; anything but two ASCII letters (a NUL, which PostgreSQL
    refuses in a query) is no code, before the database sees it."""

    def to_internal_value(self, data):
        if not isinstance(data, str) or not re.fullmatch(r"[A-Za-z]{2}", data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data)[:40])
        return super().to_internal_value(data.upper())


class CalendarQuerySerializer(serializers.Serializer):
    """The query: a range of at most ten years (default: a year from today) and filters."""

    to = SupportedDateField(required=False, help_text="Last day, included.")
    kind = serializers.ListField(
        child=serializers.ChoiceField(choices=CALENDAR_KINDS),
        required=False,
        help_text="Event or anniversary kind; repeat for several.",
    )
    country = CountryCodeField(
        slug_field="code", queryset=Country.objects.all(), required=False, help_text="ISO code."
    )
    organization = VisibleRelatedField(queryset=Organization.objects.all(), required=False)
    unit = IdRelatedField(queryset=Unit.objects.all(), required=False)
    milestones_only = serializers.BooleanField(
        required=False, help_text="Only milestone (round-year) anniversary occurrences."
    )

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = SupportedDateField(required=False, help_text="First day, included.")
        return fields

    def validate(self, attrs):
        start = attrs.get("from") or timezone.localdate()
        end = attrs.get("to") or dates.add_days(start, 365)  # clipped: never an overflow
        if end < start:
            raise ValidationError({"to": [f"{end} is before from ({start})."]})
        if (end - start).days > MAX_RANGE_DAYS:
            raise ValidationError(
                {"to": [f"The range is {(end - start).days} days; at most ten years are served."]}
            )
        return {**attrs, "from": start, "to": end}

    def window(self) -> Window:
        data = self.validated_data
        return Window(
            start=data["from"],
            end=data["to"],
            kinds=tuple(data.get("kind") or ()),
            country=data["country"].code if data.get("country") else None,
            organization=data["organization"].pk if data.get("organization") else None,
            unit=data["unit"].pk if data.get("unit") else None,
            milestones_only=data.get("milestones_only", False),
        )


class CalendarSourceSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["event", "anniversary"])
    id = serializers.IntegerField()
    url = serializers.URLField()


class CalendarItemSerializer(serializers.Serializer):
    """One item: an event, or one year's occurrence of an anniversary."""

    item_type = serializers.ChoiceField(choices=["event", "occurrence"])
    uid = serializers.CharField(help_text="Stable: event-<id> or anniversary-<id>-<year>.")
    date = serializers.DateField(help_text="The (first) day.")
    end_date = serializers.DateField(help_text="The last day, included.")
    all_day = serializers.BooleanField()
    starts_at = serializers.DateTimeField(allow_null=True)
    ends_at = serializers.DateTimeField(allow_null=True)
    title_vi = serializers.CharField()
    title_en = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField(allow_null=True, help_text="Events only.")
    visibility = serializers.CharField()
    ordinal = serializers.IntegerField(allow_null=True, help_text="60 for the 60th year.")
    is_milestone = serializers.BooleanField(help_text="A milestone year (năm tròn or năm chẵn).")
    milestone = serializers.ChoiceField(
        choices=["round", "even"],
        allow_null=True,
        help_text='"round": a 10th year (năm tròn); "even": another milestone, every 5th year '
        "(năm chẵn); null: not a milestone.",
    )
    country = serializers.CharField(allow_null=True)
    source = CalendarSourceSerializer()


def calendar_item(item: Event | Occurrence, request) -> dict:
    if isinstance(item, Event):
        return {
            "item_type": "event",
            "uid": f"event-{item.pk}",
            "date": item.start_date,
            "end_date": item.end_date,
            "all_day": item.all_day,
            "starts_at": item.starts_at.astimezone(item.zone) if item.starts_at else None,
            "ends_at": item.ends_at.astimezone(item.zone) if item.ends_at else None,
            "title_vi": item.title_vi,
            "title_en": item.title_en or item.title_vi,
            "kind": item.kind,
            "status": item.status,
            "visibility": item.visibility,
            "ordinal": None,
            "is_milestone": False,
            "milestone": None,
            "country": item.country_id,
            "source": source("event", item.pk, request),
        }
    anniversary = item.anniversary
    return {
        "item_type": "occurrence",
        "uid": f"anniversary-{anniversary.pk}-{item.year}",
        "date": item.date,
        "end_date": item.date,
        "all_day": True,
        "starts_at": None,
        "ends_at": None,
        "title_vi": item.title_vi,
        "title_en": item.title_en,
        "kind": anniversary.kind,
        "status": None,
        "visibility": anniversary.visibility,
        "ordinal": item.ordinal,
        "is_milestone": item.is_milestone,
        "milestone": item.milestone,
        "country": anniversary.country_id,
        "source": source("anniversary", anniversary.pk, request),
    }


def source(kind: str, pk: int, request) -> dict:
    return {"type": kind, "id": pk, "url": detail_url(kind, pk, request)}


def detail_url(kind: str, pk: int, request) -> str:
    """`reverse(f"{kind}-detail", args=[pk], request=request)`, resolved once per request and
    kind (a page of 500 items would otherwise resolve 500 times)."""
    templates = request.__dict__.setdefault("_calendar_url_templates", {})
    if kind not in templates:
        url = reverse(f"{kind}-detail", args=[0], request=request)
        head, tail = url.rsplit("/0/", 1)
        templates[kind] = (head + "/", "/" + tail)
    head, tail = templates[kind]
    return f"{head}{pk}{tail}"


class CalendarView(DeclaredParametersMixin, GenericAPIView):
    """Events and anniversary occurrences between `from` and `to` (both included, at most ten
    years), by date. An anniversary whose origin is 29 February falls on 28 February in common
    years. Occurrences are computed from each anniversary's rule: the ordinal counts years from
    the origin and every 5th year (per anniversary) is a milestone."""

    serializer_class = CalendarItemSerializer
    filter_backends: list = []

    def known_parameters(self) -> set[str]:
        return super().known_parameters() | set(CalendarQuerySerializer().fields)

    @extend_schema(
        parameters=[CalendarQuerySerializer], responses=CalendarItemSerializer(many=True)
    )
    def get(self, request):
        query = CalendarQuerySerializer(data=request.query_params, context={"request": request})
        query.is_valid(raise_exception=True)
        items = AgendaItems(viewer_for(request), query.window())  # reads only the page
        page = self.paginate_queryset(items)
        data = [calendar_item(item, request) for item in page]
        return self.get_paginated_response(CalendarItemSerializer(data, many=True).data)


# ---------------------------------------------------------------------------------------------
# Calendar feeds


class FeedPermission(BasePermission):
    """Every staff member with a role keeps their own feeds, viewers included; public-only
    tokens and tokens without the write scope may only read them."""

    def has_permission(self, request, view) -> bool:
        viewer = viewer_for(request)
        if not viewer.can_read or viewer.public_only:
            return False
        if request.method in SAFE_METHODS:
            return True
        scopes = getattr(request.auth, "scopes", None)
        return scopes is None or WRITE in scopes


class CalendarFeedSerializer(serializers.ModelSerializer):
    serializer_related_field = IdRelatedField  # the unit, by a strict id
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=CALENDAR_KINDS), required=False
    )
    country = CountryCodeField(
        slug_field="code", queryset=Country.objects.all(), required=False, allow_null=True
    )
    organization = VisibleRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = CalendarFeed
        fields = (
            "id",
            "url",
            "name",
            "language",
            "milestones_only",
            "kinds",
            "country",
            "organization",
            "unit",
            "include_cancelled",
            "preparation_days",
            "alarms",
            "token_prefix",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("token_prefix",)

    def create(self, validated_data):
        request = self.context["request"]
        feed, key = services.create_feed(
            owner=request.user, values=validated_data, user=request.user
        )
        feed.new_key = key
        return feed

    def update(self, instance, validated_data):
        return save_record(instance, values=validated_data, user=self.context["request"].user)


class CalendarFeedCreatedSerializer(CalendarFeedSerializer):
    """The answer to creation and regeneration: the only time the token is shown."""

    feed_url = serializers.SerializerMethodField(help_text="https URL to subscribe to.")
    webcal_url = serializers.SerializerMethodField(help_text="Opens the calendar app.")
    google_url = serializers.SerializerMethodField(help_text="Adds it to Google Calendar.")

    class Meta(CalendarFeedSerializer.Meta):
        fields = (*CalendarFeedSerializer.Meta.fields, "feed_url", "webcal_url", "google_url")

    def links(self, feed) -> dict[str, str]:
        return subscription_links(public_base_url(self.context["request"]), feed.new_key)

    def get_feed_url(self, feed) -> str:
        return self.links(feed)["feed_url"]

    def get_webcal_url(self, feed) -> str:
        return self.links(feed)["webcal_url"]

    def get_google_url(self, feed) -> str:
        return self.links(feed)["google_url"]


@extend_schema_view(create=extend_schema(responses={201: CalendarFeedCreatedSerializer}))
class CalendarFeedViewSet(
    SelectorMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your calendar subscriptions. The address holds a secret token (shown once, when the feed
    is made or its token regenerated); it shows what you may see when the calendar asks."""

    selector = selectors.calendar_feeds
    serializer_class = CalendarFeedSerializer
    permission_classes = [FeedPermission]
    filter_backends: list = []

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        feed = serializer.save()
        data = CalendarFeedCreatedSerializer(feed, context=self.get_serializer_context()).data
        return Response(
            data, status=status.HTTP_201_CREATED, headers={"Location": str(data["url"])}
        )

    def perform_destroy(self, instance):
        archive(instance, user=self.request.user)  # the address stops working; history stays

    @extend_schema(request=None, responses=CalendarFeedCreatedSerializer)
    @action(detail=True, methods=["post"], url_path="regenerate-token")
    def regenerate_token(self, request, pk=None):
        """A new secret address; the old one answers 404 from now on."""
        feed = self.get_object()
        feed.new_key = services.regenerate_feed_token(feed, user=request.user)
        return Response(CalendarFeedCreatedSerializer(feed, context={"request": request}).data)
