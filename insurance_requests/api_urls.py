from django.urls import path

from insurance_requests import apis

urlpatterns = [
    path("requests/", apis.RequestListApi.as_view(), name="requests"),
    path("requests/insurer-availability/", apis.InsurerAvailabilityApi.as_view(), name="insurer-availability"),
    path("requests/<int:request_id>/", apis.RequestDetailApi.as_view(), name="request-detail"),
    path(
        "requests/<int:request_id>/responses/<int:response_id>/accept/",
        apis.RequestAcceptApi.as_view(),
        name="request-accept",
    ),
    path("requests/<int:request_id>/end-cooperation/", apis.RequestEndCooperationApi.as_view(), name="request-end"),
    path("requests/<int:request_id>/repost/", apis.RequestRepostApi.as_view(), name="request-repost"),
    path("requests/<int:request_id>/cancel/", apis.RequestCancelApi.as_view(), name="request-cancel"),
    path("requests/<int:request_id>/rating/", apis.RequestRatingApi.as_view(), name="request-rating"),
    # The lead counts moved here from agents/api_urls.py with the read (issue 15 point 6): same path, same name.
    path("agent/lead-counts/", apis.LeadCountsApi.as_view(), name="agent-lead-counts"),
    path("agent/leads/", apis.LeadListApi.as_view(), name="leads"),
    path("agent/leads/<int:request_id>/", apis.LeadDetailApi.as_view(), name="lead-detail"),
    path("agent/leads/<int:request_id>/respond/", apis.LeadRespondApi.as_view(), name="lead-respond"),
]
