"""Input parsing and output shapes for the agents API (API.md, "Agents")."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.validation import normalize_phone, normalize_postal_code
from agents.models import Agent, Invoice
from agents.selectors import (
    gateway_active,
    plan_by_code,
    service_province_list,
    subscription_state,
    terms_accepted_version,
    terms_current,
)
from agents.validation import (
    clean_text,
    parse_agency_code,
    parse_future_date,
    parse_insurer,
    parse_licence_number,
    parse_province,
)
from core.uploads import private_upload_clean
from core.validators import LICENCE_EXPIRY_DATES, MAX_INT


@extend_schema_field(OpenApiTypes.STR)
class LenientDateField(serializers.Field):
    """A licence's expiry given as ISO `2026-11-21` or Jalali `1405/08/30` (Persian digits too):
    after today and at most ten years ahead (core.validators.LICENCE_EXPIRY_DATES)."""

    def to_internal_value(self, data):
        return LICENCE_EXPIRY_DATES.check(parse_future_date(data))

    def to_representation(self, value):
        return value.isoformat() if value else None


class AgentRegisterInputSerializer(serializers.Serializer):
    insurer = serializers.CharField()
    agency_code = serializers.CharField(max_length=40)
    agency_name = serializers.CharField(max_length=120)
    province = serializers.CharField()
    city = serializers.CharField(max_length=60)
    postal_address = serializers.CharField(max_length=300)
    postal_code = serializers.CharField(max_length=20)
    office_phone = serializers.CharField(max_length=20)

    def validate_insurer(self, value):
        return parse_insurer(value)

    def validate_agency_code(self, value):
        return parse_agency_code(value)

    def validate_agency_name(self, value):
        return clean_text(value)

    def validate_province(self, value):
        return parse_province(value)

    def validate_city(self, value):
        return clean_text(value)

    def validate_postal_address(self, value):
        return clean_text(value)

    def validate_postal_code(self, value):
        return normalize_postal_code(value)

    def validate_office_phone(self, value):
        return normalize_phone(value)


class TermsAcceptInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=MAX_INT)
    plan = serializers.CharField()

    def validate_plan(self, value):
        plan = plan_by_code(value)
        if plan is None:
            raise DjangoValidationError(_("طرح اشتراک انتخاب‌شده معتبر نیست."))
        return plan


class LicenceInputSerializer(serializers.Serializer):
    licence_image = serializers.FileField(allow_empty_file=False)
    licence_number = serializers.CharField(max_length=40)
    licence_expires_on = LenientDateField()
    service_provinces = serializers.ListField(child=serializers.CharField(), required=False, default=list)

    def validate_licence_image(self, value):
        return private_upload_clean(value)

    def validate_licence_number(self, value):
        return parse_licence_number(value)

    def validate_service_provinces(self, values):
        return [parse_province(value) for value in values]


class PurchaseInputSerializer(serializers.Serializer):
    plan = serializers.CharField()

    def validate_plan(self, value):
        plan = plan_by_code(value)
        if plan is None:
            raise DjangoValidationError(_("طرح اشتراک انتخاب‌شده معتبر نیست."))
        return plan


class VerifyInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("approve", gettext_lazy("تأیید")), ("reject", gettext_lazy("رد"))])
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


# --- Output --------------------------------------------------------------------------------


class PlanOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    days = serializers.IntegerField()
    price = serializers.IntegerField(help_text="rial")


class TermsOutputSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    title = serializers.CharField()
    text = serializers.CharField()


class InvoiceOutputSerializer(serializers.ModelSerializer):
    plan = serializers.CharField(source="plan.code")

    class Meta:
        model = Invoice
        # `id` addresses the invoice in POST /api/v1/agent/invoices/<id>/verify/.
        fields = ["id", "number", "plan", "amount", "status", "ref_id", "created_at", "paid_at"]


class SubscriptionOutputSerializer(serializers.Serializer):
    plan = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=["trial", "active", "expired", "none"])
    ends_on = serializers.DateField(allow_null=True)
    days_left = serializers.IntegerField()


class AgentTermsStateOutputSerializer(serializers.Serializer):
    current_version = serializers.IntegerField(allow_null=True)
    accepted_version = serializers.IntegerField(allow_null=True)
    accepted = serializers.BooleanField(help_text="the current version is the one accepted")


class AgentLicenceOutputSerializer(serializers.Serializer):
    number = serializers.CharField(allow_null=True)
    expires_on = serializers.DateField(allow_null=True)
    uploaded = serializers.BooleanField()


class AgentOutputSerializer(serializers.Serializer):
    """GET /api/v1/agent/profile/: the API.md fields first, then the rest of the profile."""

    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Agent.Status.choices)
    gateway_active = serializers.BooleanField()
    subscription = SubscriptionOutputSerializer()
    insurer = serializers.CharField()
    agency_code = serializers.CharField()
    agency_name = serializers.CharField()
    province = serializers.CharField()
    city = serializers.CharField()
    postal_address = serializers.CharField()
    postal_code = serializers.CharField()
    office_phone = serializers.CharField()
    plan = serializers.CharField(allow_null=True)
    terms = AgentTermsStateOutputSerializer()
    licence = AgentLicenceOutputSerializer()
    service_provinces = serializers.ListField(child=serializers.CharField())
    rejection_reason = serializers.CharField()


def agent_output(agent: Agent) -> dict:
    state = subscription_state(agent)
    current = terms_current()
    accepted = terms_accepted_version(agent)
    data = {
        "id": agent.pk,
        "status": agent.status,
        "gateway_active": gateway_active(agent),
        "subscription": {
            "plan": state.plan.code if state.plan else None,
            "status": state.status,
            "ends_on": state.ends_on,
            "days_left": state.days_left,
        },
        "insurer": agent.insurer.code,
        "agency_code": agent.agency_code,
        "agency_name": agent.agency_name,
        "province": agent.province.code,
        "city": agent.city,
        "postal_address": agent.postal_address,
        "postal_code": agent.postal_code,
        "office_phone": agent.office_phone,
        "plan": agent.chosen_plan.code if agent.chosen_plan else None,
        "terms": {
            "current_version": current.version if current else None,
            "accepted_version": accepted,
            "accepted": bool(current and accepted == current.version),
        },
        "licence": {
            "number": agent.licence_number or None,
            "expires_on": agent.licence_expires_on.isoformat() if agent.licence_expires_on else None,
            "uploaded": bool(agent.licence_file),
        },
        "service_provinces": [province.code for province in service_province_list(agent)],
        "rejection_reason": agent.rejection_reason,
    }
    return AgentOutputSerializer(data).data
