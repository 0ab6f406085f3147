from django.urls import path

from declarations import apis

urlpatterns = [
    path("policies/<int:policy_id>/declarations/", apis.DeclarationListApi.as_view(), name="policy-declarations"),
    path(
        "policies/<int:policy_id>/declarations/settle/",
        apis.DeclarationSettleApi.as_view(),
        name="policy-declarations-settle",
    ),
]
