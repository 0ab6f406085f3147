from django.urls import path

from policies import apis, certificates

urlpatterns = [
    path("policies/", apis.PolicyListApi.as_view(), name="policies"),
    path("agent/leads/<int:request_id>/policy/", apis.OfferPolicyDraftApi.as_view(), name="lead-policy-draft"),
    path("policies/<int:policy_id>/", apis.PolicyDetailApi.as_view(), name="policy-detail"),
    path("policies/<int:policy_id>/payments/", apis.PolicyPaymentApi.as_view(), name="policy-payments"),
    path("policies/<int:policy_id>/issue/", apis.PolicyIssueApi.as_view(), name="policy-issue"),
    path("policies/<int:policy_id>/document/", apis.PolicyDocumentApi.as_view(), name="policy-document"),
    path(
        "policies/<int:policy_id>/certificate/",
        certificates.ThirdPartyCertificateApi.as_view(),
        name="policy-certificate",
    ),
    path("policies/<int:policy_id>/bank-letter/", apis.PolicyBankLetterApi.as_view(), name="policy-bank-letter"),
    path(
        "policies/<int:policy_id>/capital-reviews/",
        apis.PolicyCapitalReviewApi.as_view(),
        name="policy-capital-reviews",
    ),
    path("policies/<int:policy_id>/authorisation/", apis.PolicyAuthoriseApi.as_view(), name="policy-authorisation"),
    path("policies/<int:policy_id>/endorsements/", apis.EndorsementListApi.as_view(), name="policy-endorsements"),
    path(
        "policies/<int:policy_id>/endorsements/preview/",
        apis.EndorsementPreviewApi.as_view(),
        name="policy-endorsement-preview",
    ),
    path("policies/<int:policy_id>/cancel/", apis.PolicyCancelApi.as_view(), name="policy-cancel"),
    path(
        "policies/<int:policy_id>/cancel/preview/", apis.PolicyCancelPreviewApi.as_view(), name="policy-cancel-preview"
    ),
    path("policies/<int:policy_id>/inspections/", apis.InspectionApi.as_view(), name="policy-inspections"),
    path(
        "policies/<int:policy_id>/recommendations/<int:recommendation_id>/comply/",
        apis.RecommendationComplyApi.as_view(),
        name="policy-recommendation-comply",
    ),
    path("policies/<int:policy_id>/renew/", apis.PolicyRenewApi.as_view(), name="policy-renew"),
    path("agent/customer-links/", apis.AgentCustomerLinkListApi.as_view(), name="agent-customer-links"),
    path(
        "agent/customer-links/<int:link_id>/confirm/",
        apis.AgentCustomerLinkConfirmApi.as_view(),
        name="agent-customer-link-confirm",
    ),
    path("me/agent-links/", apis.MyAgentLinkListApi.as_view(), name="my-agent-links"),
    path("me/agent-links/<int:link_id>/confirm/", apis.MyAgentLinkConfirmApi.as_view(), name="my-agent-link-confirm"),
    path("me/agent-links/<int:link_id>/decline/", apis.MyAgentLinkDeclineApi.as_view(), name="my-agent-link-decline"),
]
