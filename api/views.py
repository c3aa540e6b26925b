"""Thin HTTP layer: each viewset names a selector (what the user may see), a serializer and a
filterset. Writes go through the serializers to `contacts.services`."""

import hashlib
from collections.abc import Callable

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.generics import get_object_or_404  # a malformed id is a 404, not a 500
from rest_framework.response import Response

from api import converters
from api import serializers as s
from api.access import viewer_for
from api.pagination import PAGE_PARAMETERS
from api.parameters import DeclaredParametersMixin
from contacts import filters, selectors, services
from contacts.models import Interaction, Pillar
from crm import history
from events import selectors as event_selectors


def etag_for(instance, viewer) -> str:
    """Changes whenever the row does (every write bumps updated_at) and differs between the
    representations with and without personal data."""
    raw = f"{instance._meta.label}:{instance.pk}:{instance.updated_at.isoformat()}"
    raw += f":{int(viewer.personal_data)}:{int(viewer.public_only)}"
    return '"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'


class SelectorMixin(DeclaredParametersMixin):
    """`get_queryset()` is the selector applied to the request's viewer; `?archived=true`
    lists archived rows instead (managers and above; others see none)."""

    selector: Callable[..., QuerySet]

    @property
    def viewer(self):
        return viewer_for(self.request)

    def wants_archived(self) -> bool:
        raw = self.request.query_params.get("archived", "false").lower()
        if raw not in {"true", "false"}:
            raise ValidationError({"archived": [f"Use true or false (got {raw!r})."]})
        return raw == "true"

    def get_queryset(self) -> QuerySet:
        archived = self.action in {"restore", "purge"} or (
            self.action in {"list", "retrieve", "revisions"} and self.wants_archived()
        )
        return type(self).selector(self.viewer, archived=archived)

    def fresh(self, instance):
        """The row as a list would show it (prefetched, visible): responses after a write."""
        return self.get_queryset().filter(pk=instance.pk).first() or instance

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        response = Response(self.get_serializer(instance).data)
        response["ETag"] = etag_for(instance, self.viewer)
        return response

    @extend_schema(responses=s.RevisionSerializer(many=True), filters=False)
    @action(detail=True, filter_backends=[])
    def revisions(self, request, pk=None):
        """The row's history, newest first: who, when, which fields changed from what to what;
        versions recorded while the row was hidden from the caller are left out."""
        instance = get_object_or_404(
            self.get_queryset().model.objects.visible_to(
                self.viewer, archived=self.wants_archived()
            ),
            pk=pk,
        )
        serializer = self.get_serializer()
        records = history.revisions(
            instance,
            self.viewer,
            hidden_fields=getattr(serializer, "hidden_fields", set)(),
        )
        page = self.paginate_queryset(records)
        context = self.get_serializer_context()
        data = s.RevisionSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)


class ReadOnlyViewSet(SelectorMixin, viewsets.ReadOnlyModelViewSet):
    pass


