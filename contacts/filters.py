"""Filters staff use on every list (django-filter). Unknown or malformed values are errors.

Every FilterSet has `q` (the accent-free search), `updated_since` and `ordering`; ordering is a
django-filter choice, so an unknown field answers 400 instead of being ignored. Each error is
reported under the parameter the client sent, with the value it sent.
"""

import datetime
import re

import django_filters as filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.forms.utils import ErrorDict, ErrorList
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES
from django_filters.fields import ModelChoiceField

from contacts.models import (
    Agreement,
    Confidentiality,
    Country,
    FollowUp,
    Interaction,
    Organization,
    Person,
    Pillar,
    Position,
    Unit,
    held_on,
)
from crm import dates
from crm.collation import collated_if_text
from crm.numbers import INT64_MAX, INT64_MIN, parse_int


class StrictBooleanField(forms.Field):
    """true/false (or 1/0); anything else is an error rather than "no filter"."""

    VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value):
        if value in (None, ""):
            return None
        try:
            return self.VALUES[str(value).strip().lower()]
        except KeyError:
            raise ValidationError(_("Use true or false."), code="invalid") from None


class SupportedDateField(forms.DateField):
    """A date as ISO 8601 or day first (dd/mm/yyyy), within the supported range
    (`crm.dates`): out of it, a 400 naming the parameter rather than an overflow (a 500)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        try:
            return dates.parse_date(str(value))
        except dates.DateRangeError as exc:
            raise ValidationError(str(exc), code="out_of_range") from None
        except ValueError:
            raise ValidationError(
                _("Use a date as YYYY-MM-DD or DD/MM/YYYY."), code="invalid"
            ) from None


class SupportedDateTimeField(forms.DateTimeField):
    """A datetime as ISO 8601 (its offset honoured; none: the server's zone) or day first,
    within the supported range (`crm.dates`)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            if isinstance(value, datetime.datetime):
                return dates.check_datetime(value)
            return dates.parse_datetime(str(value))
        except dates.DateRangeError as exc:
            raise ValidationError(str(exc), code="out_of_range") from None
        except ValueError:
            raise ValidationError(
                _("Use an ISO 8601 date and time, e.g. 2026-11-01T09:00:00+07:00."),
                code="invalid",
            ) from None


class DateFilter(filters.DateFilter):
    field_class = SupportedDateField


class DateTimeFilter(filters.IsoDateTimeFilter):
    field_class = SupportedDateTimeField


# Ids and numbers in query strings are read by `crm.numbers.parse_int` (ASCII digits, within
# the id columns' range): `IdFilter` for rows, `IntegerFilter` for numbers. django-filter's own
# ModelChoiceFilter and NumberFilter take "١٢" or 23 digits and pass them to the database (a
# 500 on SQLite); tests/api/test_numbers.py checks that no filterset uses them.


class IdField(ModelChoiceField):
    """A row by its id: a whole number from 1 to 2**63 - 1 in ASCII digits, else an error
    saying so; then one the caller may see, else "not one of the available choices"."""

    default_error_messages = {
        "invalid_id": _("Use an id: a whole number from 1 to %(max)s."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            parse_int(value, minimum=1)
        except ValueError:
            raise ValidationError(
                self.error_messages["invalid_id"], code="invalid", params={"max": INT64_MAX}
            ) from None
        return super().to_python(value)


class IdFilter(filters.ModelChoiceFilter):
    field_class = IdField


class StrictIntegerField(forms.IntegerField):
    """A whole number in ASCII digits (a "-" only when negatives are allowed) within the
    field's bounds, which never exceed the 64-bit range."""

    default_error_messages = {
        "invalid": _("Use a whole number from %(min)s to %(max)s."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        low = INT64_MIN if self.min_value is None else self.min_value
        high = INT64_MAX if self.max_value is None else self.max_value
        try:
            return parse_int(str(value), minimum=low, maximum=high)
        except ValueError:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"min": low, "max": high}
            ) from None


class IntegerFilter(filters.NumberFilter):
    field_class = StrictIntegerField

    def get_max_validator(self):
        return None  # the field's own bounds


class CountryCodeField(forms.ModelChoiceField):
    """ISO codes in either case: `kh` is KH; anything but two ASCII letters is not a code."""

    CODE = re.compile(r"[A-Za-z]{2}\Z")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not isinstance(value, str) or not self.CODE.match(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value.upper())


class CountryCodeFilter(filters.ModelChoiceFilter):
    field_class = CountryCodeField


class BooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField


class OrderingFilter(filters.OrderingFilter):
    """Sorts by the fields asked for, then by id, so that pages never overlap or skip rows.
    Text (names, titles) sorts in Vietnamese order (`crm.collation`), as the default orderings."""

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        ordering = [
            self.collated(qs.model, self.get_ordering_value(param))
            for param in value
            if param not in EMPTY_VALUES
        ]
        return qs.order_by(*ordering, "pk")

    @staticmethod
    def collated(model, ordering: str):
        return collated_if_text(model, ordering)


class ParameterErrorsMixin:
    """Errors keyed by the query parameter, each naming the value sent."""

    @property
    def errors(self) -> ErrorDict:
        named = ErrorDict()
        for name, errors in self.form.errors.as_data().items():
            value = self.data.get(name)
            named[name] = ErrorList(
                [
                    # The value as a parameter, not in the message: django-filter formats the
                    # message with its parameters, so a "%" sent in the value would break it.
                    ValidationError(
                        _("%(message)s (got %(value)r)"),
                        code=error.code,
                        params={"message": msg, "value": value},
                    )
                    if value is not None and str(value) not in (msg := " ".join(error.messages))
                    else error
                    for error in errors
                ]
            )
        return named


class BaseFilterSet(ParameterErrorsMixin, filters.FilterSet):
    updated_since = DateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label="Changed at or after this ISO 8601 datetime (e.g. 2026-11-01T00:00:00+07:00).",
    )

    archived = BooleanFilter(
        method="noop",
        label="true: archived rows instead of live ones (managers and above).",
    )

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # Personal data (phones, home communes) is searched only for those who may see it;
        # the API puts its Viewer on the request.
        viewer = getattr(self.request, "crm_viewer", None)
        return queryset.search(value, personal=bool(viewer and viewer.personal_data))

    def noop(self, queryset: QuerySet, name: str, value) -> QuerySet:
        """Validated and documented here; applied by the view before filtering."""
        return queryset


def visible(model):
    """The choices of an id filter are the rows the caller may see: a hidden row's id answers
    like an unknown one, so a filter cannot reveal that it exists."""

    def rows(request):
        viewer = getattr(request, "crm_viewer", None)
        return model.objects.visible_to(viewer) if viewer else model.objects.none()

    return rows


def search_filter(label: str) -> filters.CharFilter:
    return filters.CharFilter(method="search", label=label)


def ordering(*fields: str | tuple[str, str]) -> OrderingFilter:
    return OrderingFilter(fields=fields, label="Sort by a field; prefix - to reverse.")


def date_range(field_name: str, noun: str) -> tuple[DateFilter, DateFilter]:
    """`<x>_after` and `<x>_before`, both inclusive, as two parameters of their own."""
    return (
        DateFilter(field_name=field_name, lookup_expr="gte", label=f"{noun} on or after."),
        DateFilter(field_name=field_name, lookup_expr="lte", label=f"{noun} on or before."),
    )


def country_filter(field_name: str | None, label: str, **kwargs) -> filters.ModelChoiceFilter:
    return CountryCodeFilter(
        field_name=field_name,
        queryset=Country.objects.all(),
        label=label,
        to_field_name="code",
        **kwargs,
    )


def unit_filter() -> IdFilter:
    return IdFilter(field_name="owner_unit", queryset=Unit.objects.all(), label="Owner unit id.")


def pillar_filter() -> filters.ChoiceFilter:
    return filters.ChoiceFilter(field_name="pillars", choices=Pillar.choices, label="ASEAN pillar.")


def tag_filter() -> filters.CharFilter:
    return filters.CharFilter(field_name="tags__name", label="Tag name (exact).")


class CountryFilter(BaseFilterSet):
    q = search_filter("Accent-free search over code and names.")
    asean = BooleanFilter(
        field_name="asean_joined_on", lookup_expr="isnull", exclude=True, label="ASEAN members."
    )
    ordering = ordering("code", "name_vi", "name_en", "asean_joined_on", "diplomatic_relations_on")

    class Meta:
        model = Country
        fields = []


class UnitFilter(BaseFilterSet):
    ordering = ordering("name_vi", "code")

    class Meta:
        model = Unit
        fields = []


class OrganizationFilter(BaseFilterSet):
    q = search_filter("Accent-free search over names in every script, abbreviation, contacts.")
    country = country_filter("country", "ISO 3166-1 alpha-2 code.")
    kind = filters.ChoiceFilter(choices=Organization.Kind.choices)
    status = filters.ChoiceFilter(
        field_name="relationship_status", choices=Organization.Status.choices
    )
    pillar = pillar_filter()
    tag = tag_filter()
    owner_unit = unit_filter()
    parent = IdFilter(queryset=visible(Organization))
    ordering = ordering("name_vi", "name_en", "name_native", "kind", "country", "updated_at")

    class Meta:
        model = Organization
        fields = []


class PersonFilter(BaseFilterSet):
    q = search_filter("Accent-free search over names in every script and contact values.")
    country = country_filter(
        None, "Nationality or country of residence (ISO code).", method="filter_country"
    )
    nationality = country_filter("nationality", "Nationality (ISO code).")
    residence_country = country_filter("residence_country", "Country of residence (ISO code).")
    category = filters.ChoiceFilter(choices=Person.Category.choices)
    gender = filters.ChoiceFilter(choices=Person.Gender.choices)
    organization = IdFilter(
        queryset=visible(Organization),
        method="filter_organization",
        label="Holds a position at this organisation now (id).",
    )
    tag = tag_filter()
    owner_unit = unit_filter()
    ordering = ordering("name_vi", "name_latin", "full_name_native", "category", "updated_at")

    class Meta:
        model = Person
        fields = []

    def filter_country(self, queryset: QuerySet, name: str, value: Country) -> QuerySet:
        return queryset.filter(Q(nationality=value) | Q(residence_country=value))

    def filter_organization(self, queryset: QuerySet, name: str, value: Organization) -> QuerySet:
        current = Position.objects.filter(
            held_on(timezone.localdate()), person=OuterRef("pk"), organization=value
        )
        return queryset.filter(Exists(current))


class PositionFilter(BaseFilterSet):
    person = IdFilter(queryset=visible(Person))
    organization = IdFilter(queryset=visible(Organization))
    current = BooleanFilter(
        method="filter_current", label="true: held today; false: ended or not yet started."
    )
    ordering = ordering("start_date", "end_date", "title", "updated_at")

    class Meta:
        model = Position
        fields = []

    def filter_current(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        current = queryset.current()
        return current if value else queryset.exclude(pk__in=current.values("pk"))


class InteractionFilter(BaseFilterSet):
    q = search_filter("Accent-free search over subject and summary.")
    date_after, date_before = date_range("occurred_on", "Happened")
    kind = filters.ChoiceFilter(choices=Interaction.Kind.choices)
    pillar = pillar_filter()
    confidentiality = filters.ChoiceFilter(choices=Confidentiality.choices)
    organization = IdFilter(field_name="organizations", queryset=visible(Organization))
    person = IdFilter(field_name="people", queryset=visible(Person))
    country = country_filter(
        None, "Country of an organisation involved (ISO code).", method="filter_country"
    )
    owner_unit = unit_filter()
    ordering = ordering("occurred_on", "kind", "subject", "updated_at")

    class Meta:
        model = Interaction
        fields = []

    def filter_country(self, queryset: QuerySet, name: str, value: Country) -> QuerySet:
        involved = Interaction.organizations.through.objects.filter(
            interaction=OuterRef("pk"), organization__country=value
        )
        return queryset.filter(Exists(involved))


class FollowUpFilter(BaseFilterSet):
    status = filters.ChoiceFilter(choices=FollowUp.Status.choices)
    interaction = IdFilter(queryset=visible(Interaction))
    assignee = IntegerFilter(field_name="assignee", min_value=1, label="Assignee user id.")
    due_before = DateFilter(field_name="due_on", lookup_expr="lte", label="Due on or before.")
    due_after = DateFilter(field_name="due_on", lookup_expr="gte", label="Due on or after.")
    overdue = BooleanFilter(
        method="filter_overdue",
        label="true: open and due before today; false: every other one.",
    )
    mine = BooleanFilter(
        method="filter_mine",
        label="true: assigned to you; false: assigned to someone else or to nobody.",
    )
    # `status` sorts open ones first (not by the codes' alphabetical order).
    ordering = ordering("due_on", ("status_rank", "status"), "updated_at")

    class Meta:
        model = FollowUp
        fields = []

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        return queryset if value is None else queryset.overdue(value)

    def filter_mine(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        user = getattr(self.request, "user", None)
        mine = queryset.assigned_to(user)
        return mine if value else queryset.exclude(pk__in=mine.values("pk"))


class AgreementFilter(BaseFilterSet):
    q = search_filter("Accent-free search over title and summary.")
    kind = filters.ChoiceFilter(choices=Agreement.Kind.choices)
    status = filters.ChoiceFilter(choices=Agreement.Status.choices)
    organization = IdFilter(
        field_name="parties", queryset=visible(Organization), label="A party (id)."
    )
    owner_unit = unit_filter()
    signed_after, signed_before = date_range("signed_on", "Signed")
    valid_until_after, valid_until_before = date_range("valid_until", "Valid until")
    ordering = ordering("signed_on", "valid_until", "title", "updated_at")

    class Meta:
        model = Agreement
        fields = []


class HistoryFilter(ParameterErrorsMixin, filters.FilterSet):
    """Filters of a contact history (`since`, `until`, `kind`, `pillar`)."""

    since = DateFilter(field_name="occurred_on", lookup_expr="gte", label="On or after.")
    until = DateFilter(field_name="occurred_on", lookup_expr="lte", label="On or before.")
    kind = filters.ChoiceFilter(choices=Interaction.Kind.choices)
    pillar = pillar_filter()

    class Meta:
        model = Interaction
        fields = []
