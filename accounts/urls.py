from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("register/", views.register, name="register"),
    path("login/", views.sign_in, name="login"),
    path("verify/", views.verify, name="verify"),
    path("verify/resend/", views.resend, name="resend"),
    path("verify/status/", views.code_status, name="code_status"),
    path("sign-up/", views.sign_up, name="sign_up"),
    path("logout/", views.sign_out, name="logout"),
    path("profile/", views.profile, name="profile"),
    path("profile/identity-change/", views.identity_change, name="identity_change"),
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("sessions/<str:kind>/<int:session_id>/end/", views.session_end, name="session_end"),
    path("tickets/", views.tickets, name="tickets"),
    path("tickets/<int:ticket_id>/", views.ticket_detail, name="ticket_detail"),
]
