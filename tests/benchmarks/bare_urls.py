"""The project's URLs plus two yardsticks: a bare Django view (`/bench/bare/`, as
scripts/loadtest_urls.py mounts it for `make load`) and a bare DRF view returning the
quote endpoint's JSON (`/bench/bare-quote/`)."""

from django.http import HttpResponse
from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from bimemall.urls import urlpatterns as project_urlpatterns

BARE_PAYLOAD: dict = {}


def bare(request):
    """No work at all behind the project's middleware: what every ratio is measured against."""
    return HttpResponse(b"ok", content_type="text/plain")


class BareQuoteView(APIView):
    """Returns the same JSON as the real endpoint, computed once, with no work per call."""

    permission_classes = [AllowAny]
    authentication_classes = []

    def post(self, request):
        return Response(BARE_PAYLOAD)


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/bare-quote/", BareQuoteView.as_view()),
    *project_urlpatterns,
]
