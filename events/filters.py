"""Filters of the events, anniversaries and calendar lists (see `contacts.filters`)."""

import django_filters as filters

from contacts.filters import (
    BaseFilterSet,
    DateFilter,
    IdFilter,
    IntegerFilter,
    country_filter,
    ordering,
    pillar_filter,
    search_filter,
    unit_filter,
    visible,
)
from contacts.models import Confidentiality, Organization, Person
from events.models import Anniversary, Event


class EventFilter(BaseFilterSet):
    q = search_filter("Accent-free search over titles, descriptions and location.")
    kind = filters.ChoiceFilter(choices=Event.Kind.choices)
    status = filters.ChoiceFilter(choices=Event.Status.choices)
    visibility = filters.ChoiceFilter(choices=Confidentiality.choices)
    country = country_filter("country", "ISO 3166-1 alpha-2 code.")
    organization = IdFilter(
        field_name="organizations", queryset=visible(Organization), label="Organisation (id)."
    )
    person = IdFilter(field_name="people", queryset=visible(Person), label="Person involved (id).")
    pillar = pillar_filter()
    owner_unit = unit_filter()
    # An event "is on" a day from its start date to its end date, both included.
    date_after = DateFilter(
        field_name="end_date", lookup_expr="gte", label="On or after this date (still running)."
    )
    date_before = DateFilter(
        field_name="start_date", lookup_expr="lte", label="Starting on or before this date."
    )
    ordering = ordering("start_date", "end_date", "kind", "status", "title_vi", "updated_at")

    class Meta:
        model = Event
        fields = []


class AnniversaryFilter(BaseFilterSet):
    q = search_filter("Accent-free search over titles and notes.")
    kind = filters.ChoiceFilter(choices=Anniversary.Kind.choices)
    visibility = filters.ChoiceFilter(choices=Confidentiality.choices)
    country = country_filter("country", "ISO 3166-1 alpha-2 code.")
    organization = IdFilter(queryset=visible(Organization), label="Organisation (id).")
    month = IntegerFilter(
        field_name="origin_month", label="Falls in this month (1–12).", min_value=1, max_value=12
    )
    origin_year_after, origin_year_before = (
        IntegerFilter(
            field_name="origin_year",
            lookup_expr=lookup,
            label=label,
            min_value=1,
            max_value=9999,
        )
        for lookup, label in (
            ("gte", "Origin in or after this year."),
            ("lte", "Origin in or before this year."),
        )
    )
    owner_unit = unit_filter()
    ordering = ordering(
        "origin_month", "origin_day", "origin_year", "kind", "title_vi", "updated_at"
    )

    class Meta:
        model = Anniversary
        fields = []
