"""Input and output shapes of the policies API (API.md, "Policies and claims")."""

from django.urls import reverse
from rest_framework import serializers

from core.answers import stored_json
from core.fields import FlexibleDateField
from core.uploads import private_upload_clean
from core.validators import MAX_AMOUNT_RIAL, MAX_BIGINT, MAX_SMALLINT
from policies import issue_rules, relationships, rules, selectors
from policies.models import CapitalReview, CustomerLink, Endorsement, Inspection, Policy

# --- input ---------------------------------------------------------------------------------


class InstallmentInputSerializer(serializers.Serializer):
    due_on = FlexibleDateField()
    amount = serializers.IntegerField(min_value=1, max_value=MAX_AMOUNT_RIAL)
    paid_on = FlexibleDateField(required=False, allow_null=True)


class InsuredItemSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    value = serializers.IntegerField(min_value=0, max_value=MAX_AMOUNT_RIAL)


class PartnerInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    national_code = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    # Percent, up to two decimals ("33.33"); the service checks that the shares sum to 100 [004].
    share = serializers.CharField(max_length=10)


class PolicyRecordInputSerializer(serializers.Serializer):
    request = serializers.IntegerField(min_value=1, max_value=MAX_BIGINT, required=False, allow_null=True)
    customer_mobile = serializers.CharField(required=False, allow_blank=True, max_length=20)
    line = serializers.CharField(max_length=40)
    insurer = serializers.CharField(max_length=40)
    policy_number = serializers.CharField(max_length=40)
    issued_on = FlexibleDateField(required=False, allow_null=True)
    starts_on = FlexibleDateField()
    ends_on = FlexibleDateField()
    premium = serializers.IntegerField(min_value=1, max_value=MAX_AMOUNT_RIAL)
    sum_insured = serializers.IntegerField(min_value=1, max_value=MAX_AMOUNT_RIAL)
    actual_value = serializers.IntegerField(min_value=0, required=False, allow_null=True, max_value=MAX_AMOUNT_RIAL)
    insured_items = InsuredItemSerializer(many=True, required=False)
    covers = serializers.ListField(child=serializers.CharField(max_length=40), required=False)
    params = serializers.DictField(required=False)
    payment_plan = serializers.ChoiceField(choices=Policy.PaymentPlan.choices, default=Policy.PaymentPlan.CASH)
    installments = InstallmentInputSerializer(many=True, required=False)
    installments_count = serializers.IntegerField(max_value=MAX_SMALLINT, min_value=1, required=False, allow_null=True)
    paid_on = FlexibleDateField(required=False, allow_null=True)
    payment_reference = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    inspection_required = serializers.BooleanField(required=False, default=False)
    # Mortgaged property: issued only once the bank's letter is attached (…/bank-letter/) [001].
    mortgaged = serializers.BooleanField(required=False, default=False)
    partners = PartnerInputSerializer(many=True, required=False)
    # Special cases that need the supervision office's authorisation before issue [001];
    # high capital is decided from the sum insured, not declared.
    special_cases = serializers.ListField(
        child=serializers.ChoiceField(choices=issue_rules.DECLARED_CASES), required=False
    )


class DraftCustomerSerializer(serializers.Serializer):
    name = serializers.CharField()
    mobile = serializers.CharField()


class DraftInstallmentSerializer(serializers.Serializer):
    due_on = serializers.DateField()
    amount = serializers.IntegerField()


class PolicyDraftOutputSerializer(serializers.Serializer):
    """GET /api/v1/agent/leads/<id>/policy/ (issue 14 point 3): the policy as the accepted offer
    fills it; with a `policy_number` added it is a body for POST /api/v1/policies/."""

    request = serializers.IntegerField()
    customer = DraftCustomerSerializer()
    line = serializers.CharField()
    insurer = serializers.CharField()
    issued_on = serializers.DateField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    premium = serializers.IntegerField(allow_null=True, help_text="rial; null for a response made before offers")
    sum_insured = serializers.IntegerField(
        allow_null=True, help_text="rial, from the request's inputs; null when they have none"
    )
    covers = serializers.ListField(child=serializers.CharField())
    params = serializers.DictField()
    payment_plan = serializers.ChoiceField(choices=Policy.PaymentPlan.choices)
    installments = DraftInstallmentSerializer(many=True, help_text="the offer's schedule; empty for cash")
    valid_until = serializers.DateField(allow_null=True)

    def to_representation(self, instance):
        customer = instance["customer"]
        return super().to_representation(
            {**instance, "customer": {"name": customer.get_full_name(), "mobile": customer.mobile}}
        )


class CapitalReviewInputSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=CapitalReview.Level.choices)
    # Defects found: the office corrects them by an endorsement before the review is approved [001].
    defects = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AuthoriseInputSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=60)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class PaymentInputSerializer(serializers.Serializer):
    number = serializers.IntegerField(max_value=MAX_SMALLINT, min_value=0, required=False, allow_null=True)
    paid_on = FlexibleDateField()
    reference = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


class EndorsementInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[
            Endorsement.Kind.ADDITIONAL,
            Endorsement.Kind.REFUND,
            Endorsement.Kind.NO_FINANCIAL_EFFECT,
        ]
    )
    changes = serializers.DictField()
    premium_delta = serializers.IntegerField(
        min_value=-MAX_AMOUNT_RIAL, max_value=MAX_AMOUNT_RIAL, required=False, allow_null=True
    )
    annual_premium_delta = serializers.IntegerField(
        min_value=-MAX_AMOUNT_RIAL, max_value=MAX_AMOUNT_RIAL, required=False, allow_null=True
    )
    effective_on = FlexibleDateField(required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    # An additional premium: cash, or part cash and the rest in instalments [001].
    payment_plan = serializers.ChoiceField(choices=Policy.PaymentPlan.choices, default=Policy.PaymentPlan.CASH)
    installments = InstallmentInputSerializer(many=True, required=False)
    installments_count = serializers.IntegerField(max_value=MAX_SMALLINT, min_value=1, required=False, allow_null=True)


class EndorsementPreviewInputSerializer(serializers.Serializer):
    changes = serializers.DictField()
    annual_premium_delta = serializers.IntegerField(
        min_value=-MAX_AMOUNT_RIAL, max_value=MAX_AMOUNT_RIAL, required=False, allow_null=True
    )
    effective_on = FlexibleDateField(required=False, allow_null=True)


class CancelInputSerializer(serializers.Serializer):
    by = serializers.ChoiceField(choices=[rules.INSURED, rules.INSURER])
    on = FlexibleDateField()
    kind = serializers.ChoiceField(choices=[rules.CANCELLATION, rules.ANNULMENT], default=rules.CANCELLATION)
    reason = serializers.ChoiceField(
        choices=["", rules.VISA_REFUSED, rules.TRIP_CANCELLED_BEFORE_VISA, rules.VISA_EXPIRED],
        required=False,
        default="",
    )
    visa_expires_on = FlexibleDateField(required=False, allow_null=True)


class InspectionInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Inspection.Kind.choices)
    reason = serializers.ChoiceField(choices=Inspection.Reason.choices, default=Inspection.Reason.ISSUE)
    inspected_on = FlexibleDateField()
    inspector = serializers.CharField(max_length=120)
    report = serializers.CharField()
    recommendations = serializers.ListField(child=serializers.CharField(max_length=300), required=False)
    complied = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_BIGINT), required=False)
    # The endorsement (its number on the policy) whose new covers this inspection is for [001].
    endorsement = serializers.IntegerField(min_value=1, max_value=32767, required=False, allow_null=True)
    # An address change: the visit of the current site or of the new one (with its address) [004].
    site = serializers.ChoiceField(choices=Inspection.Site.choices, default=Inspection.Site.CURRENT)
    site_address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class RenewInputSerializer(serializers.Serializer):
    starts_on = FlexibleDateField(required=False, allow_null=True)
    ends_on = FlexibleDateField()
    # Optional for a renewal under a year: the short-term percent of the year's premium [001].
    premium = serializers.IntegerField(min_value=1, required=False, allow_null=True, max_value=MAX_AMOUNT_RIAL)
    policy_number = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    sum_insured = serializers.IntegerField(min_value=1, required=False, allow_null=True, max_value=MAX_AMOUNT_RIAL)
    covers = serializers.ListField(child=serializers.CharField(max_length=40), required=False, allow_null=True)
    payment_plan = serializers.ChoiceField(choices=Policy.PaymentPlan.choices, default=Policy.PaymentPlan.CASH)
    installments = InstallmentInputSerializer(many=True, required=False)
    installments_count = serializers.IntegerField(max_value=MAX_SMALLINT, min_value=1, required=False, allow_null=True)
    paid_on = FlexibleDateField(required=False, allow_null=True)
    # Only what the old policy lacks: a body car's `build_year` (the 20-year rule [004]).
    params = serializers.DictField(required=False)
    # Left out: carried from the policy renewed (its partners; its mortgage, whose bank
    # letter the renewal then waits for: POST …/bank-letter/ on the new policy).
    partners = PartnerInputSerializer(many=True, required=False, allow_null=True, default=None)
    mortgaged = serializers.BooleanField(required=False, allow_null=True, default=None)


class DocumentInputSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=False)

    def validate_file(self, value):
        return private_upload_clean(value)


# --- output --------------------------------------------------------------------------------
#
# Each answer is built as plain data by a function below (`policy_output`, …: the data flow the
# pages share) and rendered by its output serializer, which is also what the schema documents
# (issue 15 point 2). Dates and times arrive as ISO strings and are answered as they are.


class InstallmentOutputSerializer(serializers.Serializer):
    """One row of a policy's `installments` in the API."""

    number = serializers.IntegerField()
    due_on = serializers.DateField()
    amount = serializers.IntegerField(help_text="rial")
    paid = serializers.BooleanField()
    paid_on = serializers.DateField(allow_null=True)
    endorsement = serializers.IntegerField(allow_null=True)
    # Unpaid and past its due date (issue 14 point 10).
    overdue = serializers.BooleanField()


class InsuredItemOutputSerializer(serializers.Serializer):
    title = serializers.CharField()
    value = serializers.IntegerField(help_text="rial")


class PartnerOutputSerializer(serializers.Serializer):
    name = serializers.CharField()
    national_code = serializers.CharField(required=False)
    share = serializers.CharField(help_text='percent, as typed ("33.33")')


# A line's terms as the recording agent typed them (`params`) and an endorsement's changes to
# them: their keys depend on the line (API.md: `params: {…}`), so the schema leaves them open.
LINE_TERMS_HELP = "the line's terms, keyed by parameter (free-form: API.md `params`)"
CHANGES_HELP = (
    "the terms changed, keyed by term (address, sum_insured, covers, owner_mobile, insured_name, "
    "insured_items, conditions, vehicle, postal_code, unit); values are the terms' own"
)


class BreakdownLineOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    amount = serializers.IntegerField(help_text="rial")


class PolicyCustomerOutputSerializer(serializers.Serializer):
    name = serializers.CharField()
    mobile = serializers.CharField()


class PolicyAgentOutputSerializer(serializers.Serializer):
    agency_code = serializers.CharField()
    agency_name = serializers.CharField()
    office_phone = serializers.CharField()


class PolicySummaryOutputSerializer(serializers.Serializer):
    """A row of GET /api/v1/policies/."""

    id = serializers.IntegerField()
    policy_number = serializers.CharField()
    status = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    in_force = serializers.BooleanField()
    days_left = serializers.IntegerField()
    line = serializers.CharField()
    line_name = serializers.CharField()
    insurer = serializers.CharField()
    insurer_name = serializers.CharField()
    issued_on = serializers.DateField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    premium = serializers.IntegerField(help_text="rial")
    sum_insured = serializers.IntegerField(help_text="rial")
    payment_plan = serializers.CharField()
    role = serializers.CharField(help_text="the caller's role on the policy: customer, agent or staff")
    customer = PolicyCustomerOutputSerializer(allow_null=True, help_text="null for the customer")
    agent = PolicyAgentOutputSerializer()


class RecommendationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    complied = serializers.BooleanField()
    confirmed_by_inspection = serializers.BooleanField()


class InspectionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    reason = serializers.CharField()
    inspected_on = serializers.DateField()
    inspector = serializers.CharField()
    report = serializers.CharField()
    endorsement = serializers.IntegerField(allow_null=True, help_text="the endorsement's number on the policy")
    site = serializers.CharField()
    site_address = serializers.CharField()
    recommendations = RecommendationOutputSerializer(many=True)


class EndorsementOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    changes = stored_json(serializers.DictField(), help_text=CHANGES_HELP)
    previous = stored_json(serializers.DictField(), help_text="the same terms before the change")
    premium_delta = serializers.IntegerField(help_text="rial; negative for a refund")
    effective_on = serializers.DateField()
    needs_inspection = serializers.BooleanField()
    # Added covers still waiting for their new inspection: not in force yet [001].
    pending_covers = serializers.ListField(child=serializers.CharField())
    description = serializers.CharField()
    issued_at = serializers.DateTimeField()


class CapitalReviewOutputSerializer(serializers.Serializer):
    level = serializers.CharField()
    outcome = serializers.CharField()
    defects = serializers.CharField()
    reviewed_at = serializers.DateTimeField()
    approved_at = serializers.DateTimeField(allow_null=True)
    corrected_by_endorsement = serializers.IntegerField(allow_null=True)


class AuthorisationOutputSerializer(serializers.Serializer):
    reasons = serializers.ListField(child=serializers.CharField())
    labels = serializers.ListField(child=serializers.CharField())
    authorised = serializers.BooleanField()
    authorised_at = serializers.DateTimeField(allow_null=True)
    reference = serializers.CharField()


class AsIssuedOutputSerializer(serializers.Serializer):
    sum_insured = serializers.IntegerField(help_text="rial")
    premium = serializers.IntegerField(allow_null=True, help_text="rial")
    ends_on = serializers.DateField(allow_null=True)


class CancellationDetailsOutputSerializer(serializers.Serializer):
    """What a policy's end stored: a cancellation's quote, or a void's kept premium and basis."""

    kind = serializers.CharField(required=False)
    by = serializers.CharField(required=False)
    reason = serializers.CharField(required=False)
    total_premium = serializers.IntegerField(required=False)
    paid = serializers.IntegerField(required=False)
    kept = serializers.IntegerField(required=False)
    refund = serializers.IntegerField(required=False)
    outstanding = serializers.IntegerField(required=False)
    elapsed_days = serializers.IntegerField(required=False)
    term_days = serializers.IntegerField(required=False)
    basis = serializers.CharField(required=False)
    percent = serializers.CharField(required=False, allow_null=True)
    breakdown = BreakdownLineOutputSerializer(many=True, required=False)


class CancellationOutputSerializer(serializers.Serializer):
    kind = serializers.CharField()
    by = serializers.CharField()
    on = serializers.DateField(allow_null=True)
    reason = serializers.CharField()
    kept = serializers.IntegerField(allow_null=True, help_text="rial")
    refund = serializers.IntegerField(allow_null=True, help_text="rial")
    cancelled_at = serializers.DateTimeField()
    details = stored_json(CancellationDetailsOutputSerializer())


class PolicyOutputSerializer(PolicySummaryOutputSerializer):
    """The full policy, as its page shows it."""

    request = serializers.IntegerField(allow_null=True)
    cover_first_day = serializers.DateField()
    cover_last_day = serializers.DateField()
    actual_value = serializers.IntegerField(help_text="rial")
    covers = serializers.ListField(child=serializers.CharField())
    insured_items = stored_json(InsuredItemOutputSerializer(many=True))
    params = stored_json(serializers.DictField(), help_text=LINE_TERMS_HELP)
    total_premium = serializers.IntegerField(help_text="rial, with the endorsements")
    paid = serializers.IntegerField(help_text="rial")
    outstanding = serializers.IntegerField(help_text="rial")
    installments = InstallmentOutputSerializer(many=True)
    inspection_required = serializers.BooleanField()
    issue_blockers = serializers.ListField(child=serializers.CharField())
    inspections = InspectionOutputSerializer(many=True)
    endorsements = EndorsementOutputSerializer(many=True)
    capital_review_levels = serializers.ListField(child=serializers.CharField())
    capital_reviews = CapitalReviewOutputSerializer(many=True)
    document_url = serializers.CharField(allow_null=True)
    partners = stored_json(PartnerOutputSerializer(many=True))
    mortgaged = serializers.BooleanField()
    bank_letter_url = serializers.CharField(allow_null=True)
    authorisation = AuthorisationOutputSerializer(allow_null=True)
    as_issued = AsIssuedOutputSerializer(allow_null=True)
    issued_at = serializers.DateTimeField(allow_null=True)
    first_paid_at = serializers.DateTimeField(allow_null=True)
    renewal_of = serializers.IntegerField(allow_null=True)
    renewed_by = serializers.IntegerField(allow_null=True)
    cancellation = CancellationOutputSerializer(allow_null=True)
    created_at = serializers.DateTimeField()


