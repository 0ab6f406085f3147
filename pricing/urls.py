from django.urls import path

from pricing import views

app_name = "pricing"

urlpatterns = [
    path("", views.pricing_index, name="index"),
    path("<slug:line>/", views.quote_page, name="quote"),
]
