from django.urls import path

from agents import views

app_name = "agents"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("register/", views.register, name="register"),
    path("terms/", views.terms, name="terms"),
    path("documents/", views.documents, name="documents"),
    path("subscription/trial/", views.trial_start, name="trial_start"),
    path("subscription/buy/", views.purchase, name="purchase"),
    path("payments/callback/", views.payment_callback, name="payment_callback"),
    path("payments/<int:invoice_id>/verify/", views.payment_recheck, name="payment_recheck"),
    path("payments/sandbox/<str:authority>/", views.payment_sandbox, name="payment_sandbox"),
    path("licence/<int:agent_id>/", views.licence_file, name="licence_file"),
]
