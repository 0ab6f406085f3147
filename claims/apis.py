"""The claims API: filing, documents, the tracker, the estimator, and staff transitions.

Every object endpoint goes through `claim_for_user` first (404 for anyone else); staff
transitions call the same services as the admin actions.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAdminUser, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from claims import conf, selectors, services
from claims import serializers as s
from claims.payout import PayoutInput, estimate_payout
from core.exceptions import ApplicationError, NotFoundError
from core.http import client_ip
from core.pagination import Pagination
from core.schema import PAGE_PARAMETERS, paginated
from core.throttling import WriteScopedRateThrottle
from core.uploads import private_file_response
from policies.selectors import policy_for_user


class _ClaimApi(APIView):
    permission_classes = [IsAuthenticated]

    def answer(self, request, claim, status_code=status.HTTP_200_OK) -> Response:
        claim = selectors.claim_for_user(request.user, claim.pk)
        return Response(s.ClaimOutputSerializer(s.claim_output(claim)).data, status=status_code)


class ClaimListApi(_ClaimApi):
    # Filing texts the customer and notifies the agent: rate limited; the list is not.
    throttle_classes = [WriteScopedRateThrottle]
    throttle_scope = "claims"

    @extend_schema(
        operation_id="claims_list",
        parameters=PAGE_PARAMETERS,
        responses=paginated(s.ClaimSummaryOutputSerializer, name="PaginatedClaimList"),
        summary="The caller's claims (customer) or claims on issued policies",
    )
    def get(self, request):
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.claim_list_for_user(request.user), request, view=self)
        rows = [s.claim_summary(claim) for claim in page]
        return paginator.get_paginated_response(s.ClaimSummaryOutputSerializer(rows, many=True).data)

    @extend_schema(request=s.ClaimFileInputSerializer, responses={201: s.ClaimOutputSerializer})
    def post(self, request):
        serializer = s.ClaimFileInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = services.claim_file(user=request.user, **serializer.validated_data)
        return self.answer(request, claim, status.HTTP_201_CREATED)


class ClaimDetailApi(_ClaimApi):
    @extend_schema(responses=s.ClaimOutputSerializer)
    def get(self, request, claim_id):
        return self.answer(request, selectors.claim_for_user(request.user, claim_id))


class ClaimDocumentApi(_ClaimApi):
    parser_classes = [MultiPartParser, FormParser]
    throttle_classes = [WriteScopedRateThrottle]
    throttle_scope = "uploads"

    @extend_schema(request=s.ClaimDocumentInputSerializer, responses={201: s.ClaimDocumentOutputSerializer})
    def post(self, request, claim_id):
        claim = selectors.claim_for_user(request.user, claim_id)
        serializer = s.ClaimDocumentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = services.claim_document_add(
            user=request.user,
            claim=claim,
            kind=serializer.validated_data["kind"],
            upload=serializer.validated_data["file"],
        )
        return Response(
            s.ClaimDocumentOutputSerializer(s.document_output(document)).data, status=status.HTTP_201_CREATED
        )


class ClaimDocumentFileApi(_ClaimApi):
    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, claim_id, document_id):
        document = selectors.claim_document_for_user(request.user, claim_id, document_id)
        return private_file_response(document.file, download_name=f"claim-{claim_id}-{document.kind}")


class ClaimUndertakingApi(_ClaimApi):
    @extend_schema(request=None, responses=s.ClaimOutputSerializer)
    def post(self, request, claim_id):
        claim = selectors.claim_for_user(request.user, claim_id)
        claim = services.claim_undertaking_accept(user=request.user, claim=claim, ip=client_ip(request))
        return self.answer(request, claim)


class ClaimDisputeApi(_ClaimApi):
    """The insured disputes the assessment: the three-expert panel decides [001][004]."""

    @extend_schema(request=s.DisputeInputSerializer, responses=s.ClaimOutputSerializer)
    def post(self, request, claim_id):
        claim = selectors.claim_for_user(request.user, claim_id)
        serializer = s.DisputeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = services.claim_dispute(user=request.user, claim=claim, reason=serializer.validated_data["reason"])
        return self.answer(request, claim)


class ClaimEstimateApi(APIView):
    """The payout estimator with its breakdown; from a policy of the caller's, or from plain figures."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.EstimateInputSerializer, responses=s.PayoutEstimateOutputSerializer)
    def post(self, request):
        serializer = s.EstimateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data.get("policy"):
            try:
                policy = policy_for_user(request.user, data["policy"])
            except NotFoundError:
                raise ApplicationError(_("بیمه‌نامه پیدا نشد."), field="policy") from None
            inp = selectors.payout_input_for(
                policy=policy,
                loss=data["loss"],
                cause=data["cause"],
                occurred_on=data.get("occurred_on") or timezone.localdate(),
                actual_value=data.get("actual_value"),
                salvage=data["salvage"],
                depreciation=data["depreciation"],
                previous_claims=data.get("previous_claims"),
                young_or_new_driver=data["young_or_new_driver"],
                invoice_value=data.get("invoice_value"),
            )
        else:
            sum_insured = data["sum_insured"]
            actual_value = data.get("actual_value")
            inp = PayoutInput(
                line=data["line"],
                loss=data["loss"],
                sum_insured=sum_insured,
                actual_value=sum_insured if actual_value is None else actual_value,
                cause=data["cause"],
                salvage=data["salvage"],
                depreciation=data["depreciation"],
                months_in_use=data["months_in_use"],
                invoice_value=data.get("invoice_value"),
                previous_claims=data.get("previous_claims") or 0,
                young_or_new_driver=data["young_or_new_driver"],
                electronics_deductible_percent=conf.electronics_deductible_percent(),
                premium_due=data["premium_due"],
                premium_paid=data["premium_paid"],
            )
        return Response(s.PayoutEstimateOutputSerializer(estimate_payout(inp).as_dict()).data)


