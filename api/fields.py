"""Serializer fields for the API's conventions: related rows written by id, read in short form."""

import datetime
import re

from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from crm import dates
from crm.numbers import INT64_MAX, parse_int


class IdRelatedField(serializers.PrimaryKeyRelatedField):
    """A related row written by its id, read strictly (`crm.numbers.parse_int`): an integer
    key is a whole number from 1 to 2**63 - 1 (a JSON number or a string of ASCII digits),
    never "١٢", 1.0, true or 23 digits the database cannot hold."""

    default_error_messages = {"invalid_id": _("Use an id: a whole number from 1 to {max}.")}

    def to_internal_value(self, data):
        queryset = self.get_queryset()
        if queryset is not None and isinstance(queryset.model._meta.pk, models.IntegerField):
            try:
                data = parse_int(data, minimum=1)
            except ValueError:
                self.fail("invalid_id", max=INT64_MAX)
        return super().to_internal_value(data)


class VisibleRelatedField(IdRelatedField):
    """A related row written by id: only rows the requesting user may see are accepted."""

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        if request is not None and hasattr(queryset, "visible_to"):
            queryset = queryset.visible_to(request.user)
        return queryset

    def to_internal_value(self, data):
        # No key holds a NUL, and PostgreSQL refuses one in a query (a 500, not a 400).
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class ShortRelatedField(VisibleRelatedField):
    """Write a related row by its id; read it back as a short object (id, url, names…).

    `short` is the serializer that renders the short form. Rows must be prefetched by the
    selector, so reading costs no query per row.
    """

    def __init__(self, short: type[serializers.Serializer], **kwargs):
        self.short = short
        self._short_serializer = None
        super().__init__(**kwargs)

    def use_pk_only_optimization(self) -> bool:
        return False

    def get_choices(self, cutoff: int | None = None) -> dict:
        """The choices of the browsable API's form, keyed by id (what is written), not by the
        short form (a dict: not a key)."""
        queryset = self.get_queryset()
        if queryset is None:
            return {}
        if cutoff is not None:
            queryset = queryset[:cutoff]
        return {item.pk: self.display_value(item) for item in queryset}

    def to_representation(self, value):
        # One short serializer per field, reused for every row: building a ModelSerializer's
        # fields costs far more than rendering a row with them.
        if self._short_serializer is None:
            self._short_serializer = self.short(context=self.context)
        return self._short_serializer.to_representation(value)


class NameListField(serializers.ListField):
    """A many-to-many read as a list of one attribute (tag names, pillar codes), written as one."""

    def __init__(self, attribute: str, **kwargs):
        self.attribute = attribute
        super().__init__(**kwargs)

    def to_representation(self, data):
        return [getattr(item, self.attribute) for item in data.all()]


class ParticipantsField(serializers.ManyRelatedField):
    """An interaction's people, read from its prefetched participants so each carries a role."""

    def get_attribute(self, instance):
        people = []
        for participant in instance.participants.all():
            participant.person.participant_role = participant.role
            people.append(participant.person)
        return people


class FastIdentityField(serializers.HyperlinkedIdentityField):
    """A row's `url`, as HyperlinkedIdentityField writes it, without resolving the URL
    pattern for every row: the URL is reversed once per request and view name with a
    placeholder id, and each row's integer id is put in its place."""

    PLACEHOLDER = 987654321987654321

    def get_url(self, obj, view_name, request, format):
        pk = getattr(obj, "pk", None)
        if format or request is None or self.lookup_field != "pk" or type(pk) is not int:
            return super().get_url(obj, view_name, request, format)
        templates = request.__dict__.setdefault("_url_templates", {})
        template = templates.get(view_name, False)
        if template is False:
            placeholder = type("Placeholder", (), {"pk": self.PLACEHOLDER})()
            url = super().get_url(placeholder, view_name, request, format)
            template = templates[view_name] = url.split(str(self.PLACEHOLDER))
            if len(template) != 2:  # the id is not in the URL once: no shortcut
                template = templates[view_name] = None
        if template is None:
            return super().get_url(obj, view_name, request, format)
        return f"{template[0]}{pk}{template[1]}"


class ModelSerializer(serializers.ModelSerializer):
    """DRF's ModelSerializer with the faster `url` field, and dates read as the filters read
    them (ISO 8601 or day first, within the supported range)."""

    serializer_url_field = FastIdentityField

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if field_class is serializers.DateField:
            field_class = SupportedDateField
        elif field_class is serializers.DateTimeField:
            field_class = SupportedDateTimeField
        return field_class, kwargs


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?$",
        "example": "09:30:00",
        "description": "Local wall-clock time (HH:MM[:SS]), in the row's `time_zone`.",
    }
)
class LocalTimeField(serializers.TimeField):
    """A time of day without an offset (its zone is another field). OpenAPI's `format: time`
    means RFC 3339 full-time, which requires an offset, so the schema gives a pattern; a
    value with an offset is refused rather than silently stripped of it."""

    OFFSET = re.compile(r"(Z|[+-]\d{2}(:?\d{2})?)$", re.IGNORECASE)

    def to_internal_value(self, value):
        if isinstance(value, str) and self.OFFSET.search(value.strip()):
            self.fail("invalid", format="HH:MM[:SS], without an offset")
        return super().to_internal_value(value)


class SupportedDateField(serializers.DateField):
    """A date as ISO 8601 or day first (dd/mm/yyyy), within the supported range
    (`crm.dates`): a 400 naming the field, never an overflow further on."""

    def to_internal_value(self, value):
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            value = value.isoformat()
        try:
            return dates.parse_date(str(value))
        except dates.DateRangeError as exc:
            raise serializers.ValidationError(f"{exc} ({value!r})") from None
        except ValueError:
            raise serializers.ValidationError(
                _("Use a date as YYYY-MM-DD or DD/MM/YYYY (got %(value)r).") % {"value": value}
            ) from None


class SupportedDateTimeField(serializers.DateTimeField):
    """A datetime as DRF reads ISO 8601, or day first as staff type it (02/03/2026 09:30,
    in the server's zone without an offset; `crm.dates`), never month first."""

    def to_internal_value(self, value):
        if isinstance(value, str) and dates.is_day_first(value):
            try:
                return self.enforce_timezone(dates.parse_datetime(value))
            except dates.DateRangeError as exc:
                raise serializers.ValidationError(f"{exc} ({value!r})") from None
            except ValueError:
                self.fail("invalid", format="YYYY-MM-DDThh:mm[:ss][+HH:MM], DD/MM/YYYY hh:mm")
        return super().to_internal_value(value)
