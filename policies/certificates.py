"""The certificate (گواهی) of a third-party policy: what a lost third-party policy gets instead
of a duplicate [003].

«برای بیمه شخص ثالث نمی توان المثنی صادر کرد. تنها کاری که می توانید انجام دهید تقاضا برای صدور
گواهی است»: the certificate carries what the policy carried (the coupons, the no-claim years, …),
has the same legal value, is free, and the endorsements that use the cover are attached to it.
The customer and the issuing agent read it as a printable page and through the API; attaching a
second policy document (a duplicate) is refused by `refuse_third_party_duplicate`.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.answers import stored_json
from core.exceptions import ApplicationError, NotFoundError
from insurers.lines import LineCode
from policies.models import Policy
from policies.selectors import policy_for_user

THIRD_PARTY = LineCode.THIRD_PARTY.value


def refuse_third_party_duplicate(policy: Policy) -> None:
    """A third-party policy document is attached once: a second one would be a duplicate
    (المثنی), which the law does not allow; a lost policy gets the free certificate [003]."""
    if policy.line.code == THIRD_PARTY and policy.document:
        raise ApplicationError(
            _(
                "برای بیمه‌نامه شخص ثالث المثنی صادر نمی‌شود و فایل بیمه‌نامه جایگزین نمی‌شود؛ "
                "برای بیمه‌نامه گم‌شده گواهی رایگان بیمه‌نامه را دریافت کنید."
            ),
            field="file",
            code="no_duplicate",
        )


def third_party_certificate(user, policy_id) -> dict:
    """The certificate's content for the customer, the issuing agent or staff (404 for others)."""
    policy = policy_for_user(user, policy_id)
    if policy.line.code != THIRD_PARTY:
        raise ApplicationError(_("گواهی به جای بیمه‌نامه گم‌شده فقط برای بیمه شخص ثالث صادر می‌شود."), field="policy")
    if policy.status == Policy.Status.PENDING_ISSUE:
        raise ApplicationError(_("بیمه‌نامه هنوز صادر نشده است؛ گواهی پس از صدور صادر می‌شود."), field="policy")
    params = policy.params or {}
    installments = list(policy.installments.filter(endorsement__isnull=True).order_by("number"))
    claim_uses = [
        {
            "endorsement": endorsement.number,
            "claim": endorsement.changes["no_claim_lost_by_claim"],
            "effective_on": endorsement.effective_on,
            "description": endorsement.description,
        }
        for endorsement in policy.endorsements.order_by("number")
        if "no_claim_lost_by_claim" in (endorsement.changes or {})
    ]
    return {
        "policy": policy,
        "policy_id": policy.pk,
        "number": policy.number,
        "insurer": policy.insurer.name,
        "agency": policy.agent.agency_name,
        "agency_code": policy.agent.agency_code,
        "customer": policy.customer.get_full_name(),
        "status": policy.status,
        "starts_on": policy.starts_on,
        "ends_on": policy.ends_on,
        "vehicle": {name: params.get(name) for name in ("vehicle_group", "usage", "plate", "vin", "build_year")},
        "no_claim_years": params.get("no_claim_years", 0),
        "coupons": [
            {"number": each.number, "due_on": each.due_on, "amount": each.amount, "paid": each.paid_at is not None}
            for each in installments
        ],
        "claim_uses": claim_uses,
        "fee": 0,  # «صدور گواهی بیمه شخص ثالث کاملا رایگان خواهد بود»
        "issued_on": timezone.localdate(),
    }


def _as_json(certificate: dict) -> dict:
    def iso(day):
        return day.isoformat() if day else None

    return {
        **{key: value for key, value in certificate.items() if key not in ("policy", "policy_id")},
        "policy": certificate["policy_id"],
        "starts_on": iso(certificate["starts_on"]),
        "ends_on": iso(certificate["ends_on"]),
        "issued_on": iso(certificate["issued_on"]),
        "coupons": [{**coupon, "due_on": iso(coupon["due_on"])} for coupon in certificate["coupons"]],
        "claim_uses": [{**use, "effective_on": iso(use["effective_on"])} for use in certificate["claim_uses"]],
    }


# A value the agent typed into the policy's `params` (a string or a number), or null.
_PARAM_VALUE = {"anyOf": [{"type": "string"}, {"type": "integer"}], "nullable": True}


class CertificateCouponOutputSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    due_on = serializers.DateField(allow_null=True)
    amount = serializers.IntegerField(help_text="rial")
    paid = serializers.BooleanField()


class CertificateClaimUseOutputSerializer(serializers.Serializer):
    endorsement = serializers.IntegerField()
    claim = stored_json({"type": "integer"}, help_text="the claim that used the no-claim years")
    effective_on = serializers.DateField(allow_null=True)
    description = serializers.CharField()


class ThirdPartyCertificateOutputSerializer(serializers.Serializer):
    """GET …/certificate/: `_as_json(third_party_certificate(…))`."""

    number = serializers.CharField()
    insurer = serializers.CharField()
    agency = serializers.CharField()
    agency_code = serializers.CharField()
    customer = serializers.CharField()
    status = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    vehicle = stored_json(
        {
            "type": "object",
            "properties": {name: _PARAM_VALUE for name in ("vehicle_group", "usage", "plate", "vin", "build_year")},
            "required": ["vehicle_group", "usage", "plate", "vin", "build_year"],
        },
        help_text="from the policy's params",
    )
    no_claim_years = stored_json({"type": "integer"}, help_text="from the policy's params")
    coupons = CertificateCouponOutputSerializer(many=True)
    claim_uses = CertificateClaimUseOutputSerializer(many=True)
    fee = serializers.IntegerField(help_text="rial; always 0 (the certificate is free)")
    issued_on = serializers.DateField()
    policy = serializers.IntegerField()


class ThirdPartyCertificateApi(APIView):
    """GET the certificate of a third-party policy (free; instead of a duplicate) [003]."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ThirdPartyCertificateOutputSerializer)
    def get(self, request, policy_id):
        certificate = _as_json(third_party_certificate(request.user, policy_id))
        return Response(ThirdPartyCertificateOutputSerializer(certificate).data)


@login_required
def certificate_page(request, policy_id):
    """The printable certificate page."""
    try:
        certificate = third_party_certificate(request.user, policy_id)
    except NotFoundError:
        raise  # not the caller's policy: the 404 page (a NotFoundError is an Http404)
    except ApplicationError as exc:
        # Not a third-party policy, or not issued yet: said on the page.
        return render(request, "policies/certificate.html", {"error": exc.message}, status=400)
    return render(request, "policies/certificate.html", {"certificate": certificate})
