from django.urls import path

from insurance_requests import views

app_name = "requests"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.request_new, name="new"),
    path("new/insurers/", views.insurer_choices, name="insurer_choices"),
    path("<int:request_id>/", views.request_detail, name="detail"),
    path("<int:request_id>/responses/<int:response_id>/accept/", views.request_accept, name="accept"),
    path("<int:request_id>/end-cooperation/", views.request_end, name="end"),
    path("<int:request_id>/repost/", views.request_repost, name="repost"),
    path("<int:request_id>/cancel/", views.request_cancel, name="cancel"),
    path("<int:request_id>/rating/", views.request_rate, name="rate"),
]
