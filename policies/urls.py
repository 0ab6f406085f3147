from django.urls import path

from policies import certificates, views

app_name = "policies"

urlpatterns = [
    path("", views.policy_list, name="list"),
    path("new/", views.policy_new, name="new"),
    path("from-offer/<int:request_id>/", views.policy_from_offer, name="from_offer"),
    path("customers/", views.customer_links, name="customer_links"),
    path("customers/<int:link_id>/code/", views.customer_link_code, name="customer_link_code"),
    path("agent-links/<int:link_id>/confirm/", views.agent_link_confirm, name="agent_link_confirm"),
    path("agent-links/<int:link_id>/decline/", views.agent_link_decline, name="agent_link_decline"),
    path("<int:policy_id>/", views.policy_detail, name="detail"),
    path("<int:policy_id>/document/", views.policy_document, name="document"),
    path("<int:policy_id>/certificate/", certificates.certificate_page, name="certificate"),
    path("<int:policy_id>/document/upload/", views.policy_upload_document, name="upload_document"),
    path("<int:policy_id>/bank-letter/", views.policy_bank_letter, name="bank_letter"),
    path("<int:policy_id>/bank-letter/upload/", views.policy_upload_bank_letter, name="upload_bank_letter"),
    path("<int:policy_id>/authorise/", views.policy_authorise, name="authorise"),
    path("<int:policy_id>/capital-review/", views.capital_review, name="capital_review"),
    path("<int:policy_id>/payments/", views.policy_pay, name="pay"),
    path("<int:policy_id>/issue/", views.policy_issue, name="issue"),
    path("<int:policy_id>/inspections/new/", views.inspection_new, name="inspection_new"),
    path(
        "<int:policy_id>/recommendations/<int:recommendation_id>/comply/",
        views.recommendation_comply,
        name="recommendation_comply",
    ),
    path("<int:policy_id>/endorsements/new/", views.endorsement_new, name="endorsement_new"),
    path("<int:policy_id>/cancel/", views.policy_cancel, name="cancel"),
    path("<int:policy_id>/renew/", views.policy_renew, name="renew"),
    path("<int:policy_id>/renewal-request/", views.renewal_request, name="renewal_request"),
]
