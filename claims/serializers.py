"""Input and output shapes of the claims API."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from claims import rules, selectors
from claims.models import Claim, ClaimDocument
from core.answers import stored_json
from core.fields import FlexibleDateField
from core.uploads import private_upload_clean
from core.validators import MAX_AMOUNT_RIAL, MAX_BIGINT, MAX_INT, MAX_SMALLINT


class ClaimFileInputSerializer(serializers.Serializer):
    policy = serializers.IntegerField(min_value=1, max_value=MAX_BIGINT)
    occurred_on = FlexibleDateField()
    description = serializers.CharField(max_length=4000)
    estimated_loss = serializers.IntegerField(min_value=0, max_value=MAX_AMOUNT_RIAL)
    cause = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    # Whole-car theft: the day it was reported to the police (the 60-day wait counts from it).
    theft_reported_on = FlexibleDateField(required=False, allow_null=True, default=None)
    # Travel hospitalisation: the discharge day, if the insured was already discharged.
    discharged_on = FlexibleDateField(required=False, allow_null=True, default=None)
    # Fire: where the loss happened; it must be the insured site the insurer knew of that day.
    loss_address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ClaimDocumentInputSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=40)
    file = serializers.FileField(allow_empty_file=False)

    def validate_file(self, value):
        return private_upload_clean(value)


class EstimateInputSerializer(serializers.Serializer):
    """Either a policy of the caller's (its line, sums and premium state are used) or plain figures."""

    policy = serializers.IntegerField(min_value=1, max_value=MAX_BIGINT, required=False, allow_null=True)
    line = serializers.ChoiceField(
        choices=[rules.FIRE, rules.BODY, rules.THIRD_PARTY, rules.TRAVEL, rules.ELECTRONICS, rules.OTHER],
        required=False,
    )
    loss = serializers.IntegerField(min_value=0, max_value=MAX_AMOUNT_RIAL)
    sum_insured = serializers.IntegerField(min_value=0, required=False, max_value=MAX_AMOUNT_RIAL)
    actual_value = serializers.IntegerField(min_value=0, required=False, allow_null=True, max_value=MAX_AMOUNT_RIAL)
    cause = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    occurred_on = FlexibleDateField(required=False, allow_null=True)
    salvage = serializers.IntegerField(min_value=0, required=False, default=0, max_value=MAX_AMOUNT_RIAL)
    depreciation = serializers.IntegerField(min_value=0, required=False, default=0, max_value=MAX_AMOUNT_RIAL)
    months_in_use = serializers.IntegerField(max_value=MAX_SMALLINT, min_value=0, required=False, default=0)
    invoice_value = serializers.IntegerField(min_value=0, required=False, allow_null=True, max_value=MAX_AMOUNT_RIAL)
    previous_claims = serializers.IntegerField(max_value=MAX_INT, min_value=0, required=False, allow_null=True)
    young_or_new_driver = serializers.BooleanField(required=False, default=False)
    premium_due = serializers.IntegerField(min_value=0, required=False, default=0, max_value=MAX_AMOUNT_RIAL)
    premium_paid = serializers.IntegerField(min_value=0, required=False, default=0, max_value=MAX_AMOUNT_RIAL)

    def validate(self, attrs):
        if not attrs.get("policy"):
            errors = {}
            if not attrs.get("line"):
                errors["line"] = [_("رشته یا بیمه‌نامه را مشخص کنید.")]
            if attrs.get("sum_insured") is None:
                errors["sum_insured"] = [_("سرمایه بیمه‌شده را وارد کنید.")]
            if errors:
                raise serializers.ValidationError(errors)
        return attrs