class PolicyCancelOutputSerializer(PolicyOutputSerializer):
    """POST …/cancel/: the policy as it ended, with what was kept and refunded (API.md: `refund`)."""

    refund = serializers.IntegerField(allow_null=True, help_text="rial")
    kept = serializers.IntegerField(allow_null=True, help_text="rial")
    breakdown = BreakdownLineOutputSerializer(many=True)


class CancellationQuoteOutputSerializer(serializers.Serializer):
    """POST …/cancel/preview/: `policies.rules.CancellationQuote.as_dict()`."""

    kind = serializers.CharField()
    by = serializers.CharField()
    reason = serializers.CharField()
    total_premium = serializers.IntegerField(help_text="rial")
    paid = serializers.IntegerField(help_text="rial")
    kept = serializers.IntegerField(help_text="rial")
    refund = serializers.IntegerField(help_text="rial")
    outstanding = serializers.IntegerField(help_text="rial")
    elapsed_days = serializers.IntegerField()
    term_days = serializers.IntegerField()
    basis = serializers.CharField()
    percent = serializers.CharField(allow_null=True, help_text='a decimal as a string ("12.5")')
    breakdown = BreakdownLineOutputSerializer(many=True)


class EndorsementPreviewOutputSerializer(serializers.Serializer):
    """POST …/endorsements/preview/: the premium difference shown before the agent confirms."""

    kind = serializers.CharField()
    premium_delta = serializers.IntegerField(help_text="rial; negative for a refund")
    amount = serializers.IntegerField(help_text="rial")
    remaining_days = serializers.IntegerField()
    term_days = serializers.IntegerField()
    basis = serializers.CharField()
    effective_on = serializers.DateField()
    needs_inspection = serializers.BooleanField()
    waiting_covers = serializers.ListField(child=serializers.CharField())
    changes = stored_json(serializers.DictField(), help_text=CHANGES_HELP)


class PolicyRenewOutputSerializer(serializers.Serializer):
    """POST …/renew/: a new policy, or (a renewal under a year) an endorsement extending this one."""

    renewal = serializers.ChoiceField(choices=["policy", "endorsement"])
    policy = PolicyOutputSerializer(required=False, help_text="when `renewal` is policy")
    endorsement = EndorsementOutputSerializer(required=False, help_text="when `renewal` is endorsement")


def _installment(row) -> dict:
    return {
        "number": row.number,
        "due_on": row.due_on,
        "amount": row.amount,
        "paid": row.paid_at is not None,
        "paid_on": row.paid_on,
        "endorsement": row.endorsement.number if row.endorsement_id else None,
        "overdue": row.overdue,
    }


def _endorsement(row: Endorsement) -> dict:
    return {
        "id": row.pk,
        "number": row.number,
        "kind": row.kind,
        "kind_label": row.get_kind_display(),
        "changes": row.changes,
        "previous": row.previous,
        "premium_delta": row.premium_delta,
        "effective_on": row.effective_on.isoformat(),
        "needs_inspection": row.needs_inspection,
        # Added covers still waiting for their new inspection: not in force yet [001].
        "pending_covers": sorted(selectors.endorsement_pending_covers(row)),
        "description": row.description,
        "issued_at": row.issued_at.isoformat(),
    }


