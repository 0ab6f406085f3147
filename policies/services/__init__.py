"""Writes for policies: recording, payments, issue, inspections, endorsements, cancellation,
renewal and renewal invitations, one module per concern (`recording`, `payments`, `issuing`,
`inspections`, `endorsements`, `cancellation`, `renewal`, `reviews`; `common` holds what they
share). Callers import from `policies.services`, never from a module inside it.

Each state change has exactly one function here; the API views, the browser views, the
admin and the Celery task call these. Every write runs in one transaction, re-reads the
policy under a row lock when what it reads decides what it writes, and leaves an audit row.
"""

from policies.services.cancellation import (
    FRAUDULENT_OVER_INSURANCE,
    policy_cancel,
    policy_cancel_preview,
    policy_void_by_insurer,
    policy_void_for_fraud,
)
from policies.services.common import (
    NEW_OWNER_NO_RELATIONSHIP,
    PARAMS_INPUTS,
    fire_inspection_required,
    require_issuer_or_staff,
)
from policies.services.endorsements import (
    CHANGE_KEYS,
    VEHICLE_KEYS,
    endorsement_claim_use,
    endorsement_issue,
    endorsement_premium_adjust,
    endorsement_preview,
)
from policies.services.inspections import (
    inspection_record,
    recommendation_comply,
)
from policies.services.issuing import (
    policy_authorise,
    policy_bank_letter_attach,
    policy_mark_issued,
)
from policies.services.payments import (
    installment_pay,
)
from policies.services.recording import (
    policy_document_attach,
    policy_record,
    refuse_third_party_duplicate,
)
from policies.services.renewal import (
    RENEWAL_PARAMS,
    policy_renew,
    renewal_reminders_send,
)
from policies.services.reviews import (
    capital_review_mark,
)

__all__ = [
    "CHANGE_KEYS",
    "FRAUDULENT_OVER_INSURANCE",
    "NEW_OWNER_NO_RELATIONSHIP",
    "PARAMS_INPUTS",
    "RENEWAL_PARAMS",
    "VEHICLE_KEYS",
    "capital_review_mark",
    "endorsement_claim_use",
    "endorsement_issue",
    "endorsement_premium_adjust",
    "endorsement_preview",
    "fire_inspection_required",
    "inspection_record",
    "installment_pay",
    "policy_authorise",
    "policy_bank_letter_attach",
    "policy_cancel",
    "policy_cancel_preview",
    "policy_document_attach",
    "policy_mark_issued",
    "policy_record",
    "policy_renew",
    "policy_void_by_insurer",
    "policy_void_for_fraud",
    "recommendation_comply",
    "refuse_third_party_duplicate",
    "renewal_reminders_send",
    "require_issuer_or_staff",
]
