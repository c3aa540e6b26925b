"""Representations of the contacts domain. Writes go through `contacts.services`.

Reads carry short forms of related rows; writes take their ids. Contact points are written
nested in their person or organisation: the list given replaces the current one, all or nothing.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from api.access import viewer_for
from api.fields import (
    LocalTimeField,
    ModelSerializer,
    NameListField,
    ParticipantsField,
    ShortRelatedField,
    VisibleRelatedField,
)
from contacts import services
from contacts.models import (
    Agreement,
    ContactPoint,
    Country,
    FollowUp,
    Interaction,
    Organization,
    Person,
    Pillar,
    PillarTag,
    Position,
    Unit,
    language_choices,
)
from events import selectors as event_selectors
from events import services as event_services
from events.models import Event

TIMESTAMPS = ("created_at", "updated_at")


# ---------------------------------------------------------------------------------------------
# What a viewer may see of a row

# Fields that name staff accounts (their ids, usernames and names): who worked on what is
# internal, so public-only callers never see them, in any serializer, on any row.
ACCOUNT_FIELDS = frozenset(
    {"staff", "assignee", "owner", "user", "created_by", "updated_by", "changed_by"}
)


class ViewerFieldsMixin:
    """Fields a viewer may not see are absent from the response (not null), and writing them
    without the right is an error naming the field, never a silent drop."""

    personal_fields: tuple[str, ...] = ()
    internal_fields: tuple[str, ...] = ()  # hidden from public-only callers, as ACCOUNT_FIELDS

    def hidden_fields(self) -> set[str]:
        request = self.context.get("request")
        if request is None:
            return set()
        viewer = viewer_for(request)
        hidden = set() if viewer.personal_data else set(self.personal_fields)
        if viewer.public_only:
            hidden |= set(self.internal_fields) | ACCOUNT_FIELDS
        return hidden

    def get_fields(self):
        fields = super().get_fields()
        for name in self.hidden_fields():
            fields.pop(name, None)
        return fields

    def to_internal_value(self, data):
        refused = self.hidden_fields() & set(getattr(data, "keys", lambda: [])())
        if refused:
            raise serializers.ValidationError(
                {name: [_("Writing this field needs the personal-data scope.")] for name in refused}
            )
        return super().to_internal_value(data)


# ---------------------------------------------------------------------------------------------
# Short forms


class CountryShortSerializer(ModelSerializer):
    class Meta:
        model = Country
        fields = ("code", "name_vi", "name_en")


class OrganizationShortSerializer(ModelSerializer):
    class Meta:
        model = Organization
        fields = ("id", "url", "name_native", "name_vi", "name_en", "abbreviation", "country")


class PersonShortSerializer(ModelSerializer):
    class Meta:
        model = Person
        fields = ("id", "url", "full_name_native", "name_latin", "name_vi")


class UserShortSerializer(ModelSerializer):
    full_name = serializers.CharField(source="get_full_name", read_only=True)

    class Meta:
        model = get_user_model()
        fields = ("id", "username", "full_name")


class ParticipantSerializer(PersonShortSerializer):
    """A person in an interaction, with their role in it."""

    role = serializers.SerializerMethodField()

    class Meta(PersonShortSerializer.Meta):
        fields = (*PersonShortSerializer.Meta.fields, "role")

    def get_role(self, person) -> str:
        return getattr(person, "participant_role", "")


class EventShortSerializer(ModelSerializer):
    class Meta:
        model = Event
        fields = ("id", "url", "title_vi", "title_en", "kind", "start_date", "end_date", "status")


class FollowUpShortSerializer(ViewerFieldsMixin, ModelSerializer):
    class Meta:
        model = FollowUp
        fields = ("id", "url", "action", "due_on", "status", "assignee")


# ---------------------------------------------------------------------------------------------
# Base: validated data handed to the services


class ServiceModelSerializer(ViewerFieldsMixin, ModelSerializer):
    """Splits validated data into plain values, many-to-many relations, tags and contact
    points, and lets `contacts.services` write them (validated by the models, atomically)."""

    serializer_related_field = VisibleRelatedField

    def create(self, validated_data: dict[str, Any]):
        return self.save_with_service(self.Meta.model(), validated_data)

    def update(self, instance, validated_data: dict[str, Any]):
        return self.save_with_service(instance, validated_data)

    def split(self, validated_data: dict[str, Any]) -> dict[str, Any]:
        data = dict(validated_data)
        parts: dict[str, Any] = {"tags": data.pop("tags", None)}
        if "contact_points" in data:
            parts["contact_points"] = data.pop("contact_points")
        if "pillars" in data:
            data["pillars"] = PillarTag.objects.filter(code__in=data["pillars"])
        relations = {}
        for name in list(data):
            if self.Meta.model._meta.get_field(name).many_to_many:
                relations[name] = data.pop(name)
        return {"values": data, "relations": relations, **parts}

    def save_with_service(self, instance, validated_data: dict[str, Any]):
        return services.save_record(
            instance, user=self.context["request"].user, **self.split(validated_data)
        )


# ---------------------------------------------------------------------------------------------
# Reference resources (read-only)


class CountrySerializer(ModelSerializer):
    id = serializers.CharField(source="code", read_only=True)
    asean_member = serializers.BooleanField(source="is_asean_member", read_only=True)
    # In the reader's language (Accept-Language); both languages follow as their own fields.
    national_day_name = serializers.CharField(read_only=True)
    notes = serializers.CharField(read_only=True)

    class Meta:
        model = Country
        fields = (
            "id",
            "url",
            "code",
            "name_vi",
            "name_en",
            "name_native",
            "asean_member",
            "asean_joined_on",
            "national_day_month",
            "national_day_day",
            "national_day_name",
            "national_day_name_vi",
            "national_day_name_en",
            "diplomatic_relations_on",
            "notes",
            "notes_vi",
            "notes_en",
            "source",
            *TIMESTAMPS,
        )


class UnitSerializer(ModelSerializer):
    class Meta:
        model = Unit
        fields = ("id", "url", "code", "name_vi", "name_en", "abbreviation", *TIMESTAMPS)


# ---------------------------------------------------------------------------------------------
# People and organisations


class ContactPointSerializer(ModelSerializer):
    """Phones are read as typed in the owner's country and stored in E.164."""

    id = serializers.IntegerField(required=False, help_text="Give it to change that point.")
    display_value = serializers.CharField(read_only=True)

    class Meta:
        model = ContactPoint
        fields = ("id", "kind", "label", "value", "display_value", "is_primary")