def _inspection(row: Inspection) -> dict:
    return {
        "id": row.pk,
        "kind": row.kind,
        "reason": row.reason,
        "inspected_on": row.inspected_on.isoformat(),
        "inspector": row.inspector,
        "report": row.report,
        "endorsement": row.endorsement.number if row.endorsement_id else None,
        "site": row.site,
        "site_address": row.site_address,
        "recommendations": [
            {
                "id": rec.pk,
                "text": rec.text,
                "complied": rec.complied_at is not None,
                "confirmed_by_inspection": rec.verified_by_inspection_id is not None,
            }
            for rec in row.recommendations.all()
        ],
    }


def policy_summary(policy: Policy, *, user) -> dict:
    """The list row: what a customer scans (dates, days left, state) and an agent files by."""
    state = selectors.policy_state(policy)
    role = selectors.policy_role(user, policy)
    return {
        "id": policy.pk,
        "policy_number": policy.number,
        "status": policy.status,
        "state": state["code"],
        "state_label": state["label"],
        "in_force": state["in_force"],
        "days_left": state["days_left"],
        "line": policy.line.code,
        "line_name": policy.line.name,
        "insurer": policy.insurer.code,
        "insurer_name": policy.insurer.name,
        "issued_on": policy.issued_on.isoformat(),
        "starts_on": policy.starts_on.isoformat(),
        "ends_on": policy.ends_on.isoformat(),
        "premium": policy.premium,
        "sum_insured": policy.sum_insured,
        "payment_plan": policy.payment_plan,
        "role": role,
        "customer": {"name": policy.customer.get_full_name(), "mobile": policy.customer.mobile}
        if role != selectors.CUSTOMER
        else None,
        "agent": {
            "agency_code": policy.agent.agency_code,
            "agency_name": policy.agent.agency_name,
            "office_phone": policy.agent.office_phone,
        },
    }


def policy_output(policy: Policy, *, user) -> dict:
    """The full policy, as its page shows it."""
    data = policy_summary(policy, user=user)
    state = selectors.policy_state(policy)
    data.update(
        {
            "request": policy.request_id,
            "cover_first_day": state["cover_first_day"].isoformat(),
            "cover_last_day": state["cover_last_day"].isoformat(),
            "actual_value": policy.actual_value,
            "covers": policy.covers,
            "insured_items": policy.insured_items,
            "params": policy.params,
            "total_premium": selectors.policy_total_premium(policy),
            "paid": selectors.policy_paid_total(policy),
            "outstanding": selectors.policy_outstanding(policy),
            "installments": [_installment(row) for row in policy.installments.select_related("endorsement")],
            "inspection_required": policy.inspection_required,
            "issue_blockers": selectors.issue_blockers(policy) if policy.status == Policy.Status.PENDING_ISSUE else [],
            "inspections": [_inspection(row) for row in policy.inspections.prefetch_related("recommendations")],
            "endorsements": [_endorsement(row) for row in policy.endorsements.order_by("number")],
            "capital_review_levels": selectors.policy_capital_review_levels(policy),
            "capital_reviews": [capital_review_output(row) for row in policy.capital_reviews.order_by("id")],
            "document_url": reverse("policies:document", args=[policy.pk]) if policy.document else None,
            "partners": policy.partners,
            "mortgaged": policy.mortgaged,
            "bank_letter_url": reverse("policies:bank_letter", args=[policy.pk]) if policy.bank_letter else None,
            "authorisation": authorisation_output(policy),
            "as_issued": as_issued_output(policy),
            "issued_at": policy.issued_at.isoformat() if policy.issued_at else None,
            "first_paid_at": policy.first_paid_at.isoformat() if policy.first_paid_at else None,
            "renewal_of": policy.renewal_of_id,
            "renewed_by": getattr(getattr(policy, "renewed_by", None), "pk", None),
            "cancellation": cancellation_output(policy),
            "created_at": policy.created_at.isoformat(),
        }
    )
    return data


def capital_review_output(row: CapitalReview) -> dict:
    return {
        "level": row.level,
        "outcome": row.outcome,
        "defects": row.defects,
        "reviewed_at": row.reviewed_at.isoformat(),
        "approved_at": row.approved_at.isoformat() if row.approved_at else None,
        "corrected_by_endorsement": row.corrected_by.number if row.corrected_by_id else None,
    }