class DomainViewSet(SelectorMixin, viewsets.ModelViewSet):
    """Create, change (with `If-Match`), and DELETE: archive, or delete for rows that are not
    archivable. Restore and purge are `ArchivableViewSet`'s."""

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = serializer.save()
        data = self.get_serializer(self.fresh(instance)).data
        return Response(
            data, status=status.HTTP_201_CREATED, headers={"Location": str(data["url"])}
        )

    def checked_object(self):
        """The row, locked and re-read for the request's transaction (ATOMIC_REQUESTS), then
        checked against `If-Match`: of two writers offering the same ETag, the second reads
        the first one's change once it commits and gets 412, never a lost update."""
        instance = services.locked(self.get_object())
        expected = self.request.headers.get("If-Match")
        if expected:
            current = etag_for(instance, self.viewer)
            offered = {tag.strip().removeprefix("W/") for tag in expected.split(",")}
            if "*" not in offered and current not in offered:
                raise PreconditionFailed()
        return instance

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        instance = self.checked_object()
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        instance = self.fresh(serializer.save())
        response = Response(self.get_serializer(instance).data)
        response["ETag"] = etag_for(instance, self.viewer)
        return response

    def destroy(self, request, *args, **kwargs):
        """Archives (the row leaves lists and searches and can be restored); rows that are not
        archivable, such as a position entered by mistake, are deleted, their history kept."""
        instance = self.checked_object()
        if hasattr(instance, "archived_at"):
            services.archive(instance, user=request.user)
        else:
            instance._history_user = request.user
            instance.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class ArchivableViewSet(DomainViewSet):
    """For models with `archived_at`: `restore` and `purge`, routed and documented only for
    them (a position, deleted for good on DELETE, has neither)."""

    @extend_schema(request=None, filters=False)
    @action(detail=True, methods=["post"], filter_backends=[])
    def restore(self, request, pk=None):
        """Bring an archived row back (managers and above)."""
        instance = services.restore(self.get_object(), user=request.user)
        return Response(self.get_serializer(self.fresh(instance)).data)

    @extend_schema(request=None, responses={204: None}, filters=False)
    @action(detail=True, methods=["post"], filter_backends=[])
    def purge(self, request, pk=None):
        """Delete an archived row for good (administrators only); its history stays."""
        services.purge(self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = gettext_lazy(
        "The record changed since you read it (If-Match does not match its ETag)."
    )
    default_code = "precondition_failed"


class ContactHistoryMixin:
    """`GET …/{id}/contact-history/`: the interactions involving the row, newest first,
    paginated, with `since`, `until`, `kind`, `pillar` and a summary of the whole history."""

    history_selector: Callable

    def filter_queryset_for_form(self) -> QuerySet:
        """What the history's filters apply to (the browsable API's filter form)."""
        if self.action == "contact_history":
            return Interaction.objects.none()
        return self.get_queryset()

    @extend_schema(
        parameters=[
            OpenApiParameter("since", OpenApiTypes.DATE, description="On or after this date."),
            OpenApiParameter("until", OpenApiTypes.DATE, description="On or before this date."),
            OpenApiParameter("kind", enum=Interaction.Kind.values, description="Interaction kind."),
            OpenApiParameter("pillar", enum=Pillar.values, description="ASEAN pillar."),
            *PAGE_PARAMETERS,
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
        owner = get_object_or_404(self.get_queryset().model.objects.visible_to(self.viewer), pk=pk)
        history = self.filter_queryset(type(self).history_selector(owner, self.viewer))
        page = self.paginate_queryset(history)
        context = self.get_serializer_context()
        results = s.InteractionSerializer(page, many=True, context=context).data
        response = self.get_paginated_response(results)
        summary = selectors.history_summary(history, self.viewer)
        response.data["summary"] = s.HistorySummarySerializer(summary, context=context).data
        return response


class CountryViewSet(ReadOnlyViewSet):
    selector = selectors.countries
    serializer_class = s.CountrySerializer
    filterset_class = filters.CountryFilter
    lookup_value_converter = converters.COUNTRY_CODE  # ISO code in either case: kh is KH


class UnitViewSet(ReadOnlyViewSet):
    selector = selectors.units
    serializer_class = s.UnitSerializer
    filterset_class = filters.UnitFilter


class OrganizationViewSet(ContactHistoryMixin, ArchivableViewSet):
    selector = selectors.organizations
    history_selector = event_selectors.organization_history
    serializer_class = s.OrganizationSerializer
    filterset_class = filters.OrganizationFilter


class PersonViewSet(ContactHistoryMixin, ArchivableViewSet):
    selector = selectors.people
    history_selector = event_selectors.person_history
    serializer_class = s.PersonSerializer
    filterset_class = filters.PersonFilter


class PositionViewSet(DomainViewSet):
    selector = selectors.positions
    serializer_class = s.PositionSerializer
    filterset_class = filters.PositionFilter


class InteractionViewSet(ArchivableViewSet):
    selector = event_selectors.interactions
    serializer_class = s.InteractionSerializer
    filterset_class = filters.InteractionFilter


class FollowUpViewSet(ArchivableViewSet):
    selector = selectors.follow_ups
    serializer_class = s.FollowUpSerializer
    filterset_class = filters.FollowUpFilter


class AgreementViewSet(ArchivableViewSet):
    selector = selectors.agreements
    serializer_class = s.AgreementSerializer
    filterset_class = filters.AgreementFilter
