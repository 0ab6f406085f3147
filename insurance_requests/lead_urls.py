from django.urls import path

from insurance_requests import views

app_name = "leads"

urlpatterns = [
    path("", views.lead_list, name="list"),
    path("<int:request_id>/", views.lead_detail, name="detail"),
]
