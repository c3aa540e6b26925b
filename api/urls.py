from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework import routers
from rest_framework.routers import DefaultRouter

from api import briefings, converters, tokens, views
from api.calendar import CalendarFeedViewSet, CalendarView
from api.changes import ChangesView
from api.events import AnniversaryViewSet, EventViewSet
from api.parameters import DeclaredParametersMixin


class APIRootView(DeclaredParametersMixin, routers.APIRootView):
    """The list of the API's resources."""


class Router(DefaultRouter):
    """Detail routes take a row id through the `id` path converter (ASCII digits within the
    range of the id columns) unless the viewset names another `lookup_value_converter`: any
    other value does not match, and answers the API's JSON 404 before a view runs. The format
    is chosen with `?format=` or Accept, not with a `.json` suffix on the path."""

    include_format_suffixes = False
    APIRootView = APIRootView

    def __init__(self):
        super().__init__(use_regex_path=False)
        self._default_value_pattern = converters.ID


router = Router()
router.register("countries", views.CountryViewSet, basename="country")
router.register("units", views.UnitViewSet, basename="unit")
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("people", views.PersonViewSet, basename="person")
router.register("positions", views.PositionViewSet, basename="position")
router.register("interactions", views.InteractionViewSet, basename="interaction")
router.register("follow-ups", views.FollowUpViewSet, basename="followup")
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("events", EventViewSet, basename="event")
router.register("anniversaries", AnniversaryViewSet, basename="anniversary")
router.register("calendar-feeds", CalendarFeedViewSet, basename="calendarfeed")
router.register("tokens", tokens.TokenViewSet, basename="apitoken")

BRIEFINGS = [
    path("organizations/<id:pk>/", briefings.OrganizationBriefingView.as_view()),
    path("people/<id:pk>/", briefings.PersonBriefingView.as_view()),
    path("countries/<country_code:code>/", briefings.CountryBriefingView.as_view()),
    path("events/<id:pk>/", briefings.EventBriefingView.as_view()),
]

urlpatterns = [
    path("v1/changes/", ChangesView.as_view(), name="changes"),
    path("v1/calendar/", CalendarView.as_view(), name="calendar"),
    path("v1/briefings/", include(BRIEFINGS)),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("auth/", include("rest_framework.urls")),  # log in to the browsable API
]
