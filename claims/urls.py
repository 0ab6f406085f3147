from django.urls import path

from claims import views

app_name = "claims"

urlpatterns = [
    path("", views.claim_list, name="list"),
    path("new/", views.claim_new, name="new"),
    path("estimate/", views.claim_estimate, name="estimate"),
    path("<int:claim_id>/", views.claim_detail, name="detail"),
    path("<int:claim_id>/documents/", views.claim_upload, name="upload"),
    path("<int:claim_id>/documents/<int:document_id>/", views.claim_document, name="document"),
    path("<int:claim_id>/undertaking/", views.claim_undertaking, name="undertaking"),
    path("<int:claim_id>/dispute/", views.claim_dispute, name="dispute"),
]
