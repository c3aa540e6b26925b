"""Filters staff use on every list (django-filter). Unknown or malformed values are errors.

Every FilterSet has `q` (the accent-free search), `updated_since` and `ordering`; ordering is a
django-filter choice, so an unknown field answers 400 instead of being ignored.
"""

import django_filters as filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

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


class BaseFilterSet(filters.FilterSet):
    updated_since = filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label="Changed at or after this ISO 8601 datetime (e.g. 2026-11-01T00:00:00+07:00).",
    )

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.search(value)


def search_filter(label: str) -> filters.CharFilter:
    return filters.CharFilter(method="search", label=label)


def ordering(*fields: str) -> filters.OrderingFilter:
    return filters.OrderingFilter(fields=fields, label="Sort by a field; prefix - to reverse.")


def country_filter(field_name: str, label: str) -> filters.ModelChoiceFilter:
    return filters.ModelChoiceFilter(
        field_name=field_name, queryset=Country.objects.all(), label=label
    )


def unit_filter() -> filters.ModelChoiceFilter:
    return filters.ModelChoiceFilter(
        field_name="owner_unit", queryset=Unit.objects.all(), label="Owner unit id."
    )


def pillar_filter() -> filters.ChoiceFilter:
    return filters.ChoiceFilter(field_name="pillars", choices=Pillar.choices, label="ASEAN pillar.")


def tag_filter() -> filters.CharFilter:
    return filters.CharFilter(field_name="tags__name", label="Tag name (exact).")


class CountryFilter(BaseFilterSet):
    q = search_filter("Accent-free search over code and names.")
    asean = filters.BooleanFilter(
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
    parent = filters.ModelChoiceFilter(queryset=Organization.objects.all())
    ordering = ordering("name_vi", "name_en", "name_native", "kind", "country", "updated_at")

    class Meta:
        model = Organization
        fields = []


class PersonFilter(BaseFilterSet):
    q = search_filter("Accent-free search over names in every script and contact values.")
    country = filters.ModelChoiceFilter(
        queryset=Country.objects.all(),
        method="filter_country",
        label="Nationality or country of residence (ISO code).",
    )
    nationality = country_filter("nationality", "Nationality (ISO code).")
    residence_country = country_filter("residence_country", "Country of residence (ISO code).")
    category = filters.ChoiceFilter(choices=Person.Category.choices)
    gender = filters.ChoiceFilter(choices=Person.Gender.choices)
    organization = filters.ModelChoiceFilter(
        queryset=Organization.objects.all(),
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
    person = filters.ModelChoiceFilter(queryset=Person.objects.all())
    organization = filters.ModelChoiceFilter(queryset=Organization.objects.all())
    current = filters.BooleanFilter(
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
    date = filters.DateFromToRangeFilter(
        field_name="occurred_on", label="Date range: date_after and date_before (inclusive)."
    )
    kind = filters.ChoiceFilter(choices=Interaction.Kind.choices)
    pillar = pillar_filter()
    confidentiality = filters.ChoiceFilter(choices=Confidentiality.choices)
    organization = filters.ModelChoiceFilter(
        field_name="organizations", queryset=Organization.objects.all()
    )
    person = filters.ModelChoiceFilter(field_name="people", queryset=Person.objects.all())
    country = filters.ModelChoiceFilter(
        queryset=Country.objects.all(),
        method="filter_country",
        label="Country of an organisation involved (ISO code).",
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
    interaction = filters.ModelChoiceFilter(queryset=Interaction.objects.all())
    assignee = filters.NumberFilter(field_name="assignee", label="Assignee user id.")
    due_before = filters.DateFilter(
        field_name="due_on", lookup_expr="lte", label="Due on or before."
    )
    due_after = filters.DateFilter(field_name="due_on", lookup_expr="gte", label="Due on or after.")
    ordering = ordering("due_on", "status", "updated_at")

    class Meta:
        model = FollowUp
        fields = []


class AgreementFilter(BaseFilterSet):
    q = search_filter("Accent-free search over title and summary.")
    kind = filters.ChoiceFilter(choices=Agreement.Kind.choices)
    status = filters.ChoiceFilter(choices=Agreement.Status.choices)
    organization = filters.ModelChoiceFilter(
        field_name="parties", queryset=Organization.objects.all(), label="A party (id)."
    )
    owner_unit = unit_filter()
    signed = filters.DateFromToRangeFilter(
        field_name="signed_on", label="signed_after, signed_before."
    )
    valid_until = filters.DateFromToRangeFilter(label="valid_until_after, valid_until_before.")
    ordering = ordering("signed_on", "valid_until", "title", "updated_at")

    class Meta:
        model = Agreement
        fields = []


class HistoryFilter(filters.FilterSet):
    """Filters of a contact history (`since`, `until`, `kind`, `pillar`)."""

    since = filters.DateFilter(field_name="occurred_on", lookup_expr="gte", label="On or after.")
    until = filters.DateFilter(field_name="occurred_on", lookup_expr="lte", label="On or before.")
    kind = filters.ChoiceFilter(choices=Interaction.Kind.choices)
    pillar = pillar_filter()

    class Meta:
        model = Interaction
        fields = []