def authorisation_output(policy: Policy) -> dict | None:
    """The special cases that need the supervision office's authorisation, and whether it came [001]."""
    if not policy.authorisation_reasons:
        return None
    labels = issue_rules.special_case_labels()
    return {
        "reasons": policy.authorisation_reasons,
        "labels": [labels.get(code, code) for code in policy.authorisation_reasons],
        "authorised": policy.authorised_at is not None,
        "authorised_at": policy.authorised_at.isoformat() if policy.authorised_at else None,
        "reference": policy.authorisation_reference,
    }


def as_issued_output(policy: Policy) -> dict | None:
    """The terms at issue (what the Saman file reports), before any endorsement."""
    if policy.issued_at is None or policy.issued_sum_insured is None:
        return None
    return {
        "sum_insured": policy.issued_sum_insured,
        "premium": policy.issued_premium,
        "ends_on": policy.issued_ends_on.isoformat() if policy.issued_ends_on else None,
    }


def cancellation_output(policy: Policy) -> dict | None:
    if policy.cancelled_at is None:
        return None
    return {
        "kind": rules.ANNULMENT if policy.status == Policy.Status.ANNULLED else rules.CANCELLATION,
        "by": policy.cancellation_by,
        "on": policy.cancellation_on.isoformat() if policy.cancellation_on else None,
        "reason": policy.cancellation_reason,
        "kept": policy.cancellation_kept,
        "refund": policy.cancellation_refund,
        "cancelled_at": policy.cancelled_at.isoformat(),
        "details": policy.cancellation_details,
    }


def endorsement_output(row: Endorsement) -> dict:
    return _endorsement(row)


def inspection_output(row: Inspection) -> dict:
    return _inspection(row)


# --- customer links (issue 13 point 1) ------------------------------------------------------


class CustomerLinkInputSerializer(serializers.Serializer):
    mobile = serializers.CharField(max_length=20)


class CustomerLinkCodeInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=12)


class CustomerLinkOutputSerializer(serializers.Serializer):
    """The agent's view of a link (`customer_link_output`)."""

    id = serializers.IntegerField()
    mobile = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    customer = PolicyCustomerOutputSerializer(allow_null=True, help_text="null until the customer confirms")


class LinkAgentOutputSerializer(serializers.Serializer):
    agency_code = serializers.CharField()
    agency_name = serializers.CharField()
    insurer = serializers.CharField()
    insurer_name = serializers.CharField()
    office_phone = serializers.CharField()


class CustomerLinkForCustomerOutputSerializer(serializers.Serializer):
    """The customer's view of a link (`customer_link_for_customer_output`)."""

    id = serializers.IntegerField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    agent = LinkAgentOutputSerializer()


class CustomerLinkForCustomerListOutputSerializer(serializers.Serializer):
    results = CustomerLinkForCustomerOutputSerializer(many=True)


def customer_link_output(link: CustomerLink) -> dict:
    """The agent's view of a link: the customer only once they confirmed it.

    The same keys and, before confirmation, the same values for a registered and an unknown
    number (the mobile is what the agent typed).
    """
    status = relationships.link_status(link)
    confirmed = status == CustomerLink.Status.CONFIRMED and link.customer_id is not None
    return {
        "id": link.pk,
        "mobile": link.mobile,
        "status": status,
        "status_label": CustomerLink.Status(status).label,
        "created_at": link.created_at.isoformat(),
        "expires_at": link.expires_at.isoformat(),
        "customer": {"name": link.customer.get_full_name(), "mobile": link.customer.mobile} if confirmed else None,
    }


def customer_link_for_customer_output(link: CustomerLink) -> dict:
    """The customer's view: who asks (the agency, as the SMS named it) and what it allows."""
    return {
        "id": link.pk,
        "status": relationships.link_status(link),
        "created_at": link.created_at.isoformat(),
        "expires_at": link.expires_at.isoformat(),
        "agent": {
            "agency_code": link.agent.agency_code,
            "agency_name": link.agent.agency_name,
            "insurer": link.agent.insurer.code,
            "insurer_name": link.agent.insurer.name,
            "office_phone": link.agent.office_phone,
        },
    }
