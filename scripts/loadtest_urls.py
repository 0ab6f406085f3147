"""The project's URLs plus /bench/bare/: a plain Django view behind the same middleware,
the yardstick of scripts/loadtest.py. Mounted only by scripts/loadtest_settings.py."""

from django.http import HttpResponse
from django.urls import path

from bimemall.urls import urlpatterns as project_urlpatterns


def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *project_urlpatterns]
