from django.urls import path

from pricing import apis

urlpatterns = [
    path("lines/", apis.LineListApi.as_view(), name="pricing-lines"),
    path("quotes/", apis.QuoteApi.as_view(), name="pricing-quotes"),
]
