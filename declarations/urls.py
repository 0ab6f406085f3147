from django.urls import path

from declarations import views

app_name = "declarations"

urlpatterns = [
    path("<int:policy_id>/declarations/new/", views.declaration_new, name="new"),
    path("<int:policy_id>/declarations/settle/", views.declaration_settle, name="settle"),
]