class AssessInputSerializer(serializers.Serializer):
    assessed_loss = serializers.IntegerField(min_value=0, max_value=MAX_AMOUNT_RIAL)
    actual_value = serializers.IntegerField(min_value=0, required=False, allow_null=True, max_value=MAX_AMOUNT_RIAL)
    salvage = serializers.IntegerField(min_value=0, required=False, default=0, max_value=MAX_AMOUNT_RIAL)
    depreciation = serializers.IntegerField(min_value=0, required=False, default=0, max_value=MAX_AMOUNT_RIAL)
    young_or_new_driver = serializers.BooleanField(required=False, default=False)
    invoice_value = serializers.IntegerField(min_value=0, required=False, allow_null=True, max_value=MAX_AMOUNT_RIAL)
    accessories_loss = serializers.IntegerField(min_value=0, required=False, default=0, max_value=MAX_AMOUNT_RIAL)
    mitigation_cost = serializers.IntegerField(min_value=0, required=False, default=0, max_value=MAX_AMOUNT_RIAL)
    debris_removal_cost = serializers.IntegerField(min_value=0, required=False, default=0, max_value=MAX_AMOUNT_RIAL)
    # Third-party bodily: the diyeh part of the loss and the day of death (sacred months) [004].
    diyeh = serializers.IntegerField(min_value=0, required=False, default=0, max_value=MAX_AMOUNT_RIAL)
    died_on = FlexibleDateField(required=False, allow_null=True, default=None)
    haram_months = serializers.BooleanField(required=False, allow_null=True, default=None)
    insured_fault_percent = serializers.IntegerField(min_value=0, max_value=100, required=False, default=0)
    # Electronics: repair, partial_replacement, replacement (the whole device) or cash [003].
    settlement = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    driver_violation = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ExclusionInputSerializer(serializers.Serializer):
    exclusion = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class DisputeInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class PanelInputSerializer(serializers.Serializer):
    insurer_expert = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    insured_expert = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    third_expert = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    assessed_loss = serializers.IntegerField(min_value=0, max_value=MAX_AMOUNT_RIAL)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DayInputSerializer(serializers.Serializer):
    on = FlexibleDateField()


class DeclarationInputSerializer(serializers.Serializer):
    on = FlexibleDateField()
    reference = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


class VehicleFoundInputSerializer(serializers.Serializer):
    found_on = FlexibleDateField()


class VehicleSoldInputSerializer(serializers.Serializer):
    sale_price = serializers.IntegerField(min_value=0, max_value=MAX_AMOUNT_RIAL)


class ReferenceInputSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


class RejectInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


# --- output --------------------------------------------------------------------------------
#
# Each answer is built as plain data by a function below (`claim_output`, …) and rendered by
# its output serializer, which is also what the schema documents (issue 15 point 2). Dates and
# times arrive as ISO strings and are answered as they are; values stored as JSON on the claim
# (its panel, its declaration, …) are answered untouched (`stored_json`).


class PayoutLineOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    amount = serializers.IntegerField(help_text="rial")


class ClaimDocumentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField(help_text="bytes")
    uploaded_at = serializers.DateTimeField()
    url = serializers.CharField(help_text="the private download, for the claim's parties")


class ClaimSummaryOutputSerializer(serializers.Serializer):
    """A row of GET /api/v1/claims/."""

    id = serializers.IntegerField()
    policy = serializers.IntegerField()
    policy_number = serializers.CharField()
    line = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    cause = serializers.CharField()
    occurred_on = serializers.DateField()
    filed_at = serializers.DateTimeField()
    estimated_loss = serializers.IntegerField(help_text="rial")
    late = serializers.BooleanField()
    payment_due_on = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    payout = serializers.IntegerField(allow_null=True, help_text="rial")


class RequiredDocumentOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    uploaded = serializers.BooleanField()


class TimelineStepOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    done = serializers.BooleanField()
    at = serializers.DateTimeField(allow_null=True)


class PanelOutputSerializer(serializers.Serializer):
    insurer_expert = serializers.CharField()
    insured_expert = serializers.CharField()
    third_expert = serializers.CharField()
    assessor_loss = serializers.IntegerField(allow_null=True, help_text="rial")
    panel_loss = serializers.IntegerField(help_text="rial")
    note = serializers.CharField()


