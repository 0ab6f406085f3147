"""The project's URLs plus a bare DRF view: the yardstick for the quote endpoint's overhead."""

from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from bimemall.urls import urlpatterns as project_urlpatterns

BARE_PAYLOAD: dict = {}


class BareQuoteView(APIView):
    """Returns the same JSON as the real endpoint, computed once, with no work per call."""

    permission_classes = [AllowAny]
    authentication_classes = []

    def post(self, request):
        return Response(BARE_PAYLOAD)


urlpatterns = [path("bench/bare-quote/", BareQuoteView.as_view()), *project_urlpatterns]
