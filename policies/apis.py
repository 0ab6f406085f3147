"""The policies API (API.md, "Policies and claims"): parse → one service call → shape the answer.

Every object endpoint goes through `policy_for_user` first, so a caller who may not see a
policy gets 404 whatever they ask of it.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from agents.selectors import agent_for_user
from core.exceptions import ForbiddenError, NotFoundError
from core.pagination import Pagination
from core.schema import PAGE_PARAMETERS, paginated
from core.throttling import WriteScopedRateThrottle
from core.uploads import private_file_response
from policies import relationships, services
from policies import serializers as s
from policies.models import Endorsement, Policy
from policies.selectors import policy_draft_from_offer, policy_for_user, policy_list_for_user


class _PolicyApi(APIView):
    permission_classes = [IsAuthenticated]

    def get_policy(self, request, policy_id) -> Policy:
        return policy_for_user(request.user, policy_id)

    def answer(self, request, policy: Policy, status_code=status.HTTP_200_OK) -> Response:
        policy = policy_for_user(request.user, policy.pk)
        return Response(s.PolicyOutputSerializer(s.policy_output(policy, user=request.user)).data, status=status_code)


class PolicyListApi(_PolicyApi):
    # Recording is rate limited (issue 13 point 1); reading the list is not.
    throttle_classes = [WriteScopedRateThrottle]
    throttle_scope = "policy_record"

    @extend_schema(
        operation_id="policies_list",
        parameters=PAGE_PARAMETERS,
        responses=paginated(s.PolicySummaryOutputSerializer, name="PaginatedPolicyList"),
        summary="The caller's policies (customer) and issued ones (agent)",
    )
    def get(self, request):
        paginator = Pagination()
        page = paginator.paginate_queryset(policy_list_for_user(request.user), request, view=self)
        rows = [s.policy_summary(policy, user=request.user) for policy in page]
        return paginator.get_paginated_response(s.PolicySummaryOutputSerializer(rows, many=True).data)

    @extend_schema(request=s.PolicyRecordInputSerializer, responses={201: s.PolicyOutputSerializer})
    def post(self, request):
        serializer = s.PolicyRecordInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        policy = services.policy_record(
            user=request.user,
            request=data.get("request"),
            customer_mobile=data.get("customer_mobile"),
            line=data["line"],
            insurer=data["insurer"],
            policy_number=data["policy_number"],
            issued_on=data.get("issued_on"),
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            premium=data["premium"],
            sum_insured=data["sum_insured"],
            actual_value=data.get("actual_value"),
            insured_items=data.get("insured_items"),
            covers=data.get("covers"),
            params=data.get("params"),
            payment_plan=data["payment_plan"],
            installments=data.get("installments"),
            installments_count=data.get("installments_count"),
            paid_on=data.get("paid_on"),
            payment_reference=data["payment_reference"],
            inspection_required=data["inspection_required"],
            mortgaged=data["mortgaged"],
            partners=data.get("partners"),
            special_cases=data.get("special_cases"),
        )
        return self.answer(request, policy, status.HTTP_201_CREATED)


class PolicyDetailApi(_PolicyApi):
    @extend_schema(responses=s.PolicyOutputSerializer)
    def get(self, request, policy_id):
        return self.answer(request, self.get_policy(request, policy_id))


class PolicyPaymentApi(_PolicyApi):
    @extend_schema(request=s.PaymentInputSerializer, responses={201: s.PolicyOutputSerializer})
    def post(self, request, policy_id):
        policy = self.get_policy(request, policy_id)
        serializer = s.PaymentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.installment_pay(
            user=request.user,
            policy=policy,
            number=data.get("number"),
            paid_on=data["paid_on"],
            reference=data["reference"],
        )
        return self.answer(request, policy, status.HTTP_201_CREATED)


class PolicyIssueApi(_PolicyApi):
    @extend_schema(request=None, responses=s.PolicyOutputSerializer)
    def post(self, request, policy_id):
        policy = services.policy_mark_issued(user=request.user, policy=self.get_policy(request, policy_id))
        return self.answer(request, policy)


class _PolicyFileApi(_PolicyApi):
    """A private file of a policy: read after the permission check, attached through its service.

    Uploading is rate limited (the same budget as the upload forms); downloading is not.
    """

    parser_classes = [MultiPartParser, FormParser]
    throttle_classes = [WriteScopedRateThrottle]
    throttle_scope = "uploads"
    file_field: str
    download_prefix: str
    missing_message: str

    def attach(self, *, user, policy, document):
        raise NotImplementedError

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, policy_id):
        policy = self.get_policy(request, policy_id)
        stored = getattr(policy, self.file_field)
        if not stored:
            raise NotFoundError(_(self.missing_message))
        return private_file_response(stored, download_name=f"{self.download_prefix}-{policy.pk}")

    @extend_schema(request=s.DocumentInputSerializer, responses={201: s.PolicyOutputSerializer})
    def post(self, request, policy_id):
        policy = self.get_policy(request, policy_id)
        serializer = s.DocumentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.attach(user=request.user, policy=policy, document=serializer.validated_data["file"])
        return self.answer(request, policy, status.HTTP_201_CREATED)


class PolicyDocumentApi(_PolicyFileApi):
    file_field = "document"
    download_prefix = "policy"
    missing_message = gettext_noop("فایل بیمه‌نامه بارگذاری نشده است.")

    def attach(self, **kwargs):
        services.policy_document_attach(**kwargs)


class PolicyBankLetterApi(_PolicyFileApi):
    """The bank's letter of a mortgaged policy [001]: private, like the policy document."""

    file_field = "bank_letter"
    download_prefix = "bank-letter"
    missing_message = gettext_noop("نامه بانک بارگذاری نشده است.")

    def attach(self, **kwargs):
        services.policy_bank_letter_attach(**kwargs)