class DisputeOutputSerializer(serializers.Serializer):
    disputed_at = serializers.DateTimeField(allow_null=True)
    reason = serializers.CharField(allow_null=True)
    panel = stored_json(PanelOutputSerializer(allow_null=True), allow_null=True)
    panel_decided_at = serializers.DateTimeField(allow_null=True)


class VehicleTheftOutputSerializer(serializers.Serializer):
    theft_reported_on = serializers.DateField(allow_null=True)
    settles_on = serializers.DateField(allow_null=True)
    title_transferred_on = serializers.DateField(allow_null=True)
    vehicle_found_on = serializers.DateField(allow_null=True)
    vehicle_sale_price = serializers.IntegerField(allow_null=True, help_text="rial")
    deductible_refund = serializers.IntegerField(allow_null=True, help_text="rial")


class DeclarationOutputSerializer(serializers.Serializer):
    required = serializers.BooleanField()
    reason = serializers.CharField()
    recorded_on = serializers.DateField(allow_null=True)
    reference = serializers.CharField()


class StagedOutputSerializer(serializers.Serializer):
    reason = serializers.CharField()
    recorded_at = serializers.DateTimeField()
    repayment_due = serializers.IntegerField(help_text="rial: twice what was received")


class PayeeOutputSerializer(serializers.Serializer):
    name = serializers.CharField()
    share = stored_json({"type": "string"}, help_text='percent, as stored on the policy ("33.33")')
    amount = serializers.IntegerField(help_text="rial")


class ExclusionOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    voids_policy = serializers.BooleanField()


class ClaimOutputSerializer(ClaimSummaryOutputSerializer):
    """The full claim, as its page shows it."""

    description = serializers.CharField()
    deadline_days = serializers.IntegerField(allow_null=True)
    late_by_days = serializers.IntegerField()
    required_documents = RequiredDocumentOutputSerializer(many=True)
    missing_documents = serializers.ListField(child=serializers.CharField())
    documents = ClaimDocumentOutputSerializer(many=True)
    timeline = TimelineStepOutputSerializer(many=True)
    next_step = serializers.CharField()
    assessed_loss = serializers.IntegerField(allow_null=True, help_text="rial")
    payout_breakdown = stored_json(PayoutLineOutputSerializer(many=True))
    authority_level = serializers.CharField(allow_null=True)
    undertaking_accepted = serializers.BooleanField()
    paid_amount = serializers.IntegerField(allow_null=True, help_text="rial")
    rejection_reason = serializers.CharField(allow_null=True)
    loss_kind = stored_json({"type": "string", "nullable": True})
    dispute = DisputeOutputSerializer()
    vehicle_theft = VehicleTheftOutputSerializer(allow_null=True, help_text="whole-car theft only")
    vehicle_checked_on = serializers.DateField(allow_null=True)
    driver_violation = serializers.CharField(allow_null=True)
    driver_violation_label = serializers.CharField(allow_null=True)
    driver_recovery = serializers.IntegerField(allow_null=True, help_text="rial")
    discharged_on = serializers.DateField(allow_null=True)
    loss_address = stored_json({"type": "string", "nullable": True})
    filed_after_discharge = serializers.BooleanField()
    declaration = stored_json(DeclarationOutputSerializer(allow_null=True), allow_null=True)
    staged = stored_json(StagedOutputSerializer(allow_null=True), allow_null=True)
    payees = PayeeOutputSerializer(many=True)
    exclusion = stored_json(ExclusionOutputSerializer(allow_null=True), allow_null=True)
    settlement = stored_json({"type": "string", "nullable": True})


class PayoutEstimateOutputSerializer(serializers.Serializer):
    """POST /api/v1/claims/estimate/: `claims.payout.PayoutEstimate.as_dict()`."""

    payout = serializers.IntegerField(help_text="rial")
    deductible_percent = serializers.CharField(help_text='a decimal as a string ("10")')
    breakdown = PayoutLineOutputSerializer(many=True)


