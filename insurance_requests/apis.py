"""The marketplace API (API.md "Requests and leads"): parse → service → answer."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import status
from rest_framework.fields import CharField, IntegerField
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from agents.models import Agent
from agents.selectors import agent_for_user, agent_with_gateway_active
from core.exceptions import ForbiddenError, NotFoundError
from core.pagination import Pagination
from core.schema import PAGE_PARAMETERS, paginated
from core.throttling import WriteScopedRateThrottle
from insurance_requests import selectors, serializers, services


def _detail(request_obj, **context):
    request_obj = selectors.request_for_customer(user=request_obj.customer, request_id=request_obj.pk)
    return serializers.RequestDetailSerializer(request_obj, context=context).data


def _created(request_obj, routing):
    context = {"insurers": routing.insurers, "insurers_without_agents": routing.insurers_without_agents}
    return serializers.CreatedRequestSerializer(request_obj, context=context).data


class RequestListApi(APIView):
    # Posting a request routes it to every matching agent (a fan-out): rate limited.
    throttle_classes = [WriteScopedRateThrottle]
    throttle_scope = "requests"

    @extend_schema(
        operation_id="requests_list",
        parameters=PAGE_PARAMETERS,
        responses=paginated(serializers.RequestSummarySerializer, name="PaginatedRequestSummaryList"),
    )
    def get(self, request):
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.request_list_for_customer(user=request.user), request, view=self)
        return paginator.get_paginated_response(serializers.RequestSummarySerializer(page, many=True).data)

    @extend_schema(request=serializers.RequestInputSerializer, responses={201: serializers.RequestDetailSerializer})
    def post(self, request):
        data = serializers.RequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        created, routing = services.insurance_request_submit(
            customer=request.user,
            line_code=values["line"],
            insurer_codes=values["insurers"],
            params=values["params"],
            province=values["province"],
            city=values["city"],
            note=values["note"],
        )
        body = _created(created, routing)
        return Response(body, status=status.HTTP_201_CREATED)


class RequestDetailApi(APIView):
    @extend_schema(responses=serializers.RequestDetailSerializer)
    def get(self, request, request_id):
        found = selectors.request_for_customer(user=request.user, request_id=request_id)
        return Response(serializers.RequestDetailSerializer(found).data)


class RequestAcceptApi(APIView):
    @extend_schema(request=None, responses={200: serializers.ResponseSerializer})
    def post(self, request, request_id, response_id):
        accepted = services.insurance_request_accept(
            customer=request.user, request_id=request_id, response_id=response_id
        )
        accepted.request.refresh_from_db()
        return Response(serializers.ResponseSerializer(accepted).data)


class RequestEndCooperationApi(APIView):
    @extend_schema(
        request=serializers.EndCooperationInputSerializer, responses={200: serializers.RequestDetailSerializer}
    )
    def post(self, request, request_id):
        data = serializers.EndCooperationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ended = services.insurance_request_end_cooperation(
            customer=request.user, request_id=request_id, reason=data.validated_data["reason"]
        )
        return Response(_detail(ended))


class RequestRepostApi(APIView):
    throttle_classes = [WriteScopedRateThrottle]
    throttle_scope = "requests"

    @extend_schema(request=None, responses={201: serializers.RequestDetailSerializer})
    def post(self, request, request_id):
        created, routing = services.insurance_request_repost(customer=request.user, request_id=request_id)
        body = _created(created, routing)
        return Response(body, status=status.HTTP_201_CREATED)


class RequestCancelApi(APIView):
    @extend_schema(request=None, responses={200: serializers.RequestDetailSerializer})
    def post(self, request, request_id):
        return Response(_detail(services.insurance_request_cancel(customer=request.user, request_id=request_id)))


class RequestRatingApi(APIView):
    @extend_schema(request=serializers.RatingInputSerializer, responses={201: serializers.RatingOutputSerializer})
    def post(self, request, request_id):
        data = serializers.RatingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rating = services.agent_rate(customer=request.user, request_id=request_id, **data.validated_data)
        answer = serializers.RatingOutputSerializer({"score": rating.score, "comment": rating.comment}).data
        return Response(answer, status=status.HTTP_201_CREATED)


class InsurerAvailabilityApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("province", str, required=True)],
        responses={200: serializers.InsurerAvailabilityOutputSerializer(many=True)},
    )
    def get(self, request):
        province = serializers.ProvinceField().run_validation(request.query_params.get("province", ""))
        rows = selectors.insurer_availability(province=province)
        return Response(serializers.InsurerAvailabilityOutputSerializer(rows, many=True).data)


def _active_agent(user):
    agent = agent_with_gateway_active(user)
    if agent is None:
        raise ForbiddenError(
            _("درگاه ارتباطی شما فعال نیست؛ احراز پروانه، اشتراک فعال و پذیرش مقررات لازم است."),
            code="gateway_inactive",
        )
    return agent


class LeadCountsApi(APIView):
    """Stage 3 of SPEC §3: after the terms, counts of open leads per line — never details.
    A marketplace read, moved from agents/apis.py with the layers (issue 15 point 6)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=inline_serializer(
            "LeadCount",
            {"line": CharField(), "name": CharField(), "count": IntegerField()},
            many=True,
        )
    )
    def get(self, request):
        agent = agent_for_user(request.user)
        if agent is None:
            raise NotFoundError(_("پرونده نمایندگی برای شما ثبت نشده است."), code="no_agent")
        if agent.status == Agent.Status.PENDING_TERMS:
            raise ForbiddenError(_("ابتدا مقررات و ضوابط پرداخت را بپذیرید."), code="terms_first")
        return Response(selectors.agent_lead_counts(agent))