# --- staff transitions ---------------------------------------------------------------------


class _StaffClaimApi(_ClaimApi):
    permission_classes = [IsAdminUser]

    def claim(self, request, claim_id):
        return selectors.claim_for_user(request.user, claim_id)


class StaffDocumentsCompleteApi(_StaffClaimApi):
    @extend_schema(request=None, responses=s.ClaimOutputSerializer)
    def post(self, request, claim_id):
        claim = services.claim_documents_complete(user=request.user, claim=self.claim(request, claim_id))
        return self.answer(request, claim)


class StaffAssessApi(_StaffClaimApi):
    @extend_schema(request=s.AssessInputSerializer, responses=s.ClaimOutputSerializer)
    def post(self, request, claim_id):
        claim = self.claim(request, claim_id)
        serializer = s.AssessInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = services.claim_assess(user=request.user, claim=claim, **serializer.validated_data)
        return self.answer(request, claim)


class StaffApproveApi(_StaffClaimApi):
    @extend_schema(request=s.ReferenceInputSerializer, responses=s.ClaimOutputSerializer)
    def post(self, request, claim_id):
        claim = self.claim(request, claim_id)
        serializer = s.ReferenceInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = services.claim_approve(user=request.user, claim=claim, reference=serializer.validated_data["reference"])
        return self.answer(request, claim)


class StaffOrderPaymentApi(_StaffClaimApi):
    @extend_schema(request=None, responses=s.ClaimOutputSerializer)
    def post(self, request, claim_id):
        claim = services.claim_order_payment(user=request.user, claim=self.claim(request, claim_id))
        return self.answer(request, claim)


class StaffPayApi(_StaffClaimApi):
    @extend_schema(request=s.ReferenceInputSerializer, responses=s.ClaimOutputSerializer)
    def post(self, request, claim_id):
        claim = self.claim(request, claim_id)
        serializer = s.ReferenceInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = services.claim_mark_paid(
            user=request.user, claim=claim, reference=serializer.validated_data["reference"]
        )
        return self.answer(request, claim)


class StaffRejectApi(_StaffClaimApi):
    @extend_schema(request=s.RejectInputSerializer, responses=s.ClaimOutputSerializer)
    def post(self, request, claim_id):
        claim = self.claim(request, claim_id)
        serializer = s.RejectInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = services.claim_reject(user=request.user, claim=claim, reason=serializer.validated_data["reason"])
        return self.answer(request, claim)