def document_output(document: ClaimDocument) -> dict:
    return {
        "id": document.pk,
        "kind": document.kind,
        "content_type": document.content_type,
        "size": document.size,
        "uploaded_at": document.uploaded_at.isoformat(),
        "url": reverse("claims:document", args=[document.claim_id, document.pk]),
    }


def claim_summary(claim: Claim) -> dict:
    return {
        "id": claim.pk,
        "policy": claim.policy_id,
        "policy_number": claim.policy.number,
        "line": claim.policy.line.code,
        "status": claim.status,
        "status_label": claim.get_status_display(),
        "cause": claim.cause,
        "occurred_on": claim.occurred_on.isoformat(),
        "filed_at": claim.filed_at.isoformat(),
        "estimated_loss": claim.estimated_loss,
        "late": claim.late,
        "payment_due_on": claim.payment_due_on.isoformat() if claim.payment_due_on else None,
        "overdue": selectors.claim_is_overdue(claim),
        "payout": claim.payout,
    }


def claim_output(claim: Claim) -> dict:
    data = claim_summary(claim)
    checklist = selectors.document_checklist(claim)
    data.update(
        {
            "description": claim.description,
            "deadline_days": claim.deadline_days,
            "late_by_days": claim.late_by_days,
            "required_documents": [
                {"code": row["code"], "label": row["label"], "uploaded": bool(row["uploaded"])} for row in checklist
            ],
            "missing_documents": [row["code"] for row in checklist if not row["uploaded"]],
            "documents": [document_output(document) for document in claim.documents.all()],
            "timeline": [
                {
                    "code": step["code"],
                    "label": step["label"],
                    "done": step["done"],
                    "at": timezone.localtime(step["at"]).isoformat() if step["at"] else None,
                }
                for step in selectors.claim_timeline(claim)
            ],
            "next_step": selectors.claim_next_step(claim),
            "assessed_loss": claim.assessed_loss,
            "payout_breakdown": claim.payout_breakdown,
            "authority_level": claim.authority_level or None,
            "undertaking_accepted": claim.undertaking_accepted_at is not None,
            "paid_amount": claim.paid_amount,
            "rejection_reason": claim.rejection_reason or None,
            "loss_kind": claim.assessment.get("loss_kind") or None,
            "dispute": {
                "disputed_at": claim.disputed_at.isoformat() if claim.disputed_at else None,
                "reason": claim.dispute_reason or None,
                "panel": claim.panel or None,
                "panel_decided_at": claim.panel_decided_at.isoformat() if claim.panel_decided_at else None,
            },
            "vehicle_theft": _vehicle_theft_output(claim),
            "vehicle_checked_on": claim.vehicle_checked_on.isoformat() if claim.vehicle_checked_on else None,
            "driver_violation": claim.driver_violation or None,
            "driver_violation_label": rules.driver_fault_label(claim.driver_violation) or None,
            "driver_recovery": claim.driver_recovery,
            "discharged_on": claim.details.get("discharged_on"),
            "loss_address": claim.details.get("loss_address") or None,
            "filed_after_discharge": bool(claim.details.get("filed_after_discharge")),
            "declaration": claim.details.get("declaration") or None,
            "staged": claim.details.get("staged") or None,
            "payees": selectors.payout_shares(claim),
            "exclusion": claim.details.get("exclusion") or None,
            "settlement": claim.assessment.get("settlement") or None,
        }
    )
    return data


def _iso(day):
    return day.isoformat() if day else None


def _vehicle_theft_output(claim: Claim) -> dict | None:
    if claim.cause != rules.VEHICLE_THEFT:
        return None
    return {
        "theft_reported_on": _iso(claim.theft_reported_on),
        "settles_on": _iso(rules.vehicle_theft_settles_on(claim.theft_reported_on))
        if claim.theft_reported_on
        else None,
        "title_transferred_on": _iso(claim.title_transferred_on),
        "vehicle_found_on": _iso(claim.vehicle_found_on),
        "vehicle_sale_price": claim.vehicle_sale_price,
        "deductible_refund": claim.deductible_refund,
    }