class PolicyCapitalReviewApi(_PolicyApi):
    """Staff review a fire policy on a capital list: approve, or record defects for an endorsement [001]."""

    @extend_schema(request=s.CapitalReviewInputSerializer, responses={201: s.PolicyOutputSerializer})
    def post(self, request, policy_id):
        policy = self.get_policy(request, policy_id)
        serializer = s.CapitalReviewInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.capital_review_mark(
            user=request.user, policy=policy, level=data["level"], defects=data["defects"], note=data["note"]
        )
        return self.answer(request, policy, status.HTTP_201_CREATED)


class PolicyAuthoriseApi(_PolicyApi):
    """Staff record the supervision office's authorisation of a special case [001]."""

    @extend_schema(request=s.AuthoriseInputSerializer, responses=s.PolicyOutputSerializer)
    def post(self, request, policy_id):
        policy = self.get_policy(request, policy_id)
        serializer = s.AuthoriseInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.policy_authorise(user=request.user, policy=policy, reference=data["reference"], note=data["note"])
        return self.answer(request, policy)


class EndorsementListApi(_PolicyApi):
    @extend_schema(responses=s.EndorsementOutputSerializer(many=True))
    def get(self, request, policy_id):
        policy = self.get_policy(request, policy_id)
        rows = [s.endorsement_output(row) for row in policy.endorsements.order_by("number")]
        return Response(s.EndorsementOutputSerializer(rows, many=True).data)

    @extend_schema(request=s.EndorsementInputSerializer, responses={201: s.EndorsementOutputSerializer})
    def post(self, request, policy_id):
        policy = self.get_policy(request, policy_id)
        serializer = s.EndorsementInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        endorsement = services.endorsement_issue(
            user=request.user,
            policy=policy,
            kind=data["kind"],
            changes=data["changes"],
            premium_delta=data.get("premium_delta"),
            annual_premium_delta=data.get("annual_premium_delta"),
            effective_on=data.get("effective_on"),
            description=data["description"],
            payment_plan=data["payment_plan"],
            installments=data.get("installments"),
            installments_count=data.get("installments_count"),
        )
        return Response(
            s.EndorsementOutputSerializer(s.endorsement_output(endorsement)).data, status=status.HTTP_201_CREATED
        )