class StaffPanelApi(_StaffClaimApi):
    @extend_schema(request=s.PanelInputSerializer, responses=s.ClaimOutputSerializer)
    def post(self, request, claim_id):
        claim = self.claim(request, claim_id)
        serializer = s.PanelInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = services.claim_panel_decide(user=request.user, claim=claim, **serializer.validated_data)
        return self.answer(request, claim)


class StaffTitleTransferApi(_StaffClaimApi):
    @extend_schema(request=s.DayInputSerializer, responses=s.ClaimOutputSerializer)
    def post(self, request, claim_id):
        claim = self.claim(request, claim_id)
        serializer = s.DayInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = services.claim_title_transfer_record(user=request.user, claim=claim, on=serializer.validated_data["on"])
        return self.answer(request, claim)


class StaffVehicleFoundApi(_StaffClaimApi):
    @extend_schema(request=s.VehicleFoundInputSerializer, responses=s.ClaimOutputSerializer)
    def post(self, request, claim_id):
        claim = self.claim(request, claim_id)
        serializer = s.VehicleFoundInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = services.claim_vehicle_found(
            user=request.user, claim=claim, found_on=serializer.validated_data["found_on"]
        )
        return self.answer(request, claim)


class StaffVehicleSoldApi(_StaffClaimApi):
    @extend_schema(request=s.VehicleSoldInputSerializer, responses=s.ClaimOutputSerializer)
    def post(self, request, claim_id):
        claim = self.claim(request, claim_id)
        serializer = s.VehicleSoldInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = services.claim_vehicle_sold(
            user=request.user, claim=claim, sale_price=serializer.validated_data["sale_price"]
        )
        return self.answer(request, claim)


class StaffVehicleCheckApi(_StaffClaimApi):
    @extend_schema(request=s.DayInputSerializer, responses=s.ClaimOutputSerializer)
    def post(self, request, claim_id):
        claim = self.claim(request, claim_id)
        serializer = s.DayInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = services.claim_vehicle_check_record(user=request.user, claim=claim, on=serializer.validated_data["on"])
        return self.answer(request, claim)


class StaffFraudVoidApi(_StaffClaimApi):
    @extend_schema(request=s.DisputeInputSerializer, responses=s.ClaimOutputSerializer)
    def post(self, request, claim_id):
        claim = self.claim(request, claim_id)
        serializer = s.DisputeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = services.claim_void_for_fraud(
            user=request.user, claim=claim, reason=serializer.validated_data["reason"]
        )
        return self.answer(request, claim)


class StaffDeclarationRequireApi(_StaffClaimApi):
    @extend_schema(request=s.DisputeInputSerializer, responses=s.ClaimOutputSerializer)
    def post(self, request, claim_id):
        claim = self.claim(request, claim_id)
        serializer = s.DisputeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = services.claim_declaration_require(
            user=request.user, claim=claim, reason=serializer.validated_data["reason"]
        )
        return self.answer(request, claim)


class StaffDeclarationRecordApi(_StaffClaimApi):
    @extend_schema(request=s.DeclarationInputSerializer, responses=s.ClaimOutputSerializer)
    def post(self, request, claim_id):
        claim = self.claim(request, claim_id)
        serializer = s.DeclarationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = services.claim_declaration_record(user=request.user, claim=claim, **serializer.validated_data)
        return self.answer(request, claim)


class StaffStagedApi(_StaffClaimApi):
    @extend_schema(request=s.DisputeInputSerializer, responses=s.ClaimOutputSerializer)
    def post(self, request, claim_id):
        claim = self.claim(request, claim_id)
        serializer = s.DisputeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = services.claim_staged_record(user=request.user, claim=claim, reason=serializer.validated_data["reason"])
        return self.answer(request, claim)


class StaffExclusionApi(_StaffClaimApi):
    """The assessor names the exclusion: the claim is rejected, an electronics voiding event
    annuls the policy too [003][004]."""

    @extend_schema(request=s.ExclusionInputSerializer, responses=s.ClaimOutputSerializer)
    def post(self, request, claim_id):
        claim = self.claim(request, claim_id)
        serializer = s.ExclusionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = services.claim_exclusion_record(user=request.user, claim=claim, **serializer.validated_data)
        return self.answer(request, claim)
