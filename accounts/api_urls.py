from django.urls import path

from accounts import apis

urlpatterns = [
    path("auth/register/", apis.RegisterApi.as_view(), name="auth-register"),
    path("auth/otp/", apis.OtpRequestApi.as_view(), name="auth-otp"),
    path("auth/otp/<str:request_id>/", apis.OtpStatusApi.as_view(), name="auth-otp-status"),
    path("auth/verify/", apis.VerifyApi.as_view(), name="auth-verify"),
    path("auth/logout/", apis.LogoutApi.as_view(), name="auth-logout"),
    path("me/", apis.MeApi.as_view(), name="me"),
    path("me/identity-change-requests/", apis.IdentityChangeRequestListApi.as_view(), name="identity-changes"),
    path("me/sessions/", apis.SignInListApi.as_view(), name="sessions"),
    path("me/sessions/sign-out-everywhere/", apis.SignOutEverywhereApi.as_view(), name="sign-out-everywhere"),
    path("me/sessions/<str:kind>/<int:session_id>/", apis.SignInDetailApi.as_view(), name="session-detail"),
    path("me/tickets/", apis.TicketListApi.as_view(), name="tickets"),
    path("me/tickets/<int:ticket_id>/", apis.TicketDetailApi.as_view(), name="ticket-detail"),
    path("me/tickets/<int:ticket_id>/messages/", apis.TicketMessageApi.as_view(), name="ticket-messages"),
]
