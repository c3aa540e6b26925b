"""The project's URLs plus one trivial view: the fixed cost of a request (middleware, token
authentication, roles) that the cached and 304 operations are compared with."""

from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.urls import urlpatterns as project_urlpatterns


class TrivialView(APIView):
    """Authenticated like every API view, and answers `{}`: no query of its own."""

    pagination_class = None

    def get(self, request):
        return Response({})


TRIVIAL_PATH = "/bench/trivial/"

urlpatterns = [
    *project_urlpatterns,
    path(TRIVIAL_PATH.strip("/") + "/", TrivialView.as_view(), name="bench-trivial"),
]
