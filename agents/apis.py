"""The agents API (API.md, "Agents"): parse → one service call → shape the answer."""

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAdminUser, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from agents import services
from agents.models import Agent
from agents.selectors import (
    agent_for_staff,
    agent_for_user,
    invoice_list,
    plan_list,
    terms_current,
)
from agents.serializers import (
    AgentOutputSerializer,
    AgentRegisterInputSerializer,
    InvoiceOutputSerializer,
    LicenceInputSerializer,
    PlanOutputSerializer,
    PurchaseInputSerializer,
    TermsAcceptInputSerializer,
    TermsOutputSerializer,
    VerifyInputSerializer,
    agent_output,
)
from core.exceptions import NotFoundError
from core.http import client_ip
from core.throttling import WriteScopedRateThrottle


def payment_callback_url(request) -> str:
    return request.build_absolute_uri(reverse("agents:payment_callback"))


class _AgentApi(APIView):
    permission_classes = [IsAuthenticated]

    def get_agent(self, request) -> Agent:
        agent = agent_for_user(request.user)
        if agent is None:
            raise NotFoundError(_("پرونده نمایندگی برای شما ثبت نشده است."), code="no_agent")
        return agent


class AgentProfileApi(_AgentApi):
    @extend_schema(responses=AgentOutputSerializer)
    def get(self, request):
        return Response(agent_output(self.get_agent(request)))

    @extend_schema(request=AgentRegisterInputSerializer, responses={201: AgentOutputSerializer})
    def post(self, request):
        serializer = AgentRegisterInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        agent = services.agent_register(user=request.user, **serializer.validated_data)
        return Response(agent_output(agent), status=status.HTTP_201_CREATED)


class TermsApi(_AgentApi):
    @extend_schema(responses=TermsOutputSerializer)
    def get(self, request):
        terms = terms_current()
        if terms is None:
            raise NotFoundError(_("مقرراتی منتشر نشده است."))
        return Response(TermsOutputSerializer(terms).data)


class TermsAcceptApi(_AgentApi):
    @extend_schema(request=TermsAcceptInputSerializer, responses=AgentOutputSerializer)
    def post(self, request):
        agent = self.get_agent(request)
        serializer = TermsAcceptInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.terms_accept(
            agent=agent,
            version=serializer.validated_data["version"],
            plan=serializer.validated_data["plan"],
            ip=client_ip(request),
            user_agent=request.headers.get("User-Agent", ""),
        )
        agent.refresh_from_db()
        return Response(agent_output(agent))


class LicenceApi(_AgentApi):
    parser_classes = [MultiPartParser, FormParser]
    throttle_classes = [WriteScopedRateThrottle]
    throttle_scope = "uploads"

    @extend_schema(request=LicenceInputSerializer, responses={201: AgentOutputSerializer})
    def post(self, request):
        agent = self.get_agent(request)
        serializer = LicenceInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        agent = services.agent_documents_submit(
            agent=agent,
            licence=data["licence_image"],
            licence_number=data["licence_number"],
            licence_expires_on=data["licence_expires_on"],
            service_provinces=data["service_provinces"],
        )
        return Response(agent_output(agent), status=status.HTTP_201_CREATED)


class PlanListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=PlanOutputSerializer(many=True))
    def get(self, request):
        return Response(PlanOutputSerializer(plan_list(), many=True).data)


class TrialStartApi(_AgentApi):
    @extend_schema(request=None, responses={201: AgentOutputSerializer})
    def post(self, request):
        agent = self.get_agent(request)
        services.subscription_start_trial(agent=agent)
        agent.refresh_from_db()
        return Response(agent_output(agent), status=status.HTTP_201_CREATED)


class SubscriptionPurchaseApi(_AgentApi):
    # Each purchase calls the payment gateway: rate limited.
    throttle_classes = [WriteScopedRateThrottle]
    throttle_scope = "payments"

    @extend_schema(
        request=PurchaseInputSerializer,
        responses={
            201: inline_serializer(
                "PurchaseOutput", {"payment_url": serializers.URLField(), "invoice": InvoiceOutputSerializer()}
            )
        },
    )
    def post(self, request):
        agent = self.get_agent(request)
        serializer = PurchaseInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invoice, payment_url = services.subscription_purchase_start(
            agent=agent, plan=serializer.validated_data["plan"], callback_url=payment_callback_url(request)
        )
        return Response(
            {"payment_url": request.build_absolute_uri(payment_url), "invoice": InvoiceOutputSerializer(invoice).data},
            status=status.HTTP_201_CREATED,
        )


class InvoiceListApi(_AgentApi):
    @extend_schema(responses=InvoiceOutputSerializer(many=True))
    def get(self, request):
        return Response(InvoiceOutputSerializer(invoice_list(self.get_agent(request)), many=True).data)


class InvoiceVerifyApi(_AgentApi):
    """Check again a payment the gateway did not confirm (its verify timed out or failed).

    200 with the invoice as it now stands (a settled one as it was; still "pending" while
    another verify of it, a callback or the reconcile job, is waiting for the gateway);
    503 while the gateway still does not answer; 404 for another agent's invoice.
    """

    # Each call may ask the payment gateway: rate limited like the purchase.
    throttle_classes = [WriteScopedRateThrottle]
    throttle_scope = "payments"

    @extend_schema(request=None, responses=InvoiceOutputSerializer)
    def post(self, request, invoice_id):
        invoice = services.invoice_payment_recheck(agent=self.get_agent(request), invoice_id=invoice_id)
        return Response(InvoiceOutputSerializer(invoice).data)


class StaffAgentVerifyApi(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(request=VerifyInputSerializer, responses=AgentOutputSerializer)
    def post(self, request, agent_id):
        serializer = VerifyInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        agent = agent_for_staff(agent_id)
        agent = services.agent_verify(agent=agent, decided_by=request.user, **serializer.validated_data)
        return Response(agent_output(agent))
