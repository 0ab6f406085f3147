"""Writes for agents: onboarding stages, verification, trials, purchases, reminders.

Each state change has exactly one function here; the API views, the browser views,
the admin actions and the Celery task all call these. One module per concern (`onboarding`,
`subscriptions`, `reconciliation`, `reminders`; `common` holds what they share); callers import
from `agents.services`.
"""

from agents.services.common import (
    PaymentUnavailableError,
)
from agents.services.onboarding import (
    agent_documents_submit,
    agent_register,
    agent_verify,
    terms_accept,
    terms_version_publish,
)
from agents.services.reconciliation import (
    invoice_payment_recheck,
    payments_reconcile,
)
from agents.services.reminders import (
    subscription_expiry_notify,
)
from agents.services.subscriptions import (
    payment_complete,
    subscription_purchase_start,
    subscription_start_trial,
)

__all__ = [
    "PaymentUnavailableError",
    "agent_documents_submit",
    "agent_register",
    "agent_verify",
    "invoice_payment_recheck",
    "payment_complete",
    "payments_reconcile",
    "subscription_expiry_notify",
    "subscription_purchase_start",
    "subscription_start_trial",
    "terms_accept",
    "terms_version_publish",
]
