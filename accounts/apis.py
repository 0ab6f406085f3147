"""The accounts API (API.md "Accounts"): parse → service → answer."""

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, serializers, services
from accounts.models import ApiToken
from core.http import client_ip
from core.throttling import ClientIpScopedRateThrottle, WriteScopedRateThrottle


class _AnonymousAuthApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ClientIpScopedRateThrottle]
    throttle_scope = "auth"


def _code_sent(code, http_status):
    payload = {
        "detail": _("کد تأیید به شماره موبایل پیامک شد."),
        "resend_after": settings.OTP_RESEND_SECONDS,
        "request_id": code.public_id,
    }
    return Response(payload, status=http_status)


class RegisterApi(_AnonymousAuthApi):
    @extend_schema(request=serializers.RegisterInputSerializer, responses={201: serializers.CodeSentSerializer})
    def post(self, request):
        data = serializers.RegisterInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        code = services.user_register_request(ip=client_ip(request), **data.validated_data)
        return _code_sent(code, status.HTTP_201_CREATED)


class OtpRequestApi(_AnonymousAuthApi):
    @extend_schema(request=serializers.OtpInputSerializer, responses={202: serializers.CodeSentSerializer})
    def post(self, request):
        data = serializers.OtpInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        code = services.user_sign_in_request(mobile=data.validated_data["mobile"], ip=client_ip(request))
        return _code_sent(code, status.HTTP_202_ACCEPTED)


class OtpStatusApi(_AnonymousAuthApi):
    throttle_scope = "auth_status"

    @extend_schema(responses={200: serializers.CodeStatusSerializer})
    def get(self, request, request_id):
        return Response(selectors.one_time_code_status(public_id=request_id))


class VerifyApi(_AnonymousAuthApi):
    @extend_schema(
        request=serializers.CodeVerifyInputSerializer,
        responses={
            200: OpenApiResponse(
                description='{"token": "…", "user": {…, "profile_complete": bool}}: a new number is signed in '
                "with its code and completes the short sign-up with PATCH /api/v1/me/"
            )
        },
    )
    def post(self, request):
        data = serializers.CodeVerifyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_verify_code(ip=client_ip(request), **data.validated_data)
        _token, key = services.api_token_issue(
            user=user, ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")
        )
        return Response({"token": key, "user": serializers.MeSerializer(user).data})


class LogoutApi(APIView):
    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        if isinstance(request.auth, ApiToken):
            request.auth.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeApi(APIView):
    @extend_schema(responses=serializers.MeSerializer)
    def get(self, request):
        return Response(serializers.MeSerializer(request.user).data)

    @extend_schema(request=serializers.MeUpdateSerializer, responses=serializers.MeSerializer)
    def patch(self, request):
        data = serializers.MeUpdateSerializer(instance=request.user, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        user = services.user_profile_update(user=request.user, data=data.validated_data)
        return Response(serializers.MeSerializer(user).data)


class IdentityChangeRequestListApi(APIView):
    # Requests, tickets and messages land in staff queues: writes are rate limited.
    throttle_classes = [WriteScopedRateThrottle]
    throttle_scope = "support"

    @extend_schema(responses=serializers.IdentityChangeRequestSerializer(many=True))
    def get(self, request):
        changes = selectors.identity_change_list(user=request.user)
        return Response(serializers.IdentityChangeRequestSerializer(changes, many=True).data)

    @extend_schema(
        request=serializers.IdentityChangeInputSerializer,
        responses={201: serializers.IdentityChangeRequestSerializer},
    )
    def post(self, request):
        data = serializers.IdentityChangeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        change = services.identity_change_request_create(user=request.user, **data.validated_data)
        return Response(serializers.IdentityChangeRequestSerializer(change).data, status=status.HTTP_201_CREATED)


class SignInListApi(APIView):
    @extend_schema(responses=serializers.SignInSerializer(many=True))
    def get(self, request):
        current_token = request.auth.pk if isinstance(request.auth, ApiToken) else None
        current_session = request.session.session_key
        rows = [
            {
                **row,
                "current": (row["kind"] == "api" and row["id"] == current_token)
                or (row["kind"] == "web" and row["session_key"] == current_session),
            }
            for row in selectors.user_sign_ins(user=request.user)
        ]
        return Response(serializers.SignInSerializer(rows, many=True).data)


class SignInDetailApi(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request, kind, session_id):
        services.user_session_end(user=request.user, kind=kind, session_id=session_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SignOutEverywhereApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: OpenApiResponse(description='{"ended": n}')})
    def post(self, request):
        ended = services.user_sign_out_everywhere(user=request.user)
        return Response({"ended": ended})


class TicketListApi(APIView):
    throttle_classes = [WriteScopedRateThrottle]
    throttle_scope = "support"

    @extend_schema(responses=serializers.TicketSerializer(many=True))
    def get(self, request):
        tickets = selectors.ticket_list(user=request.user).prefetch_related("messages")
        return Response(serializers.TicketSerializer(tickets, many=True).data)

    @extend_schema(request=serializers.TicketInputSerializer, responses={201: serializers.TicketSerializer})
    def post(self, request):
        data = serializers.TicketInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ticket = services.ticket_create(user=request.user, **data.validated_data)
        return Response(serializers.TicketSerializer(ticket).data, status=status.HTTP_201_CREATED)


class TicketDetailApi(APIView):
    @extend_schema(responses=serializers.TicketSerializer)
    def get(self, request, ticket_id):
        ticket = selectors.ticket_for_user(user=request.user, ticket_id=ticket_id)
        return Response(serializers.TicketSerializer(ticket).data)


class TicketMessageApi(APIView):
    throttle_classes = [WriteScopedRateThrottle]
    throttle_scope = "support"

    @extend_schema(
        request=serializers.TicketMessageInputSerializer, responses={201: serializers.TicketMessageSerializer}
    )
    def post(self, request, ticket_id):
        ticket = selectors.ticket_for_user(user=request.user, ticket_id=ticket_id)
        data = serializers.TicketMessageInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = services.ticket_add_message(ticket=ticket, author=request.user, body=data.validated_data["body"])
        return Response(serializers.TicketMessageSerializer(message).data, status=status.HTTP_201_CREATED)