class EndorsementPreviewApi(_PolicyApi):
    @extend_schema(request=s.EndorsementPreviewInputSerializer, responses=s.EndorsementPreviewOutputSerializer)
    def post(self, request, policy_id):
        policy = self.get_policy(request, policy_id)
        services.require_issuer_or_staff(request.user, policy)
        serializer = s.EndorsementPreviewInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        preview = services.endorsement_preview(
            policy=policy,
            changes=data["changes"],
            effective_on=data.get("effective_on"),
            annual_premium_delta=data.get("annual_premium_delta"),
        )
        return Response(s.EndorsementPreviewOutputSerializer(preview).data)


class _CancelBase(_PolicyApi):
    def parse(self, request):
        serializer = s.CancelInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        return {
            "by": data["by"],
            "on": data["on"],
            "kind": data["kind"],
            "reason": data["reason"],
            "visa_expires_on": data.get("visa_expires_on"),
        }


class PolicyCancelPreviewApi(_CancelBase):
    @extend_schema(request=s.CancelInputSerializer, responses=s.CancellationQuoteOutputSerializer)
    def post(self, request, policy_id):
        policy = self.get_policy(request, policy_id)
        quote = services.policy_cancel_preview(user=request.user, policy=policy, **self.parse(request))
        return Response(s.CancellationQuoteOutputSerializer(quote.as_dict()).data)


class PolicyCancelApi(_CancelBase):
    @extend_schema(request=s.CancelInputSerializer, responses=s.PolicyCancelOutputSerializer)
    def post(self, request, policy_id):
        policy = self.get_policy(request, policy_id)
        policy = services.policy_cancel(user=request.user, policy=policy, **self.parse(request))
        policy = policy_for_user(request.user, policy.pk)
        payload = s.policy_output(policy, user=request.user)
        payload["refund"] = policy.cancellation_refund
        payload["kept"] = policy.cancellation_kept
        payload["breakdown"] = policy.cancellation_details.get("breakdown", [])
        return Response(s.PolicyCancelOutputSerializer(payload).data)


class InspectionApi(_PolicyApi):
    @extend_schema(request=s.InspectionInputSerializer, responses={201: s.InspectionOutputSerializer})
    def post(self, request, policy_id):
        policy = self.get_policy(request, policy_id)
        serializer = s.InspectionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        inspection = services.inspection_record(
            user=request.user,
            policy=policy,
            kind=data["kind"],
            reason=data["reason"],
            inspected_on=data["inspected_on"],
            inspector=data["inspector"],
            report=data["report"],
            recommendations=data.get("recommendations"),
            complied=data.get("complied"),
            endorsement=data.get("endorsement"),
            site=data["site"],
            site_address=data["site_address"],
        )
        return Response(
            s.InspectionOutputSerializer(s.inspection_output(inspection)).data, status=status.HTTP_201_CREATED
        )


class RecommendationComplyApi(_PolicyApi):
    @extend_schema(request=None, responses=s.PolicyOutputSerializer)
    def post(self, request, policy_id, recommendation_id):
        policy = self.get_policy(request, policy_id)
        services.recommendation_comply(user=request.user, policy=policy, recommendation_id=recommendation_id)
        return self.answer(request, policy)


class PolicyRenewApi(_PolicyApi):
    @extend_schema(request=s.RenewInputSerializer, responses={201: s.PolicyRenewOutputSerializer})
    def post(self, request, policy_id):
        policy = self.get_policy(request, policy_id)
        serializer = s.RenewInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        result = services.policy_renew(
            user=request.user,
            policy=policy,
            starts_on=data.get("starts_on"),
            ends_on=data["ends_on"],
            premium=data.get("premium"),
            policy_number=data["policy_number"],
            sum_insured=data.get("sum_insured"),
            covers=data.get("covers"),
            payment_plan=data["payment_plan"],
            installments=data.get("installments"),
            installments_count=data.get("installments_count"),
            paid_on=data.get("paid_on"),
            params=data.get("params"),
            partners=data.get("partners"),
            mortgaged=data.get("mortgaged"),
        )
        if isinstance(result, Endorsement):
            renewal = {"renewal": "endorsement", "endorsement": s.endorsement_output(result)}
        else:
            renewal = {"renewal": "policy", "policy": s.policy_output(result, user=request.user)}
        return Response(s.PolicyRenewOutputSerializer(renewal).data, status=status.HTTP_201_CREATED)


