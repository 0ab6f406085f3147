from django.urls import path

from insurers import apis

urlpatterns = [
    path("provinces/", apis.ProvinceListApi.as_view(), name="provinces"),
    path("insurers/", apis.InsurerListApi.as_view(), name="insurers"),
    path("lines/", apis.LineListApi.as_view(), name="lines"),
]
