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
    path("claims/<int:claim_id>/dispute/", apis.ClaimDisputeApi.as_view(), name="claim-dispute"),
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
    path("staff/claims/<int:claim_id>/panel/", apis.StaffPanelApi.as_view(), name="staff-claim-panel"),
    path(
        "staff/claims/<int:claim_id>/title-transfer/",
        apis.StaffTitleTransferApi.as_view(),
        name="staff-claim-title-transfer",
    ),
    path(
        "staff/claims/<int:claim_id>/vehicle-found/",
        apis.StaffVehicleFoundApi.as_view(),
        name="staff-claim-vehicle-found",
    ),
    path(
        "staff/claims/<int:claim_id>/vehicle-sold/", apis.StaffVehicleSoldApi.as_view(), name="staff-claim-vehicle-sold"
    ),
    path(
        "staff/claims/<int:claim_id>/vehicle-check/",
        apis.StaffVehicleCheckApi.as_view(),
        name="staff-claim-vehicle-check",
    ),
    path("staff/claims/<int:claim_id>/fraud-void/", apis.StaffFraudVoidApi.as_view(), name="staff-claim-fraud-void"),
    path(
        "staff/claims/<int:claim_id>/declaration-require/",
        apis.StaffDeclarationRequireApi.as_view(),
        name="staff-claim-declaration-require",
    ),
    path("staff/claims/<int:claim_id>/exclusion/", apis.StaffExclusionApi.as_view(), name="staff-claim-exclusion"),
    path("staff/claims/<int:claim_id>/staged/", apis.StaffStagedApi.as_view(), name="staff-claim-staged"),
    path(
        "staff/claims/<int:claim_id>/declaration/",
        apis.StaffDeclarationRecordApi.as_view(),
        name="staff-claim-declaration",
    ),
]