# --- customer links (issue 13 point 1) ------------------------------------------------------


class _CustomerLinkApi(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [WriteScopedRateThrottle]
    throttle_scope = "customer_links"


class AgentCustomerLinkListApi(_CustomerLinkApi):
    @extend_schema(
        operation_id="agent_customer_links_list",
        parameters=PAGE_PARAMETERS,
        responses=paginated(s.CustomerLinkOutputSerializer, name="PaginatedCustomerLinkList"),
        summary="The agent's customer links, newest first (paginated)",
    )
    def get(self, request):
        agent = agent_for_user(request.user)
        if agent is None:
            raise ForbiddenError(_("این بخش مخصوص نمایندگان است."), code="not_an_agent")
        paginator = Pagination()
        page = paginator.paginate_queryset(relationships.link_list_for_agent(agent), request, view=self)
        rows = [s.customer_link_output(link) for link in page]
        return paginator.get_paginated_response(s.CustomerLinkOutputSerializer(rows, many=True).data)

    @extend_schema(
        request=s.CustomerLinkInputSerializer,
        responses={202: s.CustomerLinkOutputSerializer},
        summary="Ask the holder of a mobile to confirm this agent (the same answer for any valid number)",
    )
    def post(self, request):
        serializer = s.CustomerLinkInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        link = relationships.customer_link_request(user=request.user, mobile=serializer.validated_data["mobile"])
        return Response(
            s.CustomerLinkOutputSerializer(s.customer_link_output(link)).data, status=status.HTTP_202_ACCEPTED
        )


class AgentCustomerLinkConfirmApi(_CustomerLinkApi):
    @extend_schema(
        request=s.CustomerLinkCodeInputSerializer,
        responses={200: s.CustomerLinkOutputSerializer},
        summary="The code the customer read to the agent; the customer is revealed on success",
    )
    def post(self, request, link_id):
        serializer = s.CustomerLinkCodeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        link = relationships.customer_link_confirm_code(
            user=request.user, link_id=link_id, code=serializer.validated_data["code"]
        )
        return Response(s.CustomerLinkOutputSerializer(s.customer_link_output(link)).data)


class MyAgentLinkListApi(_CustomerLinkApi):
    @extend_schema(
        operation_id="me_agent_links_list",
        responses=s.CustomerLinkForCustomerListOutputSerializer,
        summary="Agents asking to serve the caller, waiting for the caller's answer",
    )
    def get(self, request):
        links = relationships.pending_links_for_customer(request.user)
        rows = {"results": [s.customer_link_for_customer_output(link) for link in links]}
        return Response(s.CustomerLinkForCustomerListOutputSerializer(rows).data)


class _MyAgentLinkAnswerApi(_CustomerLinkApi):
    accept: bool

    @extend_schema(request=None, responses={200: s.CustomerLinkForCustomerOutputSerializer})
    def post(self, request, link_id):
        link = relationships.customer_link_answer(user=request.user, link_id=link_id, accept=self.accept)
        return Response(s.CustomerLinkForCustomerOutputSerializer(s.customer_link_for_customer_output(link)).data)


class MyAgentLinkConfirmApi(_MyAgentLinkAnswerApi):
    accept = True


class MyAgentLinkDeclineApi(_MyAgentLinkAnswerApi):
    accept = False


class OfferPolicyDraftApi(APIView):
    """The accepted agent's policy draft from the offer (issue 14 point 3); 404 for anyone else."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="agent_lead_policy_draft",
        responses=s.PolicyDraftOutputSerializer,
        summary="The policy as the accepted offer fills it, to send to POST /api/v1/policies/",
    )
    def get(self, request, request_id):
        agent = agent_for_user(request.user)
        if agent is None:
            raise NotFoundError(_("درخواست پیدا نشد."))
        draft = policy_draft_from_offer(agent=agent, request_id=request_id)
        return Response(s.PolicyDraftOutputSerializer(draft).data)