POSITION_FIELDS = ("id", "url", "title", "department", "start_date", "end_date", "is_primary")


class PositionInPersonSerializer(ModelSerializer):
    organization = OrganizationShortSerializer(read_only=True)

    class Meta:
        model = Position
        fields = (*POSITION_FIELDS, "organization")


class PositionInOrganizationSerializer(ModelSerializer):
    person = PersonShortSerializer(read_only=True)

    class Meta:
        model = Position
        fields = (*POSITION_FIELDS, "person")


def tags_field() -> NameListField:
    return NameListField(
        "name",
        child=serializers.CharField(max_length=100),
        required=False,
        help_text="Tag names; new names create tags.",
    )


def pillars_field() -> NameListField:
    return NameListField(
        "code", child=serializers.ChoiceField(choices=Pillar.choices), required=False
    )


class PersonSerializer(ServiceModelSerializer):
    personal_fields = (
        "contact_points",
        "birth_year",
        "birth_month",
        "birth_day",
        "home_commune",
        "home_commune_former",
        "notes",
    )
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=language_choices()),
        required=False,
        help_text='ISO 639 codes, e.g. ["km", "vi"].',
    )
    tags = tags_field()
    contact_points = ContactPointSerializer(many=True, required=False)
    current_positions = PositionInPersonSerializer(many=True, read_only=True)

    class Meta:
        model = Person
        fields = (
            "id",
            "url",
            "full_name_native",
            "name_latin",
            "name_vi",
            "honorific",
            "gender",
            "nationality",
            "residence_country",
            "category",
            "home_commune",
            "home_commune_former",
            "occupation",
            "languages",
            "birth_year",
            "birth_month",
            "birth_day",
            "notes",
            "tags",
            "owner_unit",
            "contact_points",
            "current_positions",
            *TIMESTAMPS,
        )


class OrganizationSerializer(ServiceModelSerializer):
    internal_fields = ("notes", "notes_en")
    pillars = pillars_field()
    tags = tags_field()
    contact_points = ContactPointSerializer(many=True, required=False)
    current_people = PositionInOrganizationSerializer(
        source="current_positions", many=True, read_only=True
    )

    class Meta:
        model = Organization
        fields = (
            "id",
            "url",
            "name_native",
            "name_vi",
            "name_en",
            "abbreviation",
            "kind",
            "country",
            "region",
            "subdivision_code",
            "parent",
            "website",
            "address",
            "pillars",
            "relationship_status",
            "tags",
            "notes",
            "owner_unit",
            "contact_points",
            "current_people",
            *TIMESTAMPS,
        )


class PositionSerializer(ServiceModelSerializer):
    person = ShortRelatedField(PersonShortSerializer, queryset=Person.objects.all())
    organization = ShortRelatedField(
        OrganizationShortSerializer, queryset=Organization.objects.all()
    )
    is_current = serializers.SerializerMethodField()

    class Meta:
        model = Position
        fields = (
            "id",
            "url",
            "person",
            "organization",
            "title",
            "department",
            "start_date",
            "end_date",
            "is_primary",
            "is_current",
            *TIMESTAMPS,
        )

    def get_is_current(self, position: Position) -> bool:
        return position.is_current()


