"""The floating-policy API: a policy's stock declarations, its final premium, the settlement.

Same shape as the policies API: the policy goes through `policy_for_user` first (404 for
anyone who may not see it), then one service call. The insured sees the declarations;
recording a letter and settling are the issuing office's (agent or staff).
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.exceptions import NotFoundError
from core.fields import FlexibleDateField
from declarations import selectors, services
from declarations.models import FloatingPolicy, StockDeclaration
from policies.selectors import policy_for_user
from policies.serializers import EndorsementOutputSerializer, endorsement_output
from policies.services import require_issuer_or_staff


class StockDeclarationInputSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=1300, max_value=1500)
    month = serializers.IntegerField(min_value=1, max_value=12)
    # Rial; the ceiling keeps a bigint far from overflow when an excess is added to it.
    stock_value = serializers.IntegerField(min_value=0, max_value=10**16)
    declared_on = FlexibleDateField()


class StockDeclarationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField(help_text="solar year")
    month = serializers.IntegerField(help_text="solar month, 1-12")
    stock_value = serializers.IntegerField(help_text="rial")
    declared_on = serializers.DateField()
    late = serializers.BooleanField()
    over_limit = serializers.BooleanField()
    limit = serializers.IntegerField(allow_null=True, help_text="rial: the ceiling when declared")
    endorsement = EndorsementOutputSerializer(allow_null=True)


class FinalPremiumMonthOutputSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    days = serializers.IntegerField()
    stock_value = serializers.IntegerField(help_text="rial")
    declared = serializers.BooleanField()


class FinalPremiumOutputSerializer(serializers.Serializer):
    """`declarations.selectors.FinalPremium.as_dict()`."""

    issue_limit = serializers.IntegerField(help_text="rial")
    average_stock = serializers.IntegerField(help_text="rial")
    stock_premium = serializers.IntegerField(help_text="rial")
    other_endorsements = serializers.IntegerField(help_text="rial")
    final_premium = serializers.IntegerField(help_text="rial")
    charged = serializers.IntegerField(help_text="rial")
    adjustment = serializers.IntegerField(help_text="rial")
    months = FinalPremiumMonthOutputSerializer(many=True)


class FloatingPolicyOutputSerializer(serializers.Serializer):
    """GET …/declarations/: the terms, the declarations so far and the final premium."""

    max_stock_value = serializers.IntegerField(help_text="rial")
    declaration_due_day = serializers.IntegerField()
    declarations = StockDeclarationOutputSerializer(many=True)
    final_premium = FinalPremiumOutputSerializer()
    settlement = EndorsementOutputSerializer(allow_null=True)


def _declaration(row: StockDeclaration) -> dict:
    return {
        "id": row.pk,
        "year": row.year,
        "month": row.month,
        "stock_value": row.stock_value,
        "declared_on": row.declared_on.isoformat(),
        "late": row.late,
        "over_limit": row.over_limit,
        "limit": row.limit,
        "endorsement": endorsement_output(row.endorsement) if row.endorsement_id else None,
    }


class _FloatingApi(APIView):
    permission_classes = [IsAuthenticated]

    def get_terms(self, request, policy_id) -> FloatingPolicy:
        policy = policy_for_user(request.user, policy_id)
        terms = FloatingPolicy.objects.select_related("policy").filter(policy=policy).first()
        if terms is None:
            raise NotFoundError(_("این بیمه‌نامه شناور نیست."))
        return terms


class DeclarationListApi(_FloatingApi):
    @extend_schema(
        responses=FloatingPolicyOutputSerializer, summary="A floating policy's declarations and final premium"
    )
    def get(self, request, policy_id):
        terms = self.get_terms(request, policy_id)
        floating = {
            "max_stock_value": terms.max_stock_value,
            "declaration_due_day": terms.declaration_due_day,
            "declarations": [
                _declaration(row) for row in terms.declarations.select_related("endorsement").order_by("year", "month")
            ],
            "final_premium": selectors.floating_final_premium(terms).as_dict(),
            "settlement": endorsement_output(terms.settlement) if terms.settlement_id else None,
        }
        return Response(FloatingPolicyOutputSerializer(floating).data)

    @extend_schema(request=StockDeclarationInputSerializer, responses={201: StockDeclarationOutputSerializer})
    def post(self, request, policy_id):
        terms = self.get_terms(request, policy_id)
        require_issuer_or_staff(request.user, terms.policy)
        serializer = StockDeclarationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        declaration = services.stock_declaration_record(
            user=request.user,
            floating_policy=terms,
            year=data["year"],
            month=data["month"],
            stock_value=data["stock_value"],
            declared_on=data["declared_on"],
        )
        return Response(
            StockDeclarationOutputSerializer(_declaration(declaration)).data, status=status.HTTP_201_CREATED
        )


class DeclarationSettleApi(_FloatingApi):
    @extend_schema(request=None, responses={201: EndorsementOutputSerializer})
    def post(self, request, policy_id):
        terms = self.get_terms(request, policy_id)
        require_issuer_or_staff(request.user, terms.policy)
        endorsement = services.floating_policy_settle(user=request.user, floating_policy=terms)
        return Response(
            EndorsementOutputSerializer(endorsement_output(endorsement)).data, status=status.HTTP_201_CREATED
        )
