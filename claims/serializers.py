"""Input and output shapes of the claims API."""

from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers

from claims import rules, selectors
from claims.models import Claim, ClaimDocument
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
                errors["line"] = ["رشته یا بیمه‌نامه را مشخص کنید."]
            if attrs.get("sum_insured") is None:
                errors["sum_insured"] = ["سرمایه بیمه‌شده را وارد کنید."]
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