# ---------------------------------------------------------------------------------------------
# The contact log


class EventOfInteractionField(ShortRelatedField):
    """The event an interaction happened at: written by id, read short, hidden (null) from
    those who may not see the event. Stored by `events` (the app above contacts)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("source", "event_link")
        super().__init__(*args, **kwargs)

    def get_attribute(self, instance):
        return event_selectors.event_of(instance, viewer_for(self.context["request"]))


def organizations_field() -> ShortRelatedField:
    return ShortRelatedField(
        OrganizationShortSerializer, queryset=Organization.objects.all(), many=True, required=False
    )


def staff_field() -> ShortRelatedField:
    """Staff taking part: active staff users, written by id."""
    return ShortRelatedField(
        UserShortSerializer,
        queryset=get_user_model().objects.filter(is_staff=True, is_active=True),
        many=True,
        required=False,
    )


class InteractionSerializer(ServiceModelSerializer):
    people = ParticipantsField(
        child_relation=ShortRelatedField(ParticipantSerializer, queryset=Person.objects.all()),
        required=False,
        help_text="External participants: ids to write; read with their role.",
    )
    occurred_time = LocalTimeField(required=False, allow_null=True)
    organizations = organizations_field()
    staff = staff_field()
    pillars = pillars_field()
    follow_ups = FollowUpShortSerializer(many=True, read_only=True)
    event = EventOfInteractionField(
        EventShortSerializer,
        queryset=Event.objects.all(),
        required=False,
        allow_null=True,
        help_text="The event it happened at (id to write; null: none).",
    )

    class Meta:
        model = Interaction
        fields = (
            "id",
            "url",
            "occurred_on",
            "occurred_time",
            "time_zone",
            "kind",
            "subject",
            "summary",
            "outcome",
            "location",
            "people",
            "organizations",
            "staff",
            "pillars",
            "confidentiality",
            "owner_unit",
            "follow_ups",
            "event",
            *TIMESTAMPS,
        )

    def save_with_service(self, instance, validated_data: dict[str, Any]):
        data = dict(validated_data)
        has_event, event = "event_link" in data, data.pop("event_link", None)
        parts = self.split(data)
        people = parts["relations"].pop("people", None)
        user = self.context["request"].user
        with transaction.atomic():
            interaction = services.save_interaction(
                instance,
                values=parts["values"],
                relations=parts["relations"],
                people=people,
                user=user,
            )
            if has_event:
                event_services.set_interaction_event(interaction, event, user=user)
        return interaction


class FollowUpSerializer(ServiceModelSerializer):
    is_overdue = serializers.SerializerMethodField(
        help_text="Open and due before today (the server's date)."
    )

    class Meta:
        model = FollowUp
        fields = (
            "id",
            "url",
            "interaction",
            "action",
            "details",
            "due_on",
            "assignee",
            "status",
            "done_at",
            "is_overdue",
            *TIMESTAMPS,
        )

    def get_is_overdue(self, follow_up: FollowUp) -> bool:
        """The list's annotation (`FollowUpQuerySet.with_state`); computed for a row read
        without it (the answer to a write)."""
        annotated = getattr(follow_up, "is_overdue", None)
        if annotated is not None:
            return bool(annotated)
        return follow_up.is_overdue_on(timezone.localdate())


class AgreementSerializer(ServiceModelSerializer):
    parties = ShortRelatedField(
        OrganizationShortSerializer, queryset=Organization.objects.all(), many=True, required=False
    )

    class Meta:
        model = Agreement
        fields = (
            "id",
            "url",
            "title",
            "kind",
            "parties",
            "signed_on",
            "signed_at",
            "valid_from",
            "valid_until",
            "status",
            "summary",
            "document",
            "confidentiality",
            "owner_unit",
            *TIMESTAMPS,
        )


# ---------------------------------------------------------------------------------------------
# Contact history summary


class RevisionSerializer(ViewerFieldsMixin, serializers.Serializer):
    changed_at = serializers.DateTimeField()
    changed_by = serializers.DictField(
        allow_null=True,
        required=False,  # absent for public-only tokens (ACCOUNT_FIELDS)
        help_text="{id, username} or null; absent for public-only tokens.",
    )
    action = serializers.ChoiceField(choices=["create", "update", "delete"])
    reason = serializers.CharField()
    changes = serializers.ListField(
        child=serializers.DictField(), help_text='[{"field", "old", "new"}], oldest first.'
    )


class HistorySummarySerializer(serializers.Serializer):
    count = serializers.IntegerField()
    first_contact = serializers.DateField(allow_null=True)
    last_contact = serializers.DateField(allow_null=True)
    by_year = serializers.DictField(child=serializers.IntegerField())
    by_kind = serializers.DictField(child=serializers.IntegerField())
    open_follow_ups = FollowUpShortSerializer(many=True)