class LeadListApi(APIView):
    @extend_schema(
        operation_id="agent_leads_list",
        parameters=[
            OpenApiParameter("line", str),
            OpenApiParameter("province", str),
            OpenApiParameter("state", str, enum=list(selectors.LEAD_STATES)),
            *PAGE_PARAMETERS,
        ],
        responses=paginated(serializers.LeadSerializer, name="PaginatedLeadList"),
    )
    def get(self, request):
        agent = _active_agent(request.user)
        inbox = selectors.LeadInbox(
            agent=agent,
            line=request.query_params.get("line"),
            province=request.query_params.get("province"),
            state=request.query_params.get("state"),
        )
        paginator = Pagination()
        page = paginator.paginate_fetched(inbox, request, view=self)
        return paginator.get_paginated_response(serializers.lead_rows_data(page, agent=agent))


class LeadDetailApi(APIView):
    @extend_schema(responses=serializers.LeadSerializer)
    def get(self, request, request_id):
        agent = _active_agent(request.user)
        delivery = selectors.lead_for_agent(agent=agent, request_id=request_id)
        return Response(serializers.LeadSerializer(delivery, context={"agent": agent}).data)


class LeadRespondApi(APIView):
    throttle_classes = [WriteScopedRateThrottle]
    throttle_scope = "lead_respond"

    @extend_schema(request=serializers.RespondInputSerializer, responses={201: serializers.LeadRespondOutputSerializer})
    def post(self, request, request_id):
        # A closed gateway is a 403 whatever the body (API.md); the service checks again.
        agent = _active_agent(request.user)
        selectors.lead_for_agent(agent=agent, request_id=request_id)  # 404 before judging the body
        data = serializers.RespondInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        response = services.lead_respond(
            agent=agent,
            request_id=request_id,
            message=values["message"],
            premium=values["premium"],
            payment_plan=values["payment_plan"],
            covers=values.get("covers"),
            valid_until=values["valid_until"],
        )
        return Response(
            serializers.LeadRespondOutputSerializer({"id": response.pk}).data, status=status.HTTP_201_CREATED
        )
