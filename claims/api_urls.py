from django.urls import path

from claims import apis

urlpatterns = [
    path("claims/", apis.ClaimListApi.as_view(), name="claims"),
    path("claims/estimate/", apis.ClaimEstimateApi.as_view(), name="claim-estimate"),
    path("claims/<int:claim_id>/", apis.ClaimDetailApi.as_view(), name="claim-detail"),
    path("claims/<int:claim_id>/documents/", apis.ClaimDocumentApi.as_view(), name="claim-documents"),
    path(
        "claims/<int:claim_id>/documents/<int:document_id>/",
        apis.ClaimDocumentFileApi.as_view(),
        name="claim-document-file",
    ),
    path("claims/<int:claim_id>/undertaking/", apis.ClaimUndertakingApi.as_view(), name="claim-undertaking"),
    path(
        "staff/claims/<int:claim_id>/documents-complete/",
        apis.StaffDocumentsCompleteApi.as_view(),
        name="staff-claim-documents-complete",
    ),
    path("staff/claims/<int:claim_id>/assess/", apis.StaffAssessApi.as_view(), name="staff-claim-assess"),
    path("staff/claims/<int:claim_id>/approve/", apis.StaffApproveApi.as_view(), name="staff-claim-approve"),
    path(
        "staff/claims/<int:claim_id>/order-payment/",
        apis.StaffOrderPaymentApi.as_view(),
        name="staff-claim-order-payment",
    ),
    path("staff/claims/<int:claim_id>/pay/", apis.StaffPayApi.as_view(), name="staff-claim-pay"),
    path("staff/claims/<int:claim_id>/reject/", apis.StaffRejectApi.as_view(), name="staff-claim-reject"),
]
