from django.urls import path

from site_pages import views

app_name = "pages"

urlpatterns = [
    path("faq/", views.faq, name="faq"),
    path("about/", views.about, name="about"),
    path("contact/", views.contact, name="contact"),
    path("terms/", views.terms, name="terms"),
    path("privacy/", views.privacy, name="privacy"),
    path("for-agents/", views.for_agents, name="for_agents"),
]
