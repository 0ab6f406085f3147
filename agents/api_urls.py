from django.urls import path

from agents import apis

urlpatterns = [
    path("agent/profile/", apis.AgentProfileApi.as_view(), name="agent-profile"),
    path("agent/terms/", apis.TermsApi.as_view(), name="agent-terms"),
    path("agent/terms/accept/", apis.TermsAcceptApi.as_view(), name="agent-terms-accept"),
    path("agent/licence/", apis.LicenceApi.as_view(), name="agent-licence"),
    path("agent/plans/", apis.PlanListApi.as_view(), name="agent-plans"),
    path("agent/subscription/trial/", apis.TrialStartApi.as_view(), name="agent-trial"),
    path("agent/subscription/", apis.SubscriptionPurchaseApi.as_view(), name="agent-subscription"),
    path("agent/invoices/", apis.InvoiceListApi.as_view(), name="agent-invoices"),
    path("agent/invoices/<int:invoice_id>/verify/", apis.InvoiceVerifyApi.as_view(), name="agent-invoice-verify"),
    path("staff/agents/<int:agent_id>/verify/", apis.StaffAgentVerifyApi.as_view(), name="staff-agent-verify"),
]
