"""Thin HTTP layer: each viewset names a selector (what the user may see), a serializer and a
filterset. Writes go through the serializers to `contacts.services`."""

from collections.abc import Callable

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api import serializers as s
from contacts import filters, selectors
from contacts.models import Interaction, Pillar


class SelectorMixin:
    """`get_queryset()` is the selector applied to the requesting user."""

    selector: Callable[..., QuerySet]

    def get_queryset(self) -> QuerySet:
        return type(self).selector(self.request.user)

    def fresh(self, instance):
        """The row as a list would show it (prefetched, visible): responses after a write."""
        return self.get_queryset().get(pk=instance.pk)


class ReadOnlyViewSet(SelectorMixin, viewsets.ReadOnlyModelViewSet):
    pass


class DomainViewSet(SelectorMixin, viewsets.ModelViewSet):
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = serializer.save()
        data = self.get_serializer(self.fresh(instance)).data
        return Response(
            data, status=status.HTTP_201_CREATED, headers={"Location": str(data["url"])}
        )

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        instance = serializer.save()
        return Response(self.get_serializer(self.fresh(instance)).data)


class ContactHistoryMixin:
    """`GET …/{id}/contact-history/`: the interactions involving the row, newest first,
    paginated, with `since`, `until`, `kind`, `pillar` and a summary of the whole history."""

    history_selector: Callable

    @extend_schema(
        parameters=[
            OpenApiParameter("since", OpenApiTypes.DATE, description="On or after this date."),
            OpenApiParameter("until", OpenApiTypes.DATE, description="On or before this date."),
            OpenApiParameter("kind", enum=Interaction.Kind.values, description="Interaction kind."),
            OpenApiParameter("pillar", enum=Pillar.values, description="ASEAN pillar."),
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT, description="1 to 500 (default 50)."),
        ],
        responses=inline_serializer(
            "ContactHistory",
            {
                "count": serializers.IntegerField(),
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "results": s.InteractionSerializer(many=True),
                "summary": s.HistorySummarySerializer(),
            },
        ),
    )
    @action(detail=True, url_path="contact-history", filterset_class=filters.HistoryFilter)
    def contact_history(self, request, pk=None):
        # The owner only decides the history: no need for its list prefetches.
        owner = get_object_or_404(self.get_queryset().model.objects.visible_to(request.user), pk=pk)
        history = self.filter_queryset(type(self).history_selector(owner, request.user))
        page = self.paginate_queryset(history)
        context = self.get_serializer_context()
        results = s.InteractionSerializer(page, many=True, context=context).data
        response = self.get_paginated_response(results)
        summary = selectors.history_summary(history, request.user)
        response.data["summary"] = s.HistorySummarySerializer(summary, context=context).data
        return response


class CountryViewSet(ReadOnlyViewSet):
    selector = selectors.countries
    serializer_class = s.CountrySerializer
    filterset_class = filters.CountryFilter
    lookup_value_regex = "[A-Za-z]{2}"

    def get_object(self):
        self.kwargs[self.lookup_field] = self.kwargs[self.lookup_field].upper()
        return super().get_object()


class UnitViewSet(ReadOnlyViewSet):
    selector = selectors.units
    serializer_class = s.UnitSerializer
    filterset_class = filters.UnitFilter


class OrganizationViewSet(ContactHistoryMixin, DomainViewSet):
    selector = selectors.organizations
    history_selector = selectors.organization_history
    serializer_class = s.OrganizationSerializer
    filterset_class = filters.OrganizationFilter


class PersonViewSet(ContactHistoryMixin, DomainViewSet):
    selector = selectors.people
    history_selector = selectors.person_history
    serializer_class = s.PersonSerializer
    filterset_class = filters.PersonFilter


class PositionViewSet(DomainViewSet):
    selector = selectors.positions
    serializer_class = s.PositionSerializer
    filterset_class = filters.PositionFilter


class InteractionViewSet(DomainViewSet):
    selector = selectors.interactions
    serializer_class = s.InteractionSerializer
    filterset_class = filters.InteractionFilter


class FollowUpViewSet(DomainViewSet):
    selector = selectors.follow_ups
    serializer_class = s.FollowUpSerializer
    filterset_class = filters.FollowUpFilter


class AgreementViewSet(DomainViewSet):
    selector = selectors.agreements
    serializer_class = s.AgreementSerializer
    filterset_class = filters.AgreementFilter
